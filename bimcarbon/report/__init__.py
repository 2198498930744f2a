"""Renderers: they write what the library computed and never calculate."""
