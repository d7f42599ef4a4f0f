"""Telecom stories: one subscriber calling their carrier about a line, a bill, data or roaming.

They cover what people call a carrier for: roaming before a trip (a family turning it on for several
lines), turning roaming off back home, running out of data (a refuel of at most 2 GB), how much data is
left, suspending a line while away, getting a suspended line back (refused while a bill is overdue: the
payment request comes first), paying an overdue bill, the latest bill's amount and due date, unpaid bills
on an account, the plan that fits a budget, which plan a line is on (callers who give name and birthday),
and roaming asked for on a line that is suspended. People speak of their lines by phone number.
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

ENV = "telecom"
DESTINATIONS = ("Lisbon", "Mexico City", "Toronto", "London", "Tokyo", "Rome", "Barcelona", "Cancun", "Paris")


def _caller(s: StoryContext, line: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The customer found by the caller's number, and the line of that number."""
    s.person(ENV, line["customer_id"])
    customer = s.call("get_customer_by_phone", phone_number=s.say(line["phone_number"]))
    view = s.call("get_details_by_id", id=line["line_id"])
    return customer, view


def _number(s: StoryContext, line: dict[str, Any]) -> str:
    number = line["phone_number"]
    return speech.choose(s.rng, f"My number is {number}.", f"This is about my line {number}.",
                         f"I'm calling about {number}.", f"My phone number is {number}.")  # fmt: skip


@story(ENV, implicit=True, weight=1.3)
def trip_abroad(s: StoryContext) -> str:
    """Before a trip abroad: roaming turned on for the caller's line."""
    line = s.pick("SELECT * FROM lines WHERE status = 'Active' AND roaming_enabled = 0")
    customer, view = _caller(s, line)
    s.call("enable_roaming", customer_id=customer["customer_id"], line_id=view["line_id"])
    place = s.rng.choice(DESTINATIONS)
    return speech.sentence(
        speech.opening(s.rng, s.now()), _number(s, line),
        f"I'm flying to {place} tomorrow and I need my phone to work on mobile data while I'm there.",
    )  # fmt: skip


@story(ENV, implicit=True)
def family_trip(s: StoryContext) -> str:
    """A family trip: roaming on every Active line of the account that does not have it."""
    customer_id = s.pick(
        "SELECT customer_id FROM lines GROUP BY customer_id HAVING SUM(status = 'Active' AND roaming_enabled = 0) >= 2"
    )["customer_id"]
    lines = s.rows("SELECT * FROM lines WHERE customer_id = ? ORDER BY line_id", [customer_id])
    first = lines[0]
    s.person(ENV, customer_id)
    customer = s.call("get_customer_by_phone", phone_number=s.say(first["phone_number"]))
    turned = 0
    for line in lines:
        view = s.call("get_details_by_id", id=line["line_id"])
        if view["status"] == "Active" and not view["roaming_enabled"]:
            s.call("enable_roaming", customer_id=customer["customer_id"], line_id=view["line_id"])
            turned += 1
    place = s.rng.choice(DESTINATIONS)
    return speech.sentence(
        speech.opening(s.rng, s.now()), f"My number is {first['phone_number']}.",
        f"The whole family is going to {place} next week. Every active line on my account needs to work over "
        "there, and tell me if any line can't.",
    )  # fmt: skip


@story(ENV)
def back_home(s: StoryContext) -> str:
    """Back from a trip: roaming turned off so it cannot be charged."""
    line = s.pick("SELECT * FROM lines WHERE status = 'Active' AND roaming_enabled = 1")
    customer, view = _caller(s, line)
    s.call("disable_roaming", customer_id=customer["customer_id"], line_id=view["line_id"])
    return speech.sentence(
        speech.opening(s.rng, s.now()), _number(s, line),
        "I'm back home now, so please turn off international roaming on this line.",
    )  # fmt: skip


