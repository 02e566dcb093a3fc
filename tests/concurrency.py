"""Races on the database: many threads let go at once, each on its own connection.

The races are PostgreSQL's to decide (SQLite serialises every writer on the whole file).
"""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the race is PostgreSQL's to decide"
)


def at_once(count: int, act: Callable[[int], object]) -> list[object]:
    """``act(n)`` for n in range(count), in as many threads, all let go together; each
    thread's own database connection is closed after."""
    start = threading.Barrier(count)

    def run(n: int) -> object:
        try:
            start.wait(timeout=30)
            return act(n)
        finally:
            connection.close()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))
