"""Kuaidi100 stories: one person following or sending parcels, one storyline each.

They cover what people use Kuaidi100 for: asking where a parcel is (with the phone digits SF Express insists
on), identifying the courier behind a bare tracking number, comparing couriers' prices for a box between two
cities and booking the cheapest pickup, picking the fastest courier within a budget, asking when a parcel
would arrive, cancelling a pickup unless the courier already took it, subscribing a shop's webhook to a parcel
unless it is already delivered, stopping updates, keeping their parcel list tidy (saving with a note, renaming
a note, clearing delivered parcels) and asking which of their parcels are out for delivery. People name
couriers ("ZTO", "SF Express") and cities, never courier codes; prices are spoken in yuan (stored in fen).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

ENV = "kuaidi100"
SHORT_NAMES = {
    "shunfeng": ("SF Express", "SF"),
    "zhongtong": ("ZTO Express", "ZTO"),
    "yuantong": ("YTO Express", "YTO"),
    "shentong": ("STO Express", "STO"),
    "yunda": ("Yunda Express", "Yunda"),
    "jd": ("JD Logistics", "JD"),
    "ems": ("EMS", "EMS"),
    "jtexpress": ("J&T Express", "J&T"),
    "debangwuliu": ("Deppon Express", "Deppon"),
}
SLOTS = {
    "09:00-11:00": "between 9 and 11 in the morning",
    "11:00-13:00": "between 11 am and 1 pm",
    "13:00-15:00": "between 1 and 3 in the afternoon",
    "15:00-17:00": "between 3 and 5 pm",
    "17:00-19:00": "between 5 and 7 in the evening",
}
WEBHOOKS = (
    "https://hooks.myshop.cn/kuaidi",
    "https://api.teashop-hz.cn/parcels/push",
    "https://notify.deskapp.cn/track",
)


def _courier(s: StoryContext, com: str) -> str:
    """The courier as the person names it; the code follows from the name."""
    name = s.rng.choice(SHORT_NAMES[com])
    s.say(com, name)
    return name


def _account(s: StoryContext, user_id: str) -> str:
    return speech.choose(
        s.rng, f"My Kuaidi100 account is {user_id}.", f"My account number is {user_id}.", f"I'm {user_id}."
    )


def _listed(s: StoryContext, tool: str, key: str, field: str, value: Any, **arguments: Any) -> dict[str, Any]:
    """The row of a listing the person means, read from the first page the tool returns."""
    page = s.call(tool, **arguments)
    found = next((item for item in page[key] if item[field] == value), None)
    if found is None:
        s.reject("not on the first page")
    return found


def _last_place(s: StoryContext, trace: dict[str, Any]) -> None:
    s.fact(trace["events"][0]["location"])
    s.fact(trace["is_signed"], derived=True)


def _trace_args(s: StoryContext, parcel: dict[str, Any], name: str) -> tuple[dict[str, Any], str]:
    arguments: dict[str, Any] = {"com": parcel["com"], "num": s.say(parcel["num"])}
    line = f"My {name} tracking number is {parcel['num']}."
    if parcel["com"] == "shunfeng":
        digits = parcel["receiver_phone"][-4:]
        arguments["phone"] = s.say(digits)
        line += f" The phone number on it ends in {digits}."
    return arguments, line


# --------------------------------------------------------------------------------------------------
# Tracking
# --------------------------------------------------------------------------------------------------


@story(ENV)
def where_is_my_parcel(s: StoryContext) -> str:
    """Someone expecting a parcel asks whether it has arrived and where it was last scanned."""
    parcel = s.pick("SELECT * FROM parcels WHERE state IN ('in_transit', 'out_for_delivery', 'signed')")
    name = _courier(s, parcel["com"])
    arguments, line = _trace_args(s, parcel, name)
    trace = s.call("query_trace", **arguments)
    _last_place(s, trace)
    s.context(parcel["to_city"], parcel["from_city"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        speech.choose(
            s.rng,
            f"I'm waiting for a parcel from {parcel['from_city']}.",
            "I ordered something online and it still hasn't shown up.",
        ),
        line,
        speech.choose(
            s.rng,
            "Has it been delivered yet, and which city was it last scanned in?",
            "Where was it last seen, and has anyone signed for it?",
        ),
    )


@story(ENV, weight=0.7)
def sf_needs_phone_digits(s: StoryContext) -> str:
    """An SF Express parcel: the trace needs the phone's last digits, which the person gives up front."""
    parcel = s.pick("SELECT * FROM parcels WHERE com = 'shunfeng' AND state NOT IN ('signed', 'returned')")
    s.say("shunfeng", "SF")
    digits = parcel["sender_phone"][-4:]
    trace = s.call("query_trace", com="shunfeng", num=s.say(parcel["num"]), phone=s.say(digits))
    s.fact(trace["events"][0]["location"])
    s.fact(trace["state_text"])
    s.context(parcel["to_city"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I sent something to a friend in {parcel['to_city']} by SF, number {parcel['num']}, and they keep asking "
        "me where it is.",
        f"My phone, the sender's, ends in {digits}.",
        "What's its status and where is it right now?",
    )


@story(ENV, implicit=True)
def number_without_courier(s: StoryContext) -> str:
    """Only a tracking number on a slip: the courier is found from its format, then the parcel traced."""
    parcel = s.pick("SELECT * FROM parcels WHERE com != 'shunfeng' AND state != 'returned'")
    found = s.call("auto_detect_courier", num=s.say(parcel["num"]))
    if len(found) != 1:
        s.reject("ambiguous number")
    trace = s.call("query_trace", com=found[0]["com"], num=parcel["num"])
    s.fact(found[0]["name"])
    _last_place(s, trace)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        speech.choose(
            s.rng,
            f"The seller only gave me the number {parcel['num']}, not which company is delivering it.",
            f"There's a slip in my mailbox with {parcel['num']} on it and nothing else.",
        ),
        "Who is the courier, where is the parcel now, and has it been delivered?",
    )


