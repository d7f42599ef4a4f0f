"""Shopify stories: one staff member of Juniper & Pine Outfitters per task, one storyline each.

Stock: a delivery restocks a variant at a location, a shelf count corrects one, a product's sold-out
variants at the warehouse. Catalog: a new product with its variants, a sale with the old price crossed
out, a discontinued product archived. Orders: the oldest paid order still waiting is shipped with its
tracking number, a bank transfer is recorded and the order shipped, a phone order (a discount code's terms
decide whether it applies), a wholesale quote completed into an order, an unwanted order cancelled (or
refused because it already shipped), a damaged or returned item refunded (restocked when it came back
unused), a late parcel compensated with a credit, a customer's parcel traced. Customers and discounts:
the top-spending VIP, top spenders who lack the VIP tag, a holiday code with stated terms, and why a
customer's code was refused. Money is stored in cents; requests and facts use dollars as a person says them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from .models import NOW, TRACKING_COMPANIES
from .seed import tracking_number

ENV = "shopify"
TODAY = NOW.date()
STAFF_WITH = (
    "SELECT * FROM staff_members WHERE account_owner = 1 OR EXISTS "
    "(SELECT 1 FROM json_each(permissions) WHERE value = ?)"
)
ROLES = {
    "products": "I look after the catalog",
    "inventory": "I run the stockroom",
    "orders": "I handle orders and shipping",
    "customers": "I look after our customers",
    "discounts": "I run our promotions",
}


def money(cents: int) -> str:
    return speech.money(speech.from_cents(cents))


def dollars(cents: int) -> float:
    return speech.from_cents(cents)


def me(s: StoryContext, permission: str) -> tuple[str, str]:
    """A staff member allowed to make this kind of change introduces themselves: (email, introduction)."""
    staff = s.pick(STAFF_WITH, (permission,))
    email = s.person(ENV, staff["email"])
    s.say(email)
    role = "I own the store" if staff["account_owner"] else ROLES[permission]
    intro = speech.choose(
        s.rng,
        f"This is {staff['first_name']} at Juniper & Pine ({email}); {role}.",
        f"{staff['first_name']} here, {email}. {role[:1].upper()}{role[1:]}.",
        f"It's {staff['first_name']} ({email}).",
    )
    return email, intro


def variant_words(product: dict[str, Any], variant: dict[str, Any]) -> str:
    """How a person names a variant: 'size M in Navy', 'the 32 oz in Sand', 'the 2-Person one'."""
    options = json.loads(product["options"]) if isinstance(product["options"], str) else product["options"]
    values = [variant["option1"], variant["option2"]]
    parts = []
    for name, value in zip(options, values, strict=False):
        if value is None or value == "Default Title":
            continue
        parts.append(f"in {value}" if name == "Color" else f"size {value}" if name == "Size" else value)
    return " ".join(parts)


def find_product(s: StoryContext, title: str) -> dict[str, Any]:
    """Search the catalog by the product's name and open it."""
    page = s.call("get_products", title=s.say(title))
    match = [p for p in page["products"] if p["title"] == title]
    if len(match) != 1:
        s.reject("product name not unique")
    return s.call("get_product", product_id=match[0]["product_id"])


def location_named(s: StoryContext, name: str) -> int:
    locations = s.call("get_locations")
    s.say(name)
    return next(loc["location_id"] for loc in locations if loc["name"] == name)


def order_by_name(s: StoryContext, name: str, status: str = "open") -> dict[str, Any]:
    arguments: dict[str, Any] = {"name": s.say(name)}
    if status != "open":
        arguments["status"] = s.imply(status)
    page = s.call("get_orders", **arguments)
    if len(page["orders"]) != 1:
        s.reject("order not found")
    return s.call("get_order", order_id=page["orders"][0]["order_id"])


def pick_variant(s: StoryContext, condition: str, params: tuple[Any, ...] = ()) -> dict[str, Any]:
    """An active product's variant and one of its inventory levels, with the product and location."""
    return s.pick(
        "SELECT v.*, p.title AS product_title, p.options, l.location_id AS level_location, l.available, "
        "loc.name AS location_name FROM variants v JOIN products p ON p.product_id = v.product_id "
        "JOIN inventory_levels l ON l.inventory_item_id = v.inventory_item_id "
        "JOIN locations loc ON loc.location_id = l.location_id "
        "WHERE p.status = 'active' AND (SELECT COUNT(*) FROM products q WHERE q.title = p.title) = 1 AND " + condition,
        params,
    )


def product_row(row: dict[str, Any]) -> dict[str, Any]:
    return {"options": row["options"]}


# -- stock -------------------------------------------------------------------------------------------------


