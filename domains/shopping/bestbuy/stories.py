"""Best Buy stories: one My Best Buy customer per task, one storyline each.

Shoppers find the best-rated TV of a size on sale under a budget and hold it at the nearest store that has
it today, compare two products from their shelf tags, check the best seller in a department, read the
harshest review before buying, find stores with a service, order for shipping or pickup, add Geek Squad
Protection to an appliance, ask for a price match (a qualifying retailer, the identical model and a new item
decide), return an item (the membership tier and the activation rule decide the window), cancel a hold,
and review what they bought. Prices are stored in cents; requests and facts use dollars as a person says
them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from .models import ACTIVATABLE_RETURN_DAYS, NOW, QUALIFYING_COMPETITORS, return_days

ENV = "bestbuy"
TODAY = NOW.date()
TVS = "abcat0101000"
LAPTOPS = "abcat0502000"
HEADPHONES = "pcmcat144700050004"
PHONES = "pcmcat156400050037"
APPLIANCES = "abcat0900000"
RECEIVED = "o.status IN ('DELIVERED', 'PICKED_UP')"
# How a person asks for a store service.
SERVICE_WORDS = (
    ("Apple Shop", "an Apple Shop"),
    ("Samsung Experience", "a Samsung Experience shop"),
    ("Magnolia Design Center", "a Magnolia Design Center"),
    ("Trade-In", "trade-ins"),
)
REVIEWS = (
    (5, "Exactly what I needed", "Easy to set up and it has worked flawlessly every day since I got it."),
    (4, "Great, with one quirk", "Really happy overall, though the setup app took a couple of tries."),
    (2, "Not worth the price", "It works, but it feels cheap and the battery drains far too quickly."),
)


def money(cents: int) -> str:
    return speech.money(speech.from_cents(cents))


def dollars(cents: int) -> float:
    return speech.from_cents(cents)


def me(s: StoryContext, customer_id: str) -> str:
    s.person(ENV, customer_id)
    s.say(customer_id)
    return speech.choose(
        s.rng,
        f"My member ID is {customer_id}.",
        f"I'm member {customer_id}.",
        f"My Best Buy account is {customer_id}.",
    )


def short(name: str) -> str:
    """How a person names a product: the brand and the model line, without size, color or configuration."""
    parts = name.split(" - ")
    return f"{parts[0]} {parts[1]}" if len(parts) > 1 else name


def single_line(s: StoryContext, customer_id: str, sku: str) -> None:
    """Reject a draw where the customer bought the same product on more than one order."""
    n = s.rows(
        "SELECT COUNT(*) AS n FROM order_lines l JOIN orders o ON o.order_id = l.order_id "
        "WHERE o.customer_id = ? AND l.sku = ?",
        (customer_id, sku),
    )[0]["n"]
    if n != 1:
        s.reject("the product is on several orders")


def find_line(orders: dict[str, Any], order_id: str, sku: str) -> dict[str, Any]:
    order = next(o for o in orders["orders"] if o["order_id"] == order_id) if "orders" in orders else orders
    return next(line for line in order["lines"] if line["sku"] == sku)


def recent_purchase(s: StoryContext, where: str, params: tuple[Any, ...] = ()) -> dict[str, Any]:
    """A received order line matching ``where`` whose order shows on the customer's first page of orders."""
    row = s.pick(
        "SELECT o.order_id, o.customer_id, o.received_at, o.placed_at, l.sku, l.name, l.quantity, l.unit_price, "
        "l.protection_term_years, l.returned_quantity, c.membership, p.condition, p.model_number, p.category_id, "
        "p.activation_required FROM orders o JOIN order_lines l ON l.order_id = o.order_id "
        "JOIN customers c ON c.customer_id = o.customer_id JOIN products p ON p.sku = l.sku "
        f"WHERE {RECEIVED} AND (SELECT COUNT(*) FROM orders x WHERE x.customer_id = o.customer_id) <= 10 AND {where}",
        params,
    )
    single_line(s, row["customer_id"], row["sku"])
    return row


def days_since(stamp: str) -> int:
    return (TODAY - dt.date.fromisoformat(stamp[:10])).days


# -- finding and comparing -----------------------------------------------------------------------------------


