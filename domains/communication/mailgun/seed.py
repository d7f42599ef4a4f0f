"""The seed generator and its data tables: the Brightlane account, its domains, a month of mail and events."""

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
    Account,
    AllowlistEntry,
    AuthorizedRecipient,
    Bounce,
    Complaint,
    DnsRecord,
    Domain,
    EmailDomainInfo,
    Event,
    ListMember,
    MailingList,
    Message,
    ServiceClock,
    Template,
    TemplateVersion,
    Unsubscribe,
)

TRANSACTIONAL = "mg.brightlane.io"
NEWS = "news.brightlane.io"
SUPPORT = "support.brightlane.io"
EU = "eu.brightlane.io"
SANDBOX = "sandbox4f8a2c91d7e64b0a.mailgun.org"
# name, state, sandbox, region, created, DKIM published, SPF published
DOMAINS: tuple[tuple[str, str, int, str, str, int, int], ...] = (
    (TRANSACTIONAL, "active", 0, "us", "2024-05-02T10:12:00", 1, 1),
    (NEWS, "active", 0, "us", "2024-09-18T15:40:00", 1, 1),
    (SUPPORT, "unverified", 0, "us", "2026-02-27T09:05:00", 0, 1),  # the DKIM key was never published
    (EU, "unverified", 0, "eu", "2026-03-09T11:30:00", 1, 1),  # published, not checked since
    (SANDBOX, "active", 1, "us", "2024-05-01T08:00:00", 1, 1),
)
POPULAR = (
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "hotmail.com",
    "icloud.com",
    "aol.com",
    "protonmail.com",
    "comcast.net",
)
DISPOSABLE = ("mailinator.com", "guerrillamail.com", "10minutemail.com", "yopmail.com", "trashmail.com", "tempmail.dev")
DEAD_DOMAINS = ("oldmail-service.net", "brightwave-consulting.biz")  # no MX records any more
# template name, domain, description, subject, body, variables
TEMPLATES: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    (
        "password-reset",
        TRANSACTIONAL,
        "Password reset link",
        "Reset your Brightlane password",
        "<p>Hi {{first_name}},</p><p>Reset your password here: {{reset_link}}. The link expires in one hour.</p>",
        ("first_name", "reset_link"),
    ),
    (
        "order-confirmation",
        TRANSACTIONAL,
        "Order placed",
        "Your Brightlane order {{order_number}}",
        "<p>Thanks {{first_name}}! We received order {{order_number}} and will email you when it ships.</p>",
        ("first_name", "order_number"),
    ),
    (
        "shipping-update",
        TRANSACTIONAL,
        "Order shipped",
        "Order {{order_number}} is on its way",
        "<p>Hi {{first_name}}, order {{order_number}} has shipped. Track it: {{tracking_url}}</p>",
        ("first_name", "order_number", "tracking_url"),
    ),
    (
        "welcome",
        TRANSACTIONAL,
        "Welcome after signup",
        "Welcome to Brightlane",
        "<p>Welcome aboard, {{first_name}}! Your workspace is ready.</p>",
        ("first_name",),
    ),
    (
        "invoice-receipt",
        TRANSACTIONAL,
        "Monthly invoice receipt",
        "Your Brightlane receipt for {{month}}",
        "<p>Hi {{first_name}}, your payment for {{month}} went through. Amount: {{amount}}.</p>",
        ("first_name", "month", "amount"),
    ),
    (
        "weekly-digest",
        NEWS,
        "Tuesday newsletter",
        "This week at Brightlane",
        "<h1>This week at Brightlane</h1><p>Hi {{first_name}}, here is what is new.</p>",
        ("first_name",),
    ),
    (
        "spring-sale",
        NEWS,
        "Seasonal promotion",
        "Spring sale: 30% off annual plans",
        "<p>{{first_name}}, save 30% on annual plans until March 20.</p>",
        ("first_name",),
    ),
)
LISTS = (
    ("newsletter@news.brightlane.io", "Newsletter", "Weekly digest readers", "readonly", 150),
    ("beta@news.brightlane.io", "Beta testers", "Early access program", "members", 40),
    ("partners@news.brightlane.io", "Partners", "Agency and reseller partners", "readonly", 25),
)
BOUNCE_ERRORS = (
    ("550", "5.1.1 The email account that you tried to reach does not exist."),
    ("552", "5.2.2 The recipient's mailbox is full and can't accept messages now."),
    ("550", "5.7.1 Message rejected by the recipient's spam policy."),
    ("554", "5.7.1 Relay access denied."),
)
TEMPORARY_ERRORS = (
    (421, "4.7.0 Temporary server error. Please try again later."),
    (452, "4.2.2 Mailbox full; try again later."),
)
SUPPRESS = {
    "suppress-bounce": "Not delivering to previously bounced address",
    "suppress-unsubscribe": "Not delivering to unsubscribed address",
    "suppress-complaint": "Not delivering to a user who marked your messages as spam",
}
LINKS = (
    "https://brightlane.io/blog",
    "https://brightlane.io/pricing",
    "https://app.brightlane.io/login",
    "https://brightlane.io/changelog",
)