@story(ENV, implicit=True, weight=1.2)
def out_of_data(s: StoryContext) -> str:
    """Out of data before the month ends: a refuel of the amount asked (at most 2 GB), and its charge."""
    line = s.pick(
        "SELECT l.* FROM lines l JOIN plans p ON p.plan_id = l.plan_id "
        "WHERE l.status = 'Active' AND l.data_used_gb >= p.data_limit_gb"
    )
    customer, view = _caller(s, line)
    usage = s.call("get_data_usage", customer_id=customer["customer_id"], line_id=view["line_id"])
    amount = s.rng.choice((1.0, 2.0))
    result = s.call("refuel_data", customer_id=customer["customer_id"], line_id=view["line_id"],
                    gb_amount=s.say(amount, f"{amount:g} GB"))  # fmt: skip
    s.fact(result["charge_amount"])
    s.context(usage["data_limit_gb"])
    return speech.sentence(
        speech.opening(s.rng, s.now()), _number(s, line),
        f"My data has stopped working and it's not even the end of the month. Can I get {amount:g} GB more to "
        "tide me over? Tell me what it will cost.",
    )  # fmt: skip


@story(ENV)
def data_left(s: StoryContext) -> str:
    """How much data is used and what the plan allows this month."""
    line = s.pick("SELECT * FROM lines WHERE status = 'Active' AND data_refueling_gb = 0")
    customer, view = _caller(s, line)
    usage = s.call("get_data_usage", customer_id=customer["customer_id"], line_id=view["line_id"])
    s.fact(usage["data_used_gb"])
    s.fact(usage["data_limit_gb"])
    return speech.sentence(
        speech.opening(s.rng, s.now()), _number(s, line),
        "How much data have I used so far this month, and how much does my plan give me?",
    )  # fmt: skip


@story(ENV)
def suspend_while_away(s: StoryContext) -> str:
    """A line suspended for a stretch away, with the reason given."""
    line = s.pick("SELECT * FROM lines WHERE status = 'Active'")
    customer, view = _caller(s, line)
    reason = s.rng.choice(("working overseas for three months", "a long hospital stay", "a semester abroad"))
    result = s.call("suspend_line", customer_id=customer["customer_id"], line_id=view["line_id"],
                    reason=s.say(reason))  # fmt: skip
    s.fact(result["line"]["status"])
    return speech.sentence(
        speech.opening(s.rng, s.now()), _number(s, line),
        f"I won't need this line for a while because of {reason}. Please suspend it for now.",
    )  # fmt: skip


@story(ENV, implicit=True, weight=1.3)
def line_back(s: StoryContext) -> str:
    """A suspended line back in service; refused while a bill is overdue, and then the payment request is sent."""
    line = s.pick(
        "SELECT l.* FROM lines l WHERE l.status = 'Suspended' AND "
        + s.rng.choice(("", "NOT "))
        + "EXISTS (SELECT 1 FROM bills b WHERE b.customer_id = l.customer_id AND b.status = 'Overdue') AND "
        "NOT EXISTS (SELECT 1 FROM bills b WHERE b.customer_id = l.customer_id AND b.status = 'Awaiting Payment')"
    )
    customer, view = _caller(s, line)
    bills = s.call("get_bills_for_customer", customer_id=customer["customer_id"])
    overdue = [b for b in bills if b["status"] == "Overdue"]
    if overdue:
        s.call("send_payment_request", customer_id=customer["customer_id"], bill_id=overdue[0]["bill_id"])
        s.fact(overdue[0]["total_due"])
    else:
        s.call("resume_line", customer_id=customer["customer_id"], line_id=view["line_id"])
    return speech.sentence(
        speech.opening(s.rng, s.now()), _number(s, line),
        "My line has been suspended and I need it working again. If there's anything I owe first, send me "
        "the payment request and tell me how much it is.",
    )  # fmt: skip


@story(ENV)
def pay_overdue(s: StoryContext) -> str:
    """A notice about an overdue bill: the payment request for it, and the amount."""
    customer = s.pick(
        "SELECT c.* FROM customers c WHERE EXISTS (SELECT 1 FROM bills b WHERE b.customer_id = c.customer_id "
        "AND b.status = 'Overdue')"
    )
    s.person(ENV, customer["customer_id"])
    found = s.call("get_customer_by_id", customer_id=s.say(customer["customer_id"]))
    bills = s.call("get_bills_for_customer", customer_id=found["customer_id"])
    overdue = [b for b in bills if b["status"] == "Overdue"]
    if not overdue:
        s.reject("the overdue bill is not listed")
    s.call("send_payment_request", customer_id=found["customer_id"], bill_id=overdue[0]["bill_id"])
    s.fact(overdue[0]["total_due"])
    return speech.sentence(
        speech.opening(s.rng, s.now()), f"My customer number is {customer['customer_id']}.",
        "I got a letter saying one of my bills is overdue. Send me a request so I can pay it from my phone, "
        "and tell me the amount.",
    )  # fmt: skip


