"""Exchange with the openBIM and LCA world: pure conversion code (no IFC; ``bimcarbon.ifc`` writes)."""
