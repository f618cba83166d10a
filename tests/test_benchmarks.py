"""benchmarks/run.py: the --json shape other tools read, and --quick."""

from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

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


def test_a_bench_whose_needs_are_missing_is_skipped_with_its_reason(tmp_path, monkeypatch):
    """A `make run` environment has no playwright: its benches are skipped and said so, and
    --json lists them under "skipped" (issue 31); the run goes on with the others."""
    monkeypatch.setattr(sys, "path", [str(ROOT / "benchmarks"), *sys.path])  # restored after
    import run as bench_run

    (tmp_path / "bench_needy.py").write_text(
        'NEEDS = ("no_such_module_for_stakemap",)\n'
        "def run(quick=False):\n"
        "    raise AssertionError('a skipped bench never runs')\n",
        encoding="utf-8",
    )
    (tmp_path / "bench_nobrowser.py").write_text(
        "def missing():\n"
        "    return 'Chromium not found at /nowhere'\n"
        "def run(quick=False):\n"
        "    raise AssertionError('a skipped bench never runs')\n",
        encoding="utf-8",
    )
    (tmp_path / "bench_brokenimport.py").write_text(
        "import no_such_module_either\n", encoding="utf-8"
    )
    (tmp_path / "bench_fine.py").write_text(
        "NEEDS = ('json',)\n"
        "def run(quick=False):\n"
        "    return [dict(benchmark='fine', measure='m', value=0.5, unit='s', note='')]\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(bench_run, "HERE", tmp_path)
    module, why = bench_run.skip_reason(tmp_path / "bench_needy.py")
    assert module is None
    assert why == "no_such_module_for_stakemap not installed (make bench installs it)"

    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert bench_run.main(["--json", "--quick"]) == 0
    report = json.loads(out.getvalue())
    assert report["skipped"] == [
        {
            "name": "bench_brokenimport",
            "why": "no_such_module_either not installed (make bench installs it)",
        },
        {
            "name": "bench_needy",
            "why": "no_such_module_for_stakemap not installed (make bench installs it)",
        },
        {"name": "bench_nobrowser", "why": "Chromium not found at /nowhere"},
    ]
    assert [r["name"] for r in report["results"]] == ["fine: m"]

    (tmp_path / "RESULTS.md").write_text(
        "| benchmark | measure | value | unit | note |\n|---|---|---|---|---|\n"
        "| needy | kept from before | 1.0 | s |  |\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert bench_run.main(["needy", "fine"]) == 0
    written = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "Skipped this run: bench_needy (no_such_module_for_stakemap not installed" in written
    assert "| needy | kept from before | 1.0 | s |  |" in written
    assert "| fine | m | 0.5 | s |  |" in written


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
    assert rows["full-script runs caused by polls"]["value"] == 0
    assert rows["fragment runs caused by polls"]["value"] > 0
    assert "0 connections lost" in rows["full-script runs caused by polls"]["note"]
    idle = rows["Workshop page rerun, idle"]
    loaded = rows["Workshop page rerun, 50 phones following"]
    assert loaded["baseline"] == idle["measure"]
    assert loaded["value"] < 3 * idle["value"]


def test_the_browser_bench_is_skipped_without_playwright(monkeypatch):
    """The browser bench imports playwright only when it runs, and declares it: without it,
    run.py skips the bench with the reason instead of a ModuleNotFoundError."""
    monkeypatch.setattr(sys, "path", [str(ROOT / "benchmarks"), *sys.path])  # restored after
    import importlib.util

    import run as bench_run

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "playwright" else real(name, *a),
    )
    module, why = bench_run.skip_reason(ROOT / "benchmarks" / "bench_browser.py")
    assert module is None
    assert why == "playwright not installed (make bench installs it)"
