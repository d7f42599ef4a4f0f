"""The write journal: the rows it keeps are exactly what SQLite stores, and it answers only when it covers
every write. (Every test of the suite also runs with the journal's cross-check on: see conftest.py.)"""

from __future__ import annotations

import math
import sqlite3
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from envfactory_gym import journal, registry
from envfactory_gym.database import EpisodeDatabase, get_snapshot
from envfactory_gym.journal import CONVERTERS, UncertainValue, column_affinity, stored
from envfactory_gym.rows import _DIALECT, Rows, table_meta
from envfactory_gym.testing import EpisodeHarness
from tests.fixtures import bank

DECLARED_TYPES = [
    "INTEGER",
    "BIGINT",
    "NUMERIC",
    "BOOLEAN",
    "DATETIME",
    "JSON",
    "REAL",
    "FLOAT",
    "VARCHAR(8)",
    "TEXT",
    "BLOB",
    "",
]

_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1.0, 2.0**53, 2.0**53 + 2, 1e300, 0.1 + 0.2, -7.0]),
    st.text(max_size=12),
    st.sampled_from(
        ["12", " 12 ", "1e3", "-.5", "+7.", "0x10", "Infinity", "nan", "1_000", "١٢", "2025-03-01", "x\x00y"]
    ),
    st.binary(max_size=6),
)


@pytest.mark.parametrize("declared", DECLARED_TYPES)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_values)
def test_a_recorded_value_is_what_sqlite_reads_back(declared: str, value: Any) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE TABLE t (k INTEGER PRIMARY KEY, v {declared})")
    conn.execute("INSERT INTO t (k, v) VALUES (1, NULL)")
    conn.execute("UPDATE t SET v = ? WHERE k = 1", (value,))
    (read_back,) = conn.execute("SELECT v FROM t").fetchone()
    try:
        recorded = stored(CONVERTERS[column_affinity(declared)], value)
    except UncertainValue:
        return  # the journal gives up on such a value: the rows are read back instead
    assert type(recorded) is type(read_back)
    assert recorded == read_back or (recorded != recorded and read_back != read_back)
    if isinstance(read_back, float):
        assert math.copysign(1, recorded) == math.copysign(1, read_back)


def test_affinity_follows_sqlites_rules() -> None:
    assert [column_affinity(t) for t in ("INT", "VARCHAR(3)", "CLOB", "BLOB", "", "DOUBLE", "FLOAT", "JSON")] == [
        "INTEGER",
        "TEXT",
        "TEXT",
        "BLOB",
        "BLOB",
        "REAL",
        "REAL",
        "NUMERIC",
    ]


def test_every_environments_declared_types_are_the_schemas() -> None:
    """The journal reads affinities from the models' compiled types: they must be the tables' own."""
    for env_id in sorted(registry.implemented()):
        definition = registry.load_definition(env_id)
        raw = sqlite3.connect(":memory:")
        engine = create_engine("sqlite://", creator=lambda raw=raw: raw, poolclass=StaticPool)
        definition.models.metadata.create_all(engine)
        for mapper in definition.models.registry.mappers:
            model = mapper.class_
            meta = table_meta(model)
            schema = {row[1]: row[2] for row in raw.execute(f'PRAGMA table_info("{meta.name}")')}
            for column in model.__table__.columns:
                assert column.type.compile(dialect=_DIALECT) == schema[column.name], (env_id, meta.name, column.name)
            assert meta.journaled == bool(meta.primary_key), (env_id, meta.name)
        engine.dispose()


# -- the journal in an episode ---------------------------------------------------------------------------


@pytest.fixture
def harness() -> EpisodeHarness:
    return EpisodeHarness(bank.env)


def _log_answers(database: EpisodeDatabase) -> tuple[Any, str, list[Any]]:
    return database._state_key_from_log(), database._state_hash_from_log(), [c for _, c, _ in database._changes()]


def _answers(database: EpisodeDatabase) -> tuple[Any, str, list[Any]]:
    return database.state_key(), database.state_hash(), database.change_set()


def test_writes_through_rows_are_journaled_and_agree_with_the_log(harness: EpisodeHarness) -> None:
    database = harness.database
    harness.ok("transfer", source_id="A0001", target_id="A0002", amount=5)  # two updates and an insert
    written = database._journal_rows()
    assert written is not None and {table for table, _ in written} == {"accounts", "transfers"}
    assert _answers(database) == _log_answers(database)
    balance = harness.rows("SELECT balance FROM accounts WHERE account_id = 'A0001'")[0]["balance"]
    assert harness.ok("get_account", account_id="A0001")["balance"] == balance  # a lookup from the journal


def test_a_refused_call_takes_its_writes_out_of_the_journal(harness: EpisodeHarness) -> None:
    database = harness.database
    harness.ok("transfer", source_id="A0001", target_id="A0002", amount=1)
    after_one = _answers(database)
    # Written, then refused (insufficient funds is checked after both updates): rolled back.
    harness.error("transfer", source_id="A0003", target_id="A0001", amount=10**9)
    assert database._journal_rows() is not None
    assert _answers(database) == after_one == _log_answers(database)


