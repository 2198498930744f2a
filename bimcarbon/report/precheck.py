"""The LCA-ready pre-check as a console table, a self-contained HTML page (EN or ZH) or JSON.

Renderers only: the check is :func:`bimcarbon.ifc.ids_check.run_precheck`; its words are
:mod:`bimcarbon.exchange.precheck`. The HTML page has no external resource and no script: one file a
person can mail to the model's author, listing every failing element by GlobalId with the requirement
in plain words.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bimcarbon import __version__
from bimcarbon.errors import OutputError
from bimcarbon.exchange.precheck import (
    PreCheck,
    RequirementResult,
    description,
    failing_phrase,
    headline,
    label,
    note_text,
    reason_text,
    status_word,
    summary_line,
)

#: Output formats of ``bimcarbon check -o``.
REPORT_SUFFIXES = (".html", ".json")
#: Failing GlobalIds the console table names per requirement.
CONSOLE_LISTED = 5

#: Page and table words, English and Chinese.
WORDS: dict[str, tuple[str, str]] = {
    "title_shipped": ("LCA-ready pre-check", "LCA 就绪预检"),
    "title_ids": ("IDS pre-check", "IDS 预检"),
    "model": ("Model", "模型"),
    "schema": ("schema", "模式"),
    "ids": ("IDS", "IDS"),
    "checked_in": ("checked in {s} s with ifctester", "用 ifctester 检查,耗时 {s} 秒"),
    "tool": ("bimcarbon {v}", "bimcarbon {v}"),
    "can_still": (
        "A model that fails some requirements can still be assessed: what it lacks shows up as "
        "assumptions and left-out materials in the assessment.",
        "未满足部分要求的模型仍可评估:其缺失之处在评估结果中表现为假定和未计入的材料。",
    ),
    "requirement": ("Requirement", "要求"),
    "status": ("Status", "结果"),
    "applies": ("Applies to", "适用构件数"),
    "failing": ("Failing", "不满足数"),
    "checked_by": ("Checked by", "检查方"),
    "by_ids": ("the IDS", "IDS"),
    "by_bimcarbon": ("bimcarbon (IDS cannot say it)", "bimcarbon(IDS 无法表达)"),
    "notes": ("Notes", "说明"),
    "failing_elements": ("Failing elements", "不满足的构件"),
    "how_to_fix": ("How to fix", "如何修正"),
    "global_id": ("GlobalId", "GlobalId"),
    "class": ("IFC class", "IFC 类别"),
    "name": ("Name", "名称"),
    "why": ("Why", "原因"),
    "more": (
        "and {n} more, not listed here (bimcarbon check -o lists them all)",
        "另有 {n} 个未在此列出(bimcarbon check -o 列出全部)",
    ),
    "all_met": ("Every requirement is met.", "所有要求均已满足。"),
}


def word(key: str, lang: str, **values: object) -> str:
    """A page word in English or Chinese."""
    english, chinese = WORDS[key]
    return (chinese if lang == "zh" else english).format(**values)


def check_report_path(path: str | Path) -> Path:
    """``path`` if it ends in .html or .json, else an :class:`OutputError`."""
    path = Path(path)
    if path.suffix.lower() not in REPORT_SUFFIXES:
        raise OutputError(f"unknown report format {path.suffix or '(none)'}; use .html or .json", path)
    return path


def write_report(check: PreCheck, path: str | Path, lang: str = "en") -> Path:
    """Write the pre-check as HTML (in ``lang``) or JSON (both languages), by the file's extension."""
    path = check_report_path(path)
    text = check.model_dump_json(indent=1) if path.suffix.lower() == ".json" else html_report(check, lang)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", path) from None
    return path


def print_precheck(console: Console, check: PreCheck, lang: str = "en") -> None:
    """Each requirement with its status, the elements it applies to, the failing ones and the first
    failing GlobalIds; then the one-line summary."""
    title = word("title_shipped" if check.shipped else "title_ids", lang)
    # names from the model and a person's IDS are text, never markup ("[v2]", "[/x]")
    table = Table(title=escape(f"{title}: {check.model_name} ({check.schema_name}; {check.ids_file})"))
    for key in ("requirement", "status", "applies", "failing"):
        table.add_column(word(key, lang), justify="right" if key in ("applies", "failing") else "left")
    table.add_column("GlobalId")
    for r in check.requirements:
        ids = ", ".join(f.global_id for f in r.failing[:CONSOLE_LISTED])
        if r.failing_count > CONSOLE_LISTED:
            ids += " ..."
        colour = {"pass": "green", "fail": "red"}.get(r.status, "dim")
        table.add_row(
            escape(label(r, lang)),
            f"[{colour}]{status_word(r.status, lang)}[/{colour}]",
            f"{r.applicable_count:,}",
            f"{r.failing_count:,}",
            ids,
        )
    console.print(table)
    for r in check.requirements:
        shown = [n for n in r.notes if r.status == "fail" or n.code in ("not_this_version", "met_by")]
        for note in shown:
            console.print(f"  {label(r, lang)}: {note_text(note, lang)}", highlight=False, markup=False)
    console.print(summary_line(check, lang), highlight=False, markup=False, soft_wrap=True)


