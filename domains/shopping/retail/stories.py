"""Retail stories: one customer writing to the store's support, one storyline each.

What customers of an online store ask support for, acted out under the store's policy (see
envfactory_gym.synthesis.stories). Every story starts the way the policy demands: the customer gives their
email, or their name and zip code, and the agent finds their account before anything else.

* questions: what an order cost and how it was paid, its tracking number, a gift card's balance, whether a
  product is in stock in the options one wants and at what price, whether something bought before can be
  bought again at the same price, what a return would bring back (worked out with the calculator);
* changes to a pending order: cancel it (with the reason the customer gives), ship it elsewhere, pay with
  another method, or swap an item for another size or colour before it ships; a move that updates the
  profile and every order still pending; two items changed in one go (the store allows one change);
* delivered orders: return items to a gift card or the original payment, exchange an item that does not
  fit for another option of the same product;
* refusals the state decides: cancelling an order that has already been processed or whose items were
  changed, exchanging for an option that is sold out; and a damaged delivery that needs a person.
"""

from __future__ import annotations

import json
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

BRANDS = {"visa": "Visa", "mastercard": "Mastercard", "amex": "Amex", "discover": "Discover"}
# Order statuses whose items have left the warehouse (a tracking number exists).
SHIPPED = ("processed", "delivered", "return requested", "exchange requested")
UNSWAPPABLE = ("gender",)

# --------------------------------------------------------------------------------------------------
# How a customer names things
# --------------------------------------------------------------------------------------------------


def _option_words(name: str, value: str) -> str:
    """'blue', 'size M', 'waterproof', 'not waterproof', 'slim fit', '1.7L capacity'."""
    if value in ("yes", "no"):
        return name if value == "yes" else f"not {name}"
    if "color" in name:
        return value
    if name == "size":
        return f"size {value}"
    return f"{value} {name}"


def _with(name: str, value: str) -> str:
    """'in red', 'in size 9', 'with 2000W power'."""
    words = _option_words(name, value)
    return f"in {words}" if "color" in name or name == "size" else f"with {words}"


def _asked(name: str, value: str) -> str:
    """The question whose answer is the option's value: 'is it waterproof', 'what size is it'."""
    if value in ("yes", "no"):
        return f"is it {name}"
    return f"what {name} is it"


def _options(options: dict[str, str], only: list[str] | None = None) -> str:
    names = only if only is not None else list(options)
    return ", ".join(_option_words(n, options[n]) for n in names)


def _product(name: str) -> str:
    return name.lower()


def _a(name: str) -> str:
    """'a kettle', 'an e-reader'."""
    word = _product(name)
    return ("an " if word[0] in "aeiou" else "a ") + word


def _lines(s: StoryContext, order_id: str) -> list[dict[str, Any]]:
    rows = s.rows("SELECT * FROM order_items WHERE order_id = ? ORDER BY position", (order_id,))
    for row in rows:
        row["options"] = json.loads(row["options"])
    return rows


def _single_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lines whose product appears once in the order: 'the kettle' names them unambiguously."""
    names = [line["name"] for line in lines]
    return [line for line in lines if names.count(line["name"]) == 1]


def _wallet(s: StoryContext, user_id: str) -> list[dict[str, Any]]:
    return s.rows("SELECT * FROM payment_methods WHERE user_id = ? ORDER BY position", (user_id,))


def _method_phrase(s: StoryContext, method: dict[str, Any], wallet: list[dict[str, Any]]) -> str:
    """'my Visa ending in 4242', 'my PayPal', 'my gift card', 'the gift card with $80.25 on it'."""
    if method["source"] == "credit_card":
        phrase = f"my {BRANDS.get(method['brand'], method['brand'])} ending in {method['last_four']}"
        s.detail("card", method["last_four"], phrase, vague="my card", synonyms=["credit card", "payment method"])
        return phrase
    if method["source"] == "paypal":
        return speech.choose(s.rng, "my PayPal", "my PayPal account")
    gift_cards = [m for m in wallet if m["source"] == "gift_card"]
    if len(gift_cards) == 1:
        return "my gift card"
    return f"the gift card with {speech.money((method['balance_cents'] or 0) / 100)} on it"


def _identify(s: StoryContext, user: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The customer introduces themselves; the agent finds the account and opens the profile.

    Returns the introducing sentence and the profile (tau2's user document)."""
    s.person("retail", user["user_id"])
    same_name = s.rows(
        "SELECT COUNT(*) AS n FROM users WHERE lower(first_name) = lower(?) AND lower(last_name) = lower(?) "
        "AND zip = ?",
        (user["first_name"], user["last_name"], user["zip"]),
    )[0]["n"]
    first, last = user["first_name"], user["last_name"]
    if same_name == 1 and s.rng.random() < 0.4:
        s.say(first)
        s.say(last)
        zip_phrase = speech.choose(s.rng, f"my zip code is {user['zip']}", f"zip code {user['zip']}")
        s.detail("zip code", user["zip"], user["zip"], phrase=zip_phrase, synonyms=["zip", "postal code"])
        uid = s.call("find_user_id_by_name_zip", first_name=first, last_name=last, zip=user["zip"])
        intro = speech.choose(
            s.rng,
            f"This is {first} {last}, {zip_phrase}.",
            f"I'm {first} {last}, {zip_phrase}.",
        )
    else:
        email = user["email"]
        intro = speech.choose(
            s.rng,
            f"My email is {email}.",
            f"I'm {first} {last}, my email is {email}.",
            f"You can find me under {email}.",
        )
        s.detail("email", email, email, phrase=intro, synonyms=["email address", "e-mail", "account"])
        uid = s.call("find_user_id_by_email", email=email)
    return intro, s.call("get_user_details", user_id=uid)