@story(ENV, weight=1.3)
def restock_a_variant(s: StoryContext) -> str:
    """A delivery came in for one variant at one location; the count goes up and the new count is asked."""
    row = pick_variant(s, "l.available <= 6")
    units = s.rng.choice((6, 10, 12, 18, 24, 36, 48))
    email, intro = me(s, "inventory")
    delivered = s.detail("units received", units, str(units), vague="a delivery", synonyms=["how many", "quantity"])
    product = find_product(s, row["product_title"])
    variant = next(v for v in product["variants"] if v["variant_id"] == row["variant_id"])
    location_id = location_named(s, row["location_name"])
    level = s.call(
        "adjust_inventory_level",
        staff_email=email,
        inventory_item_id=variant["inventory_item_id"],
        location_id=location_id,
        available_adjustment=units,
    )
    s.fact(level["available"])
    s.context(row["product_title"], row["location_name"])
    what = variant_words(product_row(row), row)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"A delivery of {delivered} {row['product_title']} {what} just came in at the {row['location_name']}.",
            f"We received {delivered} more of the {row['product_title']} {what} at the {row['location_name']} today.",
        ),
        "Please add them to stock there and tell me how many that location has now.",
    )


@story(ENV)
def correct_a_shelf_count(s: StoryContext) -> str:
    """A stock count found a different number on the shelf; the count is set and the old one reported."""
    row = pick_variant(s, "l.available >= 3")
    counted = max(0, int(row["available"]) + s.rng.choice((-3, -2, -1, 1, 2, 4)))
    email, intro = me(s, "inventory")
    product = find_product(s, row["product_title"])
    variant = next(v for v in product["variants"] if v["variant_id"] == row["variant_id"])
    location_id = location_named(s, row["location_name"])
    before = next(lv["available"] for lv in variant["inventory_levels"] if lv["location_id"] == location_id)
    s.call(
        "set_inventory_level",
        staff_email=email,
        inventory_item_id=variant["inventory_item_id"],
        location_id=location_id,
        available=s.say(counted, speech.number(counted) if counted else "none"),
    )
    s.fact(before)
    s.context(row["product_title"], row["location_name"], counted)
    what = variant_words(product_row(row), row)
    found = f"only {speech.number(counted)}" if counted else "none at all"
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"I just counted the {row['product_title']} {what} on the shelf at the {row['location_name']} and found "
        f"{found}.",
        "Make the system match what I counted, and tell me what it had said before.",
    )


@story(ENV, implicit=True, weight=1.3)
def sold_out_at_the_warehouse(s: StoryContext) -> str:
    """Which variants of a product have nothing left at the warehouse that ships online orders."""
    product_row_ = s.pick(
        "SELECT p.* FROM products p WHERE p.status = 'active' AND (SELECT COUNT(*) FROM products q WHERE "
        "q.title = p.title) = 1 AND (SELECT COUNT(*) FROM variants v JOIN inventory_levels l ON "
        "l.inventory_item_id = v.inventory_item_id WHERE v.product_id = p.product_id AND l.location_id = 61001 "
        "AND l.available = 0) BETWEEN 1 AND 3 AND (SELECT COUNT(*) FROM variants v WHERE v.product_id = "
        "p.product_id) >= 3"
    )
    product = find_product(s, product_row_["title"])
    locations = s.call("get_locations")
    primary = next(loc for loc in locations if loc["is_primary"])
    empty = [
        v
        for v in product["variants"]
        if any(lv["location_id"] == primary["location_id"] and lv["available"] == 0 for lv in v["inventory_levels"])
    ]
    for variant in empty:
        s.fact(variant["title"])
    s.context(product["title"], primary["name"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Customers keep telling me the {product['title']} is out of stock online in some options.",
            f"I'm putting together a reorder for the {product['title']}.",
        ),
        "Which of its variants have nothing left at the warehouse that ships our online orders?",
    )


# -- the catalog -------------------------------------------------------------------------------------------

NEW_PRODUCTS = (
    ("Larch Wool Mittens", "Hats", "Juniper & Pine", ("S/M", "L/XL"), 38, "MIT-LAR"),
    ("Tamarack Fleece Vest", "Hoodies", "Northfork", ("S", "M", "L", "XL"), 72, "VST-TAM"),
    ("Foxglove Camp Blanket", "Camp Kitchen", "Alder & Ash", (), 89, "BLK-FOX"),
    ("Sitka Trail Gaiters", "Socks", "Trailborn", ("S/M", "L/XL"), 34, "GTR-SIT"),
    ("Rainier Insulated Tumbler", "Water Bottles", "Cascade Works", ("12 oz", "20 oz"), 29, "TMB-RAI"),
    ("Owyhee Sun Hoodie", "Hoodies", "Ridgeline Supply", ("XS", "S", "M", "L", "XL"), 64, "SUN-OWY"),
    ("Wallowa Camp Chair", "Camp Kitchen", "Juniper & Pine", (), 119, "CHR-WAL"),
)


