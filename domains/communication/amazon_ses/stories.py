"""Amazon SES stories: one developer at Brightcrate running the company's email through SES, one storyline each.

They cover what such a developer asks: verifying a new sender address (and whether its domain already is),
starting a domain's verification, sending the order-confirmation or shipping template to a customer with the
values they give, plain and raw sends, why sending fails (the eu-west-1 region is still in the sandbox and the
recipient is not verified; ap-southeast-2 has sending paused; a sender that never finished verifying), the
bounce rate over a period, the quota left today, DKIM, the suppression list (taking back an address whose
mailbox was fixed, suppressing someone who asked not to be emailed, the latest complaint), and keeping templates
and identities tidy. us-east-1 is the default region and goes unsaid; the other regions are named.
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from .. import northwind

ENV = "amazon_ses"
DEFAULT = "us-east-1"
NEW_DOMAINS = ("brightcrate.ca", "brightcrate.fr", "crategifts.com", "brightcrate.nz", "shop.brightcrate.io")
NEW_TEMPLATES = (
    ("SpringSale", "{{name}}, our spring sale starts now",
     "Hi {{name}}, everything in the shop is 20% off until Sunday with code {{couponCode}}."),
    ("BackToSchool", "Desk upgrades for the new term, {{name}}",
     "Hi {{name}}, our back-to-school picks are in. Use {{couponCode}} for free shipping this week."),
    ("HolidayGiftGuide", "Our holiday gift guide is here",
     "Hi {{name}}, find a gift for everyone on your list. Order by {{lastShipDate}} for delivery before the holidays."),
    ("LoyaltyPointsReminder", "{{name}}, you have {{points}} points waiting",
     "Hi {{name}}, your {{points}} Brightcrate points expire on {{expiryDate}}. Spend them on anything in the shop."),
)  # fmt: skip
CARRIERS = (("UPS", "1Z{n}"), ("FedEx", "7{n}"), ("USPS", "9400{n}"))
# Brightcrate's customers: the suppressed mailboxes of Northwind Labs' staff (its desk sends from this account
# too) are the communication domain's concern, not a Brightcrate support story's.
CUSTOMERS_ONLY = f"email_address NOT LIKE '%@{northwind.DOMAIN}'"


def _region(s: StoryContext, arguments: dict[str, Any], region: str) -> str:
    """Adds a non-default region to the call's arguments and returns how the request names it."""
    if region == DEFAULT:
        return ""
    arguments["region"] = s.say(region)
    return f" in {region}"


def _customer(s: StoryContext, region: str = DEFAULT) -> str:
    """A customer address that has received mail in the region and is not suppressed there."""
    row = s.pick(
        "SELECT to_addresses FROM sent_messages m WHERE region = ? AND outcome = 'Delivered' AND NOT EXISTS "
        "(SELECT 1 FROM suppressed_destinations d WHERE d.region = m.region AND d.email_address = m.to_addresses) "
        "AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.identity = m.to_addresses)",
        (region,),
    )
    return str(row["to_addresses"])


def _named_customer(s: StoryContext, region: str = DEFAULT) -> tuple[str, str]:
    """A customer whose address shows their first name ('laura.smith@...'), and that name."""
    address = _customer(s, region)
    local = address.split("@")[0]
    for separator in "._":
        first = local.split(separator)[0]
        if separator in local and first.isalpha() and len(first) > 2:
            return address, first.title()
    s.reject("no first name in the address")


def _money(s: StoryContext) -> str:
    return f"${s.rng.randint(18, 240)}.{s.rng.randint(0, 99):02d}"


def _fill(s: StoryContext, template: dict[str, Any], values: dict[str, str]) -> dict[str, str]:
    """Template data for every placeholder the template shows, each value stated by the request."""
    data = {}
    for name in template["placeholders"]:
        if name not in values:
            s.reject(f"no spoken value for {name}")
        data[name] = s.say(values[name])
    return data


# --------------------------------------------------------------------------------------------------
# Identities
# --------------------------------------------------------------------------------------------------


