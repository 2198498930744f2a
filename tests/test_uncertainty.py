"""The Monte Carlo of an assessment (docs/uncertainty.md): zero spread reproduces the assessment, known
distributions come out as they should, the correlation structure is the one documented, the tiers and
metrics per sample follow the deterministic functions exactly, and the same seed gives the same bytes.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from bimcarbon.assess import assess, metrics
from bimcarbon.criteria import CriteriaPack, evaluate, load_pack
from bimcarbon.energy import EnergyInput
from bimcarbon.errors import BimcarbonError, FactorFileError
from bimcarbon.factors import Factor, FactorLibrary, factors_dir
from bimcarbon.lifecycle import ModuleTotals, load_lifecycle_defaults
from bimcarbon.operational import OperationalResult
from bimcarbon.uncertainty.inputs import build_inputs
from bimcarbon.uncertainty.keys import quantity_kind
from bimcarbon.uncertainty.run import assess_uncertainty, check_samples
from bimcarbon.uncertainty.sampling import Building, Model, draw_chunks, sample_metrics
from bimcarbon.uncertainty.sensitivity import contributors, derivatives
from bimcarbon.uncertainty.spreads import Z95, load_spreads
from bimcarbon.uncertainty.tiers import reached, tier_codes

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE = SAMPLES / "office_m.ifc"
ENERGY = SAMPLES / "office_m.energy.yaml"


def spreads_file(folder: Path, changes: dict | None = None) -> Path:
    """The shipped spreads with every spread 1 (not sampled) and every range off, then ``changes``
    (dotted key -> value) applied."""
    document = yaml.safe_load((factors_dir() / "uncertainty.yaml").read_text(encoding="utf-8"))

    def zero(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "p95_ratio":
                    node[key] = 1.0
                elif key == "use":
                    node[key] = False
                else:
                    zero(value)

    zero(document)
    for key, value in (changes or {}).items():
        node = document
        *path, last = key.split(".")
        for part in path:
            node = node[part]
        node[last] = value
    path = folder / "spreads.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


# --- zero spread, seeds ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def office_run():
    return assess(OFFICE, ENERGY)


def _energy_variant(folder: Path) -> Path:
    """The office's energy with construction energy (A5 follows the grid), a baseline given as an
    intensity, and ranges on its figures."""
    energy = yaml.safe_load(ENERGY.read_text())
    energy["construction"] = {"electricity_kwh": 5000, "diesel_kg": 100}
    energy["baseline"] = {"carbon_intensity_kg_per_m2a": 85.0}
    energy["ranges"] = {"annual.electricity_kwh": [10000, 15000], "renewables.pv_exported_kwh": [0, 800]}
    path = folder / "variant.energy.yaml"
    path.write_text(yaml.safe_dump(energy))
    return path


@pytest.mark.parametrize("variant", [False, True])
def test_with_every_spread_zero_every_sample_is_the_assessment_exactly(variant, tmp_path, office_run):
    run = assess(OFFICE, _energy_variant(tmp_path)) if variant else office_run
    result = assess_uncertainty(run, 200, spreads_path=spreads_file(tmp_path), conservative=True)
    a = run.assessment
    assert result.percentiles["a1_a3"].deterministic == a.embodied.a1_a3
    checked = 0
    for key, p in result.percentiles.items():
        if p is None:
            continue
        # bit for bit: every multiplier is exactly 1, every deviation exactly 0
        assert p.p5 == p.p50 == p.p95 == p.p80 == p.deterministic, key
        assert p.mean == pytest.approx(p.deterministic, rel=1e-14)  # a sum of 200 equal values / 200
        checked += 1
    assert checked == 10
    for mode, result_mode in (("with_embodied", a.with_embodied), ("without_embodied", a.without_embodied)):
        names = [t.tier for t in result_mode.verdicts.tiers]
        reached_at = names.index(result_mode.verdicts.reached) if result_mode.verdicts.reached else -1
        expected = {name: 1.0 if i <= reached_at else 0.0 for i, name in enumerate(names)}
        assert getattr(result.tier_probability, mode) == expected
    assert not any(result.top_contributors.values())  # no variance: no contributor


def test_the_same_seed_gives_the_same_bytes_and_another_seed_another_result(office_run):
    first = assess_uncertainty(office_run, 500, seed=7).model_dump_json()
    again = assess_uncertainty(office_run, 500, seed=7).model_dump_json()
    other = assess_uncertainty(office_run, 500, seed=8).model_dump_json()
    assert first == again
    assert first != other


def test_the_first_samples_do_not_depend_on_how_many_are_drawn(office_run):
    # draws come in chunks of 1,000 from one stream: 1,000 samples are the first 1,000 of 3,000
    inputs = build_inputs(
        office_run.components,
        office_run.parts,
        office_run.library,
        office_run.lifecycle,
        load_spreads(),
        office_run.energy,
        True,
    ).inputs
    short = np.concatenate(list(draw_chunks(inputs, 3, 1000)))
    long = np.concatenate(list(draw_chunks(inputs, 3, 3000)))
    assert np.array_equal(short, long[:1000])


def test_sample_counts_outside_100_to_100000_are_refused_in_one_line():
    check_samples(100)
    check_samples(100_000)
    for bad in (0, 99, 100_001):
        with pytest.raises(BimcarbonError, match="--uncertainty takes 100 to 100,000 samples"):
            check_samples(bad)


# --- synthetic components: analytic distributions and the correlation structure --------------------


def _factor(fid: str, status: str, value: float, **extra) -> Factor:
    return Factor(
        id=fid, name_en=fid, category="concrete", declared_unit="m3", value_kgco2e_per_unit=value,
        source="test", status=status, density_kg_per_m3=2400, **extra,
    )  # fmt: skip


def _library(*factors: Factor) -> FactorLibrary:
    return FactorLibrary(sets=[], by_id={f.id: f for f in factors})


def _tables(rows: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Components (one per dict: factor_id, kgco2e; optional source, flags, a4, c, material, element)
    and their parts."""
    components, parts = [], []
    for number, r in enumerate(rows):
        components.append(
            {
                "row": number, "factor_id": r["factor_id"], "rule_id": r.get("rule_id", "rule"),
                "declared_unit": "m3", "kg_per_m3": r.get("kg_per_m3"), "kg_per_m2": r.get("kg_per_m2"),
                "assumed": r.get("assumed", False), "conversion": r.get("conversion", "volume_m3"),
                "density_source": None, "material": r.get("material", "m"), "category": "concrete",
                "kgco2e": r["kgco2e"], "a4_kgco2e": r.get("a4", 0.0), "c_kgco2e": r.get("c", 0.0),
                "wastage_share": 0.0, "replacements": 0,
            }
        )  # fmt: skip
        parts.append(
            {
                "proxy": r.get("proxy", False), "flags": r.get("flags", ""),
                "global_id": r.get("element", f"e{number}"),
                "quantity_source": r.get("source", "geometry"), "mass_source": None,
                "mass_kg": 1.0, "area_source": None, "length_source": None,
            }
        )  # fmt: skip
    return pd.DataFrame(components), pd.DataFrame(parts)


