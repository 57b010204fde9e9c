"""SQLite's write-ahead log, copied into the database file by a thread of its own."""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger(__name__)

EVERY_SECONDS = 0.25


class Checkpointer:
    """A PASSIVE checkpoint every `every` seconds, on a connection of its own.

    Left to itself, SQLite checkpoints in the commit that takes the log past
    wal_autocheckpoint pages: one write in a few hundred paid tens of milliseconds for it,
    holding the write lock. Here the copying runs beside the
    requests, with the GIL released. A PASSIVE checkpoint never waits for readers or
    writers: what it cannot copy now, it copies next time. wal_autocheckpoint stays set,
    should this thread fall behind.
    """

    def __init__(self, path: str, *, every: float = EVERY_SECONDS) -> None:
        self._path = path
        self._every = every
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="keepwarm-checkpoint", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _run(self) -> None:
        connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        try:
            while not self._stopped.wait(self._every):
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    log.exception("checkpoint of %s failed; retrying", self._path)
        finally:
            connection.close()
