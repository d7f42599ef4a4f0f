"""The tools an agent calls: the tracker's product, listing, price-history, coupon, alert and comparison API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    ALERT_LIMITS,
    COMPARISON_SIZE,
    HISTORY_DAYS,
    LOW_WINDOW_DAYS,
    MAX_COMPARISONS,
    MAX_PAGE,
    PLATFORMS,
    AlertStatus,
    Category,
    Channel,
    Comparison,
    ComparisonItem,
    Listing,
    PlatformCode,
    PriceAlert,
    PriceReport,
    Product,
    TrackerUser,
)
from .pricing import (
    GOOD_DEAL_MARGIN,
    best_coupon,
    coupon_state,
    daily_prices,
    effective_fen,
    segments,
    trend,
    yuan,
)

MEMBER_PROGRAMS = {"jd": "JD PLUS", "tmall": "88VIP", "taobao": "88VIP", "pdd": "Super member", "suning": "SUPER"}


class ProductSummary(TypedDict):
    pid: str
    name: str
    brand: str
    category: str
    subcategory: str
    lowest_price: float
    platforms: list[str]


class ProductPage(TypedDict):
    total: int
    products: list[ProductSummary]


class Position(TypedDict):
    pos_id: str
    platform: str
    platform_name: str
    seller: str
    official_store: bool
    price: float
    member_price: float | None
    shipping: float
    in_stock: bool
    monthly_sales: int


class ProductDetails(TypedDict):
    pid: str
    name: str
    brand: str
    category: str
    subcategory: str
    positions: list[Position]


class Offer(TypedDict):
    pos_id: str
    platform: str
    platform_name: str
    seller: str
    official_store: bool
    in_stock: bool
    price: float
    shipping: float
    coupon: str | None
    coupon_discount: float
    effective_price: float


class PriceComparison(TypedDict):
    pid: str
    name: str
    member_prices_used: bool
    offers: list[Offer]
    cheapest_pos_id: str | None
    cheapest_platform: str | None
    cheapest_effective_price: float | None


class TrendView(TypedDict):
    pos_id: str
    platform: str
    days: int
    start_date: str
    start_price: float
    current_price: float
    change_percent: float
    trend: str
    lowest_price: float
    highest_price: float


class PriceRun(TypedDict):
    from_date: str
    to_date: str
    price: float


class PriceHistory(TypedDict):
    pos_id: str
    platform: str
    from_date: str
    to_date: str
    current_price: float
    lowest_price: float
    lowest_periods: list[PriceRun]
    highest_price: float
    average_price: float
    changes: list[PriceRun]


class CouponView(TypedDict):
    coupon_id: str
    title: str
    scope: str
    threshold: float
    discount: float
    starts_on: str
    ends_on: str
    status: str
    applies_now: bool


class DiscountInfo(TypedDict):
    pos_id: str
    platform: str
    price: float
    member_price: float | None
    member_program: str | None
    shipping: float
    coupons: list[CouponView]
    best_coupon_id: str | None
    effective_price: float


class BuyAdvice(TypedDict):
    pos_id: str
    platform: str
    current_price: float
    low_90_days: float
    last_at_low_on: str
    average_90_days: float
    verdict: str
    reason: str


class AlertView(TypedDict):
    alert_id: str
    pos_id: str
    pid: str
    product_name: str
    platform: str
    target_price: float
    current_price: float
    channel: str
    status: str
    created_at: str
    triggered_at: str | None


class ComparisonProduct(TypedDict):
    pid: str
    name: str
    lowest_price: float


class ComparisonView(TypedDict):
    comparison_id: str
    name: str
    created_at: str
    products: list[ComparisonProduct]


class ReportView(TypedDict):
    report_id: str
    pos_id: str
    tracked_price: float
    seen_price: float
    note: str
    status: str
    created_at: str


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError(f"limit must be between 1 and {MAX_PAGE}.")
    if offset < 0:
        raise DomainError("offset cannot be negative.")


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(sep=" ", timespec="seconds")


def _user(ctx: ToolContext, user_id: str) -> dict[str, Any]:
    return ctx.rows(TrackerUser).require(user_id.strip(), missing=f"There is no tracker account {user_id!r}.")


def _product(ctx: ToolContext, pid: str) -> dict[str, Any]:
    return ctx.rows(Product).require(pid.strip(), missing=f"There is no product with pid {pid!r}; search for it first.")


def _listing(ctx: ToolContext, pos_id: str) -> dict[str, Any]:
    return ctx.rows(Listing).require(
        pos_id.strip().lower(), missing=f"There is no listing {pos_id!r}; get_pid_pos_details lists a product's."
    )


def _listings(ctx: ToolContext, pid: str) -> list[dict[str, Any]]:
    return ctx.rows(Listing).find({"pid": pid}, order_by=["platform", "pos_id"])


def _yuan_to_fen(amount: float, what: str) -> int:
    if not 0 < amount < 1_000_000:
        raise DomainError(f"The {what} must be a positive amount in yuan; got {amount:g}.")
    fen = round(amount * 100)
    if abs(fen - amount * 100) > 1e-6:
        raise DomainError(f"The {what} has more than two decimals: {amount}.")
    return fen


def _days(days: int) -> int:
    if not 1 <= days <= HISTORY_DAYS:
        raise DomainError(f"Price history goes back {HISTORY_DAYS} days: days must be between 1 and {HISTORY_DAYS}.")
    return days


def _series(ctx: ToolContext, pos_id: str, days: int) -> list[tuple[dt.date, int]]:
    today = ctx.now.date()
    points = ctx.query("SELECT day, price_fen FROM price_points WHERE pos_id = ? ORDER BY day", [pos_id])
    return daily_prices(points, today - dt.timedelta(days=days - 1), today)


def _coupons(ctx: ToolContext, listing: dict[str, Any], category: str) -> list[dict[str, Any]]:
    return ctx.query(
        "SELECT * FROM coupons WHERE pos_id = ? OR (pos_id IS NULL AND platform = ? AND (category IS NULL OR "
        "category = ?)) ORDER BY discount_fen DESC, coupon_id",
        [listing["pos_id"], listing["platform"], category],
    )


def _position(listing: dict[str, Any]) -> Position:
    member = listing["member_price_fen"]
    return {
        "pos_id": listing["pos_id"],
        "platform": listing["platform"],
        "platform_name": PLATFORMS[listing["platform"]],
        "seller": listing["seller"],
        "official_store": bool(listing["official_store"]),
        "price": yuan(listing["price_fen"]),
        "member_price": yuan(member) if member is not None else None,
        "shipping": yuan(listing["shipping_fen"]),
        "in_stock": bool(listing["in_stock"]),
        "monthly_sales": listing["monthly_sales"],
    }


def _lowest_prices(ctx: ToolContext, pids: list[str]) -> dict[str, int]:
    if not pids:
        return {}
    marks = ",".join("?" * len(pids))
    rows = ctx.query(f"SELECT pid, MIN(price_fen) AS low FROM listings WHERE pid IN ({marks}) GROUP BY pid", pids)
    return {r["pid"]: r["low"] for r in rows}


def _alert_view(ctx: ToolContext, alert: dict[str, Any]) -> AlertView:
    listing = ctx.rows(Listing).get(alert["pos_id"]) or {}
    product = ctx.rows(Product).get(listing["pid"]) or {}
    return {
        "alert_id": alert["alert_id"],
        "pos_id": alert["pos_id"],
        "pid": product["pid"],
        "product_name": product["name"],
        "platform": listing["platform"],
        "target_price": yuan(alert["target_price_fen"]),
        "current_price": yuan(listing["price_fen"]),
        "channel": alert["channel"],
        "status": alert["status"],
        "created_at": alert["created_at"],
        "triggered_at": alert["triggered_at"],
    }


def _comparison_view(ctx: ToolContext, comparison: dict[str, Any]) -> ComparisonView:
    items = ctx.query(
        "SELECT p.pid, p.name FROM comparison_items i JOIN products p ON p.pid = i.pid WHERE i.comparison_id = ? "
        "ORDER BY i.position",
        [comparison["comparison_id"]],
    )
    lows = _lowest_prices(ctx, [i["pid"] for i in items])
    return {
        "comparison_id": comparison["comparison_id"],
        "name": comparison["name"],
        "created_at": comparison["created_at"],
        "products": [{"pid": i["pid"], "name": i["name"], "lowest_price": yuan(lows[i["pid"]])} for i in items],
    }


def _check_channel(user: dict[str, Any], channel: str) -> None:
    if channel == "email" and not user["email"]:
        raise DomainError("There is no email address on this account; choose app_push, sms or wechat instead.")
    if channel == "wechat" and not user["wechat_bound"]:
        raise DomainError("This account has no WeChat bound, so alerts cannot go to WeChat; choose another channel.")


def _check_target(listing: dict[str, Any], target_fen: int) -> None:
    if target_fen >= listing["price_fen"]:
        raise DomainError(
            f"The {PLATFORMS[listing['platform']]} listing is already ¥{yuan(listing['price_fen']):,g}, at or "
            f"below the target ¥{yuan(target_fen):,g}: an alert needs a target below today's price."
        )


def _check_alert_room(ctx: ToolContext, user: dict[str, Any]) -> None:
    limit = ALERT_LIMITS[user["plan"]]
    if ctx.rows(PriceAlert).count({"user_id": user["user_id"], "status": "active"}) >= limit:
        raise DomainError(
            f"The {user['plan']} plan allows {limit} active price alerts and all are in use; delete one first."
        )


def _own_alert(ctx: ToolContext, user_id: str, alert_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    user = _user(ctx, user_id)
    alert = ctx.rows(PriceAlert).get(alert_id.strip().upper())
    if alert is None or alert["user_id"] != user["user_id"]:
        raise DomainError(f"You have no price alert {alert_id!r}.")
    return user, alert


# --------------------------------------------------------------------------------------------------
# Products and listings
# --------------------------------------------------------------------------------------------------


@env.read(intents=["find {keyword} on the price tracker", "what {keyword} models do you track?"])
def search_products(
    ctx: ToolContext, keyword: str, category: Category | None = None, limit: int = 20, offset: int = 0
) -> ProductPage:
    """Search tracked products by words in their name, brand or kind, in name order, with each one's lowest price.

    Args:
        keyword: Words to look for, such as 'Xiaomi 14' or 'air fryer'; every word must appear.
        category: Optional filter: electronics, appliances, beauty or groceries.
        limit: Maximum number of products to return (1-50).
        offset: Number of products to skip, for paging.
    """
    _page(limit, offset)
    words = keyword.lower().split()
    if not words:
        raise DomainError("Give a keyword to search for.")
    sql = "SELECT p.* FROM products p WHERE 1 = 1"
    params: list[object] = []
    for word in words:
        sql += " AND instr(lower(p.name || ' ' || p.brand || ' ' || p.subcategory), ?) > 0"
        params.append(word)
    if category is not None:
        sql += " AND p.category = ?"
        params.append(category)
    rows = ctx.query(sql + " ORDER BY p.name", params)
    shown = rows[offset : offset + limit]
    pids = [r["pid"] for r in shown]
    platforms: dict[str, list[str]] = {}
    marks = ",".join("?" * len(pids))
    for row in ctx.query(f"SELECT pid, platform FROM listings WHERE pid IN ({marks}) ORDER BY platform", pids):
        platforms.setdefault(row["pid"], []).append(row["platform"])
    lows = _lowest_prices(ctx, pids)
    found: list[ProductSummary] = [
        {
            "pid": r["pid"],
            "name": r["name"],
            "brand": r["brand"],
            "category": r["category"],
            "subcategory": r["subcategory"],
            "lowest_price": yuan(lows[r["pid"]]),
            "platforms": platforms.get(r["pid"], []),
        }
        for r in shown
    ]
    return {"total": len(rows), "products": found}


@env.read(intents=["where is the {pid} sold and for how much?", "show me every listing of {pid}"])
def get_pid_pos_details(ctx: ToolContext, pid: str) -> ProductDetails:
    """Get a product and its listings (positions) on every platform: seller, official store, price, member price,
    shipping, stock and monthly sales.

    Args:
        pid: The tracker's product id, from search_products.
    """
    product = _product(ctx, pid)
    return {
        "pid": product["pid"],
        "name": product["name"],
        "brand": product["brand"],
        "category": product["category"],
        "subcategory": product["subcategory"],
        "positions": [_position(listing) for listing in _listings(ctx, product["pid"])],
    }


@env.read(intents=["where is {pid} cheapest once coupons and shipping are counted?"])
def compare_price(
    ctx: ToolContext, pid: str, member: bool = False, platform: PlatformCode | None = None
) -> PriceComparison:
    """Compare what a product really costs on each platform: price plus shipping minus the best coupon that
    applies today, cheapest first (listings out of stock last). The cheapest is the cheapest in stock.

    Args:
        pid: The tracker's product id.
        member: True if the shopper is a member of the platforms' programs (JD PLUS, 88VIP...): member prices apply.
        platform: Optionally only this platform's listing: jd, tmall, taobao, pdd or suning.
    """
    product = _product(ctx, pid)
    today = ctx.now.date()
    offers: list[Offer] = []
    listings = [x for x in _listings(ctx, product["pid"]) if platform is None or x["platform"] == platform]
    if not listings:
        raise DomainError(f"{product['name']} has no listing on {PLATFORMS.get(str(platform), platform)}.")
    for listing in listings:
        price = listing["price_fen"]
        if member and listing["member_price_fen"] is not None:
            price = min(price, listing["member_price_fen"])
        coupon = best_coupon(_coupons(ctx, listing, product["category"]), price, today)
        offers.append({
            "pos_id": listing["pos_id"],
            "platform": listing["platform"],
            "platform_name": PLATFORMS[listing["platform"]],
            "seller": listing["seller"],
            "official_store": bool(listing["official_store"]),
            "in_stock": bool(listing["in_stock"]),
            "price": yuan(price),
            "shipping": yuan(listing["shipping_fen"]),
            "coupon": str(coupon["title"]) if coupon else None,
            "coupon_discount": yuan(int(coupon["discount_fen"])) if coupon else 0.0,
            "effective_price": yuan(effective_fen(price, listing["shipping_fen"], coupon)),
        })  # fmt: skip
    offers.sort(key=lambda o: (not o["in_stock"], o["effective_price"], o["pos_id"]))
    best = offers[0] if offers[0]["in_stock"] else None
    return {
        "pid": product["pid"],
        "name": product["name"],
        "member_prices_used": member,
        "offers": offers,
        "cheapest_pos_id": best["pos_id"] if best else None,
        "cheapest_platform": best["platform"] if best else None,
        "cheapest_effective_price": best["effective_price"] if best else None,
    }


# --------------------------------------------------------------------------------------------------
# Price history and statistics
# --------------------------------------------------------------------------------------------------


@env.read(intents=["is the price of {pos_id} going up or down lately?", "price trend of {pos_id} over {days} days"])
def price_trend(ctx: ToolContext, pos_id: str, days: int = 30) -> TrendView:
    """Whether a listing's price is rising, falling or stable: today's price against the price ``days`` ago
    (a move of more than 3% either way is a trend), with the lowest and highest in between.

    Args:
        pos_id: The listing id, from get_pid_pos_details.
        days: The period in days, counting today (2-180).
    """
    listing = _listing(ctx, pos_id)
    if days < 2:
        raise DomainError("A trend needs a period of at least 2 days.")
    series = _series(ctx, listing["pos_id"], _days(days))
    start_day, start = series[0]
    label, change = trend(start, listing["price_fen"])
    return {
        "pos_id": listing["pos_id"],
        "platform": listing["platform"],
        "days": days,
        "start_date": start_day.isoformat(),
        "start_price": yuan(start),
        "current_price": yuan(listing["price_fen"]),
        "change_percent": change,
        "trend": label,
        "lowest_price": yuan(min(p for _, p in series)),
        "highest_price": yuan(max(p for _, p in series)),
    }


@env.read(intents=["has {pos_id} been cheaper in the last {days} days?", "price history of {pos_id}"])
def get_price_history(ctx: ToolContext, pos_id: str, days: int = 90) -> PriceHistory:
    """A listing's daily price over the last ``days`` days as runs of days at one price (oldest first), with the
    lowest price and when it held, the highest, and the day-weighted average.

    Args:
        pos_id: The listing id, from get_pid_pos_details.
        days: How many days back, counting today (1-180; the tracker keeps 180 days).
    """
    listing = _listing(ctx, pos_id)
    series = _series(ctx, listing["pos_id"], _days(days))
    runs = segments(series)
    low = min(p for _, p in series)

    def run(first: dt.date, last: dt.date, price: int) -> PriceRun:
        return {"from_date": first.isoformat(), "to_date": last.isoformat(), "price": yuan(price)}

    return {
        "pos_id": listing["pos_id"],
        "platform": listing["platform"],
        "from_date": series[0][0].isoformat(),
        "to_date": series[-1][0].isoformat(),
        "current_price": yuan(listing["price_fen"]),
        "lowest_price": yuan(low),
        "lowest_periods": [run(*r) for r in runs if r[2] == low],
        "highest_price": yuan(max(p for _, p in series)),
        "average_price": round(sum(p for _, p in series) / len(series) / 100, 2),
        "changes": [run(*r) for r in runs],
    }


@env.read(intents=["is now a good time to buy {pos_id}?"])
def get_buy_advice(ctx: ToolContext, pos_id: str) -> BuyAdvice:
    """Whether now is a good time to buy a listing: today's price against its 90-day low and average.

    Args:
        pos_id: The listing id, from get_pid_pos_details.
    """
    listing = _listing(ctx, pos_id)
    series = _series(ctx, listing["pos_id"], LOW_WINDOW_DAYS)
    low = min(p for _, p in series)
    average = sum(p for _, p in series) / len(series)
    current = listing["price_fen"]
    last_low = max(day for day, p in series if p == low)
    if current <= low * (1 + GOOD_DEAL_MARGIN):
        verdict, reason = "good_time", "Today's price is at or within 3% of its 90-day low."
    elif current > average:
        verdict, reason = "wait", "Today's price is above its 90-day average; it has been much lower."
    else:
        verdict, reason = "fair", "Today's price is below its 90-day average but above its 90-day low."
    return {
        "pos_id": listing["pos_id"],
        "platform": listing["platform"],
        "current_price": yuan(current),
        "low_90_days": yuan(low),
        "last_at_low_on": last_low.isoformat(),
        "average_90_days": round(average / 100, 2),
        "verdict": verdict,
        "reason": reason,
    }


@env.read(intents=["what coupons are there for {pos_id}?", "any discounts on {pos_id} right now?"])
def get_discount_info(ctx: ToolContext, pos_id: str) -> DiscountInfo:
    """The discounts on a listing: its member price, and every coupon for it or platform-wide (valid, upcoming
    or recently expired), whether each applies to today's price, and the price after the best one with shipping.

    Args:
        pos_id: The listing id, from get_pid_pos_details.
    """
    listing = _listing(ctx, pos_id)
    product = _product(ctx, listing["pid"])
    today = ctx.now.date()
    coupons = _coupons(ctx, listing, product["category"])
    best = best_coupon(coupons, listing["price_fen"], today)
    views: list[CouponView] = []
    for coupon in coupons:
        state = coupon_state(coupon, today)
        if coupon["pos_id"] is not None:
            scope = "this listing"
        else:
            scope = f"{PLATFORMS[coupon['platform']]}-wide" + (f", {coupon['category']}" if coupon["category"] else "")
        views.append({
            "coupon_id": coupon["coupon_id"],
            "title": coupon["title"],
            "scope": scope,
            "threshold": yuan(coupon["threshold_fen"]),
            "discount": yuan(coupon["discount_fen"]),
            "starts_on": coupon["starts_on"],
            "ends_on": coupon["ends_on"],
            "status": state,
            "applies_now": state == "valid" and listing["price_fen"] >= coupon["threshold_fen"],
        })  # fmt: skip
    member = listing["member_price_fen"]
    return {
        "pos_id": listing["pos_id"],
        "platform": listing["platform"],
        "price": yuan(listing["price_fen"]),
        "member_price": yuan(member) if member is not None else None,
        "member_program": MEMBER_PROGRAMS[listing["platform"]] if member is not None else None,
        "shipping": yuan(listing["shipping_fen"]),
        "coupons": views,
        "best_coupon_id": str(best["coupon_id"]) if best else None,
        "effective_price": yuan(effective_fen(listing["price_fen"], listing["shipping_fen"], best)),
    }


# --------------------------------------------------------------------------------------------------
# Price alerts
# --------------------------------------------------------------------------------------------------


@env.read(intents=["which price alerts do I have? ({user_id})", "what am I watching?"])
def list_price_alerts(ctx: ToolContext, user_id: str, status: AlertStatus | None = None) -> list[AlertView]:
    """List the user's price alerts with each listing's current price, newest first.

    Args:
        user_id: The tracker account id, such as 'MM4820171'.
        status: Optional filter: active (still waiting) or triggered (the price reached the target).
    """
    user = _user(ctx, user_id)
    where: dict[str, object] = {"user_id": user["user_id"]}
    if status is not None:
        where["status"] = status
    alerts = ctx.rows(PriceAlert).find(where, order_by=["-created_at", "alert_id"], limit=MAX_PAGE)
    return [_alert_view(ctx, a) for a in alerts]


@env.write(intents=["tell me when {pos_id} drops below {target_price}", "watch {pos_id} for me"])
def create_price_alert(
    ctx: ToolContext, user_id: str, pos_id: str, target_price: float, channel: Channel = "app_push"
) -> AlertView:
    """Watch a listing: the user is notified on the channel once its price falls to the target or below.

    Args:
        user_id: The tracker account id.
        pos_id: The listing id, from get_pid_pos_details.
        target_price: The price to wait for, in yuan; must be below the listing's current price.
        channel: How to notify: app_push, sms, email (needs an email on file) or wechat (needs a bound WeChat).
    """
    user = _user(ctx, user_id)
    listing = _listing(ctx, pos_id)
    target = _yuan_to_fen(target_price, "target price")
    _check_channel(user, channel)
    existing = ctx.rows(PriceAlert).first({"user_id": user["user_id"], "pos_id": listing["pos_id"]})
    if existing is not None:
        raise DomainError(
            f"You already have alert {existing['alert_id']} on this listing (target "
            f"¥{yuan(existing['target_price_fen']):,g}); update it instead."
        )
    _check_target(listing, target)
    _check_alert_room(ctx, user)
    alert = ctx.rows(PriceAlert).insert(
        alert_id=f"PA{ctx.new_id(8, '0123456789')}",
        user_id=user["user_id"],
        pos_id=listing["pos_id"],
        target_price_fen=target,
        channel=channel,
        status="active",
        created_at=_stamp(ctx.now),
        triggered_at=None,
    )
    return _alert_view(ctx, alert)


@env.write(intents=["change my alert {alert_id} to {target_price}", "send alert {alert_id} by {channel} instead"])
def update_price_alert(
    ctx: ToolContext, user_id: str, alert_id: str, target_price: float | None = None, channel: Channel | None = None
) -> AlertView:
    """Change an alert's target price or channel. A triggered alert is re-armed by giving it a new target.

    Args:
        user_id: The tracker account id.
        alert_id: The alert id, from list_price_alerts.
        target_price: A new target in yuan, below the listing's current price; omit to keep the target.
        channel: A new channel: app_push, sms, email or wechat; omit to keep the channel.
    """
    user, alert = _own_alert(ctx, user_id, alert_id)
    if target_price is None and channel is None:
        raise DomainError("Give a new target price or a new channel.")
    listing = _listing(ctx, alert["pos_id"])
    changes: dict[str, Any] = {}
    if channel is not None:
        _check_channel(user, channel)
        changes["channel"] = channel
    if target_price is not None:
        target = _yuan_to_fen(target_price, "target price")
        _check_target(listing, target)
        changes["target_price_fen"] = target
        if alert["status"] == "triggered":
            _check_alert_room(ctx, user)
            changes.update(status="active", triggered_at=None)
    elif alert["status"] == "triggered":
        raise DomainError(f"Alert {alert['alert_id']} has already gone off; give it a new target to re-arm it.")
    if all(alert[k] == v for k, v in changes.items()):
        raise DomainError(f"Alert {alert['alert_id']} already has those settings.")
    ctx.rows(PriceAlert).update(alert["alert_id"], **changes)
    return _alert_view(ctx, {**alert, **changes})


@env.write(intents=["stop watching {alert_id}", "delete my price alert {alert_id}"])
def delete_price_alert(ctx: ToolContext, user_id: str, alert_id: str) -> dict[str, str]:
    """Delete one of the user's price alerts (active or triggered).

    Args:
        user_id: The tracker account id.
        alert_id: The alert id, from list_price_alerts.
    """
    _, alert = _own_alert(ctx, user_id, alert_id)
    ctx.rows(PriceAlert).delete(alert["alert_id"])
    return {"alert_id": alert["alert_id"], "status": "deleted"}


# --------------------------------------------------------------------------------------------------
# Saved comparisons
# --------------------------------------------------------------------------------------------------


@env.read(intents=["show my saved comparisons ({user_id})"])
def list_comparisons(ctx: ToolContext, user_id: str) -> list[ComparisonView]:
    """List the user's saved comparisons with each product's lowest current price, newest first.

    Args:
        user_id: The tracker account id.
    """
    user = _user(ctx, user_id)
    rows = ctx.rows(Comparison).find({"user_id": user["user_id"]}, order_by=["-created_at", "comparison_id"])
    return [_comparison_view(ctx, r) for r in rows]


@env.write(intents=["save a comparison called {name}", "keep these products side by side as {name}"])
def save_comparison(ctx: ToolContext, user_id: str, name: str, pids: list[str]) -> ComparisonView:
    """Save products side by side under a name (2 to 6 different products; at most 10 comparisons per user).

    Args:
        user_id: The tracker account id.
        name: A name for the comparison, unique among the user's (up to 40 characters).
        pids: The product ids to compare, in display order.
    """
    user = _user(ctx, user_id)
    label = name.strip()
    if not label or len(label) > 40:
        raise DomainError("Give the comparison a name of up to 40 characters.")
    wanted = [pid.strip() for pid in pids]
    low, high = COMPARISON_SIZE
    if len(set(wanted)) != len(wanted):
        raise DomainError("A product appears twice in the comparison.")
    if not low <= len(wanted) <= high:
        raise DomainError(f"A comparison holds {low} to {high} products; got {len(wanted)}.")
    for pid in wanted:
        _product(ctx, pid)
    mine = ctx.rows(Comparison).find({"user_id": user["user_id"]})
    if any(c["name"].lower() == label.lower() for c in mine):
        raise DomainError(f"You already have a comparison named {label!r}; choose another name.")
    if len(mine) >= MAX_COMPARISONS:
        raise DomainError(f"You can keep {MAX_COMPARISONS} comparisons; delete one first.")
    comparison = ctx.rows(Comparison).insert(
        comparison_id=f"CMP{ctx.new_id(7, '0123456789')}", user_id=user["user_id"], name=label,
        created_at=_stamp(ctx.now),
    )  # fmt: skip
    for position, pid in enumerate(wanted):
        ctx.rows(ComparisonItem).add(comparison_id=comparison["comparison_id"], pid=pid, position=position)
    return _comparison_view(ctx, comparison)


@env.write(intents=["delete my comparison {comparison_id}"])
def delete_comparison(ctx: ToolContext, user_id: str, comparison_id: str) -> dict[str, str]:
    """Delete one of the user's saved comparisons.

    Args:
        user_id: The tracker account id.
        comparison_id: The comparison id, from list_comparisons.
    """
    user = _user(ctx, user_id)
    comparison = ctx.rows(Comparison).get(comparison_id.strip().upper())
    if comparison is None or comparison["user_id"] != user["user_id"]:
        raise DomainError(f"You have no saved comparison {comparison_id!r}.")
    for item in ctx.rows(ComparisonItem).find({"comparison_id": comparison["comparison_id"]}):
        ctx.rows(ComparisonItem).delete(item["comparison_id"], item["pid"])
    ctx.rows(Comparison).delete(comparison["comparison_id"])
    return {"comparison_id": comparison["comparison_id"], "status": "deleted"}


# --------------------------------------------------------------------------------------------------
# Wrong-price reports
# --------------------------------------------------------------------------------------------------


@env.write(intents=["the price of {pos_id} is wrong, it's {seen_price} on the app"])
def report_wrong_price(ctx: ToolContext, user_id: str, pos_id: str, seen_price: float, note: str = "") -> ReportView:
    """Report that a listing's tracked price is wrong, giving the price seen on the platform.

    Args:
        user_id: The tracker account id.
        pos_id: The listing id, from get_pid_pos_details.
        seen_price: The price the platform actually shows, in yuan.
        note: Optional details for the data team (up to 200 characters).
    """
    user = _user(ctx, user_id)
    listing = _listing(ctx, pos_id)
    seen = _yuan_to_fen(seen_price, "price you saw")
    if len(note) > 200:
        raise DomainError("A note is limited to 200 characters.")
    if seen == listing["price_fen"]:
        raise DomainError(
            f"The tracked price is already ¥{yuan(seen):,g}, the same as the one you saw: nothing to correct."
        )
    mine = {"user_id": user["user_id"], "pos_id": listing["pos_id"], "status": "pending"}
    pending = ctx.rows(PriceReport).first(mine)
    if pending is not None:
        raise DomainError(f"Your report {pending['report_id']} on this listing is still being checked.")
    report = ctx.rows(PriceReport).insert(
        report_id=f"RP{ctx.new_id(8, '0123456789')}", user_id=user["user_id"], pos_id=listing["pos_id"],
        tracked_price_fen=listing["price_fen"], seen_price_fen=seen, note=note.strip(), status="pending",
        created_at=_stamp(ctx.now),
    )  # fmt: skip
    return {
        "report_id": report["report_id"],
        "pos_id": report["pos_id"],
        "tracked_price": yuan(report["tracked_price_fen"]),
        "seen_price": yuan(report["seen_price_fen"]),
        "note": report["note"],
        "status": report["status"],
        "created_at": report["created_at"],
    }