@story(ENV)
def add_a_new_product(s: StoryContext) -> str:
    """The catalog lead adds a product with its sizes, one price and SKUs, as a draft until photos are in."""
    title, kind, vendor, sizes, price, prefix = s.rng.choice(NEW_PRODUCTS)
    if s.rows("SELECT 1 FROM products WHERE title = ?", (title,)):
        s.reject("exists")
    email, intro = me(s, "products")
    draft = s.rng.random() < 0.6
    arguments: dict[str, Any] = {
        "staff_email": email,
        "title": s.say(title),
        "product_type": s.say(kind),
        "vendor": s.say(vendor),
    }
    s.say(float(price), speech.money(price))
    if sizes:
        arguments["options"] = [s.imply("Size")]
        skus = [f"{prefix}-{size.replace('/', '').replace(' ', '').upper()}" for size in sizes]
        arguments["variants"] = [
            # Each SKU follows from the stated scheme: the prefix, a dash, the size without spaces or slashes.
            {"option1": s.say(size), "price": float(price), "sku": s.say(sku, prefix)}
            for size, sku in zip(sizes, skus, strict=True)
        ]
        what = f"It comes in {speech.listing(list(sizes))}, all at {speech.money(price)}"
        sku_words = f"each size's SKU is {prefix}, a dash and the size without spaces or slashes (so {skus[-1]})"
    else:
        arguments["variants"] = [{"price": float(price), "sku": s.say(prefix)}]
        what = f"It's one size, {speech.money(price)}"
        sku_words = f"SKU {prefix}"
    if draft:
        arguments["status"] = s.imply("draft")
    s.call("create_product", **arguments)
    s.context(title)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"Please add a new product, the {title} from {vendor}, under {kind}.",
        f"{what}, {sku_words}.",
        "Keep it hidden from the store until the photos are ready." if draft else "It can go on sale right away.",
    )


@story(ENV, weight=1.2)
def put_a_product_on_sale(s: StoryContext) -> str:
    """Every variant of a product drops to a sale price with its old price shown crossed out."""
    row = s.pick(
        "SELECT p.* FROM products p WHERE p.status = 'active' AND (SELECT COUNT(*) FROM products q WHERE "
        "q.title = p.title) = 1 AND (SELECT COUNT(*) FROM variants v WHERE v.product_id = p.product_id) "
        "BETWEEN 2 AND 6 AND (SELECT COUNT(DISTINCT v.price) FROM variants v WHERE v.product_id = p.product_id) "
        "= 1 AND NOT EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.product_id AND "
        "v.compare_at_price IS NOT NULL)"
    )
    email, intro = me(s, "products")
    product = find_product(s, row["title"])
    old = round(product["variants"][0]["price"] * 100)
    percent = s.rng.choice((15, 20, 25, 30))
    new = (old * (100 - percent) // 100) // 100 * 100 - 1
    s.say(dollars(new), money(new))
    for variant in product["variants"]:
        s.call(
            "update_variant",
            staff_email=email,
            variant_id=variant["variant_id"],
            price=dollars(new),
            compare_at_price=variant["price"],
        )
    s.context(row["title"], dollars(old))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"The {row['title']} is going on sale: drop every option of it to {money(new)}.",
            f"Mark the {row['title']} down to {money(new)} in all its options for our sale.",
        ),
        "Shoppers should see what it cost before, crossed out next to the sale price.",
    )


@story(ENV, implicit=True)
def discontinue_a_product(s: StoryContext) -> str:
    """A product is discontinued: archived (its sales history stays) and the units left are counted."""
    row = s.pick(
        "SELECT p.* FROM products p WHERE p.status = 'active' AND (SELECT COUNT(*) FROM products q WHERE "
        "q.title = p.title) = 1 AND EXISTS (SELECT 1 FROM line_items li WHERE li.product_id = p.product_id)"
    )
    email, intro = me(s, "products")
    product = find_product(s, row["title"])
    s.call("update_product", staff_email=email, product_id=product["product_id"], status=s.imply("archived"))
    left = sum(v["inventory_quantity"] for v in product["variants"])
    s.fact(left, derived=True)
    s.context(row["title"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"{row['vendor']} has stopped making the {row['title']}, so we won't carry it any more.",
            f"We're dropping the {row['title']} from the range.",
        ),
        "Take it off the store, but keep it on record with its past orders.",
        "How many units of it do we still have across all our locations?",
    )