@story(ENV, implicit=True, weight=0.7)
def returned_or_problem(s: StoryContext) -> str:
    """A parcel that should have arrived: its trace shows a delivery problem or a return, and why."""
    parcel = s.pick(
        "SELECT * FROM parcels p WHERE state IN ('problem', 'returning', 'returned') AND com != 'shunfeng' "
        "AND (SELECT COUNT(*) FROM trace_events e WHERE e.num = p.num) >= 6"
    )
    name = _courier(s, parcel["com"])
    trace = s.call("query_trace", com=parcel["com"], num=s.say(parcel["num"]))
    s.fact(trace["state_text"])
    s.fact(speech.date(trace["events"][-1]["time"][:10]), derived=True)
    s.context(parcel["from_city"], parcel["to_city"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"My {name} parcel {parcel['num']} to {parcel['to_city']} should have been there by now.",
        speech.choose(
            s.rng,
            "Is something wrong with it? Tell me its status, and remind me which day the courier collected it.",
            "What's going on with it, and on what day was it picked up in the first place?",
        ),
    )


# --------------------------------------------------------------------------------------------------
# Prices and times
# --------------------------------------------------------------------------------------------------


def _route(s: StoryContext) -> tuple[str, str]:
    pair = s.sample("SELECT city FROM cities WHERE remote = 0", 2)
    return pair[0]["city"], pair[1]["city"]


def _weight(s: StoryContext) -> float:
    return s.rng.choice((0.8, 1.5, 2.3, 3.0, 4.6, 6.0, 8.5, 12.0))


@story(ENV)
def cheapest_courier(s: StoryContext) -> str:
    """Comparing every courier's price for one box between two cities: the cheapest and what it costs."""
    origin, destination = _route(s)
    weight = _weight(s)
    quotes = s.call(
        "estimate_price",
        from_city=s.say(origin),
        to_city=s.say(destination),
        weight_kg=s.say(weight, f"{weight:g} kg"),
    )
    if len(quotes) > 1 and quotes[0]["price_fen"] == quotes[1]["price_fen"]:
        s.reject("tie for the cheapest")
    s.fact(quotes[0]["courier_name"])
    s.fact(speech.from_cents(quotes[0]["price_fen"]), derived=True)
    s.context(origin, destination)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I need to send a {weight:g} kg box from {origin} to {destination}.",
        speech.choose(
            s.rng,
            "Which courier is the cheapest, and how much would it cost?",
            "Who would charge me the least, and what's the price?",
        ),
    )


