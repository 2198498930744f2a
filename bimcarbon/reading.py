"""Reading a model for an assessment: parse, LCA-ready pre-check, take-off and floor area, cached.

:func:`read_and_take_off` does it in this process or, with ``isolated``, in a forked child
(:mod:`bimcarbon.isolation`), so that a crash of the IFC parser is one error line.
:func:`start_reading` starts the child and returns at once: the command line imports and loads what
the rest of the assessment needs (factors, rules, the workbook writer) while its model is read, and
:func:`bimcarbon.assess.assess` takes the result when it needs it.

In the child, the pre-check runs in a forked process of its own, alongside the take-off (both read the
same parsed model, which the fork shares): on a small model the pre-check (ifctester's import alone
takes 0.3 s) costs as much as the take-off. This module imports only what reading needs.

Every result is kept, with ``cache_dir``, by the file's SHA-256, the geometry mode, the quantity check
and the bimcarbon version (:data:`TAKEOFF_CACHE_FORMAT`): re-assessing the same file with another
mapping, energy file or criteria pack skips reading it.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bimcarbon import __version__
from bimcarbon.file_hash import file_sha256
from bimcarbon.ifc import read_model
from bimcarbon.ifc.areas import gross_floor_area
from bimcarbon.ifc.reader import Model
from bimcarbon.isolation import Isolated, alongside, start_isolated
from bimcarbon.output_files import write_whole
from bimcarbon.quantity_check import CheckMode
from bimcarbon.takeoff import GeometryMode, TakeOff, TakeOffRows, take_off_rows

# the reader never imports pydantic: its pre-check travels pickled (_read_take_off_and_keep)
if TYPE_CHECKING:
    from bimcarbon.exchange.precheck import PreCheck

#: What reading a model gives: the take-off, the model's gross floor area (m2 or None, its source:
#: see :func:`bimcarbon.ifc.areas.gross_floor_area`) and the LCA-ready pre-check (or None).
ReadResult = tuple[TakeOff, tuple[float | None, str], "PreCheck | None"]

#: Layout and method of a cached take-off, (TakeOff, (floor area m2 or None, its source)): raised when
#: either changes, so older caches are not read. 2: exported volumes checked against the geometry, and
#: the floor area is the model's final one (quantities, geometry, take-off proxy, plausibility).
#: 3: the elements' placement origins (``position_x_m``, ``position_y_m``, ``position_z_m``).
#: 4: (TakeOff, floor area, LCA-ready pre-check or None): the pre-check is kept with the take-off (as
#: it came: a PreCheck, or its pickle from the pre-check's own fork; :func:`_received` reads both).
#: 5: (TakeOffRows, floor area, pre-check): the take-off's tables as rows (the reader has no pandas).
#: 6: the elements' surface areas (``surface_area_m2``, ``surface_area_source``).
#: 7: bodies written face by face read from the file; a part cut by its aggregate's openings measured
#: net, as the engine measures it.
TAKEOFF_CACHE_FORMAT = 7

#: What the reader sends (and the cache keeps): the take-off as rows, and the pre-check as it came.
_Sent = tuple[TakeOffRows, tuple[float | None, str], "PreCheck | bytes | None"]


def read_and_take_off(
    model_path: str | Path,
    geometry: GeometryMode,
    cache_dir: str | Path | None,
    isolated: bool = False,
    quantity_check: CheckMode = "sample",
    progress: Callable[[str, int | None], None] | None = None,
    precheck: bool = False,
    on_precheck: Callable[[PreCheck], None] | None = None,
) -> ReadResult:
    """The take-off, the model's gross floor area and, with ``precheck``, the LCA-ready pre-check of the
    same opened model (else None); from ``cache_dir`` (without even parsing the model) when the same file
    was taken off before with the same options and version (and checked, when ``precheck`` asks for it).

    With ``isolated``, the model is read in a child process (:mod:`bimcarbon.isolation`), so that a
    crash of the IFC parser becomes a :class:`~bimcarbon.errors.ModelReadError`. ``progress`` (not with
    ``isolated``) is told ``("precheck", None)`` and ``("takeoff", None)`` once the model is read, before
    each runs; ``on_precheck`` (not with ``isolated``) gets the pre-check before the take-off begins.
    """
    if isolated:
        return start_reading(model_path, geometry, cache_dir, quantity_check, precheck).result()
    cached = _cached(model_path, geometry, cache_dir, quantity_check, precheck)
    if cached is not None:
        return _received(cached)
    return _received(
        _read_take_off_and_keep(
            model_path, geometry, cache_dir, quantity_check, progress, precheck, on_precheck
        )
    )


@dataclass(frozen=True)
class Reading:
    """A model being read (:func:`start_reading`): the options it is read with, and the work."""

    model_path: Path
    geometry: GeometryMode
    quantity_check: CheckMode
    precheck: bool
    work: Isolated[_Sent]

    def result(self) -> ReadResult:
        """The take-off, floor area and pre-check (as :func:`read_and_take_off`), once read."""
        return _received(self.work.result())

    def cancel(self) -> None:
        """Stop reading (the result is not wanted: another input was refused)."""
        self.work.cancel()

    def __enter__(self) -> Reading:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cancel()


def start_reading(
    model_path: str | Path,
    geometry: GeometryMode,
    cache_dir: str | Path | None,
    quantity_check: CheckMode = "sample",
    precheck: bool = False,
) -> Reading:
    """Start reading and taking off a model in a forked child (:func:`read_and_take_off` with
    ``isolated``) and return at once; a cached take-off is found here, without starting anything.

    Used as a context manager, the reading stops on leaving the block unless its result was taken.
    """
    path = Path(model_path)
    cached = _cached(path, geometry, cache_dir, quantity_check, precheck)
    if cached is not None:
        work = Isolated.at_hand(cached)
    else:
        work = start_isolated(
            _read_take_off_and_keep,
            path,
            geometry,
            cache_dir,
            quantity_check,
            None,
            precheck,
            None,
            True,
            subject=model_path,
        )
    return Reading(path, geometry, quantity_check, precheck, work)


def _cached(
    model_path: str | Path,
    geometry: GeometryMode,
    cache_dir: str | Path | None,
    quantity_check: CheckMode,
    precheck: bool,
) -> _Sent | None:
    """The kept take-off of this file with these options, as the reader sent it (see
    :func:`_received`), or None (none, unreadable, or kept without the pre-check that ``precheck``
    asks for). An unreadable entry is removed."""
    path = Path(model_path)
    if cache_dir is None or not path.is_file():
        return None
    cached_path = _cache_path(cache_dir, file_sha256(path), geometry, quantity_check)
    if not cached_path.exists():
        return None
    try:
        with cached_path.open("rb") as handle:
            result, floor_area, check = pickle.load(handle)  # our own file, written below
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
        cached_path.unlink(missing_ok=True)
        return None
    if not isinstance(result, TakeOffRows):  # a file of this name written otherwise
        cached_path.unlink(missing_ok=True)
        return None
    result.model_path = str(path)
    if check is None and precheck:  # read again: the cache has no pre-check
        return None
    return result, floor_area, check if precheck else None


def _received(read: _Sent) -> ReadResult:
    """What the reader sent, for the assessment: the take-off's rows made DataFrames (pandas is
    imported here, in the command, while the reader works) and the pre-check unpickled when it came as
    the pre-check process's bytes."""
    result, floor_area, check = read
    return result.frames(), floor_area, pickle.loads(check) if isinstance(check, bytes) else check


