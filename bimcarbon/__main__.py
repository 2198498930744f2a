"""``python -m bimcarbon`` runs the command line."""

from bimcarbon.cli import app

app(prog_name="bimcarbon")