@story(ENV, weight=1.3)
def verify_support_address(s: StoryContext) -> str:
    """A new support@ address: verify it, say whether its domain is verified, and start the domain if not."""
    row = s.pick(
        "SELECT region, identity, verification_status FROM identities d WHERE identity_type = 'Domain' AND NOT "
        "EXISTS (SELECT 1 FROM identities a WHERE a.region = d.region AND a.identity = 'support@' || d.identity)"
    )
    region, domain = str(row["region"]), str(row["identity"])
    if s.rng.random() < 0.3:
        domain = s.rng.choice(NEW_DOMAINS)
        if s.rows("SELECT 1 FROM identities WHERE region = ? AND identity = ?", (region, domain)):
            s.reject("domain already added")
    where: dict[str, Any] = {}
    place = _region(s, where, region)
    attributes = s.call("get_identity_verification_attributes", identities=[s.say(domain)], **where)
    s.call("verify_email_identity", email_address=s.say(f"support@{domain}"), **where)
    status = attributes["verification_attributes"].get(domain)
    ask = "If the domain isn't verified, start verifying it too and give me the TXT record value."
    if status is None:
        token = s.call("verify_domain_identity", domain=domain, **where)["verification_token"]
        s.fact(token)
        s.fact("no", derived=True)
    elif status["verification_status"] != "Success":
        token = s.call("verify_domain_identity", domain=domain, **where)["verification_token"]
        s.fact(status["verification_status"])
        s.fact(token)
    else:
        s.fact(status["verification_status"])
    s.context(domain)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"We're setting up a support@{domain} inbox{place}. Please verify that address so we can send from it,",
        f"and tell me whether {domain} itself is already verified.",
        ask,
    )


@story(ENV)
def start_domain_verification(s: StoryContext) -> str:
    """A brand-new domain: add it and hand back the token for the DNS record."""
    domain = s.rng.choice(NEW_DOMAINS)
    region = s.rng.choice(("us-east-1", "us-east-1", "eu-west-1"))
    if s.rows("SELECT 1 FROM identities WHERE region = ? AND identity = ?", (region, domain)):
        s.reject("already added")
    where: dict[str, Any] = {}
    place = _region(s, where, region)
    result = s.call("verify_domain_identity", domain=s.say(domain), **where)
    s.fact(result["verification_token"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"We just registered {domain} and want to send mail from it{place}.",
        speech.choose(
            s.rng,
            "Start the domain verification and give me the value I need to put in the TXT record.",
            "Kick off verification for it and tell me the token for our DNS TXT record.",
        ),
    )


@story(ENV, implicit=True)
def sender_verification_failed(s: StoryContext) -> str:
    """A sender rejected because its verification failed (and no verified domain covers it): a fresh link."""
    row = s.pick(
        "SELECT region, identity FROM identities a WHERE identity_type = 'EmailAddress' "
        "AND verification_status IN ('Failed', 'TemporaryFailure') AND NOT EXISTS (SELECT 1 FROM identities d "
        "WHERE d.region = a.region AND d.identity = substr(a.identity, instr(a.identity, '@') + 1) "
        "AND d.verification_status = 'Success')"
    )
    address = str(row["identity"])
    where: dict[str, Any] = {}
    place = _region(s, where, str(row["region"]))
    found = s.call("get_identity_verification_attributes", identities=[s.say(address)], **where)
    s.fact(found["verification_attributes"][address]["verification_status"])
    s.call("verify_email_identity", email_address=address, **where)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"A script of ours{place} tries to send from {address} and SES keeps rejecting the messages.",
        "Find out where that address stands on verification, and if the verification didn't go through,",
        "get SES to send a fresh verification link so the owner can click it.",
    )


@story(ENV, implicit=True, weight=1.2)
def clean_out_failed_identities(s: StoryContext) -> str:
    """Removing identities in one verification state, after checking the status of each one listed."""
    region, kind, status, said = s.rng.choice(
        (
            (DEFAULT, "Domain", "Failed", "domains whose verification failed outright (leave pending ones and "
             "temporary failures alone)"),
            (DEFAULT, "Domain", "TemporaryFailure", "domains stuck in a temporary verification failure"),
            ("eu-west-1", "EmailAddress", "Pending", "addresses that are still pending verification"),
        )
    )  # fmt: skip
    where: dict[str, Any] = {}
    place = _region(s, where, region) or " in us-east-1"
    s.imply(status)
    listing = s.call("list_identities", identity_type=s.imply(kind), **where)
    names = listing["identities"]
    if listing["total"] > len(names):
        s.reject("more than a page")
    statuses = s.call("get_identity_verification_attributes", identities=names, **where)["verification_attributes"]
    matching = [n for n in names if statuses[n]["verification_status"] == status]
    if not matching:
        s.reject("nothing to remove")
    for name in matching:
        s.call("delete_identity", identity=name, **where)
        s.fact(name)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"Our identity list{place} has collected some junk.",
        f"Get rid of the {said}, and tell me which ones you removed.",
    )


