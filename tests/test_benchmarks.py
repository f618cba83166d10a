"""benchmarks/run.py: the --json shape other tools read, and --quick."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_quick_json_lists_timed_results_with_ratios_against_their_baseline():
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--json", "--quick", "export"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(done.stdout)
    results = {r["name"]: r for r in report["results"]}
    assert set(next(iter(results.values()))) == {
        "name",
        "seconds",
        "baseline",
        "baseline_seconds",
        "ratio",
    }
    full = results["export: workbook, all sheets, 500 people / 2,500 ties"]
    base = results[full["baseline"]]
    assert base["baseline"] is None and base["ratio"] is None
    assert full["baseline_seconds"] == base["seconds"] > 0
    assert abs(full["ratio"] - full["seconds"] / base["seconds"]) < 1e-3
    assert "== bench_export" in done.stderr  # progress stays off stdout


def test_every_bench_module_runs_quick_on_the_current_code():
    """A column or API change that breaks a benchmark fails here, not in a later full run.
    The browser and PostgreSQL benches are left to `make bench` (minutes, not seconds)."""
    names = ["import", "export", "plan", "workshop"]
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--json", "--quick", *names],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["results"]


def test_quick_run_never_overwrites_the_full_results(tmp_path):
    results = ROOT / "benchmarks" / "RESULTS.md"
    before = results.read_bytes()
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "export"],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert results.read_bytes() == before


def test_fifty_phones_polling_never_rerun_the_whole_script():
    """The room's bench, quick (about 40 s): 50 phones poll their Join page as the browser
    does while the facilitator's Workshop page reruns. No poll may rerun the whole script;
    the loaded rerun is checked only against a collapse (the target, 1.5x idle, is for the
    full run on a quiet machine: this suite shares its cores)."""
    spec = importlib.util.spec_from_file_location(
        "bench_followers", ROOT / "benchmarks" / "bench_followers.py"
    )
    bench = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # its dataclasses
    spec.loader.exec_module(bench)
    rows = {r["measure"]: r for r in bench.run(quick=True)}
    if "skipped" in rows:
        pytest.skip(rows["skipped"]["note"])
    assert rows["full-script runs caused by polls"]["value"] == 0
    assert rows["fragment runs caused by polls"]["value"] > 0
    assert "0 connections lost" in rows["full-script runs caused by polls"]["note"]
    idle = rows["Workshop page rerun, idle"]
    loaded = rows["Workshop page rerun, 50 phones following"]
    assert loaded["baseline"] == idle["measure"]
    assert loaded["value"] < 3 * idle["value"]