def _model(rows, library, spreads) -> Model:
    components, parts = _tables(rows)
    input_set = build_inputs(components, parts, library, load_lifecycle_defaults(), spreads, None, False)
    a1_a3 = float(components["kgco2e"].sum())
    building = Building(
        a1_a3=a1_a3, a4=0.0, a5=0.0, b4=0.0, c1_c4=0.0, upfront_a1_a5=a1_a3, embodied_total=a1_a3,
        floor_area_m2=None, design_life_years=50.0, embodied_share=1.0,
    )  # fmt: skip
    return Model(input_set, building)


def _samples(model: Model, count: int, seed: int = 1) -> tuple[np.ndarray, dict]:
    values = np.concatenate(list(draw_chunks(model.inputs.inputs, seed, count)))
    return values, model.evaluate(values)


def _two_factors(folder: Path) -> Model:
    """A1-A3 = 30,000 X1 + 10,000 X2: a confirmed factor (p95 1.3) and an unconfirmed one (p95 1.6)."""
    changes = {"factors.by_status.confirmed.p95_ratio": 1.3, "factors.by_status.unconfirmed.p95_ratio": 1.6}
    library = _library(_factor("f1", "confirmed", 300.0), _factor("f2", "unconfirmed", 200.0))
    rows = [{"factor_id": "f1", "kgco2e": 30_000.0}, {"factor_id": "f2", "kgco2e": 10_000.0}]
    return _model(rows, library, load_spreads(spreads_file(folder, changes)))


def test_two_lognormal_factors_give_their_analytic_mean_and_spread(tmp_path):
    # A1-A3 = 30,000 x X1 + 10,000 x X2, X1 lognormal (median 1, p95 1.3: sigma = ln 1.3 / 1.645 =
    # 0.1595), X2 (p95 1.6: sigma = 0.2857), independent. Mean = 30,000 e^(s1^2/2) + 10,000 e^(s2^2/2);
    # variance = sum A^2 e^(s^2) (e^(s^2) - 1). With n = 40,000 samples the standard error of the mean
    # is sd / 200 and that of the standard deviation about sd x sqrt((kurtosis - 1) / 4n) < sd / 150:
    # both are checked within 4 standard errors.
    model = _two_factors(tmp_path)
    _, out = _samples(model, 40_000)
    s1, s2 = math.log(1.3) / Z95, math.log(1.6) / Z95
    mean = 30_000 * math.exp(s1**2 / 2) + 10_000 * math.exp(s2**2 / 2)
    variance = 30_000**2 * math.exp(s1**2) * math.expm1(s1**2) + 10_000**2 * math.exp(s2**2) * math.expm1(
        s2**2
    )
    sd = math.sqrt(variance)
    total = out["a1_a3"]
    assert total.mean() == pytest.approx(mean, abs=4 * sd / 200)
    assert total.std() == pytest.approx(sd, abs=4 * sd / 150)
    assert (total > 0).all()  # lognormal multipliers keep every value positive


def test_one_lognormal_factor_has_its_stated_percentiles(tmp_path):
    # 5th and 95th percentiles of A x X are A / r and A x r (r = 1.5). The sample quantile's standard
    # error is sqrt(p (1 - p) / n) / density at it; at n = 40,000 that is under 0.6 % of the value.
    spreads = load_spreads(spreads_file(tmp_path, {"factors.by_status.derived.p95_ratio": 1.5}))
    model = _model([{"factor_id": "f", "kgco2e": 1000.0}], _library(_factor("f", "derived", 1.0)), spreads)
    _, out = _samples(model, 40_000)
    p5, p50, p95 = np.percentile(out["a1_a3"], [5, 50, 95])
    assert p95 == pytest.approx(1500.0, rel=0.012)
    assert p50 == pytest.approx(1000.0, rel=0.006)
    assert p5 == pytest.approx(1000.0 / 1.5, rel=0.012)


def test_a_factor_is_one_draw_wherever_it_is_used_and_two_factors_are_independent(tmp_path):
    # f is used by two elements, g by one: in every sample the deviation of A1-A3 is exactly
    # (100 + 300) x (X_f - 1) + 50 x (X_g - 1): the error of f does not average out over its elements
    spreads = load_spreads(spreads_file(tmp_path, {"factors.by_status.confirmed.p95_ratio": 1.3}))
    library = _library(_factor("f", "confirmed", 1.0), _factor("g", "confirmed", 1.0))
    rows = [
        {"factor_id": "f", "kgco2e": 100.0},
        {"factor_id": "f", "kgco2e": 300.0},
        {"factor_id": "g", "kgco2e": 50.0},
    ]
    model = _model(rows, library, spreads)
    values, out = _samples(model, 2000)
    x_f = values[:, model.inputs.index["factor:f"]]
    x_g = values[:, model.inputs.index["factor:g"]]
    assert np.allclose(out["a1_a3"], 450.0 + 400.0 * (x_f - 1) + 50.0 * (x_g - 1), rtol=1e-12)
    assert abs(np.corrcoef(x_f, x_g)[0, 1]) < 4 / math.sqrt(2000)  # independent draws
    assert [i.components for i in model.inputs.inputs] == [2, 1, 3]  # f, g, quantity:geometry


def test_a_quantity_error_is_one_draw_per_kind_of_source(tmp_path):
    # two elements from geometry, one exported: the geometry draw scales both of them together
    spreads = load_spreads(
        spreads_file(tmp_path, {"quantities.geometry.p95_ratio": 1.1, "quantities.exported.p95_ratio": 1.2})
    )
    rows = [
        {"factor_id": "f", "kgco2e": 100.0, "source": "geometry"},
        {"factor_id": "f", "kgco2e": 200.0, "source": "geometry*layer:thickness_share"},
        {"factor_id": "f", "kgco2e": 40.0, "source": "Qto_SlabBaseQuantities.NetVolume"},
    ]
    model = _model(rows, _library(_factor("f", "confirmed", 1.0)), spreads)
    values, out = _samples(model, 1000)
    q_geometry = values[:, model.inputs.index["quantity:geometry"]]
    q_exported = values[:, model.inputs.index["quantity:exported"]]
    assert np.allclose(out["a1_a3"], 300.0 * q_geometry + 40.0 * q_exported, rtol=1e-12)


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("Qto_WallBaseQuantities.NetVolume*layer:thickness_share", "exported"),
        ("type:BaseQuantities.GrossVolume", "exported"),
        ("geometry*constituent:fraction", "geometry"),
        ("geometry:extrusion_depth", "geometry"),
        ("geometry*equal_split", "geometry"),  # the split is drawn apart; the volume is the geometry's
        ("profile:area*length", "dimensions"),
        ("layer:area*thickness", "dimensions"),
        ("OverallHeight*OverallWidth", "dimensions"),
        ("count", "count"),
        (None, "other"),
    ],
)
def test_each_quantity_source_has_its_kind(source, kind):
    assert quantity_kind(source) == kind