@story(ENV, weight=1.3)
def domains_with_dkim(s: StoryContext) -> str:
    """Which of the region's domains have DKIM signing fully working, among all its domains."""
    region = s.rng.choice((DEFAULT, DEFAULT, "eu-west-1"))
    where: dict[str, Any] = {}
    place = _region(s, where, region) or " in us-east-1"
    domains = s.call("list_identities", identity_type=s.imply("Domain"), **where)["identities"]
    found = s.call("get_identity_dkim_attributes", identities=domains, **where)["dkim_attributes"]
    working = [d for d in domains if found[d]["dkim_verification_status"] == "Success"]
    if not working or len(working) == len(domains):
        s.reject("no contrast")
    for domain in working:
        s.fact(domain)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"Gmail is getting picky about authentication. Which of our domains{place} have DKIM signing fully",
        "working right now?",
    )


@story(ENV, implicit=True, weight=1.2)
def send_order_confirmation(s: StoryContext) -> str:
    """The order-confirmation template to one customer, with the values the person gives."""
    customer, name = _named_customer(s)
    order, total = f"BC-{s.rng.randint(20000, 29999)}", _money(s)
    day = speech.date(s.now().date().replace(day=min(28, s.now().day + s.rng.randint(3, 9))))
    template = s.call("get_template", template_name=s.say("OrderConfirmation"))
    values = {"name": name, "orderNumber": order, "total": total, "deliveryDate": day}
    data = _fill(s, template, values)
    s.call(
        "send_templated_email",
        source=s.say("orders@brightcrate.com"),
        to_addresses=[s.say(customer)],
        template_name="OrderConfirmation",
        template_data=data,
    )
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"Our checkout webhook failed for one order, so {name} ({customer}) never got the OrderConfirmation email.",
        f"Please send it to them from orders@brightcrate.com: order {order}, total {total}, arriving by {day}.",
    )


@story(ENV, implicit=True, weight=1.6)
def confirm_two_orders(s: StoryContext) -> str:
    """Two customers missed their order confirmations: the template read once, then one send each."""
    first, second = _named_customer(s), _named_customer(s)
    if first == second:
        s.reject("same customer")
    template = s.call("get_template", template_name=s.say("OrderConfirmation"))
    lines = []
    for address, name in (first, second):
        order, total = f"BC-{s.rng.randint(20000, 29999)}", _money(s)
        day = speech.date(s.now().date().replace(day=min(28, s.now().day + s.rng.randint(3, 9))))
        values = {"name": name, "orderNumber": order, "total": total, "deliveryDate": day}
        s.call(
            "send_templated_email",
            source=s.say("orders@brightcrate.com"),
            to_addresses=[s.say(address)],
            template_name="OrderConfirmation",
            template_data=_fill(s, template, values),
        )
        lines.append(f"{name} at {address}, order {order}, {total}, arriving by {day}")
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        "Two customers never got their OrderConfirmation email after yesterday's outage. Please send it from "
        f"orders@brightcrate.com to {lines[0]}; and to {lines[1]}.",
    )


