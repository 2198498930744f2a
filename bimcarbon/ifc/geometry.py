"""Element volumes from ifcopenshell's geometry engine: one iterator pass over the elements that need
it (two when some need OpenCASCADE alone, see :func:`compute_volumes`), and the meshes of plan
footprints from the same engine.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import ifcopenshell
import ifcopenshell.geom
import numpy as np

from bimcarbon.ifc.orientation import components, orient_shells
from bimcarbon.ifc.written_faces import inconsistently_wound

#: Called as ``progress(done, total)`` while shapes are computed.
ProgressCallback = Callable[[int, int], None]

#: (vertices in metres, triangle indices) of one body.
Mesh = tuple[np.ndarray, np.ndarray]


#: The engine's geometry library: CGAL for explicit and swept geometry, OpenCASCADE where CGAL has no
#: conversion and for cutting openings (ifcopenshell's own recommendation, Bonsai's default). Three to
#: seven times faster than OpenCASCADE alone on the public samples.
FAST_LIBRARY = "hybrid-cgal-simple-opencascade"

#: OpenCASCADE alone: for surface models wound inconsistently as written, for any element the fast
#: library gives no volume, and for every element when :data:`LIBRARY_VARIABLE` asks for it.
CAREFUL_LIBRARY = "opencascade"

#: Environment variable: ``opencascade`` measures every element with OpenCASCADE alone (the isolated
#: reader sets it in a second attempt when the first one crashed).
LIBRARY_VARIABLE = "BIMCARBON_GEOMETRY_LIBRARY"

#: Environment variable: the iterator's worker threads (default: :func:`engine_threads`).
THREADS_VARIABLE = "BIMCARBON_GEOMETRY_THREADS"

#: A mesh volume above its bounding box's by more than this relative margin cannot be true.
BBOX_TOLERANCE = 1e-6

#: Why a mesh has no volume -> the take-off flag for it.
REASON_FLAGS = {
    "no_triangles": "open_geometry",
    "not_finite": "open_geometry",
    "open_mesh": "open_geometry",
    "unorientable": "mesh_unorientable",
    "volume_exceeds_bbox": "geometry_exceeds_bbox",
}


@dataclass(frozen=True)
class GeometryVolume:
    """Volume of one element's body geometry.

    Attributes
    ----------
    volume_m3
        Enclosed volume in m3 (the engine works in metres), or None when the mesh gives no volume
        that can be true (``reason`` says why).
    closed
        Whether every edge of the triangulated mesh is shared by an even number of triangles
        (each shell is closed).
    reoriented
        Whether triangles had to be flipped to wind the mesh consistently before measuring it (its
        triangles disagreed on which side is out). A mesh that is consistently wound inside out is
        measured as it is and not flagged: its volume is the same number.
    reason
        None when ``volume_m3`` is given, else one of :data:`REASON_FLAGS`: ``no_triangles``,
        ``not_finite`` (a coordinate is not a number), ``open_mesh``, ``unorientable`` (no consistent
        winding exists), ``volume_exceeds_bbox`` (the enclosed volume is larger than the mesh's own
        bounding box).
    mesh_volume_m3
        The volume the mesh encloses as measured (after any re-orientation), kept when it is rejected
        for exceeding the bounding box; None when it could not be measured.
    wound_volume_m3
        ``|sum p1 . (p2 x p3)| / 6`` over the triangles as they are wound, measured from the bounding
        box's lowest corner: the volume read without re-orienting (equal to ``volume_m3`` when the
        winding was consistent). None when a coordinate is not finite.
    bbox_size_m
        (dx, dy, dz) of the mesh's axis-aligned bounding box, in the element's own placement axes.
    bbox_volume_m3
        dx * dy * dz.
    surface_area_m2
        The summed area of the mesh's triangles, m2 (faces between touching items counted too): with
        the volume, the element's thickness (:mod:`bimcarbon.element_plausibility`).
    shells, voids
        After re-orienting: the number of shells, and how many of them were taken as voids
        (inside another shell) and subtracted. 0 when the mesh was not re-oriented.
    """

    volume_m3: float | None
    closed: bool
    reoriented: bool = False
    reason: str | None = None
    mesh_volume_m3: float | None = None
    wound_volume_m3: float | None = None
    bbox_size_m: tuple[float, float, float] | None = None
    bbox_volume_m3: float | None = None
    surface_area_m2: float | None = None
    shells: int = 0
    voids: int = 0

    @property
    def flags(self) -> list[str]:
        """Take-off flags for rows whose volume this geometry gives (or fails to give)."""
        if self.volume_m3 is None:
            return [REASON_FLAGS.get(self.reason or "open_mesh", "open_geometry")]
        return ["mesh_reoriented"] if self.reoriented else []

    @property
    def rejection(self) -> str | None:
        """For a closed mesh whose volume cannot be true: one line with the figures; else None."""
        size = "x".join(f"{d:.3f}" for d in self.bbox_size_m) if self.bbox_size_m else "?"
        if self.reason == "volume_exceeds_bbox":
            return (
                f"its mesh encloses {self.mesh_volume_m3:.4g} m3, more than its bounding box "
                f"({size} m = {self.bbox_volume_m3:.4g} m3)"
            )
        if self.reason == "unorientable":
            return (
                f"its mesh cannot be wound consistently (read as wound: {self.wound_volume_m3:.4g} m3; "
                f"bounding box {size} m = {self.bbox_volume_m3:.4g} m3)"
            )
        return None


@dataclass
class KeptMeshes:
    """World meshes of chosen elements, kept as their volumes are measured, so that a body measured for
    the take-off is not triangulated again for its plan footprint (the floor slabs' floor area).

    Only a mesh with no openings cut is kept (an element without openings of its own or of an aggregate
    above it, :func:`openings_cut_from`, or a gross pass): the plan footprint keeps openings; and only
    one that gave a volume (one the fast library spoilt is OpenCASCADE's again, or left to the
    footprint's own :func:`element_meshes`). Filled by :func:`compute_volumes`.

    Attributes
    ----------
    wanted
        STEP ids of the elements whose meshes to keep.
    meshes
        STEP id -> ((vertices in world metres, triangle indices), the volume measured on that mesh).
    """

    wanted: set[int]
    meshes: dict[int, tuple[Mesh, GeometryVolume]] = field(default_factory=dict)

    def keep(self, element, subtract_openings: bool) -> bool:
        """Whether ``element``'s mesh from a pass with ``subtract_openings`` is one to keep."""
        return (
            element.id() in self.wanted
            and element.id() not in self.meshes
            and not (subtract_openings and openings_cut_from(element))
        )


def openings_cut_from(element) -> bool:
    """Whether the engine cuts openings from the element's body in a net pass: its own, or those of an
    element it is a part of (the engine cuts an aggregate's openings from its parts, however deep)."""
    node = element
    for _ in range(64):  # a broken file's loop of aggregates must not run forever
        if getattr(node, "HasOpenings", None):
            return True
        above = getattr(node, "Decomposes", None) or ()
        if len(above) != 1 or not above[0].is_a("IfcRelAggregates"):
            return False
        node = above[0].RelatingObject
    return False


def geometry_problem(flags: list[str], shape: GeometryVolume | None) -> str | None:
    """The warning text for an element whose geometry was wanted but gave no usable volume.

    Parameters
    ----------
    flags
        The element's take-off flags so far (``geometry_failed``, ``mesh_unorientable``, ...).
    shape
        Its measured geometry, if the engine gave one.

    Returns
    -------
    str or None
        What went wrong, with the figures, or None when there is nothing to warn about (an open mesh
        is flagged ``open_geometry`` on its rows only, as before).
    """
    if "geometry_failed" in flags:
        return "the geometry engine could not measure its body"
    if shape is not None and ("mesh_unorientable" in flags or "geometry_exceeds_bbox" in flags):
        return shape.rejection
    return None


def engine_settings(subtract_openings: bool = True, world_coords: bool = False) -> ifcopenshell.geom.settings:
    """What the geometry engine is asked for: a triangle mesh, and nothing a volume does not need.

    * ``weld-vertices``: one vertex per corner shared by its triangles (fewer vertices to weld again in
      :func:`measure_mesh`, which welds by coordinates too, for meshes written face by face);
    * ``no-normals`` and ``apply-default-materials`` off: no normals, no default styles;
    * ``use-world-coords``: ``world_coords``; off for volumes (the element's own axes: a volume does not
      change under the element's placement, and the same type geometry placed many times stays one
      mesh), on for plan footprints;
    * ``disable-opening-subtractions``: ``not subtract_openings`` (gross volumes keep openings).
    """
    settings = ifcopenshell.geom.settings()
    settings.set("disable-opening-subtractions", not subtract_openings)
    settings.set("weld-vertices", True)
    settings.set("no-normals", True)
    settings.set("apply-default-materials", False)
    settings.set("use-world-coords", world_coords)
    return settings


def engine_threads() -> int:
    """Worker threads for the iterator: :data:`THREADS_VARIABLE` if set, else one fewer than the cores
    (at least one).

    On the 2-core machine the benchmarks ran on, a second worker doubled the engine's CPU time (its
    threads do not share their caches) and made it 1.1 to 2 times slower on every model measured, the
    bare default iterator too; and the Python thread that measures the meshes needs a core of its own.
    """
    try:
        wanted = int(os.environ.get(THREADS_VARIABLE, "0"))
    except ValueError:
        wanted = 0
    return wanted if wanted > 0 else max(1, (os.cpu_count() or 1) - 1)


def libraries_for(ifc: ifcopenshell.file, elements: list) -> tuple[list, list]:
    """The elements for :data:`FAST_LIBRARY` and those for OpenCASCADE alone (:data:`CAREFUL_LIBRARY`):
    surface models wound inconsistently as written, elements shaped by an extrusion along a direction
    not of unit length (:mod:`bimcarbon.ifc.extrusions`: the fast library sweeps it too far), or every
    element when :data:`LIBRARY_VARIABLE` says ``opencascade``."""
    if os.environ.get(LIBRARY_VARIABLE, "").lower() == CAREFUL_LIBRARY:
        return [], list(elements)
    if not elements:
        return [], []
    from bimcarbon.ifc.extrusions import stretched_elements

    stretched = stretched_elements(ifc)
    memo: dict[int, bool] = {}
    odd = [e.id() in stretched or inconsistently_wound(e, memo) for e in elements]
    return (
        [e for e, o in zip(elements, odd, strict=True) if not o],
        [e for e, o in zip(elements, odd, strict=True) if o],
    )


def shapes(ifc: ifcopenshell.file, elements: list, settings, library: str, threads: int | None = None):
    """The iterator's shapes of ``elements`` from one pass of ``library`` (none if it has nothing).

    The iterator gives an element once per solid representation of its model contexts; of those, this
    gives its first and then only its Body (:func:`is_body`), so that a consumer keeping the last shape
    of each element keeps the Body when there is one, else the first.
    """
    if not elements:
        return
    iterator = ifcopenshell.geom.iterator(
        settings, ifc, threads or engine_threads(), include=elements, geometry_library=library
    )
    if not iterator.initialize():
        return
    given: set[int] = set()
    while True:
        shape = iterator.get()
        if shape.id not in given or is_body(ifc, shape):  # not a Reference or Clearance solid after it
            given.add(shape.id)
            yield shape
        if not iterator.next():
            break


def is_body(ifc: ifcopenshell.file, shape) -> bool:
    """Whether the iterator's shape comes from a representation identified as ``Body``.

    The iterator gives an element once per solid representation of its model contexts: its Body, and
    any solid ``Reference`` or ``Clearance`` (a door's swing) beside it. The take-off measures the
    Body; of shapes without one, the first. The representation is named by the start of the shape's
    geometry id (its STEP id, then ``-openings-...`` when openings were cut).
    """
    try:
        representation = ifc.by_id(int(str(shape.geometry.id).split("-")[0]))
    except (ValueError, RuntimeError):
        return False
    identifier = getattr(representation, "RepresentationIdentifier", None)
    return isinstance(identifier, str) and identifier.lower() == "body"


def element_meshes(
    ifc: ifcopenshell.file, elements: list, subtract_openings: bool = False
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """STEP id -> (vertices in world metres, triangle indices) of each element's body, from the same
    libraries as :func:`compute_volumes` (OpenCASCADE alone again for what the fast one gives no
    triangles, or coordinates that are not numbers)."""
    fast, careful = libraries_for(ifc, elements)
    settings = engine_settings(subtract_openings, world_coords=True)
    meshes: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for library, group in ((FAST_LIBRARY, fast), (CAREFUL_LIBRARY, careful)):
        for shape in shapes(ifc, group, settings, library):  # the Body's mesh last, if there is one
            verts = np.frombuffer(shape.geometry.verts_buffer, dtype=np.float64).reshape(-1, 3)
            faces = np.frombuffer(shape.geometry.faces_buffer, dtype=np.int32).reshape(-1, 3)
            if np.isfinite(verts).all() and len(faces):
                meshes[shape.id] = (verts.copy(), faces.copy())
        if library == FAST_LIBRARY:
            careful += [e for e in fast if e.id() not in meshes]
    return meshes


def compute_volumes(
    ifc: ifcopenshell.file,
    elements: list,
    subtract_openings: bool = True,
    progress: ProgressCallback | None = None,
    threads: int | None = None,
    shared: dict[str, dict[str, GeometryVolume]] | None = None,
    kept: KeptMeshes | None = None,
) -> dict[int, GeometryVolume]:
    """Triangulate the elements' body geometry and measure the volume each encloses.

    A body written face by face (faceted breps, surface models) is read from the file's own faces
    (:mod:`bimcarbon.ifc.face_meshes`) instead, unless openings are to be cut from it
    (:func:`openings_cut_from`) or :data:`LIBRARY_VARIABLE` asks for OpenCASCADE alone.

    Elements are triangulated by :data:`FAST_LIBRARY`, except surface models whose faces are wound
    inconsistently in the file (:mod:`bimcarbon.ifc.written_faces`): CGAL would wind those itself, and
    on parts touching face to face (a skylight's frame and pane in the public duplex sample) it took a
    part for a cavity; OpenCASCADE passes the faces through as written, and :func:`measure_mesh`
    re-winds them shell by shell and flags them ``mesh_reoriented``. An element the fast library gives
    no volume (no triangles, an open or rejected mesh, a failure) is triangulated again by OpenCASCADE
    alone, whose result is kept. With :data:`LIBRARY_VARIABLE` set to ``opencascade``, every element
    is triangulated by OpenCASCADE alone.

    An element whose openings are convex solids, and whose body is convex too or is passed through
    by each opening, is measured without the engine's boolean subtraction, as its body's volume less
    what each opening shares with it (:mod:`bimcarbon.ifc.openings`): the engine's number for
    openings with flat faces (a round one is cut as faceted), in a fraction of the time.

    The same type geometry placed many times (``IfcMappedItem`` of a type's representation map, or one
    representation shared by several elements) comes out of the engine as one mesh, named by the same
    ``shape.geometry.id``, in each element's own axes: it is measured once and its volume given to
    every element that places it (a volume does not change under a rigid placement). A mapping that
    scales (``IfcCartesianTransformationOperator3D.Scale`` != 1, ``...3DnonUniform``) gets a mesh of its
    own from the engine, already scaled; should a placement ever carry a scale, its mesh is scaled
    here and measured on its own.

    Parameters
    ----------
    ifc
        The open model.
    elements
        IfcElement entities to measure.
    subtract_openings
        True for net volumes (openings cut out), False for gross volumes.
    progress
        Optional callback ``progress(done, total)``.
    threads
        Worker threads for the iterator; :func:`engine_threads` by default.
    shared
        Volumes already measured, by geometry library and the engine's geometry id, filled in here:
        pass the same dictionary to later calls with the same ``subtract_openings`` on the same model
        to measure each shared geometry once across them.
    kept
        Optional: the world meshes of its ``wanted`` elements are kept in it (see :class:`KeptMeshes`).

    Returns
    -------
    dict
        STEP id -> GeometryVolume, for every element the engine could triangulate. Elements that are
        missing had no body geometry or failed in the engine.
    """
    results: dict[int, GeometryVolume] = {}
    if not elements:
        return results
    shared = {} if shared is None else shared
    settings = engine_settings(subtract_openings)
    counter = _Counter(progress, len(elements))
    if os.environ.get(LIBRARY_VARIABLE, "").lower() != CAREFUL_LIBRARY:  # faces read from the file
        results.update(_written_face_volumes(ifc, elements, subtract_openings, counter.step, kept))
        elements = [e for e in elements if e.id() not in results]
    fast, careful = libraries_for(ifc, elements)
    if subtract_openings:  # convex openings (through or in convex bodies): no engine booleans
        from bimcarbon.ifc.openings import net_volumes  # it builds on this module

        results.update(net_volumes(ifc, fast, FAST_LIBRARY, threads, counter.step))
        if os.environ.get(LIBRARY_VARIABLE, "").lower() != CAREFUL_LIBRARY:  # else the engine cuts all
            results.update(net_volumes(ifc, careful, CAREFUL_LIBRARY, threads, counter.step))
        fast = [e for e in fast if e.id() not in results]
        careful = [e for e in careful if e.id() not in results]
    for library, group in ((FAST_LIBRARY, fast), (CAREFUL_LIBRARY, careful)):
        known = shared.setdefault(library, {})
        measured: set[int] = set()
        keep = set() if kept is None else {e.id() for e in group if kept.keep(e, subtract_openings)}
        batch = _ShapeBatch(known)
        for shape in shapes(ifc, group, settings, library, threads):  # the Body's last, if there is one
            batch.add(shape, _world_mesh(shape) if shape.id in keep else None)
            if len(batch) >= SHAPE_BATCH:
                batch.settle(results, kept)
            if shape.id not in measured:  # one step per element
                measured.add(shape.id)
                counter.step()
        batch.settle(results, kept)
        if library == FAST_LIBRARY:
            again = [e for e in fast if results.get(e.id()) is None or results[e.id()].volume_m3 is None]
            counter.total += len(again)
            careful += again  # measured again by OpenCASCADE alone, as before
    return results


def _written_face_volumes(
    ifc: ifcopenshell.file,
    elements: list,
    subtract_openings: bool,
    step: Callable[[], None],
    kept: KeptMeshes | None,
) -> dict[int, GeometryVolume]:
    """Volumes of the elements whose bodies are written face by face (:mod:`bimcarbon.ifc.face_meshes`),
    measured from the file's faces; elements with openings to cut (:func:`openings_cut_from`) are left
    to the engine."""
    import ifcopenshell.util.unit  # the engine's own reading of the length unit

    from bimcarbon.ifc.face_meshes import body_mesh

    length_m = float(ifcopenshell.util.unit.calculate_unit_scale(ifc))
    memo: dict = {}
    measured: dict[tuple, GeometryVolume] = {}  # one type geometry placed many times: measured once
    placements: dict = {}  # world matrices of the placements read, for the kept meshes
    volumes: dict[int, GeometryVolume] = {}
    for element in elements:
        if subtract_openings and openings_cut_from(element):
            continue
        mesh = body_mesh(element, length_m, memo)
        if mesh is None:
            continue
        volume = measured.get(mesh.shared) if mesh.shared is not None else None
        if volume is None:
            volume = measure_mesh(mesh.corners_m, mesh.triangles, mesh.parts)
            if mesh.shared is not None:
                measured[mesh.shared] = volume
        volumes[element.id()] = volume
        if kept is not None and kept.keep(element, subtract_openings):
            placed = _placed(element, mesh.corners_m, length_m, placements)
            if placed is not None:
                kept.meshes[element.id()] = ((placed, mesh.triangles), volume)
        step()
    return volumes


def _world_mesh(shape) -> Mesh:
    """An iterator shape's mesh in world metres (its vertices placed by the shape's matrix)."""
    verts = np.frombuffer(shape.geometry.verts_buffer, dtype=np.float64).reshape(-1, 3)
    faces = np.frombuffer(shape.geometry.faces_buffer, dtype=np.int32).reshape(-1, 3)
    matrix = np.asarray(shape.transformation.matrix, dtype=np.float64).reshape(4, 4).T  # column by column
    return verts @ matrix[:3, :3].T + matrix[:3, 3], faces.copy()


def _placed(element, verts: np.ndarray, length_m: float, cache: dict) -> np.ndarray | None:
    """Vertices in the element's own axes (metres) placed in the world, as the engine places them;
    None when the element has no local placement to read (``cache``: :func:`world_matrix`'s)."""
    from bimcarbon.ifc.placement import world_matrix

    matrix = world_matrix(element, cache)
    if matrix is None or not np.isfinite(matrix).all():
        return None
    return verts @ matrix[:3, :3].T + matrix[:3, 3] * length_m


class _Counter:
    """``progress(done, total)`` over the passes of one call."""

    def __init__(self, progress: ProgressCallback | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def step(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)


def _shared_key(shape) -> str | None:
    """The engine's id of the shape's geometry, under which its volume is shared with the other shapes
    placing it; None when its placement scales it (it is then measured on its own)."""
    return shape.geometry.id if scaling_part(shape.transformation.matrix) is None else None


def _shape_mesh(shape) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(vertices in metres, triangles, the item of each triangle or None) of an iterator shape, scaled
    by its placement when that scales."""
    geometry = shape.geometry
    linear = scaling_part(shape.transformation.matrix)
    verts = np.frombuffer(geometry.verts_buffer, dtype=np.float64).reshape(-1, 3)
    faces = np.frombuffer(geometry.faces_buffer, dtype=np.int32).reshape(-1, 3)
    items = np.frombuffer(geometry.item_ids_buffer, dtype=np.int32)
    if linear is not None:
        verts = verts @ linear.T
    return verts, faces, items if len(items) == len(faces) else None


#: Shapes measured together (:func:`bimcarbon.ifc.mesh_batch.measure_meshes`).
SHAPE_BATCH = 256


class _ShapeBatch:
    """Shapes from the iterator waiting to be measured together (small meshes cost numpy's calls more
    than their triangles), each geometry the engine shares measured once; :meth:`settle` gives their
    volumes in the order the shapes came (the last shape of an element wins, as before)."""

    def __init__(self, shared: dict[str, GeometryVolume]) -> None:
        self.shared = shared
        self.meshes: list[tuple[np.ndarray, np.ndarray, np.ndarray | None]] = []
        self.waiting: dict[str, int] = {}  # a shared geometry's key -> its mesh in this batch
        #: (shape id, shared key, its mesh in this batch or -1 when measured before, world mesh or None)
        self.shapes: list[tuple[int, str | None, int, Mesh | None]] = []

    def __len__(self) -> int:
        return len(self.shapes)

    def add(self, shape, world: Mesh | None) -> None:
        """One shape; ``world``: its mesh in world coordinates, kept when it gives a volume."""
        key = _shared_key(shape)
        if key is not None and key in self.shared:
            index = -1
        elif key is not None and key in self.waiting:
            index = self.waiting[key]
        else:
            index = len(self.meshes)
            self.meshes.append(_shape_mesh(shape))
            if key is not None:
                self.waiting[key] = index
        self.shapes.append((shape.id, key, index, world))

    def settle(self, results: dict[int, GeometryVolume], kept: KeptMeshes | None) -> None:
        """Measure the waiting meshes; put each shape's volume in ``results`` and, for a shape with a
        world mesh, the mesh in ``kept`` when it gave a volume (else OpenCASCADE's, or the footprint's
        own, is used)."""
        from bimcarbon.ifc.mesh_batch import measure_meshes  # it builds on this module

        volumes = measure_meshes(self.meshes)
        for key, index in self.waiting.items():
            self.shared[key] = volumes[index]
        for shape_id, key, index, world in self.shapes:
            results[shape_id] = volumes[index] if index >= 0 else self.shared[key]
            if world is not None and kept is not None:
                if results[shape_id].volume_m3 is not None:
                    kept.meshes[shape_id] = (world, results[shape_id])
                else:
                    kept.meshes.pop(shape_id, None)
        self.meshes, self.waiting, self.shapes = [], {}, []


def scaling_part(matrix) -> np.ndarray | None:
    """The 3x3 linear part of a shape's 4x4 placement matrix (16 numbers, column by column) when it
    changes sizes (not a rotation or a mirror, which keep volumes); else None."""
    linear = np.asarray(matrix, dtype=np.float64).reshape(4, 4)[:3, :3].T
    if np.allclose(linear.T @ linear, np.eye(3), rtol=0.0, atol=1e-9):
        return None
    return linear


def measure_mesh(verts: np.ndarray, faces: np.ndarray, items: np.ndarray | None = None) -> GeometryVolume:
    """Volume enclosed by a triangle mesh (divergence theorem), whether the mesh is closed, and
    whether the volume can be true.

    Parameters
    ----------
    verts
        (n, 3) vertex coordinates in metres.
    faces
        (m, 3) vertex indices of the triangles.
    items
        Optional (m,) id of the representation item each triangle comes from (the engine's
        ``item_ids``); used only when the mesh must be re-oriented (see
        :func:`bimcarbon.ifc.orientation.orient_shells`).

    Returns
    -------
    GeometryVolume
        ``volume_m3`` is None when the mesh is open, cannot be wound consistently, or encloses more
        than its bounding box (``reason`` says which).

    Notes
    -----
    The common case costs one vectorised check: every directed edge (a, b) of a consistently wound
    closed mesh is matched by a reverse (b, a). When it is not, the triangles are flipped shell by
    shell until it is (:func:`bimcarbon.ifc.orientation.orient_shells`), each shell turned outward
    and a shell inside another taken as a void. Coordinates are measured from the bounding box's
    lowest corner, so far-off project origins cost no precision.
    """
    if len(faces) == 0:
        return GeometryVolume(None, False, reason="no_triangles")
    # coordinates as three contiguous rows: reductions and gathers along them are several times
    # faster than along the columns of an (n, 3) array
    columns = np.ascontiguousarray(verts.T, dtype=np.float64)
    low = columns.min(axis=1)
    size = columns.max(axis=1) - low
    if not math.isfinite(float(size.sum())):  # a coordinate that is not a number, or infinite
        return GeometryVolume(None, False, reason="not_finite")
    box = {
        "bbox_size_m": (float(size[0]), float(size[1]), float(size[2])),
        "bbox_volume_m3": float(size[0] * size[1] * size[2]),
    }
    # measured from the box's lowest corner: far-off project origins cost no precision
    local = columns - low[:, None]
    signed6, doubled = triangle_terms(local, faces)
    wound = abs(float(signed6.sum())) / 6.0
    box["surface_area_m2"] = float(doubled.sum()) / 2.0
    # Weld by coordinates so that meshes emitted per face still count as closed. Rows are compared as
    # raw bytes (one 1-D unique instead of a row-wise one); adding 0.0 turns -0.0 into 0.0 first.
    rounded = np.ascontiguousarray(np.round(verts, 9) + 0.0)
    welded, canonical = np.unique(
        rounded.view(np.dtype((np.void, rounded.itemsize * 3))), return_inverse=True
    )
    tri = canonical.reshape(-1)[faces].astype(np.int64)
    proper = (tri[:, 0] != tri[:, 1]) & (tri[:, 1] != tri[:, 2]) & (tri[:, 0] != tri[:, 2])
    tri = tri[proper]
    if len(tri) == 0:
        return GeometryVolume(None, False, reason="no_triangles", wound_volume_m3=wound, **box)
    n = len(verts) + 1
    first = tri.reshape(-1)
    second = tri[:, [1, 2, 0]].reshape(-1)
    consistent = np.array_equal(np.sort(first * n + second), np.sort(second * n + first))
    # Euler characteristic V - E + F (each edge counted once in a consistent mesh): 2 for one shell
    # without holes, the common case, which a winding inside out as a whole only turns negative (the
    # absolute value takes care of it). Anything else may hold several shells, and one of them may be
    # wound inside out on its own (ifcopenshell gives a mirrored IfcMappedItem so): those are measured
    # shell by shell below.
    if consistent and (
        len(welded) - len(first) // 2 + len(tri) == 2 or _shells_agree(tri, signed6[proper], len(welded))
    ):
        return unless_beyond_box(
            GeometryVolume(wound, True, mesh_volume_m3=wound, wound_volume_m3=wound, **box)
        )
    # each undirected edge as one integer (low * n + high); a closed mesh uses each edge an even number
    # of times
    _, counts = np.unique(np.minimum(first, second) * n + np.maximum(first, second), return_counts=True)
    if not consistent and not np.all(counts % 2 == 0):
        return GeometryVolume(None, False, reason="open_mesh", wound_volume_m3=wound, **box)
    corners = local.T[faces[proper]]  # (m, 3 corners, 3 coordinates)
    orientation = orient_shells(
        tri, corners, signed6[proper], None if items is None else np.asarray(items)[proper]
    )
    volume = None if orientation is None else float((signed6[proper] * orientation.signs).sum()) / 6.0
    if orientation is None or volume is None or volume < 0.0:  # negative: voids larger than their shells
        if consistent:  # shells the re-orientation cannot sort out: as wound, as before
            return unless_beyond_box(
                GeometryVolume(wound, True, mesh_volume_m3=wound, wound_volume_m3=wound, **box)
            )
        return GeometryVolume(None, True, reason="unorientable", wound_volume_m3=wound, **box)
    # a consistent mesh counts as re-oriented only when a shell's own winding changed its volume
    changed = not math.isclose(volume, wound, rel_tol=1e-9, abs_tol=1e-12) if consistent else True
    return unless_beyond_box(
        GeometryVolume(
            volume,
            True,
            reoriented=changed and bool(np.any(orientation.signs < 0)),
            mesh_volume_m3=volume,
            wound_volume_m3=wound,
            shells=orientation.shells,
            voids=orientation.voids,
            **box,
        )
    )


def triangle_terms(columns: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per triangle, six times its signed volume against the origin, ``p1 . (p2 x p3)`` (m3), and
    twice its area, ``|(p2 - p1) x (p3 - p1)|`` (m2).

    Parameters
    ----------
    columns
        (3, n) vertex coordinates, x, y and z as rows, in metres.
    faces
        (m, 3) vertex indices of the triangles.
    """
    (x1, x2, x3), (y1, y2, y3), (z1, z2, z3) = columns[:, np.ascontiguousarray(faces.T)]
    # written out: np.cross is several times slower on many small arrays
    signed6 = x1 * (y2 * z3 - z2 * y3) + y1 * (z2 * x3 - x2 * z3) + z1 * (x2 * y3 - y2 * x3)
    ux, uy, uz, vx, vy, vz = x2 - x1, y2 - y1, z2 - z1, x3 - x1, y3 - y1, z3 - z1
    doubled = np.sqrt((uy * vz - uz * vy) ** 2 + (uz * vx - ux * vz) ** 2 + (ux * vy - uy * vx) ** 2)
    return signed6, doubled


def _shells_agree(tri: np.ndarray, signed6: np.ndarray, vertices: int) -> bool:
    """True when every connected part of a consistently wound mesh turns the same way (one part, or
    all outward, or all inward): then the plain sum is its volume. Parts of both signs are a cavity
    wound inward, or a part wound inside out on its own (a mirrored copy): measured shell by shell."""
    part = components(vertices, tri[:, [0, 1]].reshape(-1), tri[:, [1, 2]].reshape(-1))
    volumes = np.bincount(part[tri[:, 0]], weights=signed6, minlength=vertices)
    return bool(np.all(volumes >= 0.0) or np.all(volumes <= 0.0))


def unless_beyond_box(result: GeometryVolume) -> GeometryVolume:
    """The result, or no volume if it is larger than the mesh's own bounding box (it cannot be);
    ``result`` has a volume and a bounding box."""
    assert result.volume_m3 is not None and result.bbox_volume_m3 is not None
    if result.volume_m3 <= result.bbox_volume_m3 * (1.0 + BBOX_TOLERANCE):
        return result
    return replace(result, volume_m3=None, reason="volume_exceeds_bbox")
