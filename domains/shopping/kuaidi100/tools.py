"""The tools an agent calls: Kuaidi100's tracking, estimate, subscription, saved-parcel and pickup API."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    FINAL_STATES,
    MAX_PAGE,
    MAX_SAVED_PARCELS,
    PICKUP_DAYS_AHEAD,
    PICKUP_SLOTS,
    STATES,
    Courier,
    KdUser,
    Parcel,
    ParcelState,
    PickupOrder,
    PickupStatus,
    SavedParcel,
    Subscription,
    Tariff,
)
from .rules import (
    arrival,
    billable_weight,
    departure,
    matches_format,
    price_fen,
    zone_between,
)

MAX_ACTIVE_PICKUPS = 5
PHONE = re.compile(r"1[3-9]\d{9}")


class CourierView(TypedDict):
    com: str
    name: str
    format_hint: str
    phone_required: bool
    max_weight_kg: float
    hotline: str


class DetectedCourier(TypedDict):
    com: str
    name: str


class TraceEventView(TypedDict):
    time: str
    location: str
    context: str


class TraceView(TypedDict):
    com: str
    courier_name: str
    num: str
    state: str
    state_code: str
    state_text: str
    is_signed: bool
    from_city: str
    to_city: str
    events: list[TraceEventView]


class TimeEstimate(TypedDict):
    com: str
    courier_name: str
    from_city: str
    to_city: str
    zone: str
    departs_at: str
    transit_hours: int
    estimated_arrival: str


class PriceQuote(TypedDict):
    com: str
    courier_name: str
    zone: str
    first_weight_kg: float
    first_weight_fen: int
    additional_fen_per_kg: int
    billable_weight_kg: float
    price_fen: int
    transit_hours: int


class SavedParcelView(TypedDict):
    num: str
    com: str
    courier_name: str
    note: str
    state: str
    state_text: str
    last_update: str
    last_location: str
    last_context: str


class SavedParcelPage(TypedDict):
    total: int
    parcels: list[SavedParcelView]


class SubscriptionView(TypedDict):
    subscription_id: str
    num: str
    com: str
    callback_url: str
    status: str
    created_at: str


class PickupView(TypedDict):
    order_id: str
    com: str
    courier_name: str
    status: str
    sender_address: str
    from_city: str
    receiver_name: str
    receiver_phone: str
    receiver_address: str
    to_city: str
    item: str
    weight_kg: float
    pickup_date: str
    pickup_slot: str
    estimated_fen: int
    tracking_num: str | None


class PickupPage(TypedDict):
    total: int
    orders: list[PickupView]


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError(f"limit must be between 1 and {MAX_PAGE}.")
    if offset < 0:
        raise DomainError("offset cannot be negative.")


def _courier(ctx: ToolContext, com: str) -> dict[str, Any]:
    courier = ctx.rows(Courier).get(com.strip().lower())
    if courier is None:
        known = ", ".join(c["com"] for c in ctx.rows(Courier).find({}, order_by=["com"]))
        raise DomainError(f"Unknown courier code {com!r}. Known codes: {known}.")
    return courier


def _city(ctx: ToolContext, name: str, what: str) -> dict[str, Any]:
    wanted = name.strip().lower()
    found = ctx.query("SELECT * FROM cities WHERE lower(city) = ?", [wanted])
    if not found:
        raise DomainError(f"The {what} {name!r} is not a city Kuaidi100 has tariffs for.")
    return found[0]


def _user(ctx: ToolContext, user_id: str) -> dict[str, Any]:
    return ctx.rows(KdUser).require(user_id.strip(), missing=f"There is no Kuaidi100 account {user_id!r}.")


def _checked_number(courier: dict[str, Any], num: str) -> str:
    num = num.strip().upper()
    if not matches_format(courier, num):
        raise DomainError(f"{num!r} is not a valid {courier['name']} tracking number ({courier['format_hint']}).")
    return num


def _parcel(ctx: ToolContext, com: str, num: str, phone: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The parcel behind a courier code and number, with the phone check SF Express requires."""
    courier = _courier(ctx, com)
    num = _checked_number(courier, num)
    parcel = ctx.rows(Parcel).get(num)
    if parcel is None or parcel["com"] != courier["com"]:
        raise DomainError(f"{courier['name']} has no trace for {num} yet; check the number and the courier.")
    if phone is not None and courier["phone_required"]:
        digits = phone.strip()
        if not digits:
            raise DomainError(
                f"{courier['name']} only shows traces with the last 4 digits of the sender's or recipient's phone."
            )
        if not re.fullmatch(r"\d{4}", digits):
            raise DomainError("Give exactly the last 4 digits of the phone number.")
        if digits not in (parcel["sender_phone"][-4:], parcel["receiver_phone"][-4:]):
            raise DomainError(f"The phone digits do not match the sender or recipient of {num}.")
    return courier, parcel


