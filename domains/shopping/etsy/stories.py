"""Etsy stories: one buyer or one shop owner, one storyline each.

Buyers look for a personalised gift that fits a budget and arrives in time, save favourites, buy with a
name engraved (or hear the seller's character limit when the name is too long), check what their cart
comes to, drop an item from it, follow an order, review what they bought and tidy their favourites; a shop
on vacation refuses the purchase they came for. Sellers list a new handmade item or a vintage find with the
details they state (a find that is not 20 years old cannot go up as vintage), publish a draft, restock a
sold-out listing (which renews it), renew expired listings, take a listing down, reprice one, see which
orders are still to ship, mark one shipped with its tracking number and put the shop on vacation or back.
Listings are named the way a person names them: the title before its comma.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from .models import COUNTRY_NAMES, NOW

ENV = "etsy"
TODAY = NOW.date()
GIFT_FOR = ("my sister", "my mum", "my best friend", "my niece", "my wife", "my grandma", "a coworker")
# What a buyer writes, by the stars they give.
REVIEWS = {
    5: ("Beautiful work and it arrived well packed.", "Exactly like the photos, thank you!", "My daughter adores it."),
    4: ("Lovely quality, a little slow to arrive.", "Really pretty, just a bit smaller than I pictured."),
    3: ("Nice, but smaller than I expected.", "Fine, though the colour was duller than the photos."),
    2: ("Took weeks to arrive and the clasp broke.", "Not what the photos showed, sadly."),
}
RATING_WORDS = {5: "five stars", 4: "four stars", 3: "three stars", 2: "two stars"}
VACATION_NOTES = (
    "Away until the new year, orders ship in January.",
    "Taking a short break, back on the 1st!",
    "At a craft fair this week, back soon.",
)


SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "CAD": "CAD", "AUD": "AUD"}


def money(value: float, currency_code: str = "USD") -> str:
    return speech.money(value, SYMBOLS[currency_code])


def short(title: str) -> str:
    """How a person names a listing: its title before the first comma."""
    return title.split(",")[0].strip()


def buyer(s: StoryContext, where: str = "1", params: tuple[Any, ...] = ()) -> dict[str, Any]:
    """A buyer (not a shop owner) and their account, looked up by email."""
    row = s.pick(
        f"SELECT u.* FROM users u WHERE NOT EXISTS (SELECT 1 FROM shops s WHERE s.user_id = u.user_id) AND {where}",
        params,
    )
    s.person(ENV, row["user_id"])
    me = s.call("get_user", email=s.say(row["email"]))
    return {**row, **me}


def buyer_of(
    s: StoryContext, sql: str, params: tuple[Any, ...] = (), key: str = "user_id"
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A row of the buyer's own (an order, a favourite, a cart line), and that buyer's account."""
    row = s.pick(sql, params)
    return row, buyer(s, "u.user_id = ?", (row[key],))


