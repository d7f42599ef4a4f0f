"""Episode state: seeded snapshots, reusable per-episode in-memory SQLite databases, change sets and hashes.

A snapshot is the seeded initial database of one (environment, seed, scenario), built once per process
and kept as SQLite's serialized bytes. An episode runs on a *slot*: an in-memory connection holding a
copy of those bytes, inside one outer transaction that is opened when the episode starts. Tool calls are
savepoints within it; resetting the episode rolls the outer transaction back, which restores the
snapshot's state in O(pages written) while keeping the connection's parsed schema, prepared statements
and page cache warm. A released slot goes back to its snapshot's pool for the next episode, unless
anything in it survived the rollback (a tool that committed behind the engine's back, an error while
rolling back): such a slot is closed, never reused, so no episode can see another's rows.

Triggers installed in the snapshot log the rowid of every row a write touches, so the change set and the
state hash cost O(rows changed), not O(database).

Scenario snapshots (a task's own initial state) are keyed once per scenario object, built from a per-
definition empty template by bulk inserts (no ORM), and cached in a bounded LRU; seeded snapshots stay
for the life of the process. Idle slots are bounded by a byte budget across all snapshots.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import json.encoder as json_encoder
import operator
import sqlite3
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from envfactory_gym import journal as write_journal
from envfactory_gym.authoring import EnvironmentDefinition, SeedData
from envfactory_gym.journal import WriteJournal, agree
from envfactory_gym.rows import decode_row

CHANGE_LOG = "_ef_changes"
CALL_SAVEPOINT = "ef_call"
BASE_SAVEPOINT = "ef_base"
# Savepoints stacked by successful writes before the stack is folded into the episode's transaction.
MAX_SAVEPOINT_DEPTH = 16
# Scenario snapshots kept (LRU), and the bytes they may hold together; seeded snapshots are not counted.
MAX_SCENARIO_SNAPSHOTS = 256
MAX_SCENARIO_BYTES = 512 * 2**20
# Idle episode slots kept for reuse, across all snapshots (LRU beyond it is closed).
MAX_IDLE_SLOT_BYTES = 256 * 2**20
MAX_IDLE_SLOTS_PER_SNAPSHOT = 32
# Scenario keys remembered by object identity (the object is held, so its id cannot be reused).
MAX_SCENARIO_KEYS = 4096
# Decoded initial rows kept per snapshot for lookups by key in episodes that have not written yet.
MAX_CACHED_ROWS = 4096
# Initial rows kept per snapshot by primary key, for the write journal's changed rows.
MAX_CACHED_KEYED_ROWS = 4096


@dataclass(frozen=True)
class TableInfo:
    name: str
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]
    key_positions: tuple[int, ...] = field(init=False, repr=False, compare=False)
    # A row's key as one value (the key's tuple of values, or its only value): for comparing, not showing.
    key_of: Any = field(init=False, repr=False, compare=False)

    # The columns in sorted order and a row's values in that order: a dict built in that order encodes as
    # the canonical (sorted-keys) JSON without sorting.
    sorted_columns: tuple[str, ...] = field(init=False, repr=False, compare=False)
    sorted_values: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        positions = tuple(self.columns.index(c) for c in self.primary_key)
        object.__setattr__(self, "key_positions", positions)
        object.__setattr__(self, "key_of", operator.itemgetter(*positions) if positions else (lambda row: ()))
        ordered = sorted(self.columns)
        object.__setattr__(self, "sorted_columns", tuple(ordered))
        order = [self.columns.index(c) for c in ordered]
        getter = operator.itemgetter(*order)
        object.__setattr__(self, "sorted_values", getter if len(order) > 1 else (lambda row: (getter(row),)))

    def canonical_row(self, row: tuple[Any, ...]) -> str:
        """The canonical JSON of a row as a dict (what ``_canonical(dict(zip(columns, row)))`` gives)."""
        return "".join(_ENCODE_IN_ORDER(dict(zip(self.sorted_columns, self.sorted_values(row), strict=True)), 0))


@dataclass(frozen=True)
class RowChange:
    """One row that differs from the initial state."""

    table: str
    op: str  # "insert" | "update" | "delete"
    key: dict[str, Any]
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "op": self.op, "key": self.key, "before": self.before, "after": self.after}

    @property
    def changed_columns(self) -> dict[str, Any]:
        if self.op == "update" and self.before is not None and self.after is not None:
            return {c: v for c, v in self.after.items() if self.before.get(c) != v}
        return dict(self.after or {})


# One encoder, built once: json.dumps with these options constructs a new JSONEncoder on every call.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)


# The same encoding without sorting keys (for dicts built in sorted order), its C encoder built once.
_ENCODE_IN_ORDER = (
    json_encoder.c_make_encoder(None, str, json_encoder.encode_basestring, None, ":", ",", False, False, True)
    if json_encoder.c_make_encoder is not None
    else json.JSONEncoder(separators=(",", ":"), default=str, ensure_ascii=False).iterencode
)


def _canonical(value: Any) -> str:
    return _ENCODER.encode(value)


def _connect_raw() -> sqlite3.Connection:
    # Autocommit mode (isolation_level=None): transactions are opened explicitly, never implicitly by DML.
    return sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None, cached_statements=512)


def _engine_for(raw: sqlite3.Connection, *, episode: bool = False) -> Engine:
    engine = create_engine("sqlite://", creator=lambda: raw, poolclass=StaticPool)

    # The raw connection runs in autocommit mode and the engine opens one transaction per write call;
    # SQLAlchemy joins that transaction when it is open and opens its own otherwise.
    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        if not raw.in_transaction:
            raw.execute("BEGIN")

    if episode:
        # On an episode slot the engine owns the transactions (the episode's outer transaction and one
        # savepoint per call): the ORM's commit and rollback (and the pool's reset-on-return) must not end
        # them. Flushes still run inside the call's savepoint, which the engine releases or rolls back.
        dialect: Any = engine.dialect
        dialect.do_commit = lambda dbapi_connection: None
        dialect.do_rollback = lambda dbapi_connection: None
    return engine


_CLOSED = sqlite3.connect(":memory:", check_same_thread=False)
_CLOSED.close()  # what a closed episode's ``raw`` points at: any use raises ProgrammingError


def closed_connection() -> sqlite3.Connection:
    """A closed connection: what closed episodes and their tool contexts hold instead of their slot's."""
    return _CLOSED


