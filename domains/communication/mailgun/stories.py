"""Mailgun stories: one developer or marketer of Brightlane Inc. working in their Mailgun account.

They cover what the people behind a company's email do in Mailgun: find out why a customer never got a
password reset (the suppression list dropped it), lift the suppression and send it again; count the opens
and clicks of last Tuesday's newsletter; add up yesterday's failures; check a signup address and suggest
the correction; schedule a launch email for a set time; put a new domain live once its DNS is published
(or learn which record is still missing); learn that an unverified domain cannot send; test from the
sandbox domain; honour unsubscribe and resubscribe requests; take complainers off the newsletter list;
keep templates and mailing lists up to date. People name domains, lists, tags and templates as they set
them up, and speak dates and times (UTC) the way people do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from .models import MAX_SCHEDULE_DAYS, NOW
from .seed import EU, NEWS, SANDBOX, SUPPORT, TRANSACTIONAL

ENV = "mailgun"
OWNER = "dev@brightlane.io"
TODAY = NOW.date()
YESTERDAY = TODAY - dt.timedelta(days=1)
LAST_TUESDAY = TODAY - dt.timedelta(days=(TODAY.weekday() - 1) % 7 or 7)
NEWSLETTER = "newsletter@news.brightlane.io"
BETA = "beta@news.brightlane.io"
TYPOS = {
    "gmail.com": ("gmial.com", "gmai.com", "gnail.com"),
    "yahoo.com": ("yaho.com", "yahooo.com"),
    "hotmail.com": ("hotmial.com", "hotmal.com"),
    "outlook.com": ("outlok.com", "outloo.com"),
}
LAUNCHES = (
    (
        "Brightlane Boards is here",
        "Boards are live for every workspace today. Open the app to try them.",
        "boards-launch",
    ),
    ("Meet the new Brightlane mobile app", "The new app is in the App Store and Google Play from today.", "app-launch"),
    (
        "Introducing Brightlane Insights",
        "Insights turns your workspace activity into weekly reports.",
        "insights-launch",
    ),
)
NOTICES = (
    ("Our support hours are changing", "From next Monday our support desk is open 8 am to 8 pm."),
    ("Scheduled maintenance this weekend", "Brightlane will be read-only on Saturday from 2 to 4 am."),
)


def _me(s: StoryContext) -> None:
    s.person(ENV, OWNER)


def _domain(s: StoryContext, name: str) -> str:
    return s.say(name)


def _events(s: StoryContext, **arguments: Any) -> dict[str, Any]:
    return s.call("get_events", **arguments)


# -- deliverability: why didn't it arrive ------------------------------------------------------------------


@story(ENV, implicit=True, weight=2.0)
def password_reset_never_arrived(s: StoryContext) -> str:
    """A customer never got yesterday's password reset: the bounce list dropped it; unblock and resend."""
    _me(s)
    failed = s.pick(
        "SELECT e.recipient, e.message_id FROM events e JOIN messages m ON m.message_id = e.message_id "
        "WHERE e.domain = ? AND e.event = 'failed' AND e.reason = 'suppress-bounce' AND m.template = 'password-reset' "
        "AND substr(e.timestamp, 1, 10) = ? "
        "AND (SELECT COUNT(*) FROM events o WHERE o.recipient = e.recipient AND o.event = 'failed') = 1",
        (TRANSACTIONAL, YESTERDAY.isoformat()),
    )
    address = s.say(failed["recipient"])
    found = _events(s, domain=_domain(s, TRANSACTIONAL), recipient=address, event=s.imply("failed"))
    event = found["items"][0]
    bounce = s.call("list_suppressions", domain=TRANSACTIONAL, suppression_type=s.imply("bounces"), address=address)
    if not bounce["items"]:
        s.reject("no bounce entry")
    s.call("delete_suppression", domain=TRANSACTIONAL, suppression_type="bounces", address=address)
    s.call(
        "send_email",
        domain=TRANSACTIONAL,
        sender=event["sender"],
        to=[address],
        template=event["template"],
        variables=event["user_variables"],
        tags=event["tags"],
    )
    s.fact(bounce["items"][0]["error"])
    s.context(speech.date(bounce["items"][0]["created_at"]), address)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"A customer, {address}, says the password reset email they asked for yesterday never showed up.",
            f"A customer, {address}, asked for a password reset yesterday and never got the email.",
        ),
        f"It goes out from {TRANSACTIONAL}.",
        speech.choose(
            s.rng,
            "Find out what happened. If we're blocking their address because of an old bounce, take it off that "
            "list and send them the same reset email again (same sender, template, link and tag).",
            "Please work out why, and if it's our suppression list, unblock them and resend exactly the same reset "
            "email (same from address, template, link and tag).",
        ),
        "What was the original bounce error?",
    )