def favourite(s: StoryContext, where: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A listing a buyer favourited (``where`` over listing l, shop sh, favorite f), named as they name it:
    their favourites are looked up and the name is one of a kind among them."""
    fav, me = buyer_of(
        s,
        "SELECT f.user_id AS buyer_id, l.*, sh.shop_name FROM favorite_listings f "
        "JOIN listings l ON l.listing_id = f.listing_id JOIN shops sh ON sh.shop_id = l.shop_id "
        "WHERE f.user_id NOT IN (SELECT user_id FROM shops) "
        f"AND (SELECT COUNT(*) FROM favorite_listings o WHERE o.user_id = f.user_id) <= 20 AND {where}",
        key="buyer_id",
    )
    favorites = s.call("get_favorites", user_id=me["user_id"])["favorites"]
    if not unique_short(favorites, fav):
        s.reject("two favourites with that name")
    s.say(short(fav["title"]))
    return fav, me


def seller(s: StoryContext, where: str = "1", params: tuple[Any, ...] = ()) -> tuple[dict[str, Any], dict[str, Any]]:
    """A shop owner, their account and their shop (the one they own)."""
    row = s.pick(
        "SELECT s.*, u.email FROM shops s JOIN users u ON u.user_id = s.user_id "
        f"WHERE (SELECT COUNT(*) FROM shops o WHERE o.user_id = s.user_id) = 1 AND {where}",
        params,
    )
    s.person(ENV, row["user_id"])
    me = s.call("get_user", email=s.say(row["email"]))
    return me, row


def unique_short(rows: list[dict[str, Any]], chosen: dict[str, Any]) -> bool:
    return sum(short(r["title"]).lower() == short(chosen["title"]).lower() for r in rows) == 1


# -- buyers ------------------------------------------------------------------------------------------------


@story(ENV, implicit=True, weight=1.5)
def personalised_gift_in_time(s: StoryContext) -> str:
    """A buyer needs a personalised gift under a budget that arrives by a date: the cheapest one that makes it."""
    me = buyer(s, "u.country_iso = 'US'")
    target = s.pick(
        "SELECT l.* FROM listings l JOIN shops sh ON sh.shop_id = l.shop_id "
        "JOIN shipping_profile_destinations d ON d.shipping_profile_id = l.shipping_profile_id "
        "WHERE l.state = 'active' AND sh.is_vacation = 0 AND l.is_personalizable = 1 "
        "AND d.destination_country_iso = 'US' "
        "AND NOT EXISTS (SELECT 1 FROM listing_variations v WHERE v.listing_id = l.listing_id)"
    )
    keywords = " ".join(short(target["title"]).split()[-2:]).lower()
    budget = int(s.rng.choice((40, 50, 60, 75, 100, 120, 150, 200)))
    search = {"keywords": s.say(keywords), "max_price": s.say(budget, f"${budget}"), "personalizable": True}
    search |= {"ships_to": s.imply(me["country_iso"]), "sort_on": s.imply("price"), "sort_order": s.imply("asc")}
    plan = s.peek("search_listings", **search)["results"][:6]
    if len(plan) < 2:
        s.reject("too few results")
    arrivals = []
    for row in plan:
        details = s.peek("get_listing_details", listing_id=row["listing_id"], destination_country_iso=me["country_iso"])
        arrivals.append((row, details))
    latest = [d["delivery"]["arrives_latest"] for _, d in arrivals]
    # A deadline the cheapest misses and a later one meets.
    if latest[0] <= min(latest[1:]):
        s.reject("the cheapest arrives first anyway")
    deadline = min(latest[1:])
    pick_index = next(i for i, day in enumerate(latest) if day <= deadline)
    chosen_row, chosen = arrivals[pick_index]
    if chosen["variations"] or chosen["shop_is_vacation"]:
        s.reject("variations to choose")
    s.call("search_listings", **search)
    for row, _ in arrivals[: pick_index + 1]:
        s.call("get_listing_details", listing_id=row["listing_id"], destination_country_iso=me["country_iso"])
    name = s.rng.choice(("Emma", "Olivia", "Maya", "Grace", "Ruby", "Lucy", "Hazel", "Nora"))
    limit = chosen["personalization_char_count_max"]
    if len(name) > limit:
        s.reject("name too long for the listing")
    when = s.detail("deadline", deadline, speech.date(deadline), vague="in time", synonyms=["date", "by when"])
    s.say(name, f'"{name}"')
    s.call("add_to_cart", user_id=me["user_id"], listing_id=chosen_row["listing_id"], personalization=name)
    receipt = s.call("checkout_cart", user_id=me["user_id"], shop_id=chosen["shop_id"])
    s.fact(short(chosen["title"]), derived=True)
    s.fact(receipt["grandtotal"])
    s.context(chosen["shop_name"], keywords)
    who = s.rng.choice(GIFT_FOR)
    return speech.sentence(
        speech.opening(s.rng),
        f'I need a personalised {keywords} for {who}, with the name "{name}" on it.',
        f"It has to be under ${budget} and get to me by {when}.",
        "Please buy the cheapest one that will arrive in time.",
        f"My Etsy email is {me['email']}.",
        speech.choose(s.rng, "Which one did you get and what did it cost with shipping?", "What's the total?"),
    )


@story(ENV)
def favourite_a_few(s: StoryContext) -> str:
    """A buyer saves the most-loved vintage (or handmade) finds under a budget to their favourites."""
    me = buyer(s)
    line = s.pick("SELECT l.title, l.who_made FROM listings l WHERE l.state = 'active' AND l.is_supply = 0")
    keywords = " ".join(short(line["title"]).split()[-2:]).lower()
    kind = "vintage" if line["who_made"] == "someone_else" else "handmade"
    budget = int(s.rng.choice((30, 40, 60, 80, 100)))
    search = {"keywords": s.say(keywords), "item_type": s.say(kind), "max_price": s.say(budget, f"${budget}")}
    page = s.call("search_listings", **search)
    results = page["results"]
    count = s.rng.choice((2, 3))
    if len(results) < count + 1 or results[count - 1]["num_favorers"] == results[count]["num_favorers"]:
        s.reject("too few or a tie for the last place")
    if len({short(r["title"]) for r in results[:count]}) < count:
        s.reject("two saved listings share a name")
    saved = None
    for row in results[:count]:
        saved = s.call("favorite_listing", user_id=me["user_id"], listing_id=row["listing_id"])
    if saved is None:
        s.reject("nothing saved")
    for row in results[:count]:
        s.fact(short(row["title"]), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm browsing {kind} {keywords} listings under ${budget}.",
        f"Could you add the {speech.spelled(count)} most popular ones to my favourites?",
        f"I'm {me['email']}.",
        "Tell me which ones you saved.",
    )


@story(ENV)
def buy_a_favourite_with_a_name(s: StoryContext) -> str:
    """A buyer buys a personalised listing they favourited earlier, with the name they want on it."""
    fav, me = favourite(
        s,
        "l.state = 'active' AND sh.is_vacation = 0 AND l.is_personalizable = 1 AND EXISTS (SELECT 1 FROM "
        "shipping_profile_destinations d JOIN users u ON u.user_id = f.user_id WHERE d.shipping_profile_id = "
        "l.shipping_profile_id AND d.destination_country_iso = u.country_iso)",
    )
    details = s.call("get_listing_details", listing_id=fav["listing_id"])
    name = s.rng.choice(("Oliver", "Ava", "Theo", "June", "Max", "Isla", "Leo"))
    if len(name) > details["personalization_char_count_max"]:
        s.reject("name too long")
    s.say(name, f'"{name}"')
    extra: dict[str, Any] = {}
    pick_phrase = ""
    if details["variations"]:
        stocked = [v for v in details["variations"] if v["quantity"] > 0]
        if not stocked:
            s.reject("no stock")
        option = s.rng.choice(stocked)
        extra["variation_id"] = option["variation_id"]
        s.say(option["value"])
        pick_phrase = f" in {option['value']}"
    s.call("add_to_cart", user_id=me["user_id"], listing_id=fav["listing_id"], personalization=name, **extra)
    receipt = s.call("checkout_cart", user_id=me["user_id"], shop_id=details["shop_id"])
    s.fact(receipt["grandtotal"])
    s.fact(receipt["expected_ship_date"])
    s.context(details["shop_name"])
    return speech.sentence(
        speech.opening(s.rng),
        f'I\'m ready to buy the {short(fav["title"])}{pick_phrase} I saved in my favourites, with "{name}" on it.',
        f"My account is {me['email']}.",
        speech.choose(
            s.rng,
            "What did it come to with shipping, and when should it ship?",
            "How much was it in total and by when will they send it?",
        ),
    )


@story(ENV)
def what_does_my_cart_cost(s: StoryContext) -> str:
    """A buyer asks what their cart comes to with shipping, shop by shop."""
    _, me = buyer_of(
        s,
        "SELECT c.user_id FROM cart_items c WHERE c.user_id NOT IN (SELECT user_id FROM shops) "
        "GROUP BY c.user_id HAVING COUNT(*) BETWEEN 1 AND 3",
    )
    cart = s.call("get_cart", user_id=me["user_id"])
    if any(shop["currency_code"] != cart["shops"][0]["currency_code"] for shop in cart["shops"]):
        s.reject("several currencies")
    total = round(sum(shop["total"] for shop in cart["shops"]), 2)
    shipping = round(sum(shop["shipping_cost"] for shop in cart["shops"]), 2)
    s.fact(total, derived=True)
    s.fact(shipping, derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm {me['email']}.",
        speech.choose(
            s.rng,
            "What would everything in my Etsy cart cost me including shipping, and how much of that is shipping?",
            "Before I check out: what's my cart's total with postage, and what's the postage alone?",
        ),
    )


@story(ENV, implicit=True)
def trim_the_cart(s: StoryContext) -> str:
    """A buyer changes their mind about one item in their cart and asks what the rest costs."""
    row, me = buyer_of(
        s,
        "SELECT c.user_id, c.listing_id, l.title FROM cart_items c JOIN listings l ON l.listing_id = c.listing_id "
        "WHERE c.user_id NOT IN (SELECT user_id FROM shops) AND "
        "(SELECT COUNT(*) FROM cart_items o WHERE o.user_id = c.user_id) BETWEEN 2 AND 3",
    )
    cart = s.call("get_cart", user_id=me["user_id"])
    if not unique_short(cart["items"], row):
        s.reject("two items with that name")
    s.say(short(row["title"]))
    after = s.call("remove_from_cart", user_id=me["user_id"], listing_id=row["listing_id"])
    if len({shop["currency_code"] for shop in after["shops"]}) != 1:
        s.reject("several currencies")
    s.fact(round(sum(shop["total"] for shop in after["shops"]), 2), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"I've gone off the {short(row['title'])} in my cart, I don't want it any more.",
        f"I'm {me['email']}.",
        "What does the rest of my cart come to with shipping?",
    )


@story(ENV)
def where_is_my_order(s: StoryContext) -> str:
    """A buyer asks whether their order from a shop has shipped: the tracking number, or when it should ship."""
    return order_status(s, by_number=False)


@story(ENV)
def where_is_order_number(s: StoryContext) -> str:
    """The same question about an order the buyer names by its number."""
    return order_status(s, by_number=True)


def order_status(s: StoryContext, *, by_number: bool) -> str:
    row, me = buyer_of(
        s,
        "SELECT r.*, sh.shop_name FROM receipts r JOIN shops sh ON sh.shop_id = r.shop_id "
        "WHERE r.status != 'canceled' AND r.buyer_user_id NOT IN (SELECT user_id FROM shops) "
        "AND (SELECT COUNT(*) FROM receipts o WHERE o.buyer_user_id = r.buyer_user_id AND o.shop_id = r.shop_id) = 1 "
        "AND (SELECT COUNT(*) FROM receipts o WHERE o.buyer_user_id = r.buyer_user_id) <= 10",
        key="buyer_user_id",
    )
    if by_number:
        order = s.call("get_receipt", user_id=me["user_id"], receipt_id=s.say(row["receipt_id"]))
        which = f"order {row['receipt_id']} on Etsy"
    else:
        s.say(row["shop_name"])
        page = s.call("get_receipts", user_id=me["user_id"])
        order = next(r for r in page["receipts"] if r["receipt_id"] == row["receipt_id"])
        which = f"the thing I ordered from {row['shop_name']} on Etsy"
    if order["is_shipped"]:
        s.fact(order["shipments"][0]["tracking_code"])
    else:
        s.fact(order["expected_ship_date"])
    s.context(row["shop_name"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm asking about {which}. My email is {me['email']}.",
        speech.choose(
            s.rng,
            "Has it shipped? If so give me the tracking number, if not tell me when it's due to ship.",
            "Is it on its way yet? I'd like the tracking code, or the date they expect to send it.",
        ),
    )


@story(ENV, weight=1.2)
def review_what_i_bought(s: StoryContext) -> str:
    """After an order arrives the buyer rates the item and asks for the shop's new star average."""
    row, me = buyer_of(
        s,
        "SELECT t.*, r.buyer_user_id, sh.shop_name FROM transactions t JOIN receipts r ON r.receipt_id = t.receipt_id "
        "JOIN shops sh ON sh.shop_id = r.shop_id JOIN receipt_shipments x ON x.receipt_id = r.receipt_id "
        "WHERE r.is_shipped = 1 AND x.shipped_timestamp >= ? "
        "AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.transaction_id = t.transaction_id) "
        "AND r.buyer_user_id NOT IN (SELECT user_id FROM shops) "
        "AND (SELECT COUNT(*) FROM receipts o WHERE o.buyer_user_id = r.buyer_user_id) <= 10",
        params=((NOW - dt.timedelta(days=90)).isoformat(),),
        key="buyer_user_id",
    )
    page = s.call("get_receipts", user_id=me["user_id"], was_shipped=s.imply(True))
    items = [t for r in page["receipts"] for t in r["transactions"]]
    if not unique_short(items, row):
        s.reject("two purchases with that name")
    s.say(short(row["title"]))
    rating = s.rng.choice(tuple(RATING_WORDS))
    text = s.rng.choice(REVIEWS[rating])
    stars = s.detail("rating", rating, RATING_WORDS[rating], vague="a rating", synonyms=["stars"])
    said = s.detail("review text", text, text, phrase=f'"{text}"', vague="a few words")
    result = s.call(
        "create_review", user_id=me["user_id"], transaction_id=row["transaction_id"], rating=rating, review=text
    )
    s.fact(result["shop_review_average"])
    s.context(row["shop_name"])
    return speech.sentence(
        speech.opening(s.rng),
        f"My {short(row['title'])} from {row['shop_name']} arrived.",
        f"Please leave it {stars} with the review {said}",
        f"My email is {me['email']}.",
        "What's the shop's average rating after that?",
    )


@story(ENV, implicit=True)
def tidy_my_favourites(s: StoryContext) -> str:
    """A buyer clears favourites they can no longer buy (sold out or expired) and asks how many are left."""
    _, me = buyer_of(
        s,
        "SELECT f.user_id FROM favorite_listings f JOIN listings l ON l.listing_id = f.listing_id "
        "WHERE f.user_id NOT IN (SELECT user_id FROM shops) GROUP BY f.user_id "
        "HAVING SUM(l.state != 'active') BETWEEN 1 AND 2 AND COUNT(*) <= 20",
    )
    favorites = s.call("get_favorites", user_id=me["user_id"])
    gone = [f for f in favorites["favorites"] if f["state"] != "active"]
    left = None
    for item in gone:
        left = s.call("unfavorite_listing", user_id=me["user_id"], listing_id=item["listing_id"])
    if left is None:
        s.reject("nothing to remove")
    s.fact(left["count"], derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        "My Etsy favourites are cluttered with things I can't actually buy any more.",
        f"Please clear out the ones that are sold out or no longer listed. I'm {me['email']}.",
        "How many favourites do I have left?",
    )


@story(ENV, implicit=True, weight=1.2)
def shop_on_vacation(s: StoryContext) -> str:
    """A buyer wants to buy a favourite from a shop that is on vacation: nothing can be bought; they hear why."""
    fav, me = favourite(s, "sh.is_vacation = 1 AND l.state = 'active' AND sh.vacation_message != ''")
    shop = s.call("get_shop", shop_name=fav["shop_name"])
    s.fact(shop["vacation_message"])
    s.context(fav["shop_name"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'd like to buy the {short(fav['title'])} that's in my favourites. I'm {me['email']}.",
        "Please go ahead and buy it, or if you can't, tell me why and pass on any note the seller left.",
    )


@story(ENV)
def shop_policies(s: StoryContext) -> str:
    """Before buying, a shopper asks a shop's return policy and how long its usual shipping takes to process."""
    row = s.pick(
        "SELECT sh.* FROM shops sh WHERE (SELECT COUNT(*) FROM shipping_profiles p WHERE p.shop_id = sh.shop_id) = 1"
    )
    shop = s.call("get_shop", shop_name=s.say(row["shop_name"]))
    profile = shop["shipping_profiles"][0]
    if shop["accepts_returns"]:
        s.fact(shop["return_window_days"])
    else:
        s.fact("no", derived=True)
    s.fact(profile["max_processing_days"])
    s.context(row["shop_name"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm thinking of buying from {row['shop_name']}.",
        speech.choose(
            s.rng,
            "Do they take returns, and if so within how many days? And what's the longest they take to get an "
            "order out the door?",
            "What's their returns policy (how many days do I get), and how many days at most before they ship?",
        ),
    )


@story(ENV)
def when_would_it_arrive(s: StoryContext) -> str:
    """A shopper in another country asks what shipping costs and when a shop's listing would arrive."""
    row = s.pick(
        "SELECT l.title, l.listing_id, sh.shop_name, d.destination_country_iso AS country FROM listings l "
        "JOIN shops sh ON sh.shop_id = l.shop_id JOIN shipping_profile_destinations d "
        "ON d.shipping_profile_id = l.shipping_profile_id WHERE l.state = 'active' AND sh.is_vacation = 0 "
        "AND d.destination_country_iso != sh.country_iso "
        "AND (SELECT COUNT(*) FROM listings o WHERE o.shop_id = sh.shop_id AND o.state = 'active') <= 20"
    )
    shop = s.call("get_shop", shop_name=s.say(row["shop_name"]))
    listings = s.call("get_shop_listings", shop_id=shop["shop_id"])
    if not unique_short(listings["results"], row):
        s.reject("name not unique")
    s.say(short(row["title"]))
    country = COUNTRY_NAMES[row["country"]]
    if row["country"] in ("US", "GB", "NL"):
        country = f"the {country}"
    s.say(row["country"], country)
    details = s.call("get_listing_details", listing_id=row["listing_id"], destination_country_iso=row["country"])
    s.fact(details["delivery"]["shipping_cost"])
    s.fact(details["delivery"]["arrives_latest"])
    s.context(row["shop_name"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I live in {country} and I like the {short(row['title'])} from {row['shop_name']}.",
        "How much would shipping cost me, and what's the latest it would arrive if I ordered today?",
    )


# -- sellers -----------------------------------------------------------------------------------------------

NEW_ITEMS = (
    ("Hand Thrown Stoneware Bowl", "Home & Living", ("stoneware clay",), ("ceramic bowl", "pottery"), (28, 45)),
    ("Beeswax Taper Candles, Set of Two", "Home & Living", ("beeswax", "cotton wick"), ("taper candles",), (14, 22)),
    ("Linen Tea Towel, Block Printed", "Home & Living", ("linen",), ("tea towel", "kitchen linen"), (16, 24)),
    ("Sterling Silver Leaf Earrings", "Jewelry", ("sterling silver",), ("leaf earrings", "silver earrings"), (30, 55)),
    ("Felted Wool Christmas Ornament", "Home & Living", ("wool",), ("ornament", "christmas decor"), (9, 18)),
    ("Hand Bound Travel Journal", "Paper & Party Supplies", ("leather", "paper"), ("journal", "travel gift"), (25, 40)),
)


@story(ENV, weight=1.3)
def list_a_new_item(s: StoryContext) -> str:
    """A handmade seller lists a new item with the price, stock, tags and shipping profile they state, live now."""
    me, row = seller(
        s,
        "s.shop_name NOT LIKE '%Vintage%' AND EXISTS (SELECT 1 FROM listings l WHERE l.shop_id = s.shop_id "
        "AND l.who_made != 'someone_else' AND l.is_supply = 0)",
    )
    shop = s.call("get_shop", shop_name=row["shop_name"])
    profile = s.rng.choice(shop["shipping_profiles"])
    if sum(p["title"] == profile["title"] for p in shop["shipping_profiles"]) > 1:
        s.reject("profile names repeat")
    title, category, materials, tags, (low, high) = s.rng.choice(NEW_ITEMS)
    price = s.rng.randint(low, high) + s.rng.choice((0.0, 0.5))
    quantity = s.rng.randint(2, 12)
    to_order = s.rng.random() < 0.4
    description = s.rng.choice(
        ("Made by hand in my studio.", "Each one is slightly different.", "Made in small batches.")
    )
    s.say(title, f'"{title}"')
    s.say(description, f'"{description}"')
    s.say(price, money(price, row["currency_code"]))
    s.say(quantity, speech.number(quantity))
    s.say(category)
    for tag in tags:
        s.say(tag, f'"{tag}"')
    s.say(profile["title"])
    result = s.call(
        "create_listing",
        user_id=me["user_id"],
        shop_id=row["shop_id"],
        title=title,
        description=description,
        price=price,
        quantity=quantity,
        who_made=s.imply("i_did"),
        when_made=s.imply("made_to_order" if to_order else "2020_2025"),
        category=category,
        tags=list(tags),
        materials=[s.say(m) for m in materials],
        shipping_profile_id=profile["shipping_profile_id"],
        state=s.imply("active"),
    )
    s.fact(result["fee_charged"])
    s.fact(result["ending_timestamp"][:10], derived=True)
    made = "I make each one to order" if to_order else "I made them this year"
    tag_words = speech.listing([f'"{t}"' for t in tags])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm {row['email']} and I'd like to put a new listing live in {row['shop_name']}:",
        f'"{title}", {money(price, row["currency_code"])}, {speech.number(quantity)} in stock, under {category}.',
        f'Description: "{description}" I made it myself, and {made}.',
        f"Materials: {speech.listing(list(materials))}. Tags: {tag_words}.",
        f"Use my {profile['title']} profile.",
        "What did listing it cost, and until when will it be up?",
    )


@story(ENV, implicit=True, weight=1.2)
def restock_sold_out(s: StoryContext) -> str:
    """A seller made more of a sold-out item: setting the stock brings it back (and renews it)."""
    me, row = seller(
        s,
        "EXISTS (SELECT 1 FROM listings l WHERE l.shop_id = s.shop_id AND l.state = 'sold_out' "
        "AND l.who_made != 'someone_else' AND l.is_supply = 0 "
        "AND NOT EXISTS (SELECT 1 FROM listing_variations v WHERE v.listing_id = l.listing_id))",
    )
    page = s.call("get_shop_listings", shop_id=row["shop_id"], state=s.imply("sold_out"), user_id=me["user_id"])
    plain = [
        r
        for r in page["results"]
        if r["item_type"] == "handmade"
        and not s.rows("SELECT 1 FROM listing_variations WHERE listing_id = ?", (r["listing_id"],))
    ]
    if not plain:
        s.reject("only variation listings")
    target = s.rng.choice(plain)
    if not unique_short(page["results"], target):
        s.reject("name repeats")
    s.say(short(target["title"]))
    made = s.rng.randint(3, 15)
    s.say(made, speech.number(made))
    result = s.call("update_listing_inventory", user_id=me["user_id"], listing_id=target["listing_id"], quantity=made)
    s.fact(result["ending_timestamp"][:10], derived=True)
    s.fact(result["fee_charged"])
    return speech.sentence(
        speech.opening(s.rng),
        f"My {short(target['title'])} sold out, but I've just finished {speech.number(made)} more.",
        f"Can you get it selling again in my shop {row['shop_name']}? I'm {row['email']}.",
        "Did that cost anything, and how long will it stay up?",
    )


@story(ENV, implicit=True)
def renew_expired_listings(s: StoryContext) -> str:
    """A seller renews every expired listing that still has stock; they hear the total fee."""
    me, row = seller(
        s,
        "(SELECT COUNT(*) FROM listings l WHERE l.shop_id = s.shop_id AND l.state = 'expired' AND l.quantity > 0) "
        "BETWEEN 1 AND 3",
    )
    page = s.call("get_shop_listings", shop_id=row["shop_id"], state=s.imply("expired"), user_id=me["user_id"])
    renewed = [r for r in page["results"] if r["quantity"] > 0]
    fees = 0.0
    for listing in renewed:
        fees += s.call("renew_listing", user_id=me["user_id"], listing_id=listing["listing_id"])["fee_charged"]
    s.fact(len(renewed), derived=True)
    s.fact(round(fees, 2), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"Some of my listings in {row['shop_name']} have expired. I'm {row['email']}.",
        "Please renew every expired listing that still has stock.",
        "How many did you renew and what did the renewals cost me altogether?",
    )


@story(ENV, implicit=True)
def take_a_listing_down(s: StoryContext) -> str:
    """A seller runs out of materials and takes an active listing down for now."""
    me, row = seller(s, "(SELECT COUNT(*) FROM listings l WHERE l.shop_id = s.shop_id AND l.state = 'active') <= 20")
    page = s.call("get_shop_listings", shop_id=row["shop_id"])
    if not page["results"]:
        s.reject("no active listings")
    target = s.rng.choice(page["results"])
    if not unique_short(page["results"], target):
        s.reject("name repeats")
    s.say(short(target["title"]))
    s.call("update_listing", user_id=me["user_id"], listing_id=target["listing_id"], state=s.imply("inactive"))
    left = s.call("get_shop_listings", shop_id=row["shop_id"])
    s.fact(left["count"], derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"I need to pause my {short(target['title'])} for a while, so I don't want anyone ordering it.",
        f"Please hide it from my shop {row['shop_name']} for now without deleting it. I'm {row['email']}.",
        "How many listings are still live after that?",
    )


@story(ENV)
def reprice_a_listing(s: StoryContext) -> str:
    """A seller changes the price of one of their listings (no variations) to a stated amount."""
    me, row = seller(s, "(SELECT COUNT(*) FROM listings l WHERE l.shop_id = s.shop_id AND l.state = 'active') <= 20")
    page = s.call("get_shop_listings", shop_id=row["shop_id"])
    plain = [
        r
        for r in page["results"]
        if not s.rows("SELECT 1 FROM listing_variations WHERE listing_id = ?", (r["listing_id"],))
    ]
    if not plain:
        s.reject("only variation listings")
    target = s.rng.choice(plain)
    if not unique_short(page["results"], target):
        s.reject("name repeats")
    s.say(short(target["title"]))
    new_price = round(target["price"] * s.rng.choice((0.8, 0.9, 1.1, 1.2)))
    if new_price < 3 or new_price == target["price"]:
        s.reject("odd price")
    s.say(new_price, money(new_price, row["currency_code"]))
    s.call("update_listing", user_id=me["user_id"], listing_id=target["listing_id"], price=new_price)
    s.fact(target["price"])
    return speech.sentence(
        speech.opening(s.rng),
        f"Please change the price of the {short(target['title'])} in my shop {row['shop_name']} "
        f"to {money(new_price, row['currency_code'])}. I'm {row['email']}.",
        "What was it priced at before?",
    )


@story(ENV)
def orders_to_ship(s: StoryContext) -> str:
    """A seller asks how many orders are waiting to ship and which is due out first, and for whom."""
    me, row = seller(
        s,
        "(SELECT COUNT(*) FROM receipts r WHERE r.shop_id = s.shop_id AND r.is_shipped = 0 "
        "AND r.status = 'paid') BETWEEN 2 AND 10",
    )
    page = s.call("get_receipts", user_id=me["user_id"], shop_id=row["shop_id"], was_shipped=s.imply(False))
    waiting = [r for r in page["receipts"] if r["status"] == "paid"]
    first = min(waiting, key=lambda r: r["expected_ship_date"])
    if sum(r["expected_ship_date"] == first["expected_ship_date"] for r in waiting) > 1:
        s.reject("a tie for the first due")
    if len(waiting) != page["count"]:
        s.reject("canceled orders in the list")
    s.fact(len(waiting), derived=True)
    s.fact(first["buyer_name"])
    s.fact(first["expected_ship_date"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I run {row['shop_name']} ({row['email']}).",
        "How many orders do I still have to send out, and which one is due to ship first? Whose is it and by when?",
    )


@story(ENV, implicit=True, weight=1.3)
def mark_order_shipped(s: StoryContext) -> str:
    """A seller posted the order due first and gives the carrier and tracking code."""
    me, row = seller(
        s,
        "(SELECT COUNT(*) FROM receipts r WHERE r.shop_id = s.shop_id AND r.status = 'paid') BETWEEN 1 AND 10",
    )
    page = s.call("get_receipts", user_id=me["user_id"], shop_id=row["shop_id"], was_shipped=s.imply(False))
    waiting = [r for r in page["receipts"] if r["status"] == "paid"]
    if not waiting:
        s.reject("nothing to ship")
    order = s.rng.choice(waiting)
    if sum(r["buyer_name"] == order["buyer_name"] for r in waiting) > 1:
        s.reject("two orders for that buyer")
    carrier, label = {
        "US": ("usps", "USPS"), "GB": ("royal-mail", "Royal Mail"), "CA": ("canada-post", "Canada Post"),
        "AU": ("australia-post", "Australia Post"), "DE": ("dhl", "DHL"), "FR": ("la-poste", "La Poste"),
        "NL": ("dhl", "DHL"),
    }[row["country_iso"]]  # fmt: skip
    digits = "".join(s.rng.choice("0123456789") for _ in range(20 if carrier == "usps" else 12))
    code = f"9400{digits}" if carrier == "usps" else f"LX{digits}"
    s.say(order["buyer_name"])
    s.say(carrier, label)
    s.say(code)
    result = s.call(
        "create_receipt_shipment", user_id=me["user_id"], receipt_id=order["receipt_id"], carrier_name=carrier,
        tracking_code=code,
    )  # fmt: skip
    s.fact(result["receipt_id"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I just posted {order['buyer_name']}'s order from my shop {row['shop_name']} with {label}, "
        f"tracking number {code}.",
        f"Please mark it as shipped so they get the tracking. My email is {row['email']}.",
        "What's the order number, for my records?",
    )


@story(ENV, implicit=True)
def going_on_vacation(s: StoryContext) -> str:
    """A seller going away puts the shop on vacation with a message, after checking what is left to ship."""
    me, row = seller(
        s, "s.is_vacation = 0 AND EXISTS (SELECT 1 FROM receipts r WHERE r.shop_id = s.shop_id AND r.status = 'paid')"
    )
    page = s.call("get_receipts", user_id=me["user_id"], shop_id=row["shop_id"], was_shipped=s.imply(False))
    waiting = sum(r["status"] == "paid" for r in page["receipts"])
    if waiting != page["count"]:
        s.reject("canceled orders in the list")
    note = s.rng.choice(VACATION_NOTES)
    said = s.detail("vacation message", note, note, phrase=f'"{note}"', vague="a short note")
    s.call(
        "update_shop", user_id=me["user_id"], shop_id=row["shop_id"], is_vacation=s.imply(True), vacation_message=note
    )
    s.fact(waiting, derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm closing {row['shop_name']} for a while and don't want new orders coming in. I'm {row['email']}.",
        f"Please set it up so buyers see {said}",
        "Also, how many orders do I still need to send before I go?",
    )


@story(ENV)
def back_from_vacation(s: StoryContext) -> str:
    """A seller back from a break reopens the shop and asks how many listings are live again."""
    me, row = seller(s, "s.is_vacation = 1")
    s.call("update_shop", user_id=me["user_id"], shop_id=row["shop_id"], is_vacation=s.imply(False))
    shop = s.call("get_shop", shop_name=row["shop_name"])
    s.fact(shop["active_listing_count"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm back from my break. Please take {row['shop_name']} off vacation mode so people can order again.",
        f"My email is {row['email']}. How many of my listings are live?",
    )


@story(ENV, implicit=True)
def name_too_long_to_engrave(s: StoryContext) -> str:
    """A buyer wants a longer name than a favourited listing's personalization allows: nothing is bought; they
    hear the character limit."""
    fav, me = favourite(
        s,
        "l.state = 'active' AND sh.is_vacation = 0 AND l.is_personalizable = 1 "
        "AND l.personalization_char_count_max BETWEEN 3 AND 12",
    )
    details = s.call("get_listing_details", listing_id=fav["listing_id"])
    limit = details["personalization_char_count_max"]
    names = [n for n in ("Alexandra", "Maximilian", "Bartholomew", "Christopher", "Evangeline") if len(n) > limit]
    if not names:
        s.reject("every name fits")
    name = s.rng.choice(names)
    s.fact(limit)
    s.context(details["shop_name"])
    return speech.sentence(
        speech.opening(s.rng),
        f'I want to buy the {short(fav["title"])} from my favourites with "{name}" on it. I\'m {me["email"]}.',
        "Only buy it if the whole name fits; otherwise tell me how many characters they allow.",
    )


@story(ENV)
def publish_a_draft(s: StoryContext) -> str:
    """A seller publishes a draft that has no shipping profile yet, with the profile they name."""
    me, row = seller(
        s,
        "EXISTS (SELECT 1 FROM listings l WHERE l.shop_id = s.shop_id AND l.state = 'draft' "
        "AND l.shipping_profile_id IS NULL)",
    )
    drafts = s.call("get_shop_listings", shop_id=row["shop_id"], state=s.imply("draft"), user_id=me["user_id"])
    target = s.rng.choice(drafts["results"])
    if not unique_short(drafts["results"], target):
        s.reject("name repeats")
    s.say(short(target["title"]))
    shop = s.call("get_shop", shop_name=row["shop_name"])
    profile = s.rng.choice(shop["shipping_profiles"])
    s.say(profile["title"])
    result = s.call(
        "update_listing",
        user_id=me["user_id"],
        listing_id=target["listing_id"],
        shipping_profile_id=profile["shipping_profile_id"],
        state=s.imply("active"),
    )
    s.fact(result["fee_charged"])
    s.fact(result["ending_timestamp"][:10], derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"My {short(target['title'])} is still sitting in drafts in {row['shop_name']}. I'm {row['email']}.",
        f"Please ship it with my {profile['title']} profile and make it live.",
        "What did that cost, and when will it expire?",
    )


# title, how the seller calls it, category, materials, tags, price range
VINTAGE_FINDS = (
    ("Vintage Enamel Coffee Pot", "an enamel coffee pot", "Home & Living", ("enamel",), ("coffee pot",), (28, 60)),
    ("Vintage Wool Tartan Blanket", "a tartan blanket", "Home & Living", ("wool",), ("tartan", "throw"), (45, 120)),
    (
        "Vintage Brass Candlesticks, Pair",
        "a pair of brass candlesticks",
        "Home & Living",
        ("brass",),
        ("candlesticks", "vintage decor"),
        (24, 58),
    ),
    ("Vintage Silk Headscarf", "a silk headscarf", "Accessories", ("silk",), ("silk scarf", "vintage scarf"), (18, 40)),
)
DECADES = {"1950s": "the fifties", "1960s": "the sixties", "1970s": "the seventies", "1980s": "the eighties"}


@story(ENV)
def list_a_vintage_find(s: StoryContext) -> str:
    """A vintage seller lists a find from a stated decade; one from the 2010s is not vintage and is not listed."""
    me, row = seller(s, "s.shop_name LIKE '%Vintage%' OR s.shop_name LIKE '%Finds%' OR s.shop_name LIKE '%Antiques%'")
    shop = s.call("get_shop", shop_name=row["shop_name"])
    profile = s.rng.choice(shop["shipping_profiles"])
    if sum(p["title"] == profile["title"] for p in shop["shipping_profiles"]) > 1:
        s.reject("profile names repeat")
    title, thing, category, materials, tags, (low, high) = s.rng.choice(VINTAGE_FINDS)
    too_new = s.rng.random() < 0.35
    decade = "2010_2019" if too_new else s.rng.choice(tuple(DECADES))
    era = "around 2015" if too_new else f"the {decade}"
    price = float(s.rng.randint(low, high))
    s.say(title, f'"{title}"')
    s.say(price, money(price, row["currency_code"]))
    s.say(category)
    s.say(profile["title"])
    if too_new:
        s.fact(20, derived=True)
    else:
        s.say(decade, f"the {decade}")
        result = s.call(
            "create_listing",
            user_id=me["user_id"],
            shop_id=row["shop_id"],
            title=title,
            description=s.say(f"Genuine vintage from {DECADES[decade]}.", f'"Genuine vintage from {DECADES[decade]}."'),
            price=price,
            quantity=s.say(1, "just the one"),
            who_made=s.imply("someone_else"),
            when_made=decade,
            category=category,
            tags=[s.say(t, f'"{t}"') for t in tags],
            materials=[s.say(m) for m in materials],
            shipping_profile_id=profile["shipping_profile_id"],
            state=s.imply("active"),
        )
        s.fact(result["fee_charged"])
    describe = (
        'Description: "It was made around 2015."'
        if too_new
        else f'Description: "Genuine vintage from {DECADES[decade]}."'
    )
    tag_words = speech.listing([f'"{t}"' for t in tags])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm {row['email']} and I found {thing} from {era} for my shop {row['shop_name']}.",
        f'Please list it as vintage and make it live: "{title}", {money(price, row["currency_code"])}, '
        f"just the one, under {category}.",
        f"{describe} Materials: {speech.listing(list(materials))}. Tags: {tag_words}. "
        f"Ship it with my {profile['title']} profile.",
        "What will listing it cost me? If it can't go up as vintage, tell me why.",
    )