@story(ENV, implicit=True, weight=2.0)
def best_rated_tv_for_pickup_today(s: StoryContext) -> str:
    """The best-rated new TV of a size on sale under a budget, held at the nearest store that has it."""
    size = s.rng.choice((43, 50, 55, 65, 65, 75, 85))
    budget = s.rng.choice((40000, 50000, 60000, 80000, 100000, 150000, 200000, 300000))
    search = {
        "query": "TV",
        "screen_size_in": size,
        "on_sale": True,
        "condition": "new",
        "max_price": budget,
        "sort": "rating",
    }
    planned = s.peek("search_products", **search)["products"]
    if not planned:
        s.reject("nothing under the budget")
    tv = planned[0]
    customer = s.pick(
        "SELECT c.* FROM customers c JOIN postal_codes z ON z.postal_code = c.postal_code WHERE z.city IN "
        "(SELECT s.city FROM store_stock k JOIN stores s ON s.store_id = k.store_id WHERE k.sku = ? "
        "AND k.quantity > 0) "
        "AND NOT EXISTS (SELECT 1 FROM pickup_reservations r WHERE r.customer_id = c.customer_id AND r.sku = ? "
        "AND r.status = 'RESERVED')",
        (tv["sku"], tv["sku"]),
    )
    intro = me(s, customer["customer_id"])
    spend = s.detail("budget", budget, money(budget), vague="not a fortune", synonyms=["price", "spend", "maximum"])
    account = s.call("get_account", customer_id=customer["customer_id"])
    page = s.call(
        "search_products",
        query=s.say("TV"),
        screen_size_in=s.say(size, f"{size}-inch"),
        on_sale=True,
        condition=s.imply("new"),
        max_price=budget,
        sort=s.imply("rating"),
    )
    top = page["products"]
    if len(top) > 1 and top[1]["customer_review_average"] == top[0]["customer_review_average"]:
        s.reject("a tie for best rated")
    stores = s.call("get_stores", postal_code=account["postal_code"], sku=tv["sku"])
    if not stores:
        s.reject("no store within 25 miles has it")
    nearest = stores[0]
    if len(stores) > 1 and stores[1]["distance_miles"] == nearest["distance_miles"]:
        s.reject("two stores equally near")
    s.call("reserve_for_pickup", customer_id=customer["customer_id"], sku=tv["sku"], store_id=nearest["store_id"])
    s.fact(nearest["name"])
    s.fact(dollars(tv["sale_price"]), derived=True)
    s.context(short(tv["name"]), tv["sku"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"I want a new {size}-inch TV that's on sale right now, and I can spend at most {spend}.",
            f"Our old TV died. I'm after a {size}-inch TV on sale, brand new, no more than {spend}.",
        ),
        "Pick the one with the best customer rating and hold it for me at the closest store to my home that has "
        "it in stock today; I'll pick it up.",
        "Which store, and what's the price?",
    )


@story(ENV)
def compare_two_laptops(s: StoryContext) -> str:
    """A shopper compares two laptops from their shelf tags: price now and customer rating."""
    first, second = s.sample(
        "SELECT * FROM products WHERE category_id = ? AND condition = 'new' AND customer_review_average IS NOT NULL "
        "GROUP BY manufacturer",
        2,
        (LAPTOPS,),
    )
    if (
        first["sale_price"] == second["sale_price"]
        or first["customer_review_average"] == second["customer_review_average"]
    ):
        s.reject("a tie")
    for product in (first, second):
        s.call("get_product_details", sku=s.say(product["sku"]))
        s.fact(dollars(product["sale_price"]), derived=True)
        s.fact(product["customer_review_average"])
    s.fact(dollars(abs(first["sale_price"] - second["sale_price"])), derived=True)
    s.context(short(first["name"]), short(second["name"]))
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'm torn between two laptops, SKU {first['sku']} and SKU {second['sku']}.",
            f"I'm in the store looking at laptop SKUs {first['sku']} and {second['sku']}.",
        ),
        "What does each cost right now and how do customers rate them? How much cheaper is the cheaper one?",
    )


@story(ENV)
def best_seller_in_department(s: StoryContext) -> str:
    """The best-selling new product of an appliance kind on sale under a price, found through the departments."""
    leaf = s.pick("SELECT * FROM categories WHERE parent_id = ?", (APPLIANCES,))
    limit = s.rng.choice((80000, 100000, 150000, 200000))
    roots = s.call("get_categories")
    top = next(c for c in roots["subcategories"] if c["category_id"] == APPLIANCES)
    department = s.call("get_categories", category_id=top["category_id"])
    kind = next(c for c in department["subcategories"] if c["category_id"] == leaf["category_id"])
    page = s.call(
        "search_products",
        category_id=kind["category_id"],
        on_sale=True,
        condition=s.imply("new"),
        max_price=s.say(limit, money(limit)),
        sort=s.imply("best_selling"),
    )
    if not page["products"]:
        s.reject("nothing on sale under the price")
    best = page["products"][0]
    s.fact(best["model_number"])
    s.fact(dollars(best["sale_price"]), derived=True)
    s.context(short(best["name"]), best["sku"])
    noun = leaf["name"].lower()
    return speech.sentence(
        speech.opening(s.rng),
        f"Which new {noun[:-1] if noun.endswith('s') else noun} on sale for {money(limit)} or less is your "
        "top seller right now?",
        "Tell me its model number and sale price.",
    )


