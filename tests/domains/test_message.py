"""message: BFCL MessageAPI surface, login and directory rules, seeded workspace and initial_config interchange."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.communication import message
from envfactory_gym.registry import catalog
from envfactory_gym.tasks import load_tasks
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

ENV = message.env


def bfcl_config(**overrides: Any) -> dict[str, Any]:
    """A BFCL MessageAPI initial_config: four users, two messages, Alice logged in."""
    config: dict[str, Any] = {
        "user_count": 4,
        "user_map": {"Alice": "USR001", "Bob": "USR002", "Catherine": "USR003", "Daniel": "USR004"},
        "inbox": [{"USR002": "Meeting at 3 PM"}, {"USR003": "Please review the document."}],
        "message_count": 2,
        "current_user": "USR001",
    }
    config.update(overrides)
    return config


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    with closing(EpisodeHarness(ENV, scenario=bfcl_config())) as harness:
        yield harness


@pytest.fixture(scope="module")
def seeded() -> Iterator[EpisodeHarness]:
    """The seeded workspace, read only by the tests that take it."""
    with closing(EpisodeHarness(ENV)) as harness:
        yield harness


def test_tool_names_are_the_catalogs() -> None:
    assert set(ENV.tools) == set(catalog()["message"].reference_tools)
    assert len(ENV.write_tools) >= 4


def test_directory_lookups(h: EpisodeHarness) -> None:
    assert h.ok("list_users") == {"user_list": ["Alice", "Bob", "Catherine", "Daniel"]}
    assert h.ok("get_user_id", user="Catherine") == {"user_id": "USR003"}
    assert h.error("get_user_id", user="Zed") == "Error: User 'Zed' not found in the workspace."


def test_login_switches_the_session_and_refuses_unknown_ids(h: EpisodeHarness) -> None:
    assert h.ok("message_get_login_status") == {"login_status": True}
    assert h.ok("message_login", user_id="USR002") == {
        "login_status": True,
        "message": "User 'USR002' logged in successfully.",
    }
    assert h.rows("SELECT current_user FROM workspace") == [{"current_user": "USR002"}]
    assert "User ID 'USR999' not found." in h.error("message_login", user_id="USR999")
    assert h.rows("SELECT current_user FROM workspace") == [{"current_user": "USR002"}]


def test_every_operation_on_the_log_needs_a_login() -> None:
    harness = EpisodeHarness(ENV, scenario=bfcl_config(current_user=None))
    try:
        assert harness.ok("message_get_login_status") == {"login_status": False}
        for tool, arguments in (
            ("send_message", {"receiver_id": "USR002", "message": "hi"}),
            ("delete_message", {"receiver_id": "USR002"}),
            ("view_messages_sent", {}),
            ("search_messages", {"keyword": "meeting"}),
            ("get_message_stats", {}),
        ):
            assert harness.error(tool, **arguments) == "Error: No user is currently logged in."
    finally:
        harness.close()


def test_send_draws_bfcls_message_ids_and_counts(h: EpisodeHarness) -> None:
    stream = random.Random(200191)  # BFCL's default random_seed
    first = h.ok("send_message", receiver_id="USR004", message="Lunch?")
    second = h.ok("send_message", receiver_id="USR004", message="Noon works.")
    assert first == {
        "sent_status": True,
        "message_id": {"new_id": stream.randint(10000, 99999)},
        "message": "Message sent to 'USR004' successfully.",
    }
    assert second["message_id"] == {"new_id": stream.randint(10000, 99999)}
    assert h.ok("view_messages_sent")["messages"]["USR004"] == ["Lunch?", "Noon works."]
    assert h.rows("SELECT message_count, generated_ids FROM workspace")[0]["message_count"] == 4


def test_send_refusals_change_nothing(h: EpisodeHarness) -> None:
    assert h.error("send_message", receiver_id="USR404", message="hi") == "Error: Receiver ID 'USR404' not found."
    assert "empty" in h.error("send_message", receiver_id="USR002", message="   ")
    assert "longer than" in h.error("send_message", receiver_id="USR002", message="x" * 2001)
    assert h.rows("SELECT COUNT(*) AS n FROM messages") == [{"n": 2}]
    assert h.rows("SELECT message_count, random_words_used FROM workspace") == [
        {"message_count": 2, "random_words_used": 0}
    ]


def test_delete_removes_only_the_latest_message_to_that_receiver(h: EpisodeHarness) -> None:
    h.ok("send_message", receiver_id="USR002", message="Second note")
    assert h.ok("delete_message", receiver_id="USR002") == {
        "deleted_status": True,
        "receiver_id": "USR002",
        "message": "Receiver USR002's latest message deleted successfully.",
    }
    assert h.ok("view_messages_sent")["messages"] == {
        "USR002": ["Meeting at 3 PM"],
        "USR003": ["Please review the document."],
    }
    assert h.rows("SELECT message_count FROM workspace") == [{"message_count": 3}]  # sent, not held
    assert h.error("delete_message", receiver_id="USR004") == "Error: Receiver ID USR004 not found."


def test_add_contact_takes_the_next_id_and_refuses_duplicates(h: EpisodeHarness) -> None:
    assert h.ok("add_contact", user_name="Eve") == {
        "added_status": True,
        "user_id": "USR005",
        "message": "Contact 'Eve' added successfully.",
    }
    assert h.ok("list_users")["user_list"][-1] == "Eve"
    assert h.error("add_contact", user_name="Bob") == "Error: User name 'Bob' already exists."
    assert "empty" in h.error("add_contact", user_name=" ")
    assert h.rows("SELECT user_count FROM workspace") == [{"user_count": 5}]


def test_add_contact_refuses_an_id_in_use_without_using_it_up() -> None:
    harness = EpisodeHarness(ENV, scenario=bfcl_config(user_count=3))
    try:
        assert harness.error("add_contact", user_name="Eve") == "Error: User ID 'USR004' already exists."
        assert harness.rows("SELECT user_count FROM workspace") == [{"user_count": 3}]
    finally:
        harness.close()


def test_search_and_stats(h: EpisodeHarness) -> None:
    assert h.ok("search_messages", keyword="REVIEW") == {
        "results": [{"receiver_id": "USR003", "message": "Please review the document."}]
    }
    assert "empty" in h.error("search_messages", keyword="")
    assert h.ok("get_message_stats") == {"stats": {"received_count": 2, "total_contacts": 2}}


def test_list_valued_log_entries_are_kept_as_given() -> None:
    config = bfcl_config(inbox=[{"USR002": ["Meeting at 3 PM"]}])
    harness = EpisodeHarness(ENV, scenario=config)
    try:
        assert harness.ok("view_messages_sent") == {"messages": {"USR002": [["Meeting at 3 PM"]]}}
        assert ENV.scenario_io.dump(harness.database)["inbox"] == [{"USR002": ["Meeting at 3 PM"]}]
    finally:
        harness.close()


def test_missing_keys_take_bfcls_defaults() -> None:
    harness = EpisodeHarness(ENV, scenario={"current_user": "USR001"})
    try:
        dumped = ENV.scenario_io.dump(harness.database)
        assert dumped["user_map"] == {"Alice": "USR001", "Bob": "USR002", "Catherine": "USR003", "Daniel": "USR004"}
        assert len(dumped["inbox"]) == 3 and dumped["message_count"] == 3 and dumped["random_seed"] == 200191
    finally:
        harness.close()


@pytest.mark.parametrize(
    "bad",
    [
        {"user_map": ["Alice"]},
        {"user_map": {"Alice": "USR001", "Al": "USR001"}},
        {"inbox": [{"USR001": "a", "USR002": "b"}]},
        {"inbox": [{"USR001": 5}]},
        {"user_count": "4"},
        {"generated_ids": ["x"]},
        {"current_user": 1},
    ],
)
def test_malformed_configs_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(Exception, match=r"."):
        get_snapshot(ENV, scenario=bfcl_config(**bad))


def test_dump_round_trips_after_changes(h: EpisodeHarness) -> None:
    h.ok("send_message", receiver_id="USR003", message="Done, thanks!")
    h.ok("add_contact", user_name="Eve")
    dumped = ENV.scenario_io.dump(h.database)
    again = EpisodeHarness(ENV, scenario=copy.deepcopy(dumped))
    try:
        assert ENV.scenario_io.dump(again.database) == dumped
        # The stream continues where it stopped: the next id is BFCL's second draw.
        stream = random.Random(200191)
        stream.randint(10000, 99999)
        nxt = again.ok("send_message", receiver_id="USR002", message="x")["message_id"]["new_id"]
        assert nxt == stream.randint(10000, 99999)
    finally:
        again.close()


def test_seeded_workspace_is_realistic(seeded: EpisodeHarness) -> None:
    snapshot = get_snapshot(ENV)
    counts = {name: len(snapshot.rows(name)) for name in snapshot.tables}
    assert counts == {"workspace": 1, "users": 320, "messages": 420}
    workspace = snapshot.rows("workspace")[0]
    assert workspace["current_user"] == workspace["owner_id"]
    dumped = ENV.scenario_io.dump(seeded.database)
    message_ids = [extra["message_id"] for extra in dumped["envfactory"]["messages"]]
    assert sorted(message_ids) == dumped["generated_ids"] and len(set(message_ids)) == 420
    names = [row["name"] for row in snapshot.rows("users")]
    assert len(set(names)) == 320
    stats = seeded.ok("get_message_stats")["stats"]
    assert stats["received_count"] == 420 and 50 <= stats["total_contacts"] <= 200


def test_seeded_state_round_trips_through_initial_config(seeded: EpisodeHarness) -> None:
    dumped = ENV.scenario_io.dump(seeded.database)
    again = EpisodeHarness(ENV, scenario=copy.deepcopy(dumped))
    try:
        assert ENV.scenario_io.dump(again.database) == dumped
    finally:
        again.close()


def test_gym_episode_solved_by_packaged_gold_calls() -> None:
    tasks = load_tasks("communication", "message")
    assert len(tasks) >= 100
    write = next(t for t in tasks if any(c.tool == "delete_message" for c in t.gold_calls))
    assert oracle_and_noop_rewards(write) == (1.0, 0.0)
