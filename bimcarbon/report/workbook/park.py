"""The park compliance workbook (``bimcarbon park PARK.yaml -o park.xlsx``): the park's verdicts first,
then the buildings and the evidence, every park total traceable to its buildings.

Sheets, in reading order: Overview (park verdicts in both modes, figures with the coal basis, the energy
balance, warnings, provisional thresholds, what is not assessed), Buildings (one row per building, failed
ones with their reason), Embodied by building (modules per building and the park's totals as SUMs over
them), Embodied by material (A1-A3 by material across the park, formulas over each building's rows),
Energy balance (the documented order, each step a formula), Park criteria (values, margins and verdicts
as formulas over marked thresholds) and Parameters and sources.

Each building's figures are marked inputs taken from its assessment (the same dict ``assess --json``
writes, embedded in the park JSON at ``buildings[n].assessment``); every park figure is a formula over
them, stored with the value bimcarbon computed, so any reader sees the numbers without recalculating and
a reviewer who changes an input and recalculates sees the totals, the balance, the metrics and the
verdicts follow. Failed buildings keep their row with their reason and are in no sum. Labels in English
or Simplified Chinese (the building workbook's machinery: the labels, data-file texts by their ``_zh``
fields, warnings rewritten by their wording). Renders a :class:`~bimcarbon.park.run.ParkAssessment`.
"""

from __future__ import annotations

from pathlib import Path

from bimcarbon.criteria import CriteriaPack, load_pack
from bimcarbon.errors import BimcarbonError, OutputError
from bimcarbon.park.coal import load_coal
from bimcarbon.park.run import ParkAssessment, ParkRun
from bimcarbon.report.workbook.book import Book, workbook_path
from bimcarbon.report.workbook.data_zh import DataText, model_pairs
from bimcarbon.report.workbook.park_balance import write_balance
from bimcarbon.report.workbook.park_buildings import write_buildings
from bimcarbon.report.workbook.park_criteria import write_park_criteria
from bimcarbon.report.workbook.park_embodied import write_embodied, write_materials
from bimcarbon.report.workbook.park_labels import PARK_LABELS
from bimcarbon.report.workbook.park_messages_zh import ParkText
from bimcarbon.report.workbook.park_overview import write_overview
from bimcarbon.report.workbook.park_parameters import write_parameters

__all__ = ["PARK_LABELS", "write_park_workbook", "write_run_workbook"]


def write_park_workbook(
    park: ParkAssessment,
    path: str | Path,
    lang: str = "en",
    park_pack: CriteriaPack | None = None,
    building_pack: CriteriaPack | None = None,
) -> Path:
    """Write the park compliance workbook.

    Parameters
    ----------
    park
        The park assessment (``assess_park(...).assessment``, or the park JSON read back).
    path
        ``.xlsx`` file to write.
    lang
        ``en`` or ``zh``.
    park_pack, building_pack
        The criteria packs used (for their sources and, in Chinese, a person's own pack's ``_zh`` texts);
        when not given, the shipped pack of the id the assessment names, if there is one.
    """
    path = workbook_path(path, lang, PARK_LABELS, "the park workbook")
    park_pack = park_pack or _shipped(park.parameters.get("criteria"), "park")
    building_pack = building_pack or _shipped(park.parameters.get("building_criteria"), "building")
    coal = load_coal()
    own = model_pairs([p for p in (park_pack, building_pack) if p is not None]) if lang == "zh" else {}
    t = {**PARK_LABELS[lang], "data": DataText(lang, own)}
    text = ParkText(park, t)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        book = Book(path)
        # sheets in reading order; filled in dependency order (a formula names cells defined elsewhere)
        overview = book.sheet(t["Overview"])
        buildings = book.sheet(t["Buildings"])
        embodied = book.sheet(t["Embodied by building"])
        materials = book.sheet(t["Embodied by material"])
        balance = book.sheet(t["Energy balance"])
        criteria = book.sheet(t["Park criteria"])
        parameters = book.sheet(t["Park parameters"])
        embodied_cells = write_embodied(book, embodied, park, t, text)
        balance_cells = write_balance(book, balance, park, t, text)
        write_buildings(buildings, park, t, text, embodied_cells, balance_cells)
        write_materials(materials, park, t)
        verdicts = write_park_criteria(book, criteria, park, t, text)
        write_overview(book, overview, park, t, text, verdicts)
        write_parameters(parameters, park, t, (park_pack, building_pack), coal)
        book.close()
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", path) from exc
    return path


def write_run_workbook(run: ParkRun, path: str | Path, lang: str = "en") -> Path:
    """Write the park workbook of a park run, with the criteria packs its park file chose (a person's own
    pack files included)."""
    spec = run.spec
    return write_park_workbook(
        run.assessment, path, lang, load_pack(spec.criteria, kind="park"), load_pack(spec.building_criteria)
    )


def _shipped(pack_id: object, kind: str) -> CriteriaPack | None:
    """The shipped pack of this id, or None (a person's own pack file is not found by its id)."""
    if not isinstance(pack_id, str):
        return None
    try:
        return load_pack(pack_id, kind=kind)
    except BimcarbonError:
        return None
