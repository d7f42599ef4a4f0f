"""The seed generator and its data tables: the Tallyfox account, three servers, a month of mail and events."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from .. import northwind
from .definition import env
from .models import (
    NOW,
    Bounce,
    Message,
    MessageEvent,
    MessageStream,
    SenderSignature,
    SendingDomain,
    Server,
    ServiceClock,
    Suppression,
    Template,
)

PRODUCTION, STAGING, HELP_DESK = "Tallyfox Production", "Tallyfox Staging", "Tallyfox Help Desk"
# Northwind Labs sends its product mail (weekly reports, sign-in alerts) to its own staff from this account too.
NORTHWIND_SERVER, NORTHWIND_SERVER_ID = "Northwind Product Mail", 4
NORTHWIND_FROM = f"Northwind Labs <notifications@{northwind.DOMAIN}>"
# How many of the ticket system's staff (the roster's first) get the product mail, and how their last one fared.
NORTHWIND_STAFF = 60
NORTHWIND_BOUNCES = ("HardBounce",) * 7 + ("SoftBounce", "SoftBounce", "Transient", "SpamComplaint", "SpamComplaint")
RECEIPTS_FROM = "Tallyfox Billing <billing@tallyfox.com>"
HELLO_FROM = "Tallyfox <hello@tallyfox.com>"
NEWS_FROM = "Tallyfox News <news@tallyfox.com>"
SUPPORT_FROM = "Tallyfox Support <help@tallyfox-support.io>"
STAGING_FROM = "Tallyfox Staging <noreply@tallyfox.dev>"
# server id, name, color, track opens, track links
SERVERS = (
    (1, PRODUCTION, "purple", 1, "HtmlAndText"),
    (2, STAGING, "yellow", 0, "None"),
    (3, HELP_DESK, "blue", 1, "None"),
)
# server id, stream id, name, type, description, archived
STREAMS = (
    (1, "outbound", "Default Transactional Stream", "Transactional", "Receipts, resets and account mail", 0),
    (1, "newsletters", "Newsletters", "Broadcasts", "The weekly digest for subscribers", 0),
    (1, "product-updates", "Product Updates", "Broadcasts", "Launch and feature announcements", 0),
    (1, "inbound", "Default Inbound Stream", "Inbound", "Replies to billing@tallyfox.com", 0),
    (2, "outbound", "Default Transactional Stream", "Transactional", "Test sends from the staging app", 0),
    (2, "inbound", "Default Inbound Stream", "Inbound", "", 0),
    (3, "outbound", "Default Transactional Stream", "Transactional", "Ticket replies", 0),
    (3, "inbound", "Default Inbound Stream", "Inbound", "Incoming support email", 0),
    (3, "satisfaction-surveys", "Satisfaction Surveys", "Broadcasts", "Retired survey mailings", 1),
)
# server id, alias, name, subject, text, stream type, fields
TEMPLATES: tuple[tuple[int, str, str, str, str, str, tuple[str, ...]], ...] = (
    (
        1,
        "receipt",
        "Payment receipt",
        "Your Tallyfox receipt {{receipt_number}}",
        "Hi {{name}}, thanks for your payment of {{amount}} for the {{plan}} plan. Receipt {{receipt_number}}.",
        "Transactional",
        ("name", "receipt_number", "amount", "plan"),
    ),
    (
        1,
        "password-reset",
        "Password reset",
        "Reset your Tallyfox password",
        "Hi {{name}}, reset your password here: {{action_url}}. The link works for 24 hours.",
        "Transactional",
        ("name", "action_url"),
    ),
    (
        1,
        "welcome",
        "Welcome",
        "Welcome to Tallyfox, {{name}}",
        "Hi {{name}}, your workspace is ready. Sign in at {{login_url}} to send your first invoice.",
        "Transactional",
        ("name", "login_url"),
    ),
    (
        1,
        "onboarding-tips",
        "Onboarding tips",
        "Three ways to get paid faster",
        "Hi {{name}}, tip {{step}}: turn on automatic reminders so clients pay on time.",
        "Transactional",
        ("name", "step"),
    ),
    (
        1,
        "invoice-reminder",
        "Invoice reminder",
        "Invoice {{invoice_number}} is due {{due_date}}",
        "Hi {{name}}, a reminder that invoice {{invoice_number}} for {{amount}} is due on {{due_date}}.",
        "Transactional",
        ("name", "invoice_number", "amount", "due_date"),
    ),
    (
        1,
        "weekly-digest",
        "Weekly digest",
        "Your Tallyfox week: {{week}}",
        "Hi {{name}}, here is what happened in your workspace during the week of {{week}}.",
        "Broadcasts",
        ("name", "week"),
    ),
    (
        1,
        "spring-promo",
        "Spring promotion",
        "Spring offer: {{discount}} off Tallyfox Pro",
        "Hi {{name}}, upgrade to Pro before April 30 and save {{discount}} with code {{code}}.",
        "Broadcasts",
        ("name", "discount", "code"),
    ),
    (
        2,
        "receipt",
        "Payment receipt (staging)",
        "[STAGING] Receipt {{receipt_number}}",
        "Test receipt {{receipt_number}} for {{name}}.",
        "Transactional",
        ("name", "receipt_number"),
    ),
    (
        3,
        "ticket-reply",
        "Ticket reply",
        "Re: [#{{ticket_number}}] {{ticket_subject}}",
        "Hi {{name}}, {{agent}} replied to your ticket #{{ticket_number}}.",
        "Transactional",
        ("name", "ticket_number", "ticket_subject", "agent"),
    ),
)
PLANS = (("Starter", "$12.00"), ("Growth", "$29.00"), ("Pro", "$59.00"), ("Team", "$99.00"))
CLIENTS = (
    ("Gmail", "Android 14", "Mobile"),
    ("Gmail", "Windows 11", "WebMail"),
    ("Apple Mail", "macOS Sonoma", "Desktop"),
    ("iPhone Mail", "iOS 17", "Mobile"),
    ("Outlook 2021", "Windows 11", "Desktop"),
    ("Yahoo Mail", "Windows 10", "WebMail"),
)
PLACES = (
    ("United States", "Chicago"),
    ("United States", "Austin"),
    ("United States", "Seattle"),
    ("Canada", "Toronto"),
    ("United Kingdom", "London"),
    ("Germany", "Berlin"),
    ("Australia", "Melbourne"),
)
LINKS = ("https://app.tallyfox.com/login", "https://tallyfox.com/blog/get-paid-faster", "https://tallyfox.com/pricing")
HARD = ("smtp;550 5.1.1 The email account that you tried to reach does not exist", "The mailbox no longer exists.")
SOFT = ("smtp;452 4.2.2 The email account that you tried to reach is over quota", "The mailbox is full.")
TRANSIENT = ("smtp;421 4.7.0 Try again later, closing connection", "The server could not deliver the message yet.")
TICKETS = (
    "Invoice PDF not attaching",
    "Change my billing email",
    "Stripe payout delay",
    "Add a team member",
    "Recurring invoice skipped",
    "Tax rate on line items",
)


def stamp(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _people(data: SeedData, n: int) -> list[dict[str, str]]:
    rng, fake = data.rng, data.fake
    hosts = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", *(fake.domain_name() for _ in range(40)))
    seen: set[str] = set()
    people: list[dict[str, str]] = []
    while len(people) < n:
        first, last = fake.first_name(), fake.last_name()
        local = rng.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}{rng.randint(2, 98)}"))
        address = f"{local.lower()}@{rng.choice(hosts)}"
        if address not in seen:
            seen.add(address)
            people.append({"name": f"{first} {last}", "first": first, "address": address})
    return people


class _World:
    """Accumulates rows, then inserts them in bulk; keeps who is inactive on which stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.messages: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.bounces: list[dict[str, Any]] = []
        self.suppressed: dict[tuple[int, str, str], dict[str, Any]] = {}

    def message_id(self) -> str:
        hexes = "0123456789abcdef"
        return "-".join("".join(self.rng.choice(hexes) for _ in range(n)) for n in (8, 4, 4, 4, 12))

    def send(
        self,
        server: int,
        stream: str,
        sender: str,
        person: dict[str, str],
        when: dt.datetime,
        template: tuple[int, str, str, str, str, str, tuple[str, ...]],
        model: dict[str, str],
        tag: str | None,
        meta: dict[str, str],
        *,
        open_rate: float,
        click_rate: float = 0.1,
        complaint_rate: float = 0.0,
    ) -> None:
        address = person["address"]
        if (server, stream, address) in self.suppressed:
            return  # Postmark refused it: the recipient is inactive on this stream
        rng = self.rng
        message_id = self.message_id()
        subject = template[3].replace("{{", "{").replace("}}", "}").format(**model)
        tracked = 1 if server != 2 else 0
        self.messages.append(
            {
                "message_id": message_id,
                "server_id": server,
                "stream_id": stream,
                "sender": sender,
                "to": [f"{person['name']} <{address}>"],
                "cc": [],
                "bcc": [],
                "subject": subject,
                "text_body": None,
                "html_body": None,
                "tag": tag,
                "meta": meta,
                "template_alias": template[1],
                "template_model": model,
                "track_opens": tracked,
                "track_links": "HtmlAndText" if server == 1 else "None",
                "status": "Sent",
                "submitted_at": stamp(when),
            }
        )
        later = when + dt.timedelta(seconds=rng.randint(2, 40))
        roll = rng.random()
        if roll < (0.05 if stream == "outbound" else 0.03) and server != 2:
            kind = rng.choice(("HardBounce", "HardBounce", "SoftBounce", "Transient"))
            description, details = {"HardBounce": HARD, "SoftBounce": SOFT, "Transient": TRANSIENT}[kind][::-1]
            self.bounce(server, stream, address, message_id, tag, subject, kind, details, description, later)
            return
        self.events.append(
            {
                "message_id": message_id,
                "recipient": address,
                "event_type": "Delivered",
                "received_at": stamp(later),
                "details": "smtp;250 2.0.0 OK",
            }
        )
        if tracked and rng.random() < open_rate:
            client, system, platform = rng.choice(CLIENTS)
            country, city = rng.choice(PLACES)
            moment = later
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                moment += dt.timedelta(minutes=rng.randint(3, 1800))
                if moment >= NOW:
                    break
                self.events.append(
                    {
                        "message_id": message_id,
                        "recipient": address,
                        "event_type": "Opened",
                        "received_at": stamp(moment),
                        "client": client,
                        "os": system,
                        "platform": platform,
                        "country": country,
                        "city": city,
                    }
                )
            if rng.random() < click_rate and moment < NOW:
                self.events.append(
                    {
                        "message_id": message_id,
                        "recipient": address,
                        "event_type": "LinkClicked",
                        "received_at": stamp(moment + dt.timedelta(seconds=20)),
                        "client": client,
                        "url": rng.choice(LINKS),
                    }
                )
        if rng.random() < complaint_rate:
            moment = later + dt.timedelta(hours=rng.randint(1, 30))
            if moment < NOW:
                self.bounce(
                    server,
                    stream,
                    address,
                    message_id,
                    tag,
                    subject,
                    "SpamComplaint",
                    "The recipient marked this message as spam.",
                    "Feedback loop report",
                    moment,
                )

    def bounce(
        self,
        server: int,
        stream: str,
        address: str,
        message_id: str,
        tag: str | None,
        subject: str,
        kind: str,
        description: str,
        details: str,
        when: dt.datetime,
    ) -> None:
        inactive = kind in ("HardBounce", "SpamComplaint")
        self.bounces.append(
            {
                "bounce_id": 4_180_000_000 + len(self.bounces) * 37 + 11,
                "server_id": server,
                "stream_id": stream,
                "bounce_type": kind,
                "email": address,
                "message_id": message_id,
                "tag": tag,
                "subject": subject,
                "description": description,
                "details": details,
                "bounced_at": stamp(when),
                "inactive": int(inactive),
                "can_activate": int(kind == "HardBounce"),
            }
        )
        self.events.append(
            {
                "message_id": message_id,
                "recipient": address,
                "event_type": "SpamComplaint" if kind == "SpamComplaint" else "Bounced",
                "received_at": stamp(when),
                "details": f"{kind}: {description}",
            }
        )
        if inactive:
            self.suppressed[(server, stream, address)] = {
                "server_id": server,
                "stream_id": stream,
                "email_address": address,
                "suppression_reason": kind,
                "origin": "Recipient",
                "created_at": stamp(when),
            }