def _events(ctx: ToolContext, num: str) -> list[dict[str, Any]]:
    return ctx.query(
        "SELECT time, location, context FROM trace_events WHERE num = ? ORDER BY time DESC, event_id DESC", [num]
    )


def _tariff(ctx: ToolContext, courier: dict[str, Any], zone: str) -> dict[str, Any]:
    tariff = ctx.rows(Tariff).get(courier["com"], zone)
    if tariff is None:
        raise DomainError(f"{courier['name']} does not deliver on {zone.replace('_', ' ')} routes like this one.")
    return tariff


def _weight(courier: dict[str, Any], weight_kg: float) -> None:
    if not 0.1 <= weight_kg <= float(courier["max_weight_kg"]):
        raise DomainError(
            f"{courier['name']} takes parcels from 0.1 kg up to {courier['max_weight_kg']:g} kg; got {weight_kg:g} kg."
        )


def _quote(courier: dict[str, Any], tariff: dict[str, Any], zone: str, weight_kg: float) -> PriceQuote:
    return {
        "com": courier["com"],
        "courier_name": courier["name"],
        "zone": zone,
        "first_weight_kg": tariff["first_weight_kg"],
        "first_weight_fen": tariff["first_weight_fen"],
        "additional_fen_per_kg": tariff["additional_fen_per_kg"],
        "billable_weight_kg": billable_weight(weight_kg, float(tariff["first_weight_kg"])),
        "price_fen": price_fen(tariff, weight_kg),
        "transit_hours": tariff["transit_hours"],
    }


def _courier_names(ctx: ToolContext) -> dict[str, str]:
    return {c["com"]: c["name"] for c in ctx.rows(Courier).find({})}


def _pickup_view(ctx: ToolContext, order: dict[str, Any]) -> PickupView:
    view = {key: order[key] for key in PickupView.__annotations__ if key in order}
    view["courier_name"] = _courier_names(ctx)[order["com"]]
    return view  # type: ignore[return-value]


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(sep=" ", timespec="seconds")


# --------------------------------------------------------------------------------------------------
# Tracking
# --------------------------------------------------------------------------------------------------


@env.read(intents=["which couriers can you track?"])
def list_couriers(ctx: ToolContext) -> list[CourierView]:
    """List the courier companies the service tracks: their codes, tracking-number formats and weight limits."""
    return [
        {
            "com": c["com"],
            "name": c["name"],
            "format_hint": c["format_hint"],
            "phone_required": bool(c["phone_required"]),
            "max_weight_kg": c["max_weight_kg"],
            "hotline": c["hotline"],
        }
        for c in ctx.rows(Courier).find({}, order_by=["com"])
    ]


