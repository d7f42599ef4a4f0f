"""The car_price environment: every tool, the watchlist/alert/quote rules, pricing, seeding, and a gym episode."""

from __future__ import annotations

from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.travel import car_price
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

ENV = car_price.env


@pytest.fixture
def h() -> EpisodeHarness:
    harness = EpisodeHarness(car_price.env)
    yield harness  # type: ignore[misc]
    harness.close()


def shopper(h: EpisodeHarness, index: int = 0) -> dict[str, Any]:
    return h.database.rows("users")[index]


def toyota_dealer(h: EpisodeHarness) -> dict[str, Any]:
    return h.ok("find_dealers", brand="Toyota", limit=1)[0]


def test_every_tool_succeeds(h: EpisodeHarness) -> None:
    called: set[str] = set()

    def ok(name: str, **arguments: Any) -> Any:
        called.add(name)
        return h.ok(name, **arguments)

    brands = ok("get_car_brands")
    assert len(brands) == 20 and brands[0]["brand"] == "Audi"
    assert {b["brand"] for b in ok("get_car_brands", country="Germany")} >= {"BMW", "Porsche", "Volkswagen"}
    toyota = ok("get_car_models", brand="toyota", vehicle_type="suv")
    assert {m["model"] for m in toyota} == {"RAV4", "Highlander"}
    rav4 = toyota[0] if toyota[0]["model"] == "RAV4" else toyota[1]
    assert [t["trim"] for t in rav4["trims"]] == ["LE", "SE", "XLE", "Limited"]
    price = ok("search_car_price", brand="Toyota", model="RAV4", year=2021, mileage=40_000, region="West")
    assert price["mileage"] == 40_000 and all(
        p["price_low"] < p["estimated_price"] < p["price_high"] for p in price["prices"]
    )
    trucks = ok("get_vehicles_by_type", vehicle_type="truck", max_price=35_000)
    assert trucks["total"] >= 3 and all(v["starting_msrp"] <= 35_000 for v in trucks["vehicles"])
    dealer = ok("find_dealers", brand="Toyota", region="West")[0]
    assert "Toyota" in dealer["brands"] and dealer["region"] == "West"
    user = shopper(h)["user_id"]
    trim_id = rav4["trims"][2]["trim_id"]
    watched = ok("add_to_watchlist", user_id=user, trim_id=trim_id, year=2021)
    assert watched["full_name"] == "Toyota RAV4 XLE"
    assert watched["watch_id"] in {w["watch_id"] for w in ok("list_watchlist", user_id=user)}
    assert "Removed" in ok("remove_from_watchlist", user_id=user, trim_id=trim_id, year=2021)
    alert = ok("create_price_alert", user_id=user, trim_id=trim_id, year=2021, target_price=15_000)
    assert alert["status"] == "active" and alert["current_estimate"] > 15_000
    assert alert["alert_id"] in {a["alert_id"] for a in ok("list_price_alerts", user_id=user)}
    assert "cancelled" in ok("cancel_price_alert", user_id=user, alert_id=alert["alert_id"])
    quote = ok(
        "request_dealer_quote", user_id=user, dealer_id=dealer["dealer_id"], trim_id=trim_id, message="In stock?"
    )
    assert quote["status"] == "pending" and quote["offered_price"] is None
    assert quote["quote_id"] in {q["quote_id"] for q in ok("list_my_quotes", user_id=user)}
    assert ok("cancel_quote_request", user_id=user, quote_id=quote["quote_id"])["status"] == "cancelled"
    assert called == set(car_price.env.tools)


def test_price_estimates_follow_age_mileage_and_region(h: EpisodeHarness) -> None:
    def estimate(**args: Any) -> int:
        base = {"brand": "Honda", "model": "Accord", "year": 2020, "trim": "Sport", "region": "Midwest"}
        return h.ok("search_car_price", **{**base, **args})["prices"][0]["estimated_price"]

    assert estimate(mileage=20_000) > estimate(mileage=90_000)
    assert estimate(region="West") > estimate(region="Midwest")
    new = h.ok("search_car_price", brand="Honda", model="Accord", year=2025, trim="Sport")["prices"][0]
    assert new["estimated_price"] == round(new["msrp_new"] * 0.96, -1)  # Midwest index, no depreciation
    assert h.ok("search_car_price", brand="Honda", model="Accord", year=2020)["mileage"] == 5 * 12_000


