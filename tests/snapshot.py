"""Load a fixture once per test session, then copy its rows into each test that asks.

``loaddata`` validates, anchors and records the history of every object: right
for the command, slow when sixty tests each need the same fact-checked article.
``take()`` runs the real ``loaddata`` once, inside a transaction that it rolls
back, and keeps every row the load wrote (objects, history, the fixture ledger).
``restore()`` writes those rows back into a test's database with plain INSERTs,
so each test starts from exactly what ``loaddata`` would have produced.

The rows are loaded with ids from FIRST_ID up, so they never collide with what a
test created before asking for them.
"""

from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

FIRST_ID = 1_000_000


def _tables():
    return sorted(connection.introspection.table_names())


def _rows(table) -> tuple[list[str], list[tuple]]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quote(table)}")
        columns = [column[0] for column in cursor.description]
        return columns, [tuple(_adapt(value) for value in row) for row in cursor.fetchall()]


def _adapt(value):
    """JSON columns come back from PostgreSQL as Python objects: send them back as JSON."""
    if connection.vendor == "postgresql" and isinstance(value, dict | list):
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    return value


def _start_ids_at(first_id: int) -> None:
    """Make the next id of every table at least ``first_id`` (inside the transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_get_serial_sequence(c.table_name, c.column_name) "
                "FROM information_schema.columns c WHERE c.table_schema = 'public' "
                "AND pg_get_serial_sequence(c.table_name, c.column_name) IS NOT NULL"
            )
            for (sequence,) in cursor.fetchall():
                cursor.execute("SELECT setval(%s, %s)", [sequence, first_id])
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE sql LIKE '%AUTOINCREMENT%'")
            for (table,) in cursor.fetchall():
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, first_id]
                )


def take(fixture: str) -> list[tuple[str, list[str], list[tuple], list]]:
    """The rows that loading ``fixture`` writes, as (table, columns, rows, keys of the
    rows it updated rather than added), in table order."""
    tables = _tables()
    with transaction.atomic():
        before = {table: _rows(table)[1] for table in tables}
        _start_ids_at(FIRST_ID)
        call_command("loaddata", fixture, verbosity=0)
        written = []
        for table in tables:
            columns, after = _rows(table)
            unchanged = {repr(row) for row in before[table]}
            new = [row for row in after if repr(row) not in unchanged]
            if new:
                existed = {repr(row[0]) for row in before[table]}  # rows the load updated
                replaced = [row[0] for row in new if repr(row[0]) in existed]
                written.append((table, columns, new, replaced))
        transaction.set_rollback(True)
    return written


def restore(snapshot) -> None:
    """Insert the rows of ``take()`` into the current database, in one transaction."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, rows, replaced in snapshot:
            if replaced:  # rows that exist before the load too (by their first column)
                cursor.executemany(
                    f"DELETE FROM {quote(table)} WHERE {quote(columns[0])} = %s",
                    [[key] for key in replaced],
                )
            names = ", ".join(quote(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
        if connection.vendor == "postgresql":
            from django.apps import apps

            models = [model for model in apps.get_models(include_auto_created=True)]
            touched = {table for table, *_ in snapshot}
            models = [model for model in models if model._meta.db_table in touched]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
