"""The ``tau2`` fidelity mode: the airline's tools as tau2-bench's airline tools behave.

By default this service enforces its policy inside the tools (a cancellation that is not refundable is
refused, seat inventory is kept exact, new ids are random). tau2-bench leaves the policy to the agent, its
tools do what they are asked as long as the request can be carried out at all, and it judges the
agent from the final database. ``ToolUseEnv("airline", fidelity="tau2")`` (or
``gym.make("envfactory/airline-v0", fidelity="tau2")``) plays that benchmark:

* permissive where tau2 is: no cancellation eligibility, no rules on basic economy changes, on changing the
  trip's origin, destination or type, on the bag allowance, on payment-method counts or on certificate
  amounts; a cancelled reservation can still be changed; the policy text (:data:`POLICY`) is in the
  agent's system prompt, and an agent that breaks it leaves a database unlike the expected one;
* tau2's ids: new reservations are HATHAT, then HATHAU, then HATHAV; certificates are
  ``certificate_3221322``, ``_3221323``, ``_3221324`` (the first the member does not hold);
* tau2's accounting: a booking takes its seats, but neither a change of flights nor a cancellation gives
  seats back or takes new ones; a cancellation refunds every entry of the payment history, a change of
  flights or bags adds one entry (a charge, or for a cheaper itinerary a refund) when the amount is not
  zero and moves a gift card's balance by it; a certificate used for a booking leaves the profile.

What still fails is what tau2's tools refuse: unknown users, reservations, flights, dates or payment
methods, flights not open for booking or without enough seats, payments that do not add up or exceed a
balance, a certificate paying for a change, and more than three new reservations or certificates.
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    BAG_PRICE,
    INSURANCE_PRICE,
    FlightDate,
    Payment,
    PaymentMethod,
    Reservation,
    ReservationFlight,
    ReservationPassenger,
)
from .seed import (
    ReservationView,
    _add_certificate,
    _flight,
    _flight_date,
    _method,
    _reservation,
    _reservation_view,
    _user,
)

# Importing the tools registers them: this mode replaces some of them.
from .tools import get_user_details as _registers_the_tools  # noqa: F401

MODE = "tau2"
# tau2's fixed sequences of new ids: each task is assumed to create at most three of each.
NEW_RESERVATION_IDS = ("HATHAT", "HATHAU", "HATHAV")
NEW_CERTIFICATE_IDS = ("certificate_3221322", "certificate_3221323", "certificate_3221324")
PERSON = ("first_name", "last_name", "dob")

POLICY = """\
You are the airline's customer-service agent. The tools carry out what you ask as long as it can be done;
they do not check this policy. Following it is your job, and the outcome is judged on it.

Before anything else, ask for the member's user id and work only with that member's own profile and
reservations. Before any change (a booking, a change of flights or cabin, bags, passengers, a
cancellation, a certificate) say exactly what you are about to do and go ahead only after the member
explicitly confirms. Make one change at a time. Give only information from the tools or this policy.
Transfer to a human agent only when the member asks for one or the request cannot be handled under this
policy with the tools, and then tell the member that a human agent will take over.

Booking: one to five passengers, all on the same flights in the same cabin; take the names and dates of
birth of every passenger. Pay only with payment methods saved in the member's profile: at most one travel
certificate, one credit card and three gift cards; a certificate's unused remainder is not refunded.
Travel insurance costs $30 per passenger. Free checked bags per passenger by membership and cabin (basic
economy / economy / business): regular 0/1/2, silver 1/2/3, gold 2/3/4; each further bag costs $50. Do not
add bags the member does not want.

Changing a reservation: flights of a basic economy reservation cannot be changed; other reservations may
change flights, but never the origin, the destination or the trip type, and never a segment already
flown. The cabin may change (also for basic economy) unless a segment has been flown, and is the same on
every flight. A fare difference is paid with, or refunded to, one saved credit card or gift card, never a
certificate. Bags can be added, never removed. Passenger names and dates of birth can be corrected, but the
number of passengers cannot change.

