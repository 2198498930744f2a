"""Exchange with the openBIM and LCA world: pure conversion code and report models (no IFC here;
``bimcarbon.ifc`` reads and writes IFC)."""
