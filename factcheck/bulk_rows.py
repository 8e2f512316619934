"""Many rows in few statements: the SQL under ``factcheck.history``'s bulk helpers.

Django's ``bulk_create`` and ``bulk_update`` compile one SQL string per batch,
preparing every value of every object on the way (and SQLite's 999-parameter
limit makes a batch about thirty claims); for thousands of claims most of the
time goes there. Here one parameterised statement is compiled per model and
the values are sent with the driver's ``executemany`` (pipelined by psycopg on
PostgreSQL), primary keys drawn beforehand in one query.

Nothing here writes history or checks a rule: callers are the helpers in
``factcheck.history`` (and the publish step's frozen revisions), which do.
"""

from django.db import connections, models, router
from django.utils import timezone

# Fields whose values the database takes as Python has them (str, int, bool, None).
_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)
_PLAIN_VALUES = (str, int, bool, type(None))


def supported(model) -> bool:
    """Whether this database has the statements used here (else use Django's bulk_create)."""
    vendor = connections[router.db_for_write(model)].vendor
    return vendor in ("postgresql", "sqlite")


def _converters(fields, connection):
    plain = [field.get_internal_type() in _PLAIN_TYPES for field in fields]
    seen = {}  # one write's timestamps repeat: prepare each distinct value once

    def prepared(field, value):
        try:
            return seen[field, value]
        except KeyError:
            seen[field, value] = result = field.get_db_prep_save(value, connection)
            return result
        except TypeError:  # unhashable (a list for a JSON field)
            return field.get_db_prep_save(value, connection)

    def convert(values):
        return [
            value
            if value is None or (is_plain and type(value) in _PLAIN_VALUES)
            else prepared(field, value)
            for field, is_plain, value in zip(fields, plain, values, strict=True)
        ]

    return convert


def allocate_pks(model, count: int) -> list[int]:
    """``count`` new primary keys for ``model``, in one query, inside the caller's transaction."""
    if count == 0:
        return []
    connection = connections[router.db_for_write(model)]
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction holds the write lock from its start (IMMEDIATE in
        # settings), so nobody else can take these numbers meanwhile. AUTOINCREMENT
        # tables never reuse a number, so start past the highest ever handed out.
        quoted = connection.ops.quote_name
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"COALESCE((SELECT MAX({quoted(column)}) FROM {quoted(table)}), 0))",
            [table],
        )
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def insert(model, objs, *, with_pks: bool = True) -> None:
    """INSERT ``objs`` (model instances) with one statement; set their primary keys.

    ``auto_now``/``auto_now_add`` fields are filled as ``save()`` would. With
    ``with_pks=False`` the database numbers the rows and the objects keep none.
    """
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    fields = [
        field
        for field in model._meta.concrete_fields
        if with_pks or not field.primary_key
        if not field.generated
    ]
    if with_pks:
        for obj, pk in zip(objs, allocate_pks(model, len(objs)), strict=True):
            obj.pk = pk
    stamped = [
        field.attname
        for field in fields
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add)
    ]
    now = timezone.now()  # one write, one time, as for the history rows
    convert = _converters(fields, connection)
    attnames = [field.attname for field in fields]
    rows = []
    for obj in objs:
        values = obj.__dict__
        for attname in stamped:
            values[attname] = now
        rows.append(convert([values[name] for name in attnames]))
        obj._state.adding, obj._state.db = False, connection.alias
    insert_values(model, [field.column for field in fields], rows, fields=fields)


def insert_values(model, columns: list[str], rows: list, *, fields=None) -> None:
    """INSERT prepared rows (sequences of database values, in ``columns`` order)."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quoted = connection.ops.quote_name
    if connection.vendor == "postgresql":  # COPY: one statement, rows streamed
        table = quoted(model._meta.db_table)
        names = ", ".join(quoted(column) for column in columns)
        sql = f"COPY {table} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quoted(model._meta.db_table),
        ", ".join(quoted(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def history_rows(model, objs, *, history_type: str, date, user, reason: str, actor: str):
    """Append one historical row per object of ``model``, as django-simple-history would."""
    historical = model.history.model
    connection = connections[router.db_for_write(historical)]
    tracked = list(historical.tracked_fields)
    fields = [historical._meta.get_field(field.name) for field in tracked]
    extra = {
        "history_date": date,
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user_id": user.pk if user is not None else None,
        "history_actor": actor,
    }
    extra_fields = [historical._meta.get_field(name) for name in extra]
    convert = _converters(fields, connection)
    constant = _converters(extra_fields, connection)(list(extra.values()))
    attnames = [field.attname for field in tracked]
    rows = []
    for obj in objs:
        values = obj.__dict__
        rows.append(
            convert([values[n] if n in values else getattr(obj, n) for n in attnames]) + constant
        )
    columns = [field.column for field in fields] + [field.column for field in extra_fields]
    insert_values(historical, columns, rows)


def update(model, objs, attnames: list[str]) -> int:
    """UPDATE ``attnames`` of each object by primary key, in one statement; rows changed."""
    if not objs:
        return 0
    connection = connections[router.db_for_write(model)]
    quoted = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in attnames]
    if connection.vendor == "postgresql":
        return _update_postgresql(model, objs, fields, connection)
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quoted(model._meta.db_table),
        ", ".join(f"{quoted(field.column)} = %s" for field in fields),
        quoted(model._meta.pk.column),
    )
    convert = _converters(fields, connection)
    stamped = [
        field.attname
        for field in fields
        if isinstance(field, models.DateTimeField) and field.auto_now
    ]
    now = timezone.now()
    rows = []
    for obj in objs:
        for attname in stamped:
            obj.__dict__[attname] = now
        rows.append([*convert([getattr(obj, field.attname) for field in fields]), obj.pk])
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
        return cursor.rowcount


def _update_postgresql(model, objs, fields, connection) -> int:
    """One UPDATE … FROM unnest(arrays): every object's values in one statement."""
    quoted = connection.ops.quote_name
    pk = model._meta.pk
    columns = [pk, *fields]
    stamped = [f.attname for f in fields if isinstance(f, models.DateTimeField) and f.auto_now]
    now = timezone.now()
    convert = _converters(columns, connection)
    arrays = [[] for _ in columns]
    for obj in objs:
        for attname in stamped:
            obj.__dict__[attname] = now
        for array, value in zip(
            arrays, convert([getattr(obj, f.attname) for f in columns]), strict=True
        ):
            array.append(value)
    names = [f"c{i}" for i in range(len(columns))]
    types = [_array_type(field, connection) for field in columns]
    sql = "UPDATE {table} SET {sets} FROM unnest({arrays}) AS v({names}) WHERE {where}".format(
        table=quoted(model._meta.db_table),
        sets=", ".join(
            f"{quoted(f.column)} = v.{n}" for f, n in zip(fields, names[1:], strict=True)
        ),
        arrays=", ".join(f"%s::{t}[]" for t in types),
        names=", ".join(names),
        where=f"{quoted(model._meta.db_table)}.{quoted(pk.column)} = v.c0",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, arrays)
        return cursor.rowcount


def _array_type(field, connection) -> str:
    if field.is_relation:
        field = field.target_field
    return field.db_type(connection)  # "varchar(20)", "timestamp with time zone"…
