"""The Slack environment: every tool, membership and privacy, archived channels, names, #general, ownership of
messages, kick permissions, pagination, seeding and one gym episode."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.communication import slack
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(slack.env)
    yield harness
    harness.close()


def member(h: EpisodeHarness, channel: str, extra: str = "", *params: Any) -> dict[str, Any]:
    return h.rows(
        "SELECT u.* FROM users u JOIN channel_members m ON m.user_id = u.user_id JOIN channels c ON c.channel_id = "
        f"m.channel_id WHERE c.name = ? AND u.deleted = 0 AND u.is_admin = 0 {extra} ORDER BY u.user_id LIMIT 1",
        channel,
        *params,
    )[0]


def outsider(h: EpisodeHarness, channel: str) -> dict[str, Any]:
    return h.rows(
        "SELECT u.* FROM users u WHERE u.deleted = 0 AND u.is_admin = 0 AND NOT EXISTS (SELECT 1 FROM channel_members "
        "m JOIN channels c ON c.channel_id = m.channel_id WHERE c.name = ? AND m.user_id = u.user_id) ORDER BY "
        "u.user_id LIMIT 1",
        channel,
    )[0]


def message_of(h: EpisodeHarness, channel: str, where: str = "1 = 1") -> dict[str, Any]:
    return h.rows(
        "SELECT m.* FROM messages m JOIN channels c ON c.channel_id = m.channel_id WHERE c.name = ? AND "
        f"m.subtype IS NULL AND {where} ORDER BY m.ts LIMIT 1",
        channel,
    )[0]


def every_user(h: EpisodeHarness, username: str, **options: Any) -> list[dict[str, Any]]:
    """Every page of users_list, following next_cursor."""
    people: list[dict[str, Any]] = []
    cursor = None
    while cursor != "":
        page = h.ok("users_list", username=username, limit=60, cursor=cursor, **options)
        people, cursor = people + page["members"], page["next_cursor"]
    return people


def test_reading_channels_history_threads_and_search(h: EpisodeHarness) -> None:
    me = member(h, "design")
    listed = h.ok("channels_list", username=me["username"], limit=60)["channels"]
    names = {c["name"] for c in listed}
    assert {"general", "design", "q4-launch"} <= names
    privates = {c["name"] for c in listed if c["is_private"]}
    mine = {
        r["name"]
        for r in h.rows(
            "SELECT c.name FROM channels c JOIN channel_members m ON m.channel_id = c.channel_id WHERE "
            "m.user_id = ? AND c.is_private = 1 AND c.is_im = 0",
            me["user_id"],
        )
    }
    assert privates == mine  # private channels show only to their members
    assert all(
        not c["is_archived"]
        for c in h.ok("channels_list", username=me["username"], exclude_archived=True, limit=60)["channels"]
    )
    history = h.ok("conversations_history", username=me["username"], channel="#design", limit=5)
    stamps = [float(m["ts"]) for m in history["messages"]]
    assert len(stamps) == 5 and stamps == sorted(stamps, reverse=True) and history["has_more"]
    assert all(m["thread_ts"] is None for m in history["messages"])  # replies stay in their threads
    second = h.ok(
        "conversations_history", username=me["username"], channel="design", limit=5, cursor=history["next_cursor"]
    )
    assert float(second["messages"][0]["ts"]) < stamps[-1]
    yesterday = h.ok(
        "conversations_history",
        username=me["username"],
        channel="design",
        oldest="2025-03-11",
        latest="2025-03-12",
        limit=60,
    )
    assert yesterday["messages"] and all(m["time"].startswith("2025-03-11") for m in yesterday["messages"])
    poll = next(m for m in yesterday["messages"] if m["text"].startswith("Quick poll"))
    thread = h.ok("conversations_replies", username=me["username"], channel="design", ts=poll["ts"])["messages"]
    assert thread[0]["ts"] == poll["ts"] and len(thread) == poll["reply_count"] + 1
    assert thread[-1]["text"].startswith("Decision:")
    found = h.ok("conversations_search_messages", username=me["username"], query="billing-api deploy")
    assert found["total"] == len(found["matches"]) >= 1
    assert all("billing-api" in m["text"] and "deploy" in m["text"].lower() for m in found["matches"])
    assert sum("?" in m["text"] for m in found["matches"]) == 1  # the one question about it
    narrowed = h.ok("conversations_search_messages", username=me["username"], query="poll in:#design on:2025-03-11")
    assert narrowed["total"] == 1 and narrowed["matches"][0]["ts"] == poll["ts"]
    info = h.ok("conversations_info", username=me["username"], channel="design")
    assert info["name"] == "design" and info["is_member"] and info["num_members"] > 5
    members = h.ok("conversations_members", username=me["username"], channel="design", limit=3)
    assert len(members["members"]) == 3 and members["next_cursor"]
    pinned = h.rows("SELECT c.name FROM pins p JOIN channels c ON c.channel_id = p.channel_id LIMIT 1")[0]["name"]
    assert h.ok("pins_list", username=member(h, pinned)["username"], channel=pinned)
    people = every_user(h, me["username"])
    assert len(people) == 143 and all(not p["deleted"] for p in people)  # deactivated hidden by default
    assert len(every_user(h, me["username"], include_deactivated=True)) == 150
    profile = h.ok("users_info", username=me["username"], user=people[0]["username"])
    assert profile == h.ok("users_info", username=me["username"], user=people[0]["user_id"])
    # The profile's Posting field: every member's handle on the social network, unique to them.
    assert all(p["posting_handle"] for p in people) and len({p["posting_handle"] for p in people}) == len(people)


def test_private_channels_and_dms_are_readable_only_by_members(h: EpisodeHarness) -> None:
    stranger = outsider(h, "leadership")
    for tool, extra in (("conversations_history", {}), ("conversations_info", {}), ("conversations_members", {})):
        assert "private" in h.error(tool, username=stranger["username"], channel="leadership", **extra)
    secret = message_of(h, "leadership")
    seen = h.ok("conversations_search_messages", username=stranger["username"], query=secret["text"], limit=60)
    assert all(m["channel_id"] != secret["channel_id"] for m in seen["matches"])  # search skips it too
    assert "private" in h.error(
        "conversations_search_messages", username=stranger["username"], query="sync in:#leadership"
    )
    dm = h.rows("SELECT channel_id FROM channels WHERE is_im = 1 ORDER BY channel_id LIMIT 1")[0]["channel_id"]
    third = h.rows(
        "SELECT username FROM users WHERE deleted = 0 AND user_id NOT IN (SELECT user_id FROM "
        "channel_members WHERE channel_id = ?) ORDER BY user_id LIMIT 1",
        dm,
    )[0]["username"]
    assert "private" in h.error("conversations_history", username=third, channel=dm)
    public = outsider(h, "backend")
    assert h.ok("conversations_history", username=public["username"], channel="backend")["messages"]


def test_posting_replying_and_thread_counts(h: EpisodeHarness) -> None:
    me = member(h, "design")
    posted = h.ok("conversations_add_message", username=me["username"], channel="design", text="  Hello team  ")
    assert posted["text"] == "Hello team" and posted["thread_ts"] is None
    parent = message_of(h, "design", "m.thread_ts IS NULL AND m.reply_count > 0")
    reply = h.ok(
        "conversations_add_message", username=me["username"], channel="design", text="Agreed", thread_ts=parent["ts"]
    )
    assert reply["thread_ts"] == parent["ts"] and reply["ts"] != posted["ts"]
    assert (
        h.rows("SELECT reply_count FROM messages WHERE ts = ?", parent["ts"])[0]["reply_count"]
        == parent["reply_count"] + 1
    )
    assert "parent message" in h.error(
        "conversations_add_message", username=me["username"], channel="design", text="x", thread_ts=reply["ts"]
    )
    assert "no_text" in h.error("conversations_add_message", username=me["username"], channel="design", text="  ")
    assert "msg_too_long" in h.error(
        "conversations_add_message", username=me["username"], channel="design", text="x" * 4001
    )
    assert "not_in_channel" in h.error(
        "conversations_add_message", username=outsider(h, "design")["username"], channel="design", text="hi"
    )
    assert "channel_not_found" in h.error(
        "conversations_add_message", username=me["username"], channel="#nope", text="hi"
    )
    assert "No member" in h.error("conversations_add_message", username="ghost", channel="design", text="hi")


def test_archived_channels_refuse_posts_and_changes(h: EpisodeHarness) -> None:
    me = member(h, "q4-launch")
    for tool, extra in (
        ("conversations_add_message", {"text": "hi"}),
        ("conversations_set_topic", {"topic": "t"}),
        ("conversations_invite", {"users": [outsider(h, "q4-launch")["user_id"]]}),
    ):
        assert "is_archived" in h.error(tool, username=me["username"], channel="q4-launch", **extra)
    old = message_of(h, "q4-launch")
    assert "is_archived" in h.error(
        "reactions_add", username=me["username"], channel="q4-launch", ts=old["ts"], name="tada"
    )
    assert "is_archived" in h.error(
        "conversations_join", username=outsider(h, "q4-launch")["username"], channel="q4-launch"
    )
    assert "already_archived" in h.error("conversations_archive", username=me["username"], channel="q4-launch")
    assert h.ok("conversations_info", username=me["username"], channel="q4-launch")["archived_by_name"]


def test_channel_names_are_validated_and_unique(h: EpisodeHarness) -> None:
    me = member(h, "design")
    created = h.ok("conversations_create", username=me["username"], name="proj-orion", is_private=True)["channel"]
    assert created["is_private"] and created["is_member"] and created["num_members"] == 1
    assert created["channel_id"].startswith("G") and created["creator"] == me["user_id"]
    for bad in ("Proj Orion", "has space", "UPPER", "x" * 81, "", "bad!name"):
        assert "invalid_name" in h.error("conversations_create", username=me["username"], name=bad)
    assert "name_taken" in h.error("conversations_create", username=me["username"], name="proj-orion")
    assert "name_taken" in h.error("conversations_create", username=me["username"], name="q4-launch")
    renamed = h.ok("conversations_rename", username=me["username"], channel="proj-orion", name="proj-orion-2")
    assert renamed["channel"]["name"] == "proj-orion-2"
    assert "name_taken" in h.error(
        "conversations_rename", username=me["username"], channel="proj-orion-2", name="design"
    )


def test_general_cannot_be_left_archived_renamed_or_kicked_from(h: EpisodeHarness) -> None:
    admin = h.rows("SELECT * FROM users WHERE is_admin = 1 AND deleted = 0 ORDER BY user_id LIMIT 1")[0]
    someone = member(h, "general", "AND u.user_id != ?", admin["user_id"])
    assert "cant_leave_general" in h.error("conversations_leave", username=someone["username"], channel="general")
    assert "cant_archive_general" in h.error("conversations_archive", username=admin["username"], channel="general")
    assert "cant_rename_general" in h.error(
        "conversations_rename", username=admin["username"], channel="general", name="everyone"
    )
    assert "cant_kick_from_general" in h.error(
        "conversations_kick", username=admin["username"], channel="general", user=someone["user_id"]
    )


def test_only_the_creator_or_an_admin_renames_or_kicks(h: EpisodeHarness) -> None:
    channel = h.rows("SELECT * FROM channels WHERE name = 'backend'")[0]
    creator = h.rows("SELECT * FROM users WHERE user_id = ?", channel["creator"])[0]
    plain = member(h, "backend", "AND u.user_id != ?", creator["user_id"])
    other = member(h, "backend", "AND u.user_id NOT IN (?, ?)", creator["user_id"], plain["user_id"])
    assert "restricted_action" in h.error(
        "conversations_kick", username=plain["username"], channel="backend", user=other["user_id"]
    )
    assert "not_authorized" in h.error(
        "conversations_rename", username=plain["username"], channel="backend", name="backend-team"
    )
    assert "cant_kick_self" in h.error(
        "conversations_kick", username=creator["username"], channel="backend", user=creator["username"]
    )
    h.ok("conversations_kick", username=creator["username"], channel="backend", user=other["user_id"])
    assert not h.rows(
        "SELECT 1 FROM channel_members WHERE channel_id = ? AND user_id = ?", channel["channel_id"], other["user_id"]
    )
    assert "not_in_channel" in h.error(
        "conversations_kick", username=creator["username"], channel="backend", user=other["user_id"]
    )
    admin = h.rows("SELECT * FROM users WHERE is_admin = 1 AND deleted = 0 ORDER BY user_id LIMIT 1")[0]
    h.ok("conversations_rename", username=admin["username"], channel="backend", name="backend-team")


def test_join_leave_invite(h: EpisodeHarness) -> None:
    newcomer = outsider(h, "frontend")
    assert "not_in_channel" in h.error("conversations_leave", username=newcomer["username"], channel="frontend")
    h.ok("conversations_join", username=newcomer["username"], channel="frontend")
    assert "already_in_channel" in h.error("conversations_join", username=newcomer["username"], channel="frontend")
    h.ok("conversations_leave", username=newcomer["username"], channel="frontend")
    stranger = outsider(h, "proj-atlas")
    assert "private" in h.error("conversations_join", username=stranger["username"], channel="proj-atlas")
    me = member(h, "proj-atlas")
    invited = h.ok("conversations_invite", username=me["username"], channel="proj-atlas", users=[stranger["user_id"]])[
        "channel"
    ]
    assert (
        h.rows(
            "SELECT 1 FROM channel_members m JOIN channels c ON c.channel_id = m.channel_id WHERE c.name = "
            "'proj-atlas' AND m.user_id = ?",
            stranger["user_id"],
        )
        and invited["num_members"] >= 2
    )
    assert "already_in_channel" in h.error(
        "conversations_invite", username=me["username"], channel="proj-atlas", users=[stranger["username"]]
    )
    gone = h.rows(
        "SELECT * FROM users WHERE deleted = 1 AND user_id NOT IN (SELECT m.user_id FROM channel_members m "
        "JOIN channels c ON c.channel_id = m.channel_id WHERE c.name = 'proj-atlas') LIMIT 1"
    )[0]
    assert "deactivated" in h.error(
        "conversations_invite", username=me["username"], channel="proj-atlas", users=[gone["user_id"]]
    )
    assert "user_not_found" in h.error(
        "conversations_invite", username=me["username"], channel="proj-atlas", users=["U0NOBODY00"]
    )
    assert "between 1 and" in h.error("conversations_invite", username=me["username"], channel="proj-atlas", users=[])
    assert "not_in_channel" in h.error(
        "conversations_invite", username=outsider(h, "backend")["username"], channel="backend", users=[me["user_id"]]
    )


def test_topic_purpose_and_archive(h: EpisodeHarness) -> None:
    me = member(h, "qa")
    assert (
        h.ok("conversations_set_topic", username=me["username"], channel="qa", topic="Freeze Thursday")["channel"][
            "topic"
        ]
        == "Freeze Thursday"
    )
    assert "already says that" in h.error(
        "conversations_set_topic", username=me["username"], channel="qa", topic="Freeze Thursday"
    )
    assert "at most 250" in h.error("conversations_set_topic", username=me["username"], channel="qa", topic="x" * 251)
    assert (
        h.ok("conversations_set_purpose", username=me["username"], channel="qa", purpose="Release quality")["channel"][
            "purpose"
        ]
        == "Release quality"
    )
    assert "not_in_channel" in h.error("conversations_archive", username=outsider(h, "qa")["username"], channel="qa")
    archived = h.ok("conversations_archive", username=me["username"], channel="qa")["channel"]
    assert archived["is_archived"] and archived["archived_by_name"] == me["real_name"]
    assert "is_archived" in h.error("conversations_add_message", username=me["username"], channel="qa", text="hi")


def test_only_your_own_messages_can_be_edited_or_deleted_unless_admin(h: EpisodeHarness) -> None:
    mine = message_of(
        h,
        "engineering",
        "m.thread_ts IS NULL AND m.reply_count = 0 AND m.user_id IN (SELECT user_id "
        "FROM users WHERE deleted = 0 AND is_admin = 0)",
    )
    author = h.rows("SELECT * FROM users WHERE user_id = ?", mine["user_id"])[0]
    other = member(h, "engineering", "AND u.user_id != ?", author["user_id"])
    assert "cant_update_message" in h.error(
        "chat_update", username=other["username"], channel="engineering", ts=mine["ts"], text="hijacked"
    )
    assert "cant_delete_message" in h.error(
        "chat_delete", username=other["username"], channel="engineering", ts=mine["ts"]
    )
    assert "edit_unchanged" in h.error(
        "chat_update", username=author["username"], channel="engineering", ts=mine["ts"], text=mine["text"]
    )
    h.ok("chat_update", username=author["username"], channel="engineering", ts=mine["ts"], text="Fixed text")
    edited = h.rows("SELECT * FROM messages WHERE channel_id = ? AND ts = ?", mine["channel_id"], mine["ts"])[0]
    assert edited["text"] == "Fixed text" and edited["edited_ts"]
    h.ok("chat_delete", username=author["username"], channel="engineering", ts=mine["ts"])
    assert not h.rows("SELECT 1 FROM messages WHERE channel_id = ? AND ts = ?", mine["channel_id"], mine["ts"])
    assert "message_not_found" in h.error(
        "chat_delete", username=author["username"], channel="engineering", ts=mine["ts"]
    )
    assert "invalid_ts" in h.error("chat_delete", username=author["username"], channel="engineering", ts="yesterday")
    parent = message_of(h, "engineering", "m.thread_ts IS NULL AND m.reply_count > 0")
    admin = h.rows("SELECT * FROM users WHERE is_admin = 1 AND deleted = 0 ORDER BY user_id LIMIT 1")[0]
    h.ok("chat_delete", username=admin["username"], channel="engineering", ts=parent["ts"])
    tomb = h.rows("SELECT * FROM messages WHERE channel_id = ? AND ts = ?", parent["channel_id"], parent["ts"])[0]
    assert tomb["subtype"] == "tombstone" and tomb["text"] == "This message was deleted."  # the thread stays


def test_deleting_a_reply_lowers_the_reply_count(h: EpisodeHarness) -> None:
    reply = h.rows(
        "SELECT m.* FROM messages m JOIN users u ON u.user_id = m.user_id WHERE m.thread_ts IS NOT NULL AND "
        "u.deleted = 0 AND m.channel_id IN (SELECT channel_id FROM channels WHERE is_archived = 0) "
        "ORDER BY m.ts LIMIT 1"
    )[0]
    author = h.rows("SELECT username FROM users WHERE user_id = ?", reply["user_id"])[0]["username"]
    before = h.rows(
        "SELECT reply_count FROM messages WHERE channel_id = ? AND ts = ?", reply["channel_id"], reply["thread_ts"]
    )[0]["reply_count"]
    h.ok("chat_delete", username=author, channel=reply["channel_id"], ts=reply["ts"])
    assert (
        h.rows(
            "SELECT reply_count FROM messages WHERE channel_id = ? AND ts = ?", reply["channel_id"], reply["thread_ts"]
        )[0]["reply_count"]
        == before - 1
    )


def test_reactions_and_pins(h: EpisodeHarness) -> None:
    me = member(h, "announcements")
    post = message_of(h, "announcements", "m.thread_ts IS NULL AND m.ts NOT IN (SELECT ts FROM pins)")
    h.ok("reactions_add", username=me["username"], channel="announcements", ts=post["ts"], name=":tada:")
    assert "already_reacted" in h.error(
        "reactions_add", username=me["username"], channel="announcements", ts=post["ts"], name="tada"
    )
    assert "invalid_name" in h.error(
        "reactions_add", username=me["username"], channel="announcements", ts=post["ts"], name="party popper"
    )
    view = h.ok("conversations_replies", username=me["username"], channel="announcements", ts=post["ts"])
    assert any(r["name"] == "tada" and me["user_id"] in r["users"] for r in view["messages"][0]["reactions"])
    h.ok("reactions_remove", username=me["username"], channel="announcements", ts=post["ts"], name="tada")
    assert "no_reaction" in h.error(
        "reactions_remove", username=me["username"], channel="announcements", ts=post["ts"], name="tada"
    )
    assert "not_in_channel" in h.error(
        "reactions_add",
        username=outsider(h, "design")["username"],
        channel="design",
        ts=message_of(h, "design")["ts"],
        name="eyes",
    )
    h.ok("pins_add", username=me["username"], channel="announcements", ts=post["ts"])
    assert "already_pinned" in h.error("pins_add", username=me["username"], channel="announcements", ts=post["ts"])
    assert h.ok("pins_list", username=me["username"], channel="announcements")[0]["ts"] == post["ts"]
    h.ok("pins_remove", username=me["username"], channel="announcements", ts=post["ts"])
    assert "no_pin" in h.error("pins_remove", username=me["username"], channel="announcements", ts=post["ts"])


def test_direct_messages(h: EpisodeHarness) -> None:
    me, other = h.rows(
        "SELECT * FROM users WHERE deleted = 0 AND user_id NOT IN (SELECT user_id FROM channel_members "
        "WHERE channel_id IN (SELECT channel_id FROM channels WHERE is_im = 1)) ORDER BY user_id LIMIT 2"
    )
    dm = h.ok("conversations_open", username=me["username"], users=other["username"])
    assert dm["is_im"] and dm["user"] == other["user_id"] and dm["channel_id"].startswith("D")
    again = h.ok("conversations_open", username=me["username"], users=other["user_id"])
    assert again["channel_id"] == dm["channel_id"]  # the same conversation, not a second one
    h.ok("conversations_add_message", username=me["username"], channel=dm["channel_id"], text="Lunch?")
    assert (
        h.ok("conversations_history", username=other["username"], channel=dm["channel_id"])["messages"][0]["text"]
        == "Lunch?"
    )
    assert "cannot_dm_self" in h.error("conversations_open", username=me["username"], users=me["username"])
    gone = h.rows("SELECT username FROM users WHERE deleted = 1 LIMIT 1")[0]["username"]
    assert "deactivated" in h.error("conversations_open", username=me["username"], users=gone)
    assert "deactivated" in h.error("channels_list", username=gone)
    assert "method_not_supported" in h.error("conversations_leave", username=me["username"], channel=dm["channel_id"])


def test_paging_arguments_are_checked(h: EpisodeHarness) -> None:
    me = member(h, "design")
    assert "invalid_limit" in h.error("conversations_history", username=me["username"], channel="design", limit=0)
    assert "invalid_cursor" in h.error(
        "conversations_history", username=me["username"], channel="design", cursor="page2"
    )
    assert "invalid_types" in h.error("channels_list", username=me["username"], types="mpim")
    assert "invalid_oldest" in h.error(
        "conversations_history", username=me["username"], channel="design", oldest="last week"
    )
    assert "invalid_query" in h.error("conversations_search_messages", username=me["username"], query="after:soon")


def test_seeded_workspace_is_realistic() -> None:
    snapshot = get_snapshot(slack.env, 0)
    counts = {table: len(snapshot.rows(table)) for table in snapshot.tables}
    assert counts["users"] == 150 and counts["messages"] >= 2500 and counts["reactions"] >= 500
    channels = snapshot.rows("channels")
    named = [c for c in channels if not c["is_im"]]
    assert 38 <= len(named) <= 45 and sum(c["is_im"] for c in channels) >= 50
    assert {c["name"] for c in named if c["is_archived"]} >= {"q4-launch", "old-website"}
    assert sum(c["is_private"] for c in named) >= 5
    users = snapshot.rows("users")
    assert len({u["username"] for u in users}) == 150 and sum(u["deleted"] for u in users) == 7
    assert sum(u["is_admin"] for u in users) == 4
    messages = snapshot.rows("messages")
    replies = [m for m in messages if m["thread_ts"]]
    assert len(replies) >= 500
    parents = {(m["channel_id"], m["ts"]): m for m in messages}
    assert all(parents[(r["channel_id"], r["thread_ts"])]["reply_count"] > 0 for r in replies)
    general = next(c for c in named if c["name"] == "general")
    assert sum(m["channel_id"] == general["channel_id"] for m in snapshot.rows("channel_members")) == 150


def deploy_reply_task() -> Task:
    h = EpisodeHarness(slack.env)
    question = h.rows(
        "SELECT m.*, c.name FROM messages m JOIN channels c ON c.channel_id = m.channel_id WHERE "
        "m.text LIKE '%billing-api deploy%'"
    )[0]
    me = member(h, question["name"], "AND u.user_id != ?", question["user_id"])
    h.close()
    calls = [
        GoldCall(
            env_id="slack",
            tool="conversations_search_messages",
            arguments={"username": me["username"], "query": "billing-api deploy"},
        ),
        GoldCall(
            env_id="slack",
            tool="conversations_add_message",
            arguments={
                "username": me["username"],
                "channel": question["channel_id"],
                "text": "It ships at 2pm",
                "thread_ts": question["ts"],
            },
        ),
    ]
    task = Task(
        task_id="slack-deploy-e2e",
        domain="communication",
        env_ids=["slack"],
        goal="write",
        query=f"I'm {me['username']}. Reply to whoever asked about the billing-api deploy: It ships at 2pm",
        gold_calls=calls,
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = deploy_reply_task()
    assert {(c.table, c.op) for c in task.gold_changes} == {("messages", "insert"), ("messages", "update")}
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
