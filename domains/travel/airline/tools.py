"""The tools an agent calls (the API reference a model sees), with their typed views and helpers."""

from __future__ import annotations

import datetime as dt
import string
from collections import Counter
from typing import Any

from envfactory_gym import arithmetic
from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    BAG_PRICE,
    CABIN_LABELS,
    FLOWN_STATUSES,
    INSURANCE_PRICE,
    INSURED_REASONS,
    MAX_CERTIFICATE,
    MAX_PASSENGERS,
    PAYMENT_LABELS,
    PAYMENT_LIMITS,
    CabinClass,
    CancellationReason,
    FlightDate,
    FlightType,
    Handoff,
    Insurance,
    Payment,
    PaymentMethod,
    Reservation,
    ReservationFlight,
    ReservationPassenger,
)
from .seed import (
    AirportCode,
    DirectFlight,
    FlightInfo,
    PassengerInfo,
    PaymentInfo,
    ReservationView,
    UserView,
    _add_certificate,
    _airport,
    _charge,
    _check_bag_counts,
    _check_bookable,
    _check_itinerary,
    _date,
    _flight,
    _flight_date,
    _free_bags,
    _method,
    _move_seats,
    _new_reservation_id,
    _open_reservation,
    _passengers,
    _reservation,
    _reservation_view,
    _resolve_flights,
    _segments,
    _update_payment,
    _usd,
    _user,
)

# --------------------------------------------------------------------------------------------------
# Tools: reads
# --------------------------------------------------------------------------------------------------


@env.read(
    intents=[
        "look up my profile, my user id is {user_id}",
        "what payment methods and reservations do I have on file? (user {user_id})",
        "what is my membership level? I'm {user_id}",
    ]
)
def get_user_details(ctx: ToolContext, user_id: str) -> UserView:
    """Look up a member's profile: name, address, email, date of birth, membership level, saved payment
    methods (with gift card and certificate balances), saved passengers and the ids of their reservations.

    Args:
        user_id: The member's user id, such as 'alex_moreno_3021'.
    """
    user = _user(ctx, user_id)
    uid = user["user_id"]
    methods: dict[str, Any] = {}
    for method in ctx.query(
        "SELECT payment_id, source, brand, last_four, balance_cents FROM payment_methods WHERE user_id = ? "
        "ORDER BY position",
        (uid,),
    ):
        if method["source"] == "credit_card":
            methods[method["payment_id"]] = {
                "source": "credit_card",
                "id": method["payment_id"],
                "brand": method["brand"],
                "last_four": method["last_four"],
            }
        else:
            methods[method["payment_id"]] = {
                "source": method["source"],
                "id": method["payment_id"],
                "amount": (method["balance_cents"] or 0) / 100,
            }
    saved = ctx.query(
        "SELECT first_name, last_name, dob FROM saved_passengers WHERE user_id = ? ORDER BY position", (uid,)
    )
    reservations = ctx.query(
        "SELECT reservation_id FROM reservations WHERE user_id = ? AND user_position IS NOT NULL "
        "ORDER BY user_position",
        (uid,),
    )
    return {
        "user_id": uid,
        "name": {"first_name": user["first_name"], "last_name": user["last_name"]},
        "address": {
            "address1": user["address1"],
            "address2": user["address2"],
            "city": user["city"],
            "country": user["country"],
            "state": user["state"],
            "zip": user["zip"],
        },
        "email": user["email"],
        "dob": user["dob"],
        "payment_methods": methods,
        "saved_passengers": saved,  # type: ignore[typeddict-item]
        "membership": user["membership"],
        "reservations": [r["reservation_id"] for r in reservations],
    }


@env.read(
    intents=[
        "look up my reservation {reservation_id}",
        "what flights and passengers are on booking {reservation_id}?",
        "how much did I pay for reservation {reservation_id}?",
    ]
)
def get_reservation_details(ctx: ToolContext, reservation_id: str) -> ReservationView:
    """Look up a reservation: trip, cabin, flight segments with the price paid per passenger, passengers,
    payment history (charges positive, refunds negative), creation time, checked bags, travel insurance
    and whether it is cancelled.

    Args:
        reservation_id: The six-character reservation code, such as 'K3V9QA'.
    """
    return _reservation_view(ctx, _reservation(ctx, reservation_id))


