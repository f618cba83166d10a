"""``python -m stakemap``: see :mod:`stakemap.cli`."""

import sys

from stakemap.cli import main

sys.exit(main())