@story(ENV, implicit=True)
def reader_missed_the_digest(s: StoryContext) -> str:
    """A reader says last Tuesday's digest never came: the events show what happened to their copy."""
    _me(s)
    row = s.pick(
        "SELECT e.recipient, e.event, e.reason FROM events e JOIN messages m ON m.message_id = e.message_id "
        "WHERE e.domain = ? AND substr(m.created_at, 1, 10) = ? AND m.template = 'weekly-digest' "
        "AND e.event IN ('failed', 'delivered') "
        "AND (SELECT COUNT(*) FROM events o WHERE o.message_id = e.message_id AND o.recipient = e.recipient "
        "AND o.event IN ('failed', 'delivered')) = 1",
        (NEWS, LAST_TUESDAY.isoformat()),
    )
    address = s.say(row["recipient"])
    day = s.say(LAST_TUESDAY.isoformat(), "last Tuesday")
    page = _events(s, domain=_domain(s, NEWS), recipient=address, tags=s.say("weekly-digest"), begin=day)
    outcome = next((e for e in page["items"] if e["event"] in ("failed", "delivered")), None)
    if outcome is None:
        s.reject("no outcome")
    if outcome["event"] == "failed":
        s.fact(outcome["delivery_status"]["message"])
    else:
        s.fact(outcome["event"])
        s.fact(speech.time(outcome["timestamp"]), derived=True)
    s.context(address, speech.date(LAST_TUESDAY))
    return speech.sentence(
        speech.opening(s.rng),
        f"A reader, {address}, tells us the weekly-digest newsletter from last Tuesday never reached them.",
        f"It was sent through {NEWS}.",
        speech.choose(s.rng, "What happened to their copy?", "Can you see what became of it?"),
        "If it did reach their server, tell me at what time; if not, why not.",
    )


@story(ENV)
def failures_yesterday(s: StoryContext) -> str:
    """How many messages failed permanently yesterday, and how many were real bounces rather than drops."""
    _me(s)
    day = s.say(YESTERDAY.isoformat(), "yesterday")
    page = _events(
        s,
        domain=_domain(s, TRANSACTIONAL),
        event=s.imply("failed"),
        severity=s.imply("permanent"),
        begin=day,
        end=day,
        limit=s.imply(100),
    )
    if page["total"] > 100 or page["total"] < 3:
        s.reject("too many or too few")
    bounced = sum(1 for e in page["items"] if e["reason"] == "bounce")
    s.fact(page["total"], derived=True)
    s.fact(bounced, derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"How many emails from {TRANSACTIONAL} failed permanently yesterday?",
        "And of those, how many actually bounced, as opposed to being dropped because the address was already "
        "on a suppression list?",
    )


# -- stats -----------------------------------------------------------------------------------------------------


@story(ENV)
def newsletter_opens_last_tuesday(s: StoryContext) -> str:
    """The marketer asks how many opens (and clicks) last Tuesday's weekly digest got."""
    _me(s)
    with_clicks = s.rng.random() < 0.5
    events = ["opened", "clicked"] if with_clicks else ["opened"]
    for name in events:
        s.imply(name)
    start = s.say(LAST_TUESDAY.isoformat(), "last Tuesday")
    stats = s.call("get_stats", domain=_domain(s, NEWS), event=events, tag=s.say("weekly-digest"), start=start)
    s.fact(stats["totals"]["opened"])
    if with_clicks:
        s.fact(stats["totals"]["clicked"])
    s.context(speech.date(LAST_TUESDAY))
    ask = "how many opens and how many clicks" if with_clicks else "how many opens"
    return speech.sentence(
        speech.opening(s.rng),
        f"Our weekly-digest newsletter went out last Tuesday from {NEWS}.",
        f"Since then, {ask} has it had?",
    )


