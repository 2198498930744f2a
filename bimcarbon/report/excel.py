"""The Excel compliance workbook: verdicts first, then the evidence an auditor can trace cell by cell.

Renders an :class:`~bimcarbon.assess.AssessmentRun`; it never calculates results of its own. On the
Elements sheet each A1-A3 figure is a live formula (quantity x factor), and the Summary's A1-A3 total
is a live SUM of that column. Text from the model is always written as text, never as a formula.
Labels in English or Simplified Chinese.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from bimcarbon.assess import AssessmentRun
from bimcarbon.errors import OutputError
from bimcarbon.factors import FactorLibrary
from bimcarbon.report.sheets import clean, write_rows

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "Summary": "Summary",
        "Criteria": "Criteria",
        "Embodied": "Embodied",
        "Elements": "Elements",
        "Operational": "Operational",
        "Factors": "Factors",
        "Coverage": "Coverage",
        "Parameters": "Parameters",
        "tier": "Tier",
        "without": "Without embodied",
        "with": "With embodied",
        "reached": "Tier reached",
        "provisional": "provisional threshold",
        "pass": "pass",
        "fail": "fail",
        "not assessable": "not assessable",
        "none": "none",
        "module": "Module",
        "kgco2e": "kgCO2e",
        "material": "Material",
        "ifc_class": "IFC class",
        "storey": "Storey",
        "metric": "Metric",
        "item": "Item",
        "value": "Value",
        "not assessed": "not assessed",
        "embodied total": "embodied total (A1-A3 + A4 + A5 + B4 + C)",
        "biogenic": "biogenic carbon stored, kgCO2 (not netted)",
        "floor area": "floor area m2",
        "chart modules": "Embodied emissions by module (kgCO2e)",
        "module parts": (
            "A5: material wastage|A5: site activity|C1 demolition|C2 transport"
            "|C3-C4 waste processing and disposal"
        ),
        "stage": "GB/T 51366 stage",
        "stage modules": "EN 15978 modules",
        "chart intensity": "Carbon intensity kg/(m2.a): without vs with embodied",
        "chart materials": "A1-A3 by material (kgCO2e)",
        "yes": "yes",
        "no": "no",
        "criteria header": (
            "mode|tier|criterion|metric|value|operator|threshold|unit|margin|verdict|provisional|source"
        ),
        "benchmarks": "Informational embodied benchmarks (upfront A1-A5)",
        "plausibility": "Checks before believing the figures (typical ranges)",
        "plausibility header": "check|value|unit|typical low|typical high|verdict|source",
        "implausible": "IMPLAUSIBLE RESULT, check the model before using any figure",
        "typical": "typical",
        "low": "below the range",
        "high": "above the range",
        "absurd": "IMPLAUSIBLE",
        "counted": "Materials counted",
        "matched": "matched",
        "assumed": "assumed",
        "left out": "left out",
        "air": "air",
        "by mass": "share of mass",
        "by volume": "share of volume",
        "completeness": "completeness (>= 95 % of the mass, GB/T 51366)",
        "met": "met",
        "not met": "NOT met",
        "unknown": "cannot be checked",
    },
    "zh": {
        "Summary": "汇总",
        "Criteria": "评价指标",
        "Embodied": "隐含碳",
        "Elements": "构件明细",
        "Operational": "运行碳",
        "Factors": "排放因子",
        "Coverage": "覆盖率与警告",
        "Parameters": "参数",
        "tier": "等级",
        "without": "不计隐含碳",
        "with": "计入隐含碳",
        "reached": "达到等级",
        "provisional": "暂定阈值",
        "pass": "通过",
        "fail": "未通过",
        "not assessable": "无法评估",
        "none": "无",
        "module": "阶段",
        "kgco2e": "kgCO2e",
        "material": "材料",
        "ifc_class": "IFC 类",
        "storey": "楼层",
        "metric": "指标",
        "item": "项目",
        "value": "数值",
        "not assessed": "未评估",
        "embodied total": "隐含碳合计(A1-A3 + A4 + A5 + B4 + C)",
        "biogenic": "生物碳储存 kgCO2(不抵扣)",
        "floor area": "建筑面积 m2",
        "chart modules": "各阶段隐含碳排放(kgCO2e)",
        "module parts": "A5:材料损耗|A5:现场施工|C1 拆除|C2 废弃物运输|C3-C4 废弃物处理与处置",
        "stage": "GB/T 51366 阶段",
        "stage modules": "EN 15978 模块",
        "chart intensity": "碳排放强度 kg/(m2·a):不计与计入隐含碳",
        "chart materials": "各材料 A1-A3 排放(kgCO2e)",
        "yes": "是",
        "no": "否",
        "criteria header": "模式|等级|指标编号|指标|数值|比较|阈值|单位|余量|结论|暂定|来源",
        "benchmarks": "隐含碳参考基准(前期 A1-A5,仅供参考)",
        "plausibility": "数值合理性检查(常见范围)",
        "plausibility header": "检查项|数值|单位|常见下限|常见上限|结论|来源",
        "implausible": "结果不可信:使用任何数值前请检查模型",
        "typical": "在常见范围内",
        "low": "低于常见范围",
        "high": "高于常见范围",
        "absurd": "不可信",
        "counted": "计入的材料",
        "matched": "按材料名称匹配",
        "assumed": "按假定计入",
        "left out": "未计入",
        "air": "空气层",
        "by mass": "质量占比",
        "by volume": "体积占比",
        "completeness": "完整性(计入材料质量 >= 95 %,GB/T 51366)",
        "met": "满足",
        "not met": "不满足",
        "unknown": "无法判断",
    },
}

#: kgCO2e of each module per element row (numbers, formatted alike).
MODULE_COLUMNS = ("a1_a3_kgco2e", "a4_kgco2e", "b4_kgco2e", "a5_wastage_kgco2e", "c2_kgco2e", "c3_c4_kgco2e")

ELEMENT_COLUMNS = [
    "global_id",
    "ifc_class",
    "element_name",
    "storey",
    "material",
    "factor_id",
    "quantity",
    "declared_unit",
    "value_kgco2e_per_unit",
    *MODULE_COLUMNS,
    "conversion",
    "quantity_source",
    "rule_id",
    "assumed",
    "reason",
    "density_kg_per_m3",
    "density_source",
    "use_status",
    "use_note",
]
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def write_workbook(run: AssessmentRun, library: FactorLibrary, path: str | Path, lang: str = "en") -> Path:
    """Write the compliance workbook.

    Parameters
    ----------
    run
        The assessment and its tables.
    library
        The factors used (for the Factors sheet: sources and licences).
    path
        ``.xlsx`` file to write.
    lang
        ``en`` or ``zh``.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError("the workbook must end in .xlsx", path)
    if lang not in LABELS:
        raise OutputError(f"unknown language {lang!r}; use en or zh", path)
    t = LABELS[lang]
    book = Workbook()
    book.bimcarbon_formulas = set()  # the only cells allowed to hold formulas
    summary = book.active
    summary.title = t["Summary"]
    elements = book.create_sheet(t["Elements"])
    last_row = _elements(elements, run)
    _summary(summary, run, t, elements.title, last_row)
    _criteria(book.create_sheet(t["Criteria"]), run, t)
    _embodied(book.create_sheet(t["Embodied"]), run, t)
    _operational(book.create_sheet(t["Operational"]), run)
    _factors(book.create_sheet(t["Factors"]), run, library)
    _coverage(book.create_sheet(t["Coverage"]), run)
    _parameters(book.create_sheet(t["Parameters"]), run)
    book.move_sheet(elements, offset=3)  # after Summary, Criteria, Embodied, Operational
    _text_stays_text(book)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        book.save(path)
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", path) from exc
    return path


