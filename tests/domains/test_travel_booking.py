"""travel_booking: BFCL TravelAPI surface, business rules, seeded state and initial_config interchange."""

from __future__ import annotations

import copy
import importlib.util
import inspect
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import build_snapshot, get_snapshot
from envfactory_gym.domains.bfcl.stream import SeededStream
from envfactory_gym.domains.travel import travel_booking
from envfactory_gym.registry import catalog
from envfactory_gym.scenario import ScenarioError
from envfactory_gym.testing import EpisodeHarness

ENV = travel_booking.env
TOKEN = "tok-1"


def bfcl_config(**overrides: Any) -> dict[str, Any]:
    """A signed-in BFCL TravelAPI initial_config with one card and one booking."""
    config: dict[str, Any] = {
        "credit_card_list": {
            "card_a": {
                "card_number": "4111111111111111",
                "expiration_date": "12/2027",
                "cardholder_name": "Ivy Chen",
                "card_verification_number": 123,
                "balance": 2000.0,
                "card_type": "Visa",
            }
        },
        "booking_record": {
            "1000001": {
                "card_id": "card_a",
                "travel_date": "2025-08-01",
                "travel_from": "SFO",
                "travel_to": "LAX",
                "travel_class": "economy",
                "travel_cost": 200.0,
                "transaction_id": "20000002",
            }
        },
        "access_token": TOKEN,
        "token_type": "Bearer",
        "token_expires_in": 3600,
        "token_scope": "read_write",
        "user_first_name": "Ivy",
        "user_last_name": "Chen",
        "budget_limit": None,
    }
    config.update(overrides)
    return config


@pytest.fixture
def seeded() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(ENV)
    yield harness
    harness.close()


def harness_for(config: dict[str, Any]) -> EpisodeHarness:
    return EpisodeHarness(ENV, scenario=copy.deepcopy(config))


@pytest.fixture
def bfcl() -> Iterator[EpisodeHarness]:
    harness = harness_for(bfcl_config())
    yield harness
    harness.close()


def account(h: EpisodeHarness) -> dict[str, Any]:
    (row,) = h.database.rows("travel_account")
    return row


def card_balance(h: EpisodeHarness, card_id: str) -> float:
    return h.ok("get_credit_card_balance", access_token=account(h)["access_token"], card_id=card_id)["card_balance"]


def sign_in(h: EpisodeHarness) -> str:
    row = account(h)
    result = h.ok(
        "authenticate_travel",
        client_id=row["client_id"],
        client_secret=row["client_secret"],
        refresh_token=row["refresh_token"],
        grant_type="read_write",
        user_first_name=row["user_first_name"],
        user_last_name=row["user_last_name"],
    )
    return result["access_token"]


# -- surface --------------------------------------------------------------------------------------------


def test_tool_names_are_bfcls() -> None:
    assert set(ENV.tools) == set(catalog()["travel_booking"].reference_tools)


@pytest.mark.skipif(importlib.util.find_spec("bfcl_eval") is None, reason="bfcl-eval is not installed")
def test_parameters_and_defaults_match_bfcl_signatures() -> None:
    from bfcl_eval.eval_checker.multi_turn_eval.func_source_code.travel_booking import TravelAPI

    for name, spec in ENV.tools.items():
        theirs = list(inspect.signature(getattr(TravelAPI, name)).parameters.values())[1:]
        ours = list(inspect.signature(spec.func).parameters.values())[1:]
        assert [p.name for p in ours] == [p.name for p in theirs], name
        assert [p.default for p in ours] == [p.default for p in theirs], name


# -- seeded state -----------------------------------------------------------------------------------------


def test_seeded_state_is_realistic_in_size() -> None:
    snapshot = get_snapshot(ENV)
    counts = {name: len(snapshot.rows(name)) for name in snapshot.tables}
    assert counts["travel_account"] == 1
    assert counts["airports"] >= 100
    assert counts["flight_routes"] >= 1000
    assert 40 <= counts["bookings"] <= 60
    assert 6 <= counts["credit_cards"] <= 8
    assert counts["exchange_rates"] == 22
    assert counts["insurance_policies"] >= 1


