"""The shopping domain's cross-service stories: the links they join services by exist in the seeded states,
and each story's decision goes both ways on the packaged tasks (the state decides, not the story)."""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from envfactory_gym import registry
from envfactory_gym.domains.shopping import domain_stories as shop
from envfactory_gym.synthesis.stories import load_stories
from envfactory_gym.tasks import Task, load_tasks
from envfactory_gym.testing import EpisodeHarness


@cache
def _harness(env_id: str) -> EpisodeHarness:
    return EpisodeHarness(registry.load_definition(env_id))


def _rows(env_id: str, sql: str, *params: object) -> list[dict[str, object]]:
    return _harness(env_id).rows(sql, *params)


@cache
def _domain_tasks() -> tuple[Task, ...]:
    return tuple(load_tasks("shopping", "domain"))


def _told(story: str) -> list[Task]:
    return [t for t in _domain_tasks() if t.metadata["story"].endswith("." + story)]


def _tools(task: Task) -> set[str]:
    return {f"{c.env_id}.{c.tool}" for c in task.gold_calls}


# -- the links exist in both seeds -----------------------------------------------------------------------


def test_every_city_uu_paotui_serves_is_a_kuaidi100_city() -> None:
    uu = {r["city_name"] for r in _rows("uu_paotui", "SELECT city_name FROM cities")}
    kd = {r["city"] for r in _rows("kuaidi100", "SELECT city FROM cities")}
    assert uu and uu <= kd


def test_parcels_reach_uu_cities_and_some_are_signed_for_at_an_office() -> None:
    uu = [r["city_name"] for r in _rows("uu_paotui", "SELECT city_name FROM cities")]
    marks = " OR ".join("context LIKE ?" for _ in shop.OFFICE_SIGNERS)
    signed = _rows(
        "kuaidi100",
        f"SELECT DISTINCT p.to_city FROM parcels p JOIN trace_events t ON t.num = p.num WHERE t.state = 'signed' "
        f"AND ({marks}) AND p.to_city IN ({', '.join('?' for _ in uu)})",
        *(f"%{who}%" for who in shop.OFFICE_SIGNERS),
        *uu,
    )
    assert len(signed) >= 4


def test_hema_fresh_stocks_fruits_fruityvice_knows() -> None:
    names = {r["name"] for r in _rows("fruityvice", "SELECT name FROM fruits")}
    assert set(shop.HEMA_FRUITS) <= names
    shops = _rows("uu_paotui", "SELECT DISTINCT city_name FROM places WHERE name LIKE 'Hema Fresh (%'")
    assert len(shops) >= 6


@pytest.mark.parametrize("kind", shop.SHARED_KINDS)
def test_both_stores_sell_the_shared_kinds(kind: str) -> None:
    assert _rows("retail", "SELECT 1 FROM products WHERE name = ?", kind)
    assert _rows("fake_store", "SELECT 1 FROM products WHERE lower(title) LIKE ?", f"%{kind.lower()}%")


@pytest.mark.parametrize(("title", "query"), list(shop.SAME_KIND_ON_EBAY.items()))
def test_fake_store_products_have_the_same_brand_and_kind_on_ebay(title: str, query: str) -> None:
    assert _rows("fake_store", "SELECT 1 FROM products WHERE title = ?", title)
    words = query.split()
    where = " AND ".join("title LIKE ?" for _ in words)
    assert _rows("ebay", f"SELECT 1 FROM items WHERE listing_status = 'ACTIVE' AND {where}", *(f"%{w}%" for w in words))
    assert query in shop.SPOKEN_SEARCH


@pytest.mark.parametrize(("brand", "kind"), shop.BRAND_KINDS)
def test_amazon_and_ebay_carry_each_brand_kind(brand: str, kind: str) -> None:
    assert _rows("amazon_product", "SELECT 1 FROM items WHERE lower(brand) = lower(?) AND title LIKE ?", brand,
                 f"%{kind},%")  # fmt: skip
    assert _rows("ebay", "SELECT 1 FROM items WHERE condition = 'NEW' AND title LIKE ? AND title LIKE ?",
                 f"{brand}%", f"%{kind}%")  # fmt: skip


def test_store_kinds_replaced_elsewhere_are_sold_there() -> None:
    for kind in (*shop.EBAY_KINDS, *shop.AMAZON_KINDS):
        assert _rows("retail", "SELECT 1 FROM products WHERE name = ?", kind), kind
    for kind in shop.AMAZON_KINDS:
        assert _rows("amazon_product", "SELECT 1 FROM items WHERE lower(title) LIKE ?", f"%{kind.lower()}%"), kind


# -- the stories ---------------------------------------------------------------------------------------


def test_cross_service_stories_join_two_or_three_services_of_the_domain() -> None:
    crossing = [s for s in load_stories("shopping") if s.multi_env]
    shopping = set(registry.domain_envs("shopping"))
    assert len(crossing) >= 10
    assert all(2 <= len(s.env_ids) <= 3 and set(s.env_ids) <= shopping for s in crossing)
    # Every shopping service meets another one in some story.
    assert {e for s in crossing for e in s.env_ids} == shopping
    assert sum(s.implicit for s in crossing) >= len(crossing) / 2


