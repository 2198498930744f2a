"""The derived-value marker ``*`` on attributes the schema does not declare derived.

In IFC-SPF, ``*`` stands for an attribute whose value a subtype derives (``IfcSIUnit``'s
``Dimensions``, the four inherited attributes of ``IfcGeometricRepresentationSubContext``, the edge
ends of ``IfcOrientedEdge``). Some exporters also write it for optional attributes of ordinary
elements, e.g. ``IFCDOOR('...',#5,*,*,*,#101,#102,*,2500.,1000.)``. ifcopenshell parses such a file,
but its geometry engine then fails on every such element ("Requested type <string> does not match
actual type <derived> at index 2"). Those attributes are read as unset (``$``), which is what the
exporter meant, and the file gets one warning.

Finding them must cost next to nothing on a file of several GB: the raw bytes are searched for ``*``
(a memory-mapped ``find``, not a regular expression), and only the instance around each ``*`` is
tokenised (its line when it has one to itself, with strings replaced; otherwise from its ``#id=``,
respecting strings with ``''``, comments and nested lists) and compared with its type's derived
flags; the positions of one pattern of arguments (``*,*`` of every ``IfcOrientedEdge``) are worked
out once. Only instances with ``*`` on an attribute that is not derived are touched in ifcopenshell.
"""

from __future__ import annotations

import mmap
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ifcopenshell

#: How far back from a ``*`` the start of its instance is searched for, in bytes.
MAX_INSTANCE_LOOKBACK = 1 << 20

#: Instances named in the warning.
WARNING_EXAMPLES = 3

_SPACE = b" \t\r\n"
#: A line holding one instance whose arguments (strings replaced) hold no comment or nested list.
_FLAT_LINE = re.compile(
    rb"[ \t]*#(?P<id>\d+)[ \t]*=[ \t]*(?P<type>[A-Za-z]\w*)[ \t]*\((?P<args>[^'()/;]*)\)[ \t]*;[ \t\r]*"
)
#: Longest line read as a whole (a file written without line breaks takes the slower path).
_LINE_BYTES = 1 << 16
#: The start of an instance, wherever it is written.
_INSTANCE = re.compile(rb"[ \t\r\n]*#(?P<id>\d+)[ \t\r\n]*=[ \t\r\n]*(?P<type>[A-Za-z]\w*)[ \t\r\n]*\(")
_STRING = rb"'[^']*(?:''[^']*)*'"
_COMMENT = rb"/\*.*?\*/"
#: The arguments of an instance and its closing parenthesis: everything up to the ; that ends it.
_BODY = re.compile(rb"(?:[^';/]+|" + _STRING + rb"|" + _COMMENT + rb"|/(?!\*))*", re.DOTALL)
_STRING_OR_COMMENT = re.compile(_STRING + rb"|" + _COMMENT, re.DOTALL)
_STRING_ONLY = re.compile(_STRING)
#: A nested list or typed value with nothing nested inside (strings already replaced).
_NESTED = re.compile(rb"\([^()]*\)")

#: A type name (upper case, as written in the file) -> its per-attribute derived flags, or None
#: when the schema has no such entity.
DerivedFlags = Callable[[str], "tuple[bool, ...] | None"]


@dataclass(frozen=True)
class MisplacedMarker:
    """An instance with ``*`` on attributes its type does not declare derived.

    Attributes
    ----------
    step_id
        The instance's ``#id``.
    ifc_type
        Its type as written in the file, e.g. ``IFCDOOR``.
    positions
        Zero-based indices of the attributes written ``*`` that are not derived.
    """

    step_id: int
    ifc_type: str
    positions: tuple[int, ...]


