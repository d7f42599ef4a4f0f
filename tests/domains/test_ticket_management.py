"""ticket_management: BFCL TicketAPI surface, ticket rules, seeded helpdesk and initial_config interchange."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.communication import ticket_management
from envfactory_gym.registry import catalog
from envfactory_gym.tasks import load_tasks
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

ENV = ticket_management.env


def bfcl_config(**overrides: Any) -> dict[str, Any]:
    """A BFCL TicketAPI initial_config: two tickets, one of them loose (no title, no creator), signed out."""
    config: dict[str, Any] = {
        "ticket_queue": [
            {
                "id": 1,
                "title": "Login issue",
                "description": "Cannot log in.",
                "status": "Open",
                "priority": 4,
                "created_by": "alex",
            },
            {"id": 2, "description": "Minor snag in the ticketing system.", "status": "unresolved"},
        ],
        "ticket_counter": 3,
    }
    config.update(overrides)
    return config


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    with closing(EpisodeHarness(ENV, scenario=bfcl_config(current_user="alex"))) as harness:
        yield harness


def test_tool_names_are_the_catalogs() -> None:
    assert set(ENV.tools) == set(catalog()["ticket_management"].reference_tools)
    assert len(ENV.write_tools) >= 4


def test_create_ticket_needs_a_sign_in_and_a_valid_priority() -> None:
    with closing(EpisodeHarness(ENV, scenario=bfcl_config())) as harness:
        assert harness.ok("ticket_get_login_status") == {"login_status": False}
        refusal = harness.error("create_ticket", title="Printer", priority=2)
        assert refusal == "Error: User not authenticated. Please log in to create a ticket."
        assert harness.ok("ticket_login", username="sam", password="pw") == {"success": True}
        assert "Invalid priority" in harness.error("create_ticket", title="Printer", priority=6)
        assert "needs a title" in harness.error("create_ticket", title=" ")
        assert harness.ok("create_ticket", title="Printer") == {
            "id": 3,
            "title": "Printer",
            "description": "",
            "status": "Open",
            "priority": 1,
            "created_by": "sam",
        }
        assert harness.rows("SELECT ticket_counter FROM ticket_system") == [{"ticket_counter": 4}]


def test_get_ticket_returns_exactly_the_fields_a_ticket_has(h: EpisodeHarness) -> None:
    assert h.ok("get_ticket", ticket_id=2) == {
        "id": 2,
        "description": "Minor snag in the ticketing system.",
        "status": "unresolved",
    }
    assert h.error("get_ticket", ticket_id=9) == "Error: Ticket with ID 9 not found."


def test_close_and_resolve_refuse_doing_it_twice(h: EpisodeHarness) -> None:
    assert h.ok("resolve_ticket", ticket_id=1, resolution="Reset the password.") == {
        "status": "Ticket 1 has been resolved successfully."
    }
    assert h.ok("get_ticket", ticket_id=1)["resolution"] == "Reset the password."
    assert h.error("resolve_ticket", ticket_id=1, resolution="again") == "Error: Ticket with ID 1 is already resolved."
    assert h.ok("close_ticket", ticket_id=1) == {"status": "Ticket 1 has been closed successfully."}
    assert h.error("close_ticket", ticket_id=1) == "Error: Ticket with ID 1 is already closed."


def test_edit_ticket_rules(h: EpisodeHarness) -> None:
    assert h.ok("edit_ticket", ticket_id=2, updates={"priority": 3, "title": None}) == {
        "status": "Ticket 2 has been updated successfully."
    }
    assert h.ok("get_ticket", ticket_id=2)["priority"] == 3 and "title" not in h.ok("get_ticket", ticket_id=2)
    assert "Nothing to update" in h.error("edit_ticket", ticket_id=2, updates={"title": None})
    assert "Invalid priority" in h.error("edit_ticket", ticket_id=2, updates={"priority": 9})
    assert "cannot be empty" in h.error("edit_ticket", ticket_id=2, updates={"title": " "})
    assert "not found" in h.error("edit_ticket", ticket_id=7, updates={"priority": 2})


def test_user_tickets_are_the_signed_in_users_filtered_by_status(h: EpisodeHarness) -> None:
    assert [t["id"] for t in h.ok("get_user_tickets")] == [1]
    assert [t["id"] for t in h.ok("get_user_tickets", status="open")] == [1]
    assert h.ok("get_user_tickets", status="Closed") == []
    assert h.ok("logout") == {"success": True}
    assert "not authenticated" in h.error("get_user_tickets")
    assert "No user is signed in" in h.error("logout")


def test_staff_directory_limits_who_signs_in() -> None:
    with closing(EpisodeHarness(ENV)) as seeded:
        assert "No staff account" in seeded.error("ticket_login", username="intruder", password="x")
        assert "password" in seeded.error("ticket_login", username="", password="")
        username = seeded.rows("SELECT username FROM staff ORDER BY username LIMIT 1")[0]["username"]
        assert seeded.ok("ticket_login", username=username, password="pw") == {"success": True}


def test_text_ids_and_foreign_fields_survive_a_round_trip() -> None:
    queue = [{"id": "ticket_001", "booking_id": "booking_001", "issue": "Unnecessary ticket", "status": "Open"}]
    with closing(EpisodeHarness(ENV, scenario={"ticket_queue": queue})) as harness:
        assert harness.ok("close_ticket", ticket_id="ticket_001") == {
            "status": "Ticket ticket_001 has been closed successfully."
        }
        dumped = ENV.scenario_io.dump(harness.database)
        assert dumped["ticket_queue"] == [{**queue[0], "status": "Closed"}]
        assert dumped["ticket_counter"] == 1 and dumped["current_user"] is None


@pytest.mark.parametrize(
    "bad",
    [{"ticket_queue": {}}, {"ticket_counter": "3"}, {"ticket_queue": ["x"]}, {"ticket_queue": [{"title": 5}]}],
)
def test_malformed_configs_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(Exception, match=r"."):
        get_snapshot(ENV, scenario=bfcl_config(**bad))


def test_seeded_helpdesk_is_realistic_and_round_trips() -> None:
    snapshot = get_snapshot(ENV)
    counts = {name: len(snapshot.rows(name)) for name in snapshot.tables}
    assert counts == {"ticket_system": 1, "staff": 60, "tickets": 700}
    with closing(EpisodeHarness(ENV)) as seeded:
        mine = seeded.ok("get_user_tickets")
        assert 10 <= len(mine) <= 100
        # A seeded ticket names its reporter's mailbox, which a desk's email goes to.
        reporter = seeded.rows("SELECT full_name FROM staff WHERE username = ?", mine[0]["created_by"])[0]
        first, last = reporter["full_name"].lower().split(" ", 1)
        assert mine[0]["reporter_email"] == f"{first}.{last}@northwindlabs.com"
        statuses = {row["status"] for row in seeded.rows("SELECT status FROM tickets")}
        assert statuses == {"Open", "In Progress", "Resolved", "Closed"}
        dumped = ENV.scenario_io.dump(seeded.database)
        with closing(EpisodeHarness(ENV, scenario=copy.deepcopy(dumped))) as again:
            assert ENV.scenario_io.dump(again.database) == dumped


def test_gym_episode_solved_by_packaged_gold_calls() -> None:
    tasks = load_tasks("communication", "ticket_management")
    assert len(tasks) >= 100
    write = next(t for t in tasks if any(c.tool == "resolve_ticket" for c in t.gold_calls))
    assert oracle_and_noop_rewards(write) == (1.0, 0.0)
