"""An assessment as an LCAx project: the open exchange format for LCA results (https://lcax.kongsgaard.eu).

Pure conversion of an :class:`~bimcarbon.assess.AssessmentRun` into the plain JSON data that the ``lcax``
package's ``Project`` model reads (its camelCase layout, format 3.8.0); no file and no ``lcax`` import
here: :mod:`bimcarbon.exchange.lcax_file` parses the data with the package's model, validates it and
writes it. What maps where, and what LCAx cannot hold: docs/exchange.md, section "LCAx export".

* One **assembly per IFC class** (quantity 1 piece: every element of the class as one lot), with one
  **product per (material, factor, matched or assumed)**, named "material: factor": its quantity in the
  factor's declared unit,
  the factor as LCAx generic data (A1-A3 per declared unit, its source, id and status), and bimcarbon's
  life-cycle scenario for the product (A4, A5 wastage, B4, C2, C3 or C4 per declared unit) as a second
  generic data. LCAx multiplies each by the product's quantity and adds them: the results are the
  assessment's.
* Parts bimcarbon leaves out (no factor, a quantity it cannot convert, only air) are products with no
  impact data, in their class's assembly, so that nothing vanishes.
* A5 site activity and C1 are per m2 of floor area, not per element: they are products of one
  "building level" assembly. Operational energy (B6) is an assembly of one product per carrier, used
  per year and flagged ``isAnnual`` (LCAx multiplies it by the reference study period).
* What LCAx has no field for (verdicts, flags, quantity sources, coverage, plausibility, uncertainty,
  biogenic carbon, credits) is in ``metaData["bimcarbon"]`` of the project, assembly or product.

Texts that LCAx's calculation reads are kept free of words it acts on: a product's description never
holds the model's text (LCAx 3.8 treats a description with "annual" as a quantity per year) and the
scenario's name and comment hold no number (two impact data that each name a year are read as a time
series).
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from bimcarbon.assess import Assessment, AssessmentRun
    from bimcarbon.factors import Factor, FactorLibrary

#: The LCAx format the data follows (the ``lcax`` package's version that reads it).
LCAX_FORMAT_VERSION = "3.8.0"
#: Version of what bimcarbon writes into an LCAx project (its metaData and structure).
BIMCARBON_LCAX_VERSION = 1
#: LCAx units of bimcarbon's declared units.
UNITS = {"kg": "kg", "t": "tones", "m3": "m3", "m2": "m2", "m": "m", "piece": "pcs"}
#: kWh in one GJ (exact: 10^9 J / 3.6 x 10^6 J).
KWH_PER_GJ = 1e9 / 3.6e6
#: LCAx units of the energy file's carriers (district heat in GJ becomes kWh: LCAx has no GJ).
ENERGY_UNITS = {"kWh": ("kwh", 1.0), "m3": ("m3", 1.0), "kg": ("kg", 1.0), "GJ": ("kwh", KWH_PER_GJ)}
#: LCAx modules of the element-level component columns; C3-C4 go to C3 or C4 by the end-of-life route.
ELEMENT_MODULES = (
    ("a1a3", "kgco2e"),
    ("a4", "a4_kgco2e"),
    ("a5", "a5_wastage_kgco2e"),
    ("b4", "b4_kgco2e"),
    ("c2", "c2_kgco2e"),
)
#: Every LCAx module bimcarbon writes, in EN 15978 order.
MODULE_ORDER = ("a1a3", "a4", "a5", "b4", "b6", "c1", "c2", "c3", "c4")
#: Names of the assemblies that are not an IFC class.
BUILDING_LEVEL = "Building level: A5 site activity and C1 demolition"
OPERATIONAL = "Operational energy (B6)"
SCENARIO_NAME = "bimcarbon life-cycle scenario"
NO_MATERIAL = "(no material)"
#: Namespace of the ids bimcarbon gives LCAx objects (UUID 5 of the model's hash and the object's key,
#: so that the same model exports the same ids).
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/bimcarbon/bimcarbon/lcax")


def lcax_project(run: AssessmentRun, format_version: str = LCAX_FORMAT_VERSION) -> dict:
    """The assessment as an LCAx project (the JSON data of ``lcax.Project``).

    Parameters
    ----------
    run
        An assessment with the tables behind it (:func:`bimcarbon.assess.assess`): the components with
        their modules, the matched parts and the factor library.
    format_version
        The LCAx format version written in the project.

    Returns
    -------
    dict
        The project: assemblies per IFC class, the building-level assembly, the operational energy;
        ``results`` per module, kgCO2e, equal to the assessment's (:func:`module_totals`).
    """
    assessment = run.assessment
    study_period = reference_study_period(assessment.design_life_years)
    ids = _Ids(assessment.model_sha256)
    assemblies = _class_assemblies(run, study_period, ids)
    building = _building_assembly(run, study_period, ids)
    if building is not None:
        assemblies.append(building)
    energy = _energy_assembly(assessment, study_period, ids)
    if energy is not None:
        assemblies.append(energy)
    modules = [m for m in MODULE_ORDER if m in lcax_modules(assessment)]
    results = {m: sum(_result(a, m) for a in assemblies) for m in modules}
    energy_input = assessment.parameters.get("energy") or {}
    project = {
        "id": ids.of("project"),
        "name": energy_input.get("project") or assessment.model_name,
        "description": (
            f"Whole-life carbon of {assessment.model_name} assessed by bimcarbon {assessment.tool_version} "
            f"from its IFC model ({assessment.schema_name})"
        ),
        "comment": _project_comment(assessment),
        "location": {"country": "chn", "city": None, "address": energy_input.get("location") or None},
        "owner": None,
        "formatVersion": format_version,
        "lciaMethod": "GB/T 51366-2019",
        "classificationSystems": ["IFC"],
        "referenceStudyPeriod": study_period,
        "lifeCycleModules": modules,
        "impactCategories": ["gwp"],
        "assemblies": assemblies,
        "results": _impacts(results),
        "projectInfo": _building_info(assessment),
        "projectPhase": "other",
        "softwareInfo": {
            "lcaSoftware": "bimcarbon",
            "lcaSoftwareVersion": assessment.tool_version,
            "goalAndScopeDefinition": (
                f"Embodied (A1-A5, B4, C1-C4) and operational (B6) carbon of one building against the "
                f"criteria pack {assessment.criteria_pack}, with embodied emissions counted and not counted"
            ),
            "calculationType": "IFC quantity take-off x emission factors (GB/T 51366-2019 method)",
        },
        "metaData": {"bimcarbon": _project_meta(assessment, study_period)},
    }
    _drop_null_metadata(project)
    return project


def reference_study_period(design_life_years: float) -> int:
    """LCAx's reference study period (whole years) for a design life: the design life, rounded."""
    return max(1, int(round(design_life_years)))