@env.read(intents=["which courier is the tracking number {num}?", "I don't know who is delivering {num}"])
def auto_detect_courier(ctx: ToolContext, num: str) -> list[DetectedCourier]:
    """Guess the courier company from a tracking number's format; an empty list when none matches.

    Args:
        num: The tracking number, such as 'SF1234567890123'.
    """
    cleaned = num.strip().upper()
    if not 6 <= len(cleaned) <= 20 or not cleaned.isalnum():
        raise DomainError("A tracking number is 6 to 20 letters and digits.")
    return [
        {"com": c["com"], "name": c["name"]}
        for c in ctx.rows(Courier).find({}, order_by=["com"])
        if matches_format(c, cleaned)
    ]


@env.read(intents=["where is my {com} parcel {num}?", "track {num}"])
def query_trace(ctx: ToolContext, com: str, num: str, phone: str = "") -> TraceView:
    """Get a parcel's current state and its full trace, newest event first.

    Args:
        com: The courier company code, such as 'zhongtong' (see list_couriers or auto_detect_courier).
        num: The tracking number.
        phone: The last 4 digits of the sender's or recipient's phone; required for SF Express.
    """
    courier, parcel = _parcel(ctx, com, num, phone)
    code, text = STATES[parcel["state"]]
    return {
        "com": courier["com"],
        "courier_name": courier["name"],
        "num": parcel["num"],
        "state": parcel["state"],
        "state_code": code,
        "state_text": text,
        "is_signed": parcel["state"] == "signed",
        "from_city": parcel["from_city"],
        "to_city": parcel["to_city"],
        "events": _events(ctx, parcel["num"]),  # type: ignore[typeddict-item]
    }


# --------------------------------------------------------------------------------------------------
# Estimates
# --------------------------------------------------------------------------------------------------


@env.read(intents=["when would a {com} parcel from {from_city} to {to_city} arrive?"])
def estimate_time(ctx: ToolContext, com: str, from_city: str, to_city: str, send_time: str = "") -> TimeEstimate:
    """Estimate when a parcel sent with a courier between two cities will be delivered.

    Args:
        com: The courier company code.
        from_city: The city it is sent from, such as 'Hangzhou'.
        to_city: The destination city.
        send_time: When it is handed over, 'YYYY-MM-DD HH:MM'; empty for now. After 18:00 it leaves next morning.
    """
    courier = _courier(ctx, com)
    origin, destination = _city(ctx, from_city, "origin"), _city(ctx, to_city, "destination")
    zone = zone_between(origin, destination)
    tariff = _tariff(ctx, courier, zone)
    if send_time.strip():
        try:
            sent = dt.datetime.strptime(send_time.strip(), "%Y-%m-%d %H:%M")
        except ValueError:
            raise DomainError(f"send_time must look like '2025-06-12 15:30'; got {send_time!r}.") from None
        if sent < ctx.now - dt.timedelta(minutes=1):
            raise DomainError("send_time is in the past.")
    else:
        sent = ctx.now
    return {
        "com": courier["com"],
        "courier_name": courier["name"],
        "from_city": origin["city"],
        "to_city": destination["city"],
        "zone": zone,
        "departs_at": _stamp(departure(sent)),
        "transit_hours": tariff["transit_hours"],
        "estimated_arrival": _stamp(arrival(sent, int(tariff["transit_hours"]))),
    }