# -- orders ------------------------------------------------------------------------------------------------


@story(ENV, weight=1.3)
def ship_the_oldest_waiting_order(s: StoryContext) -> str:
    """The oldest paid order still unfulfilled goes out with its tracking number (for one customer, or
    across the store)."""
    for_customer = s.rng.random() < 0.5
    email, intro = me(s, "orders")
    company = s.rng.choice(TRACKING_COMPANIES)
    number = tracking_number(s.rng, company)
    s.detail("tracking number", number, number, vague="the tracking number on the label", synonyms=["tracking"])
    arguments: dict[str, Any] = {
        "financial_status": s.imply("paid"),
        "fulfillment_status": s.imply("unfulfilled"),
        "order": s.imply("created_at asc"),
    }
    who = ""
    if for_customer:
        row = s.pick(
            "SELECT email FROM orders WHERE financial_status = 'paid' AND fulfillment_status = 'unfulfilled' "
            "AND cancelled_at IS NULL GROUP BY email HAVING COUNT(*) >= 1"
        )
        arguments["email"] = s.say(row["email"])
        who = f" from {row['email']}"
    page = s.call("get_orders", **arguments)
    if not page["orders"]:
        s.reject("nothing waiting")
    oldest = page["orders"][0]
    s.call(
        "fulfill_order",
        staff_email=email,
        order_id=oldest["order_id"],
        tracking_number=number,
        tracking_company=s.say(company),
    )
    s.fact(oldest["name"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"I'm packing up the oldest paid order{who} that's still waiting to ship.",
        f"It's going with {company}, tracking number {number}. Mark it shipped and let the customer know.",
        "Which order number was it?",
    )


@story(ENV, implicit=True)
def bank_transfer_arrived(s: StoryContext) -> str:
    """A pending order's bank transfer came in: it is marked paid, then shipped with its tracking."""
    order = s.pick("SELECT * FROM orders WHERE financial_status = 'pending' AND cancelled_at IS NULL")
    email, intro = me(s, "orders")
    company = s.rng.choice(TRACKING_COMPANIES)
    number = tracking_number(s.rng, company)
    s.detail("tracking number", number, number, vague="the tracking number on the label", synonyms=["tracking"])
    details = order_by_name(s, order["name"])
    s.call("mark_order_as_paid", staff_email=email, order_id=details["order_id"])
    s.call(
        "fulfill_order",
        staff_email=email,
        order_id=details["order_id"],
        tracking_number=number,
        tracking_company=s.say(company),
    )
    s.fact(details["total_price"])
    s.context(order["name"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"The customer on order {order['name']} paid by bank transfer; the money landed this morning.",
        f"I'm sending the parcel today with {company}, tracking {number}, so get the order sorted out.",
        "How much did they pay?",
    )


@story(ENV, weight=1.3)
def take_a_phone_order(s: StoryContext) -> str:
    """A customer phones in an order for one variant with a discount code; the code's terms decide whether
    it applies, and the order goes through without it when it doesn't."""
    row = pick_variant(
        s,
        "l.location_id = 61001 AND l.available >= 3 AND v.price BETWEEN 2000 AND 30000 AND v.inventory_policy = 'deny'",
    )
    customer = s.pick("SELECT * FROM customers")
    code = s.pick("SELECT * FROM discount_codes")
    quantity = s.rng.choice((1, 1, 2, 3))
    email, intro = me(s, "orders")
    page = s.call("get_products", title=s.say(row["product_title"]), status=s.imply("active"))
    match = [p for p in page["products"] if p["title"] == row["product_title"]]
    if len(match) != 1:
        s.reject("name not unique")
    variant = next(v for v in match[0]["variants"] if v["variant_id"] == row["variant_id"])
    terms = s.call("get_discount_codes", code=s.say(code["code"]))[0]
    subtotal = row["price"] * quantity
    used = s.rows(
        "SELECT 1 FROM orders WHERE customer_id = ? AND discount_code = ? AND cancelled_at IS NULL",
        (customer["customer_id"], code["code"]),
    )
    applies = (
        terms["status"] == "active"
        and subtotal >= round(terms["minimum_subtotal"] * 100)
        and not (terms["once_per_customer"] and used)
    )
    arguments: dict[str, Any] = {
        "staff_email": email,
        "email": s.say(customer["email"]),
        "line_items": [{"variant_id": variant["variant_id"], "quantity": s.say(quantity, speech.number(quantity))}],
    }
    if applies:
        arguments["discount_code"] = code["code"]
    order = s.call("create_order", **arguments)
    s.fact(order["name"])
    s.fact(order["total_price"])
    s.fact("yes" if applies else "no", derived=True)
    s.context(row["product_title"], code["code"])
    what = variant_words(product_row(row), row)
    count = "one" if quantity == 1 else speech.number(quantity)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"{customer['first_name']} ({customer['email']}) is on the phone and wants "
        f"{count} of the {row['product_title']} {what}, charged to the card they gave me.",
        f"They'd like to use the code {code['code']}. If the code doesn't apply to this purchase, place it "
        "anyway at full price.",
        "Did the code work, and what's the order number and the total?",
    )


@story(ENV, implicit=True)
def wholesale_quote_approved(s: StoryContext) -> str:
    """A wholesale customer approved their quote: the open draft becomes an order they pay on invoice."""
    draft = s.pick(
        "SELECT d.*, c.email, c.first_name, c.last_name FROM draft_orders d JOIN customers c ON "
        "c.customer_id = d.customer_id WHERE d.status IN ('open', 'invoice_sent') AND "
        "(SELECT COUNT(*) FROM draft_orders e WHERE e.customer_id = d.customer_id AND e.status != 'completed') = 1 "
        "AND NOT EXISTS (SELECT 1 FROM draft_order_line_items x JOIN variants v ON v.variant_id = x.variant_id "
        "JOIN products p ON p.product_id = v.product_id LEFT JOIN inventory_levels l ON l.inventory_item_id = "
        "v.inventory_item_id AND l.location_id = 61001 WHERE x.draft_order_id = d.draft_order_id AND "
        "(p.status != 'active' OR (v.inventory_policy = 'deny' AND COALESCE(l.available, 0) < x.quantity)))"
    )
    later = s.rng.random() < 0.6
    email, intro = me(s, "orders")
    drafts = s.call("get_draft_orders", email=s.say(draft["email"]))
    open_drafts = [d for d in drafts if d["status"] != "completed"]
    arguments: dict[str, Any] = {"staff_email": email, "draft_order_id": open_drafts[0]["draft_order_id"]}
    if later:
        arguments["payment_pending"] = True
    order = s.call("complete_draft_order", **arguments)
    s.fact(order["name"])
    s.fact(order["total_price"])
    s.context(f"{draft['first_name']} {draft['last_name']}")
    pay = (
        "They'll pay on our usual invoice terms, so it isn't paid yet."
        if later
        else "They've already paid by card over the phone."
    )
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"Our customer {draft['first_name']} ({draft['email']}) approved the quote we put together for them.",
        f"Turn it into a real order. {pay}",
        "What's the order number and the total?",
    )


