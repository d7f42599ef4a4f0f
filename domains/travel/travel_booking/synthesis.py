"""Task-synthesis hints for travel_booking: argument samplers for the tools whose arguments must agree with
the account's state (its current access token, card balances against fares and the budget limit, upcoming
bookings, app credentials) or that generic grounding has no value source for (grant types, insurance
kinds, new card numbers, foreign passports).

Every sampler reads the live state through ``ctx`` and returns arguments that succeed and, for a write,
change something; the pipeline executes them and keeps only chains that do. The seeded traveller is
already signed in: samplers use that token, and decline once a chain has signed in again (the fresh token
is an output the traveller could not quote in the request).

The traveller names a card by network and last digits ("my Visa ending in 1158"); only the wallet listing
(``get_all_credit_cards``, keyed by card id) maps that to the card id a payment needs. Synthesis cannot
see ids that are dictionary keys, so samplers that pay with or ask about a card name that lookup as a
``__prerequisites__`` call: it is part of the gold chain, as it is of any real solution.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import ACCOUNT_KEY, GRANT_TYPES, TOKEN_LIFETIME, TRAVEL_CLASS_FACTORS
from .seed import _fare

INSURANCE_TYPES = ("comprehensive", "trip cancellation", "medical", "baggage")
TRAVEL_CLASS_WEIGHTS = (6, 3, 1)  # economy, business, first
FOREIGN_PASSPORT_PREFIXES = ("CA", "GB", "DE", "FR", "MX", "JP", "IN")
AMOUNTS_TO_CONVERT = (50, 120, 250, 400, 800, 1200, 1500, 2500, 5000)


def _account(ctx: ToolContext) -> dict[str, Any] | None:
    """The account, if its token is the seeded, still valid one (not one minted during this chain)."""
    rows = ctx.query("SELECT * FROM travel_account WHERE account_key = ?", (ACCOUNT_KEY,))
    if not rows:
        return None
    account = rows[0]
    if account["access_token"] is None or account["token_expires_in"] in (None, 0, TOKEN_LIFETIME):
        return None
    return account


def _today(ctx: ToolContext) -> str:
    return ctx.now.date().isoformat()


def _cards(ctx: ToolContext, at_least: float) -> list[dict[str, Any]]:
    return ctx.query(
        "SELECT card_id, balance FROM credit_cards WHERE balance IS NOT NULL AND balance >= ? ORDER BY card_id",
        (at_least,),
    )


def _upcoming_bookings(ctx: ToolContext, extra_condition: str = "") -> list[dict[str, Any]]:
    """Bookings still ahead of the traveller whose card and cost are on record (refundable, insurable)."""
    return ctx.query(
        "SELECT b.* FROM bookings b JOIN credit_cards c ON c.card_id = b.card_id "
        "WHERE b.travel_date > ? AND b.travel_cost IS NOT NULL AND c.balance IS NOT NULL "
        + extra_condition
        + " ORDER BY b.booking_id",
        (_today(ctx),),
    )


def _with_card_lookup(arguments: dict[str, Any]) -> dict[str, Any]:
    """Arguments of a call that uses a card, preceded by the wallet listing that finds the card's id."""
    return {**arguments, "__prerequisites__": [{"tool": "get_all_credit_cards", "arguments": {}}]}


def _luhn_number(rng: random.Random, prefix: str, length: int = 16) -> str:
    """A card number with a valid check digit, as a real one would have."""
    digits = [int(d) for d in prefix] + [rng.randint(0, 9) for _ in range(length - len(prefix) - 1)]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        doubled = digit * 2 if position % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


