"""The seeded generator and its data tables: Brightcrate's SES account in three regions.

us-east-1 is the production region (a 50,000-a-day quota), eu-west-1 is still in the sandbox and used by the
QA team (only verified recipients, 200 a day, and close to that today), ap-southeast-2 has had sending paused
after a run of bounces. Each region has its identities, templates, configuration sets, suppression list and
two weeks of sent messages with their outcomes.
"""

from __future__ import annotations

import datetime as dt
import json
import random

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from .. import northwind
from .definition import env
from .models import (
    NOW,
    SANDBOX_QUOTA,
    SANDBOX_RATE,
    ConfigurationSet,
    Identity,
    RegionAccount,
    SentMessage,
    ServiceClock,
    SuppressedDestination,
    Template,
)

# region, production access, sending enabled, 24-hour quota, rate
ACCOUNTS = (
    ("us-east-1", 1, 1, 50_000, 14),
    ("eu-west-1", 0, 1, SANDBOX_QUOTA, SANDBOX_RATE),
    ("ap-southeast-2", 1, 0, 10_000, 7),
)
# region -> domains with (verification status, DKIM status)
DOMAINS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "us-east-1": (
        ("brightcrate.com", "Success", "Success"),
        ("mail.brightcrate.com", "Success", "Success"),
        ("brightcrate.co.uk", "Pending", "Pending"),
        ("crate-staging.net", "Failed", "Failed"),
        ("kinfolkmarket.shop", "TemporaryFailure", "Pending"),
        ("brightcrate.io", "Success", "NotStarted"),
    ),
    "eu-west-1": (
        ("brightcrate.co.uk", "Pending", "Pending"),
        ("brightcrate.de", "Success", "Success"),
    ),
    "ap-southeast-2": (("brightcrate.com.au", "Success", "Success"),),
}
ROLE_ADDRESSES = ("orders", "noreply", "billing", "receipts", "hello", "marketing", "news", "alerts", "returns",
                  "shipping", "accounts", "careers", "press", "team")  # fmt: skip
STAFF_DOMAINS = ("gmail.com", "outlook.com", "brightcrate.com", "icloud.com")
CUSTOMER_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me", "aol.com",
                    "comcast.net", "fastmail.com", "me.com")  # fmt: skip

# name, subject, text part, html part (None: text only)
TEMPLATES: tuple[tuple[str, str, str, bool], ...] = (
    ("OrderConfirmation", "Your Brightcrate order {{orderNumber}} is confirmed",
     "Hi {{name}}, thanks for your order {{orderNumber}}. Total: {{total}}. It should arrive by {{deliveryDate}}.",
     True),
    ("ShippingUpdate", "Order {{orderNumber}} is on its way",
     "Hi {{name}}, your order {{orderNumber}} shipped with {{carrier}}. Tracking number: {{trackingNumber}}.",
     True),
    ("PasswordReset", "Reset your Brightcrate password",
     "Hi {{name}}, use this link within 30 minutes to reset your password: {{resetLink}}", True),
    ("WelcomeEmail", "Welcome to Brightcrate, {{name}}!",
     "Hi {{name}}, welcome aboard. Your first crate ships on {{firstShipDate}}.", True),
    ("AbandonedCart", "You left something in your cart",
     "Hi {{name}}, the {{productName}} is still waiting for you. Use {{couponCode}} for 10% off.", True),
    ("ReviewRequest", "How was your {{productName}}?",
     "Hi {{name}}, tell us what you think of the {{productName}} you bought.", False),
    ("InvoiceReady", "Invoice {{invoiceNumber}} is ready",
     "Hello {{name}}, invoice {{invoiceNumber}} for {{amount}} is due on {{dueDate}}.", True),
    ("WeeklyDigest", "This week at Brightcrate", "Hi {{name}}, here are this week's new arrivals: {{highlights}}",
     True),
    ("ReturnApproved", "Your return for order {{orderNumber}} is approved",
     "Hi {{name}}, we approved your return. Refund of {{refundAmount}} goes back to your card in 5 days.", False),
    ("BackInStock", "{{productName}} is back in stock",
     "Good news {{name}}: the {{productName}} you wanted is back in stock.", True),
    ("EmailVerification", "Confirm your email address",
     "Hi {{name}}, enter code {{code}} to confirm your email address.", False),
    ("SubscriptionRenewal", "Your subscription renews on {{renewalDate}}",
     "Hi {{name}}, your {{planName}} plan renews on {{renewalDate}} for {{amount}}.", True),
)  # fmt: skip
REGION_TEMPLATES = {
    "us-east-1": tuple(t[0] for t in TEMPLATES),
    "eu-west-1": ("OrderConfirmation", "PasswordReset", "WelcomeEmail", "ShippingUpdate"),
    "ap-southeast-2": ("OrderConfirmation", "ShippingUpdate", "WeeklyDigest"),
}
CONFIGURATION_SETS = {
    "us-east-1": (("Transactional", "CloudWatch"), ("MarketingTracking", "Kinesis Firehose"),
                  ("BounceAlerts", "SNS"), ("Default", "CloudWatch")),
    "eu-west-1": (("QaTesting", "CloudWatch"),),
    "ap-southeast-2": (("Transactional", "SNS"),),
}  # fmt: skip
# region -> (messages over two weeks, of them in the last 24 hours, bounce rate, complaint rate)
TRAFFIC = {
    "us-east-1": (1900, 150, 0.035, 0.002),
    "eu-west-1": (420, 186, 0.0, 0.0),
    "ap-southeast-2": (360, 0, 0.11, 0.004),
}