@story(ENV, implicit=True, weight=1.6)
def unsuppress_and_resend_shipping(s: StoryContext) -> str:
    """A customer fixed their mailbox: off the suppression list, then their shipping update again."""
    row = s.pick(f"SELECT email_address FROM suppressed_destinations WHERE region = 'us-east-1' AND reason = 'BOUNCE' "
                 f"AND {CUSTOMERS_ONLY}")
    address = str(row["email_address"])
    local = address.split("@")[0]
    name = next((local.split(c)[0].title() for c in "._" if c in local and local.split(c)[0].isalpha()), "")
    if len(name) < 3:
        s.reject("no first name in the address")
    carrier, pattern = s.rng.choice(CARRIERS)
    tracking = pattern.format(n=s.rng.randint(10**9, 10**10 - 1))
    order = f"BC-{s.rng.randint(20000, 29999)}"
    s.call("delete_suppressed_destination", email_address=s.say(address))
    template = s.call("get_template", template_name=s.say("ShippingUpdate"))
    values = {"name": name, "orderNumber": order, "carrier": carrier, "trackingNumber": tracking}
    s.call(
        "send_templated_email",
        source=s.say("shipping@brightcrate.com"),
        to_addresses=[address],
        template_name="ShippingUpdate",
        template_data=_fill(s, template, values),
    )
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"{name} at {address} says their mailbox was full and it's sorted now, but our emails bounced before that.",
        "Make sure SES will deliver to them again, then resend their ShippingUpdate email from "
        f"shipping@brightcrate.com: order {order}, shipped with {carrier}, tracking number {tracking}.",
    )


@story(ENV)
def send_plain_email(s: StoryContext) -> str:
    """A one-off plain-text email with a reply-to address."""
    customer = _customer(s)
    order = f"BC-{s.rng.randint(20000, 29999)}"
    subject = f"Your return label for order {order}"
    body = s.rng.choice(
        (
            "Hi, your prepaid return label is attached to your account page. Drop the parcel at any UPS store.",
            "Hello, we've approved your return. Print the label from your account page and ship it within 14 days.",
        )
    )
    s.call(
        "send_email",
        source=s.say("returns@brightcrate.com"),
        to_addresses=[s.say(customer)],
        subject=s.say(subject),
        text_body=s.say(body),
        reply_to_addresses=[s.say("support@brightcrate.com")],
    )
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f'Please email {customer} from returns@brightcrate.com with the subject "{subject}" and this text:',
        f'"{body}" Replies should go to support@brightcrate.com.',
    )


@story(ENV)
def send_raw_with_unsubscribe_header(s: StoryContext) -> str:
    """A message that needs a List-Unsubscribe header, which only a raw MIME send can carry."""
    customer = _customer(s)
    invoice = f"INV-{s.rng.randint(2000, 9999)}"
    sender = "Brightcrate Billing <billing@brightcrate.com>"
    subject = f"Invoice {invoice}"
    body = f"Hello, invoice {invoice} is ready in your account. Thank you for your business."
    raw = (
        f"From: {sender}\nTo: {customer}\nSubject: {subject}\n"
        "List-Unsubscribe: <mailto:unsubscribe@brightcrate.com>\nMIME-Version: 1.0\n"
        f"Content-Type: text/plain; charset=UTF-8\n\n{body}\n"
    )
    s.say(sender)
    s.say(customer)
    s.say(subject)
    s.say(body)
    s.call("send_raw_email", raw_message=s.imply(raw))
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f'Send {customer} a plain-text email from {sender} with the subject "{subject}" and the text "{body}"',
        "It has to carry a List-Unsubscribe header pointing to mailto:unsubscribe@brightcrate.com, so send it as a "
        "raw MIME message.",
    )


@story(ENV)
def qa_test_in_sandbox(s: StoryContext) -> str:
    """A QA test message in the sandbox region, to a teammate whose address is verified there."""
    teammate = s.pick(
        "SELECT identity FROM identities WHERE region = 'eu-west-1' AND identity_type = 'EmailAddress' "
        "AND verification_status = 'Success' AND identity NOT LIKE '%brightcrate%'"
    )["identity"]
    subject = s.rng.choice(("QA check: new footer", "QA check: German umlauts", "QA check: dark mode colours"))
    body = "Test message from the eu-west-1 staging stack. Please check the layout and reply with screenshots."
    s.call(
        "send_email",
        source=s.say("qa@brightcrate.co.uk"),
        to_addresses=[s.say(teammate)],
        subject=s.say(subject),
        text_body=s.say(body),
        configuration_set_name=s.say("QaTesting"),
        region=s.say("eu-west-1"),
    )
    return speech.sentence(
        f"Send a test from qa@brightcrate.co.uk to {teammate} in eu-west-1, through our QaTesting configuration set,",
        f'with the subject "{subject}" and the text "{body}"',
    )


