"""The communication domain's cross-service stories: the people they join services by exist in both seeded
states, and each story's decision goes both ways on the packaged tasks (the state decides, not the story)."""

from __future__ import annotations

from collections import Counter

import pytest

from envfactory_gym import registry
from envfactory_gym.domains.communication import domain_stories as comm
from envfactory_gym.domains.communication import northwind
from envfactory_gym.domains.communication.mailgun.seed import EU, SUPPORT
from envfactory_gym.domains.communication.postmark.seed import NORTHWIND_SERVER
from envfactory_gym.synthesis.stories import load_stories
from envfactory_gym.tasks import Task, load_tasks
from envfactory_gym.testing import seeded_rows, story_tasks


def _rows(env_id: str, sql: str, *params: object) -> list[dict[str, object]]:
    return seeded_rows(env_id, sql, *params)


def _domain_tasks() -> list[Task]:
    return load_tasks("communication", "domain")


def _told(story: str) -> list[Task]:
    tasks = story_tasks("communication", story)
    assert tasks, story
    return tasks


def _tools(task: Task) -> list[str]:
    return [f"{c.env_id}.{c.tool}" for c in task.gold_calls]


def _both_ways(tasks: list[Task], tool: str) -> list[Task]:
    """The tasks that call ``tool``; the story must call it on some draws and not on others."""
    taken = [t for t in tasks if tool in _tools(t)]
    assert taken and len(taken) < len(tasks), tool
    return taken


def _slack_members() -> dict[str, dict[str, object]]:
    return {str(r["username"]): r for r in _rows("slack", "SELECT * FROM users")}


# -- the links exist in both seeds -----------------------------------------------------------------------


def test_ticket_users_are_slack_members_under_the_same_username_and_name() -> None:
    slack = _slack_members()
    staff = _rows("ticket_management", "SELECT username, full_name FROM staff")
    assert len(staff) >= 50
    assert all(s["username"] in slack and slack[str(s["username"])]["real_name"] == s["full_name"] for s in staff)
    reporters = {r["created_by"] for r in _rows("ticket_management", "SELECT DISTINCT created_by FROM tickets")}
    assert reporters <= set(slack)
    # Some reporters have left (their Slack account is deactivated): the story then does not DM them.
    assert any(slack[str(r)]["deleted"] for r in reporters)


def test_zoom_users_are_slack_members_by_their_login() -> None:
    names = {r["real_name"] for r in _slack_members().values()}
    users = _rows("zoom", "SELECT user_id, first_name, last_name FROM users")
    assert len(users) >= 100
    for user in users:
        assert f"{user['first_name']} {user['last_name']}" in names
        assert user["user_id"] == comm._zoom_login(str(user["first_name"]), str(user["last_name"]))
    # Not everyone on Slack has Zoom: the kickoff and walkthrough stories branch on it.
    assert len(names) > len(users)


def test_the_desk_is_on_zoom_and_the_messaging_app_owner_is_on_slack() -> None:
    owner = _rows("ticket_management", "SELECT st.* FROM staff st JOIN ticket_system t ON t.owner = st.username")[0]
    first, last = str(owner["full_name"]).split()
    assert _rows("zoom", "SELECT 1 FROM users WHERE user_id = ?", comm._zoom_login(first, last))
    app_owner = _rows("message", "SELECT u.name FROM users u JOIN workspace w ON w.owner_id = u.user_id")[0]
    assert _rows("slack", "SELECT 1 FROM users WHERE real_name = ? AND deleted = 0", app_owner["name"])


def test_every_slack_member_is_in_the_messaging_directory_once() -> None:
    directory = Counter(r["name"] for r in _rows("message", "SELECT name FROM users"))
    assert all(directory[r["real_name"]] == 1 for r in _slack_members().values())