def test_a_split_guessed_as_equal_moves_its_shares_but_keeps_each_elements_total(tmp_path):
    # Two elements, each split equally between glass and frame (flag equal_split), one window with
    # 300 kgCO2e of frame and 100 of glass, one with 50 and 50. The split's shares S_frame + S_glass = 2 in
    # every sample (the element's volume is known; only the split is not), so the second window's 100
    # never moves and the first is 300 S_frame + 100 (2 - S_frame). Before, every guessed share moved
    # the same way: the elements' totals with them (x1.5 at P95).
    spreads = load_spreads(spreads_file(tmp_path, {"quantities.guessed_share.p95_ratio": 1.5}))
    flags = "equal_split"
    rows = [
        {"factor_id": "f", "kgco2e": 300.0, "material": "frame", "element": "w1", "flags": flags},
        {"factor_id": "g", "kgco2e": 100.0, "material": "glass", "element": "w1", "flags": flags},
        {"factor_id": "f", "kgco2e": 50.0, "material": "frame", "element": "w2", "flags": flags},
        {"factor_id": "g", "kgco2e": 50.0, "material": "glass", "element": "w2", "flags": flags},
    ]
    model = _model(rows, _library(_factor("f", "confirmed", 1.0), _factor("g", "confirmed", 1.0)), spreads)
    shares = [i for i in model.inputs.inputs if i.kind == "share"]
    assert [i.key for i in shares] == ["share:0:2:frame | glass", "share:1:2:frame | glass"]
    assert [i.components for i in shares] == [2, 2]  # one draw for both windows: the same materials
    values, out = _samples(model, 20_000)
    frame, glass = (values[:, model.inputs.index[i.key]] for i in shares)
    assert np.allclose(frame + glass, 2.0, rtol=0, atol=1e-12)
    assert np.allclose(out["a1_a3"], 300.0 * frame + 100.0 * glass + 100.0, rtol=1e-12)
    assert frame.min() > 0 and frame.max() < 2.0
    # S_frame = 2 Y_f / (Y_f + Y_g) = 2 / (1 + Y_g / Y_f), Y lognormal with p95 1.5 (sigma = ln 1.5 /
    # 1.645), Y_g / Y_f with sigma x sqrt 2: P95 of S_frame = 2 / (1 + 1.5^-sqrt 2) = 1.279
    assert np.percentile(frame, 95) == pytest.approx(2 / (1 + 1.5 ** -math.sqrt(2)), rel=0.01)
    # first order: A1-A3 = 500 + 200 (S_frame - 1): one contributor, the split, explaining about all
    # of the variance (the rescaled shares are nearly linear in the draws)
    from bimcarbon.uncertainty.run import _contributors

    found = _contributors(
        model, model.inputs.inputs, {"embodied_total": True}, {"embodied_total": [out["embodied_total"]]}
    )
    (split,) = found["top_contributors"]["embodied_total"]
    assert (split.input, split.kind, split.share) == ("share:0:2:frame | glass", "share", 1.0)
    assert found["contributors_explained"]["embodied_total"] == pytest.approx(1.0, abs=0.06)


def test_proxy_and_assumed_uses_add_their_own_draw_and_ratios_theirs(tmp_path):
    # X_use multiplies only the proxy's component; the assumed ratio's draw only the ratio's
    spreads = load_spreads(
        spreads_file(tmp_path, {"factors.proxy.p95_ratio": 1.5, "ratios.assumed.p95_ratio": 1.5})
    )
    rows = [
        {"factor_id": "f", "kgco2e": 100.0},
        {"factor_id": "f", "kgco2e": 20.0, "proxy": True, "rule_id": "p"},
        {"factor_id": "f", "kgco2e": 7.0, "assumed": True, "kg_per_m3": 120.0, "rule_id": "assumed-rebar"},
    ]
    model = _model(rows, _library(_factor("f", "confirmed", 1.0)), spreads)
    values, out = _samples(model, 500)
    proxy = values[:, model.inputs.index["use:proxy:p:f"]]
    ratio = values[:, model.inputs.index["ratio:assumed:assumed-rebar:f"]]
    assert np.allclose(out["a1_a3"], 100.0 + 20.0 * proxy + 7.0 * ratio, rtol=1e-12)


def test_a_stud_layers_steel_weighs_with_the_layers_volume_when_the_layer_has_no_area():
    # 2.6 kg/m2 of steel over an area taken as the layer's volume / thickness: its mass (A4) follows the
    # quantity the area came from (the geometry), not an area source the take-off does not have
    from bimcarbon.uncertainty.keys import component_keys

    row = {"factor_id": "f", "kgco2e": 5.0, "a4": 1.0, "kg_per_m2": 2.6, "assumed": True,
           "conversion": "volume_m3/layer_thickness_m*2.6kg/m2/1000",
           "source": "geometry*layer:thickness_share"}  # fmt: skip
    components, parts = _tables([row])
    frame = component_keys(
        components, parts, _library(_factor("f", "confirmed", 1.0)), load_lifecycle_defaults()
    )
    assert frame.loc[0, "quantity_key"] == frame.loc[0, "mass_quantity_key"] == "quantity:geometry"
    assert frame.loc[0, "ratio_key"] == "ratio:assumed:rule:f"


def test_a_range_from_the_source_is_drawn_triangular_between_its_bounds(tmp_path):
    spreads = load_spreads(spreads_file(tmp_path, {"factors.source_range.use": True}))
    factor = _factor(
        "f", "confirmed", 100.0, value_low_kgco2e_per_unit=80.0, value_high_kgco2e_per_unit=150.0,
        value_range_source="EPD range",
    )  # fmt: skip
    model = _model([{"factor_id": "f", "kgco2e": 1000.0}], _library(factor), spreads)
    _, out = _samples(model, 20_000)
    total = out["a1_a3"]
    # triangular (0.8, 1, 1.5) x 1000: mean (0.8 + 1 + 1.5) / 3 x 1000 = 1100, within its bounds
    assert total.min() >= 800.0 and total.max() <= 1500.0
    sd = math.sqrt((0.8**2 + 1 + 1.5**2 - 0.8 - 0.8 * 1.5 - 1.5) / 18) * 1000
    assert total.mean() == pytest.approx(1100.0, abs=4 * sd / math.sqrt(20_000))


def test_a_factor_range_needs_both_bounds_around_the_value_and_a_source():
    with pytest.raises(ValueError, match="give both"):
        _factor("f", "confirmed", 1.0, value_low_kgco2e_per_unit=0.5)
    with pytest.raises(ValueError, match="must contain the value"):
        _factor(
            "f",
            "confirmed",
            1.0,
            value_low_kgco2e_per_unit=2,
            value_high_kgco2e_per_unit=3,
            value_range_source="s",
        )
    with pytest.raises(ValueError, match="needs the source"):
        _factor("f", "confirmed", 1.0, value_low_kgco2e_per_unit=0.5, value_high_kgco2e_per_unit=3)