@story(ENV, implicit=True, weight=1.6)
def sandbox_recipient_not_verified(s: StoryContext) -> str:
    """Sending keeps failing in eu-west-1: the region is in the sandbox and the recipient is not verified."""
    recipient = s.pick(
        "SELECT identity FROM identities WHERE region = 'eu-west-1' AND identity_type = 'EmailAddress' "
        "AND verification_status = 'Pending'"
    )["identity"]
    if s.rng.random() < 0.5:
        recipient = _customer(s)
    where = {"region": s.say("eu-west-1")}
    enabled = s.call("get_account_sending_enabled", **where)
    quota = s.call("get_send_quota", **where)
    if not enabled["enabled"] or quota["production_access_enabled"]:
        s.reject("not the sandbox case")
    found = s.call("get_identity_verification_attributes", identities=[s.say(recipient)], **where)
    s.fact("sandbox", derived=True)
    status = found["verification_attributes"].get(recipient)
    if status is not None:
        s.fact(status["verification_status"])
    s.context(recipient)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"Our staging app in eu-west-1 can't email {recipient}: every attempt is rejected.",
        "Sending there otherwise seems fine. What's blocking it?",
    )


@story(ENV, implicit=True)
def sydney_emails_stopped(s: StoryContext) -> str:
    """ap-southeast-2 stopped sending: sending is paused, after a bounce rate worth stating."""
    days = s.rng.choice((14, 10, 7, 5))
    spoken = {14: "the last two weeks", 10: "the last ten days", 7: "the last week", 5: "the last five days"}[days]
    where = {"region": s.say("ap-southeast-2")}
    enabled = s.call("get_account_sending_enabled", **where)
    totals = s.call("get_send_statistics", days=s.say(days, spoken), **where)["totals"]
    s.fact(enabled["enabled"])
    s.fact(f"{100 * totals['bounces'] / totals['delivery_attempts']:.1f}%", derived=True)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        "None of our Australian order emails have gone out for a couple of days (that's ap-southeast-2).",
        f"Is sending even enabled for us there, and what has the bounce rate been over {spoken}?",
    )


@story(ENV, weight=1.5)
def bounce_rate_last_week(s: StoryContext) -> str:
    """Bounce or complaint rate, and the count, over the last N days."""
    days = s.rng.choice((7, 7, 3, 10, 14, 5))
    spoken = {7: "the last week", 3: "the last three days", 10: "the last ten days", 14: "the last two weeks",
              5: "the last five days"}[days]  # fmt: skip
    measure = s.rng.choice(("bounces", "bounces", "complaints"))
    stats = s.call("get_send_statistics", days=s.say(days, spoken))
    totals = stats["totals"]
    if not totals[measure]:
        s.reject("none of them")
    s.fact(totals[measure])
    s.fact(f"{100 * totals[measure] / totals['delivery_attempts']:.2f}%", derived=True)
    noun = "bounce" if measure == "bounces" else "complaint"
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"What was our {noun} rate in us-east-1 over {spoken}, and how many {measure} was that?",
    )


@story(ENV, weight=1.3)
def volume_sent(s: StoryContext) -> str:
    """How many delivery attempts a non-default region made over the last N days, and how many were rejected."""
    region = s.rng.choice(("eu-west-1", "ap-southeast-2"))
    days = s.rng.randint(2, 14)
    spoken = f"the last {speech.words(days)} days" if days != 7 else "the last week"
    totals = s.call("get_send_statistics", region=s.say(region), days=s.say(days, spoken))["totals"]
    if not totals["delivery_attempts"]:
        s.reject("nothing sent")
    s.fact(totals["delivery_attempts"])
    s.fact(totals["complaints"])
    who = "the QA team" if region == "eu-west-1" else "the Australian shop"
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"How many emails did {who} try to deliver through {region} over {spoken},",
        "and how many complaints came back?",
    )