@story(ENV)
def harshest_review_before_buying(s: StoryContext) -> str:
    """Before buying, a shopper reads the lowest-rated review of a product (the newest of those)."""
    product = s.pick(
        "SELECT p.* FROM products p WHERE (SELECT COUNT(*) FROM reviews r WHERE r.sku = p.sku) >= 2 "
        "AND (SELECT COUNT(DISTINCT rating) FROM reviews r WHERE r.sku = p.sku) >= 2"
    )
    page = s.call("get_product_reviews", sku=s.say(product["sku"]), sort=s.imply("lowest_rating"))
    worst = page["reviews"][0]
    s.fact(worst["rating"])
    s.fact(worst["title"])
    s.fact(page["customer_review_average"])
    s.context(short(product["name"]))
    return speech.sentence(
        speech.opening(s.rng),
        f"Before I buy SKU {product['sku']}, what's its overall customer rating?",
        speech.choose(
            s.rng,
            "And show me the worst review it has (the most recent one if several share the lowest score): "
            "how many stars, and what's its title?",
            "Also, what does the lowest-rated review say? Give me its star rating and headline; if there's a tie, "
            "the newest one.",
        ),
    )


@story(ENV)
def stores_with_services(s: StoryContext) -> str:
    """Which stores in a city offer two services, and their hours."""
    service, spoken = s.rng.choice(SERVICE_WORDS)
    city = s.pick(
        "SELECT city FROM stores GROUP BY city HAVING SUM(services LIKE '%Geek Squad%' AND services LIKE ?) "
        "BETWEEN 1 AND 2 AND COUNT(*) >= 3",
        (f"%{service}%",),
    )["city"]
    stores = s.call("get_stores", city=s.say(city))
    matching = [x for x in stores if "Geek Squad" in x["services"] and service in x["services"]]
    for store in matching:
        s.fact(store["name"])
        s.fact(store["hours"])
    return speech.sentence(
        speech.opening(s.rng),
        f"Which Best Buy stores in {city} have both Geek Squad and {spoken}?",
        "I'd like their names and opening hours.",
    )


# -- buying --------------------------------------------------------------------------------------------------


@story(ENV)
def ship_a_small_order(s: StoryContext) -> str:
    """A customer orders units of a product for delivery; a small order without free shipping pays it."""
    product = s.pick("SELECT * FROM products WHERE online_availability = 1 AND condition = 'new' AND sale_price < 3000")
    customer = s.pick(
        "SELECT customer_id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM cart_items x WHERE "
        "x.customer_id = c.customer_id)"
    )["customer_id"]
    quantity = 1 if product["sale_price"] > 1700 else s.rng.choice((1, 2))
    intro = me(s, customer)
    s.call(
        "add_to_cart",
        customer_id=customer,
        sku=s.say(product["sku"]),
        quantity=s.say(quantity, speech.spelled(quantity)),
    )
    order = s.call("checkout", customer_id=customer, fulfillment=s.imply("shipping"))
    s.fact(dollars(order["total"]), derived=True)
    s.fact(dollars(order["shipping_cost"]), derived=True)
    s.context(short(product["name"]))
    units = "one" if quantity == 1 else speech.spelled(quantity)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"Please order {units} of SKU {product['sku']} and have {'it' if quantity == 1 else 'them'} shipped to me.",
        "What's the total, and how much of that is shipping?",
    )


