"""bimcarbon: carbon assessment of buildings from their IFC models."""

#: The package's version: written here once, read by the packaging (pyproject.toml's dynamic version)
#: and by the code without importlib.metadata, whose import and lookup cost ``bimcarbon --version``
#: about 60 ms.
__version__ = "0.1.0"

__all__ = ["__version__"]
