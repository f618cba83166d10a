"""The package's shape, checked on its source (docs/architecture.md).

Every import in src/stakemap (at the top of a module or inside a function) goes down the
layers or stays inside its own unit; modules import one another without a circle; no module
reaches into another's private names; only the pages import streamlit; modules stay small;
every package says what it holds and holds no code; every ``stakemap.x.y`` the docs and
docstrings name exists; and nothing refers to the briefing folder outside the repository.
"""

from __future__ import annotations

import ast
import importlib
import re
from functools import cache
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = SRC / "stakemap"

#: Lowest first. A unit is a top-level module or package of stakemap; a module may import its
#: own unit and the units of lower layers only.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"language", "vocabulary_zh", "pacing", "collector"}),
    frozenset({"model", "settings", "apart"}),
    frozenset({"values"}),
    frozenset({"schema", "legend"}),
    frozenset({"samples", "lenses", "network"}),
    frozenset({"planning"}),
    frozenset({"files"}),
    frozenset({"store"}),
    frozenset({"room"}),
    frozenset({"ui"}),
    frozenset({"cli"}),
    frozenset({"__main__"}),
)
#: Longest module, in lines; a longer one splits along its ideas.
MAX_LINES = 600
#: Only the pages talk to Streamlit (and the command line, which starts its server);
#: everything below them is tested without it.
STREAMLIT_UNITS = frozenset({"ui", "cli"})


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {
        _module_name(p): p
        for p in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in p.relative_to(PACKAGE).parts
    }


@cache
def _tree(name: str) -> ast.Module:
    return ast.parse(_modules()[name].read_text(encoding="utf-8"))


def _imports(name: str) -> list[tuple[str, tuple[str, ...], int]]:
    """``(module, names, line)`` of every import in a module; ``names`` empty for ``import x``.
    A ``from package import module`` counts as an import of that module."""
    found = []
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.Import):
            found += [(alias.name, (), node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = tuple(alias.name for alias in node.names)
            submodules = [f"{node.module}.{n}" for n in names if f"{node.module}.{n}" in _modules()]
            found.append((node.module, names, node.lineno))
            found += [(module, (), node.lineno) for module in submodules]
    return found


def _unit(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def _layer(unit: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if unit in layer)


def _internal(name: str) -> list[tuple[str, tuple[str, ...], int]]:
    return [(m, n, line) for m, n, line in _imports(name) if m.startswith("stakemap.")]


def test_every_unit_has_a_layer():
    units = {_unit(m) for m in _modules()} - {""}
    assert units <= set().union(*LAYERS), units - set().union(*LAYERS)


def test_imports_go_down_the_layers():
    upward = []
    for name in _modules():
        unit = _unit(name)
        if not unit:
            continue
        for module, _, line in _internal(name):
            other = _unit(module)
            if other != unit and _layer(other) >= _layer(unit):
                upward.append(f"{name}:{line} imports {module}")
    assert not upward, "\n".join(upward)


def test_no_module_imports_itself_round_a_circle():
    graph = nx.DiGraph()
    graph.add_nodes_from(_modules())
    for name in _modules():
        for module, _, _ in _internal(name):
            if module in _modules() and module != name and not name.startswith(module + "."):
                graph.add_edge(name, module)
    circles = [c for c in nx.simple_cycles(graph) if len(c) > 1]
    assert not circles, circles[:5]


def test_no_private_name_crosses_a_module():
    reached = []
    for name in _modules():
        for module, names, line in _internal(name):
            reached += [f"{name}:{line} {module}.{n}" for n in names if n.startswith("_")]
        aliases = {
            a.asname or a.name
            for node in ast.walk(_tree(name))
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("stakemap")
            for a in node.names
            if f"{node.module}.{a.name}" in _modules()
        }
        for node in ast.walk(_tree(name)):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
            ):
                reached.append(f"{name}:{node.lineno} {node.value.id}.{node.attr}")
    assert not reached, "\n".join(reached)


def test_only_the_pages_import_streamlit():
    outside = [
        f"{name}:{line}"
        for name in _modules()
        for module, _, line in _imports(name)
        if module.split(".")[0] == "streamlit" and _unit(name) not in STREAMLIT_UNITS
    ]
    assert not outside, outside


def test_modules_are_small():
    long = {
        name: n
        for name, path in _modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long


def test_packages_say_what_they_hold_and_hold_no_code():
    for name, path in _modules().items():
        if path.name != "__init__.py":
            continue
        tree = _tree(name)
        assert ast.get_docstring(tree), f"{name} has no docstring"
        code = [n for n in tree.body[1:] if name != "stakemap" or not _is_version(n)]
        assert not code, f"{name} holds code: import its modules directly"


def _is_version(node: ast.stmt) -> bool:
    return isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["__version__"]


def test_every_module_has_a_docstring():
    missing = [name for name in _modules() if not ast.get_docstring(_tree(name))]
    assert not missing, missing


#: A dotted name in prose or a docstring (one in quotes is a string, such as a file name).
_REFERENCE = re.compile(r"(?<![\w/.'\"])stakemap(?:\.[A-Za-z_]\w*)+")


def _resolves(reference: str) -> bool:
    parts = reference.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


def _documents() -> list[Path]:
    return [*PACKAGE.rglob("*.py"), *(ROOT / "docs").glob("*.md"), ROOT / "README.md"]


@pytest.mark.parametrize("path", _documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_named_code_exists(path):
    text = path.read_text(encoding="utf-8")
    dangling = sorted({r for r in _REFERENCE.findall(text) if not _resolves(r)})
    assert not dangling, dangling


def test_nothing_refers_outside_the_repository():
    paths = [*_documents(), *(ROOT / "tests").rglob("*.py"), ROOT / "Makefile"]
    outside = [
        str(p.relative_to(ROOT))
        for p in paths
        if p != Path(__file__) and "../shared" in p.read_text(encoding="utf-8")
    ]
    assert not outside, outside


def test_layers_catch_an_upward_import(tmp_path, monkeypatch):
    """The checks above can fail: a model that imported the pages would be caught."""
    fake = tmp_path / "stakemap"
    fake.mkdir()
    (fake / "__init__.py").write_text('"""Fake."""\n')
    (fake / "model.py").write_text('"""Fake."""\nfrom stakemap.ui.text import inert\n')
    (fake / "ui").mkdir()
    (fake / "ui" / "__init__.py").write_text('"""Fake."""\n')
    (fake / "ui" / "text.py").write_text('"""Fake."""\nfrom stakemap import model\n')
    monkeypatch.setitem(globals(), "SRC", tmp_path)
    monkeypatch.setitem(globals(), "PACKAGE", fake)
    _modules.cache_clear()
    _tree.cache_clear()
    try:
        with pytest.raises(AssertionError, match=r"stakemap\.model:2 imports stakemap\.ui\.text"):
            test_imports_go_down_the_layers()
        with pytest.raises(AssertionError):
            test_no_module_imports_itself_round_a_circle()
    finally:
        _modules.cache_clear()
        _tree.cache_clear()
