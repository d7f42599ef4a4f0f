"""The per-call fast paths: precompiled argument checks agree with pydantic, results render as the strict encoder."""

from __future__ import annotations

import dataclasses
import math
from typing import Annotated, Any, Literal

import pytest
from pydantic import Field

from envfactory_gym import registry
from envfactory_gym.authoring import MAX_ARGUMENT_NUMBER, MAX_ARGUMENT_STRING, ToolSpec, build_tool_spec
from envfactory_gym.errors import ToolArgumentError

# Values of every JSON kind and their edge cases: exact types, ones pydantic coerces, ones it refuses.
PROBES: list[Any] = [
    "text",
    "",
    "\ud800",
    "x" * (MAX_ARGUMENT_STRING + 1),
    "12",
    "1e400",
    0,
    1,
    -7,
    MAX_ARGUMENT_NUMBER,
    MAX_ARGUMENT_NUMBER + 1,
    2.5,
    3.0,
    float("nan"),
    float("inf"),
    1e300,
    True,
    False,
    None,
    [],
    ["a", "b"],
    ["a", 1],
    ("a",),
    {"k": "v"},
    b"bytes",
]


def _full_path(spec: ToolSpec) -> ToolSpec:
    return dataclasses.replace(spec, _argument_plan=None)


def _outcome(spec: ToolSpec, arguments: Any) -> tuple[str, Any]:
    try:
        values = spec.validate_arguments(arguments)
    except ToolArgumentError as exc:
        return "error", str(exc)
    return "ok", [
        (k, type(v).__name__, v if not isinstance(v, float) or not math.isnan(v) else "nan") for k, v in values.items()
    ]


def _argument_sets(spec: ToolSpec) -> list[Any]:
    names = spec.arg_names
    sets: list[Any] = [{}, [], "x", None, {"unknown": 1}]
    for name in names:
        for probe in PROBES:
            sets.append({n: probe for n in names})
            sets.append({name: probe})
        sets.append({n: "x" for n in names if n != name})
    sets.append({**{n: "x" for n in names}, "extra": 1})
    return sets


def _specs() -> list[ToolSpec]:
    specs = []
    for env_id in ("vehicle_control", "travel_booking", "airline", "weather", "maps", "slack"):
        specs.extend(registry.load_definition(env_id).tools.values())
    return specs


def test_the_fast_path_covers_the_common_tools() -> None:
    specs = _specs()
    covered = [s for s in specs if s._argument_plan is not None]
    assert len(covered) >= len(specs) * 0.8, f"only {len(covered)} of {len(specs)} tools have a fast path"


@pytest.mark.parametrize("spec", _specs(), ids=lambda s: s.name)
def test_fast_and_full_paths_agree(spec: ToolSpec) -> None:
    full = _full_path(spec)
    for arguments in _argument_sets(spec):
        assert _outcome(spec, arguments) == _outcome(full, arguments), arguments


def test_fast_path_values_are_copies_and_coerced_like_pydantic() -> None:
    def tool(
        ctx: Any, names: list[str], amount: float, mode: Literal["a", "b"] = "a", note: str | None = None
    ) -> dict[str, Any]:
        """A tool.

        Args:
            names: Names.
            amount: An amount.
            mode: A mode.
            note: A note.
        """
        return {}

    spec = build_tool_spec(tool, "read")
    assert spec._argument_plan is not None
    names = ["x"]
    values = spec.validate_arguments({"names": names, "amount": 2})
    assert values == {"names": ["x"], "amount": 2.0, "mode": "a", "note": None}
    assert type(values["amount"]) is float and values["names"] is not names
    for arguments in ({"names": names, "amount": 2, "mode": "c"}, {"names": names, "amount": "2"}):
        assert _outcome(spec, arguments) == _outcome(_full_path(spec), arguments)


def test_annotations_with_constraints_keep_the_full_path() -> None:
    def tool(ctx: Any, count: Annotated[int, Field(ge=1)], items: dict[str, str]) -> dict[str, Any]:
        """A tool.

        Args:
            count: A count.
            items: Items.
        """
        return {}

    assert build_tool_spec(tool, "read")._argument_plan is None


def test_results_render_as_the_strict_json_encoder_does() -> None:
    import datetime as dt

    from envfactory_gym.runtime import _RESULT_ENCODER, render_result

    for value in [{"a": 1, "b": [1.5, "é\u2028", None, True]}, [], {3: "x"}, {"d": dt.date(2024, 1, 2)}, {1, 2}]:
        assert render_result(value) == _RESULT_ENCODER.encode(value)
    circular: list[Any] = []
    circular.append(circular)
    for bad in [float("nan"), {"x": float("inf")}, object(), {(1, 2): 3}, circular]:
        with pytest.raises((ValueError, TypeError, RecursionError)):
            render_result(bad)