@env.read(intents=["which airports do you fly to?", "list the cities your airline serves"])
def list_all_airports(ctx: ToolContext) -> list[AirportCode]:
    """List every airport the airline serves, as IATA code and city."""
    return ctx.query("SELECT iata, city FROM airports ORDER BY iata")  # type: ignore[return-value]


_DIRECT_COLUMNS = (
    "f{n}.flight_number AS flight_number{n}, f{n}.origin AS origin{n}, f{n}.destination AS destination{n}, "
    "f{n}.scheduled_departure_time_est AS departure{n}, f{n}.scheduled_arrival_time_est AS arrival{n}, "
    "d{n}.date AS date{n}, d{n}.seats_basic_economy AS seats_be{n}, d{n}.seats_economy AS seats_e{n}, "
    "d{n}.seats_business AS seats_b{n}, d{n}.price_basic_economy AS price_be{n}, "
    "d{n}.price_economy AS price_e{n}, d{n}.price_business AS price_b{n}"
)


def _direct_flight(row: dict[str, Any], n: int) -> DirectFlight:
    return {
        "flight_number": row[f"flight_number{n}"],
        "origin": row[f"origin{n}"],
        "destination": row[f"destination{n}"],
        "status": "available",
        "scheduled_departure_time_est": row[f"departure{n}"],
        "scheduled_arrival_time_est": row[f"arrival{n}"],
        "date": row[f"date{n}"],
        "available_seats": {
            "basic_economy": row[f"seats_be{n}"],
            "economy": row[f"seats_e{n}"],
            "business": row[f"seats_b{n}"],
        },
        "prices": {"basic_economy": row[f"price_be{n}"], "economy": row[f"price_e{n}"], "business": row[f"price_b{n}"]},
    }


@env.read(
    intents=[
        "find nonstop flights from {origin} to {destination} on {date}",
        "are there direct flights {origin} to {destination} on {date}?",
    ]
)
def search_direct_flight(ctx: ToolContext, origin: str, destination: str, date: str) -> list[DirectFlight]:
    """Search the nonstop flights between two airports on a date that are open for booking, with seats
    left and fares per cabin. Flights that are delayed, on time, flying, landed or cancelled on that date
    are not for sale and are not listed.

    Args:
        origin: The departure airport's IATA code, such as 'JFK'.
        destination: The arrival airport's IATA code, such as 'LAX'.
        date: The travel date as 'YYYY-MM-DD', such as '2024-05-20'.
    """
    origin, destination, date = _airport(ctx, origin), _airport(ctx, destination), _date(date)
    rows = ctx.query(
        # CROSS JOIN fixes the join order (flights first, then the dated instance by key): without
        # statistics SQLite would otherwise scan every flight instance.
        f"SELECT {_DIRECT_COLUMNS.format(n=1)} FROM flights f1 CROSS JOIN flight_dates d1 "
        "ON d1.flight_number = f1.flight_number AND d1.date = ? AND d1.status = 'available' "
        "WHERE f1.origin = ? AND f1.destination = ? ORDER BY f1.scheduled_departure_time_est, f1.flight_number",
        (date, origin, destination),
    )
    return [_direct_flight(row, 1) for row in rows]


