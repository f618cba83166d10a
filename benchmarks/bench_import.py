"""Import speed: python-calamine against openpyxl, and the CLI against plain pandas.

Two generated workbooks in the canonical form: 10,000 stakeholder rows (import_workbook with
each engine) and 5,000 people with 10,000 ties and a proposal (`python -m stakemap validate` as
a subprocess, start-up included, against `pandas.read_excel(path, engine="openpyxl",
sheet_name=None)` in this process: the same three sheets, Stakeholders, Relationships and
Proposal, that validate reads, as data frames, without start-up or checks). Target (issue 31):
validate at least 3x faster than that baseline. Best of 3 for the engines; the median of 5
runs taken in turns for validate and its baseline.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from stakemap.files.importing import import_workbook
from stakemap.schema import PROPOSAL_COLUMNS, RELATIONSHIP_COLUMNS, STAKEHOLDER_COLUMNS

_ROLES = ("Director", "Manager", "Analyst", "Engineer", "Trainer", "Counsel", "Controller")
_GROUPS = ("Finance", "Operations", "Legal", "Clinical", "Sales", "IT", "Works council")
_STANCES = ("Blocker", "Critic", "Neutral", "Supporter", "Champion", "Unaware")
_GOALS = ("cost", "quality", "growth", "compliance", "safety", "workload", "career")
_ROLES_IN_DECISION = ("", "", "", "influencer", "decider", "veto", "third party")
_KINDS = ("influences", "defers to", "reports to", "ally", "rival")


def _people(n: int, rng: random.Random) -> list[list[object]]:
    rows = [[c.name for c in STAKEHOLDER_COLUMNS] + ["Location"]]
    for i in range(n):
        rows.append(
            [
                f"Person {i:05d} {rng.choice('ABCDEFGH')}",
                rng.choice(_ROLES),
                rng.choice(_GROUPS),
                rng.randint(1, 5),
                rng.randint(1, 5),
                rng.choice(_STANCES),
                rng.choice(_STANCES[:5]),
                rng.randint(1, 5),
                rng.randint(1, 5),
                rng.randint(1, 5),
                ", ".join(rng.sample(_GOALS, rng.randint(1, 3))),
                rng.choice(_ROLES_IN_DECISION),
                "Met at the steering group; wants a clear cost model." if i % 3 else "",
                rng.choice(("", "", "1", "2")),  # Votes
                rng.choice(("Lyon", "Leeds", "Lagos", "Łódź")),
            ]
        )
    return rows


def _workbook(path: Path, people: int, ties: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    book = Workbook(write_only=True)
    rows = _people(people, rng)
    sheet = book.create_sheet("Stakeholders")
    for row in rows:
        sheet.append(row)
    names = [r[0] for r in rows[1:]]
    sheet = book.create_sheet("Relationships")
    sheet.append([c.name for c in RELATIONSHIP_COLUMNS])
    for _ in range(ties):
        a, b = rng.sample(names, 2)
        sheet.append([a, b, rng.randint(-3, 5), rng.choice(_KINDS), ""])
    sheet = book.create_sheet("Proposal")
    sheet.append([c.name for c in PROPOSAL_COLUMNS])
    for row in (["Title", "Reorganisation", None], ["Champion", names[0], None]):
        sheet.append(row)
    sheet.append(["Pass share", "50%", None])
    sheet.append(["Part", "Cost model", "cost"])
    book.save(path)


def _best_of(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def _medians_side_by_side(
    first: Callable[[], object], second: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Median seconds of each action, run in turns: a load that comes and goes on a shared
    machine falls on both alike, so their ratio holds where separate best-of runs drift."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for action, kept in zip((first, second), times, strict=True):
            start = time.perf_counter()
            action()
            kept.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def stakemap_cli(command: str, path: Path) -> None:
    """Run ``python -m stakemap <command> <path>`` as a user would (start-up included)."""
    done = subprocess.run(
        [sys.executable, "-m", "stakemap", command, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{command} failed: {done.stdout}{done.stderr}")


def _every_sheet(path: Path) -> dict:
    """pandas reading every sheet of ``path`` with openpyxl: the validate row's baseline."""
    import pandas as pd

    return pd.read_excel(path, engine="openpyxl", sheet_name=None)


def run(quick: bool = False) -> list[dict]:
    rows_n, people_n, ties_n = (2_000, 1_000, 2_000) if quick else (10_000, 5_000, 10_000)
    repeat = 1 if quick else 3
    with tempfile.TemporaryDirectory() as folder:
        rows_file = Path(folder) / f"rows_{rows_n}.xlsx"
        people_file = Path(folder) / f"people_{people_n}.xlsx"
        _workbook(rows_file, rows_n, 0)
        _workbook(people_file, people_n, ties_n)
        data = rows_file.read_bytes()
        for engine in ("calamine", "openpyxl"):  # warm both, and check the file imports
            result = import_workbook(data, rows_file.name, engine=engine)
            assert result.ok and len(result.map.stakeholders) == rows_n, result.problems[:3]
        calamine = _best_of(lambda: import_workbook(data, rows_file.name), repeat)
        openpyxl = _best_of(
            lambda: import_workbook(data, rows_file.name, engine="openpyxl"), repeat
        )
        assert list(_every_sheet(people_file)) == ["Stakeholders", "Relationships", "Proposal"]
        cli, pandas = _medians_side_by_side(
            lambda: stakemap_cli("validate", people_file),
            lambda: _every_sheet(people_file),
            1 if quick else 5,
        )
    row = {"benchmark": "import", "unit": "s"}
    by_openpyxl = f"import_workbook, {rows_n:,} rows, openpyxl"
    by_pandas = (
        "pandas.read_excel(engine=openpyxl, sheet_name=None), same file, its 3 sheets, in-process"
    )
    return [
        row
        | {
            "measure": f"import_workbook, {rows_n:,} rows, calamine",
            "value": round(calamine, 3),
            "note": f"{openpyxl / calamine:.1f}x faster than openpyxl",
            "baseline": by_openpyxl,
        },
        row | {"measure": by_openpyxl, "value": round(openpyxl, 3), "note": "baseline"},
        row
        | {
            "measure": f"validate CLI, {people_n:,} people + {ties_n:,} ties "
            "(subprocess, with start-up)",
            "value": round(cli, 3),
            "note": f"{pandas / cli:.1f}x faster than pandas.read_excel(openpyxl) of the "
            "sheets it reads (Stakeholders, Relationships, Proposal); target >= 3x",
            "baseline": by_pandas,
        },
        row | {"measure": by_pandas, "value": round(pandas, 3), "note": "baseline"},
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
