"""The seeded generator and its data tables: one outdoor-gear store's catalog, stock at three locations,
customers, a thousand orders across their statuses, discounts and draft orders."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from .definition import env
from .models import (
    FREE_SHIPPING_FROM,
    NOW,
    STANDARD_SHIPPING,
    TRACKING_COMPANIES,
    Customer,
    DiscountCode,
    DraftOrder,
    DraftOrderLine,
    Fulfillment,
    FulfillmentLine,
    InventoryLevel,
    LineItem,
    Location,
    Order,
    PriceRule,
    Product,
    Refund,
    RefundLine,
    ServiceClock,
    StaffMember,
    Variant,
)

SIZES = ("XS", "S", "M", "L", "XL", "XXL")
COLORS = ("Black", "Charcoal", "Forest Green", "Navy", "Rust", "Sand", "Slate Blue", "Heather Grey", "Olive")
# Each product type: its SKU code, option names and the values to draw from (colors: how many per product),
# the price range in dollars and the tags it carries.
PRODUCT_TYPES: tuple[dict[str, Any], ...] = (
    {
        "type": "T-Shirts",
        "noun": ("Tee", "Merino Tee", "Trail Tee"),
        "code": "TEE",
        "sizes": SIZES[1:5],
        "colors": 2,
        "price": (24, 48),
        "tags": ("apparel", "tops", "merino"),
    },
    {
        "type": "Hoodies",
        "noun": ("Hoodie", "Fleece Hoodie", "Pullover"),
        "code": "HOD",
        "sizes": SIZES[1:6],
        "colors": 2,
        "price": (58, 98),
        "tags": ("apparel", "layers", "fleece"),
    },
    {
        "type": "Jackets",
        "noun": ("Rain Jacket", "Puffer Jacket", "Softshell", "Wind Shell"),
        "code": "JKT",
        "sizes": SIZES[:5],
        "colors": 2,
        "price": (110, 320),
        "tags": ("apparel", "outerwear", "waterproof"),
    },
    {
        "type": "Pants",
        "noun": ("Hiking Pant", "Trail Short", "Jogger"),
        "code": "PNT",
        "sizes": ("28", "30", "32", "34", "36"),
        "option": "Waist",
        "colors": 1,
        "price": (54, 110),
        "tags": ("apparel", "bottoms"),
    },
    {
        "type": "Socks",
        "noun": ("Hiking Sock", "Crew Sock", "Liner Sock"),
        "code": "SCK",
        "sizes": ("S", "M", "L"),
        "colors": 2,
        "price": (16, 26),
        "tags": ("apparel", "socks", "merino"),
    },
    {
        "type": "Hats",
        "noun": ("Beanie", "Trucker Hat", "Sun Hat"),
        "code": "HAT",
        "sizes": (),
        "colors": 4,
        "price": (22, 42),
        "tags": ("accessories", "headwear"),
    },
    {
        "type": "Backpacks",
        "noun": ("Daypack", "Backpack", "Hip Pack"),
        "code": "BPK",
        "sizes": ("18L", "28L", "40L"),
        "option": "Volume",
        "colors": 2,
        "price": (45, 220),
        "tags": ("gear", "packs"),
    },
    {
        "type": "Water Bottles",
        "noun": ("Water Bottle", "Insulated Bottle"),
        "code": "BTL",
        "sizes": ("18 oz", "32 oz", "40 oz"),
        "option": "Capacity",
        "colors": 3,
        "price": (24, 48),
        "tags": ("gear", "hydration"),
    },
    {
        "type": "Tents",
        "noun": ("Tent", "Backpacking Tent"),
        "code": "TNT",
        "sizes": ("1-Person", "2-Person", "4-Person"),
        "option": "Capacity",
        "colors": 0,
        "price": (180, 520),
        "tags": ("gear", "camping", "shelter"),
    },
    {
        "type": "Sleeping Bags",
        "noun": ("Sleeping Bag", "Down Quilt"),
        "code": "SLP",
        "sizes": ("20°F", "35°F"),
        "option": "Temperature Rating",
        "colors": 0,
        "price": (130, 380),
        "tags": ("gear", "camping", "sleep"),
    },
    {
        "type": "Camp Kitchen",
        "noun": ("Camp Mug", "Enamel Mug", "Spork Set", "Pour-Over Kit"),
        "code": "KIT",
        "sizes": (),
        "colors": 3,
        "price": (12, 45),
        "tags": ("gear", "camp kitchen"),
    },
    {
        "type": "Headlamps",
        "noun": ("Headlamp",),
        "code": "LMP",
        "sizes": ("200 Lumen", "400 Lumen"),
        "option": "Brightness",
        "colors": 0,
        "price": (28, 70),
        "tags": ("gear", "lighting"),
    },
)
NAMES = (
    "Basalt",
    "Cedar",
    "Timberline",
    "Ponderosa",
    "Sawtooth",
    "Cascade",
    "Juniper",
    "Tamarack",
    "Alpine",
    "Granite",
    "Ridgeback",
    "Aspen",
    "Sequoia",
    "Switchback",
    "Kestrel",
    "Larkspur",
    "Boulder",
    "Talus",
    "Fireweed",
    "Huckleberry",
    "Manzanita",
    "Summit",
    "Glacier",
    "Canyon",
    "Sagebrush",
    "Whitebark",
    "Ptarmigan",
    "Osprey Ridge",
    "Driftwood",
    "Saddleback",
    "Bristlecone",
    "Wildflower",
    "Redwood",
    "Cirque",
    "Meadowlark",
    "Tundra",
    "Pika",
    "Ironwood",
    "Lupine",
    "Morraine",
)
VENDORS = ("Juniper & Pine", "Ridgeline Supply", "Northfork", "Trailborn", "Alder & Ash", "Cascade Works")
EXTRA_TAGS = ("new arrival", "bestseller", "organic cotton", "recycled", "gift idea", "clearance", "holiday")
LOCATIONS = (
    (61001, "Portland Warehouse", "2210 NW Front Ave", "Portland", "OR", "97209", True, True),
    (61002, "Denver Flagship", "1600 Platte St", "Denver", "CO", "80202", False, True),
    (61003, "Austin Pop-up", "1100 S Lamar Blvd", "Austin", "TX", "78704", False, False),
)
STAFF = (
    (71, "Maya", "Lindqvist", True, ("products", "inventory", "orders", "customers", "discounts")),
    (72, "Devon", "Okafor", False, ("orders", "customers")),
    (73, "Rosa", "Delgado", False, ("products", "inventory")),
    (74, "Theo", "Marchetti", False, ("discounts", "customers")),
    (75, "Priya", "Raman", False, ("orders", "inventory")),
    (76, "Sam", "Whitfield", False, ("inventory",)),
)
CUSTOMER_TAGS = ("VIP", "wholesale", "newsletter", "returning", "local pickup", "trail club")
PROVINCES = (
    ("OR", "Portland"),
    ("WA", "Seattle"),
    ("CA", "Oakland"),
    ("CO", "Boulder"),
    ("TX", "Austin"),
    ("NY", "Brooklyn"),
    ("IL", "Chicago"),
    ("MN", "Minneapolis"),
    ("UT", "Salt Lake City"),
    ("MT", "Bozeman"),
    ("ID", "Boise"),
    ("MA", "Cambridge"),
    ("NC", "Asheville"),
    ("VT", "Burlington"),
)
# Discount codes: code, title, value type, value (percent or dollars), minimum subtotal in dollars, usage
# limit, once per customer, days from now the rule starts and ends (None: no end), times used so far.
DISCOUNTS = (
    ("WELCOME10", "Welcome 10% off", "percentage", 10, 0, None, True, -400, None, 0),
    ("TRAILCLUB15", "Trail club members", "percentage", 15, 50, None, False, -300, None, 0),
    ("SAVE20OVER150", "$20 off $150", "fixed_amount", 20, 150, None, False, -90, 40, 0),
    ("SUMMERSALE25", "Summer sale", "percentage", 25, 0, None, False, -170, -80, 0),
    ("FALLLAYERS", "Fall layering event", "percentage", 20, 80, 150, False, -40, 20, 0),
    ("FREESOCKS", "Free socks with $100", "fixed_amount", 18, 100, 50, False, -60, 30, 50),
    ("BFCM30", "Black Friday Cyber Monday", "percentage", 30, 0, None, False, 8, 12, 0),
    ("INFLUENCER-JADE", "Influencer code Jade", "percentage", 15, 0, 200, False, -120, None, 200),
    ("LOYAL5", "Five dollars back", "fixed_amount", 5, 25, None, True, -200, None, 0),
    ("CAMPOUT40", "Campout bundle", "fixed_amount", 40, 300, 75, False, -30, 45, 0),
    ("SPRINGTHAW", "Spring thaw", "percentage", 20, 0, None, False, -240, -200, 0),
    ("GEARSWAP12", "Gear swap thank-you", "percentage", 12, 40, 100, True, -14, 30, 0),
)
EMAIL_DOMAINS = ("gmail.com", "outlook.com", "icloud.com", "yahoo.com", "proton.me", "fastmail.com")
CANCEL_REASONS = ("customer", "customer", "customer", "inventory", "fraud", "declined")
ORDER_NOTES = (
    "",
    "",
    "",
    "",
    "Gift - please leave the receipt out.",
    "Leave at the side door.",
    "Please ship together with my other order.",
    "Birthday present, no invoice in the box.",
)


def stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def tracking_number(rng: random.Random, company: str) -> str:
    """A tracking number in the carrier's usual shape."""
    if company == "UPS":
        return "1Z" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXY") for _ in range(16))
    if company == "USPS":
        return "9400" + "".join(rng.choice("0123456789") for _ in range(18))
    if company == "FedEx":
        return "".join(rng.choice("0123456789") for _ in range(12))
    return "".join(rng.choice("0123456789") for _ in range(10))


