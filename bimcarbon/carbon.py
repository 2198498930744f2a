"""Pure arithmetic: quantities in each factor's unit x the factor's value = kgCO2e per module.

Vectorised over the matched components; no IFC, no files.
"""

from __future__ import annotations

import pandas as pd

from bimcarbon.factors import FactorLibrary
from bimcarbon.matching import Matched


def embodied(matched: Matched, library: FactorLibrary) -> pd.DataFrame:
    """Emissions of every matched component.

    Parameters
    ----------
    matched
        Result of :func:`bimcarbon.matching.match`.
    library
        The factors the components refer to.

    Returns
    -------
    pandas.DataFrame
        The components with ``value_kgco2e_per_unit``, ``module``, ``factor_status``, ``kgco2e``
        (quantity x value; NaN where the quantity could not be converted: never zero) and
        ``biogenic_kgco2`` (mass x the factor's biogenic carbon content, where it has one; stored
        carbon, reported separately and never subtracted).
    """
    components = matched.components.copy()
    factors = {fid: library.get(fid) for fid in components["factor_id"].unique()}
    components["value_kgco2e_per_unit"] = components["factor_id"].map(
        {fid: f.value_kgco2e_per_unit for fid, f in factors.items()}
    )
    components["module"] = components["factor_id"].map({fid: f.module for fid, f in factors.items()})
    components["factor_status"] = components["factor_id"].map(
        {fid: f.status.value for fid, f in factors.items()}
    )
    components["kgco2e"] = components["quantity"].astype(float) * components["value_kgco2e_per_unit"].astype(
        float
    )
    # Carbon stored in bio-based material (EN 16449), reported beside the emissions and never netted.
    biogenic = components["factor_id"].map({fid: f.biogenic_kgco2_per_kg for fid, f in factors.items()})
    components["biogenic_kgco2"] = components["mass_kg"].astype(float) * biogenic.astype(float)
    return components