_ENVIRONMENT = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)

_PAGE = _ENVIRONMENT.from_string(
    """<!doctype html>
<html lang="{{ 'zh-CN' if lang == 'zh' else 'en' }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · {{ check.model_name }}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.muted { color: #5a5a5a; } .pass { color: #176c2e; font-weight: 600; } .fail { color: #a4161a; font-weight: 600; }
.na { color: #5a5a5a; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
ul { margin: .25rem 0; padding-left: 1.25rem; }
</style>
</head>
<body>
<h1>{{ title }}: {{ check.model_name }}</h1>
<p class="muted">{{ word("schema") }} {{ check.schema_name }} · {{ word("ids") }} {{ check.ids_file }} ({{ check.ids_title }}) · {{ word("checked_in", s=check.seconds) }} · {{ word("tool", v=version) }}</p>
<p><strong>{{ headline }}</strong></p>
{% if check.shipped %}<p>{{ word("can_still") }}</p>{% endif %}
<table>
<thead><tr><th>{{ word("requirement") }}</th><th>{{ word("status") }}</th><th>{{ word("applies") }}</th><th>{{ word("failing") }}</th><th>{{ word("checked_by") }}</th><th>{{ word("notes") }}</th></tr></thead>
<tbody>
{% for r in check.requirements %}
<tr><td><strong>{{ label(r) }}</strong><br><span class="muted">{{ description(r) }}</span></td>
<td class="{{ css[r.status] }}">{{ status(r.status) }}</td>
<td class="num">{{ "{:,}".format(r.applicable_count) }}</td><td class="num">{{ "{:,}".format(r.failing_count) }}</td>
<td>{{ word("by_bimcarbon") if r.checked_by == "bimcarbon" else word("by_ids") }}</td>
<td>{% if r.notes %}<ul>{% for n in r.notes %}<li>{{ note(n) }}</li>{% endfor %}</ul>{% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
{% if not check.failed %}<p class="pass">{{ word("all_met") }}</p>{% endif %}
{% for r in check.failed %}
<section id="{{ r.id }}">
<h2>{{ label(r) }}: {{ phrase(r) }}</h2>
<p>{{ description(r) }}</p>
{% if instructions(r) %}<p><strong>{{ word("how_to_fix") }}:</strong> {{ instructions(r) }}</p>{% endif %}
{% if r.notes %}<ul class="muted">{% for n in r.notes %}<li>{{ note(n) }}</li>{% endfor %}</ul>{% endif %}
{% if r.failing %}
<table>
<thead><tr><th>{{ word("global_id") }}</th><th>{{ word("class") }}</th><th>{{ word("name") }}</th><th>{{ word("why") }}</th></tr></thead>
<tbody>
{% for f in r.failing %}<tr><td><code>{{ f.global_id }}</code></td><td>{{ f.ifc_class }}</td><td>{{ f.element_name or "" }}</td><td>{{ reason(f.reason) }}</td></tr>
{% endfor %}
</tbody>
</table>
{% if r.failing_count > r.failing|length %}<p class="muted">{{ word("more", n="{:,}".format(r.failing_count - r.failing|length)) }}</p>{% endif %}
{% endif %}
</section>
{% endfor %}
</body>
</html>
"""
)


def html_report(check: PreCheck, lang: str = "en") -> str:
    """The pre-check as one self-contained HTML page (no external resource, no script) in ``lang``."""

    def instructions(r: RequirementResult) -> str:
        return (r.instructions_zh or r.instructions) if lang == "zh" else r.instructions

    return _PAGE.render(
        check=check,
        lang=lang,
        version=__version__,
        title=word("title_shipped" if check.shipped else "title_ids", lang),
        headline=headline(check, lang),
        css={"pass": "pass", "fail": "fail", "not applicable": "na"},
        word=lambda key, **values: word(key, lang, **values),
        label=lambda r: label(r, lang),
        description=lambda r: description(r, lang),
        instructions=instructions,
        phrase=lambda r: failing_phrase(r, lang),
        status=lambda s: status_word(s, lang),
        note=lambda n: note_text(n, lang),
        reason=lambda text: reason_text(text, lang),
    )