def test_colleagues_with_phone_lines_include_ones_that_do_not_work() -> None:
    names = [r["real_name"] for r in _slack_members().values() if not r["deleted"]]
    marks = ", ".join("?" for _ in names)
    lines = _rows(
        "telecom",
        f"SELECT l.status, c.full_name FROM lines l JOIN customers c ON c.customer_id = l.customer_id WHERE "
        f"c.full_name IN ({marks})",
        *names,
    )
    assert len({r["full_name"] for r in lines}) >= 5
    assert {"Suspended", "Active"} <= {r["status"] for r in lines}
    staff = {r["full_name"] for r in _rows("ticket_management", "SELECT full_name FROM staff")}
    at_the_desk = [r for r in lines if r["full_name"] in staff]
    assert any(r["status"] != "Active" for r in at_the_desk) and any(r["status"] == "Active" for r in at_the_desk)


def test_email_services_hold_both_outcomes_of_their_stories() -> None:
    bounces = _rows("postmark", "SELECT DISTINCT can_activate FROM bounces WHERE server_id = 1")
    assert {r["can_activate"] for r in bounces} == {0, 1}
    reasons = _rows("amazon_ses", "SELECT DISTINCT reason FROM suppressed_destinations WHERE region = 'us-east-1'")
    assert {r["reason"] for r in reasons} == {"BOUNCE", "COMPLAINT"}
    published = {
        (r["domain"], r["kind"]): r["published"]
        for r in _rows("mailgun", "SELECT domain, kind, published FROM dns_records WHERE domain IN (?, ?)", EU, SUPPORT)
    }
    assert published[(EU, "DKIM")] and published[(EU, "SPF")] and not published[(SUPPORT, "DKIM")]
    northwind_kinds = _rows("postmark", "SELECT DISTINCT b.bounce_type FROM bounces b JOIN servers v ON v.server_id = "
                            "b.server_id WHERE v.name = ?", NORTHWIND_SERVER)  # fmt: skip
    assert {r["bounce_type"] for r in northwind_kinds} == {"HardBounce", "SoftBounce", "Transient", "SpamComplaint"}
    ready, broken = northwind.MAILGUN_DOMAINS
    records = _rows("mailgun", "SELECT domain, kind, published FROM dns_records WHERE domain IN (?, ?)", ready, broken)
    published = {(r["domain"], r["kind"]): r["published"] for r in records}
    assert published[(ready, "DKIM")] and published[(ready, "SPF")] and not published[(broken, "DKIM")]


def _reporter_addresses() -> set[str]:
    rows = _rows("ticket_management", "SELECT json_extract(extra, '$.reporter_email') AS email FROM tickets")
    return {str(r["email"]) for r in rows}


def test_northwinds_postmark_server_bounced_ticket_reporters_addresses() -> None:
    bounced = _rows("postmark", "SELECT b.email, b.can_activate FROM bounces b JOIN servers v ON v.server_id = "
                    "b.server_id WHERE v.name = ?", NORTHWIND_SERVER)  # fmt: skip
    assert len(bounced) >= 10
    staff = {northwind.work_address(*str(r["full_name"]).split(" ", 1))
             for r in _rows("ticket_management", "SELECT full_name FROM staff")}  # fmt: skip
    addresses = {str(b["email"]) for b in bounced}
    assert addresses <= staff  # every bounced address is a colleague's, as the ticket system knows them
    # Some of them reported tickets, with hard bounces and bounces that cannot be undone among them.
    reported = [b for b in bounced if b["email"] in _reporter_addresses()]
    assert {b["can_activate"] for b in reported} == {0, 1}
    # Tallyfox's own servers keep mailing their own customers only.
    others = _rows("postmark", "SELECT email FROM bounces WHERE email LIKE ? AND server_id != (SELECT server_id FROM "
                   "servers WHERE name = ?)", f"%@{northwind.DOMAIN}", NORTHWIND_SERVER)  # fmt: skip
    assert not others