def _template(alias: str, server: int = 1) -> tuple[int, str, str, str, str, str, tuple[str, ...]]:
    return next(t for t in TEMPLATES if t[1] == alias and t[0] == server)


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(6, 22), rng.randint(0, 59), rng.randint(0, 59)))


@env.seed
def seed_postmark(db: Session, data: SeedData) -> None:
    rng = data.rng
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])
    db.execute(
        insert(Server),
        [
            {"server_id": s, "name": n, "color": c, "track_opens": o, "track_links": link}
            for s, n, c, o, link in SERVERS
        ],
    )
    db.execute(
        insert(MessageStream),
        [
            {"server_id": s, "stream_id": i, "name": n, "stream_type": t, "description": d, "archived": a}
            for s, i, n, t, d, a in STREAMS
        ],
    )
    db.execute(
        insert(SendingDomain),
        [
            {
                "domain_id": 1,
                "name": "tallyfox.com",
                "dkim_verified": 1,
                "return_path_verified": 1,
                "return_path_domain": "pm-bounces.tallyfox.com",
            },
            {
                "domain_id": 2,
                "name": "tallyfox.dev",
                "dkim_verified": 0,
                "return_path_verified": 0,
                "return_path_domain": "pm-bounces.tallyfox.dev",
            },
            {
                "domain_id": 3,
                "name": "foxledger.co",
                "dkim_verified": 0,
                "return_path_verified": 1,
                "return_path_domain": "pm-bounces.foxledger.co",
            },
        ],
    )
    db.execute(
        insert(SenderSignature),
        [
            {
                "signature_id": 1,
                "email_address": "help@tallyfox-support.io",
                "name": "Tallyfox Support",
                "reply_to": None,
                "confirmed": 1,
                "created_at": "2024-11-04T10:20:00",
            },
            {
                "signature_id": 2,
                "email_address": "noreply@tallyfox.dev",
                "name": "Tallyfox Staging",
                "reply_to": None,
                "confirmed": 1,
                "created_at": "2025-01-15T08:45:00",
            },
            {
                "signature_id": 3,
                "email_address": "qa@tallyfox.dev",
                "name": "Tallyfox QA",
                "reply_to": None,
                "confirmed": 0,
                "created_at": "2026-04-14T16:02:00",
            },
            {
                "signature_id": 4,
                "email_address": "invoices@foxledger.co",
                "name": "FoxLedger Invoices",
                "reply_to": "accounts@foxledger.co",
                "confirmed": 0,
                "created_at": "2026-04-09T11:30:00",
            },
        ],
    )
    db.execute(
        insert(Template),
        [
            {
                "template_id": 30_100 + i,
                "server_id": s,
                "alias": a,
                "name": n,
                "subject": subj,
                "text_body": text,
                "stream_type": kind,
                "model_fields": list(fields),
                "active": 1,
            }
            for i, (s, a, n, subj, text, kind, fields) in enumerate(TEMPLATES)
        ],
    )

    people = _people(data, 420)
    customers, subscribers = people[:380], people[260:370]
    world = _World(rng)
    start = NOW.date() - dt.timedelta(days=35)
    days = [start + dt.timedelta(days=i) for i in range(36)]
    plan_of = {p["address"]: rng.choice(PLANS) for p in customers}
    signups = rng.sample(customers, 120)
    signup_day = {p["address"]: rng.choice(days[:-1]) for p in signups}
    for day in days:
        for person in rng.sample(customers, rng.randint(5, 10)):  # payments
            plan, amount = plan_of[person["address"]]
            number = f"TF-{rng.randint(100000, 999999)}"
            when = _moment(rng, day)
            if when < NOW:
                world.send(
                    1,
                    "outbound",
                    RECEIPTS_FROM,
                    person,
                    when,
                    _template("receipt"),
                    {"name": person["first"], "receipt_number": number, "amount": amount, "plan": plan},
                    "receipt",
                    {"receipt_number": number},
                    open_rate=0.55,
                )
        for person in rng.sample(customers, rng.randint(2, 5)):
            when = _moment(rng, day)
            if when < NOW:
                world.send(
                    1,
                    "outbound",
                    HELLO_FROM,
                    person,
                    when,
                    _template("password-reset"),
                    {
                        "name": person["first"],
                        "action_url": f"https://app.tallyfox.com/reset/{rng.randint(10**7, 10**8)}",
                    },
                    "password-reset",
                    {},
                    open_rate=0.8,
                    click_rate=0.7,
                )
        for person in rng.sample(customers, rng.randint(3, 6)):
            when = _moment(rng, day)
            number = f"INV-{rng.randint(1000, 9999)}"
            due = (day + dt.timedelta(days=rng.choice((3, 7)))).isoformat()
            if when < NOW:
                world.send(
                    1,
                    "outbound",
                    RECEIPTS_FROM,
                    person,
                    when,
                    _template("invoice-reminder"),
                    {
                        "name": person["first"],
                        "invoice_number": number,
                        "amount": f"${rng.randint(80, 2400)}.00",
                        "due_date": due,
                    },
                    "invoice-reminder",
                    {"invoice_number": number},
                    open_rate=0.6,
                )
        for person in signups:  # onboarding: welcome on signup day, tips on days 2 and 5
            first_day = signup_day[person["address"]]
            for offset, template, step in (
                (0, "welcome", ""),
                (2, "onboarding-tips", "1"),
                (5, "onboarding-tips", "2"),
            ):
                if first_day + dt.timedelta(days=offset) != day:
                    continue
                when = _moment(rng, day)
                if when >= NOW:
                    continue
                model = {"name": person["first"]}
                model.update(
                    {"login_url": "https://app.tallyfox.com/login"} if template == "welcome" else {"step": step}
                )
                world.send(
                    1,
                    "outbound",
                    HELLO_FROM,
                    person,
                    when,
                    _template(template),
                    model,
                    "onboarding",
                    {"signup": first_day.isoformat()},
                    open_rate=0.5,
                    click_rate=0.25,
                )
        if day.weekday() == 0:  # the Monday digest
            week = (day - dt.timedelta(days=7)).strftime("%B %-d")
            for person in subscribers:
                when = dt.datetime.combine(day, dt.time(9, 0)) + dt.timedelta(seconds=rng.randint(0, 900))
                world.send(
                    1,
                    "newsletters",
                    NEWS_FROM,
                    person,
                    when,
                    _template("weekly-digest"),
                    {"name": person["first"], "week": week},
                    "weekly-digest",
                    {},
                    open_rate=0.35,
                    complaint_rate=0.008,
                )
        if day.isoformat() == "2026-04-02":
            for person in rng.sample(people, 100):
                when = dt.datetime.combine(day, dt.time(16, 0)) + dt.timedelta(seconds=rng.randint(0, 600))
                world.send(
                    1,
                    "product-updates",
                    NEWS_FROM,
                    person,
                    when,
                    _template("spring-promo"),
                    {"name": person["first"], "discount": "20%", "code": "SPRING20"},
                    "spring-promo",
                    {},
                    open_rate=0.3,
                    complaint_rate=0.01,
                )
        for person in rng.sample(people, rng.randint(2, 5)):  # help desk replies
            when = _moment(rng, day)
            ticket = str(rng.randint(20000, 29999))
            if when < NOW:
                world.send(
                    3,
                    "outbound",
                    SUPPORT_FROM,
                    person,
                    when,
                    _template("ticket-reply", 3),
                    {
                        "name": person["first"],
                        "ticket_number": ticket,
                        "ticket_subject": rng.choice(TICKETS),
                        "agent": rng.choice(("Priya", "Marcus", "Elena", "Tom")),
                    },
                    "ticket-reply",
                    {"ticket": ticket},
                    open_rate=0.6,
                )
        for _ in range(rng.randint(0, 3)):  # staging test sends
            when = _moment(rng, day)
            qa = {"name": "QA Inbox", "first": "QA", "address": rng.choice(("qa@tallyfox.com", "dev@tallyfox.com"))}
            if when < NOW:
                world.send(
                    2,
                    "outbound",
                    STAGING_FROM,
                    qa,
                    when,
                    _template("receipt", 2),
                    {"name": "QA", "receipt_number": f"TEST-{rng.randint(100, 999)}"},
                    "staging-test",
                    {},
                    open_rate=0.0,
                )
    for person in rng.sample(subscribers, 6):  # readers who unsubscribed from the digest
        key = (1, "newsletters", person["address"])
        world.suppressed.setdefault(
            key,
            {
                "server_id": 1,
                "stream_id": "newsletters",
                "email_address": person["address"],
                "suppression_reason": "ManualSuppression",
                "origin": "Recipient",
                "created_at": stamp(_moment(rng, rng.choice(days[:-1]))),
            },
        )
    _northwind(db, world, data.seed)
    db.execute(insert(Message), world.messages)
    db.execute(insert(MessageEvent), [{"event_id": i + 1, **e} for i, e in enumerate(world.events)])
    db.execute(insert(Bounce), world.bounces)
    db.execute(insert(Suppression), list(world.suppressed.values()))