Cancelling: a reservation can be cancelled only if it was booked within the last 24 hours, or the airline
cancelled one of its flights, or it is in business class, or it has travel insurance and the reason is
health or weather. A reservation with a segment already flown cannot be cancelled (transfer to a human
agent instead). The refund goes back to the original payment methods in 5 to 7 business days. Confirm the
reason for cancelling before acting.

Compensation: never offer it unprompted. Only when the member complains and asks, and only for silver or
gold members, or members with travel insurance, or business-class travellers: for a flight the airline
cancelled, a certificate of $100 per passenger; for a delayed flight that the member then changes or
cancels, a certificate of $50 per passenger. Check the facts first. Nobody else receives compensation.
"""

env.fidelity(MODE, policy=POLICY)


def _new_id(candidates: tuple[str, ...], taken: Any, what: str) -> str:
    for candidate in candidates:
        if not taken(candidate):
            return candidate
    raise DomainError(f"Too many new {what} in one conversation.")


def _available(
    ctx: ToolContext, number: str, date: str, cabin: str, count: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The flight and its dated instance, which must be open for booking with ``count`` seats in ``cabin``."""
    flight = _flight(ctx, number)
    instance = _flight_date(ctx, flight["flight_number"], date)
    if instance["status"] != "available":
        raise DomainError(f"Flight {flight['flight_number']} is not available on {date}.")
    if instance[f"seats_{cabin}"] < count:
        raise DomainError(f"Not enough seats on flight {flight['flight_number']}.")
    return flight, instance


def _change_payment(ctx: ToolContext, user_id: str, payment_id: str, amount: int) -> dict[str, Any]:
    """The saved method paying (or, negative, receiving) a change; a gift card's balance moves by it."""
    method = _method(ctx, user_id, payment_id)
    if method["source"] == "certificate":
        raise DomainError("A certificate cannot be used to update a reservation.")
    if method["source"] == "gift_card":
        if (method["balance_cents"] or 0) < amount * 100:
            raise DomainError(f"The balance of gift card {method['payment_id']} is not enough.")
        ctx.rows(PaymentMethod).update(
            (user_id, method["payment_id"]), balance_cents=(method["balance_cents"] or 0) - amount * 100
        )
    return method


def _append_payment(ctx: ToolContext, reservation_id: str, payment_id: str, amount: int) -> None:
    payments = ctx.rows(Payment)
    position = payments.count({"reservation_id": reservation_id})
    payments.insert(reservation_id=reservation_id, position=position, payment_id=payment_id, amount=amount)


