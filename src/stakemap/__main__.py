"""``python -m stakemap``: see :mod:`stakemap.cli`."""

from stakemap.cli import run

run()
