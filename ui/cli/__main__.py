"""``python -m metrokg.ui.cli``: the same command line as ``metrokg``."""

import sys

from metrokg.ui.cli.main import main

sys.exit(main())