@story(ENV, implicit=True, weight=1.4)
def customer_no_longer_wants_it(s: StoryContext) -> str:
    """A customer wants their order cancelled: an order not yet shipped is cancelled and refunded with its
    stock put back; one that already shipped can't be, and the tracking number is given instead."""
    shipped = s.rng.random() < 0.4
    condition = (
        "fulfillment_status = 'fulfilled' AND created_at >= ?"
        if shipped
        else "fulfillment_status = 'unfulfilled' AND financial_status = 'paid' AND created_at >= ?"
    )
    since = (NOW - dt.timedelta(days=20)).isoformat(timespec="seconds")
    order = s.pick(f"SELECT * FROM orders WHERE cancelled_at IS NULL AND closed_at IS NULL AND {condition}", (since,))
    # A refusal needs no account: the staff email is only said when a change uses it.
    email, intro = me(s, "orders") if not shipped else ("", "")
    details = order_by_name(s, order["name"])
    if shipped:
        s.fact(details["fulfillments"][0]["tracking_number"])
    else:
        result = s.call("cancel_order", staff_email=email, order_id=details["order_id"], reason=s.imply("customer"))
        s.fact(result["total_refunded"])
    s.context(order["name"], order["email"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"The customer on order {order['name']} emailed to say they don't want it any more.",
            f"Order {order['name']}: the customer changed their mind and asked us to call it off.",
        ),
        "If we still can, cancel it, put the items back in stock and refund them, then tell me how much goes back.",
        "If it's too late for that, give me the tracking number so I can pass it on.",
    )


def shipped_line(s: StoryContext, extra: str = "") -> dict[str, Any]:
    return s.pick(
        "SELECT li.*, o.name AS order_name, o.email AS customer_email FROM line_items li JOIN orders o ON "
        "o.order_id = li.order_id WHERE o.financial_status = 'paid' AND o.fulfillment_status = 'fulfilled' "
        "AND o.cancelled_at IS NULL AND li.refunded_quantity = 0 AND li.fulfilled_quantity = li.quantity "
        "AND (SELECT COUNT(*) FROM line_items x WHERE x.order_id = o.order_id AND x.title = li.title) = 1 " + extra
    )


