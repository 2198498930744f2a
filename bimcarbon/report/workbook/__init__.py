"""The Excel compliance workbook: verdicts first, then the evidence, every figure traceable.

Every number on the Summary, Criteria, Embodied and Operational sheets is a formula over cells of the
workbook, or an input shown in a marked (yellow) cell: factors, quantities and masses per element,
densities, distances, transport factors, A5 and C rates, service lives, design life, floor area, grid
factor, energy per carrier, thresholds. Each formula is stored with the value bimcarbon computed, so
any reader sees the numbers without recalculating; a reviewer who changes an input and recalculates
sees totals, intensities, margins and verdicts follow. Labels in English or Simplified Chinese; text
from the model is always text, never a formula. Renders an :class:`~bimcarbon.assess.AssessmentRun`.
"""

from __future__ import annotations

from pathlib import Path

from bimcarbon.assess import AssessmentRun
from bimcarbon.errors import OutputError
from bimcarbon.factors import FactorLibrary
from bimcarbon.report.workbook.book import Book, workbook_path
from bimcarbon.report.workbook.criteria import write_criteria
from bimcarbon.report.workbook.data_zh import DataText, model_pairs
from bimcarbon.report.workbook.elements import write_elements
from bimcarbon.report.workbook.embodied import write_embodied
from bimcarbon.report.workbook.evidence import write_coverage, write_factors, write_parameters
from bimcarbon.report.workbook.gbt_report import write_report
from bimcarbon.report.workbook.inputs import write_inputs
from bimcarbon.report.workbook.labels import LABELS, reasons_zh
from bimcarbon.report.workbook.operational import write_operational
from bimcarbon.report.workbook.summary import write_summary
from bimcarbon.report.workbook.uncertainty import write_uncertainty
from bimcarbon.report.workbook.uncertainty_labels import UNCERTAINTY_LABELS

__all__ = ["LABELS", "write_workbook"]


def write_workbook(run: AssessmentRun, library: FactorLibrary, path: str | Path, lang: str = "en") -> Path:
    """Write the compliance workbook.

    Parameters
    ----------
    run
        The assessment and its tables (with the life-cycle defaults and transport factors it used).
    library
        The factors used (for the Factors sheet: values, sources and licences).
    path
        ``.xlsx`` file to write.
    lang
        ``en`` or ``zh``.
    """
    path = workbook_path(path, lang, LABELS)
    # the labels, and the text of the data files (sources, notes, reasons) in the same language
    own = {}
    if lang == "zh":  # the texts of the run's data files, the person's own included, and the rules' reasons
        own = model_pairs([run.library, run.rule_sets, run.assumptions, run.lifecycle, run.transport])
        own |= reasons_zh(run)
    t = {**LABELS[lang], "data": DataText(lang, own)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        book = Book(path)
        # sheets in reading order; filled in dependency order (a formula names cells defined elsewhere)
        summary = book.sheet(t["Summary"])
        report = book.sheet(t["Report"])
        criteria = book.sheet(t["Criteria"])
        uncertainty = book.sheet(UNCERTAINTY_LABELS[lang]["sheet"])
        embodied = book.sheet(t["Embodied"])
        operational = book.sheet(t["Operational"])
        inputs = book.sheet(t["Inputs"])
        elements = book.sheet(t["Elements"])
        factors = book.sheet(t["Factors"])
        coverage = book.sheet(t["Coverage"])
        parameters = book.sheet(t["Parameters"])
        categories = write_inputs(book, inputs, run, t)
        factor_ids, factor_values = write_factors(factors, run, library, t)
        ranges = write_elements(elements, run, t, categories, factor_ids, factor_values)
        write_embodied(book, embodied, run, t, ranges)
        write_operational(book, operational, run, t)
        verdicts = write_criteria(book, criteria, run, t)
        write_uncertainty(uncertainty, run, t)
        write_summary(book, summary, run, t, verdicts, ranges)
        write_report(book, report, run, t, ranges, categories)
        write_coverage(coverage, run, t)
        write_parameters(parameters, run, t)
        book.close()
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", path) from exc
    return path