@story(ENV, implicit=True)
def pick_up_at_nearest_store(s: StoryContext) -> str:
    """A customer buys a product to collect at the nearest store that has it."""
    row = s.pick(
        "SELECT c.customer_id, k.sku FROM store_stock k JOIN stores st ON st.store_id = k.store_id JOIN "
        "postal_codes z ON z.city = st.city JOIN customers c ON c.postal_code = z.postal_code JOIN products p ON "
        "p.sku = k.sku WHERE k.quantity > 0 AND p.condition = 'new' AND NOT EXISTS (SELECT 1 FROM cart_items x "
        "WHERE x.customer_id = c.customer_id)"
    )
    product = s.rows("SELECT * FROM products WHERE sku = ?", (row["sku"],))[0]
    intro = me(s, row["customer_id"])
    account = s.call("get_account", customer_id=row["customer_id"])
    stores = s.call("get_stores", postal_code=account["postal_code"], sku=s.say(product["sku"]))
    if not stores or (len(stores) > 1 and stores[0]["distance_miles"] == stores[1]["distance_miles"]):
        s.reject("no store nearby or a tie")
    nearest = stores[0]
    s.call("add_to_cart", customer_id=row["customer_id"], sku=product["sku"])
    s.call("checkout", customer_id=row["customer_id"], fulfillment=s.imply("pickup"), store_id=nearest["store_id"])
    s.fact(nearest["name"])
    s.context(short(product["name"]))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"I need SKU {product['sku']} today and don't want to wait for delivery.",
            f"I'd rather not wait for shipping on SKU {product['sku']}.",
        ),
        "Buy one for me to collect at whichever store nearest my home has it on the shelf. Which store is it?",
    )


@story(ENV, implicit=True)
def cannot_make_the_pickup(s: StoryContext) -> str:
    """A customer who can't get to the store lets go of their hold."""
    hold = s.pick(
        "SELECT r.*, p.name, st.name AS store_name FROM pickup_reservations r JOIN products p ON p.sku = r.sku "
        "JOIN stores st ON st.store_id = r.store_id WHERE r.status = 'RESERVED' AND (SELECT COUNT(*) FROM "
        "pickup_reservations x WHERE x.customer_id = r.customer_id AND x.status = 'RESERVED') = 1"
    )
    intro = me(s, hold["customer_id"])
    account = s.call("get_account", customer_id=hold["customer_id"])
    held = account["reservations"][0]
    s.call("cancel_pickup_reservation", customer_id=hold["customer_id"], reservation_id=held["reservation_id"])
    s.context(short(hold["name"]), hold["store_name"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"I had the {short(hold['name'])} waiting for me at the {hold['store_name']} store, but I won't be able "
            "to get there after all.",
            f"Something came up and I can't collect the {short(hold['name'])} from your {hold['store_name']} store.",
        ),
        "Let it go so someone else can have it.",
    )


# -- after the purchase --------------------------------------------------------------------------------------


@story(ENV, implicit=True)
def protect_the_appliance(s: StoryContext) -> str:
    """A customer adds Geek Squad Protection to an appliance they bought within the last 60 days."""
    row = recent_purchase(
        s,
        "l.protection_term_years IS NULL AND l.returned_quantity = 0 AND o.placed_at >= ? AND p.category_id IN "
        "(SELECT category_id FROM categories WHERE parent_id = ?)",
        ((NOW - dt.timedelta(days=58)).isoformat(), APPLIANCES),
    )
    term = s.rng.choice((2, 3))
    intro = me(s, row["customer_id"])
    orders = s.call("get_orders", customer_id=row["customer_id"])
    line = find_line(orders, row["order_id"], row["sku"])
    s.call("get_protection_plans", sku=line["sku"])
    order = s.call(
        "add_protection_plan",
        customer_id=row["customer_id"],
        order_id=row["order_id"],
        sku=row["sku"],
        term_years=s.say(term, "three-year" if term == 3 else "two-year"),
    )
    s.fact(dollars(find_line(order, row["order_id"], row["sku"])["protection_price"]), derived=True)
    s.context(short(row["name"]))
    cover = (
        "the three-year Geek Squad plan that also covers accidents"
        if term == 3
        else "the cheaper two-year Geek Squad plan"
    )
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"The {short(row['name'])} I bought from you gets used every day and I'm nervous it'll break.",
            f"My neighbour's {short(row['name'])} broke a month after the warranty ran out, and I just bought one.",
        ),
        f"Put {cover} on mine. What does the plan cost?",
    )