def handle_of(title: str) -> str:
    return "-".join("".join(c for c in word.lower() if c.isalnum()) for word in title.split()).strip("-")


def shipping_for(discounted_subtotal: int) -> int:
    return 0 if discounted_subtotal >= FREE_SHIPPING_FROM else STANDARD_SHIPPING


@env.seed
def seed_store(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    db.execute(insert(ServiceClock), [{"id": 1, "now": stamp(NOW)}])
    db.execute(
        insert(StaffMember),
        [
            {
                "staff_id": sid,
                "email": f"{first.lower()}@juniperandpine.com",
                "first_name": first,
                "last_name": last,
                "account_owner": owner,
                "permissions": list(perms),
            }
            for sid, first, last, owner, perms in STAFF
        ],
    )
    db.execute(
        insert(Location),
        [
            {
                "location_id": lid,
                "name": name,
                "address1": street,
                "city": city,
                "province_code": prov,
                "zip": zip_,
                "active": True,
                "fulfills_online_orders": online,
                "is_primary": primary,
            }
            for lid, name, street, city, prov, zip_, primary, online in LOCATIONS
        ],
    )
    products, variants, levels = _catalog(rng)
    db.execute(insert(Product), products)
    db.execute(insert(Variant), variants)
    db.execute(insert(InventoryLevel), levels)
    customers = _customers(rng, fake)
    rules, codes = _discounts()
    history = _orders(rng, products, variants, customers, codes, rules)
    db.execute(insert(PriceRule), rules)
    db.execute(insert(DiscountCode), codes)  # after the orders, which count the codes' uses
    db.execute(insert(Customer), customers)
    for model, rows in history.items():
        if rows:
            db.execute(insert(model), rows)


def _catalog(rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    products: list[dict[str, Any]] = []
    variants: list[dict[str, Any]] = []
    levels: list[dict[str, Any]] = []
    titles: set[str] = set()
    inventory_item = 80_000_100
    for kind in PRODUCT_TYPES:
        for _ in range(22):
            name = rng.choice(NAMES)
            noun = rng.choice(kind["noun"])
            title = f"{name} {noun}"
            if title in titles:
                continue
            titles.add(title)
            product_id = 7_400_000_000 + len(products) * 3187 + rng.randint(0, 3000)
            created = NOW - dt.timedelta(days=rng.randint(20, 900), minutes=rng.randint(0, 1440))
            roll = rng.random()
            status = "active" if roll < 0.84 else ("draft" if roll < 0.94 else "archived")
            tags = list(kind["tags"]) + rng.sample(EXTRA_TAGS, rng.choice((0, 1, 1, 2)))
            options: list[str] = []
            axes: list[tuple[str, ...]] = []
            if kind["sizes"]:
                options.append(kind.get("option", "Size"))
                axes.append(tuple(kind["sizes"]))
            if kind["colors"]:
                options.append("Color")
                axes.append(tuple(rng.sample(COLORS, kind["colors"])))
            if not options:
                options.append("Title")
                axes.append(("Default Title",))
            low, high = kind["price"]
            base = rng.randint(low, high) * 100 - rng.choice((0, 1, 5, 1))
            combos = [(a,) for a in axes[0]] if len(axes) == 1 else [(a, b) for a in axes[0] for b in axes[1]]
            on_sale = rng.random() < 0.12
            oversell = rng.random() < 0.12
            product_code = f"{kind['code']}-{handle_of(name)[:3].upper()}{len(products) % 100:02d}"
            for position, combo in enumerate(combos, start=1):
                bump = 0
                if (
                    len(axes[0]) > 2
                    and combo[0] == axes[0][-1]
                    and kind["type"] in ("Backpacks", "Tents", "Water Bottles")
                ):
                    bump = rng.choice((1000, 2000, 3000))
                price = base + bump
                inventory_item += rng.randint(1, 40)
                sku = (
                    product_code
                    + "-"
                    + "-".join(
                        "".join(ch for ch in v.upper() if ch.isalnum())[:3] for v in combo if v != "Default Title"
                    )
                )
                variants.append(
                    {
                        "variant_id": 43_000_000_000 + inventory_item * 3,
                        "product_id": product_id,
                        "title": " / ".join(combo),
                        "option1": combo[0],
                        "option2": combo[1] if len(combo) > 1 else None,
                        "option3": None,
                        "sku": sku.rstrip("-"),
                        "price": price,
                        "compare_at_price": price + rng.choice((1000, 1500, 2000)) if on_sale else None,
                        "inventory_policy": "continue" if oversell else "deny",
                        "inventory_item_id": inventory_item,
                        "position": position,
                    }
                )
                for location_id, *_rest, online in LOCATIONS:
                    if not online and rng.random() < 0.6:
                        continue  # the pop-up stocks only part of the range
                    count = rng.choice((0, 0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 24, 30, 40))
                    if location_id == 61001:
                        count *= 2
                    levels.append(
                        {
                            "inventory_item_id": inventory_item,
                            "location_id": location_id,
                            "available": count,
                            "updated_at": stamp(NOW - dt.timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23))),
                        }
                    )
            products.append(
                {
                    "product_id": product_id,
                    "title": title,
                    "handle": handle_of(title),
                    "vendor": "Juniper & Pine" if rng.random() < 0.4 else rng.choice(VENDORS[1:]),
                    "product_type": kind["type"],
                    "status": status,
                    "tags": tags,
                    "options": options,
                    "created_at": stamp(created),
                    "updated_at": stamp(created + dt.timedelta(days=rng.randint(0, 15))),
                }
            )
    return products, variants, levels


