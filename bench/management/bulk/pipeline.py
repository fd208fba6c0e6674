"""Overlap generating a batch with writing the previous one.

On PostgreSQL each writer thread holds its own connection and commits each batch in its
own transaction while the main thread builds the next batch, so Python and the database
server work at the same time (and, with several writers, on several server cores). Disabled (jobs run inline) when the caller is inside a
transaction, e.g. under a test, where a second connection would not see its rows.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from django.db import connection

Job = Callable[[], None]


class Pipeline:
    def __init__(self, *, threaded: bool, workers: int = 1) -> None:
        self.threaded = threaded
        self.error: BaseException | None = None
        self.threads: list[threading.Thread] = []
        if threaded:
            self.jobs: queue.Queue[Job | None] = queue.Queue(maxsize=workers + 1)
            for i in range(workers):
                thread = threading.Thread(target=self._work, name=f"seed-bulk-writer-{i}",
                                          daemon=True)
                thread.start()
                self.threads.append(thread)

    def _work(self) -> None:
        try:
            while (job := self.jobs.get()) is not None:
                if self.error is None:
                    try:
                        job()
                    except BaseException as exc:  # noqa: BLE001  (re-raised in the main thread)
                        self.error = exc
        finally:
            connection.close()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def submit(self, job: Job) -> None:
        self._raise()
        if self.threaded:
            self.jobs.put(job)
        else:
            job()

    def close(self) -> None:
        """Wait for every submitted job; re-raise the first failure."""
        for _ in self.threads:
            self.jobs.put(None)
        for thread in self.threads:
            thread.join()
        self._raise()