def _safe(value: object) -> object:
    """Text without the control characters XLSX cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _text_stays_text(book) -> None:
    """Any string that openpyxl took for a formula and that bimcarbon did not write as one is text
    (names from the model or a criteria pack starting with "=")."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and (sheet.title, cell.coordinate) not in book.bimcarbon_formulas:
                    cell.data_type = "s"


def _style_header(sheet, row: int = 1) -> None:
    for cell in sheet[row]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL


def _elements(sheet, run: AssessmentRun) -> int:
    """One row per (take-off row, factor); A1-A3 = quantity x factor as a live formula."""
    components = run.components.merge(
        run.takeoff[["ifc_class", "element_name", "storey", "quantity_source"]],
        left_on="row",
        right_index=True,
        how="left",
    )
    rows = []
    for c in components.itertuples():
        rows.append([clean(getattr(c, name, None)) for name in ELEMENT_COLUMNS])
    write_rows(sheet, ELEMENT_COLUMNS, rows)
    _style_header(sheet)
    quantity = ELEMENT_COLUMNS.index("quantity")
    q = get_column_letter(quantity + 1)
    v = get_column_letter(ELEMENT_COLUMNS.index("value_kgco2e_per_unit") + 1)
    a = ELEMENT_COLUMNS.index("a1_a3_kgco2e") + 1
    for r, row in enumerate(rows, start=2):
        if row[quantity] is not None:
            cell = sheet.cell(row=r, column=a, value=f"={q}{r}*{v}{r}")
            sheet.parent.bimcarbon_formulas.add((sheet.title, cell.coordinate))
        for column in ("quantity", "value_kgco2e_per_unit", *MODULE_COLUMNS):
            sheet.cell(row=r, column=ELEMENT_COLUMNS.index(column) + 1).number_format = "#,##0.000"
    sheet.column_dimensions["A"].width = 24
    return len(rows) + 1


