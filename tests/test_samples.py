"""The files in sample_data/ import cleanly and equal the builders in stakemap.samples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from stakemap.cli import main
from stakemap.files.importing import import_workbook
from stakemap.model import StakeholderMap
from stakemap.samples.cases import SAMPLES, new_programme, pipeline, template
from stakemap.samples.synthetic import organisation

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
BUILDERS: dict[str, Callable[[], StakeholderMap]] = {
    "new_programme.xlsx": new_programme,
    "pipeline.xlsx": pipeline,
    "organisation_60.xlsx": organisation,
    "template.xlsx": template,
}


def test_every_sample_file_has_a_builder() -> None:
    assert sorted(p.name for p in SAMPLE_DATA.glob("*.xlsx")) == sorted(BUILDERS)


@pytest.mark.parametrize("filename", sorted(BUILDERS))
def test_sample_file_validates_and_equals_its_builder(filename: str, capsys) -> None:
    path = SAMPLE_DATA / filename
    built = BUILDERS[filename]()
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        f"{len(built.stakeholders)} stakeholders, {len(built.relationships)} relationships"
    )
    result = import_workbook(path.read_bytes(), filename)
    assert result.problems == []
    assert result.map == built


@pytest.mark.parametrize("build", [*SAMPLES.values(), template])
def test_builders_make_consistent_maps(build: Callable[[], StakeholderMap]) -> None:
    m = build()
    names = set(m.names)
    assert len(names) == len(m.stakeholders)
    assert all(r.source in names and r.target in names for r in m.relationships)
    assert all(r.source != r.target for r in m.relationships)
    assert m.proposal.champion in names
    assert all(1 <= s.power <= 5 and 1 <= s.interest <= 5 for s in m.stakeholders)
    assert all(-2 <= s.stance <= 2 for s in m.stakeholders)


def test_organisation_is_deterministic_and_scales() -> None:
    assert organisation() == organisation()
    big = organisation(300)
    assert len(set(big.names)) == 300
