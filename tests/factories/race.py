"""Run callables at the same moment in threads, each on its own database connection."""

from __future__ import annotations

import threading

from django.db import connections


def race(*calls) -> list[tuple[str, object]]:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def runner(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = ("ok", fn())
        except Exception as exc:  # noqa: BLE001 - recorded for the assertions
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results