def test_an_energy_range_must_hold_its_figure_and_name_a_figure_that_has_one():
    EnergyInput(
        building_type="public", annual={"electricity_kwh": 100}, ranges={"annual.electricity_kwh": [80, 130]}
    )
    with pytest.raises(ValueError, match="must hold the figure 100"):
        EnergyInput(
            building_type="public",
            annual={"electricity_kwh": 100},
            ranges={"annual.electricity_kwh": [110, 130]},
        )
    with pytest.raises(ValueError, match="no range can be given for 'offsets'"):
        EnergyInput(building_type="public", ranges={"offsets": [0, 1]})


def test_the_shipped_density_range_of_rockwool_bounds_its_mass(office_run):
    # rock wool: default 140 kg/m3, range 100-160 (factor data): the density multiplier stays in
    # [100/140, 160/140]; every spread else off
    inputs = build_inputs(
        office_run.components,
        office_run.parts,
        office_run.library,
        office_run.lifecycle,
        load_spreads(),
        office_run.energy,
        True,
    ).inputs
    rockwool = next(i for i in inputs if i.key == "density:factor insul_rockwool")
    factor = office_run.library.get("insul_rockwool")
    assert rockwool.distribution == "triangular"
    assert rockwool.low == pytest.approx(factor.density_low_kg_per_m3 / factor.density_kg_per_m3)
    assert rockwool.high == pytest.approx(factor.density_high_kg_per_m3 / factor.density_kg_per_m3)


# --- the vectorised evaluator and metrics against the real ones -----------------------------------


def _random_pack(rng: np.random.Generator) -> CriteriaPack:
    metrics_names = [
        "carbon_intensity_kg_per_m2a",
        "carbon_intensity_reduction_share",
        "net_carbon_intensity_kg_per_m2a",
    ]
    tiers = []
    for t in range(3):
        criteria = []
        for c in range(int(rng.integers(1, 3))):
            operator = str(rng.choice([">=", "<=", ">", "<"]))
            criterion = {"id": f"c{c}", "metric": str(rng.choice(metrics_names)), "operator": operator,
                         "unit": "u", "source": "test"}  # fmt: skip
            if rng.random() < 0.3:
                criterion["band_metric"] = "upfront_embodied_kg_per_m2"
                criterion["bands"] = [
                    {"below": 0.0, "threshold": float(rng.normal()), "source": "s", "provisional": True},
                    {"threshold": float(rng.normal()), "source": "s", "provisional": False},
                ]
            else:
                criterion["threshold"] = float(rng.choice([0.0, rng.normal()]))
                criterion["provisional"] = True
            criteria.append(criterion)
        tiers.append({"id": f"t{t}", "name_en": f"T{t}", "criteria": criteria})
    return CriteriaPack(metadata={"id": "random", "title": "random"}, tiers=tiers)


def test_the_vectorised_tiers_follow_evaluate_on_random_cases():
    rng = np.random.default_rng(5)
    names = ["carbon_intensity_kg_per_m2a", "carbon_intensity_reduction_share",
             "net_carbon_intensity_kg_per_m2a", "upfront_embodied_kg_per_m2"]  # fmt: skip
    for _ in range(40):
        pack = _random_pack(rng)
        count = 60
        arrays: dict = {}
        for name in names:
            if rng.random() < 0.15:
                arrays[name] = None  # cannot be computed at all
                continue
            values = rng.normal(size=count)
            values[rng.random(count) < 0.05] = 0.0  # on the threshold
            values[rng.random(count) < 0.05] = np.nan  # undefined in one sample
            arrays[name] = values
        codes = tier_codes(pack, arrays, count)
        reach = reached(codes)
        for s in range(count):
            one = {k: (None if v is None or np.isnan(v[s]) else float(v[s])) for k, v in arrays.items()}
            verdicts = evaluate(pack, one)
            words = {0: "pass", 1: "fail", 2: "not assessable"}
            assert [words[int(c)] for c in codes[:, s]] == [t.verdict for t in verdicts.tiers]
            last = [t.id for t, r in zip(pack.tiers, reach[:, s], strict=True) if r]
            assert (last[-1] if last else None) == verdicts.reached


def test_the_vectorised_metrics_follow_assess_metrics_on_random_cases():
    rng = np.random.default_rng(11)
    for _ in range(200):
        gfa = float(rng.choice([0.0, rng.uniform(10, 5000)]))
        life = float(rng.uniform(20, 100))
        upfront = float(rng.uniform(0, 1e6))
        gross = None if rng.random() < 0.1 else float(rng.uniform(0, 1e5))
        net = None if gross is None else gross - float(rng.uniform(-1e4, 1e5))
        baseline = None if rng.random() < 0.2 else float(rng.uniform(-5, 200))
        reference = None if rng.random() < 0.2 else float(rng.uniform(0, 800))
        share = float(rng.uniform(0.5, 1.0))
        op = OperationalResult(
            grid_factor_id="g", grid_factor_kgco2_per_kwh=0.5, grid_electricity_kwh=0.0, lines=[],
            gross_kgco2_per_year=gross, green_electricity_credit_kgco2=0.0, exported_pv_credit_kgco2=0.0,
            offsets_kgco2=0.0, net_kgco2_per_year=net, baseline_kgco2_per_year=None,
            baseline_intensity_kg_per_m2a=baseline, complete=True, notes=[],
        )  # fmt: skip
        energy = EnergyInput(
            building_type="public",
            baseline=None if reference is None else {"reference_embodied_kg_per_m2": reference},
        )
        totals = ModuleTotals(
            a1_a3=upfront, a4=0.0, a5=0.0, b4=0.0, c1_c4=0.0, biogenic_kgco2=0.0, upfront_a1_a5=upfront,
            embodied_total=upfront,
        )  # fmt: skip
        building = Building(
            a1_a3=upfront, a4=0.0, a5=0.0, b4=0.0, c1_c4=0.0, upfront_a1_a5=upfront, embodied_total=upfront,
            floor_area_m2=gfa, design_life_years=life, embodied_share=share,
            baseline_intensity_kg_per_m2a=baseline, reference_embodied_kg_per_m2=reference,
        )  # fmt: skip
        arrays = {
            "gross": None if gross is None else np.array([gross]),
            "net": None if net is None else np.array([net]),
            "baseline": None if baseline is None else np.array([baseline]),
        }
        for counted in (False, True):
            expected = metrics(op, energy, totals, gfa, life, counted, share)
            got = sample_metrics(building, np.array([upfront]), arrays, counted)
            for name, value in expected.items():
                if value is None:
                    assert got[name] is None or np.isnan(got[name][0]), name
                else:
                    assert got[name][0] == value, name  # same operations, same order: bit for bit


# --- contributors ------------------------------------------------------------------------------------