@env.read(
    intents=[
        "find connecting flights with one stop from {origin} to {destination} on {date}",
        "I don't mind a layover: how can I get from {origin} to {destination} on {date}?",
    ]
)
def search_onestop_flight(ctx: ToolContext, origin: str, destination: str, date: str) -> list[list[DirectFlight]]:
    """Search one-stop connections between two airports leaving on a date: pairs of bookable flights where
    the second leaves the connecting airport no earlier than the first arrives (the next day when the
    first arrives after midnight). Each result is a two-element list [first leg, second leg].

    Args:
        origin: The departure airport's IATA code, such as 'JFK'.
        destination: The final arrival airport's IATA code, such as 'LAX'.
        date: The departure date of the first leg as 'YYYY-MM-DD', such as '2024-05-20'.
    """
    origin, destination, date = _airport(ctx, origin), _airport(ctx, destination), _date(date)
    rows = ctx.query(
        f"SELECT {_DIRECT_COLUMNS.format(n=1)}, {_DIRECT_COLUMNS.format(n=2)} "
        "FROM flights f1 CROSS JOIN flight_dates d1 "
        "ON d1.flight_number = f1.flight_number AND d1.date = ?1 AND d1.status = 'available' "
        "CROSS JOIN flights f2 ON f2.origin = f1.destination AND f2.destination = ?3 "
        "CROSS JOIN flight_dates d2 ON d2.flight_number = f2.flight_number AND d2.status = 'available' AND d2.date = "
        "CASE WHEN f1.scheduled_arrival_time_est LIKE '%+1' THEN date(?1, '+1 day') ELSE ?1 END "
        "WHERE f1.origin = ?2 AND f1.destination <> ?3 "
        "AND f2.scheduled_departure_time_est >= substr(f1.scheduled_arrival_time_est, 1, 8) "
        "ORDER BY f1.scheduled_departure_time_est, f1.flight_number, f2.scheduled_departure_time_est, "
        "f2.flight_number",
        (date, origin, destination),
    )
    return [[_direct_flight(row, 1), _direct_flight(row, 2)] for row in rows]


@env.read(
    intents=[
        "what's the status of flight {flight_number} on {date}?",
        "has flight {flight_number} on {date} been delayed or cancelled?",
    ]
)
def get_flight_status(ctx: ToolContext, flight_number: str, date: str) -> str:
    """Get the status of one flight on one date: 'available' (open for booking), 'on time', 'delayed',
    'flying', 'landed' or 'cancelled'.

    Args:
        flight_number: The flight number, such as 'HAT042'.
        date: The date of the flight as 'YYYY-MM-DD', such as '2024-05-15'.
    """
    flight = _flight(ctx, flight_number)
    return str(_flight_date(ctx, flight["flight_number"], _date(date))["status"])


@env.read(intents=["what is {expression}?", "can you work out {expression} for me?"])
def calculate(ctx: ToolContext, expression: str) -> str:
    """Evaluate an arithmetic expression and return the result rounded to two decimals, such as fare
    differences or totals.

    Args:
        expression: The arithmetic to evaluate, such as '2 * (350 - 122)'. Only numbers, +, -, *, /,
            parentheses and spaces are allowed.
    """
    return arithmetic.calculate(expression)


@env.write(
    intents=["I want to talk to a human agent about {summary}", "please transfer me to a person: {summary}"],
    terminal=True,
)
def transfer_to_human_agents(ctx: ToolContext, summary: str) -> str:
    """Hand the conversation over to a human agent, with a summary of the customer's issue. Only transfer
    when the customer explicitly asks for a human, or when their request cannot be handled with the
    available tools under the airline's policy.

    Args:
        summary: A short summary of the customer's issue and what has been done so far.
    """
    if not summary.strip():
        raise DomainError("Give the human agent a short summary of the customer's issue.")
    ctx.rows(Handoff).insert(handoff_id=ctx.new_id(), summary=summary.strip(), created_at=ctx.now.isoformat())
    return "Transfer successful"


# --------------------------------------------------------------------------------------------------
# Tools: writes
# --------------------------------------------------------------------------------------------------