def _order_ref(
    s: StoryContext,
    order: dict[str, Any],
    lines: list[dict[str, Any]],
    *,
    avoid: tuple[str, ...] = (),
    id_share: float = 0.55,
) -> str:
    """Name the order the way the customer would: its number, or what was in it when that singles it out
    (never by an item the request goes on to name, ``avoid``)."""
    order_id = order["order_id"]
    others = {
        row["name"]
        for row in s.rows(
            "SELECT DISTINCT i.name FROM order_items i JOIN orders o USING (order_id) WHERE o.user_id = ? "
            "AND o.order_id != ?",
            (order["user_id"], order_id),
        )
    }
    telling = [line for line in _single_lines(lines) if line["name"] not in others and line["name"] not in avoid]
    if s.rng.random() < id_share or not telling:
        noun = speech.choose(s.rng, "order", "my order", "order number")
        ref = f"{noun} {order_id}"
        s.detail("order number", order_id, order_id, phrase=ref, vague="my order", synonyms=["order", "order id"])
        return ref
    line = s.rng.choice(telling)
    return speech.choose(
        s.rng, f"my order with the {_product(line['name'])}", f"the order I placed for the {_product(line['name'])}"
    )


def _customer_of(s: StoryContext, order: dict[str, Any]) -> dict[str, Any]:
    return s.rows("SELECT * FROM users WHERE user_id = ?", (order["user_id"],))[0]


def _open(
    s: StoryContext, where: str, params: tuple[Any, ...] = ()
) -> tuple[dict[str, Any], dict[str, Any], str, dict[str, Any], list[dict[str, Any]]]:
    """Pick an order and let its owner introduce themselves; the agent opens it. The story names the order
    with :func:`_named` once it knows which items the request mentions.

    Returns (order row, profile, introduction, order details, order lines)."""
    order = s.pick(f"SELECT o.* FROM orders o WHERE {where} ORDER BY o.order_id", params)
    lines = _lines(s, order["order_id"])
    intro, profile = _identify(s, _customer_of(s, order))
    details = s.call("get_order_details", order_id=order["order_id"])
    return order, profile, intro, details, lines


def _named(s: StoryContext, order: dict[str, Any], lines: list[dict[str, Any]], *mentioned: dict[str, Any]) -> str:
    order["ref"] = _order_ref(s, order, lines, avoid=tuple(line["name"] for line in mentioned))
    return order["ref"]


def _address_words(s: StoryContext, address: dict[str, str]) -> str:
    """'9 Elm Court, Unit 4, Boulder, CO 80302' with every part marked as stated."""
    for name in ("address1", "city", "state", "zip"):
        s.say(address[name])
    if address["address2"]:
        s.say(address["address2"])
    else:
        s.imply("")
    s.imply(address["country"])
    parts = [address["address1"], address["address2"], address["city"], f"{address['state']} {address['zip']}"]
    return ", ".join(p for p in parts if p)


