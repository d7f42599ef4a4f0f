"""The Resend environment: every tool, the sending rules (verified domains, the onboarding sender, recipient and
tag limits, attachments, scheduling, the daily quota, batches), scheduled-email updates and cancels, domains,
API keys, audiences, contacts and broadcasts, and the seeded world."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.communication import resend
from envfactory_gym.errors import DomainError
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

NOW = resend.models.NOW
BILLING = "Ledgerly Billing <billing@ledgerly.io>"
OWNER = "maya.okafor@ledgerly.io"


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(resend.env)
    yield harness
    harness.close()


def mail(**overrides: Any) -> dict[str, Any]:
    return {"from_address": BILLING, "to": ["ana.souza@gmail.com"], "subject": "Hello", "text": "Hi Ana.",
            **overrides}  # fmt: skip


def scheduled(h: EpisodeHarness) -> dict[str, Any]:
    return h.rows("SELECT * FROM emails WHERE last_event = 'scheduled' ORDER BY email_id LIMIT 1")[0]


def audience(h: EpisodeHarness, name: str) -> str:
    return h.rows("SELECT audience_id FROM audiences WHERE name = ?", name)[0]["audience_id"]


def test_rules() -> None:
    rules = resend.rules
    assert rules.mailbox("Ledgerly <Billing@Ledgerly.io>") == "billing@ledgerly.io"
    assert rules.mailbox("nope") is None and rules.mailbox("a@b") is None
    assert rules.parse_time("2026-11-20T10:00:00+01:00") == dt.datetime(2026, 11, 20, 9)
    assert rules.parse_time("2026-11-20T09:00:00Z") == dt.datetime(2026, 11, 20, 9)
    assert rules.parse_time("in one hour") is None
    assert rules.valid_tag_part("category_invoice-1", 256) and not rules.valid_tag_part("a b", 256)
    assert not rules.valid_tag_part("x" * 257, 256)


def test_send_email_records_it_and_get_email_reads_it(h: EpisodeHarness) -> None:
    sent = h.ok("send_email", **mail(cc=["Finance <finance@acme.com>"], reply_to=[OWNER],
                                     tags=[{"name": "category", "value": "invoice"}], headers={"X-Entity": "42"},
                                     attachments=[{"filename": "INV-1.pdf", "content": "aGVsbG8="}]))  # fmt: skip
    email = h.ok("get_email", email_id=sent["id"])
    assert email["last_event"] == "queued" and email["from_address"] == BILLING
    assert email["cc"] == ["finance@acme.com"] and email["reply_to"] == [OWNER]
    assert email["tags"] == [{"name": "category", "value": "invoice"}] and email["attachments"] == ["INV-1.pdf"]
    assert h.ok("list_emails", to="ana.souza@gmail.com")["data"][0]["id"] == sent["id"]
    assert "not found" in h.error("get_email", email_id="00000000-0000-0000-0000-000000000000")


def test_sender_must_be_on_a_verified_domain(h: EpisodeHarness) -> None:
    for domain in ("getledgerly.com", "ledgerly.com.br", "ledgerly.jp", "ledgerly-status.com", "gmail.com"):
        message = h.error("send_email", **mail(from_address=f"hello@{domain}"))
        assert f"The {domain} domain is not verified" in message
    assert "Invalid `from`" in h.error("send_email", **mail(from_address="billing at ledgerly"))


def test_onboarding_sender_reaches_only_the_owner(h: EpisodeHarness) -> None:
    assert "only send testing emails to your own email address" in h.error(
        "send_email", **mail(from_address="onboarding@resend.dev", to=[OWNER, "jonas@ledgerly.io"])
    )
    h.ok("send_email", **mail(from_address="onboarding@resend.dev", to=[OWNER]))


def test_recipients_tags_bodies_and_attachments_are_checked(h: EpisodeHarness) -> None:
    many = [f"user{i}@example.com" for i in range(51)]
    assert "at most 50" in h.error("send_email", **mail(to=many))
    assert "at most 50" in h.error("send_email", **mail(bcc=many))
    assert "Missing `to`" in h.error("send_email", **mail(to=[]))
    assert "not a valid email" in h.error("send_email", **mail(to=["ana"]))
    assert "ASCII letters" in h.error("send_email", **mail(tags=[{"name": "my tag", "value": "x"}]))
    assert "ASCII letters" in h.error("send_email", **mail(tags=[{"name": "t", "value": "é"}]))
    assert "`text` or an `html`" in h.error("send_email", **mail(text=None))
    assert "Missing `subject`" in h.error("send_email", **mail(subject="  "))
    assert "Base64" in h.error("send_email", **mail(attachments=[{"filename": "a.pdf", "content": "%%%"}]))
    big = base64.b64encode(b"\0" * (30 * 1024 * 1024)).decode()
    # The engine caps one string argument at 8,000 characters, so the 40 MB rule is checked on the helper itself.
    with pytest.raises(DomainError, match="40 MB"):
        resend.tools._attachments([{"filename": "a.bin", "content": big}, {"filename": "b.bin", "content": big}])
    assert "filename" in h.error("send_email", **mail(attachments=[{"filename": "../x", "content": "aGk="}]))


def test_scheduling_window(h: EpisodeHarness) -> None:
    sent = h.ok("send_email", **mail(scheduled_at="2026-11-20T10:00:00+01:00"))
    row = h.rows("SELECT * FROM emails WHERE email_id = ?", sent["id"])[0]
    assert row["last_event"] == "scheduled" and row["scheduled_at"] == "2026-11-20T09:00:00"
    assert "in the future" in h.error("send_email", **mail(scheduled_at=(NOW - dt.timedelta(hours=1)).isoformat()))
    too_far = (NOW + dt.timedelta(days=31)).isoformat()
    assert "30 days" in h.error("send_email", **mail(scheduled_at=too_far))
    assert "ISO 8601" in h.error("send_email", **mail(scheduled_at="next friday"))


def test_daily_quota_of_the_free_plan(h: EpisodeHarness) -> None:
    usage = h.ok("get_usage")
    assert usage["daily_quota"] == 100 and usage["monthly_quota"] == 3000 and 0 < usage["sent_today"] < 100
    left = usage["daily_quota"] - usage["sent_today"]
    batch = [mail(to=[f"user{i}@example.com"]) for i in range(left)]
    h.ok("send_batch_emails", emails=batch)
    assert h.ok("get_usage")["sent_today"] == 100
    assert "daily_quota_exceeded" in h.error("send_email", **mail())


def test_quota_counts_every_recipient(h: EpisodeHarness) -> None:
    before = h.ok("get_usage")["sent_today"]
    h.ok("send_email", **mail(to=["a@example.com", "b@example.com"], cc=["c@example.com"], bcc=["d@example.com"]))
    assert h.ok("get_usage")["sent_today"] == before + 4


def test_batch_is_all_or_nothing(h: EpisodeHarness) -> None:
    result = h.ok("send_batch_emails", emails=[mail(), mail(to=["kwame@example.com"])])
    assert len(result["data"]) == 2
    assert "not verified" in h.error("send_batch_emails", emails=[mail(), mail(from_address="x@getledgerly.com")])
    assert "at most 100" in h.error("send_batch_emails", emails=[mail()] * 101)
    assert "scheduled_at" in h.error(
        "send_batch_emails", emails=[{**mail(), "scheduled_at": "2026-11-20T09:00:00Z"}]
    )


def test_update_and_cancel_only_scheduled_emails(h: EpisodeHarness) -> None:
    row = scheduled(h)
    moved = h.ok("update_email", email_id=row["email_id"], scheduled_at="2026-11-27T09:00:00Z")
    assert moved["scheduled_at"] == "2026-11-27T09:00:00"
    assert "30 days" in h.error("update_email", email_id=row["email_id"], scheduled_at="2027-01-30T09:00:00Z")
    assert h.ok("cancel_email", email_id=row["email_id"])["last_event"] == "canceled"
    assert "only scheduled emails can be cancelled" in h.error("cancel_email", email_id=row["email_id"])
    delivered = h.rows("SELECT email_id FROM emails WHERE last_event = 'delivered' LIMIT 1")[0]["email_id"]
    assert "only scheduled emails can be updated" in h.error(
        "update_email", email_id=delivered, scheduled_at="2026-11-27T09:00:00Z"
    )


def test_list_emails_filters(h: EpisodeHarness) -> None:
    bounced = h.ok("list_emails", last_event="bounced", limit=50)
    assert bounced["total"] > 50 and all(e["last_event"] == "bounced" for e in bounced["data"])
    stamps = [e["created_at"] for e in bounced["data"]]
    assert stamps == sorted(stamps, reverse=True) and bounced["has_more"]
    invoices = h.ok("list_emails", subject="invoice inv-")
    assert all("inv-" in e["subject"].lower() for e in invoices["data"])
    assert "limit" in h.error("list_emails", limit=0)


def test_domains_and_verification(h: EpisodeHarness) -> None:
    domains = {d["name"]: d for d in h.ok("list_domains")["data"]}
    assert {d["status"] for d in domains.values()} == set(resend.models.DOMAIN_STATUSES)
    assert {d["region"] for d in domains.values()} == set(resend.models.REGIONS)
    detail = h.ok("get_domain", domain_id=domains["ledgerly.eu"]["domain_id"])
    assert {r["record"] for r in detail["records"]} == {"SPF", "DKIM"}
    assert any(r["value"] == "feedback-smtp.eu-west-1.amazonses.com" for r in detail["records"])
    assert h.ok("get_domain", domain_id="ledgerly.eu")["domain_id"] == detail["domain_id"]
    assert h.ok("verify_domain", domain_id="getledgerly.com")["status"] == "pending"
    assert h.ok("verify_domain", domain_id="ledgerly.io")["status"] == "verified"
    assert "not found" in h.error("verify_domain", domain_id="example.org")


def test_api_keys(h: EpisodeHarness) -> None:
    keys = {k["name"]: k for k in h.ok("list_api_keys")["data"]}
    assert keys["Billing worker"] == {**keys["Billing worker"], "permission": "sending_access",
                                      "domain": "ledgerly.io"}  # fmt: skip
    assert keys["Production"]["permission"] == "full_access" and keys["Production"]["domain"] is None


def test_audiences_and_contacts(h: EpisodeHarness) -> None:
    created = h.ok("create_audience", name="December webinar")
    assert created["contacts"] == 0
    assert "already exists" in h.error("create_audience", name="december WEBINAR")
    contact = h.ok("create_contact", audience_id=created["audience_id"], email="Ana.Souza@gmail.com",
                   first_name="Ana")  # fmt: skip
    assert contact["email"] == "ana.souza@gmail.com" and not contact["unsubscribed"]
    assert "already a contact" in h.error("create_contact", audience_id=created["audience_id"],
                                          email="ana.souza@gmail.com")  # fmt: skip
    changed = h.ok("update_contact", audience_id=created["audience_id"], contact="ana.souza@gmail.com",
                   unsubscribed=True)  # fmt: skip
    assert changed["unsubscribed"] is True
    assert "Give unsubscribed" in h.error("update_contact", audience_id=created["audience_id"],
                                          contact=contact["contact_id"])  # fmt: skip
    listed = h.ok("list_contacts", audience_id=created["audience_id"], unsubscribed=True)
    assert listed["total"] == 1
    h.ok("remove_contact", audience_id=created["audience_id"], contact=contact["contact_id"])
    assert "not found" in h.error("remove_contact", audience_id=created["audience_id"], contact=contact["contact_id"])


def test_broadcasts_skip_unsubscribed_contacts(h: EpisodeHarness) -> None:
    beta = audience(h, "Beta testers")
    subscribed = h.rows("SELECT COUNT(*) AS n FROM contacts WHERE audience_id = ? AND unsubscribed = 0", beta)[0]["n"]
    total = h.rows("SELECT COUNT(*) AS n FROM contacts WHERE audience_id = ?", beta)[0]["n"]
    assert 0 < subscribed < total
    assert "not verified" in h.error("create_broadcast", audience_id=beta, from_address="news@getledgerly.com",
                                     subject="Hi", name="Test", text="Hello")  # fmt: skip
    draft = h.ok("create_broadcast", audience_id=beta, from_address="news@mail.ledgerly.io", subject="Hi",
                 name="Test", text="Hello")  # fmt: skip
    assert draft["status"] == "draft"
    sent = h.ok("send_broadcast", broadcast_id=draft["broadcast_id"])
    assert sent["status"] == "sent" and sent["recipient_count"] == subscribed
    assert "already sent" in h.error("send_broadcast", broadcast_id=draft["broadcast_id"])
    names = [b["name"] for b in h.ok("list_broadcasts")["data"]]
    assert "Test" in names and "October product update" in names


def test_broadcast_to_an_audience_with_nobody_subscribed_is_refused(h: EpisodeHarness) -> None:
    empty = h.ok("create_audience", name="Nobody yet")["audience_id"]
    draft = h.ok("create_broadcast", audience_id=empty, from_address="news@ledgerly.io", subject="Hi", name="X",
                 text="Hello")  # fmt: skip
    assert "no subscribed contacts" in h.error("send_broadcast", broadcast_id=draft["broadcast_id"])
    later = h.ok("send_broadcast", broadcast_id=h.ok(
        "create_broadcast", audience_id=audience(h, "Partners"), from_address="news@ledgerly.io", subject="Hi",
        name="Y", text="Hello")["broadcast_id"], scheduled_at="2026-11-20T09:00:00Z")  # fmt: skip
    assert later["status"] == "scheduled" and later["scheduled_at"] == "2026-11-20T09:00:00"


def test_seeded_world_is_realistic() -> None:
    snapshot = get_snapshot(resend.env, 0)
    counts = {table: len(snapshot.rows(table)) for table in snapshot.tables}
    assert 1200 <= counts["emails"] <= 2000 and counts["domains"] == 7 and counts["api_keys"] == 6
    assert counts["audiences"] == 4 and counts["contacts"] >= 250 and counts["broadcasts"] == 4
    assert snapshot.size_bytes < 1_500_000
    emails = snapshot.rows("emails")
    assert {e["last_event"] for e in emails} >= {"delivered", "bounced", "opened", "clicked", "complained",
                                                 "scheduled", "canceled"}  # fmt: skip
    oldest = min(dt.datetime.fromisoformat(e["created_at"]) for e in emails)
    assert NOW - dt.timedelta(days=31) < oldest < NOW - dt.timedelta(days=29)
    verified = {d["name"] for d in snapshot.rows("domains") if d["status"] == "verified"}
    assert all(resend.rules.mailbox(e["from_address"]).split("@")[1] in verified for e in emails)
    assert all(e["scheduled_at"] > NOW.isoformat() for e in emails if e["last_event"] == "scheduled")


def cancel_task() -> Task:
    h = EpisodeHarness(resend.env)
    row = scheduled(h)
    h.close()
    calls = [GoldCall(env_id="resend", tool="cancel_email", arguments={"email_id": row["email_id"]})]
    task = Task(task_id="resend-cancel-e2e", domain="communication", env_ids=["resend"], goal="write",
                query=f"Cancel the scheduled email {row['email_id']}.", gold_calls=calls)  # fmt: skip
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = cancel_task()
    assert {(c.table, c.op) for c in task.gold_changes} == {("emails", "update")}
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