@env.arguments("book_flight")
def sample_flight_booking(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A future flight on an existing route, charged to a card that covers the fare and the budget rule."""
    account = _account(ctx)
    if account is None:
        return None
    routes = ctx.query("SELECT travel_from, travel_to, base_cost FROM flight_routes ORDER BY travel_from, travel_to")
    for _ in range(20):
        route = rng.choice(routes)
        travel_date = (ctx.now.date() + dt.timedelta(days=rng.randint(3, 150))).isoformat()
        travel_class = rng.choices(tuple(TRAVEL_CLASS_FACTORS), weights=TRAVEL_CLASS_WEIGHTS)[0]
        cost = _fare(route["travel_from"], route["travel_to"], travel_date, travel_class, route["base_cost"])
        cards = _cards(ctx, max(cost, account["budget_limit"] or 0.0))
        if cards:
            return _with_card_lookup(
                {
                    "access_token": account["access_token"],
                    "card_id": rng.choice(cards)["card_id"],
                    "travel_date": travel_date,
                    "travel_from": route["travel_from"],
                    "travel_to": route["travel_to"],
                    "travel_class": travel_class,
                }
            )
    return None


@env.arguments("cancel_booking")
def sample_cancellation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    account = _account(ctx)
    bookings = _upcoming_bookings(ctx)
    if account is None or not bookings:
        return None
    return {"access_token": account["access_token"], "booking_id": rng.choice(bookings)["booking_id"]}


@env.arguments("purchase_insurance")
def sample_insurance(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Cover for an upcoming, uninsured booking, priced like the service's policies, within the budget."""
    account = _account(ctx)
    bookings = _upcoming_bookings(
        ctx, "AND NOT EXISTS (SELECT 1 FROM insurance_policies p WHERE p.booking_id = b.booking_id)"
    )
    if account is None or not bookings:
        return None
    booking = rng.choice(bookings)
    cost = round(booking["travel_cost"] * rng.choice((0.04, 0.06, 0.08)) + 20, 2)
    if account["budget_limit"] is not None and cost > account["budget_limit"]:
        return None
    cards = _cards(ctx, cost)
    paying = [c for c in cards if c["card_id"] == booking["card_id"]]
    if not cards:
        return None
    card = paying[0] if paying and rng.random() < 0.6 else rng.choice(cards)
    return _with_card_lookup(
        {
            "access_token": account["access_token"],
            "insurance_type": rng.choice(INSURANCE_TYPES),
            "booking_id": booking["booking_id"],
            "insurance_cost": cost,
            "card_id": card["card_id"],
        }
    )


@env.arguments("set_budget_limit")
def sample_budget(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    account = _account(ctx)
    if account is None:
        return None
    choices = [float(v) for v in range(2000, 20001, 500) if float(v) != account["budget_limit"]]
    return {"access_token": account["access_token"], "budget_limit": rng.choice(choices)}


@env.arguments("register_credit_card")
def sample_new_card(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A card of the account holder that is not in the wallet yet."""
    account = _account(ctx)
    if account is None:
        return None
    number = _luhn_number(rng, rng.choice(("4", "51", "55", "37")), length=rng.choice((15, 16)))
    if ctx.query("SELECT 1 FROM credit_cards WHERE card_number = ? OR card_id = ?", (number, number)):
        return None
    expiry = ctx.now.date() + dt.timedelta(days=rng.randint(200, 5 * 365))
    return {
        "access_token": account["access_token"],
        "card_number": number,
        "expiration_date": expiry.strftime("%m/%Y"),
        "cardholder_name": f"{account['user_first_name']} {account['user_last_name']}",
        "card_verification_number": rng.randint(100, 999),
    }


@env.arguments("authenticate_travel")
def sample_sign_in(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Signing in again with the account's own app credentials (the traveller has them at hand)."""
    account = _account(ctx)
    if account is None or account["client_id"] is None:
        return None
    return {
        "client_id": account["client_id"],
        "client_secret": account["client_secret"],
        "refresh_token": account["refresh_token"],
        "grant_type": rng.choice(GRANT_TYPES),
        "user_first_name": account["user_first_name"],
        "user_last_name": account["user_last_name"],
    }


@env.arguments("get_credit_card_balance")
def sample_balance_question(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    account = _account(ctx)
    cards = _cards(ctx, 0.0)
    if account is None or not cards:
        return None
    return _with_card_lookup({"access_token": account["access_token"], "card_id": rng.choice(cards)["card_id"]})


@env.arguments("retrieve_invoice")
def sample_invoice(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    account = _account(ctx)
    bookings = ctx.query(
        "SELECT booking_id FROM bookings WHERE travel_date IS NOT NULL AND travel_from IS NOT NULL "
        "AND travel_to IS NOT NULL AND travel_class IS NOT NULL AND travel_cost IS NOT NULL "
        "AND transaction_id IS NOT NULL ORDER BY booking_id"
    )
    if account is None or not bookings:
        return None
    return {"access_token": account["access_token"], "booking_id": rng.choice(bookings)["booking_id"]}


@env.arguments("get_flight_cost")
def sample_fare_question(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    routes = ctx.query("SELECT travel_from, travel_to FROM flight_routes ORDER BY travel_from, travel_to")
    route = rng.choice(routes)
    return {
        "travel_from": route["travel_from"],
        "travel_to": route["travel_to"],
        "travel_date": (ctx.now.date() + dt.timedelta(days=rng.randint(3, 150))).isoformat(),
        "travel_class": rng.choices(tuple(TRAVEL_CLASS_FACTORS), weights=TRAVEL_CLASS_WEIGHTS)[0],
    }


@env.arguments("compute_exchange_rate")
def sample_conversion(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """An amount between two currencies the service quotes, in either direction."""
    rate = rng.choice(ctx.query("SELECT base_currency, target_currency FROM exchange_rates ORDER BY rowid"))
    base, target = (
        (rate["base_currency"], rate["target_currency"])
        if rng.random() < 0.5
        else (rate["target_currency"], rate["base_currency"])
    )
    return {"base_currency": base, "target_currency": target, "value": float(rng.choice(AMOUNTS_TO_CONVERT))}


@env.arguments("get_nearest_airport_by_city")
def sample_airport_question(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return {"location": rng.choice(ctx.query("SELECT location FROM airports ORDER BY rowid"))["location"]}


@env.arguments("verify_traveler_information")
def sample_traveller_check(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """The traveller checking whether a second, non-US passport will do (the service says why not)."""
    rows = ctx.query("SELECT * FROM travel_account WHERE account_key = ?", (ACCOUNT_KEY,))
    if not rows or rows[0]["date_of_birth"] is None:
        return None
    account = rows[0]
    passport = f"{rng.choice(FOREIGN_PASSPORT_PREFIXES)}{rng.randint(10000000, 99999999)}"
    return {
        "first_name": account["user_first_name"],
        "last_name": account["user_last_name"],
        "date_of_birth": account["date_of_birth"],
        "passport_number": passport,
    }
