"""Pure arithmetic of the take-off: choose an element's volume and split it between material parts.

No IFC here: the inputs are :class:`~bimcarbon.ifc.elements.ElementRecord` values already in SI, and
geometry volumes already measured. Every choice is written into a source string so a person can see
how each number was made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bimcarbon.ifc.materials import MaterialSpec, PartSpec
from bimcarbon.ifc.quantities import ElementQuantities, Measured

#: Tolerance on the sum of constituent fractions before they are re-normalised (and flagged).
FRACTION_SUM_TOLERANCE = 1e-6


@dataclass(frozen=True)
class VolumeChoice:
    """The element's volume, or its parts' volumes when they are computed directly.

    Attributes
    ----------
    volume_m3
        Element volume in m3, or None.
    source
        Where it came from (``Qto_...NetVolume``, ``geometry``, ``profile:area*length``, ``none``).
    basis
        ``net``, ``gross`` or ``plain``.
    part_volumes_m3
        Per-part volumes when they are computed part by part (profile area x length, layer area x
        thickness); None when the element volume is to be split by shares.
    exported
        True when the volume is, or is built from, a quantity exported by the authoring tool (a
        volume, a cross-section area, or the area that layer thicknesses multiply): a candidate for
        the quantity check against the geometry.
    flags
        Codes to carry onto the element's rows (``type_quantity``).
    """

    volume_m3: float | None
    source: str
    basis: str = "plain"
    part_volumes_m3: tuple[float, ...] | None = None
    exported: bool = False
    flags: tuple[str, ...] = ()


@dataclass
class PartRow:
    """Quantities of one material part, in SI, with their sources and flags."""

    part: PartSpec
    volume_m3: float | None
    area_m2: float | None
    length_m: float | None
    mass_kg: float | None
    quantity_source: str
    area_source: str | None
    length_source: str | None
    mass_source: str | None
    flags: list[str] = field(default_factory=list)


def element_length(quantities: ElementQuantities, body_length_m: float | None) -> Measured | None:
    """The element's length: an exported Length, else the depth of its extruded body."""
    if quantities.length is not None:
        return quantities.length
    if body_length_m is not None and body_length_m > 0:
        return Measured(body_length_m, "geometry:extrusion_depth")
    return None


def volume_without_geometry(
    quantities: ElementQuantities, material: MaterialSpec, body_length_m: float | None
) -> VolumeChoice | None:
    """Volume from exported quantities or material set dimensions, without the geometry engine.

    Order: the occurrence's exported volume; exported cross-section area x length; profile area x
    length (profile sets); layer thickness x exported area (layer sets); the volume exported on the
    element's type (flagged ``type_quantity``: it describes the type, not this occurrence). None when
    none applies.
    """
    if quantities.volume is not None:
        v = quantities.volume
        return VolumeChoice(v.value, v.source, v.basis, exported=True)
    length = element_length(quantities, body_length_m)
    if quantities.cross_section is not None and length is not None:
        cs = quantities.cross_section
        return VolumeChoice(cs.value * length.value, f"{cs.source}*{length.source}", "plain", exported=True)
    parts = material.parts
    if material.kind == "profile" and length is not None:
        areas = [p.profile_area_m2 for p in parts]
        if all(a is not None for a in areas):
            volumes = tuple(a * length.value for a in areas if a is not None)
            return VolumeChoice(sum(volumes), "profile:area*length", "plain", volumes)
    if material.kind == "layer" and quantities.area is not None:
        thicknesses = [p.thickness_m or 0.0 for p in parts]
        if sum(thicknesses) > 0:
            area = quantities.area
            volumes = tuple(t * area.value for t in thicknesses)
            return VolumeChoice(sum(volumes), "layer:area*thickness", area.basis, volumes, exported=True)
    if quantities.type_volume is not None:
        v = quantities.type_volume
        return VolumeChoice(v.value, v.source, v.basis, exported=True, flags=("type_quantity",))
    return None


def part_shares(
    material: MaterialSpec, quantities: ElementQuantities
) -> tuple[list[float], list[str], list[list[str]]]:
    """Share of the element volume for each part, how it was found, and flags per part.

    Parameters
    ----------
    material
        The element's material parts.
    quantities
        The element's exported quantities (constituent volumes are looked up by name).

    Returns
    -------
    shares, methods, flags
        ``shares`` sum to 1 (or are all equal when nothing better is known); ``methods`` describes
        each share (``layer:thickness_share``, ``constituent:fraction``, ``equal_split`` ...).
    """
    parts = material.parts
    n = len(parts)
    flags: list[list[str]] = [[] for _ in parts]
    if n == 0:
        return [], [], flags
    if n == 1:
        return [1.0], [""], flags
    equal = [1.0 / n] * n
    if material.kind == "layer":
        thickness = [p.thickness_m or 0.0 for p in parts]
        total = sum(thickness)
        if total > 0:
            return [t / total for t in thickness], ["layer:thickness_share"] * n, flags
        return _equal(n, flags)
    if material.kind == "profile":
        areas = [p.profile_area_m2 for p in parts]
        if all(a is not None for a in areas):
            total = sum(a for a in areas if a is not None)
            if total > 0:
                return (
                    [a / total for a in areas if a is not None],
                    ["profile:area_share"] * n,
                    flags,
                )
        return _equal(n, flags)
    if material.kind == "constituent":
        return _constituent_shares(parts, flags)
    if material.kind == "list":
        return _equal(n, flags)
    return equal, ["equal_split"] * n, flags