def _northwind(db: Session, world: _World, seed: int) -> None:
    """Northwind Labs' product server: a weekly report to each of its staff, some of whose mailboxes bounced it
    (gone in the mailbox migration, full, or marking it as spam). Drawn last, so that every row above stays as it
    was; the staff are the ticket system's, read from the shared roster."""
    rng = world.rng
    db.execute(insert(Server), [{"server_id": NORTHWIND_SERVER_ID, "name": NORTHWIND_SERVER, "color": "green",
                                 "track_opens": 0, "track_links": "None"}])  # fmt: skip
    db.execute(
        insert(MessageStream),
        [
            {"server_id": NORTHWIND_SERVER_ID, "stream_id": "outbound", "name": "Default Transactional Stream",
             "stream_type": "Transactional", "description": "Weekly reports and sign-in alerts", "archived": 0},
        ],
    )  # fmt: skip
    db.execute(insert(SendingDomain), [{"domain_id": 4, "name": northwind.DOMAIN, "dkim_verified": 1,
                                        "return_path_verified": 1,
                                        "return_path_domain": f"pm-bounces.{northwind.DOMAIN}"}])  # fmt: skip
    staff = northwind.roster(seed, NORTHWIND_STAFF)
    bounced = dict(zip(rng.sample(range(len(staff)), len(NORTHWIND_BOUNCES)), NORTHWIND_BOUNCES, strict=True))
    sent_at = dt.datetime.combine(NOW.date() - dt.timedelta(days=NOW.weekday()), dt.time(7, 0))  # this Monday
    for position, (first, last) in enumerate(staff):
        address = northwind.work_address(first, last)
        when = sent_at + dt.timedelta(seconds=rng.randint(0, 900))
        message_id = world.message_id()
        subject = "Your Northwind weekly report"
        world.messages.append(
            {"message_id": message_id, "server_id": NORTHWIND_SERVER_ID, "stream_id": "outbound",
             "sender": NORTHWIND_FROM, "to": [f"{first} {last} <{address}>"], "cc": [], "bcc": [], "subject": subject,
             "text_body": f"Hi {first}, here is your week at Northwind.", "html_body": None, "tag": "weekly-report",
             "meta": {}, "template_alias": None, "template_model": None, "track_opens": 0, "track_links": "None",
             "status": "Sent", "submitted_at": stamp(when)}
        )  # fmt: skip
        later = when + dt.timedelta(seconds=rng.randint(2, 40))
        kind = bounced.get(position)
        if kind is None:
            world.events.append({"message_id": message_id, "recipient": address, "event_type": "Delivered",
                                 "received_at": stamp(later), "details": "smtp;250 2.0.0 OK"})  # fmt: skip
            continue
        if kind == "SpamComplaint":
            description, details = "The recipient marked this message as spam.", "Feedback loop report"
            later += dt.timedelta(hours=rng.randint(1, 30))
        else:
            description, details = {"HardBounce": HARD, "SoftBounce": SOFT, "Transient": TRANSIENT}[kind]
        world.bounce(NORTHWIND_SERVER_ID, "outbound", address, message_id, "weekly-report", subject, kind,
                     description, details, later)  # fmt: skip
