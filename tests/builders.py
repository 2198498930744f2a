"""Small IFC models built in tests with ifcopenshell.api, in metres, millimetres or feet.

Every dimension is given here in SI and converted to the model's units, so the same building in any
unit must give the same take-off. The numbers are chosen to be checked on paper:

* wall "W1": 10 m x 3 m, layers concrete 0.20 + mineral wool 0.10 + gypsum plaster 0.02 (0.32 m),
  Qto_WallBaseQuantities NetVolume 9.6 m3, NetSideArea 30 m2, Length 10 m;
* slab "S1": 10 m x 8 m x 0.2 m, concrete, no quantities: geometry gives 16 m3;
* beam "B1": I-profile b=0.2, h=0.2, tw=0.009, tf=0.015 (area 0.00753 m2) x 4 m = 0.03012 m3, steel,
  Qto_BeamBaseQuantities NetWeight 236.442 kg and no volume: profile area x length.
"""

from __future__ import annotations

from pathlib import Path

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.context
import ifcopenshell.api.geometry
import ifcopenshell.api.material
import ifcopenshell.api.project
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.unit
import ifcopenshell.guid

#: unit system -> (length scale, area scale, volume scale, mass scale) in SI per model unit.
SCALES = {
    "m": (1.0, 1.0, 1.0, 1.0),
    "mm": (1e-3, 1.0, 1.0, 1.0),
    "ft": (0.3048, 0.09290304, 0.028316846592, 0.45359237),
}

WALL_LAYERS = [("Concrete C30/37", 0.20), ("Mineral wool", 0.10), ("Gypsum plaster", 0.02)]
I_PROFILE = {"OverallWidth": 0.2, "OverallDepth": 0.2, "WebThickness": 0.009, "FlangeThickness": 0.015}
I_PROFILE_AREA_M2 = 2 * 0.2 * 0.015 + (0.2 - 2 * 0.015) * 0.009  # 0.00753


def new_model(unit: str = "m", schema: str = "IFC4") -> tuple[ifcopenshell.file, dict]:
    """An empty project with units, a body context and one storey."""
    f = ifcopenshell.api.project.create_file(version=schema)
    if schema == "IFC2X3":
        _owner_history_for_ifc2x3(f)
    project = ifcopenshell.api.root.create_entity(f, ifc_class="IfcProject", name="Test project")
    if unit == "m":
        units = [
            ifcopenshell.api.unit.add_si_unit(f, unit_type="LENGTHUNIT"),
            ifcopenshell.api.unit.add_si_unit(f, unit_type="AREAUNIT"),
            ifcopenshell.api.unit.add_si_unit(f, unit_type="VOLUMEUNIT"),
            ifcopenshell.api.unit.add_si_unit(f, unit_type="MASSUNIT", prefix="KILO"),
        ]
    elif unit == "mm":
        units = [
            ifcopenshell.api.unit.add_si_unit(f, unit_type="LENGTHUNIT", prefix="MILLI"),
            ifcopenshell.api.unit.add_si_unit(f, unit_type="AREAUNIT"),
            ifcopenshell.api.unit.add_si_unit(f, unit_type="VOLUMEUNIT"),
            ifcopenshell.api.unit.add_si_unit(f, unit_type="MASSUNIT", prefix="KILO"),
        ]
    elif unit == "ft":
        units = [
            ifcopenshell.api.unit.add_conversion_based_unit(f, name=name)
            for name in ("foot", "square foot", "cubic foot", "pound")
        ]
    else:
        raise ValueError(unit)
    ifcopenshell.api.unit.assign_unit(f, units=units)
    model_ctx = ifcopenshell.api.context.add_context(f, context_type="Model")
    body = ifcopenshell.api.context.add_context(
        f, context_type="Model", context_identifier="Body", target_view="MODEL_VIEW", parent=model_ctx
    )
    site = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSite", name="Site")
    building = ifcopenshell.api.root.create_entity(f, ifc_class="IfcBuilding", name="Building")
    storey = ifcopenshell.api.root.create_entity(f, ifc_class="IfcBuildingStorey", name="Ground floor")
    ifcopenshell.api.aggregate.assign_object(f, products=[site], relating_object=project)
    ifcopenshell.api.aggregate.assign_object(f, products=[building], relating_object=site)
    ifcopenshell.api.aggregate.assign_object(f, products=[storey], relating_object=building)
    return f, {"body": body, "storey": storey, "unit": unit, "scales": SCALES[unit]}


