"""Backups (issue #8, point 8): the demo world backed up while the database is open,
restored into an empty database, has every record — the row count of every table, and
the first and last rows of each, the same. SQLite in the normal suite; PostgreSQL (with
pg_dump and pg_restore) when the tests run on it."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

from coproduce.core.backup import BackupError, backup_database, restore_database

pytestmark = pytest.mark.django_db(transaction=True)
SAMPLE = 3


def table_names() -> list[str]:
    return sorted(connection.introspection.table_names(include_views=False))


def rows(database: BaseDatabaseWrapper, table: str) -> tuple[int, list[tuple[object, ...]]]:
    """The number of rows of a table, and its first and last few by its primary key
    (a history table's first column is the id of the record, not its own key)."""
    quoted = database.ops.quote_name(table)
    with database.cursor() as cursor:
        key = database.ops.quote_name(
            database.introspection.get_primary_key_column(cursor, table) or "id"
        )
        cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 - a table name of ours
        (count,) = cursor.fetchone()
        sample: list[tuple[object, ...]] = []
        for order in ("ASC", "DESC"):
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {key} {order} LIMIT {SAMPLE}")  # noqa: S608
            sample += [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                       for row in cursor.fetchall()]  # fmt: skip
    return count, sample


def other_database(name: str) -> Iterator[BaseDatabaseWrapper]:
    """A connection to the database ``name`` of the same server or directory, made
    outside Django's list of connections (which a test may only use as it declares)."""
    settings = {**connection.settings_dict, "NAME": name}
    database = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, alias="restored")
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[BaseDatabaseWrapper]:
    if connection.vendor == "sqlite":
        yield from other_database(str(tmp_path / "restored.sqlite3"))
        return
    if connection.vendor != "postgresql":
        pytest.skip(f"no backup method for {connection.vendor}")
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    yield from other_database(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")


def test_a_backup_of_the_demo_world_restored_into_an_empty_database_has_every_record(
    demo_world: None, empty_database: BaseDatabaseWrapper, tmp_path: Path
) -> None:
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    backup = backup_database(tmp_path / "coproduce.backup")
    restore_database(backup, database=empty_database)
    tables = table_names()
    assert "deliberation_comment" in tables
    assert sorted(empty_database.introspection.table_names()) == tables
    total = 0
    for table in tables:
        original = rows(connection, table)
        assert rows(empty_database, table) == original, table
        total += original[0]
    assert total > 1000  # the demo world: a substantial one


def test_a_backup_never_overwrites_a_file(db: None, tmp_path: Path) -> None:
    target = tmp_path / "kept.backup"
    target.write_text("an earlier backup")
    with pytest.raises(BackupError, match="exists already"):
        backup_database(target)
    assert target.read_text() == "an earlier backup"


def test_restoring_what_is_not_a_backup_is_refused_and_changes_nothing(
    db: None, tmp_path: Path
) -> None:
    before = rows(connection, "django_migrations")
    with pytest.raises(CommandError, match="There is no backup"):
        call_command("restore_database", str(tmp_path / "missing.backup"))
    if connection.vendor == "sqlite":
        junk = tmp_path / "junk.backup"
        junk.write_bytes(b"not a database at all" * 100)
        with pytest.raises(CommandError, match="not an SQLite backup"):
            call_command("restore_database", str(junk))
    assert rows(connection, "django_migrations") == before


def test_the_command_writes_a_dated_backup_under_var(
    db: None, tmp_path: Path, settings: pytest.FixtureRequest
) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    call_command("backup_database", verbosity=0)
    [written] = (tmp_path / "backups").iterdir()
    assert written.name.startswith("coproduce-")
    assert written.stat().st_size > 0