def test_each_northwind_mailgun_domain_is_named_in_an_eng_platform_post() -> None:
    on_mailgun = {r["name"]: r["state"] for r in _rows("mailgun", "SELECT name, state FROM domains")}
    posts = _rows("slack", "SELECT m.text, m.user_id FROM messages m JOIN channels c ON c.channel_id = m.channel_id "
                  "WHERE c.name = 'eng-platform' AND m.text LIKE 'Published the DNS records%'")  # fmt: skip
    members = {r["user_id"] for r in _rows("slack", "SELECT m.user_id FROM channel_members m JOIN channels c ON "
                                           "c.channel_id = m.channel_id WHERE c.name = 'eng-platform'")}  # fmt: skip
    for domain in northwind.MAILGUN_DOMAINS:
        assert on_mailgun[domain] == "unverified"
        naming = [p for p in posts if f" {domain}." in str(p["text"])]
        assert len(naming) == 1 and naming[0]["user_id"] in members, domain
    assert len({p["user_id"] for p in posts}) == len(northwind.MAILGUN_DOMAINS)  # one engineer per domain


def test_the_founder_has_her_groups_and_her_beta_audience() -> None:
    for group in comm.WHATSAPP_GROUPS:
        assert _rows("whatsapp", 'SELECT 1 FROM chats c JOIN groups g ON g.chat_jid = c.chat_jid WHERE c.name = ? '
                     'AND g."left" = 0', group)  # fmt: skip
    assert _rows("resend", "SELECT 1 FROM audiences WHERE name = 'Beta testers'")


def test_the_shared_roster_is_slacks_members_in_order() -> None:
    members = _rows("slack", "SELECT real_name FROM users ORDER BY rowid")
    assert [f"{first} {last}" for first, last in northwind.roster(0, len(members))] == [
        m["real_name"] for m in members
    ]


def test_every_slack_member_is_on_the_network_at_the_handle_their_profile_gives() -> None:
    accounts = _rows("posting", "SELECT username, display_name FROM accounts")
    by_handle = {str(a["username"]): a["display_name"] for a in accounts}
    members = list(_slack_members().values())
    assert all(by_handle.get(str(m["posting_handle"])) == m["real_name"] for m in members)
    # The colleagues who moved keep their old account (under the same name): the story unfollows it.
    moved = northwind.moved_handles(0)
    assert len(moved) >= 10 and all(handle.endswith(northwind.MOVED_SUFFIX) for handle in moved.values())
    names = Counter(a["display_name"] for a in accounts)
    assert all(names[name] == 2 for name in moved)
    assert {m["real_name"]: m["posting_handle"] for m in members if m["real_name"] in moved} == moved
    # The network's owner is one of them, and follows some colleagues at their old handle.
    owner = _rows("posting", "SELECT a.display_name FROM platform p JOIN accounts a ON a.username = p.username")[0]
    assert owner["display_name"] in {m["real_name"] for m in members}
    followed = {r["username"] for r in _rows("posting", "SELECT username FROM following")}
    old = set(northwind.social_handles(0, [tuple(n.split(" ", 1)) for n in moved]).values())  # type: ignore[misc]
    assert followed & old and old - followed


def test_tickets_show_their_reporters_northwind_address_and_ses_sends_from_northwind() -> None:
    staff = {r["username"]: r["full_name"] for r in _rows("ticket_management", "SELECT * FROM staff")}
    zoom = {r["user_id"] for r in _rows("zoom", "SELECT user_id FROM users")}
    tickets = _rows("ticket_management", "SELECT created_by, json_extract(extra, '$.reporter_email') AS email "
                    "FROM tickets")  # fmt: skip
    for ticket in tickets:
        first, last = staff[str(ticket["created_by"])].split(" ", 1)
        assert ticket["email"] == northwind.work_address(first, last)
    # The same address is the colleague's Zoom login, where they have Zoom.
    assert {t["email"] for t in tickets} & zoom
    verified = _rows("amazon_ses", "SELECT identity FROM identities WHERE region = 'us-east-1' AND "
                     "verification_status = 'Success'")  # fmt: skip
    assert {northwind.DOMAIN, northwind.IT_DESK_ADDRESS} <= {r["identity"] for r in verified}
    suppressed = {r["email_address"] for r in _rows("amazon_ses", "SELECT email_address FROM suppressed_destinations "
                                                    "WHERE region = 'us-east-1'")}  # fmt: skip
    reporters = {t["email"] for t in tickets}
    assert reporters & suppressed and reporters - suppressed


# -- the stories and the packaged mix ------------------------------------------------------------------


