"""``python -m bwvreview`` runs the command line."""

from bwvreview.cli import main

raise SystemExit(main())
