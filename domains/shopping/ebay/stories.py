"""eBay stories: one member of the marketplace per task, one storyline each.

Buyers hunt for the cheapest auction of a kind that ends soon and bid the least it takes, set a maximum
bid and ask whether they lead, check a seller's feedback before buying, buy the cheapest new one that
takes returns, make a best offer (the listing's thresholds decide what happens), keep and prune a
watchlist, follow a parcel, return an item that arrived damaged or that they no longer need (the returns
policy and the money-back guarantee decide whether they may), and leave feedback (inside the 60 days).
Sellers list an item at a stated price and shipping, start an auction, mark an order shipped with its
tracking number, answer the offers on a listing, cut a price (refused once an auction has bids), end an
auction early only if nobody has bid, and ask what still needs shipping. Prices are stored in cents;
requests and facts use dollars as a person says them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from .models import GUARANTEE_DAYS, NOW
from .seed import CATEGORY_TREE, tracking_number

ENV = "ebay"
TODAY = NOW.date()
SINGLE_LINE = "(SELECT COUNT(*) FROM line_items x WHERE x.order_id = o.order_id) = 1"
LIVE = f"i.listing_status = 'ACTIVE' AND i.end_time > '{NOW.isoformat()}'"
# Feedback comments are quoted in the request: the gold comment is exactly what the person wrote.
PRAISE = ("Fast shipping, exactly as described.", "Great seller, well packed.", "Smooth transaction, thanks!")
BUYER_PRAISE = ("Quick payment, great buyer.", "Smooth transaction, thank you!")
COMPLAINTS = ("Slow shipping but item is fine.", "Item OK, packaging was poor.")
CONDITION_WORDS = {"NEW": "new", "USED": "used", "SELLER_REFURBISHED": "refurbished"}


def money(cents: int) -> str:
    return speech.money(speech.from_cents(cents))


def dollars(cents: int) -> float:
    return speech.from_cents(cents)


def me(s: StoryContext, username: str) -> str:
    """The member's introduction: who they are on the marketplace."""
    s.person(ENV, username)
    s.say(username)
    return speech.choose(s.rng, f"My username is {username}.", f"I'm {username} on here.", f"This is {username}.")


def product(title: str) -> str:
    """How a person names a listing: its title without the seller's condition tag."""
    return title.split(" - ")[0]


def a(name: str) -> str:
    """A product name with its indefinite article ('an Apple Watch', 'a Sony ...', 'an 8BitDo ...')."""
    return ("an " if name[:1].upper() in "AEIOU8" else "a ") + name


def total_cost(item: dict[str, Any]) -> int:
    return int(item["price"]) + int(item["shipping_cost"])


# -- buying ----------------------------------------------------------------------------------------------


@story(ENV, weight=1.8)
def bid_on_cheapest_auction_ending_tomorrow(s: StoryContext) -> str:
    """A buyer wants the cheapest used (or new) auction in a category that ends by tomorrow, at the
    lowest bid it will take."""
    leaf = s.pick(
        "SELECT c.* FROM categories c WHERE c.leaf = 1 AND (SELECT COUNT(*) FROM items i WHERE "
        f"i.category_id = c.category_id AND i.buying_format = 'AUCTION' AND {LIVE} AND i.end_time < ?) >= 3",
        ((TODAY + dt.timedelta(days=2)).isoformat(),),
    )
    condition = s.rng.choice(("USED", "USED", "NEW"))
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    buyer = s.pick("SELECT username FROM users WHERE positive_count < 600")["username"]
    intro = me(s, buyer)
    roots = s.call("get_categories")
    top = next((c for c in roots if c["category_id"] != "0" and leaf["parent_id"] == c["category_id"]), None)
    if top is None:
        s.reject("top category not listed")
    children = s.call("get_categories", parent_id=top["category_id"])
    match = next(c for c in children if c["category_id"] == leaf["category_id"])
    s.say(leaf["name"])
    page = s.call(
        "search_items",
        category_id=match["category_id"],
        condition=s.imply(condition),
        buying_format=s.imply("AUCTION"),
        ends_by=s.say(tomorrow, speech.date(tomorrow)),
        sort=s.imply("price"),
    )
    items = page["items"]
    if len(items) < 2 or total_cost(items[0]) == total_cost(items[1]):
        s.reject("fewer than two or a tie")
    cheapest = items[0]
    if min(items, key=lambda i: i["price"])["item_id"] != cheapest["item_id"] or cheapest["seller"] == buyer:
        s.reject("cheapest by price differs from cheapest with shipping, or own listing")
    details = s.call("get_item_details", item_id=cheapest["item_id"])
    s.imply(details["minimum_bid"])
    bid = s.call("place_bid", username=buyer, item_id=cheapest["item_id"], max_amount=details["minimum_bid"])
    s.fact(cheapest["item_id"])
    s.fact(dollars(bid["your_max_bid"]), derived=True)
    s.context(product(cheapest["title"]))
    kind = CONDITION_WORDS[condition]
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"I'm after something {kind} in the {leaf['name']} category and I like auctions.",
            f"I want to pick up a bargain from {leaf['name']} at auction, {kind} condition.",
        ),
        f"Find the cheapest {kind} auction there, counting shipping, that ends by tomorrow, "
        f"{speech.date(tomorrow)}, and place the lowest bid it will accept.",
        "Which item number did you bid on, and how much is my bid?",
    )