@story(ENV)
def delivery_stats_for_a_week(s: StoryContext) -> str:
    """A developer asks how many messages the transactional domain delivered and how many failed in a week."""
    _me(s)
    monday = TODAY - dt.timedelta(days=TODAY.weekday() + 7 * s.rng.choice((1, 2)))
    sunday = monday + dt.timedelta(days=6)
    events = [s.imply("delivered"), s.imply("failed")]
    stats = s.call(
        "get_stats",
        domain=_domain(s, TRANSACTIONAL),
        event=events,
        start=s.say(monday.isoformat(), speech.date(monday)),
        end=s.say(sunday.isoformat(), speech.date(sunday)),
    )
    s.fact(stats["totals"]["delivered"])
    s.fact(stats["totals"]["failed"]["permanent"])
    s.fact(stats["totals"]["failed"]["temporary"])
    return speech.sentence(
        speech.opening(s.rng),
        f"For the week of {speech.date(monday)} to {speech.date(sunday)}, how many emails did {TRANSACTIONAL} "
        "deliver, and how many failed permanently versus temporarily?",
    )


# -- validation ------------------------------------------------------------------------------------------------


@story(ENV, implicit=True)
def check_a_signup_address(s: StoryContext) -> str:
    """A signup address looks off: validation finds the mistyped provider and suggests the correction."""
    _me(s)
    person = s.pick(
        "SELECT DISTINCT recipient AS address FROM events WHERE domain = ? AND event = 'accepted' AND "
        "(recipient LIKE '%@gmail.com' OR recipient LIKE '%@yahoo.com' OR recipient LIKE '%@hotmail.com' "
        "OR recipient LIKE '%@outlook.com')",
        (TRANSACTIONAL,),
    )
    local, host = person["address"].split("@")
    typed = f"{local}@{s.rng.choice(TYPOS[host])}"
    result = s.call("validate_email", address=s.say(typed))
    if result["did_you_mean"] != person["address"]:
        s.reject("no suggestion")
    history = _events(s, domain=_domain(s, TRANSACTIONAL), recipient=result["did_you_mean"], event=s.imply("accepted"))
    if not history["items"]:
        s.reject("never emailed")
    s.fact(result["did_you_mean"])
    s.fact(speech.date(history["items"][0]["timestamp"]), derived=True)
    s.context(typed)
    return speech.sentence(
        speech.opening(s.rng),
        f"Someone just signed up with {typed} and our welcome email will probably bounce.",
        speech.choose(
            s.rng,
            "Is that address any good? If it's a typo, what did they most likely mean?",
            "Can you check it and tell me what the address probably should be?",
        ),
        f"And if that corrected address is one we already email from {TRANSACTIONAL}, when did we last send to it?",
    )


@story(ENV, implicit=True, weight=1.5)
def add_beta_tester_if_real(s: StoryContext) -> str:
    """Add someone to the beta list only if their address validates as low risk; otherwise say why not."""
    _me(s)
    row = s.pick(
        "SELECT m.address, m.name FROM list_members m WHERE m.list_address = ? "
        "AND m.address NOT IN (SELECT address FROM list_members WHERE list_address = ?)",
        (NEWSLETTER, BETA),
    )
    local, host = row["address"].split("@")
    kind = s.rng.choice(("good", "good", "disposable", "role"))
    address = {
        "good": row["address"],
        "disposable": f"{local}@{s.rng.choice(('mailinator.com', 'yopmail.com'))}",
        "role": f"info@{host}",
    }[kind]
    name = s.say(row["name"])
    lists = s.call("list_mailing_lists")
    beta = next(item["address"] for item in lists if item["name"] == "Beta testers")
    current = s.call("get_mailing_list", list_address=beta, address=s.say(address))
    if current["members"]:
        s.reject("already a member")
    check = s.call("validate_email", address=address)
    if check["risk"] == "low":
        s.call("add_list_member", list_address=beta, address=address, name=name)
    else:
        s.fact(check["risk"])
        if check["is_disposable_address"]:
            s.fact(check["result"])
    s.context(address, name)
    return speech.sentence(
        speech.opening(s.rng),
        f"{name} wants to join our beta testers mailing list with {address}.",
        "Make sure they aren't on it already and check the address: add them only if it comes back low risk; "
        "otherwise leave it and tell me what the check said.",
    )


# -- scheduling and sending ----------------------------------------------------------------------------------