@env.write(
    intents=[
        "book a {flight_type} {cabin} trip from {origin} to {destination} for me, user {user_id}",
        "I'd like to fly from {origin} to {destination} in {cabin} with {total_baggages} checked bags",
        "get me a ticket from {origin} to {destination}; travel insurance: {insurance}",
    ]
)
def book_reservation(
    ctx: ToolContext,
    user_id: str,
    origin: str,
    destination: str,
    flight_type: FlightType,
    cabin: CabinClass,
    flights: list[FlightInfo],
    passengers: list[PassengerInfo],
    payment_methods: list[PaymentInfo],
    total_baggages: int,
    nonfree_baggages: int,
    insurance: Insurance,
) -> ReservationView:
    """Book a new reservation for a member. Every flight must be open for booking ('available') with enough
    seats in the cabin for all passengers, who all fly the same flights in the same cabin (at most five
    passengers). The price is the sum of the current fares times the number of passengers, plus $30 per
    passenger for travel insurance, plus $50 per checked bag beyond the free allowance (per passenger, by
    the member's tier and the cabin: regular 0/1/2, silver 1/2/3, gold 2/3/4 bags in
    basic economy/economy/business). The payments must add up to exactly that price and use saved payment methods only:
    at most one travel certificate, one credit card and three gift cards, each with enough balance. A
    certificate is used up by the booking (any remainder is forfeited).

    Args:
        user_id: The id of the member making the booking, such as 'alex_moreno_3021'.
        origin: IATA code of the airport where the trip starts, such as 'SFO'.
        destination: IATA code of the trip's destination, such as 'JFK' (for a round trip, the
            farthest point before returning to the origin).
        flight_type: 'one_way' or 'round_trip'.
        cabin: 'basic_economy', 'economy' or 'business', the same for every flight.
        flights: Every flight segment in the order flown, each as {'flight_number': 'HAT042',
            'date': '2024-05-20'}.
        passengers: Each passenger as {'first_name': ..., 'last_name': ..., 'dob': 'YYYY-MM-DD'}.
        payment_methods: How the price is paid, each as {'payment_id': 'credit_card_1234567',
            'amount': 250} with whole-dollar amounts.
        total_baggages: The total number of checked bags on the reservation.
        nonfree_baggages: How many of those bags are beyond the free allowance and paid at $50 each.
        insurance: 'yes' to buy travel insurance for every passenger, 'no' otherwise.
    """
    user = _user(ctx, user_id)
    uid = user["user_id"]
    origin, destination = _airport(ctx, origin), _airport(ctx, destination)
    people = _passengers(ctx, passengers)
    count = len(people)
    if not 1 <= count <= MAX_PASSENGERS:
        raise DomainError(f"A reservation has between 1 and {MAX_PASSENGERS} passengers, not {count}.")
    legs = _resolve_flights(ctx, flights)
    _check_itinerary(legs, origin, destination, flight_type)
    instances = [_check_bookable(ctx, leg, cabin, count) for leg in legs]

    _check_bag_counts(total_baggages, nonfree_baggages, count)
    per_passenger = _free_bags(ctx, user["membership"], cabin)
    allowance = per_passenger * count
    expected = max(0, total_baggages - allowance)
    if nonfree_baggages != expected:
        raise DomainError(
            f"As a {user['membership']} member in {CABIN_LABELS[cabin]}, each passenger has {per_passenger} free "
            f"checked bag(s), {allowance} for {count} passenger(s); {total_baggages} bag(s) means "
            f"nonfree_baggages must be {expected}, not {nonfree_baggages}."
        )

    fares = [int(instance[f"price_{cabin}"]) for instance in instances]
    total = sum(fares) * count + (INSURANCE_PRICE * count if insurance == "yes" else 0) + BAG_PRICE * nonfree_baggages

    if not payment_methods:
        raise DomainError(f"Payment is needed: the total price is {_usd(total)}.")
    used: list[tuple[dict[str, Any], int]] = []
    kinds: Counter[str] = Counter()
    for payment in payment_methods:
        amount = payment["amount"]
        method = _method(ctx, uid, payment["payment_id"])
        if any(m["payment_id"] == method["payment_id"] for m, _ in used):
            raise DomainError(f"Payment method {method['payment_id']} is listed twice; give it one amount.")
        if amount <= 0:
            raise DomainError(
                f"Payment amounts must be positive whole dollars (got {amount} for {method['payment_id']})."
            )
        kinds[method["source"]] += 1
        if kinds[method["source"]] > PAYMENT_LIMITS[method["source"]]:
            limit = PAYMENT_LIMITS[method["source"]]
            raise DomainError(
                f"A reservation can use at most {limit} {PAYMENT_LABELS[method['source']]}{'s' if limit > 1 else ''}."
            )
        if method["source"] != "credit_card" and (method["balance_cents"] or 0) < amount * 100:
            raise DomainError(
                f"Not enough balance on {method['payment_id']}: "
                f"{_usd((method['balance_cents'] or 0) / 100)} left, {_usd(amount)} requested."
            )
        used.append((method, amount))
    paid = sum(amount for _, amount in used)
    if paid != total:
        raise DomainError(f"The payments add up to {_usd(paid)}, but the total price is {_usd(total)}.")

    reservation_id = _new_reservation_id(ctx)
    position = ctx.query(
        "SELECT COALESCE(MAX(user_position) + 1, 0) AS next FROM reservations WHERE user_id = ?", (uid,)
    )[0]["next"]
    reservation = ctx.rows(Reservation).insert(
        reservation_id=reservation_id,
        user_id=uid,
        user_position=position,
        origin=origin,
        destination=destination,
        flight_type=flight_type,
        cabin=cabin,
        created_at=ctx.now.isoformat(),
        total_baggages=total_baggages,
        nonfree_baggages=nonfree_baggages,
        insurance=insurance,
        status=None,
    )
    segments, instance_rows = ctx.rows(ReservationFlight), ctx.rows(FlightDate)
    for index, (leg, instance, fare) in enumerate(zip(legs, instances, fares, strict=True)):
        segments.insert(
            reservation_id=reservation_id,
            position=index,
            flight_number=leg["flight_number"],
            date=leg["date"],
            price=fare,
        )
        instance_rows.update(
            (leg["flight_number"], leg["date"]), **{f"seats_{cabin}": instance[f"seats_{cabin}"] - count}
        )
    travellers = ctx.rows(ReservationPassenger)
    for index, person in enumerate(people):
        travellers.insert(reservation_id=reservation_id, position=index, **person)
    history, wallet = ctx.rows(Payment), ctx.rows(PaymentMethod)
    for index, (method, amount) in enumerate(used):
        history.insert(reservation_id=reservation_id, position=index, payment_id=method["payment_id"], amount=amount)
        key = (uid, method["payment_id"])
        if method["source"] == "gift_card":
            wallet.update(key, balance_cents=method["balance_cents"] - amount * 100)
        elif method["source"] == "certificate":
            wallet.delete(*key)
    return _reservation_view(ctx, reservation)


