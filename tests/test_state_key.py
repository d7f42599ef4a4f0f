"""The state key: equal for two episodes exactly when their state hashes are equal, whatever they did."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable

from envfactory_gym.testing import EpisodeHarness
from tests.fixtures import bank

Operation = Callable[[sqlite3.Connection], None]


def _update(account: str, balance: int) -> Operation:
    return lambda raw: raw.execute("UPDATE accounts SET balance = ? WHERE account_id = ?", (balance, account))


def _move(account: str) -> Operation:
    """Delete a row and insert it again unchanged: another rowid, the same state."""

    def run(raw: sqlite3.Connection) -> None:
        row = raw.execute("SELECT * FROM accounts WHERE account_id = ?", (account,)).fetchone()
        if row is None:
            return
        raw.execute("DELETE FROM accounts WHERE account_id = ?", (account,))
        raw.execute("INSERT INTO accounts VALUES (?, ?, ?, ?)", row)

    return run


def _rekey(account: str, new: str) -> Operation:
    return lambda raw: raw.execute("UPDATE accounts SET account_id = ? WHERE account_id = ?", (new, account))


def _delete(account: str) -> Operation:
    return lambda raw: raw.execute("DELETE FROM accounts WHERE account_id = ?", (account,))


def _insert(account: str, balance: int) -> Operation:
    return lambda raw: raw.execute("INSERT OR REPLACE INTO accounts VALUES (?, 'New', ?, 0)", (account, balance))


def _random_operations(rng: random.Random) -> list[Operation]:
    accounts = ["A0001", "A0002", "A0003", "Z0001"]
    makers: list[Callable[[], Operation]] = [
        lambda: _update(rng.choice(accounts[:3]), rng.choice([0, 10_000, 5])),
        lambda: _move(rng.choice(accounts[:3])),
        lambda: _rekey(rng.choice(accounts[:3]), rng.choice(accounts)),
        lambda: _delete(rng.choice(accounts)),
        lambda: _insert(rng.choice(accounts), rng.choice([0, 10_000])),
    ]
    return [rng.choice(makers)() for _ in range(rng.randint(0, 4))]


def _apply(harness: EpisodeHarness, operations: list[Operation]) -> None:
    for operation in operations:
        try:
            operation(harness.database.raw)
        except sqlite3.IntegrityError:  # a re-key onto an existing account: refused, nothing changed
            pass


def test_state_keys_agree_with_state_hashes_on_random_episodes() -> None:
    rng = random.Random(13)
    left, right = EpisodeHarness(bank.env), EpisodeHarness(bank.env)
    equal = different = 0
    for _ in range(400):
        left.database.reset()
        right.database.reset()
        operations = _random_operations(rng)
        _apply(left, operations)
        # The other episode does the same, a part of it, or something else.
        _apply(right, rng.choice([operations, operations[: len(operations) // 2], _random_operations(rng)]))
        same_hash = left.database.state_hash() == right.database.state_hash()
        same_key = left.database.state_key() == right.database.state_key()
        assert same_key == same_hash, (same_key, same_hash)
        assert hash(left.database.state_key()) is not None
        equal += same_key
        different += not same_key
    assert equal > 50 and different > 50, "both outcomes must be exercised"
    left.close()
    right.close()


def test_a_state_key_sees_writes_reverts_and_moves() -> None:
    harness = EpisodeHarness(bank.env)
    database = harness.database
    untouched = database.state_key()
    assert untouched == (database.snapshot.content_hash, frozenset())
    harness.ok("freeze_account", account_id="A0009")
    frozen = database.state_key()
    assert frozen != untouched
    database.raw.execute("UPDATE accounts SET frozen = 0 WHERE account_id = 'A0009'")
    assert database.state_key() == untouched, "a write undone by another write is no change"
    _move("A0004")(database.raw)
    assert database.state_key() == untouched, "a row moved to another rowid unchanged is no change"
    harness.error("transfer", source_id="A0001", target_id="A0002", amount=10**12)
    assert database.state_key() == untouched, "a refused call changes nothing"
    harness.close()


def test_runtime_state_keys_compare_two_episodes() -> None:
    from envfactory_gym.database import EpisodeDatabase, get_snapshot
    from envfactory_gym.runtime import ToolRuntime

    first = ToolRuntime([EpisodeDatabase(get_snapshot(bank.env))])
    second = ToolRuntime([EpisodeDatabase(get_snapshot(bank.env))])
    assert first.state_key() == second.state_key()
    first.call("freeze_account", {"account_id": "A0003"})
    assert first.state_key() != second.state_key()
    second.call("freeze_account", {"account_id": "A0003"})
    assert first.state_key() == second.state_key() and first.state_hash() == second.state_hash()
    first.close()
    second.close()
