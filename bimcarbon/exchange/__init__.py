"""Exchange with the openBIM and LCA world: pure conversion of an assessment into other formats.

``lcax_export`` (an assessment as an LCAx project, as plain JSON data) and ``lcax_file`` (the file,
validated with the ``lcax`` package's own model). See docs/exchange.md.
"""
