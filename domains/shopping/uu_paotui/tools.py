"""The tools an agent calls: UU Paotui's open-platform API (price tokens, orders, tips, balance, addresses)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from typing import Any

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    ACTIVE_STATES,
    MAX_PAGE,
    MAX_SAVED_ADDRESSES,
    MAX_TIP_YUAN,
    MAX_WEIGHT_KG,
    PRICE_TOKEN_MINUTES,
    RECHARGE_LIMITS,
    SCHEDULE_DAYS,
    SCHEDULE_MIN_MINUTES,
    STATES,
    AddressLabel,
    BalanceRecord,
    City,
    Coupon,
    Order,
    OrderState,
    Place,
    Runner,
    SavedAddress,
    UuUser,
)
from .rules import (
    best_coupon,
    cancellation_fee,
    coupon_discount,
    distance_fen,
    is_night,
    recharge_bonus,
    riding_km,
    weight_fen,
)

MAX_ACTIVE_ORDERS = 5
PHONE = re.compile(r"1[3-9]\d{9}")
TOKEN_PREFIX = "uupt_"


class CityFare(TypedDict):
    city_name: str
    start_fare: float
    start_km: float
    per_km: float
    per_km_beyond_10km: float
    max_km: float
    night_surcharge: float
    per_extra_kg: float
    cancel_fee: float


class PlaceView(TypedDict):
    name: str
    address: str
    district: str
    city_name: str


class PlacePage(TypedDict):
    total: int
    places: list[PlaceView]


class SavedAddressView(TypedDict):
    address_id: str
    label: str
    name: str
    address: str
    detail: str
    city_name: str
    contact_name: str
    contact_phone: str


class PriceView(TypedDict):
    price_token: str
    city_name: str
    from_address: str
    to_address: str
    distance_km: float
    pickup_time: str
    distance_fare: float
    night_surcharge: float
    weight_surcharge: float
    total_money: float
    coupon_id: str | None
    coupon_title: str | None
    coupon_discount: float
    need_paymoney: float
    expires_at: str


class RunnerView(TypedDict):
    name: str
    phone: str
    job_number: str
    rating: float


class OrderView(TypedDict):
    order_code: str
    city_name: str
    state: str
    state_code: int
    state_text: str
    from_address: str
    to_address: str
    receiver_name: str
    receiver_phone: str
    note: str
    distance_km: float
    pickup_time: str | None
    total_money: float
    coupon_discount: float
    paid_money: float
    tip: float
    runner: RunnerView | None
    created_at: str
    cancel_fee: float
    refund: float
    stars: int | None


class OrderPage(TypedDict):
    total: int
    orders: list[OrderView]


class CancelView(TypedDict):
    order_code: str
    state: str
    cancel_fee: float
    refund: float
    coupon_returned: bool
    balance: float


class TipView(TypedDict):
    order_code: str
    tip: float
    balance: float


class CouponView(TypedDict):
    coupon_id: str
    title: str
    discount: float
    min_fare: float
    city_name: str | None
    expires_at: str


class BalanceView(TypedDict):
    user_id: str
    balance: float
    coupons: list[CouponView]


class RechargeView(TypedDict):
    user_id: str
    amount: float
    bonus: float
    balance: float


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _yuan(fen: int | None) -> float:
    return round((fen or 0) / 100, 2)


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(sep=" ", timespec="seconds")


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError(f"limit must be between 1 and {MAX_PAGE}.")
    if offset < 0:
        raise DomainError("offset cannot be negative.")


def _user(ctx: ToolContext, user_id: str) -> dict[str, Any]:
    return ctx.rows(UuUser).require(user_id.strip(), missing=f"There is no UU Paotui account {user_id!r}.")


def _city(ctx: ToolContext, city_name: str) -> dict[str, Any]:
    found = ctx.query("SELECT * FROM cities WHERE lower(city_name) = ?", [city_name.strip().lower()])
    if not found:
        cities = ", ".join(c["city_name"] for c in ctx.rows(City).find({}, order_by=["city_name"]))
        raise DomainError(f"UU Paotui does not serve {city_name!r}; it serves {cities}.")
    return found[0]


def _resolve(ctx: ToolContext, city: dict[str, Any], text: str, what: str) -> dict[str, Any]:
    """A place of the city's directory named by its name or its street address (case-insensitive)."""
    wanted = text.strip().lower()
    found = ctx.query(
        "SELECT * FROM places WHERE city_name = ? AND (lower(name) = ? OR lower(address) = ?) ORDER BY place_id",
        [city["city_name"], wanted, wanted],
    )
    if not found:
        raise DomainError(
            f"The {what} {text!r} is not in the {city['city_name']} address directory; find it with search_addresses."
        )
    return found[0]


