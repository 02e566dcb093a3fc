"""Raw SQL run many times a second, kept planned by PostgreSQL.

Django's PostgreSQL cursors bind parameters on the client: each statement reaches the
server as new text, parsed and planned again. A statement that the public pages run on
every request is better run with its parameters bound by the server, which lets psycopg
prepare it (from its fifth run on a connection: the ``prepare_threshold`` the settings
give, unless ``DATABASE_PREPARED_STATEMENTS=false``), so that PostgreSQL plans it once a
connection. Django's own cursors bind on the client and are never prepared. A parameter
whose type PostgreSQL cannot infer from where it stands needs a cast
(``CAST(%s AS bigint)``). Behind PgBouncer in transaction mode: 1.21 or later, with
``max_prepared_statements`` set (docs/deploy.md).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.backends.utils import CursorWrapper


@contextmanager
def planned_cursor() -> Iterator[CursorWrapper]:
    """A cursor of the default database binding its parameters on the server (on
    PostgreSQL; elsewhere Django's own), counted and logged as Django's are."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    from django.db.backends.postgresql import base

    connection.ensure_connection()
    connection.validate_thread_sharing()
    # Django's own cursor class for server-side binding, wrapped as Django wraps its own
    # (queries logged while DEBUG or a test counts them, execute wrappers).
    raw = base.ServerBindingCursor(connection.connection)  # type: ignore[attr-defined]
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    with wrap(raw) as cursor:
        yield cursor
