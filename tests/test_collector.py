"""Full garbage collections walk only what came after the imports (stakemap.collector)."""

from __future__ import annotations

import gc
import sys
import types
import weakref

from stakemap.collector import freeze_imported


class _Node:
    """An object that can sit in a reference cycle, which only a collection frees."""


def test_a_quiet_moment_freezes_what_lives_only_after_new_imports(monkeypatch):
    """Once frozen, nothing is frozen again until a module is imported; then garbage is
    collected first (a cycle is not kept) and every object alive is moved out of later
    collections."""
    try:
        freeze_imported()
        assert not freeze_imported()  # no module imported since
        kept = [[k] for k in range(5_000)]  # 5,001 tracked lists, alive
        node = _Node()
        node.me = node
        gone = weakref.ref(node)
        del node
        monkeypatch.setitem(sys.modules, "stakemap_test_new_module", types.ModuleType("new"))
        frozen = gc.get_freeze_count()
        assert freeze_imported()
        assert gone() is None
        assert gc.get_freeze_count() >= frozen + len(kept)
        assert not freeze_imported()
    finally:
        gc.unfreeze()