@story(ENV)
def schedule_the_launch_email(s: StoryContext) -> str:
    """Schedule a launch announcement to a mailing list (named as the team calls it) for tomorrow morning."""
    _me(s)
    subject, text, tag = s.rng.choice(LAUNCHES)
    hour = s.rng.choice((9, 9, 10, 8))
    when = dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time(hour))
    spoken = f"tomorrow at {speech.time(when)}"
    sender = "Brightlane <hello@news.brightlane.io>"
    audience = s.rng.choice(("Newsletter", "Beta testers", "Partners"))
    lists = s.call("list_mailing_lists")
    target = next(item for item in lists if item["name"] == audience)
    s.say(audience.lower(), audience.lower())
    s.call(
        "send_email",
        domain=_domain(s, NEWS),
        sender=s.say(sender),
        to=[target["address"]],
        subject=s.say(subject),
        text=s.say(text),
        tags=[s.say(tag)],
        deliverytime=s.say(when.isoformat(), spoken),
    )
    s.context(subject)
    return speech.sentence(
        speech.opening(s.rng),
        f"Please schedule our launch email to go out {spoken} UTC to our {audience.lower()} mailing list, from "
        f"{sender} through our domain {NEWS}.",
        f'Subject "{subject}", text "{text}", and tag it {tag}.',
    )


@story(ENV)
def launch_on_monday_if_possible(s: StoryContext) -> str:
    """Schedule for next Monday morning, or, past Mailgun's 3-day limit, the latest allowed day at that hour."""
    _me(s)
    subject, text, tag = s.rng.choice(LAUNCHES)
    hour = s.rng.choice((8, 9, 10))
    monday = TODAY + dt.timedelta(days=7 - TODAY.weekday())
    wanted = dt.datetime.combine(monday, dt.time(hour))
    latest = NOW + dt.timedelta(days=MAX_SCHEDULE_DAYS)
    when = wanted
    while when > latest:
        when -= dt.timedelta(days=1)
    if when <= NOW:
        s.reject("no day left")
    sender = "Brightlane <hello@news.brightlane.io>"
    s.call(
        "send_email",
        domain=_domain(s, NEWS),
        sender=s.say(sender),
        to=[s.say(NEWSLETTER)],
        subject=s.say(subject),
        text=s.say(text),
        tags=[s.say(tag)],
        deliverytime=s.imply(when.isoformat()),
    )
    s.context(subject)
    s.fact(speech.date(when), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"I'd like our launch email to reach the {NEWSLETTER} list next Monday at {speech.time(wanted)} UTC, sent "
        f"from {sender} through our domain {NEWS}.",
        f'Subject "{subject}", text "{text}", tag {tag}.',
        f"If Mailgun can't schedule that far ahead, schedule it for {speech.time(wanted)} on the latest day it does "
        "allow, and tell me which day that is.",
    )


@story(ENV, implicit=True)
def send_from_a_new_domain(s: StoryContext) -> str:
    """A notice should go out from the new support domain, which is not verified: nothing is sent."""
    _me(s)
    subject, text = s.rng.choice(NOTICES)
    audience = s.rng.choice(("partners", "beta testers"))
    details = s.call("get_domain", domain=_domain(s, SUPPORT))
    missing = [r["kind"] for r in details["sending_dns_records"] if r["valid"] != "valid"]
    s.fact(details["state"])
    for kind in missing:
        s.fact(kind)
    s.context(subject)
    return speech.sentence(
        speech.opening(s.rng),
        f'Send "{subject}" to our {audience} mailing list from help@{SUPPORT}, text: "{text}"',
        "If something stops it from going out, don't send it from anywhere else; just tell me what's wrong.",
    )


@story(ENV, implicit=True)
def dns_published_go_live(s: StoryContext) -> str:
    """DNS records were published for a new domain: re-check it, and send the first message once it is active."""
    _me(s)
    domain = s.rng.choice((EU, EU, SUPPORT))
    subject, text = s.rng.choice(NOTICES)
    sender = f"Brightlane <hello@{domain}>"
    to = s.say(OWNER)
    checked = s.call("verify_domain", domain=_domain(s, domain))
    if checked["state"] == "active":
        s.call("send_email", domain=domain, sender=s.say(sender), to=[to], subject=s.say(subject), text=s.say(text))
    else:
        s.say(sender)
        s.say(subject)
        s.say(text)
        s.fact(checked["state"])
        for record in checked["sending_dns_records"]:
            if record["valid"] != "valid":
                s.fact(record["kind"])
    return speech.sentence(
        speech.opening(s.rng),
        f"Our DNS admin says she has published the Mailgun records for {domain}.",
        f"Have Mailgun check them, and if the domain is verified now, send a first test to {to} from {sender} "
        f'with subject "{subject}" and text "{text}".',
        "If it still isn't verified, tell me which record is the problem.",
    )