@story(ENV)
def set_a_maximum_bid(s: StoryContext) -> str:
    """A buyer puts a maximum bid on an auction they know; the proxy bidding decides whether they lead."""
    item = s.pick(
        f"SELECT i.* FROM items i WHERE i.buying_format = 'AUCTION' AND {LIVE} AND i.bid_count >= 1 "
        "AND i.price BETWEEN 1000 AND 200000"
    )
    bidder = s.pick(
        "SELECT username FROM users WHERE username != ? AND username != ? AND "
        "username NOT IN (SELECT bidder FROM bids WHERE item_id = ?)",
        (item["seller"], item["high_bidder"], item["item_id"]),
    )["username"]
    intro = me(s, bidder)
    details = s.call("get_item_details", item_id=s.say(item["item_id"]))
    least = int(details["minimum_bid"])
    amount = (least * s.rng.choice((1.1, 1.3, 1.6)) // 100) * 100
    if amount < least:
        s.reject("rounded below the minimum")
    s.say(int(amount), money(int(amount)))
    bid = s.call("place_bid", username=bidder, item_id=item["item_id"], max_amount=int(amount))
    s.fact("yes" if bid["high_bidder"] else "no")
    s.fact(dollars(bid["current_price"]), derived=True)
    s.context(product(item["title"]))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"Please put a maximum bid of {money(int(amount))} on item {item['item_id']}.",
            f"I'm willing to go up to {money(int(amount))} for item {item['item_id']}; bid that for me.",
        ),
        "Am I the highest bidder now, and what's the current price?",
    )


@story(ENV)
def check_seller_before_buying(s: StoryContext) -> str:
    """Before buying, a shopper asks how reliable the seller of a listing is and what shipping costs."""
    item = s.pick(f"SELECT i.* FROM items i WHERE {LIVE}")
    s.call("get_item_details", item_id=s.say(item["item_id"]))
    profile = s.call("get_user_profile", username=item["seller"])
    s.fact(profile["feedback_score"])
    s.fact(profile["positive_percent"])
    s.fact(profile["member_since"][:4], derived=True)
    s.context(product(item["title"]), item["seller"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm looking at item {item['item_id']} and I've never bought from that seller.",
        speech.choose(
            s.rng,
            "What's their feedback score, what percentage of it is positive, and since what year have they "
            "been a member?",
            "Can I trust them? Give me their feedback score, their positive feedback percentage and the "
            "year they joined.",
        ),
    )


@story(ENV, implicit=True)
def buy_the_cheapest_new_one_with_returns(s: StoryContext) -> str:
    """A buyer wants a named product new, at a fixed price, from a listing that takes returns, cheapest
    delivered; they buy one."""
    row = s.pick(
        f"SELECT i.title FROM items i WHERE {LIVE} AND i.buying_format = 'FIXED_PRICE' AND i.condition = 'NEW' "
        "AND i.returns_accepted = 1 GROUP BY substr(i.title, 1, instr(i.title || ' - ', ' - ') - 1) "
        "HAVING COUNT(*) >= 2"
    )
    name = product(row["title"])
    buyer = s.pick("SELECT username FROM users WHERE positive_count < 600")["username"]
    intro = me(s, buyer)
    page = s.call(
        "search_items",
        q=s.say(name),
        condition=s.imply("NEW"),
        buying_format=s.imply("FIXED_PRICE"),
        returns_accepted=True,
        sort=s.imply("price"),
    )
    items = [i for i in page["items"] if product(i["title"]) == name]
    if len(items) < 2 or len(items) != len(page["items"]) or total_cost(items[0]) == total_cost(items[1]):
        s.reject("other products match, too few, or a tie")
    chosen = items[0]
    if chosen["seller"] == buyer:
        s.reject("own listing")
    order = s.call("buy_it_now", username=buyer, item_id=chosen["item_id"])
    s.fact(dollars(order["total"]), derived=True)
    s.context(name)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"I need {a(name)} and I want it brand new, bought outright, no auctions.",
            f"My old one died, so I need a new {name} right away, not an auction.",
        ),
        "It has to come from a seller who takes returns. Get me the cheapest one with shipping included.",
        "What did it come to in total?",
    )


