"""An element with solid representations besides its Body (a Reference solid, a door's Clearance) is
measured by its Body, whichever the iterator gives last."""

from __future__ import annotations

import ifcopenshell
import ifcopenshell.api.context
import ifcopenshell.api.geometry
import pytest
from builders import add_layered_wall, new_model

from bimcarbon.ifc import read_model
from bimcarbon.ifc.geometry import compute_volumes, element_meshes
from bimcarbon.takeoff import take_off


def _wall_with_other_solids(tmp_path, body_first: bool):
    """Wall W1 (10 x 0.32 x 3 m = 9.6 m3) with 3 x 0.5 x 1 m (1.5 m3) solids in Reference and
    Clearance contexts, after its Body or before it."""
    f, ctx = new_model()
    wall = add_layered_wall(f, ctx, with_qto=False)
    model_context = f.by_type("IfcGeometricRepresentationContext")[0]
    for identifier in ("Reference", "Clearance"):
        context = ifcopenshell.api.context.add_context(
            f,
            context_type="Model",
            context_identifier=identifier,
            target_view="MODEL_VIEW",
            parent=model_context,
        )
        other = ifcopenshell.api.geometry.add_wall_representation(
            f, context=context, length=3.0, height=1.0, thickness=0.5
        )
        ifcopenshell.api.geometry.assign_representation(f, product=wall, representation=other)
    if not body_first:
        shape = wall.Representation
        shape.Representations = tuple(reversed(shape.Representations))
    path = tmp_path / "wall.ifc"
    f.write(str(path))
    return read_model(path)


@pytest.mark.parametrize("body_first", [True, False])
def test_the_body_is_measured_not_the_other_solids(tmp_path, body_first):
    model = _wall_with_other_solids(tmp_path, body_first)
    wall = model.ifc.by_type("IfcWall")[0]
    assert compute_volumes(model.ifc, [wall])[wall.id()].volume_m3 == pytest.approx(9.6)  # not 1.5
    verts, _ = element_meshes(model.ifc, [wall])[wall.id()]
    assert float(verts[:, 0].max() - verts[:, 0].min()) == pytest.approx(10.0)  # the 10 m wall, not 3 m
    assert take_off(model).table["volume_m3"].sum() == pytest.approx(9.6)
