"""Episode reuse: slots with transactional reset keep every isolation guarantee of fresh databases.

An episode runs on a pooled connection inside one outer transaction; a reset or a release rolls it back.
These tests check what that must never break: a reused slot starts exactly at the snapshot, a closed
episode cannot reach a slot another episode now uses, a tool that commits behind the engine's back (or an
episode that dies mid-call) never hands a dirty slot on, and 1,000 live episodes stay apart. They also
cover scenario snapshots (keyed once per object, built by bulk inserts, bounded cache).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
from sqlalchemy import JSON, Boolean, Integer, String, insert
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from envfactory_gym import database as db_module
from envfactory_gym.authoring import EnvironmentDefinition, ToolContext
from envfactory_gym.database import SLOTS, EpisodeDatabase, build_snapshot, get_snapshot, scenario_key
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.rows import bulk_insert, fetch_rows
from envfactory_gym.runtime import ErrorKind, ToolRuntime
from envfactory_gym.scenario import dump_scenario
from envfactory_gym.tasks import Task
from envfactory_gym.testing import EpisodeHarness
from tests.fixtures import bank

TRANSFER = {"source_id": "A0001", "target_id": "A0002", "amount": 7}


def balance(runtime: ToolRuntime, account_id: str = "A0001") -> int:
    return int(json.loads(runtime.call("get_account", {"account_id": account_id}).content)["balance"])


def test_a_reused_slot_starts_at_the_snapshot() -> None:
    snapshot = get_snapshot(bank.env)
    first = EpisodeHarness(bank.env)
    start = first.ok("get_account", account_id="A0001")["balance"]
    first.ok("transfer", **TRANSFER)
    first.ok("freeze_account", account_id="A0003")  # through the ORM session
    connection = first.database.raw
    first.close()
    second = EpisodeHarness(bank.env)
    assert second.database.raw is connection, "the released slot is reused (LIFO)"
    assert second.database.change_set() == []
    assert second.database.state_hash() == snapshot.content_hash
    assert second.ok("get_account", account_id="A0001")["balance"] == start
    assert second.database.session.get(bank.Account, "A0003").frozen == 0  # type: ignore[union-attr]
    second.close()


def test_reset_in_place_restores_the_snapshot_and_the_id_stream() -> None:
    database = EpisodeDatabase(get_snapshot(bank.env))
    runtime = ToolRuntime([database], id_seed="task-1")
    first_id = json.loads(runtime.call("transfer", TRANSFER).content)["transfer_id"]
    runtime.call("freeze_account", {"account_id": "A0004"})
    assert len(database.change_set()) == 4
    runtime.reset(id_seed="task-1")
    assert database.change_set() == [] and database.state_hash() == database.snapshot.content_hash
    assert json.loads(runtime.call("transfer", TRANSFER).content)["transfer_id"] == first_id
    assert [c.table for c in database.change_set()] == ["accounts", "accounts", "transfers"]
    runtime.close()


def test_a_closed_episode_cannot_reach_the_slot_of_the_next_one() -> None:
    harness = EpisodeHarness(bank.env)
    context = harness.runtime.bindings["transfer"].context
    database = harness.database
    harness.close()
    harness.close()  # closing twice is harmless
    successor = EpisodeHarness(bank.env)
    with pytest.raises(sqlite3.ProgrammingError):
        database.raw.execute("SELECT 1")
    with pytest.raises(sqlite3.ProgrammingError):
        context.rows(bank.Account).update("A0001", balance=0)
    with pytest.raises(sqlite3.ProgrammingError):
        database.change_set()
    assert successor.database.change_set() == []
    successor.close()


def test_an_episode_abandoned_mid_call_hands_on_a_clean_slot() -> None:
    database = EpisodeDatabase(get_snapshot(bank.env))
    # What a crash between a call's savepoint and its end leaves: an open savepoint with writes in it.
    database.begin()
    database.raw.execute("UPDATE accounts SET balance = -5 WHERE account_id = 'A0001'")
    database.session.get(bank.Account, "A0002").frozen = 1  # type: ignore[union-attr]
    database.session.flush()
    connection = database.raw
    database.close()
    successor = EpisodeDatabase(get_snapshot(bank.env))
    assert successor.raw is connection
    assert successor.change_set() == [] and successor.integrity_ok()
    successor.close()


def test_a_tool_that_commits_behind_the_engine_poisons_only_its_own_slot() -> None:
    rogue = EnvironmentDefinition("test_bank_rogue", domain="finance", models=bank.Base, description="Rogue.")
    rogue.seed(bank.seed_bank)

    @rogue.write
    def commit_and_go_on(ctx: ToolContext, account_id: str) -> str:
        """Writes, then commits the episode's transaction itself (a bug no tool may have).

        Args:
            account_id: The account id.
        """
        ctx.conn.execute("UPDATE accounts SET balance = 0 WHERE account_id = ?", (account_id,))
        ctx.conn.execute("COMMIT")
        ctx.conn.execute("BEGIN")
        return "done"

    @rogue.write
    def python_commit(ctx: ToolContext, account_id: str) -> str:
        """Writes, then calls the connection's commit().

        Args:
            account_id: The account id.
        """
        ctx.conn.execute("UPDATE accounts SET balance = 1 WHERE account_id = ?", (account_id,))
        ctx.conn.commit()
        return "done"

    snapshot = build_snapshot(rogue, 0)
    for tool in ("commit_and_go_on", "python_commit"):
        database = EpisodeDatabase(snapshot)
        runtime = ToolRuntime([database])
        result = runtime.call(tool, {"account_id": "A0001"})
        assert result.error in (None, ErrorKind.INTERNAL)
        poisoned = database.raw
        discarded = SLOTS.discarded
        runtime.close()
        assert SLOTS.discarded == discarded + 1
        fresh = EpisodeDatabase(snapshot)
        assert fresh.raw is not poisoned
        assert fresh.change_set() == [] and fresh.state_hash() == snapshot.content_hash
        fresh.close()
    # In-place reset of a poisoned episode also moves it to a clean slot.
    database = EpisodeDatabase(snapshot)
    runtime = ToolRuntime([database])
    runtime.call("commit_and_go_on", {"account_id": "A0002"})
    runtime.reset()
    assert database.change_set() == [] and database.state_hash() == snapshot.content_hash
    assert database.raw.execute("SELECT balance FROM accounts WHERE account_id = 'A0002'").fetchone()[0] != 0
    runtime.close()


def test_failed_calls_on_a_reused_slot_change_nothing() -> None:
    harness = EpisodeHarness(bank.env)
    harness.ok("transfer", **TRANSFER)
    harness.runtime.reset()
    before = harness.database.state_hash()
    assert harness.call("buggy_lookup", account_id="A0001").error is ErrorKind.INTERNAL
    harness.error("transfer", source_id="A0001", target_id="A0002", amount=10**9)
    assert harness.call("transfer", source_id="A0001").error is ErrorKind.INVALID_ARGUMENTS
    assert harness.database.state_hash() == before == harness.database.snapshot.content_hash
    harness.close()


def test_a_thousand_live_episodes_stay_isolated() -> None:
    snapshot = get_snapshot(bank.env)
    runtimes = [ToolRuntime([EpisodeDatabase(snapshot)]) for _ in range(1000)]
    assert len({id(r.databases["test_bank"].raw) for r in runtimes}) == 1000, "one connection per live episode"
    start = balance(runtimes[0])
    for index, runtime in enumerate(runtimes):
        assert runtime.call("transfer", {**TRANSFER, "amount": index + 1}).ok
    for index, runtime in enumerate(runtimes):
        changes = runtime.databases["test_bank"].change_set()
        assert [c.after["amount"] for c in changes if c.table == "transfers"] == [index + 1]  # type: ignore[index]
        assert balance(runtime) == start - index - 1
    for runtime in runtimes:
        runtime.close()
    assert snapshot.idle_slots <= db_module.MAX_IDLE_SLOTS_PER_SNAPSHOT
    assert SLOTS.idle_bytes <= SLOTS.max_idle_bytes
    again = [ToolRuntime([EpisodeDatabase(snapshot)]) for _ in range(50)]
    assert all(r.databases["test_bank"].change_set() == [] and balance(r) == start for r in again)
    for runtime in again:
        runtime.close()


def test_gym_resets_reuse_the_episode_runtime_and_start_clean() -> None:
    task = Task(task_id="slots", domain="finance", env_ids=["test_bank"], goal="write", query="Send 7.", gold_calls=[])
    env = ToolUseEnv(["test_bank"], tasks=[task])
    env.reset(options={"task": task})
    runtime = env.runtime
    env.step(json.dumps({"name": "transfer", "arguments": TRANSFER}))
    changed = env.state_hash()
    env.reset(options={"task": task})
    assert env.runtime is runtime, "same initial state: the runtime is rolled back, not rebuilt"
    assert env.change_sets() == {"test_bank": []}
    env.step(json.dumps({"name": "transfer", "arguments": TRANSFER}))
    assert env.state_hash() == changed, "the same calls after a reset reach the same state (ids included)"
    env.close()


# -- scenario snapshots ------------------------------------------------------------------------------------


def test_a_scenario_object_is_keyed_once_and_a_changed_copy_gets_its_own_snapshot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    harness = EpisodeHarness(bank.env)
    scenario = dump_scenario(bank.env, harness.database.export_tables())
    harness.close()
    hashed = []
    canonical = db_module._canonical
    monkeypatch.setattr(db_module, "_canonical", lambda value: hashed.append(1) or canonical(value))
    first = get_snapshot(bank.env, scenario=scenario)
    assert get_snapshot(bank.env, scenario=scenario) is first
    assert scenario_key(scenario) == first.scenario_key
    assert len(hashed) == 1, "the scenario is serialised and hashed once, not on every reset"
    # A task validated again from the same dict has a new scenario dict holding the same values.
    task = {"task_id": "t", "domain": "finance", "env_ids": ["test_bank"], "goal": "read", "query": "q"}
    task |= {"gold_calls": [], "scenario": {"test_bank": scenario}}
    revalidated = Task.model_validate(task).scenario["test_bank"]  # type: ignore[index]
    assert revalidated is not scenario and get_snapshot(bank.env, scenario=revalidated) is first
    assert len(hashed) == 1
    changed = json.loads(json.dumps(scenario))
    changed["tables"]["accounts"][0]["balance"] += 1
    other = get_snapshot(bank.env, scenario=changed)
    assert other is not first and other.content_hash != first.content_hash


def test_a_scenario_snapshot_equals_the_state_it_was_dumped_from() -> None:
    harness = EpisodeHarness(bank.env)
    harness.ok("transfer", **TRANSFER)
    state = harness.database.export_tables()
    expected_hash = harness.database.state_hash()
    harness.close()
    loaded = build_snapshot(bank.env, 0, dump_scenario(bank.env, state))
    episode = EpisodeDatabase(loaded)
    assert episode.export_tables() == state and episode.change_set() == [] and episode.integrity_ok()
    assert loaded.content_hash != expected_hash  # a new initial state, with no changes of its own
    episode.close()


class _TypesBase(DeclarativeBase):
    pass


class _Typed(_TypesBase):
    __tablename__ = "typed"
    key: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str | None] = mapped_column(String(20))
    flag: Mapped[bool | None] = mapped_column(Boolean)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)
    count: Mapped[int] = mapped_column(Integer, default=3)


def test_bulk_insert_stores_exactly_what_the_orm_insert_stores() -> None:
    rows: list[dict[str, Any]] = [
        {"key": 1, "label": "a", "flag": True, "data": {"b": [1, 2], "a": None}, "count": 5},
        {"key": 2, "label": None, "flag": False},
        {"key": 3, "data": None},
    ]
    stored = []
    for use_orm in (True, False):
        raw = sqlite3.connect(":memory:", isolation_level=None)
        from sqlalchemy import create_engine
        from sqlalchemy.pool import StaticPool

        engine = create_engine("sqlite://", creator=lambda raw=raw: raw, poolclass=StaticPool)
        _TypesBase.metadata.create_all(engine)
        if use_orm:
            with Session(engine) as session:
                for row in rows:
                    session.execute(insert(_Typed), [row])
                session.commit()
        else:
            bulk_insert(raw, _Typed, rows)
        stored.append(raw.execute("SELECT * FROM typed ORDER BY key").fetchall())
        assert fetch_rows(raw, _Typed)[0]["data"] == {"b": [1, 2], "a": None}
        engine.dispose()
    assert stored[0] == stored[1]
    with pytest.raises(KeyError):
        bulk_insert(sqlite3.connect(":memory:"), _Typed, [{"key": 1, "nope": 2}])


def test_the_scenario_cache_is_bounded_and_evicted_snapshots_keep_serving(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db_module, "MAX_SCENARIO_SNAPSHOTS", 3)
    harness = EpisodeHarness(bank.env)
    base = dump_scenario(bank.env, harness.database.export_tables())
    harness.close()
    scenarios = []
    for amount in range(6):
        scenario = json.loads(json.dumps(base))
        scenario["tables"]["accounts"][0]["balance"] = 10_000 + amount
        scenarios.append(scenario)
    live = EpisodeDatabase(get_snapshot(bank.env, scenario=scenarios[0]))
    for scenario in scenarios[1:]:
        EpisodeDatabase(get_snapshot(bank.env, scenario=scenario)).close()
    assert len(db_module._SCENARIOS) <= 3
    assert live.snapshot.evicted
    assert live.raw.execute("SELECT balance FROM accounts WHERE account_id = 'A0000'").fetchone()[0] == 10_000
    live.close()
    assert live.snapshot.idle_slots == 0, "an evicted snapshot's slots are closed, not pooled"


def test_the_state_hash_is_the_hash_of_the_canonical_change_set() -> None:
    """The hash is assembled from cached parts; it must equal the documented formula on any change set."""
    import hashlib

    harness = EpisodeHarness(bank.env)
    database = harness.database

    def documented() -> str:
        changes = database.change_set()
        if not changes:
            return database.snapshot.content_hash
        payload = db_module._canonical([c.to_dict() for c in changes])
        return hashlib.sha256((database.snapshot.content_hash + payload).encode()).hexdigest()

    assert database.state_hash() == documented()
    harness.ok("transfer", **TRANSFER)
    harness.ok("freeze_account", account_id="A0009")
    assert database.state_hash() == documented()
    # A row moved to another rowid under the same key, a deleted row, and a row with odd text.
    row = database.raw.execute("SELECT * FROM accounts WHERE account_id = 'A0005'").fetchone()
    database.raw.execute("DELETE FROM accounts WHERE account_id = 'A0005'")
    database.raw.execute("INSERT INTO accounts VALUES (?, ?, ?, ?)", (row[0], row[1], row[2] + 1, row[3]))
    database.raw.execute("DELETE FROM accounts WHERE account_id = 'A0006'")
    database.raw.execute("UPDATE accounts SET owner = ? WHERE account_id = 'A0007'", ('Zoë "Q" \\ \u2028',))
    assert {c.op for c in database.change_set()} == {"update", "insert", "delete"}
    assert database.state_hash() == documented()
    harness.close()


def test_reads_of_an_untouched_state_come_from_the_snapshot_and_never_go_stale() -> None:
    database = EpisodeDatabase(get_snapshot(bank.env))
    runtime = ToolRuntime([database])
    accounts = runtime.bindings["get_account"].context.rows(bank.Account)
    first = accounts.get("A0001")
    assert database.pristine() and first is not None
    first["balance"] = -999  # a caller's copy: changing it changes nothing else
    assert accounts.get("A0001")["balance"] != -999  # type: ignore[index]
    assert accounts.get("nope") is None and accounts.get(1) is None
    start = first and accounts.get("A0001")["balance"]  # type: ignore[index]
    assert runtime.call("transfer", TRANSFER).ok and not database.pristine()
    assert accounts.get("A0001")["balance"] == start - 7  # type: ignore[index,operator]
    runtime.call("transfer", {**TRANSFER, "amount": 10**9})  # refused and rolled back
    assert accounts.get("A0001")["balance"] == start - 7  # type: ignore[index,operator]
    runtime.reset()
    accounts = runtime.bindings["get_account"].context.rows(bank.Account)
    assert database.pristine() and accounts.get("A0001")["balance"] == start  # type: ignore[index]
    runtime.close()