@story(ENV)
def make_an_offer(s: StoryContext) -> str:
    """A buyer offers a price below Buy It Now; the seller's thresholds accept or decline it at once, or
    it waits for the seller. A listing without offers refuses, and the buyer hears the price."""
    accepts = s.rng.random() < 0.8
    item = s.pick(
        f"SELECT i.* FROM items i WHERE {LIVE} AND i.buying_format = 'FIXED_PRICE' AND i.price >= 3000 "
        f"AND i.best_offer_enabled = {1 if accepts else 0}"
    )
    buyer = s.pick(
        "SELECT username FROM users WHERE username != ? AND username NOT IN "
        "(SELECT buyer FROM best_offers WHERE item_id = ?)",
        (item["seller"], item["item_id"]),
    )["username"]
    intro = me(s, buyer) if accepts else ""
    details = s.call("get_item_details", item_id=s.say(item["item_id"]))
    offer = int(item["price"] * s.rng.choice((0.6, 0.75, 0.85, 0.95)) // 100 * 100)
    s.say(offer, money(offer))
    if accepts:
        result = s.call("make_best_offer", username=buyer, item_id=item["item_id"], price=offer)
        s.fact(result["status"])
    else:
        s.fact(dollars(details["price"]), derived=True)
    s.context(product(item["title"]))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"Item {item['item_id']} is a bit over my budget. Offer the seller {money(offer)} for it.",
            f"Would the seller of item {item['item_id']} take {money(offer)}? Send them that offer.",
        ),
        "Tell me what happened to the offer; if the seller doesn't take offers at all, tell me the asking price.",
    )


@story(ENV, implicit=True)
def am_i_winning(s: StoryContext) -> str:
    """A bidder asks which of their running auctions they are currently winning, and at what price."""
    user = s.pick(
        f"SELECT b.bidder FROM bids b JOIN items i ON i.item_id = b.item_id WHERE {LIVE} "
        "GROUP BY b.bidder HAVING SUM(i.high_bidder = b.bidder) BETWEEN 1 AND 2 AND COUNT(DISTINCT i.item_id) >= 2 "
        "AND COUNT(DISTINCT i.item_id) <= 6"
    )["bidder"]
    intro = me(s, user)
    page = s.call("get_bidding", username=user)
    winning = [a for a in page["auctions"] if a["high_bidder"] and a["listing_status"] == "ACTIVE"]
    if not winning or page["total"] > 20:
        s.reject("nothing winning or paged")
    for auction in winning:
        s.fact(auction["item_id"])
        s.fact(dollars(auction["current_price"]), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            "Of the auctions I'm bidding on that are still running, which ones am I winning right now?",
            "I've got bids out on a few auctions. Which of the live ones am I currently the top bidder on?",
        ),
        "Give me the item numbers and the current prices.",
    )


# -- the watchlist -------------------------------------------------------------------------------------------


@story(ENV, implicit=True)
def keep_an_eye_on_the_cheapest(s: StoryContext) -> str:
    """A shopper watches the two cheapest free-shipping listings of a product, to decide later."""
    row = s.pick(
        f"SELECT i.title FROM items i WHERE {LIVE} AND i.shipping_cost = 0 "
        "GROUP BY substr(i.title, 1, instr(i.title || ' - ', ' - ') - 1) HAVING COUNT(*) >= 3"
    )
    name = product(row["title"])
    user = s.pick("SELECT username FROM users WHERE positive_count < 600")["username"]
    intro = me(s, user)
    page = s.call("search_items", q=s.say(name), free_shipping=True, sort=s.imply("price"))
    items = page["items"]
    if len(items) < 3 or any(product(i["title"]) != name for i in items) or items[1]["price"] == items[2]["price"]:
        s.reject("other products match or a tie for second")
    watched = {r["item_id"] for r in s.rows("SELECT item_id FROM watchlist WHERE username = ?", (user,))}
    if any(i["item_id"] in watched for i in items[:2]):
        s.reject("already watching")
    for item in items[:2]:
        s.call("watch_item", username=user, item_id=item["item_id"])
    s.fact(dollars(items[0]["price"]), derived=True)
    s.fact(dollars(items[1]["price"]), derived=True)
    s.context(name)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"I'm thinking about getting {a(name)} but I'm not ready to buy.",
        speech.choose(
            s.rng,
            "Keep the two cheapest ones that ship free where I can find them later.",
            "Save the two lowest-priced free-shipping listings so I can come back to them.",
        ),
        "What are their prices?",
    )


@story(ENV, implicit=True)
def prune_ended_from_watchlist(s: StoryContext) -> str:
    """A member clears the listings that have ended off their watchlist and asks what is left."""
    user = s.pick(
        "SELECT w.username FROM watchlist w JOIN items i ON i.item_id = w.item_id GROUP BY w.username "
        f"HAVING SUM(NOT ({LIVE})) BETWEEN 1 AND 2 AND SUM({LIVE}) BETWEEN 1 AND 5"
    )["username"]
    intro = me(s, user)
    page = s.call("get_watchlist", username=user)
    ended = [i for i in page["items"] if i["listing_status"] == "ENDED"]
    for item in ended:
        s.call("unwatch_item", username=user, item_id=item["item_id"])
    s.fact(page["total"] - len(ended), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            "My watchlist is cluttered with things I can't buy any more.",
            "I keep seeing finished listings in the items I'm watching.",
        ),
        "Clear out the ones that have ended and tell me how many are still on the list.",
    )


