"""Build the bimcarbon sample IFC models and their hand-computed expected take-off.

Run from the repository root::

    python sample_models/build_samples.py             # the four office models + CSV + the park
    python sample_models/build_samples.py --check     # rebuild, then verify them
    python sample_models/build_samples.py --large 10000 --out /tmp/large.ifc [--no-quantities]

The office building is the same in every file; only the schema and the project units
change. Every dimension is chosen so that each quantity can be checked on paper (see
``sample_models/README.md``). The output is deterministic: GlobalIds are derived from
element names with ``uuid5`` and the STEP header carries a fixed timestamp, so a rebuild
is byte-identical for the same ifcopenshell version.

The script uses ``ifcopenshell.api`` for entities, relationships, materials, quantities
and body representations. Object placements are written directly: the API re-derives
placements through 4x4 matrix inversions, which leaves floating-point noise such as
``2.9999999999999996`` in the coordinates; relationships are therefore created before
any placement exists and placements are written last.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.context
import ifcopenshell.api.feature
import ifcopenshell.api.geometry
import ifcopenshell.api.material
import ifcopenshell.api.owner
import ifcopenshell.api.project
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.type
import ifcopenshell.api.unit
import ifcopenshell.guid

Entity = ifcopenshell.entity_instance
XYZ = tuple[float, float, float]

OUT_DIR = Path(__file__).resolve().parent
EXPECTED_CSV = "expected_quantities.csv"
#: Fixed namespace for name-derived GlobalIds (arbitrary, never change it).
GUID_NAMESPACE = uuid.UUID("0b6f3c9e-2d51-5a7e-9c43-8e1f0a6b2d17")
HEADER_TIMESTAMP = "2025-01-01T00:00:00"
FIXED_EPOCH = 1735689600  # HEADER_TIMESTAMP as UTC seconds, for IFC2X3 owner histories
APPLICATION = "bimcarbon sample_models/build_samples.py"

# Exact unit definitions (ifcopenshell.util.unit.si_conversions rounds some of these).
FOOT_M = 0.3048
SQUARE_FOOT_M2 = 0.09290304
CUBIC_FOOT_M3 = 0.028316846592
POUND_KG = 0.45359237

D = Decimal

# --------------------------------------------------------------------------------------
# Building dimensions (SI, metres). Decimal so the expected volumes are exact on paper.
# --------------------------------------------------------------------------------------
FOOTPRINT_X = D("10.0")
FOOTPRINT_Y = D("8.0")
STOREY_HEIGHT = D("3.0")
SLAB_THICKNESS = D("0.20")
WALL_HEIGHT = D("3.0")
EXT_LAYERS = (
    ("Concrete C30/37", D("0.20")),
    ("Mineral wool insulation", D("0.10")),
    ("Gypsum plaster", D("0.02")),
)
EXT_THICKNESS = sum((t for _, t in EXT_LAYERS), D(0))  # 0.32
SHORT_WALL = FOOTPRINT_Y - 2 * EXT_THICKNESS  # 7.36
WINDOW_WIDTH = D("1.5")
WINDOW_HEIGHT = D("1.2")
WINDOW_DEPTH = D("0.08")
WINDOW_SILL = D("0.9")
WINDOW_FRAME_FRACTION = D("0.25")
WINDOW_GLAZING_FRACTION = D("0.75")
INT_THICKNESS = D("0.10")
INT_WALL_1 = SHORT_WALL  # 7.36 m, x = 6.00..6.10, y = 0.32..7.68
INT_WALL_2 = D("6.0") - EXT_THICKNESS  # 5.68 m, x = 0.32..6.00, y = 3.90..4.00
HEB = {"w": D("0.2"), "d": D("0.2"), "tw": D("0.009"), "tf": D("0.015")}
IPE = {"w": D("0.15"), "d": D("0.3"), "tw": D("0.0071"), "tf": D("0.0107")}
STEEL_BEAM_LENGTH = D("4.0")
GLULAM_W, GLULAM_D, GLULAM_LENGTH = D("0.2"), D("0.4"), D("5.0")
CONCRETE_COLUMN = D("0.4")


def i_section_area(p: dict[str, Decimal]) -> Decimal:
    """Area of an I-section without fillets: two flanges plus the web between them."""
    return 2 * p["w"] * p["tf"] + (p["d"] - 2 * p["tf"]) * p["tw"]


HEB_AREA = i_section_area(HEB)  # 0.00753
IPE_AREA = i_section_area(IPE)  # 0.00518806

STOREYS = (("Ground floor", D("0.0")), ("First floor", STOREY_HEIGHT))
GF, FF = STOREYS[0][0], STOREYS[1][0]


# --------------------------------------------------------------------------------------
# Variants (schema x units)
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Variant:
    """One output file: the schema and the project units it is authored in."""

    file_name: str
    schema: str
    length_unit: str  # "m", "mm" or "ft"

    @property
    def length_scale(self) -> float:
        """Metres per project length unit."""
        return {"m": 1.0, "mm": 0.001, "ft": FOOT_M}[self.length_unit]

    @property
    def area_scale(self) -> float:
        """Square metres per project area unit."""
        return SQUARE_FOOT_M2 if self.length_unit == "ft" else 1.0

    @property
    def volume_scale(self) -> float:
        """Cubic metres per project volume unit."""
        return CUBIC_FOOT_M3 if self.length_unit == "ft" else 1.0

    @property
    def is_ifc2x3(self) -> bool:
        """True for the IFC2X3 file (no profile or constituent sets, plain BaseQuantities)."""
        return self.schema == "IFC2X3"


VARIANTS = (
    Variant("office_m.ifc", "IFC4", "m"),
    Variant("office_mm.ifc", "IFC4", "mm"),
    Variant("office_ft.ifc", "IFC4", "ft"),
    Variant("office_ifc2x3.ifc", "IFC2X3", "m"),
)


def tidy(value: float) -> float:
    """Drop binary noise from a unit conversion (7.1000000000000005 -> 7.1)."""
    return float(f"{value:.15g}")


def has_attribute(model: ifcopenshell.file, ifc_class: str, attribute: str) -> bool:
    """Whether ``ifc_class`` has ``attribute`` in the model's schema."""
    schema = ifcopenshell.ifcopenshell_wrapper.schema_by_name(model.schema)
    names = [a.name() for a in schema.declaration_by_name(ifc_class).all_attributes()]
    return attribute in names


def guid_for(key: str) -> str:
    """A stable IFC GlobalId derived from a key."""
    return ifcopenshell.guid.compress(uuid.uuid5(GUID_NAMESPACE, key).hex)


# --------------------------------------------------------------------------------------
# Model skeleton shared by the office models and the large benchmark model
# --------------------------------------------------------------------------------------
def new_model(schema: str, file_name: str) -> ifcopenshell.file:
    """An empty model with a deterministic STEP header."""
    model = ifcopenshell.api.project.create_file(version=schema)
    model.header.file_name.name = file_name
    model.header.file_name.time_stamp = HEADER_TIMESTAMP
    model.header.file_name.author = ("bimcarbon",)
    model.header.file_name.organization = ("bimcarbon",)
    model.header.file_name.authorization = "None"
    return model


def add_owner(model: ifcopenshell.file) -> None:
    """IFC2X3 requires an owner history on every rooted entity: create the user and app.

    IFC4 models get none (the attribute is optional there and ifcopenshell writes the
    current time into each one).
    """
    if model.schema != "IFC2X3":
        return
    person = ifcopenshell.api.owner.add_person(
        model, identification="bimcarbon", family_name="Samples", given_name="bimcarbon"
    )
    organisation = ifcopenshell.api.owner.add_organisation(
        model, identification="bimcarbon", name="bimcarbon"
    )
    ifcopenshell.api.owner.add_person_and_organisation(model, person=person, organisation=organisation)
    ifcopenshell.api.owner.add_application(
        model,
        application_developer=organisation,
        version="1.0",
        application_full_name=APPLICATION,
        application_identifier="bimcarbon-samples",
    )


