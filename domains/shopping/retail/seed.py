"""The seeded store: its catalogue (data tables below), customers and their order history.

About fifty product types, each sold in a dozen or so variants; some 360 customers with their cards,
PayPal accounts and gift cards; around 800 orders across every status, with the shipments and payment
history each status implies. Everything is drawn from ``data.rng`` and ``data.fake``.
"""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData
from envfactory_gym.rows import bulk_insert, connection_of

from .definition import env
from .models import (
    CANCEL_REASONS,
    NOW,
    STATE_TABLES,
)

# --------------------------------------------------------------------------------------------------
# Seed data
# --------------------------------------------------------------------------------------------------

# name, options (name -> values, in the order the store lists them), price range in dollars
CATALOG: tuple[tuple[str, dict[str, tuple[str, ...]], tuple[int, int]], ...] = (
    (
        "T-Shirt",
        {
            "color": ("black", "white", "navy", "red", "heather gray"),
            "size": ("S", "M", "L", "XL", "XXL"),
            "fit": ("regular", "slim"),
        },
        (15, 40),
    ),
    (
        "Running Shoes",
        {
            "size": ("7", "8", "9", "10", "11", "12"),
            "color": ("black", "white", "blue", "red"),
            "material": ("mesh", "knit"),
        },
        (70, 160),
    ),
    (
        "Hiking Boots",
        {
            "size": ("6", "7", "8", "9", "10", "11", "12"),
            "waterproof": ("yes", "no"),
            "material": ("leather", "synthetic"),
        },
        (90, 260),
    ),
    ("Rain Jacket", {"size": ("S", "M", "L", "XL"), "color": ("yellow", "navy", "olive", "black")}, (60, 180)),
    (
        "Hoodie",
        {
            "size": ("S", "M", "L", "XL"),
            "color": ("gray", "black", "maroon", "forest green"),
            "material": ("cotton", "fleece"),
        },
        (35, 80),
    ),
    (
        "Jeans",
        {
            "waist": ("28", "30", "32", "34", "36", "38"),
            "length": ("30", "32", "34"),
            "fit": ("straight", "slim", "relaxed"),
        },
        (40, 110),
    ),
    (
        "Backpack",
        {
            "color": ("black", "gray", "navy", "green"),
            "capacity": ("20L", "30L", "40L"),
            "material": ("nylon", "canvas"),
        },
        (40, 150),
    ),
    (
        "Water Bottle",
        {
            "capacity": ("500ml", "750ml", "1L"),
            "material": ("stainless steel", "plastic", "glass"),
            "color": ("blue", "black", "red", "white"),
        },
        (12, 45),
    ),
    (
        "Coffee Maker",
        {
            "capacity": ("4 cups", "8 cups", "12 cups"),
            "color": ("black", "stainless steel", "white"),
            "type": ("drip", "single serve"),
        },
        (40, 220),
    ),
    (
        "Espresso Machine",
        {
            "pressure": ("9 bar", "15 bar", "19 bar"),
            "type": ("manual", "semi-automatic", "automatic"),
            "color": ("black", "silver", "red"),
        },
        (150, 900),
    ),
    (
        "Electric Kettle",
        {
            "capacity": ("1L", "1.5L", "1.7L"),
            "material": ("glass", "stainless steel", "plastic"),
            "color": ("black", "white", "silver"),
        },
        (25, 120),
    ),
    (
        "Blender",
        {"capacity": ("1L", "1.5L", "2L"), "power": ("600W", "1000W", "1500W"), "color": ("black", "white", "red")},
        (40, 300),
    ),
    ("Air Fryer", {"capacity": ("3 qt", "5 qt", "8 qt"), "color": ("black", "white", "red")}, (60, 200)),
    (
        "Laptop",
        {
            "screen size": ("13 inch", "14 inch", "16 inch"),
            "processor": ("i5", "i7", "i9"),
            "ram": ("8GB", "16GB", "32GB"),
            "storage": ("256GB SSD", "512GB SSD", "1TB SSD"),
        },
        (600, 2600),
    ),
    (
        "Tablet",
        {
            "screen size": ("8 inch", "10 inch", "12 inch"),
            "storage": ("64GB", "128GB", "256GB"),
            "color": ("silver", "space gray", "gold"),
        },
        (200, 1100),
    ),
    (
        "Smartphone",
        {
            "storage": ("128GB", "256GB", "512GB"),
            "color": ("black", "blue", "white", "green"),
            "screen size": ("6.1 inch", "6.7 inch"),
        },
        (400, 1300),
    ),
    (
        "Smart Watch",
        {
            "case size": ("41mm", "45mm"),
            "color": ("black", "silver", "gold", "rose gold"),
            "band": ("silicone", "leather", "metal"),
        },
        (180, 600),
    ),
    (
        "Wireless Earbuds",
        {
            "color": ("black", "white", "blue"),
            "battery life": ("6 hours", "8 hours", "10 hours"),
            "noise cancelling": ("yes", "no"),
        },
        (40, 280),
    ),
    (
        "Headphones",
        {"type": ("over-ear", "on-ear"), "connectivity": ("wired", "wireless"), "color": ("black", "white", "silver")},
        (50, 400),
    ),
    (
        "Bluetooth Speaker",
        {
            "color": ("black", "blue", "red", "green"),
            "battery life": ("10 hours", "20 hours"),
            "water resistant": ("yes", "no"),
        },
        (30, 250),
    ),
    (
        "Mechanical Keyboard",
        {
            "switch type": ("red", "blue", "brown"),
            "layout": ("full size", "tenkeyless", "60%"),
            "backlight": ("RGB", "white", "none"),
        },
        (60, 220),
    ),
    (
        "Wireless Mouse",
        {"color": ("black", "white", "gray"), "sensor": ("optical", "laser"), "grip": ("ergonomic", "ambidextrous")},
        (20, 110),
    ),
    (
        "Monitor",
        {
            "size": ("24 inch", "27 inch", "32 inch"),
            "resolution": ("1080p", "1440p", "4K"),
            "refresh rate": ("60Hz", "144Hz"),
        },
        (150, 900),
    ),
    (
        "Action Camera",
        {"resolution": ("1080p", "4K", "5K"), "waterproof": ("yes", "no"), "color": ("black", "silver")},
        (120, 550),
    ),
    (
        "Digital Camera",
        {"resolution": ("20MP", "24MP", "30MP"), "zoom": ("3x", "5x", "10x"), "storage": ("SD card", "CF card")},
        (300, 2200),
    ),
    (
        "E-Reader",
        {
            "screen size": ("6 inch", "7 inch", "8 inch"),
            "storage": ("8GB", "16GB", "32GB"),
            "connectivity": ("Wi-Fi", "Wi-Fi + cellular"),
        },
        (90, 300),
    ),
    (
        "Gaming Console",
        {"storage": ("512GB", "1TB", "2TB"), "edition": ("standard", "digital"), "color": ("white", "black")},
        (300, 600),
    ),
    (
        "Desk Lamp",
        {
            "color": ("black", "white", "brass"),
            "brightness": ("low", "medium", "high"),
            "power source": ("USB", "AC adapter", "battery"),
        },
        (20, 120),
    ),
    (
        "Office Chair",
        {
            "material": ("mesh", "leather", "fabric"),
            "color": ("black", "gray", "blue"),
            "armrest": ("fixed", "adjustable", "none"),
        },
        (120, 700),
    ),
    (
        "Standing Desk",
        {
            "size": ("48 x 24 inch", "60 x 30 inch", "72 x 30 inch"),
            "color": ("black", "white", "walnut"),
            "material": ("laminate", "bamboo", "oak"),
        },
        (250, 900),
    ),
    (
        "Bookshelf",
        {
            "material": ("wood", "metal", "glass"),
            "color": ("white", "black", "brown"),
            "height": ("3 ft", "5 ft", "6 ft"),
        },
        (70, 500),
    ),
    ("Sofa", {"material": ("fabric", "leather"), "color": ("gray", "navy", "beige"), "seats": ("2", "3")}, (500, 2200)),
    (
        "Bed Sheets",
        {
            "size": ("twin", "full", "queen", "king"),
            "material": ("cotton", "linen", "bamboo"),
            "color": ("white", "gray", "sage"),
        },
        (40, 220),
    ),
    (
        "Pillow",
        {
            "firmness": ("soft", "medium", "firm"),
            "material": ("memory foam", "down", "polyester"),
            "size": ("standard", "queen", "king"),
        },
        (25, 120),
    ),
    (
        "Yoga Mat",
        {
            "thickness": ("4mm", "6mm", "8mm"),
            "material": ("PVC", "TPE", "natural rubber"),
            "color": ("purple", "blue", "black", "green"),
        },
        (20, 90),
    ),
    (
        "Dumbbells",
        {
            "weight": ("5 lb", "10 lb", "15 lb", "20 lb", "25 lb"),
            "material": ("cast iron", "rubber coated", "neoprene"),
        },
        (15, 140),
    ),
    (
        "Bicycle",
        {
            "frame size": ("small", "medium", "large"),
            "type": ("road", "mountain", "hybrid"),
            "color": ("red", "black", "blue"),
        },
        (400, 2000),
    ),
    (
        "Bicycle Helmet",
        {"size": ("S", "M", "L"), "color": ("black", "white", "red", "blue"), "ventilation": ("standard", "high")},
        (35, 180),
    ),
    (
        "Camping Tent",
        {
            "capacity": ("2 person", "4 person", "6 person"),
            "season": ("3-season", "4-season"),
            "color": ("green", "orange", "blue"),
        },
        (90, 600),
    ),
    (
        "Sleeping Bag",
        {"temperature rating": ("20F", "30F", "40F"), "fill": ("down", "synthetic"), "size": ("regular", "long")},
        (60, 350),
    ),
    (
        "Skateboard",
        {
            "deck material": ("maple", "bamboo", "plastic"),
            "length": ("28 inch", "31 inch", "34 inch"),
            "design": ("plain", "graphic"),
        },
        (50, 220),
    ),
    (
        "Sunglasses",
        {
            "frame color": ("black", "tortoise", "gold", "silver"),
            "lens": ("polarized", "non-polarized"),
            "style": ("aviator", "wayfarer", "round"),
        },
        (30, 250),
    ),
    (
        "Wristwatch",
        {
            "strap material": ("leather", "metal", "silicone"),
            "dial color": ("black", "white", "blue"),
            "case material": ("steel", "titanium"),
        },
        (80, 900),
    ),
    (
        "Perfume",
        {
            "scent family": ("floral", "woody", "citrus", "oriental"),
            "size": ("30ml", "50ml", "100ml"),
            "gender": ("women", "men", "unisex"),
        },
        (40, 300),
    ),
    (
        "Electric Toothbrush",
        {
            "color": ("white", "black", "pink", "blue"),
            "battery life": ("2 weeks", "4 weeks", "6 weeks"),
            "brush head": ("standard", "sensitive"),
        },
        (30, 220),
    ),
    (
        "Hair Dryer",
        {"power": ("1200W", "1800W", "2000W"), "color": ("black", "white", "pink"), "type": ("standard", "ionic")},
        (30, 300),
    ),
    (
        "Vacuum Cleaner",
        {
            "type": ("upright", "canister", "cordless stick", "robotic"),
            "bag": ("bagged", "bagless"),
            "color": ("red", "gray", "black"),
        },
        (100, 800),
    ),
    (
        "Cookware Set",
        {
            "material": ("stainless steel", "nonstick", "cast iron"),
            "pieces": ("5", "8", "12"),
            "color": ("silver", "black", "red"),
        },
        (80, 500),
    ),
    (
        "Knife Set",
        {
            "pieces": ("3", "6", "10"),
            "handle material": ("wood", "plastic", "steel"),
            "blade material": ("stainless steel", "carbon steel", "ceramic"),
        },
        (40, 400),
    ),
    (
        "Garden Hose",
        {
            "length": ("25 ft", "50 ft", "100 ft"),
            "material": ("rubber", "vinyl", "latex"),
            "color": ("green", "black", "blue"),
        },
        (20, 110),
    ),
    (
        "Luggage",
        {
            "size": ("carry-on", "medium", "large"),
            "color": ("black", "navy", "silver", "red"),
            "material": ("hardshell", "softshell"),
        },
        (80, 450),
    ),
)
# Real US cities with their state and the first three digits of their zip codes.
CITIES: tuple[tuple[str, str, str], ...] = (
    ("New York", "NY", "100"),
    ("Brooklyn", "NY", "112"),
    ("Buffalo", "NY", "142"),
    ("Boston", "MA", "021"),
    ("Philadelphia", "PA", "191"),
    ("Pittsburgh", "PA", "152"),
    ("Baltimore", "MD", "212"),
    ("Washington", "DC", "200"),
    ("Richmond", "VA", "232"),
    ("Charlotte", "NC", "282"),
    ("Raleigh", "NC", "276"),
    ("Atlanta", "GA", "303"),
    ("Jacksonville", "FL", "322"),
    ("Miami", "FL", "331"),
    ("Orlando", "FL", "328"),
    ("Tampa", "FL", "336"),
    ("Nashville", "TN", "372"),
    ("Memphis", "TN", "381"),
    ("Louisville", "KY", "402"),
    ("Columbus", "OH", "432"),
    ("Cleveland", "OH", "441"),
    ("Detroit", "MI", "482"),
    ("Indianapolis", "IN", "462"),
    ("Chicago", "IL", "606"),
    ("Milwaukee", "WI", "532"),
    ("Minneapolis", "MN", "554"),
    ("St. Louis", "MO", "631"),
    ("Kansas City", "MO", "641"),
    ("Omaha", "NE", "681"),
    ("Dallas", "TX", "752"),
    ("Houston", "TX", "770"),
    ("Austin", "TX", "787"),
    ("San Antonio", "TX", "782"),
    ("Fort Worth", "TX", "761"),
    ("Oklahoma City", "OK", "731"),
    ("Denver", "CO", "802"),
    ("Phoenix", "AZ", "850"),
    ("Tucson", "AZ", "857"),
    ("Albuquerque", "NM", "871"),
    ("Salt Lake City", "UT", "841"),
    ("Las Vegas", "NV", "891"),
    ("Los Angeles", "CA", "900"),
    ("San Diego", "CA", "921"),
    ("San Jose", "CA", "951"),
    ("San Francisco", "CA", "941"),
    ("Sacramento", "CA", "958"),
    ("Portland", "OR", "972"),
    ("Seattle", "WA", "981"),
    ("Spokane", "WA", "992"),
)
CARD_BRANDS = ("visa", "mastercard", "amex", "discover")
USERS = 360
# Status of an order and its weight among the seeded orders.
STATUS_MIX: tuple[tuple[str, int], ...] = (
    ("pending", 34),
    ("processed", 13),
    ("delivered", 34),
    ("cancelled", 9),
    ("pending (item modified)", 3),
    ("return requested", 4),
    ("exchange requested", 3),
)
SHIPPED = ("processed", "delivered", "return requested", "exchange requested")