@story(ENV, weight=1.6)
def weekly_health_check(s: StoryContext) -> str:
    """The Monday check: last week's bounce rate, today's quota headroom and the complaint suppressions."""
    # Not ap-southeast-2: with sending paused there, its quota headroom would mislead.
    region = s.rng.choice((DEFAULT, DEFAULT, "eu-west-1"))
    where: dict[str, Any] = {}
    place = _region(s, where, region) or " in us-east-1"
    totals = s.call("get_send_statistics", days=s.say(7, "the last week"), **where)["totals"]
    if not totals["delivery_attempts"]:
        s.reject("nothing sent")
    quota = s.call("get_send_quota", **where)
    complaints = s.call("list_suppressed_destinations", reason=s.imply("COMPLAINT"), **where)
    s.fact(f"{100 * totals['bounces'] / totals['delivery_attempts']:.2f}%", derived=True)
    s.fact(quota["max_24_hour_send"] - quota["sent_last_24_hours"], derived=True)
    s.fact(complaints["total"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"Time for my weekly email health check{place}: our bounce rate over the last week,",
        "how many more messages we can send in the current 24 hours, and how many addresses are suppressed",
        "because of complaints.",
    )


@story(ENV, weight=0.5)
def quota_left_today(s: StoryContext) -> str:
    """How many more messages the region can send in the current 24 hours."""
    region = s.rng.choice(("us-east-1", "eu-west-1", "ap-southeast-2"))
    where: dict[str, Any] = {}
    place = _region(s, where, region) or " in us-east-1"
    quota = s.call("get_send_quota", **where)
    if not quota["sent_last_24_hours"]:
        s.reject("nothing sent today: the answer is the quota itself")
    s.fact(quota["max_24_hour_send"] - quota["sent_last_24_hours"], derived=True)
    s.fact(quota["max_send_rate"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"Before we kick off a batch{place}: how many more emails can we send there in the current 24 hours,",
        "and how many per second at most?",
    )


@story(ENV, weight=1.1)
def remove_fixed_mailbox(s: StoryContext) -> str:
    """An address off the suppression list after its owner fixed the mailbox, saying why it was there."""
    row = s.pick(f"SELECT * FROM suppressed_destinations WHERE {CUSTOMERS_ONLY}")
    where: dict[str, Any] = {}
    place = _region(s, where, str(row["region"]))
    entry = s.call("get_suppressed_destination", email_address=s.say(row["email_address"]), **where)
    s.call("delete_suppressed_destination", email_address=row["email_address"], **where)
    s.fact(entry["reason"])
    s.fact(speech.date(entry["last_update_time"][:10]), derived=True)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"The customer at {row['email_address']} fixed their mailbox and wants our emails again{place}.",
        "Take them off the suppression list, and tell me why they were on it and since when.",
    )


@story(ENV, implicit=True, weight=1.6)
def mailboxes_fixed_in_bulk(s: StoryContext) -> str:
    """Three bounced customers whose mailboxes work again, all taken off the suppression list."""
    rows = s.sample(
        f"SELECT email_address FROM suppressed_destinations WHERE region = 'us-east-1' AND reason = 'BOUNCE' AND "
        f"{CUSTOMERS_ONLY}",
        3
    )
    addresses = [s.say(r["email_address"]) for r in rows]
    for address in addresses:
        s.call("delete_suppressed_destination", email_address=address)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"Support confirmed that {speech.listing(addresses)} all have working mailboxes again.",
        "Our emails to them bounced a while ago; make sure SES delivers to them again.",
    )


@story(ENV, implicit=True)
def never_email_again(s: StoryContext) -> str:
    """A customer asked never to be emailed: suppressed as a complaint."""
    customer = _customer(s)
    s.call("put_suppressed_destination", email_address=s.say(customer), reason=s.imply("COMPLAINT"))
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"The customer at {customer} wrote in furious that we keep emailing them and reported us as spam.",
        "Make sure SES never delivers anything to them again.",
    )


