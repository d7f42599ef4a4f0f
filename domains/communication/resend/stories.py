"""Resend stories: Maya Okafor, Ledgerly's developer, running the app's email through Resend, one storyline each.

They cover what she asks: moving a scheduled announcement, cancelling the payment reminder of a customer who has
paid, whether an invoice email reached a customer or bounced, the sign-in code a customer got, sending one-off,
test and batch emails (and what the onboarding sender and unverified domains refuse), the day's quota, domains
and their DNS records, which API keys may send from a domain, audiences and contacts (subscribing, unsubscribing,
removing) and broadcasts (how many subscribed contacts one reaches). All times are UTC, as in Resend.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

ENV = "resend"
OWNER = "maya.okafor@ledgerly.io"
BILLING = "Ledgerly Billing <billing@ledgerly.io>"
HELLO = "Ledgerly <hello@ledgerly.io>"
NEWS = "Maya from Ledgerly <maya@mail.ledgerly.io>"
BROADCAST_IDEAS = (
    ("Beta: bulk invoice export", "Bulk invoice export is ready for beta testers",
     "You can now export every invoice of a month as one ZIP file. Tell us what breaks."),
    ("Beta: client portal", "Try the new client portal",
     "Your clients can now pay and download invoices from their own portal. We would love your feedback."),
    ("November update", "What's new in Ledgerly this November",
     "Recurring invoices, a faster dashboard and a new mobile app for receipts."),
)  # fmt: skip
WELCOME = "Hi <first name>, thanks for signing up. Reply any time."
AUDIENCES = ("Beta testers", "Customers", "Partners", "Webinar signups")


def _audience(s: StoryContext, name: str) -> dict[str, Any]:
    listing = s.call("list_audiences")
    return next(a for a in listing["data"] if a["name"] == name)


def _customer(s: StoryContext, where: str = "1 = 1") -> dict[str, Any]:
    """A customer (a contact with a name) who appears in the email log."""
    return s.pick(
        "SELECT DISTINCT c.email, c.first_name, c.last_name FROM contacts c JOIN emails e ON e.\"to\" = c.email "
        f"WHERE {where}"
    )


# --------------------------------------------------------------------------------------------------
# Scheduled emails
# --------------------------------------------------------------------------------------------------


@story(ENV, weight=1.4)
def push_scheduled_announcement(s: StoryContext) -> str:
    """Move a scheduled announcement, named by its subject, to a later day and hour."""
    row = s.pick("SELECT subject, scheduled_at FROM emails WHERE last_event = 'scheduled' AND subject NOT LIKE "
                 "'Reminder:%'")  # fmt: skip
    current = dt.datetime.fromisoformat(row["scheduled_at"])
    days_ahead = (current.date() - s.now().date()).days
    when_now = "tomorrow" if days_ahead == 1 else f"on {speech.date(current, weekday=True)}"
    target = dt.datetime.combine(current.date() + dt.timedelta(days=s.rng.choice((2, 3, 4))),
                                 dt.time(s.rng.choice((9, 9, 10, 14))))  # fmt: skip
    spoken = f"{speech.date(target, weekday=True)} at {speech.time(target)} UTC"
    found = s.call("list_emails", last_event=s.imply("scheduled"), subject=s.say(row["subject"]))
    email = found["data"][0]
    s.call("update_email", email_id=email["id"], scheduled_at=s.say(target.isoformat(), spoken))
    s.context(row["subject"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f'Our "{row["subject"]}" email is scheduled to go out {when_now}.',
        speech.choose(s.rng, f"Please push it to {spoken} instead.", f"Can you move it to {spoken}?"),
    )


@story(ENV, implicit=True, weight=1.6)
def customer_already_paid(s: StoryContext) -> str:
    """A customer paid: the reminder scheduled for their invoice must not go out."""
    row = s.pick("SELECT \"to\", subject FROM emails WHERE last_event = 'scheduled' AND subject LIKE 'Reminder:%'")
    number = re.search(r"INV-\d+", row["subject"])
    if number is None:
        s.reject("no invoice number")
    address = row["to"]
    found = s.call("list_emails", to=s.say(address), last_event=s.imply("scheduled"))
    if found["total"] != 1:
        s.reject("several scheduled emails")
    s.call("cancel_email", email_id=found["data"][0]["id"])
    subject = f"Thank you for paying {number.group(0)}"
    text = "We received your payment. Thanks for being a Ledgerly customer!"
    s.call("send_email", from_address=s.say(BILLING), to=[address], subject=s.say(subject), text=s.say(text))
    s.context(number.group(0), address)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"Good news: {address} just paid invoice {number.group(0)}.",
        speech.choose(s.rng, "I don't want them nagged about it, so make sure the reminder we have lined up never "
                      "goes out.", "Please make sure they don't get the payment reminder we set up."),
        f'Then send them a thank-you from {BILLING}, subject "{subject}", text "{text}"',
    )  # fmt: skip


@story(ENV, implicit=True, weight=1.2)
def when_does_the_reminder_go(s: StoryContext) -> str:
    """When a customer's scheduled payment reminder will go out."""
    row = s.pick("SELECT \"to\", subject, scheduled_at FROM emails e WHERE last_event = 'scheduled' AND subject "
                 "LIKE 'Reminder:%' AND (SELECT COUNT(*) FROM emails x WHERE x.\"to\" = e.\"to\" AND "
                 "x.last_event = 'scheduled') = 1")  # fmt: skip
    found = s.call("list_emails", to=s.say(row["to"]))
    if found["total"] < 3 or found["has_more"]:
        s.reject("the customer's history shows little beside the reminder")
    moment = next(e["scheduled_at"] for e in found["data"] if e["last_event"] == "scheduled")
    s.fact(speech.date(moment), derived=True)
    s.fact(speech.time(moment), derived=True)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"A customer, {row['to']}, asked when they'll hear from us about their unpaid invoice. When is their "
        "reminder set to go out?",
    )


