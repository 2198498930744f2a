"""Whether an element's surface faces, as written in the file, are wound consistently.

The geometry engine's fast library (CGAL) winds explicit faces consistently itself; OpenCASCADE passes
the winding through, and :func:`bimcarbon.ifc.geometry.measure_mesh` re-winds such a mesh shell by shell
(a part resting in another is added, a cavity subtracted) and flags it ``mesh_reoriented``. Surface
models wound every which way (Revit's ceilings, and some walls, furniture and skylights) are therefore
found here, in the file, and measured with OpenCASCADE as before.

The test is the mesh's own: the faces' directed edges (each loop as written, reversed where its bound's
``Orientation`` is false) are wound consistently when every directed edge ``a -> b`` is matched by as
many ``b -> a`` (corners compared by their coordinates). It reads surface models
(``IfcFaceBasedSurfaceModel``, ``IfcShellBasedSurfaceModel``) and tessellated face sets not marked
``Closed``, reached through mapped items and boolean operands: surfaces, whose faces nothing obliges to
agree. Solids are left alone: a faceted brep's closed shell and a closed face set must be wound
consistently by the schema, and swept solids are by construction (reading every brep face would cost a
third of a second on a 2 MB model).
"""

from __future__ import annotations

from collections import Counter

#: Representation identifiers the engine measures as the body (one list for the take-off, the written
#: faces, the face meshes and the heatmap styles).
BODY_IDENTIFIERS = ("body", "facetation", "")

#: Mapped items and boolean operands nested deeper than this are not followed (a loop in a broken file).
MAX_DEPTH = 32


def inconsistently_wound(element, memo: dict[int, bool]) -> bool:
    """Whether any surface item in the element's body is wound inconsistently as written.

    Parameters
    ----------
    element
        An IfcProduct.
    memo
        Item id -> the answer for that item (or representation id), shared by the elements of a model
        so that a type placed many times is read once.

    Returns
    -------
    bool
        False when every surface item is consistent, or the body has none (or cannot be read).
    """
    representation = getattr(element, "Representation", None)
    try:
        return any(
            (shape.RepresentationIdentifier or "").lower() in BODY_IDENTIFIERS
            and _representation(shape, memo, 0)
            for shape in getattr(representation, "Representations", None) or ()
        )
    except (AttributeError, RuntimeError, TypeError, ValueError):  # a broken body: the mesh will tell
        return False


def _representation(representation, memo: dict[int, bool], depth: int) -> bool:
    key = representation.id()
    if key not in memo:
        memo[key] = False  # a representation that maps itself must not recurse forever
        memo[key] = any(_item(item, memo, depth) for item in representation.Items or ())
    return memo[key]


def _item(item, memo: dict[int, bool], depth: int) -> bool:
    if item is None or depth > MAX_DEPTH:
        return False
    if item.is_a("IfcMappedItem"):
        inner = getattr(item.MappingSource, "MappedRepresentation", None)
        return inner is not None and _representation(inner, memo, depth + 1)
    if item.is_a("IfcBooleanResult"):
        return any(
            _item(getattr(item, side, None), memo, depth + 1) for side in ("FirstOperand", "SecondOperand")
        )
    key = item.id()
    if key not in memo:
        edges = _directed_edges(item)
        memo[key] = edges is not None and any(edges[(b, a)] != count for (a, b), count in edges.items())
    return memo[key]


def _directed_edges(item) -> Counter | None:
    """Directed edges of a surface item (corners by coordinates), or None for other items."""
    if item.is_a("IfcFaceBasedSurfaceModel"):
        return _loop_edges(face for face_set in item.FbsmFaces or () for face in face_set[0] or ())
    if item.is_a("IfcShellBasedSurfaceModel"):
        return _loop_edges(face for shell in item.SbsmBoundary or () for face in shell[0] or ())
    if (item.is_a("IfcTriangulatedFaceSet") or item.is_a("IfcPolygonalFaceSet")) and item.Closed is not True:
        return _indexed_edges(item)
    return None


def _loop_edges(faces) -> Counter:
    """Attributes are read by position (IfcFace.Bounds, IfcFaceBound.Bound and .Orientation,
    IfcPolyLoop.Polygon, IfcCartesianPoint.Coordinates): several times faster than by name."""
    edges: Counter = Counter()
    corners_of: dict[int, tuple] = {}
    for face in faces:
        for bound in face[0] or ():
            loop = bound[0]
            if loop is None or not loop.is_a("IfcPolyLoop"):
                continue
            corners = []
            for point in loop[0] or ():
                key = point.id()
                corner = corners_of.get(key)
                if corner is None:
                    corner = corners_of[key] = tuple(point[0])
                corners.append(corner)
            if not bound[1]:
                corners.reverse()
            edges.update(zip(corners, corners[1:] + corners[:1], strict=True))
    return edges


def _indexed_edges(item) -> Counter:
    coordinates = [tuple(c) for c in item.Coordinates.CoordList or ()]
    pn_index = list(getattr(item, "PnIndex", None) or ())

    def corner(index: int):
        if pn_index:
            index = pn_index[index - 1]
        return coordinates[index - 1]

    loops: list = []
    if item.is_a("IfcTriangulatedFaceSet"):
        loops = list(item.CoordIndex or ())
    else:
        for face in item.Faces or ():
            loops.append(face.CoordIndex)
            loops.extend(getattr(face, "InnerCoordIndices", None) or ())
    edges: Counter = Counter()
    for loop in loops:
        corners = [corner(i) for i in loop]
        edges.update(zip(corners, corners[1:] + corners[:1], strict=True))
    return edges