def lcax_modules(assessment: Assessment) -> set[str]:
    """The LCAx modules the assessment assessed: C1 needs a floor area, B6 a complete energy use."""
    modules = {"a1a3", "a4", "a5", "b4", "c2", "c3", "c4"}
    if assessment.embodied.c1 is not None:
        modules.add("c1")
    if _b6_over_life(assessment) is not None:
        modules.add("b6")
    return modules


def module_totals(assessment: Assessment) -> dict[str, float]:
    """The assessment's totals per module, kgCO2e, keyed as :func:`lcax_totals` keys an LCAx project's
    results (C3 and C4 together as ``c3_c4``: bimcarbon has one number for both; B6 over the design life).
    """
    embodied = assessment.embodied
    totals = {
        "a1a3": embodied.a1_a3,
        "a4": embodied.a4,
        "a5": embodied.a5,
        "b4": embodied.b4,
        "c1": embodied.c1,
        "c2": embodied.c2,
        "c3_c4": embodied.c3_c4,
        "b6": _b6_over_life(assessment),
    }
    return {key: float(value) for key, value in totals.items() if value is not None}


def lcax_totals(results: dict) -> dict[str, float]:
    """An LCAx ``results`` (``{"gwp": {module: kgCO2e}}``) keyed as :func:`module_totals`."""
    gwp = {key: float(value) for key, value in (results or {}).get("gwp", {}).items() if value is not None}
    totals = {key: value for key, value in gwp.items() if key not in ("c3", "c4")}
    if "c3" in gwp or "c4" in gwp:
        totals["c3_c4"] = gwp.get("c3", 0.0) + gwp.get("c4", 0.0)
    return totals


class _Ids:
    """Stable ids: UUID 5 of the model's hash and the object's key."""

    def __init__(self, model_sha256: str) -> None:
        self.namespace = uuid.uuid5(ID_NAMESPACE, model_sha256)

    def of(self, *key: object) -> str:
        return str(uuid.uuid5(self.namespace, json.dumps([str(k) for k in key])))


