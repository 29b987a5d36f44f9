"""``python -m metrokg.ui.cli.main``: the same command line as ``metrokg``."""

import sys

from metrokg.ui.cli.main.main import main

sys.exit(main())
