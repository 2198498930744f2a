"""Uncertainty of an assessment: Monte Carlo over the matched components, and the embodied break-even.

``spreads`` (the default spreads, data in ``factors/uncertainty.yaml``), ``inputs`` (the uncertain
inputs of a run and the groups of components they act on), ``keys`` (which inputs each
component depends on), ``sampling`` (seeded draws and the
vectorised totals and metrics), ``tiers`` (the criteria evaluated per sample), ``sensitivity`` (the
contributors to the variance), ``caveats`` (why the ranges may lie around a wrong figure:
said beside them), ``result`` (what the JSON holds), ``breakeven`` (the upfront embodied
intensity at which counting embodied emissions flips each tier) and ``run`` (all of it on an
:class:`~bimcarbon.assess.AssessmentRun`). Pure numpy and pandas: no IFC. See docs/uncertainty.md.

This package imports nothing at import time, so that :mod:`bimcarbon.assess` can use its result models.
"""