def test_seeded_bookings_reference_cards_and_cost_bfcls_fare() -> None:
    snapshot = get_snapshot(ENV)
    cards = {row["card_id"] for row in snapshot.rows("credit_cards")}
    routes = {(r["travel_from"], r["travel_to"]): r["base_cost"] for r in snapshot.rows("flight_routes")}
    for booking in snapshot.rows("bookings"):
        assert booking["card_id"] in cards
        base = routes[(booking["travel_from"], booking["travel_to"])]
        digits = sum(int(c) for c in booking["travel_date"] if c.isdigit())
        factor = {"economy": 1, "business": 2, "first": 5}[booking["travel_class"]]
        assert booking["travel_cost"] == base * factor * (2 if digits % 2 == 0 else 1)


# -- every tool, on the seeded state ------------------------------------------------------------------------


def test_every_tool_succeeds_on_the_seeded_state(seeded: EpisodeHarness) -> None:
    h = seeded
    used: set[str] = set()

    def ok(tool: str, **args: Any) -> Any:
        used.add(tool)
        return h.ok(tool, **args)

    assert ok("travel_get_login_status") == {"status": True}
    row = account(h)
    token = ok(
        "authenticate_travel",
        client_id=row["client_id"],
        client_secret=row["client_secret"],
        refresh_token=row["refresh_token"],
        grant_type="read_write",
        user_first_name=row["user_first_name"],
        user_last_name=row["user_last_name"],
    )["access_token"]
    assert token != row["access_token"] and "Invalid access token" in h.error(
        "get_booking_history", access_token=row["access_token"]
    )
    assert ok("get_budget_fiscal_year") == {"budget_fiscal_year": "2025"}
    airports = ok("list_all_airports")
    assert airports[:3] == ["RMS", "SBK", "MPC"] and "SIN" in airports
    assert ok("get_nearest_airport_by_city", location="Singapore") == {"nearest_airport": "SIN"}
    assert ok("compute_exchange_rate", base_currency="USD", target_currency="CHF", value=100.0) == {
        "exchanged_value": 90.0
    }
    assert ok(
        "verify_traveler_information",
        first_name=row["user_first_name"],
        last_name=row["user_last_name"],
        date_of_birth=row["date_of_birth"],
        passport_number=row["passport_number"],
    ) == {"verification_status": True}
    card_id = ok(
        "register_credit_card",
        access_token=token,
        card_number="5105105105105100",
        expiration_date="01/2030",
        cardholder_name="Test Holder",
        card_verification_number=999,
    )["card_id"]
    cards = ok("get_all_credit_cards")["credit_card_list"]
    assert cards[card_id]["card_number"] == "5105105105105100"
    balance = ok("get_credit_card_balance", access_token=token, card_id=card_id)["card_balance"]
    ok("set_budget_limit", access_token=token, budget_limit=1000.0)
    cost = ok("get_flight_cost", travel_from="SIN", travel_to="BKK", travel_date="2025-07-04", travel_class="economy")
    (price,) = cost["travel_cost_list"]
    booking = ok(
        "book_flight",
        access_token=token,
        card_id=card_id,
        travel_date="2025-07-04",
        travel_from="SIN",
        travel_to="BKK",
        travel_class="economy",
    )
    booking_id = booking["booking_id"]
    assert booking["booking_status"] is True and booking["booking_history"] == {}
    invoice = ok("retrieve_invoice", access_token=token, booking_id=booking_id)["invoice"]
    assert invoice["travel_cost"] == price and invoice["transaction_id"] == booking["transaction_id"]
    assert booking_id in ok("get_booking_history", access_token=token)["booking_history"]
    insured = ok(
        "purchase_insurance",
        access_token=token,
        insurance_type="comprehensive",
        booking_id=booking_id,
        insurance_cost=40.0,
        card_id=card_id,
    )
    assert insured["insurance_status"] is True
    assert card_balance(h, card_id) == pytest.approx(balance - price - 40.0)
    assert (
        "received"
        in ok("contact_customer_support", booking_id=booking_id, message="Window seat?")["customer_support_message"]
    )
    assert ok("cancel_booking", access_token=token, booking_id=booking_id) == {"cancel_status": True}
    assert card_balance(h, card_id) == pytest.approx(balance - 40.0)
    assert used == set(ENV.tools)