# Of the ticket system's staff (the roster's first 60), how many mailboxes bounced in Northwind's migration.
BOUNCED_FROM_STAFF, BOUNCED_STAFF = 60, 12
TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _stamp(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _message_id(rng: random.Random) -> str:
    """SES's message id: '0100', 12 hex digits, a UUID, then '-000000'."""
    groups = [12, 8, 4, 4, 4, 12]
    return "0100" + "-".join("".join(rng.choice("0123456789abcdef") for _ in range(n)) for n in groups) + "-000000"


def _address(rng: random.Random, first: str, last: str, domain: str) -> str:
    style = rng.randint(0, 3)
    local = (f"{first}.{last}", f"{first}{last[0]}", f"{first[0]}{last}{rng.randint(1, 99)}", f"{first}_{last}")[style]
    return f"{local.lower()}@{domain}"


def _fill(subject: str, rng: random.Random, name: str) -> str:
    values = {"{{orderNumber}}": f"BC-{rng.randint(10000, 99999)}", "{{name}}": name,
              "{{productName}}": rng.choice(("Walnut Desk Organizer", "Linen Throw", "Ceramic Pour-Over Set")),
              "{{invoiceNumber}}": f"INV-{rng.randint(2000, 9999)}", "{{renewalDate}}": "April 1"}  # fmt: skip
    for placeholder, value in values.items():
        subject = subject.replace(placeholder, value)
    return subject


@env.seed
def seed_amazon_ses(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])
    db.execute(
        insert(RegionAccount),
        [
            {"region": r, "production_access_enabled": p, "sending_enabled": s, "max_24_hour_send": q,
             "max_send_rate": rate}
            for r, p, s, q, rate in ACCOUNTS
        ],
    )  # fmt: skip
    identities: list[dict[str, object]] = []
    verified: dict[str, list[str]] = {}
    staff: list[tuple[str, str]] = [(fake.first_name(), fake.last_name()) for _ in range(14)]

    def add(region: str, identity: str, kind: str, status: str, dkim: str = "NotStarted") -> None:
        if any(i["region"] == region and i["identity"] == identity for i in identities):
            return
        created = NOW - dt.timedelta(days=rng.randint(3, 400), minutes=rng.randint(0, 1440))
        identities.append(
            {
                "region": region,
                "identity": identity,
                "identity_type": kind,
                "verification_status": status,
                "verification_token": "".join(rng.choice(TOKEN_CHARS) for _ in range(44)) if kind == "Domain" else None,
                "dkim_enabled": int(dkim != "NotStarted"),
                "dkim_verification_status": dkim,
                "dkim_tokens": ",".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz234567") for _ in range(32))
                                        for _ in range(3)) if kind == "Domain" and dkim != "NotStarted" else None,
                "created_at": _stamp(created),
            }
        )  # fmt: skip
        if status == "Success":
            verified.setdefault(region, []).append(identity)

    for region, domains in DOMAINS.items():
        for domain, status, dkim in domains:
            add(region, domain, "Domain", status, dkim)
    statuses = ("Success",) * 6 + ("Pending", "Pending", "Failed", "Failed", "TemporaryFailure")
    for role in ROLE_ADDRESSES:
        add("us-east-1", f"{role}@brightcrate.com", "EmailAddress", rng.choice(statuses))
    for role in ("orders", "noreply", "hello"):
        add("us-east-1", f"{role}@kinfolkmarket.shop", "EmailAddress", rng.choice(("Success", "Pending")))
    for first, last in staff:
        add("us-east-1", _address(rng, first, last, rng.choice(STAFF_DOMAINS)), "EmailAddress", rng.choice(statuses))
    for role in ("orders", "noreply", "qa"):
        add("eu-west-1", f"{role}@brightcrate.co.uk", "EmailAddress", "Success")
    for first, last in staff[:9]:
        add("eu-west-1", _address(rng, first, last, rng.choice(STAFF_DOMAINS[:2])), "EmailAddress",
            rng.choice(("Success", "Success", "Success", "Pending")))  # fmt: skip
    for role in ("orders", "noreply"):
        add("ap-southeast-2", f"{role}@brightcrate.com.au", "EmailAddress", "Success")
    db.execute(insert(Identity), identities)

    by_name = {t[0]: t for t in TEMPLATES}
    templates = []
    for region, names in REGION_TEMPLATES.items():
        for name in names:
            _name, subject, text, html = by_name[name]
            templates.append(
                {
                    "region": region,
                    "template_name": name,
                    "subject_part": subject,
                    "text_part": text,
                    "html_part": f"<p>{text}</p>" if html else None,
                    "created_timestamp": _stamp(NOW - dt.timedelta(days=rng.randint(20, 500))),
                }
            )
    db.execute(insert(Template), templates)
    db.execute(
        insert(ConfigurationSet),
        [
            {"region": region, "configuration_set_name": name, "event_destination": destination}
            for region, sets in CONFIGURATION_SETS.items()
            for name, destination in sets
        ],
    )

    customers = [_address(rng, fake.first_name(), fake.last_name(), rng.choice(CUSTOMER_DOMAINS)) for _ in range(900)]
    customers = list(dict.fromkeys(customers))
    suppressed: dict[tuple[str, str], dict[str, object]] = {}
    messages = []
    senders = {
        "us-east-1": ("orders@brightcrate.com", "noreply@mail.brightcrate.com", "Brightcrate <hello@brightcrate.com>",
                      "billing@brightcrate.com"),
        "eu-west-1": ("qa@brightcrate.co.uk", "noreply@brightcrate.de"),
        "ap-southeast-2": ("orders@brightcrate.com.au", "noreply@brightcrate.com.au"),
    }  # fmt: skip
    paused_at = NOW - dt.timedelta(days=2, hours=5)
    for region, (total, recent, bounce_rate, complaint_rate) in TRAFFIC.items():
        sets = [c[0] for c in CONFIGURATION_SETS[region]]
        testers = [i for i in verified[region] if "@" in i and not i.endswith(("brightcrate.co.uk", ".de"))]
        for index in range(total):
            if index < recent:
                sent = NOW - dt.timedelta(minutes=rng.randint(1, 24 * 60 - 1))
            else:
                sent = NOW - dt.timedelta(minutes=rng.randint(24 * 60 + 1, 14 * 24 * 60 - 1))
            if region == "ap-southeast-2":
                sent = paused_at - dt.timedelta(minutes=rng.randint(1, 11 * 24 * 60))
            template = rng.choice(REGION_TEMPLATES[region])
            recipient = rng.choice(testers) if region == "eu-west-1" else rng.choice(customers)
            if (region, recipient) in suppressed:
                outcome, bounces, complaints = "Suppressed", 1, 0
            else:
                roll = rng.random()
                outcome = ("Bounced" if roll < bounce_rate else "Complained" if roll < bounce_rate + complaint_rate
                           else "Rejected" if roll > 0.9985 else "Delivered")  # fmt: skip
                bounces, complaints = int(outcome == "Bounced"), int(outcome == "Complained")
                if outcome in ("Bounced", "Complained") and rng.random() < 0.8:
                    suppressed[(region, recipient)] = {
                        "region": region,
                        "email_address": recipient,
                        "reason": "BOUNCE" if outcome == "Bounced" else "COMPLAINT",
                        "last_update_time": _stamp(sent + dt.timedelta(minutes=rng.randint(1, 30))),
                    }
            name = recipient.split("@")[0].split(".")[0].split("_")[0].title()
            messages.append(
                {
                    "message_id": _message_id(rng),
                    "region": region,
                    "source": rng.choice(senders[region]),
                    "to_addresses": recipient,
                    "cc_addresses": "",
                    "bcc_addresses": "",
                    "reply_to_addresses": "",
                    "subject": _fill(by_name[template][1], rng, name),
                    "body_text": None,
                    "body_html": None,
                    "template_name": template,
                    "configuration_set_name": rng.choice(sets),
                    "tags": json.dumps({"campaign": template.lower()}),
                    "sent_at": _stamp(sent),
                    "recipient_count": 1,
                    "bounces": bounces,
                    "complaints": complaints,
                    "rejects": int(outcome == "Rejected"),
                    "outcome": outcome,
                }
            )
    # Addresses added by hand over the past year (a customer who asked never to be emailed, old hard bounces).
    for email in customers[-40:]:
        region = rng.choice(("us-east-1", "us-east-1", "ap-southeast-2"))
        suppressed.setdefault(
            (region, email),
            {
                "region": region,
                "email_address": email,
                "reason": rng.choice(("BOUNCE", "BOUNCE", "COMPLAINT")),
                "last_update_time": _stamp(NOW - dt.timedelta(days=rng.randint(15, 300), hours=rng.randint(0, 23))),
            },
        )
    messages.sort(key=lambda m: str(m["sent_at"]))
    db.execute(insert(SentMessage), list({str(m["message_id"]): m for m in messages}.values()))
    _northwind(db, data, suppressed)
    db.execute(insert(SuppressedDestination), [suppressed[k] for k in sorted(suppressed)])