def _other_address(s: StoryContext, user_id: str, city: str) -> dict[str, str]:
    """A real-looking address in another city (where the customer now lives or wants the parcel)."""
    row = s.pick(
        "SELECT address1, address2, city, country, state, zip FROM users WHERE user_id != ? AND city != ? "
        "ORDER BY user_id",
        (user_id, city),
    )
    return {k: row[k] for k in ("address1", "address2", "city", "state", "country", "zip")}


# --------------------------------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------------------------------


@story("retail", weight=0.8)
def what_did_i_pay(s: StoryContext) -> str:
    """A customer checking a statement asks what an order cost and what it was charged to."""
    order, profile, intro, details, lines = _open(
        s,
        "o.status IN ('pending', 'processed', 'delivered') AND (SELECT COUNT(*) FROM order_payments p "
        "WHERE p.order_id = o.order_id) = 1",
    )
    _named(s, order, lines)
    payment = details["payment_history"][0]
    s.fact(payment["amount"])
    method = profile["payment_methods"][payment["payment_method_id"]]
    ask_method = s.rng.random() < 0.6
    if ask_method:
        if method["source"] == "credit_card":
            s.fact(method["last_four"])
        else:
            s.fact("PayPal" if method["source"] == "paypal" else "gift card", derived=True)
    s.context(order["order_id"])
    question = speech.choose(
        s.rng,
        f"How much did I pay for {order['ref']}?",
        f"What was the total on {order['ref']}?",
        f"I'm going through my statement: what did {order['ref']} cost me?",
    )
    tail = (
        speech.choose(s.rng, "And which payment method was it charged to?", "And what did I pay with?")
        if ask_method
        else ""
    )
    return speech.sentence(speech.opening(s.rng), intro, question, tail)


@story("retail")
def where_is_my_package(s: StoryContext) -> str:
    """A customer waiting for a parcel wants the tracking number to follow it."""
    order, _, intro, details, lines = _open(
        s,
        "o.status IN ('processed', 'delivered') "
        "AND (SELECT COUNT(*) FROM fulfillments f WHERE f.order_id = o.order_id) = 1",
    )
    _named(s, order, lines)
    s.fact(details["fulfillments"][0]["tracking_id"][0])
    s.context(order["order_id"])
    need = speech.choose(
        s.rng,
        f"I'd like to follow the parcel for {order['ref']} myself.",
        f"I want to check with the carrier where {order['ref']} is.",
        f"I haven't been able to follow {order['ref']} on the carrier's website.",
    )
    ask = speech.choose(s.rng, "What's the tracking number?", "Could you give me the tracking number?")
    if details["status"] == "delivered" or s.rng.random() < 0.5:
        s.fact(details["status"])
        ask += " " + speech.choose(s.rng, "And does it show as delivered yet?", "Also, what's its status right now?")
    return speech.sentence(speech.opening(s.rng), intro, need, ask)


@story("retail")
def gift_card_balance(s: StoryContext) -> str:
    """A customer about to shop asks what is left on their gift card."""
    user = s.pick(
        "SELECT u.* FROM users u WHERE (SELECT COUNT(*) FROM payment_methods p WHERE p.user_id = u.user_id "
        "AND p.source = 'gift_card') = 1 ORDER BY u.user_id"
    )
    intro, profile = _identify(s, user)
    card = next(m for m in profile["payment_methods"].values() if m["source"] == "gift_card")
    s.fact(card["balance"])
    lead = speech.choose(s.rng, "I'm about to order a few things.", "I got a gift card from you a while ago.", "")
    ask = speech.choose(s.rng, "How much is left on my gift card?", "What's the balance on my gift card?")
    return speech.sentence(speech.opening(s.rng), intro, lead, ask)


def _variant_rows(s: StoryContext, product_id: str) -> list[dict[str, Any]]:
    rows = s.rows("SELECT * FROM variants WHERE product_id = ? ORDER BY position", (product_id,))
    for row in rows:
        row["options"] = json.loads(row["options"])
    return rows