@env.write(
    intents=[
        "cancel my reservation {reservation_id}",
        "I need to cancel booking {reservation_id} because of {reason}",
    ]
)
def cancel_reservation(
    ctx: ToolContext, reservation_id: str, reason: CancellationReason | None = None
) -> ReservationView:
    """Cancel a whole reservation and refund every payment to the payment method it came from (the refund
    reaches the customer in 5 to 7 business days). Refused when any flight of the reservation has already
    been flown. Otherwise allowed only if the reservation was booked within the last 24 hours, or the
    airline cancelled one of its flights, or it is in business class, or it has travel insurance and the
    reason is one the insurance covers (health or weather).

    Args:
        reservation_id: The reservation code, such as 'K3V9QA'.
        reason: Why the customer cancels: 'change_of_plan', 'airline_cancelled', 'health', 'weather' or
            'other'. Travel insurance covers only 'health' and 'weather'. When omitted, the reason is taken
            to be one the insurance covers, so establish it with the customer first.
    """
    reservation = _reservation(ctx, reservation_id)
    rid = reservation["reservation_id"]
    if reservation["status"] == "cancelled":
        raise DomainError(f"Reservation {rid} is already cancelled.")
    segments = _segments(ctx, rid)
    for segment in segments:
        if segment["status"] in FLOWN_STATUSES:
            raise DomainError(
                f"Flight {segment['flight_number']} on {segment['date']} of reservation {rid} has "
                "already been flown, so the reservation can no longer be cancelled."
            )
    airline_cancelled = any(segment["status"] == "cancelled" for segment in segments)
    if reason == "airline_cancelled" and not airline_cancelled:
        raise DomainError(f"None of the flights of reservation {rid} has been cancelled by the airline.")
    recent = reservation["created_at"] >= (ctx.now - dt.timedelta(hours=24)).isoformat()
    insured = reservation["insurance"] == "yes" and (reason is None or reason in INSURED_REASONS)
    if not (recent or airline_cancelled or reservation["cabin"] == "business" or insured):
        situation = (
            f"its travel insurance does not cover '{reason}' (only health or weather)"
            if reservation["insurance"] == "yes"
            else "it has no travel insurance"
        )
        raise DomainError(
            f"Reservation {rid} cannot be cancelled for a refund: it was booked more than 24 hours ago "
            f"({reservation['created_at']}), it is in {CABIN_LABELS[reservation['cabin']]} rather than business, "
            f"none of its flights was cancelled by the airline, and {situation}."
        )
    payments = ctx.rows(Payment)
    history = payments.find({"reservation_id": rid}, order_by="position")
    for index, payment in enumerate(history):
        payments.insert(
            reservation_id=rid,
            position=len(history) + index,
            payment_id=payment["payment_id"],
            amount=-payment["amount"],
        )
    ctx.rows(Reservation).update(rid, status="cancelled")
    count = ctx.rows(ReservationPassenger).count({"reservation_id": rid})
    for segment in segments:
        _move_seats(ctx, segment["flight_number"], segment["date"], reservation["cabin"], count)
    return _reservation_view(ctx, {**reservation, "status": "cancelled"})