def _northwind(db: Session, data: SeedData, suppressed: dict[tuple[str, str], dict[str, object]]) -> None:
    """Northwind Labs' service desk sends from this account too: its verified domain and shared mailbox, and the
    staff mailboxes that bounced during its mailbox migration (suppressed since). Drawn last, so that every
    row above stays as it was; the staff are the ticket system's, read from the shared roster."""
    rng = data.rng
    migrated = NOW - dt.timedelta(days=9, hours=3)
    rows = []
    for identity, kind in ((northwind.DOMAIN, "Domain"), (northwind.IT_DESK_ADDRESS, "EmailAddress")):
        domain = kind == "Domain"
        rows.append(
            {
                "region": "us-east-1",
                "identity": identity,
                "identity_type": kind,
                "verification_status": "Success",
                "verification_token": "".join(rng.choice(TOKEN_CHARS) for _ in range(44)) if domain else None,
                "dkim_enabled": int(domain),
                "dkim_verification_status": "Success" if domain else "NotStarted",
                "dkim_tokens": ",".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz234567") for _ in range(32))
                                        for _ in range(3)) if domain else None,
                "created_at": _stamp(migrated - dt.timedelta(days=rng.randint(30, 90))),
            }
        )  # fmt: skip
    db.execute(insert(Identity), rows)
    for first, last in rng.sample(northwind.roster(data.seed, BOUNCED_FROM_STAFF), BOUNCED_STAFF):
        address = northwind.work_address(first, last)
        suppressed[("us-east-1", address)] = {
            "region": "us-east-1",
            "email_address": address,
            "reason": "BOUNCE",
            "last_update_time": _stamp(migrated + dt.timedelta(minutes=rng.randint(1, 600))),
        }
