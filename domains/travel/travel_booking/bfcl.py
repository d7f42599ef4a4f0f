"""BFCL interchange: reads and writes BFCL's ``initial_config``."""

from __future__ import annotations

import sqlite3
from typing import Any

from envfactory_gym.rows import Rows, bulk_insert, connection_of, fetch_rows, fill_if_empty, replace_rows, state_part

from ...bfcl.long_context import LONG_CONTEXT_KEY
from ...bfcl.reference import (
    TRAVEL_DEFAULT_FISCAL_YEAR,
    TRAVEL_STATE_DEFAULTS,
)
from .models import (
    _BOOKING_FIELDS,
    _CARD_FIELDS,
    _REFERENCE_DEFAULTS,
    _REFERENCE_TABLES,
    ACCOUNT_KEY,
    DEFAULT_NOW,
    EXTENSION_KEY,
    BfclMode,
    Booking,
    CreditCard,
    InsurancePolicy,
    TravelAccount,
    _join_record,
    _reference_extension,
    _split_record,
)


class BfclTravelInterchange:
    """Loads and dumps BFCL TravelAPI ``initial_config`` dicts (plus this service's ``envfactory`` key)."""

    def load(self, conn: sqlite3.Connection, data: dict[str, Any]) -> None:
        config = {**TRAVEL_STATE_DEFAULTS, **data}
        extension = data.get(EXTENSION_KEY)
        extension = {} if extension is None else extension
        if not isinstance(extension, dict):
            raise TypeError(f"'{EXTENSION_KEY}' must be an object")
        cards, bookings = config["credit_card_list"], config["booking_record"]
        if not isinstance(cards, dict) or not isinstance(bookings, dict):
            raise TypeError("credit_card_list and booking_record must be objects keyed by id")
        profile = extension.get("profile") or {}
        bulk_insert(
            conn,
            TravelAccount,
            [
                {
                    "account_key": ACCOUNT_KEY,
                    "user_first_name": config["user_first_name"],
                    "user_last_name": config["user_last_name"],
                    "access_token": None if config["access_token"] is None else str(config["access_token"]),
                    "token_type": config["token_type"],
                    "token_expires_in": config["token_expires_in"],
                    "token_scope": config["token_scope"],
                    "budget_limit": None if config["budget_limit"] is None else float(config["budget_limit"]),
                    "budget_fiscal_year": extension.get("budget_fiscal_year", TRAVEL_DEFAULT_FISCAL_YEAR),
                    "client_id": profile.get("client_id"),
                    "client_secret": profile.get("client_secret"),
                    "refresh_token": profile.get("refresh_token"),
                    "date_of_birth": profile.get("date_of_birth"),
                    "passport_number": profile.get("passport_number"),
                    "random_seed": int(config["random_seed"]),
                    "random_words_used": int(extension.get("random_words_used", 0)),
                    "current_time": extension.get("current_time", DEFAULT_NOW),
                }
            ],
        )
        card_rows = [
            {"card_id": str(card_id), **_split_record(card, _CARD_FIELDS, f"Card {card_id}")}
            for card_id, card in cards.items()
        ]
        booking_rows = [
            {"booking_id": str(booking_id), **_split_record(booking, _BOOKING_FIELDS, f"Booking {booking_id}")}
            for booking_id, booking in bookings.items()
        ]
        bulk_insert(conn, CreditCard, card_rows)
        bulk_insert(conn, Booking, booking_rows)
        # BFCL's reference tables are in place already (see base()); a config may bring its own.
        for name, model, columns in _REFERENCE_TABLES:
            given = extension.get(name)
            if given:
                replace_rows(conn, model, [dict(zip(columns, row, strict=True)) for row in given])
            else:
                fill_if_empty(conn, model, _REFERENCE_DEFAULTS[name])
        bulk_insert(conn, InsurancePolicy, extension.get("insurance_policies") or [])
        if _long_context_flag(extension):
            bulk_insert(conn, BfclMode, [{"name": LONG_CONTEXT_KEY}])

    def base(self, conn: sqlite3.Connection) -> None:
        """BFCL's reference tables (airports, route fares, exchange rates): what a config without its own gets."""
        for name, model, _ in _REFERENCE_TABLES:
            bulk_insert(conn, model, _REFERENCE_DEFAULTS[name])

    def dump(self, source: Any) -> dict[str, Any]:
        """The state as an ``initial_config`` (``source``: the state's connection, session or database)."""
        conn = connection_of(source)
        account = Rows(conn, TravelAccount).get(ACCOUNT_KEY)
        if account is None:
            raise ValueError("The travel state has no account row")
        config: dict[str, Any] = {
            "random_seed": account["random_seed"],
            "credit_card_list": {card["card_id"]: _card_record(card) for card in fetch_rows(conn, CreditCard)},
            "booking_record": {b["booking_id"]: _booking_record(b) for b in fetch_rows(conn, Booking)},
            "access_token": account["access_token"],
            "token_type": account["token_type"],
            "token_expires_in": account["token_expires_in"],
            "token_scope": account["token_scope"],
            "user_first_name": account["user_first_name"],
            "user_last_name": account["user_last_name"],
            "budget_limit": account["budget_limit"],
        }
        extension: dict[str, Any] = {
            "random_words_used": account["random_words_used"],
            "current_time": account["current_time"],
            "budget_fiscal_year": account["budget_fiscal_year"],
        }
        profile = {
            name: account[name]
            for name in ("client_id", "client_secret", "refresh_token", "date_of_birth", "passport_number")
            if account[name] is not None
        }
        if profile:
            extension["profile"] = profile
        if is_long_context(conn):
            extension[LONG_CONTEXT_KEY] = True
        tables = ("airports", "flight_routes", "exchange_rates")
        for name, rows in state_part(source, tables, "travel_booking.reference", _reference_extension):
            extension[name] = [list(row) for row in rows]
        policies = fetch_rows(conn, InsurancePolicy)
        if policies:
            extension["insurance_policies"] = policies
        config[EXTENSION_KEY] = extension
        return config


def is_long_context(conn: sqlite3.Connection) -> bool:
    """Whether the state was loaded in BFCL's long-context mode."""
    return conn.execute("SELECT 1 FROM bfcl_modes WHERE name = ?", (LONG_CONTEXT_KEY,)).fetchone() is not None


def _long_context_flag(extension: dict[str, Any]) -> bool:
    """Whether the config is in BFCL's long-context mode (its padded records are in the config already)."""
    flag = extension.get(LONG_CONTEXT_KEY, False)
    if not isinstance(flag, bool):
        raise TypeError(f"'{EXTENSION_KEY}.{LONG_CONTEXT_KEY}' must be true or false, got {flag!r:.40}")
    return flag


def _card_record(row: dict[str, Any]) -> dict[str, Any]:
    return _join_record(row, _CARD_FIELDS)


def _booking_record(row: dict[str, Any]) -> dict[str, Any]:
    return _join_record(row, _BOOKING_FIELDS)