def _class_assemblies(run: AssessmentRun, study_period: int, ids: _Ids) -> list[dict]:
    """One assembly per IFC class, with its counted and left-out products, in class order."""
    frame = _component_frame(run)
    counted = frame[frame["a1a3"].notna()]
    products: dict[str, list[tuple[float, dict]]] = {}
    keys = ["ifc_class", "material", "factor_id", "assumed"]
    for (ifc_class, material, factor_id, assumed), group in counted.groupby(keys, sort=False):
        factor = run.library.get(factor_id)
        product = _material_product(
            group, material, factor, bool(assumed), study_period, ids, run.library, run.assessment
        )
        products.setdefault(ifc_class, []).append((float(group["a1a3"].sum()), product))
    for ifc_class, group_products in products.items():  # the largest A1-A3 first
        products[ifc_class] = sorted(group_products, key=lambda pair: -pair[0])
    unconvertible = frame[frame["a1a3"].isna()]
    for (ifc_class, material, factor_id), group in unconvertible.groupby(keys[:3], sort=False):
        product = _unconvertible_product(group, material, run.library.get(factor_id), study_period, ids)
        products.setdefault(ifc_class, []).append((0.0, product))
    parts = run.parts
    without = parts[~parts.index.isin(run.components["row"])]
    if not without.empty:
        without = without.assign(
            material=without["material"].where(without["material"].notna(), NO_MATERIAL),
            void=without["has_mass"].eq(False),
        )
        by_kind = without.groupby(["ifc_class", "material", "void"], sort=False)
        for (ifc_class, material, void), group in by_kind:
            product = _left_out_product(group, material, bool(void), study_period, ids)
            products.setdefault(ifc_class, []).append((0.0, product))
    statuses = _status_counts(run.assessment)
    return [
        _class_assembly(ifc_class, [p for _, p in products[ifc_class]], statuses.get(ifc_class, {}), ids)
        for ifc_class in sorted(products)
    ]


def _component_frame(run: AssessmentRun) -> pd.DataFrame:
    """The components with their part's class, element, flags and quantity source; C3-C4 split into C3
    (waste processing) and C4 (landfill) by the end-of-life route."""
    components, parts = run.components, run.parts
    rows = components["row"].to_numpy()
    part = parts.reindex(rows)
    route = components["eol_route"].astype(object)
    c3_c4 = pd.to_numeric(components["c3_c4_kgco2e"], errors="coerce")
    landfill = route.map(lambda r: isinstance(r, str) and "landfill" in r).astype(bool)
    frame = pd.DataFrame(
        {
            "row": rows,
            "ifc_class": part["ifc_class"].to_numpy(),
            "step_id": part["step_id"].to_numpy(),
            "global_id": part["global_id"].to_numpy(),
            "flags": part["flags"].to_numpy(),
            "quantity_source": part["quantity_source"].to_numpy(),
            "volume_m3": pd.to_numeric(part["volume_m3"], errors="coerce").to_numpy(),
            "material": components["material"].where(components["material"].notna(), NO_MATERIAL).to_numpy(),
            "factor_id": components["factor_id"].to_numpy(),
            "assumed": components["assumed"].fillna(False).astype(bool).to_numpy(),
            "quantity": pd.to_numeric(components["quantity"], errors="coerce").to_numpy(),
            "mass_kg": pd.to_numeric(components["mass_kg"], errors="coerce").to_numpy(),
            "c3": c3_c4.where(~landfill, 0.0).to_numpy(),
            "c4": c3_c4.where(landfill, 0.0).to_numpy(),
            "eol_route": route.to_numpy(),
            "distance_km": components["distance_km"].to_numpy(),
            "wastage_share": components["wastage_share"].to_numpy(),
            "service_life_years": components["service_life_years"].to_numpy(),
            "replacements": components["replacements"].to_numpy(),
            "use_note": components["use_note"].to_numpy(),
            "reason": components["reason"].to_numpy(),
        }
    )
    for key, column in ELEMENT_MODULES:
        frame[key] = pd.to_numeric(components[column], errors="coerce").to_numpy()
    return frame