def add_units(model: ifcopenshell.file, variant: Variant) -> None:
    """Assign length, area, volume and mass units (SI, millimetre or imperial)."""
    if variant.length_unit == "ft":
        units = [
            conversion_unit(model, "LENGTHUNIT", "FOOT", FOOT_M, "IfcLengthMeasure"),
            conversion_unit(model, "AREAUNIT", "SQUARE FOOT", SQUARE_FOOT_M2, "IfcAreaMeasure"),
            conversion_unit(model, "VOLUMEUNIT", "CUBIC FOOT", CUBIC_FOOT_M3, "IfcVolumeMeasure"),
            conversion_unit(model, "MASSUNIT", "POUND", POUND_KG, "IfcMassMeasure"),
        ]
    else:
        prefix = "MILLI" if variant.length_unit == "mm" else None
        units = [
            model.createIfcSIUnit(None, "LENGTHUNIT", prefix, "METRE"),
            model.createIfcSIUnit(None, "AREAUNIT", None, "SQUARE_METRE"),
            model.createIfcSIUnit(None, "VOLUMEUNIT", None, "CUBIC_METRE"),
            model.createIfcSIUnit(None, "MASSUNIT", "KILO", "GRAM"),
        ]
    assignment = ifcopenshell.api.unit.assign_unit(model, units=units)
    assignment.Units = units  # assign_unit stores them through a set: keep our order


_EXPONENTS = {
    "LENGTHUNIT": (1, 0, 0, 0, 0, 0, 0),
    "AREAUNIT": (2, 0, 0, 0, 0, 0, 0),
    "VOLUMEUNIT": (3, 0, 0, 0, 0, 0, 0),
    "MASSUNIT": (0, 1, 0, 0, 0, 0, 0),
}
_SI_BASE = {
    "LENGTHUNIT": (None, "METRE"),
    "AREAUNIT": (None, "SQUARE_METRE"),
    "VOLUMEUNIT": (None, "CUBIC_METRE"),
    "MASSUNIT": ("KILO", "GRAM"),
}


def conversion_unit(
    model: ifcopenshell.file, unit_type: str, name: str, factor: float, measure: str
) -> Entity:
    """An IfcConversionBasedUnit with an exact SI factor.

    ``ifcopenshell.api.unit.add_conversion_based_unit`` is not used because its table
    has POUND = 0.454 kg and CUBIC FOOT = 0.02831684671168849 m3.
    """
    prefix, si_name = _SI_BASE[unit_type]
    si_unit = model.createIfcSIUnit(None, unit_type, prefix, si_name)
    value = model.create_entity(measure, factor)
    return model.createIfcConversionBasedUnit(
        model.createIfcDimensionalExponents(*_EXPONENTS[unit_type]),
        unit_type,
        name,
        model.createIfcMeasureWithUnit(value, si_unit),
    )


def add_body_context(model: ifcopenshell.file) -> Entity:
    """The 3D model context and its Body sub-context."""
    model3d = ifcopenshell.api.context.add_context(model, context_type="Model")
    return ifcopenshell.api.context.add_context(
        model,
        context_type="Model",
        context_identifier="Body",
        target_view="MODEL_VIEW",
        parent=model3d,
    )


def finalise(model: ifcopenshell.file, guid_prefix: str) -> None:
    """Make the file reproducible and valid before writing it.

    - every IfcRoot gets a name-derived GlobalId (the API draws random ones);
    - relationship member lists are sorted by entity id (the API builds them via sets);
    - in IFC2X3, one owner history with fixed dates replaces the per-call ones.
    """
    seen: set[str] = set()
    counters: dict[str, int] = {}
    for root in sorted(model.by_type("IfcRoot"), key=lambda e: e.id()):
        if root.is_a("IfcObjectDefinition") and root.Name:
            key = f"{guid_prefix}object/{root.Name}"
        else:
            counters[root.is_a()] = counters.get(root.is_a(), 0) + 1
            key = f"{guid_prefix}{root.is_a()}#{counters[root.is_a()]}"
        if key in seen:
            raise ValueError(f"Duplicate name-derived GlobalId key {key!r}")
        seen.add(key)
        root.GlobalId = guid_for(key)
    for rel in model.by_type("IfcRelationship"):
        for attribute in ("RelatedObjects", "RelatedElements"):
            members = getattr(rel, attribute, None)
            if members and len(members) > 1:
                setattr(rel, attribute, sorted(members, key=lambda e: e.id()))
    if model.schema == "IFC2X3":
        histories = sorted(model.by_type("IfcOwnerHistory"), key=lambda e: e.id())
        keep = histories[0] if histories else None
        if keep is None:
            keep = model.createIfcOwnerHistory(
                model.by_type("IfcPersonAndOrganization")[0],
                model.by_type("IfcApplication")[0],
                "READWRITE",
                "ADDED",
            )
        keep.CreationDate = FIXED_EPOCH
        keep.LastModifiedDate = None
        keep.ChangeAction = "ADDED"
        for root in model.by_type("IfcRoot"):
            root.OwnerHistory = keep
        for history in histories[1:]:
            model.remove(history)


