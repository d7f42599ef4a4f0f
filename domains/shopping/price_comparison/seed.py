"""The seeded generator: products and their platform listings, half a year of prices with the 618 and Double 11
dips, coupons, and the tracker's users with their alerts, saved comparisons and price reports."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from .catalog_data import (
    CATALOG,
    COLOURS,
    COLOURS_PER_MODEL,
    MODEL_COLOURS,
    PLATFORM_COUPONS,
    PLATFORMS_BY_CATEGORY,
    SHOP_KINDS,
    SHOP_WORDS,
)
from .definition import env
from .models import (
    ALERT_LIMITS,
    HISTORY_DAYS,
    NOW,
    Comparison,
    ComparisonItem,
    Coupon,
    Listing,
    PriceAlert,
    PricePoint,
    PriceReport,
    Product,
    ServiceClock,
    TrackerUser,
)
from .pricing import daily_prices, nice_price, segments

TODAY = NOW.date()
FIRST_DAY = TODAY - dt.timedelta(days=HISTORY_DAYS - 1)
# Promotions every tracked price reacts to: (first day, last day, lowest and highest share of the usual price)
PROMOTIONS = (
    (dt.date(2025, 6, 1), dt.date(2025, 6, 18), 0.80, 0.93),  # 618
    (dt.date(2025, 8, 8), dt.date(2025, 8, 10), 0.90, 0.97),  # summer sale on some listings
    (dt.date(2025, 10, 20), dt.date(2025, 11, 11), 0.74, 0.90),  # Double 11
)
# How a platform prices against the brand's list price: (lowest, highest share)
PLATFORM_LEVEL = {"jd": (0.97, 1.0), "tmall": (0.96, 1.0), "suning": (0.95, 1.01), "taobao": (0.9, 0.98),
                  "pdd": (0.86, 0.95)}  # fmt: skip
COMPARISON_NAMES = ("Shortlist", "For Mum", "Birthday gift", "New phone", "Kitchen upgrade", "Moving house",
                    "Double 12 plan", "Office setup", "Skincare restock", "Pantry")  # fmt: skip


def _fen(yuan: float) -> int:
    return round(yuan * 100)


def _products(rng: random.Random) -> list[dict[str, Any]]:
    products: list[dict[str, Any]] = []
    used: set[str] = set()
    for category, subcategories in CATALOG.items():
        for subcategory, models in subcategories.items():
            for brand, model, variants in models:
                colours = MODEL_COLOURS.get(model, COLOURS.get(subcategory))
                count = min(len(colours), COLOURS_PER_MODEL[subcategory]) if colours else 0
                chosen = sorted(rng.sample(colours, count)) if colours else [""]
                for variant, list_price in variants:
                    for colour in chosen:
                        name = " ".join(part for part in (model, variant, colour) if part)
                        pid = str(rng.randrange(10_000_000, 99_999_999))
                        while pid in used:
                            pid = str(rng.randrange(10_000_000, 99_999_999))
                        used.add(pid)
                        products.append({"pid": pid, "name": name, "brand": brand, "category": category,
                                         "subcategory": subcategory, "list_price": list_price})  # fmt: skip
    return products


def _seller(rng: random.Random, platform: str, product: dict[str, Any]) -> tuple[str, int]:
    brand = product["brand"]
    official = {"jd": 0.75, "tmall": 0.8, "suning": 0.6, "pdd": 0.25, "taobao": 0.0}[platform]
    if rng.random() < official:
        return {
            "jd": f"{brand} JD Self-operated Flagship Store",
            "tmall": f"{brand} Official Flagship Store",
            "suning": "Suning Self-operated",
            "pdd": f"{brand} Official Store (Billion Subsidy)",
        }[platform], 1
    shop = f"{rng.choice(SHOP_WORDS)} {rng.choice(SHOP_KINDS[product['category']])} Store"
    return shop, 0


def _history(rng: random.Random, usual: float) -> list[tuple[dt.date, int]]:
    """A price that moves every one to three weeks around its usual level and dips for the big promotions."""
    points: list[tuple[dt.date, int]] = []

    def set_price(day: dt.date, share: float) -> None:
        price = _fen(nice_price(usual * share))
        if points and points[-1][0] == day:
            points.pop()
        if not points or points[-1][1] != price:
            points.append((day, price))

    level = rng.uniform(0.98, 1.03)
    set_price(FIRST_DAY, level)
    day = FIRST_DAY
    events = {start: (end, low, high) for start, end, low, high in PROMOTIONS if rng.random() < 0.9}
    while day < TODAY:
        step = dt.timedelta(days=rng.randint(9, 24))
        upcoming = [start for start in events if day < start <= day + step]
        if upcoming:
            start = upcoming[0]
            end, low, high = events.pop(start)
            set_price(start, rng.uniform(low, high))
            day = end + dt.timedelta(days=1)
            level = max(0.9, min(1.04, level * rng.uniform(0.97, 1.04)))
            set_price(day, level)
            continue
        day += step
        if day >= TODAY:
            break
        level = max(0.88, min(1.05, level * rng.uniform(0.95, 1.05)))
        set_price(day, level)
    late = max(points[-1][0] + dt.timedelta(days=1), TODAY - dt.timedelta(days=rng.randint(1, 6)))
    if rng.random() < 0.35 and late <= TODAY:  # a pre-Double 12 move in the last few days
        set_price(late, level * rng.choice((0.88, 0.92, 1.06)))
    if rng.random() < 0.3:
        points = _flash_sale(rng, points, usual)
    return points


def _flash_sale(rng: random.Random, points: list[tuple[dt.date, int]], usual: float) -> list[tuple[dt.date, int]]:
    """A shop's one- to four-day flash sale between the summer and Double 11, sometimes deeper than Double 11."""
    first = TODAY - dt.timedelta(days=rng.randint(40, 85))
    last = first + dt.timedelta(days=rng.randint(0, 3))
    sale = _fen(nice_price(usual * rng.uniform(0.7, 0.86)))
    daily = daily_prices([{"day": d.isoformat(), "price_fen": p} for d, p in points], FIRST_DAY, TODAY)
    moved = [(day, sale if first <= day <= last else price) for day, price in daily]
    return [(start, price) for start, _end, price in segments(moved)]