# -- effects -----------------------------------------------------------------------------------------------


def test_book_flight_debits_the_card_and_records_the_booking(bfcl: EpisodeHarness) -> None:
    # 2025-10-11: digits add up to 10 (even), so the fare doubles; SFO-LAX economy is 200.
    result = bfcl.ok(
        "book_flight",
        access_token=TOKEN,
        card_id="card_a",
        travel_date="2025-10-11",
        travel_from="SFO",
        travel_to="LAX",
        travel_class="economy",
    )
    assert card_balance(bfcl, "card_a") == 1600.0
    (changed,) = [c for c in bfcl.database.change_set() if c.table == "bookings"]
    assert changed.op == "insert" and changed.after is not None
    assert changed.after["booking_id"] == result["booking_id"] and changed.after["travel_cost"] == 400.0
    # The ids come from BFCL's stream (default seed 141053): its first 7-digit draw is the booking id.
    assert result["booking_id"] == str(SeededStream(141053).randint(1000000, 9999999))


def test_cancel_refunds_the_card_and_removes_the_booking(bfcl: EpisodeHarness) -> None:
    bfcl.ok("cancel_booking", access_token=TOKEN, booking_id="1000001")
    assert card_balance(bfcl, "card_a") == 2200.0
    assert bfcl.ok("get_booking_history", access_token=TOKEN) == {"booking_history": {}}


def test_authenticate_replaces_the_token(bfcl: EpisodeHarness) -> None:
    new = bfcl.ok(
        "authenticate_travel",
        client_id="c",
        client_secret="s",
        refresh_token="r",
        grant_type="read",
        user_first_name="Ivy",
        user_last_name="Chen",
    )
    assert new["scope"] == "read" and new["expires_in"] == 2 and new["access_token"] != TOKEN
    assert "Invalid access token" in bfcl.error("get_booking_history", access_token=TOKEN)
    assert "1000001" in bfcl.ok("get_booking_history", access_token=new["access_token"])["booking_history"]


def test_exchange_rates_work_both_ways(bfcl: EpisodeHarness) -> None:
    assert bfcl.ok("compute_exchange_rate", base_currency="USD", target_currency="JPY", value=2.0) == {
        "exchanged_value": 220.0
    }
    assert bfcl.ok("compute_exchange_rate", base_currency="GBP", target_currency="USD", value=100.0) == {
        "exchanged_value": 142.86
    }


def test_verification_statuses(bfcl: EpisodeHarness) -> None:
    def verify(**args: Any) -> dict[str, Any]:
        base = {"first_name": "Ivy", "last_name": "Chen", "date_of_birth": "1990-01-01", "passport_number": "US1"}
        return bfcl.ok("verify_traveler_information", **{**base, **args})

    assert verify() == {"verification_status": True}
    assert "another user" in verify(first_name="Bob")["verification_failure"]
    # The service clock is 2025-06-02: born 2007-06-03 is one day short of 18.
    assert verify(date_of_birth="2007-06-03")["verification_failure"] == "Traveler must be at least 18 years old."
    assert verify(date_of_birth="2007-06-02") == {"verification_status": True}
    assert "United States" in verify(passport_number="P123")["verification_failure"]
    assert "format" in verify(date_of_birth="01/01/1990")["verification_failure"]


def test_unknown_city_has_no_airport(bfcl: EpisodeHarness) -> None:
    assert bfcl.ok("get_nearest_airport_by_city", location="Atlantis") == {"nearest_airport": "Unknown"}
    assert bfcl.ok("list_all_airports")[-1] == "BOS"


# -- refusals: a clear message, nothing changed --------------------------------------------------------------

