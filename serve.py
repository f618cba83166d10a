"""The server: Stakemap's app (app.py) behind its gate (src/stakemap/ui/guard.py).

`make run` and `make room` start this file: `streamlit run serve.py` finds the ``app`` below and
serves app.py through it, so every request passes the gate first.
"""

import contextlib
from collections.abc import AsyncIterator

import streamlit as st
from streamlit import net_util

from stakemap.apart import work_apart
from stakemap.collector import freeze_imported
from stakemap.store.placing import ACTIVITY
from stakemap.ui.guard import middleware, routes

# Streamlit looks up the machine's outside address on the internet (checkip.amazonaws.com) for
# its start-up banner and for WebSocket origins it does not know. Stakemap works offline and
# the gate refuses unknown origins: the answer is "none", and nothing is asked.
net_util._external_ip = ""

# C code that holds Python's lock (a large map's layout) runs in a worker process, so no click
# waits for it (src/stakemap/apart.py)
work_apart()

# Full garbage collections walk only what came after the pages' imports, not 230,000 objects of
# the libraries each time (src/stakemap/collector.py)
ACTIVITY.at_quiet(freeze_imported)


@contextlib.asynccontextmanager
async def _lifespan(_app: st.App) -> AsyncIterator[None]:
    """At the server's stop the layout worker ends with it, its queues closed: stopped by a
    signal, Python's resource tracker reported 5 "leaked semaphore objects" of its pool."""
    yield
    work_apart(False)


app = st.App("app.py", middleware=middleware(), routes=routes(), lifespan=_lifespan)
