"""Run every benchmarks/bench_*.py and write benchmarks/RESULTS.md.

Each bench module exposes ``run() -> list[dict]`` with keys ``benchmark``, ``measure``,
``value``, ``unit`` and ``note``. Targets are checked as ratios against a baseline measured in
the same run, since these machines are noisy.

Usage: python benchmarks/run.py [NAME ...]   (NAME: a bench module without the bench_ prefix)
"""

from __future__ import annotations

import importlib.util
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    wanted = set(argv)
    rows: list[dict] = []
    for path in sorted(HERE.glob("bench_*.py")):
        if wanted and path.stem.removeprefix("bench_") not in wanted:
            continue
        print(f"== {path.stem}", flush=True)
        for row in _load(path).run():
            rows.append(row)
            print(
                f"  {row['measure']}: {row['value']} {row['unit']}  {row.get('note', '')}",
                flush=True,
            )
    lines = [
        "# Benchmark results",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M')} on {platform.machine()}, "
        f"Python {platform.python_version()}, `python benchmarks/run.py`.",
        "",
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
    return 0


def _previous_rows() -> list[str]:
    """Rows of RESULTS.md from benchmarks not run this time (a partial run keeps them)."""
    path = HERE / "RESULTS.md"
    if not path.exists():
        return []
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    return rows[1:]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
