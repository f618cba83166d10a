"""Run every benchmarks/bench_*.py; write benchmarks/RESULTS.md, or print JSON.

Each bench module exposes ``run(quick: bool = False) -> list[dict]``; a row has the keys
``benchmark``, ``measure``, ``value``, ``unit`` and ``note``, and a timed row (unit ``s``) may
name in ``baseline`` the measure of another row of the same module that it is compared with.
Targets are checked as ratios against a baseline measured in the same run, since these machines
are noisy.

A module runs only where the installed environment allows it: it may declare
``NEEDS = ("playwright", ...)`` (importable module names, from ``requirements-test.txt``,
installed by ``make bench``) and a ``missing() -> str | None`` that names anything else it needs
and lacks (the Chromium binary, a server). A module that needs what is not there, or does not
import, is skipped with its reason, never crashes the run; RESULTS.md keeps its previous rows
and says it was skipped.

Usage: python benchmarks/run.py [--json] [--quick] [NAME ...]
  NAME     a bench module without the bench_ prefix (default: all)
  --quick  smaller maps and fewer repeats (the whole run in under a minute); never written to
           RESULTS.md, whose figures are the full run's
  --json   print {"quick", "results": [{"name", "seconds", "baseline", "baseline_seconds",
           "ratio"}], "skipped": [{"name", "why"}]} (timed rows only; progress goes to stderr)
           instead of writing RESULTS.md
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def _load(path: Path):
    """Import a bench module by its name, findable again by a child process (spawn)."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def skip_reason(path: Path) -> tuple[object | None, str | None]:
    """The bench module at ``path`` and None, or None and why it cannot run here.

    A module names the modules it needs in ``NEEDS`` and anything else in ``missing()``; a module
    that fails to import for want of a package is skipped too.
    """
    try:
        module = _load(path)
    except ModuleNotFoundError as exc:
        return None, f"{exc.name} not installed (make bench installs it)"
    for name in getattr(module, "NEEDS", ()):
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            return None, f"{name} not installed (make bench installs it)"
    missing = getattr(module, "missing", None)
    why = missing() if missing else None
    return (None, why) if why else (module, None)


def _rows(module, quick: bool) -> list[dict]:
    accepts_quick = "quick" in inspect.signature(module.run).parameters
    return module.run(quick=quick) if accepts_quick else module.run()


def timed_results(rows: list[dict]) -> list[dict]:
    """The timed rows as ``{"name", "seconds", "baseline", "baseline_seconds", "ratio"}``;
    ``ratio`` is seconds over the baseline's seconds (None without a baseline).

    >>> rows = [dict(benchmark="b", measure="fast", value=0.5, unit="s", baseline="slow"),
    ...         dict(benchmark="b", measure="slow", value=2, unit="s"),
    ...         dict(benchmark="b", measure="gap", value=3.0, unit="%")]
    >>> [(r["name"], r["ratio"]) for r in timed_results(rows)]
    [('b: fast', 0.25), ('b: slow', None)]
    """
    seconds = {(r["benchmark"], r["measure"]): float(r["value"]) for r in rows if r["unit"] == "s"}
    results = []
    for r in rows:
        if r["unit"] != "s":
            continue
        own = seconds[r["benchmark"], r["measure"]]
        base = r.get("baseline")
        base_s = seconds.get((r["benchmark"], base)) if base else None
        results.append(
            {
                "name": f"{r['benchmark']}: {r['measure']}",
                "seconds": own,
                "baseline": f"{r['benchmark']}: {base}" if base_s is not None else None,
                "baseline_seconds": base_s,
                "ratio": round(own / base_s, 4) if base_s else None,
            }
        )
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    log = sys.stderr if args.json else sys.stdout
    rows: list[dict] = []
    skipped: list[dict] = []
    for path in sorted(HERE.glob("bench_*.py")):
        if args.names and path.stem.removeprefix("bench_") not in args.names:
            continue
        module, why = skip_reason(path)
        if module is None:
            print(f"skipped {path.stem}: {why}", file=log, flush=True)
            skipped.append({"name": path.stem, "why": why})
            continue
        print(f"== {path.stem}", file=log, flush=True)
        for row in _rows(module, args.quick):
            rows.append(row)
            note = row.get("note", "")
            print(f"  {row['measure']}: {row['value']} {row['unit']}  {note}", file=log, flush=True)
    if args.json:
        report = {"quick": args.quick, "results": timed_results(rows), "skipped": skipped}
        print(json.dumps(report, indent=2))
    elif not args.quick:
        _write_results(rows, skipped)
    return 0


def _write_results(rows: list[dict], skipped: list[dict] = ()) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M')} on {platform.machine()}, "
        f"Python {platform.python_version()}, `python benchmarks/run.py`.",
        "",
        *[
            f"Skipped this run: {s['name']} ({s['why']}); its rows below are from an earlier run."
            for s in skipped
        ],
        *([""] if skipped else []),
        "| benchmark | measure | value | unit | note |",
        "|---|---|---|---|---|",
    ]
    ran = {r["benchmark"] for r in rows}
    lines += [row for row in _previous_rows() if row.split("|")[1].strip() not in ran]
    lines += [
        f"| {r['benchmark']} | {r['measure']} | {r['value']} | {r['unit']} | {r.get('note', '')} |"
        for r in rows
    ]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _previous_rows() -> list[str]:
    """Rows of RESULTS.md from benchmarks not run this time (a partial run keeps them)."""
    path = HERE / "RESULTS.md"
    if not path.exists():
        return []
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    return rows[1:]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
