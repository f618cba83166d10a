"""`make run` on a fresh machine says what it is doing during the 2-3 minute first install."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_announces_and_shows_the_first_install(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    dry = subprocess.run(
        ["make", "-n", "run", f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    install = next(line for line in dry.splitlines() if "-r requirements.txt" in line)
    assert "--quiet" not in install and " -q " not in install
    assert "first run: 2-3 minutes" in dry