@story(ENV)
def latest_suppression(s: StoryContext) -> str:
    """The most recent address suppressed for a complaint or a bounce, and how many there are."""
    region = s.rng.choice(("us-east-1", "ap-southeast-2"))
    reason = s.rng.choice(("COMPLAINT", "BOUNCE"))
    why = "they complained about our emails" if reason == "COMPLAINT" else "our emails to them bounced"
    where: dict[str, Any] = {}
    place = _region(s, where, region)
    page = s.call("list_suppressed_destinations", reason=s.imply(reason), **where)
    entries = page["suppressed_destination_summaries"]
    if len(entries) < 2 or entries[0]["last_update_time"][:10] == entries[1]["last_update_time"][:10]:
        s.reject("too few, or a tie on the day")
    s.fact(entries[0]["email_address"])
    s.fact(speech.date(entries[0]["last_update_time"][:10]), derived=True)
    s.fact(page["total"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"Who was the last person suppressed{place} because {why}, and on what day?",
        "And how many addresses are suppressed there for that reason in total?",
    )


PURPOSES = {
    "PasswordReset": "password resets",
    "ShippingUpdate": "shipping notices",
    "WelcomeEmail": "welcoming new customers",
    "OrderConfirmation": "order confirmations",
    "InvoiceReady": "telling customers an invoice is ready",
    "BackInStock": "back-in-stock alerts",
    "AbandonedCart": "reminding people about their abandoned cart",
    "SubscriptionRenewal": "subscription renewal reminders",
}


@story(ENV, weight=1.4)
def template_for_purpose(s: StoryContext) -> str:
    """Finding the template for a purpose among the region's templates, and reading its subject."""
    row = s.pick(
        "SELECT region, template_name FROM templates WHERE template_name IN (" + ",".join("?" * len(PURPOSES)) + ")",
        tuple(PURPOSES),
    )
    where: dict[str, Any] = {}
    place = _region(s, where, str(row["region"])) or " in us-east-1"
    names = [t["template_name"] for t in s.call("list_templates", **where)["templates_metadata"]]
    if row["template_name"] not in names:
        s.reject("not on the first page")
    template = s.call("get_template", template_name=row["template_name"], **where)
    s.fact(template["template_name"])
    s.fact(template["subject_part"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"Which of our templates{place} is the one for {PURPOSES[str(row['template_name'])]},",
        "and what subject line does it use?",
    )


@story(ENV)
def create_sale_template(s: StoryContext) -> str:
    """A new template with a placeholder, in the person's words."""
    name, subject, text = s.rng.choice(NEW_TEMPLATES)
    if s.rows("SELECT 1 FROM templates WHERE region = 'us-east-1' AND template_name = ?", (name,)):
        s.reject("exists")
    s.call("create_template", template_name=s.say(name), subject_part=s.say(subject), text_part=s.say(text))
    return speech.sentence(
        f'Create an email template called {name}. Subject: "{subject}". Plain-text body: "{text}"',
        "No HTML version for now.",
    )


@story(ENV)
def change_template_subject(s: StoryContext) -> str:
    """A template's subject line changed; the person also wants to know which values it expects."""
    row = s.pick("SELECT template_name, subject_part FROM templates WHERE region = 'us-east-1'")
    name = str(row["template_name"])
    subject = s.rng.choice(("A quick update from Brightcrate", "News about your Brightcrate account",
                            "Brightcrate: action needed"))  # fmt: skip
    result = s.call("update_template", template_name=s.say(name), subject_part=s.say(subject))
    for placeholder in result["placeholders"]:
        s.fact(placeholder)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f'Marketing wants the {name} template\'s subject changed to "{subject}".',
        "After that, which values does the template still expect us to pass in?",
    )


@story(ENV)
def delete_unused_template(s: StoryContext) -> str:
    row = s.pick("SELECT region, template_name FROM templates WHERE template_name IN ('WeeklyDigest', 'ReviewRequest', "
                 "'SubscriptionRenewal', 'AbandonedCart')")  # fmt: skip
    where: dict[str, Any] = {}
    place = _region(s, where, str(row["region"]))
    s.call("delete_template", template_name=s.say(row["template_name"]), **where)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"We retired the {row['template_name']} emails. Delete that template{place}, please.",
    )


@story(ENV, weight=1.6)
def copy_templates_to_europe(s: StoryContext) -> str:
    """Two us-east-1 templates copied, part for part, into eu-west-1 where they are missing."""
    pair = s.sample(
        "SELECT template_name FROM templates t WHERE region = 'us-east-1' AND NOT EXISTS "
        "(SELECT 1 FROM templates e WHERE e.region = 'eu-west-1' AND e.template_name = t.template_name)",
        2,
    )
    names = [s.say(p["template_name"]) for p in pair]
    eu = s.say("eu-west-1")
    for name in names:
        source = s.call("get_template", template_name=name)
        arguments: dict[str, Any] = {"template_name": name, "subject_part": source["subject_part"], "region": eu}
        for part in ("text_part", "html_part"):
            if source[part] is not None:
                arguments[part] = source[part]
        s.call("create_template", **arguments)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"The EU shop is going live. Copy our {names[0]} and {names[1]} templates from us-east-1 to eu-west-1,",
        "exactly as they are.",
    )