@env.write(
    intents=[
        "change the flights on my reservation {reservation_id}",
        "move reservation {reservation_id} to other flights and settle the fare difference on {payment_id}",
        "upgrade my reservation {reservation_id} to {cabin}",
    ]
)
def update_reservation_flights(
    ctx: ToolContext, reservation_id: str, cabin: CabinClass, flights: list[FlightInfo], payment_id: str
) -> ReservationView:
    """Change the flights and/or the cabin of a reservation. Give the complete new list of flights, including
    segments that stay the same; a kept segment keeps the price paid for it, a new one costs today's fare.
    The fare difference for all passengers is charged to, or refunded on, one saved credit card or gift card
    (never a certificate). Rules: the origin, destination and trip type cannot change; basic economy
    flights cannot be changed, though the cabin of any reservation can; a flight already flown cannot be
    changed, and then the cabin cannot change either; the cabin is the same on every flight.

    Args:
        reservation_id: The reservation code, such as 'K3V9QA'.
        cabin: The cabin for the whole reservation: 'basic_economy', 'economy' or 'business'.
        flights: Every flight segment of the new itinerary in the order flown, unchanged ones included,
            each as {'flight_number': 'HAT042', 'date': '2024-05-20'}.
        payment_id: The saved credit card or gift card that pays or receives the difference, such as
            'credit_card_1234567' or 'gift_card_7654321'.
    """
    reservation = _open_reservation(ctx, reservation_id)
    rid, old_cabin = reservation["reservation_id"], reservation["cabin"]
    legs = _resolve_flights(ctx, flights)
    current = _segments(ctx, rid)
    current_keys = [(s["flight_number"], s["date"]) for s in current]
    new_keys = [(leg["flight_number"], leg["date"]) for leg in legs]
    same_flights = sorted(current_keys) == sorted(new_keys)
    if same_flights and cabin == old_cabin:
        raise DomainError(f"Reservation {rid} already has exactly these flights in {CABIN_LABELS[cabin]}.")
    if old_cabin == "basic_economy" and not same_flights:
        raise DomainError(
            f"Reservation {rid} is basic economy: its flights cannot be changed (its cabin can be "
            "upgraded without changing the flights)."
        )
    for segment in current:
        if segment["status"] not in FLOWN_STATUSES:
            continue
        if cabin != old_cabin:
            raise DomainError(
                f"The cabin of reservation {rid} cannot be changed because flight "
                f"{segment['flight_number']} on {segment['date']} has already been flown."
            )
        if (segment["flight_number"], segment["date"]) not in new_keys:
            raise DomainError(
                f"Flight {segment['flight_number']} on {segment['date']} has already been flown "
                f"and must stay on reservation {rid}."
            )
    if not same_flights:
        _check_itinerary(
            legs,
            reservation["origin"],
            reservation["destination"],
            reservation["flight_type"],
            prefix="The origin, destination and trip type of a reservation cannot change: ",
        )
    count = ctx.rows(ReservationPassenger).count({"reservation_id": rid})
    # As in tau2, a segment is kept (at its old price) only when neither it nor the cabin changes.
    kept = {key: s for s, key in zip(current, current_keys, strict=True) if key in new_keys and cabin == old_cabin}
    prices = []
    for leg, key in zip(legs, new_keys, strict=True):
        if key in kept:
            prices.append(int(kept[key]["price"]))
        else:
            prices.append(int(_check_bookable(ctx, leg, cabin, count)[f"price_{cabin}"]))
    difference = (sum(prices) - sum(int(s["price"]) for s in current)) * count
    method = _update_payment(ctx, reservation["user_id"], payment_id, difference)

    for segment in current:
        if (segment["flight_number"], segment["date"]) not in kept:
            _move_seats(ctx, segment["flight_number"], segment["date"], old_cabin, count)
    segments = ctx.rows(ReservationFlight)
    for index, (leg, key, price) in enumerate(zip(legs, new_keys, prices, strict=True)):
        if key not in kept:
            _move_seats(ctx, key[0], key[1], cabin, -count)
        values = {"flight_number": leg["flight_number"], "date": leg["date"], "price": price}
        if index < len(current):
            if (current_keys[index], current[index]["price"]) != (key, price):
                segments.update((rid, index), **values)
        else:
            segments.insert(reservation_id=rid, position=index, **values)
    for index in range(len(legs), len(current)):
        segments.delete(rid, index)
    _charge(ctx, rid, method, difference)
    if cabin != old_cabin:
        ctx.rows(Reservation).update(rid, cabin=cabin)
    return _reservation_view(ctx, {**reservation, "cabin": cabin})