@story(ENV, weight=1.3)
def refund_a_damaged_or_returned_item(s: StoryContext) -> str:
    """One unit of a shipped line is refunded: it arrived damaged (not restocked), or it came back unused
    and goes back into stock."""
    damaged = s.rng.random() < 0.5
    line = shipped_line(s)
    email, intro = me(s, "orders")
    details = order_by_name(s, line["order_name"], status="any")
    item = next(i for i in details["line_items"] if i["line_item_id"] == line["line_item_id"])
    refund_line: dict[str, Any] = {"line_item_id": item["line_item_id"], "quantity": s.say(1, "one")}
    if not damaged:
        refund_line["restock_type"] = s.imply("return")
    result = s.call("create_refund", staff_email=email, order_id=details["order_id"], refund_line_items=[refund_line])
    s.fact(result["refunds"][-1]["amount"])
    s.context(line["order_name"], line["title"])
    if damaged:
        story_text = speech.choose(
            s.rng,
            f"The customer on order {line['order_name']} sent photos: one {line['title']} arrived damaged.",
            f"One of the {line['title']} from order {line['order_name']} showed up broken.",
        )
        ask = "Refund them for it; it's going in the bin, not back on the shelf."
    else:
        story_text = (
            f"One {line['title']} from order {line['order_name']} came back to us unused, still in its original "
            "packaging."
        )
        ask = "Refund it and put it back in stock where it shipped from."
    return speech.sentence(speech.opening(s.rng), intro, story_text, ask, "How much does the customer get back?")


@story(ENV, implicit=True)
def make_up_for_a_late_parcel(s: StoryContext) -> str:
    """A late parcel is compensated with a goodwill credit; the refund can't exceed what is left of the
    payment, so a credit larger than that is refused and the refundable amount is reported."""
    order = s.pick(
        "SELECT o.* FROM orders o WHERE o.fulfillment_status = 'fulfilled' AND o.cancelled_at IS NULL AND "
        "o.financial_status IN ('paid', 'partially_refunded') AND o.total_price >= 1500"
    )
    email, intro = me(s, "orders")
    details = order_by_name(s, order["name"], status="any")
    remaining = round(details["total_price"] * 100) - round(details["total_refunded"] * 100)
    credit = s.rng.choice((500, 1000, 1500))
    offered = s.detail("credit", dollars(credit), money(credit), vague="a little money back", synonyms=["amount"])
    if remaining < credit:
        s.fact(dollars(remaining), derived=True)
    else:
        s.call("create_refund", staff_email=email, order_id=details["order_id"], amount=dollars(credit))
        s.fact(dollars(remaining - credit), derived=True)
    s.context(order["name"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"Order {order['name']} took two weeks to arrive and the customer is upset.",
        f"Give them {offered} back as an apology; they keep everything.",
        "How much of what they paid is still refundable after that? If the credit is more than we could "
        "refund, don't do it, just tell me what's refundable.",
    )


@story(ENV, weight=1.6)
def where_is_my_parcel(s: StoryContext) -> str:
    """A customer asks where their latest order is: its carrier and tracking number."""
    customer = s.pick(
        "SELECT c.email FROM customers c WHERE (SELECT o.fulfillment_status FROM orders o WHERE o.customer_id = "
        "c.customer_id AND o.cancelled_at IS NULL ORDER BY o.created_at DESC LIMIT 1) = 'fulfilled' AND "
        "(SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.customer_id) >= 2"
    )
    page = s.call("get_orders", email=s.say(customer["email"]), status=s.imply("any"))
    latest = next(o for o in page["orders"] if o["cancelled_at"] is None)
    details = s.call("get_order", order_id=latest["order_id"])
    shipment = details["fulfillments"][-1]
    s.fact(shipment["tracking_company"])
    s.fact(shipment["tracking_number"])
    s.context(latest["name"], customer["email"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"A customer, {customer['email']}, is asking where their most recent order is.",
            f"I've got {customer['email']} on chat wanting to know about the last thing they ordered from us.",
        ),
        "Which carrier has it and what's the tracking number?",
    )


# -- customers and discounts -------------------------------------------------------------------------------


@story(ENV, weight=1.5)
def top_spending_vip(s: StoryContext) -> str:
    """The VIP customer who has spent the most (among those who accept marketing, when asked)."""
    marketing = s.rng.random() < 0.4
    tag = s.rng.choice(("VIP", "VIP", "VIP", "wholesale", "trail club", "newsletter", "local pickup"))
    arguments: dict[str, Any] = {"tag": s.say(tag), "order": s.imply("total_spent desc")}
    if marketing:
        arguments["accepts_marketing"] = True
    page = s.call("get_customers", **arguments)
    ranked = page["customers"]
    if len(ranked) < 2 or ranked[0]["total_spent"] == ranked[1]["total_spent"]:
        s.reject("tie")
    top = ranked[0]
    s.fact(f"{top['first_name']} {top['last_name']}", derived=True)
    s.fact(top["total_spent"])
    consent = " who has agreed to get our marketing emails" if marketing else ""
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"We want to send a handwritten thank-you card to our best customer tagged {tag}{consent}.",
            f"Who is the top-spending customer with the {tag} tag{consent}?",
        ),
        "Tell me their name and how much they've spent with us.",
    )


