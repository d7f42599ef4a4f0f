"""The Fruityvice API as tools: fruits by name, taxonomy and nutrient range, adding a fruit (PUT /api/fruit),
and the app's per-user state: saved fruits, a daily fruit log in grams, and daily goals.

Nutrition is published per 100 g (calories in kcal, the rest in grams); an amount for a portion is the
per-100 g value times grams / 100, rounded to one decimal.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    DEFAULT_PAGE,
    LOG_DAYS,
    MAX_FAVORITES,
    MAX_GRAMS,
    MAX_KCAL_PER_100G,
    MAX_PAGE,
    NUTRIENTS,
    Favorite,
    Fruit,
    FruitSort,
    LogEntry,
    Meal,
    Nutrient,
    SortOrder,
    User,
)

# -- views ---------------------------------------------------------------------------------------------------


class Nutritions(TypedDict):
    calories: float
    fat: float
    sugar: float
    carbohydrates: float
    protein: float


class FruitView(TypedDict):
    fruit_id: int
    name: str
    family: str
    order: str
    genus: str
    nutritions: Nutritions


class FruitPortion(TypedDict):
    fruit_id: int
    name: str
    family: str
    order: str
    genus: str
    nutritions: Nutritions
    grams: float
    amount: Nutritions


class FruitPage(TypedDict):
    total: int
    fruits: list[FruitView]


class FavoriteView(TypedDict):
    fruit_id: int
    name: str
    saved_on: str
    nutritions: Nutritions


class LogEntryView(TypedDict):
    entry_id: int
    fruit_id: int
    name: str
    date: str
    meal: str
    grams: float
    amount: Nutritions


class DailyLog(TypedDict):
    username: str
    date: str
    entries: list[LogEntryView]
    totals: Nutritions
    daily_calorie_goal: int | None
    calories_left: float | None
    daily_sugar_limit: float | None
    sugar_left: float | None


class Goals(TypedDict):
    username: str
    daily_calorie_goal: int | None
    daily_sugar_limit: float | None


class Removed(TypedDict):
    username: str
    removed: str


# -- helpers -------------------------------------------------------------------------------------------------

NAME = re.compile(r"^[A-Za-z][A-Za-z' -]{1,39}$")


def _nutritions(row: dict[str, Any]) -> Nutritions:
    return {n: row[n] for n in NUTRIENTS}  # type: ignore[return-value]


def _portion(row: dict[str, Any], grams: float) -> Nutritions:
    return {n: round(row[n] * grams / 100, 1) for n in NUTRIENTS}  # type: ignore[return-value]


def _fruit_view(row: dict[str, Any]) -> FruitView:
    return {
        "fruit_id": row["fruit_id"],
        "name": row["name"],
        "family": row["family"],
        "order": row["order"],
        "genus": row["genus"],
        "nutritions": _nutritions(row),
    }


def _require_fruit(ctx: ToolContext, name: str) -> dict[str, Any]:
    rows = ctx.query("SELECT * FROM fruits WHERE lower(name) = lower(?)", [name.strip()])
    if rows:
        return rows[0]
    close = ctx.query(
        "SELECT name FROM fruits WHERE lower(name) LIKE lower(?) ORDER BY name LIMIT 5", [f"%{name.strip()[:4]}%"]
    )
    hint = f" Did you mean {', '.join(r['name'] for r in close)}?" if close and name.strip() else ""
    raise DomainError(f"Fruityvice has no fruit named {name!r}.{hint}")


def _require_user(ctx: ToolContext, username: str) -> dict[str, Any]:
    return ctx.rows(User).require(username.strip().lower(), missing=f"There is no app user {username!r}.")


def _page(limit: int, offset: int) -> tuple[int, int]:
    """A page request checked: 1-50 fruits from a non-negative position."""
    if limit < 1 or limit > MAX_PAGE or offset < 0:
        raise DomainError(f"Ask for 1 to {MAX_PAGE} fruits (limit) starting at position 0 or later (offset).")
    return limit, offset


def _by_taxon(ctx: ToolContext, rank: str, value: str) -> list[FruitView]:
    rows = ctx.query(f'SELECT * FROM fruits WHERE lower("{rank}") = lower(?) ORDER BY name', [value.strip()])
    if not rows:
        raise DomainError(f"Fruityvice has no fruits in the {rank} {value!r}.")
    return [_fruit_view(r) for r in rows]


def _check_grams(grams: float) -> float:
    if not 1 <= grams <= MAX_GRAMS:
        raise DomainError(f"A portion must be between 1 and {MAX_GRAMS} grams; got {grams}.")
    return round(float(grams), 1)


def _check_day(ctx: ToolContext, date: str | None) -> str:
    """A log day: today when omitted, never in the future, at most LOG_DAYS days back."""
    today = ctx.now.date()
    if date is None:
        return today.isoformat()
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise DomainError(f"The date must be written YYYY-MM-DD, such as 2024-09-18; got {date!r}.") from None
    if day > today:
        raise DomainError("Fruit can be logged only for today or past days, not for the future.")
    if (today - day).days > LOG_DAYS:
        raise DomainError(f"The log keeps the last {LOG_DAYS} days; {date} is too long ago to change.")
    return day.isoformat()


def _entry_view(ctx: ToolContext, entry: dict[str, Any]) -> LogEntryView:
    fruit = ctx.rows(Fruit).require(entry["fruit_id"], missing="The logged fruit no longer exists.")
    return {
        "entry_id": entry["entry_id"],
        "fruit_id": fruit["fruit_id"],
        "name": fruit["name"],
        "date": entry["date"],
        "meal": entry["meal"],
        "grams": entry["grams"],
        "amount": _portion(fruit, entry["grams"]),
    }


def _own_entry(ctx: ToolContext, username: str, entry_id: int) -> dict[str, Any]:
    user = _require_user(ctx, username)
    entry = ctx.rows(LogEntry).get(entry_id)
    if entry is None or entry["username"] != user["username"]:
        raise DomainError(f"{user['display_name']} has no log entry {entry_id}.")
    return entry


def _check_nutrition(values: dict[str, float]) -> None:
    """What 100 g of anything can hold: no negatives, sugar within carbohydrates, at most 100 g of fat,
    carbohydrates and protein together, at most 900 kcal."""
    for nutrient, value in values.items():
        if value < 0:
            raise DomainError(f"{nutrient.capitalize()} cannot be negative.")
    if values["calories"] > MAX_KCAL_PER_100G:
        raise DomainError(f"No food has more than {MAX_KCAL_PER_100G} kcal per 100 g; check the calories.")
    if values["sugar"] > values["carbohydrates"]:
        raise DomainError("Sugar is part of the carbohydrates, so it cannot be more than the carbohydrates.")
    if values["fat"] + values["carbohydrates"] + values["protein"] > 100:
        raise DomainError("Fat, carbohydrates and protein add up to more than 100 g per 100 g of fruit.")


def _check_taxonomy(ctx: ToolContext, family: str, order: str, genus: str) -> tuple[str, str, str]:
    """Botanical names as botany writes them, consistent with the fruits already in the genus and family."""
    family, order, genus = family.strip().capitalize(), order.strip().capitalize(), genus.strip().capitalize()
    if not re.fullmatch(r"[A-Z][a-z]+aceae", family):
        raise DomainError(f"{family!r} is not a plant family name: family names end in -aceae, like Rosaceae.")
    if not re.fullmatch(r"[A-Z][a-z]+ales", order):
        raise DomainError(f"{order!r} is not a plant order name: order names end in -ales, like Rosales.")
    if not re.fullmatch(r"[A-Z][a-z]{2,}", genus):
        raise DomainError(f"{genus!r} is not a genus name: one capitalised Latin word, like Prunus.")
    known = ctx.query('SELECT family, "order" FROM fruits WHERE genus = ? LIMIT 1', [genus])
    if known and (known[0]["family"], known[0]["order"]) != (family, order):
        raise DomainError(
            f"The genus {genus} belongs to the family {known[0]['family']} in the order {known[0]['order']}."
        )
    in_family = ctx.query('SELECT "order" FROM fruits WHERE family = ? LIMIT 1', [family])
    if in_family and in_family[0]["order"] != order:
        raise DomainError(f"The family {family} belongs to the order {in_family[0]['order']}.")
    return family, order, genus


# -- the fruit catalogue -------------------------------------------------------------------------------------


@env.read(intents=["list the fruits you have", "which fruits have the most {sort_by}?"])
def list_fruits(
    ctx: ToolContext, limit: int = DEFAULT_PAGE, offset: int = 0, sort_by: FruitSort = "name", sort: SortOrder = "asc"
) -> FruitPage:
    """List all fruits, like GET /api/fruit/all, with their taxonomy and nutrition per 100 g.

    Args:
        limit: Maximum number of fruits to return (1-50).
        offset: Number of fruits to skip, for paging.
        sort_by: 'name' (the default), 'id', or a nutrient: 'calories', 'fat', 'sugar', 'carbohydrates', 'protein'.
        sort: 'asc' or 'desc' order.
    """
    limit, offset = _page(limit, offset)
    column = {"id": "fruit_id", "name": "name"}.get(sort_by, sort_by)
    direction = "DESC" if sort == "desc" else "ASC"
    rows = ctx.query(f'SELECT * FROM fruits ORDER BY "{column}" {direction}, name LIMIT ? OFFSET ?', [limit, offset])
    return {"total": ctx.rows(Fruit).count(), "fruits": [_fruit_view(r) for r in rows]}


@env.read(intents=["how many calories are in {grams} g of {name}?", "what's the nutrition of {name}?"])
def get_fruit_nutrition(ctx: ToolContext, name: str, grams: float = 100) -> FruitPortion:
    """Get one fruit by name, like GET /api/fruit/{name}: taxonomy, nutrition per 100 g, and the amounts in a
    portion of the given weight.

    Args:
        name: The fruit's name, such as 'Mango' (not case-sensitive).
        grams: Portion weight in grams (1-2000) for the amounts; 100 gives the published values.
    """
    fruit = _require_fruit(ctx, name)
    grams = _check_grams(grams)
    return {**_fruit_view(fruit), "grams": grams, "amount": _portion(fruit, grams)}  # type: ignore[typeddict-item]


@env.read(intents=["which fruits are in the family {family}?", "show me fruits related to the {family} family"])
def get_fruits_by_family(ctx: ToolContext, family: str) -> list[FruitView]:
    """List the fruits of one botanical family, like GET /api/fruit/family/{family}.

    Args:
        family: A family name such as 'Rosaceae' (not case-sensitive).
    """
    return _by_taxon(ctx, "family", family)


@env.read(intents=["which fruits belong to the genus {genus}?", "list the {genus} fruits"])
def get_fruits_by_genus(ctx: ToolContext, genus: str) -> list[FruitView]:
    """List the fruits of one genus, like GET /api/fruit/genus/{genus}.

    Args:
        genus: A genus name such as 'Citrus' or 'Prunus' (not case-sensitive).
    """
    return _by_taxon(ctx, "genus", genus)


@env.read(intents=["which fruits are in the order {order}?", "list fruits of the order {order}"])
def get_fruits_by_order(ctx: ToolContext, order: str) -> list[FruitView]:
    """List the fruits of one botanical order, like GET /api/fruit/order/{order}.

    Args:
        order: An order name such as 'Sapindales' (not case-sensitive).
    """
    return _by_taxon(ctx, "order", order)


@env.read(intents=["which fruits have between {minimum} and {maximum} of {nutrient}?", "fruits low in {nutrient}"])
def get_fruits_by_nutrition(
    ctx: ToolContext,
    nutrient: Nutrient,
    minimum: float = 0,
    maximum: float = 1000,
    limit: int = DEFAULT_PAGE,
    offset: int = 0,
) -> FruitPage:
    """Fruits whose value of one nutrient per 100 g lies in a range (both ends included), lowest first, like
    GET /api/fruit/{nutrient}?min=&max=.

    Args:
        nutrient: 'calories' (kcal), 'fat', 'sugar', 'carbohydrates' or 'protein' (grams), per 100 g.
        minimum: Lowest value to include.
        maximum: Highest value to include.
        limit: Maximum number of fruits to return (1-50).
        offset: Number of fruits to skip, for paging.
    """
    limit, offset = _page(limit, offset)
    if minimum < 0 or maximum < minimum:
        raise DomainError("Give a range with 0 <= minimum <= maximum.")
    where, params = f'"{nutrient}" BETWEEN ? AND ?', [minimum, maximum]
    rows = ctx.query(
        f'SELECT * FROM fruits WHERE {where} ORDER BY "{nutrient}", name LIMIT ? OFFSET ?', [*params, limit, offset]
    )
    total = ctx.query(f"SELECT COUNT(*) AS n FROM fruits WHERE {where}", params)[0]["n"]
    return {"total": total, "fruits": [_fruit_view(r) for r in rows]}


@env.write(intents=["add {name} to Fruityvice: genus {genus}, family {family}", "submit a new fruit called {name}"])
def add_fruit(
    ctx: ToolContext,
    username: str,
    name: str,
    family: str,
    order: str,
    genus: str,
    calories: float,
    fat: float,
    sugar: float,
    carbohydrates: float,
    protein: float,
) -> FruitView:
    """Add a fruit that Fruityvice does not have yet, like PUT /api/fruit; it gets the next id.

    Args:
        username: The app user submitting the fruit.
        name: The fruit's common name, such as 'Salak' (unique).
        family: Botanical family, ending in -aceae, such as 'Arecaceae'.
        order: Botanical order, ending in -ales, such as 'Arecales'.
        genus: Genus, such as 'Salacca'.
        calories: Energy per 100 g, in kcal.
        fat: Fat per 100 g, in grams.
        sugar: Sugar per 100 g, in grams.
        carbohydrates: Carbohydrates per 100 g, in grams (sugar included).
        protein: Protein per 100 g, in grams.
    """
    user = _require_user(ctx, username)
    title = " ".join(w.capitalize() for w in name.strip().split())
    if not NAME.match(title):
        raise DomainError("A fruit name is 2-40 letters (spaces, hyphens and apostrophes allowed).")
    if ctx.query("SELECT 1 FROM fruits WHERE lower(name) = lower(?)", [title]):
        raise DomainError(f"Fruityvice already has {title}; look it up instead of adding it again.")
    values = {
        "calories": float(calories),
        "fat": float(fat),
        "sugar": float(sugar),
        "carbohydrates": float(carbohydrates),
        "protein": float(protein),
    }
    _check_nutrition(values)
    family, order, genus = _check_taxonomy(ctx, family, order, genus)
    fruit_id = ctx.query("SELECT COALESCE(MAX(fruit_id), 0) + 1 AS n FROM fruits")[0]["n"]
    row = ctx.rows(Fruit).insert(
        fruit_id=fruit_id, name=title, family=family, order=order, genus=genus, added_by=user["username"], **values
    )
    return _fruit_view(row)


# -- saved fruits --------------------------------------------------------------------------------------------


@env.read(intents=["which fruits have I saved? I'm {username}", "show my favourite fruits"])
def get_favorites(ctx: ToolContext, username: str) -> list[FavoriteView]:
    """List a user's saved fruits with their nutrition per 100 g, in the order they were saved.

    Args:
        username: The app user's username, such as 'maria.lopez'.
    """
    user = _require_user(ctx, username)
    rows = ctx.query(
        "SELECT f.*, v.saved_on FROM favorites v JOIN fruits f ON f.fruit_id = v.fruit_id WHERE v.username = ? "
        "ORDER BY v.saved_on, f.name",
        [user["username"]],
    )
    return [
        {"fruit_id": r["fruit_id"], "name": r["name"], "saved_on": r["saved_on"], "nutritions": _nutritions(r)}
        for r in rows
    ]


@env.write(intents=["save {name} to my fruits", "add {name} to my favourites"])
def save_favorite(ctx: ToolContext, username: str, name: str) -> list[FavoriteView]:
    """Save a fruit to a user's list (at most 25, each once); returns the list.

    Args:
        username: The app user's username.
        name: The fruit's name.
    """
    user = _require_user(ctx, username)
    fruit = _require_fruit(ctx, name)
    favorites = ctx.rows(Favorite)
    if favorites.get(user["username"], fruit["fruit_id"]) is not None:
        raise DomainError(f"{fruit['name']} is already in {user['display_name']}'s saved fruits.")
    if favorites.count({"username": user["username"]}) >= MAX_FAVORITES:
        raise DomainError(f"A user can save at most {MAX_FAVORITES} fruits; remove one first.")
    favorites.add(username=user["username"], fruit_id=fruit["fruit_id"], saved_on=ctx.now.date().isoformat())
    return get_favorites(ctx, user["username"])


@env.write(intents=["remove {name} from my saved fruits", "I don't want {name} in my favourites any more"])
def remove_favorite(ctx: ToolContext, username: str, name: str) -> Removed:
    """Take a fruit off a user's saved list.

    Args:
        username: The app user's username.
        name: The fruit's name.
    """
    user = _require_user(ctx, username)
    fruit = _require_fruit(ctx, name)
    if ctx.rows(Favorite).get(user["username"], fruit["fruit_id"]) is None:
        raise DomainError(f"{fruit['name']} is not in {user['display_name']}'s saved fruits.")
    ctx.rows(Favorite).delete(user["username"], fruit["fruit_id"])
    return {"username": user["username"], "removed": fruit["name"]}


# -- the daily log -------------------------------------------------------------------------------------------


@env.read(intents=["what fruit did I log on {date}?", "how much sugar have I had from fruit today?"])
def get_daily_log(ctx: ToolContext, username: str, date: str | None = None) -> DailyLog:
    """A user's fruit log for one day: each entry with its amounts, the day's totals, and what is left of
    the daily calorie goal and sugar limit (negative when over).

    Args:
        username: The app user's username.
        date: The day, YYYY-MM-DD; today when omitted.
    """
    user = _require_user(ctx, username)
    day = _check_day(ctx, date) if date is not None else ctx.now.date().isoformat()
    rows = ctx.rows(LogEntry).find({"username": user["username"], "date": day}, order_by="entry_id")
    entries = [_entry_view(ctx, r) for r in rows]
    totals: Nutritions = {n: round(sum(e["amount"][n] for e in entries), 1) for n in NUTRIENTS}  # type: ignore[misc]
    goal, limit = user["daily_calorie_goal"], user["daily_sugar_limit"]
    return {
        "username": user["username"],
        "date": day,
        "entries": entries,
        "totals": totals,
        "daily_calorie_goal": goal,
        "calories_left": None if goal is None else round(goal - totals["calories"], 1),
        "daily_sugar_limit": limit,
        "sugar_left": None if limit is None else round(limit - totals["sugar"], 1),
    }


@env.write(intents=["log {grams} g of {name} for {meal}", "I just ate {grams} grams of {name}"])
def log_fruit(
    ctx: ToolContext, username: str, name: str, grams: float, date: str | None = None, meal: Meal = "snack"
) -> LogEntryView:
    """Log fruit a user ate; the entry shows the amounts of that portion.

    Args:
        username: The app user's username.
        name: The fruit's name.
        grams: How much was eaten, in grams (1-2000).
        date: The day it was eaten, YYYY-MM-DD (today or up to 30 days back); today when omitted.
        meal: 'breakfast', 'lunch', 'dinner' or 'snack'.
    """
    user = _require_user(ctx, username)
    fruit = _require_fruit(ctx, name)
    grams = _check_grams(grams)
    day = _check_day(ctx, date)
    entry_id = ctx.query("SELECT COALESCE(MAX(entry_id), 0) + 1 AS n FROM log_entries")[0]["n"]
    entry = ctx.rows(LogEntry).insert(
        entry_id=entry_id, username=user["username"], fruit_id=fruit["fruit_id"], date=day, meal=meal, grams=grams
    )
    return _entry_view(ctx, entry)


@env.write(intents=["change log entry {entry_id} to {grams} g", "that was {grams} grams, not what I logged"])
def update_log_entry(
    ctx: ToolContext, username: str, entry_id: int, grams: float | None = None, meal: Meal | None = None
) -> LogEntryView:
    """Correct one of a user's log entries: the grams eaten or the meal (entries of the last 30 days).

    Args:
        username: The app user's username.
        entry_id: The entry, as get_daily_log lists it.
        grams: The corrected weight in grams (omit to keep).
        meal: The corrected meal (omit to keep).
    """
    entry = _own_entry(ctx, username, entry_id)
    _check_day(ctx, entry["date"])
    changes: dict[str, Any] = {}
    if grams is not None:
        changes["grams"] = _check_grams(grams)
    if meal is not None:
        changes["meal"] = meal
    changes = {k: v for k, v in changes.items() if entry[k] != v}
    if not changes:
        raise DomainError(f"Nothing to change: entry {entry_id} already says that.")
    ctx.rows(LogEntry).update(entry_id, **changes)
    return _entry_view(ctx, {**entry, **changes})


@env.write(intents=["delete log entry {entry_id}", "I didn't actually eat that, remove entry {entry_id}"])
def delete_log_entry(ctx: ToolContext, username: str, entry_id: int) -> LogEntryView:
    """Delete one of a user's log entries (entries of the last 30 days); returns what was deleted.

    Args:
        username: The app user's username.
        entry_id: The entry, as get_daily_log lists it.
    """
    entry = _own_entry(ctx, username, entry_id)
    _check_day(ctx, entry["date"])
    view = _entry_view(ctx, entry)
    ctx.rows(LogEntry).delete(entry_id)
    return view


@env.write(
    intents=["set my daily fruit calorie goal to {daily_calorie_goal}", "cap my sugar at {daily_sugar_limit} g a day"]
)
def set_daily_goals(
    ctx: ToolContext, username: str, daily_calorie_goal: int | None = None, daily_sugar_limit: float | None = None
) -> Goals:
    """Set a user's daily goals for fruit: calories (kcal) and a sugar limit (g); 0 clears a goal, and a goal
    left out is kept.

    Args:
        username: The app user's username.
        daily_calorie_goal: Kcal from fruit per day (50-2000), or 0 to clear.
        daily_sugar_limit: Grams of sugar from fruit per day (5-200), or 0 to clear.
    """
    user = _require_user(ctx, username)
    changes: dict[str, Any] = {}
    if daily_calorie_goal is not None:
        if daily_calorie_goal != 0 and not 50 <= daily_calorie_goal <= 2000:
            raise DomainError("A daily calorie goal for fruit is between 50 and 2000 kcal (0 clears it).")
        changes["daily_calorie_goal"] = daily_calorie_goal or None
    if daily_sugar_limit is not None:
        if daily_sugar_limit != 0 and not 5 <= daily_sugar_limit <= 200:
            raise DomainError("A daily sugar limit is between 5 and 200 g (0 clears it).")
        changes["daily_sugar_limit"] = float(daily_sugar_limit) if daily_sugar_limit else None
    changes = {k: v for k, v in changes.items() if user[k] != v}
    if not changes:
        raise DomainError("Nothing to change: those are already the goals.")
    ctx.rows(User).update(user["username"], **changes)
    updated = {**user, **changes}
    return {
        "username": user["username"],
        "daily_calorie_goal": updated["daily_calorie_goal"],
        "daily_sugar_limit": updated["daily_sugar_limit"],
    }