# --------------------------------------------------------------------------------------
# The office building
# --------------------------------------------------------------------------------------
class OfficeBuilder:
    """Builds the sample office in one schema and one set of project units."""

    def __init__(self, variant: Variant) -> None:
        self.variant = variant
        self.model = new_model(variant.schema, variant.file_name)
        self.body: Entity
        self.project: Entity
        self.site: Entity
        self.building: Entity
        self.storeys: dict[str, Entity] = {}
        self.materials: dict[str, Entity] = {}
        self.layer_sets: dict[str, Entity] = {}
        self.south_wall: Entity

    # -- unit helpers ------------------------------------------------------------------
    def length(self, metres: Decimal | float) -> float:
        """A length in project units."""
        return tidy(float(metres) / self.variant.length_scale)

    def area(self, square_metres: Decimal | float) -> float:
        """An area in project units."""
        return tidy(float(square_metres) / self.variant.area_scale)

    def volume(self, cubic_metres: Decimal | float) -> float:
        """A volume in project units."""
        return tidy(float(cubic_metres) / self.variant.volume_scale)

    # -- generic helpers ---------------------------------------------------------------
    def place(
        self,
        product: Entity,
        relative_to: Entity | None,
        origin_m: Sequence[Decimal | float],
        z_axis: XYZ | None = None,
        x_axis: XYZ | None = None,
    ) -> None:
        """Give ``product`` a local placement relative to another product's placement."""
        model = self.model
        point = model.createIfcCartesianPoint([self.length(c) for c in origin_m])
        axis = model.createIfcDirection(z_axis) if z_axis else None
        ref = model.createIfcDirection(x_axis) if x_axis else None
        product.ObjectPlacement = model.createIfcLocalPlacement(
            relative_to.ObjectPlacement if relative_to is not None else None,
            model.createIfcAxis2Placement3D(point, axis, ref),
        )

    def element(self, ifc_class: str, name: str, storey: str, predefined_type: str | None = None) -> Entity:
        """Create a named element and contain it in a storey (before it has a placement)."""
        if predefined_type and not has_attribute(self.model, ifc_class, "PredefinedType"):
            predefined_type = None  # e.g. IFC2X3 walls, columns, beams, windows
        product = ifcopenshell.api.root.create_entity(
            self.model, ifc_class=ifc_class, name=name, predefined_type=predefined_type
        )
        ifcopenshell.api.spatial.assign_container(
            self.model, products=[product], relating_structure=self.storeys[storey]
        )
        return product

    def represent(self, product: Entity, representation: Entity) -> None:
        """Attach a body representation."""
        ifcopenshell.api.geometry.assign_representation(
            self.model, product=product, representation=representation
        )

    def box(self, length: Decimal, thickness: Decimal, height: Decimal) -> Entity:
        """A swept-solid box, x = 0..length, y = 0..thickness, z = 0..height (metres)."""
        return ifcopenshell.api.geometry.add_wall_representation(
            self.model,
            context=self.body,
            length=float(length),
            height=float(height),
            thickness=float(thickness),
        )

    def quantities(self, product: Entity, qto_name: str, values: dict[str, tuple[str, Decimal]]) -> None:
        """Attach base quantities given in SI as ``{name: (kind, value)}``.

        IFC2X3 exports name the set plain ``BaseQuantities`` with the same quantity names.
        """
        convert = {"length": self.length, "area": self.area, "volume": self.volume}
        name = "BaseQuantities" if self.variant.is_ifc2x3 else qto_name
        qto = ifcopenshell.api.pset.add_qto(self.model, product=product, name=name)
        ifcopenshell.api.pset.edit_qto(
            self.model,
            qto=qto,
            properties={q: convert[kind](value) for q, (kind, value) in values.items()},
        )

    def layer_set(self, name: str, layers: Sequence[tuple[str, Decimal]]) -> Entity:
        """An IfcMaterialLayerSet, layers listed outside to inside (or bottom to top)."""
        layer_set = ifcopenshell.api.material.add_material_set(
            self.model, name=name, set_type="IfcMaterialLayerSet"
        )
        for material, thickness in layers:
            layer = ifcopenshell.api.material.add_layer(
                self.model, layer_set=layer_set, material=self.materials[material]
            )
            ifcopenshell.api.material.edit_layer(
                self.model, layer=layer, attributes={"LayerThickness": self.length(thickness)}
            )
        return layer_set

    def assign_layer_usage(self, product: Entity, layer_set: Entity) -> None:
        """One IfcMaterialLayerSetUsage per element (AXIS2 walls, AXIS3 slabs, offset 0)."""
        ifcopenshell.api.material.assign_material(
            self.model, products=[product], type="IfcMaterialLayerSetUsage", material=layer_set
        )

    def i_profile(self, name: str, p: dict[str, Decimal]) -> Entity:
        """An IfcIShapeProfileDef without fillet radius (area = hand formula exactly)."""
        return self.model.create_entity(
            "IfcIShapeProfileDef",
            ProfileType="AREA",
            ProfileName=name,
            Position=self.profile_position(),
            OverallWidth=self.length(p["w"]),
            OverallDepth=self.length(p["d"]),
            WebThickness=self.length(p["tw"]),
            FlangeThickness=self.length(p["tf"]),
        )

    def rectangle_profile(self, name: str, x: Decimal, y: Decimal) -> Entity:
        """An IfcRectangleProfileDef centred on the extrusion axis."""
        return self.model.create_entity(
            "IfcRectangleProfileDef",
            ProfileType="AREA",
            ProfileName=name,
            Position=self.profile_position(),
            XDim=self.length(x),
            YDim=self.length(y),
        )

    def profile_position(self) -> Entity:
        """Profile position at the origin (mandatory in IFC2X3, optional in IFC4)."""
        return self.model.createIfcAxis2Placement2D(self.model.createIfcCartesianPoint((0.0, 0.0)))

    def member_material(self, product: Entity, material: str, set_name: str, profile: Entity) -> None:
        """Steel/timber member material: a profile set usage in IFC4, one IfcMaterial in IFC2X3."""
        if self.variant.is_ifc2x3:
            ifcopenshell.api.material.assign_material(
                self.model, products=[product], type="IfcMaterial", material=self.materials[material]
            )
            return
        profile_set = self.profile_set(set_name, material, profile)
        ifcopenshell.api.material.assign_material(
            self.model, products=[product], type="IfcMaterialProfileSetUsage", material=profile_set
        )

    def profile_set(self, set_name: str, material: str, profile: Entity) -> Entity:
        """An IFC4 IfcMaterialProfileSet with one material profile (reused per set name)."""
        key = f"profile set/{set_name}"
        if key not in self.materials:
            profile_set = ifcopenshell.api.material.add_material_set(
                self.model, name=set_name, set_type="IfcMaterialProfileSet"
            )
            ifcopenshell.api.material.add_profile(
                self.model,
                profile_set=profile_set,
                material=self.materials[material],
                profile=profile,
                name=set_name,
            )
            self.materials[key] = profile_set
        return self.materials[key]

    # -- building parts ----------------------------------------------------------------
    def build(self) -> ifcopenshell.file:
        """Build the whole office and return the model (not yet written)."""
        self.add_project_structure()
        self.add_materials()
        self.add_floor_slabs()
        self.add_roof_slab()
        self.add_external_walls()
        self.add_window()
        self.add_internal_walls()
        self.add_steel_columns()
        self.add_steel_beams()
        self.add_glulam_beam()
        self.add_unclassified_block()
        self.add_typed_concrete_column()
        finalise(self.model, guid_prefix="office/")
        return self.model

    def add_project_structure(self) -> None:
        """Project, units, contexts, site, building and the two storeys."""
        model = self.model
        add_owner(model)
        self.project = ifcopenshell.api.root.create_entity(
            model, ifc_class="IfcProject", name="bimcarbon sample office"
        )
        add_units(model, self.variant)
        self.body = add_body_context(model)
        self.site = ifcopenshell.api.root.create_entity(model, ifc_class="IfcSite", name="Site")
        self.building = ifcopenshell.api.root.create_entity(
            model, ifc_class="IfcBuilding", name="Office building"
        )
        ifcopenshell.api.aggregate.assign_object(model, products=[self.site], relating_object=self.project)
        ifcopenshell.api.aggregate.assign_object(model, products=[self.building], relating_object=self.site)
        self.place(self.site, None, (0, 0, 0))
        self.place(self.building, self.site, (0, 0, 0))
        for name, elevation in STOREYS:
            storey = ifcopenshell.api.root.create_entity(model, ifc_class="IfcBuildingStorey", name=name)
            storey.Elevation = self.length(elevation)
            ifcopenshell.api.aggregate.assign_object(model, products=[storey], relating_object=self.building)
            self.place(storey, self.building, (0, 0, elevation))
            self.storeys[name] = storey

    def add_materials(self) -> None:
        """The IfcMaterial entities (categories only where the schema has them)."""
        categories = {
            "Concrete C30/37": "concrete",
            "Mineral wool insulation": "insulation",
            "Gypsum plaster": "gypsum",
            "Concrete block": "block",
            "Steel S355": "steel",
            "Glulam GL24h": "wood",
            "Aluminium": "aluminium",
            "Float glass": "glass",
        }
        for name, category in categories.items():
            self.materials[name] = ifcopenshell.api.material.add_material(
                self.model, name=name, category=None if self.variant.is_ifc2x3 else category
            )
        self.layer_sets = {
            "slab": self.layer_set("Concrete slab 200", [("Concrete C30/37", SLAB_THICKNESS)]),
            "external wall": self.layer_set("External wall 320", EXT_LAYERS),
            "internal wall": self.layer_set("Internal wall 100", [("Concrete block", INT_THICKNESS)]),
        }

    def slab(self, name: str, storey: str, predefined_type: str, with_quantities: bool) -> Entity:
        """A 10 x 8 x 0.2 m concrete slab whose top is at the storey elevation."""
        slab = self.element("IfcSlab", name, storey, predefined_type)
        x, y = float(FOOTPRINT_X), float(FOOTPRINT_Y)
        outline = [(0.0, 0.0), (x, 0.0), (x, y), (0.0, y), (0.0, 0.0)]
        self.represent(
            slab,
            ifcopenshell.api.geometry.add_slab_representation(
                self.model, context=self.body, depth=float(SLAB_THICKNESS), polyline=outline
            ),
        )
        self.assign_layer_usage(slab, self.layer_sets["slab"])
        if with_quantities:
            area = FOOTPRINT_X * FOOTPRINT_Y
            volume = area * SLAB_THICKNESS
            self.quantities(
                slab,
                "Qto_SlabBaseQuantities",
                {
                    "Width": ("length", SLAB_THICKNESS),
                    "GrossArea": ("area", area),
                    "NetArea": ("area", area),
                    "GrossVolume": ("volume", volume),
                    "NetVolume": ("volume", volume),
                },
            )
        return slab

    def add_floor_slabs(self) -> None:
        """Ground-floor slab with quantities, first-floor slab without (geometry needed)."""
        ground = self.slab("Ground floor slab", GF, "FLOOR", with_quantities=True)
        first = self.slab("First floor slab", FF, "FLOOR", with_quantities=False)
        self.place(ground, self.storeys[GF], (0, 0, -SLAB_THICKNESS))
        self.place(first, self.storeys[FF], (0, 0, -SLAB_THICKNESS))

    def add_roof_slab(self) -> None:
        """Roof slab, top at 6.0 m, contained in the first floor, no quantities."""
        roof = self.slab("Roof slab", FF, "ROOF", with_quantities=False)
        self.place(roof, self.storeys[FF], (0, 0, STOREY_HEIGHT - SLAB_THICKNESS))

    def wall_class(self) -> str:
        """IfcWallStandardCase in IFC2X3 (as exporters write layered walls), IfcWall in IFC4."""
        return "IfcWallStandardCase" if self.variant.is_ifc2x3 else "IfcWall"

    def add_external_walls(self) -> None:
        """Four 0.32 m layered walls per storey, counter-clockwise, layer 1 outside.

        South and north run the full 10.0 m; east and west (7.36 m) fit between them.
        Each wall's local +y points into the building, so the layer set usage
        (AXIS2, POSITIVE, offset 0) puts the concrete on the outside face.
        """
        x, y, t = FOOTPRINT_X, FOOTPRINT_Y, EXT_THICKNESS
        layout = (
            # side, length, origin, local x axis
            ("S", x, (D(0), D(0)), (1.0, 0.0, 0.0)),
            ("E", SHORT_WALL, (x, t), (0.0, 1.0, 0.0)),
            ("N", x, (x, y), (-1.0, 0.0, 0.0)),
            ("W", SHORT_WALL, (D(0), y - t), (0.0, -1.0, 0.0)),
        )
        for storey, _elevation in STOREYS:
            for side, length, (ox, oy), x_axis in layout:
                wall = self.element(self.wall_class(), f"{storey} external wall {side}", storey, "STANDARD")
                self.represent(wall, self.box(length, t, WALL_HEIGHT))
                self.assign_layer_usage(wall, self.layer_sets["external wall"])
                self.place(wall, self.storeys[storey], (ox, oy, 0), (0.0, 0.0, 1.0), x_axis)
                if storey == GF:
                    self.wall_quantities(wall, length, has_window=side == "S")
                    if side == "S":
                        self.south_wall = wall

    def wall_quantities(self, wall: Entity, length: Decimal, has_window: bool) -> None:
        """Qto_WallBaseQuantities; the window opening is deducted from the net values."""
        gross_area = length * WALL_HEIGHT
        opening_area = WINDOW_WIDTH * WINDOW_HEIGHT if has_window else D(0)
        self.quantities(
            wall,
            "Qto_WallBaseQuantities",
            {
                "Length": ("length", length),
                "Height": ("length", WALL_HEIGHT),
                "Width": ("length", EXT_THICKNESS),
                "GrossSideArea": ("area", gross_area),
                "NetSideArea": ("area", gross_area - opening_area),
                "GrossVolume": ("volume", gross_area * EXT_THICKNESS),
                "NetVolume": ("volume", (gross_area - opening_area) * EXT_THICKNESS),
            },
        )

    def add_window(self) -> None:
        """Window W1 in an opening of the same size in the ground-floor south wall."""
        model = self.model
        opening = ifcopenshell.api.root.create_entity(
            model, ifc_class="IfcOpeningElement", name="Opening for window W1"
        )
        ifcopenshell.api.feature.add_feature(model, feature=opening, element=self.south_wall)
        self.represent(opening, self.box(WINDOW_WIDTH, EXT_THICKNESS, WINDOW_HEIGHT))

        window = self.element("IfcWindow", "Window W1", GF, "WINDOW")
        ifcopenshell.api.feature.add_filling(model, opening=opening, element=window)
        window.OverallWidth = self.length(WINDOW_WIDTH)
        window.OverallHeight = self.length(WINDOW_HEIGHT)
        self.represent(window, self.box(WINDOW_WIDTH, WINDOW_DEPTH, WINDOW_HEIGHT))
        self.window_material(window)
        self.quantities(
            window,
            "Qto_WindowBaseQuantities",
            {
                "Width": ("length", WINDOW_WIDTH),
                "Height": ("length", WINDOW_HEIGHT),
                "Area": ("area", WINDOW_WIDTH * WINDOW_HEIGHT),
            },
        )
        opening_x = (FOOTPRINT_X - WINDOW_WIDTH) / 2  # centred: 4.25 .. 5.75
        self.place(opening, self.south_wall, (opening_x, 0, WINDOW_SILL))
        self.place(window, opening, (0, (EXT_THICKNESS - WINDOW_DEPTH) / 2, 0))

    def window_material(self, window: Entity) -> None:
        """Constituent set by fraction (IFC4) or a material list (IFC2X3)."""
        model = self.model
        if self.variant.is_ifc2x3:
            material_list = ifcopenshell.api.material.add_material_set(model, set_type="IfcMaterialList")
            for name in ("Aluminium", "Float glass"):
                ifcopenshell.api.material.add_list_item(
                    model, material_list=material_list, material=self.materials[name]
                )
            ifcopenshell.api.material.assign_material(model, products=[window], material=material_list)
            return
        constituents = ifcopenshell.api.material.add_material_set(
            model, name="Aluminium window", set_type="IfcMaterialConstituentSet"
        )
        for name, material, fraction in (
            ("Frame", "Aluminium", WINDOW_FRAME_FRACTION),
            ("Glazing", "Float glass", WINDOW_GLAZING_FRACTION),
        ):
            constituent = ifcopenshell.api.material.add_constituent(
                model, constituent_set=constituents, material=self.materials[material], name=name
            )
            # edit_constituent always writes its material argument: pass it again.
            ifcopenshell.api.material.edit_constituent(
                model,
                constituent=constituent,
                attributes={"Fraction": float(fraction)},
                material=self.materials[material],
            )
        ifcopenshell.api.material.assign_material(model, products=[window], material=constituents)

    def add_internal_walls(self) -> None:
        """Two 0.10 m concrete-block walls on the ground floor, no quantities.

        Wall 1 runs north from the south wall at x = 6.00..6.10; wall 2 runs west from
        wall 1 to the west wall at y = 3.90..4.00.
        """
        t = EXT_THICKNESS
        layout = (
            ("Ground floor internal wall 1", INT_WALL_1, (D("6.1"), t), (0.0, 1.0, 0.0)),
            ("Ground floor internal wall 2", INT_WALL_2, (D("6.0"), D("4.0")), (-1.0, 0.0, 0.0)),
        )
        for name, length, (ox, oy), x_axis in layout:
            wall = self.element(self.wall_class(), name, GF, "PARTITIONING")
            self.represent(wall, self.box(length, INT_THICKNESS, WALL_HEIGHT))
            self.assign_layer_usage(wall, self.layer_sets["internal wall"])
            self.place(wall, self.storeys[GF], (ox, oy, 0), (0.0, 0.0, 1.0), x_axis)

    def add_steel_columns(self) -> None:
        """Four HEB 200-like columns centred 0.1 m in from the inner wall corners."""
        profile = self.i_profile("HEB 200 (no fillet)", HEB)
        inset = EXT_THICKNESS + HEB["w"] / 2  # 0.42
        corners = (
            (inset, inset),
            (FOOTPRINT_X - inset, inset),
            (FOOTPRINT_X - inset, FOOTPRINT_Y - inset),
            (inset, FOOTPRINT_Y - inset),
        )
        for number, (cx, cy) in enumerate(corners, start=1):
            column = self.element("IfcColumn", f"Steel column SC{number}", GF, "COLUMN")
            self.represent(
                column,
                ifcopenshell.api.geometry.add_profile_representation(
                    self.model, context=self.body, profile=profile, depth=float(STOREY_HEIGHT)
                ),
            )
            self.member_material(column, "Steel S355", "HEB 200", profile)
            self.place(column, self.storeys[GF], (cx, cy, 0))

    def add_steel_beams(self) -> None:
        """Two IPE 300-like beams, 4.0 m along x, on the first floor under the roof slab."""
        profile = self.i_profile("IPE 300 (no fillet)", IPE)
        z = STOREY_HEIGHT - SLAB_THICKNESS - IPE["d"] / 2  # centroid 2.65 m above storey
        for number, y in enumerate((D("3.0"), D("5.0")), start=1):
            beam = self.element("IfcBeam", f"Steel beam SB{number}", FF, "BEAM")
            self.represent(
                beam,
                ifcopenshell.api.geometry.add_profile_representation(
                    self.model, context=self.body, profile=profile, depth=float(STEEL_BEAM_LENGTH)
                ),
            )
            self.member_material(beam, "Steel S355", "IPE 300", profile)
            # Extrusion (local z) along global x, profile depth (local y) vertical.
            self.place(beam, self.storeys[FF], (D("3.0"), y, z), (1.0, 0.0, 0.0), (0.0, 1.0, 0.0))

    def add_glulam_beam(self) -> None:
        """A 0.2 x 0.4 x 5.0 m glulam beam on the first floor with Length and NetVolume."""
        profile = self.rectangle_profile("Glulam 200x400", GLULAM_W, GLULAM_D)
        beam = self.element("IfcBeam", "Glulam beam", FF, "BEAM")
        self.represent(
            beam,
            ifcopenshell.api.geometry.add_profile_representation(
                self.model, context=self.body, profile=profile, depth=float(GLULAM_LENGTH)
            ),
        )
        self.member_material(beam, "Glulam GL24h", "Glulam 200x400", profile)
        self.quantities(
            beam,
            "Qto_BeamBaseQuantities",
            {
                "Length": ("length", GLULAM_LENGTH),
                "NetVolume": ("volume", GLULAM_W * GLULAM_D * GLULAM_LENGTH),
            },
        )
        z = STOREY_HEIGHT - SLAB_THICKNESS - GLULAM_D / 2
        self.place(beam, self.storeys[FF], (D("2.5"), D("6.5"), z), (1.0, 0.0, 0.0), (0.0, 1.0, 0.0))

    def add_unclassified_block(self) -> None:
        """A 1 m cube proxy with no material and no quantities."""
        block = self.element("IfcBuildingElementProxy", "Unclassified block", GF)
        self.represent(block, self.box(D(1), D(1), D(1)))
        self.place(block, self.storeys[GF], (D("1.5"), D("1.5"), 0))

    def add_typed_concrete_column(self) -> None:
        """Column C1 whose only material is on its IfcColumnType.

        The type is assigned with ``should_map_representations=False``: otherwise
        ``type.assign_type`` gives the occurrence an IfcMaterialProfileSetUsage.
        """
        model = self.model
        profile = self.rectangle_profile("Concrete 400x400", CONCRETE_COLUMN, CONCRETE_COLUMN)
        column_type = ifcopenshell.api.root.create_entity(
            model, ifc_class="IfcColumnType", name="Concrete column 400x400", predefined_type="COLUMN"
        )
        if self.variant.is_ifc2x3:
            type_material = self.materials["Concrete C30/37"]
        else:
            type_material = self.profile_set("Concrete 400x400", "Concrete C30/37", profile)
        ifcopenshell.api.material.assign_material(model, products=[column_type], material=type_material)

        column = self.element("IfcColumn", "Concrete column C1", GF)
        ifcopenshell.api.type.assign_type(
            model, related_objects=[column], relating_type=column_type, should_map_representations=False
        )
        self.represent(
            column,
            ifcopenshell.api.geometry.add_profile_representation(
                model, context=self.body, profile=profile, depth=float(STOREY_HEIGHT)
            ),
        )
        self.place(column, self.storeys[GF], (D("4.0"), D("2.0"), 0))


