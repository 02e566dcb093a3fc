"""Backing up the database and restoring it (docs/backups.md).

SQLite: SQLite's online backup (what the ``sqlite3`` shell's ``.backup`` does), safe while
Coproduce runs: it copies a consistent snapshot, page by page. PostgreSQL: ``pg_dump`` in
its custom format (``-Fc``: compressed, restored selectively, in parallel if wanted) and
``pg_restore``. Neither holds the field encryption keys (FIELD_ENCRYPTION_KEYS): a backup
without them cannot be read back, which is the point; they are kept apart.
"""

import os
import shutil
import sqlite3
import subprocess  # runs pg_dump and pg_restore, fixed argument lists # nosec B404
from pathlib import Path
from typing import Any

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _pg_args(config: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection options of a PostgreSQL database for its command-line tools; the
    password goes in the environment, never on a command line others can read."""
    args = ["--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if config.get(key):
            args.append(f"{option}={config[key]}")
    env = dict(os.environ)
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our own argument list, no shell # nosec B603
    if finished.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {finished.stderr.strip()}")


def backup_database(target: Path, *, database: BaseDatabaseWrapper | None = None) -> Path:
    """Write a backup of the database (Coproduce's own unless another is given) to
    ``target``, which must not exist."""
    database = database or default_connection
    if target.exists():
        raise BackupError(f"{target} exists already: a backup never overwrites a file.")
    target.parent.mkdir(parents=True, exist_ok=True)
    if database.vendor == "sqlite":
        database.ensure_connection()
        with sqlite3.connect(target) as copy:
            database.connection.backup(copy)
        copy.close()
        return target
    args, env = _pg_args(database.settings_dict)
    name = database.settings_dict["NAME"]
    _run([_pg_tool("pg_dump"), *args, "--format=custom", f"--file={target}", name], env)
    return target


def restore_database(source: Path, *, database: BaseDatabaseWrapper | None = None) -> None:
    """Restore the backup ``source`` into the database (Coproduce's own unless another is
    given), which should be new and empty (PostgreSQL: created with ``createdb``;
    SQLite: its file is replaced)."""
    database = database or default_connection
    if not source.is_file():
        raise BackupError(f"There is no backup {source}.")
    if database.vendor == "sqlite":
        database.ensure_connection()
        try:
            with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup:
                backup.backup(database.connection)
            backup.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} is not an SQLite backup: {error}") from None
        return
    args, env = _pg_args(database.settings_dict)
    database.close()  # pg_restore takes the database from here on
    _run(
        [
            _pg_tool("pg_restore"),
            *args,
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database.settings_dict['NAME']}",
            str(source),
        ],
        env,
    )
