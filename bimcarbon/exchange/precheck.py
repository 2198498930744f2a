"""The LCA-ready pre-check's result and its words, in English and Chinese (pure: no IFC here).

:mod:`bimcarbon.ifc.ids_check` runs an IDS (the shipped ``factors/ids/lca-ready.ids`` or a person's
own) on an open model with ifctester and returns a :class:`PreCheck`: per requirement its plain
words, whether it is met, how many elements it applies to and which fail, by GlobalId, with the reason
ifctester (or bimcarbon, for what IDS cannot say) gives. The shipped requirements' words, in both
languages, are data: ``factors/ids/lca-ready.yaml`` (:func:`load_requirements`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from bimcarbon.datafile import DataModel, load_validated
from bimcarbon.factors import factors_dir

#: The shipped IDS and its words, in factors/.
SHIPPED_IDS = "ids/lca-ready.ids"
SHIPPED_WORDS = "ids/lca-ready.yaml"
#: Failing elements an assessment keeps per requirement (its JSON, the workbook); the rest are counted,
#: and ``bimcarbon check -o`` lists them all.
ASSESSMENT_LISTED = 20
#: Failing GlobalIds the one-line summary names.
SUMMARY_LISTED = 3

Status = Literal["pass", "fail", "not applicable"]


class RequirementWords(DataModel):
    """One requirement of the shipped pre-check (``factors/ids/lca-ready.yaml``)."""

    id: str
    checked_by: Literal["ids", "bimcarbon"]
    specifications: list[str] = Field(default_factory=list)
    met_when: Literal["all", "any"] = "all"
    aggregates: Literal["parts"] | None = None
    label: str
    failing: str
    description: str
    instructions: str
    note: str | None = None


class WordsMetadata(DataModel):
    """The header of ``lca-ready.yaml``."""

    id: str
    title: str
    version: str
    ids: str
    notes: str


class RequirementSet(DataModel):
    """``factors/ids/lca-ready.yaml``: the requirements, in order."""

    metadata: WordsMetadata
    requirements: list[RequirementWords]


def load_requirements(path: Path | None = None) -> RequirementSet:
    """The shipped requirements' words (or those of ``path``), validated."""
    return load_validated(path or factors_dir() / SHIPPED_WORDS, RequirementSet, "pre-check words")


class FailingElement(BaseModel):
    """An element that does not meet a requirement, and why (ifctester's reason, or bimcarbon's)."""

    global_id: str
    ifc_class: str
    element_name: str | None = None
    reason: str


class Note(BaseModel):
    """A line about a requirement's result, as a code and its values (worded by :func:`note_text`)."""

    code: str
    values: dict[str, str | int] = Field(default_factory=dict)


class RequirementResult(BaseModel):
    """One requirement on one model.

    ``applicable_count``: the elements it applies to; ``failing_count``: how many of them fail it (all
    of them, though ``failing`` may list fewer: see :attr:`PreCheck.listed_at_most`).
    """

    id: str
    label: str
    label_zh: str
    description: str
    description_zh: str
    instructions: str = ""
    instructions_zh: str = ""
    #: How the failing elements are counted in a summary line, with ``{count}``.
    failing_phrase: str = "{count} element(s) failing"
    failing_phrase_zh: str = "{count} 个构件不满足"
    checked_by: Literal["ids", "bimcarbon"] = "ids"
    specifications: list[str] = Field(default_factory=list)
    status: Status
    applicable_count: int
    failing_count: int
    failing: list[FailingElement] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)


class PreCheck(BaseModel):
    """The pre-check of one model against one IDS (JSON format ``bimcarbon.precheck``)."""

    format: str = "bimcarbon.precheck"
    format_version: int = 1
    model_name: str
    ids_file: str
    ids_title: str
    shipped: bool
    schema_name: str
    seconds: float | None
    requirements: list[RequirementResult]
    #: When set, each requirement lists at most this many failing elements (``failing_count`` has all).
    listed_at_most: int | None = None

    @property
    def met(self) -> list[RequirementResult]:
        return [r for r in self.requirements if r.status == "pass"]

    @property
    def failed(self) -> list[RequirementResult]:
        return [r for r in self.requirements if r.status == "fail"]

    @property
    def considered(self) -> list[RequirementResult]:
        """The requirements that apply to this model (not ``not applicable``)."""
        return [r for r in self.requirements if r.status != "not applicable"]

    def capped(self, most: int) -> PreCheck:
        """A copy listing at most ``most`` failing elements per requirement (the counts stay whole)."""
        requirements = [r.model_copy(update={"failing": r.failing[:most]}) for r in self.requirements]
        listed = most if self.listed_at_most is None else min(most, self.listed_at_most)
        return self.model_copy(update={"requirements": requirements, "listed_at_most": listed})