@story(ENV)
def what_ends_first_on_my_watchlist(s: StoryContext) -> str:
    """A member asks which live listing they watch ends first, and its price."""
    user = s.pick(
        "SELECT w.username FROM watchlist w JOIN items i ON i.item_id = w.item_id "
        f"WHERE {LIVE} GROUP BY w.username HAVING COUNT(*) >= 2"
    )["username"]
    intro = me(s, user)
    page = s.call("get_watchlist", username=user)
    live = [i for i in page["items"] if i["listing_status"] == "ACTIVE"]
    if len(live) < 2 or live[0]["end_time"] == live[1]["end_time"] or page["total"] > 20:
        s.reject("tie or paged")
    first = live[0]
    s.fact(first["title"])
    s.fact(dollars(first["price"]), derived=True)
    s.fact(first["end_time"][:10], derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        "Of the listings I'm watching that are still open, which one ends first, on what day, and what's its "
        "price right now?",
    )


# -- after buying ----------------------------------------------------------------------------------------


def delivered_line(s: StoryContext, where: str, params: tuple[Any, ...] = ()) -> dict[str, Any]:
    """A delivered order line (single-item order) with its listing's returns policy and delivery day."""
    return s.pick(
        "SELECT o.*, l.item_id, l.title, l.unit_price, l.shipping_cost AS line_shipping, i.returns_accepted, "
        "i.return_days, i.return_shipping_paid_by, julianday(?) - julianday(date(o.delivered_at)) AS days_since "
        "FROM orders o JOIN line_items l ON l.order_id = o.order_id JOIN items i ON i.item_id = l.item_id "
        f"WHERE o.fulfillment_status = 'DELIVERED' AND {SINGLE_LINE} "
        f"AND NOT EXISTS (SELECT 1 FROM returns r WHERE r.order_id = o.order_id) AND {where}",
        (TODAY.isoformat(), *params),
    )