_TABLE_INFOS: weakref.WeakKeyDictionary[EnvironmentDefinition, dict[str, TableInfo]] = weakref.WeakKeyDictionary()


def _table_infos(definition: EnvironmentDefinition) -> dict[str, TableInfo]:
    infos = _TABLE_INFOS.get(definition)
    if infos is None:
        infos = {}
        for table in definition.models.metadata.sorted_tables:
            infos[table.name] = TableInfo(
                name=table.name,
                columns=tuple(c.name for c in table.columns),
                primary_key=tuple(c.name for c in table.primary_key.columns),
            )
        _TABLE_INFOS[definition] = infos
    return infos


def _select_by_rowid(table: str) -> str:
    return f'SELECT * FROM "{table}" WHERE rowid = ?'


def _initial_record(info: TableInfo, row: tuple[Any, ...]) -> tuple[tuple[Any, ...], str, str]:
    """An initial row with its canonical JSON and its key's."""
    values = dict(zip(info.columns, row, strict=True))
    return row, _canonical(values), _canonical({c: values[c] for c in info.primary_key})


def _select_by_key(info: TableInfo) -> str:
    where = " AND ".join(f'"{c}" = ?' for c in info.primary_key) or "0"
    return f'SELECT * FROM "{info.name}" WHERE {where}'


