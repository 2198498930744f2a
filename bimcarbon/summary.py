"""A short account of a take-off: how many elements, where the volumes came from, what to look at."""

from __future__ import annotations

import pandas as pd
from pydantic import BaseModel

from bimcarbon.takeoff import TakeOff

#: Order in which quantity-source kinds are listed.
SOURCE_KINDS = (
    "standard Qto set",
    "exporter set",
    "type quantity set",
    "profile area x length",
    "layer area x thickness",
    "geometry",
    "none",
)


class SourceShare(BaseModel):
    """Volume taken off from one kind of source."""

    kind: str
    rows: int
    volume_m3: float
    share: float


class TakeOffSummary(BaseModel):
    """Counts and shares a person reads first."""

    model_path: str
    schema_name: str
    ifc_elements: int
    elements_taken_off: int
    elements_excluded: int
    rows: int
    total_volume_m3: float
    volume_by_source: list[SourceShare]
    flags: dict[str, int]
    elements_by_flag: dict[str, int]
    excluded_by_reason: dict[str, int]
    quantity_checks: int
    quantity_mismatches: int
    warnings: int


def source_kind(quantity_source: str) -> str:
    """Classify a ``quantity_source`` string into one of :data:`SOURCE_KINDS`.

    Examples
    --------
    >>> source_kind("Qto_WallBaseQuantities.NetVolume*layer:thickness_share")
    'standard Qto set'
    >>> source_kind("type:BaseQuantities.GrossVolume")
    'type quantity set'
    """
    head = quantity_source.split("*", 1)[0]
    if head.startswith("type:"):
        return "type quantity set"
    if head.lower().startswith("qto_") and not head.lower().startswith("qto_bodygeometryvalidation"):
        return "standard Qto set"
    if head == "geometry":
        return "geometry"
    if head == "profile:area":
        return "profile area x length"
    if head == "layer:area":
        return "layer area x thickness"
    if head == "none":
        return "none"
    return "exporter set"


def summarise(takeoff: TakeOff) -> TakeOffSummary:
    """Summarise a take-off.

    Parameters
    ----------
    takeoff
        A finished take-off.

    Returns
    -------
    TakeOffSummary
    """
    table = takeoff.table
    kinds = table["quantity_source"].map(source_kind)
    volumes = table["volume_m3"].astype(float).fillna(0.0)
    total = float(volumes.sum())
    by_kind = pd.DataFrame({"kind": kinds, "volume": volumes}).groupby("kind")["volume"].agg(["count", "sum"])
    shares = [
        SourceShare(
            kind=kind,
            rows=int(by_kind.loc[kind, "count"]),
            volume_m3=float(by_kind.loc[kind, "sum"]),
            share=float(by_kind.loc[kind, "sum"]) / total if total > 0 else 0.0,
        )
        for kind in SOURCE_KINDS
        if kind in by_kind.index
    ]
    exploded = table[["global_id", "flags"]].assign(flag=table["flags"].str.split(";")).explode("flag")
    exploded = exploded[exploded["flag"].fillna("") != ""]
    flag_rows = exploded["flag"].value_counts()
    flag_elements = exploded.drop_duplicates(["global_id", "flag"])["flag"].value_counts()
    checks = takeoff.checks
    return TakeOffSummary(
        model_path=takeoff.model_path,
        schema_name=takeoff.schema,
        ifc_elements=takeoff.element_count,
        elements_taken_off=int(table["step_id"].nunique()),
        elements_excluded=len(takeoff.excluded),
        rows=len(table),
        total_volume_m3=total,
        volume_by_source=shares,
        flags={str(k): int(v) for k, v in flag_rows.items()},
        elements_by_flag={str(k): int(v) for k, v in flag_elements.items()},
        excluded_by_reason={str(k): int(v) for k, v in takeoff.excluded["reason"].value_counts().items()},
        quantity_checks=len(checks),
        quantity_mismatches=int(checks["mismatch"].sum()) if len(checks) else 0,
        warnings=len(takeoff.warnings),
    )
