"""UU Paotui stories: one person sending errands across a city, one storyline each.

They cover what UU users do: sending something across town now (sometimes with a tip so a runner grabs it),
sending from a saved address, pricing an errand and weighing a late-night pickup against one now, topping up
when the balance falls short, keeping a coupon for later, cancelling (free or charged by whether a runner has
accepted), cancelling only if it is free, adding a tip when nobody takes the order, asking who the runner is,
rating the last delivery, reading a receipt, saving and replacing addresses, checking balance and coupons, and
comparing cities' fares. People name places as the directory does and speak money in yuan.
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

ENV = "uu_paotui"
GOODS = (
    ("a birthday cake", "Birthday cake, keep it level", 2.0),
    ("my house keys", "Keys, hand them over in person", 0.5),
    ("some documents", "Documents, please keep them dry", 0.5),
    ("a bouquet of flowers", "Flowers, do not squash", 1.0),
    ("a box of books", "Heavy box of books", 8.0),
    ("a rice cooker", "Rice cooker in its box", 6.0),
    ("lunch", "Lunch box, deliver quickly", 1.0),
)
RECEIVERS = ("Zhang Min", "Liu Yang", "Chen Jing", "Wang Lei", "Zhao Xin", "Sun Hao", "Zhou Yan", "Ma Li")


def _account(s: StoryContext, user_id: str) -> str:
    return speech.choose(
        s.rng, f"My UU account is {user_id}.", f"My account number is {user_id}.", f"I'm {user_id} on UU."
    )


def _yuan(value: float) -> str:
    return speech.money(value, "¥")


def _user(s: StoryContext, where: str = "1 = 1", params: tuple[Any, ...] = ()) -> dict[str, Any]:
    """A user with fewer than five orders under way (the most a user may have)."""
    return s.pick(
        "SELECT * FROM users u WHERE (SELECT COUNT(*) FROM orders o WHERE o.user_id = u.user_id AND o.state IN "
        f"('awaiting_pickup', 'runner_assigned', 'picked_up')) < 5 AND {where}",
        params,
    )


def _two_places(s: StoryContext, city: str) -> tuple[dict[str, Any], dict[str, Any]]:
    pair = s.sample("SELECT * FROM places WHERE city_name = ?", 2, (city,))
    return pair[0], pair[1]


def _phone(s: StoryContext) -> str:
    return f"1{s.rng.choice('3578')}{s.rng.randint(0, 999_999_999):09d}"


def _listed(s: StoryContext, order: dict[str, Any], state: str | None = None) -> dict[str, Any]:
    """The person's order as their order list shows it (first page, optionally one state)."""
    arguments: dict[str, Any] = {"user_id": s.say(order["user_id"])}
    if state is not None:
        arguments["state"] = s.imply(state)
    page = s.call("list_orders", **arguments)
    found = next((o for o in page["orders"] if o["order_code"] == order["order_code"]), None)
    if found is None:
        s.reject("not on the first page")
    return found