BOOK = {"card_id": "card_a", "travel_date": "2025-10-12", "travel_from": "SFO", "travel_to": "LAX"}


@pytest.mark.parametrize(
    ("tool", "args", "message"),
    [
        ("book_flight", {"access_token": "nope", **BOOK, "travel_class": "economy"}, "Invalid access token"),
        ("book_flight", {"access_token": TOKEN, **BOOK, "card_id": "zzz", "travel_class": "economy"}, "not registered"),
        ("book_flight", {"access_token": TOKEN, **BOOK, "travel_from": "XXX", "travel_class": "economy"}, "departure"),
        ("book_flight", {"access_token": TOKEN, **BOOK, "travel_to": "XXX", "travel_class": "economy"}, "destination"),
        (
            "book_flight",
            {"access_token": TOKEN, **BOOK, "travel_date": "12/10/2025", "travel_class": "economy"},
            "date",
        ),
        ("book_flight", {"access_token": TOKEN, **BOOK, "travel_class": "premium"}, "Invalid travel class"),
        ("book_flight", {"access_token": TOKEN, **BOOK, "travel_to": "HKG", "travel_class": "economy"}, "No available"),
        (
            "book_flight",
            {"access_token": TOKEN, **BOOK, "travel_from": "JFK", "travel_to": "PEK", "travel_class": "first"},
            "Insufficient funds",
        ),
        (
            "get_flight_cost",
            {"travel_from": "BOS", "travel_to": "SFO", "travel_date": "2025-01-01", "travel_class": "economy"},
            "No available route",
        ),
        (
            "get_flight_cost",
            {"travel_from": "SFO", "travel_to": "BOS", "travel_date": "2025-01-01", "travel_class": "coach"},
            "Invalid travel class",
        ),
        ("cancel_booking", {"access_token": TOKEN, "booking_id": "999"}, "Booking not found"),
        ("retrieve_invoice", {"access_token": TOKEN, "booking_id": "999"}, "Booking not found"),
        ("retrieve_invoice", {"access_token": TOKEN}, "Booking not found"),
        ("get_credit_card_balance", {"access_token": TOKEN, "card_id": "zzz"}, "card_a"),
        ("contact_customer_support", {"booking_id": "999", "message": "hi"}, "Booking not found"),
        ("compute_exchange_rate", {"base_currency": "EUR", "target_currency": "GBP", "value": 1.0}, "No available"),
        ("set_budget_limit", {"access_token": TOKEN, "budget_limit": -5.0}, "negative"),
        ("set_budget_limit", {"access_token": "nope", "budget_limit": 5.0}, "Invalid access token"),
        (
            "purchase_insurance",
            {
                "access_token": TOKEN,
                "insurance_type": "t",
                "booking_id": "999",
                "insurance_cost": 10.0,
                "card_id": "card_a",
            },
            "Booking not found",
        ),
        (
            "purchase_insurance",
            {
                "access_token": TOKEN,
                "insurance_type": "t",
                "booking_id": "1000001",
                "insurance_cost": 10.0,
                "card_id": "zzz",
            },
            "not registered",
        ),
        (
            "purchase_insurance",
            {
                "access_token": TOKEN,
                "insurance_type": "t",
                "booking_id": "1000001",
                "insurance_cost": 5000.0,
                "card_id": "card_a",
            },
            "Insufficient funds",
        ),
        (
            "purchase_insurance",
            {
                "access_token": TOKEN,
                "insurance_type": "t",
                "booking_id": "1000001",
                "insurance_cost": -1.0,
                "card_id": "card_a",
            },
            "negative",
        ),
        (
            "register_credit_card",
            {
                "access_token": TOKEN,
                "card_number": "4111111111111111",
                "expiration_date": "01/2030",
                "cardholder_name": "I",
                "card_verification_number": 1,
            },
            "already registered",
        ),
        (
            "authenticate_travel",
            {
                "client_id": "c",
                "client_secret": "s",
                "refresh_token": "r",
                "grant_type": "admin",
                "user_first_name": "I",
                "user_last_name": "C",
            },
            "grant type",
        ),
    ],
)
def test_refusals_change_nothing(bfcl: EpisodeHarness, tool: str, args: dict[str, Any], message: str) -> None:
    assert message in bfcl.error(tool, **args)