# --------------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------------


class _Ids:
    """Unique random digit strings (product, item, payment, order and tracking numbers)."""

    def __init__(self, data: SeedData) -> None:
        self.rng = data.rng
        self.used: set[str] = set()

    def digits(self, n: int) -> str:
        while True:
            value = str(self.rng.randint(10 ** (n - 1), 10**n - 1))
            if value not in self.used:
                self.used.add(value)
                return value


def _catalog(data: SeedData, ids: _Ids) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = data.rng
    products: list[dict[str, Any]] = []
    variants: list[dict[str, Any]] = []
    for name, options, (low, high) in CATALOG:
        product_id = ids.digits(10)
        products.append({"product_id": product_id, "name": name})
        combos = list(itertools.product(*options.values()))
        base = rng.uniform(low, high * 0.8)
        for position, combo in enumerate(rng.sample(combos, min(len(combos), rng.randint(8, 16)))):
            price = round(base * rng.uniform(0.85, 1.25), 2)
            variants.append(
                {
                    "item_id": ids.digits(10),
                    "product_id": product_id,
                    "position": position,
                    "options": dict(zip(options, combo, strict=True)),
                    "available": rng.random() < 0.78,
                    "price_cents": round(min(max(price, low), high) * 100),
                }
            )
    return products, variants