def build_office(variant: Variant, out_dir: Path = OUT_DIR) -> Path:
    """Build and write one office model; return its path."""
    model = OfficeBuilder(variant).build()
    path = out_dir / variant.file_name
    model.write(str(path))
    return path


# --------------------------------------------------------------------------------------
# Expected take-off (hand calculations)
# --------------------------------------------------------------------------------------
CSV_COLUMNS = (
    "file",
    "element_name",
    "ifc_class",
    "storey",
    "material",
    "part_kind",
    "part_index",
    "volume_m3",
    "area_m2",
    "length_m",
    "expected_source_kind",
)


@dataclass(frozen=True)
class ExpectedElement:
    """Hand-computed take-off of one element, before splitting to material parts.

    ``parts`` are ``(material, share)`` where share is the thickness share, the
    constituent fraction or the equal list split; ``volume`` is the element volume.
    """

    name: str
    ifc_class: str
    storey: str
    part_kind: str
    parts: tuple[tuple[str, Decimal], ...]
    volume: Decimal
    source: str
    area: Decimal | None = None
    length: Decimal | None = None


def layer_parts(layers: Sequence[tuple[str, Decimal]]) -> tuple[tuple[str, Decimal], ...]:
    """Layer materials with their thickness share of the total."""
    total = sum((t for _, t in layers), D(0))
    return tuple((m, t / total) for m, t in layers)