def _customers(rng: random.Random, fake: Any) -> list[dict[str, Any]]:
    customers: list[dict[str, Any]] = []
    emails: set[str] = set()
    for index in range(420):
        first, last = fake.first_name(), fake.last_name()
        email = f"{first.lower()}.{last.lower()}@{rng.choice(EMAIL_DOMAINS)}"
        while email in emails:
            email = f"{first.lower()}.{last.lower()}{rng.randint(2, 99)}@{email.split('@')[1]}"
        emails.add(email)
        province, city = rng.choice(PROVINCES)
        tags = rng.sample(CUSTOMER_TAGS[1:], rng.choice((0, 0, 1, 1, 2)))
        customers.append(
            {
                "customer_id": 6_100_000_000 + index * 7411 + rng.randint(0, 7000),
                "email": email,
                "first_name": first,
                "last_name": last,
                "phone": f"+1{rng.randint(201, 989)}{rng.randint(200, 999)}{rng.randint(1000, 9999)}",
                "tags": tags,
                "accepts_marketing": rng.random() < 0.55,
                "orders_count": 0,
                "total_spent": 0,
                "address1": fake.street_address(),
                "city": city,
                "province_code": province,
                "zip": fake.zipcode(),
                "created_at": stamp(NOW - dt.timedelta(days=rng.randint(30, 1100), minutes=rng.randint(0, 1440))),
            }
        )
    return customers