@env.read(
    intents=[
        "how much to send {weight_kg} kg from {from_city} to {to_city}?",
        "which courier is cheapest from {from_city} to {to_city}?",
    ]
)
def estimate_price(ctx: ToolContext, from_city: str, to_city: str, weight_kg: float, com: str = "") -> list[PriceQuote]:
    """Price a parcel between two cities with each courier's tariff, cheapest first (or one courier's price).

    Args:
        from_city: The city it is sent from.
        to_city: The destination city.
        weight_kg: The parcel's weight in kilograms; billed in whole kilograms, rounded up.
        com: One courier company code; empty to compare every courier that serves the route.
    """
    origin, destination = _city(ctx, from_city, "origin"), _city(ctx, to_city, "destination")
    zone = zone_between(origin, destination)
    if weight_kg <= 0:
        raise DomainError("The weight must be positive.")
    if com.strip():
        courier = _courier(ctx, com)
        _weight(courier, weight_kg)
        return [_quote(courier, _tariff(ctx, courier, zone), zone, weight_kg)]
    quotes = []
    for courier in ctx.rows(Courier).find({}, order_by=["com"]):
        tariff = ctx.rows(Tariff).get(courier["com"], zone)
        if tariff is not None and 0.1 <= weight_kg <= float(courier["max_weight_kg"]):
            quotes.append(_quote(courier, tariff, zone, weight_kg))
    if not quotes:
        raise DomainError(f"No courier takes a {weight_kg:g} kg parcel from {origin['city']} to {destination['city']}.")
    quotes.sort(key=lambda q: (q["price_fen"], q["transit_hours"], q["com"]))
    return quotes


# --------------------------------------------------------------------------------------------------
# Saved parcels
# --------------------------------------------------------------------------------------------------


@env.read(intents=["show my saved parcels ({user_id})", "which of my parcels are {state}?"])
def list_saved_parcels(
    ctx: ToolContext, user_id: str, state: ParcelState | None = None, limit: int = 20, offset: int = 0
) -> SavedParcelPage:
    """List the parcels on the user's "My parcels" list with their notes and latest update, newest update first.

    Args:
        user_id: The Kuaidi100 account id, such as 'U300101'.
        state: Optional filter: collected, in_transit, out_for_delivery, signed, problem, returning or returned.
        limit: Maximum number of parcels to return (1-50).
        offset: Number of parcels to skip, for paging.
    """
    _page(limit, offset)
    _user(ctx, user_id)
    sql = (
        "SELECT s.num, p.com, s.note, p.state, e.time, e.location, e.context FROM saved_parcels s "
        "JOIN parcels p ON p.num = s.num JOIN trace_events e ON e.event_id = "
        "(SELECT event_id FROM trace_events x WHERE x.num = s.num ORDER BY x.time DESC, x.event_id DESC LIMIT 1) "
        "WHERE s.user_id = ?"
    )
    params: list[object] = [user_id.strip()]
    if state is not None:
        sql += " AND p.state = ?"
        params.append(state)
    rows = ctx.query(sql + " ORDER BY e.time DESC, s.num", params)
    names = _courier_names(ctx)
    parcels: list[SavedParcelView] = [
        {
            "num": r["num"],
            "com": r["com"],
            "courier_name": names[r["com"]],
            "note": r["note"],
            "state": r["state"],
            "state_text": STATES[r["state"]][1],
            "last_update": r["time"],
            "last_location": r["location"],
            "last_context": r["context"],
        }
        for r in rows
    ]
    return {"total": len(parcels), "parcels": parcels[offset : offset + limit]}


@env.write(intents=["save {num} to my parcels with the note {note}", "keep track of my {com} parcel {num}"])
def save_parcel(ctx: ToolContext, user_id: str, com: str, num: str, note: str = "") -> SavedParcelView:
    """Add a parcel to the user's "My parcels" list, optionally with a note (up to 100 characters).

    Args:
        user_id: The Kuaidi100 account id.
        com: The courier company code.
        num: The tracking number.
        note: A note to recognise the parcel by, such as 'Birthday gift for Mum'.
    """
    _user(ctx, user_id)
    courier, parcel = _parcel(ctx, com, num)
    if len(note) > 100:
        raise DomainError("A note is limited to 100 characters.")
    saved = ctx.rows(SavedParcel)
    if saved.get(user_id.strip(), parcel["num"]) is not None:
        raise DomainError(f"{parcel['num']} is already on your parcel list.")
    if saved.count({"user_id": user_id.strip()}) >= MAX_SAVED_PARCELS:
        raise DomainError(f"Your parcel list is full ({MAX_SAVED_PARCELS}); remove one first.")
    saved.add(user_id=user_id.strip(), num=parcel["num"], note=note.strip(), saved_at=_stamp(ctx.now))
    last = _events(ctx, parcel["num"])[0]
    return {
        "num": parcel["num"],
        "com": courier["com"],
        "courier_name": courier["name"],
        "note": note.strip(),
        "state": parcel["state"],
        "state_text": STATES[parcel["state"]][1],
        "last_update": last["time"],
        "last_location": last["location"],
        "last_context": last["context"],
    }