def test_business_rules_are_refused_without_state_change(h: EpisodeHarness) -> None:
    user = shopper(h)["user_id"]
    trims = h.database.rows("trims")
    trim_id = next(t["trim_id"] for t in trims if t["trim_id"] == "toyota-camry-xle")
    assert "model years 2012 to 2025" in h.error("search_car_price", brand="Toyota", model="Camry", year=2030)
    assert "model years 2024 to 2025" in h.error("search_car_price", brand="Tesla", model="Cybertruck", year=2020)
    assert "Unknown brand" in h.error("search_car_price", brand="Yugo", model="GV", year=2020)
    assert "no model called" in h.error("search_car_price", brand="Toyota", model="Mustang", year=2020)
    assert "no 'Sport' trim" in h.error("search_car_price", brand="Toyota", model="Camry", year=2020, trim="Sport")
    assert "between 0 and 300000" in h.error("search_car_price", brand="Toyota", model="Camry", year=2020, mileage=-5)
    assert "Unknown region" in h.error("search_car_price", brand="Toyota", model="Camry", year=2020, region="Mars")
    h.ok("add_to_watchlist", user_id=user, trim_id=trim_id, year=2022)
    assert "already on your watchlist" in h.error("add_to_watchlist", user_id=user, trim_id=trim_id, year=2022)
    assert "not on your watchlist" in h.error("remove_from_watchlist", user_id=user, trim_id=trim_id, year=2019)
    assert "was not found" in h.error("add_to_watchlist", user_id=user, trim_id="toyota-warp", year=2022)
    assert "already estimated" in h.error(
        "create_price_alert", user_id=user, trim_id=trim_id, year=2022, target_price=90_000
    )
    assert "positive" in h.error("create_price_alert", user_id=user, trim_id=trim_id, year=2022, target_price=0)
    alert = h.ok("create_price_alert", user_id=user, trim_id=trim_id, year=2022, target_price=5_000)
    assert "already have alert" in h.error(
        "create_price_alert", user_id=user, trim_id=trim_id, year=2022, target_price=4_000
    )
    other = shopper(h, 1)["user_id"]
    assert "does not belong" in h.error("cancel_price_alert", user_id=other, alert_id=alert["alert_id"])
    h.ok("cancel_price_alert", user_id=user, alert_id=alert["alert_id"])
    assert "already cancelled" in h.error("cancel_price_alert", user_id=user, alert_id=alert["alert_id"])
    bmw_only = next(d for d in h.database.rows("dealers") if "Toyota" not in d["brands"])
    assert "not Toyota" in h.error(
        "request_dealer_quote", user_id=user, dealer_id=bmw_only["dealer_id"], trim_id=trim_id
    )
    dealer = toyota_dealer(h)["dealer_id"]
    quote = h.ok("request_dealer_quote", user_id=user, dealer_id=dealer, trim_id=trim_id)
    assert "already have a pending" in h.error("request_dealer_quote", user_id=user, dealer_id=dealer, trim_id=trim_id)
    assert "does not belong" in h.error("cancel_quote_request", user_id=other, quote_id=quote["quote_id"])
    answered = next(q for q in h.database.rows("quote_requests") if q["status"] == "answered")
    assert "only pending" in h.error("cancel_quote_request", user_id=answered["user_id"], quote_id=answered["quote_id"])
    assert "no shopper account" in h.error("list_watchlist", user_id="ghost")


def test_limits_on_alerts_quotes_and_watchlist(h: EpisodeHarness) -> None:
    user = shopper(h, 2)["user_id"]
    toyota_trims = [t["trim_id"] for t in h.database.rows("trims") if t["trim_id"].startswith("toyota-")]
    active = sum(a["user_id"] == user and a["status"] == "active" for a in h.database.rows("price_alerts"))
    for trim_id in toyota_trims[: 10 - active]:
        h.ok("create_price_alert", user_id=user, trim_id=trim_id, year=2020, target_price=1_000)
    assert "10 active price alerts" in h.error(
        "create_price_alert", user_id=user, trim_id=toyota_trims[20], year=2020, target_price=1_000
    )
    pending = sum(q["user_id"] == user and q["status"] == "pending" for q in h.database.rows("quote_requests"))
    dealer = toyota_dealer(h)["dealer_id"]
    for trim_id in toyota_trims[: 5 - pending]:
        h.ok("request_dealer_quote", user_id=user, dealer_id=dealer, trim_id=trim_id)
    assert "5 pending quote requests" in h.error(
        "request_dealer_quote", user_id=user, dealer_id=dealer, trim_id=toyota_trims[20]
    )
    watched = sum(w["user_id"] == user for w in h.database.rows("watchlist"))
    for trim_id in toyota_trims[: 25 - watched]:
        h.ok("add_to_watchlist", user_id=user, trim_id=trim_id, year=2024)
    assert "watchlist is full" in h.error("add_to_watchlist", user_id=user, trim_id=toyota_trims[-1], year=2023)


def test_seeded_sizes_are_realistic() -> None:
    snapshot = get_snapshot(car_price.env, 0)
    counts = {table: len(snapshot.rows(table)) for table in snapshot.tables}
    assert counts["models"] >= 90 and counts["trims"] >= 300 and counts["market_adjustments"] >= 1000
    assert counts["dealers"] >= 100 and counts["users"] >= 100 and counts["watchlist"] >= 200


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    h = EpisodeHarness(car_price.env)
    user = shopper(h, 3)["user_id"]
    h.close()
    task = with_gold_changes(
        Task(
            task_id="cars-watch-and-alert",
            domain="travel",
            env_ids=["car_price"],
            goal="write",
            query=f"I'm {user}. Watch the 2022 Subaru Outback Limited and alert me if it drops under $18,000.",
            gold_calls=[
                GoldCall(env_id="car_price", tool="get_car_models", arguments={"brand": "Subaru"}),
                GoldCall(
                    env_id="car_price",
                    tool="add_to_watchlist",
                    arguments={"user_id": user, "trim_id": "subaru-outback-limited", "year": 2022},
                ),
                GoldCall(
                    env_id="car_price",
                    tool="create_price_alert",
                    arguments={
                        "user_id": user,
                        "trim_id": "subaru-outback-limited",
                        "year": 2022,
                        "target_price": 18_000,
                    },
                ),
            ],
        )
    )
    assert sorted(c.table for c in task.gold_changes) == ["price_alerts", "watchlist"]
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)


def test_alerts_and_quotes_are_described_without_their_ids(h: EpisodeHarness) -> None:
    """A shopper names an alert or a quote by the car it is about; synthesis must not put their ids in a request."""
    alert = h.database.rows("price_alerts")[0]
    label = car_price.models.PriceAlert.__label__(alert)
    assert car_price.models.TRIM_NAMES[alert["trim_id"]] in label and alert["alert_id"] not in label
    quote = h.database.rows("quote_requests")[0]
    assert car_price.models.TRIM_NAMES[quote["trim_id"]] in car_price.models.QuoteRequest.__label__(quote)
    assert set(car_price.models.TRIM_NAMES) == {t["trim_id"] for t in h.database.rows("trims")}