def _discounts() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rules, codes = [], []
    for index, (code, title, kind, value, minimum, limit, once, start, end, used) in enumerate(DISCOUNTS):
        rule_id = 1_390_000_000 + index * 977
        starts = (NOW + dt.timedelta(days=start)).replace(hour=0, minute=0, second=0)
        ends = None if end is None else (NOW + dt.timedelta(days=end)).replace(hour=23, minute=59, second=59)
        rules.append(
            {
                "price_rule_id": rule_id,
                "title": title,
                "value_type": kind,
                "value": value if kind == "percentage" else value * 100,
                "prerequisite_subtotal": minimum * 100,
                "usage_limit": limit,
                "once_per_customer": once,
                "starts_at": stamp(starts),
                "ends_at": None if ends is None else stamp(ends),
                "created_at": stamp(starts - dt.timedelta(days=3)),
            }
        )
        codes.append(
            {
                "discount_code_id": 2_000_000_000 + index * 613,
                "price_rule_id": rule_id,
                "code": code,
                "usage_count": used,
                "created_at": stamp(starts - dt.timedelta(days=3)),
            }
        )
    return rules, codes


def discount_amount(rule: dict[str, Any], subtotal: int) -> int:
    if rule["value_type"] == "percentage":
        return subtotal * int(rule["value"]) // 100
    return min(int(rule["value"]), subtotal)


