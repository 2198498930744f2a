"""The spreads the Monte Carlo draws from: data (``factors/uncertainty.yaml``), validated with pydantic.

Every default spread is bimcarbon's judgement, with its reason (docs/uncertainty.md). A person may give
their own file in the same layout (``--spreads``).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TypeVar

from pydantic import ConfigDict, Field

from bimcarbon.datafile import DataModel, load_validated
from bimcarbon.factors import FactorSetMetadata, Status, factors_dir

SPREADS_FILE = "uncertainty.yaml"

#: The standard normal's 95th percentile: a lognormal whose 95th percentile is r x its median has
#: sigma = ln(r) / Z95.
Z95 = 1.6448536269514722


class Spread(DataModel):
    """A lognormal spread around the value used: median the value, 95th percentile ``p95_ratio`` x it
    (5th percentile the value / ``p95_ratio``). 1 means not sampled."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    p95_ratio: float = Field(ge=1.0, le=100.0)
    status: Status
    reason: str = Field(min_length=1)

    @property
    def sigma(self) -> float:
        """The standard deviation of the natural logarithm of the multiplier."""
        return math.log(self.p95_ratio) / Z95


class RangeUse(DataModel):
    """Whether ranges given by other data files (factor values, densities, energy figures) are drawn
    from (triangular between low and high, peak at the value used)."""

    model_config = ConfigDict(extra="forbid")

    use: bool
    reason: str = Field(min_length=1)


_Entry = TypeVar("_Entry", "Spread", "RangeUse")


class ByStatus(DataModel):
    """Factor values by their confirmation status."""

    model_config = ConfigDict(extra="forbid")

    confirmed: Spread
    secondary: Spread
    derived: Spread
    unconfirmed: Spread


class FactorSpreads(DataModel):
    """Factor values: by status; proxy and assumed uses on top; ranges their source gives."""

    model_config = ConfigDict(extra="forbid")

    by_status: ByStatus
    proxy: Spread
    assumed: Spread
    source_range: RangeUse


class DensitySpreads(DataModel):
    """Densities: a factor's range, a default density without one, a density the model gives."""

    model_config = ConfigDict(extra="forbid")

    factor_range: RangeUse
    default: Spread
    model: Spread


class QuantitySpreads(DataModel):
    """Quantities by the kind of their source (:func:`bimcarbon.uncertainty.keys.quantity_kind`)."""

    model_config = ConfigDict(extra="forbid")

    exported: Spread
    geometry: Spread
    dimensions: Spread
    guessed_share: Spread
    count: Spread
    other: Spread


class RatioSpreads(DataModel):
    """Mass ratios (rebar per m3, stud steel per m2): stated by a rule, or assumed."""

    model_config = ConfigDict(extra="forbid")

    stated: Spread
    assumed: Spread


class EnergySpreads(DataModel):
    """Energy figures: the energy file's ranges; the spread of a figure without one."""

    model_config = ConfigDict(extra="forbid")

    file_range: RangeUse
    default: Spread


class NotSampled(DataModel):
    """Something the Monte Carlo does not draw, listed in every output."""

    model_config = ConfigDict(extra="forbid")

    description: str = Field(min_length=1)


class Spreads(DataModel):
    """Everything in an uncertainty spreads file."""

    model_config = ConfigDict(extra="forbid")

    metadata: FactorSetMetadata
    factors: FactorSpreads
    densities: DensitySpreads
    quantities: QuantitySpreads
    ratios: RatioSpreads
    transport_distance: Spread
    grid_factor: Spread
    energy: EnergySpreads
    not_sampled: list[NotSampled] = Field(default_factory=list)

    def spread(self, key: str) -> Spread:
        """A spread by its dotted key (``factors.by_status.confirmed``, ``grid_factor``)."""
        return self._node(key, Spread)

    def range_use(self, key: str) -> RangeUse:
        """A range switch by its dotted key (``densities.factor_range``)."""
        return self._node(key, RangeUse)

    def _node(self, key: str, kind: type[_Entry]) -> _Entry:
        """The entry at a dotted key, which must be a ``kind`` (KeyError otherwise)."""
        node: object = self
        for part in key.split("."):
            node = getattr(node, part, None)
        if not isinstance(node, kind):
            raise KeyError(key)
        return node


def load_spreads(path: str | Path | None = None) -> Spreads:
    """Load and validate a spreads file (the shipped defaults when ``path`` is None).

    Raises
    ------
    FactorFileError
        Missing or unreadable file, or a field that does not validate (one line naming the file and
        the field).
    """
    path = Path(path) if path else factors_dir() / SPREADS_FILE
    return load_validated(path, Spreads, "uncertainty spreads file")