def test_contributor_shares_on_paper(tmp_path):
    # A1-A3 = 30,000 X1 + 10,000 X2: first-order variances 30,000^2 var1 and 10,000^2 var2, with
    # var = e^(s^2) (e^(s^2) - 1); shares are each over their sum
    model = _two_factors(tmp_path)
    inputs = model.inputs.inputs
    found = derivatives(lambda v: {"a1_a3": model.evaluate(v)["a1_a3"]}, inputs, ["a1_a3"])
    s1, s2 = math.log(1.3) / Z95, math.log(1.6) / Z95
    v1 = 30_000**2 * math.exp(s1**2) * math.expm1(s1**2)
    v2 = 10_000**2 * math.exp(s2**2) * math.expm1(s2**2)
    shares = {c.input: c.share for c in contributors(found["a1_a3"], inputs)}
    assert shares == pytest.approx({"factor:f1": v1 / (v1 + v2), "factor:f2": v2 / (v1 + v2)}, rel=1e-6)


@pytest.mark.parametrize("assumed", [False, True])
def test_how_much_of_the_variance_the_first_order_shares_explain(tmp_path, assumed):
    # Linear: 30,000 X1 + 10,000 X2 (two factors): the first-order terms are the whole variance (1,
    # within the sampling error of a variance from 40,000 draws, about 2 %).
    # Interacting: 1,000 X_f X_u (a factor and its assumed use, both p95 2.0: sigma^2 = (ln 2 / 1.645)^2
    # = 0.17757): each term has variance e^(s^2)(e^(s^2) - 1) = 0.23207, the product
    # e^(4 s^2) - e^(2 s^2) = 2.03456 - 1.42637 = 0.60819: the first-order terms explain
    # 2 x 0.23207 / 0.60819 = 76.3 %, and each share (one half) is of that 76.3 %.
    from bimcarbon.uncertainty.run import _contributors

    changes = {"factors.by_status.confirmed.p95_ratio": 2.0 if assumed else 1.3}
    changes |= {"factors.assumed.p95_ratio": 2.0, "factors.by_status.unconfirmed.p95_ratio": 1.6}
    spreads = load_spreads(spreads_file(tmp_path, changes))
    library = _library(_factor("f1", "confirmed", 1.0), _factor("f2", "unconfirmed", 1.0))
    rows = (
        [{"factor_id": "f1", "kgco2e": 1000.0, "assumed": True}]
        if assumed
        else [{"factor_id": "f1", "kgco2e": 30_000.0}, {"factor_id": "f2", "kgco2e": 10_000.0}]
    )
    model = _model(rows, library, spreads)
    _, out = _samples(model, 40_000)
    found = _contributors(
        model, model.inputs.inputs, {"embodied_total": True}, {"embodied_total": [out["embodied_total"]]}
    )
    explained = found["contributors_explained"]["embodied_total"]
    s2 = (math.log(2.0) / Z95) ** 2
    expected = 2 * math.exp(s2) * math.expm1(s2) / (math.exp(4 * s2) - math.exp(2 * s2)) if assumed else 1.0
    assert explained == pytest.approx(expected, rel=0.04) and explained <= 1.0
    if assumed:
        assert expected == pytest.approx(0.763, abs=0.001)
        shares = [c.share for c in found["top_contributors"]["embodied_total"]]
        assert shares == pytest.approx([0.5, 0.5])


def test_the_exact_gradients_of_the_totals_agree_with_central_differences(office_run):
    # every input of the office, perturbed one at a time through the whole evaluation
    input_set = build_inputs(
        office_run.components,
        office_run.parts,
        office_run.library,
        office_run.lifecycle,
        load_spreads(),
        office_run.energy,
        True,
    )
    from bimcarbon.uncertainty.run import building

    model = Model(input_set, building(office_run))
    keys = ["a1_a3", "upfront_a1_a5", "embodied_total"]
    numeric = derivatives(lambda v: {k: model.evaluate(v)[k] for k in keys}, input_set.inputs, keys)
    exact = model.gradients()
    embodied = [i.kind not in ("grid", "energy") for i in input_set.inputs]
    for key in keys:
        assert np.allclose(exact[key][embodied], numeric[key][embodied], rtol=1e-6, atol=1e-6), key
    assert exact["a1_a3"].max() > 0


# --- the office, end to end ----------------------------------------------------------------------------


def test_the_office_ranges_hold_the_assessment_and_its_tier_probabilities(office_run):
    result = assess_uncertainty(office_run, 2000, conservative=True)
    a = office_run.assessment
    total = result.percentiles["embodied_total"]
    assert total.p5 < a.embodied.embodied_total < total.p95
    assert total.p5 < total.p50 < total.p80 < total.p95
    # without embodied the reduction does not move: the building (10,000 kWh, 1,000 m3 of gas) is half
    # its baseline (20,000 kWh, 2,000 m3) in electricity and in gas, so any grid factor gives 50 %
    share = result.percentiles["reduction_share_without_embodied"]
    assert share.p5 == pytest.approx(0.5) and share.p95 == pytest.approx(0.5)
    assert result.tier_probability.without_embodied["low-carbon"] == 1.0
    assert 0.5 < result.tier_probability.with_embodied["low-carbon"] < 1.0
    assert result.tier_probability.with_embodied["near-zero-carbon"] == 0.0
    kinds = {c.kind for c in result.top_contributors["embodied_total"]}
    assert {"factor", "ratio"} <= kinds
    assert sum(c.share for c in result.top_contributors["embodied_total"]) <= 1.0 + 1e-9
    # the default spreads are narrow enough for the first-order terms to be nearly all of the variance
    # (0.97 with 100,000 samples; 2,000 samples estimate a variance to about 5 %)
    assert 0.85 < result.contributors_explained["embodied_total"] <= 1.0
    used = {s.spread: s for s in result.spreads}
    assert used["ratios.assumed"].components == 12  # the assumed rebar in 12 concrete parts
    assert used["densities.factor_range"].distribution == "triangular"
    assert result.not_sampled and all(n.description_zh for n in result.not_sampled)


def _concrete_unknown(folder: Path) -> Path:
    """A mapping that knows no factor for the concrete: most of the office's mass is left out."""
    mapping = folder / "mapping.yaml"
    mapping.write_text(
        "metadata: {id: mine}\nrules:\n  - id: concrete-unknown\n    when: {material_words: [concrete]}\n"
        "    use: []\n    reason: mix not known yet\n",
        encoding="utf-8",
    )
    return mapping


@pytest.fixture(scope="module")
def blocked_run(tmp_path_factory):
    return assess(OFFICE, ENERGY, mappings=[_concrete_unknown(tmp_path_factory.mktemp("blocked"))])


def test_while_the_gate_blocks_no_with_embodied_probability_is_given(blocked_run):
    run = blocked_run
    assert run.assessment.with_embodied.note  # blocked
    result = assess_uncertainty(run, 200)
    assert set(result.tier_probability.with_embodied.values()) == {None}
    assert "not assessable" in result.tier_probability.with_embodied_note
    assert result.tier_probability.without_embodied["low-carbon"] == 1.0