def _listing_id(rng: random.Random, platform: str) -> str:
    digits = {"jd": ("100", 9), "tmall": ("6", 11), "taobao": ("7", 11), "pdd": ("5", 10), "suning": ("1000", 8)}
    prefix, size = digits[platform]
    return f"{platform}-{prefix}{rng.randrange(10 ** (size - 1), 10**size)}"


def _shipping(rng: random.Random, platform: str, price_fen: int, product: dict[str, Any]) -> int:
    if platform == "jd":
        return 0 if price_fen >= 9900 else 600
    if platform == "suning":
        return 0 if price_fen >= 8800 else 500
    if platform == "taobao" and rng.random() < 0.35:
        return rng.choice((500, 800, 1000, 1500)) if product["category"] != "beauty" else 600
    return 0


def _coupon_threshold(price_yuan: float) -> int:
    """A threshold people recognise: ¥99, ¥199, ¥299, ¥999, ¥1,999..."""
    steps = (49, 99, 149, 199, 299, 399, 499, 599, 799, 999, 1499, 1999, 2999, 3999, 4999, 5999, 6999, 7999, 8999)
    below = [s for s in steps if s <= price_yuan]
    return below[-1] if below else 29


def _coupon_dates(rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.6:  # valid now
        start, end = TODAY - dt.timedelta(days=rng.randint(1, 10)), TODAY + dt.timedelta(days=rng.randint(2, 21))
    elif roll < 0.8:  # expired
        end = TODAY - dt.timedelta(days=rng.randint(1, 8))
        start = end - dt.timedelta(days=rng.randint(5, 20))
    else:  # not started yet
        start = TODAY + dt.timedelta(days=rng.randint(2, 10))
        end = start + dt.timedelta(days=rng.randint(3, 12))
    return start.isoformat(), end.isoformat()


@env.seed
def seed_price_comparison(db: Session, data: SeedData) -> None:
    rng = data.rng
    fake = data.fake
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])
    products = _products(rng)
    db.execute(insert(Product), [{k: v for k, v in p.items() if k != "list_price"} for p in products])

    listings: list[dict[str, Any]] = []
    points: list[dict[str, Any]] = []
    coupons: list[dict[str, Any]] = []
    for product in products:
        platforms = PLATFORMS_BY_CATEGORY[product["category"]]
        count = rng.choice((2, 3, 3, 4, 4, 5)) if len(platforms) == 5 else rng.choice((2, 3, 3, 4))
        for platform in platforms[:2] + tuple(rng.sample(platforms[2:], max(0, count - 2))):
            low, high = PLATFORM_LEVEL[platform]
            usual = float(product["list_price"]) * rng.uniform(low, high)
            history = _history(rng, usual)
            pos_id = _listing_id(rng, platform)
            seller, official = _seller(rng, platform, product)
            price = history[-1][1]
            member = None
            if platform in ("jd", "tmall") and rng.random() < 0.3 and price >= 5000:
                member = _fen(nice_price(price / 100 * rng.uniform(0.95, 0.98)))
                member = member if member < price else None
            listings.append({
                "pos_id": pos_id, "pid": product["pid"], "platform": platform, "seller": seller,
                "official_store": official, "price_fen": price, "member_price_fen": member,
                "shipping_fen": _shipping(rng, platform, price, product), "in_stock": int(rng.random() < 0.93),
                "monthly_sales": rng.choice((rng.randint(10, 900), rng.randint(1000, 60000))),
            })  # fmt: skip
            points.extend({"pos_id": pos_id, "day": d.isoformat(), "price_fen": p} for d, p in history)
            if rng.random() < 0.45:
                threshold = _coupon_threshold(price / 100 * rng.uniform(0.8, 1.15))
                discount = max(3, round(threshold * rng.uniform(0.04, 0.1) / 5) * 5)
                start, end = _coupon_dates(rng)
                coupons.append({
                    "coupon_id": f"C{rng.randrange(10**8, 10**9)}", "platform": platform, "pos_id": pos_id,
                    "category": None, "title": f"¥{discount} off over ¥{threshold:,}",
                    "threshold_fen": threshold * 100, "discount_fen": discount * 100,
                    "starts_on": start, "ends_on": end,
                })  # fmt: skip
    for platform, category, title, threshold, discount in PLATFORM_COUPONS:
        start, end = _coupon_dates(rng)
        coupons.append({
            "coupon_id": f"C{rng.randrange(10**8, 10**9)}", "platform": platform, "pos_id": None,
            "category": category, "title": f"{title}: ¥{discount} off over ¥{threshold:,}",
            "threshold_fen": threshold * 100, "discount_fen": discount * 100, "starts_on": start, "ends_on": end,
        })  # fmt: skip
    db.execute(insert(Listing), listings)
    db.execute(insert(PricePoint), points)
    db.execute(insert(Coupon), coupons)
    _seed_users(db, rng, fake, products, listings)


