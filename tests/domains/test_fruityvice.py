"""The Fruityvice environment: every tool, portions scaled from the per-100 g values, the rules for a new
fruit, the log window and limits, saved fruits and goals, seeding, and a gym episode."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import build_snapshot, get_snapshot
from envfactory_gym.domains.shopping import fruityvice
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import load_tasks
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

TODAY = fruityvice.models.NOW.date()
SALAK = {
    "name": "Salak",
    "family": "Arecaceae",
    "order": "Arecales",
    "genus": "Salacca",
    "calories": 82,
    "fat": 0.4,
    "sugar": 14.0,
    "carbohydrates": 22.3,
    "protein": 0.8,
}


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(fruityvice.env)
    yield harness
    harness.close()


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def a_user(h: EpisodeHarness, where: str = "1 = 1") -> dict[str, Any]:
    return h.rows(f"SELECT * FROM users WHERE {where} ORDER BY username LIMIT 1")[0]


def test_fruit_lookups(h: EpisodeHarness) -> None:
    mango = h.ok("get_fruit_nutrition", name="mango")
    assert (mango["name"], mango["family"], mango["order"], mango["genus"]) == (
        "Mango", "Anacardiaceae", "Sapindales", "Mangifera",
    )  # fmt: skip
    assert mango["nutritions"] == {"calories": 60, "fat": 0.38, "sugar": 13.7, "carbohydrates": 15.0, "protein": 0.82}
    assert mango["grams"] == 100 and mango["amount"]["sugar"] == 13.7
    portion = h.ok("get_fruit_nutrition", name="Mango", grams=150)
    assert portion["amount"] == {"calories": 90.0, "fat": 0.6, "sugar": 20.6, "carbohydrates": 22.5, "protein": 1.2}
    assert "Did you mean Mango" in h.error("get_fruit_nutrition", name="mangoo")
    assert "between 1 and 2000 grams" in h.error("get_fruit_nutrition", name="Mango", grams=0)
    citrus = h.ok("get_fruits_by_genus", genus="citrus")
    assert {"Lemon", "Lime", "Orange", "Grapefruit"} <= {f["name"] for f in citrus}
    assert all(f["genus"] == "Citrus" for f in citrus)
    rosaceae = h.ok("get_fruits_by_family", family="Rosaceae")
    assert {"Apple", "Pear", "Strawberry"} <= {f["name"] for f in rosaceae} and len(rosaceae) >= 10
    assert all(f["order"] == "Rosales" for f in h.ok("get_fruits_by_order", order="Rosales"))
    assert "no fruits in the genus" in h.error("get_fruits_by_genus", genus="Brassica")


def test_listing_and_nutrient_ranges(h: EpisodeHarness) -> None:
    page = h.ok("list_fruits", limit=50)
    names = [f["name"] for f in page["fruits"]]
    assert page["total"] == 75 and names == sorted(names) and len(names) == 50
    assert len(h.ok("list_fruits", limit=50, offset=50)["fruits"]) == 25
    top = h.ok("list_fruits", sort_by="calories", sort="desc", limit=2)["fruits"]
    assert [f["name"] for f in top] == ["Coconut", "Goji Berry"]
    low = h.ok("get_fruits_by_nutrition", nutrient="sugar", minimum=0, maximum=3)
    expected = h.rows("SELECT name FROM fruits WHERE sugar BETWEEN 0 AND 3 ORDER BY sugar, name")
    assert [f["name"] for f in low["fruits"]] == [r["name"] for r in expected] and low["total"] == len(expected)
    band = h.ok("get_fruits_by_nutrition", nutrient="calories", minimum=40, maximum=45)
    assert all(40 <= f["nutritions"]["calories"] <= 45 for f in band["fruits"]) and band["total"] >= 3
    assert "minimum <= maximum" in h.error("get_fruits_by_nutrition", nutrient="fat", minimum=5, maximum=1)
    assert "1 to 50 fruits" in h.error("list_fruits", limit=0)


def test_adding_a_fruit(h: EpisodeHarness) -> None:
    user = a_user(h)
    added = h.ok("add_fruit", username=user["username"], **SALAK)
    assert added["fruit_id"] == 76 and added["name"] == "Salak"
    row = h.rows("SELECT * FROM fruits WHERE fruit_id = 76")[0]
    assert row["added_by"] == user["username"] and row["genus"] == "Salacca"
    assert h.ok("get_fruit_nutrition", name="salak", grams=50)["amount"]["calories"] == 41.0
    assert "already has Salak" in h.error("add_fruit", username=user["username"], **SALAK)
    assert "already has Mango" in h.error("add_fruit", username=user["username"], **{**SALAK, "name": "mango"})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"family": "Palms"}, "end in -aceae"),
        ({"order": "Palmae"}, "end in -ales"),
        ({"genus": "citrus fruit"}, "not a genus name"),
        ({"genus": "Citrus"}, "belongs to the family Rutaceae"),
        ({"family": "Rosaceae"}, "belongs to the order Rosales"),
        ({"fat": -1}, "cannot be negative"),
        ({"sugar": 30.0}, "cannot be more than the carbohydrates"),
        ({"fat": 60, "carbohydrates": 40, "protein": 5}, "more than 100 g"),
        ({"calories": 950}, "more than 900 kcal"),
        ({"name": "X"}, "2-40 letters"),
    ],
)
def test_impossible_fruits_are_refused(h: EpisodeHarness, change: dict[str, Any], message: str) -> None:
    assert message in h.error("add_fruit", username=a_user(h)["username"], **{**SALAK, **change})


def test_the_daily_log(h: EpisodeHarness) -> None:
    user = a_user(h, "daily_calorie_goal IS NOT NULL AND daily_sugar_limit IS NOT NULL")
    before = h.ok("get_daily_log", username=user["username"])
    entry = h.ok("log_fruit", username=user["username"], name="banana", grams=120, meal="breakfast")
    assert entry["amount"] == {"calories": 106.8, "fat": 0.4, "sugar": 14.6, "carbohydrates": 27.4, "protein": 1.3}
    assert entry["date"] == TODAY.isoformat() and entry["meal"] == "breakfast"
    after = h.ok("get_daily_log", username=user["username"])
    assert len(after["entries"]) == len(before["entries"]) + 1
    assert after["totals"]["calories"] == pytest.approx(before["totals"]["calories"] + 106.8)
    assert after["calories_left"] == pytest.approx(user["daily_calorie_goal"] - after["totals"]["calories"])
    assert after["sugar_left"] == pytest.approx(user["daily_sugar_limit"] - after["totals"]["sugar"])
    fixed = h.ok("update_log_entry", username=user["username"], entry_id=entry["entry_id"], grams=180)
    assert fixed["grams"] == 180 and fixed["amount"]["calories"] == 160.2
    assert "Nothing to change" in h.error(
        "update_log_entry", username=user["username"], entry_id=entry["entry_id"], grams=180
    )
    h.ok("delete_log_entry", username=user["username"], entry_id=entry["entry_id"])
    assert h.ok("get_daily_log", username=user["username"])["totals"] == before["totals"]
    past = h.ok("log_fruit", username=user["username"], name="Kiwi", grams=75, date=day(-30))
    assert past["date"] == day(-30)


def test_log_rules_are_refused_without_changes(h: EpisodeHarness) -> None:
    user = a_user(h)
    other = h.rows("SELECT * FROM log_entries WHERE username != ? LIMIT 1", user["username"])[0]
    assert "not for the future" in h.error("log_fruit", username=user["username"], name="Apple", grams=100, date=day(1))
    assert "last 30 days" in h.error("log_fruit", username=user["username"], name="Apple", grams=100, date=day(-31))
    assert "YYYY-MM-DD" in h.error("log_fruit", username=user["username"], name="Apple", grams=100, date="yesterday")
    assert "between 1 and 2000" in h.error("log_fruit", username=user["username"], name="Apple", grams=2500)
    assert "no fruit named" in h.error("log_fruit", username=user["username"], name="Dragon Apple", grams=100)
    assert "no app user" in h.error("log_fruit", username="nobody.at.all", name="Apple", grams=100)
    assert "has no log entry" in h.error("delete_log_entry", username=user["username"], entry_id=other["entry_id"])
    assert "has no log entry" in h.error(
        "update_log_entry", username=user["username"], entry_id=other["entry_id"], grams=50
    )


def test_saved_fruits(h: EpisodeHarness) -> None:
    user = a_user(h, "username NOT IN (SELECT username FROM favorites)")
    assert h.ok("get_favorites", username=user["username"]) == []
    saved = h.ok("save_favorite", username=user["username"], name="lychee")
    assert [f["name"] for f in saved] == ["Lychee"] and saved[0]["saved_on"] == TODAY.isoformat()
    assert "already in" in h.error("save_favorite", username=user["username"], name="Lychee")
    assert h.ok("remove_favorite", username=user["username"], name="LYCHEE")["removed"] == "Lychee"
    assert "is not in" in h.error("remove_favorite", username=user["username"], name="Lychee")
    for name in [r["name"] for r in h.rows("SELECT name FROM fruits ORDER BY fruit_id LIMIT 25")]:
        h.ok("save_favorite", username=user["username"], name=name)
    assert "at most 25" in h.error("save_favorite", username=user["username"], name="Watermelon")


def test_daily_goals(h: EpisodeHarness) -> None:
    user = a_user(h, "daily_sugar_limit IS NULL")
    goals = h.ok("set_daily_goals", username=user["username"], daily_sugar_limit=30, daily_calorie_goal=250)
    assert goals == {"username": user["username"], "daily_calorie_goal": 250, "daily_sugar_limit": 30.0}
    assert h.ok("get_daily_log", username=user["username"])["daily_sugar_limit"] == 30.0
    cleared = h.ok("set_daily_goals", username=user["username"], daily_calorie_goal=0)
    assert cleared["daily_calorie_goal"] is None and cleared["daily_sugar_limit"] == 30.0
    assert "Nothing to change" in h.error("set_daily_goals", username=user["username"], daily_sugar_limit=30)
    assert "between 5 and 200" in h.error("set_daily_goals", username=user["username"], daily_sugar_limit=500)
    assert "between 50 and 2000" in h.error("set_daily_goals", username=user["username"], daily_calorie_goal=20)


def test_seeded_sizes_are_realistic() -> None:
    first = get_snapshot(fruityvice.env, 0)
    counts = {table: len(first.rows(table)) for table in first.tables}
    assert counts["fruits"] == 75 and counts["users"] >= 250
    assert counts["favorites"] >= 500 and counts["log_entries"] >= 2000
    for fruit in first.rows("fruits"):
        assert fruit["family"].endswith("aceae") and fruit["order"].endswith("ales")
        assert 0 <= fruit["sugar"] <= fruit["carbohydrates"] and fruit["calories"] <= 900
        assert fruit["fat"] + fruit["carbohydrates"] + fruit["protein"] <= 100
    assert build_snapshot(fruityvice.env, 1).content_hash != first.content_hash


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    """A packaged task (two fruits logged for breakfast, then the day's log) through the gym env."""
    tasks = load_tasks("shopping", "fruityvice")
    task = with_gold_changes(next(t for t in tasks if t.metadata["story"] == "fruityvice.breakfast_and_what_is_left"))
    assert {(c.table, c.op) for c in task.gold_changes} == {("log_entries", "insert")}
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
