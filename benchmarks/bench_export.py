"""Export of 5,000 people and 25,000 ties: the whole workbook, and a plain pandas.to_excel of
the same three canonical sheets for comparison (target: the workbook under 5 s). At 2,000
people and 8,000 ties, the Export page's download: the workbook built from the derived data the
page has (network metrics and plan, cached per version), and that derived data apart."""

from __future__ import annotations

import io
import time

import pandas as pd

from stakemap.files.csvfiles import to_csv_zip
from stakemap.files.exporting import canonical_rows, to_xlsx
from stakemap.network.measures import metrics
from stakemap.planning.planner import plan
from stakemap.samples.synthetic import large


def _best(fn, repeat: int = 2) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _pandas(m) -> None:
    with pd.ExcelWriter(io.BytesIO(), engine="openpyxl") as writer:
        for title, rows in canonical_rows(m).items():
            pd.DataFrame(rows[1:], columns=rows[0]).to_excel(writer, sheet_name=title, index=False)


def run(quick: bool = False) -> list[dict]:
    people, ties = (500, 2_500) if quick else (5000, 25_000)
    repeat = 1 if quick else 2
    m = large(people, ties)
    full = _best(lambda: to_xlsx(m, name="Large", version=1), repeat)
    canonical = _best(lambda: to_xlsx(m, extras=False), repeat)
    baseline = _best(lambda: _pandas(m), repeat)
    csv_zip = _best(lambda: to_csv_zip(m), repeat)
    page_people, page_ties = (200, 800) if quick else (2000, 8000)
    page = large(page_people, page_ties)
    measures, planned = metrics(page), plan(page)
    derived = {
        "metrics": _best(lambda: metrics(page), repeat),
        "plan": _best(lambda: plan(page), repeat),
    }
    built = _best(lambda: to_xlsx(page, name="Large", version=1, measures=measures,
                                  planned=planned), repeat)  # fmt: skip
    row = {"benchmark": "export", "unit": "s"}
    pandas = "pandas.to_excel (openpyxl), same three sheets"
    return [
        {**row, "measure": f"workbook, all sheets, {people:,} people / {ties:,} ties",
         "value": f"{full:.2f}", "baseline": pandas,
         "note": f"target < 5 s; 12 sheets vs pandas' 3 plain: {full / baseline:.1f}x its time"},
        {**row, "measure": "workbook, canonical sheets only", "value": f"{canonical:.2f}",
         "baseline": pandas, "note": f"{baseline / canonical:.1f}x faster than pandas.to_excel"},
        {**row, "measure": pandas, "value": f"{baseline:.2f}",
         "note": "baseline, unstyled, no validation"},
        {**row, "measure": "CSV zip", "value": f"{csv_zip:.2f}", "note": ""},
        {**row, "measure": f"Export page's workbook, {page_people:,} people / {page_ties:,} ties",
         "value": f"{built:.2f}", "note": "metrics and plan passed in, as the page has them"},
        {**row, "measure": f"its derived data, {page_people:,} people: network metrics",
         "value": f"{derived['metrics']:.2f}", "note": "once per version (ui.session.measures)"},
        {**row, "measure": f"its derived data, {page_people:,} people: plan",
         "value": f"{derived['plan']:.2f}", "note": "worked out ahead (ui.session.plan_soon)"},
    ]  # fmt: skip
