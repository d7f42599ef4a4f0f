"""Postmark stories: one developer at Tallyfox working in the company's Postmark account.

They cover what the developer behind a company's email does in Postmark: a customer stopped getting receipts
(find the hard bounce, reactivate it when Postmark allows, resend the latest receipt from its template); a
reader who wants the digest back after a spam complaint (refused) or an unsubscribe (allowed); last week's
unique opens of the onboarding mail against the week before, and this Monday's digest against last Monday's;
send the weekly digest to named customers in one batch (an inactive one is refused with 406); send marketing
mail the right way (a broadcast template never goes through the transactional stream); a staging test from a
sender that is not confirmed yet; what happened to a ticket reply; who opened an invoice reminder, where, and
whether they clicked; hard bounces in a period; a bounce id from the webhook; opens by country; a sender
signature for a domain without DKIM; unsubscribing a reader; a one-off billing note without link tracking.
People name servers, streams, tags and templates as they set them up, and speak dates the way people do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from .models import NOW
from .seed import HELP_DESK, NEWS_FROM, PRODUCTION, RECEIPTS_FROM, STAGING, STAGING_FROM

ENV = "postmark"
OWNER = "dev@tallyfox.com"
TODAY = NOW.date()
THIS_MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())
LAST_MONDAY = THIS_MONDAY - dt.timedelta(days=7)
LAST_SUNDAY = THIS_MONDAY - dt.timedelta(days=1)


def _me(s: StoryContext) -> None:
    s.person(ENV, OWNER)


def _address(to: str) -> str:
    return to.split("<")[-1].rstrip(">").strip()


def _first(name: str) -> str:
    return name.split()[0]


# -- deliverability ------------------------------------------------------------------------------------------


@story(ENV, implicit=True, weight=2.0)
def receipts_stopped_arriving(s: StoryContext) -> str:
    """A customer stopped getting receipts: a hard bounce made them inactive; reactivate and resend the last."""
    _me(s)
    row = s.pick(
        "SELECT b.email FROM bounces b WHERE b.server_id = 1 AND b.stream_id = 'outbound' AND b.inactive = 1 "
        "AND b.bounce_type = 'HardBounce' AND EXISTS (SELECT 1 FROM messages m, json_each(m.\"to\") j "
        "WHERE m.tag = 'receipt' AND m.server_id = 1 AND j.value LIKE '%<' || b.email || '>')"
    )
    address = s.say(row["email"])
    bounces = s.call("get_bounces", server=s.say(PRODUCTION), email_filter=address)
    bounce = next((b for b in bounces["bounces"] if b["inactive"]), None)
    if bounce is None or len(bounces["bounces"]) > 3:
        s.reject("no single inactive bounce")
    s.call("activate_bounce", server=PRODUCTION, bounce_id=bounce["bounce_id"])
    found = s.call("search_outbound_messages", server=PRODUCTION, recipient=address, tag=s.say("receipt"))
    latest = found["messages"][0]
    details = s.call("get_message_details", server=PRODUCTION, message_id=latest["message_id"])
    s.call(
        "send_email_with_template",
        server=PRODUCTION,
        sender=details["sender"],
        to=[address],
        template_alias=details["template_alias"],
        template_model=details["template_model"],
        tag=details["tag"],
        metadata=details["metadata"],
    )
    s.fact(bounce["description"])
    s.context(speech.date(bounce["bounced_at"]), details["template_model"]["receipt_number"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"A customer, {address}, says they stopped getting their receipts from us.",
            f"{address} wrote in: our payment receipts don't reach them any more.",
        ),
        f"Receipts go out from our {PRODUCTION} server.",
        "Find out why, and if Postmark lets us, make their address active again and resend their most recent "
        "receipt exactly as it was (same sender, template, values, tag and metadata).",
        "What did the bounce say?",
    )


@story(ENV, implicit=True)
def reader_wants_the_digest_back(s: StoryContext) -> str:
    """A reader asks for the digest again: an unsubscribe can be lifted, a spam complaint cannot."""
    _me(s)
    row = s.pick(
        "SELECT email_address, suppression_reason FROM suppressions WHERE server_id = 1 AND stream_id = 'newsletters' "
        "AND suppression_reason IN ('SpamComplaint', 'ManualSuppression')"
    )
    address = s.say(row["email_address"])
    listed = s.call(
        "list_suppressions", server=s.say(PRODUCTION), message_stream=s.say("newsletters"), email_address=address
    )
    entry = listed["suppressions"][0]
    if entry["suppression_reason"] == "SpamComplaint":
        s.fact(entry["suppression_reason"])
        complaints = s.call(
            "get_bounces", server=PRODUCTION, email_filter=address, bounce_type=s.imply("SpamComplaint")
        )
        s.fact(complaints["bounces"][0]["subject"])
    else:
        s.call("delete_suppressions", server=PRODUCTION, message_stream="newsletters", emails=[address])
    s.context(speech.date(entry["created_at"]))
    return speech.sentence(
        speech.opening(s.rng),
        f"{address} says they no longer get our weekly digest and would like it again.",
        f"It goes out on the newsletters stream of {PRODUCTION}.",
        "If Postmark allows it, let them receive it again; if not, tell me why not and which email it was about.",
    )


@story(ENV)
def unsubscribe_a_reader(s: StoryContext) -> str:
    """A reader asks to stop the digest: suppress them on the newsletters stream."""
    _me(s)
    row = s.pick(
        "SELECT DISTINCT e.recipient FROM message_events e JOIN messages m ON m.message_id = e.message_id "
        "WHERE m.stream_id = 'newsletters' AND e.event_type = 'Delivered' AND e.recipient NOT IN "
        "(SELECT email_address FROM suppressions WHERE stream_id = 'newsletters')"
    )
    address = s.say(row["recipient"])
    s.call("create_suppressions", server=s.say(PRODUCTION), message_stream=s.say("newsletters"), emails=[address])
    return speech.sentence(
        speech.opening(s.rng),
        f"{address} asked us to stop sending them the weekly digest.",
        f"Please suppress them on the newsletters stream of {PRODUCTION}; their receipts should keep coming.",
    )


@story(ENV)
def hard_bounces_in_a_period(s: StoryContext) -> str:
    """Which addresses hard-bounced on one stream in a period (since Monday, last week, the last two weeks)."""
    _me(s)
    stream, what = s.rng.choice((("outbound", "transactional stream"), ("newsletters", "newsletters stream")))
    start, end, phrase = s.rng.choice(
        (
            (THIS_MONDAY, None, "since Monday"),
            (LAST_MONDAY, LAST_SUNDAY, "last week"),
            (THIS_MONDAY - dt.timedelta(days=14), None, "over the last two weeks"),
        )
    )
    arguments: dict[str, Any] = {
        "server": s.say(PRODUCTION),
        "bounce_type": s.imply("HardBounce"),
        "message_stream": s.say(stream, what),
        "from_date": s.say(start.isoformat(), phrase),
    }
    if end is not None:
        arguments["to_date"] = s.say(end.isoformat(), phrase)
    page = s.call("get_bounces", **arguments)
    if not 1 <= page["total_count"] <= 8:
        s.reject("too many or none")
    for bounce in page["bounces"]:
        s.fact(bounce["email"])
    return speech.sentence(
        speech.opening(s.rng),
        f"Which addresses hard-bounced on the {what} of {PRODUCTION} {phrase}?",
    )


@story(ENV)
def bounce_from_the_webhook(s: StoryContext) -> str:
    """The bounce webhook logged a bounce id: who bounced, what kind, and can it be reactivated?"""
    _me(s)
    row = s.pick("SELECT bounce_id FROM bounces WHERE server_id = 1 AND bounce_type IN ('HardBounce', 'SpamComplaint')")
    bounce = s.call("get_bounce", server=s.say(PRODUCTION), bounce_id=s.say(row["bounce_id"]))
    s.fact(bounce["email"])
    s.fact(bounce["bounce_type"])
    s.fact("yes" if bounce["can_activate"] else "no", derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"Our bounce webhook on {PRODUCTION} logged bounce {row['bounce_id']}.",
        "Which address was it, what type of bounce, and can we reactivate it (yes or no)?",
    )


@story(ENV, implicit=True)
def ticket_reply_never_came(s: StoryContext) -> str:
    """A customer says our support reply never came: the message details show what happened."""
    _me(s)
    row = s.pick(
        "SELECT m.message_id, m.meta FROM messages m WHERE m.server_id = 3 AND m.submitted_at >= ? "
        'AND (SELECT COUNT(*) FROM messages o, json_each(o."to") j, json_each(m."to") k '
        "WHERE o.server_id = 3 AND j.value = k.value) = 1",
        ((NOW - dt.timedelta(days=10)).isoformat(),),
    )
    message = s.rows('SELECT "to" FROM messages WHERE message_id = ?', (row["message_id"],))[0]
    address = s.say(_address(message["to"].strip('[]"')))
    servers = s.call("list_servers")
    desk = next(x["server"] for x in servers if x["server"] == HELP_DESK)
    found = s.call("search_outbound_messages", server=desk, recipient=address)
    details = s.call("get_message_details", server=desk, message_id=found["messages"][0]["message_id"])
    outcome = details["message_events"][0]
    s.fact(outcome["event_type"])
    s.fact(speech.time(outcome["received_at"]), derived=True)
    s.context(speech.date(outcome["received_at"]))
    return speech.sentence(
        speech.opening(s.rng),
        f"{address} says they never got our reply to their support ticket; it went out from our help desk server.",
        "What happened to it, and at what time?",
    )


# -- opens and stats --------------------------------------------------------------------------------------------


@story(ENV)
def onboarding_unique_opens_last_week(s: StoryContext) -> str:
    """How many unique opens the onboarding tag got last week (Monday to Sunday), against the week before."""
    _me(s)
    server, tag = s.say(PRODUCTION), s.say("onboarding")
    last = s.call(
        "get_outbound_stats",
        server=server,
        tag=tag,
        from_date=s.say(LAST_MONDAY.isoformat(), "last week"),
        to_date=s.say(LAST_SUNDAY.isoformat(), "last week"),
    )
    before = s.call(
        "get_outbound_stats",
        server=server,
        tag=tag,
        from_date=s.say((LAST_MONDAY - dt.timedelta(days=7)).isoformat(), "the week before"),
        to_date=s.say((LAST_SUNDAY - dt.timedelta(days=7)).isoformat(), "the week before"),
    )
    s.fact(last["unique_opens"])
    s.fact(before["unique_opens"])
    s.fact(abs(last["unique_opens"] - before["unique_opens"]), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"How many unique opens did our onboarding emails (tag onboarding) on {PRODUCTION} get last week, "
        "Monday through Sunday, and how many the week before?",
        "What is the difference between the two?",
    )


@story(ENV)
def digest_against_last_monday(s: StoryContext) -> str:
    """This Monday's weekly digest against last Monday's: unique opens of each, and which did better."""
    _me(s)
    server, tag = s.say(PRODUCTION), s.say("weekly-digest")
    this_day = s.say(THIS_MONDAY.isoformat(), "this Monday")
    last_day = s.say(LAST_MONDAY.isoformat(), "last Monday")
    now = s.call("get_outbound_stats", server=server, tag=tag, from_date=this_day, to_date=this_day)
    then = s.call("get_outbound_stats", server=server, tag=tag, from_date=last_day, to_date=last_day)
    s.fact(now["unique_opens"])
    s.fact(then["unique_opens"])
    s.fact(abs(now["unique_opens"] - then["unique_opens"]), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"How many unique opens has this Monday's weekly-digest from {PRODUCTION} had, and how many did last "
        "Monday's get?",
        "How big is the difference?",
    )


@story(ENV)
def who_opened_the_invoice_reminder(s: StoryContext) -> str:
    """Did a client open their latest invoice reminder, and on what email client and from where?"""
    _me(s)
    row = s.pick(
        "SELECT e.recipient FROM message_events e JOIN messages m ON m.message_id = e.message_id "
        "WHERE m.tag = 'invoice-reminder' AND e.event_type = 'Opened' "
        'AND m.submitted_at = (SELECT MAX(o.submitted_at) FROM messages o, json_each(o."to") j '
        "WHERE o.tag = 'invoice-reminder' AND j.value LIKE '%<' || e.recipient || '>')"
    )
    address = s.say(row["recipient"])
    found = s.call(
        "search_outbound_messages", server=s.say(PRODUCTION), recipient=address, tag=s.say("invoice-reminder")
    )
    latest = found["messages"][0]
    opens = s.call("get_message_opens", server=PRODUCTION, message_id=latest["message_id"])
    if not opens["opens"]:
        s.reject("not opened")
    first = opens["opens"][-1]
    s.fact(first["client"])
    s.fact(first["city"])
    details = s.call("get_message_details", server=PRODUCTION, message_id=latest["message_id"])
    clicked = any(e["event_type"] == "LinkClicked" for e in details["message_events"])
    s.fact("yes" if clicked else "no", derived=True)
    s.context(speech.date(latest["submitted_at"]), latest["metadata"].get("invoice_number", ""))
    return speech.sentence(
        speech.opening(s.rng),
        f"Did {address} open the latest invoice-reminder email we sent them from {PRODUCTION}?",
        "If so, in which email client did they first open it, and from which city?",
        "Did they click a link in it (yes or no)?",
    )


@story(ENV)
def promo_opens_from_a_country(s: StoryContext) -> str:
    """How many opens the spring promotion got from one country."""
    _me(s)
    country = s.rng.choice(("Canada", "United Kingdom", "Germany", "Australia"))
    page = s.call("get_message_opens", server=s.say(PRODUCTION), tag=s.say("spring-promo"), country=s.say(country))
    if page["total_count"] == 0:
        s.reject("none")
    s.fact(page["total_count"], derived=True)
    where = f"the {country}" if country == "United Kingdom" else country
    return speech.sentence(
        speech.opening(s.rng),
        f"How many opens has our spring-promo email on {PRODUCTION} had from {where}?",
    )


# -- sending -------------------------------------------------------------------------------------------------


@story(ENV, weight=3.0)
def weekly_digest_to_three_customers(s: StoryContext) -> str:
    """Send the digest to three named customers in one batch; an inactive one comes back refused."""
    _me(s)
    people = s.sample(
        "SELECT DISTINCT j.value AS to_ FROM messages m, json_each(m.\"to\") j WHERE m.stream_id = 'newsletters'",
        3,
    )
    chosen = [(p["to_"].split(" <")[0], _address(p["to_"])) for p in people]
    inactive = [
        a
        for _n, a in chosen
        if s.rows("SELECT 1 FROM suppressions WHERE stream_id = 'newsletters' AND email_address = ?", (a,))
    ]
    if len(inactive) > 1:
        s.reject("too many inactive")
    found = s.call("search_outbound_messages", server=s.say(PRODUCTION), tag=s.say("weekly-digest"), count=s.imply(1))
    latest = s.call("get_message_details", server=PRODUCTION, message_id=found["messages"][0]["message_id"])
    week = latest["template_model"]["week"]
    messages: list[dict[str, Any]] = []
    for name, address in chosen:
        s.say(address)
        s.say(_first(name))
        messages.append(
            {
                "sender": s.say(NEWS_FROM),
                "to": [address],
                "template_alias": s.say("weekly-digest"),
                "template_model": {"name": _first(name), "week": week},
                "tag": "weekly-digest",
                "message_stream": s.say("newsletters"),
            }
        )
    results = s.call("send_email_batch", server=PRODUCTION, messages=messages)
    for result in results:
        if result["error_code"]:
            s.fact(result["error_code"])
    listed = speech.listing([f"{name.split()[0]} ({address})" for name, address in chosen])
    return speech.sentence(
        speech.opening(s.rng),
        f"Please send the weekly-digest template to {listed} in one batch from {PRODUCTION}, on the newsletters "
        f"stream, from {NEWS_FROM}, tagged weekly-digest.",
        "Fill the name with each person's first name and use the same week as the latest digest we sent.",
        "If any of them can't be sent, tell me who and Postmark's error code.",
    )


@story(ENV, implicit=True, weight=2.0)
def marketing_mail_on_the_right_stream(s: StoryContext) -> str:
    """A template sent 'through the fast transactional stream': a broadcast template must use a broadcast stream."""
    _me(s)
    row = s.pick(
        'SELECT DISTINCT j.value AS to_ FROM messages m, json_each(m."to") j WHERE m.server_id = 1 '
        "AND m.stream_id = 'outbound' AND m.tag = 'receipt' AND substr(j.value, instr(j.value, '<') + 1, "
        "length(j.value) - instr(j.value, '<') - 1) NOT IN (SELECT email_address FROM suppressions)"
    )
    name, address = row["to_"].split(" <")[0], _address(row["to_"])
    s.say(address)
    first = s.say(_first(name))
    templates = s.call("list_templates", server=s.say(PRODUCTION))
    promo = next(t for t in templates if t["alias"] == "spring-promo")
    streams = s.call("list_message_streams", server=PRODUCTION)
    target = "outbound"
    if promo["stream_type"] != "Transactional":
        target = next(
            x["stream_id"]
            for x in streams
            if x["stream_type"] == promo["stream_type"] and x["stream_id"] == "product-updates"
        )
    s.call(
        "send_email_with_template",
        server=PRODUCTION,
        sender=s.say(NEWS_FROM),
        to=[address],
        template_alias=s.say("spring-promo"),
        template_model={"name": first, "discount": s.say("20%"), "code": s.say("SPRING20")},
        tag=s.say("spring-promo"),
        message_stream=target,
    )
    return speech.sentence(
        speech.opening(s.rng),
        f"{name} ({address}) asked about our spring offer. Send them the spring-promo template from {NEWS_FROM} "
        f"on {PRODUCTION}, with their first name, 20% off and code SPRING20, tagged spring-promo.",
        "Use the default transactional stream so it lands fast, unless Postmark's rules forbid that; then use "
        "our product updates stream.",
    )


@story(ENV, implicit=True)
def staging_test_from_qa(s: StoryContext) -> str:
    """A staging test from the QA sender: it is not confirmed yet, so it goes from the confirmed staging sender."""
    _me(s)
    qa = "qa@tallyfox.dev"
    signatures = s.call("list_sender_signatures", email_address=s.say(qa))
    sender = qa if signatures and signatures[0]["confirmed"] else s.say(STAGING_FROM)
    number = s.say(f"TEST-{s.rng.randint(100, 999)}")
    s.call(
        "send_email_with_template",
        server=s.say(STAGING),
        sender=sender,
        to=[s.say("qa@tallyfox.com")],
        template_alias=s.say("receipt"),
        template_model={"name": s.say("QA"), "receipt_number": number},
        tag=s.say("staging-test"),
    )
    return speech.sentence(
        speech.opening(s.rng),
        f"Send a test of the receipt template from {STAGING} to qa@tallyfox.com, name QA and receipt number "
        f"{number}, tagged staging-test.",
        f"Send it from {qa} if that sender can send; otherwise from {STAGING_FROM}.",
    )


@story(ENV)
def add_a_sender_signature(s: StoryContext) -> str:
    """Add a From address for the FoxLedger brand as a sender signature."""
    _me(s)
    local, name = s.rng.choice(
        (("billing", "FoxLedger Billing"), ("hello", "FoxLedger"), ("receipts", "FoxLedger Receipts"))
    )
    address = s.say(f"{local}@foxledger.co")
    reply = s.rng.random() < 0.5
    arguments: dict[str, Any] = {"email_address": address, "name": s.say(name)}
    if reply:
        arguments["reply_to"] = s.say("accounts@foxledger.co")
    domains = s.call("list_domains")
    if any(d["name"] == "foxledger.co" and d["dkim_verified"] for d in domains):
        s.reject("domain already verified")
    s.call("create_sender_signature", **arguments)
    return speech.sentence(
        speech.opening(s.rng),
        f"We want to send FoxLedger mail from {address} with the name {name}.",
        "Replies should go to accounts@foxledger.co." if reply else "",
        "If foxledger.co isn't verified for DKIM yet, set that address up as a sender signature in Postmark.",
    )


REFUND_LINES = (
    ("Your refund is on its way", "We refunded your last payment; it reaches your card in 5 to 10 days."),
    ("Your plan change is confirmed", "Your new plan starts with your next billing date."),
    ("We fixed the duplicate charge", "You were charged twice this month; we refunded the second charge."),
)


@story(ENV)
def personal_billing_note(s: StoryContext) -> str:
    """A one-off plain-text note from billing to a customer, with link tracking off."""
    _me(s)
    row = s.pick(
        "SELECT DISTINCT e.recipient AS email FROM message_events e "
        "JOIN messages m ON m.message_id = e.message_id WHERE m.tag = 'receipt' AND e.event_type = 'Delivered' "
        "AND e.recipient NOT IN (SELECT email_address FROM suppressions WHERE stream_id = 'outbound')"
    )
    address = s.say(row["email"])
    subject, text = s.rng.choice(REFUND_LINES)
    tag = s.rng.choice(("billing-note", "refund"))
    s.call(
        "send_email",
        server=s.say(PRODUCTION),
        sender=s.say(RECEIPTS_FROM),
        to=[address],
        subject=s.say(subject),
        text_body=s.say(text),
        tag=s.say(tag),
        track_links=s.imply("None"),
    )
    return speech.sentence(
        speech.opening(s.rng),
        f'Send {address} a plain-text email from {RECEIPTS_FROM} through {PRODUCTION} with the subject "{subject}" '
        f'and the text "{text}", tagged {tag}.',
        "Don't track links in this one.",
    )