@story(ENV, weight=0.8)
def reschedule_sent_email_refused(s: StoryContext) -> str:
    """Asking to move an email that was already sent: only scheduled emails move, so say where it stands."""
    row = s.pick("SELECT \"to\", subject, last_event FROM emails e WHERE subject = 'Welcome to Ledgerly' AND "
                 "last_event IN ('delivered', 'opened', 'bounced', 'clicked') AND (SELECT COUNT(*) FROM emails x "
                 "WHERE x.\"to\" = e.\"to\") <= 4")  # fmt: skip
    found = s.call("list_emails", to=s.say(row["to"]), subject=s.say("welcome", "welcome"))
    if found["total"] != 1:
        s.reject("several welcome emails")
    s.fact(found["data"][0]["last_event"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"Could you push the welcome email for {row['to']} back to next Monday morning? If it can't be moved any "
        "more, just tell me what happened to it.",
    )


# --------------------------------------------------------------------------------------------------
# Delivery questions
# --------------------------------------------------------------------------------------------------


@story(ENV, weight=1.5)
def did_the_invoice_arrive(s: StoryContext) -> str:
    """Whether a named customer's invoice email was delivered, opened or bounced."""
    row = s.pick("SELECT \"to\", subject, last_event FROM emails WHERE subject LIKE 'Invoice INV-%' AND last_event "
                 "IN ('delivered', 'bounced', 'opened', 'clicked', 'delivery_delayed', 'complained')")  # fmt: skip
    number = row["subject"].split()[1]
    found = s.call("list_emails", to=s.say(row["to"]))
    if found["has_more"]:
        s.reject("more than a page")
    others = {e["last_event"] for e in found["data"] if not e["subject"].startswith(f"Invoice {number}")}
    if row["last_event"] in others:
        s.reject("other emails share the event")
    s.fact(row["last_event"])
    s.context(number, row["to"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"{row['to']} says invoice {number} never reached them.",
        speech.choose(s.rng, "Did our email with it get delivered, or did it bounce?",
                      "What happened to that invoice email on our side?"),
    )  # fmt: skip


@story(ENV, implicit=True)
def which_sign_in_code(s: StoryContext) -> str:
    """The sign-in code in the latest code email a customer got."""
    row = s.pick("SELECT \"to\" FROM emails WHERE subject = 'Your Ledgerly sign-in code' AND last_event != "
                 "'bounced'")  # fmt: skip
    found = s.call("list_emails", to=s.say(row["to"]), subject=s.say("sign-in code", "sign-in code"))
    email = s.call("get_email", email_id=found["data"][0]["id"])
    code = re.search(r"\d{6}", email["text"] or "")
    if code is None:
        s.reject("no code")
    s.fact(code.group(0), derived=True)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"Support ticket: {row['to']} says their sign-in code didn't work.",
        "Which code did we email them most recently?",
    )


@story(ENV, weight=0.8)
def recent_bounces(s: StoryContext) -> str:
    """Who the last few bounced emails went to."""
    n = s.rng.choice((3, 4, 5))
    found = s.call("list_emails", last_event=s.imply("bounced"), limit=s.say(n, speech.number(n)))
    for email in found["data"]:
        s.fact(email["to"][0])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I want to clean up our customer list. Which addresses did our last {speech.number(n)} bounced emails go to?",
    )