def _owner_history_for_ifc2x3(f: ifcopenshell.file) -> None:
    """IFC2X3 requires an OwnerHistory on every rooted entity; ifcopenshell.api asks who the user is."""
    import ifcopenshell.api.owner.settings as owner_settings

    person = f.create_entity("IfcPerson", FamilyName="Tester")
    organisation = f.create_entity("IfcOrganization", Name="bimcarbon tests")
    f.create_entity("IfcPersonAndOrganization", ThePerson=person, TheOrganization=organisation)
    f.create_entity(
        "IfcApplication",
        ApplicationDeveloper=organisation,
        Version="1",
        ApplicationFullName="bimcarbon tests",
        ApplicationIdentifier="bimcarbon-tests",
    )
    owner_settings.get_user = lambda file: (file.by_type("IfcPersonAndOrganization") or [None])[0]
    owner_settings.get_application = lambda file: (file.by_type("IfcApplication") or [None])[0]


def add_layered_wall(
    f: ifcopenshell.file,
    ctx: dict,
    with_qto: bool = True,
    *,
    length_m: float = 10.0,
    height_m: float = 3.0,
    layers: list[tuple[str, float]] = WALL_LAYERS,
    net_volume_m3: float = 9.6,
):
    """Wall W1 (see module docstring), or a wall of other SI dimensions and (material, thickness m)
    layers; with ``with_qto``, Length, NetSideArea and ``net_volume_m3`` in the model's units."""
    length_scale, area_scale, volume_scale, _ = ctx["scales"]
    wall = ifcopenshell.api.root.create_entity(f, ifc_class="IfcWall", name="W1")
    rep = ifcopenshell.api.geometry.add_wall_representation(
        f, context=ctx["body"], length=length_m, height=height_m, thickness=sum(t for _, t in layers)
    )
    ifcopenshell.api.geometry.assign_representation(f, product=wall, representation=rep)
    layer_set = ifcopenshell.api.material.add_material_set(f, name="EW-320", set_type="IfcMaterialLayerSet")
    for name, thickness in layers:
        material = ifcopenshell.api.material.add_material(f, name=name)
        layer = ifcopenshell.api.material.add_layer(f, layer_set=layer_set, material=material)
        ifcopenshell.api.material.edit_layer(
            f, layer=layer, attributes={"LayerThickness": thickness / length_scale}
        )
    ifcopenshell.api.material.assign_material(
        f, products=[wall], type="IfcMaterialLayerSetUsage", material=layer_set
    )
    if with_qto:
        qto = ifcopenshell.api.pset.add_qto(f, product=wall, name="Qto_WallBaseQuantities")
        ifcopenshell.api.pset.edit_qto(
            f,
            qto=qto,
            properties={
                "Length": length_m / length_scale,
                "NetSideArea": length_m * height_m / area_scale,
                "NetVolume": net_volume_m3 / volume_scale,
            },
        )
    ifcopenshell.api.spatial.assign_container(f, products=[wall], relating_structure=ctx["storey"])
    return wall