def _my_order(s: StoryContext, sql: str, state: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """An order of the person's, picked by ``sql``, found in their order list; the places identify it."""
    order = s.pick(sql)
    s.person(ENV, order["user_id"])
    mine = _listed(s, order, state)
    s.context(order["to_name"], order["from_name"])
    return order, mine


def _estimate(s: StoryContext, user: dict[str, Any], origin: str, destination: str, **extra: Any) -> dict[str, Any]:
    return s.call(
        "estimate_price",
        user_id=s.say(user["user_id"]),
        city_name=s.say(user["city_name"]),
        from_address=origin,
        to_address=destination,
        **extra,
    )


# --------------------------------------------------------------------------------------------------
# Sending
# --------------------------------------------------------------------------------------------------


@story(ENV)
def send_across_town(s: StoryContext) -> str:
    """Something is sent across town right now; sometimes with a tip so a runner takes it quickly."""
    user = _user(s, "balance_fen >= 6000")
    s.person(ENV, user["user_id"])
    origin, destination = _two_places(s, user["city_name"])
    what, note, weight = s.rng.choice(GOODS)
    receiver, phone = s.rng.choice(RECEIVERS), _phone(s)
    extra: dict[str, Any] = {}
    if weight != 1.0:
        extra["goods_weight_kg"] = s.say(weight, f"{weight:g} kg")
    quote = _estimate(s, user, s.say(origin["name"]), s.say(destination["name"]), **extra)
    order = s.call(
        "create_order",
        price_token=quote["price_token"],
        receiver_name=s.say(receiver),
        receiver_phone=s.say(phone),
        note=s.say(note),
    )
    tip = s.rng.choice((0, 3, 5, 5))
    lines = [
        speech.opening(s.rng, s.now()),
        f"Please send {what} ({weight:g} kg) from {origin['name']} to {destination['name']} in {user['city_name']} "
        "right now.",
        f'It\'s for {receiver}, {phone}. Tell the runner: "{note}"',
        _account(s, user["user_id"]),
    ]
    if tip:
        s.call("add_tip", order_code=order["order_code"], tip=s.say(tip, f"¥{tip}"))
        lines.append(f"Add a ¥{tip} tip so someone picks it up fast.")
    s.fact(order["paid_money"])
    s.context(origin["name"], destination["name"])
    lines.append(speech.choose(s.rng, "How much did the delivery cost?", "What was I charged for the delivery fee?"))
    return speech.sentence(*lines)


@story(ENV, implicit=True, weight=1.2)
def send_from_saved_address(s: StoryContext) -> str:
    """Keys left at home: a runner takes them from the saved home address to where the person is."""
    row = s.pick(
        "SELECT a.*, p.name AS place_name FROM saved_addresses a JOIN places p ON p.place_id = a.place_id JOIN "
        "users u ON u.user_id = a.user_id WHERE a.label IN ('home', 'office') AND u.balance_fen >= 6000"
    )
    user = _user(s, "user_id = ?", (row["user_id"],))
    s.person(ENV, user["user_id"])
    destination = s.pick("SELECT * FROM places WHERE city_name = ? AND place_id != ?",
                         (user["city_name"], row["place_id"]))  # fmt: skip
    saved = s.call("list_addresses", user_id=s.say(user["user_id"]))
    mine = next(a for a in saved if a["address_id"] == row["address_id"])
    s.say(row["label"])
    quote = _estimate(s, user, mine["name"], s.say(destination["name"]), goods_weight_kg=s.imply(0.5))
    order = s.call(
        "create_order",
        price_token=quote["price_token"],
        receiver_name=s.say(user["name"]),
        receiver_phone=s.say(user["phone"]),
        note=s.imply(""),
    )
    s.fact(order["paid_money"])
    s.context(destination["name"], row["label"])
    place = "flat" if row["label"] == "home" else "office"
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I left my keys at my {place} — the {row['label']} address saved in my UU account.",
        f"Can a runner bring them to me at {destination['name']} in {user['city_name']}? They weigh about 0.5 kg.",
        f"I'm {user['name']}, {user['phone']}, and I'll receive them myself.",
        _account(s, user["user_id"]),
        "How much will it cost me?",
    )


