"""The latest version of a map as the room follows it: loaded from the store once per version.

A saved version never changes, so every phone in the room can share one copy of it; what is
read each time is only the latest version's number
(:meth:`stakemap.store.maps.Store.latest_number`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from stakemap.store.maps import Store, Version

__all__ = ["LatestVersions"]


class LatestVersions:
    """``latest(map_id)``: the map's newest version, decoded once per (map, version) and kept
    for the ``keep`` most recently used.

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> store = Store("sqlite://")
    >>> map_id = store.create("Demo", StakeholderMap((Stakeholder("Ana"),)))
    >>> versions = LatestVersions(store)
    >>> first = versions.latest(map_id)
    >>> versions.latest(map_id) is first, first.number
    (True, 1)
    >>> _ = store.save(map_id, StakeholderMap((Stakeholder("Ben"),)), 1, "Renamed")
    >>> versions.latest(map_id).data.names
    ['Ben']
    """

    def __init__(self, store: Store, keep: int = 8) -> None:
        self.store = store
        self.keep = keep
        self._kept: OrderedDict[tuple[int, int], Version] = OrderedDict()
        self._lock = threading.Lock()

    def latest(self, map_id: int) -> Version:
        """The newest version of ``map_id`` (KeyError if the map has none)."""
        key = (map_id, self.store.latest_number(map_id))
        if not key[1]:
            raise KeyError(map_id)
        with self._lock:  # a room's phones ask at once after a change: one of them loads it
            found = self._kept.get(key)
            if found is None:
                found = self._kept[key] = self.store.load(*key)
                while len(self._kept) > self.keep:
                    self._kept.popitem(last=False)
            self._kept.move_to_end(key)
            return found
