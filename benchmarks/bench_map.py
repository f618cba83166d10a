"""Map page speed: a rerun of the page (AppTest) and the pure work behind it, at 20 and 2,000.

Maps are the generated organisation sample (``synthetic.organisation(n)``). "Compute + spec" is
:func:`stakemap.lenses.sizing.view_for` (classification and collision-free placement) plus the
Vega-Lite spec of :func:`stakemap.lenses.chart.lens_chart` serialised as Streamlit sends it
(the spec as JSON, its datasets as Arrow), per lens; the page rerun is
``AppTest.run()`` of app.py on the Map page (the Power/interest grid), sidebar included, after a
first run. Median of 5 for each.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from stakemap.lenses.catalogue import LENS_NAMES
from stakemap.lenses.chart import lens_chart
from stakemap.lenses.people import anonymise
from stakemap.lenses.sizing import ChartStyle, view_for
from stakemap.samples.synthetic import organisation

ROOT = Path(__file__).resolve().parents[1]
SIZES = (20, 2000)
QUICK_SIZES = (20, 200)


def _median(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _spec_seconds(n: int, repeat: int) -> dict[str, float]:
    m = organisation(n)
    labels = anonymise(m.names)
    style = ChartStyle.for_mode(False)

    from streamlit.dataframe_util import convert_anything_to_arrow_bytes

    def build(lens: str) -> tuple[str, list[bytes]]:
        view, used = view_for(m, lens, None, style, labels)
        spec, _rows = lens_chart(view, m, labels, "power", None, used)
        frames = spec.pop("datasets")
        return json.dumps(spec), [convert_anything_to_arrow_bytes(f) for f in frames.values()]

    return {lens: _median(lambda lens=lens: build(lens), repeat) for lens in LENS_NAMES}


def _rerun_seconds(n: int, repeat: int) -> float:
    from streamlit.testing.v1 import AppTest

    from stakemap.store.maps import Store

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        previous = os.environ.get("STAKEMAP_DATABASE_URL")
        os.environ["STAKEMAP_DATABASE_URL"] = url
        try:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
            at.run()
            at.session_state["map_id"] = Store(url).create(f"Bench {n}", organisation(n))
            at.run()
            assert not at.exception, at.exception
            return _median(at.run, repeat)
        finally:
            if previous is None:
                os.environ.pop("STAKEMAP_DATABASE_URL", None)
            else:
                os.environ["STAKEMAP_DATABASE_URL"] = previous


def run(quick: bool = False) -> list[dict]:
    """Each measure at each size; the larger sizes name the smallest as their baseline."""
    rows = []
    repeat = 1 if quick else 5
    sizes = QUICK_SIZES if quick else SIZES
    for n in sizes:
        specs = _spec_seconds(n, repeat)
        slowest = max(specs, key=specs.get)
        measured = [
            ("compute + chart spec, Power/interest grid", specs[LENS_NAMES[0]],
             f"classify, place, spec, serialised as Streamlit does; median of {repeat}"),
            ("compute + chart spec, slowest lens", specs[slowest], slowest),
            ("Map page rerun", _rerun_seconds(n, repeat),
             f"AppTest run of app.py on the Map page, sidebar included; median of {repeat}"),
        ]  # fmt: skip
        for measure, seconds, note in measured:
            row = dict(
                benchmark="map",
                measure=f"{measure}, {n:,} people",
                value=round(seconds, 4),
                unit="s",
                note=note,
            )
            if n != sizes[0]:
                row["baseline"] = f"{measure}, {sizes[0]:,} people"
            rows.append(row)
    return rows