@story(ENV, implicit=True)
def tag_the_big_spenders(s: StoryContext) -> str:
    """Among the ten biggest spenders, those without the VIP tag get it."""
    email, intro = me(s, "customers")
    top = s.rng.choice((5, 10, 10, 15, 20))
    page = s.call("get_customers", order=s.imply("total_spent desc"), limit=s.say(top, speech.number(top)))
    missing = [c for c in page["customers"] if "VIP" not in c["tags"]]
    if not missing:
        s.reject("all tagged")
    s.say("VIP")
    for customer in missing:
        s.call("tag_customer", staff_email=email, customer_id=customer["customer_id"], tags=["VIP"])
        s.fact(f"{customer['first_name']} {customer['last_name']}", derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"Our VIP perks are meant for our {speech.number(top)} biggest spenders, but I think some of them slipped "
        "through.",
        f"Make sure every one of the {speech.number(top)} has the VIP tag, and tell me who was missing it.",
    )


HOLIDAY_CODES = (
    ("HOLIDAY20", "percentage", 20),
    ("MERRYTRAILS", "percentage", 15),
    ("GIFTGUIDE25", "percentage", 25),
    ("SNOWDAY10", "fixed_amount", 10),
    ("STOCKINGSTUFFER", "fixed_amount", 15),
    ("NEWYEARTRAIL", "percentage", 10),
    ("COZYSEASON30", "fixed_amount", 30),
)


@story(ENV, weight=1.3)
def create_a_holiday_code(s: StoryContext) -> str:
    """A holiday discount code with stated value, dates, minimum and limits."""
    code, kind, value = s.rng.choice(HOLIDAY_CODES)
    start = TODAY + dt.timedelta(days=s.rng.choice((1, 5, 10, 11)))
    end = dt.date(2025, 12, s.rng.choice((24, 26, 31)))
    minimum = s.rng.choice((0, 0, 50, 75, 100))
    limit = s.rng.choice((None, None, 100, 250, 500))
    once = s.rng.random() < 0.4
    email, intro = me(s, "discounts")
    arguments: dict[str, Any] = {
        "staff_email": email,
        "code": s.say(code),
        "value_type": s.imply(kind),
        "value": s.say(float(value), f"{value}%" if kind == "percentage" else speech.money(value)),
        "starts_at": s.say(start.isoformat(), speech.date(start)),
        "ends_at": s.say(end.isoformat(), speech.date(end)),
    }
    terms = []
    if minimum:
        arguments["minimum_subtotal"] = s.say(float(minimum), speech.money(minimum))
        terms.append(f"only on orders of {speech.money(minimum)} or more")
    if limit:
        arguments["usage_limit"] = s.say(limit, f"{limit:,}")
        terms.append(f"good for the first {limit:,} uses")
    if once:
        arguments["once_per_customer"] = True
        terms.append("one use per customer")
    s.call("create_discount_code", **arguments)
    off = f"{value}% off" if kind == "percentage" else f"{speech.money(value)} off the order"
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"Set up our holiday code {code}: {off}, from {speech.date(start)} through {speech.date(end)}.",
        (speech.listing(terms).capitalize() + ".") if terms else "No minimum and no limit on uses.",
    )


