"""Fast row access for tools: the episode's models, read and written through SQLite directly.

SQLAlchemy's ORM stays the schema (typed declarative models) and remains available to tools as
``ctx.db``; but one ORM round trip costs 100–200 µs, an order of magnitude more than the SQLite work it
wraps. ``ctx.rows(Model)`` gives the common operations — get by key, filtered listing, insert, update,
delete — as prepared statements on the same connection, returning plain dicts (what tools return anyway).
Column values are converted by the model's column types: JSON columns to Python objects, booleans to bool.
Every SQL text is built once per table and shape and then reused, so sqlite3's statement cache holds the
prepared statement and no call compiles anything.

:func:`bulk_insert` and :func:`fetch_rows` are the same path for scenario loaders and state dumps: rows
written with the column types' own bind conversions and Python-side defaults (exactly what SQLAlchemy's
``insert()`` stores), read back decoded, with no statement compilation.
"""

from __future__ import annotations

import json
import operator
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Boolean
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.orm import DeclarativeBase, Session

from envfactory_gym import journal
from envfactory_gym.errors import DomainError
from envfactory_gym.journal import CONVERTERS, UNKNOWN, Converter, UncertainValue, column_affinity, stored

_DIALECT = SQLiteDialect_pysqlite()
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"))  # built once: json.dumps(...) builds one per call


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


@dataclass
class _TableMeta:
    name: str
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]
    json_columns: frozenset[str]
    bool_columns: frozenset[str]
    select_by_key: str
    column_set: frozenset[str] = frozenset()
    # Rows of plain scalar columns can be handed out as shallow copies of a cached decoded row.
    cacheable: bool = False
    convert: tuple[tuple[int, str, bool], ...] = ()  # (position, column, is_json) of columns needing decoding
    # SQL texts by shape, built on first use.
    statements: dict[Any, str] = field(default_factory=dict)
    # For bulk inserts: per column, the type's bind conversion (None: stored as given) and Python default.
    bind: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    # For the write journal (see envfactory_gym.journal): each column's converters (by a bound value's type,
    # how SQLite stores it), the key's, each column's position, and whether writes to this table can be
    # journaled at all (a primary key compared exactly).
    converters: tuple[dict[type, Converter], ...] = ()
    key_converters: tuple[dict[type, Converter], ...] = ()
    # By the columns an UPDATE sets: (position, converters) of each; by the value types of a whole row: the
    # (position, converter) of each value not stored as bound (None: some value's stored form is uncertain).
    update_plans: dict[tuple[str, ...], Any] = field(default_factory=dict)
    row_plans: dict[tuple[type, ...], Any] = field(default_factory=dict)
    positions: dict[str, int] = field(default_factory=dict)
    journaled: bool = False
    # The primary key column that is SQLite's rowid (filled in when an insert leaves it out), if any, and
    # whether every other column an insert leaves out is NULL (no column has a default in the schema).
    rowid_column: str | None = None
    missing_is_null: bool = False
    key_value: Callable[[Sequence[Any]], Any] = field(default=lambda row: (), repr=False)

    def build(self, shape: Any, make: Callable[[_TableMeta, tuple[str, ...]], str], names: tuple[str, ...]) -> str:
        """The SQL text for ``shape``, made once (column names checked then) and reused afterwards."""
        unknown = set(names) - self.column_set
        if unknown:
            raise KeyError(f"{self.name} has no column(s) {sorted(unknown)}")
        sql = self.statements[shape] = make(self, names)
        return sql

    # -- the write journal's view: rows as SQLite stores them (UncertainValue when that is not certain) --
    def stored_key(self, key: tuple[Any, ...]) -> Any:
        """The primary key as stored: its value, or a tuple for a composite key."""
        converters = self.key_converters
        if len(key) != len(converters):
            raise UncertainValue(key)
        if len(key) == 1:
            return stored(converters[0], key[0])
        return tuple(map(stored, converters, key))

    def updated_row(self, row: tuple[Any, ...], names: tuple[str, ...], params: Sequence[Any]) -> tuple[Any, ...]:
        """``row`` after an UPDATE setting ``names`` to ``params`` (the statement's, then the key's)."""
        plan = self.update_plans.get(names)
        if plan is None:
            if not set(names).isdisjoint(self.primary_key):
                raise UncertainValue(names)  # a row that may move to another key: read back instead
            plan = self.update_plans[names] = tuple(
                (self.positions[n], self.converters[self.positions[n]]) for n in names
            )
        new = list(row)
        for (position, converters), value in zip(plan, params, strict=False):  # the key's params follow: stop
            new[position] = stored(converters, value)
        return tuple(new)

    def stored_row(self, row: Sequence[Any]) -> tuple[Any, ...]:
        """A whole row as stored, from the values bound or reported (an INSERT's RETURNING reports values
        before REAL affinity: an integer there is read back as a float)."""
        types = tuple(map(type, row))
        plan = self.row_plans.get(types, UNKNOWN)
        if plan is UNKNOWN:
            plan = self.row_plans[types] = self._row_plan(types)
        if plan is None:
            raise UncertainValue(types)
        if not plan:
            return tuple(row)
        new = list(row)
        for position, convert in plan:
            new[position] = convert(new[position])
        return tuple(new)

    def _row_plan(self, types: tuple[type, ...]) -> tuple[tuple[int, Callable[[Any], Any]], ...] | None:
        plan = []
        for position, (kind, converters) in enumerate(zip(types, self.converters, strict=True)):
            if kind not in converters:
                return None
            convert = converters[kind]
            if convert is not None:
                plan.append((position, convert))
        return tuple(plan)

    def added_row(self, names: tuple[str, ...], params: Sequence[Any], rowid: int | None) -> tuple[Any, ...]:
        """The row an INSERT of ``names`` stored (columns left out: the rowid, or NULL)."""
        given = dict(zip(names, params, strict=True))
        if len(given) != len(self.columns):
            if not self.missing_is_null:
                raise UncertainValue(names)
            if self.rowid_column is not None and self.rowid_column not in given:
                given[self.rowid_column] = rowid
        return self.stored_row(tuple(map(given.get, self.columns)))