def test_every_call_stays_atomic_across_a_deep_savepoint_stack() -> None:
    """Writes stack savepoints (folded every MAX_SAVEPOINT_DEPTH); a refused call, a buggy read and a read
    that writes undo exactly their own call at every depth, and writes made outside calls are kept."""
    from envfactory_gym.database import MAX_SAVEPOINT_DEPTH
    from envfactory_gym.testing import EpisodeHarness
    from tests.fixtures import bank

    harness = EpisodeHarness(bank.env)
    database = harness.database
    balances = []
    steps = range(3 * MAX_SAVEPOINT_DEPTH + 2)
    for step in steps:
        harness.ok("transfer", source_id="A0001", target_id="A0002", amount=1)
        if step % 5 == 0:  # a write outside any call (a harness or the engine editing the state)
            database.raw.execute("UPDATE accounts SET owner = ? WHERE account_id = 'A0003'", (f"owner {step}",))
        before = database.state_hash()
        harness.error("transfer", source_id="A0001", target_id="A0002", amount=10**9)  # wrote, then refused
        assert harness.call("buggy_lookup", account_id="A0004").error is not None
        assert database.state_hash() == before, f"a failed call changed the state at step {step}"
        balances.append(harness.rows("SELECT balance FROM accounts WHERE account_id = 'A0001'")[0]["balance"])
    assert balances == sorted(balances, reverse=True) and len(set(balances)) == len(balances)
    assert (
        harness.rows("SELECT owner FROM accounts WHERE account_id = 'A0003'")[0]["owner"]
        == f"owner {max(s for s in steps if s % 5 == 0)}"
    )
    database.reset()
    assert database.state_hash() == database.snapshot.content_hash
    harness.close()


def test_cached_rows_with_json_values_are_never_shared() -> None:
    """An untouched episode reads rows by key from its snapshot's cache, JSON columns included: every
    lookup gets its own nested values, and a write is seen at once."""
    from envfactory_gym import registry
    from envfactory_gym.authoring import ToolContext
    from envfactory_gym.database import EpisodeDatabase, get_snapshot
    from envfactory_gym.domains.travel.travel_booking.models import CreditCard

    database = EpisodeDatabase(get_snapshot(registry.load_definition("travel_booking")))
    ctx = ToolContext(database.raw, database.snapshot.now, 0, lambda: database.session, episode=database)
    card_id = database.raw.execute("SELECT card_id FROM credit_cards ORDER BY rowid LIMIT 1").fetchone()[0]
    cards = ctx.rows(CreditCard)
    first = cards.get(card_id)
    assert first is not None and isinstance(first["extra"], dict) and database.pristine()
    first["extra"]["changed"] = True
    first["balance"] = -1
    second = cards.get(card_id)
    assert second is not None and "changed" not in second["extra"] and second["balance"] != -1
    assert second["extra"] is not cards.get(card_id)["extra"]  # type: ignore[index]
    cards.update(card_id, balance=12.5, extra={"note": "x"})
    assert not database.pristine() and cards.get(card_id) == {**second, "balance": 12.5, "extra": {"note": "x"}}
    database.close()


def test_canonical_rows_match_the_sorted_keys_encoding() -> None:
    """The state hash encodes rows in sorted column order without sorting; it must equal the documented
    sorted-keys canonical JSON for every row (odd text, floats, NULLs, blobs included)."""
    from envfactory_gym import registry
    from envfactory_gym.database import EpisodeDatabase, _canonical, get_snapshot

    for env_id in ("vehicle_control", "travel_booking", "airline", "slack"):
        database = EpisodeDatabase(get_snapshot(registry.load_definition(env_id)))
        for info in database.snapshot.tables.values():
            rows = database.raw.execute(f'SELECT * FROM "{info.name}" LIMIT 50').fetchall()
            rows.append(tuple([None] * len(info.columns)))
            rows.append(
                tuple(
                    ['Zoë "Q" \\ \u2028', 1.5, -0.0, b"\x00\xff", 2**62, float("inf")][i % 6]
                    for i in range(len(info.columns))
                )
            )
            for row in rows:
                assert info.canonical_row(row) == _canonical(dict(zip(info.columns, row, strict=True))), info.name
        database.close()