@story("retail")
def is_it_in_stock(s: StoryContext) -> str:
    """A customer wants a product in particular options and asks whether it is in stock and its price."""
    user = s.pick("SELECT * FROM users ORDER BY user_id")
    product = s.pick("SELECT * FROM products ORDER BY product_id")
    variants = _variant_rows(s, product["product_id"])
    wanted = s.rng.choice(variants)
    intro, _ = _identify(s, user)
    products = s.call("list_all_product_types")
    found = s.call("get_product_details", product_id=products[product["name"]])
    variant = found["variants"][wanted["item_id"]]
    if variant["available"]:
        s.fact(variant["price"])
        ask = speech.choose(
            s.rng, "Do you have it in stock, and what does it cost?", "Is it available, and how much is it?"
        )
    else:
        s.fact(False)
        ask = speech.choose(s.rng, "Is it in stock right now?", "Can I order it today, or is it sold out?")
    s.context(product["name"], *wanted["options"].values())
    want = speech.choose(
        s.rng,
        f"I'm looking at the {_product(product['name'])} in {_options(wanted['options'])}.",
        f"I'd like to buy the {_product(product['name'])}, {_options(wanted['options'])}.",
    )
    return speech.sentence(speech.opening(s.rng), intro, want, ask)


@story("retail", weight=0.8)
def cheapest_option(s: StoryContext) -> str:
    """A customer on a budget wants the cheapest option of a product that is in stock."""
    user = s.pick("SELECT * FROM users ORDER BY user_id")
    product = s.pick("SELECT * FROM products ORDER BY product_id")
    stocked = sorted(
        (v for v in _variant_rows(s, product["product_id"]) if v["available"]), key=lambda v: v["price_cents"]
    )
    if len(stocked) < 2 or stocked[0]["price_cents"] == stocked[1]["price_cents"]:
        s.reject("no single cheapest option")
    intro, _ = _identify(s, user)
    products = s.call("list_all_product_types")
    found = s.call("get_product_details", product_id=products[product["name"]])
    cheapest = found["variants"][stocked[0]["item_id"]]
    s.fact(cheapest["price"])
    option = s.rng.choice(list(cheapest["options"]))
    s.fact(cheapest["options"][option])
    s.context(product["name"])
    need = speech.choose(
        s.rng,
        f"I need {_a(product['name'])} but I'm on a tight budget.",
        f"I want to get {_a(product['name'])} without spending much.",
    )
    ask = speech.choose(
        s.rng,
        f"What's the cheapest one you have in stock, and {_asked(option, cheapest['options'][option])}?",
        f"Which in-stock option costs the least? Tell me the price, and {_asked(option, cheapest['options'][option])}.",
    )
    return speech.sentence(speech.opening(s.rng), intro, need, ask)


@story("retail", implicit=True, weight=0.8)
def buy_it_again(s: StoryContext) -> str:
    """A customer who liked something they bought asks whether the same item can be had again, and at what price."""
    order, _, intro, _, lines = _open(s, "o.status = 'delivered'")
    singles = _single_lines(lines)
    if not singles:
        s.reject("no single item")
    line = s.rng.choice(singles)
    _named(s, order, lines, line)
    item = s.call("get_item_details", item_id=line["item_id"])
    if item["available"]:
        s.fact(item["price"])
        ask = speech.choose(
            s.rng,
            "Can I still get exactly the same one, and what does it cost now?",
            "Is that exact one still in stock, and at what price?",
        )
    else:
        s.fact(False)
        ask = speech.choose(s.rng, "Can I still get exactly the same one?", "Is that exact one still available?")
    s.context(order["order_id"], line["name"])
    liked = speech.choose(
        s.rng,
        f"I loved the {_product(line['name'])} from {order['ref']} and want another for my brother.",
        f"The {_product(line['name'])} I got in {order['ref']} was great; I'd like to buy one more.",
    )
    return speech.sentence(speech.opening(s.rng), intro, liked, ask)


@story("retail", implicit=True)
def what_would_a_return_bring(s: StoryContext) -> str:
    """A customer thinking of sending two things back asks how much they would get back."""
    order, _, intro, details, lines = _open(
        s, "o.status = 'delivered' AND (SELECT COUNT(*) FROM order_items i WHERE i.order_id = o.order_id) >= 3"
    )
    singles = _single_lines(lines)
    if len(singles) < 2:
        s.reject("too few distinct items")
    chosen = sorted(s.rng.sample(singles, 2), key=lambda line: line["position"])
    _named(s, order, lines, *chosen)
    prices = [details["items"][line["position"]]["price"] for line in chosen]
    total = s.call("calculate", expression=s.imply(f"{prices[0]} + {prices[1]}"))
    s.fact(total)
    s.context(order["order_id"], *(line["name"] for line in chosen))
    names = speech.listing([f"the {_product(line['name'])}" for line in chosen])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"I'm thinking about sending back {names} from {order['ref']}.",
            f"I'm not sure I'll keep {names} from {order['ref']}.",
        ),
        speech.choose(
            s.rng, "How much would I get back for the two together?", "What would the refund come to for both?"
        ),
    )