_META: dict[type, _TableMeta] = {}


def table_meta(model: type[DeclarativeBase]) -> _TableMeta:
    meta = _META.get(model)
    if meta is None:
        table = model.__table__  # type: ignore[attr-defined]
        columns = tuple(c.name for c in table.columns)
        primary_key = tuple(c.name for c in table.primary_key.columns)
        where = " AND ".join(f'"{c}" = ?' for c in primary_key)
        json_columns = frozenset(c.name for c in table.columns if isinstance(c.type, JSON))
        bool_columns = frozenset(c.name for c in table.columns if isinstance(c.type, Boolean))
        bind = {}
        defaults = {}
        for column in table.columns:
            bind[column.name] = column.type.dialect_impl(_DIALECT).bind_processor(_DIALECT)
            default = column.default
            # Python-side defaults only (scalars, and callables SQLAlchemy wrapped to take a context).
            if default is not None and (getattr(default, "is_scalar", False) or getattr(default, "is_callable", False)):
                defaults[column.name] = default.arg
        meta = _TableMeta(
            name=table.name,
            columns=columns,
            primary_key=primary_key,
            json_columns=json_columns,
            bool_columns=bool_columns,
            select_by_key=f'SELECT * FROM "{table.name}" WHERE {where}',
            column_set=frozenset(columns),
            convert=tuple(
                (i, c, c in json_columns) for i, c in enumerate(columns) if c in json_columns or c in bool_columns
            ),
            bind=bind,
            defaults=defaults,
            cacheable=not json_columns and bool(primary_key),
        )
        _add_journal_view(meta, table)
        _META[model] = meta
    return meta


def _add_journal_view(meta: _TableMeta, table: Any) -> None:
    try:
        declared = [column.type.compile(dialect=_DIALECT) for column in table.columns]
    except Exception:  # noqa: BLE001 - a type without a SQLite spelling: this table's writes are read back
        return
    meta.converters = tuple(CONVERTERS[column_affinity(d)] for d in declared)
    meta.positions = {c: i for i, c in enumerate(meta.columns)}
    meta.key_converters = tuple(meta.converters[meta.positions[c]] for c in meta.primary_key)
    key_columns = [table.columns[c] for c in meta.primary_key]
    # A key compared under another collation than BINARY may match other spellings of the value.
    meta.journaled = bool(key_columns) and all(getattr(c.type, "collation", None) is None for c in key_columns)
    if len(key_columns) == 1 and declared[meta.positions[meta.primary_key[0]]].upper() == "INTEGER":
        meta.rowid_column = meta.primary_key[0]  # INTEGER PRIMARY KEY is an alias of the rowid
    meta.missing_is_null = all(column.server_default is None for column in table.columns)
    positions = [meta.positions[c] for c in meta.primary_key]
    if positions:
        meta.key_value = operator.itemgetter(*positions)