def _counted(sheet, a, t: dict) -> None:
    """Matched, assumed and left out by mass and volume, completeness, and why the with-embodied
    verdicts are not assessable or were accepted incomplete (in red: next to the verdicts)."""
    c = a.coverage
    sheet.append([t["counted"], t["matched"], t["assumed"], t["left out"], t["air"]])
    _style_header(sheet, sheet.max_row)
    sheet.append([t["by mass"], c.mass_share_mapped, c.mass_share_assumed, c.mass_share_left_out])
    sheet.append(
        [t["by volume"], c.volume_share_mapped, c.volume_share_assumed, c.volume_share_left_out]
        + [c.volume_share_void]
    )
    for row in (sheet.max_row - 1, sheet.max_row):
        for cell in sheet[row][1:5]:
            cell.number_format = "0.0%"
    met = {True: t["met"], False: t["not met"], None: t["unknown"]}[c.completeness_met]
    sheet.append([t["completeness"], met, _safe(c.completeness_note)])
    if a.with_embodied.note:
        sheet.append([_safe(a.with_embodied.note)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, color="C00000")


def _summary(sheet, run: AssessmentRun, t: dict, elements_title: str, last_row: int) -> None:
    a = run.assessment
    sheet.append([_safe(f"bimcarbon {a.tool_version}: {a.model_path}")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_safe(a.criteria_pack)])
    absurd = [f.message for f in a.plausibility.findings if f.verdict == "absurd" and f.message]
    sheet.append([_safe(f"{t['implausible']}: {' | '.join(absurd)}")] if absurd else [""])
    if absurd:
        sheet["A3"].font = Font(bold=True, color="C00000", size=12)
        sheet["A3"].fill = PatternFill("solid", fgColor="FFE0E0")
    sheet.append([t["tier"], t["without"], t["with"], t["provisional"]])
    _style_header(sheet, sheet.max_row)
    names = {}
    for i, tier in enumerate(a.without_embodied.verdicts.tiers):
        other = a.with_embodied.verdicts.tiers[i]
        names[tier.tier] = _safe(tier.name_zh if t is LABELS["zh"] and tier.name_zh else tier.name_en)
        sheet.append([names[tier.tier], t[tier.verdict], t[other.verdict], "*" if tier.provisional else ""])
    sheet.append(
        [
            t["reached"],
            names.get(a.without_embodied.verdicts.reached, t["none"]),
            names.get(a.with_embodied.verdicts.reached, t["none"]),
        ]
    )
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    _counted(sheet, a, t)
    sheet.append([""])
    sheet.append([t["metric"], t["without"], t["with"]])
    metrics_start = sheet.max_row
    _style_header(sheet, metrics_start)
    for key in a.without_embodied.metrics:
        sheet.append([key, a.without_embodied.metrics[key], a.with_embodied.metrics[key]])
        if key.endswith("_share"):
            for cell in sheet[sheet.max_row][1:3]:
                cell.number_format = "0.0%"
    sheet.append([""])
    sheet.append([t["module"], t["kgco2e"]])
    _style_header(sheet, sheet.max_row)
    module_start = sheet.max_row + 1
    e = a.embodied
    col = get_column_letter(ELEMENT_COLUMNS.index("a1_a3_kgco2e") + 1)
    sheet.append(["A1-A3", f"=SUM('{elements_title}'!{col}2:{col}{last_row})"])
    total = sheet.cell(row=sheet.max_row, column=2)
    total.number_format = "#,##0.00"
    sheet.parent.bimcarbon_formulas.add((sheet.title, total.coordinate))
    for label, value in (("A4", e.a4), ("A5", e.a5), ("B4", e.b4), ("C1-C4", e.c1_c4)):
        sheet.append([label, value if value is not None else t["not assessed"]])
    module_end = sheet.max_row
    parts = (e.a5_wastage, e.a5_site, e.c1, e.c2, e.c3_c4)
    for label, value in zip(t["module parts"].split("|"), parts, strict=True):
        sheet.append([label, value if value is not None else t["not assessed"]])
    sheet.append([t["stage"], t["kgco2e"], t["stage modules"]])
    _style_header(sheet, sheet.max_row)
    for stage in a.stages:
        name = f"{stage.name_zh} {stage.name_en}" if t is LABELS["en"] else stage.name_zh
        sheet.append([name, stage.kgco2e if stage.kgco2e is not None else t["not assessed"], stage.modules])
    sheet.append([t["embodied total"], e.embodied_total])
    sheet.append([t["biogenic"], e.biogenic_kgco2])
    sheet.append([t["floor area"], a.floor_area.value_m2, a.floor_area.source])
    sheet.append([""])
    sheet.append([t["benchmarks"], a.without_embodied.metrics.get("upfront_embodied_kg_per_m2")])
    _style_header(sheet, sheet.max_row)
    for tier in a.benchmarks.tiers:
        name = tier.name_zh if t is LABELS["zh"] and tier.name_zh else tier.name_en
        sheet.append([_safe(name), t[tier.verdict]])
    sheet.append([""])
    sheet.append([t["plausibility"]])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.append(t["plausibility header"].split("|"))
    _style_header(sheet, sheet.max_row)
    for f in a.plausibility.findings:
        sheet.append([_safe(f.label), f.value, f.unit, f.low, f.high, t[f.verdict], _safe(f.source)])
        if f.verdict == "absurd":
            for cell in sheet[sheet.max_row][:6]:
                cell.font = Font(bold=True, color="C00000")
    for line in a.plausibility.warnings():  # the figures behind each finding and its largest contributors
        sheet.append([_safe(line)])
    for row in sheet.iter_rows(min_row=metrics_start, max_row=sheet.max_row, min_col=2, max_col=3):
        for cell in row:
            if isinstance(cell.value, float) and cell.number_format != "0.0%":
                cell.number_format = "#,##0.00"
    chart = BarChart()
    chart.title = t["chart modules"]
    chart.add_data(
        Reference(sheet, min_col=2, min_row=module_start, max_row=module_end), titles_from_data=False
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=module_start, max_row=module_end))
    chart.legend = None
    sheet.add_chart(chart, "F4")
    compare = BarChart()
    compare.title = t["chart intensity"]
    compare.add_data(
        Reference(sheet, min_col=2, max_col=3, min_row=metrics_start, max_row=metrics_start + 2),
        titles_from_data=True,
    )
    compare.set_categories(Reference(sheet, min_col=1, min_row=metrics_start + 1, max_row=metrics_start + 2))
    sheet.add_chart(compare, "F22")
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 20
    sheet.column_dimensions["C"].width = 20
    sheet.freeze_panes = "A5"


