"""The demo world, loaded once per test session and put back in a second.

Browser journeys each need the whole demo world, and each ends with the database
flushed (a live server needs a transactional test). Loading the world through its
services takes most of a minute, so it is loaded once, its rows are read from every
table that a flush empties, and later journeys get those rows back with one
``executemany`` a table: the same world, primary keys and all, as ``load_demo`` left it.
Foreign keys are checked at commit (Django creates them deferrable on PostgreSQL;
SQLite is told to defer them), so the tables go back in any order.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import time

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.test import TestCase


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[str]
    rows: list[tuple[object, ...]]


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


# Made again by ``post_migrate`` after each flush, under new numbers: nothing of the
# demo's points to them.
REMADE = frozenset({"django_content_type", "auth_permission"})


def _stored(value: object) -> object:
    """A value as read, in a form the driver binds back (SQLite reads a time it cannot
    write; PostgreSQL a binary column as a memoryview)."""
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, time):
        return value.isoformat()
    return value


def take() -> list[Table]:
    """Every row of every table a flush empties, but those a flush makes again."""
    tables = []
    names = set(connection.introspection.django_table_names(only_existing=True)) - REMADE
    with connection.cursor() as cursor:
        for name in sorted(names):
            cursor.execute(f"SELECT * FROM {_quoted(name)}")  # noqa: S608 - our own table names
            columns = [column[0] for column in cursor.description]
            rows = [tuple(_stored(value) for value in row) for row in cursor.fetchall()]
            tables.append(Table(name, columns, rows))
    return tables


def _conflicts() -> tuple[str, str]:
    # A test that does not flush still has what migrations ship (instruments, the
    # WELLBY): those rows are in the snapshot too, the same, and are left as they are.
    return ("OR IGNORE", "") if connection.vendor == "sqlite" else ("", "ON CONFLICT DO NOTHING")


def put_back(tables: list[Table]) -> None:
    """Write the rows back into the tables (flushed, or holding only shipped data).

    Sequences are moved past the rows put back, never back: ``flush`` run as a command
    (not by a test's teardown) starts them again at 1, but a new row must not take the
    number of one an earlier test made (per-process caches keyed by primary key, such
    as a published version's questions, would be wrong). SQLite moves its own.
    """
    or_ignore, on_conflict = _conflicts()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA defer_foreign_keys = ON")
        else:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in tables:
            if not table.rows:
                continue
            columns = ", ".join(_quoted(column) for column in table.columns)
            marks = ", ".join(["%s"] * len(table.columns))
            insert = f"INSERT {or_ignore} INTO {_quoted(table.name)} ({columns})"
            cursor.executemany(f"{insert} VALUES ({marks}) {on_conflict}", table.rows)
            if connection.vendor == "postgresql":
                _move_sequences_past(cursor, table.name)


def _move_sequences_past(cursor: CursorWrapper, table: str) -> None:
    for sequence in connection.introspection.get_sequences(cursor, table):
        name, column = sequence["name"], _quoted(sequence["column"])
        cursor.execute(
            f"SELECT setval(%s, GREATEST((SELECT MAX({column}) FROM {_quoted(table)}),"  # noqa: S608
            f" (SELECT last_value FROM {_quoted(name)})))",
            [name],
        )


class Snapshot:
    """The rows of a world built once by ``build``, put back on each later use."""

    def __init__(self, build: Callable[[], None]) -> None:
        self.build = build
        self.tables: list[Table] | None = None

    def load(self) -> None:
        if self.tables is None:
            # Inside a test's transaction nothing commits, so what the world's loading
            # leaves for after commit (results computed by tasks) is run here.
            with TestCase.captureOnCommitCallbacks(execute=True):
                self.build()
            self.tables = take()
        else:
            put_back(self.tables)