def _seed_users(db: Session, rng: random.Random, fake: Any, products: list[dict[str, Any]],
                listings: list[dict[str, Any]]) -> None:  # fmt: skip
    users = []
    for index in range(150):
        users.append({
            "user_id": f"MM{rng.randrange(100000, 999999)}{index % 10}",
            "name": fake.name(),
            "phone": f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}",
            "email": fake.email() if rng.random() < 0.7 else None,
            "wechat_bound": int(rng.random() < 0.6),
            "plan": "premium" if rng.random() < 0.15 else "free",
        })  # fmt: skip
    db.execute(insert(TrackerUser), users)
    alerts, comparisons, items, reports = [], [], [], []
    by_subcategory: dict[str, list[dict[str, Any]]] = {}
    for product in products:
        by_subcategory.setdefault(product["subcategory"], []).append(product)
    for user in users:
        channels = ["app_push", "sms"] + (["email"] if user["email"] else [])
        channels += ["wechat"] if user["wechat_bound"] else []
        watched = rng.sample(listings, rng.randint(0, ALERT_LIMITS[user["plan"]] if user["plan"] == "free" else 8))
        for listing in watched:
            created = NOW - dt.timedelta(days=rng.randint(3, 120), hours=rng.randint(0, 12))
            triggered = rng.random() < 0.2
            target = listing["price_fen"] * (rng.uniform(1.0, 1.05) if triggered else rng.uniform(0.8, 0.97))
            alerts.append({
                "alert_id": f"PA{rng.randrange(10**7, 10**8)}", "user_id": user["user_id"],
                "pos_id": listing["pos_id"], "target_price_fen": _fen(nice_price(target / 100)),
                "channel": rng.choice(channels), "status": "triggered" if triggered else "active",
                "created_at": created.isoformat(sep=" ", timespec="seconds"),
                "triggered_at": (NOW - dt.timedelta(days=rng.randint(1, 2))).isoformat(sep=" ", timespec="seconds")
                if triggered else None,
            })  # fmt: skip
        for label in rng.sample(COMPARISON_NAMES, rng.choice((0, 0, 1, 1, 2))):
            group = rng.choice([g for g in by_subcategory.values() if len(g) >= 3])
            chosen = rng.sample(group, rng.randint(2, 3))
            comparison_id = f"CMP{rng.randrange(10**6, 10**7)}"
            comparisons.append({
                "comparison_id": comparison_id, "user_id": user["user_id"], "name": label,
                "created_at": (NOW - dt.timedelta(days=rng.randint(1, 60))).isoformat(sep=" ", timespec="seconds"),
            })  # fmt: skip
            items.extend({"comparison_id": comparison_id, "pid": p["pid"], "position": i} for i, p in enumerate(chosen))
        if rng.random() < 0.25:
            listing = rng.choice(listings)
            reports.append({
                "report_id": f"RP{rng.randrange(10**7, 10**8)}", "user_id": user["user_id"],
                "pos_id": listing["pos_id"], "tracked_price_fen": listing["price_fen"],
                "seen_price_fen": _fen(nice_price(listing["price_fen"] / 100 * rng.uniform(0.85, 1.1))),
                "note": rng.choice(("Price on the app is different", "Coupon price not shown", "Out of date", "")),
                "status": rng.choice(("pending", "fixed", "rejected")),
                "created_at": (NOW - dt.timedelta(days=rng.randint(1, 30))).isoformat(sep=" ", timespec="seconds"),
            })  # fmt: skip
    db.execute(insert(PriceAlert), alerts)
    db.execute(insert(Comparison), comparisons)
    db.execute(insert(ComparisonItem), items)
    if reports:
        db.execute(insert(PriceReport), reports)
