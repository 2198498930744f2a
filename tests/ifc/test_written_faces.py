"""Surface faces wound as written: the winding the fast geometry library no longer shows."""

from __future__ import annotations

import ifcopenshell.api.geometry
import ifcopenshell.api.root
import pytest
from builders import _BOX_QUADS, add_mapped_windows, add_surface_model_ceiling, new_model

from bimcarbon.ifc.written_faces import inconsistently_wound


@pytest.mark.parametrize(
    ("wrong_way", "expected"), [((), False), ((1,), True), ((1, 3), True), ((0, 1, 2, 3, 4, 5), False)]
)
def test_a_surface_model_is_inconsistent_when_some_but_not_all_faces_turn_the_other_way(wrong_way, expected):
    # all six quads turned is the box inside out as a whole: consistent (its volume only changes sign)
    f, ctx = new_model("m")
    ceiling = add_surface_model_ceiling(f, ctx, wrong_way=wrong_way)
    assert inconsistently_wound(ceiling, {}) is expected


def test_a_bound_written_with_orientation_false_is_read_reversed():
    f, ctx = new_model("m")
    ceiling = add_surface_model_ceiling(f, ctx, wrong_way=(1,))
    faces = ceiling.Representation.Representations[0].Items[0].FbsmFaces[0].CfsFaces
    faces[1].Bounds[0].Orientation = False  # the inward top, marked as reversed: consistent again
    assert inconsistently_wound(ceiling, {}) is False


def _face_set_element(f, ctx, closed: bool | None, turned: bool):
    corners = [(x, y, z) for z in (0.0, 1.0) for x, y in ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0))]
    faces = [
        f.create_entity(
            "IfcIndexedPolygonalFace", [i + 1 for i in (quad[::-1] if turned and k == 1 else quad)]
        )
        for k, quad in enumerate(_BOX_QUADS)
    ]
    face_set = f.create_entity(
        "IfcPolygonalFaceSet",
        Coordinates=f.create_entity("IfcCartesianPointList3D", corners),
        Closed=closed,
        Faces=faces,
    )
    element = ifcopenshell.api.root.create_entity(f, ifc_class="IfcFurniture", name="Box")
    body = f.create_entity("IfcShapeRepresentation", ctx["body"], "Body", "Tessellation", [face_set])
    ifcopenshell.api.geometry.assign_representation(f, product=element, representation=body)
    return element


def test_a_face_set_not_marked_closed_is_read_and_a_closed_one_is_a_solid_left_alone():
    f, ctx = new_model("m")
    assert inconsistently_wound(_face_set_element(f, ctx, None, turned=True), {}) is True
    assert inconsistently_wound(_face_set_element(f, ctx, False, turned=False), {}) is False
    # the schema obliges a closed face set to be wound consistently: not read (CGAL winds it anyway)
    assert inconsistently_wound(_face_set_element(f, ctx, True, turned=True), {}) is False


def test_swept_solids_and_mapped_types_of_them_are_consistent_by_construction():
    f, ctx = new_model("m")
    (window,) = add_mapped_windows(f, ctx, 1)
    assert inconsistently_wound(window, {}) is False
