"""Where the take-off of one model spends its time, in bimcarbon's isolated reader process.

Runs what ``bimcarbon assess`` runs in its forked reader (``bimcarbon.reading._read_take_off_and_keep``:
read, LCA-ready pre-check, take-off, floor area; here one after the other, there the pre-check in a
fork of its own beside the take-off) with timers around each stage, and prints one JSON
line of seconds (imports not counted):

* ``read``: ``read_model`` (parse, units, hash);
* ``precheck``: ``run_precheck`` (the LCA-ready IDS);
* ``records``: ``physical_elements`` (relationship index, quantities, materials of every element);
* ``engine``: the geometry iterator, buffers included (``compute_volumes`` less the measuring);
* ``measure``: ``measure_mesh`` and ``measure_meshes`` (volume, closedness, winding, bounding box of
  each mesh);
* ``rest``: the rest of ``take_off_rows`` (quantity check logic, split, the rows);
* ``floor_area``: ``gross_floor_area``;
* ``total``.

    python bench/takeoff_stages.py MODEL
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict


def staged(path: str) -> dict[str, float]:
    import bimcarbon.ifc.geometry as geometry
    import bimcarbon.ifc.mesh_batch as mesh_batch
    import bimcarbon.takeoff as takeoff
    from bimcarbon.ifc import read_model
    from bimcarbon.ifc.areas import gross_floor_area
    from bimcarbon.ifc.ids_check import run_precheck

    spent: dict[str, float] = defaultdict(float)

    def timed(name, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return wrapper

    geometry.measure_mesh = timed("measure", geometry.measure_mesh)
    mesh_batch.measure_meshes = timed("measure", mesh_batch.measure_meshes)  # the iterator's, in batches
    takeoff.compute_volumes = timed("compute_volumes", takeoff.compute_volumes)
    takeoff.physical_elements = timed("records", takeoff.physical_elements)
    start = time.perf_counter()
    model = timed("read", read_model)(path)
    timed("precheck", run_precheck)(model)
    result = timed("take_off", takeoff.take_off_rows)(model)  # as the reader: rows, no pandas
    timed("floor_area", gross_floor_area)(model, result.table)
    total = time.perf_counter() - start
    stages = {
        "read": spent["read"],
        "precheck": spent["precheck"],
        "records": spent["records"],
        "engine": spent["compute_volumes"] - spent["measure"],
        "measure": spent["measure"],
        "rest": spent["take_off"] - spent["records"] - spent["compute_volumes"],
        "floor_area": spent["floor_area"],
        "total": total,
    }
    return {k: round(v, 3) for k, v in stages.items()}


def main() -> None:
    from bimcarbon.isolation import run_isolated

    print(json.dumps(run_isolated(staged, sys.argv[1], subject=sys.argv[1])))


if __name__ == "__main__":
    main()