def _criteria(sheet, run: AssessmentRun, t: dict) -> None:
    rows = []
    for mode, result in (
        ("without", run.assessment.without_embodied),
        ("with", run.assessment.with_embodied),
    ):
        for c in result.verdicts.criteria:
            rows.append(
                [t[mode], c.tier, c.criterion, c.metric, c.value, c.operator, c.threshold, c.unit, c.margin,
                 t[c.verdict], t["yes"] if c.provisional else t["no"], c.source]
            )  # fmt: skip
    write_rows(sheet, t["criteria header"].split("|"), rows)
    _style_header(sheet)


def _embodied(sheet, run: AssessmentRun, t: dict) -> None:
    components = run.components.merge(run.takeoff[["ifc_class", "storey"]], left_on="row", right_index=True)
    components = components.assign(
        a1_a3=pd.to_numeric(components["kgco2e"], errors="coerce"),
        a4=pd.to_numeric(components["a4_kgco2e"], errors="coerce"),
        b4=pd.to_numeric(components["b4_kgco2e"], errors="coerce"),
    )
    start = 1
    for key, label in (("material", t["material"]), ("ifc_class", t["ifc_class"]), ("storey", t["storey"])):
        grouped = (
            components.assign(**{key: components[key].fillna("(none)")})
            .groupby(key)[["a1_a3", "a4", "b4"]]
            .sum()
            .sort_values("a1_a3", ascending=False)
        )
        sheet.cell(row=start, column=1, value=label).font = Font(bold=True)
        sheet.cell(row=start, column=2, value="A1-A3").font = Font(bold=True)
        sheet.cell(row=start, column=3, value="A4").font = Font(bold=True)
        sheet.cell(row=start, column=4, value="B4").font = Font(bold=True)
        notes = _material_notes(components) if key == "material" else {}
        if notes:
            sheet.cell(row=start, column=5, value="notes").font = Font(bold=True)
        for i, (name, values) in enumerate(grouped.iterrows(), start=start + 1):
            sheet.cell(row=i, column=1, value=_safe(str(name)))
            for j, column in enumerate(("a1_a3", "a4", "b4"), start=2):
                sheet.cell(row=i, column=j, value=float(values[column])).number_format = "#,##0"
            if notes.get(name):
                sheet.cell(row=i, column=5, value=_safe(notes[name]))
        if key == "material" and len(grouped):
            chart = BarChart()
            chart.type = "bar"
            chart.title = t["chart materials"]
            top = min(len(grouped), 12)
            chart.add_data(
                Reference(sheet, min_col=2, min_row=start + 1, max_row=start + top), titles_from_data=False
            )
            chart.set_categories(Reference(sheet, min_col=1, min_row=start + 1, max_row=start + top))
            chart.legend = None
            sheet.add_chart(chart, "G2")
        start += len(grouped) + 3
    sheet.column_dimensions["A"].width = 40


