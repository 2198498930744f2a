"""The notes a reviewer reads next to the verdicts, in the workbook's language: the completeness check
and the gate on the with-embodied verdicts. English is the assessment's own text; Chinese is composed
from the same figures."""

from __future__ import annotations

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