@env.write(intents=["change the note on {num} to {note}"])
def update_parcel_note(ctx: ToolContext, user_id: str, num: str, note: str) -> dict[str, str]:
    """Change the note of a parcel on the user's list.

    Args:
        user_id: The Kuaidi100 account id.
        num: The tracking number of a saved parcel.
        note: The new note (up to 100 characters; empty to clear it).
    """
    _user(ctx, user_id)
    key = (user_id.strip(), num.strip().upper())
    saved = ctx.rows(SavedParcel).require(*key, missing=f"{num} is not on your parcel list.")
    if len(note) > 100:
        raise DomainError("A note is limited to 100 characters.")
    if saved["note"] == note.strip():
        raise DomainError(f"The note on {num} is already {note.strip()!r}.")
    ctx.rows(SavedParcel).update(key, note=note.strip())
    return {"num": key[1], "note": note.strip()}


@env.write(intents=["remove {num} from my parcels"])
def remove_saved_parcel(ctx: ToolContext, user_id: str, num: str) -> dict[str, str]:
    """Remove a parcel from the user's list (its trace and any subscription are not affected).

    Args:
        user_id: The Kuaidi100 account id.
        num: The tracking number of a saved parcel.
    """
    _user(ctx, user_id)
    key = (user_id.strip(), num.strip().upper())
    ctx.rows(SavedParcel).require(*key, missing=f"{num} is not on your parcel list.")
    ctx.rows(SavedParcel).delete(*key)
    return {"num": key[1], "status": "removed"}


# --------------------------------------------------------------------------------------------------
# Tracking pushes
# --------------------------------------------------------------------------------------------------


@env.read(intents=["which parcels am I getting updates for? ({user_id})"])
def list_subscriptions(ctx: ToolContext, user_id: str, include_ended: bool = False) -> list[SubscriptionView]:
    """List the user's tracking push subscriptions, newest first.

    Args:
        user_id: The Kuaidi100 account id.
        include_ended: Also list cancelled subscriptions and those finished because the parcel was delivered.
    """
    _user(ctx, user_id)
    where: dict[str, object] = {"user_id": user_id.strip()}
    if not include_ended:
        where["status"] = "active"
    rows = ctx.rows(Subscription).find(where, order_by=["-created_at", "subscription_id"], limit=MAX_PAGE)
    return [{k: r[k] for k in SubscriptionView.__annotations__} for r in rows]  # type: ignore[misc]


@env.write(intents=["send updates on {num} to {callback_url}", "notify me whenever {num} moves"])
def subscribe_tracking(
    ctx: ToolContext, user_id: str, com: str, num: str, callback_url: str, phone: str = ""
) -> SubscriptionView:
    """Subscribe to a parcel's tracking pushes: every new trace event is posted to the callback URL.

    Args:
        user_id: The Kuaidi100 account id.
        com: The courier company code.
        num: The tracking number.
        callback_url: The http(s) URL that receives the pushes.
        phone: The last 4 digits of the sender's or recipient's phone; required for SF Express.
    """
    _user(ctx, user_id)
    courier, parcel = _parcel(ctx, com, num, phone)
    url = callback_url.strip()
    if not re.fullmatch(r"https?://[\w.-]+\.[a-z]{2,}(/[\w./%-]*)?", url):
        raise DomainError(f"{callback_url!r} is not an http(s) URL the service can post to.")
    if parcel["state"] in FINAL_STATES:
        raise DomainError(
            f"{parcel['num']} is already {STATES[parcel['state']][1].lower()}: tracking has ended, so there is "
            "nothing more to push."
        )
    active = ctx.rows(Subscription).first({"user_id": user_id.strip(), "num": parcel["num"], "status": "active"})
    if active is not None:
        raise DomainError(f"You are already subscribed to {parcel['num']} ({active['subscription_id']}).")
    row = ctx.rows(Subscription).insert(
        subscription_id=f"SUB{ctx.new_id(8, '0123456789')}",
        user_id=user_id.strip(),
        num=parcel["num"],
        com=courier["com"],
        callback_url=url,
        status="active",
        created_at=_stamp(ctx.now),
    )
    return {k: row[k] for k in SubscriptionView.__annotations__}  # type: ignore[return-value]