@story(ENV, weight=0.6)
def price_with_one_courier(s: StoryContext) -> str:
    """The person already uses one courier and asks its price for a parcel."""
    origin, destination = _route(s)
    weight = _weight(s)
    com = s.pick("SELECT com FROM couriers WHERE max_weight_kg >= ?", (weight,))["com"]
    name = _courier(s, com)
    quotes = s.call(
        "estimate_price",
        from_city=s.say(origin),
        to_city=s.say(destination),
        weight_kg=s.say(weight, f"{weight:g} kg"),
        com=com,
    )
    s.fact(speech.from_cents(quotes[0]["price_fen"]), derived=True)
    s.context(origin, destination, name)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"How much does {name} charge for {weight:g} kg from {origin} to {destination}?",
    )


@story(ENV)
def which_courier_is_sooner(s: StoryContext) -> str:
    """Three couriers the person can use: which would deliver first between two cities if sent now, and on what day."""
    origin, destination = _route(s)
    trio = s.sample("SELECT com FROM couriers", 3)
    names = [_courier(s, row["com"]) for row in trio]
    estimates = [
        s.call("estimate_time", com=row["com"], from_city=s.say(origin), to_city=s.say(destination)) for row in trio
    ]
    if len({e["estimated_arrival"][:10] for e in estimates}) < 3:
        s.reject("two arrive the same day: the comparison says little")
    first = min(estimates, key=lambda e: e["estimated_arrival"])
    s.fact(first["courier_name"])
    s.fact(speech.date(first["estimated_arrival"][:10]), derived=True)
    s.context(origin, destination)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I can hand a parcel to {names[0]}, {names[1]} or {names[2]} in {origin} right now.",
        f"Which of them would get it to {destination} first, and on what day would it arrive?",
    )


@story(ENV, implicit=True)
def heavy_item_couriers(s: StoryContext) -> str:
    """A heavy item: which couriers accept its weight at all, and how to call them."""
    weight = s.rng.choice((45, 55, 70, 80))
    couriers = s.call("list_couriers")
    taking = [c for c in couriers if c["max_weight_kg"] >= weight]
    if not taking or len(taking) > 4:
        s.reject("too many couriers")
    for courier in taking:
        s.fact(courier["name"])
        s.fact(courier["hotline"])
    s.detail("weight", weight, f"{weight} kg", vague="very heavy", synonyms=["weight", "kg", "how heavy"])
    item = s.rng.choice(("a treadmill", "a boxed armchair", "a crate of books", "a mini fridge"))
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I need to ship {item} that weighs {weight} kg.",
        "Which courier companies would accept something that heavy, and what are their customer service numbers?",
    )


