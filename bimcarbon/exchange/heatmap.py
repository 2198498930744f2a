"""The heatmap of results written into the IFC: classes of kgCO2e per m3 (or per element) and colours.

Data with its reasons (``factors/heatmap.yaml``); pure: an element's results in, its class out. The
IFC styling is :mod:`bimcarbon.ifc.heatmap_styles`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ConfigDict, Field, model_validator

from bimcarbon.datafile import DataModel, load_validated
from bimcarbon.element_results import ElementResult
from bimcarbon.factors import FactorSetMetadata, factors_dir

HEATMAP_FILE = "heatmap.yaml"
_COLOUR = r"^#[0-9a-fA-F]{6}$"


class HeatmapClass(DataModel):
    """One class: values in [lower, upper) (None: open on that side) shown in one colour."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    lower: float | None = None
    upper: float | None = None
    colour: str = Field(pattern=_COLOUR)
    label: str = Field(min_length=1)

    def bounds_text(self, unit: str) -> str:
        """The bounds as a person reads them: ``< 200``, ``200 to < 400``, ``>= 10000`` and the unit."""
        if self.lower is None and self.upper is None:
            return "any"
        if self.lower is None:
            return f"< {self.upper:g} {unit}"
        if self.upper is None:
            return f">= {self.lower:g} {unit}"
        return f"{self.lower:g} to < {self.upper:g} {unit}"


class HeatmapScale(DataModel):
    """Contiguous classes of one basis (per m3, per element), lowest first, with the reason for the bounds."""

    model_config = ConfigDict(extra="forbid")

    unit: str = Field(min_length=1)
    modules: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    classes: list[HeatmapClass] = Field(min_length=1)

    @model_validator(mode="after")
    def _contiguous(self) -> HeatmapScale:
        first, last = self.classes[0], self.classes[-1]
        if first.lower is not None or last.upper is not None:
            raise ValueError("the first class has no lower bound and the last no upper bound")
        for below, above in zip(self.classes[:-1], self.classes[1:], strict=True):
            if below.upper is None or above.lower is None or below.upper != above.lower:
                raise ValueError(f"class {above.id} must start where {below.id} ends")
            if above.upper is not None and above.upper <= above.lower:
                raise ValueError(f"class {above.id}: upper bound must be above its lower bound")
        return self

    def classify(self, value: float) -> HeatmapClass:
        """The class holding ``value`` (a bound belongs to the class above it)."""
        for item in self.classes:
            if item.upper is None or value < item.upper:
                return item
        return self.classes[-1]  # pragma: no cover - the last class is open


class Heatmap(DataModel):
    """Everything in heatmap.yaml."""

    model_config = ConfigDict(extra="forbid")

    metadata: FactorSetMetadata
    per_m3: HeatmapScale
    per_element: HeatmapScale
    not_assessed: HeatmapClass

    @model_validator(mode="after")
    def _distinct(self) -> Heatmap:
        classes = [*self.per_m3.classes, *self.per_element.classes, self.not_assessed]
        ids = [c.id for c in classes]
        colours = [c.colour.lower() for c in classes]
        if len(set(ids)) != len(ids) or len(set(colours)) != len(colours):
            raise ValueError("every class needs its own id and its own colour")
        return self

    def legend(self) -> list[tuple[HeatmapClass, str]]:
        """Every class with its basis unit, in the order of the legend (per m3, per element, not assessed)."""
        rows = [(c, self.per_m3.unit) for c in self.per_m3.classes]
        rows += [(c, self.per_element.unit) for c in self.per_element.classes]
        return [*rows, (self.not_assessed, "")]


@dataclass(frozen=True)
class Placement:
    """Where an element falls on the heatmap.

    Attributes
    ----------
    heat_class
        Its class (the neutral class when nothing of it is counted).
    basis
        ``per_m3``, ``per_element`` or ``not_assessed``.
    value
        kgCO2e per m3 or kgCO2e of the element (A1-A3); None when not assessed.
    unit
        The unit of ``value`` (``kgCO2e/m3``, ``kgCO2e per element``; empty when not assessed).
    """

    heat_class: HeatmapClass
    basis: str
    value: float | None
    unit: str


def load_heatmap(path: str | Path | None = None) -> Heatmap:
    """Load and validate the heatmap classes (one line naming the file and field if invalid)."""
    return load_validated(Path(path) if path else factors_dir() / HEATMAP_FILE, Heatmap, "heatmap file")


def place(element: ElementResult, heatmap: Heatmap) -> Placement:
    """The heatmap class of an element from its A1-A3 and its volume.

    An element with A1-A3 counted and a volume above zero is placed by kgCO2e per m3 (A1-A3 / volume_m3);
    counted without a volume, by its kgCO2e; with nothing counted, in the neutral class.
    """
    a1_a3 = element.a1_a3_kgco2e
    if a1_a3 is None:
        return Placement(heatmap.not_assessed, "not_assessed", None, "")
    if element.volume_m3 is not None and element.volume_m3 > 0:
        value = a1_a3 / element.volume_m3
        return Placement(heatmap.per_m3.classify(value), "per_m3", value, heatmap.per_m3.unit)
    return Placement(heatmap.per_element.classify(a1_a3), "per_element", a1_a3, heatmap.per_element.unit)


def colour_rgb(colour: str) -> tuple[float, float, float]:
    """``#rrggbb`` as red, green, blue from 0 to 1."""
    if not re.match(_COLOUR, colour):
        raise ValueError(f"not a colour: {colour!r}")
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]