def test_cross_service_stories_join_two_or_three_services_and_cover_the_domain() -> None:
    crossing = [s for s in load_stories("communication") if s.multi_env]
    communication = set(registry.domain_envs("communication"))
    assert len(crossing) >= 10
    assert all(2 <= len(s.env_ids) <= 3 and set(s.env_ids) <= communication for s in crossing)
    assert {e for s in crossing for e in s.env_ids} == communication


def test_the_packaged_mix() -> None:
    tasks = _domain_tasks()
    assert len(tasks) >= 240
    assert sum(len(t.env_ids) > 1 for t in tasks) >= 0.6 * len(tasks)
    implicit = sum(t.metadata["intent"] == "implicit" for t in tasks) / len(tasks)
    assert 0.3 <= implicit <= 0.5
    told = Counter(t.metadata["story"] for t in tasks)
    for chosen in load_stories("communication"):
        if chosen.multi_env:
            assert told[chosen.name] >= 5, chosen.name


def test_every_slack_post_and_dm_is_said_word_for_word() -> None:
    # Except a friend's post forwarded as it stands: its text is read from the post (test_posting_domain_stories).
    forwarded = "slack+posting.posting_forward_friends_post"
    for task in _domain_tasks():
        if task.metadata["story"] == forwarded:
            continue
        for call in task.gold_calls:
            if (call.env_id, call.tool) in {("slack", "conversations_add_message"), ("message", "send_message"),
                                            ("whatsapp", "whatsapp_send_text_message")}:  # fmt: skip
                text = call.arguments.get("text", call.arguments.get("message"))
                assert f'"{text}"' in task.query, task.task_id


# -- decisions depend on the state ---------------------------------------------------------------------


def test_a_ticket_is_resolved_only_while_open_and_its_reporter_told_only_while_on_slack() -> None:
    tasks = _told("fixed_so_tell_the_reporter")
    resolved = _both_ways(tasks, "ticket_management.resolve_ticket")
    told = [t for t in resolved if "slack.conversations_add_message" in _tools(t)]
    assert told
    for task in tasks:
        if task not in resolved:  # already finished: nothing changes, its resolution is the answer
            assert task.goal == "read" and task.required_facts
        elif task not in told:  # the reporter left: their name is the answer instead of a DM
            assert task.required_facts


def test_only_a_ticket_still_being_worked_on_is_escalated_and_announced() -> None:
    tasks = _told("escalate_and_flag_in_it_help")
    escalated = _both_ways(tasks, "ticket_management.edit_ticket")
    for task in tasks:
        posted = "slack.conversations_add_message" in _tools(task)
        assert posted == (task in escalated)
        assert ("yes" if posted else "no") in task.required_facts
    for task in escalated:
        edit = next(c for c in task.gold_calls if c.tool == "edit_ticket")
        assert edit.arguments["updates"] == {"priority": 5}


def test_a_walkthrough_is_booked_only_for_a_reporter_on_zoom() -> None:
    tasks = _told("walk_the_reporter_through_on_zoom")
    for task in tasks:
        tools = _tools(task)
        assert tools[-1] == "slack.conversations_add_message"  # the reporter hears either way
        if "zoom.create_meeting" in tools:
            registrant = next(c for c in task.gold_calls if c.tool == "add_meeting_registrant")
            assert registrant.arguments["email"].endswith("@" + comm.ZOOM_DOMAIN)
            assert tools.index("zoom.list_users") < tools.index("zoom.create_meeting")


def test_the_kickoff_registers_exactly_the_members_with_zoom() -> None:
    zoom = {r["user_id"] for r in _rows("zoom", "SELECT user_id FROM users")}
    for task in _told("kickoff_call_for_the_channel"):
        looked_up = [c.arguments["search"] for c in task.gold_calls if c.tool == "list_users"]
        registered = {c.arguments["email"] for c in task.gold_calls if c.tool == "add_meeting_registrant"}
        on_zoom = {comm._zoom_login(*name.split(" ", 1)) for name in looked_up} & zoom
        assert registered == on_zoom
        without = sorted(name for name in looked_up if comm._zoom_login(*name.split(" ", 1)) not in zoom)
        assert task.required_facts == (without or ["nobody"])