def expected_elements(variant: Variant) -> Iterator[ExpectedElement]:
    """Every physical element of the office with its hand-computed volume."""
    ifc2x3 = variant.is_ifc2x3
    wall = "IfcWallStandardCase" if ifc2x3 else "IfcWall"
    slab_parts = layer_parts([("Concrete C30/37", SLAB_THICKNESS)])
    slab_volume = FOOTPRINT_X * FOOTPRINT_Y * SLAB_THICKNESS
    yield ExpectedElement(
        "Ground floor slab",
        "IfcSlab",
        GF,
        "layer",
        slab_parts,
        slab_volume,
        "qto",
        area=FOOTPRINT_X * FOOTPRINT_Y,
    )
    yield ExpectedElement("First floor slab", "IfcSlab", FF, "layer", slab_parts, slab_volume, "geometry")
    yield ExpectedElement("Roof slab", "IfcSlab", FF, "layer", slab_parts, slab_volume, "geometry")

    ext_parts = layer_parts(EXT_LAYERS)
    opening = WINDOW_WIDTH * WINDOW_HEIGHT
    for storey, _ in STOREYS:
        for side, length in (("S", FOOTPRINT_X), ("E", SHORT_WALL), ("N", FOOTPRINT_X), ("W", SHORT_WALL)):
            gross_area = length * WALL_HEIGHT
            if storey == GF:
                net_area = gross_area - (opening if side == "S" else 0)
                yield ExpectedElement(
                    f"{storey} external wall {side}",
                    wall,
                    storey,
                    "layer",
                    ext_parts,
                    net_area * EXT_THICKNESS,
                    "qto",
                    area=net_area,
                    length=length,
                )
            else:
                yield ExpectedElement(
                    f"{storey} external wall {side}",
                    wall,
                    storey,
                    "layer",
                    ext_parts,
                    gross_area * EXT_THICKNESS,
                    "geometry",
                )

    window_volume = WINDOW_WIDTH * WINDOW_DEPTH * WINDOW_HEIGHT
    if ifc2x3:
        window_parts = (("Aluminium", D("0.5")), ("Float glass", D("0.5")))
        window_kind = "list"
    else:
        window_parts = (("Aluminium", WINDOW_FRAME_FRACTION), ("Float glass", WINDOW_GLAZING_FRACTION))
        window_kind = "constituent"
    yield ExpectedElement(
        "Window W1", "IfcWindow", GF, window_kind, window_parts, window_volume, "geometry", area=opening
    )

    block_parts = layer_parts([("Concrete block", INT_THICKNESS)])
    for number, length in ((1, INT_WALL_1), (2, INT_WALL_2)):
        yield ExpectedElement(
            f"Ground floor internal wall {number}",
            wall,
            GF,
            "layer",
            block_parts,
            length * INT_THICKNESS * WALL_HEIGHT,
            "geometry",
        )

    member_kind = "single" if ifc2x3 else "profile"
    member_source = "geometry" if ifc2x3 else "profile"
    # The take-off reads a member's length from the depth of its extruded parametric profile, in
    # IFC2X3 too (there the material is a single IfcMaterial, so the volume comes from geometry).
    member_length = STOREY_HEIGHT
    for number in range(1, 5):
        yield ExpectedElement(
            f"Steel column SC{number}",
            "IfcColumn",
            GF,
            member_kind,
            (("Steel S355", D(1)),),
            HEB_AREA * STOREY_HEIGHT,
            member_source,
            length=member_length,
        )
    for number in range(1, 3):
        yield ExpectedElement(
            f"Steel beam SB{number}",
            "IfcBeam",
            FF,
            member_kind,
            (("Steel S355", D(1)),),
            IPE_AREA * STEEL_BEAM_LENGTH,
            member_source,
            length=STEEL_BEAM_LENGTH,
        )
    yield ExpectedElement(
        "Glulam beam",
        "IfcBeam",
        FF,
        member_kind,
        (("Glulam GL24h", D(1)),),
        GLULAM_W * GLULAM_D * GLULAM_LENGTH,
        "qto",
        length=GLULAM_LENGTH,
    )
    yield ExpectedElement(
        "Unclassified block", "IfcBuildingElementProxy", GF, "none", (("", D(1)),), D(1), "geometry"
    )
    yield ExpectedElement(
        "Concrete column C1",
        "IfcColumn",
        GF,
        member_kind,
        (("Concrete C30/37", D(1)),),
        CONCRETE_COLUMN * CONCRETE_COLUMN * STOREY_HEIGHT,
        member_source,
        length=member_length,
    )