def _headphone_return(s: StoryContext, member: bool) -> str:
    tier = "c.membership != 'My Best Buy'" if member else "c.membership = 'My Best Buy'"
    row = recent_purchase(
        s,
        f"l.returned_quantity = 0 AND p.category_id = ? AND {tier} AND date(o.received_at) BETWEEN ? AND ?",
        (HEADPHONES, (TODAY - dt.timedelta(days=58)).isoformat(), (TODAY - dt.timedelta(days=16)).isoformat()),
    )
    intro = me(s, row["customer_id"])
    s.call("get_account", customer_id=row["customer_id"])
    orders = s.call("get_orders", customer_id=row["customer_id"])
    line = find_line(orders, row["order_id"], row["sku"])
    if member:
        result = s.call(
            "start_return",
            customer_id=row["customer_id"],
            order_id=row["order_id"],
            sku=row["sku"],
            reason=s.imply("changed_mind"),
            quantity=line["quantity"],
        )
        s.fact(dollars(result["refund_amount"]), derived=True)
    else:
        s.fact(line["return_by"])
    s.context(short(row["name"]), row["membership"])
    days = days_since(row["received_at"])
    weeks = "about three weeks" if days <= 25 else "about a month" if days <= 40 else "a while"
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"I got the {short(row['name'])} {weeks} ago and honestly they just aren't comfortable, so I'd like my money "
        "back.",
        "If they can still go back, return them and tell me the refund; if not, tell me the last day I could have "
        "returned them.",
    )


@story(ENV, implicit=True)
def headphones_back_as_a_member(s: StoryContext) -> str:
    """Headphones received weeks ago: a Plus or Total member's 60-day window still takes them back."""
    return _headphone_return(s, member=True)


@story(ENV, implicit=True)
def headphones_back_past_fifteen_days(s: StoryContext) -> str:
    """Headphones received weeks ago: the free tier's 15-day window has closed; the customer hears the date."""
    return _headphone_return(s, member=False)


@story(ENV)
def phone_return_past_fourteen_days(s: StoryContext) -> str:
    """A phone received more than 14 days ago cannot be returned, whatever the tier; the customer hears when
    the window closed."""
    row = recent_purchase(
        s,
        "l.returned_quantity = 0 AND p.category_id = ? AND date(o.received_at) BETWEEN ? AND ?",
        (
            PHONES,
            (TODAY - dt.timedelta(days=45)).isoformat(),
            (TODAY - dt.timedelta(days=ACTIVATABLE_RETURN_DAYS + 1)).isoformat(),
        ),
    )
    if return_days(row["membership"], True) != ACTIVATABLE_RETURN_DAYS:
        s.reject("unexpected window")
    intro = me(s, row["customer_id"])
    orders = s.call("get_orders", customer_id=row["customer_id"])
    line = find_line(orders, row["order_id"], row["sku"])
    s.call("get_product_details", sku=line["sku"])
    s.fact(line["return_by"])
    s.context(short(row["name"]))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"I'd like to return the {short(row['name'])} I bought; it's defective, it keeps dropping calls.",
        "If it's too late, tell me when my return window closed.",
    )


@story(ENV)
def price_match_a_purchase(s: StoryContext) -> str:
    """A customer saw the identical model cheaper at a retailer after buying; Best Buy refunds the difference
    if the retailer qualifies and the item is new, otherwise the customer hears what they paid."""
    refuse = s.rng.random() < 0.4
    row = recent_purchase(
        s,
        "l.returned_quantity = 0 AND l.unit_price >= 5000 AND NOT EXISTS (SELECT 1 FROM price_matches m WHERE "
        "m.order_id = o.order_id AND m.sku = l.sku) AND date(o.received_at) >= ?"
        + ("" if refuse else " AND p.condition = 'new'"),
        ((TODAY - dt.timedelta(days=13)).isoformat(),),
    )
    marketplace = refuse and row["condition"] == "new"
    competitor = s.rng.choice(
        ("eBay", "Temu", "Facebook Marketplace") if marketplace else tuple(sorted(QUALIFYING_COMPETITORS))
    )
    price = (row["unit_price"] * s.rng.choice((0.85, 0.9, 0.95))) // 100 * 100
    intro = me(s, row["customer_id"])
    orders = s.call("get_orders", customer_id=row["customer_id"])
    line = find_line(orders, row["order_id"], row["sku"])
    s.say(competitor)
    quoted = s.detail(
        "competitor price", int(price), money(int(price)), vague="a lower price", synonyms=["price", "how much"]
    )
    s.say(row["model_number"])
    s.call("get_product_details", sku=line["sku"])
    if refuse:
        s.fact(dollars(line["unit_price"]), derived=True)
    else:
        result = s.call(
            "request_price_match",
            customer_id=row["customer_id"],
            order_id=row["order_id"],
            sku=row["sku"],
            competitor=competitor,
            competitor_price=int(price),
            competitor_model_number=row["model_number"],
        )
        s.fact(dollars(result["refund_amount"]), derived=True)
    s.context(short(row["name"]))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"I just bought the {short(row['name'])} from you and now I see {competitor} selling the exact same model, "
        f"{row['model_number']}, for {quoted}, in stock.",
        "Can you match that and refund me the difference? If you won't, tell me what I paid for it.",
    )


