"""Parks: many buildings assessed independently, rolled up with park-level energy, scored against park
criteria (see docs/park.md). Buildings are mapped through an executor (:mod:`bimcarbon.park.executors`);
nothing else knows which one runs."""
