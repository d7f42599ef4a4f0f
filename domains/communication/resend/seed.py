"""The seeded generator and its data tables: the Ledgerly team's Resend account.

Ledgerly is a small invoicing app; Maya Okafor, its developer, owns the Resend team on the free plan (100 emails
a day, 3,000 a month). Seven domains in four regions and every verification state, six API keys, some 1,500
emails over the last month (invoices, payment reminders, receipts, password resets, welcome emails and a few
announcements) with their last events, a couple of dozen emails still scheduled, four audiences of customers
and beta testers (some unsubscribed) and the broadcasts sent to them.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from .definition import env
from .models import NOW, ApiKey, Audience, Broadcast, Contact, Domain, Email, ServiceClock, Team
from .rules import stamp

HEX = "0123456789abcdef"
OWNER = "maya.okafor@ledgerly.io"
# name, status, region, age in days
DOMAINS = (
    ("ledgerly.io", "verified", "us-east-1", 410),
    ("mail.ledgerly.io", "verified", "us-east-1", 300),
    ("ledgerly.eu", "verified", "eu-west-1", 190),
    ("ledgerly.com.br", "pending", "sa-east-1", 2),
    ("ledgerly.jp", "not_started", "ap-northeast-1", 6),
    ("getledgerly.com", "failed", "us-east-1", 40),
    ("ledgerly-status.com", "temporary_failure", "us-east-1", 25),
)
# name, permission, domain it is limited to
API_KEYS = (
    ("Production", "full_access", None),
    ("Billing worker", "sending_access", "ledgerly.io"),
    ("Marketing site", "sending_access", "mail.ledgerly.io"),
    ("EU app", "sending_access", "ledgerly.eu"),
    ("CI tests", "sending_access", None),
    ("Staging", "full_access", None),
)
BILLING = "Ledgerly Billing <billing@ledgerly.io>"
EU_BILLING = "Ledgerly Billing <billing@ledgerly.eu>"
NOREPLY = "Ledgerly <noreply@ledgerly.io>"
MAYA = "Maya from Ledgerly <maya@mail.ledgerly.io>"
# kind, weight
KINDS = (("invoice", 30), ("receipt", 20), ("reminder", 16), ("password", 12), ("welcome", 10), ("login", 12))
PAST_EVENTS = (("delivered", 64), ("opened", 14), ("clicked", 6), ("bounced", 6), ("complained", 1),
               ("delivery_delayed", 1), ("sent", 1))  # fmt: skip
ANNOUNCEMENTS = (
    ("Ledgerly changelog: recurring invoices are here", 1, 10),
    ("Your Q4 tax checklist from Ledgerly", 3, 14),
    ("Join our year-end close webinar", 5, 16),
    ("Ledgerly partner update for December", 8, 9),
    ("Holiday support hours at Ledgerly", 12, 8),
)
AUDIENCES = (("Customers", 180, 0.08, 300), ("Beta testers", 64, 0.16, 120), ("Partners", 22, 0.05, 200),
             ("Webinar signups", 45, 0.2, 30))  # fmt: skip
BROADCASTS = (
    ("October product update", "Customers", "What's new in Ledgerly this October", 33),
    ("Beta: multi-currency invoices", "Beta testers", "Try multi-currency invoices before anyone else", 21),
    ("Partner newsletter Q3", "Partners", "Ledgerly partner newsletter", 47),
    ("Webinar reminder", "Webinar signups", "Our year-end close webinar starts tomorrow", 12),
)


def _uuid(rng: object) -> str:
    return "-".join("".join(rng.choice(HEX) for _ in range(n)) for n in (8, 4, 4, 4, 12))  # type: ignore[attr-defined]


@env.seed
def seed_resend(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])
    db.execute(insert(Team), [{"team_id": 1, "name": "Ledgerly", "owner_email": OWNER, "plan": "free",
                               "daily_quota": 100, "monthly_quota": 3000}])  # fmt: skip
    domain_ids: dict[str, str] = {}
    rows = []
    for name, status, region, age in DOMAINS:
        domain_ids[name] = _uuid(rng)
        rows.append({"domain_id": domain_ids[name], "name": name, "status": status, "region": region,
                     "dkim_key": "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl0123456789")
                                         for _ in range(32)),
                     "created_at": stamp(NOW - dt.timedelta(days=age, minutes=rng.randint(0, 900)))})  # fmt: skip
    db.execute(insert(Domain), rows)
    db.execute(insert(ApiKey), [
        {"api_key_id": _uuid(rng), "name": name, "permission": permission,
         "domain_id": domain_ids[domain] if domain else None,
         "created_at": stamp(NOW - dt.timedelta(days=20 + 37 * i, minutes=rng.randint(0, 900)))}
        for i, (name, permission, domain) in enumerate(API_KEYS)
    ])  # fmt: skip

    customers = []
    used: set[str] = set()
    while len(customers) < 320:
        first, last = fake.first_name(), fake.last_name()
        company = fake.company().replace(",", "")
        domain = fake.free_email_domain() if rng.random() < 0.35 else fake.domain_name()
        address = f"{first}.{last}@{domain}".lower().replace("'", "").replace(" ", "")
        if address in used:
            continue
        used.add(address)
        customers.append((first, last, company, address, rng.random() < 0.15))

    emails: list[dict[str, object]] = []
    invoice_number = 3100

    def add(sender: str, to: str, subject: str, text: str, created: dt.datetime, event: str,
            scheduled: dt.datetime | None = None, tags: tuple[tuple[str, str], ...] = (),
            attachments: str = "") -> None:  # fmt: skip
        emails.append({
            "email_id": _uuid(rng), "from_address": sender, "to": to, "cc": "", "bcc": "", "reply_to": "",
            "subject": subject, "text": text, "html": None,
            "tags": json.dumps([{"name": k, "value": v} for k, v in tags]), "headers": "{}",
            "attachments": attachments, "created_at": stamp(created),
            "scheduled_at": stamp(scheduled) if scheduled else None, "last_event": event,
        })  # fmt: skip

    start = NOW - dt.timedelta(days=30)
    kinds = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    events = [e for e, _ in PAST_EVENTS]
    event_weights = [w for _, w in PAST_EVENTS]
    minute = 0
    total_minutes = int((NOW - start).total_seconds() // 60)
    reminded: set[str] = set()
    while True:
        minute += rng.randint(5, 52)
        if minute >= total_minutes:
            break
        created = start + dt.timedelta(minutes=minute)
        first, last, company, address, eu = rng.choice(customers)
        kind = rng.choices(kinds, weights)[0]
        age = NOW - created
        event = rng.choices(events, event_weights)[0]
        if age < dt.timedelta(minutes=3):
            event = "queued"
        elif age < dt.timedelta(hours=2) and event in ("opened", "clicked"):
            event = "delivered"
        billing = EU_BILLING if eu else BILLING
        amount = f"${rng.randint(40, 4800)}.{rng.randint(0, 99):02d}"
        due = (created + dt.timedelta(days=14)).strftime("%B %-d")
        if kind == "invoice":
            invoice_number += 1
            number = f"INV-{invoice_number}"
            add(billing, address, f"Invoice {number} from {company}",
                f"Hi {first}, your invoice {number} for {amount} is attached. It is due on {due}.", created, event,
                tags=(("category", "invoice"), ("invoice", number)), attachments=f"{number}.pdf")  # fmt: skip
            if rng.random() < 0.12 and address not in reminded and age < dt.timedelta(days=16):
                reminded.add(address)
                when = (created + dt.timedelta(days=14)).replace(hour=rng.choice((8, 9, 10, 14)), minute=0, second=0)
                if when > NOW:
                    add(billing, address, f"Reminder: invoice {number} is due soon",
                        f"Hi {first}, a friendly reminder that invoice {number} for {amount} is due on {due}.",
                        created, "scheduled", scheduled=when, tags=(("category", "reminder"), ("invoice", number)))
        elif kind == "receipt":
            invoice_number += 1
            add(billing, address, f"Payment received for INV-{invoice_number}",
                f"Thanks {first}, we received your payment of {amount}.", created, event,
                tags=(("category", "receipt"),))  # fmt: skip
        elif kind == "reminder":
            invoice_number += 1
            add(billing, address, f"Reminder: invoice INV-{invoice_number} is overdue",
                f"Hi {first}, invoice INV-{invoice_number} for {amount} is now past due.", created, event,
                tags=(("category", "reminder"),))  # fmt: skip
        elif kind == "password":
            add(NOREPLY, address, "Reset your Ledgerly password",
                f"Hi {first}, use the link in this email within 30 minutes to reset your password.", created, event)
        elif kind == "login":
            add(NOREPLY, address, "Your Ledgerly sign-in code",
                f"Your sign-in code is {rng.randint(100000, 999999)}. It expires in 10 minutes.", created, event)
        else:
            add(MAYA, address, "Welcome to Ledgerly", f"Hi {first}, thanks for signing up. Reply any time.",
                created, event)  # fmt: skip
    for subject, days, hour in ANNOUNCEMENTS:
        partner = rng.choice(customers)
        when = (NOW + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0)
        add(MAYA, partner[3], subject, f"Hi {partner[0]}, a short note from the Ledgerly team.",
            NOW - dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8)), "scheduled", scheduled=when,
            tags=(("category", "announcement"),))  # fmt: skip
    for _ in range(6):
        first, _last, _company, address, _eu = rng.choice(customers)
        created = NOW - dt.timedelta(days=rng.randint(3, 20), hours=rng.randint(0, 20))
        add(BILLING, address, "Reminder: your trial ends soon", f"Hi {first}, your Ledgerly trial ends this week.",
            created, "canceled", scheduled=created + dt.timedelta(days=2))  # fmt: skip
    emails.sort(key=lambda e: (str(e["created_at"]), str(e["email_id"])))
    db.execute(insert(Email), emails)

    audience_ids: dict[str, str] = {}
    contacts = []
    for name, size, unsubscribed, age in AUDIENCES:
        audience_ids[name] = _uuid(rng)
        db.execute(insert(Audience), [{"audience_id": audience_ids[name], "name": name,
                                       "created_at": stamp(NOW - dt.timedelta(days=age))}])  # fmt: skip
        for first, last, _company, address, _eu in rng.sample(customers, size):
            contacts.append({
                "contact_id": _uuid(rng), "audience_id": audience_ids[name], "email": address, "first_name": first,
                "last_name": last, "unsubscribed": int(rng.random() < unsubscribed),
                "created_at": stamp(NOW - dt.timedelta(days=rng.randint(1, age), minutes=rng.randint(0, 900))),
            })  # fmt: skip
    db.execute(insert(Contact), contacts)
    db.execute(insert(Broadcast), [
        {"broadcast_id": _uuid(rng), "audience_id": audience_ids[audience], "name": name, "from_address": MAYA,
         "subject": subject, "text": "A short update from the Ledgerly team.", "html": None, "status": "sent",
         "created_at": stamp(NOW - dt.timedelta(days=days, hours=2)), "scheduled_at": None,
         "sent_at": stamp(NOW - dt.timedelta(days=days)),
         "recipient_count": sum(1 for c in contacts if c["audience_id"] == audience_ids[audience]
                                and not c["unsubscribed"]) - rng.randint(0, 3)}
        for name, audience, subject, days in BROADCASTS
    ])  # fmt: skip