@env.write(intents=["stop the updates I get for that parcel", "cancel subscription {subscription_id}"])
def unsubscribe_tracking(ctx: ToolContext, subscription_id: str) -> SubscriptionView:
    """Cancel an active tracking push subscription.

    Args:
        subscription_id: The subscription id, from list_subscriptions.
    """
    row = ctx.rows(Subscription).require(
        subscription_id.strip().upper(), missing=f"There is no subscription {subscription_id}."
    )
    if row["status"] != "active":
        raise DomainError(f"Subscription {row['subscription_id']} is already {row['status']}.")
    ctx.rows(Subscription).update(row["subscription_id"], status="cancelled")
    return {**{k: row[k] for k in SubscriptionView.__annotations__}, "status": "cancelled"}  # type: ignore[typeddict-item]


# --------------------------------------------------------------------------------------------------
# Pickup orders
# --------------------------------------------------------------------------------------------------


@env.read(intents=["show my pickup orders ({user_id})", "which pickups have I booked?"])
def list_pickup_orders(
    ctx: ToolContext, user_id: str, status: PickupStatus | None = None, limit: int = 20, offset: int = 0
) -> PickupPage:
    """List the user's courier pickup orders, latest pickup date first.

    Args:
        user_id: The Kuaidi100 account id.
        status: Optional filter: awaiting_pickup, collected or cancelled.
        limit: Maximum number of orders to return (1-50).
        offset: Number of orders to skip, for paging.
    """
    _page(limit, offset)
    _user(ctx, user_id)
    where: dict[str, object] = {"user_id": user_id.strip()}
    if status is not None:
        where["status"] = status
    table = ctx.rows(PickupOrder)
    rows = table.find(where, order_by=["-pickup_date", "-pickup_slot", "order_id"], limit=limit, offset=offset)
    return {"total": table.count(where), "orders": [_pickup_view(ctx, r) for r in rows]}


