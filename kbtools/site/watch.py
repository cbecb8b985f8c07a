"""``mkdocs serve`` told of a save by the operating system instead of by polling.

mkdocs watches the docs folder with watchdog's *polling* observer: it lists the folder every
half second, so a save waits 0.25 s on average (up to 0.5 s) before the rebuild starts — half
of the one-second edit loop. On Linux (inotify), macOS (FSEvents) and Windows,
watchdog's native observer hears of the write at once and costs nothing while idle.
:func:`native_observer` moves mkdocs' watches (the same paths, the same handlers) onto one;
elsewhere, or if watchdog has none, mkdocs keeps polling.
"""

from __future__ import annotations

import logging

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
)
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

# What a save, a new file, a deletion or a rename make. Not the files being opened or closed
# after a read: the build reads every note, and would start itself again.
CHANGES = [FileCreatedEvent, FileModifiedEvent, FileMovedEvent, FileDeletedEvent, FileClosedEvent, DirCreatedEvent, DirDeletedEvent, DirMovedEvent]

log = logging.getLogger("mkdocs.plugins.kb")


def native_observer(server) -> bool:
    """Give mkdocs' ``LiveReloadServer`` a native observer before it starts; True when done.

    Uses what ``LiveReloadServer.watch`` leaves (``observer``, ``_watch_refs``): mkdocs 1.6.
    Watches added afterwards (``watch:`` in mkdocs.yml) go to the new observer through
    ``server.watch`` itself, and hear every event (opened files too), as the polling one would."""
    old = getattr(server, "observer", None)
    refs = getattr(server, "_watch_refs", None)
    if not isinstance(old, PollingObserver) or Observer is PollingObserver or refs is None or old.is_alive():
        return False
    new = Observer()
    for path, watch in list(refs.items()):
        for handler in old._handlers.get(watch, ()):
            refs[path] = new.schedule(handler, watch.path, recursive=watch.is_recursive, event_filter=CHANGES)
    server.observer = new
    log.debug(f"kb: watching with {type(new).__name__} instead of polling")
    return True