def stamp(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


class _Ids:
    """Deterministic ids for seeded messages and events."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.events = 0

    def message(self, sent: dt.datetime, domain: str) -> str:
        token = "".join(self.rng.choice("abcdef0123456789") for _ in range(12))
        return f"<{sent:%Y%m%d%H%M%S}.{token}@{domain}>"

    def event(self) -> str:
        self.events += 1
        return "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789") for _ in range(16))


def _people(data: SeedData, n: int) -> list[dict[str, str]]:
    rng, fake = data.rng, data.fake
    companies = [fake.domain_name() for _ in range(30)]
    seen: set[str] = set()
    people: list[dict[str, str]] = []
    while len(people) < n:
        first, last = fake.first_name(), fake.last_name()
        host = rng.choice(POPULAR[:6] * 3 + tuple(companies))
        local = rng.choice(
            (f"{first}.{last}", f"{first}{last[0]}", f"{first[0]}{last}", f"{first}{rng.randint(1, 99)}")
        )
        address = f"{local.lower()}@{host}"
        if address in seen:
            continue
        seen.add(address)
        people.append({"first_name": first, "name": f"{first} {last}", "address": address})
    return people


@env.seed
def seed_mailgun(db: Session, data: SeedData) -> None:
    rng = data.rng
    ids = _Ids(rng)
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])
    db.execute(
        insert(Account),
        [
            {
                "account_id": "ACC7731",
                "company": "Brightlane Inc.",
                "owner_email": "dev@brightlane.io",
                "plan": "Basic",
                "daily_limit": 1000,
            }
        ],
    )
    db.execute(
        insert(Domain),
        [
            {
                "name": name,
                "state": state,
                "is_sandbox": sandbox,
                "region": region,
                "created_at": created,
                "spam_action": "disabled",
                "last_checked_at": created,
            }
            for name, state, sandbox, region, created, _dkim, _spf in DOMAINS
        ],
    )
    db.execute(insert(DnsRecord), _records(rng, DOMAINS))
    db.execute(
        insert(AuthorizedRecipient),
        [
            {"domain": SANDBOX, "address": "dev@brightlane.io", "activated": 1},
            {"domain": SANDBOX, "address": "qa@brightlane.io", "activated": 1},
            {"domain": SANDBOX, "address": "maya.lopez@brightlane.io", "activated": 0},
        ],
    )
    db.execute(
        insert(EmailDomainInfo),
        [
            *({"domain": d, "has_mx": 1, "disposable": 0, "popular": 1} for d in POPULAR),
            *({"domain": d, "has_mx": 1, "disposable": 1, "popular": 0} for d in DISPOSABLE),
            *({"domain": d, "has_mx": 0, "disposable": 0, "popular": 0} for d in DEAD_DOMAINS),
            {"domain": "brightlane.io", "has_mx": 1, "disposable": 0, "popular": 0},
        ],
    )

    people = _people(data, 420)
    for person in people:
        host = person["address"].split("@")[1]
        if host not in POPULAR and host not in DEAD_DOMAINS:
            db.merge(EmailDomainInfo(domain=host, has_mx=1, disposable=0, popular=0))
    db.flush()
    _templates(db, rng)
    world = _World(db, rng, ids)
    _transactional(world, people[:260])
    _newsletters(world, people[200:])
    world.flush()
    db.execute(
        insert(AllowlistEntry),
        [
            {
                "domain": TRANSACTIONAL,
                "value": "brightlane.io",
                "kind": "domain",
                "reason": "Our own staff mailboxes",
                "created_at": "2024-05-03T09:00:00",
            },
            {
                "domain": NEWS,
                "value": "qa@brightlane.io",
                "kind": "address",
                "reason": "QA inbox receives every campaign",
                "created_at": "2024-09-20T12:00:00",
            },
        ],
    )
    _northwind(db, rng)


def _northwind(db: Session, rng: random.Random) -> None:
    """Northwind Labs' new sending domains, on this account too (drawn last, so every row above stays as it was):
    the platform team published their records, the second one's DKIM key to the wrong host; none checked since."""
    first, second = northwind.MAILGUN_DOMAINS
    domains = (
        (first, "unverified", 0, "us", "2026-03-10T10:05:00", 1, 1),
        (second, "unverified", 0, "us", "2026-03-10T10:20:00", 0, 1),
    )
    db.execute(
        insert(Domain),
        [
            {"name": name, "state": state, "is_sandbox": sandbox, "region": region, "created_at": created,
             "spam_action": "disabled", "last_checked_at": created}
            for name, state, sandbox, region, created, _dkim, _spf in domains
        ],
    )  # fmt: skip
    db.execute(insert(DnsRecord), _records(rng, domains))


def _records(rng: random.Random, domains: tuple[tuple[str, str, int, str, str, int, int], ...]) -> list[dict[str, Any]]:
    """The DNS records Mailgun asks each domain's owner to publish, as published and as last checked."""
    records: list[dict[str, Any]] = []
    for name, state, _sandbox, region, _created, dkim, spf in domains:
        mx_host = "mxa.eu.mailgun.org" if region == "eu" else "mxa.mailgun.org"
        live = state == "active"
        checked = live or name == SUPPORT  # the support domain was checked once: its SPF passed, DKIM is missing
        for purpose, kind, record_type, host, value, published in (
            ("sending", "SPF", "TXT", name, "v=spf1 include:mailgun.org ~all", spf),
            (
                "sending",
                "DKIM",
                "TXT",
                f"k1._domainkey.{name}",
                "k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC"
                + "".join(
                    rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(24)
                ),
                dkim,
            ),
            ("receiving", "MX", "MX", name, f"10 {mx_host}", 1 if live else spf),
            ("tracking", "CNAME", "CNAME", f"email.{name}", "mailgun.org", 1 if live else 0),
        ):
            records.append(
                {
                    "domain": name,
                    "purpose": purpose,
                    "kind": kind,
                    "record_type": record_type,
                    "host": host,
                    "value": value,
                    "published": published,
                    "valid": int(checked and published),
                }
            )
    return records


def _templates(db: Session, rng: random.Random) -> None:
    templates, versions = [], []
    for index, (name, domain, description, subject, body, _vars) in enumerate(TEMPLATES):
        created = dt.datetime(2025, 1, 6, 10) + dt.timedelta(days=17 * index)
        templates.append({"domain": domain, "name": name, "description": description, "created_at": stamp(created)})
        tags = ["initial"] + (["v2"] if index % 2 == 0 else []) + (["2026-redesign"] if index % 3 == 0 else [])
        for number, tag in enumerate(tags):
            versions.append(
                {
                    "domain": domain,
                    "template_name": name,
                    "tag": tag,
                    "subject": subject,
                    "template": body
                    if number == len(tags) - 1
                    else body.replace("<p>", "<p style='font:14px Arial'>", 1),
                    "engine": "handlebars",
                    "comment": ("First version", "Shorter copy", "New brand colors")[number],
                    "active": int(number == len(tags) - 1),
                    "created_at": stamp(created + dt.timedelta(days=40 * number + rng.randint(0, 9))),
                }
            )
    db.execute(insert(Template), templates)
    db.execute(insert(TemplateVersion), versions)


class _World:
    """Collects messages, events and suppressions as the month of mail is played out."""

    def __init__(self, db: Session, rng: random.Random, ids: _Ids) -> None:
        self.db, self.rng, self.ids = db, rng, ids
        self.messages: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.bounces: dict[tuple[str, str], dict[str, Any]] = {}
        self.unsubscribes: dict[tuple[str, str], dict[str, Any]] = {}
        self.complaints: dict[tuple[str, str], dict[str, Any]] = {}

    def message(self, domain: str, sent: dt.datetime, **values: Any) -> str:
        message_id = self.ids.message(sent, domain)
        row = {
            "message_id": message_id,
            "domain": domain,
            "cc": [],
            "bcc": [],
            "text": None,
            "html": None,
            "from_mime": 0,
            "template_version": None,
            "testmode": 0,
            "deliver_at": None,
            "created_at": stamp(sent),
        }
        self.messages.append(row | values)
        return message_id

    def event(self, kind: str, domain: str, message_id: str, recipient: str, at: dt.datetime, **extra: Any) -> None:
        self.events.append(
            {
                "event_id": self.ids.event(),
                "timestamp": stamp(at),
                "event": kind,
                "domain": domain,
                "message_id": message_id,
                "recipient": recipient,
                "severity": None,
                "reason": None,
                "delivery_code": None,
                "delivery_message": None,
                "url": None,
            }
            | extra
        )

    def suppressed(self, domain: str, address: str, tags: list[str]) -> str | None:
        if (domain, address) in self.bounces:
            return "suppress-bounce"
        if (domain, address) in self.complaints:
            return "suppress-complaint"
        unsub = self.unsubscribes.get((domain, address))
        if unsub and ("*" in unsub["tags"] or set(unsub["tags"]) & set(tags)):
            return "suppress-unsubscribe"
        return None

    def deliver(
        self,
        domain: str,
        message_id: str,
        recipient: str,
        sent: dt.datetime,
        tags: list[str],
        open_rate: float,
        links: bool,
    ) -> None:
        """Play one recipient's fate: accepted, then dropped, bounced, deferred or delivered and maybe read."""
        rng = self.rng
        self.event("accepted", domain, message_id, recipient, sent)
        reason = self.suppressed(domain, recipient, tags)
        if reason:
            self.event(
                "failed",
                domain,
                message_id,
                recipient,
                sent + dt.timedelta(seconds=1),
                severity="permanent",
                reason=reason,
                delivery_code=605,
                delivery_message=SUPPRESS[reason],
            )
            return
        at = sent + dt.timedelta(seconds=rng.randint(2, 40))
        roll = rng.random()
        if roll < 0.035:
            code, error = rng.choice(BOUNCE_ERRORS)
            self.event(
                "failed",
                domain,
                message_id,
                recipient,
                at,
                severity="permanent",
                reason="bounce",
                delivery_code=int(code),
                delivery_message=error,
            )
            self.bounces[(domain, recipient)] = {
                "domain": domain,
                "address": recipient,
                "code": code,
                "error": error,
                "created_at": stamp(at),
            }
            return
        if roll < 0.06:
            code_t, error_t = rng.choice(TEMPORARY_ERRORS)
            self.event(
                "failed",
                domain,
                message_id,
                recipient,
                at,
                severity="temporary",
                reason="generic",
                delivery_code=code_t,
                delivery_message=error_t,
            )
            at += dt.timedelta(minutes=rng.randint(10, 90))
        if at > NOW:
            return
        self.event("delivered", domain, message_id, recipient, at, delivery_code=250, delivery_message="OK")
        if rng.random() >= open_rate:
            return
        opened = at + dt.timedelta(minutes=rng.randint(2, 1500))
        if opened > NOW:
            return
        self.event("opened", domain, message_id, recipient, opened)
        if rng.random() < 0.25:
            self.event("opened", domain, message_id, recipient, opened + dt.timedelta(minutes=rng.randint(5, 200)))
        if links and rng.random() < 0.3:
            self.event(
                "clicked",
                domain,
                message_id,
                recipient,
                opened + dt.timedelta(seconds=rng.randint(5, 300)),
                url=rng.choice(LINKS),
            )
        if domain == NEWS and rng.random() < 0.02:
            self.event("unsubscribed", domain, message_id, recipient, opened + dt.timedelta(minutes=1))
            scope = ["*"] if rng.random() < 0.5 else list(tags[:1])
            self.unsubscribes[(domain, recipient)] = {
                "domain": domain,
                "address": recipient,
                "tags": scope,
                "created_at": stamp(opened + dt.timedelta(minutes=1)),
            }
        elif rng.random() < 0.012:
            self.event("complained", domain, message_id, recipient, opened + dt.timedelta(minutes=3))
            self.complaints[(domain, recipient)] = {
                "domain": domain,
                "address": recipient,
                "created_at": stamp(opened + dt.timedelta(minutes=3)),
            }

    def flush(self) -> None:
        self.db.execute(insert(Message), self.messages)
        self.events.sort(key=lambda e: (e["timestamp"], e["event_id"]))
        self.db.execute(insert(Event), self.events)
        for model, rows in ((Bounce, self.bounces), (Unsubscribe, self.unsubscribes), (Complaint, self.complaints)):
            if rows:
                self.db.execute(insert(model), [rows[k] for k in sorted(rows)])


def _transactional(world: _World, people: list[dict[str, str]]) -> None:
    rng = world.rng
    # Older bounces from before the month shown: these addresses are now suppressed on the transactional domain.
    for person in people[:14]:
        code, error = rng.choice(BOUNCE_ERRORS[:2])
        when = dt.datetime(2025, 10, 1) + dt.timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1400))
        world.bounces[(TRANSACTIONAL, person["address"])] = {
            "domain": TRANSACTIONAL,
            "address": person["address"],
            "code": code,
            "error": error,
            "created_at": stamp(when),
        }
    start = NOW - dt.timedelta(days=30)
    sends: list[tuple[dt.datetime, dict[str, str], str]] = []
    for person in people[:14]:  # each of them asked for a password reset yesterday and never got it
        when = (
            NOW.replace(hour=0, minute=0, second=0)
            - dt.timedelta(days=1)
            + dt.timedelta(minutes=rng.randint(300, 1300))
        )
        sends.append((when, person, "password-reset"))
    kinds = (
        "password-reset",
        "order-confirmation",
        "order-confirmation",
        "shipping-update",
        "welcome",
        "invoice-receipt",
    )
    for _ in range(360):
        when = start + dt.timedelta(minutes=rng.randint(0, 30 * 24 * 60 - 60))
        person = rng.choice(people[14:])
        sends.append((when, person, rng.choice(kinds)))
    sends.sort(key=lambda s: (s[0], s[1]["address"]))
    by_name = {t[0]: t for t in TEMPLATES}
    for when, person, kind in sends:
        _, _, _, subject, _, names = by_name[kind]
        order = f"BL-{rng.randint(100000, 999999)}"
        token = "".join(rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(10))
        values = {
            "first_name": person["first_name"],
            "order_number": order,
            "reset_link": f"https://app.brightlane.io/reset?token={token}",
            "tracking_url": f"https://track.brightlane.io/{order}",
            "month": f"{when:%B}",
            "amount": f"${rng.choice((19, 49, 99, 249))}.00",
        }
        variables = {k: values[k] for k in names}
        for key, value in variables.items():
            subject = subject.replace("{{" + key + "}}", value)
        tags = [kind]
        message_id = world.message(
            TRANSACTIONAL,
            when,
            sender="Brightlane <no-reply@mg.brightlane.io>",
            recipients=[person["address"]],
            subject=subject,
            template=kind,
            tags=tags,
            variables=variables,
        )
        world.deliver(TRANSACTIONAL, message_id, person["address"], when, tags, 0.55, kind != "invoice-receipt")


