"""The Zoom environment: every tool, the plan, host, schedule, recurrence and recording rules, and the seed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.communication import zoom
from envfactory_gym.domains.communication.zoom import rules
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

NEXT_TUESDAY = "2025-09-23T10:00:00"  # now is Wednesday 2025-09-17, 9 am in New York


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(zoom.env)
    yield harness
    harness.close()


def user(h: EpisodeHarness, where: str, *params: Any) -> dict[str, Any]:
    return h.rows(f"SELECT * FROM users WHERE {where} ORDER BY user_id LIMIT 1", *params)[0]


def new_york(h: EpisodeHarness, plan: str) -> str:
    return user(h, "plan = ? AND timezone = 'America/New_York'", plan)["user_id"]


def weekly_sync(h: EpisodeHarness, host: str, **extra: Any) -> dict[str, Any]:
    arguments = {"user_id": host, "topic": "Team Sync", "type": 8, "start_time": NEXT_TUESDAY, "duration": 30,
                 "passcode": "sync2025", "recurrence_type": 2, "weekly_days": "3", "end_times": 8}  # fmt: skip
    return h.ok("create_meeting", **{**arguments, **extra})


def test_weekly_recurrence_on_tuesdays_for_eight_weeks(h: EpisodeHarness) -> None:
    meeting = weekly_sync(h, new_york(h, "pro"))
    starts = [o["start_time"] for o in meeting["occurrences"]]
    assert starts == [(dt.datetime(2025, 9, 23, 10) + dt.timedelta(weeks=w)).strftime(rules.STAMP) for w in range(8)]
    assert meeting["recurrence"]["weekly_days"] == "3" and meeting["passcode"] == "sync2025"
    assert meeting["timezone"] == "America/New_York"  # the host's time zone by default
    # Occurrence ids are the original starts in epoch milliseconds: 10 am EDT is 14:00 UTC.
    assert meeting["occurrences"][0]["occurrence_id"] == str(
        int(dt.datetime(2025, 9, 23, 14, tzinfo=dt.UTC).timestamp()) * 1000
    )


def test_recurrence_rules_daily_monthly_and_end_date() -> None:
    base = {"start_time": "2025-09-18T09:00:00", "repeat_interval": 2, "weekly_days": None, "monthly_day": None,
            "end_times": 3, "end_date_time": None}  # fmt: skip
    daily = rules.series_starts({**base, "recurrence_type": 1})
    assert [s.day for s in daily] == [18, 20, 22]
    monthly = rules.series_starts({**base, "recurrence_type": 3, "repeat_interval": 1, "monthly_day": 31})
    assert [(s.month, s.day) for s in monthly] == [(10, 31), (12, 31), (1, 31)]  # months without a 31st skipped
    weekly = rules.series_starts({**base, "recurrence_type": 2, "repeat_interval": 1, "weekly_days": "2,6",
                                  "end_times": None, "end_date_time": "2025-09-30T23:59:00"})  # fmt: skip
    assert [s.day for s in weekly] == [19, 22, 26, 29]  # Mondays and Fridays until the end date


def test_every_tool_succeeds(h: EpisodeHarness) -> None:
    host = new_york(h, "pro")
    profile = h.ok("get_user", user_id=host.upper())  # emails are case-insensitive
    assert profile["plan"] == "Pro" and profile["type"] == 2 and profile["cloud_storage_limit_bytes"] == 5 * 1024**3
    assert h.ok("list_users", search="engineering")["total_records"] >= 5
    meeting = weekly_sync(h, host)
    mid = meeting["meeting_id"]
    assert h.ok("get_meeting", meeting_id=mid)["topic"] == "Team Sync"
    assert any(
        m["meeting_id"] == mid for m in h.ok("list_meetings", user_id=host, type="upcoming", limit=50)["meetings"]
    )
    previous = h.ok("list_meetings", user_id=host, type="previous_meetings")["meetings"]
    assert previous and previous[0]["start_time"] >= previous[-1]["start_time"]
    assert len(h.ok("list_meeting_occurrences", meeting_id=mid)) == 8
    renamed = h.ok("update_meeting", user_id=host, meeting_id=mid, topic="Platform Sync", mute_upon_entry=True)
    assert renamed["topic"] == "Platform Sync" and renamed["settings"]["mute_upon_entry"]

    webinar = h.rows("SELECT * FROM meetings WHERE registration = 1 AND status = 'waiting' ORDER BY meeting_id")[0]
    added = h.ok("add_meeting_registrant", meeting_id=webinar["meeting_id"], email="Maya@Brightpath.io",
                 first_name="Maya", last_name="Okafor")  # fmt: skip
    assert added["email"] == "maya@brightpath.io" and added["join_url"].endswith(added["registrant_id"])
    listed = h.ok("list_meeting_registrants", user_id=webinar["host_id"], meeting_id=webinar["meeting_id"], limit=50)
    assert listed["registrants"][-1]["email"] == "maya@brightpath.io"

    recording = h.rows("SELECT * FROM recordings WHERE status = 'completed' ORDER BY meeting_uuid")[0]
    day = recording["start_time"][:10]
    page = h.ok("list_recordings", user_id=recording["host_id"], from_date=day, to_date=day)
    assert recording["meeting_uuid"] in [m["meeting_uuid"] for m in page["meetings"]]
    details = h.ok("get_recording", meeting_uuid=recording["meeting_uuid"])
    assert {f["file_type"] for f in details["recording_files"]} >= {"MP4", "M4A"}
    assert all(f["download_url"].endswith(f["file_id"]) for f in details["recording_files"])
    trashed = h.ok("delete_recording", user_id=recording["host_id"], meeting_uuid=recording["meeting_uuid"])
    assert trashed["status"] == "trashed" and trashed["recoverable_until"] == "2025-10-17T13:00:00Z"
    in_trash = h.ok("list_recordings", user_id=recording["host_id"], from_date=day, to_date=day, trash=True)
    assert [m["meeting_uuid"] for m in in_trash["meetings"]] == [recording["meeting_uuid"]]
    assert (
        h.ok("recover_recording", user_id=recording["host_id"], meeting_uuid=recording["meeting_uuid"])["status"]
        == "completed"
    )
    assert "was deleted" in h.ok("delete_meeting", user_id=host, meeting_id=mid)
    assert not h.rows("SELECT 1 FROM meetings WHERE meeting_id = ?", mid)


def test_one_occurrence_moves_or_is_deleted_alone(h: EpisodeHarness) -> None:
    host = new_york(h, "pro")
    meeting = weekly_sync(h, host)
    mid, third = meeting["meeting_id"], meeting["occurrences"][2]
    moved = h.ok("update_meeting", user_id=host, meeting_id=mid, occurrence_id=third["occurrence_id"],
                 start_time="2025-10-09T10:00:00")  # fmt: skip
    assert moved["occurrences"] == [{**third, "start_time": "2025-10-09T10:00:00"}]
    starts = [o["start_time"] for o in h.ok("list_meeting_occurrences", meeting_id=mid)]
    assert "2025-10-07T10:00:00" not in starts and "2025-10-09T10:00:00" in starts and len(starts) == 8
    assert h.ok("get_meeting", meeting_id=mid)["start_time"] == NEXT_TUESDAY  # the series keeps its time
    assert "can only change its start_time" in h.error(
        "update_meeting", user_id=host, meeting_id=mid, occurrence_id=third["occurrence_id"], topic="x"
    )
    second = meeting["occurrences"][1]["occurrence_id"]
    h.ok("delete_meeting", user_id=host, meeting_id=mid, occurrence_id=second)
    assert len(h.ok("list_meeting_occurrences", meeting_id=mid)) == 7
    assert len(h.ok("list_meeting_occurrences", meeting_id=mid, show_deleted=True)) == 8
    assert "already deleted" in h.error("delete_meeting", user_id=host, meeting_id=mid, occurrence_id=second)
    assert "no occurrence" in h.error("delete_meeting", user_id=host, meeting_id=mid, occurrence_id="123")


def test_only_the_host_or_an_alternative_host_edits(h: EpisodeHarness) -> None:
    host = new_york(h, "pro")
    colleague = user(h, "plan = 'business' AND user_id != ?", host)["user_id"]
    stranger = user(h, "plan = 'pro' AND user_id NOT IN (?, ?)", host, colleague)["user_id"]
    mid = weekly_sync(h, host)["meeting_id"]
    assert "Only the host" in h.error("update_meeting", user_id=stranger, meeting_id=mid, duration=45)
    assert "Only the host" in h.error("delete_meeting", user_id=stranger, meeting_id=mid)
    h.ok("update_meeting", user_id=host, meeting_id=mid, alternative_hosts=colleague)
    assert h.ok("update_meeting", user_id=colleague, meeting_id=mid, duration=45)["duration"] == 45
    ended = h.rows("SELECT * FROM meetings WHERE status = 'ended' ORDER BY meeting_id")[0]
    assert "already ended" in h.error("update_meeting", user_id=ended["host_id"], meeting_id=ended["meeting_id"],
                                      topic="Renamed")  # fmt: skip
    webinar = h.rows("SELECT * FROM meetings WHERE registration = 1 ORDER BY meeting_id")[0]
    assert "Only the host" in h.error("list_meeting_registrants", user_id=stranger, meeting_id=webinar["meeting_id"])


def test_alternative_hosts_must_be_licensed_members_of_the_account(h: EpisodeHarness) -> None:
    host = new_york(h, "pro")
    basic = user(h, "plan = 'basic'")["user_id"]
    mid = weekly_sync(h, host)["meeting_id"]
    assert "Basic user" in h.error("update_meeting", user_id=host, meeting_id=mid, alternative_hosts=basic)
    assert "not a user in this account" in h.error(
        "update_meeting", user_id=host, meeting_id=mid, alternative_hosts="someone@gmail.com"
    )
    assert "cannot also be an alternative host" in h.error(
        "update_meeting", user_id=host, meeting_id=mid, alternative_hosts=host
    )


def test_plan_limits_basic_duration_and_cloud_recording(h: EpisodeHarness) -> None:
    basic = new_york(h, "basic")
    base = {"user_id": basic, "topic": "Workshop", "start_time": NEXT_TUESDAY}
    assert "limited to 40 minutes" in h.error("create_meeting", **base, duration=90)
    assert "Cloud recording needs a paid" in h.error("create_meeting", **base, duration=30, auto_recording="cloud")
    meeting = h.ok("create_meeting", **base, duration=40, auto_recording="local")
    assert meeting["settings"]["auto_recording"] == "local"
    assert "Cloud recording" in h.error("update_meeting", user_id=basic, meeting_id=meeting["meeting_id"],
                                        auto_recording="cloud")  # fmt: skip
    assert "limited to 40 minutes" in h.error("update_meeting", user_id=basic, meeting_id=meeting["meeting_id"],
                                              duration=60)  # fmt: skip
    pro = h.ok("create_meeting", **{**base, "user_id": new_york(h, "pro")}, duration=90, auto_recording="cloud")
    assert pro["duration"] == 90


def test_schedule_passcode_and_recurrence_validation(h: EpisodeHarness) -> None:
    host = new_york(h, "pro")
    base = {"user_id": host, "topic": "Review"}
    assert "in the past" in h.error("create_meeting", **base, start_time="2025-09-17T08:30:00")
    assert "in the past" in h.error("create_meeting", **base, start_time="2025-09-17T12:00:00Z")  # 8 am in New York
    assert h.ok("create_meeting", **base, start_time="2025-09-17T14:00:00Z")["start_time"] == "2025-09-17T10:00:00"
    assert "needs a start_time" in h.error("create_meeting", **base)
    assert "6 to 10 characters" in h.error("create_meeting", **base, start_time=NEXT_TUESDAY, passcode="abc")
    assert "may only contain" in h.error("create_meeting", **base, start_time=NEXT_TUESDAY, passcode="pass word")
    assert "Unknown time zone" in h.error("create_meeting", **base, start_time=NEXT_TUESDAY, timezone="Mars/Base")
    assert "at most 50 occurrences" in h.error("create_meeting", **base, type=8, start_time=NEXT_TUESDAY,
                                               recurrence_type=1, end_times=51)  # fmt: skip
    assert "needs weekly_days" in h.error("create_meeting", **base, type=8, start_time=NEXT_TUESDAY,
                                          recurrence_type=2, end_times=4)  # fmt: skip
    assert "not both" in h.error("create_meeting", **base, type=8, start_time=NEXT_TUESDAY, recurrence_type=1,
                                 end_times=4, end_date_time="2025-10-30T00:00:00")  # fmt: skip
    assert "1 to 12 weeks" in h.error("create_meeting", **base, type=8, start_time=NEXT_TUESDAY, recurrence_type=2,
                                      weekly_days="3", repeat_interval=13, end_times=4)  # fmt: skip
    assert "no occurrence on or after" in h.error(
        "create_meeting", **base, type=8, start_time=NEXT_TUESDAY, recurrence_type=1,
        end_date_time="2025-09-20T00:00:00",
    )  # fmt: skip
    floating = h.ok("create_meeting", **base, type=3)
    assert floating["start_time"] is None and floating["occurrences"] == []
    mid = weekly_sync(h, host)["meeting_id"]
    assert "in the past" in h.error("update_meeting", user_id=host, meeting_id=mid, start_time="2025-09-16T10:00:00")
    assert "Nothing to update" in h.error("update_meeting", user_id=host, meeting_id=mid)


def test_registration_rules(h: EpisodeHarness) -> None:
    plain = h.rows("SELECT * FROM meetings WHERE registration = 0 AND status = 'waiting' ORDER BY meeting_id")[0]
    assert "does not use registration" in h.error("add_meeting_registrant", meeting_id=plain["meeting_id"],
                                                  email="a@b.com", first_name="A")  # fmt: skip
    webinar = h.rows("SELECT * FROM meetings WHERE registration = 1 AND status = 'waiting' ORDER BY meeting_id")[0]
    taken = h.rows("SELECT email FROM registrants WHERE meeting_id = ? ORDER BY email", webinar["meeting_id"])[0]
    assert "already registered" in h.error("add_meeting_registrant", meeting_id=webinar["meeting_id"],
                                           email=taken["email"], first_name="Again")  # fmt: skip
    assert "not a valid email" in h.error("add_meeting_registrant", meeting_id=webinar["meeting_id"],
                                          email="nobody", first_name="No")  # fmt: skip


def test_recordings_range_trash_and_ownership(h: EpisodeHarness) -> None:
    recording = h.rows("SELECT * FROM recordings WHERE status = 'completed' ORDER BY meeting_uuid")[0]
    host = recording["host_id"]
    assert "at most one month" in h.error("list_recordings", user_id=host, from_date="2025-07-01", to_date="2025-08-02")
    assert (
        h.ok("list_recordings", user_id=host, from_date="2025-07-31", to_date="2025-08-31")["to_date"] == "2025-08-31"
    )
    assert "before from_date" in h.error("list_recordings", user_id=host, from_date="2025-08-02", to_date="2025-08-01")
    other = user(h, "user_id != ?", host)["user_id"]
    uuid = recording["meeting_uuid"]
    assert "Only the meeting's host" in h.error("delete_recording", user_id=other, meeting_uuid=uuid)
    assert "not in the trash" in h.error("recover_recording", user_id=host, meeting_uuid=uuid)
    used = h.ok("get_user", user_id=host)["cloud_storage_used_bytes"]
    size = h.ok("get_recording", meeting_uuid=uuid)["total_size"]
    h.ok("delete_recording", user_id=host, meeting_uuid=uuid)
    assert h.ok("get_user", user_id=host)["cloud_storage_used_bytes"] == used  # the trash still counts
    assert "already in the trash" in h.error("delete_recording", user_id=host, meeting_uuid=uuid)
    assert h.ok("delete_recording", user_id=host, meeting_uuid=uuid, action="delete")["status"] == "deleted"
    assert h.ok("get_user", user_id=host)["cloud_storage_used_bytes"] == used - size
    assert "no recording" in h.error("get_recording", meeting_uuid=uuid)
    assert "no recording" in h.error("recover_recording", user_id=host, meeting_uuid=uuid)


def test_seeded_sizes_are_realistic() -> None:
    snapshot = get_snapshot(zoom.env, 0)
    counts = {table: len(snapshot.rows(table)) for table in snapshot.tables}
    assert counts["users"] == 120 and 1300 <= counts["meetings"] <= 1800 and 400 <= counts["recordings"] <= 650
    assert counts["recording_files"] >= 2 * counts["recordings"] and counts["registrants"] >= 100
    assert snapshot.size_bytes < 1_500_000
    meetings = snapshot.rows("meetings")
    assert {m["type"] for m in meetings} == {2, 3, 8} and {m["status"] for m in meetings} == {"waiting", "ended"}
    users = {u["user_id"]: u for u in snapshot.rows("users")}
    assert {u["plan"] for u in users.values()} == {"basic", "pro", "business"}
    basic_meetings = [m for m in meetings if users[m["host_id"]]["plan"] == "basic"]
    assert all(m["duration"] <= 40 and m["auto_recording"] != "cloud" for m in basic_meetings)
    assert all(users[r["host_id"]]["plan"] != "basic" for r in snapshot.rows("recordings"))
    for meeting in meetings:
        for email in filter(None, meeting["alternative_hosts"].split(";")):
            assert users[email]["plan"] != "basic" and email != meeting["host_id"]
    assert {f["file_type"] for f in snapshot.rows("recording_files")} == {"MP4", "M4A", "TRANSCRIPT", "CHAT"}


def sync_task() -> Task:
    h = EpisodeHarness(zoom.env)
    host = new_york(h, "pro")
    h.close()
    arguments = {"user_id": host, "topic": "Team Sync", "type": 8, "start_time": NEXT_TUESDAY, "duration": 30,
                 "passcode": "sync2025", "recurrence_type": 2, "weekly_days": "3", "end_times": 8}  # fmt: skip
    task = Task(
        task_id="zoom-weekly-sync-e2e",
        domain="communication",
        env_ids=["zoom"],
        goal="write",
        query=f"I'm {host}. Set up a 30-minute Team Sync on Tuesdays at 10 am for eight weeks, passcode sync2025.",
        gold_calls=[GoldCall(env_id="zoom", tool="create_meeting", arguments=arguments)],
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = sync_task()
    assert {(c.table, c.op) for c in task.gold_changes} == {("meetings", "insert")}
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