#: Note code -> (English, Chinese), formatted with the note's values.
NOTE_WORDS: dict[str, tuple[str, str]] = {
    "aggregates": (
        "{count} element(s) made of parts, without a body of their own, are not counted: their parts are checked instead",
        "{count} 个由部件组成、自身没有实体的构件不计入:改为检查其部件",
    ),
    "quantities": (
        "{count} of {total} building elements carry exported quantities (a Qto_ or BaseQuantities set)",
        "{total} 个建筑构件中有 {count} 个带有导出的工程量(Qto_ 或 BaseQuantities 工程量集)",
    ),
    "none": (
        "no {ifc_class} in the model ({specification} requires at least one)",
        "模型中没有 {ifc_class}({specification} 要求至少有一个)",
    ),
    "met_by": (
        "met by {specification}",
        "由 {specification} 满足",
    ),
    "neither": (
        "neither alternative holds: {specifications}",
        "各备选项均不满足:{specifications}",
    ),
    "not_this_version": (
        "for {versions} models; this model is {schema}",
        "适用于 {versions} 模型;本模型为 {schema}",
    ),
    "no_material_left": (
        "{count} element(s) without any material are counted under the material requirement only",
        "{count} 个完全没有材料的构件只在“材料”一项中计为不满足",
    ),
    "not_checked": (
        "{count} element(s) could not be checked (listed as failing, with the error)",
        "{count} 个构件无法检查(列为不满足,并注明错误)",
    ),
}


def note_text(note: Note, lang: str = "en") -> str:
    """A note in English or Chinese."""
    english, chinese = NOTE_WORDS.get(note.code, (note.code, note.code))
    template = chinese if lang == "zh" else english
    values = {k: f"{v:,}" if isinstance(v, int) else v for k, v in note.values.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template


#: ifctester's reasons (and bimcarbon's own) -> Chinese; ``{0}`` is the quoted part of the reason.
REASONS_ZH: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^The entity has no material$"), "构件没有材料"),
    (re.compile(r"^The material should not have met the requirement(.*)$"), "材料不应满足此条件{0}"),
    (
        re.compile(r"^The material names and categories of (.*) does not match the requirement$"),
        "材料名称与类别 {0} 不符合要求",
    ),
    (re.compile(r"^The attribute value (.*) is empty$"), "属性值 {0} 为空"),
    (re.compile(r"^The required attribute did not exist$"), "所需属性不存在"),
    (re.compile(r"^The attribute value (.*) does not match the requirement$"), "属性值 {0} 不符合要求"),
    (re.compile(r"^The attribute value should not have met the requirement$"), "属性值不应满足此条件"),
    (re.compile(r"^The entity has no relationship$"), "构件没有所需的关系"),
    (
        re.compile(r"^The entity has a relationship with incorrect entities: (.*)$"),
        "构件的上级关系中没有所要求的实体:{0}",
    ),
    (
        re.compile(r"^The entity has a relationship with incorrect predefined type: (.*)$"),
        "构件所关联实体的预定义类型不符合要求:{0}",
    ),
    (re.compile(r"^The relationship should not have met the requirement$"), "该关系不应满足此条件"),
    (re.compile(r"^The required property set does not exist$"), "所需的属性集(或工程量集)不存在"),
    (re.compile(r"^The property set does not contain the required property$"), "属性集中没有所需的属性"),
    (re.compile(r"^The property's data type (.*) does not match .*$"), "属性的数据类型 {0} 不符合要求"),
    (
        re.compile(r"^The property values? (.*) do(?:es)? not match the requirements$"),
        "属性值 {0} 不符合要求",
    ),
    (re.compile(r"^The property should not have met the requirement$"), "该属性不应满足此条件"),
    (re.compile(r"^The entity class (.*) does not meet the required IFC class$"), "实体类别 {0} 不符合要求"),
    (re.compile(r"^The predefined type (.*) does not meet the required type$"), "预定义类型 {0} 不符合要求"),
    (re.compile(r"^The entity has no classification$"), "构件没有分类"),
    (re.compile(r"^The references (.*) do not match the requirements$"), "分类编码 {0} 不符合要求"),
    (re.compile(r"^The systems (.*) do not match the requirements$"), "分类体系 {0} 不符合要求"),
    (re.compile(r"^The classification should not have met the requirement$"), "该分类不应满足此条件"),
    (re.compile(r"^a single material (.*) instead of a layer set$"), "只有单一材料 {0},而非材料层组"),
    (
        re.compile(r"^a material list (.*) instead of a layer set \(split equally\)$"),
        "为材料列表 {0},而非材料层组(按等份拆分)",
    ),
    (re.compile(r"^a material profile set (.*) instead of a layer set$"), "为材料型材组 {0},而非材料层组"),
    (
        re.compile(r"^it has exported quantities (.*): the take-off uses them$"),
        "其带有导出的工程量 {0}:算量时使用",
    ),
    (re.compile(r"^could not be checked \((.*)\)$"), "无法检查({0})"),
    (re.compile(r"^the specification prohibits it$"), "该规范禁止此类构件"),
]