def add_slab(
    f: ifcopenshell.file, ctx: dict, length_m: float = 10.0, width_m: float = 8.0, depth_m: float = 0.2
):
    """Slab S1: 10 x 8 x 0.2 m (or the SI dimensions given) of concrete, no quantities."""
    slab = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSlab", name="S1")
    outline = [(0.0, 0.0), (length_m, 0.0), (length_m, width_m), (0.0, width_m)]
    rep = ifcopenshell.api.geometry.add_slab_representation(
        f, context=ctx["body"], depth=depth_m, polyline=outline
    )
    ifcopenshell.api.geometry.assign_representation(f, product=slab, representation=rep)
    concrete = ifcopenshell.api.material.add_material(f, name="Concrete C30/37")
    ifcopenshell.api.material.assign_material(f, products=[slab], type="IfcMaterial", material=concrete)
    ifcopenshell.api.spatial.assign_container(f, products=[slab], relating_structure=ctx["storey"])
    return slab


def add_steel_beam(f: ifcopenshell.file, ctx: dict, with_weight: bool = True):
    """Beam B1: I-profile x 4 m of steel with an exported NetWeight and no volume."""
    length_scale, _, _, mass_scale = ctx["scales"]
    beam = ifcopenshell.api.root.create_entity(f, ifc_class="IfcBeam", name="B1")
    position = f.create_entity(
        "IfcAxis2Placement2D", Location=f.create_entity("IfcCartesianPoint", (0.0, 0.0))
    )  # mandatory in IFC2X3
    profile = f.create_entity(
        "IfcIShapeProfileDef",
        ProfileType="AREA",
        ProfileName="HEB200-like",
        Position=position,
        **{k: v / length_scale for k, v in I_PROFILE.items()},
    )
    rep = ifcopenshell.api.geometry.add_profile_representation(
        f, context=ctx["body"], profile=profile, depth=4.0
    )
    ifcopenshell.api.geometry.assign_representation(f, product=beam, representation=rep)
    steel = ifcopenshell.api.material.add_material(f, name="Steel S355")
    if f.schema == "IFC2X3":
        ifcopenshell.api.material.assign_material(f, products=[beam], type="IfcMaterial", material=steel)
    else:
        profile_set = ifcopenshell.api.material.add_material_set(
            f, name="HEB200", set_type="IfcMaterialProfileSet"
        )
        ifcopenshell.api.material.add_profile(f, profile_set=profile_set, material=steel, profile=profile)
        ifcopenshell.api.material.assign_material(
            f, products=[beam], type="IfcMaterialProfileSetUsage", material=profile_set
        )
    if with_weight:
        qto = ifcopenshell.api.pset.add_qto(f, product=beam, name="Qto_BeamBaseQuantities")
        ifcopenshell.api.pset.edit_qto(
            f, qto=qto, properties={"NetWeight": I_PROFILE_AREA_M2 * 4.0 * 7850.0 / mass_scale}
        )
    ifcopenshell.api.spatial.assign_container(f, products=[beam], relating_structure=ctx["storey"])
    return beam


def small_building(path: Path, unit: str = "m", schema: str = "IFC4") -> Path:
    """Write a model with W1, S1 and B1 in the given unit system and return its path."""
    f, ctx = new_model(unit, schema)
    add_layered_wall(f, ctx)
    add_slab(f, ctx)
    add_steel_beam(f, ctx)
    f.write(str(path))
    return path


#: The surface-model ceiling: 5.06 x 2.66 x 0.05 m of gypsum board (0.67298 m3), written as Revit
#: writes ceilings: an IfcFaceBasedSurfaceModel of six quads, two of them (the top and the +x end)
#: wound the wrong way, far from the element's own origin.
CEILING_SIZE_M = (5.06, 2.66, 0.05)
CEILING_CORNER_M = (12.0, 4.0, 2.7)
_BOX_QUADS = [(0, 3, 2, 1), (4, 5, 6, 7), (0, 1, 5, 4), (1, 2, 6, 5), (2, 3, 7, 6), (3, 0, 4, 7)]