def _cache_path(cache_dir: str | Path, sha256: str, geometry: GeometryMode, check: CheckMode) -> Path:
    """Where the take-off of a file with this hash, geometry mode, quantity check and bimcarbon
    version is kept."""
    return Path(cache_dir) / f"{sha256}-{geometry}-{check}-{__version__}-{TAKEOFF_CACHE_FORMAT}.pickle"


def _read_take_off_and_keep(
    model_path: str | Path,
    geometry: GeometryMode,
    cache_dir: str | Path | None,
    quantity_check: CheckMode = "sample",
    progress: Callable[[str, int | None], None] | None = None,
    precheck: bool = False,
    on_precheck: Callable[[PreCheck], None] | None = None,
    check_alongside: bool = False,
) -> _Sent:
    """Read the model, pre-check it (with ``precheck``) and take it off; keep the result in ``cache_dir``
    (if given) under the file's hash. With ``check_alongside`` (in the reader child, where nobody waits
    for the pre-check before the take-off), the pre-check runs in a forked process of its own while
    this one takes off: its result comes back pickled, and goes on pickled to the caller (so the
    reader does not import pydantic to unpickle it: 0.2 s of a small model's take-off). The take-off
    comes as rows (:class:`bimcarbon.takeoff.TakeOffRows`): the reader does not import pandas either."""
    model = read_model(model_path)  # one clear error for a bad file, cached or not
    check: PreCheck | bytes | None = None
    pending = None
    if precheck and check_alongside:
        pending = alongside(_pickled_precheck, model)
    elif precheck:
        if progress is not None:
            progress("precheck", None)
        check = _precheck(model)
        if on_precheck is not None:
            on_precheck(check)
    if progress is not None:
        progress("takeoff", None)
    try:
        result = take_off_rows(model, geometry, quantity_check)
        floor_area = gross_floor_area(model, result.table)  # geometry needs the open model
        if pending is not None:
            check = pending.result()
    finally:
        if pending is not None:
            pending.cancel()  # the take-off failed: its pre-check is not wanted
    if cache_dir is not None:
        _keep(_cache_path(cache_dir, model.sha256, geometry, quantity_check), (result, floor_area, check))
    return result, floor_area, check


def _precheck(model: Model) -> PreCheck:
    from bimcarbon.ifc.ids_check import run_precheck  # ifctester: imported only when it runs

    return run_precheck(model)


def _pickled_precheck(model: Model) -> bytes:
    return pickle.dumps(_precheck(model))


def _keep(cached_path: Path, value: object) -> None:
    """Pickle ``value`` to ``cached_path``, whole or not at all. A cache that cannot be written costs
    time, never a result: the assessment goes on without it, with one line on stderr (the console)."""
    try:
        write_whole(cached_path, pickle.dumps(value), folder_mode=0o777)
    except OSError as exc:
        print(
            f"warning: the take-off cache in {cached_path.parent} could not be written "
            f"({exc.strerror or exc}): going on without it",
            file=sys.stderr,
        )