def _material_product(
    group: pd.DataFrame,
    material: str,
    factor: Factor,
    assumed: bool,
    study_period: int,
    ids: _Ids,
    library: FactorLibrary,
    assessment: Assessment,
) -> dict:
    """A product of counted components: the factor and the life-cycle scenario as its impact data."""
    ifc_class = str(group["ifc_class"].iloc[0])
    unit = UNITS[factor.declared_unit]
    quantity = float(group["quantity"].sum())
    totals = {key: _nansum(group[key]) for key in ("a1a3", "a4", "a5", "b4", "c2", "c3", "c4")}
    scenario = {key: value for key, value in totals.items() if key != "a1a3"}
    per_unit = {key: (value / quantity if quantity else 0.0) for key, value in scenario.items()}
    lives = group["service_life_years"].dropna()
    service_life = int(round(float(lives.iloc[0]))) if len(lives) else study_period
    key = ("product", ifc_class, material, factor.id, assumed)
    status = "assumed" if assumed else "matched"
    meta = {
        "status": status,
        "factor_id": factor.id,
        "factor_status": factor.status.value,
        "quantity": quantity,
        "declared_unit": factor.declared_unit,
        "mass_kg": _nansum_or_none(group["mass_kg"]),
        "volume_m3": _volume(group),
        "elements": int(group["step_id"].nunique()),
        "global_ids": _distinct(group["global_id"]),
        "quantity_sources": _distinct(group["quantity_source"]),
        "flags": _distinct_flags(group["flags"]),
        "notes": _distinct(group["use_note"]),
    }
    if quantity == 0 and any(scenario.values()):
        meta["warning"] = "quantity 0 with emissions beyond A1-A3: LCAx recalculates them as 0"
    return {
        "type": "product",
        "id": ids.of(*key),
        "name": f"{material}: {factor.name_en}" + (" (assumed)" if assumed else ""),
        "description": (
            f"{'Assumed' if assumed else 'Matched'} material of the class's elements, in the factor's "
            "declared unit; impact data: the emission factor and bimcarbon's life-cycle scenario"
        ),
        "referenceServiceLife": max(1, service_life),
        "impactData": [
            _factor_data(factor, library),
            _scenario_data(group, per_unit, unit, ids.of("scenario", *key), assessment),
        ],
        "quantity": quantity,
        "unit": unit,
        "transport": None,
        "results": _impacts(totals),
        "metaData": {"bimcarbon": meta},
    }


def _factor_data(factor: Factor, library: FactorLibrary) -> dict:
    """The emission factor as LCAx generic data: A1-A3 per declared unit, its source, id and status
    (bimcarbon counts every material factor as A1-A3; the factor's own module is in metaData)."""
    url = next((s.metadata.url for s in library.sets if s.metadata.id == factor.factor_set), "")
    status = f"status: {factor.status.value}" + (f" ({factor.status_note})" if factor.status_note else "")
    return {
        "type": "EPD",  # lcax 3.8 tags generic data so; it is told from an EPD by its fields
        "id": factor.id,
        "name": factor.name_en,
        "declaredUnit": UNITS[factor.declared_unit],
        "source": {"name": factor.source, "url": url or None},
        "comment": f"bimcarbon emission factor {factor.id}, {status}",
        "conversions": None,
        "impacts": _impacts({"a1a3": factor.value_kgco2e_per_unit}),
        "metaData": {
            "bimcarbon": {
                "role": "emission factor",
                "factor_id": factor.id,
                "name_zh": factor.name_zh,
                "category": factor.category,
                "module": factor.module,
                "value_kgco2e_per_unit": factor.value_kgco2e_per_unit,
                "value_low_kgco2e_per_unit": factor.value_low_kgco2e_per_unit,
                "value_high_kgco2e_per_unit": factor.value_high_kgco2e_per_unit,
                "density_kg_per_m3": factor.density_kg_per_m3,
                "density_source": factor.density_source,
                "biogenic_kgco2_per_kg": factor.biogenic_kgco2_per_kg,
                "status": factor.status.value,
                "status_note": factor.status_note,
                "factor_set": factor.factor_set,
            }
        },
    }