def test_the_ranges_carry_what_they_cannot_say(office_run, blocked_run):
    # the office: 25,211 of its 68,339 kgCO2e A1-A3 is assumed rebar (36.9 %), its floor area a proxy
    found = {c.id: c for c in assess_uncertainty(office_run, 100).caveats}
    assert set(found) == {"assumed", "floor_area"}
    assert found["assumed"].share == pytest.approx(25_211.3472 / 68_338.8436, rel=1e-6)
    assert found["assumed"].text.startswith("36.9\u00a0% of A1-A3 rests on assumptions")
    # the concrete left out: 1.9 % of the mass counted, 95 % needed; no sample holds the rest
    blocked = {c.id: c for c in assess_uncertainty(blocked_run, 100).caveats}
    assert blocked["incomplete"].share == pytest.approx(0.019, abs=0.0005)
    assert blocked["incomplete"].needed == 0.95
    assert "the materials left out are in no sample" in blocked["incomplete"].text


def _tiny_floor_area(folder: Path) -> Path:
    """The office's energy with a floor area of 8 m2: its material volume is 500 % of the building's."""
    energy = yaml.safe_load(ENERGY.read_text())
    energy["gross_floor_area_m2"] = 8
    path = folder / "tiny.energy.yaml"
    path.write_text(yaml.safe_dump(energy))
    return path


