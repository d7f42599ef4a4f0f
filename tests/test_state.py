"""Episode state: snapshots, determinism, isolation, change sets, atomic tool calls, scenarios."""

from __future__ import annotations

import subprocess
import sys

from envfactory_gym.database import EpisodeDatabase, build_snapshot, get_snapshot
from envfactory_gym.runtime import ErrorKind, ToolRuntime
from envfactory_gym.scenario import dump_scenario
from envfactory_gym.testing import EpisodeHarness
from tests.fixtures import bank


def test_same_seed_same_state_and_different_seed_differs() -> None:
    a = build_snapshot(bank.env, 7)
    b = build_snapshot(bank.env, 7)
    c = build_snapshot(bank.env, 8)
    assert a.content_hash == b.content_hash
    assert a.content_hash != c.content_hash


def test_snapshot_hash_is_identical_across_processes() -> None:
    code = (
        "from tests.fixtures import bank; from envfactory_gym.database import build_snapshot;"
        "print(build_snapshot(bank.env, 3).content_hash)"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    }
    assert outputs == {build_snapshot(bank.env, 3).content_hash + "\n"}


def test_episodes_are_isolated() -> None:
    one, two = EpisodeHarness(bank.env), EpisodeHarness(bank.env)
    one.ok("transfer", source_id="A0001", target_id="A0002", amount=1)
    assert two.database.change_set() == []
    assert two.ok("get_account", account_id="A0001") != one.ok("get_account", account_id="A0001")
    assert get_snapshot(bank.env).content_hash == two.database.state_hash() != one.database.state_hash()


def test_harness_rows_read_the_episode_state() -> None:
    h = EpisodeHarness(bank.env)
    before = h.rows("SELECT balance FROM accounts WHERE account_id = ?", "A0001")[0]["balance"]
    h.ok("transfer", source_id="A0001", target_id="A0002", amount=3)
    assert h.rows("SELECT balance FROM accounts WHERE account_id = ?", "A0001") == [{"balance": before - 3}]
    assert h.rows("SELECT * FROM accounts WHERE account_id = ?", "missing") == []


def test_change_set_reports_net_changes() -> None:
    h = EpisodeHarness(bank.env)
    start = h.ok("get_account", account_id="A0001")["balance"]
    h.ok("transfer", source_id="A0001", target_id="A0002", amount=5)
    changes = h.database.change_set()
    assert [(c.table, c.op) for c in changes] == [
        ("accounts", "update"),
        ("accounts", "update"),
        ("transfers", "insert"),
    ]
    assert changes[0].changed_columns == {"balance": start - 5}
    # Sending the money back restores the balances: only the two transfer rows remain as changes.
    h.ok("transfer", source_id="A0002", target_id="A0001", amount=5)
    assert [(c.table, c.op) for c in h.database.change_set()] == [("transfers", "insert"), ("transfers", "insert")]


def test_failed_call_changes_nothing_even_after_partial_writes() -> None:
    h = EpisodeHarness(bank.env)
    balance = h.ok("get_account", account_id="A0001")["balance"]
    message = h.error("transfer", source_id="A0001", target_id="A0002", amount=balance + 1)
    assert "insufficient funds" in message
    assert h.ok("get_account", account_id="A0001")["balance"] == balance


def test_buggy_read_tool_is_contained() -> None:
    h = EpisodeHarness(bank.env)
    result = h.call("buggy_lookup", account_id="A0001")
    assert result.error is ErrorKind.INTERNAL
    assert h.database.change_set() == []


def test_orm_path_commits_and_rolls_back() -> None:
    h = EpisodeHarness(bank.env)
    h.ok("freeze_account", account_id="A0004")
    assert [c.changed_columns for c in h.database.change_set()] == [{"frozen": 1}]
    h.error("freeze_account", account_id="nope")
    h.ok("transfer", source_id="A0004", target_id="A0005", amount=1)
    assert len(h.database.change_set()) == 3


def test_generated_ids_depend_only_on_the_episode() -> None:
    def first_transfer_id() -> str:
        runtime = ToolRuntime([EpisodeDatabase(get_snapshot(bank.env))], id_seed="task-1")
        return runtime.call("transfer", {"source_id": "A0001", "target_id": "A0002", "amount": 1}).content

    assert first_transfer_id() == first_transfer_id()


def test_scenario_export_loads_back_to_the_same_state() -> None:
    h = EpisodeHarness(bank.env)
    h.ok("transfer", source_id="A0001", target_id="A0002", amount=7)
    exported = dump_scenario(bank.env, h.database.export_tables())
    loaded = EpisodeHarness(bank.env, scenario=exported)
    assert loaded.database.snapshot.content_hash != get_snapshot(bank.env).content_hash
    assert loaded.database.export_tables() == exported["tables"]
    assert loaded.database.integrity_ok()


def test_bad_scenarios_are_clear_errors() -> None:
    import pytest

    from envfactory_gym.scenario import ScenarioError

    with pytest.raises(ScenarioError, match="Unknown table"):
        build_snapshot(bank.env, 0, {"format": "envfactory.tables/v1", "tables": {"nope": []}})
    with pytest.raises(ScenarioError, match="Unknown scenario format"):
        build_snapshot(bank.env, 0, {"users": {}})
    with pytest.raises(ScenarioError, match="do not fit"):
        build_snapshot(
            bank.env,
            0,
            {"format": "envfactory.tables/v1", "tables": {"accounts": [{"account_id": "A"}, {"account_id": "A"}]}},
        )