def star_arguments(text: bytes | mmap.mmap, open_paren: int) -> tuple[list[int], int]:
    """Indices of the top-level arguments written ``*`` in an instance's argument list.

    Quoted strings (with ``''`` for a quote) and ``/* comments */`` are skipped; nested lists and
    typed values (``IFCLABEL('x')``) count as one argument.

    Parameters
    ----------
    text
        STEP text.
    open_paren
        Index of the ``(`` that opens the argument list (a list with strings, comments or nested
        lists is read up to the ``;`` that ends the instance).

    Returns
    -------
    (list of int, int)
        The indices, and the index of the closing ``)`` (``-1`` when the list is not closed).
    """
    close = text.find(b")", open_paren)
    if close < 0:
        return [], -1
    inner = text[open_paren + 1 : close]
    if b"'" in inner or b"(" in inner or b"/" in inner:
        body = _BODY.match(text, open_paren + 1)
        end = body.end() if body is not None else -1
        if end < 0 or text[end : end + 1] != b";":  # a string or comment left open, or no ;
            return [], -1
        inner = body.group().rstrip(_SPACE)
        if not inner.endswith(b")"):
            return [], -1
        close = open_paren + len(inner)
        inner = _STRING_OR_COMMENT.sub(_placeholder, inner[:-1])
        while b"(" in inner:
            nested = _NESTED.sub(b"N", inner)
            if nested == inner:
                break
            inner = nested
        if b"(" in inner or b")" in inner:
            return [], -1
    return [i for i, arg in enumerate(inner.split(b",")) if arg.strip(_SPACE) == b"*"], close


def _placeholder(match: re.Match[bytes]) -> bytes:
    """A string stays an argument (``S``); a comment goes."""
    return b"S" if match.group().startswith(b"'") else b""


def find_misplaced_markers(path: Path, derived_flags: DerivedFlags) -> list[MisplacedMarker]:
    """Instances of an IFC-SPF file with ``*`` on attributes that are not derived.

    Parameters
    ----------
    path
        The IFC-SPF file.
    derived_flags
        Per-attribute derived flags of a type name as written in the file (``IFCSIUNIT``).

    Returns
    -------
    list of MisplacedMarker
        In file order; empty when every ``*`` stands on a derived attribute (or in a string).
    """
    found: list[MisplacedMarker] = []
    derived_of: dict[bytes, tuple[bool, ...] | None] = {}
    # (type, flat arguments up to the last *) -> misplaced positions: "*,*" of IfcOrientedEdge or
    # "S,$,*,*,*" of an exporter's IfcSlab are tokenised once
    seen: dict[tuple[bytes, bytes], tuple[int, ...]] = {}

    def misplaced(type_name: bytes, stars: list[int]) -> tuple[int, ...]:
        if type_name not in derived_of:
            derived_of[type_name] = derived_flags(type_name.decode("ascii").upper())
        return _not_derived(stars, derived_of[type_name])

    with path.open("rb") as handle:
        if handle.seek(0, 2) == 0:
            return found
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            size = len(data)
            position = data.find(b"*")
            while position >= 0:
                resume, positions, match = position + 1, (), None
                line_start = data.rfind(b"\n", 0, position) + 1
                line_end = data.find(b"\n", position)
                line_end = size if line_end < 0 else line_end
                if line_end - line_start <= _LINE_BYTES:  # the common case: one instance a line
                    line = data[line_start:line_end]
                    if b"/*" in line:
                        line = _STRING_OR_COMMENT.sub(_placeholder, line)
                    elif b"'" in line:
                        line = _STRING_ONLY.sub(b"S", line)
                    match = _FLAT_LINE.fullmatch(line)
                if match is not None:
                    args = match.group("args")
                    key = (match.group("type"), args[: args.rfind(b"*") + 1])
                    if key not in seen:
                        flat = args.replace(b" ", b"").replace(b"\t", b"")
                        seen[key] = misplaced(
                            key[0], [i for i, a in enumerate(flat.split(b",")) if a == b"*"]
                        )
                    positions, resume = seen[key], line_end
                elif _is_argument(data, position):  # several lines an instance, or several a line
                    start = _instance_start(data, position)
                    match = _INSTANCE.match(data, start) if start is not None else None
                    if match is not None:
                        stars, close = star_arguments(data, match.end() - 1)
                        if close > position:  # the * is inside this instance's arguments
                            positions, resume = misplaced(match.group("type"), stars), close + 1
                if positions:
                    assert match is not None
                    ifc_type = match.group("type").decode("ascii").upper()
                    found.append(MisplacedMarker(int(match.group("id")), ifc_type, positions))
                position = data.find(b"*", resume)
    return found