def test_a_recording_is_recovered_only_from_the_trash() -> None:
    tasks = _told("recording_back_for_the_team")
    recovered = _both_ways(tasks, "zoom.recover_recording")
    for task in tasks:
        assert _tools(task)[-1] == "slack.conversations_add_message"
        assert task.required_facts == ["yes" if task in recovered else "no"]


def test_a_deactivated_colleague_is_reached_in_the_messaging_app() -> None:
    tasks = _told("colleague_off_slack_gets_a_message")
    elsewhere = _both_ways(tasks, "message.send_message")
    deactivated = {r["real_name"] for r in _slack_members().values() if r["deleted"]}
    for task in tasks:
        name = next(c.arguments["query"] for c in task.gold_calls if c.tool == "users_list")
        assert (name in deactivated) == (task in elsewhere)
        assert ("slack.conversations_add_message" in _tools(task)) == (task not in elsewhere)


def test_a_line_is_reported_or_ticketed_only_when_it_is_not_working() -> None:
    for story, tool in (
        ("phone_line_down_tell_the_team", "slack.conversations_add_message"),
        ("suspended_line_logged_as_a_ticket", "ticket_management.create_ticket"),
    ):
        tasks = _told(story)
        acted = _both_ways(tasks, tool)
        for task in tasks:
            line_id = next(c.arguments["id"] for c in task.gold_calls if c.tool == "get_details_by_id")
            status = _rows("telecom", "SELECT status FROM lines WHERE line_id = ?", line_id)[0]["status"]
            broken = status == "Suspended" if story == "phone_line_down_tell_the_team" else status != "Active"
            assert (task in acted) == broken, (story, task.task_id)


@pytest.mark.parametrize(
    ("story", "write", "outcome"),
    [
        ("reporter_stopped_getting_our_email", "postmark.activate_bounce", {"HardBounce"}),
        ("receipts_bouncing_off_suppression", "amazon_ses.delete_suppressed_destination", {"BOUNCE"}),
    ],
)
def test_an_address_is_released_only_when_the_service_allows_it(story: str, write: str, outcome: set[str]) -> None:
    tasks = _told(story)
    released = _both_ways(tasks, write)
    for task in tasks:
        assert (task.required_facts[0] in outcome) == (task in released), task.task_id
        post = next((c for c in task.gold_calls if c.tool == "conversations_add_message"), None)
        if story == "reporter_stopped_getting_our_email":  # the reporter hears only of a reactivation
            assert (post is not None) == (task in released)
        else:  # the channel hears either way, what was done
            assert post is not None
            assert (post.arguments["text"] in comm.SUPPRESSION_POSTS) == (task in released)


def test_the_platform_channel_hears_only_of_a_verified_domain() -> None:
    tasks = _told("new_domain_verified_tell_platform")
    posted = _both_ways(tasks, "slack.conversations_add_message")
    for task in tasks:
        domain = next(c.arguments["domain"] for c in task.gold_calls if c.tool == "verify_domain")
        assert (task in posted) == (domain == northwind.MAILGUN_DOMAINS[0])
        assert ("yes" in task.required_facts) == (task in posted)


def test_the_domain_checked_is_the_one_the_named_engineers_post_gives() -> None:
    posts = _rows("slack", "SELECT m.text, u.real_name FROM messages m JOIN channels c ON c.channel_id = m.channel_id "
                  "JOIN users u ON u.user_id = m.user_id WHERE c.name = 'eng-platform' AND m.text LIKE "
                  "'Published the DNS records%'")  # fmt: skip
    tasks = _told("new_domain_verified_tell_platform")
    assert {next(c.arguments["domain"] for c in t.gold_calls if c.tool == "verify_domain") for t in tasks} == set(
        northwind.MAILGUN_DOMAINS
    )
    for task in tasks:
        domain = next(c.arguments["domain"] for c in task.gold_calls if c.tool == "verify_domain")
        assert domain not in task.query  # Slack gives it, the person does not
        engineer = next(str(p["real_name"]) for p in posts if f" {domain}." in str(p["text"]))
        assert engineer in task.query
        assert _tools(task)[0] == "slack.conversations_history"