@story(ENV, implicit=True, weight=1.3)
def why_was_the_code_refused(s: StoryContext) -> str:
    """A customer's code was refused at checkout: its end date, start date, usage limit or minimum
    subtotal explains it."""
    code = s.pick("SELECT * FROM discount_codes")
    terms = s.call("get_discount_codes", code=s.say(code["code"]))[0]
    cart = 0
    used_up = terms["usage_limit"] is not None and terms["usage_count"] >= terms["usage_limit"]
    if terms["status"] == "expired" and used_up:
        s.fact(terms["usage_limit"])
    elif terms["status"] == "expired":
        s.fact(speech.date(terms["ends_at"]), derived=True)
    elif terms["status"] == "scheduled":
        s.fact(speech.date(terms["starts_at"]), derived=True)
    elif terms["minimum_subtotal"] >= 40:
        cart = int(terms["minimum_subtotal"]) - s.rng.choice((5, 12, 20))
        s.fact(terms["minimum_subtotal"])
    else:
        s.reject("nothing would refuse it")
    basket = f" on a {speech.money(cart)} basket" if cart else ""
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"A customer says our code {code['code']} was rejected at checkout{basket}.",
            f"Someone emailed that the code {code['code']} won't work for them{basket}.",
        ),
        "Why would that be? Give me the specific reason from the code's terms.",
    )


@story(ENV, implicit=True)
def move_stock_to_the_warehouse(s: StoryContext) -> str:
    """Units move from a store to the warehouse that ships online orders: taken at one location, added at
    the other; a store holding fewer than that (for a variant that stops at zero) can't send them, and the
    person hears how many it has."""
    short = s.rng.random() < 0.3
    condition = "l.location_id != 61001 AND v.inventory_policy = 'deny' AND " + (
        "l.available BETWEEN 1 AND 4" if short else "l.available >= 6"
    )
    row = pick_variant(s, condition)
    units = int(row["available"]) + s.rng.choice((2, 3)) if short else s.rng.choice((2, 3, 4, 5, int(row["available"])))
    # A refusal needs no account: the staff email is only said when a change uses it.
    email, intro = ("", "") if short else me(s, "inventory")
    product = find_product(s, row["product_title"])
    variant = next(v for v in product["variants"] if v["variant_id"] == row["variant_id"])
    locations = s.call("get_locations")
    s.say(row["location_name"])
    primary = next(loc for loc in locations if loc["is_primary"])
    source = next(loc for loc in locations if loc["name"] == row["location_name"])
    s.say(units, speech.number(units))
    held = next(lv["available"] for lv in variant["inventory_levels"] if lv["location_id"] == source["location_id"])
    if short:
        s.fact(held)
    else:
        s.imply(-units)  # units leaving the store are taken off its count
        for location_id, change in ((source["location_id"], -units), (primary["location_id"], units)):
            s.call(
                "adjust_inventory_level",
                staff_email=email,
                inventory_item_id=variant["inventory_item_id"],
                location_id=location_id,
                available_adjustment=change,
            )
        s.fact(held - units, derived=True)
    s.context(row["product_title"], row["location_name"], primary["name"])
    what = variant_words(product_row(row), row)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"The warehouse that ships our online orders is running low on the {row['product_title']} {what}.",
        f"The {row['location_name']} is boxing up {speech.number(units)} of them to send over today; update both "
        "locations' counts to match.",
        "How many will the store have left? If it doesn't actually have that many, change nothing and tell me "
        "how many it does have.",
    )


@story(ENV, weight=0.6)
def codes_running_now(s: StoryContext) -> str:
    """Which discount codes are running today, and which of them ends soonest."""
    codes = s.call("get_discount_codes", status=s.imply("active"))
    ending = sorted((c for c in codes if c["ends_at"]), key=lambda c: c["ends_at"])
    if len(ending) < 2 or ending[0]["ends_at"][:10] == ending[1]["ends_at"][:10]:
        s.reject("no single soonest end")
    for code in codes:
        s.fact(code["code"])
    s.fact(ending[0]["code"])
    s.fact(speech.date(ending[0]["ends_at"]), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            "I'm planning next week's newsletter and don't want to advertise a dead code.",
            "Before I set up anything new for the holidays I want to see what's already out there.",
        ),
        "Which discount codes can customers use right now, and which of those runs out first, on what day?",
    )


@story(ENV, implicit=True, weight=0.6)
def shipping_backlog(s: StoryContext) -> str:
    """How many paid orders are still waiting to ship, and how long the oldest has waited."""
    page = s.call(
        "get_orders",
        financial_status=s.imply("paid"),
        fulfillment_status=s.imply("unfulfilled"),
        order=s.imply("created_at asc"),
    )
    if not page["orders"]:
        s.reject("no backlog")
    oldest = page["orders"][0]
    waited = (TODAY - dt.date.fromisoformat(oldest["created_at"][:10])).days
    s.fact(page["total"])
    s.fact(oldest["name"])
    s.fact(waited, derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            "I'm deciding whether to bring in extra packing help this week.",
            "Our shipping feels behind and I want numbers before the team meeting.",
        ),
        "How many paid orders haven't shipped at all yet, which one has waited longest, and for how many days?",
    )
