"""Colouring elements by their heatmap class: one surface style per class, on each element's own geometry.

A style in IFC sits on a representation item (``IfcStyledItem``), and items are often shared: a type's
``IfcRepresentationMap`` is drawn by every occurrence of the type (each through its own
``IfcMappedItem``), and some exporters give several elements the same item or representation. A
style on the occurrence's ``IfcMappedItem`` is not enough: viewers draw the mapped items with their own
styles (ifcopenshell's geometry engine does; the schema says nothing of precedence), so the colour has
to sit on the geometric items themselves. So:

* an item drawn only by elements of one class (an element's own geometry, or a type's geometry whose
  occurrences all fall in the same class) gets that class's style in place;
* an occurrence whose mapped geometry is shared with elements of other classes (or with elements that
  are not coloured) gets its own copy of the type's representation map: a new ``IfcRepresentationMap``
  with the same origin, a new ``IfcShapeRepresentation`` in the same context, and a shallow copy of each
  geometric item (the copy points at the same profiles, points and faces, so the geometry is the same
  and costs one entity per item); its ``IfcMappedItem`` then maps the copy, and the copy is styled;
* geometry shared directly (one item or representation used by elements of other classes, without a
  map) cannot be separated without rewriting the elements' representations: those elements keep their
  own colours and are reported.

An item's existing style is replaced, never edited: a style or ``IfcPresentationStyleAssignment`` may be
shared by many items, and editing it would recolour them all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import ifcopenshell
import ifcopenshell.api.style

from bimcarbon.ifc.written_faces import BODY_IDENTIFIERS

#: Why an element was not coloured.
NO_BODY = "no body geometry to colour"
SHARED = "its geometry is shared with elements of another class: kept in its own colours"
PARTLY_SHARED = "partly coloured: some of its geometry is shared with elements of another class"
#: The same in Chinese (``HeatmapNote`` with ``--lang zh``).
NOT_COLOURED_ZH = {
    NO_BODY: "没有可着色的实体几何",
    SHARED: "其几何与其他类别的构件共用:保留原有颜色",
    PARTLY_SHARED: "部分着色:其部分几何与其他类别的构件共用",
}

_KEEP = "keep"  # the colour of a product that is not coloured: whatever it had


@dataclass
class Painted:
    """What the heatmap did.

    Attributes
    ----------
    coloured
        Step ids of the elements drawn wholly in their class's colour.
    not_coloured
        Step id -> why it is not (wholly) coloured.
    own_copies
        Occurrences given their own copy of a shared type geometry (see the module's notes).
    shared_in_place
        Shared items (a type's geometry) coloured in place because all their users have one class.
    """

    coloured: set[int] = field(default_factory=set)
    not_coloured: dict[int, str] = field(default_factory=dict)
    own_copies: int = 0
    shared_in_place: int = 0


def paint(ifc: ifcopenshell.file, colours: dict[int, str], names: dict[str, str]) -> Painted:
    """Give each element the surface style of its colour.

    Parameters
    ----------
    ifc
        The model (changed in place: styles, styled items and, where needed, copies of mapped geometry).
    colours
        Step id of an element -> its colour, ``#rrggbb``.
    names
        Colour -> the style's name (the class's label).

    Returns
    -------
    Painted
    """
    styles = {c: _surface_style(ifc, c, names.get(c, c)) for c in sorted(set(colours.values()))}
    wrap = _StyleWrapper(ifc)
    result = Painted()
    reached, users, map_users = _reach(ifc)
    for step in colours:
        if not reached.get(step):
            result.not_coloured[step] = NO_BODY

    def wanted(item_id: int) -> set[str]:
        return {colours.get(user, _KEEP) for user in users[item_id]}

    # occurrences whose mapped geometry is shared with another colour: their own copy of the map
    for step, colour in colours.items():
        for mapped in _distinct_maps(reached.get(step, ())):
            if map_users[mapped.id()] != {step}:
                continue  # the mapped item itself is shared: it cannot be separated
            old_leaves = [leaf for leaf, top in reached[step] if top is not None and top.id() == mapped.id()]
            if all(len(wanted(leaf.id())) == 1 for leaf in old_leaves):
                continue
            copies = _own_copy(ifc, mapped)
            if copies is None:
                continue
            for copied in copies:
                wrap.style(copied, styles[colour])
            result.own_copies += 1
            for leaf in old_leaves:
                users[leaf.id()].discard(step)
            for copied in copies:
                users[copied.id()].add(step)
            reached[step] = [(lf, top) for lf, top in reached[step] if top is None or top.id() != mapped.id()]
            reached[step] += [(copied, mapped) for copied in copies]
    # what is left: items whose users all want one colour are styled in place
    styled: set[int] = set()
    for step, colour in colours.items():
        leaves = reached.get(step)
        if not leaves:
            continue
        missed = 0
        for leaf, _ in leaves:
            want = wanted(leaf.id())
            if want == {colour}:
                if leaf.id() not in styled:
                    if not _is_styled_with(leaf, styles[colour]):
                        wrap.style(leaf, styles[colour])
                    styled.add(leaf.id())
                    if len(users[leaf.id()]) > 1:
                        result.shared_in_place += 1
            elif not _is_styled_with(leaf, styles[colour]):
                missed += 1
        if missed == 0:
            result.coloured.add(step)
        else:
            result.not_coloured[step] = SHARED if missed == len(leaves) else PARTLY_SHARED
    return result


def _surface_style(ifc: ifcopenshell.file, colour: str, name: str):
    """One IfcSurfaceStyle of a plain colour (IfcSurfaceStyleShading, both sides), via ifcopenshell.api;
    the one an earlier write made, when the model has it (same name and colour)."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    label = f"bimcarbon heatmap: {name}"[:255]
    for style in ifc.by_type("IfcSurfaceStyle"):
        if style.Name == label and _colour_of(style) == (red, green, blue):
            return style
    style = ifcopenshell.api.style.add_style(ifc, name=label)
    ifcopenshell.api.style.add_surface_style(
        ifc,
        style=style,
        ifc_class="IfcSurfaceStyleShading",
        attributes={"SurfaceColour": {"Name": None, "Red": red, "Green": green, "Blue": blue}},
    )
    return style


def _colour_of(style) -> tuple | None:
    for element in style.Styles or ():
        if element.is_a("IfcSurfaceStyleShading"):
            colour = element.SurfaceColour
            return (colour.Red, colour.Green, colour.Blue)
    return None


class _StyleWrapper:
    """Puts a style on an item: a new IfcStyledItem, or the item's existing one with its styles replaced.

    IFC2X3 needs an IfcPresentationStyleAssignment around the style (one per style, shared); later
    schemas take the style itself.
    """

    def __init__(self, ifc: ifcopenshell.file) -> None:
        self.ifc = ifc
        self.wrapped = ifc.schema == "IFC2X3"
        self.assignments: dict[int, object] = {}

    def style(self, item, style) -> None:
        value = style
        if self.wrapped:
            value = self.assignments.get(style.id())
            if value is None:
                value = self.ifc.create_entity("IfcPresentationStyleAssignment", Styles=[style])
                self.assignments[style.id()] = value
        existing = next(iter(item.StyledByItem or ()), None)
        if existing is None:
            self.ifc.create_entity("IfcStyledItem", Item=item, Styles=[value])
        else:  # replace, never edit: the old styles may be shared with other items
            existing.Styles = [value]


def _is_styled_with(item, style) -> bool:
    for styled in item.StyledByItem or ():
        for value in styled.Styles or ():
            if value == style or (value.is_a("IfcPresentationStyleAssignment") and style in value.Styles):
                return True
    return False


def _reach(ifc: ifcopenshell.file):
    """For every product with a body: its geometric items and the top mapped item each is reached through.

    Returns ``reached`` (product id -> [(item, top IfcMappedItem or None)]), ``users`` (item id -> ids of
    the products drawing it) and ``map_users`` (top IfcMappedItem id -> ids of the products using it).
    """
    reached: dict[int, list] = {}
    users: dict[int, set[int]] = defaultdict(set)
    map_users: dict[int, set[int]] = defaultdict(set)
    for product in ifc.by_type("IfcProduct"):
        shape = product.Representation
        if shape is None:
            continue
        pid = product.id()
        found = []
        for representation in shape.Representations or ():
            identifier = (representation.RepresentationIdentifier or "").lower()
            if identifier not in BODY_IDENTIFIERS or not representation.is_a("IfcShapeModel"):
                continue
            for item in representation.Items or ():
                if item.is_a("IfcMappedItem"):
                    map_users[item.id()].add(pid)
                    found += [(leaf, item) for leaf in _leaves_of(item)]
                else:
                    found.append((item, None))
        if found:
            reached[pid] = found
            for leaf, _ in found:
                users[leaf.id()].add(pid)
    return reached, users, map_users


def _leaves_of(mapped, depth: int = 0) -> list:
    """The geometric items a mapped item draws (through nested maps)."""
    if depth > 16:  # a map that maps itself (a broken file): stop
        return []
    leaves = []
    source = mapped.MappingSource
    representation = source.MappedRepresentation if source is not None else None
    for item in (representation.Items or ()) if representation is not None else ():
        if item.is_a("IfcMappedItem"):
            leaves += _leaves_of(item, depth + 1)
        else:
            leaves.append(item)
    return leaves


def _distinct_maps(found: list) -> list:
    """The top mapped items of a product's items, each once, in order."""
    seen: dict[int, object] = {}
    for _, top in found:
        if top is not None and top.id() not in seen:
            seen[top.id()] = top
    return list(seen.values())


def _own_copy(ifc: ifcopenshell.file, mapped) -> list | None:
    """Point ``mapped`` at its own copy of its representation map; the copied geometric items (None,
    and nothing changed, when an item cannot be copied)."""
    copies: list = []
    created: list = []
    try:
        source = _copy_map(ifc, mapped.MappingSource, copies, created, 0)
    except (RuntimeError, TypeError, ValueError, AttributeError):
        for entity in reversed(created):
            ifc.remove(entity)
        return None
    mapped.MappingSource = source
    return copies


def _copy_map(ifc: ifcopenshell.file, source, copies: list, created: list, depth: int):
    """A copy of a representation map: same origin, same context, copied items (nested maps too)."""
    representation = source.MappedRepresentation
    items = []
    for item in representation.Items or ():
        if item.is_a("IfcMappedItem") and depth < 16:
            inner = _copy_map(ifc, item.MappingSource, copies, created, depth + 1)
            copy = ifc.create_entity("IfcMappedItem", MappingSource=inner, MappingTarget=item.MappingTarget)
        else:
            copy = _shallow_copy(ifc, item)
            copies.append(copy)
        created.append(copy)
        items.append(copy)
    new_representation = ifc.create_entity(
        representation.is_a(),
        ContextOfItems=representation.ContextOfItems,
        RepresentationIdentifier=representation.RepresentationIdentifier,
        RepresentationType=representation.RepresentationType,
        Items=items,
    )
    created.append(new_representation)
    new_map = ifc.create_entity(
        "IfcRepresentationMap", MappingOrigin=source.MappingOrigin, MappedRepresentation=new_representation
    )
    created.append(new_map)
    return new_map


def _shallow_copy(ifc: ifcopenshell.file, item):
    """A new item with the same attribute values (its points, faces and profiles are shared)."""
    return ifc.create_entity(item.is_a(), *[item[i] for i in range(len(item))])