def decimal_text(value: Decimal | None) -> str:
    """Exact decimal text with at least one decimal place ('' for None)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text if "." in text else f"{text}.0"


def expected_rows(variant: Variant) -> Iterator[dict[str, str]]:
    """CSV rows, one per (element, material part), for one file.

    Layers each cover the element's whole area; layers and profiles each run its whole length;
    otherwise (constituents, material lists) area and length are shared like the volume.
    """
    for element in expected_elements(variant):
        whole_area = element.part_kind == "layer"
        whole_length = element.part_kind in ("layer", "profile")
        for index, (material, share) in enumerate(element.parts):
            area = element.area if whole_area or element.area is None else element.area * share
            length = element.length if whole_length or element.length is None else element.length * share
            yield {
                "file": variant.file_name,
                "element_name": element.name,
                "ifc_class": element.ifc_class,
                "storey": element.storey,
                "material": material,
                "part_kind": element.part_kind,
                "part_index": str(index),
                "volume_m3": decimal_text(element.volume * share),
                "area_m2": decimal_text(area),
                "length_m": decimal_text(length),
                "expected_source_kind": element.source,
            }


def write_expected_csv(out_dir: Path = OUT_DIR) -> Path:
    """Write expected_quantities.csv for all four office files."""
    path = out_dir / EXPECTED_CSV
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for variant in VARIANTS:
            writer.writerows(expected_rows(variant))
    return path


# --------------------------------------------------------------------------------------
# Verification (python sample_models/build_samples.py --check)
# --------------------------------------------------------------------------------------
def verify(out_dir: Path = OUT_DIR, tolerance: float = 1e-6) -> list[str]:
    """Check schemas, units, materials, Qto values and geometry volumes; return problems."""
    import ifcopenshell.geom
    import ifcopenshell.util.element
    import ifcopenshell.util.shape
    import ifcopenshell.util.unit

    problems: list[str] = []
    for variant in VARIANTS:
        model = ifcopenshell.open(str(out_dir / variant.file_name))
        where = variant.file_name
        if model.schema != variant.schema:
            problems.append(f"{where}: schema {model.schema}")
        for unit_type, want in (
            ("LENGTHUNIT", variant.length_scale),
            ("AREAUNIT", variant.area_scale),
            ("VOLUMEUNIT", variant.volume_scale),
        ):
            got = ifcopenshell.util.unit.calculate_unit_scale(model, unit_type)
            if abs(got - want) > 1e-15:
                problems.append(f"{where}: {unit_type} scale {got} != {want}")
        expected = {e.name: e for e in expected_elements(variant)}
        products = {e.Name: e for e in model.by_type("IfcElement") if not e.is_a("IfcFeatureElement")}
        if set(products) != set(expected):
            problems.append(f"{where}: elements {sorted(set(products) ^ set(expected))}")
        for name, spec in expected.items():
            element = products[name]
            if element.is_a() != spec.ifc_class:
                problems.append(f"{where}: {name} is {element.is_a()}")
            problems += check_material(where, element, spec)
            problems += check_quantities(where, element, spec, variant)
        settings = ifcopenshell.geom.settings()
        iterator = ifcopenshell.geom.iterator(settings, model, 1, include=list(products.values()))
        volumes: dict[str, float] = {}
        if iterator.initialize():
            while True:
                shape = iterator.get()
                volumes[model.by_id(shape.id).Name] = ifcopenshell.util.shape.get_volume(shape.geometry)
                if not iterator.next():
                    break
        for name, spec in expected.items():
            got = volumes.get(name)
            if got is None or abs(got - float(spec.volume)) > tolerance:
                problems.append(f"{where}: {name} geometry volume {got} != {spec.volume}")
    return problems


def check_material(where: str, element: Entity, spec: ExpectedElement) -> list[str]:
    """Compare the inherited material definition with the expected parts."""
    import ifcopenshell.util.element

    material = ifcopenshell.util.element.get_material(element, should_inherit=True)
    if spec.part_kind == "none":
        return [] if material is None else [f"{where}: {spec.name} has material {material}"]
    if material is None:
        return [f"{where}: {spec.name} has no material"]
    if material.is_a("IfcMaterialLayerSetUsage"):
        layers = material.ForLayerSet.MaterialLayers
        total = sum(layer.LayerThickness for layer in layers)
        parts = [(layer.Material.Name, layer.LayerThickness / total) for layer in layers]
        kind = "layer"
    elif material.is_a("IfcMaterialProfileSetUsage") or material.is_a("IfcMaterialProfileSet"):
        profile_set = material.ForProfileSet if material.is_a("IfcMaterialProfileSetUsage") else material
        parts = [(p.Material.Name, 1.0) for p in profile_set.MaterialProfiles]
        kind = "profile"
    elif material.is_a("IfcMaterialConstituentSet"):
        parts = [(c.Material.Name, c.Fraction) for c in material.MaterialConstituents]
        kind = "constituent"
    elif material.is_a("IfcMaterialList"):
        parts = [(m.Name, 1.0 / len(material.Materials)) for m in material.Materials]
        kind = "list"
    else:
        parts = [(material.Name, 1.0)]
        kind = "single"
    names = [name for name, _ in parts]
    want = [m for m, _ in spec.parts]
    if kind != spec.part_kind or names != want:
        return [f"{where}: {spec.name} material {kind} {names} != {spec.part_kind} {want}"]
    shares = [share for _, share in parts]
    if any(abs(got - float(share)) > 1e-9 for got, (_, share) in zip(shares, spec.parts, strict=True)):
        return [f"{where}: {spec.name} part shares {shares} != {[str(s) for _, s in spec.parts]}"]
    return []


def check_quantities(where: str, element: Entity, spec: ExpectedElement, variant: Variant) -> list[str]:
    """Exported quantities converted to SI must match the hand numbers."""
    import ifcopenshell.util.element

    qtos = ifcopenshell.util.element.get_psets(element, qtos_only=True)
    if spec.source != "qto" and spec.name != "Window W1":
        return [f"{where}: {spec.name} has quantities {list(qtos)}"] if qtos else []
    (values,) = [{k: v for k, v in q.items() if k != "id"} for q in qtos.values()]
    checks: list[tuple[str, float, Decimal]] = []
    if "NetVolume" in values:
        checks.append(("NetVolume", values["NetVolume"] * variant.volume_scale, spec.volume))
    area_key = next((k for k in ("NetArea", "NetSideArea", "Area") if k in values), None)
    if spec.area is not None and area_key:
        checks.append((area_key, values[area_key] * variant.area_scale, spec.area))
    if spec.length is not None and "Length" in values:
        checks.append(("Length", values["Length"] * variant.length_scale, spec.length))
    return [
        f"{where}: {spec.name} {key} {got} != {want}"
        for key, got, want in checks
        if abs(got - float(want)) > 1e-9
    ]


# --------------------------------------------------------------------------------------
# Large generated model for benchmarks
# --------------------------------------------------------------------------------------
LARGE_BAY = 6.0
LARGE_BAYS = 10  # bays per side of each storey's grid
LARGE_STOREY_HEIGHT = 3.0


class LargeModelBuilder:
    """Writes a grid building with entities created directly (no per-element API calls).

    Each storey is a LARGE_BAYS x LARGE_BAYS grid of 6 m bays: one 0.2 m slab per bay,
    0.32 m three-layer walls on every perimeter bay edge, HEB 200 columns at every grid
    node and IPE 300 beams on every grid line. Elements are emitted storey by storey
    and generation stops at exactly ``n_elements``. Every element has its own
    placement, extruded solid and representation; profiles, directions, material
    set usages and the containment relationship are shared.
    """

    def __init__(self, n_elements: int, with_quantities: bool, schema: str) -> None:
        self.n_elements = n_elements
        self.with_quantities = with_quantities
        self.schema = schema
        self.model = new_model(schema, "large.ifc")
        self.history: Entity | None = None
        self.count = 0

    def guid(self) -> str:
        """Next deterministic GlobalId."""
        self.count += 1
        return guid_for(f"large/{self.count}")

    def root(self, ifc_class: str, **attributes: object) -> Entity:
        """Create an IfcRoot entity with GlobalId and owner history filled in."""
        return self.model.create_entity(
            ifc_class, GlobalId=self.guid(), OwnerHistory=self.history, **attributes
        )

    def build(self) -> ifcopenshell.file:
        """Generate the model."""
        model = self.model
        variant = Variant("large.ifc", self.schema, "m")
        add_owner(model)
        project = ifcopenshell.api.root.create_entity(
            model, ifc_class="IfcProject", name="bimcarbon large model"
        )
        project.GlobalId = guid_for("large/project")
        add_units(model, variant)
        self.body = add_body_context(model)
        if self.schema == "IFC2X3":  # share the project's owner history, with a fixed date
            self.history = project.OwnerHistory
            self.history.CreationDate = FIXED_EPOCH
            self.history.LastModifiedDate = None
        self.setup_shared()
        origin, building = self.site_and_building(project)
        storeys = []
        made = 0
        level = 0
        while made < self.n_elements:
            elevation = level * LARGE_STOREY_HEIGHT
            storey = self.root(
                "IfcBuildingStorey",
                Name=f"Level {level:03d}",
                ObjectPlacement=self.placement(origin, (0.0, 0.0, elevation)),
                CompositionType="ELEMENT",
                Elevation=elevation,
            )
            storeys.append(storey)
            elements = []
            for kind, origin_xy, direction in self.storey_layout():
                if made == self.n_elements:
                    break
                elements.append(self.add_element(kind, storey, origin_xy, direction, level))
                made += 1
            self.root("IfcRelContainedInSpatialStructure", RelatingStructure=storey, RelatedElements=elements)
            level += 1
        self.root("IfcRelAggregates", RelatingObject=building, RelatedObjects=storeys)
        for kind, members in self.material_members.items():
            if members:
                self.root(
                    "IfcRelAssociatesMaterial",
                    RelatedObjects=members,
                    RelatingMaterial=self.material_usage[kind],
                )
            elif self.material_usage[kind].is_a().endswith("Usage"):
                model.remove(self.material_usage[kind])  # a usage must be associated (EXPRESS rule)
        return model

    def site_and_building(self, project: Entity) -> tuple[Entity, Entity]:
        """A site at the origin with one building in it, aggregated under ``project``: the building's
        placement and the building."""
        site_placement = self.placement(None, (0.0, 0.0, 0.0))
        origin = self.placement(site_placement, (0.0, 0.0, 0.0))
        site = self.root("IfcSite", Name="Site", ObjectPlacement=site_placement, CompositionType="ELEMENT")
        building = self.root(
            "IfcBuilding", Name="Building", ObjectPlacement=origin, CompositionType="ELEMENT"
        )
        self.root("IfcRelAggregates", RelatingObject=project, RelatedObjects=[site])
        self.root("IfcRelAggregates", RelatingObject=site, RelatedObjects=[building])
        return origin, building

    def setup_shared(self) -> None:
        """Directions, profiles, materials and material usages shared by all elements."""
        model = self.model
        ifc2x3 = self.schema == "IFC2X3"
        self.dir_z = model.createIfcDirection((0.0, 0.0, 1.0))
        self.directions = {
            (1.0, 0.0, 0.0): model.createIfcDirection((1.0, 0.0, 0.0)),
            (0.0, 1.0, 0.0): model.createIfcDirection((0.0, 1.0, 0.0)),
            (-1.0, 0.0, 0.0): model.createIfcDirection((-1.0, 0.0, 0.0)),
            (0.0, -1.0, 0.0): model.createIfcDirection((0.0, -1.0, 0.0)),
        }
        self.solid_position = model.createIfcAxis2Placement3D(model.createIfcCartesianPoint((0.0, 0.0, 0.0)))

        def rectangle(x: float, y: float, cx: float, cy: float) -> Entity:
            position = model.createIfcAxis2Placement2D(model.createIfcCartesianPoint((cx, cy)))
            return model.create_entity(
                "IfcRectangleProfileDef", ProfileType="AREA", Position=position, XDim=x, YDim=y
            )

        def i_shape(name: str, p: dict[str, Decimal]) -> Entity:
            position = model.createIfcAxis2Placement2D(model.createIfcCartesianPoint((0.0, 0.0)))
            return model.create_entity(
                "IfcIShapeProfileDef",
                ProfileType="AREA",
                ProfileName=name,
                Position=position,
                OverallWidth=float(p["w"]),
                OverallDepth=float(p["d"]),
                WebThickness=float(p["tw"]),
                FlangeThickness=float(p["tf"]),
            )

        t = float(EXT_THICKNESS)
        self.profiles = {
            "slab": rectangle(LARGE_BAY, LARGE_BAY, LARGE_BAY / 2, LARGE_BAY / 2),
            "wall": rectangle(LARGE_BAY, t, LARGE_BAY / 2, t / 2),
            "column": i_shape("HEB 200 (no fillet)", HEB),
            "beam": i_shape("IPE 300 (no fillet)", IPE),
        }
        materials = {
            name: model.create_entity("IfcMaterial", Name=name)
            for name in ("Concrete C30/37", "Mineral wool insulation", "Gypsum plaster", "Steel S355")
        }

        def layer_set(name: str, layers: Sequence[tuple[str, Decimal]]) -> Entity:
            items = [model.createIfcMaterialLayer(materials[m], float(th)) for m, th in layers]
            return model.createIfcMaterialLayerSet(items, name)

        self.material_usage: dict[str, Entity] = {
            "slab": model.createIfcMaterialLayerSetUsage(
                layer_set("Slab 200", [("Concrete C30/37", SLAB_THICKNESS)]), "AXIS3", "POSITIVE", 0.0
            ),
            "wall": model.createIfcMaterialLayerSetUsage(
                layer_set("External wall 320", EXT_LAYERS), "AXIS2", "POSITIVE", 0.0
            ),
        }
        for kind in ("column", "beam"):
            if ifc2x3:
                self.material_usage[kind] = materials["Steel S355"]
            else:
                material_profile = model.create_entity(
                    "IfcMaterialProfile", Material=materials["Steel S355"], Profile=self.profiles[kind]
                )
                profile_set = model.create_entity(
                    "IfcMaterialProfileSet",
                    Name=self.profiles[kind].ProfileName,
                    MaterialProfiles=[material_profile],
                )
                self.material_usage[kind] = model.create_entity(
                    "IfcMaterialProfileSetUsage", ForProfileSet=profile_set
                )
        self.material_members: dict[str, list[Entity]] = {kind: [] for kind in self.material_usage}
        wall_area = LARGE_BAY * float(WALL_HEIGHT)
        self.depths = {
            "slab": float(SLAB_THICKNESS),
            "wall": float(WALL_HEIGHT),
            "column": LARGE_STOREY_HEIGHT,
            "beam": LARGE_BAY,
        }
        self.qto_values: dict[str, tuple[str, dict[str, tuple[str, float]]]] = {
            "slab": (
                "Qto_SlabBaseQuantities",
                {
                    "Width": ("Length", float(SLAB_THICKNESS)),
                    "GrossArea": ("Area", LARGE_BAY**2),
                    "NetArea": ("Area", LARGE_BAY**2),
                    "GrossVolume": ("Volume", LARGE_BAY**2 * float(SLAB_THICKNESS)),
                    "NetVolume": ("Volume", LARGE_BAY**2 * float(SLAB_THICKNESS)),
                },
            ),
            "wall": (
                "Qto_WallBaseQuantities",
                {
                    "Length": ("Length", LARGE_BAY),
                    "Height": ("Length", float(WALL_HEIGHT)),
                    "Width": ("Length", t),
                    "GrossSideArea": ("Area", wall_area),
                    "NetSideArea": ("Area", wall_area),
                    "GrossVolume": ("Volume", wall_area * t),
                    "NetVolume": ("Volume", wall_area * t),
                },
            ),
            "column": (
                "Qto_ColumnBaseQuantities",
                {
                    "Length": ("Length", LARGE_STOREY_HEIGHT),
                    "CrossSectionArea": ("Area", float(HEB_AREA)),
                    "GrossVolume": ("Volume", float(HEB_AREA) * LARGE_STOREY_HEIGHT),
                    "NetVolume": ("Volume", float(HEB_AREA) * LARGE_STOREY_HEIGHT),
                },
            ),
            "beam": (
                "Qto_BeamBaseQuantities",
                {
                    "Length": ("Length", LARGE_BAY),
                    "CrossSectionArea": ("Area", float(IPE_AREA)),
                    "GrossVolume": ("Volume", float(IPE_AREA) * LARGE_BAY),
                    "NetVolume": ("Volume", float(IPE_AREA) * LARGE_BAY),
                },
            ),
        }
        if ifc2x3:
            self.qto_values = {k: ("BaseQuantities", v) for k, (_, v) in self.qto_values.items()}

    def storey_layout(self) -> Iterator[tuple[str, tuple[float, float], tuple[float, float, float]]]:
        """(kind, origin xy, local x axis) for every element of one storey."""
        n, bay = LARGE_BAYS, LARGE_BAY
        size = n * bay
        for i in range(n):
            for j in range(n):
                yield "slab", (i * bay, j * bay), (1.0, 0.0, 0.0)
        for i in range(n):
            yield "wall", (i * bay, 0.0), (1.0, 0.0, 0.0)  # south, inner side +y
            yield "wall", (size, i * bay), (0.0, 1.0, 0.0)  # east
            yield "wall", (size - i * bay, size), (-1.0, 0.0, 0.0)  # north
            yield "wall", (0.0, size - i * bay), (0.0, -1.0, 0.0)  # west
        for i in range(n + 1):
            for j in range(n + 1):
                yield "column", (i * bay, j * bay), (1.0, 0.0, 0.0)
        for i in range(n):
            for j in range(n + 1):
                yield "beam", (i * bay, j * bay), (1.0, 0.0, 0.0)
                yield "beam", (j * bay, i * bay), (0.0, 1.0, 0.0)

    def placement(
        self,
        relative_to: Entity | None,
        xyz: XYZ,
        axis: Entity | None = None,
        ref: Entity | None = None,
    ) -> Entity:
        """A local placement."""
        point = self.model.createIfcCartesianPoint(xyz)
        return self.model.createIfcLocalPlacement(
            relative_to, self.model.createIfcAxis2Placement3D(point, axis, ref)
        )

    def add_element(
        self,
        kind: str,
        storey: Entity,
        origin_xy: tuple[float, float],
        direction: tuple[float, float, float],
        level: int,
    ) -> Entity:
        """One element: placement, extruded body, material link and optional quantities."""
        model = self.model
        x, y = origin_xy
        if kind == "slab":
            ifc_class, z, axis, ref = "IfcSlab", -float(SLAB_THICKNESS), None, None
        elif kind == "wall":
            ifc_class = "IfcWallStandardCase" if self.schema == "IFC2X3" else "IfcWall"
            z, axis, ref = 0.0, self.dir_z, self.directions[direction]
        elif kind == "column":
            ifc_class, z, axis, ref = "IfcColumn", 0.0, None, None
        else:
            ifc_class = "IfcBeam"
            z = LARGE_STOREY_HEIGHT - float(SLAB_THICKNESS) - float(IPE["d"]) / 2
            # Extrude along the beam direction, keep the profile depth vertical.
            axis = self.directions[direction]
            ref = self.directions[(0.0, 1.0, 0.0) if direction == (1.0, 0.0, 0.0) else (-1.0, 0.0, 0.0)]
        solid = model.createIfcExtrudedAreaSolid(
            self.profiles[kind], self.solid_position, self.dir_z, self.depths[kind]
        )
        representation = model.createIfcShapeRepresentation(self.body, "Body", "SweptSolid", [solid])
        element = self.root(
            ifc_class,
            Name=f"{kind} {level:03d}-{self.count:06d}",
            ObjectPlacement=self.placement(storey.ObjectPlacement, (x, y, z), axis, ref),
            Representation=model.createIfcProductDefinitionShape(None, None, [representation]),
        )
        self.material_members[kind].append(element)
        if self.with_quantities:
            self.add_quantities(element, kind)
        return element

    def add_quantities(self, element: Entity, kind: str) -> None:
        """Correct base quantities for one element."""
        name, values = self.qto_values[kind]
        quantities = [
            self.model.create_entity(f"IfcQuantity{q_type}", Name=q_name, **{f"{q_type}Value": value})
            for q_name, (q_type, value) in values.items()
        ]
        qto = self.root(
            "IfcElementQuantity", Name=name, MethodOfMeasurement="BaseQuantities", Quantities=quantities
        )
        self.root("IfcRelDefinesByProperties", RelatedObjects=[element], RelatingPropertyDefinition=qto)


def build_large_model(path: str | Path, n_elements: int, with_quantities: bool, schema: str = "IFC4") -> Path:
    """Write a generated model with exactly ``n_elements`` physical elements.

    Slabs, three-layer walls, HEB columns and IPE beams on a 6 m grid, storey after
    storey. ``with_quantities=True`` gives every element correct Qto_*BaseQuantities
    (``BaseQuantities`` in IFC2X3); ``False`` gives none.
    """
    if n_elements < 1:
        raise ValueError("n_elements must be at least 1")
    model = LargeModelBuilder(n_elements, with_quantities, schema).build()
    path = Path(path)
    model.header.file_name.name = path.name
    model.write(str(path))
    return path


# --------------------------------------------------------------------------------------
# Sample park (bimcarbon park sample_models/park/park.yaml)
# --------------------------------------------------------------------------------------
PARK_DIR = OUT_DIR / "park"
#: The workshop: one storey of the generated grid building, 10 x 10 bays of 6 m (100 slabs, 3,600 m2)
#: and its 20 perimeter walls.
WORKSHOP_ELEMENTS = 120
PARK_FILES = {
    "office_a.energy.yaml": """\