def _scenario_data(
    group: pd.DataFrame, per_unit: dict[str, float], unit: str, data_id: str, assessment: Assessment
) -> dict:
    """bimcarbon's life-cycle scenario of one product as LCAx generic data: A4, A5 wastage, B4, C2, C3
    and C4 per declared unit (each module's total over the product / its quantity)."""
    defaults = assessment.parameters.get("lifecycle_defaults")
    return {
        "type": "EPD",
        "id": data_id,
        "name": SCENARIO_NAME,
        "declaredUnit": unit,
        "source": {"name": f"bimcarbon life-cycle defaults: {defaults}"},
        "comment": (
            "A4 transport, A5 wastage, B4 replacements, C2 demolition transport and C3 or C4 waste "
            "treatment of this product per declared unit, as bimcarbon computed them"
        ),
        "conversions": None,
        "impacts": _impacts(per_unit),
        "metaData": {
            "bimcarbon": {
                "role": "life-cycle scenario",
                "a4_distance_km": _single(group["distance_km"]),
                "a5_wastage_share": _single(group["wastage_share"]),
                "service_life_years": _single(group["service_life_years"]),
                "b4_replacements": _single(group["replacements"]),
                "end_of_life_route": _single(group["eol_route"]),
            }
        },
    }


def _unconvertible_product(
    group: pd.DataFrame, material: str, factor: Factor, study_period: int, ids: _Ids
) -> dict:
    """Components matched to a factor whose quantity could not be converted to its unit: left out,
    listed without impact data (quantity unknown, written as 0)."""
    ifc_class = str(group["ifc_class"].iloc[0])
    meta = {
        "status": "left out",
        "why": "quantity not convertible to the factor's unit",
        "reasons": _distinct(group["reason"]),
        "factor_id": factor.id,
        "quantity": None,
        "volume_m3": _volume(group),
        "elements": int(group["step_id"].nunique()),
        "global_ids": _distinct(group["global_id"]),
        "quantity_sources": _distinct(group["quantity_source"]),
        "flags": _distinct_flags(group["flags"]),
    }
    return _empty_product(
        ids.of("left out", ifc_class, material, factor.id),
        material,
        "Left out: matched to a factor, but its quantity could not be converted to the factor's unit "
        "(quantity unknown, written as 0; no impact data)",
        UNITS[factor.declared_unit],
        study_period,
        meta,
    )


def _left_out_product(group: pd.DataFrame, material: str, void: bool, study_period: int, ids: _Ids) -> dict:
    """Parts with no factor (or only air): listed without impact data, their volume as quantity."""
    ifc_class = str(group["ifc_class"].iloc[0])
    volume = _volume(group)
    meta = {
        "status": "void" if void else "left out",
        "why": "only air (a void layer)" if void else "no factor matched",
        "match_status": _distinct(group["match_status"]),
        "reasons": _distinct(group["reason"]) if "reason" in group else [],
        "quantity": volume,
        "elements": int(group["step_id"].nunique()),
        "global_ids": _distinct(group["global_id"]),
        "quantity_sources": _distinct(group["quantity_source"]),
        "flags": _distinct_flags(group["flags"]),
    }
    description = (
        "Void: only air, no material to count (no impact data)"
        if void
        else "Left out: no emission factor matched this material (no impact data; quantity: its volume"
        + (")" if volume is not None else ", unknown, written as 0)")
    )
    return _empty_product(
        ids.of("left out", ifc_class, material, "void" if void else "no factor"),
        material,
        description,
        "m3",
        study_period,
        meta,
        volume or 0.0,
    )


def _empty_product(
    product_id: str,
    name: str,
    description: str,
    unit: str,
    study_period: int,
    meta: dict,
    quantity: float = 0.0,
) -> dict:
    return {
        "type": "product",
        "id": product_id,
        "name": name,
        "description": description,
        "referenceServiceLife": study_period,
        "impactData": [],
        "quantity": quantity,
        "unit": unit,
        "transport": None,
        "results": None,
        "metaData": {"bimcarbon": meta},
    }


def _class_assembly(ifc_class: str, products: list[dict], statuses: dict[str, int], ids: _Ids) -> dict:
    name = ifc_class[3:] if ifc_class.startswith("Ifc") else ifc_class
    modules = sorted({m for p in products for m in ((p.get("results") or {}).get("gwp") or {})})
    return {
        "type": "assembly",
        "id": ids.of("assembly", ifc_class),
        "name": ifc_class,
        "description": (
            f"Every {ifc_class} of the model as one lot (quantity 1): its products carry the quantities"
        ),
        "comment": None,
        "quantity": 1.0,
        "unit": "pcs",
        "classification": [{"system": "IFC", "code": ifc_class, "name": name}],
        "products": products,
        "results": _impacts({m: sum(_result(p, m) for p in products) for m in modules}),
        "metaData": {"bimcarbon": {"elements": sum(statuses.values()), "element_status": statuses}},
    }


