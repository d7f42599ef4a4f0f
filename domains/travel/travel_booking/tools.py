"""The tools an agent calls (the API reference a model sees), with their typed views and helpers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .bfcl import _booking_record, _card_record, is_long_context
from .definition import env
from .models import (
    _BOOKING_FIELDS,
    ACCOUNT_KEY,
    GRANT_TYPES,
    MINIMUM_TRAVELLER_AGE,
    SUPPORT_REPLY,
    TOKEN_LIFETIME,
    TRAVEL_CLASS_FACTORS,
    Airport,
    Booking,
    CreditCard,
    ExchangeRate,
    InsurancePolicy,
    TravelAccount,
)
from .seed import (
    AuthenticationResult,
    _account,
    _booking,
    _card,
    _draw,
    _fare,
    _is_date,
    _route_cost,
    _signed_in,
)


def _long_context(ctx: ToolContext) -> bool:
    """Whether the state was loaded in BFCL's long-context mode (a loader's flag: computed once per state)."""
    return bool(ctx.state_part(("bfcl_modes",), "travel_booking.long_context", is_long_context))


@env.write(
    intents=[
        "sign me in to the travel service as {user_first_name} {user_last_name} with app {client_id}",
        "log in to my travel account ({user_first_name} {user_last_name}) with {grant_type} access",
    ]
)
def authenticate_travel(
    ctx: ToolContext,
    client_id: str,
    client_secret: str,
    refresh_token: str,
    grant_type: str,
    user_first_name: str,
    user_last_name: str,
) -> AuthenticationResult:
    """Authenticate the user with the travel API and get a new access token.

    Args:
        client_id: The client application's client_id supplied by App Management.
        client_secret: The client application's client_secret supplied by App Management.
        refresh_token: The refresh token obtained from the initial authentication.
        grant_type: The grant type of the authentication request: read_write, read or write.
        user_first_name: The first name of the user.
        user_last_name: The last name of the user.
    """
    account = _account(ctx)
    if grant_type not in GRANT_TYPES:
        raise DomainError(f"Invalid grant type {grant_type!r}. Options are: {', '.join(GRANT_TYPES)}.")
    if account["client_id"] is not None and (
        client_id != account["client_id"] or client_secret != account["client_secret"]
    ):
        raise DomainError("Invalid client credentials: the client_id or client_secret is wrong.")
    (token,) = _draw(ctx, account, (100000, 999999))
    ctx.rows(TravelAccount).update(
        ACCOUNT_KEY,
        access_token=str(token),
        token_type="Bearer",
        token_expires_in=TOKEN_LIFETIME,
        token_scope=grant_type,
        user_first_name=user_first_name,
        user_last_name=user_last_name,
    )
    return {"expires_in": TOKEN_LIFETIME, "access_token": str(token), "token_type": "Bearer", "scope": grant_type}


class LoginStatus(TypedDict):
    status: bool


@env.read(intents=["am I logged in to the travel service?", "check whether my travel session is active"])
def travel_get_login_status(ctx: ToolContext) -> LoginStatus:
    """Get the status of the login: whether a valid access token exists."""
    expires_in = _account(ctx)["token_expires_in"]
    return {"status": not (expires_in is None or expires_in == 0)}


class FiscalYear(TypedDict):
    budget_fiscal_year: str


@env.read(intents=["which fiscal year is my travel budget for?", "get the budget fiscal year"])
def get_budget_fiscal_year(
    ctx: ToolContext, lastModifiedAfter: str | None = None, includeRemoved: str | None = None
) -> FiscalYear:
    """Get the budget fiscal year.

    Args:
        lastModifiedAfter: [Optional] Only fiscal years changed after this UTC date, like 2016-03-29T16:12:20.
        includeRemoved: [Optional] If true, also return fiscal years that were removed. Defaults to false.
    """
    return {"budget_fiscal_year": _account(ctx)["budget_fiscal_year"]}


class RegisteredCard(TypedDict):
    card_id: str


@env.write(
    intents=[
        "add my card {card_number} expiring {expiration_date} in the name of {cardholder_name}",
        "register the credit card {card_number} with security code {card_verification_number}",
    ]
)
def register_credit_card(
    ctx: ToolContext,
    access_token: str,
    card_number: str,
    expiration_date: str,
    cardholder_name: str,
    card_verification_number: int,
) -> RegisteredCard:
    """Register a credit card for paying bookings.

    Args:
        access_token: The access token obtained from the authenticate method.
        card_number: The credit card number.
        expiration_date: The expiration date of the credit card in the format MM/YYYY.
        cardholder_name: The name of the cardholder.
        card_verification_number: The card verification number.
    """
    account = _account(ctx)
    if account["token_expires_in"] is None:
        raise DomainError("Token not initialized")
    _signed_in(ctx, access_token)
    cards = ctx.rows(CreditCard)
    if cards.get(card_number) is not None or cards.first({"card_number": card_number}) is not None:
        raise DomainError(f"Card already registered: {card_number}")
    card_id, balance = _draw(ctx, account, (100000000000, 999999999999), (10000, 99999))
    cards.add(
        card_id=str(card_id),
        card_number=card_number,
        expiration_date=expiration_date,
        cardholder_name=cardholder_name,
        card_verification_number=card_verification_number,
        balance=balance,
        extra={},
    )
    return {"card_id": str(card_id)}


class FlightCost(TypedDict):
    travel_cost_list: list[float]


@env.read(
    intents=[
        "what does a flight from {travel_from} to {travel_to} on {travel_date} cost in {travel_class} class?",
        "price a ticket in {travel_class} class from {travel_from} to {travel_to} for {travel_date}",
    ]
)
def get_flight_cost(
    ctx: ToolContext, travel_from: str, travel_to: str, travel_date: str, travel_class: str
) -> FlightCost:
    """Get the list of costs of a flight in USD based on route, date and class.

    Args:
        travel_from: The 3 letter code of the departing airport.
        travel_to: The 3 letter code of the arriving airport.
        travel_date: The date of the travel in the format 'YYYY-MM-DD'.
        travel_class: The class of the travel. Options are: economy, business, first.
    """
    cost = _route_cost(ctx, travel_from, travel_to, travel_date, travel_class)
    if not _long_context(ctx):
        return {"travel_cost_list": [cost]}
    # BFCL's long-context mode quotes every route's fare for the asked class and date, in route order.
    routes = ctx.query("SELECT travel_from, travel_to, base_cost FROM flight_routes ORDER BY rowid")
    fares = [_fare(r["travel_from"], r["travel_to"], travel_date, travel_class, r["base_cost"]) for r in routes]
    return {"travel_cost_list": fares}


class CardBalance(TypedDict):
    card_balance: float


@env.read(intents=["what's the balance on {card_id}?", "how much money is left on {card_id}?"])
def get_credit_card_balance(ctx: ToolContext, access_token: str, card_id: str) -> CardBalance:
    """Get the balance of a registered credit card.

    Args:
        access_token: The access token obtained from the authenticate method.
        card_id: The ID of the credit card.
    """
    _signed_in(ctx, access_token)
    card = ctx.rows(CreditCard).get(card_id)
    if card is None:
        known = [row["card_id"] for row in ctx.rows(CreditCard).find()]
        raise DomainError(f"Card not registered. Here are a list of card_id's: {known}")
    if card["balance"] is None:
        raise DomainError(f"Balance not found for card {card_id}")
    return {"card_balance": card["balance"]}


class BookingResult(TypedDict):
    booking_id: str
    transaction_id: str
    booking_status: bool
    booking_history: dict[str, Any]


@env.write(
    intents=[
        "book a flight from {travel_from} to {travel_to} on {travel_date} in {travel_class} class, pay with {card_id}",
        "reserve me a seat in {travel_class} class from {travel_from} to {travel_to} on {travel_date} on {card_id}",
    ]
)
def book_flight(
    ctx: ToolContext,
    access_token: str,
    card_id: str,
    travel_date: str,
    travel_from: str,
    travel_to: str,
    travel_class: str,
) -> BookingResult:
    """Book a flight given the travel information and charge it to a registered card. From and To are IATA codes.

    Args:
        access_token: The access token obtained from the authenticate method.
        card_id: The ID of the credit card to use for the booking.
        travel_date: The date of the travel in the format YYYY-MM-DD.
        travel_from: The airport code the travel is from.
        travel_to: The airport code the travel is to.
        travel_class: The class of the travel: economy, business or first.
    """
    account = _signed_in(ctx, access_token)
    card = _card(ctx, card_id, missing=f"Card not registered: {card_id}")
    if card["balance"] is None:
        raise DomainError(f"Balance not found for card {card_id}")
    airports = ctx.rows(Airport)
    if airports.get(travel_from) is None:
        raise DomainError(f"Invalid departure airport code: {travel_from}")
    if airports.get(travel_to) is None:
        raise DomainError(f"Invalid destination airport code: {travel_to}")
    if not _is_date(travel_date):
        raise DomainError("Invalid date format. Use YYYY-MM-DD.")
    if travel_class not in TRAVEL_CLASS_FACTORS:
        raise DomainError(f"Invalid travel class. Must be one of {', '.join(TRAVEL_CLASS_FACTORS)}")
    cost = _route_cost(ctx, travel_from, travel_to, travel_date, travel_class)
    if card["balance"] < cost:
        raise DomainError(f"Insufficient funds: the flight costs {cost} and card {card_id} has {card['balance']}")
    if account["budget_limit"] is not None and card["balance"] < account["budget_limit"]:
        raise DomainError(f"Balance is less than budget limit ({account['budget_limit']})")
    ctx.rows(CreditCard).update(card_id, balance=card["balance"] - cost)
    booking_id, transaction_id = _draw(ctx, account, (1000000, 9999999), (10000000, 99999999))
    ctx.rows(Booking).add(
        booking_id=str(booking_id),
        card_id=card_id,
        travel_date=travel_date,
        travel_from=travel_from,
        travel_to=travel_to,
        travel_class=travel_class,
        travel_cost=cost,
        transaction_id=str(transaction_id),
        extra={},
    )
    # BFCL's long-context mode returns every booking, the new one last; its normal mode returns none.
    history = {}
    if _long_context(ctx):
        history = {row["booking_id"]: _booking_record(row) for row in ctx.rows(Booking).find()}
    return {
        "booking_id": str(booking_id),
        "transaction_id": str(transaction_id),
        "booking_status": True,
        "booking_history": history,
    }


class Invoice(TypedDict):
    booking_id: str
    travel_date: str
    travel_from: str
    travel_to: str
    travel_class: str
    travel_cost: float
    transaction_id: str


class InvoiceResult(TypedDict):
    invoice: Invoice


@env.read(intents=["send me the invoice for booking {booking_id}", "I need the receipt of my booking {booking_id}"])
def retrieve_invoice(
    ctx: ToolContext, access_token: str, booking_id: str | None = None, insurance_id: str | None = None
) -> InvoiceResult:
    """Retrieve the invoice for a booking.

    Args:
        access_token: The access token obtained from the authenticate method.
        booking_id: [Optional] The ID of the booking.
        insurance_id: [Optional] The ID of the insurance.
    """
    _signed_in(ctx, access_token)
    booking = _booking(ctx, booking_id)
    missing = [name for name in _BOOKING_FIELDS if name != "card_id" and booking[name] is None]
    if missing:
        raise DomainError(f"Booking {booking_id} has no invoice: it lacks {', '.join(missing)}.")
    invoice = {name: booking[name] for name in ("booking_id", *_BOOKING_FIELDS) if name != "card_id"}
    return {"invoice": invoice}  # type: ignore[typeddict-item]


class BookingRecord(TypedDict, total=False):
    """A BFCL booking record (keys of an ``initial_config`` booking beyond these are passed through)."""

    card_id: str
    travel_date: str
    travel_from: str
    travel_to: str
    travel_class: str
    travel_cost: float
    transaction_id: str


class BookingHistory(TypedDict):
    booking_history: dict[str, BookingRecord]


@env.read(intents=["show all my flight bookings", "list my booking history"])
def get_booking_history(ctx: ToolContext, access_token: str) -> BookingHistory:
    """Retrieve all booking history of the user, keyed by booking_id.

    Args:
        access_token: The access token obtained from the authenticate method.
    """
    _signed_in(ctx, access_token)
    return {"booking_history": {row["booking_id"]: _booking_record(row) for row in ctx.rows(Booking).find()}}


@env.read(intents=["which airports can I fly from?", "list all available airports"])
def list_all_airports(ctx: ToolContext) -> list[str]:
    """List the codes of all available airports."""
    return [row["airport_code"] for row in ctx.rows(Airport).find()]


class CancelResult(TypedDict):
    cancel_status: bool


@env.write(intents=["cancel my booking {booking_id}", "I can't make the trip, cancel flight booking {booking_id}"])
def cancel_booking(ctx: ToolContext, access_token: str, booking_id: str) -> CancelResult:
    """Cancel a booking; its cost is refunded to the card that paid for it.

    Args:
        access_token: The access token obtained from the authenticate method.
        booking_id: The ID of the booking.
    """
    _signed_in(ctx, access_token)
    booking = _booking(ctx, booking_id)
    card = ctx.rows(CreditCard).get(booking["card_id"]) if booking["card_id"] is not None else None
    if card is None or card["balance"] is None or booking["travel_cost"] is None:
        raise DomainError(f"Booking {booking_id} cannot be refunded: its card or cost is not on record.")
    ctx.rows(CreditCard).update(card["card_id"], balance=card["balance"] + booking["travel_cost"])
    ctx.rows(Booking).delete(booking_id)
    return {"cancel_status": True}


class ExchangeResult(TypedDict):
    exchanged_value: float


@env.read(
    intents=[
        "how much is {value} {base_currency} in {target_currency}?",
        "convert {value} from {base_currency} to {target_currency}",
    ]
)
def compute_exchange_rate(ctx: ToolContext, base_currency: str, target_currency: str, value: float) -> ExchangeResult:
    """Convert an amount between two currencies (rates are quoted against USD).

    Args:
        base_currency: The base currency: USD, RMB, EUR, JPY, GBP, CAD, AUD, INR, RUB, BRL or MXN.
        target_currency: The target currency: USD, RMB, EUR, JPY, GBP, CAD, AUD, INR, RUB, BRL or MXN.
        value: The value to convert.
    """
    rates = ctx.rows(ExchangeRate)
    direct = rates.get(base_currency, target_currency)
    if direct is not None:
        return {"exchanged_value": float(value * direct["rate"])}
    reverse = rates.get(target_currency, base_currency)
    if reverse is not None:
        return {"exchanged_value": round(value / reverse["rate"], 2)}
    raise DomainError(f"No available exchange rate for the given currencies ({base_currency} to {target_currency}).")


class Verification(TypedDict, total=False):
    verification_status: bool
    verification_failure: str


@env.read(
    intents=[
        "check that I, {first_name} {last_name}, born {date_of_birth}, can fly on passport {passport_number}",
        "verify my traveler details: {first_name} {last_name}, passport {passport_number}",
    ]
)
def verify_traveler_information(
    ctx: ToolContext, first_name: str, last_name: str, date_of_birth: str, passport_number: str
) -> Verification:
    """Verify the traveler information: the signed-in user, at least 18 years old, with a US passport.

    Args:
        first_name: The first name of the traveler.
        last_name: The last name of the traveler.
        date_of_birth: The date of birth of the traveler in the format YYYY-MM-DD.
        passport_number: The passport number of the traveler.
    """
    account = _account(ctx)
    if account["user_first_name"] != first_name or account["user_last_name"] != last_name:
        return {
            "verification_status": False,
            "verification_failure": "Cannot book flight information for another user."
            + f"Expected {account['user_first_name']} {account['user_last_name']}, got {first_name} {last_name}",
        }
    try:
        birth = dt.datetime.strptime(date_of_birth, "%Y-%m-%d")
    except ValueError:
        return {
            "verification_status": False,
            "verification_failure": "Invalid date of birth format. Please use YYYY-MM-DD.",
        }
    today = ctx.now
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    if age < MINIMUM_TRAVELLER_AGE:
        return {"verification_status": False, "verification_failure": "Traveler must be at least 18 years old."}
    if not passport_number.startswith("US"):
        return {"verification_status": False, "verification_failure": "Passport must be issued by the United States."}
    return {"verification_status": True}


class BudgetLimit(TypedDict):
    budget_limit: float


@env.write(intents=["set my travel budget to {budget_limit} dollars", "cap my travel spending at {budget_limit} USD"])
def set_budget_limit(ctx: ToolContext, access_token: str, budget_limit: float) -> BudgetLimit:
    """Set the budget limit for the user, in USD.

    Args:
        access_token: The access token obtained from the authentication process or initial configuration.
        budget_limit: The budget limit to set in USD.
    """
    _signed_in(ctx, access_token)
    if budget_limit < 0:
        raise DomainError("The budget limit cannot be negative.")
    ctx.rows(TravelAccount).update(ACCOUNT_KEY, budget_limit=float(budget_limit))
    return {"budget_limit": float(budget_limit)}


class NearestAirport(TypedDict):
    nearest_airport: str


@env.read(intents=["which airport is closest to {location}?", "what's the nearest airport to {location}"])
def get_nearest_airport_by_city(ctx: ToolContext, location: str) -> NearestAirport:
    """Get the nearest airport to the given location ('Unknown' when there is none on record).

    Args:
        location: The name of the location, such as Rivermist, Stonebrook, London, San Francisco or Tokyo.
    """
    airport = ctx.rows(Airport).first({"location": location})
    return {"nearest_airport": airport["airport_code"] if airport else "Unknown"}


class InsuranceResult(TypedDict):
    insurance_id: str
    insurance_status: bool


@env.write(
    intents=[
        "buy {insurance_type} insurance for {insurance_cost} dollars on booking {booking_id}, paid with {card_id}",
        "insure my trip {booking_id} with {insurance_type} cover ({insurance_cost} USD) using {card_id}",
    ]
)
def purchase_insurance(
    ctx: ToolContext, access_token: str, insurance_type: str, booking_id: str, insurance_cost: float, card_id: str
) -> InsuranceResult:
    """Purchase travel insurance for a booking, charged to a registered card.

    Args:
        access_token: The access token obtained from the authenticate method.
        insurance_type: The type of insurance to purchase, such as 'comprehensive'.
        booking_id: The ID of the booking.
        insurance_cost: The cost of the insurance in USD.
        card_id: The ID of the credit card to use for the payment.
    """
    account = _signed_in(ctx, access_token)
    if insurance_cost < 0:
        raise DomainError("The insurance cost cannot be negative.")
    if account["budget_limit"] is not None and account["budget_limit"] < insurance_cost:
        raise DomainError(f"Exceeded budget limit ({account['budget_limit']})")
    _booking(ctx, booking_id)
    card = _card(ctx, card_id, missing=f"Credit card not registered: {card_id}")
    if card["balance"] is None or card["balance"] < insurance_cost:
        raise DomainError(f"Insufficient funds on card {card_id} for insurance costing {insurance_cost}")
    ctx.rows(CreditCard).update(card_id, balance=card["balance"] - insurance_cost)
    (insurance_id,) = _draw(ctx, account, (100000000, 999999999))
    ctx.rows(InsurancePolicy).add(
        insurance_id=str(insurance_id),
        booking_id=booking_id,
        card_id=card_id,
        insurance_type=insurance_type,
        insurance_cost=float(insurance_cost),
    )
    return {"insurance_id": str(insurance_id), "insurance_status": True}


class SupportReply(TypedDict):
    customer_support_message: str


# The reply is BFCL's fixed acknowledgement and nothing changes: a fixed text is no fact a task could check,
# so the tool is exempt from task coverage.
@env.read(
    intents=["tell customer support about booking {booking_id}: {message}", "contact support on booking {booking_id}"],
    coverage=False,
)
def contact_customer_support(ctx: ToolContext, booking_id: str, message: str) -> SupportReply:
    """Contact travel booking customer support about an issue with a booking.

    Args:
        booking_id: The ID of the booking.
        message: The message to send to customer support.
    """
    _booking(ctx, booking_id)
    return {"customer_support_message": SUPPORT_REPLY}


class CardRecord(TypedDict, total=False):
    """A BFCL card record (other keys of an ``initial_config`` card, such as card_type, are passed through)."""

    card_number: str
    expiration_date: str
    cardholder_name: str
    card_verification_number: int
    balance: float


class CreditCardList(TypedDict):
    credit_card_list: dict[str, CardRecord]


@env.read(intents=["which credit cards do I have on file?", "list my registered cards"])
def get_all_credit_cards(ctx: ToolContext) -> CreditCardList:
    """Get all registered credit cards, keyed by card_id."""
    return {"credit_card_list": {row["card_id"]: _card_record(row) for row in ctx.rows(CreditCard).find()}}