def _address(data: SeedData) -> dict[str, str]:
    city, state, prefix = data.rng.choice(CITIES)
    return {
        "address1": f"{data.rng.randint(12, 9899)} {data.fake.street_name()}",
        "address2": data.fake.secondary_address() if data.rng.random() < 0.55 else "",
        "city": city,
        "country": "USA",
        "state": state,
        "zip": prefix + f"{data.rng.randint(0, 99):02d}",
    }


def _wallet(data: SeedData, ids: _Ids, user_id: str) -> list[dict[str, Any]]:
    rng = data.rng
    sources = rng.sample(["credit_card", "paypal", "gift_card", "credit_card"], rng.randint(1, 3))
    if set(sources) == {"gift_card"}:
        sources.append("credit_card")
    methods = []
    for position, source in enumerate(sources):
        method = {
            "user_id": user_id,
            "payment_method_id": f"{source}_{ids.digits(7)}",
            "position": position,
            "source": source,
            "brand": rng.choice(CARD_BRANDS) if source == "credit_card" else None,
            "last_four": f"{rng.randint(0, 9999):04d}" if source == "credit_card" else None,
            "balance_cents": rng.randint(0, 40000) if source == "gift_card" else None,
        }
        methods.append(method)
    return methods


@env.seed
def seed_retail(db: Session, data: SeedData) -> None:
    """The catalogue, about 360 customers and 800 orders (see the module docstring)."""
    rng, fake = data.rng, data.fake
    ids = _Ids(data)
    products, variants = _catalog(data, ids)
    by_product: dict[str, list[dict[str, Any]]] = {}
    for variant in variants:
        by_product.setdefault(variant["product_id"], []).append(variant)
    names = {p["product_id"]: p["name"] for p in products}

    users: list[dict[str, Any]] = []
    methods: list[dict[str, Any]] = []
    orders: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    shipments: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    statuses = [s for s, _ in STATUS_MIX]
    weights = [w for _, w in STATUS_MIX]
    emails: set[str] = set()
    while len(users) < USERS:
        first, last = fake.first_name(), fake.last_name()
        if not (first.isalpha() and last.isalpha()):
            continue
        user_id = f"{first.lower()}_{last.lower()}_{rng.randint(1000, 9999)}"
        email = f"{first.lower()}.{last.lower()}{rng.randint(1000, 9999)}@example.com"
        if email in emails or any(u["user_id"] == user_id for u in users):
            continue
        emails.add(email)
        home = _address(data)
        users.append({"user_id": user_id, "first_name": first, "last_name": last, "email": email, **home})
        wallet = _wallet(data, ids, user_id)
        methods.extend(wallet)
        for user_position in range(rng.choice((1, 1, 2, 2, 2, 3, 3, 4))):
            order_id = f"#W{ids.digits(7)}"
            status = rng.choices(statuses, weights)[0]
            # Most orders ship home; some to a relative or an office.
            address = home if rng.random() < 0.85 else _address(data)
            chosen = [rng.choice(by_product[p["product_id"]]) for p in rng.sample(products, rng.randint(1, 5))]
            if rng.random() < 0.12:
                chosen.append(chosen[0])  # two units of one item
            order_lines = [
                {
                    "order_id": order_id,
                    "position": i,
                    "item_id": v["item_id"],
                    "product_id": v["product_id"],
                    "name": names[v["product_id"]],
                    "price_cents": v["price_cents"],
                    "options": dict(v["options"]),
                }
                for i, v in enumerate(chosen)
            ]
            total = sum(line["price_cents"] for line in order_lines)
            payable = [m for m in wallet if m["source"] != "gift_card" or m["balance_cents"] >= total]
            method = rng.choice(payable)
            if method["source"] == "gift_card":
                method["balance_cents"] -= total
            history = [("payment", total, method["payment_method_id"])]
            order: dict[str, Any] = {
                "order_id": order_id,
                "user_id": user_id,
                "user_position": user_position,
                **address,
                "status": status,
                "cancel_reason": None,
                "exchange_items": None,
                "exchange_new_items": None,
                "exchange_payment_method_id": None,
                "exchange_price_difference_cents": None,
                "return_items": None,
                "return_payment_method_id": None,
            }
            if status == "cancelled":
                order["cancel_reason"] = rng.choice(CANCEL_REASONS)
                history.append(("refund", total, method["payment_method_id"]))
                if method["source"] == "gift_card":
                    method["balance_cents"] += total
            elif status == "pending (item modified)":
                line = rng.choice(order_lines)
                others = [
                    v for v in by_product[line["product_id"]] if v["item_id"] != line["item_id"] and v["available"]
                ]
                if others:
                    new = rng.choice(others)
                    difference = new["price_cents"] - line["price_cents"]
                    line.update(item_id=new["item_id"], price_cents=new["price_cents"], options=dict(new["options"]))
                    history.append(
                        ("payment" if difference > 0 else "refund", abs(difference), method["payment_method_id"])
                    )
                else:
                    order["status"] = "pending"
            elif status == "return requested":
                returned = rng.sample(order_lines, rng.randint(1, len(order_lines)))
                gift = [m for m in wallet if m["source"] == "gift_card"]
                order["return_items"] = sorted(line["item_id"] for line in returned)
                order["return_payment_method_id"] = (
                    rng.choice(gift)["payment_method_id"]
                    if gift and rng.random() < 0.4
                    else method["payment_method_id"]
                )
            elif status == "exchange requested":
                line = rng.choice(order_lines)
                others = [
                    v for v in by_product[line["product_id"]] if v["item_id"] != line["item_id"] and v["available"]
                ]
                if others:
                    new = rng.choice(others)
                    order["exchange_items"] = [line["item_id"]]
                    order["exchange_new_items"] = [new["item_id"]]
                    order["exchange_payment_method_id"] = method["payment_method_id"]
                    order["exchange_price_difference_cents"] = new["price_cents"] - line["price_cents"]
                else:
                    order["status"] = "delivered"
            if order["status"] in SHIPPED:
                item_ids = [line["item_id"] for line in order_lines]
                split = rng.randint(1, len(item_ids) - 1) if len(item_ids) > 2 and rng.random() < 0.3 else len(item_ids)
                for position, part in enumerate(p for p in (item_ids[:split], item_ids[split:]) if p):
                    shipments.append(
                        {"order_id": order_id, "position": position, "tracking_id": [ids.digits(12)], "item_ids": part}
                    )
            orders.append(order)
            lines.extend(order_lines)
            payments.extend(
                {
                    "order_id": order_id,
                    "position": i,
                    "transaction_type": kind,
                    "amount_cents": amount,
                    "payment_method_id": method_id,
                }
                for i, (kind, amount, method_id) in enumerate(history)
            )

    conn = connection_of(db)
    clock = [{"id": 1, "now": NOW}]
    tables = (clock, products, variants, users, methods, orders, lines, shipments, payments)
    for model, rows in zip(STATE_TABLES, tables, strict=True):
        bulk_insert(conn, model, rows)