def _pickup_moment(ctx: ToolContext, pickup_time: str) -> tuple[dt.datetime, str]:
    if not pickup_time.strip():
        return ctx.now, ""
    try:
        moment = dt.datetime.strptime(pickup_time.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise DomainError(f"pickup_time must look like '2025-06-21 09:30'; got {pickup_time!r}.") from None
    if moment < ctx.now + dt.timedelta(minutes=SCHEDULE_MIN_MINUTES):
        raise DomainError(f"A scheduled pickup must be at least {SCHEDULE_MIN_MINUTES} minutes from now.")
    if moment > ctx.now + dt.timedelta(days=SCHEDULE_DAYS):
        raise DomainError(f"A pickup can be scheduled at most {SCHEDULE_DAYS} days ahead.")
    return moment, moment.strftime("%Y-%m-%d %H:%M")


def _usable_coupons(ctx: ToolContext, user_id: str, city_name: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM coupons WHERE user_id = ? AND status = 'unused' AND expires_at >= ?"
    params: list[object] = [user_id, _stamp(ctx.now)]
    if city_name is not None:
        sql += " AND (city_name IS NULL OR city_name = ?)"
        params.append(city_name)
    return ctx.query(sql + " ORDER BY expires_at, coupon_id", params)


def _price(
    ctx: ToolContext,
    user: dict[str, Any],
    city: dict[str, Any],
    origin: dict[str, Any],
    destination: dict[str, Any],
    weight_kg: float,
    moment: dt.datetime,
    use_coupon: bool,
) -> dict[str, Any]:
    if not 0 < weight_kg <= MAX_WEIGHT_KG:
        raise DomainError(f"Runners carry goods up to {MAX_WEIGHT_KG} kg; got {weight_kg:g} kg.")
    km = riding_km(origin, destination)
    if km < 0.3:
        raise DomainError("The pickup and delivery addresses are the same place.")
    if km > float(city["max_km"]):
        raise DomainError(f"{km} km is beyond the {city['max_km']:g} km UU Paotui covers in {city['city_name']}.")
    distance = distance_fen(city, km)
    night = int(city["night_fen"]) if is_night(moment) else 0
    weight = weight_fen(city, weight_kg)
    total = distance + night + weight
    coupon = best_coupon(_usable_coupons(ctx, user["user_id"], city["city_name"]), total) if use_coupon else None
    discount = coupon_discount(coupon, total) if coupon else 0
    return {"km": km, "distance": distance, "night": night, "weight": weight, "total": total, "coupon": coupon,
            "discount": discount}  # fmt: skip


def _encode_token(claims: dict[str, Any]) -> str:
    body = base64.urlsafe_b64encode(json.dumps(claims, sort_keys=True, separators=(",", ":")).encode()).decode()
    digest = hashlib.sha256(body.encode()).hexdigest()[:10]
    return f"{TOKEN_PREFIX}{body.rstrip('=')}.{digest}"


def _decode_token(token: str) -> dict[str, Any]:
    invalid = DomainError("That price token is not valid; get a new one with estimate_price.")
    text = token.strip()
    if not text.startswith(TOKEN_PREFIX) or "." not in text:
        raise invalid
    body, digest = text[len(TOKEN_PREFIX) :].rsplit(".", 1)
    if hashlib.sha256((body + "=" * (-len(body) % 4)).encode()).hexdigest()[:10] != digest:
        raise invalid
    try:
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, UnicodeDecodeError):
        raise invalid from None
    if not isinstance(claims, dict) or set(claims) != {"u", "c", "f", "t", "w", "p", "k", "at"}:
        raise invalid
    texts = all(isinstance(claims[key], str) for key in ("u", "c", "f", "t", "p", "at"))
    if not texts or not isinstance(claims["k"], bool) or not isinstance(claims["w"], int | float):
        raise invalid
    try:
        dt.datetime.fromisoformat(claims["at"])
        if claims["p"]:
            dt.datetime.strptime(claims["p"], "%Y-%m-%d %H:%M")
    except ValueError:
        raise invalid from None
    return claims


def _runner_view(ctx: ToolContext, runner_id: str | None) -> RunnerView | None:
    if runner_id is None:
        return None
    runner = ctx.rows(Runner).get(runner_id)
    return {k: runner[k] for k in RunnerView.__annotations__} if runner else None  # type: ignore[return-value]


def _order_view(ctx: ToolContext, order: dict[str, Any]) -> OrderView:
    code, text = STATES[order["state"]]
    return {
        "order_code": order["order_code"],
        "city_name": order["city_name"],
        "state": order["state"],
        "state_code": code,
        "state_text": text,
        "from_address": order["from_name"],
        "to_address": order["to_name"],
        "receiver_name": order["receiver_name"],
        "receiver_phone": order["receiver_phone"],
        "note": order["note"],
        "distance_km": order["distance_km"],
        "pickup_time": order["pickup_time"],
        "total_money": _yuan(order["total_fen"]),
        "coupon_discount": _yuan(order["discount_fen"]),
        "paid_money": _yuan(order["paid_fen"]),
        "tip": _yuan(order["tip_fen"]),
        "runner": _runner_view(ctx, order["runner_id"]),
        "created_at": order["created_at"],
        "cancel_fee": _yuan(order["cancel_fee_fen"]),
        "refund": _yuan(order["refund_fen"]),
        "stars": order["stars"],
    }


def _order(ctx: ToolContext, order_code: str) -> dict[str, Any]:
    return ctx.rows(Order).require(order_code.strip().upper(), missing=f"There is no order {order_code}.")


def _move_money(ctx: ToolContext, user: dict[str, Any], kind: str, amount_fen: int, order_code: str | None) -> int:
    balance = int(user["balance_fen"]) + amount_fen
    ctx.rows(UuUser).update(user["user_id"], balance_fen=balance)
    ctx.rows(BalanceRecord).add(
        record_id=f"BR{ctx.new_id(10, '0123456789')}",
        user_id=user["user_id"],
        kind=kind,
        amount_fen=amount_fen,
        order_code=order_code,
        created_at=_stamp(ctx.now),
    )
    user["balance_fen"] = balance
    return balance


def _address_view(ctx: ToolContext, row: dict[str, Any]) -> SavedAddressView:
    place = ctx.rows(Place).get(row["place_id"]) or {}
    return {
        "address_id": row["address_id"],
        "label": row["label"],
        "name": place.get("name", ""),
        "address": place.get("address", ""),
        "detail": row["detail"],
        "city_name": place.get("city_name", ""),
        "contact_name": row["contact_name"],
        "contact_phone": row["contact_phone"],
    }


# --------------------------------------------------------------------------------------------------
# Cities and addresses
# --------------------------------------------------------------------------------------------------


@env.read(intents=["which cities does UU Paotui serve?", "how are deliveries priced in each city?"])
def get_city_list(ctx: ToolContext) -> list[CityFare]:
    """List the cities served with their fare rules, in yuan."""
    return [
        {
            "city_name": c["city_name"],
            "start_fare": _yuan(c["start_fen"]),
            "start_km": c["start_km"],
            "per_km": _yuan(c["per_km_fen"]),
            "per_km_beyond_10km": _yuan(c["long_per_km_fen"]),
            "max_km": c["max_km"],
            "night_surcharge": _yuan(c["night_fen"]),
            "per_extra_kg": _yuan(c["per_extra_kg_fen"]),
            "cancel_fee": _yuan(c["cancel_fee_fen"]),
        }
        for c in ctx.rows(City).find({}, order_by=["city_name"])
    ]


@env.read(intents=["find {keyword} in {city_name}", "what's the address of {keyword}?"])
def search_addresses(ctx: ToolContext, city_name: str, keyword: str, limit: int = 10, offset: int = 0) -> PlacePage:
    """Search a city's address directory by words of a place's name or street address.

    Args:
        city_name: The city, such as 'Zhengzhou'.
        keyword: Words to look for, such as 'Luckin Erqi' or 'Huayuan Road'.
        limit: Maximum number of places to return (1-50).
        offset: Number of places to skip, for paging.
    """
    _page(limit, offset)
    city = _city(ctx, city_name)
    words = keyword.split()
    if not words:
        raise DomainError("Give a keyword to search for.")
    sql = "SELECT name, address, district, city_name FROM places WHERE city_name = ?"
    params: list[object] = [city["city_name"]]
    for word in words:
        sql += " AND (name LIKE ? OR address LIKE ?)"
        params += [f"%{word}%", f"%{word}%"]
    found = ctx.query(sql + " ORDER BY name", params)
    return {"total": len(found), "places": found[offset : offset + limit]}  # type: ignore[typeddict-item]


@env.read(intents=["show my saved addresses ({user_id})"])
def list_addresses(ctx: ToolContext, user_id: str) -> list[SavedAddressView]:
    """List the user's saved addresses (home, office, shop...) with their contact.

    Args:
        user_id: The UU Paotui account id, such as 'uu810000'.
    """
    _user(ctx, user_id)
    rows = ctx.rows(SavedAddress).find({"user_id": user_id.strip()}, order_by=["label", "address_id"])
    return [_address_view(ctx, r) for r in rows]


@env.write(intents=["save {place_name} as my {label} address"])
def add_address(
    ctx: ToolContext,
    user_id: str,
    label: AddressLabel,
    city_name: str,
    place_name: str,
    detail: str,
    contact_name: str,
    contact_phone: str,
) -> SavedAddressView:
    """Save an address from the city's directory under a label; home, office, shop and school are one each.

    Args:
        user_id: The UU Paotui account id.
        label: 'home', 'office', 'shop', 'school' or 'other'.
        city_name: The city of the address.
        place_name: The place's name (or street address) from the directory.
        detail: Building, floor or room, such as 'Building 3, Room 1202'.
        contact_name: Who to ask for there.
        contact_phone: Their 11-digit mobile number.
    """
    user = _user(ctx, user_id)
    place = _resolve(ctx, _city(ctx, city_name), place_name, "address")
    table = ctx.rows(SavedAddress)
    if label != "other" and table.first({"user_id": user["user_id"], "label": label}) is not None:
        raise DomainError(f"You already have a {label} address; delete it before saving another.")
    if table.count({"user_id": user["user_id"]}) >= MAX_SAVED_ADDRESSES:
        raise DomainError(f"You can save at most {MAX_SAVED_ADDRESSES} addresses.")
    if not PHONE.fullmatch(contact_phone.strip()):
        raise DomainError("The contact phone must be an 11-digit mobile number starting with 1.")
    if not contact_name.strip() or len(contact_name) > 40 or len(detail) > 60:
        raise DomainError("Give a contact name (up to 40 characters) and a detail of up to 60 characters.")
    row = table.insert(
        address_id=f"A{ctx.new_id(8, '0123456789')}",
        user_id=user["user_id"],
        label=label,
        place_id=place["place_id"],
        detail=detail.strip(),
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
    )
    return _address_view(ctx, row)


@env.write(intents=["delete my {address_id} address"])
def delete_address(ctx: ToolContext, user_id: str, address_id: str) -> dict[str, str]:
    """Delete one of the user's saved addresses.

    Args:
        user_id: The UU Paotui account id.
        address_id: The saved address id, from list_addresses.
    """
    _user(ctx, user_id)
    row = ctx.rows(SavedAddress).get(address_id.strip().upper())
    if row is None or row["user_id"] != user_id.strip():
        raise DomainError(f"You have no saved address {address_id}.")
    ctx.rows(SavedAddress).delete(row["address_id"])
    return {"address_id": row["address_id"], "status": "deleted"}


# --------------------------------------------------------------------------------------------------
# Prices and orders
# --------------------------------------------------------------------------------------------------


@env.read(
    intents=[
        "how much to send something from {from_address} to {to_address} in {city_name}?",
        "price a delivery to {to_address}",
    ]
)
def estimate_price(
    ctx: ToolContext,
    user_id: str,
    city_name: str,
    from_address: str,
    to_address: str,
    goods_weight_kg: float = 1.0,
    pickup_time: str = "",
    use_coupon: bool = True,
) -> PriceView:
    """Price a same-city delivery and get the price token that create_order needs (valid 20 minutes).

    Args:
        user_id: The UU Paotui account id (its best usable coupon is applied).
        city_name: The city, such as 'Zhengzhou'.
        from_address: Where the runner picks up: a place name or street address from the directory.
        to_address: Where the runner delivers: a place name or street address from the directory.
        goods_weight_kg: The goods' weight in kg (up to 30); each kg over 5 adds a surcharge.
        pickup_time: A scheduled pickup, 'YYYY-MM-DD HH:MM', 30 minutes to 2 days ahead; empty for now.
        use_coupon: Whether to apply the best usable coupon.
    """
    user = _user(ctx, user_id)
    city = _city(ctx, city_name)
    origin = _resolve(ctx, city, from_address, "pickup address")
    destination = _resolve(ctx, city, to_address, "delivery address")
    moment, scheduled = _pickup_moment(ctx, pickup_time)
    price = _price(ctx, user, city, origin, destination, goods_weight_kg, moment, use_coupon)
    coupon = price["coupon"]
    claims = {"u": user["user_id"], "c": city["city_name"], "f": origin["place_id"], "t": destination["place_id"],
              "w": goods_weight_kg, "p": scheduled, "k": bool(use_coupon), "at": _stamp(ctx.now)}  # fmt: skip
    return {
        "price_token": _encode_token(claims),
        "city_name": city["city_name"],
        "from_address": origin["name"],
        "to_address": destination["name"],
        "distance_km": price["km"],
        "pickup_time": scheduled or "now",
        "distance_fare": _yuan(price["distance"]),
        "night_surcharge": _yuan(price["night"]),
        "weight_surcharge": _yuan(price["weight"]),
        "total_money": _yuan(price["total"]),
        "coupon_id": coupon["coupon_id"] if coupon else None,
        "coupon_title": coupon["title"] if coupon else None,
        "coupon_discount": _yuan(price["discount"]),
        "need_paymoney": _yuan(price["total"] - price["discount"]),
        "expires_at": _stamp(ctx.now + dt.timedelta(minutes=PRICE_TOKEN_MINUTES)),
    }


@env.write(intents=["send it to {receiver_name}, {receiver_phone}", "book the runner with price token {price_token}"])
def create_order(
    ctx: ToolContext, price_token: str, receiver_name: str, receiver_phone: str, note: str = ""
) -> OrderView:
    """Place an order from a price token; the amount due is paid from the account balance.

    Args:
        price_token: The token estimate_price returned (valid 20 minutes, usable once).
        receiver_name: Who receives the goods.
        receiver_phone: The receiver's 11-digit mobile number.
        note: Instructions for the runner (up to 100 characters), such as 'Cake, keep it level'.
    """
    claims = _decode_token(price_token)
    issued = dt.datetime.fromisoformat(claims["at"])
    if issued > ctx.now:
        raise DomainError("That price token is not valid; get a new one with estimate_price.")
    if ctx.now > issued + dt.timedelta(minutes=PRICE_TOKEN_MINUTES):
        raise DomainError("That price token has expired; get a new estimate.")
    if ctx.rows(Order).first({"price_token": price_token.strip()}) is not None:
        raise DomainError("That price token was already used for an order; get a new estimate.")
    user = _user(ctx, claims["u"])
    if not receiver_name.strip() or len(receiver_name) > 40:
        raise DomainError("Give the receiver's name (up to 40 characters).")
    if not PHONE.fullmatch(receiver_phone.strip()):
        raise DomainError("The receiver's phone must be an 11-digit mobile number starting with 1.")
    if len(note) > 100:
        raise DomainError("The note is limited to 100 characters.")
    placeholders = ",".join("?" for _ in ACTIVE_STATES)
    active = ctx.query(
        f"SELECT COUNT(*) AS n FROM orders WHERE user_id = ? AND state IN ({placeholders})",
        [user["user_id"], *ACTIVE_STATES],
    )[0]["n"]
    if active >= MAX_ACTIVE_ORDERS:
        raise DomainError(f"You already have {MAX_ACTIVE_ORDERS} orders under way; wait for one to finish.")
    city = _city(ctx, claims["c"])
    origin = ctx.rows(Place).require(claims["f"], missing="The pickup address no longer exists.")
    destination = ctx.rows(Place).require(claims["t"], missing="The delivery address no longer exists.")
    if origin["city_name"] != city["city_name"] or destination["city_name"] != city["city_name"]:
        # Tokens come from estimate_price; one that names places of another city was not made by it.
        raise DomainError("That price token is not valid; get a new one with estimate_price.")
    moment = _pickup_moment(ctx, claims["p"])[0] if claims["p"] else issued
    price = _price(ctx, user, city, origin, destination, float(claims["w"]), moment, bool(claims["k"]))
    pay = price["total"] - price["discount"]
    if int(user["balance_fen"]) < pay:
        raise DomainError(
            f"Your balance is ¥{_yuan(user['balance_fen']):.2f} but the order costs ¥{_yuan(pay):.2f}; recharge first."
        )
    code = f"U{ctx.now:%y%m%d%H%M}{ctx.new_id(5, '0123456789')}"
    if price["coupon"]:
        ctx.rows(Coupon).update(price["coupon"]["coupon_id"], status="used")
    _move_money(ctx, user, "payment", -pay, code)
    order = ctx.rows(Order).insert(
        order_code=code,
        price_token=price_token.strip(),
        user_id=user["user_id"],
        city_name=city["city_name"],
        from_place_id=origin["place_id"],
        from_name=origin["name"],
        to_place_id=destination["place_id"],
        to_name=destination["name"],
        receiver_name=receiver_name.strip(),
        receiver_phone=receiver_phone.strip(),
        note=note.strip(),
        distance_km=price["km"],
        goods_weight_kg=float(claims["w"]),
        pickup_time=claims["p"] or None,
        total_fen=price["total"],
        discount_fen=price["discount"],
        coupon_id=price["coupon"]["coupon_id"] if price["coupon"] else None,
        paid_fen=pay,
        tip_fen=0,
        state="awaiting_pickup",
        runner_id=None,
        created_at=_stamp(ctx.now),
        accepted_at=None,
        finished_at=None,
        cancel_fee_fen=0,
        refund_fen=0,
        cancel_reason=None,
        stars=None,
        comment=None,
    )
    return _order_view(ctx, order)


@env.read(intents=["show my UU orders ({user_id})", "list my {state} errands"])
def list_orders(
    ctx: ToolContext, user_id: str, state: OrderState | None = None, limit: int = 10, offset: int = 0
) -> OrderPage:
    """List the user's orders, newest first, optionally in one state only.

    Args:
        user_id: The UU Paotui account id.
        state: Optional filter: awaiting_pickup, runner_assigned, picked_up, delivered or cancelled.
        limit: Maximum number of orders to return (1-50).
        offset: Number of orders to skip, for paging.
    """
    _page(limit, offset)
    _user(ctx, user_id)
    where: dict[str, object] = {"user_id": user_id.strip()}
    if state is not None:
        where["state"] = state
    table = ctx.rows(Order)
    rows = table.find(where, order_by=["-created_at", "order_code"], limit=limit, offset=offset)
    return {"total": table.count(where), "orders": [_order_view(ctx, r) for r in rows]}


@env.read(intents=["what's happening with order {order_code}?", "who is delivering {order_code}?"])
def query_order(ctx: ToolContext, order_code: str) -> OrderView:
    """Get an order's state, fare, tip and runner (name, phone, job number).

    Args:
        order_code: The order code, such as 'U250620211512345'.
    """
    return _order_view(ctx, _order(ctx, order_code))


@env.write(intents=["cancel order {order_code}", "I don't need that delivery any more"])
def cancel_order(ctx: ToolContext, order_code: str, reason: str = "") -> CancelView:
    """Cancel an order that has not been picked up; free until a runner accepts, then the city's fee is kept.

    Args:
        order_code: The order code.
        reason: Optional reason (up to 100 characters).
    """
    order = _order(ctx, order_code)
    state = order["state"]
    if state == "picked_up":
        raise DomainError(
            f"Order {order['order_code']} has already been picked up and cannot be cancelled; call the runner."
        )
    if state in ("delivered", "cancelled"):
        raise DomainError(f"Order {order['order_code']} is already {state}.")
    if len(reason) > 100:
        raise DomainError("The reason is limited to 100 characters.")
    city = _city(ctx, order["city_name"])
    fee = cancellation_fee(order, city)
    refund = int(order["paid_fen"]) + int(order["tip_fen"]) - fee
    coupon_returned = bool(order["coupon_id"]) and fee == 0
    if coupon_returned:
        ctx.rows(Coupon).update(order["coupon_id"], status="unused")
    user = _user(ctx, order["user_id"])
    balance = _move_money(ctx, user, "refund", refund, order["order_code"]) if refund else int(user["balance_fen"])
    ctx.rows(Order).update(
        order["order_code"],
        state="cancelled",
        cancel_fee_fen=fee,
        refund_fen=refund,
        cancel_reason=reason.strip() or None,
        finished_at=_stamp(ctx.now),
    )
    return {
        "order_code": order["order_code"],
        "state": "cancelled",
        "cancel_fee": _yuan(fee),
        "refund": _yuan(refund),
        "coupon_returned": coupon_returned,
        "balance": _yuan(balance),
    }


@env.write(intents=["add a {tip} yuan tip to {order_code}", "nobody has taken my order, offer more money"])
def add_tip(ctx: ToolContext, order_code: str, tip: int) -> TipView:
    """Add a tip in whole yuan to an order not yet picked up, paid from the balance (200 yuan at most per order).

    Args:
        order_code: The order code.
        tip: The tip to add, in whole yuan (1-200).
    """
    order = _order(ctx, order_code)
    if order["state"] not in ("awaiting_pickup", "runner_assigned"):
        raise DomainError(f"Tips can only be added before pickup; order {order['order_code']} is {order['state']}.")
    if tip < 1:
        raise DomainError("A tip is at least 1 yuan.")
    total_tip = int(order["tip_fen"]) + tip * 100
    if total_tip > MAX_TIP_YUAN * 100:
        raise DomainError(
            f"Tips are limited to ¥{MAX_TIP_YUAN} per order; this one already has ¥{_yuan(order['tip_fen']):g}."
        )
    user = _user(ctx, order["user_id"])
    if int(user["balance_fen"]) < tip * 100:
        raise DomainError(f"Your balance of ¥{_yuan(user['balance_fen']):.2f} does not cover a ¥{tip} tip.")
    balance = _move_money(ctx, user, "tip", -tip * 100, order["order_code"])
    ctx.rows(Order).update(order["order_code"], tip_fen=total_tip)
    return {"order_code": order["order_code"], "tip": _yuan(total_tip), "balance": _yuan(balance)}


@env.write(intents=["rate my delivery {order_code} {stars} stars"])
def evaluate_order(ctx: ToolContext, order_code: str, stars: int, comment: str = "") -> OrderView:
    """Rate a delivered order 1-5 stars, once; the runner's rating follows.

    Args:
        order_code: The order code.
        stars: 1 to 5.
        comment: Optional comment (up to 200 characters).
    """
    order = _order(ctx, order_code)
    if order["state"] != "delivered":
        raise DomainError(f"Only delivered orders can be rated; order {order['order_code']} is {order['state']}.")
    if order["stars"] is not None:
        raise DomainError(f"Order {order['order_code']} was already rated {order['stars']} stars.")
    if not 1 <= stars <= 5:
        raise DomainError("The rating must be 1 to 5 stars.")
    if len(comment) > 200:
        raise DomainError("The comment is limited to 200 characters.")
    ctx.rows(Order).update(order["order_code"], stars=stars, comment=comment.strip() or None)
    runner = ctx.rows(Runner).get(order["runner_id"]) if order["runner_id"] else None
    if runner is not None:
        # A rolling average over the runner's last 50 rated errands.
        ctx.rows(Runner).update(runner["runner_id"], rating=round((runner["rating"] * 49 + stars) / 50, 2))
    return _order_view(ctx, _order(ctx, order_code))


# --------------------------------------------------------------------------------------------------
# Balance
# --------------------------------------------------------------------------------------------------


@env.read(intents=["how much money is in my UU account? ({user_id})", "which coupons do I have?"])
def get_balance(ctx: ToolContext, user_id: str) -> BalanceView:
    """Get the account balance and the coupons still usable.

    Args:
        user_id: The UU Paotui account id.
    """
    user = _user(ctx, user_id)
    coupons: list[CouponView] = [
        {
            "coupon_id": c["coupon_id"],
            "title": c["title"],
            "discount": _yuan(c["discount_fen"]),
            "min_fare": _yuan(c["min_fare_fen"]),
            "city_name": c["city_name"],
            "expires_at": c["expires_at"],
        }
        for c in _usable_coupons(ctx, user["user_id"])
    ]
    return {"user_id": user["user_id"], "balance": _yuan(user["balance_fen"]), "coupons": coupons}


@env.write(intents=["top up my account with {amount} yuan", "recharge {amount} yuan"])
def recharge(ctx: ToolContext, user_id: str, amount: int) -> RechargeView:
    """Top up the balance by a whole number of yuan (10-5000); 100, 200 and 500 yuan or more earn 5, 15 and 50 yuan.

    Args:
        user_id: The UU Paotui account id.
        amount: Yuan to add, a whole number from 10 to 5000.
    """
    user = _user(ctx, user_id)
    low, high = RECHARGE_LIMITS
    if not low <= amount <= high:
        raise DomainError(f"A recharge is {low} to {high} yuan.")
    _move_money(ctx, user, "recharge", amount * 100, None)
    bonus = recharge_bonus(amount)
    if bonus:
        _move_money(ctx, user, "bonus", bonus, None)
    return {
        "user_id": user["user_id"],
        "amount": float(amount),
        "bonus": _yuan(bonus),
        "balance": _yuan(user["balance_fen"]),
    }