@env.write(
    intents=[
        "add bags to my booking {reservation_id} so it has {total_baggages} checked bags",
        "I need {total_baggages} checked bags in total on reservation {reservation_id}, pay with {payment_id}",
    ]
)
def update_reservation_baggages(
    ctx: ToolContext, reservation_id: str, total_baggages: int, nonfree_baggages: int, payment_id: str
) -> ReservationView:
    """Add checked bags to a reservation (bags cannot be removed). Bags within the free allowance cost nothing
    (per passenger, by the member's tier and the cabin: regular 0/1/2, silver 1/2/3, gold 2/3/4 bags in
    basic economy/economy/business); each further bag costs $50, charged to one saved credit card or gift
    card (never a certificate).

    Args:
        reservation_id: The reservation code, such as 'K3V9QA'.
        total_baggages: The new total number of checked bags on the reservation.
        nonfree_baggages: How many of those bags are beyond the free allowance and paid for.
        payment_id: The saved credit card or gift card that pays for the extra bags, such as
            'credit_card_1234567' or 'gift_card_7654321'.
    """
    reservation = _open_reservation(ctx, reservation_id)
    rid = reservation["reservation_id"]
    old_total, old_nonfree = reservation["total_baggages"], reservation["nonfree_baggages"]
    if total_baggages < old_total or nonfree_baggages < old_nonfree:
        raise DomainError(
            f"Checked bags can only be added: reservation {rid} has {old_total} bag(s), "
            f"{old_nonfree} of them paid, and these cannot go down."
        )
    if (total_baggages, nonfree_baggages) == (old_total, old_nonfree):
        raise DomainError(f"Reservation {rid} already has {old_total} checked bag(s), {old_nonfree} of them paid.")
    count = ctx.rows(ReservationPassenger).count({"reservation_id": rid})
    _check_bag_counts(total_baggages, nonfree_baggages, count)
    user = _user(ctx, reservation["user_id"])
    per_passenger = _free_bags(ctx, user["membership"], reservation["cabin"])
    allowance = per_passenger * count
    # Bags already paid for stay paid; new bags are free until the allowance is used up.
    expected = max(old_nonfree, total_baggages - allowance, 0)
    if nonfree_baggages != expected:
        raise DomainError(
            f"As a {user['membership']} member in {CABIN_LABELS[reservation['cabin']]}, each passenger has "
            f"{per_passenger} free checked bag(s), {allowance} for {count} passenger(s); {total_baggages} bag(s) "
            f"means nonfree_baggages must be {expected}, not {nonfree_baggages}."
        )
    fee = BAG_PRICE * (nonfree_baggages - old_nonfree)
    method = _update_payment(ctx, user["user_id"], payment_id, fee)
    _charge(ctx, rid, method, fee)
    ctx.rows(Reservation).update(rid, total_baggages=total_baggages, nonfree_baggages=nonfree_baggages)
    return _reservation_view(
        ctx, {**reservation, "total_baggages": total_baggages, "nonfree_baggages": nonfree_baggages}
    )