@story(ENV, implicit=True)
def test_from_the_sandbox(s: StoryContext) -> str:
    """A developer tests from the sandbox domain: it only reaches activated authorized recipients."""
    _me(s)
    target = s.pick("SELECT address FROM authorized_recipients WHERE domain = ? AND activated = 1", (SANDBOX,))
    address = s.say(target["address"])
    sender = s.say(f"postmaster@{SANDBOX}")
    details = s.call("get_domain", domain=_domain(s, SANDBOX))
    authorized = [r["address"] for r in details["authorized_recipients"] if r["activated"]]
    subject, text = s.say("Sandbox test"), s.say("Testing our Mailgun setup.")
    if address in authorized:
        s.call("send_email", domain=SANDBOX, sender=sender, to=[address], subject=subject, text=text)
    else:
        for who in authorized:
            s.fact(who)
    return speech.sentence(
        speech.opening(s.rng),
        f"From our sandbox domain {SANDBOX}, send a message from {sender} to {address} with subject "
        f'"{subject}" and text "{text}".',
        "If the sandbox can't send to that address, don't send it; tell me which addresses it can send to.",
    )


@story(ENV)
def send_a_raw_mime_message(s: StoryContext) -> str:
    """A developer has a MIME message built by their app and sends it to one customer through the domain."""
    _me(s)
    row = s.pick("SELECT recipient FROM events WHERE domain = ? AND event = 'delivered'", (TRANSACTIONAL,))
    to = s.say(row["recipient"])
    subject = s.rng.choice(("Your export is ready", "Your invoice is attached", "Action needed on your account"))
    mime = (
        f"From: Brightlane <billing@{TRANSACTIONAL}>\nTo: {to}\nSubject: {subject}\n"
        "Content-Type: text/plain; charset=utf-8\n\nHello, please sign in to your Brightlane account for details."
    )
    tag = s.rng.choice(("exports", "billing"))
    s.call(
        "send_mime_email",
        domain=_domain(s, TRANSACTIONAL),
        to=[to],
        message=s.say(mime, " ".join(mime.split())),
        tags=[s.say(tag)],
    )
    s.context(subject)
    return speech.sentence(
        speech.opening(s.rng),
        f"Our app built this MIME message; send it as is through {TRANSACTIONAL} to {to} and tag it {tag}:",
        mime,
    )


# -- suppressions and lists -----------------------------------------------------------------------------------


@story(ENV)
def did_they_unsubscribe(s: StoryContext) -> str:
    """Did a reader unsubscribe, when, and from all mail or only some (the tags)?"""
    _me(s)
    row = s.pick("SELECT * FROM unsubscribes WHERE domain = ?", (NEWS,))
    history = _events(s, domain=_domain(s, NEWS), recipient=s.say(row["address"]), limit=s.imply(100))
    left = [e for e in history["items"] if e["event"] == "unsubscribed"]
    if len(left) != 1 or history["total"] > 100:
        s.reject("no single unsubscribe event")
    s.fact(left[0]["subject"])
    found = s.call("list_suppressions", domain=NEWS, suppression_type=s.imply("unsubscribes"), address=row["address"])
    entry = found["items"][0]
    s.fact(speech.date(entry["created_at"]), derived=True)
    if entry["tags"] != ["*"]:
        for tag in entry["tags"]:
            s.fact(tag)
    s.context(row["address"])
    return speech.sentence(
        speech.opening(s.rng),
        f"Did {row['address']} unsubscribe from our {NEWS} emails?",
        "If so, on what date, which email were they reading when they did, and was it from everything or only "
        "from some of our emails (which ones)?",
    )