def _equal(n: int, flags: list[list[str]]) -> tuple[list[float], list[str], list[list[str]]]:
    for f in flags:
        f.append("equal_split")
    return [1.0 / n] * n, ["equal_split"] * n, flags


def _constituent_shares(
    parts: tuple[PartSpec, ...], flags: list[list[str]]
) -> tuple[list[float], list[str], list[list[str]]]:
    n = len(parts)
    fractions = [p.fraction for p in parts]
    known = [f for f in fractions if f is not None and f >= 0]
    if not known or len(known) != n:
        if not known:
            return _equal(n, flags)
        # Some fractions given: the rest of 1 is shared equally by the parts without one. If
        # nothing is left for them, the fractions say nothing usable: split equally.
        missing = [i for i, f in enumerate(fractions) if f is None or f < 0]
        rest = 1.0 - sum(known)
        if rest <= 0:
            return _equal(n, flags)
        shares = [float(f) if f is not None and f >= 0 else rest / len(missing) for f in fractions]
        methods = ["constituent:fraction"] * n
        for i in missing:
            flags[i].append("equal_split")
            methods[i] = "equal_split"
        return _normalised(shares, methods, flags)
    return _normalised([float(f) for f in known], ["constituent:fraction"] * n, flags)


def _normalised(
    shares: list[float], methods: list[str], flags: list[list[str]]
) -> tuple[list[float], list[str], list[list[str]]]:
    total = sum(shares)
    if total <= 0:
        return _equal(len(shares), flags)
    if not math.isclose(total, 1.0, abs_tol=FRACTION_SUM_TOLERANCE):
        for f in flags:
            f.append("fractions_normalised")
    return [s / total for s in shares], methods, flags


def split_element(
    material: MaterialSpec,
    quantities: ElementQuantities,
    choice: VolumeChoice,
    length: Measured | None,
) -> list[PartRow]:
    """Rows of one element: its volume, area, length and mass split between its material parts.

    Layers each cover the element's whole area; profiles each run its whole length; otherwise area
    and length are shared like the volume. Mass: a part's volume x its material's density where the
    model gives one; an exported element weight goes whole to a single part, and is split between
    several parts only in proportion to volume x density (parts of different materials weigh
    differently), so it is not used when a part has no density.
    """
    parts = material.parts
    shares, methods, part_flags = part_shares(material, quantities)
    exported_parts = _exported_part_volumes(material, quantities)
    area, mass = quantities.area, quantities.mass
    rows: list[PartRow] = []
    for i, part in enumerate(parts):
        flags = list(part.flags) + part_flags[i]
        if exported_parts is not None:
            measured = exported_parts[i]
            volume, source = measured.value, measured.source
            share = volume / sum(m.value for m in exported_parts)
            flags = [f for f in flags if f != "equal_split"]
        elif choice.part_volumes_m3 is not None:
            volume, source = choice.part_volumes_m3[i], choice.source
            share = volume / choice.volume_m3 if choice.volume_m3 else shares[i]
        elif choice.volume_m3 is not None:
            share = shares[i]
            volume = choice.volume_m3 * share
            source = f"{choice.source}*{methods[i]}" if methods[i] else choice.source
        else:
            share, volume, source = shares[i], None, "none"
        whole_area = material.kind == "layer"
        whole_length = material.kind in ("layer", "profile")
        row = PartRow(
            part=part,
            volume_m3=volume,
            area_m2=(area.value if whole_area else area.value * share) if area else None,
            length_m=(length.value if whole_length else length.value * share) if length else None,
            mass_kg=None,
            quantity_source=source,
            area_source=area.source if area else None,
            length_source=length.source if length else None,
            mass_source=None,
            flags=flags,
        )
        if volume is not None and part.density_kg_per_m3 is not None:
            row.mass_kg = volume * part.density_kg_per_m3
            row.mass_source = "volume*density"
        rows.append(row)
    if mass is not None:
        _share_weight(rows, mass)
    return rows


def _share_weight(rows: list[PartRow], mass: Measured) -> None:
    """Give an exported element weight to the parts: whole to a single part, else in proportion to
    each part's volume x density when every part has both (``*mass_share``)."""
    if len(rows) == 1:
        rows[0].mass_kg, rows[0].mass_source = mass.value, mass.source
        return
    by_density = [r.mass_kg for r in rows]
    if any(m is None for m in by_density) or sum(m for m in by_density if m is not None) <= 0:
        return
    total = sum(m for m in by_density if m is not None)
    for row, own in zip(rows, by_density, strict=True):
        row.mass_kg = mass.value * (own or 0.0) / total
        row.mass_source = f"{mass.source}*mass_share"


def _exported_part_volumes(material: MaterialSpec, quantities: ElementQuantities) -> list[Measured] | None:
    """Volumes exported per layer or constituent (complex quantities named like each part's name,
    else its material), when every part has its own; None otherwise."""
    if material.kind not in ("layer", "constituent") or not quantities.part_volumes:
        return None
    found: list[Measured] = []
    used: set[str] = set()
    for part in material.parts:
        measured = None
        for key in ((part.part_name or "").strip().lower(), (part.material or "").strip().lower()):
            if key and key not in used and key in quantities.part_volumes:
                measured = quantities.part_volumes[key]
                used.add(key)
                break
        if measured is None:
            return None
        found.append(measured)
    return found