def test_budget_rules() -> None:
    h = harness_for(bfcl_config(budget_limit=1900.0))
    # The card holds 2000, the flight costs 200: the balance stays above... but BFCL requires the balance
    # itself to be at least the budget limit, and insurance to cost no more than the limit.
    h.ok("book_flight", access_token=TOKEN, **BOOK, travel_class="economy")  # 2000 >= 1900: allowed
    assert "less than budget limit" in h.error("book_flight", access_token=TOKEN, **BOOK, travel_class="economy")
    assert "Exceeded budget limit" in h.error(
        "purchase_insurance",
        access_token=TOKEN,
        insurance_type="t",
        booking_id="1000001",
        insurance_cost=1950.0,
        card_id="card_a",
    )
    h.close()


def test_token_states() -> None:
    expired = harness_for(bfcl_config(token_expires_in=0))
    assert "Token expired" in expired.error("get_booking_history", access_token=TOKEN)
    assert expired.ok("travel_get_login_status") == {"status": False}
    expired.close()
    never = harness_for(bfcl_config(access_token=None, token_expires_in=None))
    assert "Token not initialized" in never.error(
        "register_credit_card",
        access_token=TOKEN,
        card_number="1",
        expiration_date="01/2030",
        cardholder_name="I",
        card_verification_number=1,
    )
    never.close()


def test_seeded_account_checks_app_credentials(seeded: EpisodeHarness) -> None:
    row = account(seeded)
    message = seeded.error(
        "authenticate_travel",
        client_id=row["client_id"],
        client_secret="wrong",
        refresh_token="r",
        grant_type="read",
        user_first_name="A",
        user_last_name="B",
    )
    assert "client" in message


def test_records_bfcl_cannot_refund_or_invoice_are_refused() -> None:
    config = bfcl_config(
        booking_record={"booking001": {"flight_number": "LA123", "date": "2026-10-15", "price": 1500.0}},
        credit_card_list={"nobalance": {"card_number": "1"}},
    )
    h = harness_for(config)
    assert "cannot be refunded" in h.error("cancel_booking", access_token=TOKEN, booking_id="booking001")
    assert "no invoice" in h.error("retrieve_invoice", access_token=TOKEN, booking_id="booking001")
    assert "Balance not found" in h.error(
        "book_flight", access_token=TOKEN, **{**BOOK, "card_id": "nobalance"}, travel_class="economy"
    )
    h.close()


# -- initial_config interchange ------------------------------------------------------------------------------


def dump(h: EpisodeHarness) -> dict[str, Any]:
    return ENV.scenario_io.dump(h.database.session)


def test_bfcl_config_round_trips_with_unknown_keys_kept() -> None:
    config = bfcl_config(
        booking_record={"booking001": {"flight_number": "LA123", "date": "2026-10-15", "price": 1500.0}}
    )
    h = harness_for(config)
    dumped = dump(h)
    h.close()
    for key, value in config.items():
        assert dumped[key] == value, key
    assert dumped["random_seed"] == 141053
    again = harness_for(dumped)
    assert dump(again) == dumped
    again.close()


def test_seeded_state_round_trips_through_initial_config(seeded: EpisodeHarness) -> None:
    sign_in(seeded)  # a state with a token and a moved id stream
    dumped = dump(seeded)
    reloaded = harness_for(dumped)
    assert reloaded.database.export_tables() == seeded.database.export_tables()
    assert dump(reloaded) == dumped
    reloaded.close()


@pytest.mark.parametrize(
    "bad",
    [
        {"credit_card_list": ["not", "a", "dict"]},
        {"booking_record": {"1": "not a record"}},
        {"envfactory": "not an object"},
        {"envfactory": []},
        {"budget_limit": "lots"},
    ],
)
def test_malformed_initial_config_is_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ScenarioError):
        build_snapshot(ENV, 0, bfcl_config(**bad))