@story(ENV)
def latest_bill(s: StoryContext) -> str:
    """The most recent issued bill: its amount and due date (the running month's draft is not a bill yet)."""
    customer = s.pick("SELECT * FROM customers")
    s.person(ENV, customer["customer_id"])
    found = s.call("get_customer_by_phone", phone_number=s.say(customer["phone_number"]))
    bills = s.call("get_bills_for_customer", customer_id=found["customer_id"], limit=s.imply(2))
    issued = [b for b in bills if b["status"] != "Draft"]
    if not issued:
        s.reject("no issued bill")
    s.fact(issued[0]["total_due"])
    s.fact(issued[0]["due_date"])
    return speech.sentence(
        speech.opening(s.rng, s.now()), f"My number is {customer['phone_number']}.",
        "How much was my last bill and when is it due?",
    )  # fmt: skip


@story(ENV)
def unpaid_bills(s: StoryContext) -> str:
    """Which bills on the account are still unpaid (issued or overdue), by amount."""
    customer = s.pick(
        "SELECT c.* FROM customers c WHERE EXISTS (SELECT 1 FROM bills b WHERE b.customer_id = c.customer_id "
        "AND b.status IN ('Issued', 'Overdue'))"
    )
    s.person(ENV, customer["customer_id"])
    found = s.call("get_customer_by_id", customer_id=s.say(customer["customer_id"]))
    bills = s.call("get_bills_for_customer", customer_id=found["customer_id"])
    for bill in bills:
        if bill["status"] in ("Issued", "Overdue"):
            s.fact(bill["total_due"])
    return speech.sentence(
        speech.opening(s.rng, s.now()), f"My customer number is {customer['customer_id']}.",
        "I want to make sure I'm all caught up. Is there anything on my account I still haven't paid?",
    )  # fmt: skip


@story(ENV, implicit=True)
def plan_for_budget(s: StoryContext) -> str:
    """The plan with the most data within a monthly budget."""
    budget = s.rng.choice((35, 50, 65, 72, 80, 90))
    ids = s.call("get_available_plan_ids")
    plans = [s.call("get_details_by_id", id=plan_id) for plan_id in ids]
    fitting = [p for p in plans if p["price_per_month"] <= budget]
    best = max(fitting, key=lambda p: p["data_limit_gb"])
    s.fact(best["name"])
    s.fact(best["price_per_month"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I can spend at most {speech.money(budget)} a month on a phone plan. Which of your plans gets me the "
        "most data for that, and what does it cost?",
    )  # fmt: skip


@story(ENV)
def which_plan(s: StoryContext) -> str:
    """A caller without their number at hand: found by name and birthday; the plan their line is on."""
    customer = s.pick(
        "SELECT c.* FROM customers c WHERE (SELECT COUNT(*) FROM lines l WHERE l.customer_id = c.customer_id) = 1"
    )
    s.person(ENV, customer["customer_id"])
    name = s.say(customer["full_name"])
    birth = s.say(customer["date_of_birth"], speech.date(customer["date_of_birth"], year=True))
    found = s.call("get_customer_by_name", full_name=name, dob=birth)
    if len(found) != 1:
        s.reject("the name and birthday are not unique")
    line = s.call("get_details_by_id", id=found[0]["line_ids"][0])
    plan = s.call("get_details_by_id", id=line["plan_id"])
    s.fact(plan["name"])
    s.fact(plan["price_per_month"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I'm {customer['full_name']}, born {speech.date(customer['date_of_birth'], year=True)}.",
        "I can't remember which plan my phone is on. What plan is it and how much is it a month?",
    )  # fmt: skip


@story(ENV, implicit=True)
def roaming_on_suspended_line(s: StoryContext) -> str:
    """Roaming asked for on a line that is suspended: nothing can change until it is resumed."""
    line = s.pick("SELECT * FROM lines WHERE status = 'Suspended' AND roaming_enabled = 0")
    _caller(s, line)
    s.fact("Suspended")
    place = s.rng.choice(DESTINATIONS)
    return speech.sentence(
        speech.opening(s.rng, s.now()), _number(s, line),
        f"I'm heading to {place} on Friday. Can you make sure roaming is on for this number?",
    )  # fmt: skip
