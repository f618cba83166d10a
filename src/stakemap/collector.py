"""Python's full garbage collections kept short in the server: what the imports brought is
frozen out of them.

CPython's collector walks every object it tracks in a full collection, and starts one whenever
the objects that survived since the last have grown by a quarter. After the pages' first runs a
server tracks about 230,000 objects, nearly all of them the functions, tuples and dicts of the
modules it imported (Streamlit, pandas, Altair, SciPy, Stakemap): a walk took 0.13-0.27 s, and
decoding a new 2,000-person map grows the survivors enough to start one, on the path of the
page that picked the map or of the page after it.

:func:`freeze_imported`, called at a quiet moment after a page run (``stakemap.store.placing``'s
``Activity.at_quiet``), collects once and then moves every object alive out of all later
collections (``gc.freeze``, CPython's permanent generation): the full collections after it walk
only what came since, the maps and what is derived from them. A frozen object is never
collected, so cyclic garbage among what was alive then would be kept: it freezes only when
modules were imported since it last did, a few times in a server's life (each page's first
run), and modules stay for good anyway. See docs/speed.md.

>>> import gc, types
>>> _ = freeze_imported()  # whatever was imported before
>>> sys.modules["collector_doctest"] = types.ModuleType("collector_doctest")  # an import
>>> freeze_imported(), freeze_imported()
(True, False)
>>> del sys.modules["collector_doctest"]; gc.unfreeze()
"""

from __future__ import annotations

import gc
import sys
import threading

__all__ = ["freeze_imported"]

_lock = threading.Lock()
_frozen_with: frozenset[str] = frozenset()  # the modules imported at the last freeze


def freeze_imported() -> bool:
    """If a module was imported since the last freeze, collect and freeze every object alive
    (see the module docstring); whether it did."""
    global _frozen_with
    with _lock:
        if sys.modules.keys() <= _frozen_with:
            return False
        gc.collect()
        gc.freeze()
        _frozen_with = frozenset(sys.modules)
        return True