def test_every_cross_service_story_is_in_the_packaged_domain_tasks() -> None:
    told = Counter(t.metadata["story"] for t in _domain_tasks())
    for chosen in load_stories("shopping"):
        if chosen.multi_env:
            assert told[chosen.name] >= 3, chosen.name


def test_the_parcel_decides_whether_a_runner_is_booked() -> None:
    tasks = _told("parcel_at_the_office_sent_home")
    booked = [t for t in tasks if "uu_paotui.create_order" in _tools(t)]
    waiting = [t for t in tasks if t not in booked]
    assert booked and waiting
    assert all("yes" in t.required_facts for t in booked)
    assert all("no" in t.required_facts and t.goal == "read" for t in waiting)


def test_the_cheaper_price_decides_where_the_shopper_buys() -> None:
    for story, elsewhere in (
        ("buy_where_it_is_cheaper", "ebay.buy_it_now"),
        ("amazon_cart_or_ebay_for_the_brand", "ebay.buy_it_now"),
        ("handmade_gift_if_not_dearer", "etsy.favorite_listing"),
        ("best_buy_or_ebay_for_the_same_thing", "ebay.buy_it_now"),
    ):
        tasks = _told(story)
        there = [t for t in tasks if elsewhere in _tools(t)]
        assert there and len(there) < len(tasks), story


def test_the_runner_is_booked_only_within_what_the_person_would_pay() -> None:
    tasks = _told("courier_or_runner_across_town")
    assert any(t.goal == "write" for t in tasks) and any(t.goal == "read" for t in tasks)
    for task in tasks:
        assert [c.tool for c in task.gold_calls][:2] == ["estimate_price", "estimate_price"]


def test_a_fruit_run_notes_the_fruit_the_nutrition_chose_and_logs_it() -> None:
    for task in _told("fruit_run_with_less_sugar"):
        order = next(c for c in task.gold_calls if c.tool == "create_order")
        logged = next(c for c in task.gold_calls if c.tool == "log_fruit")
        looked_up = [c.arguments["name"] for c in task.gold_calls if c.tool == "get_fruit_nutrition"]
        assert logged.arguments["name"] in looked_up
        assert order.arguments["note"] == f"Please buy 1 kg of {logged.arguments['name'].lower()}"
        assert order.arguments["note"] in task.query


@pytest.mark.parametrize(("name", "twin"), list(shop.BESTBUY_ON_EBAY.items()))
def test_best_buy_products_are_listed_new_on_ebay_under_their_own_name(name: str, twin: str) -> None:
    assert _rows("bestbuy", "SELECT 1 FROM products WHERE name = ? AND condition = 'new'", name)
    assert _rows("ebay", "SELECT 1 FROM items WHERE title LIKE ? AND condition = 'NEW'", f"{twin}%")


def test_retail_customers_live_where_best_buy_has_stores_selling_their_kinds() -> None:
    stores = {r["city"] for r in _rows("bestbuy", "SELECT DISTINCT city FROM stores")}
    homes = {r["city"] for r in _rows("retail", "SELECT DISTINCT city FROM users")}
    assert len(stores & homes) >= 10
    for kind, category in shop.BESTBUY_CATEGORIES.items():
        assert _rows("retail", "SELECT 1 FROM products WHERE name = ?", kind), kind
        assert _rows("bestbuy", "SELECT 1 FROM products WHERE category_id = ? AND condition = 'new'", category), kind


def test_tracked_gadgets_and_camping_gear_have_their_counterparts() -> None:
    kinds = {r["subcategory"] for r in _rows("price_comparison", "SELECT DISTINCT subcategory FROM products")}
    assert set(shop.HAND_ME_DOWNS) <= kinds
    types = {r["product_type"] for r in _rows("shopify", "SELECT DISTINCT product_type FROM products")}
    assert set(shop.CAMPING_TYPES) <= types
    assert _rows("ebay", "SELECT 1 FROM categories WHERE name = ? AND leaf = 1", shop.CAMPING_ON_EBAY)


def test_a_broken_item_is_returned_only_once_a_store_in_town_holds_the_replacement() -> None:
    tasks = _told("broken_so_pick_one_up_today")
    held = [t for t in tasks if "bestbuy.reserve_for_pickup" in _tools(t)]
    assert held and len(held) < len(tasks)
    for task in tasks:
        returned = "retail.return_delivered_order_items" in _tools(task)
        assert returned == (task in held)
        if returned:  # the hold comes first: nothing is returned unless the store has it
            tools = [f"{c.env_id}.{c.tool}" for c in task.gold_calls]
            assert tools.index("bestbuy.reserve_for_pickup") < tools.index("retail.return_delivered_order_items")


def test_over_budget_the_tracker_waits_with_an_alert_at_the_budget() -> None:
    tasks = _told("new_gadget_old_one_to_family")
    alerts = [t for t in tasks if "price_comparison.create_price_alert" in _tools(t)]
    assert alerts and len(alerts) < len(tasks)
    for task in alerts:
        alert = next(c for c in task.gold_calls if c.tool == "create_price_alert")
        assert f"{alert.arguments['target_price']:,.0f}" in task.query