def test_writes_outside_the_journal_turn_it_off_until_the_next_episode(harness: EpisodeHarness) -> None:
    database = harness.database
    harness.ok("freeze_account", account_id="A0004")  # through the ORM session
    assert database._journal_rows() is None
    harness.ok("transfer", source_id="A0001", target_id="A0002", amount=2)
    assert database._journal_rows() is None  # not used again in this episode, whatever comes next
    frozen = harness.rows("SELECT frozen FROM accounts WHERE account_id = 'A0004'")[0]["frozen"]
    assert frozen == 1 and any(c.key == {"account_id": "A0004"} for c in database.change_set())
    harness.runtime.reset()
    harness.ok("transfer", source_id="A0001", target_id="A0002", amount=2)
    assert database._journal_rows() is not None


def test_raw_sql_between_calls_is_seen(harness: EpisodeHarness) -> None:
    database = harness.database
    harness.ok("transfer", source_id="A0001", target_id="A0002", amount=3)
    database.raw.execute("UPDATE accounts SET owner = 'Someone Else' WHERE account_id = 'A0009'")
    assert database._journal_rows() is None
    assert any(c.key == {"account_id": "A0009"} for c in database.change_set())
    assert harness.ok("get_account", account_id="A0009")["owner"] == "Someone Else"


def test_a_buggy_read_that_wrote_leaves_the_journal_covering(harness: EpisodeHarness) -> None:
    database = harness.database
    harness.ok("transfer", source_id="A0001", target_id="A0002", amount=3)
    before = _answers(database)
    assert not harness.call("buggy_lookup", account_id="A0001").ok
    assert database._journal_rows() is not None and _answers(database) == before


def test_a_value_sqlite_converts_makes_the_journal_read_back(harness: EpisodeHarness) -> None:
    database = harness.database
    accounts = Rows(database.raw, bank.Account, database)
    database.begin()
    accounts.update("A0001", balance="12")  # text in an INTEGER column: stored as the integer 12
    database.commit()
    assert database._journal_rows() is None
    assert accounts.get("A0001")["balance"] == 12
    assert database.change_set()[0].after["balance"] == 12


def test_the_cross_check_catches_a_journal_that_is_wrong(harness: EpisodeHarness) -> None:
    database = harness.database
    harness.ok("transfer", source_id="A0001", target_id="A0002", amount=3)
    changed = database.journal.changes(database.raw.total_changes)
    assert changed is not None and journal.CROSS_CHECK
    row_key = ("accounts", "A0001")
    changed[row_key] = (*changed[row_key][:2], -12345, *changed[row_key][3:])
    with pytest.raises(AssertionError, match="write journal's state_key"):
        database.state_key()


# -- random writes, commits and rollbacks -------------------------------------------------------------------

_accounts = st.sampled_from(["A0001", "A0002", "A0003", "N0001", "N0002"])
_balances = st.one_of(st.integers(-5, 5), st.sampled_from([2.0, 2.5, "7", "seven", None, True]))
_operations = st.lists(
    st.one_of(
        st.tuples(st.just("update"), _accounts, _balances),
        st.tuples(st.just("insert"), _accounts, _balances),
        st.tuples(st.just("add"), _accounts, _balances),
        st.tuples(st.just("delete"), _accounts, st.none()),
        st.tuples(st.just("raw"), _accounts, _balances),
        st.tuples(st.just("rollback"), st.none(), st.none()),
        st.tuples(st.just("commit"), st.none(), st.none()),
        st.tuples(st.just("reset"), st.none(), st.none()),
    ),
    max_size=14,
)


@settings(max_examples=150, deadline=None)
@given(operations=_operations)
def test_random_writes_keep_the_journal_exact(operations: list[tuple[str, Any, Any]]) -> None:
    database = EpisodeDatabase(get_snapshot(bank.env))
    try:
        accounts = Rows(database.raw, bank.Account, database)
        database.begin()
        for operation, account, balance in operations:
            try:
                if operation == "update":
                    accounts.update(account, balance=balance)
                elif operation == "insert":
                    accounts.insert(account_id=account, owner="New", balance=balance, frozen=0)
                elif operation == "add":
                    accounts.add(account_id=account, owner="New", balance=balance)  # frozen left out: NULL
                elif operation == "delete":
                    accounts.delete(account)
                elif operation == "raw":
                    database.raw.execute("UPDATE accounts SET balance = ? WHERE account_id = ?", (balance, account))
                elif operation == "rollback":
                    database.rollback()
                    database.begin()
                elif operation == "commit":
                    database.commit()
                    database.begin()
                else:
                    database.reset()
                    accounts.rebind(database.raw, database)
                    database.begin()
            except sqlite3.IntegrityError:  # a duplicate or NULL key: refused, nothing changed
                pass
            # Every answer is cross-checked against the log (conftest); the lookup by key too.
            database.state_key()
            database.state_hash()
            database.change_set()
            accounts.get(account or "A0001")
    finally:
        database.close()