# --------------------------------------------------------------------------------------------------
# Pending orders
# --------------------------------------------------------------------------------------------------

REASONS = {
    "ordered by mistake": (
        "I ordered it by mistake.",
        "I placed it by accident.",
        "I clicked order by mistake.",
    ),
    "no longer needed": (
        "I don't need it anymore.",
        "I no longer need it.",
        "turns out I don't need it after all.",
    ),
}


@story("retail", weight=1.3)
def cancel_order(s: StoryContext) -> str:
    """A customer cancels a pending order, giving their reason."""
    order, _, intro, _, lines = _open(s, "o.status = 'pending'")
    _named(s, order, lines)
    reason = s.rng.choice(list(REASONS))
    s.call("cancel_pending_order", order_id=order["order_id"], reason=s.imply(reason))
    why = speech.choose(s.rng, *REASONS[reason])
    ask = speech.choose(s.rng, f"Please cancel {order['ref']}.", f"I'd like to cancel {order['ref']}.")
    if why[0].islower():
        return speech.sentence(speech.opening(s.rng), intro, ask, why[0].upper() + why[1:])
    return speech.sentence(speech.opening(s.rng), intro, ask, why)


@story("retail")
def cancel_too_late(s: StoryContext) -> str:
    """A customer wants to cancel an order the warehouse has already processed: the store cannot."""
    order, _, intro, details, lines = _open(
        s,
        "o.status = 'processed' AND (SELECT COUNT(*) FROM fulfillments f WHERE f.order_id = o.order_id) = 1",
    )
    _named(s, order, lines)
    s.fact(details["status"])
    s.fact(details["fulfillments"][0]["tracking_id"][0])
    s.context(order["order_id"])
    reason = s.rng.choice(list(REASONS))
    why = speech.choose(s.rng, *REASONS[reason])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(s.rng, f"Please cancel {order['ref']}.", f"Can you stop {order['ref']}?"),
        why[0].upper() + why[1:],
        speech.choose(
            s.rng,
            "If it's too late, tell me what state it's in and give me the tracking number so I can refuse the parcel.",
            "If you can't, tell me why, and send me the tracking number so I can turn the delivery away.",
        ),
    )


@story("retail", implicit=True)
def send_it_elsewhere(s: StoryContext) -> str:
    """A customer who will be away has a pending order shipped to another address."""
    order, _, intro, _, lines = _open(s, "o.status IN ('pending', 'pending (item modified)')")
    _named(s, order, lines)
    address = _other_address(s, order["user_id"], order["city"])
    words = _address_words(s, address)
    s.call("modify_pending_order_address", order_id=order["order_id"], **address)
    where = speech.choose(
        s.rng,
        f"I'll be staying with my parents for a few weeks, so {order['ref']} should go to their place "
        f"instead: {words}.",
        f"I won't be home when {order['ref']} arrives. Please ship it to my office at {words}.",
    )
    return speech.sentence(speech.opening(s.rng), intro, where)


@story("retail", implicit=True, weight=1.2)
def i_moved(s: StoryContext) -> str:
    """A customer who moved updates their profile and every order of theirs that has not shipped yet."""
    user = s.pick(
        "SELECT u.* FROM users u WHERE (SELECT COUNT(*) FROM orders o WHERE o.user_id = u.user_id) BETWEEN 2 AND 3 "
        "AND EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.user_id AND o.status LIKE 'pending%') "
        "ORDER BY u.user_id"
    )
    intro, profile = _identify(s, user)
    address = _other_address(s, user["user_id"], user["city"])
    words = _address_words(s, address)
    pending = []
    for order_id in profile["orders"]:
        details = s.call("get_order_details", order_id=order_id)
        if "pending" in details["status"]:
            pending.append(order_id)
    s.call("modify_user_address", user_id=profile["user_id"], **address)
    for order_id in pending:
        s.call("modify_pending_order_address", order_id=order_id, **address)
    move = speech.choose(s.rng, "I just moved.", "I've moved house.", "We moved last weekend.")
    ask = speech.choose(
        s.rng,
        f"My new address is {words}. Please update my account, and anything I ordered that hasn't shipped "
        "yet should come there too.",
        f"Please change my address to {words}, on my profile and on any orders that haven't gone out yet.",
    )
    return speech.sentence(speech.opening(s.rng), intro, move, ask)