@env.write(
    intents=[
        "update the passenger details on reservation {reservation_id}",
        "correct a traveller's name or date of birth on booking {reservation_id}",
    ]
)
def update_reservation_passengers(
    ctx: ToolContext, reservation_id: str, passengers: list[PassengerInfo]
) -> ReservationView:
    """Replace the names and dates of birth of a reservation's passengers. The number of passengers cannot
    change: list exactly as many passengers as the reservation has, in order.

    Args:
        reservation_id: The reservation code, such as 'K3V9QA'.
        passengers: Every passenger of the reservation as {'first_name': ..., 'last_name': ...,
            'dob': 'YYYY-MM-DD'}, unchanged ones included.
    """
    reservation = _open_reservation(ctx, reservation_id)
    rid = reservation["reservation_id"]
    rows = ctx.rows(ReservationPassenger)
    current = rows.find({"reservation_id": rid}, order_by="position")
    people = _passengers(ctx, passengers)
    if len(people) != len(current):
        raise DomainError(
            f"Reservation {rid} has {len(current)} passenger(s); the number of passengers cannot "
            f"be changed, so list exactly {len(current)}."
        )
    changed = False
    for old, new in zip(current, people, strict=True):
        if any(old[k] != v for k, v in new.items()):
            rows.update((rid, old["position"]), **new)
            changed = True
    if not changed:
        raise DomainError(f"Reservation {rid} already lists exactly these passengers.")
    return _reservation_view(ctx, reservation)


@env.write(
    intents=[
        "I was promised a ${amount} travel certificate for the trouble; my user id is {user_id}",
        "please add the ${amount} compensation voucher to my profile ({user_id})",
    ]
)
def send_certificate(ctx: ToolContext, user_id: str, amount: int) -> str:
    """Issue a travel certificate to a member as compensation; it is added to their saved payment methods
    and can pay for a future booking. Use only as the airline's policy allows, after confirming the facts.

    Args:
        user_id: The id of the member receiving the certificate, such as 'alex_moreno_3021'.
        amount: The certificate's value in whole dollars.
    """
    user = _user(ctx, user_id)
    uid = user["user_id"]
    if not 0 < amount <= MAX_CERTIFICATE:
        raise DomainError(f"A certificate is worth a positive number of dollars, at most {_usd(MAX_CERTIFICATE)}.")
    wallet = ctx.rows(PaymentMethod)
    while True:
        payment_id = f"certificate_{ctx.new_id(7, string.digits)}"
        if wallet.get(uid, payment_id) is None:
            break
    _add_certificate(ctx, uid, payment_id, amount)
    return f"Certificate {payment_id} added to user {uid} with amount {amount}."
