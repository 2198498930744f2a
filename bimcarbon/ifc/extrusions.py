"""Extrusions written along a direction that is not of unit length, and the elements they shape.

IFC sweeps an ``IfcExtrudedAreaSolid`` ``Depth`` along its ``ExtrudedDirection``, whatever the length of
the direction's ratios (``(0, 0, 2)`` is straight up). OpenCASCADE does so; the fast library
(:data:`bimcarbon.ifc.geometry.FAST_LIBRARY`) sweeps ``Depth`` times the ratios' length: a 3 m high wall
written along ``(0, 0, 2)`` came out 6 m high, twice its volume, without a word; an opening so written
twice as deep. The elements such an extrusion shapes (its body, or an opening cut from it or from an
aggregate it is part of) are therefore triangulated by OpenCASCADE alone
(:func:`bimcarbon.ifc.geometry.libraries_for`).

Exporters write unit directions almost always, so the search starts from the file's few distinct
``IfcDirection`` entities and costs nothing when none is stretched.
"""

from __future__ import annotations

import math
import weakref

import ifcopenshell

#: A direction whose ratios' length differs from 1 by more than this is stretched (the volume would
#: be off by as much).
LENGTH_TOLERANCE = 1e-6
#: Entities climbed from an extrusion up to the products using it, at most (a broken file's loop).
_MAX_CLIMB = 100_000

_FOUND: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def stretched_elements(ifc: ifcopenshell.file) -> frozenset[int]:
    """STEP ids of the products whose geometry uses an extrusion along a stretched direction: directly
    or through mapped items and booleans, or through an opening cut from them or from an aggregate
    they are part of. Found once per open file."""
    found = _FOUND.get(ifc)
    if found is None:
        found = _FOUND[ifc] = frozenset(_search(ifc))
    return found


def _search(ifc: ifcopenshell.file) -> set[int]:
    solids = [
        user
        for direction in ifc.by_type("IfcDirection")
        if _stretched(direction)
        for user in ifc.get_inverse(direction)
        if user.is_a("IfcExtrudedAreaSolid")
    ]
    products = _products_using(ifc, solids)
    elements: set[int] = set()
    for product in products:
        if product.is_a("IfcFeatureElementSubtraction"):  # an opening: what it is cut from
            for rel in getattr(product, "VoidsElements", None) or ():
                _with_parts(rel.RelatingBuildingElement, elements)
        else:
            elements.add(product.id())
    return elements


def _stretched(direction) -> bool:
    try:
        ratios = direction[0]
        return abs(math.sqrt(sum(r * r for r in ratios)) - 1.0) > LENGTH_TOLERANCE
    except (TypeError, ValueError, IndexError, RuntimeError):
        return False  # a broken direction: the engine says what it makes of it


def _products_using(ifc: ifcopenshell.file, items: list) -> list:
    """The products whose representations use any of ``items``, through representations, mapped
    items, representation maps, booleans and any other item holding them."""
    products, seen, todo = [], set(), list(items)
    while todo and len(seen) < _MAX_CLIMB:
        entity = todo.pop()
        if entity.id() in seen:
            continue
        seen.add(entity.id())
        if entity.is_a("IfcProduct"):
            products.append(entity)
            continue
        if entity.is_a("IfcTypeObject"):  # a type's own map: its occurrences reach it by mapped items
            continue
        todo.extend(ifc.get_inverse(entity))
    return products


def _with_parts(element, ids: set[int], depth: int = 0) -> None:
    """``element`` and, as the engine cuts an aggregate's openings from its parts, its parts."""
    ids.add(element.id())
    if depth > 64:
        return
    for rel in getattr(element, "IsDecomposedBy", None) or ():
        for part in rel.RelatedObjects or ():
            _with_parts(part, ids, depth + 1)