@story(ENV, implicit=True, weight=1.5)
def reader_wants_the_digest_back(s: StoryContext) -> str:
    """A reader who unsubscribed wants the newsletter again: lift the unsubscribe and resubscribe them."""
    _me(s)
    row = s.pick(
        "SELECT u.address, m.subscribed FROM unsubscribes u JOIN list_members m ON m.address = u.address "
        "AND m.list_address = ? WHERE u.domain = ? AND u.tags LIKE '%weekly-digest%' OR (u.domain = ? "
        "AND u.tags = '[\"*\"]' AND m.list_address = ?)",
        (NEWSLETTER, NEWS, NEWS, NEWSLETTER),
    )
    address = s.say(row["address"])
    found = s.call(
        "list_suppressions", domain=_domain(s, NEWS), suppression_type=s.imply("unsubscribes"), address=address
    )
    if not found["items"]:
        s.reject("no unsubscribe")
    s.call("delete_suppression", domain=NEWS, suppression_type="unsubscribes", address=address)
    member = s.call("get_mailing_list", list_address=s.say(NEWSLETTER), address=address)
    if member["members"] and not member["members"][0]["subscribed"]:
        s.call("update_list_member", list_address=NEWSLETTER, address=address, subscribed=s.imply(True))
    return speech.sentence(
        speech.opening(s.rng),
        f"A reader, {address}, wrote in: they unsubscribed by mistake and want our weekly digest again.",
        f"It goes to the {NEWSLETTER} list from {NEWS}. Please make sure they get it from now on.",
    )


@story(ENV, implicit=True)
def complainers_off_the_list(s: StoryContext) -> str:
    """Everyone who reported the newsletter as spam is removed from the newsletter list."""
    _me(s)
    found = s.call("list_suppressions", domain=_domain(s, NEWS), suppression_type=s.imply("complaints"))
    removed = 0
    for entry in found["items"]:
        if s.rows("SELECT 1 FROM list_members WHERE list_address = ? AND address = ?", (NEWSLETTER, entry["address"])):
            s.call("delete_list_member", list_address=s.say(NEWSLETTER), address=entry["address"])
            removed += 1
    if removed < 2:
        s.reject("too few to remove")
    s.fact(removed, derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"Anyone who has marked our {NEWS} emails as spam shouldn't be on the {NEWSLETTER} list any more.",
        "Please clean that up and tell me how many people you took off.",
    )


@story(ENV)
def stop_one_kind_of_email(s: StoryContext) -> str:
    """A customer wants no more of one kind of email (a tag), or none at all: an unsubscribe is added."""
    _me(s)
    row = s.pick(
        "SELECT DISTINCT e.recipient FROM events e WHERE e.domain = ? AND e.event = 'delivered' "
        "AND e.recipient NOT IN (SELECT address FROM unsubscribes WHERE domain = ?)",
        (TRANSACTIONAL, TRANSACTIONAL),
    )
    address = s.say(row["recipient"])
    scope = s.rng.choice(("invoice-receipt", "shipping-update", None))
    extra = {"tag": s.say(scope)} if scope else {}
    s.call(
        "add_suppression",
        domain=_domain(s, TRANSACTIONAL),
        suppression_type=s.imply("unsubscribes"),
        address=address,
        **extra,
    )
    what = f"the emails we tag {scope}" if scope else "anything at all"
    return speech.sentence(
        speech.opening(s.rng),
        f"A customer, {address}, asked us to stop sending them {what} from {TRANSACTIONAL}.",
        "Please unsubscribe them accordingly.",
    )


# -- templates --------------------------------------------------------------------------------------------------


@story(ENV)
def which_template_version_is_live(s: StoryContext) -> str:
    """Which version of a template is live, when it was made, and what its subject is."""
    _me(s)
    row = s.pick(
        "SELECT t.domain, t.name FROM templates t WHERE (SELECT COUNT(*) FROM template_versions v "
        "WHERE v.domain = t.domain AND v.template_name = t.name) >= 2"
    )
    view = s.call("get_template", domain=_domain(s, row["domain"]), name=s.say(row["name"]))
    live = next(v for v in view["versions"] if v["active"])
    s.fact(live["tag"])
    s.fact(speech.date(live["created_at"], year=True), derived=True)
    s.fact(len(view["versions"]), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"Our {row['name']} template on {row['domain']} has been edited a few times.",
        "Which version is live right now, when was it created, and how many versions are there in total?",
    )