def add_surface_model_ceiling(
    f: ifcopenshell.file,
    ctx: dict,
    *,
    wrong_way: tuple[int, ...] = (1, 3),
    copies: int = 1,
    one_face_set: bool = False,
    with_layer: bool = False,
    left_out: tuple[int, ...] = (),
):
    """An IfcCovering CEILING whose body is an IfcFaceBasedSurfaceModel of the box
    :data:`CEILING_SIZE_M` at :data:`CEILING_CORNER_M` (SI, converted to the model's units).

    ``wrong_way`` lists the box faces (bottom, top, -y, +x, +y, -x) wound inward; ``copies`` > 1
    repeats the box's faces (a duplicated shell), in face sets of their own or, with
    ``one_face_set``, all in one; ``with_layer`` gives it one 0.05 m gypsum layer
    and Qto_CoveringBaseQuantities NetArea 5.06 x 2.66 = 13.4596 m2, so area x thickness gives
    0.67298 m3 without geometry; ``left_out`` lists box faces not written (an open mesh).
    """
    length_scale, area_scale, _, _ = ctx["scales"]
    (dx, dy, dz), (x0, y0, z0) = CEILING_SIZE_M, CEILING_CORNER_M
    corners = [
        (x0 + i * dx, y0 + j * dy, z0 + k * dz) for k in (0, 1) for i, j in ((0, 0), (1, 0), (1, 1), (0, 1))
    ]
    points = [f.create_entity("IfcCartesianPoint", [c / length_scale for c in p]) for p in corners]
    face_sets = []
    for _ in range(copies):
        faces = []
        for index, quad in enumerate(_BOX_QUADS):
            if index in left_out:
                continue
            loop = quad[::-1] if index in wrong_way else quad
            polyloop = f.create_entity("IfcPolyLoop", [points[i] for i in loop])
            bound = f.create_entity("IfcFaceOuterBound", polyloop, True)
            faces.append(f.create_entity("IfcFace", [bound]))
        face_sets.append(faces)
    if one_face_set:
        face_sets = [[face for faces in face_sets for face in faces]]
    face_sets = [f.create_entity("IfcConnectedFaceSet", faces) for faces in face_sets]
    body = f.create_entity(
        "IfcShapeRepresentation",
        ctx["body"],
        "Body",
        "SurfaceModel",
        [f.create_entity("IfcFaceBasedSurfaceModel", face_sets)],
    )
    ceiling = ifcopenshell.api.root.create_entity(
        f, ifc_class="IfcCovering", name="C1", predefined_type="CEILING"
    )
    ifcopenshell.api.geometry.assign_representation(f, product=ceiling, representation=body)
    ifcopenshell.api.spatial.assign_container(f, products=[ceiling], relating_structure=ctx["storey"])
    if with_layer:
        layer_set = ifcopenshell.api.material.add_material_set(
            f, name="Gypsum 50", set_type="IfcMaterialLayerSet"
        )
        gypsum = ifcopenshell.api.material.add_material(f, name="Gypsum board")
        layer = ifcopenshell.api.material.add_layer(f, layer_set=layer_set, material=gypsum)
        ifcopenshell.api.material.edit_layer(f, layer=layer, attributes={"LayerThickness": dz / length_scale})
        ifcopenshell.api.material.assign_material(
            f, products=[ceiling], type="IfcMaterialLayerSetUsage", material=layer_set
        )
        qto = ifcopenshell.api.pset.add_qto(f, product=ceiling, name="Qto_CoveringBaseQuantities")
        ifcopenshell.api.pset.edit_qto(f, qto=qto, properties={"NetArea": dx * dy / area_scale})
    return ceiling


# ---- design variants of the sample office (bimcarbon compare) --------------------------------------
#: A namespace for the GlobalIds a "re-export" draws (any fixed UUID: the output is reproducible).
REGENERATED_IDS = "6f1d3a52-8b0e-4c7a-9e21-5d4b7c0a9f13"


