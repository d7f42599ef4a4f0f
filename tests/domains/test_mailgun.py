"""The Mailgun environment: every tool, domain verification, sandbox, sending limits, suppressions, templates,
lists, validation, events and stats, and the seeded account's size."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.communication import mailgun, northwind
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

MG = "mg.brightlane.io"
NEWS = "news.brightlane.io"
SUPPORT = "support.brightlane.io"
EU = "eu.brightlane.io"
SANDBOX = "sandbox4f8a2c91d7e64b0a.mailgun.org"
NEWSLETTER = "newsletter@news.brightlane.io"
SENDER = "Brightlane <no-reply@mg.brightlane.io>"


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(mailgun.env)
    yield harness
    harness.close()


def events_of(h: EpisodeHarness, message_id: str) -> list[dict[str, Any]]:
    return h.rows("SELECT * FROM events WHERE message_id = ? ORDER BY event, recipient", message_id)


def customer(h: EpisodeHarness) -> str:
    """A transactional recipient on no suppression list."""
    return h.rows(
        "SELECT DISTINCT recipient FROM events WHERE domain = ? AND event = 'delivered' AND recipient NOT IN "
        "(SELECT address FROM bounces UNION SELECT address FROM complaints UNION SELECT address FROM unsubscribes) "
        "ORDER BY recipient LIMIT 1",
        MG,
    )[0]["recipient"]


def test_every_tool_succeeds(h: EpisodeHarness) -> None:
    called: set[str] = set()

    def ok(tool: str, /, **arguments: Any) -> Any:
        called.add(tool)
        return h.ok(tool, **arguments)

    domains = ok("list_domains")
    assert domains["total_count"] == 7  # Brightlane's five and Northwind Labs' two new ones
    unverified = [d["name"] for d in ok("list_domains", state="unverified")["items"]]
    assert unverified == sorted([EU, SUPPORT, *northwind.MAILGUN_DOMAINS])
    details = ok("get_domain", domain=SUPPORT)
    assert details["state"] == "unverified"
    assert {r["kind"]: r["valid"] for r in details["sending_dns_records"]} == {"SPF": "valid", "DKIM": "unknown"}
    assert ok("verify_domain", domain=EU)["state"] == "active"

    to = customer(h)
    sent = ok("send_email", domain=MG, sender=SENDER, to=[to], subject="Hello", text="Hi there", tags=["welcome"])
    assert sent["message"] == "Queued. Thank you."
    assert [e["event"] for e in events_of(h, sent["id"])] == ["accepted"]
    mime = f"From: {SENDER}\nSubject: Export ready\n\nYour export is ready."
    raw = ok("send_mime_email", domain=MG, to=[to], message=mime)
    row = h.rows("SELECT * FROM messages WHERE message_id = ?", raw["id"])[0]
    assert (row["subject"], row["text"], row["from_mime"]) == ("Export ready", "Your export is ready.", 1)

    page = ok("get_events", domain=MG, recipient=to, event="accepted", limit=300)
    assert sent["id"] in {e["message_id"] for e in page["items"]} and page["total"] == len(page["items"])
    stats = ok("get_stats", domain=MG, event=["accepted", "failed"], start="2026-03-01", end="2026-03-07")
    counted = h.rows(
        "SELECT COUNT(*) AS n FROM events WHERE domain = ? AND event = 'accepted' AND timestamp >= '2026-03-01' "
        "AND timestamp <= '2026-03-07T23:59:59'",
        MG,
    )[0]["n"]
    assert stats["totals"]["accepted"] == counted and len(stats["stats"]) == 7
    assert ok("validate_email", address="ana@gmial.com")["did_you_mean"] == "ana@gmail.com"

    bounced = h.rows("SELECT address FROM bounces WHERE domain = ? ORDER BY address LIMIT 1", MG)[0]["address"]
    assert ok("list_suppressions", domain=MG, suppression_type="bounces", address=bounced)["total"] == 1
    ok("delete_suppression", domain=MG, suppression_type="bounces", address=bounced)
    ok("add_suppression", domain=MG, suppression_type="complaints", address=bounced)
    assert h.rows("SELECT 1 FROM complaints WHERE domain = ? AND address = ?", MG, bounced)

    assert "password-reset" in {t["name"] for t in ok("list_templates", domain=MG)}
    ok("create_template", domain=MG, name="trial-ending", template="<p>Hi {{first_name}}</p>", subject="Trial")
    ok("create_template_version", domain=MG, name="trial-ending", tag="v2", template="<p>Hello {{first_name}}</p>")
    versions = ok("get_template", domain=MG, name="trial-ending")["versions"]
    assert [(v["tag"], v["active"]) for v in versions] == [("initial", False), ("v2", True)]

    assert {m["name"] for m in ok("list_mailing_lists")} == {"Newsletter", "Beta testers", "Partners"}
    ok("add_list_member", list_address=NEWSLETTER, address="new.reader@example.org", name="New Reader")
    assert ok("get_mailing_list", list_address=NEWSLETTER, address="new.reader@example.org")["members"][0]["subscribed"]
    ok("update_list_member", list_address=NEWSLETTER, address="new.reader@example.org", subscribed=False)
    ok("delete_list_member", list_address=NEWSLETTER, address="new.reader@example.org")
    assert not h.rows("SELECT 1 FROM list_members WHERE address = 'new.reader@example.org'")
    assert called == set(mailgun.env.tools)


def test_unverified_domains_cannot_send_until_verified(h: EpisodeHarness) -> None:
    to = customer(h)
    message = {"sender": "help@support.brightlane.io", "to": [to], "subject": "Hi", "text": "Hello"}
    assert "is not verified" in h.error("send_email", domain=SUPPORT, **message)
    checked = h.ok("verify_domain", domain=SUPPORT)  # the DKIM record was never published
    assert checked["state"] == "unverified"
    assert "is not verified" in h.error("send_email", domain=SUPPORT, **message)
    assert "is not verified" in h.error("send_email", domain=EU, **{**message, "sender": "hi@eu.brightlane.io"})
    h.ok("verify_domain", domain=EU)
    h.ok("send_email", domain=EU, **{**message, "sender": "hi@eu.brightlane.io"})
    assert "Domain not found" in h.error("get_domain", domain="example.com")


def test_sandbox_sends_only_to_activated_authorized_recipients(h: EpisodeHarness) -> None:
    base = {"domain": SANDBOX, "sender": f"postmaster@{SANDBOX}", "subject": "Test", "text": "Testing"}
    h.ok("send_email", **base, to=["qa@brightlane.io"])
    assert "authorized recipients" in h.error("send_email", **base, to=["maya.lopez@brightlane.io"])  # pending
    assert "authorized recipients" in h.error("send_email", **base, to=["qa@brightlane.io", customer(h)])


def test_message_limits(h: EpisodeHarness) -> None:
    to = customer(h)
    base = {"domain": MG, "sender": SENDER, "to": [to], "subject": "Hi", "text": "Hello"}
    assert "at most 3 tags" in h.error("send_email", **base, tags=["a", "b", "c", "d"])
    assert "at most 1,000 recipients" in h.error(
        "send_email", **base, bcc=[f"user{i}@example.org" for i in range(1000)]
    )
    assert "at least one of 'text', 'html' or 'template'" in h.error("send_email", **{**base, "text": None})
    assert "subject" in h.error("send_email", **{**base, "subject": " "})
    assert "not a valid email address" in h.error("send_email", **{**base, "to": ["not-an-address"]})
    assert "at most 3 days" in h.error("send_email", **base, deliverytime="2026-03-15T14:00:01")
    assert "in the past" in h.error("send_email", **base, deliverytime="2026-03-12T09:00:00")
    assert "not a time" in h.error("send_email", **base, deliverytime="tomorrow morning")
    scheduled = h.ok("send_email", **base, deliverytime="2026-03-13T09:00:00")
    assert "2026-03-13T09:00:00" in scheduled["message"]
    assert h.rows("SELECT deliver_at FROM messages WHERE message_id = ?", scheduled["id"])[0]["deliver_at"] == (
        "2026-03-13T09:00:00"
    )
    rfc = h.ok("send_email", **base, deliverytime="Fri, 13 Mar 2026 10:30:00 +0100")  # RFC 2822, as Mailgun takes it
    assert h.rows("SELECT deliver_at FROM messages WHERE message_id = ?", rfc["id"])[0]["deliver_at"] == (
        "2026-03-13T09:30:00"
    )
    assert "no version 'v9'" in h.error("send_email", **base, template="password-reset", template_version="v9")
    assert "not found" in h.error("send_email", **base, template="no-such-template")
    mime = h.error("send_mime_email", domain=MG, to=[to], message="Subject: Hi\n\nBody")
    assert "From and Subject" in mime


def test_daily_limit_counts_recipients_but_not_test_mode(h: EpisodeHarness) -> None:
    limit = h.rows("SELECT daily_limit FROM accounts")[0]["daily_limit"]
    members = h.rows("SELECT COUNT(*) AS n FROM list_members WHERE list_address = ? AND subscribed = 1", NEWSLETTER)
    per_send = members[0]["n"]
    base = {"domain": NEWS, "sender": "news@news.brightlane.io", "to": [NEWSLETTER], "subject": "Hi", "text": "x"}
    sent_today = h.rows("SELECT COUNT(*) AS n FROM events WHERE event = 'accepted' AND timestamp >= '2026-03-12'")[0]
    sends = (limit - sent_today["n"]) // per_send
    for _ in range(sends):
        h.ok("send_email", **base)
    h.ok("send_email", **base, testmode=True)  # test mode does not count
    assert "daily sending limit of 1,000" in h.error("send_email", **base)


def test_suppressed_recipients_are_dropped_with_the_reason(h: EpisodeHarness) -> None:
    bounced = h.rows("SELECT address FROM bounces WHERE domain = ? ORDER BY address LIMIT 1", MG)[0]["address"]
    fine = customer(h)
    sent = h.ok("send_email", domain=MG, sender=SENDER, to=[bounced, fine], subject="Hi", text="Hello")
    failed = [e for e in events_of(h, sent["id"]) if e["event"] == "failed"]
    assert [(e["recipient"], e["reason"], e["severity"]) for e in failed] == [(bounced, "suppress-bounce", "permanent")]
    assert failed[0]["delivery_message"] == "Not delivering to previously bounced address"
    h.ok("delete_suppression", domain=MG, suppression_type="bounces", address=bounced)
    again = h.ok("send_email", domain=MG, sender=SENDER, to=[bounced], subject="Hi", text="Hello")
    assert [e["event"] for e in events_of(h, again["id"])] == ["accepted"]


def test_unsubscribes_apply_to_their_tags_and_the_allowlist_wins(h: EpisodeHarness) -> None:
    to = customer(h)
    h.ok("add_suppression", domain=MG, suppression_type="unsubscribes", address=to, tag="invoice-receipt")
    base = {"domain": MG, "sender": SENDER, "to": [to], "subject": "Hi", "text": "Hello"}
    receipt = h.ok("send_email", **base, tags=["invoice-receipt"])
    assert [e["reason"] for e in events_of(h, receipt["id"]) if e["event"] == "failed"] == ["suppress-unsubscribe"]
    other = h.ok("send_email", **base, tags=["welcome"])
    assert [e["event"] for e in events_of(h, other["id"])] == ["accepted"]
    assert "already unsubscribed" in h.error(
        "add_suppression", domain=MG, suppression_type="unsubscribes", address=to, tag="invoice-receipt"
    )
    staff = "ops@brightlane.io"
    h.ok("add_suppression", domain=MG, suppression_type="bounces", address=staff)
    staff_mail = h.ok("send_email", **{**base, "to": [staff]})
    assert [e["event"] for e in events_of(h, staff_mail["id"])] == ["accepted"]  # brightlane.io is allowlisted
    assert "already on the bounces list" in h.error("add_suppression", domain=MG, suppression_type="bounces",
                                                    address=staff)  # fmt: skip
    assert "not on the complaints list" in h.error("delete_suppression", domain=MG, suppression_type="complaints",
                                                   address=to)  # fmt: skip
    assert "Only unsubscribes" in h.error("add_suppression", domain=MG, suppression_type="bounces", address=to,
                                          tag="welcome")  # fmt: skip


def test_template_rules_and_rendering(h: EpisodeHarness) -> None:
    assert "already exists" in h.error("create_template", domain=MG, name="password-reset", template="<p>x</p>",
                                       subject="x")  # fmt: skip
    assert "lower-case" in h.error("create_template", domain=MG, name="Bad Name", template="<p>x</p>", subject="x")
    assert "already has a version 'initial'" in h.error("create_template_version", domain=MG, name="password-reset",
                                                        tag="initial", template="<p>x</p>")  # fmt: skip
    sent = h.ok("send_email", domain=MG, sender=SENDER, to=[customer(h)], template="password-reset",
                variables={"first_name": "Ana", "reset_link": "https://app.brightlane.io/reset?token=X"})  # fmt: skip
    row = h.rows("SELECT * FROM messages WHERE message_id = ?", sent["id"])[0]
    assert row["subject"] == "Reset your Brightlane password"
    assert "Hi Ana" in row["html"] and "token=X" in row["html"]
    active = h.rows("SELECT tag FROM template_versions WHERE template_name = 'password-reset' AND active = 1")
    assert row["template_version"] == active[0]["tag"]


def test_mailing_list_rules(h: EpisodeHarness) -> None:
    member = h.rows("SELECT * FROM list_members WHERE list_address = ? AND subscribed = 1 LIMIT 1", NEWSLETTER)[0]
    assert "already a member" in h.error("add_list_member", list_address=NEWSLETTER, address=member["address"])
    h.ok("add_list_member", list_address=NEWSLETTER, address=member["address"], name="Renamed", upsert=True)
    assert "already like that" in h.error("update_list_member", list_address=NEWSLETTER, address=member["address"],
                                          subscribed=True)  # fmt: skip
    assert "not a member" in h.error("delete_list_member", list_address=NEWSLETTER, address="nobody@example.org")
    assert "not found" in h.error("get_mailing_list", list_address="missing@news.brightlane.io")


def test_validation_levels(h: EpisodeHarness) -> None:
    role = h.ok("validate_email", address="info@brightlane.io")
    assert (role["is_role_address"], role["risk"], role["result"]) == (True, "medium", "deliverable")
    throwaway = h.ok("validate_email", address="sam@mailinator.com")
    assert (throwaway["is_disposable_address"], throwaway["risk"], throwaway["result"]) == (True, "high", "do_not_send")
    dead = h.ok("validate_email", address="sam@oldmail-service.net")
    assert (dead["mx_found"], dead["risk"], dead["did_you_mean"]) == (False, "high", None)
    good = h.ok("validate_email", address="sam.lee@gmail.com")
    assert (good["risk"], good["result"], good["did_you_mean"]) == ("low", "deliverable", None)
    assert h.ok("validate_email", address="bad@@x")["reason"] == ["malformed_address"]
    assert h.ok("validate_email", address="lee@hotmial.com")["did_you_mean"] == "lee@hotmail.com"


def test_events_filters_and_stats_by_tag(h: EpisodeHarness) -> None:
    failed = h.ok("get_events", domain=MG, event="failed", severity="temporary", limit=300)
    assert failed["items"] and all(e["reason"] == "generic" and e["delivery_status"]["code"] in (421, 452)
                                   for e in failed["items"])  # fmt: skip
    stamps = [e["timestamp"] for e in h.ok("get_events", domain=NEWS, ascending=True, limit=50)["items"]]
    assert stamps == sorted(stamps)
    assert "begin must be before end" in h.error("get_events", domain=MG, begin="2026-03-10", end="2026-03-01")
    digest = h.ok("get_stats", domain=NEWS, event=["opened"], tag="weekly-digest", start="2026-03-10")
    opened = h.rows(
        "SELECT COUNT(*) AS n FROM events e JOIN messages m ON m.message_id = e.message_id WHERE e.event = 'opened' "
        "AND e.timestamp >= '2026-03-10' AND m.template = 'weekly-digest'"
    )[0]["n"]
    assert digest["totals"]["opened"] == opened > 20
    monthly = h.ok("get_stats", domain=MG, event=["delivered"], resolution="month", start="2026-02-01")
    assert [b["time"] for b in monthly["stats"]] == ["2026-02", "2026-03"]
    assert "Tag 'nope' not found" in h.error("get_stats", domain=NEWS, event=["opened"], tag="nope")
    assert "at most 7 days" in h.error("get_stats", domain=MG, event=["opened"], resolution="hour",
                                       start="2026-02-01")  # fmt: skip


def test_seeded_account_is_realistic() -> None:
    snapshot = get_snapshot(mailgun.env, 0)
    counts = {table: len(snapshot.rows(table)) for table in snapshot.tables}
    assert 2000 <= counts["events"] <= 4000 and counts["messages"] >= 300
    assert counts["bounces"] >= 30 and counts["unsubscribes"] >= 5 and counts["complaints"] >= 3
    assert counts["list_members"] >= 200 and counts["templates"] >= 7 and counts["domains"] == 7
    assert {e["event"] for e in snapshot.rows("events")} >= {"accepted", "delivered", "failed", "opened", "clicked",
                                                             "unsubscribed", "complained"}  # fmt: skip
    bounced = {(b["domain"], b["address"]) for b in snapshot.rows("bounces")}
    bounce_events = [e for e in snapshot.rows("events") if e["reason"] == "bounce"]
    assert bounce_events and all((e["domain"], e["recipient"]) in bounced for e in bounce_events)


def resend_task() -> Task:
    h = EpisodeHarness(mailgun.env)
    address = h.rows("SELECT address FROM bounces WHERE domain = ? ORDER BY address LIMIT 1", MG)[0]["address"]
    h.close()
    calls = [
        GoldCall(env_id="mailgun", tool="list_suppressions",
                 arguments={"domain": MG, "suppression_type": "bounces", "address": address}),
        GoldCall(env_id="mailgun", tool="delete_suppression",
                 arguments={"domain": MG, "suppression_type": "bounces", "address": address}),
        GoldCall(env_id="mailgun", tool="send_email",
                 arguments={"domain": MG, "sender": SENDER, "to": [address], "subject": "Hi", "text": "Hello"}),
    ]  # fmt: skip
    task = Task(
        task_id="mailgun-resend-e2e",
        domain="communication",
        env_ids=["mailgun"],
        goal="write",
        query=f"Take {address} off the bounce list of {MG} and send them 'Hello' with subject 'Hi' from {SENDER}.",
        gold_calls=calls,
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = resend_task()
    assert {(c.table, c.op) for c in task.gold_changes} == {
        ("bounces", "delete"),
        ("messages", "insert"),
        ("events", "insert"),
    }
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
