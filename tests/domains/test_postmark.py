"""The Postmark environment: every tool, sender confirmation, stream rules, inactive recipients, bounce
reactivation, batch results, search, opens and stats, suppressions, and the seeded account's size."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.communication import postmark
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

PROD, STAGING, DESK = "Tallyfox Production", "Tallyfox Staging", "Tallyfox Help Desk"
NORTHWIND = "Northwind Product Mail"
BILLING = "Tallyfox Billing <billing@tallyfox.com>"
NEWS = "Tallyfox News <news@tallyfox.com>"
RECEIPT_MODEL = {"name": "Ana", "receipt_number": "TF-100200", "amount": "$29.00", "plan": "Growth"}


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(postmark.env)
    yield harness
    harness.close()


def active_customer(h: EpisodeHarness, stream: str = "outbound") -> str:
    return h.rows(
        "SELECT DISTINCT e.recipient FROM message_events e JOIN messages m ON m.message_id = e.message_id "
        "WHERE m.server_id = 1 AND m.stream_id = ? AND e.event_type = 'Delivered' AND e.recipient NOT IN "
        "(SELECT email_address FROM suppressions) ORDER BY e.recipient LIMIT 1",
        stream,
    )[0]["recipient"]


def bounce_of(h: EpisodeHarness, kind: str, stream: str = "outbound") -> dict[str, Any]:
    return h.rows(
        "SELECT * FROM bounces WHERE server_id = 1 AND bounce_type = ? AND stream_id = ? AND inactive = 1 "
        "ORDER BY bounce_id LIMIT 1",
        kind,
        stream,
    )[0]


def count(h: EpisodeHarness, table: str) -> int:
    return int(h.rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"])


def test_every_tool_succeeds(h: EpisodeHarness) -> None:
    called: set[str] = set()

    def ok(tool: str, /, **arguments: Any) -> Any:
        called.add(tool)
        return h.ok(tool, **arguments)

    servers = ok("list_servers")
    assert [s["server"] for s in servers] == [PROD, STAGING, DESK, NORTHWIND]
    assert servers[0]["message_streams"] == ["inbound", "newsletters", "outbound", "product-updates"]
    kinds = {s["stream_id"]: s["stream_type"] for s in ok("list_message_streams", server=PROD)}
    assert kinds == {"inbound": "Inbound", "newsletters": "Broadcasts", "outbound": "Transactional",
                     "product-updates": "Broadcasts"}  # fmt: skip
    assert not ok("list_sender_signatures", email_address="qa@tallyfox.dev")[0]["confirmed"]
    created = ok("create_sender_signature", email_address="billing@foxledger.co", name="FoxLedger Billing")
    assert created["confirmed"] is False
    assert {d["name"]: d["dkim_verified"] for d in ok("list_domains")}["tallyfox.com"] is True
    assert "receipt" in {t["alias"] for t in ok("list_templates", server=PROD)}

    to = active_customer(h)
    sent = ok("send_email", server=PROD, sender=BILLING, to=[to], subject="Hi", text_body="Hello", tag="note",
              metadata={"b": "2", "a": "1"}, track_links="None")  # fmt: skip
    assert sent["error_code"] == 0 and sent["submitted_at"] == "2026-04-16T15:30:00"
    row = h.rows("SELECT * FROM messages WHERE message_id = ?", sent["message_id"])[0]
    assert (row["stream_id"], row["track_links"], row["meta"]) == ("outbound", "None", '{"a":"1","b":"2"}')
    templated = ok("send_email_with_template", server=PROD, sender=BILLING, to=[to], template_alias="receipt",
                   template_model=RECEIPT_MODEL)  # fmt: skip
    details = ok("get_message_details", server=PROD, message_id=templated["message_id"])
    assert details["subject"] == "Your Tallyfox receipt TF-100200" and "$29.00" in details["text_body"]
    digest = {"name": "Ana", "week": "April 6"}
    batch = ok("send_email_batch", server=PROD, messages=[
        {"sender": NEWS, "to": [to], "template_alias": "weekly-digest", "template_model": digest,
         "message_stream": "newsletters"}])  # fmt: skip
    assert batch[0]["error_code"] == 0

    found = ok("search_outbound_messages", server=PROD, recipient=to.upper(), from_date="2026-04-16")
    assert {m["message_id"] for m in found["messages"]} >= {sent["message_id"], templated["message_id"]}
    hard = bounce_of(h, "HardBounce")
    assert ok("get_bounces", server=PROD, email_filter=hard["email"])["total_count"] >= 1
    assert ok("get_bounce", server=PROD, bounce_id=hard["bounce_id"])["can_activate"] is True
    ok("activate_bounce", server=PROD, bounce_id=hard["bounce_id"])
    opens = ok("get_message_opens", server=PROD, tag="onboarding", count=5)
    assert opens["total_count"] > 5 and all(o["tag"] == "onboarding" for o in opens["opens"])
    stats = ok("get_outbound_stats", server=PROD, tag="receipt", from_date="2026-04-06", to_date="2026-04-12")
    assert stats["sent"] > 30 and 0 < stats["unique_opens"] <= stats["opens"]
    reader = active_customer(h, "newsletters")
    ok("create_suppressions", server=PROD, message_stream="newsletters", emails=[reader])
    listed = ok("list_suppressions", server=PROD, message_stream="newsletters", email_address=reader)
    assert listed["suppressions"][0]["suppression_reason"] == "ManualSuppression"
    assert (
        ok("delete_suppressions", server=PROD, message_stream="newsletters", emails=[reader])[0]["status"] == "Deleted"
    )
    assert called == set(postmark.env.tools)


def test_sender_must_be_confirmed_or_on_a_verified_domain(h: EpisodeHarness) -> None:
    base = {"server": STAGING, "to": ["qa@tallyfox.com"], "subject": "Test", "text_body": "Testing"}
    assert "ErrorCode 401" in h.error("send_email", sender="qa@tallyfox.dev", **base)  # signature pending
    assert "ErrorCode 400" in h.error("send_email", sender="someone@tallyfox.dev", **base)  # domain not verified
    h.ok("send_email", sender="Tallyfox Staging <noreply@tallyfox.dev>", **base)  # confirmed signature
    h.ok("send_email", sender="anyone@tallyfox.com", **base)  # DKIM-verified domain


def test_message_limits(h: EpisodeHarness) -> None:
    base = {"server": PROD, "sender": BILLING, "to": [active_customer(h)], "subject": "Hi", "text_body": "Hello"}
    many = [f"user{i}@example.org" for i in range(50)]
    assert "at most 50" in h.error("send_email", **base, bcc=many)
    assert "ErrorCode 300" in h.error("send_email", **{**base, "to": ["not-an-address"]})
    assert "Tag" in h.error("send_email", **base, tag="x" * 1001)
    assert "at most 10 keys" in h.error("send_email", **base, metadata={f"k{i}": "v" for i in range(11)})
    assert "TextBody" in h.error("send_email", **{**base, "text_body": None})
    assert "ErrorCode 1235" in h.error("send_email", **base, message_stream="marketing")
    assert "inbound stream" in h.error("send_email", **base, message_stream="inbound")
    assert "archived" in h.error("send_email", **{**base, "server": DESK, "sender": "help@tallyfox-support.io"},
                                 message_stream="satisfaction-surveys")  # fmt: skip
    assert "No server named" in h.error("send_email", **{**base, "server": "Tallyfox"})
    assert "missing amount, plan" in h.error(
        "send_email_with_template", server=PROD, sender=BILLING, to=base["to"], template_alias="receipt",
        template_model={"name": "Ana", "receipt_number": "TF-1"},
    )  # fmt: skip
    assert "ErrorCode 1101" in h.error(
        "send_email_with_template", server=PROD, sender=BILLING, to=base["to"], template_alias="nope", template_model={}
    )


def test_broadcast_mail_never_goes_through_the_transactional_stream(h: EpisodeHarness) -> None:
    to = active_customer(h)
    promo = {"server": PROD, "sender": NEWS, "to": [to], "template_alias": "spring-promo",
             "template_model": {"name": "Ana", "discount": "20%", "code": "SPRING20"}}  # fmt: skip
    assert "cannot go through the transactional stream 'outbound'" in h.error("send_email_with_template", **promo)
    assert "ErrorCode 1236" in h.error(
        "send_email_with_template", **{**promo, "template_alias": "receipt", "template_model": RECEIPT_MODEL},
        message_stream="newsletters",
    )  # fmt: skip
    h.ok("send_email_with_template", **promo, message_stream="product-updates")


def test_inactive_recipients_are_refused_with_406(h: EpisodeHarness) -> None:
    hard = bounce_of(h, "HardBounce")
    base = {"server": PROD, "sender": BILLING, "subject": "Hi", "text_body": "Hello"}
    assert "ErrorCode 406" in h.error("send_email", **base, to=[hard["email"]])
    assert "ErrorCode 406" in h.error("send_email", **base, to=[active_customer(h)], cc=[hard["email"]])
    # inactive only on its own stream: the same address still gets the product updates
    assert not h.rows("SELECT 1 FROM suppressions WHERE stream_id = 'product-updates' AND email_address = ?",
                      hard["email"])  # fmt: skip
    h.ok("send_email", server=PROD, sender=NEWS, to=[hard["email"]], subject="News", text_body="Hi",
         message_stream="product-updates")  # fmt: skip


def test_hard_bounce_reactivates_once_and_spam_complaint_never(h: EpisodeHarness) -> None:
    hard = bounce_of(h, "HardBounce")
    result = h.ok("activate_bounce", server=PROD, bounce_id=hard["bounce_id"])
    assert result["bounce"]["inactive"] is False
    assert not h.rows("SELECT 1 FROM suppressions WHERE server_id = 1 AND stream_id = 'outbound' AND email_address = ?",
                      hard["email"])  # fmt: skip
    h.ok("send_email", server=PROD, sender=BILLING, to=[hard["email"]], subject="Hi", text_body="Hello")
    assert "does not need reactivating" in h.error("activate_bounce", server=PROD, bounce_id=hard["bounce_id"])
    spam = bounce_of(h, "SpamComplaint", "newsletters")
    assert "cannot be reactivated" in h.error("activate_bounce", server=PROD, bounce_id=spam["bounce_id"])
    assert "No bounce" in h.error("activate_bounce", server=STAGING, bounce_id=hard["bounce_id"])
    kept = h.ok("delete_suppressions", server=PROD, message_stream="newsletters", emails=[spam["email"]])
    assert kept[0]["status"] == "Failed"
    assert h.rows("SELECT 1 FROM suppressions WHERE stream_id = 'newsletters' AND email_address = ?", spam["email"])


def test_batch_reports_each_message_and_sends_the_rest(h: EpisodeHarness) -> None:
    hard = bounce_of(h, "HardBounce")
    good = active_customer(h)
    before = count(h, "messages")
    message = {"sender": BILLING, "subject": "Hi", "text_body": "Hello"}
    unknown_sender = {**message, "sender": "x@nowhere.org", "to": [good]}
    batch = [{**message, "to": [good]}, {**message, "to": [hard["email"]]}, unknown_sender]
    results = h.ok("send_email_batch", server=PROD, messages=batch)
    assert [r["error_code"] for r in results] == [0, 406, 400]
    assert results[1]["message_id"] is None and count(h, "messages") == before + 1
    assert "1 to 500" in h.error("send_email_batch", server=PROD, messages=[{**message, "to": [good]}] * 501)


def test_stats_and_opens_agree_with_the_events(h: EpisodeHarness) -> None:
    stats = h.ok("get_outbound_stats", server=PROD, tag="onboarding", from_date="2026-04-06", to_date="2026-04-12")
    expected = h.rows(
        "SELECT COUNT(DISTINCT e.message_id) AS n FROM message_events e JOIN messages m ON m.message_id = e.message_id "
        "WHERE m.tag = 'onboarding' AND e.event_type = 'Opened' AND m.submitted_at BETWEEN '2026-04-06' AND "
        "'2026-04-12T23:59:59'"
    )[0]["n"]
    assert stats["unique_opens"] == expected and stats["opens"] > stats["unique_opens"]
    message = h.rows("SELECT message_id FROM message_events WHERE event_type = 'Opened' LIMIT 1")[0]["message_id"]
    opens = h.ok("get_message_opens", server=PROD, message_id=message)
    assert opens["total_count"] >= 1 and opens["opens"][0]["client"]
    assert "is not a date" in h.error("get_outbound_stats", server=PROD, from_date="last week")
    assert "count must be" in h.error("get_bounces", server=PROD, count=0)


def test_seeded_account_is_realistic() -> None:
    snapshot = get_snapshot(postmark.env, 0)
    counts = {table: len(snapshot.rows(table)) for table in snapshot.tables}
    assert 1200 <= counts["messages"] <= 3000 and counts["message_events"] >= 2500
    assert counts["bounces"] >= 50 and counts["suppressions"] >= 30 and counts["templates"] >= 8
    assert {e["event_type"] for e in snapshot.rows("message_events")} == {
        "Delivered", "Opened", "LinkClicked", "Bounced", "SpamComplaint"}  # fmt: skip
    inactive = {(b["stream_id"], b["email"]) for b in snapshot.rows("bounces") if b["inactive"]}
    suppressed = {(s["stream_id"], s["email_address"]) for s in snapshot.rows("suppressions")
                  if s["suppression_reason"] != "ManualSuppression"}  # fmt: skip
    assert inactive == suppressed


def reactivate_task() -> Task:
    h = EpisodeHarness(postmark.env)
    hard = bounce_of(h, "HardBounce")
    h.close()
    calls = [
        GoldCall(env_id="postmark", tool="activate_bounce", arguments={"server": PROD, "bounce_id": hard["bounce_id"]}),
        GoldCall(env_id="postmark", tool="send_email_with_template", arguments={
            "server": PROD, "sender": BILLING, "to": [hard["email"]], "template_alias": "receipt",
            "template_model": RECEIPT_MODEL}),
    ]  # fmt: skip
    task = Task(
        task_id="postmark-reactivate-e2e",
        domain="communication",
        env_ids=["postmark"],
        goal="write",
        query=f"Reactivate {hard['email']} on {PROD} and send them receipt TF-100200 (Ana, $29.00, Growth).",
        gold_calls=calls,
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = reactivate_task()
    assert {(c.table, c.op) for c in task.gold_changes} == {
        ("bounces", "update"),
        ("suppressions", "delete"),
        ("messages", "insert"),
    }
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