# Each replacement takes the tool's own validated arguments (see tools.py for their types and meaning).
@env.fidelity_tool(MODE)
def book_reservation(ctx: ToolContext, **call: Any) -> ReservationView:
    """Book a new reservation for a member. Every flight must be open for booking with enough seats in the
    cabin for all passengers. The price is the sum of the current fares times the number of passengers,
    plus $30 per passenger for travel insurance, plus $50 per non-free checked bag; the payments, from
    saved payment methods, must add up to exactly that price."""
    user = _user(ctx, call["user_id"])
    uid, cabin, passengers = user["user_id"], call["cabin"], call["passengers"]
    count = len(passengers)
    legs = [(*_available(ctx, leg["flight_number"], leg["date"], cabin, count), leg["date"]) for leg in call["flights"]]
    total = sum(int(instance[f"price_{cabin}"]) for _, instance, _ in legs) * count
    total += (INSURANCE_PRICE * count if call["insurance"] == "yes" else 0) + BAG_PRICE * call["nonfree_baggages"]
    methods = []
    for payment in call["payment_methods"]:
        method = _method(ctx, uid, payment["payment_id"])
        if method["source"] != "credit_card" and (method["balance_cents"] or 0) < payment["amount"] * 100:
            raise DomainError(f"Not enough balance in payment method {method['payment_id']}.")
        methods.append((method, payment["amount"]))
    paid = sum(amount for _, amount in methods)
    if paid != total:
        raise DomainError(f"The payments do not add up: the total price is {total}, but {paid} was paid.")

    wallet = ctx.rows(PaymentMethod)
    for method, amount in methods:
        key = (uid, method["payment_id"])
        current = wallet.get(*key)
        if current is None:  # a certificate listed twice: the first use already spent it
            raise DomainError(f"Payment method {method['payment_id']} can be used only once.")
        if method["source"] == "gift_card":
            wallet.update(key, balance_cents=current["balance_cents"] - amount * 100)
        elif method["source"] == "certificate":
            wallet.delete(*key)
    instances = ctx.rows(FlightDate)
    for flight, _, date in legs:
        # Re-read: a flight listed twice loses its seats twice, as in tau2.
        seats = instances.get(flight["flight_number"], date)[f"seats_{cabin}"]  # type: ignore[index]
        instances.update((flight["flight_number"], date), **{f"seats_{cabin}": seats - count})

    reservations = ctx.rows(Reservation)
    reservation_id = _new_id(NEW_RESERVATION_IDS, lambda rid: reservations.get(rid) is not None, "reservations")
    position = ctx.query(
        "SELECT COALESCE(MAX(user_position) + 1, 0) AS next FROM reservations WHERE user_id = ?", (uid,)
    )[0]["next"]
    stored = ("origin", "destination", "flight_type", "cabin", "total_baggages", "nonfree_baggages", "insurance")
    reservation = reservations.insert(
        reservation_id=reservation_id,
        user_id=uid,
        user_position=position,
        created_at=ctx.now.isoformat(),
        status=None,
        **{name: call[name] for name in stored},
    )
    segments = ctx.rows(ReservationFlight)
    for index, (flight, instance, date) in enumerate(legs):
        price = int(instance[f"price_{cabin}"])
        segments.insert(
            reservation_id=reservation_id, position=index, flight_number=flight["flight_number"], date=date, price=price
        )
    travellers = ctx.rows(ReservationPassenger)
    for index, person in enumerate(passengers):
        travellers.insert(reservation_id=reservation_id, position=index, **{k: person[k] for k in PERSON})
    for payment in call["payment_methods"]:  # the history is the payments as given, zero amounts included
        _append_payment(ctx, reservation_id, payment["payment_id"], payment["amount"])
    return _reservation_view(ctx, reservation)


@env.fidelity_tool(MODE)
def cancel_reservation(ctx: ToolContext, **call: Any) -> ReservationView:
    """Cancel a whole reservation: every payment of its history is refunded to the method it came from."""
    # tau2's tool takes no reason: whether the reason allows a refund is the agent's call.
    reservation = _reservation(ctx, call["reservation_id"])
    rid = reservation["reservation_id"]
    for payment in ctx.rows(Payment).find({"reservation_id": rid}, order_by="position"):
        _append_payment(ctx, rid, payment["payment_id"], -payment["amount"])
    ctx.rows(Reservation).update(rid, status="cancelled")
    return _reservation_view(ctx, {**reservation, "status": "cancelled"})