@story("retail")
def pay_another_way(s: StoryContext) -> str:
    """A customer moves a pending order's payment to another of their payment methods."""
    order, _, intro, details, lines = _open(
        s,
        "o.status LIKE 'pending%' AND (SELECT COUNT(*) FROM order_payments p WHERE p.order_id = o.order_id) = 1 "
        "AND (SELECT COUNT(*) FROM payment_methods m WHERE m.user_id = o.user_id) >= 2",
    )
    _named(s, order, lines)
    total = details["payment_history"][0]
    wallet = _wallet(s, order["user_id"])
    options = [
        m
        for m in wallet
        if m["payment_method_id"] != total["payment_method_id"]
        and (m["source"] != "gift_card" or (m["balance_cents"] or 0) >= round(total["amount"] * 100))
    ]
    if not options:
        s.reject("no other method that can pay")
    method = s.rng.choice(options)
    phrase = _method_phrase(s, method, wallet)
    current = next(m for m in wallet if m["payment_method_id"] == total["payment_method_id"])
    s.call("modify_pending_order_payment", order_id=order["order_id"], payment_method_id=method["payment_method_id"])
    was = {"credit_card": "the card", "paypal": "PayPal", "gift_card": "the gift card"}[current["source"]]
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"I'd rather pay for {order['ref']} with {phrase} instead of {was} I used.",
            f"Can you switch the payment on {order['ref']} to {phrase}?",
        ),
    )


def _one_option_swaps(
    s: StoryContext, line: dict[str, Any], *, in_stock: bool = True
) -> list[tuple[str, dict[str, Any]]]:
    """Variants of the line's product (in stock, or sold out) that differ from it in exactly one option:
    (option, variant)."""
    swaps = []
    for variant in _variant_rows(s, line["product_id"]):
        if bool(variant["available"]) != in_stock or variant["item_id"] == line["item_id"]:
            continue
        changed = [k for k in line["options"] if variant["options"].get(k) != line["options"][k]]
        # Yes/no options and who a product is for do not read as "in X instead".
        if (
            len(changed) == 1
            and set(variant["options"]) == set(line["options"])
            and variant["options"][changed[0]] not in ("yes", "no")
            and changed[0] not in UNSWAPPABLE
        ):
            swaps.append((changed[0], variant))
    return swaps


def _swap(
    s: StoryContext, lines: list[dict[str, Any]], *, in_stock: bool = True
) -> tuple[dict[str, Any], str, dict[str, Any]]:
    candidates = [
        (line, *swap) for line in _single_lines(lines) for swap in _one_option_swaps(s, line, in_stock=in_stock)
    ]
    if not candidates:
        s.reject("nothing to swap")
    line, option, variant = s.rng.choice(candidates)
    return line, option, variant


def _difference_method(s: StoryContext, user_id: str, difference_cents: int) -> tuple[dict[str, Any], str]:
    wallet = _wallet(s, user_id)
    usable = [m for m in wallet if m["source"] != "gift_card" or (m["balance_cents"] or 0) >= max(difference_cents, 0)]
    if not usable:
        s.reject("no method for the difference")
    method = s.rng.choice(usable)
    return method, _method_phrase(s, method, wallet)


def _swap_one(
    s: StoryContext, status: str, tool: str
) -> tuple[dict[str, Any], str, dict[str, Any], str, dict[str, Any], str]:
    """One item of an order in ``status`` swapped (by ``tool``) for the in-stock option that differs in one
    option, the price difference settled on a method the customer names.

    Returns (order, introduction, the order line, the option changed, the new variant, the method's phrase)."""
    order, _, intro, _, lines = _open(s, "o.status = ?", (status,))
    line, option, variant = _swap(s, lines)
    _named(s, order, lines, line)
    product = s.call("get_product_details", product_id=line["product_id"])
    new = product["variants"][variant["item_id"]]
    method, phrase = _difference_method(s, order["user_id"], variant["price_cents"] - line["price_cents"])
    s.call(
        tool,
        order_id=order["order_id"],
        item_ids=[line["item_id"]],
        new_item_ids=[new["item_id"]],
        payment_method_id=method["payment_method_id"],
    )
    return order, intro, line, option, new, phrase


