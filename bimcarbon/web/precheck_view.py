"""The run page's LCA-ready pre-check (template ``_run_precheck.html``): each requirement met or not, in
plain words, and the elements that fail it by GlobalId with why, in English or Chinese. Shown while the
run goes on (the worker writes the check before the take-off) and after. Nothing is computed here: the
words are :mod:`bimcarbon.exchange.precheck`'s."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from bimcarbon.exchange.precheck import (
    PreCheck,
    description,
    failing_phrase,
    headline,
    label,
    note_text,
    reason_text,
    status_word,
)

#: Failing elements the page lists per requirement; the downloadable report lists them all.
LISTED = 50

_CSS = {"pass": "pass", "fail": "fail", "not applicable": "na"}


@dataclass
class FailingRow:
    global_id: str
    ifc_class: str
    name: str
    why: str


@dataclass
class RequirementRow:
    id: str
    label: str
    description: str
    status: str
    css: str
    applies: str
    failing: str
    phrase: str
    notes: list[str]
    instructions: str
    elements: list[FailingRow] = field(default_factory=list)
    more: int = 0


@dataclass
class PrecheckView:
    headline: str
    requirements: list[RequirementRow]
    failed: list[RequirementRow]


def precheck_view(data: dict | None, lang: str) -> PrecheckView | None:
    """The pre-check in words (None: not known yet, or a run made before the pre-check existed)."""
    if not data:
        return None
    try:
        check = PreCheck.model_validate(data)
    except ValidationError:  # a file of another layout: shown as absent rather than half
        return None
    rows = []
    for r in check.requirements:
        instructions = (r.instructions_zh or r.instructions) if lang == "zh" else r.instructions
        rows.append(
            RequirementRow(
                id=r.id,
                label=label(r, lang),
                description=description(r, lang),
                status=status_word(r.status, lang),
                css=_CSS.get(r.status, "na"),
                applies=f"{r.applicable_count:,}",
                failing=f"{r.failing_count:,}",
                phrase=failing_phrase(r, lang),
                notes=[note_text(n, lang) for n in r.notes],
                instructions=instructions,
                elements=[
                    FailingRow(f.global_id, f.ifc_class, f.element_name or "", reason_text(f.reason, lang))
                    for f in r.failing[:LISTED]
                ]
                if r.status == "fail"
                else [],
                more=max(0, r.failing_count - LISTED) if r.status == "fail" else 0,
            )
        )
    return PrecheckView(
        headline=headline(check, lang),
        requirements=rows,
        failed=[row for row in rows if row.css == "fail"],
    )
