"""Matching rules as data: an ordered YAML file of conditions on material parts and the factors they
map to. See docs/matching.md for the format.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bimcarbon.datafile import DataModel, field_error, read_yaml_mapping
from bimcarbon.errors import FactorFileError
from bimcarbon.factors import Status, check_density_bound, factors_dir

#: The default rules shipped with bimcarbon, in factors/rules/.
DEFAULT_RULES = "rules/default_rules.yaml"


class Condition(DataModel):
    """What a material part must look like for a rule to apply. Fields are ANDed; the values listed
    in one field are ORed. Text is compared without case. ``not_words`` and ``not_regex`` exclude
    names (``unreinforced`` from a reinforced-concrete rule). ``name_words`` looks at the element's type
    name (else its own name), for rules on parts whose material says nothing (assumptions)."""

    model_config = ConfigDict(extra="forbid")

    material_exact: list[str] = Field(default_factory=list)
    material_words: list[str] = Field(default_factory=list)
    material_regex: str | None = None
    not_words: list[str] = Field(default_factory=list)
    not_regex: str | None = None
    category: list[str] = Field(default_factory=list)
    ifc_class: list[str] = Field(default_factory=list)
    predefined_type: list[str] = Field(default_factory=list)
    classification: list[str] = Field(default_factory=list)
    part_kind: list[str] = Field(default_factory=list)
    layer_position: Literal["first", "last", "inner"] | None = None
    name_words: list[str] = Field(default_factory=list)

    @field_validator("material_regex", "not_regex")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value, re.IGNORECASE)  # as matching uses it (then cached by re)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression ({exc})") from None
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        if not any(
            [
                self.material_exact,
                self.material_words,
                self.material_regex,
                self.category,
                self.ifc_class,
                self.predefined_type,
                self.classification,
                self.part_kind,
                self.layer_position,
                self.name_words,
            ]
        ):
            raise ValueError("a rule needs at least one condition")
        return self


class FactorUse(DataModel):
    """One factor a matched part maps to, and how much of the part it covers.

    ``share`` takes that fraction of the part's quantities (1 = all of it). ``kg_per_m3`` instead adds
    a mass of the factor's material per m3 of the part (rebar in concrete), and ``kg_per_m2`` per m2 of
    the part's area (the steel of a stud layer); they are defaults a person can override, so they
    carry their own status.

    ``density_kg_per_m3`` replaces the factor's default density for the parts this rule matches, when
    the model gives none: a proxy factor's density can be wrong for the material it stands in for
    (rock-wool board at 140 kg/m3 for glass wool of 10-50). It needs ``density_source``; a range
    (``density_low_kg_per_m3``, ``density_high_kg_per_m3``) is optional; ``status`` says how far it
    was checked.
    """

    model_config = ConfigDict(extra="forbid")

    factor: str = Field(min_length=1)
    share: float = Field(default=1.0, gt=0, le=1)
    kg_per_m3: float | None = Field(default=None, gt=0)
    kg_per_m2: float | None = Field(default=None, gt=0)
    density_kg_per_m3: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    density_low_kg_per_m3: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    density_high_kg_per_m3: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    density_source: str = ""
    note: str = ""
    status: Status | None = None

    @field_validator("density_low_kg_per_m3", "density_high_kg_per_m3")
    @classmethod
    def _in_range(cls, value: float | None, info: ValidationInfo) -> float | None:
        return check_density_bound(value, info.field_name, info.data.get("density_kg_per_m3"))

    @model_validator(mode="after")
    def _density_has_source(self) -> FactorUse:
        if self.density_kg_per_m3 is not None and not self.density_source.strip():
            raise ValueError("a rule's density_kg_per_m3 needs a density_source")
        if self.kg_per_m3 is not None and self.kg_per_m2 is not None:
            raise ValueError("give kg_per_m3 or kg_per_m2, not both")
        return self


class Rule(DataModel):
    """An ordered rule: the first rule whose condition holds decides a part's factors.

    A rule with an empty ``use`` list recognises a material that has no factor on purpose (an air
    layer, a material without an open factor); ``reason`` says why. ``has_mass: false`` says the
    matched parts weigh nothing worth counting (air layers), for the completeness check.
    ``placeholder: true`` says the names it catches say nothing about the material ("Default",
    默认墙): those parts are open to the class-based assumptions (:func:`load_assumptions`).
    ``assumed: true`` says the factors are an assumption, not a reading of the name (a stud layer's
    steel per m2): its parts are ``assumed``, with ``reason`` and ``status`` saying why and how sure.
    ``density_kg_per_m3`` (with ``density_source``) on a rule without factors weighs the parts it
    leaves out, so the completeness check knows what is missing (natural stone, tiles). ``reason_zh``
    is the reason in Chinese, for the Chinese workbook.
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    description: str = ""
    when: Condition
    use: list[FactorUse] = Field(default_factory=list)
    reason: str = ""
    proxy: bool = False
    has_mass: bool = True
    placeholder: bool = False
    assumed: bool = False
    status: Status | None = None
    density_kg_per_m3: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    density_source: str = ""
    reason_zh: str = ""

    @model_validator(mode="after")
    def _reason_if_no_factor(self) -> Rule:
        if not self.use and not self.reason:
            raise ValueError("a rule without factors needs a reason")
        if self.assumed and not (self.use and self.reason and self.status):
            raise ValueError("an assumed rule needs factors, a reason and a status")
        if self.placeholder and self.use:
            raise ValueError("a placeholder rule recognises names that say nothing: it uses no factor")
        if self.density_kg_per_m3 is not None and (self.use or not self.density_source.strip()):
            raise ValueError(
                "a rule's own density weighs parts left out (no factor) for the completeness check: "
                "it needs a density_source and no factors (a factor's density goes on the factor use)"
            )
        return self


