"""Two assessments of a building (design variants, or two exports of one model) compared element by
element: ``bimcarbon compare BASE VARIANT`` and the web app's compare page.

``pairing`` (which element is which: GlobalId, then class, type, storey and position), ``diff`` (deltas
per element, material, class, storey and module, and their balance), ``figures`` (verdicts, metrics and
modules of both sides: also for assessments without per-element results), ``inputs`` (what changed in
the inputs), ``sides`` (reading and refusing a side; assessing a model), ``comparison``
(:func:`compare_assessments`), ``model`` (the JSON format ``bimcarbon.comparison``). See docs/compare.md.
"""

from __future__ import annotations

from bimcarbon.compare.comparison import compare_assessments
from bimcarbon.compare.model import COMPARISON_FORMAT_VERSION, Comparison

__all__ = ["COMPARISON_FORMAT_VERSION", "Comparison", "compare_assessments"]