@story(ENV, implicit=True)
def top_up_when_short(s: StoryContext) -> str:
    """Sending with a low balance: topped up by the amount the person names only if the balance falls short."""
    user = _user(s, "balance_fen < 3000")
    s.person(ENV, user["user_id"])
    origin, destination = _two_places(s, user["city_name"])
    what, _note, weight = s.rng.choice(GOODS)
    receiver, phone = s.rng.choice(RECEIVERS), _phone(s)
    amount = s.rng.choice((50, 100, 200))
    balance = s.call("get_balance", user_id=s.say(user["user_id"]))
    quote = _estimate(s, user, s.say(origin["name"]), s.say(destination["name"]),
                      goods_weight_kg=s.say(weight, f"{weight:g} kg"))  # fmt: skip
    s.say(amount, f"¥{amount}")
    if balance["balance"] < quote["need_paymoney"]:
        topped = s.call("recharge", user_id=user["user_id"], amount=amount)
        if topped["balance"] < quote["need_paymoney"]:
            s.reject("the top-up does not cover it")
    order = s.call(
        "create_order", price_token=quote["price_token"], receiver_name=s.say(receiver), receiver_phone=s.say(phone)
    )
    s.fact(order["paid_money"])
    s.context(origin["name"], destination["name"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I need {what}, about {weight:g} kg, taken from {origin['name']} to {destination['name']} in "
        f"{user['city_name']}, for {receiver} ({phone}).",
        _account(s, user["user_id"]),
        f"I think my balance is low — if it doesn't cover the fare, top it up with ¥{amount} first.",
        "What did the delivery cost?",
    )


@story(ENV, weight=0.8)
def keep_coupon_for_later(s: StoryContext) -> str:
    """A coupon would apply, but the person keeps it for a bigger order: priced and ordered without it."""
    coupon = s.pick(
        "SELECT c.* FROM coupons c JOIN users u ON u.user_id = c.user_id WHERE c.status = 'unused' AND "
        "c.expires_at >= ? AND c.min_fare_fen = 0 AND u.balance_fen >= 8000",
        (s.now().isoformat(sep=" "),),
    )
    user = _user(s, "user_id = ?", (coupon["user_id"],))
    s.person(ENV, user["user_id"])
    origin, destination = _two_places(s, user["city_name"])
    receiver, phone = s.rng.choice(RECEIVERS), _phone(s)
    quote = _estimate(s, user, s.say(origin["name"]), s.say(destination["name"]), use_coupon=s.imply(False))
    order = s.call(
        "create_order", price_token=quote["price_token"], receiver_name=s.say(receiver), receiver_phone=s.say(phone)
    )
    s.fact(order["paid_money"])
    s.context(origin["name"], destination["name"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"Please send a small parcel from {origin['name']} to {destination['name']} in {user['city_name']} for "
        f"{receiver}, {phone}.",
        "Don't use any of my coupons on this one, I'm saving them for later.",
        _account(s, user["user_id"]),
        "How much will I pay?",
    )


# --------------------------------------------------------------------------------------------------
# Prices
# --------------------------------------------------------------------------------------------------


@story(ENV)
def price_with_coupon(s: StoryContext) -> str:
    """What an errand would cost after the person's best coupon, and which coupon that is."""
    coupon = s.pick("SELECT * FROM coupons WHERE status = 'unused' AND expires_at >= ?", (s.now().isoformat(sep=" "),))
    user = s.pick("SELECT * FROM users WHERE user_id = ?", (coupon["user_id"],))
    s.person(ENV, user["user_id"])
    origin, destination = _two_places(s, user["city_name"])
    weight = s.rng.choice((1.0, 3.0, 7.0, 12.0))
    extra = {"goods_weight_kg": s.say(weight, f"{weight:g} kg")} if weight != 1.0 else {}
    quote = _estimate(s, user, s.say(origin["name"]), s.say(destination["name"]), **extra)
    if quote["coupon_id"] is None:
        s.reject("no coupon applies")
    s.fact(quote["need_paymoney"])
    s.fact(quote["coupon_title"])
    s.context(origin["name"], destination["name"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"What would it cost to have a runner take {weight:g} kg from {origin['name']} to {destination['name']} in "
        f"{user['city_name']}?",
        _account(s, user["user_id"]),
        "Use whatever coupon is best, and tell me which one it is and what I'd actually pay.",
    )


@story(ENV)
def tonight_or_now(s: StoryContext) -> str:
    """Now or after 22:00: the same errand priced both ways; the night surcharge is the difference."""
    user = s.pick("SELECT * FROM users")
    s.person(ENV, user["user_id"])
    origin, destination = _two_places(s, user["city_name"])
    late = f"{s.now():%Y-%m-%d} 23:00"
    now = _estimate(s, user, s.say(origin["name"]), s.say(destination["name"]), use_coupon=s.imply(False))
    later = _estimate(s, user, origin["name"], destination["name"], pickup_time=s.say(late, "11 pm tonight"),
                      use_coupon=False)  # fmt: skip
    s.fact(now["total_money"])
    s.fact(later["total_money"])
    s.context(origin["name"], destination["name"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I need something taken from {origin['name']} to {destination['name']} in {user['city_name']}.",
        "Is it cheaper to send it right now or to schedule the pickup for 11 pm tonight?",
        "Give me both prices, before any coupons.",
        _account(s, user["user_id"]),
    )


@story(ENV)
def cheapest_start_fare(s: StoryContext) -> str:
    """Comparing cities: the one with the lowest start fare, and a named city's night surcharge."""
    city = s.pick("SELECT city_name FROM cities")["city_name"]
    fares = s.call("get_city_list")
    lowest = min(f["start_fare"] for f in fares)
    cheapest = [f for f in fares if f["start_fare"] == lowest]
    if len(cheapest) != 1:
        s.reject("tie")
    mine = next(f for f in fares if f["city_name"] == s.say(city))
    s.fact(cheapest[0]["city_name"])
    s.fact(lowest)
    s.fact(mine["night_surcharge"])
    s.context(city)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        "I'm comparing UU Paotui's prices between cities for an article.",
        "Which city has the lowest start fare, and how much is it?",
        f"Also, what's the night surcharge in {city}?",
    )


# --------------------------------------------------------------------------------------------------
# Orders under way
# --------------------------------------------------------------------------------------------------


@story(ENV, implicit=True)
def errand_no_longer_needed(s: StoryContext) -> str:
    """Plans changed: the order is cancelled; whether a runner had accepted decides the fee."""
    order, mine = _my_order(s, "SELECT * FROM orders WHERE state IN ('awaiting_pickup', 'runner_assigned')")
    result = s.call("cancel_order", order_code=mine["order_code"])
    s.fact(result["refund"])
    if result["cancel_fee"]:
        s.fact(result["cancel_fee"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        speech.choose(
            s.rng,
            f"My friend at {order['to_name']} just told me they don't need the delivery after all.",
            f"Forget the errand to {order['to_name']} — it's not needed any more.",
        ),
        _account(s, order["user_id"]),
        "How much do I get back, and was there any fee?",
    )


@story(ENV)
def cancel_only_if_free(s: StoryContext) -> str:
    """Cancel only if free: with a runner on the way it stays, and the person hears who is coming."""
    order, mine = _my_order(s, "SELECT * FROM orders WHERE state IN ('awaiting_pickup', 'runner_assigned')")
    if mine["state"] == "awaiting_pickup":
        result = s.call("cancel_order", order_code=mine["order_code"])
        s.fact(result["refund"])
    else:
        s.fact(mine["runner"]["name"])
        s.fact(mine["runner"]["phone"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I might not need my delivery from {order['from_name']} to {order['to_name']} any more.",
        _account(s, order["user_id"]),
        "If cancelling is still free, cancel it and tell me the refund. If it would cost me anything, leave it "
        "and tell me the runner's name and number so I can sort it out with them.",
    )


@story(ENV, implicit=True)
def nobody_took_it(s: StoryContext) -> str:
    """No runner has accepted yet: a tip is added to attract one, and the person hears their new balance."""
    tip = s.rng.choice((2, 3, 5, 8))
    order, mine = _my_order(
        s,
        "SELECT o.* FROM orders o JOIN users u ON u.user_id = o.user_id WHERE o.state = 'awaiting_pickup' AND "
        "u.balance_fen >= 1000",
        "awaiting_pickup",
    )
    result = s.call("add_tip", order_code=mine["order_code"], tip=s.say(tip, f"¥{tip}"))
    s.fact(result["balance"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"Nobody has taken my delivery to {order['to_name']} yet and it's getting late.",
        f"Offer ¥{tip} extra so a runner grabs it.",
        _account(s, order["user_id"]),
        "What's my balance after that?",
    )


@story(ENV)
def who_is_coming(s: StoryContext) -> str:
    """Waiting at the pickup: the runner's name and phone for an order under way."""
    order, mine = _my_order(s, "SELECT * FROM orders WHERE state IN ('runner_assigned', 'picked_up')")
    s.fact(mine["runner"]["name"])
    s.fact(mine["runner"]["phone"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I'm waiting on my delivery from {order['from_name']} to {order['to_name']}.",
        _account(s, order["user_id"]),
        "Who is the runner and what's their phone number?",
    )


@story(ENV, weight=0.8)
def receipt_details(s: StoryContext) -> str:
    """Filing expenses from an order code: what was paid including tip, and who delivered."""
    order = s.pick("SELECT * FROM orders WHERE state = 'delivered' AND tip_fen > 0")
    s.person(ENV, order["user_id"])
    view = s.call("query_order", order_code=s.say(order["order_code"]))
    s.fact(round(view["paid_money"] + view["tip"], 2), derived=True)
    s.fact(view["runner"]["name"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"For my expense report: UU order {order['order_code']}.",
        "How much did I pay in total including the tip, and who was the runner?",
    )


# --------------------------------------------------------------------------------------------------
# After delivery, account and addresses
# --------------------------------------------------------------------------------------------------


@story(ENV)
def rate_last_delivery(s: StoryContext) -> str:
    """The person rates their most recent delivered errand."""
    order = s.pick(
        "SELECT o.* FROM orders o WHERE o.state = 'delivered' AND o.stars IS NULL AND o.created_at = (SELECT "
        "MAX(created_at) FROM orders x WHERE x.user_id = o.user_id AND x.state = 'delivered')"
    )
    s.person(ENV, order["user_id"])
    stars = s.rng.choice((2, 3, 4, 5, 5))
    comment = s.rng.choice(("", "Fast and careful", "The runner was late", "Very polite runner"))
    page = s.call("list_orders", user_id=s.say(order["user_id"]), state=s.imply("delivered"))
    last = page["orders"][0]
    if last["order_code"] != order["order_code"]:
        s.reject("another delivered order is newer")
    arguments: dict[str, Any] = {"order_code": last["order_code"], "stars": s.say(stars, speech.count(stars, "star"))}
    if comment:
        arguments["comment"] = s.say(comment)
    s.call("evaluate_order", **arguments)
    lines = [
        speech.opening(s.rng, s.now()),
        f"Please rate my last delivery, the one to {order['to_name']}, {speech.count(stars, 'star')}.",
        _account(s, order["user_id"]),
    ]
    if comment:
        lines.append(f'Add "{comment}" as the comment.')
    return speech.sentence(*lines)


@story(ENV)
def balance_and_coupons(s: StoryContext) -> str:
    """Before ordering: the balance and how many coupons are still usable."""
    user = s.pick("SELECT * FROM users")
    s.person(ENV, user["user_id"])
    account = s.call("get_balance", user_id=s.say(user["user_id"]))
    s.fact(account["balance"])
    s.fact(len(account["coupons"]), derived=True)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        _account(s, user["user_id"]),
        "How much money is left in my UU account, and how many coupons can I still use?",
    )


@story(ENV, implicit=True, weight=1.2)
def new_office(s: StoryContext) -> str:
    """Started a new job: the new office replaces the saved one (one office address per account)."""
    user = s.pick("SELECT * FROM users u WHERE EXISTS (SELECT 1 FROM saved_addresses a WHERE a.user_id = u.user_id "
                  "AND a.label = 'office')")  # fmt: skip
    s.person(ENV, user["user_id"])
    office = s.pick("SELECT * FROM places WHERE city_name = ? AND (name LIKE '%Tower%' OR name LIKE '%Office%' OR "
                    "name LIKE '%Science%')", (user["city_name"],))  # fmt: skip
    street = office["address"].split(",")[0]
    found = s.call("search_addresses", city_name=s.say(user["city_name"]), keyword=s.say(street))
    if found["total"] != 1:
        s.reject("the street address is not unique")
    saved = s.call("list_addresses", user_id=s.say(user["user_id"]))
    old = next(a for a in saved if a["label"] == "office")
    if old["name"] == office["name"]:
        s.reject("same office")
    s.call("delete_address", user_id=user["user_id"], address_id=old["address_id"])
    floor = s.rng.randint(3, 30)
    detail = f"Floor {floor}, reception"
    s.call(
        "add_address",
        user_id=user["user_id"],
        label=s.imply("office"),
        city_name=s.say(user["city_name"]),
        place_name=found["places"][0]["name"],
        detail=s.say(detail),
        contact_name=s.say(user["name"]),
        contact_phone=s.say(user["phone"]),
    )
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        f"I just started a new job: the office is at {street} in {user['city_name']}, {detail.lower()}.",
        "Make that my work address in UU so runners can find me; the old one can go.",
        f"Contact is me, {user['name']}, {user['phone']}.",
        _account(s, user["user_id"]),
    )