def _building_assembly(run: AssessmentRun, study_period: int, ids: _Ids) -> dict | None:
    """A5 site activity and C1 demolition: per m2 of floor area, so products of the building, not of
    an element (quantity: the floor area, or 1 piece without one)."""
    assessment = run.assessment
    embodied = assessment.embodied
    area = assessment.floor_area.value_m2
    defaults = run.lifecycle
    items = []
    if embodied.a5_site is not None:
        site = defaults.a5.site_activity if defaults is not None else None
        from_energy = embodied.a5_source.startswith("construction energy")
        source = embodied.a5_source if from_energy or site is None else site.source
        status = "from the energy file" if from_energy else (site.status.value if site else None)
        items.append(("a5", "Construction site activity (A5)", embodied.a5_site, source, status))
    if embodied.c1 is not None:
        c1 = defaults.end_of_life.c1 if defaults is not None else None
        source = c1.source if c1 is not None else "bimcarbon life-cycle defaults"
        status = c1.status.value if c1 is not None else None
        items.append(("c1", "Demolition and deconstruction (C1)", embodied.c1, source, status))
    if not items:
        return None
    products = []
    for module, name, total, source, status in items:
        quantity, unit = (area, "m2") if area else (1.0, "pcs")
        data = {
            "type": "EPD",
            "id": ids.of("building data", module),
            "name": name,
            "declaredUnit": unit,
            "source": {"name": source, "url": None},
            "comment": "per m2 of gross floor area" if unit == "m2" else "for the whole building",
            "conversions": None,
            "impacts": _impacts({module: total / quantity}),
            "metaData": {"bimcarbon": {"role": "building-level module", "status": status}},
        }
        products.append(
            {
                "type": "product",
                "id": ids.of("building product", module),
                "name": name,
                "description": "A building-level module: per m2 of gross floor area, not per element",
                "referenceServiceLife": study_period,
                "impactData": [data],
                "quantity": quantity,
                "unit": unit,
                "transport": None,
                "results": _impacts({module: total}),
                "metaData": {"bimcarbon": {"kgco2e": total, "floor_area_m2": area, "source": source}},
            }
        )
    return {
        "type": "assembly",
        "id": ids.of("assembly", "building level"),
        "name": BUILDING_LEVEL,
        "description": "Modules bimcarbon counts per m2 of floor area for the building, not per element",
        "comment": None,
        "quantity": 1.0,
        "unit": "pcs",
        "classification": None,
        "products": products,
        "results": _impacts({m: _result(p, m) for p, (m, *_) in zip(products, items, strict=True)}),
        "metaData": {"bimcarbon": {"floor_area": assessment.floor_area.model_dump()}},
    }