def _material_notes(components: pd.DataFrame) -> dict[str, str]:
    """Per material (``(none)`` without one): its components' notes (proxy reasons, derived factors,
    defaults to check), each once, as ``factor: note``."""
    noted = components[components["use_note"].notna()]
    notes: dict[str, str] = {}
    for material, group in noted.groupby(noted["material"].fillna("(none)"), sort=False):
        lines = dict.fromkeys(f"{f}: {n}" for f, n in zip(group["factor_id"], group["use_note"], strict=True))
        notes[str(material)] = "; ".join(lines)
    return notes


def _operational(sheet, run: AssessmentRun) -> None:
    op = run.assessment.operational
    if op is None:
        write_rows(sheet, ["operational"], [[run.assessment.operational_note]])
        return
    rows = [[line.carrier, line.quantity, line.unit, line.factor_kgco2_per_unit, line.kgco2_per_year,
             line.factor_source] for line in op.lines]  # fmt: skip
    rows += [
        ["gross B6 kgCO2/a", op.gross_kgco2_per_year],
        ["green electricity credit", -op.green_electricity_credit_kgco2],
        ["exported PV credit", -op.exported_pv_credit_kgco2],
        ["offsets", -op.offsets_kgco2],
        ["net kgCO2/a", op.net_kgco2_per_year],
        ["baseline kgCO2/a", op.baseline_kgco2_per_year],
        ["grid factor", op.grid_factor_kgco2_per_kwh, "kgCO2/kWh", op.grid_factor_id],
    ]
    write_rows(sheet, ["carrier", "quantity", "unit", "factor", "kgCO2/a", "source"], rows)
    _style_header(sheet)


def _factors(sheet, run: AssessmentRun, library: FactorLibrary) -> None:
    used = sorted(run.components["factor_id"].dropna().unique())
    licences = {s.metadata.id: s.metadata.licence for s in library.sets}
    rows = []
    for fid in used:
        f = library.get(fid)
        rows.append([f.id, f.name_en, f.name_zh, f.declared_unit, f.value_kgco2e_per_unit, f.module,
                     f.status.value, f.source, f.factor_set, licences.get(f.factor_set, ""), f.status_note,
                     f.density_kg_per_m3, f.density_low_kg_per_m3, f.density_high_kg_per_m3,
                     f.density_source, f.density_status.value if f.density_status else None])  # fmt: skip
    header = ["id", "name_en", "name_zh", "declared_unit", "value_kgco2e_per_unit", "module", "status",
              "source", "factor_set", "licence", "status_note", "density_kg_per_m3", "density_low_kg_per_m3",
              "density_high_kg_per_m3", "density_source", "density_status"]  # fmt: skip
    write_rows(sheet, header, rows)
    _style_header(sheet)


def _coverage(sheet, run: AssessmentRun) -> None:
    cover = run.assessment.coverage
    rows = [[k, v] for k, v in cover.model_dump().items() if k != "unmapped"]
    rows += [["unmapped", m.material, m.volume_m3, m.mass_kg, m.status, m.reason] for m in cover.unmapped]
    rows += [["warning", w] for w in run.assessment.warnings]
    write_rows(sheet, ["item", "value"], rows)
    _style_header(sheet)


def _parameters(sheet, run: AssessmentRun) -> None:
    a = run.assessment
    rows = [
        ["tool_version", a.tool_version],
        ["model_path", a.model_path],
        ["model_sha256", a.model_sha256],
        ["schema", a.schema_name],
        ["criteria_pack", a.criteria_pack],
        ["design_life_years", a.design_life_years],
        ["design_life_source", a.design_life_source],
    ]
    rows += [["factor_set", s] for s in a.factor_sets]
    rows += [["rule_set", s] for s in a.rule_sets]
    rows += [[f"parameter: {k}", str(v)] for k, v in a.parameters.items()]
    write_rows(sheet, ["item", "value"], rows)
    _style_header(sheet)