def thickened_slab(source: Path, target: Path, name: str = "First floor slab", extra_m: float = 0.05) -> Path:
    """The sample office (``office_m.ifc``, metres) with one slab ``extra_m`` thicker, downwards (its top
    stays at the storey level): its extruded body, its layer set (a new one, the others keep theirs)
    and its placement follow. The first-floor slab has no quantities: its volume comes from geometry,
    10 x 8 x (0.2 + extra_m) m3."""
    f = ifcopenshell.open(str(source))
    slab = next(e for e in f.by_type("IfcSlab") if e.Name == name)
    body = next(r for r in slab.Representation.Representations if r.RepresentationIdentifier == "Body")
    solid = body.Items[0]
    thickness = solid.Depth + extra_m
    solid.Depth = thickness
    placement = slab.ObjectPlacement.RelativePlacement
    x, y, z = placement.Location.Coordinates
    placement.Location = f.createIfcCartesianPoint((x, y, z - extra_m))
    usage = next(
        r.RelatingMaterial
        for r in f.by_type("IfcRelAssociatesMaterial")
        if slab in r.RelatedObjects and r.RelatingMaterial.is_a("IfcMaterialLayerSetUsage")
    )
    old = usage.ForLayerSet
    layer = old.MaterialLayers[0]
    thicker = f.createIfcMaterialLayer(layer.Material, thickness, None)
    usage.ForLayerSet = f.createIfcMaterialLayerSet(
        [thicker], f"Concrete slab {round(thickness * 1000)}", None
    )
    f.write(str(target))
    return target


def regenerated_ids(source: Path, target: Path) -> Path:
    """The same model as an exporter that draws new GlobalIds would write it: every IfcRoot gets another
    GlobalId (uuid5 of the old one: reproducible), nothing else changes."""
    import uuid

    import ifcopenshell.guid

    f = ifcopenshell.open(str(source))
    namespace = uuid.UUID(REGENERATED_IDS)
    for root in f.by_type("IfcRoot"):
        root.GlobalId = ifcopenshell.guid.compress(uuid.uuid5(namespace, root.GlobalId).hex)
    f.write(str(target))
    return target


def added_and_removed(source: Path, target: Path) -> Path:
    """The sample office without "Ground floor internal wall 2" and with a fifth steel column "Steel column
    SC5", a copy of SC1 (same type, profile and material) standing at (5.0, 4.0) on the ground floor."""
    import ifcopenshell.api.root

    f = ifcopenshell.open(str(source))
    wall = next(e for e in f.by_type("IfcWall") if e.Name == "Ground floor internal wall 2")
    ifcopenshell.api.root.remove_product(f, product=wall)
    sc1 = next(e for e in f.by_type("IfcColumn") if e.Name == "Steel column SC1")
    import ifcopenshell.util.element

    column = ifcopenshell.api.root.copy_class(f, product=sc1)  # its material and type, not its body
    column.Name = "Steel column SC5"
    column.Representation = ifcopenshell.util.element.copy_deep(f, sc1.Representation)
    old = sc1.ObjectPlacement
    column.ObjectPlacement = f.createIfcLocalPlacement(
        old.PlacementRelTo,
        f.createIfcAxis2Placement3D(f.createIfcCartesianPoint((5.0, 4.0, 0.0)), None, None),
    )
    f.write(str(target))
    return target


def add_box_element(f: ifcopenshell.file, ctx: dict, ifc_class: str, name: str, material: str | None):
    """An element of ``ifc_class`` with a 1 x 0.2 x 1 m box body and one IfcMaterial (or none), in no
    storey yet."""
    element = ifcopenshell.api.root.create_entity(f, ifc_class=ifc_class, name=name)
    rep = ifcopenshell.api.geometry.add_wall_representation(
        f, context=ctx["body"], length=1.0, height=1.0, thickness=0.2
    )
    ifcopenshell.api.geometry.assign_representation(f, product=element, representation=rep)
    if material is not None:
        made_of = ifcopenshell.api.material.add_material(f, name=material)
        ifcopenshell.api.material.assign_material(f, products=[element], type="IfcMaterial", material=made_of)
    return element