@env.fidelity_tool(MODE)
def update_reservation_flights(ctx: ToolContext, **call: Any) -> ReservationView:
    """Change the flights and/or the cabin of a reservation. Give the complete new list of flights, including
    segments that stay the same; a kept segment in the same cabin keeps the price paid for it, a new one
    costs today's fare. The fare difference for all passengers is charged to, or refunded on, one saved
    credit card or gift card."""
    reservation = _reservation(ctx, call["reservation_id"])
    rid, cabin = reservation["reservation_id"], call["cabin"]
    count = ctx.rows(ReservationPassenger).count({"reservation_id": rid})
    current = ctx.rows(ReservationFlight).find({"reservation_id": rid}, order_by="position")
    same_cabin = cabin == reservation["cabin"]
    legs: list[tuple[str, str, int]] = []
    for leg in call["flights"]:
        kept = next(
            (
                s
                for s in current
                if same_cabin and (s["flight_number"], s["date"]) == (leg["flight_number"], leg["date"])
            ),
            None,
        )
        if kept is not None:
            legs.append((kept["flight_number"], kept["date"], int(kept["price"])))
            continue
        flight, instance = _available(ctx, leg["flight_number"], leg["date"], cabin, count)
        legs.append((flight["flight_number"], leg["date"], int(instance[f"price_{cabin}"])))
    difference = (sum(price for _, _, price in legs) - sum(int(s["price"]) for s in current)) * count
    method = _change_payment(ctx, reservation["user_id"], call["payment_id"], difference)
    if difference != 0:
        _append_payment(ctx, rid, method["payment_id"], difference)
    segments = ctx.rows(ReservationFlight)
    for segment in current:
        segments.delete(rid, segment["position"])
    for index, (number, date, price) in enumerate(legs):
        segments.insert(reservation_id=rid, position=index, flight_number=number, date=date, price=price)
    ctx.rows(Reservation).update(rid, cabin=cabin)
    return _reservation_view(ctx, {**reservation, "cabin": cabin})


@env.fidelity_tool(MODE)
def update_reservation_baggages(ctx: ToolContext, **call: Any) -> ReservationView:
    """Set the checked bags of a reservation; each non-free bag beyond those already paid for costs $50,
    charged to one saved credit card or gift card."""
    reservation = _reservation(ctx, call["reservation_id"])
    rid = reservation["reservation_id"]
    fee = BAG_PRICE * max(0, call["nonfree_baggages"] - reservation["nonfree_baggages"])
    method = _change_payment(ctx, reservation["user_id"], call["payment_id"], fee)
    if fee != 0:
        _append_payment(ctx, rid, method["payment_id"], fee)
    bags = {"total_baggages": call["total_baggages"], "nonfree_baggages": call["nonfree_baggages"]}
    ctx.rows(Reservation).update(rid, **bags)
    return _reservation_view(ctx, {**reservation, **bags})


@env.fidelity_tool(MODE)
def update_reservation_passengers(ctx: ToolContext, **call: Any) -> ReservationView:
    """Replace the passengers of a reservation (names and dates of birth); their number cannot change."""
    reservation = _reservation(ctx, call["reservation_id"])
    rid = reservation["reservation_id"]
    rows = ctx.rows(ReservationPassenger)
    current = rows.find({"reservation_id": rid}, order_by="position")
    if len(call["passengers"]) != len(current):
        raise DomainError("The number of passengers does not match the reservation's.")
    for old, new in zip(current, call["passengers"], strict=True):
        values = {k: new[k] for k in PERSON}
        if any(old[k] != v for k, v in values.items()):
            rows.update((rid, old["position"]), **values)
    return _reservation_view(ctx, reservation)


@env.fidelity_tool(MODE)
def send_certificate(ctx: ToolContext, **call: Any) -> str:
    """Issue a travel certificate to a member; it is added to their saved payment methods. Be careful:
    the policy says who may receive one and for how much."""
    uid, amount = _user(ctx, call["user_id"])["user_id"], call["amount"]
    wallet = ctx.rows(PaymentMethod)
    payment_id = _new_id(NEW_CERTIFICATE_IDS, lambda pid: wallet.get(uid, pid) is not None, "certificates")
    _add_certificate(ctx, uid, payment_id, amount)
    return f"Certificate {payment_id} added to user {uid} with amount {amount}."


@env.fidelity_tool(MODE)
def transfer_to_human_agents(ctx: ToolContext, **call: Any) -> str:
    """Hand the conversation over to a human agent, with a summary of the customer's issue. Only transfer
    when the customer explicitly asks for a human, or when their request cannot be handled with the
    available tools under the airline's policy."""
    del ctx, call  # tau2 keeps no record of a transfer: the database is unchanged
    return "Transfer successful"
