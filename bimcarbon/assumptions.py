"""Assumptions for what a model does not say: class-based defaults for parts whose material is a
placeholder or absent, and the rebar of structural concrete whose name does not say "reinforced".

The defaults are data (``factors/rules/assumptions.yaml``, the rule format of docs/matching.md plus a
``rebar`` block); every part they reach is ``assumed``, never ``matched``, and says which assumption
made it. A person's mapping file comes first and so overrides them; ``--no-assumptions`` turns them off.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bimcarbon.datafile import DataModel, field_error, read_yaml_mapping
from bimcarbon.errors import FactorFileError
from bimcarbon.factors import Status, factors_dir
from bimcarbon.rules import RuleSet, load_rules

#: The assumptions shipped with bimcarbon, in factors/rules/.
DEFAULT_ASSUMPTIONS = "rules/assumptions.yaml"


class RebarAssumption(DataModel):
    """Reinforcement added by a ratio to structural concrete whose name does not say it is reinforced.

    Applies to parts matched to a concrete factor declared per m3, of one of ``ifc_class``, by a
    shipped rule that adds no reinforcement itself, whose material name has none of ``not_words``
    (plain, unreinforced, blinding), in a model without modelled reinforcement elements.
    """

    model_config = ConfigDict(extra="forbid")

    factor: str = Field(min_length=1)
    kg_per_m3: float = Field(gt=0)
    ifc_class: list[str] = Field(min_length=1)
    not_words: list[str] = Field(default_factory=list)
    reason: str = Field(min_length=1)
    status: Status


class Assumptions(BaseModel):
    """The class-based rules (each ``assumed``, or without factors: parts no assumption fits, with the
    reason) and the rebar assumption."""

    rules: RuleSet
    rebar: RebarAssumption | None = None


def load_assumptions(path: str | Path | None = None) -> Assumptions:
    """Load and validate an assumptions file (the shipped one when ``path`` is None).

    Raises
    ------
    FactorFileError
        Unreadable file, a rule that does not validate or is not marked ``assumed``, or a bad
        ``rebar`` block (the message names the file and the field).
    """
    path = Path(path) if path else factors_dir() / DEFAULT_ASSUMPTIONS
    rules = load_rules(path)
    for number, rule in enumerate(rules.rules, start=1):
        if rule.use and not rule.assumed:
            raise FactorFileError(
                f"rule {number} ({rule.id}): a rule with factors here must be 'assumed: true'", path
            )
    raw = read_yaml_mapping(path, what="assumptions file").get("rebar")
    try:
        rebar = RebarAssumption(**raw) if raw else None
    except (ValidationError, TypeError) as exc:
        raise FactorFileError(f"rebar: {field_error(exc)}", path) from None
    return Assumptions(rules=rules, rebar=rebar)
