"""A generated building of the element types real architects' models are made of, without exported
quantities: every element needs the geometry engine, as in most real exports.

Storey after storey, a row of 6 m wide, 8 m deep bays. Each bay has:

* a floor slab (6 x 8 x 0.20 m concrete, ``IfcMaterialLayerSetUsage`` AXIS3);
* a floor covering (screed 0.04 + tiles 0.01 m) and a ceiling covering (gypsum board 0.0125 m),
  both layered (``IfcCovering`` FLOORING / CEILING);
* a south wall (6 x 3 x 0.32 m, three layers, ``IfcMaterialLayerSetUsage`` AXIS2) with a 1.5 x 1.2 m
  window opening (``IfcOpeningElement``, voids and fills relations), filled by
* a window: one ``IfcMappedItem`` of its type's ``IfcRepresentationMap`` (four frame bars and a pane),
  the type's constituent set (IFC4) as its material;
* a partition wall (8 x 3 x 0.125 m, three layers) with a 0.9 x 2.1 m door opening, filled by
* a door: a mapped item of the door type (frame and leaf);
* a curtain wall on the north face (``IfcCurtainWall`` without a body of its own, aggregating two
  glass ``IfcPlate`` panels and five ``IfcMember`` mullions and transoms, all mapped items of their
  types: three types placed over and over).

That is 14 elements taken off per bay (the curtain wall itself and the openings are excluded).
Entities are created directly (no per-element API calls), so 10,000 elements take seconds.

    python bench/mixed_model.py 1400 /tmp/mixed.ifc
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import ifcopenshell.api.root

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_takeoff import _load_builder  # noqa: E402

samples = _load_builder()
Entity = samples.Entity

BAYS_PER_STOREY = 10
BAY_X, BAY_Y, HEIGHT = 6.0, 8.0, 3.0
SLAB = 0.20
EXT_LAYERS = (("Concrete C30/37", 0.20), ("Mineral wool insulation", 0.10), ("Gypsum plaster", 0.02))
PARTITION_LAYERS = (("Gypsum board", 0.0125), ("Mineral wool insulation", 0.10), ("Gypsum board", 0.0125))
FLOORING_LAYERS = (("Cement screed", 0.04), ("Ceramic tiles", 0.01))
CEILING_LAYERS = (("Gypsum board", 0.0125),)
WINDOW_W, WINDOW_H, WINDOW_SILL, WINDOW_D, FRAME = 1.5, 1.2, 0.9, 0.08, 0.06
DOOR_W, DOOR_H, DOOR_D, DOOR_FRAME = 0.9, 2.1, 0.1, 0.05
MULLION = 0.05  # square section of curtain-wall members, m
PANEL_T = 0.024
#: Elements taken off per bay (see the module docstring).
PER_BAY = 14


def _thickness(layers) -> float:
    return sum(t for _, t in layers)


class MixedModelBuilder(samples.LargeModelBuilder):
    """The mixed building (module docstring); placements, GlobalIds and the skeleton as the large
    grid model's."""

    def __init__(self, bays: int) -> None:
        super().__init__(bays * PER_BAY, False, "IFC4")
        self.bays = bays
        self.members: dict[int, list[Entity]] = {}  # material definition id -> elements

    # -- shared pieces -----------------------------------------------------------------------------
    def setup_shared(self) -> None:
        model = self.model
        self.dir_z = model.createIfcDirection((0.0, 0.0, 1.0))
        self.dir_x = model.createIfcDirection((1.0, 0.0, 0.0))
        self.dir_y = model.createIfcDirection((0.0, 1.0, 0.0))
        self.origin = model.createIfcAxis2Placement3D(model.createIfcCartesianPoint((0.0, 0.0, 0.0)))
        self.materials: dict[str, Entity] = {}

        def layer_usage(name, layers, direction):
            items = [model.createIfcMaterialLayer(self.material(m), t) for m, t in layers]
            layer_set = model.createIfcMaterialLayerSet(items, name)
            return model.createIfcMaterialLayerSetUsage(layer_set, direction, "POSITIVE", 0.0)

        self.usage = {
            "slab": layer_usage("Slab 200", (("Concrete C30/37", SLAB),), "AXIS3"),
            "external": layer_usage("External wall 320", EXT_LAYERS, "AXIS2"),
            "partition": layer_usage("Partition 125", PARTITION_LAYERS, "AXIS2"),
            "flooring": layer_usage("Screed and tiles 50", FLOORING_LAYERS, "AXIS3"),
            "ceiling": layer_usage("Gypsum ceiling 12.5", CEILING_LAYERS, "AXIS3"),
        }
        self.types = {
            "window": self.window_type(),
            "door": self.door_type(),
            "panel": self.simple_type(
                "IfcPlateType",
                "Glass panel 2.9 x 2.9",
                "Float glass",
                [self.box_item(2.9, PANEL_T, 2.9, (0.0, -PANEL_T / 2, 0.0))],
            ),
            "mullion": self.simple_type(
                "IfcMemberType",
                "Mullion 50 x 50 x 3000",
                "Aluminium",
                [self.box_item(MULLION, MULLION, HEIGHT, (-MULLION / 2, -MULLION / 2, 0.0))],
            ),
            "transom": self.simple_type(
                "IfcMemberType",
                "Transom 50 x 50 x 6000",
                "Aluminium",
                [self.box_item(BAY_X, MULLION, MULLION, (0.0, -MULLION / 2, 0.0))],
            ),
        }

    def material(self, name: str) -> Entity:
        if name not in self.materials:
            self.materials[name] = self.model.create_entity("IfcMaterial", Name=name)
        return self.materials[name]

    def box_item(self, dx: float, dy: float, dz: float, corner=(0.0, 0.0, 0.0)) -> Entity:
        """An extruded rectangle dx x dy, dz high, its lowest corner at ``corner``."""
        model = self.model
        profile = model.create_entity(
            "IfcRectangleProfileDef",
            ProfileType="AREA",
            Position=model.createIfcAxis2Placement2D(model.createIfcCartesianPoint((dx / 2, dy / 2))),
            XDim=dx,
            YDim=dy,
        )
        position = model.createIfcAxis2Placement3D(model.createIfcCartesianPoint(corner))
        return model.createIfcExtrudedAreaSolid(profile, position, self.dir_z, dz)

    def body_of(self, items: list[Entity], kind: str = "SweptSolid") -> Entity:
        representation = self.model.createIfcShapeRepresentation(self.body, "Body", kind, items)
        return self.model.createIfcProductDefinitionShape(None, None, [representation])

    def type_object(self, ifc_class: str, name: str, items: list[Entity], **attributes) -> Entity:
        representation = self.model.createIfcShapeRepresentation(self.body, "Body", "SweptSolid", items)
        representation_map = self.model.createIfcRepresentationMap(self.origin, representation)
        return self.root(ifc_class, Name=name, RepresentationMaps=[representation_map], **attributes)

    def simple_type(self, ifc_class: str, name: str, material: str, items: list[Entity]) -> Entity:
        element_type = self.type_object(ifc_class, name, items, PredefinedType="NOTDEFINED")
        self.root(
            "IfcRelAssociatesMaterial",
            RelatedObjects=[element_type],
            RelatingMaterial=self.material(material),
        )
        return element_type

    def window_type(self) -> Entity:
        """Four frame bars and a pane, in the window's own axes (x along the wall, z up)."""
        w, h, d, f = WINDOW_W, WINDOW_H, WINDOW_D, FRAME
        items = [
            self.box_item(w, d, f),  # sill
            self.box_item(w, d, f, (0.0, 0.0, h - f)),  # head
            self.box_item(f, d, h - 2 * f, (0.0, 0.0, f)),  # jambs
            self.box_item(f, d, h - 2 * f, (w - f, 0.0, f)),
            self.box_item(w - 2 * f, 0.024, h - 2 * f, (f, (d - 0.024) / 2, f)),  # pane
        ]
        attributes = {"PredefinedType": "WINDOW", "PartitioningType": "SINGLE_PANEL"}
        window_type = self.type_object("IfcWindowType", "Window 1500 x 1200", items, **attributes)
        constituents = [
            self.model.create_entity(
                "IfcMaterialConstituent", Name="Frame", Material=self.material("Aluminium"), Fraction=0.25
            ),
            self.model.create_entity(
                "IfcMaterialConstituent", Name="Glazing", Material=self.material("Float glass"), Fraction=0.75
            ),
        ]
        constituent_set = self.model.create_entity(
            "IfcMaterialConstituentSet", Name="Aluminium window", MaterialConstituents=constituents
        )
        self.root("IfcRelAssociatesMaterial", RelatedObjects=[window_type], RelatingMaterial=constituent_set)
        return window_type

    def door_type(self) -> Entity:
        w, h, d, f = DOOR_W, DOOR_H, DOOR_D, DOOR_FRAME
        items = [
            self.box_item(f, d, h),  # jambs
            self.box_item(f, d, h, (w - f, 0.0, 0.0)),
            self.box_item(w - 2 * f, d, f, (f, 0.0, h - f)),  # head
            self.box_item(w - 2 * f, 0.04, h - f, (f, (d - 0.04) / 2, 0.0)),  # leaf
        ]
        door_type = self.type_object(
            "IfcDoorType", "Door 900 x 2100", items, PredefinedType="DOOR", OperationType="SINGLE_SWING_LEFT"
        )
        self.root(
            "IfcRelAssociatesMaterial", RelatedObjects=[door_type], RelatingMaterial=self.material("Timber")
        )
        return door_type

    def mapped(self, element_type: Entity) -> Entity:
        """A body that places the type's representation map once, unscaled."""
        model = self.model
        operator = model.createIfcCartesianTransformationOperator3D(
            None, None, model.createIfcCartesianPoint((0.0, 0.0, 0.0)), None, None
        )
        item = model.createIfcMappedItem(element_type.RepresentationMaps[0], operator)
        return self.body_of([item], "MappedRepresentation")

    # -- the building ------------------------------------------------------------------------------
    def build(self):
        model = self.model
        variant = samples.Variant("mixed.ifc", self.schema, "m")
        samples.add_owner(model)
        project = ifcopenshell.api.root.create_entity(
            model, ifc_class="IfcProject", name="bimcarbon mixed model"
        )
        project.GlobalId = samples.guid_for("mixed/project")
        samples.add_units(model, variant)
        self.body = samples.add_body_context(model)
        self.setup_shared()
        origin, building = self.site_and_building(project)
        storeys, typed = [], {key: [] for key in self.types}
        for level in range(math.ceil(self.bays / BAYS_PER_STOREY)):
            elevation = level * (HEIGHT + SLAB)
            storey = self.root(
                "IfcBuildingStorey",
                Name=f"Level {level:03d}",
                ObjectPlacement=self.placement(origin, (0.0, 0.0, elevation)),
                CompositionType="ELEMENT",
                Elevation=elevation,
            )
            storeys.append(storey)
            contained: list[Entity] = []
            for bay in range(min(BAYS_PER_STOREY, self.bays - level * BAYS_PER_STOREY)):
                self.add_bay(storey, bay, level, contained, typed)
            self.root(
                "IfcRelContainedInSpatialStructure", RelatingStructure=storey, RelatedElements=contained
            )
        self.root("IfcRelAggregates", RelatingObject=building, RelatedObjects=storeys)
        for usage in self.usage.values():
            if self.members.get(usage.id()):
                self.root(
                    "IfcRelAssociatesMaterial",
                    RelatedObjects=self.members[usage.id()],
                    RelatingMaterial=usage,
                )
        for key, element_type in self.types.items():
            if typed[key]:
                self.root("IfcRelDefinesByType", RelatedObjects=typed[key], RelatingType=element_type)
        return model

    def element(
        self, ifc_class: str, name: str, placement: Entity, body: Entity | None, **attributes
    ) -> Entity:
        return self.root(ifc_class, Name=name, ObjectPlacement=placement, Representation=body, **attributes)

    def layered(self, usage: str, element: Entity) -> Entity:
        self.members.setdefault(self.usage[usage].id(), []).append(element)
        return element

    def add_bay(self, storey: Entity, bay: int, level: int, contained: list, typed: dict) -> None:
        x0 = bay * BAY_X
        here = storey.ObjectPlacement
        tag = f"{level:03d}-{bay:02d}"
        wall_class = "IfcWall"
        # slab (top at the storey's level) and its coverings
        slab = self.element(
            "IfcSlab",
            f"Slab {tag}",
            self.placement(here, (x0, 0.0, -SLAB)),
            self.body_of([self.box_item(BAY_X, BAY_Y, SLAB)]),
            PredefinedType="FLOOR",
        )
        flooring_t, ceiling_t = _thickness(FLOORING_LAYERS), _thickness(CEILING_LAYERS)
        flooring = self.element(
            "IfcCovering",
            f"Flooring {tag}",
            self.placement(here, (x0, 0.0, 0.0)),
            self.body_of([self.box_item(BAY_X, BAY_Y, flooring_t)]),
            PredefinedType="FLOORING",
        )
        ceiling = self.element(
            "IfcCovering",
            f"Ceiling {tag}",
            self.placement(here, (x0, 0.0, HEIGHT - 0.3 - ceiling_t)),
            self.body_of([self.box_item(BAY_X, BAY_Y, ceiling_t)]),
            PredefinedType="CEILING",
        )
        self.layered("slab", slab)
        self.layered("flooring", flooring)
        self.layered("ceiling", ceiling)
        # south wall with a window
        ext_t = _thickness(EXT_LAYERS)
        south = self.element(
            wall_class,
            f"External wall {tag}",
            self.placement(here, (x0, 0.0, 0.0)),
            self.body_of([self.box_item(BAY_X, ext_t, HEIGHT)]),
            PredefinedType="STANDARD",
        )
        self.layered("external", south)
        window_x = (BAY_X - WINDOW_W) / 2
        window = self.filled_opening(
            south,
            (window_x, 0.0, WINDOW_SILL),
            WINDOW_W,
            ext_t,
            WINDOW_H,
            "IfcWindow",
            f"Window {tag}",
            (0.0, (ext_t - WINDOW_D) / 2, 0.0),
            self.types["window"],
            WINDOW_W,
            WINDOW_H,
        )
        typed["window"].append(window)
        # partition on the bay's west side, with a door
        part_t = _thickness(PARTITION_LAYERS)
        partition = self.element(
            wall_class,
            f"Partition {tag}",
            self.placement(here, (x0 + part_t, ext_t, 0.0), self.dir_z, self.dir_y),
            self.body_of([self.box_item(BAY_Y - ext_t, part_t, HEIGHT)]),
            PredefinedType="PARTITIONING",
        )
        self.layered("partition", partition)
        door = self.filled_opening(
            partition,
            (1.0, 0.0, 0.0),
            DOOR_W,
            part_t,
            DOOR_H,
            "IfcDoor",
            f"Door {tag}",
            (0.0, (part_t - DOOR_D) / 2, 0.0),
            self.types["door"],
            DOOR_W,
            DOOR_H,
        )
        typed["door"].append(door)
        # curtain wall on the north face: two panels, three mullions, two transoms
        curtain = self.element(
            "IfcCurtainWall", f"Curtain wall {tag}", self.placement(here, (x0, BAY_Y, 0.0)), None
        )
        cw_place = curtain.ObjectPlacement
        parts = []
        for i in range(2):
            panel = self.element(
                "IfcPlate",
                f"Panel {tag}/{i}",
                self.placement(cw_place, (0.05 + i * 3.0, 0.0, 0.05)),
                self.mapped(self.types["panel"]),
                PredefinedType="CURTAIN_PANEL",
            )
            typed["panel"].append(panel)
            parts.append(panel)
        for i in range(3):
            mullion = self.element(
                "IfcMember",
                f"Mullion {tag}/{i}",
                self.placement(cw_place, (i * 3.0, 0.0, 0.0)),
                self.mapped(self.types["mullion"]),
                PredefinedType="MULLION",
            )
            typed["mullion"].append(mullion)
            parts.append(mullion)
        for i in range(2):
            transom = self.element(
                "IfcMember",
                f"Transom {tag}/{i}",
                self.placement(cw_place, (0.0, 0.0, i * (HEIGHT - MULLION))),
                self.mapped(self.types["transom"]),
                PredefinedType="MULLION",
            )
            typed["transom"].append(transom)
            parts.append(transom)
        self.root("IfcRelAggregates", RelatingObject=curtain, RelatedObjects=parts)
        contained += [slab, flooring, ceiling, south, window, partition, door, curtain]

    def filled_opening(self, host, at, width, depth, height, ifc_class, name, inset, element_type, ow, oh):
        """An opening through ``host`` at ``at`` (host axes) and the door or window filling it."""
        opening = self.element(
            "IfcOpeningElement",
            f"Opening for {name}",
            self.placement(host.ObjectPlacement, at),
            self.body_of([self.box_item(width, depth + 0.2, height, (0.0, -0.1, 0.0))]),
        )
        self.root("IfcRelVoidsElement", RelatingBuildingElement=host, RelatedOpeningElement=opening)
        filling = self.element(
            ifc_class,
            name,
            self.placement(opening.ObjectPlacement, inset),
            self.mapped(element_type),
            OverallHeight=oh,
            OverallWidth=ow,
        )
        self.root("IfcRelFillsElement", RelatingOpeningElement=opening, RelatedBuildingElement=filling)
        return filling


def build_mixed_model(path: str | Path, n_elements: int) -> Path:
    """Write the mixed building (IFC4) with about ``n_elements`` elements taken off (whole bays of
    :data:`PER_BAY`, at least one)."""
    model = MixedModelBuilder(max(1, round(n_elements / PER_BAY))).build()
    path = Path(path)
    model.header.file_name.name = path.name
    model.write(str(path))
    return path


if __name__ == "__main__":
    built = build_mixed_model(sys.argv[2], int(sys.argv[1]))
    print(f"wrote {built}")
