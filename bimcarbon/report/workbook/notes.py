"""The notes a reviewer reads next to the verdicts, in the workbook's language: the completeness check,
the gate on the with-embodied verdicts, the operational energy and the benchmarks. English is the
assessment's own text; Chinese is composed from the same figures."""

from __future__ import annotations

import re

from bimcarbon.assess import Assessment


def completeness_note(a: Assessment, lang: str) -> str:
    """How much of the mass is counted, and how parts without a known mass were weighed."""
    c = a.coverage
    if lang != "zh":
        return c.completeness_note
    total = c.mass_mapped_kg + c.mass_assumed_kg + c.mass_left_out_kg
    if total <= 0:
        return "无法判断:模型中没有材料体积或质量"
    note = (
        f"已计入质量占 {(c.mass_mapped_kg + c.mass_assumed_kg) / total:.1%}"
        f"(其中按假定计入 {c.mass_assumed_kg / total:.1%})"
    )
    if c.volume_without_mass_m3 > 0:
        note += (
            f";无已知质量的部件共 {c.volume_without_mass_m3:,.3f} m³,按估算计重:未计入部分按混凝土"
            " 2400 kg/m³ 计(不按轻质计),已计入部分按模型已知材料的平均密度计"
        )
    return note


def gate_note(a: Assessment, lang: str) -> str:
    """Why the with-embodied verdicts are not assessable, or that an incomplete total was accepted."""
    w = a.with_embodied
    if lang != "zh" or not w.note:
        return w.note
    c = a.coverage
    share = c.mass_share_mapped + c.mass_share_assumed
    need = f"须达 {c.completeness_threshold:.0%}(GB/T 51366-2019 第 6.1.2 条,通常引用,未经原文核实)"
    if w.accepted_incomplete:
        return (
            f"已接受不完整的隐含碳(--accept-incomplete):已计入质量 {share:.1%},{need};"
            f"基准建筑的参考隐含碳按相同比例 {share:.1%} 计入,计入隐含碳的结论均据此标注"
        )
    return (
        f"计入隐含碳的结论无法评估:隐含碳不完整(已计入质量 {share:.1%},{need})。"
        "请在映射文件中补充或假定缺失的材料,或以 --accept-incomplete 接受并标注"
    )


def operational_note(a: Assessment, lang: str) -> str:
    """Whether the operational energy was given, complete, or why not."""
    note = a.operational_note
    if lang != "zh":
        return note
    note = note.replace("not provided: no energy file", "未提供:无能耗文件")
    note = re.sub(
        r"PV self-consumed \(([\d.,e+]+) kWh\) is more than the electricity used \(([\d.,e+]+) kWh\): the "
        r"excess is not credited; count it as exported",
        r"光伏自用电量(\1 kWh)大于用电量(\2 kWh):超出部分不予抵扣,请计为上网电量",
        note,
    )
    return note.replace("incomplete: ", "不完整:").replace("provided", "已提供")


def benchmarks_note(a: Assessment, lang: str) -> str:
    """Why the benchmarks were not assessed, if they were not."""
    note = a.benchmarks.note
    if lang != "zh" or not note:
        return note
    if note.startswith("the embodied total is incomplete"):
        return f"隐含碳合计不完整({completeness_note(a, 'zh')}):未评估参考基准"
    return note