# --------------------------------------------------------------------------------------------------
# Sending
# --------------------------------------------------------------------------------------------------


@story(ENV, weight=1.2)
def send_a_one_off(s: StoryContext) -> str:
    """A one-off billing email to a customer, tagged, with a reply-to."""
    customer = _customer(s)
    first = customer["first_name"]
    subject = s.rng.choice(("About your last invoice", "A question about your billing address",
                            "Your plan renews next week"))  # fmt: skip
    text = f"Hi {first}, could you reply to this email with a good time for a quick call?"
    s.call("send_email", from_address=s.say(BILLING), to=[s.say(customer["email"])], subject=s.say(subject),
           text=s.say(text), reply_to=[s.say(OWNER)],
           tags=[{"name": s.say("category"), "value": s.say("account")}])  # fmt: skip
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f'Please email {customer["email"]} from {BILLING} with the subject "{subject}" and the text "{text}".',
        f"Replies should come to me at {OWNER}, and tag it with category account.",
    )


@story(ENV, implicit=True)
def test_from_onboarding_sender(s: StoryContext) -> str:
    """A test from Resend's onboarding sender: only the owner's own address can receive it."""
    colleague = s.rng.choice(("jonas@ledgerly.io", "devteam@ledgerly.io", "support@ledgerly.io"))
    s.call("send_email", from_address=s.say("onboarding@resend.dev"), to=[s.say(OWNER)],
           subject=s.say("Template test"), text=s.say("Testing the new receipt layout."))  # fmt: skip
    s.context(colleague)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f'Send a quick test from onboarding@resend.dev with the subject "Template test" and the text "Testing the '
        f'new receipt layout." to me ({OWNER}) and to {colleague}. If Resend won\'t let that sender reach someone, '
        "just send it to whoever it allows.",
    )


@story(ENV, implicit=True, weight=1.5)
def send_from_unready_domain(s: StoryContext) -> str:
    """Sending from a domain that is not verified: check it, don't send, and restart verification."""
    row = s.pick("SELECT name, status FROM domains WHERE status IN ('failed', 'temporary_failure', 'not_started')")
    domain = row["name"]
    customer = _customer(s)
    found = s.call("get_domain", domain_id=s.say(domain))
    s.fact(speech.words(found["status"]), derived=True)
    s.call("verify_domain", domain_id=found["domain_id"])
    subject, text = "Hello from Ledgerly", f"Hi {customer['first_name']}, just checking in. Anything we can help with?"
    s.call("send_email", from_address=s.say(HELLO), to=[s.say(customer["email"])], subject=s.say(subject),
           text=s.say(text))  # fmt: skip
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f'I want to send {customer["email"]} a note from hello@{domain}: subject "{subject}", text "{text}"',
        f"If {domain} isn't ready for sending, send it from {HELLO} instead, tell me where {domain} stands and get "
        "Resend to check its DNS again.",
    )


@story(ENV, weight=1.2)
def welcome_batch(s: StoryContext) -> str:
    """Welcome emails to several new signups in one batch."""
    names = ("Ana Souza", "Kwame Mensah", "Lena Fischer", "Hiro Tanaka", "Priya Raman", "Tomás Ruiz")
    picked = s.rng.sample(names, s.rng.choice((2, 3)))
    emails = []
    spoken = []
    for name in picked:
        first, last = name.split()
        address = f"{first.lower().replace('á', 'a')}.{last.lower()}@{s.rng.choice(('gmail.com', 'outlook.com'))}"
        emails.append({"from_address": s.say(NEWS), "to": [s.say(address)], "subject": s.say("Welcome to Ledgerly"),
                       "text": s.say(f"Hi {first}, thanks for signing up. Reply any time.", WELCOME)})  # fmt: skip
        spoken.append(f"{first} ({address})")
    s.call("send_batch_emails", emails=emails)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"We have new signups: {speech.listing(spoken)}. Send each of them our welcome email in one batch, from "
        f'{NEWS}, subject "Welcome to Ledgerly", text "{WELCOME}"',
    )