def allocate(total: int, amounts: list[int]) -> list[int]:
    """Split a discount over lines in proportion to their amounts; the last line takes the remainder."""
    whole = sum(amounts)
    if not whole or not total:
        return [0] * len(amounts)
    shares = [total * amount // whole for amount in amounts[:-1]]
    return [*shares, total - sum(shares)]


def _orders(
    rng: random.Random,
    products: list[dict[str, Any]],
    variants: list[dict[str, Any]],
    customers: list[dict[str, Any]],
    codes: list[dict[str, Any]],
    rules: list[dict[str, Any]],
) -> dict[type, list[dict[str, Any]]]:
    active = {p["product_id"]: p for p in products if p["status"] != "draft"}
    sellable = [v for v in variants if v["product_id"] in active]
    rule_of = {r["price_rule_id"]: r for r in rules}
    out: dict[type, list[dict[str, Any]]] = {
        Order: [],
        LineItem: [],
        Fulfillment: [],
        FulfillmentLine: [],
        Refund: [],
        RefundLine: [],
        DraftOrder: [],
        DraftOrderLine: [],
    }
    # Spending follows a long tail: a few regulars place many of the orders.
    weights = [rng.choice((1, 1, 1, 2, 2, 3, 5, 9)) for _ in customers]
    count = 1000
    line_id = 15_000_000_000
    redeemed: set[tuple[int, str]] = set()  # (customer, code) pairs, for once-per-customer codes
    for index in range(count):
        age = (count - index) * 0.19 + rng.random() * 0.18  # days before now: oldest first, about six months
        created = NOW - dt.timedelta(days=age, minutes=rng.randint(0, 600))
        customer = rng.choices(customers, weights)[0]
        picks = rng.sample(sellable, rng.choice((1, 1, 1, 2, 2, 3)))
        lines = [(v, rng.choice((1, 1, 1, 1, 2, 3))) for v in picks]
        subtotal = sum(v["price"] * q for v, q in lines)
        code_row = None
        usable = [
            c
            for c in codes
            if rule_of[c["price_rule_id"]]["starts_at"] <= stamp(created)
            and (rule_of[c["price_rule_id"]]["ends_at"] or "9") >= stamp(created)
            and subtotal >= rule_of[c["price_rule_id"]]["prerequisite_subtotal"]
            and rule_of[c["price_rule_id"]]["usage_limit"] is None
            and not (
                rule_of[c["price_rule_id"]]["once_per_customer"] and (customer["customer_id"], c["code"]) in redeemed
            )
        ]
        if usable and rng.random() < 0.18:
            code_row = rng.choice(usable)
            code_row["usage_count"] += 1
            redeemed.add((customer["customer_id"], code_row["code"]))
        discount = discount_amount(rule_of[code_row["price_rule_id"]], subtotal) if code_row else 0
        shipping = shipping_for(subtotal - discount)
        total = subtotal - discount + shipping
        order_id = 5_800_000_000 + index * 1931 + rng.randint(0, 1900)
        recent = age < 14
        roll = rng.random()
        if recent:
            state = (
                "pending"
                if roll < 0.14
                else ("paid_unfulfilled" if roll < 0.7 else ("partial" if roll < 0.8 else "fulfilled"))
            )
            if roll > 0.97:
                state = "cancelled"
        else:
            state = (
                "fulfilled"
                if roll < 0.8
                else "partially_refunded"
                if roll < 0.88
                else "refunded"
                if roll < 0.93
                else "cancelled"
            )
        if state == "partial" and sum(q for _, q in lines) < 2:
            state = "paid_unfulfilled"
        if state == "partially_refunded" and len(lines) < 2 and lines[0][1] < 2:
            state = "refunded"
        online_location = 61001 if rng.random() < 0.8 else 61002
        allocations = allocate(discount, [v["price"] * q for v, q in lines])
        order_lines = []
        for (variant, quantity), share in zip(lines, allocations, strict=True):
            line_id += rng.randint(1, 900)
            product = active[variant["product_id"]]
            order_lines.append(
                {
                    "line_item_id": line_id,
                    "order_id": order_id,
                    "variant_id": variant["variant_id"],
                    "product_id": product["product_id"],
                    "title": product["title"],
                    "variant_title": variant["title"],
                    "sku": variant["sku"],
                    "quantity": quantity,
                    "price": variant["price"],
                    "total_discount": share,
                    "fulfilled_quantity": 0,
                    "refunded_quantity": 0,
                    "removed_quantity": 0,
                }
            )
        financial, fulfillment = "paid", "unfulfilled"
        cancelled_at = closed_at = reason = None
        shipped = created + dt.timedelta(days=rng.choice((1, 1, 2, 3)), hours=rng.randint(1, 8))
        if state in ("fulfilled", "partially_refunded", "refunded", "partial"):
            fulfillment = "fulfilled"
            ship_lines = order_lines
            if state == "partial":
                fulfillment = "partial"
                ship_lines = order_lines[:-1] if len(order_lines) > 1 else order_lines
            _fulfil(
                rng, out, order_id, online_location, ship_lines, shipped, state == "partial" and len(order_lines) == 1
            )
            if state == "fulfilled" and age > 30:
                closed_at = stamp(shipped + dt.timedelta(days=12))
        if state == "pending":
            financial = "pending"
        if state in ("partially_refunded", "refunded"):
            when = shipped + dt.timedelta(days=rng.randint(5, 20))
            refund_lines = order_lines if state == "refunded" else order_lines[:1]
            refund_id = order_id + 7
            refunded = 0
            for line in refund_lines:
                units = line["quantity"] if state == "refunded" else 1
                value = line["price"] * units - line["total_discount"] * units // line["quantity"]
                refunded += value
                line["refunded_quantity"] = units
                out[RefundLine].append(
                    {
                        "refund_id": refund_id,
                        "line_item_id": line["line_item_id"],
                        "quantity": units,
                        "restock_type": rng.choice(("return", "no_restock")),
                        "location_id": online_location,
                        "subtotal": value,
                    }
                )
            if state == "refunded":
                refunded += shipping
            out[Refund].append(
                {
                    "refund_id": refund_id,
                    "order_id": order_id,
                    "amount": refunded,
                    "shipping": shipping if state == "refunded" else 0,
                    "note": rng.choice(("Returned - wrong size", "Arrived damaged", "Didn't fit", "Changed mind")),
                    "created_at": stamp(when),
                }
            )
            financial = state
            customer["total_spent"] -= refunded
        if state == "cancelled":
            reason = rng.choice(CANCEL_REASONS)
            cancelled_at = stamp(created + dt.timedelta(hours=rng.randint(1, 30)))
            closed_at = cancelled_at
            for line in order_lines:
                line["refunded_quantity"] = line["removed_quantity"] = line["quantity"]
            financial = "voided" if reason == "declined" else "refunded"
            if financial == "refunded":
                out[Refund].append(
                    {
                        "refund_id": order_id + 7,
                        "order_id": order_id,
                        "amount": total,
                        "shipping": shipping,
                        "note": "Order cancelled",
                        "created_at": cancelled_at,
                    }
                )
                customer["total_spent"] -= total
        customer["orders_count"] += 1
        if financial != "pending" and financial != "voided":
            customer["total_spent"] += total
        out[Order].append(
            {
                "order_id": order_id,
                "name": f"#{1001 + index}",
                "customer_id": customer["customer_id"],
                "email": customer["email"],
                "location_id": online_location,
                "financial_status": financial,
                "fulfillment_status": fulfillment,
                "subtotal_price": subtotal,
                "total_discounts": discount,
                "shipping_price": shipping,
                "total_price": total,
                "discount_code": code_row["code"] if code_row else None,
                "note": rng.choice(ORDER_NOTES),
                "source_name": rng.choice(("web", "web", "web", "web", "pos", "shopify_draft_order")),
                "cancel_reason": reason,
                "cancelled_at": cancelled_at,
                "closed_at": closed_at,
                "created_at": stamp(created),
            }
        )
        out[LineItem].extend(order_lines)
    _vip_tags(customers)
    _drafts(rng, out, customers, sellable)
    return out


def _fulfil(
    rng: random.Random,
    out: dict[type, list[dict[str, Any]]],
    order_id: int,
    location_id: int,
    lines: list[dict[str, Any]],
    when: dt.datetime,
    split_units: bool,
) -> None:
    company = rng.choice(TRACKING_COMPANIES)
    fulfillment_id = order_id + 3
    out[Fulfillment].append(
        {
            "fulfillment_id": fulfillment_id,
            "order_id": order_id,
            "location_id": location_id,
            "status": "success",
            "tracking_company": company,
            "tracking_number": tracking_number(rng, company),
            "notify_customer": True,
            "created_at": stamp(when),
        }
    )
    for line in lines:
        units = line["quantity"] - 1 if split_units else line["quantity"]
        line["fulfilled_quantity"] = units
        out[FulfillmentLine].append(
            {"fulfillment_id": fulfillment_id, "line_item_id": line["line_item_id"], "quantity": units}
        )


def _vip_tags(customers: list[dict[str, Any]]) -> None:
    """The biggest spenders carry the VIP tag, as a merchant's segment would give it, with a few misses."""
    ranked = sorted(customers, key=lambda c: -c["total_spent"])
    for position, customer in enumerate(ranked[:60]):
        if position % 4 != 3 and "VIP" not in customer["tags"]:
            customer["tags"] = ["VIP", *customer["tags"]]


def _drafts(
    rng: random.Random,
    out: dict[type, list[dict[str, Any]]],
    customers: list[dict[str, Any]],
    sellable: list[dict[str, Any]],
) -> None:
    wholesale = [c for c in customers if "wholesale" in c["tags"]] or customers[:20]
    for index in range(24):
        draft_id = 1_120_000_000 + index * 4409
        customer = wholesale[index % len(wholesale)] if index % 3 else rng.choice(customers)
        status = "open" if index < 16 else "invoice_sent"
        percent = 0
        if customer in wholesale:
            percent = rng.choice((10, 15, 20))
        out[DraftOrder].append(
            {
                "draft_order_id": draft_id,
                "name": f"#D{101 + index}",
                "customer_id": customer["customer_id"],
                "status": status,
                "note": rng.choice(("Wholesale restock", "Phone order", "Trail club group order", "Quote requested")),
                "applied_discount_percent": percent,
                "order_id": None,
                "created_at": stamp(NOW - dt.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 10))),
                "completed_at": None,
            }
        )
        for variant in rng.sample(sellable, rng.choice((1, 2, 3))):
            out[DraftOrderLine].append(
                {
                    "draft_order_id": draft_id,
                    "variant_id": variant["variant_id"],
                    "quantity": rng.choice((2, 4, 6, 10, 12)) if percent else rng.choice((1, 2)),
                }
            )