def test_ranges_around_an_implausible_assessment_say_so_beside_them_everywhere(tmp_path):
    from typer.testing import CliRunner

    from bimcarbon.cli import app

    json_path, en, zh = tmp_path / "a.json", tmp_path / "en.xlsx", tmp_path / "zh.xlsx"
    args = ["assess", str(OFFICE), "--energy", str(_tiny_floor_area(tmp_path)), "--uncertainty", "100"]
    result = CliRunner().invoke(app, [*args, "--json", str(json_path), "-o", str(en)], terminal_width=400)
    assert result.exit_code == 0, result.output
    console = result.output
    between = console[console.index("Uncertainty: 100 samples") : console.index("Ranges over the samples")]
    assert "IMPLAUSIBLE  1 figure(s) of this assessment are implausible" in between
    after = console[console.index("Ranges over the samples") : console.index("Probability of reaching")]
    assert "Not sampled: fuel factors" in after  # what the samples leave out, next to the ranges
    caveats = yaml.safe_load(json_path.read_text(encoding="utf-8"))["uncertainty"]["caveats"]
    assert [c["id"] for c in caveats][0] == "implausible" and caveats[0]["count"] == 1
    texts = [v for row in _sheet_rows(en, "Uncertainty") for v in row if isinstance(v, str)]
    assert any(t.startswith("1 figure(s) of this assessment are implausible") for t in texts)
    result = CliRunner().invoke(app, [*args, "-o", str(zh), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    texts = [v for row in _sheet_rows(zh, "不确定性") for v in row if isinstance(v, str)]
    from bimcarbon.report.workbook.uncertainty_labels import UNCERTAINTY_LABELS

    assert UNCERTAINTY_LABELS["zh"]["caveat implausible"].format(n=1) in texts
    assert any(t.startswith("A1-A3 中有 36.9\u00a0% 基于假定") for t in texts)


def test_every_caveat_has_chinese_with_the_same_figures():
    from bimcarbon.report.workbook.uncertainty_labels import UNCERTAINTY_LABELS
    from bimcarbon.uncertainty.caveats import TEXTS

    for key, english in TEXTS.items():
        assert UNCERTAINTY_LABELS["en"][f"caveat {key}"] == english
        chinese = UNCERTAINTY_LABELS["zh"][f"caveat {key}"]
        assert set(re.findall(r"{\w+}", chinese)) == set(re.findall(r"{\w+}", english)), key


def test_a_spreads_file_that_does_not_validate_is_one_line_naming_it(tmp_path):
    path = spreads_file(tmp_path, {"grid_factor.p95_ratio": 0.5})
    with pytest.raises(FactorFileError, match=r"spreads.yaml.*grid_factor.p95_ratio"):
        load_spreads(path)


def test_every_shipped_spread_is_marked_as_bimcarbons_judgement_with_its_reason():
    spreads = load_spreads()
    found = []

    def walk(node, path):
        from bimcarbon.uncertainty.spreads import Spread

        if isinstance(node, Spread):
            found.append((path, node))
            return
        for name in getattr(type(node), "model_fields", {}):
            if name not in ("zh", "metadata"):
                walk(getattr(node, name), f"{path}.{name}".lstrip("."))

    walk(spreads, "")
    assert len(found) == 19
    for path, spread in found:
        assert spread.status.value == "unconfirmed", path
        assert "judgement" in spread.reason or spread.p95_ratio == 1.0, path
        assert spread.zh.get("reason"), path


# --- break-even ---------------------------------------------------------------------------------------


def test_the_break_even_of_the_office_on_paper(office_run):
    # with embodied: intensity 46.6625 + U / 50, baseline 93.325 + 326.75 / 50 = 99.86 kg/(m2.a).
    # Low-carbon: reduction share >= 40 %: (99.86 - 46.6625 - U/50) / 99.86 >= 0.4
    #   <=> U <= 50 x (0.6 x 99.86 - 46.6625) = 662.675;
    #   and 7 kg: U <= 50 x (99.86 - 46.6625 - 7) = 2,309.875.
    # Near-zero (60 %): 50 x (0.4 x 99.86 - 46.6625) < 0: fails at U = 0.
    # Zero-carbon: net 45.0 > 0 at U = 0.
    a = office_run.assessment
    be = a.embodied_break_even
    assert be.current_kg_per_m2 == pytest.approx(a.embodied.upfront_a1_a5 / 160.0)
    low, near, zero = be.tiers
    assert low.break_even_kg_per_m2 == pytest.approx(662.67, abs=1e-9)  # 662.675 rounded down to 0.01
    assert low.margin_kg_per_m2 == pytest.approx(662.67 - be.current_kg_per_m2)
    assert (near.break_even_kg_per_m2, near.reason_id) == (None, "fails_at_zero")
    assert (zero.break_even_kg_per_m2, zero.reason_id) == (None, "fails_at_zero")
    # checked against the real functions on both sides
    pack = load_pack()
    for upfront, verdict in ((662.67, "pass"), (662.68, "fail")):
        totals = a.embodied.model_copy(update={"upfront_a1_a5": upfront * 160.0})
        values = metrics(a.operational, office_run.energy, totals, 160.0, 50.0, True)
        assert evaluate(pack, values).tiers[0].verdict == verdict


def test_the_break_even_of_each_kind_of_criterion_on_paper_where_embodied_helps_and_hurts():
    # 1,000 m2, 50 years; operation 39 kg/(m2.a), net -5 kg/(m2.a) (exported PV), baseline 60 kg/(m2.a)
    # and a reference embodied of 1,200 kg/m2 (larger than the building's U = 300 kg/m2).
    # Without embodied: reduction (60 - 39) / 60 = 35 %: low-carbon fails; net -5 <= 0: zero-carbon passes.
    # With: baseline 60 + 1,200 / 50 = 84, intensity 39 + U / 50.
    #   low-carbon, 40 %: 45 - U/50 >= 0.4 x 84 = 33.6 <=> U <= 570; 7 kg: U <= 1,900: break-even 570,
    #     margin 570 - 300 = +270: counting embodied makes it PASS (the baseline's embodied is larger)
    #   near-zero, 60 %: 45 - U/50 >= 50.4 fails even at U = 0
    #   zero-carbon: -5 + U/50 <= 0 <=> U <= 250: margin -50: counting embodied makes it FAIL
    from bimcarbon.assess import EmbodiedGate, _break_even, _modes

    op = OperationalResult(
        grid_factor_id="g", grid_factor_kgco2_per_kwh=0.5, grid_electricity_kwh=0.0, lines=[],
        gross_kgco2_per_year=39_000.0, green_electricity_credit_kgco2=0.0, exported_pv_credit_kgco2=44_000.0,
        offsets_kgco2=0.0, net_kgco2_per_year=-5_000.0, baseline_kgco2_per_year=None,
        baseline_intensity_kg_per_m2a=60.0, complete=True, notes=[],
    )  # fmt: skip
    energy = EnergyInput(building_type="public", baseline={"reference_embodied_kg_per_m2": 1200.0})
    totals = ModuleTotals(
        a1_a3=250_000.0, a4=0.0, a5=50_000.0, b4=0.0, c1_c4=0.0, biogenic_kgco2=0.0,
        upfront_a1_a5=300_000.0, embodied_total=300_000.0,
    )  # fmt: skip
    gate = EmbodiedGate(True, 1.0, False, False, "")
    pack = load_pack()
    without, with_ = _modes(pack, op, energy, totals, 1000.0, 50.0, gate)
    be = _break_even(pack, op, energy, totals, 1000.0, 50.0, gate, without)
    low, near, zero = be.tiers
    assert (low.verdict_without_embodied, low.verdict_with_embodied) == ("fail", "pass")
    assert 570.0 - 0.01 <= low.break_even_kg_per_m2 <= 570.0
    assert low.margin_kg_per_m2 == pytest.approx(270.0, abs=0.011)
    assert (near.break_even_kg_per_m2, near.reason_id) == (None, "fails_at_zero")
    assert (zero.verdict_without_embodied, zero.verdict_with_embodied) == ("pass", "fail")
    assert 250.0 - 0.01 <= zero.break_even_kg_per_m2 <= 250.0
    assert zero.margin_kg_per_m2 == pytest.approx(-50.0, abs=0.011)
    # the break-even agrees with the assessment's own verdicts at the building's value
    assert [t.verdict for t in with_.verdicts.tiers] == [t.verdict_with_embodied for t in be.tiers]


def _pack(*tiers: tuple[str, str, str, float]) -> CriteriaPack:
    """A pack of one-criterion tiers (id, metric, operator, threshold)."""
    return CriteriaPack(
        metadata={"id": "p", "title": "p"},
        tiers=[
            {"id": tier, "name_en": tier, "criteria": [
                {"id": "c", "metric": metric, "operator": operator, "threshold": threshold, "unit": "u",
                 "source": "s", "provisional": True}]}
            for tier, metric, operator, threshold in tiers
        ],
    )  # fmt: skip


def test_while_the_gate_blocks_the_break_even_never_says_a_tier_passes_with_embodied(blocked_run):
    # 1.9 % of the mass counted: the assessment's with-embodied verdicts are all "not assessable"; the
    # break-even still says where low-carbon would flip (U <= 470.34 kg/m2), but its "with embodied"
    # column must say what the assessment says, not "pass"
    a = blocked_run.assessment
    assert {t.verdict for t in a.with_embodied.verdicts.tiers} == {"not assessable"}
    be = a.embodied_break_even
    assert be.note
    assert [t.verdict_with_embodied for t in be.tiers] == ["not assessable"] * 3
    assert be.tiers[0].break_even_kg_per_m2 is not None and be.tiers[0].margin_kg_per_m2 > 0


def test_a_tier_whose_criteria_do_not_depend_on_embodied_has_no_break_even():
    from bimcarbon.uncertainty.breakeven import embodied_break_even

    pack = _pack(
        ("baseline-only", "baseline_carbon_intensity_kg_per_m2a", ">=", 0.0),
        ("missing", "carbon_intensity_kg_per_m2a", "<=", 10.0),
    )
    without = evaluate(pack, {"baseline_carbon_intensity_kg_per_m2a": 50.0})
    result = embodied_break_even(
        pack,
        lambda u: {"baseline_carbon_intensity_kg_per_m2a": 50.0, "carbon_intensity_kg_per_m2a": None},
        300.0,
        without,
    )
    first, second = result.tiers
    assert (first.break_even_kg_per_m2, first.reason_id) == (None, "independent")
    assert (second.break_even_kg_per_m2, second.reason_id) == (None, "not_assessable")
    assert "carbon_intensity_kg_per_m2a" in second.reason


def test_a_tier_that_fails_at_the_buildings_value_has_a_negative_margin():
    # intensity = 20 + U / 50 <= 30  <=>  U <= 500; the building has 620: it must cut 120 kg/m2
    from bimcarbon.uncertainty.breakeven import embodied_break_even

    pack = _pack(("t", "carbon_intensity_kg_per_m2a", "<=", 30.0))
    without = evaluate(pack, {"carbon_intensity_kg_per_m2a": 20.0})
    result = embodied_break_even(
        pack, lambda u: {"carbon_intensity_kg_per_m2a": 20.0 + u / 50.0}, 620.0, without
    )
    tier = result.tiers[0]
    assert tier.break_even_kg_per_m2 == pytest.approx(500.0, abs=0.01)
    assert tier.margin_kg_per_m2 == pytest.approx(-120.0, abs=0.01)
    assert (tier.verdict_without_embodied, tier.verdict_with_embodied) == ("pass", "fail")


def test_without_a_floor_area_there_is_no_break_even():
    from bimcarbon.uncertainty.breakeven import embodied_break_even

    pack = load_pack()
    result = embodied_break_even(pack, lambda u: {}, None, evaluate(pack, {}))
    assert {t.reason_id for t in result.tiers} == {"no_floor_area"}
    assert result.current_kg_per_m2 is None


# --- the command line -----------------------------------------------------------------------------------


def _cli(*args: str):
    from typer.testing import CliRunner

    from bimcarbon.cli import app

    return CliRunner().invoke(app, ["assess", str(OFFICE), "--energy", str(ENERGY), *args])


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--uncertainty", "50"], "error: --uncertainty takes 100 to 100,000 samples (got 50)"),
        (["--uncertainty", "200000"], "error: --uncertainty takes 100 to 100,000 samples (got 200,000)"),
        (["--seed", "3"], "error: --seed need(s) --uncertainty N (the number of samples)"),
        (["--conservative"], "error: --conservative need(s) --uncertainty N (the number of samples)"),
        (["--uncertainty", "100", "--seed", "-1"], "error: --seed must be a whole number from 0 to"),
    ],
)
def test_bad_monte_carlo_options_are_one_line_and_exit_2(args, line):
    result = _cli(*args)
    assert result.exit_code == 2
    assert result.output.startswith(line)
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_the_cli_writes_the_uncertainty_and_the_same_seed_gives_the_same_json(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for path in (first, second):
        result = _cli("--uncertainty", "300", "--seed", "5", "--conservative", "--json", str(path))
        assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()
    document = yaml.safe_load(first.read_text(encoding="utf-8"))
    u = document["uncertainty"]
    assert (u["samples"], u["seed"], u["conservative"]) == (300, 5, True)
    assert set(u["percentiles"]["a1_a3"]) >= {"p5", "p50", "p95", "p80"}
    assert set(u["tier_probability"]["with_embodied"]) == {"low-carbon", "near-zero-carbon", "zero-carbon"}
    assert u["top_contributors"]["embodied_total"][0]["share"] > 0
    assert document["embodied_break_even"]["tiers"][0]["break_even_kg_per_m2"] == pytest.approx(662.67)
    console = result.output
    assert "Probability of reaching each tier" in console and "P80 (conservative)" in console
    assert "Embodied break-even" in console and "662.67" in console
    assert "Largest contributors to the variance of embodied total (first-order terms explain" in console
    assert "(mass ratio)" in console  # kinds in words, not ids


def test_without_uncertainty_the_json_has_none_and_the_break_even_is_still_there(tmp_path):
    path = tmp_path / "a.json"
    result = _cli("--json", str(path))
    assert result.exit_code == 0, result.output
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert document["uncertainty"] is None
    assert len(document["embodied_break_even"]["tiers"]) == 3
    assert "Ranges over the samples" not in result.output


def test_zero_spreads_from_the_command_line_reproduce_the_assessment(tmp_path):
    path = tmp_path / "a.json"
    result = _cli("--uncertainty", "100", "--spreads", str(spreads_file(tmp_path)), "--json", str(path))
    assert result.exit_code == 0, result.output
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    p = document["uncertainty"]["percentiles"]["embodied_total"]
    assert p["p5"] == p["p50"] == p["p95"] == document["embodied"]["embodied_total"]
    assert document["uncertainty"]["spreads_file"] == "spreads.yaml"


def test_a_broken_spreads_file_is_one_line_naming_it_before_the_model_is_assessed(tmp_path, monkeypatch):
    import bimcarbon.assess

    def not_yet(*args, **kwargs):
        raise AssertionError("the model was assessed before its spreads file was read")

    monkeypatch.setattr(bimcarbon.assess, "assess", not_yet)
    path = tmp_path / "mine.yaml"
    path.write_text("metadata: {id: x}\n", encoding="utf-8")
    result = _cli("--uncertainty", "100", "--spreads", str(path))
    assert result.exit_code == 2, result.output
    assert "mine.yaml" in result.output and len(result.output.strip().splitlines()) == 1


# --- the workbook -------------------------------------------------------------------------------------


def _sheet_rows(path: Path, title: str) -> list[tuple]:
    import openpyxl

    sheet = openpyxl.load_workbook(path)[title]
    return [tuple(v for v in row if v is not None) for row in sheet.iter_rows(values_only=True) if any(row)]


def test_the_uncertainty_sheet_holds_the_ranges_probabilities_contributors_spreads_and_break_even(tmp_path):
    out = tmp_path / "en.xlsx"
    result = _cli("--uncertainty", "400", "--conservative", "-o", str(out))
    assert result.exit_code == 0, result.output
    every = _sheet_rows(out, "Uncertainty")
    tier_rows = [row[1:] for row in every if row[0] == "Low-carbon building"]
    assert tier_rows[0][:3] == ("pass", "pass", 662.67)  # break-even
    assert tier_rows[1][0] == 1 and 0.5 < tier_rows[1][1] < 1  # probabilities without and with
    rows = {row[0]: row[1:] for row in every}
    assessed, mean, p5, p50, p95, p80 = rows["A1-A3 (kgCO2e)"][1:]
    assert p5 < assessed < p95 and p5 < p50 < p80 < p95
    assert rows["Samples"] == (400,) and rows["Seed"] == (16,)
    contributors = [row[1:3] for row in every if row[0] == "Embodied total (kgCO2e)"]
    assert ("mass ratio", "steel_rebar (rule assumed-rebar)") in contributors
    assert rows["mass ratio assumed"][:4] == ("lognormal", 1.5, 1, 12)


def test_the_chinese_uncertainty_sheet_has_no_english_sentence(tmp_path):
    out = tmp_path / "zh.xlsx"
    result = _cli("--uncertainty", "200", "--conservative", "-o", str(out), "--lang", "zh")
    assert result.exit_code == 0, result.output
    rows = _sheet_rows(out, "不确定性")
    texts = [v for row in rows for v in row if isinstance(v, str)]
    assert "低碳建筑" in texts and "达到各等级的概率" in texts and "假定的含量" in texts
    # factor, rule and file names stay as written; no run of three English words anywhere
    for text in texts:
        assert not re.search(r"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}", text), text


def test_without_the_monte_carlo_the_sheet_says_how_to_run_it_and_keeps_the_break_even(tmp_path):
    out = tmp_path / "en.xlsx"
    result = _cli("-o", str(out))
    assert result.exit_code == 0, result.output
    texts = [v for row in _sheet_rows(out, "Uncertainty") for v in row]
    assert 662.67 in texts
    assert any(
        isinstance(v, str) and v.startswith("Not run: bimcarbon assess MODEL --uncertainty N") for v in texts
    )


def test_a_model_where_nothing_is_counted_still_gets_its_ranges_and_says_not_assessable(tmp_path):
    # the web's default 1,000 samples on a model whose every material is left out: no component at all.
    # It failed with a TypeError (an empty list of booleans became a float array), so the web run failed.
    import json

    from test_web_fixing import fixing_model
    from typer.testing import CliRunner

    from bimcarbon.cli import app

    model = fixing_model(tmp_path / "nothing-counted.ifc")
    out = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["assess", str(model), "--uncertainty", "100", "--json", str(out)])
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["embodied"]["a1_a3"] == 0
    a1_a3 = document["uncertainty"]["percentiles"]["a1_a3"]
    assert (a1_a3["p5"], a1_a3["p50"], a1_a3["p95"]) == (0, 0, 0)  # nothing drawn, nothing invented
    assert set(document["uncertainty"]["tier_probability"]["with_embodied"].values()) == {None}