@story(ENV, implicit=True)
def fastest_within_budget(s: StoryContext) -> str:
    """A gift must arrive soon but cost no more than a budget: the fastest courier within it, and its arrival day."""
    origin, destination = _route(s)
    weight = _weight(s)
    quotes = s.call(
        "estimate_price", from_city=s.say(origin), to_city=s.say(destination), weight_kg=s.say(weight, f"{weight:g} kg")
    )
    prices = sorted({q["price_fen"] for q in quotes})
    if len(prices) < 3:
        s.reject("too few prices")
    budget = (prices[len(prices) // 2] // 500 + 1) * 500
    within = [q for q in quotes if q["price_fen"] <= budget]
    fastest = min(q["transit_hours"] for q in within)
    best = [q for q in within if q["transit_hours"] == fastest]
    if len(best) != 1 or len(within) == len(quotes):
        s.reject("no single fastest courier within budget")
    s.say(budget // 100, f"¥{budget // 100}")
    estimate = s.call("estimate_time", com=best[0]["com"], from_city=origin, to_city=destination)
    s.fact(best[0]["courier_name"])
    s.fact(speech.date(estimate["estimated_arrival"][:10]), derived=True)
    s.context(origin, destination)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"My mum's birthday present weighs {weight:g} kg and has to go from {origin} to {destination}.",
        f"I can spend at most ¥{budget // 100} on shipping, but I want it there as soon as possible.",
        "Which courier should I use, and what day would it arrive if I send it now?",
    )


# --------------------------------------------------------------------------------------------------
# Pickups
# --------------------------------------------------------------------------------------------------


@story(ENV, implicit=True)
def book_cheapest_pickup(s: StoryContext) -> str:
    """Sending a parcel from home: the cheapest courier for it is booked to collect it tomorrow."""
    user = s.pick("SELECT * FROM users")
    s.person(ENV, user["user_id"])
    destination = s.pick("SELECT city FROM cities WHERE remote = 0 AND city != ?", (user["city"],))["city"]
    weight = _weight(s)
    quotes = s.call(
        "estimate_price",
        from_city=s.say(user["city"]),
        to_city=s.say(destination),
        weight_kg=s.say(weight, f"{weight:g} kg"),
    )
    if len(quotes) > 1 and quotes[0]["price_fen"] == quotes[1]["price_fen"]:
        s.reject("tie for the cheapest")
    tomorrow = (s.now().date() + dt.timedelta(days=1)).isoformat()
    slot = s.rng.choice(tuple(SLOTS))
    receiver = s.pick("SELECT receiver_name, receiver_phone, receiver_address FROM pickup_orders WHERE to_city = ?",
                      (destination,))  # fmt: skip
    item = s.rng.choice(("books", "clothes", "tea", "documents"))
    order = s.call(
        "create_pickup_order",
        user_id=s.say(user["user_id"]),
        com=quotes[0]["com"],
        receiver_name=s.say(receiver["receiver_name"]),
        receiver_phone=s.say(receiver["receiver_phone"]),
        receiver_address=s.say(receiver["receiver_address"]),
        to_city=destination,
        item=s.say(item),
        weight_kg=weight,
        pickup_date=s.say(tomorrow, "tomorrow"),
        pickup_slot=s.say(slot, SLOTS[slot]),
    )
    s.fact(order["courier_name"])
    s.fact(speech.from_cents(order["estimated_fen"]), derived=True)
    ask = "Which courier did you book and what will it cost?"
    if s.rng.random() < 0.85:
        estimate = s.call(
            "estimate_time", com=order["com"], from_city=user["city"], to_city=destination,
            send_time=s.imply(f"{tomorrow} {slot[:5]}"),
        )  # fmt: skip
        s.fact(speech.date(estimate["estimated_arrival"][:10]), derived=True)
        ask = "Which courier did you book, what will it cost, and what day should it arrive?"
    s.context(destination, receiver["receiver_name"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I want to send {weight:g} kg of {item} from my place in {user['city']} to {receiver['receiver_name']}, "
        f"{receiver['receiver_address']}, {destination}, phone {receiver['receiver_phone']}.",
        _account(s, user["user_id"]),
        f"Book whichever courier is cheapest to pick it up from my home tomorrow {SLOTS[slot]}.",
        ask,
    )


@story(ENV, implicit=True)
def cancel_pickup_unless_collected(s: StoryContext) -> str:
    """Plans changed: the pickup is cancelled, unless the courier already took the parcel (then where it is)."""
    order = s.pick(
        "SELECT o.*, u.phone FROM pickup_orders o JOIN users u ON u.user_id = o.user_id WHERE o.status IN "
        "('awaiting_pickup', 'collected') AND (SELECT COUNT(*) FROM pickup_orders x WHERE x.user_id = o.user_id "
        "AND x.receiver_name = o.receiver_name) = 1"
    )
    s.person(ENV, order["user_id"])
    mine = _listed(s, "list_pickup_orders", "orders", "order_id", order["order_id"], user_id=s.say(order["user_id"]))
    s.say(order["receiver_name"])
    digits = order["phone"][-4:]
    if order["status"] == "awaiting_pickup":
        s.call("cancel_pickup_order", order_id=mine["order_id"])
    else:
        arguments = {"com": mine["com"], "num": mine["tracking_num"]}
        if mine["com"] == "shunfeng":
            arguments["phone"] = s.say(digits)
        trace = s.call("query_trace", **arguments)
        s.fact(mine["tracking_num"])
        s.fact(trace["events"][0]["location"])
    s.context(order["to_city"], order["receiver_name"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I'm not sending the {order['item']} to {order['receiver_name']} in {order['to_city']} after all.",
        _account(s, order["user_id"]),
        speech.choose(
            s.rng,
            "Cancel the courier pickup if it hasn't happened yet; if they already took it, give me the tracking "
            "number and tell me where the parcel is now.",
            "Please call off the pickup. If the courier has already collected it, tell me its tracking number and "
            "where it has got to.",
        ),
        f"My phone number ends in {digits}, in case you need it to look the parcel up."
        if order["com"] == "shunfeng"
        else "",
    )


# --------------------------------------------------------------------------------------------------
# Subscriptions
# --------------------------------------------------------------------------------------------------


@story(ENV)
def push_to_shop_unless_delivered(s: StoryContext) -> str:
    """A shop owner wants pushes for a customer's parcel, unless it is already delivered (then when)."""
    user = s.pick("SELECT * FROM users")
    parcel = s.pick(
        "SELECT * FROM parcels p WHERE com != 'shunfeng' AND state IN ('in_transit', 'out_for_delivery', 'signed') "
        "AND NOT EXISTS (SELECT 1 FROM subscriptions x WHERE x.num = p.num AND x.user_id = ?)",
        (user["user_id"],),
    )
    s.person(ENV, user["user_id"])
    name = _courier(s, parcel["com"])
    url = s.rng.choice(WEBHOOKS)
    trace = s.call("query_trace", com=parcel["com"], num=s.say(parcel["num"]))
    if trace["is_signed"]:
        s.fact(speech.date(trace["events"][0]["time"][:10]), derived=True)
    else:
        s.call("subscribe_tracking", user_id=s.say(user["user_id"]), com=parcel["com"], num=parcel["num"],
               callback_url=s.say(url))  # fmt: skip
    s.context(parcel["to_city"])
    s.say(user["user_id"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I run a small online shop and a customer's order went out with {name}, number {parcel['num']}.",
        _account(s, user["user_id"]),
        f"Please have every tracking update pushed to {url}, unless it's already been delivered — in that case "
        "just tell me the day it was signed for.",
    )


@story(ENV)
def stop_updates(s: StoryContext) -> str:
    """The person no longer wants pushes for a parcel: its active subscription is cancelled."""
    sub = s.pick("SELECT * FROM subscriptions WHERE status = 'active'")
    s.person(ENV, sub["user_id"])
    subs = s.call("list_subscriptions", user_id=s.say(sub["user_id"]))
    mine = next(x for x in subs if x["subscription_id"] == sub["subscription_id"])
    s.say(sub["num"])
    s.call("unsubscribe_tracking", subscription_id=mine["subscription_id"])
    saved = s.rows("SELECT 1 FROM saved_parcels WHERE user_id = ? AND num = ?", (sub["user_id"], sub["num"]))
    tidy = ""
    if saved and s.rng.random() < 0.7:
        s.call("remove_saved_parcel", user_id=sub["user_id"], num=sub["num"])
        tidy = "Take it off my parcel list too."
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        speech.choose(
            s.rng,
            f"My server keeps getting tracking pushes for {sub['num']} and I don't need them any more.",
            f"Please stop sending me updates about parcel {sub['num']}.",
        ),
        _account(s, sub["user_id"]),
        tidy,
    )


# --------------------------------------------------------------------------------------------------
# My parcels
# --------------------------------------------------------------------------------------------------


@story(ENV)
def save_with_note(s: StoryContext) -> str:
    """A parcel is added to the person's list with a note, and they hear where it is."""
    user = s.pick("SELECT * FROM users")
    parcel = s.pick(
        "SELECT * FROM parcels p WHERE NOT EXISTS (SELECT 1 FROM saved_parcels x WHERE x.num = p.num AND "
        "x.user_id = ?) AND state NOT IN ('signed', 'returned')",
        (user["user_id"],),
    )
    s.person(ENV, user["user_id"])
    name = _courier(s, parcel["com"])
    note = s.rng.choice(("Gift for Dad", "New headphones", "Textbooks", "Spare charger", "Wedding invitations"))
    saved = s.call(
        "save_parcel", user_id=s.say(user["user_id"]), com=parcel["com"], num=s.say(parcel["num"]), note=s.say(note)
    )
    s.fact(saved["last_location"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f'Add my {name} parcel {parcel["num"]} to my list with the note "{note}".',
        _account(s, user["user_id"]),
        "Where is it at the moment?",
    )


@story(ENV, implicit=True)
def clear_delivered(s: StoryContext) -> str:
    """Tidying the list: every saved parcel already signed for is removed."""
    user = s.pick(
        "SELECT user_id FROM saved_parcels s JOIN parcels p ON p.num = s.num WHERE p.state = 'signed' "
        "GROUP BY user_id HAVING COUNT(*) BETWEEN 2 AND 4"
    )
    s.person(ENV, user["user_id"])
    page = s.call("list_saved_parcels", user_id=s.say(user["user_id"]), state=s.imply("signed"))
    for parcel in page["parcels"]:
        s.call("remove_saved_parcel", user_id=user["user_id"], num=parcel["num"])
    s.fact(len(page["parcels"]), derived=True)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        "My parcel list is getting cluttered with stuff that's already arrived.",
        _account(s, user["user_id"]),
        "Take off everything that has been signed for and tell me how many you removed.",
    )


@story(ENV)
def out_for_delivery_today(s: StoryContext) -> str:
    """Staying home for deliveries: which saved parcels are out for delivery, by their notes."""
    user = s.pick(
        "SELECT user_id FROM saved_parcels s JOIN parcels p ON p.num = s.num WHERE p.state IN "
        "('out_for_delivery', 'in_transit') AND s.note != '' GROUP BY user_id"
    )
    s.person(ENV, user["user_id"])
    page = s.call("list_saved_parcels", user_id=s.say(user["user_id"]))
    coming = [p for p in page["parcels"] if p["state"] == "out_for_delivery"]
    moving = [p for p in page["parcels"] if p["state"] in ("out_for_delivery", "in_transit")]
    if not moving or any(not p["note"] for p in moving):
        s.reject("unnamed parcels")
    for parcel in moving:
        s.fact(parcel["note"])
    s.fact(len(coming), derived=True)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        "I'm trying to figure out whether to stay home today.",
        _account(s, user["user_id"]),
        "Which of my saved parcels are still on the way, going by my notes, and how many of them are already out "
        "for delivery?",
    )


@story(ENV, weight=0.8)
def rename_note(s: StoryContext) -> str:
    """A note on a saved parcel is changed; the person names the parcel by its old note."""
    row = s.pick(
        "SELECT * FROM saved_parcels s WHERE note != '' AND (SELECT COUNT(*) FROM saved_parcels x WHERE "
        "x.user_id = s.user_id AND x.note = s.note) = 1"
    )
    s.person(ENV, row["user_id"])
    mine = _listed(s, "list_saved_parcels", "parcels", "num", row["num"], user_id=s.say(row["user_id"]))
    s.say(row["note"])
    new = s.rng.choice(("Return to seller", "For the office", "Anniversary present", "Keep the box"))
    if new == row["note"]:
        s.reject("same note")
    s.call("update_parcel_note", user_id=row["user_id"], num=mine["num"], note=s.say(new))
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f'On my parcel list, the one I labelled "{row["note"]}" should now say "{new}".',
        _account(s, row["user_id"]),
    )


@story(ENV, implicit=True, weight=1.3)
def move_pickup_slot(s: StoryContext) -> str:
    """The courier cannot come in the booked slot: pickups cannot be changed, so it is cancelled and rebooked."""
    order = s.pick(
        "SELECT * FROM pickup_orders o WHERE status = 'awaiting_pickup' AND pickup_date > ? AND (SELECT COUNT(*) "
        "FROM pickup_orders x WHERE x.user_id = o.user_id AND x.receiver_name = o.receiver_name) = 1",
        (s.now().date().isoformat(),),
    )
    s.person(ENV, order["user_id"])
    slot = s.rng.choice([x for x in SLOTS if x != order["pickup_slot"]])
    mine = _listed(
        s, "list_pickup_orders", "orders", "order_id", order["order_id"],
        user_id=s.say(order["user_id"]), status=s.imply("awaiting_pickup"),
    )  # fmt: skip
    s.say(order["receiver_name"])
    s.call("cancel_pickup_order", order_id=mine["order_id"])
    new = s.call(
        "create_pickup_order",
        user_id=order["user_id"],
        com=mine["com"],
        receiver_name=mine["receiver_name"],
        receiver_phone=mine["receiver_phone"],
        receiver_address=mine["receiver_address"],
        to_city=mine["to_city"],
        item=mine["item"],
        weight_kg=mine["weight_kg"],
        pickup_date=mine["pickup_date"],
        pickup_slot=s.say(slot, SLOTS[slot]),
    )
    s.fact(speech.from_cents(new["estimated_fen"]), derived=True)
    s.context(order["receiver_name"], order["to_city"], order["pickup_date"])
    day = speech.date(order["pickup_date"], weekday=True)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I booked a courier to collect my parcel for {order['receiver_name']} on {day}, but I won't be home then.",
        f"Can they come the same day {SLOTS[slot]} instead? Everything else stays the same.",
        _account(s, order["user_id"]),
        "What's the price on the new booking?",
    )


@story(ENV, weight=1.3)
def follow_new_parcel(s: StoryContext) -> str:
    """A parcel just shipped: it is traced, saved to the list with a note and subscribed to a webhook."""
    user = s.pick("SELECT * FROM users")
    parcel = s.pick(
        "SELECT * FROM parcels p WHERE com != 'shunfeng' AND state IN ('collected', 'in_transit') AND NOT EXISTS "
        "(SELECT 1 FROM saved_parcels x WHERE x.num = p.num AND x.user_id = ?) AND NOT EXISTS (SELECT 1 FROM "
        "subscriptions y WHERE y.num = p.num AND y.user_id = ?)",
        (user["user_id"], user["user_id"]),
    )
    s.person(ENV, user["user_id"])
    found = s.call("auto_detect_courier", num=s.say(parcel["num"]))
    if len(found) != 1:
        s.reject("ambiguous number")
    note = s.rng.choice(("Laptop from JD", "Camping gear", "Baby clothes", "Coffee beans"))
    url = s.rng.choice(WEBHOOKS)
    saved = s.call("save_parcel", user_id=s.say(user["user_id"]), com=found[0]["com"], num=parcel["num"],
                   note=s.say(note))  # fmt: skip
    s.call("subscribe_tracking", user_id=user["user_id"], com=found[0]["com"], num=parcel["num"],
           callback_url=s.say(url))  # fmt: skip
    s.fact(found[0]["name"])
    s.fact(saved["last_location"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"The shop says my order has shipped with tracking number {parcel['num']}, but not who is carrying it.",
        _account(s, user["user_id"]),
        f'Put it on my parcel list as "{note}" and have the updates pushed to {url}.',
        "Which courier is it with, and where is it now?",
    )