@story(ENV, implicit=True, weight=0.8)
def quota_left_today(s: StoryContext) -> str:
    """How many more emails the free plan allows today."""
    usage = s.call("get_usage")
    s.fact(str(usage["daily_quota"] - usage["sent_today"]), derived=True)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        "I'm about to send a round of invoice emails. How many more can we send today before the free plan stops us?",
    )


# --------------------------------------------------------------------------------------------------
# Domains and keys
# --------------------------------------------------------------------------------------------------


@story(ENV, weight=0.8)
def dkim_record_for(s: StoryContext) -> str:
    """The DKIM TXT record a domain needs."""
    row = s.pick("SELECT name FROM domains WHERE status != 'verified'")
    found = s.call("get_domain", domain_id=s.say(row["name"]))
    dkim = next(r for r in found["records"] if r["record"] == "DKIM")
    s.fact(dkim["name"])
    s.fact(dkim["value"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I'm in our DNS settings for {row['name']}. What's the name and value of the DKIM record Resend wants?",
    )


@story(ENV, implicit=True, weight=0.8)
def keys_that_can_send(s: StoryContext) -> str:
    """Which API keys may send from a domain: full access ones, unrestricted sending ones and its own."""
    domain = s.rng.choice(("ledgerly.io", "mail.ledgerly.io", "ledgerly.eu"))
    s.call("get_domain", domain_id=s.say(domain))
    keys = s.call("list_api_keys")["data"]
    for key in keys:
        if key["permission"] == "full_access" or key["domain"] in (None, domain):
            s.fact(key["name"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"We're rotating credentials. Which of our API keys can send email from {domain}?",
    )


@story(ENV, weight=0.8)
def unverified_domains(s: StoryContext) -> str:
    """Which domains cannot send yet, with their status."""
    domains = s.call("list_domains")["data"]
    for domain in domains:
        if domain["status"] != "verified":
            s.fact(domain["name"])
    return speech.sentence(speech.opening(s.rng, s.now()), "Which of our domains can't be used for sending yet?")


# --------------------------------------------------------------------------------------------------
# Audiences, contacts and broadcasts
# --------------------------------------------------------------------------------------------------


@story(ENV, weight=1.5)
def broadcast_to_beta(s: StoryContext) -> str:
    """A broadcast to the beta testers, sent now, and how many it reaches after unsubscribes."""
    name, subject, text = s.rng.choice(BROADCAST_IDEAS)
    audience_name = s.say(s.rng.choice(("Beta testers", "Beta testers", "Customers")))
    audience = _audience(s, audience_name)
    draft = s.call("create_broadcast", audience_id=audience["audience_id"], from_address=s.say(NEWS),
                   subject=s.say(subject), name=s.say(name), text=s.say(text))  # fmt: skip
    sent = s.call("send_broadcast", broadcast_id=draft["broadcast_id"])
    s.fact(str(sent["recipient_count"]))
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f'Please send a broadcast called "{name}" to our {audience_name} audience now, from {NEWS}, with the subject '
        f'"{subject}" and the text "{text}" How many people will actually get it?',
    )


@story(ENV, implicit=True, weight=0.8)
def who_unsubscribed(s: StoryContext) -> str:
    """The unsubscribed contacts of an audience."""
    name = s.say(s.rng.choice(("Beta testers", "Partners", "Webinar signups")))
    audience = _audience(s, name)
    found = s.call("list_contacts", audience_id=audience["audience_id"], unsubscribed=s.imply(True))
    if not 1 <= found["total"] <= 8:
        s.reject("too many or none")
    for contact in found["data"]:
        s.fact(contact["email"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"Who has opted out of our {name} list? I'd like to know before the next mailing.",
    )


@story(ENV, weight=1.5)
def join_the_beta(s: StoryContext) -> str:
    """A customer wants into the beta: add them, or subscribe them again if they had opted out."""
    row = s.pick("SELECT email, first_name, last_name FROM contacts WHERE audience_id = (SELECT audience_id FROM "
                 "audiences WHERE name = 'Customers') ORDER BY contact_id")  # fmt: skip
    audience = _audience(s, s.say("Beta testers"))
    existing = s.rows("SELECT unsubscribed FROM contacts WHERE audience_id = ? AND email = ?",
                      (audience["audience_id"], row["email"]))  # fmt: skip
    full = f"{row['first_name']} {row['last_name']}"
    if not existing:
        s.call("create_contact", audience_id=audience["audience_id"], email=s.say(row["email"]),
               first_name=s.say(row["first_name"]), last_name=s.say(row["last_name"]))  # fmt: skip
    elif existing[0]["unsubscribed"]:
        s.call("update_contact", audience_id=audience["audience_id"], contact=s.say(row["email"]),
               unsubscribed=s.imply(False))  # fmt: skip
    else:
        s.reject("already subscribed")
    subject, text = "You're in the Ledgerly beta", f"Hi {row['first_name']}, welcome to the beta. Watch your inbox!"
    s.call("send_email", from_address=s.say(NEWS), to=[row["email"]], subject=s.say(subject), text=s.say(text))
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"{row['email']} ({full}) wants to try our beta features. Make sure they'll get our Beta testers mailings,",
        f'then send them a note from {NEWS}: subject "{subject}", text "{text}"',
    )


@story(ENV, implicit=True, weight=1.5)
def stop_emailing_contact(s: StoryContext) -> str:
    """A contact asks for no more mailings: unsubscribe them in every audience they are subscribed in."""
    row = s.pick("SELECT email FROM contacts GROUP BY email HAVING SUM(unsubscribed = 0) >= 2")
    address = row["email"]
    audiences = s.call("list_audiences")["data"]
    for audience in audiences:
        member = s.rows("SELECT unsubscribed FROM contacts WHERE audience_id = ? AND email = ?",
                        (audience["audience_id"], address))  # fmt: skip
        if member and not member[0]["unsubscribed"]:
            s.call("update_contact", audience_id=audience["audience_id"], contact=s.say(address),
                   unsubscribed=s.imply(True))  # fmt: skip
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"{address} replied asking us to stop sending them our mailings, but we still want to keep them on file.",
    )


