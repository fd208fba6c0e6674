"""Row writers for the bulk generator: PostgreSQL ``COPY`` or Django ``bulk_create``.

Rows are tuples in the order of a ``Table``'s columns. Primary keys the generator needs
up front (cases, stages, applicants, users) are reserved with ``reserve_ids``: from the
table's sequence on PostgreSQL, after the current maximum elsewhere (SQLite serialises
writers, and the caller holds a transaction).

``COPY`` is the fast path (PostgreSQL with psycopg2); ``bulk_create`` works everywhere and
is what the tests use on SQLite. Both store the timestamps the generator chose: for
``bulk_create`` the ``auto_now``/``auto_now_add`` flags are switched off while it runs.
"""

from __future__ import annotations

import csv
import io
import json
from contextlib import contextmanager

from django.db import connection, models

NULL = r"\N"


class Table:
    """A model and the columns the generator fills; other columns get their defaults."""

    def __init__(self, model: type[models.Model], columns: tuple[str, ...]) -> None:
        self.model, self.columns = model, columns
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.fields = [fields[c] for c in columns]
        self.nullable = [i for i, f in enumerate(self.fields) if f.null]
        self.json = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
        self.extra_fields = [f for a, f in fields.items()
                             if a not in columns and not f.primary_key]
        self.extras = tuple(_default(f) for f in self.extra_fields)

    @property
    def db_columns(self) -> list[str]:
        return [f.column for f in self.fields + self.extra_fields]


def _default(field: models.Field):
    """The value a column the generator does not fill gets (its default, "" or NULL)."""
    if field.null and not field.has_default():
        return None
    value = field.get_default()
    if value is None:
        raise RuntimeError(f"{field.model.__name__}.{field.name} has no default: "
                           "add it to the bulk generator's columns")
    return json.dumps(value) if isinstance(field, models.JSONField) else value


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model`` (call inside a transaction)."""
    table = connection.ops.quote_name(model._meta.db_table)
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                           "FROM generate_series(1, %s)", [table, pk, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) FROM {table}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


class CopyWriter:
    """PostgreSQL ``COPY ... FROM STDIN`` in CSV format (psycopg2)."""

    name = "copy"

    def __init__(self) -> None:
        self.rows = 0
        self._json: dict[int, tuple[object, str]] = {}

    def _dumps(self, value) -> str:
        """JSON text, cached per object (the generator reuses a few form dicts)."""
        hit = self._json.get(id(value))
        if hit is None or hit[0] is not value:
            hit = self._json[id(value)] = (value, json.dumps(value, ensure_ascii=False))
        return hit[1]

    def encode(self, table: Table, rows: list[tuple]) -> tuple[Table, io.StringIO, int]:
        """CSV text for ``COPY`` (pure Python: done while the database works)."""
        buffer = io.StringIO()
        out = csv.writer(buffer)
        nullable, json_cols = table.nullable, table.json
        extras = [NULL if v is None else v for v in table.extras]
        for row in rows:
            row = list(row)
            for i in nullable:
                if row[i] is None:
                    row[i] = NULL
            for i in json_cols:
                if not isinstance(row[i], str):
                    row[i] = self._dumps(row[i])
            out.writerow(row + extras if extras else row)
        buffer.seek(0)
        return table, buffer, len(rows)

    def send(self, encoded: tuple[Table, io.StringIO, int]) -> None:
        table, buffer, count = encoded
        if not count:
            return
        quote = connection.ops.quote_name
        sql = (f"COPY {quote(table.model._meta.db_table)} "
               f"({', '.join(quote(c) for c in table.db_columns)}) "
               f"FROM STDIN WITH (FORMAT csv, NULL '{NULL}')")
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, buffer, size=1 << 20)
        self.rows += count

    def write(self, table: Table, rows: list[tuple]) -> None:
        self.send(self.encode(table, rows))


class OrmWriter:
    """Django ``bulk_create``; portable, slower."""

    name = "orm"

    def __init__(self, batch_size: int = 2000) -> None:
        self.batch_size, self.rows = batch_size, 0

    def encode(self, table: Table, rows: list[tuple]) -> tuple[Table, list[tuple]]:
        return table, rows

    def send(self, encoded: tuple[Table, list[tuple]]) -> None:
        self.write(*encoded)

    def write(self, table: Table, rows: list[tuple]) -> None:
        if not rows:
            return
        model, columns = table.model, table.columns
        objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        with given_timestamps(model):
            model.objects.bulk_create(objs, batch_size=self.batch_size)
        self.rows += len(rows)


@contextmanager
def given_timestamps(model: type[models.Model]):
    """Let ``bulk_create`` store the generator's times instead of ``now()``."""
    flags = [(f, f.auto_now, f.auto_now_add) for f in model._meta.concrete_fields
             if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for f, _, _ in flags:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in flags:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def copy_available() -> bool:
    if connection.vendor != "postgresql":
        return False
    connection.ensure_connection()
    return hasattr(connection.connection.cursor(), "copy_expert")


def make_writer(kind: str = "auto"):
    """``copy`` on PostgreSQL with psycopg2, otherwise ``orm`` (or as asked)."""
    if kind == "auto":
        kind = "copy" if copy_available() else "orm"
    if kind == "copy" and not copy_available():
        raise RuntimeError("COPY needs PostgreSQL with psycopg2")
    return CopyWriter() if kind == "copy" else OrmWriter()