# Office A of the sample park: the sample office (office_m.ifc's building). No grid_year or grid_region:
# the park's grid (park.yaml) applies.
project: bimcarbon sample park
location: sample
building_type: public
subtype: office
gross_floor_area_m2: 160        # the two 10 x 8 m floors
design_life_years: 50
annual:
  electricity_kwh: 12000        # all electricity used, PV included
  natural_gas_m3: 1000
renewables:
  pv_self_consumed_kwh: 2000    # the grid supplies 12000 - 2000 = 10000 kWh
  pv_exported_kwh: 500
baseline:
  carriers:
    electricity_kwh: 20000
    natural_gas_m3: 2000
""",
    "office_b.energy.yaml": """\
# Office B of the sample park: the same office design, exported as IFC2X3; it buys green electricity.
project: bimcarbon sample park
location: sample
building_type: public
subtype: office
grid_year: 2023
grid_region: north
gross_floor_area_m2: 160
design_life_years: 50
annual:
  electricity_kwh: 15000
  natural_gas_m3: 800
green_electricity_kwh: 3000     # the building's own green power: 15000 - 3000 = 12000 kWh from the grid
baseline:
  carriers:
    electricity_kwh: 20000
    natural_gas_m3: 2000
""",
    "workshop.energy.yaml": """\