def unset_misplaced_markers(ifc: ifcopenshell.file, path: Path) -> str | None:
    """Read every ``*`` on an attribute that is not derived as unset, and say so in one line.

    Parameters
    ----------
    ifc
        The model opened from ``path``; the attributes are unset in it (not in the file).
    path
        The IFC-SPF file ``ifc`` was opened from.

    Returns
    -------
    str or None
        The warning line, or ``None`` when there was nothing to unset.
    """
    schema = ifcopenshell.schema_by_name(ifc.schema_identifier)

    def derived_flags(ifc_type: str) -> tuple[bool, ...] | None:
        try:
            declaration = schema.declaration_by_name(ifc_type)
        except RuntimeError:  # not in the schema: the parser dropped it and warned
            return None
        derived = getattr(declaration, "derived", None)  # a type, not an entity: nothing derived
        return tuple(derived()) if derived is not None else None

    examples: list[str] = []
    attributes = entities = 0
    for marker in find_misplaced_markers(path, derived_flags):
        try:
            entity = ifc.by_id(marker.step_id)
        except RuntimeError:  # dropped by the parser (the parser warned)
            continue
        if entity.is_a().upper() != marker.ifc_type:
            continue
        # ifcopenshell reads * as None; a $ (None too) is only unset again
        positions = tuple(p for p in marker.positions if p < len(entity) and entity[p] is None)
        for position in positions:
            entity.unset_attribute_value(position)
        if not positions:
            continue
        attributes += len(positions)
        entities += 1
        if len(examples) < WARNING_EXAMPLES:
            names = ", ".join(entity.attribute_name(p) for p in positions)
            examples.append(f"{entity.is_a()} {_label(entity)} ({names})")
    if not entities:
        return None
    more = f" and {entities - len(examples)} more" if entities > len(examples) else ""
    return (
        f"{attributes} attribute(s) of {entities} entit{'y' if entities == 1 else 'ies'} were written "
        f"as * (the marker of a derived value) though the schema does not derive them; read as unset: "
        f"{'; '.join(examples)}{more}"
    )


def _is_argument(data: mmap.mmap, position: int) -> bool:
    """Whether the ``*`` at ``position`` may be an argument: alone between ``(`` or ``,`` and ``,`` or
    ``)`` (or next to a comment's ``/``); :func:`star_arguments` decides."""
    before = position - 1
    while before >= 0 and data[before] in _SPACE:
        before -= 1
    after, size = position + 1, len(data)
    while after < size and data[after] in _SPACE:
        after += 1
    return before >= 0 and after < size and data[before] in b"(,/" and data[after] in b",)/"


def _instance_start(data: mmap.mmap, position: int) -> int | None:
    """Offset of ``#id=TYPE(`` that opens the instance holding ``position``, if one is found.

    Instances start after a ``;`` or a line break; a ``;`` or line break inside a string is stepped
    over by trying the boundary before it.
    """
    limit = max(0, position - MAX_INSTANCE_LOOKBACK)
    boundary = position
    while boundary > limit:
        boundary = max(data.rfind(b";", limit, boundary), data.rfind(b"\n", limit, boundary))
        if boundary < 0:
            return None
        if _INSTANCE.match(data, boundary + 1):
            return boundary + 1
    return None


def _not_derived(stars: list[int], derived: tuple[bool, ...] | None) -> tuple[int, ...]:
    if derived is None:
        return ()
    return tuple(i for i in stars if i < len(derived) and not derived[i])


def _label(entity: ifcopenshell.entity_instance) -> str:
    global_id = getattr(entity, "GlobalId", None) if entity.is_a("IfcRoot") else None
    return str(global_id) if global_id else f"#{entity.id()}"