@story(ENV)
def new_template_and_a_test(s: StoryContext) -> str:
    """Create a template for trial-ending mail and send a test-mode message with it to the developer."""
    _me(s)
    name = s.rng.choice(("trial-ending", "trial-reminder"))
    body = "<p>Hi {{first_name}}, your Brightlane trial ends on {{end_date}}. Upgrade to keep your boards.</p>"
    subject = "Your Brightlane trial ends soon"
    first, end = s.rng.choice((("Maya", "March 20"), ("Leo", "March 18"), ("Ana", "March 22")))
    s.call(
        "create_template",
        domain=_domain(s, TRANSACTIONAL),
        name=s.say(name),
        template=s.say(body),
        subject=s.say(subject),
    )
    s.call(
        "send_email",
        domain=TRANSACTIONAL,
        sender=s.say(f"Brightlane <no-reply@{TRANSACTIONAL}>"),
        to=[s.say(OWNER)],
        template=name,
        variables={"first_name": s.say(first), "end_date": s.say(end)},
        testmode=s.imply(True),
    )
    return speech.sentence(
        speech.opening(s.rng),
        f'Create a template called {name} on {TRANSACTIONAL} with the subject "{subject}" and this content: {body}',
        f"Then send a test-mode message with it from Brightlane <no-reply@{TRANSACTIONAL}> to {OWNER}, filling in "
        f"first_name as {first} and end_date as {end}.",
    )


@story(ENV, weight=1.3)
def new_template_version(s: StoryContext) -> str:
    """The marketer adds a new live version of a template, hears which one it replaced, and sends a test."""
    _me(s)
    row = s.pick("SELECT domain, name FROM templates")
    tag = s.rng.choice(("v3", "spring-copy", "short-copy"))
    if s.rows(
        "SELECT 1 FROM template_versions WHERE domain = ? AND template_name = ? AND tag = ?",
        (row["domain"], row["name"], tag),
    ):
        s.reject("tag exists")
    body = s.rng.choice(
        (
            "<p>Hi {{first_name}}, thanks for being with us.</p>",
            "<p>Hello {{first_name}}! A quick update from the Brightlane team.</p>",
        )
    )
    comment = s.rng.choice(("Copy from the March review", "Shorter intro"))
    before = s.call("get_template", domain=_domain(s, row["domain"]), name=s.say(row["name"]))
    live = next(v for v in before["versions"] if v["active"])
    s.call(
        "create_template_version",
        domain=row["domain"],
        name=row["name"],
        tag=s.say(tag),
        template=s.say(body),
        comment=s.say(comment),
    )
    sender = s.say(f"Brightlane <no-reply@{row['domain']}>")
    s.call(
        "send_email",
        domain=row["domain"],
        sender=sender,
        to=[s.say(OWNER)],
        template=row["name"],
        variables={"first_name": s.say("Sam")},
        testmode=s.imply(True),
    )
    s.fact(live["tag"])
    return speech.sentence(
        speech.opening(s.rng),
        f"Add a new version {tag} to the {row['name']} template on {row['domain']} with this content: {body}",
        f'Note it as "{comment}" and make it the live version.',
        f"Then send a test-mode message with the template from {sender} to {OWNER}, with first_name set to Sam.",
        "Which version was live before?",
    )


@story(ENV)
def which_domains_cannot_send(s: StoryContext) -> str:
    """Which of the account's domains are not verified yet, and which of their records still fail."""
    _me(s)
    page = s.call("list_domains", state=s.imply("unverified"))
    if len(page["items"]) < 2:
        s.reject("too few")
    for item in page["items"]:
        details = s.call("get_domain", domain=item["name"])
        s.fact(item["name"])
        for record in details["sending_dns_records"]:
            if record["valid"] != "valid":
                s.fact(record["kind"])
    return speech.sentence(
        speech.opening(s.rng),
        "Which of our Mailgun domains can't send yet because they aren't verified?",
        "For each, which of its sending DNS records hasn't checked out?",
    )


@story(ENV)
def templates_on_the_redesign(s: StoryContext) -> str:
    """Which templates of the transactional domain are live on the redesigned version."""
    _me(s)
    rows = s.call("list_templates", domain=_domain(s, TRANSACTIONAL))
    redesigned = [r["name"] for r in rows if r["active_version"] == "2026-redesign"]
    if not redesigned:
        s.reject("none")
    for name in redesigned:
        s.fact(name)
    return speech.sentence(
        speech.opening(s.rng),
        f"Which of our templates on {TRANSACTIONAL} are live on the 2026-redesign version?",
    )