def _newsletters(world: _World, people: list[dict[str, str]]) -> None:
    rng = world.rng
    members: dict[str, list[dict[str, Any]]] = {}
    rows: list[dict[str, Any]] = []
    for address, _name, _description, _access, size in LISTS:
        chosen = people[:size] if address.startswith("newsletter") else rng.sample(people, size)
        members[address] = []
        for person in chosen:
            member = {
                "list_address": address,
                "address": person["address"],
                "name": person["name"],
                "subscribed": 1,
                "vars": {"first_name": person["first_name"]},
            }
            members[address].append(member)
            rows.append(member)
    world.db.execute(
        insert(MailingList),
        [
            {"address": a, "name": n, "description": d, "access_level": lvl, "created_at": "2024-09-20T10:00:00"}
            for a, n, d, lvl, _size in LISTS
        ],
    )
    campaigns: list[tuple[dt.datetime, str, str, str]] = []
    tuesday = dt.datetime(2026, 2, 10, 15, 0)
    while tuesday < NOW:
        campaigns.append((tuesday, "newsletter@news.brightlane.io", "weekly-digest", "This week at Brightlane"))
        tuesday += dt.timedelta(days=7)
    campaigns.append(
        (
            dt.datetime(2026, 3, 5, 16, 30),
            "newsletter@news.brightlane.io",
            "spring-sale",
            "Spring sale: 30% off annual plans",
        )
    )
    campaigns.append(
        (
            dt.datetime(2026, 2, 24, 17, 0),
            "beta@news.brightlane.io",
            "beta-invite",
            "You're in: early access to Brightlane Boards",
        )
    )
    campaigns.sort()
    for when, list_address, tag, subject in campaigns:
        tags = [tag, "newsletter"] if list_address.startswith("newsletter") else [tag]
        template = tag if tag in ("weekly-digest", "spring-sale") else None
        message_id = world.message(
            NEWS,
            when,
            sender="Brightlane News <news@news.brightlane.io>",
            recipients=[list_address],
            subject=subject,
            template=template,
            tags=tags,
            variables={},
            text=None if template else "Hi! Early access starts today.",
        )
        for member in members[list_address]:
            if member["subscribed"]:
                world.deliver(
                    NEWS,
                    message_id,
                    member["address"],
                    when + dt.timedelta(seconds=rng.randint(0, 600)),
                    tags,
                    0.42,
                    True,
                )
                if (NEWS, member["address"]) in world.unsubscribes and list_address.startswith("newsletter"):
                    member["subscribed"] = 0
    for member in rows[::23]:
        member["subscribed"] = 0  # people who left the list from the preference page
    world.db.execute(insert(ListMember), rows)