def reason_text(reason: str, lang: str = "en") -> str:
    """A failing element's reason in English (as given) or Chinese (each ``; ``-joined part translated
    when its wording is known, else kept)."""
    if lang != "zh":
        return reason
    parts = []
    for part in reason.split("; "):
        for pattern, chinese in REASONS_ZH:
            found = pattern.match(part)
            if found:
                parts.append(chinese.format(*(found.groups() or ("",))))
                break
        else:
            parts.append(part)
    return ";".join(parts)


STATUS_WORDS = {
    "pass": ("met", "满足"),
    "fail": ("not met", "不满足"),
    "not applicable": ("not applicable", "不适用"),
}


def status_word(status: str, lang: str = "en") -> str:
    """``met``, ``not met`` or ``not applicable`` (满足, 不满足, 不适用)."""
    english, chinese = STATUS_WORDS.get(status, (status, status))
    return chinese if lang == "zh" else english


def label(requirement: RequirementResult, lang: str = "en") -> str:
    """The requirement's short words in the language (its English when it has no Chinese)."""
    return (requirement.label_zh or requirement.label) if lang == "zh" else requirement.label


def description(requirement: RequirementResult, lang: str = "en") -> str:
    """The requirement's plain words in the language (its English when it has no Chinese)."""
    return (
        (requirement.description_zh or requirement.description) if lang == "zh" else requirement.description
    )


def failing_phrase(requirement: RequirementResult, lang: str = "en") -> str:
    """``12 element(s) without a material`` (``12 个构件没有材料``)."""
    template = requirement.failing_phrase_zh if lang == "zh" else requirement.failing_phrase
    try:
        return template.format(count=f"{requirement.failing_count:,}")
    except (KeyError, IndexError, ValueError):
        return template


def headline(check: PreCheck, lang: str = "en") -> str:
    """``LCA-ready pre-check: 5 of 7 requirements met`` (``LCA 就绪预检:7 项要求中满足 5 项``); requirements
    that do not apply to the model are not counted."""
    zh = lang == "zh"
    considered, met = len(check.considered), len(check.met)
    if check.shipped:
        title = "LCA 就绪预检" if zh else "LCA-ready pre-check"
    else:
        title = f"IDS 预检({check.ids_file})" if zh else f"IDS pre-check ({check.ids_file})"
    return (
        f"{title}:{considered} 项要求中满足 {met} 项"
        if zh
        else f"{title}: {met} of {considered} requirements met"
    )


def summary_line(check: PreCheck, lang: str = "en", listed: int = SUMMARY_LISTED) -> str:
    """One line: how many requirements are met and, per unmet one, its failing count and first GlobalIds.

    ``LCA-ready pre-check: 5 of 7 requirements met; 12 element(s) without a material: 2O2Fr$t4X7Z..., ...``
    """
    zh = lang == "zh"
    parts = [headline(check, lang)]
    for requirement in check.failed:
        if requirement.failing_count:
            ids = [f.global_id for f in requirement.failing[:listed]]
            more = requirement.failing_count - len(ids)
            named = ", ".join(ids)
            if more:
                named += f" 等另 {more:,} 个" if zh else f" and {more:,} more"
            parts.append(f"{failing_phrase(requirement, lang)}{':' if zh else ': '}{named}")
        else:
            why = "; ".join(note_text(n, lang) for n in requirement.notes) or status_word("fail", lang)
            parts.append(
                f"{label(requirement, lang)}({why})" if zh else f"{label(requirement, lang)} ({why})"
            )
    return (";" if zh else "; ").join(parts)
