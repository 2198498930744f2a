"""Splitting an element's quantities between its material parts: numbers checked on paper."""

from __future__ import annotations

import math

import pytest

from bimcarbon.ifc.materials import MaterialSpec, PartSpec
from bimcarbon.ifc.quantities import ElementQuantities, Measured
from bimcarbon.split import VolumeChoice, part_shares, split_element, volume_without_geometry


def _layers(*thicknesses: float) -> MaterialSpec:
    parts = tuple(PartSpec(i, f"m{i}", thickness_m=t) for i, t in enumerate(thicknesses))
    return MaterialSpec("layer", "occurrence", "set", parts)


def _constituents(*fractions: float | None, names=None) -> MaterialSpec:
    names = names or [f"c{i}" for i in range(len(fractions))]
    parts = tuple(
        PartSpec(i, f"m{i}", fraction=f, part_name=n)
        for i, (f, n) in enumerate(zip(fractions, names, strict=True))
    )
    return MaterialSpec("constituent", "occurrence", "set", parts)


def test_a_layered_wall_volume_is_split_by_layer_thickness():
    # 0.20 + 0.10 + 0.02 = 0.32 m on a 10 m2 wall: 3.2 m3 -> 2.0, 1.0 and 0.2 m3
    q = ElementQuantities(volume=Measured(3.2, "Qto_WallBaseQuantities.NetVolume", "net"))
    choice = volume_without_geometry(q, _layers(0.20, 0.10, 0.02), None)
    rows = split_element(_layers(0.20, 0.10, 0.02), q, choice, None)
    assert [r.volume_m3 for r in rows] == pytest.approx([2.0, 1.0, 0.2])
    assert rows[0].quantity_source == "Qto_WallBaseQuantities.NetVolume*layer:thickness_share"


def test_without_a_volume_layers_are_area_times_thickness_and_each_covers_the_whole_area():
    q = ElementQuantities(area=Measured(10.0, "BaseQuantities.NetSideArea", "net"))
    material = _layers(0.20, 0.10, 0.02)
    choice = volume_without_geometry(q, material, None)
    assert choice.source == "layer:area*thickness"
    rows = split_element(material, q, choice, None)
    assert [r.volume_m3 for r in rows] == pytest.approx([2.0, 1.0, 0.2])
    assert [r.area_m2 for r in rows] == [10.0, 10.0, 10.0]


def test_constituents_are_split_by_fraction():
    q = ElementQuantities(volume=Measured(0.144, "geometry"))
    material = _constituents(0.25, 0.75)
    rows = split_element(material, q, VolumeChoice(0.144, "geometry"), None)
    assert [r.volume_m3 for r in rows] == pytest.approx([0.036, 0.108])
    assert all(r.quantity_source == "geometry*constituent:fraction" for r in rows)
    assert all("equal_split" not in r.flags for r in rows)


def test_fractions_that_do_not_add_up_to_one_are_normalised_and_flagged():
    shares, _, flags = part_shares(_constituents(0.5, 1.5), ElementQuantities())
    assert shares == pytest.approx([0.25, 0.75])
    assert all("fractions_normalised" in f for f in flags)


def test_constituents_without_fractions_are_split_equally_and_flagged():
    shares, methods, flags = part_shares(_constituents(None, None, None, None), ElementQuantities())
    assert shares == pytest.approx([0.25] * 4)
    assert methods == ["equal_split"] * 4
    assert all("equal_split" in f for f in flags)


def test_a_missing_fraction_takes_what_the_others_leave():
    shares, methods, flags = part_shares(_constituents(0.7, None), ElementQuantities())
    assert shares == pytest.approx([0.7, 0.3])
    assert "equal_split" in flags[1] and "equal_split" not in flags[0]


def test_constituent_volumes_exported_per_part_win_over_fractions():
    # IfcPhysicalComplexQuantity entries named like the constituents carry their own volumes
    q = ElementQuantities(
        part_volumes={
            "frame": Measured(0.01, "Qto_WindowBaseQuantities.Frame.NetVolume"),
            "glazing": Measured(0.03, "Qto_WindowBaseQuantities.Glazing.NetVolume"),
        }
    )
    material = _constituents(0.5, 0.5, names=["Frame", "Glazing"])
    rows = split_element(material, q, VolumeChoice(0.5, "geometry"), None)
    assert [r.volume_m3 for r in rows] == [0.01, 0.03]
    assert rows[1].quantity_source == "Qto_WindowBaseQuantities.Glazing.NetVolume"


def test_per_part_volumes_are_used_only_when_every_part_has_one():
    q = ElementQuantities(part_volumes={"frame": Measured(0.01, "Qto_WindowBaseQuantities.Frame.NetVolume")})
    material = _constituents(0.25, 0.75, names=["Frame", "Glazing"])
    rows = split_element(material, q, VolumeChoice(0.2, "geometry"), None)
    assert [r.volume_m3 for r in rows] == pytest.approx([0.05, 0.15])