def decode_row(meta: _TableMeta, row: Sequence[Any]) -> dict[str, Any]:
    """A stored row as a dict of Python values (JSON parsed, booleans as bool)."""
    return _decode_row(meta, row)


def _decode_row(meta: _TableMeta, row: Sequence[Any]) -> dict[str, Any]:
    record = dict(zip(meta.columns, row, strict=True))
    for position, name, is_json in meta.convert:
        value = row[position]
        if value is not None:
            record[name] = json.loads(value) if is_json else bool(value)
    return record


class Rows:
    """Typed access to one table of one episode. Obtain it as ``ctx.rows(Model)``.

    Given the episode (an :class:`~envfactory_gym.database.EpisodeDatabase`), lookups by key while the
    episode has written nothing yet are answered from its snapshot's cache of rows (a fresh copy each
    time, JSON values decoded afresh), since the state is then exactly the snapshot's.
    """

    __slots__ = ("_conn", "_episode", "_meta")

    def __init__(self, conn: sqlite3.Connection, model: type[DeclarativeBase], episode: Any = None) -> None:
        self._meta = table_meta(model)
        self.rebind(conn, episode)

    def rebind(self, conn: sqlite3.Connection, episode: Any = None) -> None:
        """Point the accessor at another connection (another episode's state)."""
        self._conn = conn
        self._episode = episode if episode is not None and self._meta.primary_key else None

    # -- conversions --------------------------------------------------------------------------------
    def _decode(self, row: tuple[Any, ...] | None) -> dict[str, Any] | None:
        if row is None:
            return None
        return _decode_row(self._meta, row)

    def _encode(self, name: str, value: Any) -> Any:
        if value is not None and name in self._meta.json_columns:
            return _COMPACT_JSON.encode(value)
        return value

    def _check_columns(self, names: Iterable[str]) -> None:
        unknown = set(names) - self._meta.column_set
        if unknown:
            raise KeyError(f"{self._meta.name} has no column(s) {sorted(unknown)}")

    # -- reads --------------------------------------------------------------------------------------
    def get(self, *key: Any) -> dict[str, Any] | None:
        """The row with this primary key, or None."""
        episode = self._episode
        meta = self._meta
        if episode is not None:
            if episode.pristine():
                return episode.snapshot.row_by_key(meta, key, self._conn)
            # After writes: the journal's row (written in this episode, or the initial one) when it covers it.
            row = episode.journal.row(meta, key, self._conn.total_changes) if meta.journaled else UNKNOWN
            if row is not UNKNOWN:
                if journal.CROSS_CHECK:
                    journal.agree("row", row, self._conn.execute(meta.select_by_key, key).fetchone())
                return None if row is None else _decode_row(meta, row)
        row = self._conn.execute(meta.select_by_key, key).fetchone()
        return None if row is None else _decode_row(meta, row)

    def require(self, *key: Any, missing: str) -> dict[str, Any]:
        """The row with this primary key; a DomainError with the message ``missing`` if there is none."""
        row = self.get(*key)
        if row is None:
            raise DomainError(missing)
        return row

    def find(
        self,
        where: Mapping[str, Any] | None = None,
        *,
        order_by: str | Iterable[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Rows whose columns equal ``where`` (all of them), in ``order_by`` order ('-col' descends)."""
        sql, params = self._select(where, order_by, limit, offset)
        meta = self._meta
        return [_decode_row(meta, r) for r in self._conn.execute(sql, params)]

    def first(self, where: Mapping[str, Any] | None = None, *, order_by: str | None = None) -> dict[str, Any] | None:
        rows = self.find(where, order_by=order_by, limit=1)
        return rows[0] if rows else None

    def count(self, where: Mapping[str, Any] | None = None) -> int:
        clause, params = self._where(where)
        return int(self._conn.execute(f'SELECT COUNT(*) FROM "{self._meta.name}"{clause}', params).fetchone()[0])

    def _where(self, where: Mapping[str, Any] | None) -> tuple[str, list[Any]]:
        if not where:
            return "", []
        shape = ("where", *((name, where[name] is None) for name in where))
        statements = self._meta.statements
        clause = statements.get(shape)
        if clause is None:
            self._check_columns(where)
            parts = [f'"{name}" IS NULL' if is_null else f'"{name}" = ?' for name, is_null in shape[1:]]
            clause = statements[shape] = " WHERE " + " AND ".join(parts)
        return clause, [self._encode(name, value) for name, value in where.items() if value is not None]

    def _select(
        self, where: Mapping[str, Any] | None, order_by: str | Iterable[str] | None, limit: int | None, offset: int
    ) -> tuple[str, list[Any]]:
        clause, params = self._where(where)
        keys = () if not order_by else ((order_by,) if isinstance(order_by, str) else tuple(order_by))
        shape = ("select", clause, keys, limit is not None)
        statements = self._meta.statements
        sql = statements.get(shape)
        if sql is None:
            sql = f'SELECT * FROM "{self._meta.name}"{clause}'
            if keys:
                self._check_columns(k.lstrip("-") for k in keys)
                sql += " ORDER BY " + ", ".join(
                    f'"{k.lstrip("-")}"' + (" DESC" if k.startswith("-") else "") for k in keys
                )
            else:
                sql += " ORDER BY rowid"
            if limit is not None:
                sql += " LIMIT ? OFFSET ?"
            statements[shape] = sql
        if limit is not None:
            params += [int(limit), int(offset)]
        return sql, params

    # -- writes -------------------------------------------------------------------------------------
    def _params(self, values: dict[str, Any]) -> list[Any]:
        """The statement's parameters for ``values``: JSON columns serialised, the rest as given."""
        json_columns = self._meta.json_columns
        if not json_columns or json_columns.isdisjoint(values):
            return list(values.values())
        encode = _COMPACT_JSON.encode
        return [encode(v) if v is not None and n in json_columns else v for n, v in values.items()]

    def insert(self, **values: Any) -> dict[str, Any]:
        """Insert a row; returns it as stored."""
        meta = self._meta
        names = tuple(values)
        sql = meta.statements.get(("insert", names)) or meta.build(("insert", names), _insert_sql, names)
        conn = self._conn
        before = conn.total_changes
        row = conn.execute(sql, self._params(values)).fetchone()
        if self._episode is not None and meta.journaled:
            self._episode.journal.inserted(meta, row, before, conn.total_changes)
        return _decode_row(meta, row)

    def add(self, **values: Any) -> None:
        """Insert a row, when the caller does not need it back (no RETURNING: a little cheaper)."""
        meta = self._meta
        names = tuple(values)
        sql = meta.statements.get(("add", names)) or meta.build(("add", names), _add_sql, names)
        conn = self._conn
        before = conn.total_changes
        params = self._params(values)
        cursor = conn.execute(sql, params)
        if self._episode is not None and meta.journaled:
            self._episode.journal.added(meta, names, params, cursor.lastrowid, before, conn.total_changes)

    def update(self, key: Any | tuple[Any, ...], **values: Any) -> None:
        """Set ``values`` on the row with primary key ``key``; DomainError-free: the caller checked it exists."""
        if not values:
            return
        meta = self._meta
        names = tuple(values)
        sql = meta.statements.get(("update", names)) or meta.build(("update", names), _update_sql, names)
        params = self._params(values)
        key = key if isinstance(key, tuple) else (key,)
        params.extend(key)
        conn = self._conn
        before = conn.total_changes
        conn.execute(sql, params)
        if self._episode is not None and meta.journaled:
            self._episode.journal.updated(meta, key, names, params, before, conn.total_changes)

    def delete(self, *key: Any) -> None:
        meta = self._meta
        sql = meta.statements.get("delete") or meta.build("delete", _delete_sql, ())
        conn = self._conn
        before = conn.total_changes
        conn.execute(sql, key)
        if self._episode is not None and meta.journaled:
            self._episode.journal.deleted(meta, key, before, conn.total_changes)


def _key_clause(meta: _TableMeta) -> str:
    return " AND ".join(f'"{c}" = ?' for c in meta.primary_key)


def _insert_sql(meta: _TableMeta, names: tuple[str, ...]) -> str:
    placeholders = ", ".join("?" for _ in names)
    return f'INSERT INTO "{meta.name}" ({_quoted(names)}) VALUES ({placeholders}) RETURNING *'


def _add_sql(meta: _TableMeta, names: tuple[str, ...]) -> str:
    return _insert_sql(meta, names).removesuffix(" RETURNING *")


def _update_sql(meta: _TableMeta, names: tuple[str, ...]) -> str:
    assignments = ", ".join(f'"{n}" = ?' for n in names)
    return f'UPDATE "{meta.name}" SET {assignments} WHERE {_key_clause(meta)}'


def _delete_sql(meta: _TableMeta, names: tuple[str, ...]) -> str:
    return f'DELETE FROM "{meta.name}" WHERE {_key_clause(meta)}'


def query(conn: sqlite3.Connection, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """Run a read-only SQL query and return rows as dicts (for filters richer than equality)."""
    cursor = conn.execute(sql, tuple(params))
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor]


# -- scenario loading and state dumps --------------------------------------------------------------------


def connection_of(source: Any) -> sqlite3.Connection:
    """The sqlite3 connection behind ``source``: a connection, an episode database, or an ORM session."""
    if isinstance(source, sqlite3.Connection):
        return source
    raw = getattr(source, "raw", None)
    if isinstance(raw, sqlite3.Connection):
        return raw
    if isinstance(source, Session):
        connection = source.connection().connection.driver_connection
        if isinstance(connection, sqlite3.Connection):
            return connection
    raise TypeError(f"Not a SQLite connection, episode database or session: {type(source).__name__}")


def bulk_insert(conn: sqlite3.Connection, model: type[DeclarativeBase], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts by column name) as SQLAlchemy's ``insert(Model)`` would store them.

    Missing columns take their Python-side default (``mapped_column(default=...)``) or SQLite's; values go
    through the column type's bind conversion (JSON serialised, booleans as integers, ...). Unknown column
    names raise ``KeyError``; SQLite's own refusals (duplicate keys, NOT NULL) raise ``sqlite3.Error``.
    """
    if not rows:
        return
    meta = table_meta(model)
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    for given, members in groups.items():
        unknown = set(given) - meta.column_set
        if unknown:
            raise KeyError(f"{meta.name} has no column(s) {sorted(unknown)}")
        defaulted = tuple(c for c in meta.defaults if c not in given)
        names = given + defaulted
        shape = ("bulk", names)
        sql = meta.statements.get(shape)
        if sql is None:
            sql = meta.statements[shape] = (
                f'INSERT INTO "{meta.name}" ({_quoted(names)}) VALUES ({", ".join("?" for _ in names)})'
            )
        default_values = []
        for name in defaulted:
            default = meta.defaults[name]
            default_values.append(default if not callable(default) else None)
        callables = [(i, meta.defaults[n]) for i, n in enumerate(defaulted) if callable(meta.defaults[n])]
        processors = [(i, meta.bind[n]) for i, n in enumerate(names) if meta.bind[n] is not None]
        values = []
        for row in members:
            record = [row[n] for n in given]
            record.extend(default_values)
            for index, default in callables:
                record[len(given) + index] = default(None)
            for index, process in processors:
                record[index] = process(record[index])
            values.append(record)
        conn.executemany(sql, values)


def fetch_rows(
    conn: sqlite3.Connection, model: type[DeclarativeBase], order_by: str | Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Every row of the model's table, decoded, in ``order_by`` order (rowid by default)."""
    return Rows(conn, model).find(order_by=order_by)


def replace_rows(conn: sqlite3.Connection, model: type[DeclarativeBase], rows: Sequence[Mapping[str, Any]]) -> None:
    """Make the model's table hold exactly ``rows`` (what was there is deleted; rowids start at 1 again)."""
    conn.execute(f'DELETE FROM "{table_meta(model).name}"')
    bulk_insert(conn, model, rows)


def fill_if_empty(conn: sqlite3.Connection, model: type[DeclarativeBase], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` when the model's table is empty (a base table a loader found not pre-filled)."""
    if conn.execute(f'SELECT 1 FROM "{table_meta(model).name}" LIMIT 1').fetchone() is None:
        bulk_insert(conn, model, rows)


def state_part(source: Any, tables: Sequence[str], key: str, compute: Callable[[sqlite3.Connection], Any]) -> Any:
    """``compute(conn)`` for a part of a state that reads only ``tables`` (for dumps).

    When ``source`` is an episode database none of whose ``tables`` changed since its snapshot, the
    snapshot's result (computed once, on the initial state) is returned instead. ``compute`` must return a
    value callers never change (tuples, not lists).
    """
    part = getattr(source, "state_part", None)
    if callable(part):
        return part(tuple(tables), key, compute)
    return compute(connection_of(source))
