"""Build lca-ready.ids (buildingSMART IDS 1.0) from lca-ready.yaml and the class lists below.

Run ``python factors/ids/build_lca_ready.py`` after editing either; ``--check`` only says whether the
shipped file is up to date (exit 1 if not). The output is validated against the IDS XSD that
ifctester ships.

Why a script: the element classes differ by IFC version (IfcChimney and the *StandardCase classes do not
exist in every schema, and an IDS entity facet matches a class exactly, never its subtypes), so most
requirements are one specification per version; writing them out by hand would let them drift apart.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SIDECAR = HERE / "lca-ready.yaml"
TARGET = HERE / "lca-ready.ids"
NS = "http://standards.buildingsmart.org/IDS"
XS = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

#: IFC versions as IDS names them, with the suffix of their specification identifiers.
VERSIONS = {"IFC2X3": "ifc2x3", "IFC4": "ifc4", "IFC4X3_ADD2": "ifc4x3"}

#: Building elements in every version (IfcBuildingElement, in IFC4X3 IfcBuiltElement, subtypes), and
#: IfcBuildingElementPart: the parts a layered wall or slab is decomposed into (Revit parts, ArchiCAD).
COMMON = [
    "IfcBeam", "IfcBuildingElementPart", "IfcBuildingElementProxy", "IfcColumn", "IfcCovering",
    "IfcCurtainWall", "IfcDoor", "IfcFooting", "IfcMember", "IfcPile", "IfcPlate", "IfcRailing",
    "IfcRamp", "IfcRampFlight", "IfcRoof", "IfcSlab", "IfcStair", "IfcStairFlight", "IfcWall", "IfcWindow",
]  # fmt: skip
#: What each version adds: classes new in IFC4, the standard-case subtypes each schema has, and
#: IFC4X3's IfcBuiltElement (no longer abstract there).
ADDED = {
    "IFC2X3": ["IfcWallStandardCase"],
    "IFC4": [
        "IfcChimney", "IfcShadingDevice", "IfcBeamStandardCase", "IfcColumnStandardCase",
        "IfcDoorStandardCase", "IfcMemberStandardCase", "IfcPlateStandardCase", "IfcSlabElementedCase",
        "IfcSlabStandardCase", "IfcWallElementedCase", "IfcWallStandardCase", "IfcWindowStandardCase",
    ],
    "IFC4X3_ADD2": ["IfcBuiltElement", "IfcChimney", "IfcShadingDevice", "IfcWallStandardCase"],
}  # fmt: skip
#: Layered classes (the layer-set requirement, checked by bimcarbon: see lca-ready.yaml).
LAYERED = ("IfcWall", "IfcSlab", "IfcRoof", "IfcCovering")


def any_case(text: str) -> str:
    """``text`` with each letter as a class of its two cases (``Ab`` -> ``[Aa][Bb]``)."""
    out = []
    for char in text:
        lower, upper = char.lower(), char.upper()
        out.append(f"[{upper}{lower}]" if lower != upper and len(upper) == 1 else char)
    return "".join(out)


def placeholder_pattern() -> str:
    """bimcarbon's placeholder material names (default_rules.yaml, rule placeholder-name) as an XSD pattern.

    XSD patterns match the whole value and have no case-insensitive flag, so letters are written as
    ``[Xx]``; ``\b`` after "default" becomes "nothing, or a character that is not a letter, digit or
    underscore"; blanks around the name are allowed (bimcarbon strips them). tests/test_precheck_ids.py
    checks that the pattern and the rule agree.
    """
    c = any_case
    alternatives = [
        c("default") + r"([^\p{L}\p{N}_].*)?",
        c("undefined") + "(/.*)?",
        c("unknown"),
        c("<unnamed>"),
        c("generic"),
        c("test material") + ".*",
        c("xella unknown"),
        "<?" + c("by category") + ">?",
        "默认.*",
        "缺省.*",
        r"材质\s*\d*",
        c("материал по умолчанию"),
        c("material por defecto"),
        c("matériau par défaut"),
        c("solid") + r"( \d+)?",
        ".*" + c("gradient fill") + ".*",
        ".*(" + "|".join(c(w) for w in ("arcering", "hatching", "schraffur")) + ").*",
        r"(000 )?\d+ ?%",
    ]
    return r"\s*(" + "|".join(alternatives) + r")\s*"


def classes(version: str, only: tuple[str, ...] | None = None) -> list[str]:
    """The building element classes of an IFC version (upper case, as IDS writes them)."""
    names = COMMON + ADDED[version]
    if only is not None:
        names = [n for n in names if n.startswith(only)]
    return sorted({n.upper() for n in names})


def _sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NS}}}{tag}", attributes)


def _simple(parent: ET.Element, tag: str, value: str) -> None:
    _sub(_sub(parent, tag), "simpleValue").text = value


def _restricted(
    parent: ET.Element, tag: str, facet: str, values: list[str] | str, base: str = "xs:string"
) -> None:
    """``<tag><xs:restriction base="...">`` with enumeration values, one pattern or one bound."""
    restriction = ET.SubElement(_sub(parent, tag), f"{{{XS}}}restriction", {"base": base})
    for value in [values] if isinstance(values, str) else values:
        ET.SubElement(restriction, f"{{{XS}}}{facet}", {"value": value})


def _entity(parent: ET.Element, names: list[str]) -> None:
    entity = _sub(parent, "entity")
    if len(names) == 1:
        _simple(entity, "name", names[0])
    else:
        _restricted(entity, "name", "enumeration", names)


def _specification(
    root: ET.Element, requirement: dict, identifier: str, versions: list[str], name_suffix: str = ""
) -> ET.Element:
    return _sub(
        root,
        "specification",
        name=requirement["label"] + name_suffix,
        ifcVersion=" ".join(versions),
        identifier=identifier,
        description=" ".join(requirement["description"].split()),
        instructions=requirement["instructions"],
    )


def build() -> str:
    """The IDS text."""
    sidecar = yaml.safe_load(SIDECAR.read_text(encoding="utf-8"))
    by_id = {r["id"]: r for r in sidecar["requirements"]}
    ET.register_namespace("", NS)
    ET.register_namespace("xs", XS)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(
        f"{{{NS}}}ids",
        {f"{{{XSI}}}schemaLocation": f"{NS} http://standards.buildingsmart.org/IDS/1.0/ids.xsd"},
    )
    info = _sub(root, "info")
    _sub(info, "title").text = sidecar["metadata"]["title"]
    _sub(info, "version").text = sidecar["metadata"]["version"]
    _sub(info, "description").text = " ".join(sidecar["metadata"]["notes"].split())
    _sub(info, "author").text = "bimcarbon@users.noreply.github.com"
    _sub(info, "purpose").text = "Embodied-carbon assessment (LCA) with bimcarbon"
    specs = _sub(root, "specifications")
    for version, suffix in VERSIONS.items():
        elements = classes(version)
        label = f" ({version})"
        spec = _specification(specs, by_id["material"], f"material-{suffix}", [version], label)
        _entity(_sub(spec, "applicability", minOccurs="0", maxOccurs="unbounded"), elements)
        _sub(_sub(spec, "requirements"), "material")

        spec = _specification(specs, by_id["placeholder"], f"placeholder-{suffix}", [version], label)
        _entity(_sub(spec, "applicability", minOccurs="0", maxOccurs="unbounded"), elements)
        material = _sub(_sub(spec, "requirements"), "material", cardinality="prohibited")
        _restricted(material, "value", "pattern", placeholder_pattern())

        spec = _specification(specs, by_id["geometry"], f"geometry-{suffix}", [version], label)
        _entity(_sub(spec, "applicability", minOccurs="0", maxOccurs="unbounded"), elements)
        _simple(_sub(_sub(spec, "requirements"), "attribute"), "name", "Representation")

        spec = _specification(specs, by_id["in-storey"], f"in-storey-{suffix}", [version], label)
        _entity(_sub(spec, "applicability", minOccurs="0", maxOccurs="unbounded"), elements)
        _entity(_sub(_sub(spec, "requirements"), "partOf"), ["IFCBUILDINGSTOREY"])
    every = list(VERSIONS)
    spec = _specification(specs, by_id["storeys"], "storeys", every)
    _entity(_sub(spec, "applicability", minOccurs="1", maxOccurs="unbounded"), ["IFCBUILDINGSTOREY"])
    part_of = _sub(_sub(spec, "requirements"), "partOf", relation="IFCRELAGGREGATES")
    _entity(part_of, ["IFCBUILDING"])
    area = by_id["floor-area"]
    for identifier, ifc_class, qto, what in (
        ("space-floor-area", "IFCSPACE", "Qto_SpaceBaseQuantities", " (spaces)"),
        ("storey-floor-area", "IFCBUILDINGSTOREY", "Qto_BuildingStoreyBaseQuantities", " (storeys)"),
    ):
        spec = _specification(specs, area, identifier, every, what)
        _entity(_sub(spec, "applicability", minOccurs="1", maxOccurs="unbounded"), [ifc_class])
        prop = _sub(_sub(spec, "requirements"), "property", dataType="IFCAREAMEASURE")
        _restricted(prop, "propertySet", "enumeration", [qto, "BaseQuantities"])
        _simple(prop, "baseName", "GrossFloorArea")
        _restricted(prop, "value", "minExclusive", "0", base="xs:double")  # an area of 0 states none
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def main(argv: list[str]) -> int:
    text = build()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is not up to date: run python {Path(__file__).name}")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    from ifctester import ids  # validates against the IDS 1.0 XSD

    ids.open(str(TARGET), validate=True)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
