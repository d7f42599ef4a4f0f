"""The Amazon SES environment: every tool, the sending rules (verified sources, the sandbox, quotas, paused
sending, recipients, suppression), templates and their placeholders, statistics, and the seeded world."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.communication import amazon_ses
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

NOW = amazon_ses.models.NOW
EU = "eu-west-1"
AP = "ap-southeast-2"


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(amazon_ses.env)
    yield harness
    harness.close()


def customer(h: EpisodeHarness, region: str = "us-east-1") -> str:
    """An address that is neither an identity nor suppressed in the region."""
    return h.rows(
        "SELECT to_addresses FROM sent_messages m WHERE region = ? AND outcome = 'Delivered' AND NOT EXISTS "
        "(SELECT 1 FROM suppressed_destinations d WHERE d.region = m.region AND d.email_address = m.to_addresses) "
        "AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.identity = m.to_addresses) ORDER BY message_id LIMIT 1",
        region,
    )[0]["to_addresses"]


def last_message(h: EpisodeHarness) -> dict[str, Any]:
    return h.rows("SELECT * FROM sent_messages WHERE sent_at = ? ORDER BY rowid DESC LIMIT 1", NOW.isoformat())[0]


def send(h: EpisodeHarness, **overrides: Any) -> dict[str, Any]:
    arguments = {"source": "orders@brightcrate.com", "to_addresses": [customer(h)], "subject": "Hello",
                 "text_body": "Hi there."}  # fmt: skip
    return {**arguments, **overrides}


def test_rules_parse_addresses_and_placeholders() -> None:
    rules = amazon_ses.rules
    assert rules.mailbox("Brightcrate <Orders@BrightCrate.com>") == "Orders@brightcrate.com"
    assert rules.mailbox("no-at-sign") is None and rules.mailbox("a@b") is None and rules.mailbox("a..b@x.com") is None
    assert rules.parent_domains("a@mail.brightcrate.com") == ["mail.brightcrate.com", "brightcrate.com"]
    assert rules.placeholders("Hi {{name}}", "order {{ orderNumber }} for {{name}}", None) == ["name", "orderNumber"]
    assert rules.render("Hi {{name}}!", {"name": "Ana"}) == "Hi Ana!"


def test_identity_tools(h: EpisodeHarness) -> None:
    listing = h.ok("list_identities", identity_type="Domain")
    assert "brightcrate.com" in listing["identities"] and listing["total"] == len(listing["identities"])
    attributes = h.ok("get_identity_verification_attributes", identities=["brightcrate.com", "nobody@nowhere.org"])
    assert attributes["verification_attributes"] == {
        "brightcrate.com": {"verification_status": "Success", "verification_token": attributes[
            "verification_attributes"]["brightcrate.com"]["verification_token"]}
    }  # fmt: skip
    dkim = h.ok("get_identity_dkim_attributes", identities=["brightcrate.com", "brightcrate.io"])["dkim_attributes"]
    assert (
        dkim["brightcrate.com"]["dkim_verification_status"] == "Success"
        and len(dkim["brightcrate.com"]["dkim_tokens"]) == 3
    )
    assert dkim["brightcrate.io"] == {
        "dkim_enabled": False,
        "dkim_verification_status": "NotStarted",
        "dkim_tokens": [],
    }

    assert h.ok("verify_email_identity", email_address="support@brightcrate.com")["verification_status"] == "Pending"
    row = h.rows("SELECT * FROM identities WHERE identity = 'support@brightcrate.com'")
    assert len(row) == 1 and row[0]["region"] == "us-east-1" and row[0]["identity_type"] == "EmailAddress"
    # An address already verified stays verified: nothing changes.
    before = h.database.state_hash()
    assert h.ok("verify_email_identity", email_address="orders@brightcrate.com")["verification_status"] == "Success"
    assert h.database.state_hash() == before

    new = h.ok("verify_domain_identity", domain="brightcrate.ca", region=EU)
    assert new["verification_status"] == "Pending" and len(new["verification_token"]) == 44
    again = h.ok("verify_domain_identity", domain="brightcrate.ca", region=EU)
    assert again["verification_token"] == new["verification_token"]
    # A failed domain goes back to Pending: SES looks for the TXT record again.
    assert h.ok("verify_domain_identity", domain="crate-staging.net")["verification_status"] == "Pending"

    h.ok("delete_identity", identity="crate-staging.net")
    assert not h.rows("SELECT 1 FROM identities WHERE identity = 'crate-staging.net'")


def test_identity_refusals(h: EpisodeHarness) -> None:
    assert "not a valid email address" in h.error("verify_email_identity", email_address="support.brightcrate.com")
    assert "Unknown region" in h.error("verify_email_identity", email_address="a@brightcrate.com", region="us-west-9")
    assert "email address" in h.error("verify_domain_identity", domain="ops@brightcrate.com")
    assert "neither" in h.error("verify_domain_identity", domain="not a domain")
    assert "not an identity" in h.error("delete_identity", identity="brightcrate.com", region=AP)
    assert "at least one identity" in h.error("get_identity_verification_attributes", identities=[])


def test_template_tools(h: EpisodeHarness) -> None:
    page = h.ok("list_templates")
    assert page["total"] == 12 and [t["template_name"] for t in page["templates_metadata"]][:2] == [
        "AbandonedCart", "BackInStock"]  # fmt: skip
    template = h.ok("get_template", template_name="OrderConfirmation")
    assert template["placeholders"] == ["orderNumber", "name", "total", "deliveryDate"]
    created = h.ok("create_template", template_name="SpringSale", subject_part="Sale, {{name}}",
                   text_part="Code {{code}}", region=EU)  # fmt: skip
    assert created["placeholders"] == ["name", "code"]
    updated = h.ok("update_template", template_name="SpringSale", subject_part="Spring sale", region=EU)
    assert updated["subject_part"] == "Spring sale" and updated["text_part"] == "Code {{code}}"
    h.ok("delete_template", template_name="SpringSale", region=EU)
    assert not h.rows("SELECT 1 FROM templates WHERE template_name = 'SpringSale'")


def test_template_refusals(h: EpisodeHarness) -> None:
    assert "already exists" in h.error("create_template", template_name="OrderConfirmation", subject_part="x",
                                       text_part="y")  # fmt: skip
    assert "only letters" in h.error("create_template", template_name="Spring Sale", subject_part="x", text_part="y")
    assert "text part or an HTML part" in h.error("create_template", template_name="Empty", subject_part="x")
    assert "not closed" in h.error("create_template", template_name="Broken", subject_part="Hi {{name", text_part="y")
    assert "does not exist" in h.error("get_template", template_name="InvoiceReady", region=EU)
    assert "at least one part" in h.error("update_template", template_name="OrderConfirmation")
    assert "does not exist" in h.error("delete_template", template_name="Nope")


def test_send_email_records_the_message(h: EpisodeHarness) -> None:
    to = customer(h)
    result = h.ok("send_email", **send(h, to_addresses=[to], cc_addresses=["team@brightcrate.com"],
                                       reply_to_addresses=["support@brightcrate.com"], tags={"campaign": "returns"},
                                       configuration_set_name="Transactional"))  # fmt: skip
    assert result["message_id"].startswith("0100") and result["message_id"].endswith("-000000")
    row = last_message(h)
    assert row["message_id"] == result["message_id"] and row["to_addresses"] == to
    assert row["recipient_count"] == 2 and row["bounces"] == 0 and row["outcome"] == "Sent"
    assert row["reply_to_addresses"] == "support@brightcrate.com" and row["configuration_set_name"] == "Transactional"


def test_source_must_be_verified_or_under_a_verified_domain(h: EpisodeHarness) -> None:
    # billing@ is itself Pending, but brightcrate.com is verified: the address inherits it.
    assert h.rows("SELECT verification_status FROM identities WHERE identity = 'billing@brightcrate.com'")[0][
        "verification_status"] != "Success"  # fmt: skip
    h.ok("send_email", **send(h, source="billing@brightcrate.com"))
    h.ok("send_email", **send(h, source="Brightcrate <anything@mail.brightcrate.com>"))
    message = h.error("send_email", **send(h, source="hello@kinfolkmarket.shop"))
    assert "not verified" in message and "US-EAST-1" in message
    assert "not verified" in h.error("send_email", **send(h, source="someone@gmail.com"))


def test_sandbox_sends_only_to_verified_recipients(h: EpisodeHarness) -> None:
    teammate = h.rows(
        "SELECT identity FROM identities WHERE region = ? AND identity_type = 'EmailAddress' AND "
        "verification_status = 'Success' AND identity LIKE '%@gmail.com' ORDER BY identity",
        EU,
    )[0]
    h.ok("send_email", **send(h, source="qa@brightcrate.co.uk", to_addresses=[teammate["identity"]], region=EU))
    message = h.error("send_email", **send(h, source="qa@brightcrate.co.uk", region=EU))
    assert "sandbox" in message and customer(h) in message
    # The same customer is fine from the production region.
    h.ok("send_email", **send(h))


def test_daily_quota(h: EpisodeHarness) -> None:
    quota = h.ok("get_send_quota", region=EU)
    assert quota["max_24_hour_send"] == 200 and quota["max_send_rate"] == 1 and not quota["production_access_enabled"]
    left = quota["max_24_hour_send"] - quota["sent_last_24_hours"]
    assert 0 < left < 50
    many = [f"qa+{i}@brightcrate.de" for i in range(left + 1)]  # verified through brightcrate.de
    assert "Daily message quota exceeded" in h.error("send_email", **send(h, source="qa@brightcrate.co.uk",
                                                                         to_addresses=many, region=EU))  # fmt: skip
    h.ok("send_email", **send(h, source="qa@brightcrate.co.uk", to_addresses=many[:left], region=EU))
    assert h.ok("get_send_quota", region=EU)["sent_last_24_hours"] == quota["max_24_hour_send"]
    assert "quota" in h.error("send_email", **send(h, source="qa@brightcrate.co.uk", to_addresses=many[:1], region=EU))


def test_paused_region_and_recipient_limits(h: EpisodeHarness) -> None:
    assert h.ok("get_account_sending_enabled", region=AP) == {"region": AP, "enabled": False}
    assert h.ok("get_account_sending_enabled")["enabled"] is True
    assert "paused" in h.error("send_email", **send(h, source="orders@brightcrate.com.au", region=AP))
    fifty_one = [f"c{i}@gmail.com" for i in range(51)]
    assert "at most 50" in h.error("send_email", **send(h, to_addresses=fifty_one[:30], bcc_addresses=fifty_one[30:]))
    assert "at least one recipient" in h.error("send_email", **send(h, to_addresses=[]))
    assert "not a valid email address" in h.error("send_email", **send(h, to_addresses=["bob at example.com"]))
    assert "text or an HTML body" in h.error("send_email", **send(h, text_body=None))
    assert "subject cannot be empty" in h.error("send_email", **send(h, subject="  "))
    assert "does not exist" in h.error("send_email", **send(h, configuration_set_name="QaTesting"))
    assert "Tag names" in h.error("send_email", **send(h, tags={"campaign": "spring sale"}))


def test_suppressed_recipient_is_accepted_but_counted_as_a_bounce(h: EpisodeHarness) -> None:
    suppressed = h.rows("SELECT email_address FROM suppressed_destinations WHERE region = 'us-east-1' "
                        "ORDER BY email_address LIMIT 1")[0]["email_address"]  # fmt: skip
    before = h.ok("get_send_statistics", days=1)["totals"]
    h.ok("send_email", **send(h, to_addresses=[suppressed, customer(h)]))
    row = last_message(h)
    assert row["bounces"] == 1 and row["recipient_count"] == 2 and row["outcome"] == "Sent"
    after = h.ok("get_send_statistics", days=1)["totals"]
    assert after["bounces"] == before["bounces"] + 1 and after["delivery_attempts"] == before["delivery_attempts"] + 2
    h.ok("send_email", **send(h, to_addresses=[suppressed]))
    assert last_message(h)["outcome"] == "Suppressed"


def test_templated_send_needs_every_placeholder(h: EpisodeHarness) -> None:
    data = {"name": "Ana", "orderNumber": "BC-20417", "total": "$58.20", "deliveryDate": "March 24"}
    base = {"source": "orders@brightcrate.com", "to_addresses": [customer(h)], "template_name": "OrderConfirmation"}
    missing = h.error("send_templated_email", **base, template_data={"name": "Ana"})
    assert "orderNumber" in missing and "deliveryDate" in missing
    assert "does not exist" in h.error("send_templated_email", **{**base, "template_name": "Nope"}, template_data=data)
    h.ok("send_templated_email", **base, template_data=data)
    row = last_message(h)
    assert (
        row["subject"] == "Your Brightcrate order BC-20417 is confirmed" and row["template_name"] == "OrderConfirmation"
    )
    assert "Total: $58.20" in row["body_text"] and "March 24" in row["body_html"]


def test_send_raw_email_reads_the_headers(h: EpisodeHarness) -> None:
    to = customer(h)
    raw = (f"From: \"Brightcrate Billing\" <billing@brightcrate.com>\r\nTo: {to}\r\nSubject: Invoice INV-1\r\n"
           "List-Unsubscribe: <mailto:unsubscribe@brightcrate.com>\r\nContent-Type: text/plain; charset=UTF-8\r\n"
           "Content-Transfer-Encoding: quoted-printable\r\n\r\nHello, invoice INV-1 is ready=2E\r\n")  # fmt: skip
    h.ok("send_raw_email", raw_message=raw)
    row = last_message(h)
    assert row["source"] == "Brightcrate Billing <billing@brightcrate.com>" and row["to_addresses"] == to
    assert row["subject"] == "Invoice INV-1" and row["body_text"] == "Hello, invoice INV-1 is ready."
    assert "blank line" in h.error("send_raw_email", raw_message="From: billing@brightcrate.com")
    assert "no From header" in h.error("send_raw_email", raw_message=f"To: {to}\nSubject: x\n\nbody")
    assert "not verified" in h.error("send_raw_email", raw_message=f"From: x@gmail.com\nTo: {to}\nSubject: x\n\nhi")


def test_send_statistics(h: EpisodeHarness) -> None:
    week = h.ok("get_send_statistics", days=7)
    fortnight = h.ok("get_send_statistics")
    assert (
        fortnight["days"] == 14 and 0 < week["totals"]["delivery_attempts"] < fortnight["totals"]["delivery_attempts"]
    )
    points = fortnight["send_data_points"]
    assert len(points) == 20 and fortnight["data_point_count"] > 500
    assert all(p["timestamp"][14:16] in ("00", "15", "30", "45") for p in points)
    assert [p["timestamp"] for p in points] == sorted((p["timestamp"] for p in points), reverse=True)
    rate = fortnight["totals"]["bounces"] / fortnight["totals"]["delivery_attempts"]
    assert 0.02 < rate < 0.08
    paused = h.ok("get_send_statistics", region=AP, days=2)["totals"]
    assert paused["delivery_attempts"] == 0  # paused more than two days ago
    assert "1-14" in h.error("get_send_statistics", days=15)
    assert "max_data_points" in h.error("get_send_statistics", max_data_points=-1)


def test_suppression_list_tools(h: EpisodeHarness) -> None:
    page = h.ok("list_suppressed_destinations", reason="COMPLAINT")
    stamps = [e["last_update_time"] for e in page["suppressed_destination_summaries"]]
    assert page["total"] >= 5 and stamps == sorted(stamps, reverse=True)
    entry = page["suppressed_destination_summaries"][0]
    assert h.ok("get_suppressed_destination", email_address=entry["email_address"]) == entry
    h.ok("delete_suppressed_destination", email_address=entry["email_address"])
    assert "not on the suppression list" in h.error("get_suppressed_destination", email_address=entry["email_address"])
    assert "not on the suppression list" in h.error("delete_suppressed_destination",
                                                    email_address=entry["email_address"])  # fmt: skip
    to = customer(h)
    put = h.ok("put_suppressed_destination", email_address=to, reason="BOUNCE")
    assert put == {"email_address": to, "reason": "BOUNCE", "last_update_time": NOW.isoformat()}
    h.ok("put_suppressed_destination", email_address=to, reason="COMPLAINT")
    assert h.rows("SELECT reason FROM suppressed_destinations WHERE email_address = ?", to) == [{"reason": "COMPLAINT"}]
    assert "'BOUNCE' or 'COMPLAINT'" in h.error("put_suppressed_destination", email_address=to, reason="SPAM")
    assert "not a valid email address" in h.error("put_suppressed_destination", email_address="nope", reason="BOUNCE")


def test_seeded_world_is_realistic() -> None:
    snapshot = get_snapshot(amazon_ses.env, 0)
    counts = {table: len(snapshot.rows(table)) for table in snapshot.tables}
    assert counts["identities"] >= 50 and counts["templates"] >= 15 and counts["suppressed_destinations"] >= 80
    assert 2000 <= counts["sent_messages"] <= 3500 and counts["region_accounts"] == 3
    messages = snapshot.rows("sent_messages")
    oldest = min(dt.datetime.fromisoformat(m["sent_at"]) for m in messages)
    assert NOW - dt.timedelta(days=14) < oldest < NOW - dt.timedelta(days=12)
    assert {m["outcome"] for m in messages} >= {"Delivered", "Bounced", "Complained", "Rejected", "Suppressed"}
    identities = {(i["region"], i["identity"]): i for i in snapshot.rows("identities")}
    assert {i["verification_status"] for i in identities.values()} == {"Pending", "Success", "Failed",
                                                                       "TemporaryFailure"}  # fmt: skip
    # Every seeded sender was allowed to send: itself or its domain verified in its region.
    for message in messages[::50]:
        address = amazon_ses.rules.mailbox(message["source"])
        assert address is not None
        names = [address, *amazon_ses.rules.parent_domains(address)]
        assert any(identities.get((message["region"], n), {}).get("verification_status") == "Success" for n in names)
    # The sandbox region only ever sent to verified recipients.
    eu = [m for m in messages if m["region"] == EU]
    assert eu and all(identities[(EU, m["to_addresses"])]["verification_status"] == "Success" for m in eu)


def unsuppress_task() -> Task:
    h = EpisodeHarness(amazon_ses.env)
    address = h.rows("SELECT email_address FROM suppressed_destinations WHERE region = 'us-east-1' "
                     "ORDER BY email_address LIMIT 1")[0]["email_address"]  # fmt: skip
    h.close()
    calls = [GoldCall(env_id="amazon_ses", tool="delete_suppressed_destination", arguments={"email_address": address})]
    task = Task(
        task_id="amazon_ses-unsuppress-e2e",
        domain="communication",
        env_ids=["amazon_ses"],
        goal="write",
        query=f"{address} fixed their mailbox. Take them off our suppression list.",
        gold_calls=calls,
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = unsuppress_task()
    assert {(c.table, c.op) for c in task.gold_changes} == {("suppressed_destinations", "delete")}
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