def which_order(s: StoryContext, line: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The buyer's order for a line, found by its order number or, half the time, by the product's name in
    their purchases; returns the order and how the request names it."""
    name = product(line["title"])
    if s.rng.random() < 0.5:
        page = s.call("get_orders", username=line["buyer"])
        same = [o for o in page["orders"] if any(product(t) == name for t in o["titles"])]
        if page["total"] > len(page["orders"]) or len(same) != 1:
            s.reject("paged or the product is in several orders")
        s.say(name)
        order = s.call("get_order_details", username=line["buyer"], order_id=same[0]["order_id"])
        return order, f"the {name} I bought"
    order = s.call("get_order_details", username=line["buyer"], order_id=s.say(line["order_id"]))
    return order, f"the {name} from order {line['order_id']}"


@story(ENV, implicit=True, weight=1.3)
def it_arrived_damaged(s: StoryContext) -> str:
    """An item arrived damaged: the money-back guarantee covers 30 days (or the listing's longer window);
    past that the return is refused and the buyer hears when the window closed."""
    late = s.rng.random() < 0.35
    line = delivered_line(s, "days_since > 36" if late else "days_since <= 28")
    intro = me(s, line["buyer"])
    order, named = which_order(s, line)
    delivered = dt.date.fromisoformat(order["delivered_at"][:10])
    window = max(GUARANTEE_DAYS, int(line["return_days"]) if line["returns_accepted"] else 0)
    deadline = delivered + dt.timedelta(days=window)
    if deadline >= TODAY:
        result = s.call(
            "request_return",
            username=line["buyer"],
            order_id=line["order_id"],
            item_id=line["item_id"],
            reason=s.imply("ARRIVED_DAMAGED"),
        )
        s.fact(dollars(result["refund_amount"]), derived=True)
        s.fact(result["return_shipping_paid_by"])
    else:
        s.fact(deadline.isoformat(), derived=True)
    s.context(product(line["title"]), speech.date(delivered))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"{named[:1].upper()}{named[1:]} arrived damaged.",
            f"When I opened the box, {named} was broken.",
        ),
        "I want to send it back for my money. If that's possible, tell me how much I'll get back and who pays "
        "for the return postage; if it's too late, tell me when the deadline was.",
    )


@story(ENV, implicit=True)
def changed_my_mind(s: StoryContext) -> str:
    """A buyer no longer needs an item: only the listing's own returns policy allows that, within its
    window; otherwise they hear the day it closed."""
    late = s.rng.random() < 0.4
    line = delivered_line(
        s, "i.returns_accepted = 1 AND days_since " + ("> i.return_days + 2" if late else "< i.return_days - 2")
    )
    intro = me(s, line["buyer"])
    order, named = which_order(s, line)
    entry = order["line_items"][0]
    if late:
        s.fact(entry["return_deadline"])
    else:
        result = s.call(
            "request_return",
            username=line["buyer"],
            order_id=line["order_id"],
            item_id=entry["item_id"],
            reason=s.imply("NO_LONGER_NEEDED"),
        )
        s.fact(dollars(result["refund_amount"]), derived=True)
        s.fact(result["return_shipping_paid_by"])
    s.context(product(line["title"]))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"I ended up not needing {named}.",
            f"I changed my mind about {named}; nothing is wrong with it.",
        ),
        "Can I still send it back? If so, start the return and tell me the refund and who pays the return "
        "shipping. If not, tell me the last day I could have.",
    )


@story(ENV)
def where_is_my_parcel(s: StoryContext) -> str:
    """A buyer asks whether their purchase has shipped, with which carrier and tracking number."""
    row = s.pick(
        "SELECT o.*, l.title FROM orders o JOIN line_items l ON l.order_id = o.order_id "
        f"WHERE o.fulfillment_status = 'SHIPPED' AND {SINGLE_LINE} "
        "AND (SELECT COUNT(*) FROM orders y WHERE y.buyer = o.buyer) <= 10"
    )
    intro = me(s, row["buyer"])
    page = s.call("get_orders", username=row["buyer"])
    matching = [o for o in page["orders"] if any(product(t) == product(row["title"]) for t in o["titles"])]
    if len(matching) != 1:
        s.reject("the product is in several orders")
    s.say(product(row["title"]))
    order = s.call("get_order_details", username=row["buyer"], order_id=matching[0]["order_id"])
    s.fact(order["carrier"])
    s.fact(order["tracking_number"])
    s.fact(order["shipped_at"][:10], derived=True)
    s.context(product(row["title"]))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"Has the {product(row['title'])} I bought been sent yet?",
            f"I'm waiting for the {product(row['title'])} I bought. Is it on its way?",
        ),
        "Tell me the day it shipped, the carrier and the tracking number.",
    )


@story(ENV, implicit=True)
def leave_feedback_for_the_seller(s: StoryContext) -> str:
    """After delivery a buyer rates the seller with a quoted comment; past 60 days it is refused and they
    hear the day they ordered."""
    late = s.rng.random() < 0.3
    rating = s.rng.choice(("POSITIVE", "POSITIVE", "NEUTRAL"))
    row = s.pick(
        "SELECT o.*, l.title FROM orders o JOIN line_items l ON l.order_id = o.order_id "
        f"WHERE o.fulfillment_status = 'DELIVERED' AND {SINGLE_LINE} "
        "AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.order_id = o.order_id AND f.role = 'buyer') "
        f"AND o.created_at {'<' if late else '>'} ?",
        ((NOW - dt.timedelta(days=62 if late else 55)).isoformat(),),
    )
    intro = me(s, row["buyer"])
    order, named = which_order(s, row)
    comment = s.rng.choice(PRAISE if rating == "POSITIVE" else COMPLAINTS)
    said = s.detail("feedback comment", comment, comment, phrase=f'"{comment}"', vague="a short comment")
    word = {"POSITIVE": "positive", "NEUTRAL": "neutral"}[rating]
    s.say(rating, word)
    if late:
        s.fact(order["created_at"][:10], derived=True)
    else:
        result = s.call(
            "leave_feedback", username=row["buyer"], order_id=row["order_id"], rating=rating, comment=comment
        )
        s.fact(result["their_feedback_score"])
    s.context(product(row["title"]), row["seller"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"{named[:1].upper()}{named[1:]} arrived.",
        f"Please leave the seller {word} feedback saying {said}",
        "Then tell me the seller's feedback score. If it's too late to leave feedback, tell me the day I "
        "placed the order instead.",
    )


# -- selling -----------------------------------------------------------------------------------------------


def seller_of(s: StoryContext, where: str = "1", params: tuple[Any, ...] = ()) -> dict[str, Any]:
    return s.pick(
        f"SELECT u.* FROM users u WHERE EXISTS (SELECT 1 FROM items i WHERE i.seller = u.username) AND {where}",
        params,
    )


def find_leaf(s: StoryContext, leaf: dict[str, Any]) -> str:
    """Walk the category tree from the root to a leaf the seller names; returns its id."""
    roots = s.call("get_categories")
    top = next((c for c in roots if c["category_id"] == leaf["parent_id"]), None)
    if top is None:
        s.reject("top category missing")
    children = s.call("get_categories", parent_id=top["category_id"])
    s.say(leaf["name"])
    return next(c["category_id"] for c in children if c["category_id"] == leaf["category_id"])


@story(ENV, weight=1.4)
def list_an_item_for_sale(s: StoryContext) -> str:
    """A seller lists an item at a stated Buy It Now price, shipping cost and returns policy."""
    seller = seller_of(s)
    leaf = s.pick("SELECT * FROM categories WHERE leaf = 1")
    products = next(p for _, _, leaves in CATEGORY_TREE for lid, _, _, p in leaves if lid == leaf["category_id"])
    name, typical = s.rng.choice(products)
    condition = s.rng.choice(("USED", "USED", "NEW", "SELLER_REFURBISHED"))
    price = int(typical * {"USED": 0.6, "NEW": 0.95, "SELLER_REFURBISHED": 0.7}[condition]) * 100
    shipping = s.rng.choice((0, 899, 1299, 1599))
    returns = s.rng.choice((0, 30, 60))
    offers = s.rng.random() < 0.3
    intro = me(s, seller["username"])
    category_id = find_leaf(s, leaf)
    arguments: dict[str, Any] = {
        "username": seller["username"],
        "title": s.say(name),
        "category_id": category_id,
        "condition": s.imply(condition),
        "price": s.say(price, money(price)),
    }
    ship = "with free shipping"
    if shipping:
        arguments["shipping_cost"] = s.say(shipping, money(shipping))
        ship = f"with {money(shipping)} shipping"
    policy = "no returns"
    if returns:
        arguments["return_days"] = s.say(returns, f"{returns} days")
        policy = f"returns accepted for {returns} days"
    if offers:
        arguments["best_offer_enabled"] = True
    s.call("create_listing", **arguments)
    s.context(name)
    kind = {"USED": "used", "NEW": "brand new", "SELLER_REFURBISHED": "refurbished (I fixed it up myself)"}
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f'Please list my {kind[condition]} {name} in {leaf["name"]}, titled exactly "{name}".',
        f"Buy It Now at {money(price)}, {ship}, {policy}.",
        "Let buyers send me offers too." if offers else "",
    )


@story(ENV, weight=1.2)
def start_an_auction(s: StoryContext) -> str:
    """A seller starts an auction with a starting bid, a length and sometimes a hidden reserve."""
    seller = seller_of(s)
    leaf = s.pick("SELECT * FROM categories WHERE leaf = 1")
    products = next(p for _, _, leaves in CATEGORY_TREE for lid, _, _, p in leaves if lid == leaf["category_id"])
    name, typical = s.rng.choice(products)
    start = max(1, int(typical * s.rng.choice((0.2, 0.3, 0.5)))) * 100 - 1
    days = s.rng.choice((3, 5, 7, 10))
    reserve = int(typical * 0.6) * 100 if s.rng.random() < 0.4 else None
    intro = me(s, seller["username"])
    category_id = find_leaf(s, leaf)
    arguments: dict[str, Any] = {
        "username": seller["username"],
        "title": s.say(name),
        "category_id": category_id,
        "condition": s.imply("USED"),
        "price": s.say(start, money(start)),
        "buying_format": s.imply("AUCTION"),
    }
    if days != 7:
        arguments["duration_days"] = s.say(days, f"{speech.number(days)} days")
    length = f"for {speech.number(days)} days" if days != 7 else "for the standard week"
    extra = ""
    if reserve:
        arguments["reserve_price"] = s.say(reserve, money(reserve))
        extra = f"Don't let it sell for less than {money(reserve)}: set that as a hidden reserve."
    s.call("create_listing", **arguments)
    s.context(name)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f'I want to auction my used {name} in {leaf["name"]}; title it "{name}".',
        f"Start the bidding at {money(start)} and run it {length}, free shipping, no returns.",
        extra,
    )


@story(ENV)
def ship_a_sold_order(s: StoryContext) -> str:
    """A seller shipped a sold item and adds the carrier and tracking number to its order."""
    row = s.pick(
        "SELECT o.*, l.title FROM orders o JOIN line_items l ON l.order_id = o.order_id "
        "WHERE o.payment_status = 'PAID' AND o.fulfillment_status = 'NOT_STARTED' "
        f"AND {SINGLE_LINE}"
    )
    intro = me(s, row["seller"])
    page = s.call(
        "get_orders", username=row["seller"], role=s.imply("seller"), fulfillment_status=s.imply("NOT_STARTED")
    )
    same = [o for o in page["orders"] if any(product(t) == product(row["title"]) for t in o["titles"])]
    if len(same) != 1 or page["total"] > len(page["orders"]):
        s.reject("product sold twice or paged")
    s.say(product(row["title"]))
    carrier = s.rng.choice(("USPS", "UPS", "FedEx"))
    tracking = tracking_number(s.rng, carrier)
    s.say(carrier)
    s.say(tracking)
    check_address = s.rng.random() < 0.5
    if check_address:
        order = s.call("get_order_details", username=row["seller"], order_id=same[0]["order_id"])
        s.fact(order["ship_to"].split(" ")[-1], derived=True)  # the ZIP code at the end of the address
    s.call(
        "mark_order_shipped", username=row["seller"], order_id=same[0]["order_id"], carrier=carrier,
        tracking_number=tracking,
    )  # fmt: skip
    s.context(product(row["title"]), row["buyer"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"I just dropped off the {product(row['title'])} I sold at the {carrier} counter.",
            f"The {product(row['title'])} I sold is on its way with {carrier}.",
        ),
        f"The tracking number is {tracking}. Please update the order so the buyer can follow it.",
        "Also tell me the ZIP code it's going to, so I can check I wrote the label right." if check_address else "",
    )


@story(ENV, implicit=True)
def end_auction_if_nobody_bid(s: StoryContext) -> str:
    """A seller sold the item elsewhere and ends their auction, but only if nobody has bid; otherwise it
    stays up and they hear the bids and current price."""
    bids = s.rng.random() < 0.35
    item = s.pick(
        f"SELECT i.* FROM items i WHERE i.buying_format = 'AUCTION' AND {LIVE} AND i.bid_count "
        + ("> 0" if bids else "= 0")
        + " AND (SELECT COUNT(*) FROM items x WHERE x.seller = i.seller AND x.listing_status = 'ACTIVE') <= 20"
    )
    intro = me(s, item["seller"])
    name = product(item["title"])
    page = s.call("get_my_listings", username=item["seller"])
    same = [i for i in page["listings"] if product(i["title"]) == name and i["buying_format"] == "AUCTION"]
    if len(same) != 1 or page["total"] > len(page["listings"]):
        s.reject("two auctions of the product or paged")
    s.say(name)
    if bids:
        s.fact(same[0]["bid_count"])
        s.fact(dollars(same[0]["price"]), derived=True)
    else:
        s.call("end_listing", username=item["seller"], item_id=same[0]["item_id"], reason=s.imply("NOT_AVAILABLE"))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"A neighbour bought my {name} in person, so it's no longer available.",
            f"I sold the {name} locally this morning.",
        ),
        "Please end my auction for it, but only if nobody has bid yet. If someone has, leave it running and "
        "tell me how many bids it has and the current price.",
    )


@story(ENV)
def cut_the_price(s: StoryContext) -> str:
    """A seller lowers a listing's price by a stated amount; an auction with bids can no longer be
    repriced, and the seller hears its bids instead."""
    auction_with_bids = s.rng.random() < 0.3
    condition = (
        "i.buying_format = 'AUCTION' AND i.bid_count > 0"
        if auction_with_bids
        else ("i.buying_format = 'FIXED_PRICE' AND i.price >= 2000")
    )
    item = s.pick(f"SELECT i.* FROM items i WHERE {LIVE} AND {condition}")
    # A refusal needs no account: the username is only said when a call uses it.
    intro = "" if auction_with_bids else me(s, item["seller"])
    details = s.call("get_item_details", item_id=s.say(item["item_id"]))
    new_price = int(details["price"] * 0.85) // 100 * 100 - 1
    s.say(new_price, money(new_price))
    if auction_with_bids:
        s.fact(details["bid_count"])
    else:
        s.call("revise_listing", username=item["seller"], item_id=item["item_id"], price=new_price)
    s.context(product(item["title"]))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"My listing {item['item_id']} isn't getting any interest at its price.",
        f"Please drop the price to {money(new_price)}.",
        "If that's not allowed any more, tell me how many bids it has.",
    )


@story(ENV, implicit=True, weight=1.4)
def take_the_best_offer(s: StoryContext) -> str:
    """A seller accepts the highest pending offer on a listing and declines the other pending ones."""
    item = s.pick(
        f"SELECT i.* FROM items i WHERE {LIVE} AND i.best_offer_enabled = 1 AND (SELECT COUNT(*) FROM best_offers o "
        "WHERE o.item_id = i.item_id AND o.status = 'PENDING') >= 2"
    )
    intro = me(s, item["seller"])
    offers = s.call("get_offers", username=item["seller"], item_id=s.say(item["item_id"]))
    pending = sorted((o for o in offers if o["status"] == "PENDING"), key=lambda o: -o["price"])
    if pending[0]["price"] == pending[1]["price"]:
        s.reject("tied offers")
    accepted = s.call(
        "respond_to_offer", username=item["seller"], offer_id=pending[0]["offer_id"], action=s.imply("accept")
    )
    for offer in pending[1:]:
        s.call("respond_to_offer", username=item["seller"], offer_id=offer["offer_id"], action=s.imply("decline"))
    s.fact(accepted["buyer"])
    s.fact(dollars(accepted["price"]), derived=True)
    s.context(product(item["title"]))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"I've had a few offers on item {item['item_id']} and I'm ready to let it go.",
        "Take whichever waiting offer is highest and turn down the others that are still waiting.",
        "Who is buying it and for how much?",
    )


@story(ENV)
def what_still_needs_shipping(s: StoryContext) -> str:
    """A seller asks how many sold orders are waiting to be shipped and the oldest of them."""
    seller = s.pick(
        "SELECT seller FROM orders WHERE fulfillment_status = 'NOT_STARTED' GROUP BY seller HAVING COUNT(*) >= 2"
    )["seller"]
    intro = me(s, seller)
    page = s.call("get_orders", username=seller, role=s.imply("seller"), fulfillment_status=s.imply("NOT_STARTED"))
    if page["total"] > len(page["orders"]):
        s.reject("paged")
    oldest = page["orders"][-1]
    s.fact(page["total"], derived=True)
    s.fact(oldest["order_id"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            "How many of my sales haven't been shipped yet, and which order has been waiting the longest?",
            "I'm packing parcels today. How many sold orders still need to go out, and what's the order number "
            "of the oldest one?",
        ),
    )


@story(ENV, weight=0.7)
def how_many_listings_in_a_category(s: StoryContext) -> str:
    """A shopper asks how many listings are live in a subcategory and what the top-level category holds."""
    leaf = s.pick("SELECT * FROM categories WHERE leaf = 1")
    roots = s.call("get_categories")
    top = next(c for c in roots if c["category_id"] == leaf["parent_id"])
    children = s.call("get_categories", parent_id=top["category_id"])
    s.say(leaf["name"])
    match = next(c for c in children if c["category_id"] == leaf["category_id"])
    s.fact(match["active_listings"])
    s.fact(top["name"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm browsing the site for {leaf['name'].lower()}.",
        "Which main category is that under, and how many listings are live in it right now?",
    )


@story(ENV, implicit=True)
def ship_once_the_buyer_has_paid(s: StoryContext) -> str:
    """A seller who won't ship before payment asks about a won auction: paid, it is marked shipped with the
    tracking number; still unpaid, nothing changes and the seller hears what the buyer owes."""
    unpaid = s.rng.random() < 0.4
    row = s.pick(
        "SELECT o.*, l.title, l.item_id FROM orders o JOIN line_items l ON l.order_id = o.order_id "
        "JOIN items i ON i.item_id = l.item_id WHERE i.buying_format = 'AUCTION' "
        f"AND o.fulfillment_status = 'NOT_STARTED' AND o.payment_status = '{'PENDING' if unpaid else 'PAID'}' "
        f"AND {SINGLE_LINE}"
    )
    intro = me(s, row["seller"])
    order = s.call("get_order_details", username=row["seller"], order_id=s.say(row["order_id"]))
    carrier = s.rng.choice(("USPS", "UPS"))
    tracking = tracking_number(s.rng, carrier)
    s.say(carrier)
    s.say(tracking)
    if unpaid:
        s.fact(dollars(order["total"]), derived=True)
    else:
        s.call(
            "mark_order_shipped", username=row["seller"], order_id=row["order_id"], carrier=carrier,
            tracking_number=tracking,
        )  # fmt: skip
    s.context(product(row["title"]), row["buyer"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"The {product(row['title'])} from my auction (order {row['order_id']}) is packed and has a {carrier} "
        f"label, tracking {tracking}.",
        "I only ship once the buyer has paid. If they have, mark the order shipped with that tracking number; "
        "if not, leave it and tell me how much they still owe.",
    )


@story(ENV)
def thank_the_buyer(s: StoryContext) -> str:
    """A seller leaves a buyer the positive feedback they earned, quoting the comment, and asks the
    buyer's new score."""
    row = s.pick(
        "SELECT o.* FROM orders o WHERE o.payment_status = 'PAID' AND o.created_at > ? "
        "AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.order_id = o.order_id AND f.role = 'seller')",
        ((NOW - dt.timedelta(days=55)).isoformat(),),
    )
    intro = me(s, row["seller"])
    comment = s.rng.choice(BUYER_PRAISE)
    said = s.detail("feedback comment", comment, comment, phrase=f'"{comment}"', vague="a thank-you")
    result = s.call(
        "leave_feedback",
        username=row["seller"],
        order_id=s.say(row["order_id"]),
        rating=s.imply("POSITIVE"),
        comment=comment,
    )
    s.fact(result["their_feedback_score"])
    s.context(row["buyer"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"The buyer on order {row['order_id']} paid straight away.",
        f"Leave them feedback saying {said}, and tell me their feedback score afterwards.",
    )


@story(ENV, implicit=True)
def buy_only_from_a_top_rated_seller(s: StoryContext) -> str:
    """A cautious buyer takes the cheapest Buy It Now listing of a product whose seller is a Top Rated
    Seller, checking sellers from the cheapest up."""
    row = s.pick(
        f"SELECT i.title FROM items i JOIN users u ON u.username = i.seller WHERE {LIVE} "
        "AND i.buying_format = 'FIXED_PRICE' GROUP BY substr(i.title, 1, instr(i.title || ' - ', ' - ') - 1) "
        "HAVING COUNT(*) >= 3 AND SUM(u.top_rated_seller) >= 1 AND SUM(u.top_rated_seller) < COUNT(*)"
    )
    name = product(row["title"])
    buyer = s.pick("SELECT username FROM users WHERE positive_count < 600")["username"]
    intro = me(s, buyer)
    page = s.call("search_items", q=s.say(name), buying_format=s.imply("FIXED_PRICE"), sort=s.imply("price"))
    items = page["items"]
    if page["total"] > len(items) or any(product(i["title"]) != name for i in items):
        s.reject("paged or other products match")
    chosen = None
    for item in items:
        details = s.call("get_item_details", item_id=item["item_id"])
        if details["seller_top_rated"]:
            chosen = details
            break
    if chosen is None or chosen["seller"] == buyer:
        s.reject("no top-rated seller, or own listing")
    rivals = [i for i in items if total_cost(i) == chosen["price"] + chosen["shipping_cost"]]
    if len(rivals) > 1:
        s.reject("a tie at the chosen price")
    order = s.call("buy_it_now", username=buyer, item_id=chosen["item_id"])
    s.fact(chosen["seller"])
    s.fact(dollars(order["total"]), derived=True)
    s.context(name)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"I want to buy {a(name)} outright today, any condition.",
        speech.choose(
            s.rng,
            "I've been burned before, so it has to be from a Top Rated Seller: the cheapest one of those, "
            "shipping included.",
            "I only trust Top Rated Sellers; get me the lowest total price among them.",
        ),
        "Who did I buy from and what was the total?",
    )