@story("retail", weight=1.2)
def change_before_it_ships(s: StoryContext) -> str:
    """Before a pending order ships, a customer changes one item to another colour or size."""
    order, intro, line, option, new, phrase = _swap_one(s, "pending", "modify_pending_order_items")
    target = _option_words(option, new["options"][option])
    changed = _with(option, new["options"][option])
    s.say(new["options"][option])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"Before {order['ref']} ships, I'd like the {_product(line['name'])} {changed} instead.",
            f"In {order['ref']}, please change the {_product(line['name'])} to {target}; everything else about "
            "it stays the same.",
        ),
        f"That's the only change. Any price difference can go on {phrase}.",
    )


@story("retail")
def change_two_items(s: StoryContext) -> str:
    """A customer changes two items of a pending order at once (the store allows one change per order)."""
    order, _, intro, _, lines = _open(s, "o.status = 'pending'")
    swaps = [(line, *swap) for line in _single_lines(lines) for swap in _one_option_swaps(s, line)[:1]]
    if len(swaps) < 2:
        s.reject("fewer than two items to change")
    chosen = sorted(s.rng.sample(swaps, 2), key=lambda c: c[0]["position"])
    _named(s, order, lines, *(line for line, _, _ in chosen))
    new_items = []
    wishes = []
    for line, option, variant in chosen:
        product = s.call("get_product_details", product_id=line["product_id"])
        new_items.append(product["variants"][variant["item_id"]]["item_id"])
        s.say(variant["options"][option])
        wishes.append(f"the {_product(line['name'])} {_with(option, variant['options'][option])}")
    difference = sum(v["price_cents"] - line["price_cents"] for line, _, v in chosen)
    method, phrase = _difference_method(s, order["user_id"], difference)
    s.call(
        "modify_pending_order_items",
        order_id=order["order_id"],
        item_ids=[line["item_id"] for line, _, _ in chosen],
        new_item_ids=new_items,
        payment_method_id=method["payment_method_id"],
    )
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"I'd like to make two changes to {order['ref']} before it ships: {speech.listing(wishes)} instead.",
        speech.choose(s.rng, "Those are all the changes.", "Nothing else needs to change."),
        f"Settle any price difference with {phrase}.",
    )


@story("retail", implicit=True)
def cancel_after_changing(s: StoryContext) -> str:
    """A customer wants to cancel an order whose items were already changed: the store no longer can."""
    order, _, intro, details, lines = _open(s, "o.status = 'pending (item modified)'")
    _named(s, order, lines)
    s.fact(details["status"])
    s.context(order["order_id"])
    why = speech.choose(s.rng, *REASONS["no longer needed"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(s.rng, f"I changed my mind about {order['ref']}.", f"Forget about {order['ref']}."),
        why[0].upper() + why[1:],
        speech.choose(s.rng, "Can it still be cancelled? If not, why?", "Please cancel it if that's still possible."),
    )


# --------------------------------------------------------------------------------------------------
# Delivered orders
# --------------------------------------------------------------------------------------------------


@story("retail", weight=1.2)
def return_to_gift_card(s: StoryContext) -> str:
    """A customer returns items of a delivered order and wants the refund on their gift card."""
    order, profile, intro, _, lines = _open(
        s,
        "o.status = 'delivered' AND (SELECT COUNT(*) FROM payment_methods m WHERE m.user_id = o.user_id "
        "AND m.source = 'gift_card') = 1",
    )
    singles = _single_lines(lines)
    if not singles:
        s.reject("no single item")
    chosen = sorted(
        s.rng.sample(singles, min(len(singles), s.rng.choice((1, 1, 2)))), key=lambda line: line["position"]
    )
    _named(s, order, lines, *chosen)
    gift = next(m for m in profile["payment_methods"].values() if m["source"] == "gift_card")
    s.call(
        "return_delivered_order_items",
        order_id=order["order_id"],
        item_ids=[line["item_id"] for line in chosen],
        payment_method_id=gift["id"],
    )
    names = speech.listing([f"the {_product(line['name'])}" for line in chosen])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"I want to return {names} from {order['ref']}.",
            f"I'd like to send back {names} from {order['ref']}.",
        ),
        speech.choose(s.rng, "Please put the refund on my gift card.", "I'd like the money on my gift card."),
    )