def _energy_assembly(assessment: Assessment, study_period: int, ids: _Ids) -> dict | None:
    """B6: one product per energy carrier, its use per year and its factor; flagged ``isAnnual`` so that
    LCAx multiplies it by the reference study period (or, for a design life that is not a whole number
    of years, its use over the design life). Without a complete energy use, the carriers are listed
    without impact data and B6 is not among the project's modules."""
    op = assessment.operational
    if op is None:
        return None
    life = assessment.design_life_years
    per_year = float(study_period) == life
    complete = op.gross_kgco2_per_year is not None
    products = []
    for line in op.lines:
        unit, scale = ENERGY_UNITS.get(line.unit, ("unknown", 1.0))
        quantity = line.quantity * scale * (1.0 if per_year else life)
        factor = line.factor_kgco2_per_unit
        counted = complete and factor is not None
        impact_data = []
        if counted:
            impact_data.append(
                {
                    "type": "EPD",
                    "id": line.factor_source.split(":", 1)[0],
                    "name": f"{line.carrier} emission factor",
                    "declaredUnit": unit,
                    "source": {"name": line.factor_source, "url": None},
                    "comment": "kgCO2 per unit of energy (GB/T 51366 counts CO2 for energy)",
                    "conversions": None,
                    "impacts": _impacts({"b6": factor / scale}),
                    "metaData": {"bimcarbon": {"role": "energy factor", "per": line.unit, "value": factor}},
                }
            )
        over_life = line.kgco2_per_year * life if counted and line.kgco2_per_year is not None else None
        meta: dict = {
            "bimcarbon": {
                "carrier": line.carrier,
                "quantity_per_year": line.quantity,
                "unit": line.unit,
                "kgco2_per_year": line.kgco2_per_year,
                "kgco2_over_design_life": over_life,
            }
        }
        if per_year:
            meta["isAnnual"] = True  # LCAx's own key: the quantity is a rate, x the reference study period
        products.append(
            {
                "type": "product",
                "id": ids.of("energy", line.carrier),
                "name": line.carrier,
                "description": (
                    ("Energy used per year" if per_year else "Energy used over the design life")
                    + ("" if counted else ": B6 not assessed, no impact data")
                ),
                "referenceServiceLife": study_period,
                "impactData": impact_data,
                "quantity": quantity,
                "unit": unit,
                "transport": None,
                "results": _impacts({"b6": over_life}) if over_life is not None else None,
                "metaData": meta,
            }
        )
    b6 = _b6_over_life(assessment)
    return {
        "type": "assembly",
        "id": ids.of("assembly", "operational energy"),
        "name": OPERATIONAL,
        "description": "The building's energy use from the grid and fuels, from the energy file",
        "comment": None if complete else "B6 not assessed: " + "; ".join(op.notes),
        "quantity": 1.0,
        "unit": "pcs",
        "classification": None,
        "products": products,
        "results": _impacts({"b6": b6}) if b6 is not None else None,
        "metaData": {
            "bimcarbon": {
                "grid_factor_id": op.grid_factor_id,
                "gross_kgco2_per_year": op.gross_kgco2_per_year,
                "net_kgco2_per_year": op.net_kgco2_per_year,
                "green_electricity_credit_kgco2": op.green_electricity_credit_kgco2,
                "exported_pv_credit_kgco2": op.exported_pv_credit_kgco2,
                "offsets_kgco2": op.offsets_kgco2,
                "credits": "not in B6: the net balance and its credits are bimcarbon's, in this metaData",
                "notes": op.notes,
            }
        },
    }


def _b6_over_life(assessment: Assessment) -> float | None:
    """B6 over the design life, kgCO2 (None: no energy file, or a carrier without a factor)."""
    op = assessment.operational
    if op is None or op.gross_kgco2_per_year is None:
        return None
    return op.gross_kgco2_per_year * assessment.design_life_years


def _building_info(assessment: Assessment) -> dict | None:
    """LCAx's building information with the gross floor area (the reference area); None without one.
    LCAx requires a number of floors above ground, which bimcarbon does not count: 0, said in metaData."""
    area = assessment.floor_area.value_m2
    if not area:
        return None
    energy = assessment.parameters.get("energy") or {}
    return {
        "buildingType": "unknown",
        "buildingTypology": [_typology(energy)],
        "grossFloorArea": {"value": area, "unit": "m2", "definition": assessment.floor_area.source},
        "floorsAboveGround": 0,
        "roofType": "unknown",
        "generalEnergyClass": "unknown",
    }


#: LCAx building typologies an energy file's subtype or building type may name.
TYPOLOGIES = (
    "office",
    "residential",
    "public",
    "commercial",
    "industrial",
    "infrastructure",
    "agricultural",
    "educational",
    "health",
    "science",
    "culture",
    "parking_logistic",
)


def _typology(energy: dict) -> str:
    for text in (energy.get("subtype"), energy.get("building_type")):
        word = str(text or "").strip().lower()
        if word in TYPOLOGIES:
            return word
    return "unknown"


def _project_comment(assessment: Assessment) -> str | None:
    lines = []
    if assessment.with_embodied.note:
        lines.append(assessment.with_embodied.note)
    if assessment.warnings:
        lines.append(f"{len(assessment.warnings)} warning(s): metaData.bimcarbon.warnings")
    return "; ".join(lines) or None