def lca_gaps_model(path: Path, schema: str = "IFC4") -> tuple[Path, dict[str, str]]:
    """A model built to fail the LCA-ready pre-check, one fault per element, and no spaces.

    * "W1": the layered wall of :func:`add_layered_wall` (passes everything);
    * "Column without material": no material association at all;
    * "Beam of Default": its one material is named "Default" (Revit's placeholder);
    * "Member outside": steel, but contained in no storey (nor in anything else);
    * "Wall of one material": a wall with a single IfcMaterial (concrete) instead of a layer set;
    * no IfcSpace, and the storey "Ground floor" carries no GrossFloorArea.

    Returns the path and name -> GlobalId of the elements and the storey.
    """
    f, ctx = new_model("m", schema)
    add_layered_wall(f, ctx)
    contained = [
        add_box_element(f, ctx, "IfcColumn", "Column without material", None),
        add_box_element(f, ctx, "IfcBeam", "Beam of Default", "Default"),
        add_box_element(f, ctx, "IfcWall", "Wall of one material", "Concrete C30/37"),
    ]
    ifcopenshell.api.spatial.assign_container(f, products=contained, relating_structure=ctx["storey"])
    add_box_element(f, ctx, "IfcMember", "Member outside", "Steel S355")
    f.write(str(path))
    named = {e.Name: e.GlobalId for e in f.by_type("IfcElement")}
    named[ctx["storey"].Name] = ctx["storey"].GlobalId
    return path, named


def lca_ready_model(path: Path, schema: str = "IFC4") -> Path:
    """Wall W1 (layered, with quantities, in the storey) and a storey carrying GrossFloorArea 80 m2 in
    Qto_BuildingStoreyBaseQuantities (IFC2X3: BaseQuantities): every LCA-ready requirement is met."""
    import ifcopenshell.api.pset

    f, ctx = new_model("m", schema)
    add_layered_wall(f, ctx)
    name = "BaseQuantities" if schema == "IFC2X3" else "Qto_BuildingStoreyBaseQuantities"
    qto = ifcopenshell.api.pset.add_qto(f, product=ctx["storey"], name=name)
    ifcopenshell.api.pset.edit_qto(f, qto=qto, properties={"GrossFloorArea": 80.0})
    f.write(str(path))
    return path


#: The window type placed by :func:`add_mapped_windows`: one box 1.0 x 0.1 x 1.5 m = 0.15 m3.
WINDOW_BOX_M = (1.0, 0.1, 1.5)


