"""Write an editable mapping file: the model's materials as explicit rules, ready to reuse.

Matched materials become explicit rules (``material_exact``) with the factors they got; materials with
no factor on purpose keep their reason; assumed ones are listed as comments (the assumptions stay in
charge until a person writes a rule); unmatched ones are written commented out with their scored
suggestions, for a person to accept by editing. ``bimcarbon materials --mapping FILE`` reads it back
(its rules come before the defaults), so the same file serves the next project.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import yaml

from bimcarbon import __version__
from bimcarbon.assumptions import RebarAssumption
from bimcarbon.errors import OutputError
from bimcarbon.rules import RuleSet


def mapping_text(
    parts: pd.DataFrame, rule_sets: list[RuleSet], model_name: str, rebar: RebarAssumption | None = None
) -> str:
    """The mapping file's text (YAML with comments).

    Parameters
    ----------
    parts
        The matched take-off rows (:attr:`bimcarbon.matching.Matched.parts`).
    rule_sets
        The rule sets that were applied, to copy each matched rule's factor uses.
    model_name
        Name of the model, for the header.
    rebar
        The rebar assumption that was applied: parts that got it are written with the same rebar
        (restricted to its IFC classes), since a mapping's own rules get no assumed rebar.
    """
    order = [(rs.metadata.id, r.id) for rs in rule_sets for r in rs.rules]
    rules = {(rs.metadata.id, r.id): r for rs in rule_sets for r in rs.rules}
    lines = [
        f"# bimcarbon mapping written by bimcarbon {__version__} on {date.today().isoformat()}",
        f"# from {model_name}. Edit freely: rules are tried in order, the first that applies wins,",
        "# and these come before bimcarbon's default rules. Unmatched materials are at the end,",
        "# commented out, with suggestions: uncomment one and set its factor to accept it.",
        yaml.safe_dump(
            {"metadata": {"id": "project-mapping", "title": f"Mapping for {model_name}", "version": "1"}},
            allow_unicode=True,
            sort_keys=False,
        ).rstrip(),
        "rules:",
    ]
    frame = parts.dropna(subset=["material"])
    frame = frame[frame["material"].astype(str).str.strip() != ""]
    volume = pd.to_numeric(frame["volume_m3"], errors="coerce").fillna(0.0)
    with_rebar = (frame["match_status"] == "matched") & frame["assumption"].notna() if rebar else False
    frame = frame.assign(
        volume_m3=volume,
        rule_set=frame["rule_set"].fillna(""),
        rule_id=frame["rule_id"].fillna(""),
        rebar=with_rebar,
    )
    groups = (
        frame.groupby(["material", "match_status", "rule_set", "rule_id", "rebar"], sort=False)
        .agg(volume_m3=("volume_m3", "sum"), reason=("reason", "first"), suggestions=("suggestions", "first"))
        .reset_index()
    )
    position = {key: i for i, key in enumerate(order)}
    groups["position"] = [
        position.get((a, b), len(order)) for a, b in zip(groups["rule_set"], groups["rule_id"], strict=True)
    ]
    # the rebar variant of a rule (narrower: its classes) before the plain one
    groups = groups.sort_values(["position", "rebar", "volume_m3"], ascending=[True, False, False])
    unmatched: list[str] = []
    assumed: list[str] = []
    used_ids: set[str] = set()
    for info in groups.itertuples():
        material = str(info.material)
        rule_id = _unique_id(material, used_ids)
        if info.match_status == "unmatched":
            unmatched.append(_commented_rule(rule_id, material, info))
            continue
        if info.match_status == "assumed":
            where = f"{info.rule_set}/{info.rule_id}"
            assumed.append(f"  # {material!r}: {info.volume_m3:.3f} m3 assumed by {where}")
            continue
        source = rules.get((info.rule_set, info.rule_id))
        # the rule's own conditions (class, layer position...) stay, narrowed to this material name
        when = source.when.model_dump(exclude_defaults=True) if source is not None else {}
        for key in ("material_words", "material_regex", "not_words", "not_regex"):
            when.pop(key, None)
        entry: dict = {"id": rule_id, "when": {"material_exact": [material], **when}}
        if source is not None and source.use and info.match_status == "matched":
            entry["use"] = [u.model_dump(exclude_defaults=True, mode="json") for u in source.use]
            if info.rebar and rebar is not None:
                entry["when"].setdefault("ifc_class", list(rebar.ifc_class))
                entry["use"].append(
                    {
                        "factor": rebar.factor,
                        "kg_per_m3": rebar.kg_per_m3,
                        "status": rebar.status.value,
                        "note": "rebar bimcarbon assumed (the name does not say reinforced): check it",
                    }
                )
        else:
            entry["use"] = []
            entry["reason"] = (source.reason if source is not None else None) or str(info.reason or "")
        if source is not None and source.proxy:
            entry["proxy"] = True
        if source is not None and not source.has_mass:
            entry["has_mass"] = False
        lines.append(f"  # was: {info.rule_set}/{info.rule_id}, {info.volume_m3:.3f} m3")
        lines.append(_indent(yaml.safe_dump([entry], allow_unicode=True, sort_keys=False)))
    if assumed:
        lines.append(
            "  # ---- assumed (placeholder or missing material, stud layers): bimcarbon's assumptions "
            "stay in charge; write a rule for the material here to replace one ----"
        )
        lines.extend(assumed)
    if unmatched:
        lines.append("  # ---- unmatched: uncomment, choose a factor, and run again with --mapping ----")
        lines.extend(unmatched)
    return "\n".join(lines) + "\n"


def write_mapping(text: str, path: str | Path) -> Path:
    """Write the mapping text to ``path`` (``.yaml``/``.yml``)."""
    path = Path(path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise OutputError("a mapping file must end in .yaml or .yml", path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", path) from exc
    return path


def _unique_id(material: str, used: set[str]) -> str:
    base = "map-" + (re.sub(r"[^a-z0-9]+", "-", material.lower()).strip("-") or "material")
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    used.add(candidate)
    return candidate


def _commented_rule(rule_id: str, material: str, info) -> str:
    suggestions = (
        str(info.suggestions).split("; ") if isinstance(info.suggestions, str) and info.suggestions else []
    )
    first = suggestions[0].split(" ")[0] if suggestions else "FACTOR_ID"
    entry = {"id": rule_id, "when": {"material_exact": [material]}, "use": [{"factor": first}]}
    body = _indent(yaml.safe_dump([entry], allow_unicode=True, sort_keys=False))
    hint = ", ".join(suggestions) if suggestions else "none; see `bimcarbon factors search`"
    header = f"  # {material!r}: {info.volume_m3:.3f} m3; suggestions (score 0-100): {hint}"
    return (
        header
        + "\n"
        + "\n".join(f"  # {line[2:]}" if line.startswith("  ") else f"# {line}" for line in body.splitlines())
    )


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.rstrip().splitlines())