# The workshop of the sample park: a one-storey 60 x 60 m hall with rooftop PV.
project: bimcarbon sample park
location: sample
building_type: public
subtype: workshop
grid_year: 2023
grid_region: north
gross_floor_area_m2: 3600       # 100 bays of 6 x 6 m (the model has no floor area of its own)
design_life_years: 50
annual:
  electricity_kwh: 180000
renewables:
  pv_self_consumed_kwh: 40000   # the grid supplies 180000 - 40000 = 140000 kWh
  pv_exported_kwh: 10000
baseline:
  carriers:
    electricity_kwh: 300000
""",
    "park.yaml": """\
# The sample park: three buildings and the park's own energy. Run it with
#   bimcarbon park sample_models/park/park.yaml --json park.json
# Paths are relative to this file. docs/park.md explains every field and works this park through.
name: bimcarbon sample park
criteria: cn-zero-carbon-park-2025          # the park criteria pack (factors/criteria/)
building_criteria: cn-zero-carbon-building-draft-2023
grid: {year: 2023, region: north}           # for buildings whose energy file names no grid
buildings:
  - name: Office A
    model: office_a.ifc
    energy: office_a.energy.yaml
  - name: Office B
    model: office_b.ifc
    energy: office_b.energy.yaml
  - name: Workshop
    model: workshop.ifc
    energy: workshop.energy.yaml
park_energy:                                # beyond the buildings' own energy files, a year
  electricity_kwh: 200000                   # shared loads: street lights, pumps, charging
  fuels: {natural_gas_m3: 2000}
  renewables: {pv_kwh: 250000, wind_kwh: 50000}
  green_electricity_kwh: 60000              # direct green power (绿电)
  green_certificates: 2                     # 绿证, 1 = 1,000 kWh
  offsets_tco2e: 10
  energy_to_coal: equivalent                # 0.1229 kgce/kWh, or state a kgce/kWh (e.g. 0.315)
""",
}


def build_park(out_dir: Path = PARK_DIR) -> list[Path]:
    """Write the sample park: three models, their energy files and park.yaml; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [
        build_office(Variant("office_a.ifc", "IFC4", "m"), out_dir),
        build_office(Variant("office_b.ifc", "IFC2X3", "m"), out_dir),
        build_large_model(out_dir / "workshop.ifc", WORKSHOP_ELEMENTS, True),
    ]
    for name, text in PARK_FILES.items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    """Build the sample models (default) or a large benchmark model (--large)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, metavar="N", help="write a generated model with N elements")
    parser.add_argument("--out", type=Path, help="output path for --large")
    parser.add_argument("--no-quantities", action="store_true", help="--large: write no Qto sets")
    parser.add_argument("--schema", default="IFC4", choices=("IFC4", "IFC2X3"), help="--large: schema")
    parser.add_argument("--check", action="store_true", help="verify the office models after building")
    args = parser.parse_args(argv)

    if args.large is not None:
        if args.out is None:
            parser.error("--large needs --out PATH")
        start = time.perf_counter()
        path = build_large_model(args.out, args.large, not args.no_quantities, args.schema)
        print(f"wrote {path} ({args.large} elements) in {time.perf_counter() - start:.1f} s")
        return 0

    for variant in VARIANTS:
        print(f"wrote {build_office(variant)}")
    print(f"wrote {write_expected_csv()}")
    for path in build_park():
        print(f"wrote {path}")
    if args.check:
        problems = verify()
        for problem in problems:
            print(f"CHECK FAILED: {problem}", file=sys.stderr)
        if problems:
            return 1
        print("check passed: schemas, units, materials, quantities and geometry volumes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
