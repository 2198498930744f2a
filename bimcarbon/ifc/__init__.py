"""The only package that imports ifcopenshell: open models, units, materials, quantities, geometry."""

from bimcarbon.ifc.reader import Model, read_model

__all__ = ["Model", "read_model"]