class Snapshot:
    """The immutable seeded initial state of one (environment, seed, scenario), and its pool of idle slots."""

    def __init__(
        self,
        definition: EnvironmentDefinition,
        seed: int,
        data: bytes,
        scenario_key: str | None,
        *,
        reference: sqlite3.Connection | None = None,
    ):
        self.definition = definition
        self.seed = seed
        self.data = data
        self.scenario_key = scenario_key
        if reference is None:
            reference = _connect_raw()
            reference.deserialize(data)
        self._reference = reference
        self._lock = threading.Lock()
        self.tables = _table_infos(definition)
        self._row_sql = {name: _select_by_rowid(name) for name in self.tables}
        self._key_sql = {name: _select_by_key(info) for name, info in self.tables.items()}
        self._initial_rows: dict[tuple[str, int], tuple[tuple[Any, ...], str, str] | None] = {}
        self._rows_by_key: dict[tuple[str, Any], tuple[Any, ...] | None] = {}
        self._records_by_key: dict[tuple[str, Any], tuple[tuple[Any, ...], str, str] | None] = {}
        self._content_hash: str | None = None
        self._keyed_rows: dict[tuple[Any, ...], dict[str, Any] | None] = {}
        self._parts: dict[str, Any] = {}
        # Idle slots (LIFO: the most recently used connection is the warmest); see _SlotPool.
        self._free: list[_Slot] = []
        self.evicted = False
        self.now: dt.datetime = definition.now(reference)

    @property
    def content_hash(self) -> str:
        """A hash of every table's rows in key order (computed on first use)."""
        if self._content_hash is None:
            with self._lock:
                if self._content_hash is None:
                    self._content_hash = self._compute_content_hash()
        return self._content_hash

    def _compute_content_hash(self) -> str:
        digest = hashlib.sha256()
        encode = _ENCODER.encode
        for info in self.tables.values():
            order = ", ".join(f'"{c}"' for c in info.primary_key) or "rowid"
            digest.update(info.name.encode())
            rows = self._reference.execute(f'SELECT * FROM "{info.name}" ORDER BY {order}')
            # sha256 is a stream: one update with every row's encoding equals one update per row.
            digest.update("".join([encode(list(row)) for row in rows]).encode())
        return digest.hexdigest()

    def initial_row(self, table: str, rowid: int) -> tuple[Any, ...] | None:
        record = self.initial_record(table, rowid)
        return None if record is None else record[0]

    def initial_record(self, table: str, rowid: int) -> tuple[tuple[Any, ...], str, str] | None:
        """The initial row at ``rowid`` with its canonical JSON and its key's (cached: rows never change)."""
        key = (table, rowid)
        try:
            return self._initial_rows[key]
        except KeyError:
            pass
        with self._lock:
            row = self._reference.execute(self._row_sql[table], (rowid,)).fetchone()
        record = None if row is None else _initial_record(self.tables[table], row)
        self._initial_rows[key] = record
        return record

    def initial_by_key(self, table_key: tuple[str, Any]) -> tuple[Any, ...] | None:
        """The initial row with primary key ``table_key[1]`` (a tuple for a composite key) of table
        ``table_key[0]``, or None (cached: rows never change)."""
        try:
            return self._rows_by_key[table_key]
        except KeyError:
            pass
        table, key = table_key
        params = key if isinstance(key, tuple) else (key,)
        with self._lock:
            row = self._reference.execute(self._key_sql[table], params).fetchone()
        if len(self._rows_by_key) < MAX_CACHED_KEYED_ROWS:
            self._rows_by_key[table_key] = row
        return row

    def initial_record_by_key(self, table_key: tuple[str, Any]) -> tuple[tuple[Any, ...], str, str] | None:
        """:meth:`initial_by_key` with the row's canonical JSON and its key's (as :meth:`initial_record`)."""
        try:
            return self._records_by_key[table_key]
        except KeyError:
            pass
        row = self.initial_by_key(table_key)
        record = None if row is None else _initial_record(self.tables[table_key[0]], row)
        if len(self._records_by_key) < MAX_CACHED_KEYED_ROWS:
            self._records_by_key[table_key] = record
        return record

    def rows(self, table: str) -> list[dict[str, Any]]:
        info = self.tables[table]
        with self._lock:
            cursor = self._reference.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
            return [dict(zip(info.columns, row, strict=True)) for row in cursor]

    def query(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[dict[str, Any]]:
        """A read-only query on the initial state (rows as dicts)."""
        with self._lock:
            cursor = self._reference.execute(sql, tuple(params))
            names = [d[0] for d in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cursor]

    def row_by_key(self, meta: Any, key: tuple[Any, ...], conn: sqlite3.Connection) -> dict[str, Any] | None:
        """An initial row by primary key, decoded (a fresh copy; ``conn`` holds the state unchanged).

        Keys include their values' types, so that values Python finds equal and SQL does not (1, 1.0, True
        against a text column) never share an entry.
        """
        cache_key = (meta.name, key, tuple(map(type, key)))
        try:
            row = self._keyed_rows[cache_key]
        except KeyError:
            stored = conn.execute(meta.select_by_key, key).fetchone()
            # Rows of plain columns are kept decoded (a copy is a shallow dict copy); rows with JSON columns
            # as stored, decoded afresh on each use, so that no caller shares another's nested values.
            row = None if stored is None else (decode_row(meta, stored) if meta.cacheable else stored)
            if len(self._keyed_rows) < MAX_CACHED_ROWS:
                self._keyed_rows[cache_key] = row
        except TypeError:  # an unhashable key: no cache, the query says what it says
            stored = conn.execute(meta.select_by_key, key).fetchone()
            return None if stored is None else decode_row(meta, stored)
        if row is None:
            return None
        return dict(row) if meta.cacheable else decode_row(meta, row)

    def part(self, key: str, compute: Any) -> Any:
        """``compute(conn)`` on the initial state, computed once (see :func:`envfactory_gym.rows.state_part`)."""
        try:
            return self._parts[key]
        except KeyError:
            pass
        with self._lock:
            value = self._parts[key] = compute(self._reference)
        return value

    @property
    def size_bytes(self) -> int:
        return len(self.data)

    @property
    def idle_slots(self) -> int:
        return len(self._free)


# -- episode slots ------------------------------------------------------------------------------------------

_ANY_LOGGED_CHANGE = f"SELECT 1 FROM {CHANGE_LOG} LIMIT 1"
_LOGGED = f"SELECT tbl, rid FROM {CHANGE_LOG}"
_OPEN_CALL = f"SAVEPOINT {CALL_SAVEPOINT}"
_UNDO_CALL = f"ROLLBACK TO {CALL_SAVEPOINT}"
# The bottom of an episode's savepoint stack, named apart so that one RELEASE folds the whole stack.
_OPEN_BASE = f"SAVEPOINT {BASE_SAVEPOINT}"
_UNDO_BASE = f"ROLLBACK TO {BASE_SAVEPOINT}"
_RELEASE_ALL = f"RELEASE {BASE_SAVEPOINT}"
_CHANGED_TABLES: dict[tuple[str, ...], str] = {}
# A state's key: its initial content hash and its net changes, ((table, row key), row now or None) each.
StateKey = tuple[str, frozenset[tuple[tuple[str, Any], tuple[Any, ...] | None]]]
_NO_CHANGES: frozenset[Any] = frozenset()


class _Slot:
    """One in-memory copy of a snapshot: a connection reused by one episode after another."""

    __slots__ = ("_engine", "poisoned", "raw", "snapshot")

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.raw = _connect_raw()
        self.raw.deserialize(snapshot.data)
        self._engine: Engine | None = None
        # Set when something may have ended the episode's outer transaction behind the engine's back.
        self.poisoned = False

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = _engine_for(self.raw, episode=True)
        return self._engine

    def restore(self) -> bool:
        """Roll the episode back to the snapshot; True when the slot is provably clean (reusable)."""
        raw = self.raw
        try:
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            # Every write to a table fires a logging trigger; anything still logged after the rollback was
            # committed, so the connection no longer holds the snapshot's state.
            return not self.poisoned and raw.execute(_ANY_LOGGED_CHANGE).fetchone() is None
        except sqlite3.Error:
            return False

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        self.raw.close()


class _SlotPool:
    """Idle slots of every snapshot, bounded in bytes (least recently released closed first)."""

    def __init__(self, max_idle_bytes: int = MAX_IDLE_SLOT_BYTES) -> None:
        self.max_idle_bytes = max_idle_bytes
        self._lock = threading.Lock()
        self._idle: OrderedDict[_Slot, None] = OrderedDict()
        self.idle_bytes = 0
        self.created = 0
        self.reused = 0
        self.discarded = 0

    def acquire(self, snapshot: Snapshot) -> _Slot:
        with self._lock:
            if snapshot._free:
                slot = snapshot._free.pop()
                del self._idle[slot]
                self.idle_bytes -= len(snapshot.data)
                self.reused += 1
                return slot
            self.created += 1
        return _Slot(snapshot)

    def release(self, slot: _Slot) -> None:
        """Take a slot back from its episode: pooled when clean, closed otherwise."""
        snapshot = slot.snapshot
        size = len(snapshot.data)
        if (
            not slot.restore()
            or snapshot.evicted
            or size > self.max_idle_bytes
            or len(snapshot._free) >= MAX_IDLE_SLOTS_PER_SNAPSHOT
        ):
            self.discarded += 1
            slot.close()
            return
        closing = []
        with self._lock:
            snapshot._free.append(slot)
            self._idle[slot] = None
            self.idle_bytes += size
            while self.idle_bytes > self.max_idle_bytes:
                oldest, _ = self._idle.popitem(last=False)
                oldest.snapshot._free.remove(oldest)
                self.idle_bytes -= len(oldest.snapshot.data)
                closing.append(oldest)
        for old in closing:
            old.close()

    def drop(self, snapshot: Snapshot) -> None:
        """Close a snapshot's idle slots (it left the cache)."""
        with self._lock:
            slots, snapshot._free = snapshot._free, []
            for slot in slots:
                del self._idle[slot]
                self.idle_bytes -= len(snapshot.data)
        for slot in slots:
            slot.close()

    def clear(self) -> None:
        with self._lock:
            slots = list(self._idle)
            self._idle.clear()
            self.idle_bytes = 0
            for slot in slots:
                slot.snapshot._free.clear()
        for slot in slots:
            slot.close()


SLOTS = _SlotPool()


def _install_change_log(raw: sqlite3.Connection, tables: dict[str, TableInfo]) -> None:
    raw.execute(
        f"CREATE TABLE {CHANGE_LOG} (tbl TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (tbl, rid)) WITHOUT ROWID"
    )
    for name in tables:
        log = f"INSERT OR IGNORE INTO {CHANGE_LOG} (tbl, rid) VALUES ('{name}', %s);"
        raw.execute(f'CREATE TRIGGER "_ef_ins_{name}" AFTER INSERT ON "{name}" BEGIN {log % "NEW.rowid"} END')
        raw.execute(f'CREATE TRIGGER "_ef_del_{name}" AFTER DELETE ON "{name}" BEGIN {log % "OLD.rowid"} END')
        raw.execute(
            f'CREATE TRIGGER "_ef_upd_{name}" AFTER UPDATE ON "{name}" BEGIN '
            f"{log % 'OLD.rowid'} {log % 'NEW.rowid'} END"
        )


# -- snapshot caches ------------------------------------------------------------------------------------------

_SEEDED: dict[tuple[str, int], Snapshot] = {}
_SCENARIOS: OrderedDict[tuple[str, int, str], Snapshot] = OrderedDict()
_SCENARIO_BYTES = 0
_SNAPSHOT_LOCK = threading.Lock()
_SCENARIO_KEYS: dict[int, tuple[Any, str]] = {}
_SHALLOW_KEYS: dict[tuple[tuple[Any, int], ...], tuple[tuple[Any, ...], str]] = {}


def scenario_key(scenario: dict[str, Any] | None) -> str | None:
    """The content key of a scenario, computed once per scenario object.

    A scenario is a value: it is keyed (a canonical JSON hash, O(size)) the first time an object is used, and
    later uses of the same object, or of a new top-level dict holding the same value objects (what
    validating a task dict again produces), reuse that key. Changing a scenario in place after using it is
    therefore not seen: pass a changed copy instead (a copy is keyed on its own, by content).
    """
    if scenario is None:
        return None
    entry = _SCENARIO_KEYS.get(id(scenario))
    if entry is not None and entry[0] is scenario:
        return entry[1]
    # A copy of a known scenario's top level (pydantic validating a task dict rebuilds it, keeping the
    # values) holds the very same value objects: its shallow identity finds the key without hashing.
    shallow = _shallow_identity(scenario)
    known = _SHALLOW_KEYS.get(shallow) if shallow is not None else None
    key = known[1] if known is not None else hashlib.sha256(_canonical(scenario).encode()).hexdigest()[:16]
    with _SNAPSHOT_LOCK:
        for cache in (_SCENARIO_KEYS, _SHALLOW_KEYS):
            while len(cache) >= MAX_SCENARIO_KEYS:
                del cache[next(iter(cache))]  # type: ignore[attr-defined]
        # Entries hold their objects, so no id in a key can be reused by another object while cached.
        _SCENARIO_KEYS[id(scenario)] = (scenario, key)
        if shallow is not None and known is None:
            _SHALLOW_KEYS[shallow] = (tuple(scenario.values()), key)
    return key


def _shallow_identity(scenario: Any) -> tuple[tuple[Any, int], ...] | None:
    if not isinstance(scenario, dict):
        return None
    try:
        return tuple((name, id(value)) for name, value in scenario.items())
    except TypeError:
        return None


def get_snapshot(
    definition: EnvironmentDefinition, seed: int | None = None, scenario: dict[str, Any] | None = None
) -> Snapshot:
    """The cached snapshot for (environment, seed, scenario), built on first use."""
    seed = definition.default_seed if seed is None else seed
    if scenario is None:
        seeded = _SEEDED.get((definition.env_id, seed))
        if seeded is None:
            with _SNAPSHOT_LOCK:
                seeded = _SEEDED.get((definition.env_id, seed))
                if seeded is None:
                    seeded = _SEEDED[(definition.env_id, seed)] = build_snapshot(definition, seed)
        return seeded
    key = (definition.env_id, seed, scenario_key(scenario) or "")
    snapshot = _SCENARIOS.get(key)
    if snapshot is not None:
        try:
            _SCENARIOS.move_to_end(key)
        except KeyError:  # evicted meanwhile by another thread: it still works for this episode
            pass
        return snapshot
    with _SNAPSHOT_LOCK:
        snapshot = _SCENARIOS.get(key)
        if snapshot is None:
            snapshot = build_snapshot(definition, seed, scenario, key=key[2])
            _cache_scenario(key, snapshot)
    return snapshot


def _cache_scenario(key: tuple[str, int, str], snapshot: Snapshot) -> None:
    global _SCENARIO_BYTES
    _SCENARIOS[key] = snapshot
    _SCENARIO_BYTES += snapshot.size_bytes
    while len(_SCENARIOS) > 1 and (len(_SCENARIOS) > MAX_SCENARIO_SNAPSHOTS or _SCENARIO_BYTES > MAX_SCENARIO_BYTES):
        _, evicted = _SCENARIOS.popitem(last=False)
        _SCENARIO_BYTES -= evicted.size_bytes
        # Live episodes keep using it; their slots are closed instead of pooled when they end.
        evicted.evicted = True
        SLOTS.drop(evicted)


def clear_caches() -> None:
    """Forget every cached snapshot, scenario key and idle slot (live episodes are unaffected)."""
    global _SCENARIO_BYTES
    with _SNAPSHOT_LOCK:
        for snapshot in [*_SEEDED.values(), *_SCENARIOS.values()]:
            snapshot.evicted = True
        _SEEDED.clear()
        _SCENARIOS.clear()
        _SCENARIO_BYTES = 0
        _SCENARIO_KEYS.clear()
        _SHALLOW_KEYS.clear()
    SLOTS.clear()


_TEMPLATES: weakref.WeakKeyDictionary[EnvironmentDefinition, dict[bool, bytes]] = weakref.WeakKeyDictionary()
# Scenarios with at least this many rows get query-planner statistics (ANALYZE), like seeded snapshots.
ANALYZE_MIN_ROWS = 2000


def _template(definition: EnvironmentDefinition, *, base: bool) -> bytes:
    """The definition's empty database (schema and change log), serialized, built once per definition.

    With ``base``, it also holds the rows of the scenario interchange's ``base(conn)`` hook: the rows every
    native scenario starts from unless it brings its own (a benchmark's fixed reference tables).
    """
    templates = _TEMPLATES.setdefault(definition, {})
    data = templates.get(base)
    if data is None:
        raw = _connect_raw()
        engine = _engine_for(raw)
        definition.models.metadata.create_all(engine)
        _install_change_log(raw, _table_infos(definition))
        if base:
            raw.execute("BEGIN")
            definition.scenario_io.base(raw)
            raw.execute(f"DELETE FROM {CHANGE_LOG}")
            raw.execute("COMMIT")
        data = templates[base] = raw.serialize()
        raw.close()
        engine.dispose()
    return data


def build_snapshot(
    definition: EnvironmentDefinition, seed: int, scenario: dict[str, Any] | None = None, *, key: str | None = None
) -> Snapshot:
    """Build the initial state: the seed generator's (through the ORM), or a scenario's (bulk inserts)."""
    if scenario is not None:
        return _build_scenario_snapshot(definition, seed, scenario, key or scenario_key(scenario))
    raw = _connect_raw()
    engine = _engine_for(raw)
    definition.models.metadata.create_all(engine)
    with Session(engine) as session:
        if definition.seed_function is None:
            raise ValueError(f"Environment {definition.env_id!r} has no seed generator")
        definition.seed_function(session, SeedData.for_seed(seed))
        session.commit()
    _install_change_log(raw, _table_infos(definition))
    # Query-planner statistics travel with the snapshot, so every episode plans its searches well.
    raw.execute("ANALYZE")
    raw.execute("VACUUM")
    data = raw.serialize()
    raw.close()
    engine.dispose()
    return Snapshot(definition, seed, data, None)


def _build_scenario_snapshot(
    definition: EnvironmentDefinition, seed: int, scenario: dict[str, Any], key: str | None
) -> Snapshot:
    """A scenario's state: the empty template restored, the scenario bulk-inserted, serialized (~0.1–1 ms)."""
    from envfactory_gym.scenario import TABLES_FORMAT, load_scenario, resolve_scenario

    scenario = resolve_scenario(scenario)  # a file reference: the file's scenario
    base = scenario.get("format") != TABLES_FORMAT and callable(getattr(definition.scenario_io, "base", None))
    raw = _connect_raw()
    try:
        raw.deserialize(_template(definition, base=base))
        raw.execute("BEGIN")
        load_scenario(definition, raw, scenario)
        # The template's triggers logged the loaded rows; the initial state has no changes.
        logged = raw.execute(f"DELETE FROM {CHANGE_LOG}").rowcount
        raw.execute("COMMIT")
        if logged >= ANALYZE_MIN_ROWS:
            raw.execute("ANALYZE")
        data = raw.serialize()
    except BaseException:
        raw.close()
        raise
    return Snapshot(definition, seed, data, key, reference=raw)


class EpisodeDatabase:
    """One episode's private copy of a snapshot (on a reusable slot), with its ORM session.

    The episode runs inside one outer transaction on its slot; :meth:`begin`, :meth:`commit` and
    :meth:`rollback` bracket one tool call as a savepoint; :meth:`reset` returns to the snapshot's state on
    the same connection; :meth:`close` hands the slot back for another episode.
    """

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._slot: _Slot | None = SLOTS.acquire(snapshot)
        self.raw = self._slot.raw
        # What each write through ctx.rows stored (see envfactory_gym.journal); restarted with the episode.
        self.journal = WriteJournal(self.raw.total_changes, snapshot.initial_by_key)
        self._start()
        self._session: Session | None = None

    def _start(self) -> None:
        self.raw.execute("BEGIN")
        self.journal.restart(self.raw.total_changes, self.snapshot.initial_by_key)
        self._depth = 0
        # The first call's savepoint stands from the start, so that reads (most first calls) run no statement.
        self._mark_state()
        # Rows written by this connection so far: unchanged means the state is still the snapshot's.
        self._pristine_changes = self.raw.total_changes

    def pristine(self) -> bool:
        """Whether nothing has been written in this episode yet (its state is exactly the snapshot's)."""
        return self.raw.total_changes == self._pristine_changes

    @property
    def definition(self) -> EnvironmentDefinition:
        return self.snapshot.definition

    @property
    def session(self) -> Session:
        """The ORM session, created on first use (most tools never need it)."""
        if self._session is None:
            if self._slot is None:
                raise sqlite3.ProgrammingError("This episode database is closed.")
            self._session = Session(self._slot.engine(), autoflush=True, expire_on_commit=True)
        return self._session

    # -- transactions: one savepoint per tool call ---------------------------------------------------
    # A savepoint stands open between calls: it marks the state before the next call. A call that writes
    # nothing (every successful read) leaves it standing and costs no statement; a failed call rolls back
    # to it, which keeps it open; a write that succeeds opens the next one on top of it (one statement,
    # where releasing and reopening would take two), and so does a call after writes made outside any
    # call. Every MAX_SAVEPOINT_DEPTH marks the stack is folded into the episode's transaction, so that
    # a long episode's writes never pay for a deep stack.
    def begin(self) -> None:
        """Start a tool call."""
        changes = self.raw.total_changes
        if changes != self._marked:  # written since the mark, outside any call: mark the state as it is
            self._mark_state()
            changes = self.raw.total_changes
        self._call_changes = changes

    def commit(self) -> None:
        """Keep what the call wrote."""
        if self._session is not None and self._session.in_transaction():
            self._session.commit()
        if self.raw.total_changes != self._call_changes:
            self._mark_state()
        elif not self.raw.in_transaction:
            self._poison()

    def rollback(self) -> None:
        """Undo whatever the call wrote (a refusal, an error, or any read)."""
        if self._session is not None:
            self._session.rollback()
        raw = self.raw
        if raw.total_changes != self._call_changes:
            self._end_call(_UNDO_BASE if self._depth == 1 else _UNDO_CALL)
            self._marked = raw.total_changes  # a rollback counts no changes: the mark is the state again
            self.journal.undo_to_mark(self._marked)
        elif not raw.in_transaction:
            self._poison()

    def _mark_state(self) -> None:
        """Open a savepoint marking the state as it is now, on top of the stack (folded when full)."""
        raw = self.raw
        if not raw.in_transaction:
            # Something ended the episode's transaction behind the engine's back: its savepoints are gone,
            # and the slot is never reused; calls stay atomic on a new stack.
            self._poison()
            self._depth = 0
        if 0 < self._depth < MAX_SAVEPOINT_DEPTH:
            self._depth += 1
            self._end_call(_OPEN_CALL)
        else:
            if self._depth:
                self._end_call(_RELEASE_ALL)
            self._depth = 1
            self._end_call(_OPEN_BASE)
        self._marked = raw.total_changes
        self.journal.set_mark(self._marked)

    def _end_call(self, statement: str) -> None:
        raw = self.raw
        try:
            raw.execute(statement)
        except sqlite3.Error:
            # The call's savepoint is gone: something committed or rolled back behind the engine.
            self._poison()
            return
        if not raw.in_transaction:
            self._poison()

    def _poison(self) -> None:
        self.journal.give_up()
        if self._slot is not None:
            self._slot.poisoned = True

    # -- lifecycle --------------------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the snapshot's initial state: a rollback on the same connection, or a fresh slot."""
        slot = self._slot
        if slot is None:
            raise sqlite3.ProgrammingError("This episode database is closed.")
        self._close_session()
        if not slot.restore():
            SLOTS.discarded += 1
            slot.close()
            slot = self._slot = SLOTS.acquire(self.snapshot)
            self.raw = slot.raw
        self._start()

    def _close_session(self) -> None:
        if self._session is not None:
            try:
                self._session.close()
            finally:
                self._session = None

    def close(self) -> None:
        slot = self._slot
        if slot is None:
            return
        self._slot = None
        self.raw = _CLOSED
        try:
            self._close_session()
        finally:
            SLOTS.release(slot)

    # -- state inspection ---------------------------------------------------------------------------
    def changed_tables(self, tables: tuple[str, ...]) -> bool:
        """Whether any row of ``tables`` was written in this episode (net of rollbacks, not of undoing)."""
        if self.pristine():
            return False
        written = self._journal_rows()
        if written is not None:
            return any(table in tables for table, _ in written)
        sql = _CHANGED_TABLES.get(tables)
        if sql is None:
            names = ", ".join("'" + t.replace("'", "''") + "'" for t in tables)
            sql = _CHANGED_TABLES[tables] = f"SELECT 1 FROM {CHANGE_LOG} WHERE tbl IN ({names}) LIMIT 1"
        return self.raw.execute(sql).fetchone() is not None

    def state_part(self, tables: tuple[str, ...], key: str, compute: Any) -> Any:
        """See :func:`envfactory_gym.rows.state_part`: the snapshot's value while ``tables`` are unchanged."""
        if self.changed_tables(tables):
            return compute(self.raw)
        return self.snapshot.part(key, compute)

    def _changes(self) -> list[tuple[str, RowChange, str]]:
        """(canonical key, change, canonical before-row) for every net change, sorted as the change set."""
        changes: list[tuple[str, RowChange, str]] = []
        snapshot = self.snapshot
        tables = snapshot.tables
        row_sql = snapshot._row_sql
        execute = self.raw.execute
        deleted = inserted = False
        for table, rowid in execute(_LOGGED).fetchall():
            initial = snapshot.initial_record(table, rowid)
            after_row = execute(row_sql[table], (rowid,)).fetchone()
            if initial is None and after_row is None:
                continue
            info = tables[table]
            if initial is not None:
                before_row, before_text, before_key_text = initial
                if before_row == after_row:
                    continue
                before = dict(zip(info.columns, before_row, strict=True))
                before_key = {c: before[c] for c in info.primary_key}
            else:
                before = before_key = None
            after = dict(zip(info.columns, after_row, strict=True)) if after_row else None
            after_key = {c: after[c] for c in info.primary_key} if after else None
            if before is not None and after is not None and before_key == after_key:
                change = RowChange(table, "update", after_key or {}, before, after)
                changes.append((before_key_text, change, before_text))
                continue
            if before is not None:
                deleted = True
                change = RowChange(table, "delete", before_key or {}, before, None)
                changes.append((before_key_text, change, before_text))
            if after is not None:
                inserted = True
                change = RowChange(table, "insert", after_key or {}, None, after)
                changes.append((_canonical(after_key), change, "null"))
        if deleted and inserted:
            changes = _merge_moved_rows(changes)
        changes.sort(key=lambda item: (item[1].table, item[0], item[1].op))
        return changes

    def change_set(self) -> list[RowChange]:
        """Every row that differs from the initial state, sorted by table and key."""
        written = self.journal.changes(self.raw.total_changes)
        if written is None:
            return [change for _, change, _ in self._changes()]
        changes = self._journal_changes(written)
        if write_journal.CROSS_CHECK:
            agree("change_set", changes, [change for _, change, _ in self._changes()])
        return changes

    # -- the write journal's answers: the same values, without reading rows back ----------------------
    def _journal_rows(self) -> dict[tuple[str, Any], tuple[Any, ...] | None] | None:
        """The rows written in this episode by (table, key), when the journal covers every write."""
        return self.journal.rows(self.raw.total_changes)

    def _journal_items(self, written: dict[tuple[str, Any], Any]) -> list[tuple[str, str, str, Any, Any, Any]]:
        """(table, canonical key, op, row before, row after, initial record) of every net change, sorted."""
        snapshot = self.snapshot
        items = []
        for table_key, row in written.items():
            initial = snapshot.initial_record_by_key(table_key)
            if initial is None:
                if row is not None:
                    info = snapshot.tables[table_key[0]]
                    key = _canonical({info.columns[i]: row[i] for i in info.key_positions})
                    items.append((table_key[0], key, "insert", None, row, None))
            elif initial[0] != row:
                op = "update" if row is not None else "delete"
                items.append((table_key[0], initial[2], op, initial[0], row, initial))
        items.sort(key=lambda item: (item[0], item[1], item[2]))
        return items

    def _journal_changes(self, written: dict[tuple[str, Any], Any]) -> list[RowChange]:
        tables = self.snapshot.tables
        changes = []
        for table, _, op, before_row, after_row, _ in self._journal_items(written):
            info = tables[table]
            before = dict(zip(info.columns, before_row, strict=True)) if before_row is not None else None
            after = dict(zip(info.columns, after_row, strict=True)) if after_row is not None else None
            key = {c: (after or before or {})[c] for c in info.primary_key}
            changes.append(RowChange(table, op, key, before, after))
        return changes

    def state_hash(self) -> str:
        """A content hash of the whole state: the initial content hash plus the net change set.

        That is sha256(content hash + the change set's canonical JSON, ``[{"after":…,"before":…,"key":…,
        "op":…,"table":…}, …]`` with sorted keys), assembled here from its parts: the initial rows'
        encodings are cached by the snapshot, and no change objects are built.
        """
        if self.pristine():
            return self.snapshot.content_hash
        written = self.journal.changes(self.raw.total_changes)
        if written is None:
            return self._state_hash_from_log()
        tables = self.snapshot.tables
        items = [
            (
                table,
                key,
                op,
                "null" if after is None else tables[table].canonical_row(after),
                "null" if initial is None else initial[1],
            )
            for table, key, op, _, after, initial in self._journal_items(written)
        ]
        digest = self._hash_of_items(items)
        if write_journal.CROSS_CHECK:
            agree("state_hash", digest, self._state_hash_from_log())
        return digest

    def _state_hash_from_log(self) -> str:
        """:meth:`state_hash` from the change log, reading the logged rows back."""
        snapshot = self.snapshot
        execute = self.raw.execute
        logged = execute(_LOGGED).fetchall()
        if not logged:
            return snapshot.content_hash
        items: list[tuple[str, str, str, str, str]] = []  # table, key, op, after, before (canonical JSON)
        for table, rowid in logged:
            initial = snapshot.initial_record(table, rowid)
            after_row = execute(snapshot._row_sql[table], (rowid,)).fetchone()
            info = snapshot.tables[table]
            if initial is None:
                if after_row is None:
                    continue
                key = {info.columns[i]: after_row[i] for i in info.key_positions}
                after = info.canonical_row(after_row)
                items.append((table, _canonical(key), "insert", after, "null"))
                continue
            before_row, before_text, key_text = initial
            if before_row == after_row:
                continue
            if after_row is None:
                items.append((table, key_text, "delete", "null", before_text))
            elif all(before_row[i] == after_row[i] for i in info.key_positions):
                after = info.canonical_row(after_row)
                items.append((table, key_text, "update", after, before_text))
            else:
                return self._hash_of_changes()  # a key changed in place: the general path merges such rows
        ops = {op for _, _, op, _, _ in items}
        if "delete" in ops and "insert" in ops:
            return self._hash_of_changes()  # a row may have moved to another rowid under its key
        items.sort(key=lambda item: (item[0], item[1], item[2]))
        return self._hash_of_items(items)

    def _hash_of_items(self, items: list[tuple[str, str, str, str, str]]) -> str:
        """The state hash of sorted (table, key, op, after, before) canonical-JSON items."""
        if not items:
            return self.snapshot.content_hash
        encode = _ENCODER.encode
        parts = [
            f'{{"after":{after},"before":{before},"key":{key},"op":"{op}","table":{encode(table)}}}'
            for table, key, op, after, before in items
        ]
        payload = "[" + ",".join(parts) + "]"
        return hashlib.sha256((self.snapshot.content_hash + payload).encode()).hexdigest()

    def state_key(self) -> StateKey:
        """A value that equals another state's exactly when both are the same state: the same initial
        content (its hash) and the same rows changed from it, with the same values.

        The same meaning as :meth:`state_hash` without encoding or hashing anything, so comparing two
        states costs two small lookups and a tuple comparison. Values compare as Python compares SQLite's
        values (so 0.0 equals -0.0); rows are identified by primary key, so a row deleted and inserted
        again elsewhere unchanged is no change. Hashable: end states can be counted in a set.
        """
        snapshot = self.snapshot
        if self.pristine():
            return snapshot.content_hash, _NO_CHANGES
        changed = self.journal.changes(self.raw.total_changes)
        if changed is None:
            return self._state_key_from_log()
        key = snapshot.content_hash, frozenset(changed.items())
        if write_journal.CROSS_CHECK:
            agree("state_key", key, self._state_key_from_log())
        return key

    def _state_key_from_log(self) -> StateKey:
        """:meth:`state_key` from the change log, reading the logged rows back."""
        snapshot = self.snapshot
        execute = self.raw.execute
        tables = snapshot.tables
        row_sql = snapshot._row_sql
        initial_rows: dict[tuple[str, Any], tuple[Any, ...]] = {}
        current_rows: dict[tuple[str, Any], tuple[Any, ...]] = {}
        for table, rowid in execute(_LOGGED).fetchall():
            initial = snapshot.initial_row(table, rowid)
            current = execute(row_sql[table], (rowid,)).fetchone()
            if initial == current:
                continue
            key_of = tables[table].key_of
            if initial is not None:
                initial_rows[(table, key_of(initial))] = initial
            if current is not None:
                current_rows[(table, key_of(current))] = current
        changes = frozenset(
            (key, current_rows.get(key))
            for key in initial_rows.keys() | current_rows.keys()
            if current_rows.get(key) != initial_rows.get(key)
        )
        return snapshot.content_hash, changes

    def _hash_of_changes(self) -> str:
        changes = self.change_set()
        if not changes:
            return self.snapshot.content_hash
        payload = _canonical([c.to_dict() for c in changes])
        return hashlib.sha256((self.snapshot.content_hash + payload).encode()).hexdigest()

    def rows(self, table: str) -> list[dict[str, Any]]:
        info = self.snapshot.tables[table]
        cursor = self.raw.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
        return [dict(zip(info.columns, row, strict=True)) for row in cursor]

    def integrity_ok(self) -> bool:
        return self.raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def export_tables(self) -> dict[str, list[dict[str, Any]]]:
        return {name: self.rows(name) for name in self.snapshot.tables}


def _merge_moved_rows(changes: list[tuple[str, RowChange, str]]) -> list[tuple[str, RowChange, str]]:
    """A row deleted at one rowid and re-inserted at another with the same key is an update (or nothing)."""
    deletes = {(c.table, k): (c, before) for k, c, before in changes if c.op == "delete"}
    inserts = {(c.table, k): c for k, c, _ in changes if c.op == "insert"}
    merged = [item for item in changes if item[1].op == "update"]
    for key, (deletion, before) in deletes.items():
        insertion = inserts.pop(key, None)
        if insertion is None:
            merged.append((key[1], deletion, before))
        elif deletion.before != insertion.after:
            change = RowChange(deletion.table, "update", deletion.key, deletion.before, insertion.after)
            merged.append((key[1], change, before))
    merged.extend((key[1], c, "null") for key, c in inserts.items())
    return merged