@story(ENV)
def remove_partner(s: StoryContext) -> str:
    """A partner relationship ended: remove the contact from the Partners audience."""
    row = s.pick("SELECT email FROM contacts WHERE audience_id = (SELECT audience_id FROM audiences WHERE name = "
                 "'Partners')")  # fmt: skip
    audience = _audience(s, s.say("Partners"))
    s.call("remove_contact", audience_id=audience["audience_id"], contact=s.say(row["email"]))
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"We no longer work with {row['email']}. Please delete them from our Partners audience entirely.",
    )


@story(ENV, weight=1.4)
def new_webinar_list(s: StoryContext) -> str:
    """A new audience for a webinar, with the first two people on it."""
    title = s.rng.choice(("December webinar", "Year-end close clinic", "Tax season Q&A"))
    picked = s.sample("SELECT DISTINCT email, first_name, last_name FROM contacts ORDER BY email", 2)
    audience = s.call("create_audience", name=s.say(title))
    spoken = []
    for person in picked:
        s.call("create_contact", audience_id=audience["audience_id"], email=s.say(person["email"]),
               first_name=s.say(person["first_name"]), last_name=s.say(person["last_name"]))  # fmt: skip
        spoken.append(f"{person['email']} ({person['first_name']} {person['last_name']})")
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f'Set up a new audience called "{title}" and put {speech.listing(spoken)} on it.',
    )


@story(ENV, weight=0.8)
def broadcast_reach(s: StoryContext) -> str:
    """How many contacts a past broadcast reached, against the audience's subscribed count today."""
    row = s.pick("SELECT name FROM broadcasts WHERE status = 'sent'")
    broadcasts = s.call("list_broadcasts")["data"]
    sent = next(b for b in broadcasts if b["name"] == row["name"])
    s.fact(str(sent["recipient_count"]))
    s.fact(speech.date(sent["sent_at"]), derived=True)
    s.context(row["name"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f'When did our "{row["name"]}" broadcast go out, and to how many people?',
    )