def _project_meta(assessment: Assessment, study_period: int) -> dict:
    """What LCAx has no field for: the assessment's provenance, verdicts, coverage, plausibility,
    uncertainty, warnings and the elements left out (the assessment JSON's own layout)."""
    keys = {
        "tool_version",
        "model_name",
        "model_sha256",
        "schema_name",
        "format_version",
        "parameters",
        "factor_sets",
        "rule_sets",
        "criteria_pack",
        "floor_area",
        "design_life_years",
        "design_life_source",
        "embodied",
        "stages",
        "by_material",
        "embodied_intensity_kg_per_m2",
        "annualised_embodied_kg_per_m2a",
        "coverage",
        "plausibility",
        "operational",
        "operational_note",
        "without_embodied",
        "with_embodied",
        "changes",
        "benchmarks",
        "warnings",
        "uncertainty",
        "embodied_break_even",
    }
    meta = json.loads(assessment.model_dump_json(include=keys))  # NaN and infinity as null
    meta["assessment_format_version"] = meta.pop("format_version")
    left_out = [
        {
            "global_id": e.global_id,
            "ifc_class": e.ifc_class,
            "name": e.element_name,
            "status": e.status,
            "materials": e.materials,
        }
        for e in assessment.elements
        if e.status in ("left out", "partly left out")
    ]
    where = [
        "assemblies: one per IFC class; products: per material, factor and matched or assumed",
        f"A5 site activity and C1: the assembly '{BUILDING_LEVEL}'",
        "C3-C4: C4 for landfill routes, C3 for the others (recycling, combustion)",
        f"B6: the assembly '{OPERATIONAL}', gross (credits and the net balance: operational)",
        "biogenic carbon (stored, never netted): embodied.biogenic_kgco2, not in GWP",
        "parts left out (no factor, not convertible, void): products without impact data",
        "projectInfo.floorsAboveGround: 0, not counted by bimcarbon",
    ]
    if float(study_period) != assessment.design_life_years:
        where.append(
            f"referenceStudyPeriod {study_period} a is the design life {assessment.design_life_years:g} a "
            "rounded; B6 is written over the design life, not per year"
        )
    return {
        "format": "bimcarbon.lcax",
        "format_version": BIMCARBON_LCAX_VERSION,
        **meta,
        "elements_left_out": left_out,
        "where": where,
    }


def _status_counts(assessment: Assessment) -> dict[str, dict[str, int]]:
    """Per IFC class, how many elements are matched, assumed, partly left out, left out, void."""
    counts: dict[str, dict[str, int]] = {}
    for element in assessment.elements:
        by_status = counts.setdefault(element.ifc_class, {})
        by_status[element.status] = by_status.get(element.status, 0) + 1
    return counts


def _drop_null_metadata(project: dict) -> None:
    """Leave the empty (null) values out of every metaData: lcax 3.8 refuses a null inside one."""
    items = [project]
    for assembly in project["assemblies"]:
        items.append(assembly)
        for product in assembly["products"]:
            items.append(product)
            items.extend(product["impactData"])
    for item in items:
        if item.get("metaData") is not None:
            item["metaData"] = _without_nulls(item["metaData"])


def _without_nulls(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value if v is not None]
    return value


def _impacts(values: dict[str, float | None]) -> dict:
    """LCAx impacts: GWP per module key (modules without a value left out)."""
    return {"gwp": {key: float(value) for key, value in values.items() if value is not None}}


def _result(item: dict, module: str) -> float:
    """An assembly's or product's result for a module (0 when it has none)."""
    return float(((item.get("results") or {}).get("gwp") or {}).get(module, 0.0))


def _nansum(values: pd.Series) -> float:
    return float(pd.to_numeric(values, errors="coerce").sum())


def _nansum_or_none(values: pd.Series) -> float | None:
    total = pd.to_numeric(values, errors="coerce").sum(min_count=1)
    return None if pd.isna(total) else float(total)


def _volume(group: pd.DataFrame) -> float | None:
    """The volume of the distinct parts of a group, m3 (None when none is known)."""
    volumes = group.drop_duplicates("row")["volume_m3"] if "row" in group else group["volume_m3"]
    return _nansum_or_none(volumes)


def _distinct(values: pd.Series) -> list[str]:
    return list(dict.fromkeys(str(v) for v in values if isinstance(v, str) and v))


def _distinct_flags(values: pd.Series) -> list[str]:
    return list(dict.fromkeys(f for v in values if isinstance(v, str) for f in v.split(";") if f))


def _single(values: pd.Series) -> object:
    """The one value of a column (a list when the group has several; None when none is known)."""
    known = [v for v in values.tolist() if v is not None and v == v]
    distinct = list(dict.fromkeys(known))
    if not distinct:
        return None
    plain = [v.item() if hasattr(v, "item") else v for v in distinct]
    return plain[0] if len(plain) == 1 else plain
