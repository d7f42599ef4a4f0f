"""The tools an agent calls (the API reference a model sees), with their typed views and helpers."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    FARES,
    MAX_PASSENGERS_PER_ORDER,
    MAX_SAVED_PASSENGERS,
    SALES_CLOSE_MINUTES,
    SEAT_NAMES,
    Account,
    Passenger,
    PassengerType,
    SeatInventory,
    SeatType,
    Station,
    Ticket,
    TicketOrder,
    Train,
)
from .seed import (
    ChangeView,
    OrderPage,
    OrderView,
    PassengerView,
    RefundView,
    RouteStop,
    SeatOffer,
    StationView,
    TicketSearch,
    TrainOffer,
    TrainRoute,
    _clock,
    _depart_of,
    _journeys,
    _order_view,
    _page,
    _release_seat,
    _require_owned_ticket,
    _sale_date,
    _station,
    _take_seat,
    _ticket_view,
    _times,
    _train_stops,
    fare,
    id_check_digit,
    refund_fee,
    ticket_type_for,
)

# --------------------------------------------------------------------------------------------------
# Tools: stations and timetables
# --------------------------------------------------------------------------------------------------


@env.read(intents=["which railway stations does {city} have", "what are the station codes in {city}"])
def get_stations_code_in_city(ctx: ToolContext, city: str) -> list[StationView]:
    """List every railway station of a city with its telecode (city names in Chinese, such as '北京', or pinyin).

    Args:
        city: The city, such as '上海' or 'shanghai'.
    """
    text = city.strip()
    rows = ctx.query(
        "SELECT station_code, station_name, station_pinyin, city FROM stations WHERE city = ? "
        "OR city = (SELECT city FROM stations WHERE station_pinyin = lower(?)) ORDER BY station_code",
        [text, text],
    )
    if not rows:
        raise DomainError(f"No railway stations found for the city {city!r}.")
    return rows  # type: ignore[return-value]


@env.read(intents=["what is the telecode of {station_name} station"])
def get_station_code_by_name(ctx: ToolContext, station_name: str) -> StationView:
    """Find a station's telecode from its exact name, such as '北京南' (or its pinyin, 'beijingnan').

    Args:
        station_name: The station's name in Chinese or pinyin; a trailing '站' is ignored.
    """
    text = station_name.strip().removesuffix("站")
    row = ctx.rows(Station).first({"station_name": text}) or ctx.rows(Station).first(
        {"station_pinyin": text.lower().replace(" ", "")}
    )
    if row is None:
        raise DomainError(f"There is no station named {station_name!r}.")
    return row  # type: ignore[return-value]


@env.read(intents=["which station has the code {station_code}"])
def get_station_by_code(ctx: ToolContext, station_code: str) -> StationView:
    """Look up a station by its three-letter telecode, such as 'AOH'.

    Args:
        station_code: The station's telecode.
    """
    return _station(ctx, station_code)  # type: ignore[return-value]


@env.read(
    intents=[
        "find train tickets from {from_station_code} to {to_station_code} on {date}",
        "are there {train_filter_flags} trains from {from_station_code} to {to_station_code} on {date}",
    ]
)
def get_tickets(
    ctx: ToolContext,
    date: str,
    from_station_code: str,
    to_station_code: str,
    train_filter_flags: str = "",
    sort_flag: Literal["", "start_time", "arrive_time", "duration"] = "",
    limit: int = 20,
    offset: int = 0,
) -> TicketSearch:
    """Search the trains between two cities on a day, with price and tickets left per seat class.

    Every station of the departure and arrival stations' cities is searched, as on 12306.

    Args:
        date: Boarding date, YYYY-MM-DD (today up to 14 days ahead).
        from_station_code: Telecode of a departure station, such as 'VNP' (北京南).
        to_station_code: Telecode of an arrival station, such as 'AOH' (上海虹桥).
        train_filter_flags: Train types to keep, any of 'G', 'D', 'K' (such as 'GD'); empty for all.
        sort_flag: 'start_time' (default order), 'arrive_time' or 'duration'.
        limit: Maximum number of trains to return (1-50).
        offset: Number of trains to skip, for paging.
    """
    _page(limit, offset)
    day = _sale_date(ctx, date)
    origin, destination = _station(ctx, from_station_code), _station(ctx, to_station_code)
    if origin["city"] == destination["city"]:
        raise DomainError("The departure and arrival stations are in the same city.")
    flags = train_filter_flags.upper().replace(",", "").strip()
    if any(f not in "GDK" for f in flags):
        raise DomainError("train_filter_flags may only contain G, D and K.")
    names = {r["station_code"]: r["station_name"] for r in ctx.query("SELECT station_code, station_name FROM stations")}
    offers: list[TrainOffer] = []
    for journey in _journeys(ctx, None, origin["city"], destination["city"]):
        if flags and journey["train_type"] not in flags:
            continue
        service_date, depart, arrive = _times(journey, day)
        seats: list[SeatOffer] = []
        for stock in ctx.rows(SeatInventory).find(
            {"train_code": journey["train_code"], "service_date": service_date.isoformat()}
        ):
            seats.append(
                {
                    "seat_type": stock["seat_type"],
                    "seat_name": SEAT_NAMES[stock["seat_type"]],
                    "price": fare(str(journey["train_type"]), stock["seat_type"], int(journey["km"]), "adult"),
                    "remaining": stock["remaining"]
                    if depart > ctx.now + dt.timedelta(minutes=SALES_CLOSE_MINUTES)
                    else 0,
                }
            )
        if not seats:
            continue  # the train does not run that day within the sale window
        offers.append(
            {
                "train_code": str(journey["train_code"]),
                "train_type": str(journey["train_type"]),
                "from_station_code": str(journey["from_code"]),
                "from_station_name": names[journey["from_code"]],
                "to_station_code": str(journey["to_code"]),
                "to_station_name": names[journey["to_code"]],
                "depart_time": depart.strftime("%Y-%m-%d %H:%M"),
                "arrive_time": arrive.strftime("%Y-%m-%d %H:%M"),
                "duration_minutes": int((arrive - depart).total_seconds() // 60),
                "distance_km": int(journey["km"]),  # type: ignore[call-overload]
                "seats": seats,
            }
        )
    key = {
        "": lambda o: (o["depart_time"], o["train_code"]),
        "start_time": lambda o: (o["depart_time"], o["train_code"]),
        "arrive_time": lambda o: (o["arrive_time"], o["train_code"]),
        "duration": lambda o: (o["duration_minutes"], o["train_code"]),
    }[sort_flag]
    offers.sort(key=key)  # type: ignore[arg-type]
    return {"date": date, "total": len(offers), "trains": offers[offset : offset + limit]}


@env.read(intents=["where does train {train_code} stop", "what is the timetable of {train_code}"])
def get_train_route_stations(ctx: ToolContext, train_code: str) -> TrainRoute:
    """Get a train's stops in order with arrival and departure times, stopover minutes and distances.

    Args:
        train_code: The train number, such as 'G5'.
    """
    code = train_code.strip().upper()
    train = ctx.rows(Train).require(code, missing=f"There is no train {train_code}.")
    start = dt.time.fromisoformat(train["start_time"])
    base = start.hour * 60 + start.minute
    names = {r["station_code"]: r["station_name"] for r in ctx.query("SELECT station_code, station_name FROM stations")}
    stops: list[RouteStop] = []
    for stop in _train_stops(ctx, code):
        arrive, depart = base + int(stop["arrive_minutes"]), base + int(stop["depart_minutes"])  # type: ignore[call-overload]
        stops.append(
            {
                "stop_index": int(stop["stop_index"]),  # type: ignore[call-overload]
                "station_code": str(stop["station_code"]),
                "station_name": names[stop["station_code"]],
                "arrive_time": _clock(arrive),
                "depart_time": _clock(depart),
                "day": depart // 1440 + 1,
                "stopover_minutes": depart - arrive,
                "distance_km": int(stop["distance_km"]),  # type: ignore[call-overload]
            }
        )
    return {"train_code": code, "train_type": train["train_type"], "stops": stops}


# --------------------------------------------------------------------------------------------------
# Tools: passengers
# --------------------------------------------------------------------------------------------------


@env.read(intents=["who are the passengers saved on my 12306 account {user_id}"])
def get_passengers(ctx: ToolContext, user_id: str) -> list[PassengerView]:
    """List the passengers saved on a 12306 account (needed to buy tickets for them).

    Args:
        user_id: The 12306 account's user name.
    """
    ctx.rows(Account).require(user_id, missing=f"There is no 12306 account {user_id!r}.")
    rows = ctx.rows(Passenger).find({"user_id": user_id}, order_by="passenger_id")
    return [{k: r[k] for k in PassengerView.__annotations__} for r in rows]  # type: ignore[misc]


@env.write(
    intents=[
        "add {passenger_name} (ID {id_number}, {passenger_type}) to the saved passengers of my account {user_id}",
        "on my 12306 account {user_id}, save {passenger_name} as a passenger: ID {id_number}, {passenger_type} ticket",
    ]
)
def add_passenger(
    ctx: ToolContext, user_id: str, passenger_name: str, id_number: str, passenger_type: PassengerType, phone: str = ""
) -> PassengerView:
    """Save a new passenger on a 12306 account, identified by a resident identity card number.

    Args:
        user_id: The 12306 account's user name.
        passenger_name: The passenger's name as on the identity card.
        id_number: The 18-character resident identity card number.
        passenger_type: 'adult', 'child' or 'student'.
        phone: Optional 11-digit mobile number.
    """
    ctx.rows(Account).require(user_id, missing=f"There is no 12306 account {user_id!r}.")
    number = id_number.strip().upper()
    if len(number) != 18 or not number[:17].isdigit() or id_check_digit(number[:17]) != number[17]:
        raise DomainError(f"{id_number!r} is not a valid resident identity card number (its check digit is wrong).")
    if not passenger_name.strip() or len(passenger_name.strip()) > 20:
        raise DomainError("Please give the passenger's name (up to 20 characters).")
    if phone and not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
        raise DomainError("The mobile number must be 11 digits starting with 1.")
    passengers = ctx.rows(Passenger)
    if passengers.first({"user_id": user_id, "id_number": number}) is not None:
        raise DomainError(f"A passenger with ID number {number} is already on this account.")
    if passengers.count({"user_id": user_id}) >= MAX_SAVED_PASSENGERS:
        raise DomainError(f"An account can keep at most {MAX_SAVED_PASSENGERS} passengers; remove one first.")
    row = passengers.insert(
        passenger_id=f"P{ctx.new_id(7, '0123456789')}",
        user_id=user_id,
        passenger_name=passenger_name.strip(),
        id_number=number,
        passenger_type=passenger_type,
        phone=phone,
        is_account_holder=False,
    )
    return {k: row[k] for k in PassengerView.__annotations__}  # type: ignore[return-value]


@env.write(intents=["remove {passenger_id} from my saved passengers on {user_id}"])
def remove_passenger(ctx: ToolContext, user_id: str, passenger_id: str) -> str:
    """Remove a saved passenger from an account; refused while they hold an unused ticket.

    Args:
        user_id: The 12306 account's user name.
        passenger_id: The saved passenger's id, from get_passengers.
    """
    passenger = ctx.rows(Passenger).get(passenger_id)
    if passenger is None or passenger["user_id"] != user_id:
        raise DomainError(f"Passenger {passenger_id} is not saved on account {user_id!r}.")
    if ctx.rows(Ticket).first({"passenger_id": passenger_id, "status": "paid"}) is not None:
        raise DomainError(f"{passenger['passenger_name']} still holds an unused ticket; refund or travel first.")
    if passenger["is_account_holder"]:
        raise DomainError("The account holder cannot be removed from their own passenger list.")
    ctx.rows(Passenger).delete(passenger_id)
    return f"{passenger['passenger_name']} was removed from the passengers of {user_id}."


# --------------------------------------------------------------------------------------------------
# Tools: orders
# --------------------------------------------------------------------------------------------------


@env.write(
    intents=[
        "buy {seat_type} tickets for {passenger_ids} on train {train_code} from {from_station_code} to "
        "{to_station_code} on {date} (my 12306 account is {user_id})",
        "using my account {user_id}, book {passenger_ids} on {train_code} from {from_station_code} to "
        "{to_station_code} on {date} in {seat_type}",
    ]
)
def buy_tickets(
    ctx: ToolContext,
    user_id: str,
    train_code: str,
    date: str,
    from_station_code: str,
    to_station_code: str,
    seat_type: SeatType,
    passenger_ids: list[str],
) -> OrderView:
    """Buy tickets on one train for one or more saved passengers (one order, paid at once).

    Args:
        user_id: The 12306 account's user name.
        train_code: The train number, such as 'G5'.
        date: Boarding date, YYYY-MM-DD.
        from_station_code: Telecode of the boarding station (a stop of the train).
        to_station_code: Telecode of the alighting station (a later stop of the train).
        seat_type: 'business', 'first_class' or 'second_class' on G/D trains; 'soft_sleeper', 'hard_sleeper',
            'hard_seat' or 'no_seat' on K trains.
        passenger_ids: Ids of saved passengers of the account (1-5), from get_passengers.
    """
    ctx.rows(Account).require(user_id, missing=f"There is no 12306 account {user_id!r}.")
    code = train_code.strip().upper()
    train = ctx.rows(Train).require(code, missing=f"There is no train {train_code}.")
    day = _sale_date(ctx, date)
    if not 1 <= len(passenger_ids) <= MAX_PASSENGERS_PER_ORDER:
        raise DomainError(f"An order holds 1 to {MAX_PASSENGERS_PER_ORDER} passengers.")
    if len(set(passenger_ids)) != len(passenger_ids):
        raise DomainError("A passenger is listed twice.")
    if seat_type not in FARES[train["train_type"]]:
        raise DomainError(f"{code} is a {train['train_type']} train and has no {seat_type} seats.")
    origin, destination = _station(ctx, from_station_code), _station(ctx, to_station_code)
    journey = next(
        (
            j
            for j in _journeys(ctx, code, origin["city"], destination["city"])
            if j["from_code"] == origin["station_code"] and j["to_code"] == destination["station_code"]
        ),
        None,
    )
    if journey is None:
        raise DomainError(f"Train {code} does not run from {origin['station_name']} to {destination['station_name']}.")
    service_date, depart, arrive = _times(journey, day)
    if depart - ctx.now < dt.timedelta(minutes=SALES_CLOSE_MINUTES):
        raise DomainError(f"Ticket sales for {code} at {depart:%Y-%m-%d %H:%M} have closed.")
    people = []
    for passenger_id in passenger_ids:
        passenger = ctx.rows(Passenger).get(passenger_id)
        if passenger is None or passenger["user_id"] != user_id:
            raise DomainError(f"Passenger {passenger_id} is not saved on account {user_id!r}.")
        clash = ctx.query(
            "SELECT 1 FROM tickets WHERE passenger_id = ? AND train_code = ? AND service_date = ? AND status = 'paid'",
            [passenger_id, code, service_date.isoformat()],
        )
        if clash:
            raise DomainError(f"{passenger['passenger_name']} already has a ticket on {code} that day.")
        people.append(passenger)
    if all(p["passenger_type"] == "child" for p in people):
        raise DomainError("Child tickets must be bought together with an adult passenger in the same order.")
    seats = _take_seat(ctx, code, service_date.isoformat(), seat_type, len(people))
    order_id = f"E{ctx.new_id(9, '0123456789')}"
    total = 0
    tickets = ctx.rows(Ticket)
    for passenger, (coach, seat_number) in zip(people, seats, strict=True):
        price = fare(train["train_type"], seat_type, int(journey["km"]), passenger["passenger_type"])  # type: ignore[call-overload]
        total += price
        tickets.insert(
            ticket_id=f"T{ctx.new_id(8, '0123456789')}",
            order_id=order_id,
            passenger_id=passenger["passenger_id"],
            passenger_name=passenger["passenger_name"],
            ticket_type=ticket_type_for(passenger["passenger_type"], seat_type),
            train_code=code,
            date=date,
            service_date=service_date.isoformat(),
            from_station_code=origin["station_code"],
            to_station_code=destination["station_code"],
            depart_time=depart.strftime("%Y-%m-%d %H:%M"),
            arrive_time=arrive.strftime("%Y-%m-%d %H:%M"),
            seat_type=seat_type,
            coach=coach,
            seat_number=seat_number,
            price=price,
            status="paid",
            refund_fee=0,
            changed_from=None,
        )
    order = ctx.rows(TicketOrder).insert(
        order_id=order_id,
        user_id=user_id,
        created_at=ctx.now.isoformat(timespec="seconds"),
        total_paid=total,
        total_refunded=0,
    )
    return _order_view(ctx, order)


@env.read(intents=["show my train orders on account {user_id}", "list my upcoming train trips ({user_id})"])
def query_orders(
    ctx: ToolContext, user_id: str, upcoming_only: bool = False, limit: int = 10, offset: int = 0
) -> OrderPage:
    """List an account's ticket orders, newest first, optionally only those with an unused ticket.

    Args:
        user_id: The 12306 account's user name.
        upcoming_only: If true, only orders that still hold a paid ticket for a train not yet departed.
        limit: Maximum number of orders to return (1-50).
        offset: Number of orders to skip, for paging.
    """
    _page(limit, offset)
    ctx.rows(Account).require(user_id, missing=f"There is no 12306 account {user_id!r}.")
    condition = (
        " AND EXISTS (SELECT 1 FROM tickets t WHERE t.order_id = o.order_id AND t.status = 'paid')"
        if upcoming_only
        else ""
    )
    total = ctx.query(f"SELECT COUNT(*) AS n FROM ticket_orders o WHERE o.user_id = ?{condition}", [user_id])[0]["n"]
    rows = ctx.query(
        f"SELECT * FROM ticket_orders o WHERE o.user_id = ?{condition} ORDER BY o.created_at DESC, o.order_id "
        "LIMIT ? OFFSET ?",
        [user_id, limit, offset],
    )
    return {"total": total, "orders": [_order_view(ctx, r) for r in rows]}


@env.read(intents=["show me train order {order_id}"])
def get_order_details(ctx: ToolContext, order_id: str) -> OrderView:
    """Get one ticket order with all its tickets (seats, times, prices, statuses).

    Args:
        order_id: The order number, such as 'E123456789'.
    """
    order = ctx.rows(TicketOrder).require(order_id.strip().upper(), missing=f"There is no order {order_id}.")
    return _order_view(ctx, order)


@env.write(intents=["refund {ticket_id}", "cancel and refund {ticket_id}, the trip is off"])
def refund_ticket(ctx: ToolContext, ticket_id: str) -> RefundView:
    """Refund an unused ticket before departure, minus the 12306 refund fee for the time left.

    Args:
        ticket_id: The ticket's id, from the order's tickets.
    """
    ticket = _require_owned_ticket(ctx, ticket_id)
    price = int(ticket["price"])  # type: ignore[call-overload]
    fee = refund_fee(price, _depart_of(ticket), ctx.now)
    ctx.rows(Ticket).update(ticket_id, status="refunded", refund_fee=fee)
    _release_seat(ctx, ticket)
    order = ctx.rows(TicketOrder).get(ticket["order_id"])
    assert order is not None
    ctx.rows(TicketOrder).update(order["order_id"], total_refunded=order["total_refunded"] + price - fee)
    return {
        "ticket_id": ticket_id,
        "order_id": str(ticket["order_id"]),
        "price": price,
        "refund_fee": fee,
        "refund_amount": price - fee,
        "status": "refunded",
    }


@env.write(
    intents=[
        "change {ticket_id} to train {train_code} on {new_date}, {seat_type}",
        "move {ticket_id} to {train_code} on {new_date} in {seat_type}",
    ]
)
def change_ticket(ctx: ToolContext, ticket_id: str, train_code: str, new_date: str, seat_type: SeatType) -> ChangeView:
    """Change (改签) an unused ticket to another train between the same cities; allowed once per ticket.

    A dearer new ticket is paid for; a cheaper one refunds the difference minus the refund fee on it.
    Within 48 hours of the original departure, only trains leaving by the end of the original ticket's day
    can be chosen.

    Args:
        ticket_id: The ticket to change.
        train_code: The new train number.
        new_date: The new boarding date, YYYY-MM-DD.
        seat_type: The seat class on the new train.
    """
    ticket = _require_owned_ticket(ctx, ticket_id)
    if ticket["changed_from"] is not None:
        raise DomainError(f"Ticket {ticket_id} has already been changed once and cannot be changed again.")
    code = train_code.strip().upper()
    train = ctx.rows(Train).require(code, missing=f"There is no train {train_code}.")
    day = _sale_date(ctx, new_date)
    if seat_type not in FARES[train["train_type"]]:
        raise DomainError(f"{code} is a {train['train_type']} train and has no {seat_type} seats.")
    origin = _station(ctx, str(ticket["from_station_code"]))
    destination = _station(ctx, str(ticket["to_station_code"]))
    journey = next(iter(_journeys(ctx, code, origin["city"], destination["city"])), None)
    if journey is None:
        raise DomainError(f"Train {code} does not run from {origin['city']} to {destination['city']}.")
    service_date, depart, arrive = _times(journey, day)
    old_depart = _depart_of(ticket)
    if depart - ctx.now < dt.timedelta(minutes=SALES_CLOSE_MINUTES):
        raise DomainError(f"Ticket sales for {code} at {depart:%Y-%m-%d %H:%M} have closed.")
    if old_depart - ctx.now < dt.timedelta(hours=48):
        day_end = dt.datetime.combine(old_depart.date() + dt.timedelta(days=1), dt.time(0, 0))
        if depart >= day_end:
            raise DomainError(
                "Within 48 hours of departure a ticket can only be changed to a train leaving by the end of "
                f"{old_depart.date().isoformat()}."
            )
    if (
        code == ticket["train_code"]
        and service_date.isoformat() == ticket["service_date"]
        and (seat_type == ticket["seat_type"])
    ):
        raise DomainError("That is the same train, day and seat class as the current ticket.")
    passenger = ctx.rows(Passenger).get(ticket["passenger_id"])
    passenger_type = passenger["passenger_type"] if passenger else "adult"
    new_price = fare(train["train_type"], seat_type, int(journey["km"]), passenger_type)  # type: ignore[call-overload]
    old_price = int(ticket["price"])  # type: ignore[call-overload]
    difference = new_price - old_price
    fee = refund_fee(-difference, old_depart, ctx.now) if difference < 0 else 0
    fee = min(fee, -difference) if difference < 0 else 0
    _release_seat(ctx, ticket)
    ctx.rows(Ticket).update(ticket_id, status="changed")
    (coach, seat_number), *_ = _take_seat(ctx, code, service_date.isoformat(), seat_type, 1)
    new_ticket = ctx.rows(Ticket).insert(
        ticket_id=f"T{ctx.new_id(8, '0123456789')}",
        order_id=ticket["order_id"],
        passenger_id=ticket["passenger_id"],
        passenger_name=ticket["passenger_name"],
        ticket_type=ticket_type_for(passenger_type, seat_type),
        train_code=code,
        date=new_date,
        service_date=service_date.isoformat(),
        from_station_code=journey["from_code"],
        to_station_code=journey["to_code"],
        depart_time=depart.strftime("%Y-%m-%d %H:%M"),
        arrive_time=arrive.strftime("%Y-%m-%d %H:%M"),
        seat_type=seat_type,
        coach=coach,
        seat_number=seat_number,
        price=new_price,
        status="paid",
        refund_fee=0,
        changed_from=ticket_id,
    )
    order = ctx.rows(TicketOrder).get(ticket["order_id"])
    assert order is not None
    if difference > 0:
        ctx.rows(TicketOrder).update(order["order_id"], total_paid=order["total_paid"] + difference)
    elif difference < 0:
        ctx.rows(TicketOrder).update(order["order_id"], total_refunded=order["total_refunded"] - difference - fee)
    return {
        "old_ticket_id": ticket_id,
        "ticket": _ticket_view(new_ticket),
        "price_difference": difference,
        "change_fee": fee,
    }