@story("retail", implicit=True)
def money_back(s: StoryContext) -> str:
    """A customer unhappy with something delivered wants their money back where they paid."""
    order, _, intro, details, lines = _open(
        s, "o.status = 'delivered' AND (SELECT COUNT(*) FROM order_payments p WHERE p.order_id = o.order_id) = 1"
    )
    singles = _single_lines(lines)
    if not singles:
        s.reject("no single item")
    line = s.rng.choice(singles)
    _named(s, order, lines, line)
    paid_with = details["payment_history"][0]["payment_method_id"]
    s.call(
        "return_delivered_order_items",
        order_id=order["order_id"],
        item_ids=[line["item_id"]],
        payment_method_id=paid_with,
    )
    complaint = speech.choose(
        s.rng,
        f"The {_product(line['name'])} from {order['ref']} isn't what I expected at all.",
        f"I'm really disappointed with the {_product(line['name'])} I got in {order['ref']}.",
    )
    want = speech.choose(
        s.rng,
        "I just want my money back, the same way I paid. The rest of the order is fine.",
        "I don't want a replacement, just a refund to what I paid with. I'm keeping everything else.",
    )
    return speech.sentence(speech.opening(s.rng), intro, complaint, want)


@story("retail", implicit=True, weight=1.3)
def does_not_fit(s: StoryContext) -> str:
    """A customer whose delivered item does not fit (or is the wrong colour) exchanges it for another option."""
    order, intro, line, option, new, phrase = _swap_one(s, "delivered", "exchange_delivered_order_items")
    s.say(new["options"][option])
    target = _option_words(option, new["options"][option])
    had = _option_words(option, line["options"][option])
    if option == "size" or option.endswith("size"):
        problem = (
            f"The {_product(line['name'])} from {order['ref']} doesn't fit: {had} was wrong for me, I need {target}."
        )
    else:
        problem = (
            f"I got the {_product(line['name'])} in {order['ref']} {_with(option, line['options'][option])}, "
            f"but I really wanted it {_with(option, new['options'][option])}."
        )
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        problem,
        speech.choose(s.rng, "Otherwise the same one, please.", "Everything else about it is fine."),
        f"Use {phrase} for any difference in price.",
    )


@story("retail", implicit=True, weight=0.8)
def arrived_broken(s: StoryContext) -> str:
    """A delivered item arrived broken and the customer wants compensation from a person: out of scope."""
    order, _, intro, details, lines = _open(s, "o.status = 'delivered'")
    singles = _single_lines(lines)
    if not singles:
        s.reject("no single item")
    line = s.rng.choice(singles)
    _named(s, order, lines, line)
    paid_with = details["payment_history"][0]["payment_method_id"]
    s.call(
        "return_delivered_order_items",
        order_id=order["order_id"],
        item_ids=[line["item_id"]],
        payment_method_id=paid_with,
    )
    s.call(
        "transfer_to_human_agents", summary=s.imply(f"damaged {line['name']} in delivered order, wants compensation")
    )
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"The {_product(line['name'])} in {order['ref']} arrived smashed and the box was soaked.",
        speech.choose(
            s.rng,
            "Please take it back and refund it to what I paid with.",
            "I'm sending it back: refund it the way I paid.",
        ),
        speech.choose(
            s.rng,
            "Then I'd like to talk to a person about compensation for the damage.",
            "After that I want someone from your team to deal with compensation for the damage.",
        ),
    )


@story("retail", implicit=True)
def wanted_option_sold_out(s: StoryContext) -> str:
    """A delivered item does not suit and the option the customer wants instead is sold out: no exchange."""
    order, _, intro, _, lines = _open(s, "o.status = 'delivered'")
    line, option, variant = _swap(s, lines, in_stock=False)
    _named(s, order, lines, line)
    product = s.call("get_product_details", product_id=line["product_id"])
    s.fact(product["variants"][variant["item_id"]]["available"])
    s.fact(product["variants"][variant["item_id"]]["price"])
    s.say(variant["options"][option])
    s.context(order["order_id"], line["name"], variant["options"][option])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"The {_product(line['name'])} from {order['ref']} isn't right for me "
        f"{_with(option, line['options'][option])}.",
        f"Could I swap it for the same one {_with(option, variant['options'][option])}? Is that one available, "
        "and what does it cost?",
    )