def test_the_bounce_looked_up_is_the_address_the_reporters_ticket_shows() -> None:
    tasks = _told("reporter_stopped_getting_our_email")
    for task in tasks:
        ticket_id = next(c.arguments["ticket_id"] for c in task.gold_calls if c.tool == "get_ticket")
        row = _rows("ticket_management", "SELECT created_by, json_extract(extra, '$.reporter_email') AS email FROM "
                    "tickets WHERE id = ?", ticket_id)[0]  # fmt: skip
        lookup = next(c for c in task.gold_calls if c.tool == "get_bounces")
        assert lookup.arguments == {"server": NORTHWIND_SERVER, "email_filter": row["email"]}
        assert str(row["email"]) not in task.query  # the ticket gives it, the person does not
        dm = [c for c in task.gold_calls if c.tool == "conversations_open"]
        if dm:
            member = _slack_members()[str(row["created_by"])]
            assert dm[0].arguments["users"] == member["user_id"]


def test_the_reply_on_a_complained_about_post_ends_with_the_new_tickets_number() -> None:
    for task in _told("posting_complaints_become_a_ticket"):
        reply = next(c.arguments["comment_content"] for c in task.gold_calls if c.tool == "comment")
        assert f'"{comm.POSTING_COMPLAINT_REPLY}"' in task.query and " N " not in task.query
        number = reply.removeprefix(comm.POSTING_COMPLAINT_REPLY).strip(" .")
        assert number.isdigit() and number not in task.query.split(), task.task_id


def test_a_fixed_tickets_reporter_is_emailed_at_the_tickets_address_unless_ses_suppresses_it() -> None:
    suppressed = {r["email_address"] for r in _rows("amazon_ses", "SELECT email_address FROM suppressed_destinations "
                                                    "WHERE region = 'us-east-1'")}  # fmt: skip
    tasks = _told("fixed_so_email_the_reporter")
    emailed = _both_ways(tasks, "amazon_ses.send_email")
    for task in tasks:
        ticket_id = next(c.arguments["ticket_id"] for c in task.gold_calls if c.tool == "get_ticket")
        address = _rows("ticket_management", "SELECT json_extract(extra, '$.reporter_email') AS email FROM tickets "
                        "WHERE id = ?", ticket_id)[0]["email"]  # fmt: skip
        assert str(address) not in task.query  # the ticket gives it, the person does not
        assert "ticket_management.resolve_ticket" in _tools(task)
        if task in emailed:
            send = next(c for c in task.gold_calls if c.tool == "send_email")
            assert send.arguments["to_addresses"] == [address] and address not in suppressed
            assert send.arguments["source"] == northwind.IT_DESK_ADDRESS
        else:
            assert address in suppressed and _tools(task)[-1] == "slack.conversations_add_message"


def test_posting_stories_find_handles_in_slack_profiles_not_in_the_request() -> None:
    profiles = {r["posting_handle"] for r in _slack_members().values()}
    owner = _rows("posting", "SELECT username FROM platform")[0]["username"]
    for story in ("posting_colleague_moved_handles", "posting_forward_friends_post", "posting_announce_fixed_outage"):
        for task in _told(story):
            used = {c.arguments.get("username_to_follow") or c.arguments.get("username") for c in task.gold_calls
                    if c.env_id == "posting" and c.tool in ("follow_user", "get_user_tweets", "get_user_stats")}
            used |= {m.lstrip("@") for c in task.gold_calls if c.tool in ("mention", "post_tweet")
                     for m in c.arguments.get("mentioned_usernames", c.arguments.get("mentions", []))}  # fmt: skip
            for handle in used - {owner, None}:
                assert handle in profiles, (story, handle)
                assert f"@{handle}" not in task.query, (story, task.task_id)
    moved = set(northwind.moved_handles(0).values())
    for task in _told("posting_colleague_moved_handles"):
        followed = next(c.arguments["username_to_follow"] for c in task.gold_calls if c.tool == "follow_user")
        assert followed in moved