def test_when_the_given_fractions_leave_nothing_the_split_is_equal_and_flagged():
    # 0.6 + 0.6 leave nothing for the third constituent: the fractions are not usable
    shares, _, flags = part_shares(_constituents(0.6, 0.6, None), ElementQuantities())
    assert shares == pytest.approx([1 / 3] * 3)
    assert all("equal_split" in f for f in flags)


def test_a_type_volume_ranks_below_the_occurrences_own_profile_dimensions():
    material = MaterialSpec("profile", "occurrence", "HEB", (PartSpec(0, "Steel", profile_area_m2=0.00753),))
    q = ElementQuantities(
        type_volume=Measured(1.0, "type:Qto_BeamBaseQuantities.NetVolume", "net"),
        length=Measured(4.0, "Qto_BeamBaseQuantities.Length"),
    )
    assert volume_without_geometry(q, material, None).source == "profile:area*length"
    alone = ElementQuantities(type_volume=Measured(1.0, "type:Qto_BeamBaseQuantities.NetVolume", "net"))
    choice = volume_without_geometry(
        alone, MaterialSpec("single", "type", None, (PartSpec(0, "Steel"),)), None
    )
    assert choice.volume_m3 == 1.0 and choice.flags == ("type_quantity",)


def test_profile_sets_are_profile_area_times_length():
    material = MaterialSpec("profile", "occurrence", "HEB", (PartSpec(0, "Steel", profile_area_m2=0.00753),))
    q = ElementQuantities(length=Measured(4.0, "Qto_BeamBaseQuantities.Length"))
    choice = volume_without_geometry(q, material, None)
    assert choice.source == "profile:area*length"
    assert math.isclose(choice.volume_m3, 0.03012)


def test_an_exported_volume_wins_over_profile_area_times_length():
    material = MaterialSpec("profile", "occurrence", "HEB", (PartSpec(0, "Steel", profile_area_m2=0.00753),))
    q = ElementQuantities(
        volume=Measured(0.03, "Qto_BeamBaseQuantities.NetVolume", "net"),
        length=Measured(4.0, "Qto_BeamBaseQuantities.Length"),
    )
    assert volume_without_geometry(q, material, None).source == "Qto_BeamBaseQuantities.NetVolume"


def test_material_lists_are_split_equally_and_flagged():
    parts = (PartSpec(0, "Glass"), PartSpec(1, "Aluminium"))
    material = MaterialSpec("list", "occurrence", None, parts)
    rows = split_element(material, ElementQuantities(), VolumeChoice(0.2, "geometry"), None)
    assert [r.volume_m3 for r in rows] == pytest.approx([0.1, 0.1])
    assert all("equal_split" in r.flags for r in rows)


def test_mass_is_volume_times_density_when_no_weight_is_exported():
    material = MaterialSpec(
        "single", "occurrence", None, (PartSpec(0, "Concrete", density_kg_per_m3=2400.0),)
    )
    rows = split_element(material, ElementQuantities(), VolumeChoice(2.0, "geometry"), None)
    assert rows[0].mass_kg == 4800.0
    assert rows[0].mass_source == "volume*density"


def test_an_exported_weight_of_a_layered_element_is_shared_by_volume_times_density():
    # 0.2 m concrete (2400 kg/m3) + 0.1 m EPS (30 kg/m3) on 10 m2: 2 m3 and 1 m3, 4800 + 30 = 4830 kg
    q = ElementQuantities(
        volume=Measured(3.0, "Qto_WallBaseQuantities.NetVolume", "net"),
        mass=Measured(4830.0, "Qto_WallBaseQuantities.NetWeight", "net"),
    )
    parts = (
        PartSpec(0, "Concrete", thickness_m=0.2, density_kg_per_m3=2400.0),
        PartSpec(1, "EPS", thickness_m=0.1, density_kg_per_m3=30.0),
    )
    material = MaterialSpec("layer", "occurrence", "set", parts)
    rows = split_element(material, q, volume_without_geometry(q, material, None), None)
    assert [r.mass_kg for r in rows] == pytest.approx([4800.0, 30.0])
    assert rows[0].mass_source == "Qto_WallBaseQuantities.NetWeight*mass_share"


def test_an_exported_weight_is_not_split_by_volume_when_a_part_has_no_density():
    q = ElementQuantities(
        volume=Measured(3.0, "Qto_WallBaseQuantities.NetVolume", "net"),
        mass=Measured(4830.0, "Qto_WallBaseQuantities.NetWeight", "net"),
    )
    material = _layers(0.2, 0.1)
    rows = split_element(material, q, volume_without_geometry(q, material, None), None)
    assert [r.mass_kg for r in rows] == [None, None]


def test_an_exported_weight_goes_whole_to_a_single_part():
    q = ElementQuantities(mass=Measured(236.442, "Qto_BeamBaseQuantities.NetWeight", "net"))
    material = MaterialSpec("single", "occurrence", None, (PartSpec(0, "Steel"),))
    rows = split_element(material, q, VolumeChoice(0.03012, "profile:area*length"), None)
    assert rows[0].mass_kg == 236.442 and rows[0].mass_source == "Qto_BeamBaseQuantities.NetWeight"
