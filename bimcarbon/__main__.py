"""``python -m bimcarbon`` runs the command line."""

from bimcarbon.entry import main

main()