def add_mapped_windows(f: ifcopenshell.file, ctx: dict, count: int, mappings: tuple[str, ...] = ()) -> list:
    """``count`` windows of one IfcWindowType, each an IfcMappedItem of the type's representation map
    (identity mapping) at its own placement 3 m apart, then one window per entry of ``mappings``:
    ``scale2`` (IfcCartesianTransformationOperator3D Scale 2: 8 x 0.15 = 1.2 m3), ``stretch`` (...3DnonUniform
    Scale 2, Scale2 1, Scale3 1: 2 x 0.15 = 0.3 m3) or ``mirror`` (Axis1 -x: 0.15 m3). Glass, no quantities.
    """
    length_scale = ctx["scales"][0]
    dx, dy, dz = WINDOW_BOX_M  # ifcopenshell.api takes SI metres and writes the model's unit
    window_type = ifcopenshell.api.root.create_entity(f, ifc_class="IfcWindowType", name="W-1000x1500")
    box = ifcopenshell.api.geometry.add_wall_representation(
        f, context=ctx["body"], length=dx, height=dz, thickness=dy
    )
    ifcopenshell.api.geometry.assign_representation(f, product=window_type, representation=box)
    representation_map = window_type.RepresentationMaps[0]
    glass = ifcopenshell.api.material.add_material(f, name="Float glass")
    ifcopenshell.api.material.assign_material(f, products=[window_type], type="IfcMaterial", material=glass)
    origin = f.create_entity("IfcCartesianPoint", (0.0, 0.0, 0.0))
    operators = {
        None: lambda: f.create_entity("IfcCartesianTransformationOperator3D", LocalOrigin=origin),
        "scale2": lambda: f.create_entity(
            "IfcCartesianTransformationOperator3D", LocalOrigin=origin, Scale=2.0
        ),
        "stretch": lambda: f.create_entity(
            "IfcCartesianTransformationOperator3DnonUniform",
            LocalOrigin=origin,
            Scale=2.0,
            Scale2=1.0,
            Scale3=1.0,
        ),
        "mirror": lambda: f.create_entity(
            "IfcCartesianTransformationOperator3D",
            LocalOrigin=origin,
            Axis1=f.create_entity("IfcDirection", (-1.0, 0.0, 0.0)),
        ),
    }
    windows = []
    for index, mapping in enumerate([None] * count + list(mappings)):
        window = ifcopenshell.api.root.create_entity(f, ifc_class="IfcWindow", name=f"Window {index}")
        item = f.create_entity(
            "IfcMappedItem", MappingSource=representation_map, MappingTarget=operators[mapping]()
        )
        body = f.create_entity("IfcShapeRepresentation", ctx["body"], "Body", "MappedRepresentation", [item])
        window.Representation = f.create_entity("IfcProductDefinitionShape", Representations=[body])
        point = f.create_entity("IfcCartesianPoint", (3.0 * index / length_scale, 0.0, 0.0))
        window.ObjectPlacement = f.create_entity(
            "IfcLocalPlacement", RelativePlacement=f.create_entity("IfcAxis2Placement3D", Location=point)
        )
        windows.append(window)
    f.create_entity(
        "IfcRelDefinesByType",
        GlobalId=ifcopenshell.guid.new(),
        RelatedObjects=windows,
        RelatingType=window_type,
    )
    ifcopenshell.api.spatial.assign_container(f, products=windows, relating_structure=ctx["storey"])
    return windows


def add_extruded(
    f: ifcopenshell.file,
    ctx: dict,
    ifc_class: str,
    name: str,
    material: str,
    profile,
    depth_m: float,
    quantities: dict[str, dict[str, float]] | None = None,
):
    """An element of one ``material`` whose body is ``profile`` extruded ``depth_m`` (SI) along z, with
    ``quantities`` ({set name: {quantity: SI value}}; volumes, areas and lengths converted to the
    model's units by their names)."""
    length_scale, area_scale, volume_scale, _ = ctx["scales"]
    element = ifcopenshell.api.root.create_entity(f, ifc_class=ifc_class, name=name)
    rep = ifcopenshell.api.geometry.add_profile_representation(
        f, context=ctx["body"], profile=profile, depth=depth_m / length_scale
    )
    ifcopenshell.api.geometry.assign_representation(f, product=element, representation=rep)
    ifcopenshell.api.material.assign_material(
        f,
        products=[element],
        type="IfcMaterial",
        material=ifcopenshell.api.material.add_material(f, name=material),
    )
    kinds = {  # by the quantity's name, written as such whatever the set (the api guesses from templates)
        "Volume": ("IfcQuantityVolume", "VolumeValue", volume_scale),
        "Area": ("IfcQuantityArea", "AreaValue", area_scale),
        "Length": ("IfcQuantityLength", "LengthValue", length_scale),
    }
    for set_name, values in (quantities or {}).items():
        written = []
        for key, value in values.items():
            ifc_class, attribute, scale = next(kind for word, kind in kinds.items() if word in key)
            written.append(f.create_entity(ifc_class, Name=key, **{attribute: value / scale}))
        qto = f.create_entity(
            "IfcElementQuantity", GlobalId=ifcopenshell.guid.new(), Name=set_name, Quantities=written
        )
        f.create_entity(
            "IfcRelDefinesByProperties",
            GlobalId=ifcopenshell.guid.new(),
            RelatedObjects=[element],
            RelatingPropertyDefinition=qto,
        )
    ifcopenshell.api.spatial.assign_container(f, products=[element], relating_structure=ctx["storey"])
    return element