@story(ENV)
def review_what_i_bought(s: StoryContext) -> str:
    """A customer reviews a product they received, with the stars, headline and words they give."""
    row = recent_purchase(
        s,
        "NOT EXISTS (SELECT 1 FROM reviews r WHERE r.sku = l.sku AND r.customer_id = o.customer_id)",
    )
    rating, title, comment = s.rng.choice(REVIEWS)
    intro = me(s, row["customer_id"])
    orders = s.call("get_orders", customer_id=row["customer_id"])
    line = find_line(orders, row["order_id"], row["sku"])
    said = s.detail("review text", comment, comment, phrase=f'"{comment}"', vague="a few words about it")
    s.call(
        "write_review",
        customer_id=row["customer_id"],
        sku=line["sku"],
        rating=s.say(rating, f"{rating} stars"),
        title=s.say(title),
        comment=comment,
    )
    s.context(short(row["name"]))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f'I\'d like to post a review of the {short(row["name"])} I bought: {rating} stars, titled "{title}", '
        f"saying {said}",
    )


@story(ENV, implicit=True)
def hold_as_many_as_the_store_has(s: StoryContext) -> str:
    """A customer wants units held at a named store in their city; the shelf decides how many can be."""
    want = s.rng.choice((2, 3))
    row = s.pick(
        "SELECT k.store_id, k.sku, k.quantity, st.name AS store_name, st.city, c.customer_id FROM store_stock k "
        "JOIN stores st ON st.store_id = k.store_id JOIN postal_codes z ON z.city = st.city JOIN customers c ON "
        "c.postal_code = z.postal_code JOIN products p ON p.sku = k.sku WHERE k.quantity BETWEEN ? AND ? "
        "AND p.condition = 'new' "
        "AND p.sale_price < 30000 AND NOT EXISTS (SELECT 1 FROM pickup_reservations r WHERE r.customer_id = "
        "c.customer_id AND r.sku = k.sku AND r.status = 'RESERVED')",
        (1, want - 1) if s.rng.random() < 0.6 else (want, 99),
    )
    intro = me(s, row["customer_id"])
    stores = s.call("get_stores", city=s.say(row["city"]), sku=s.say(row["sku"]))
    store = next((x for x in stores if x["store_id"] == row["store_id"]), None)
    if store is None or [x["name"] for x in stores].count(store["name"]) > 1:
        s.reject("store not listed or names repeat")
    s.say(store["name"])
    units = min(want, int(store["quantity_available"]))
    held = s.call(
        "reserve_for_pickup",
        customer_id=row["customer_id"],
        sku=row["sku"],
        store_id=store["store_id"],
        quantity=s.imply(units) if units != want else s.say(want, speech.spelled(want)),
    )
    if units < want:
        s.fact(held["quantity"])
    s.fact(held["hold_until"][:10], derived=True)
    s.context(store["name"], row["city"])
    need = f"We're setting up a few rooms and I need {speech.spelled(want)} of SKU {row['sku']}."
    ask = (
        f"Please hold {speech.spelled(want)} for me at your {store['name']} store in {row['city']}; if they don't "
        "have that many, hold whatever they have. How many did you manage to hold, and until what day will they "
        "keep them?"
    )
    return speech.sentence(speech.opening(s.rng), intro, need, ask)


@story(ENV)
def where_is_my_order(s: StoryContext) -> str:
    """A customer asks about their latest order: its status and total."""
    customer = s.pick(
        "SELECT o.customer_id FROM orders o GROUP BY o.customer_id HAVING SUM(o.status IN ('PROCESSING', 'SHIPPED')) "
        "= 1 AND COUNT(*) <= 10"
    )["customer_id"]
    intro = me(s, customer)
    orders = s.call("get_orders", customer_id=customer)
    pending = [o for o in orders["orders"] if o["status"] in ("PROCESSING", "SHIPPED")]
    order = pending[0]
    s.fact(order["status"])
    s.fact(dollars(order["total"]), derived=True)
    s.context(order["order_id"], *(short(line["name"]) for line in order["lines"]))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        "I have one order from you that hasn't reached me yet.",
        "Where does it stand right now, and what was its total?",
    )