class RuleSetMetadata(DataModel):
    """What a rule file is."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    title: str = ""
    version: str = ""
    notes: str = ""


class RuleSet(BaseModel):
    """An ordered list of rules from one file."""

    metadata: RuleSetMetadata
    rules: list[Rule]
    path: str = ""


def load_rules(path: str | Path) -> RuleSet:
    """Load and validate a rule (mapping) file.

    Raises
    ------
    FactorFileError
        Missing or unreadable file, or a rule that does not validate (the message names the rule's
        position, its id and the field).
    """
    path = Path(path)
    document = read_yaml_mapping(path, what="rule file")
    if "rules" not in document:
        raise FactorFileError(f"not a mapping file: it has no 'rules' list{_energy_hint(document)}", path)
    if not isinstance(document["rules"], list):
        raise FactorFileError("expected a mapping with 'metadata' and a 'rules' list", path)
    try:
        metadata = RuleSetMetadata(**(document.get("metadata") or {"id": path.stem}))
    except (ValidationError, TypeError) as exc:
        raise FactorFileError(f"metadata: {field_error(exc)}", path) from None
    rules: list[Rule] = []
    seen: set[str] = set()
    for number, raw in enumerate(document.get("rules") or [], start=1):
        if not isinstance(raw, dict):
            raise FactorFileError(f"rule {number}: expected a mapping", path)
        try:
            rule = Rule(**raw)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(p) for p in error.get("loc", ())) or "?"
            rule_id = f" ({raw.get('id')})" if raw.get("id") else ""
            raise FactorFileError(
                f"rule {number}{rule_id}: field {field!r}: {error.get('msg')}", path
            ) from None
        if rule.id in seen:
            raise FactorFileError(f"rule {number}: id {rule.id!r} is used twice", path)
        seen.add(rule.id)
        rules.append(rule)
    return RuleSet(metadata=metadata, rules=rules, path=str(path))


def _energy_hint(document: dict) -> str:
    """What to say of a document given as a mapping that has an energy file's fields."""
    from bimcarbon.energy import EnergyInput

    keys = sorted(set(document) & (set(EnergyInput.model_fields) - {"project", "location"}))
    if not keys:
        return ""
    return f" (it has {', '.join(keys[:4])}: it looks like an energy file, give it with --energy)"


def default_rules() -> RuleSet:
    """The rules shipped in factors/rules/default_rules.yaml."""
    return load_rules(factors_dir() / DEFAULT_RULES)