@env.write(intents=["have {com} pick up a parcel for {receiver_name} in {to_city} on {pickup_date}"])
def create_pickup_order(
    ctx: ToolContext,
    user_id: str,
    com: str,
    receiver_name: str,
    receiver_phone: str,
    receiver_address: str,
    to_city: str,
    item: str,
    weight_kg: float,
    pickup_date: str,
    pickup_slot: str,
) -> PickupView:
    """Book a courier to collect a parcel from the account's saved address; the price is the tariff estimate.

    Args:
        user_id: The Kuaidi100 account id (the parcel is collected from its saved address and city).
        com: The courier company code.
        receiver_name: The recipient's name.
        receiver_phone: The recipient's 11-digit mobile number.
        receiver_address: The recipient's street address.
        to_city: The recipient's city.
        item: What is inside, such as 'documents' or 'clothes'.
        weight_kg: The estimated weight in kilograms.
        pickup_date: 'YYYY-MM-DD': today or one of the next 3 days.
        pickup_slot: A 2-hour slot: '09:00-11:00', '11:00-13:00', '13:00-15:00', '15:00-17:00' or '17:00-19:00'.
    """
    user = _user(ctx, user_id)
    courier = _courier(ctx, com)
    origin = _city(ctx, user["city"], "origin")
    destination = _city(ctx, to_city, "destination")
    zone = zone_between(origin, destination)
    tariff = _tariff(ctx, courier, zone)
    _weight(courier, weight_kg)
    if not PHONE.fullmatch(receiver_phone.strip()):
        raise DomainError("The recipient's phone must be an 11-digit mobile number starting with 1.")
    for value, what, size in ((receiver_name, "recipient's name", 40), (receiver_address, "address", 120),
                              (item, "item description", 40)):  # fmt: skip
        if not value.strip() or len(value) > size:
            raise DomainError(f"Give the {what} (up to {size} characters).")
    try:
        day = dt.date.fromisoformat(pickup_date.strip())
    except ValueError:
        raise DomainError(f"pickup_date must be YYYY-MM-DD; got {pickup_date!r}.") from None
    today = ctx.now.date()
    if not today <= day <= today + dt.timedelta(days=PICKUP_DAYS_AHEAD):
        raise DomainError(f"Pickups can be booked from {today} to {today + dt.timedelta(days=PICKUP_DAYS_AHEAD)}.")
    if pickup_slot not in PICKUP_SLOTS:
        raise DomainError(f"pickup_slot must be one of {', '.join(PICKUP_SLOTS)}.")
    starts = dt.datetime.combine(day, dt.time.fromisoformat(pickup_slot[:5]))
    if starts <= ctx.now:
        raise DomainError(f"The {pickup_slot} slot on {day} has already started; choose a later one.")
    if ctx.rows(PickupOrder).count({"user_id": user["user_id"], "status": "awaiting_pickup"}) >= MAX_ACTIVE_PICKUPS:
        raise DomainError(f"You already have {MAX_ACTIVE_PICKUPS} pickups waiting; cancel one or wait for them.")
    order = ctx.rows(PickupOrder).insert(
        order_id=f"KD{ctx.now:%y%m%d}{ctx.new_id(6, '0123456789')}",
        user_id=user["user_id"],
        com=courier["com"],
        sender_address=user["address"],
        from_city=origin["city"],
        receiver_name=receiver_name.strip(),
        receiver_phone=receiver_phone.strip(),
        receiver_address=receiver_address.strip(),
        to_city=destination["city"],
        item=item.strip(),
        weight_kg=weight_kg,
        pickup_date=day.isoformat(),
        pickup_slot=pickup_slot,
        estimated_fen=price_fen(tariff, weight_kg),
        status="awaiting_pickup",
        tracking_num=None,
        created_at=_stamp(ctx.now),
        cancel_reason=None,
    )
    return _pickup_view(ctx, order)


@env.write(intents=["cancel my pickup {order_id}", "I don't need the courier to come any more"])
def cancel_pickup_order(ctx: ToolContext, order_id: str, reason: str = "") -> PickupView:
    """Cancel a pickup the courier has not collected yet.

    Args:
        order_id: The pickup order id, from list_pickup_orders.
        reason: Optional reason (up to 100 characters).
    """
    order = ctx.rows(PickupOrder).require(order_id.strip().upper(), missing=f"There is no pickup order {order_id}.")
    if order["status"] == "collected":
        raise DomainError(
            f"The courier already collected pickup {order['order_id']} (tracking number {order['tracking_num']}); "
            "it can no longer be cancelled."
        )
    if order["status"] == "cancelled":
        raise DomainError(f"Pickup {order['order_id']} is already cancelled.")
    if len(reason) > 100:
        raise DomainError("The reason is limited to 100 characters.")
    ctx.rows(PickupOrder).update(order["order_id"], status="cancelled", cancel_reason=reason.strip() or None)
    return _pickup_view(ctx, {**order, "status": "cancelled"})
