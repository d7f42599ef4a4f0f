"""Fruityvice stories: one app user (or one curious person) per task, one storyline each.

People ask what a portion holds ("how much sugar in 150 g of mango"), compare two fruits per 100 g, look
for fruits inside a nutrient range (low sugar for a diabetic, a calorie band), find a fruit's relatives in
its genus or order, and ask which fruits top a nutrient. App users log what they ate (a snack, a
breakfast of two fruits), correct a weight, remove a fruit they did not eat, save and unsave fruits, set a
daily sugar limit and hear what is left of it, and submit a fruit the service lacks — where the state
decides: a fruit it already has is looked up instead, and a day more than 30 days back cannot be logged.
Values are spoken with their units: kcal or calories, and grams.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, canonical, story

from .models import FRUIT_FIELDS, LOG_DAYS, NOW

ENV = "fruityvice"
TODAY = NOW.date()
PORTIONS = (50, 75, 80, 100, 120, 125, 150, 180, 200, 250, 300)
# Fruits Fruityvice does not list, with plausible nutrition per 100 g: name, family, order, genus, kcal, fat,
# sugar, carbohydrates, protein.
NEW_FRUITS = (
    ("Salak", "Arecaceae", "Arecales", "Salacca", 82, 0.4, 14.0, 22.3, 0.8),
    ("Rose Apple", "Myrtaceae", "Myrtales", "Syzygium", 25, 0.3, 4.5, 5.7, 0.6),
    ("Jabuticaba", "Myrtaceae", "Myrtales", "Plinia", 58, 0.1, 8.0, 15.3, 0.6),
    ("Surinam Cherry", "Myrtaceae", "Myrtales", "Eugenia", 33, 0.4, 5.0, 7.5, 0.8),
    ("Sea Buckthorn", "Elaeagnaceae", "Rosales", "Hippophae", 82, 5.4, 3.1, 7.1, 1.2),
    ("Bilberry", "Ericaceae", "Ericales", "Vaccinium", 43, 0.6, 6.0, 9.0, 0.6),
    ("Yuzu", "Rutaceae", "Sapindales", "Citrus", 21, 0.1, 1.8, 7.0, 0.5),
    ("Medlar", "Rosaceae", "Rosales", "Mespilus", 47, 0.2, 9.5, 12.0, 0.5),
)


def _grams(value: float) -> str:
    text = str(int(value)) if float(value).is_integer() else str(value)
    return f"{text} grams"


def _fruit(s: StoryContext, where: str = "1 = 1", params: tuple[Any, ...] = ()) -> dict[str, Any]:
    return s.pick(f"SELECT * FROM fruits WHERE {where} ORDER BY fruit_id", params)


def _spoken(s: StoryContext, fruit: dict[str, Any]) -> str:
    """A fruit as a person names it: lower case, the way they would type it."""
    phrase = fruit["name"].lower()
    s.say(fruit["name"], phrase)
    return phrase


def _user(s: StoryContext, where: str = "1 = 1", params: tuple[Any, ...] = ()) -> dict[str, Any]:
    user = s.pick(f"SELECT * FROM users u WHERE {where} ORDER BY username", params)
    s.person(ENV, user["username"])
    s.say(user["username"])
    return user


def _me(s: StoryContext, user: dict[str, Any]) -> str:
    return speech.choose(s.rng, f"My username is {user['username']}.", f"I'm {user['username']} on the app.")


def _logged_entry(s: StoryContext, days_back: int) -> dict[str, Any]:
    """A log entry of the last days that is the only one of its fruit that day (so the fruit and the day
    name it), and its owner as the person."""
    entry = s.pick(
        "SELECT e.*, f.name FROM log_entries e JOIN fruits f ON f.fruit_id = e.fruit_id WHERE e.date >= ? "
        "AND (SELECT COUNT(*) FROM log_entries o WHERE o.username = e.username AND o.date = e.date "
        "AND o.fruit_id = e.fruit_id) = 1 ORDER BY e.entry_id",
        ((TODAY - dt.timedelta(days=days_back)).isoformat(),),
    )
    s.person(ENV, entry["username"])
    s.say(entry["username"])
    return entry


def _day(iso: str) -> str:
    back = (TODAY - dt.date.fromisoformat(iso)).days
    if back == 0:
        return "today"
    if back == 1:
        return "yesterday"
    return speech.date(iso, weekday=back < 7)


# -- the catalogue -------------------------------------------------------------------------------------------


@story(ENV)
def what_a_portion_holds(s: StoryContext) -> str:
    """How much of a nutrient, and how many calories, a portion of a fruit holds."""
    fruit = _fruit(s)
    nutrient = s.rng.choice(("sugar", "carbohydrates", "protein", "fat"))
    grams = s.rng.choice([g for g in PORTIONS if g != 100])
    name = _spoken(s, fruit)
    s.say(grams, _grams(grams))
    result = s.call("get_fruit_nutrition", name=fruit["name"], grams=grams)
    s.fact(result["amount"][nutrient])
    s.fact(result["amount"]["calories"])
    word = {"carbohydrates": "carbs"}.get(nutrient, nutrient)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"How much {word} is in {_grams(grams)} of {name}, and how many calories is that?",
            f"I'm about to eat {_grams(grams)} of {name}. How many calories and how much {word} am I getting?",
        ),
    )


@story(ENV)
def which_of_two_per_100g(s: StoryContext) -> str:
    """Two fruits compared per 100 g on one nutrient."""
    nutrient = s.rng.choice(("sugar", "calories", "protein", "fat"))
    a, b = s.sample("SELECT * FROM fruits ORDER BY fruit_id", 2)
    if a[nutrient] == b[nutrient]:
        s.reject("same value")
    names = [_spoken(s, f) for f in (a, b)]
    for fruit in (a, b):
        result = s.call("get_fruit_nutrition", name=fruit["name"])
        s.fact(result["nutritions"][nutrient])
    what = "calories" if nutrient == "calories" else f"{nutrient}"
    return speech.sentence(
        speech.opening(s.rng),
        f"Which has more {what} per 100 grams, {names[0]} or {names[1]}? Give me the numbers for both.",
    )


@story(ENV, implicit=True)
def fruit_salad_calories(s: StoryContext) -> str:
    """A fruit salad of three fruits weighed out: the calories of the whole bowl."""
    fruits = s.sample("SELECT * FROM fruits WHERE calories < 150 ORDER BY fruit_id", 3)
    portions = [s.rng.choice(PORTIONS) for _ in fruits]
    parts, total = [], 0.0
    for fruit, grams in zip(fruits, portions, strict=True):
        name = _spoken(s, fruit)
        s.say(grams, _grams(grams))
        parts.append(f"{_grams(grams)} of {name}")
        total += s.call("get_fruit_nutrition", name=fruit["name"], grams=grams)["amount"]["calories"]
    s.fact(round(total, 1), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm making a fruit salad with {speech.listing(parts)}.",
        "Roughly how many calories will the whole bowl have?",
    )


@story(ENV)
def sugar_over_three_days(s: StoryContext) -> str:
    """The sugar from fruit over the last three days (today included), added up."""
    user = _user(
        s,
        "(SELECT COUNT(DISTINCT date) FROM log_entries e WHERE e.username = u.username AND e.date >= ?) = 3",
        ((TODAY - dt.timedelta(days=2)).isoformat(),),
    )
    total = 0.0
    for back in range(3):
        day = (TODAY - dt.timedelta(days=back)).isoformat()
        if back:
            s.imply(day)
        log = s.call("get_daily_log", username=user["username"], **({"date": day} if back else {}))
        total += log["totals"]["sugar"]
    s.fact(round(total, 1), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        "How many grams of sugar have I had from fruit over the last three days, today included?",
        _me(s, user),
    )


@story(ENV, implicit=True)
def low_sugar_fruits(s: StoryContext) -> str:
    """A diabetic's choice: the fruits with at most some grams of sugar per 100 g."""
    limit = s.rng.choice((2, 3, 4, 5))
    s.say(limit, f"{limit} grams")
    page = s.call("get_fruits_by_nutrition", nutrient=s.imply("sugar"), minimum=0, maximum=limit)
    if not 2 <= page["total"] <= 8:
        s.reject("too few or too many")
    for fruit in page["fruits"]:
        s.fact(fruit["name"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            "I was just diagnosed with type 2 diabetes and have to watch my sugar.",
            "My nutritionist wants me to keep fruit sugar really low.",
        ),
        f"Which fruits have no more than {limit} grams of sugar per 100 grams?",
    )


@story(ENV)
def calorie_band(s: StoryContext) -> str:
    """The fruits whose calories per 100 g fall in a band, and the one of them with the most protein."""
    low = s.rng.choice(range(30, 90, 5))
    high = low + s.rng.choice((5, 10))
    s.say(low, f"{low}")
    s.say(high, f"{high}")
    page = s.call("get_fruits_by_nutrition", nutrient=s.imply("calories"), minimum=low, maximum=high)
    fruits = page["fruits"]
    if not 3 <= page["total"] <= 8:
        s.reject("band too narrow or too wide")
    top = sorted(fruits, key=lambda f: -f["nutritions"]["protein"])
    if top[0]["nutritions"]["protein"] == top[1]["nutritions"]["protein"]:
        s.reject("protein tie")
    s.fact(page["total"])
    s.fact(top[0]["name"])
    s.fact(top[0]["nutritions"]["protein"])
    return speech.sentence(
        speech.opening(s.rng),
        f"How many fruits have between {low} and {high} calories per 100 grams?",
        "Of those, which has the most protein, and how much?",
    )


@story(ENV, implicit=True)
def relatives_in_the_genus(s: StoryContext) -> str:
    """A fruit's close relatives: the other fruits of its genus."""
    fruit = _fruit(s, "genus IN (SELECT genus FROM fruits GROUP BY genus HAVING COUNT(*) BETWEEN 2 AND 8)")
    name = _spoken(s, fruit)
    found = s.call("get_fruit_nutrition", name=fruit["name"])
    relatives = s.call("get_fruits_by_genus", genus=found["genus"])
    s.fact(found["genus"])
    for other in relatives:
        if other["fruit_id"] != fruit["fruit_id"]:
            s.fact(other["name"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"My kid asked me which fruits are close cousins of the {name}.",
            f"I'm growing {name} in the garden and wonder what else is closely related to it.",
        ),
        "Which genus is it, and which other fruits are in that genus?",
    )


@story(ENV)
def light_fruits_of_a_family(s: StoryContext) -> str:
    """One botanical family's fruits under a calorie level per 100 g."""
    family = s.pick("SELECT family FROM fruits GROUP BY family HAVING COUNT(*) >= 4 ORDER BY family")["family"]
    fruits = s.call("get_fruits_by_family", family=s.say(family))
    calories = sorted(f["nutritions"]["calories"] for f in fruits)
    level = (int(calories[len(calories) // 2]) // 10 + 1) * 10  # a round number, as a person sets one
    light = [f for f in fruits if f["nutritions"]["calories"] < level]
    if not 2 <= len(light) <= 6:
        s.reject("too few or too many under the level")
    s.say(level)
    for fruit in light:
        s.fact(fruit["name"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I love fruits from the {family} family but I'm counting calories.",
        f"Which of them have fewer than {level} calories per 100 grams?",
    )


@story(ENV)
def order_and_its_protein_leader(s: StoryContext) -> str:
    """One botanical order: how many fruits it has and which of them has the most protein."""
    order = s.pick('SELECT "order" FROM fruits GROUP BY "order" HAVING COUNT(*) BETWEEN 3 AND 20 ORDER BY "order"')[
        "order"
    ]
    s.say(order)
    fruits = s.call("get_fruits_by_order", order=order)
    nutrient = s.rng.choice(("protein", "fat", "sugar"))
    top = sorted(fruits, key=lambda f: -f["nutritions"][nutrient])
    if top[0]["nutritions"][nutrient] == top[1]["nutritions"][nutrient]:
        s.reject("tie")
    s.fact(len(fruits), derived=True)
    s.fact(top[0]["name"])
    return speech.sentence(
        speech.opening(s.rng),
        f"For a botany assignment: how many fruits in your database belong to the order {order},",
        f"and which of them has the most {nutrient} per 100 grams?",
    )


@story(ENV)
def top_fruits_for_a_nutrient(s: StoryContext) -> str:
    """The three fruits highest (or lowest) in one nutrient per 100 g."""
    nutrient = s.rng.choice(("calories", "fat", "sugar", "carbohydrates", "protein"))
    highest = s.rng.random() < 0.6
    page = s.call(
        "list_fruits", sort_by=s.imply(nutrient), sort=s.imply("desc" if highest else "asc"), limit=s.imply(4)
    )
    values = [f["nutritions"][nutrient] for f in page["fruits"]]
    if values[2] == values[3]:
        s.reject("a tie at third place")
    for fruit in page["fruits"][:3]:
        s.fact(fruit["name"])
    word = {"carbohydrates": "carbs", "calories": "calories"}.get(nutrient, nutrient)
    return speech.sentence(
        speech.opening(s.rng),
        f"Which three fruits have the {'most' if highest else 'least'} {word} per 100 grams?",
    )


@story(ENV, implicit=True)
def sugar_so_far_today(s: StoryContext) -> str:
    """A user with a sugar limit: how much sugar today's fruit came to, and how much is left."""
    user = _user(
        s,
        "daily_sugar_limit IS NOT NULL AND EXISTS (SELECT 1 FROM log_entries e WHERE e.username = u.username "
        "AND e.date = ?)",
        (TODAY.isoformat(),),
    )
    log = s.call("get_daily_log", username=user["username"])
    s.fact(log["totals"]["sugar"])
    s.fact(log["sugar_left"])
    return speech.sentence(
        speech.opening(s.rng),
        "I'm trying to stay under my sugar limit.",
        "How much sugar have I had from fruit so far today, and how much room do I have left?",
        _me(s, user),
    )


# -- the log -------------------------------------------------------------------------------------------------


@story(ENV, weight=1.4)
def log_a_snack(s: StoryContext) -> str:
    """A snack just eaten: logged, and its calories told."""
    user = _user(s)
    fruit = _fruit(s)
    grams = s.rng.choice(PORTIONS)
    name = _spoken(s, fruit)
    s.say(grams, _grams(grams))
    entry = s.call("log_fruit", username=user["username"], name=fruit["name"], grams=grams, meal=s.imply("snack"))
    s.fact(entry["amount"]["calories"])
    ask = "How many calories was that?"
    if s.rng.random() < 0.5:
        log = s.call("get_daily_log", username=user["username"])
        s.fact(log["totals"]["calories"])
        ask = "How many calories was that, and how many have I had from fruit today in total?"
    return speech.sentence(
        speech.opening(s.rng),
        f"I just had {_grams(grams)} of {name} as a snack. Please log it.",
        ask,
        _me(s, user),
    )


@story(ENV, weight=1.4)
def breakfast_and_what_is_left(s: StoryContext) -> str:
    """Two fruits logged for breakfast, then what is left of the day's calorie goal."""
    user = _user(s, "daily_calorie_goal IS NOT NULL")
    a, b = s.sample("SELECT * FROM fruits ORDER BY fruit_id", 2)
    ga, gb = s.rng.choice(PORTIONS), s.rng.choice(PORTIONS)
    names = [_spoken(s, f) for f in (a, b)]
    s.say(ga, _grams(ga))
    s.say(gb, _grams(gb))
    meal = s.imply("breakfast")
    s.call("log_fruit", username=user["username"], name=a["name"], grams=ga, meal=meal)
    s.call("log_fruit", username=user["username"], name=b["name"], grams=gb, meal=meal)
    log = s.call("get_daily_log", username=user["username"])
    if log["calories_left"] < 0:
        s.reject("over the goal")
    s.fact(log["calories_left"])
    return speech.sentence(
        speech.opening(s.rng),
        f"For breakfast I had {_grams(ga)} of {names[0]} and {_grams(gb)} of {names[1]}. Log both, please.",
        "After that, how many calories are left of my daily fruit goal?",
        _me(s, user),
    )


@story(ENV, implicit=True, weight=1.4)
def weighed_it_wrong(s: StoryContext) -> str:
    """A logged portion was weighed wrong: the entry gets the right grams."""
    entry = _logged_entry(s, 1)
    right = entry["grams"] + s.rng.choice((-40, -20, 30, 50, 80))
    if right < 30:
        s.reject("too little")
    day = _day(entry["date"])
    if entry["date"] != TODAY.isoformat():
        s.say(entry["date"], day)
    s.say(entry["name"], entry["name"].lower())
    s.say(right, _grams(right))
    s.call("get_daily_log", username=entry["username"], **({} if day == "today" else {"date": entry["date"]}))
    fixed = s.call("update_log_entry", username=entry["username"], entry_id=entry["entry_id"], grams=right)
    after = s.call("get_daily_log", username=entry["username"], **({} if day == "today" else {"date": entry["date"]}))
    s.fact(fixed["amount"]["calories"])
    s.fact(after["totals"]["calories"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I put my kitchen scale back on and the {entry['name'].lower()} I logged {day} was actually "
        f"{_grams(right)}, not {_grams(entry['grams'])}.",
        f"Can you fix it? How many calories is that portion now, and what's my fruit total for {day}?",
        f"My username is {entry['username']}.",
    )


@story(ENV, implicit=True, weight=1.4)
def did_not_eat_it(s: StoryContext) -> str:
    """A fruit in the log that was never eaten: the entry is deleted."""
    entry = _logged_entry(s, 5)
    day = _day(entry["date"])
    if entry["date"] != TODAY.isoformat():
        s.say(entry["date"], day)
    s.say(entry["name"], entry["name"].lower())
    s.call("get_daily_log", username=entry["username"], **({} if day == "today" else {"date": entry["date"]}))
    s.call("delete_log_entry", username=entry["username"], entry_id=entry["entry_id"])
    after = s.call("get_daily_log", username=entry["username"], **({} if day == "today" else {"date": entry["date"]}))
    s.fact(after["totals"]["calories"])
    return speech.sentence(
        speech.opening(s.rng),
        f"My son grabbed the {entry['name'].lower()} I logged for {day}, so I never ate it.",
        f"Take it out of my log and tell me my fruit calories for {day} without it.",
        f"I'm {entry['username']}.",
    )


@story(ENV, implicit=True, weight=1.4)
def log_a_day_long_ago(s: StoryContext) -> str:
    """Logging a past day: allowed up to 30 days back; further back nothing is logged, and the person
    still hears the calories of the portion."""
    user = _user(s)
    fruit = _fruit(s)
    back = s.rng.choice((3, 6, 12, 20, 26, 34, 40, 45))
    day = TODAY - dt.timedelta(days=back)
    grams = s.rng.choice(PORTIONS)
    name = _spoken(s, fruit)
    s.say(grams, _grams(grams))
    spoken_day = speech.date(day)
    s.say(day.isoformat(), spoken_day)
    meal = s.say(s.rng.choice(("breakfast", "lunch", "dinner")))
    portion = s.call("get_fruit_nutrition", name=fruit["name"], grams=grams)
    s.fact(portion["amount"]["calories"])
    if back <= LOG_DAYS:
        s.call("log_fruit", username=user["username"], name=fruit["name"], grams=grams, date=day.isoformat(), meal=meal)
    else:
        s.fact(LOG_DAYS, derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"I forgot to log the {_grams(grams)} of {name} I had with {meal} on {spoken_day}. Can you add it to my log?",
        "And how many calories was it?",
        _me(s, user),
    )


# -- saved fruits and goals ----------------------------------------------------------------------------------


@story(ENV, weight=1.4)
def save_three_fruits(s: StoryContext) -> str:
    """Three fruits for a new habit saved to the user's list, and how many saved fruits they have then."""
    user = _user(s)
    fruits = s.sample(
        "SELECT * FROM fruits WHERE fruit_id NOT IN (SELECT fruit_id FROM favorites WHERE username = ?) "
        "ORDER BY fruit_id",
        3,
        (user["username"],),
    )
    names = [_spoken(s, f) for f in fruits]
    saved: list[Any] = []
    for fruit in fruits:
        saved = s.call("save_favorite", username=user["username"], name=fruit["name"])
    s.fact(len(saved), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm trying to eat more fruit. Please save {speech.listing(names)} to my fruits.",
        "How many saved fruits do I have after that?",
        _me(s, user),
    )


@story(ENV, implicit=True, weight=1.4)
def allergic_now(s: StoryContext) -> str:
    """A new allergy: the fruit comes off the saved list; what is still saved."""
    saved = s.pick(
        "SELECT v.*, f.name FROM favorites v JOIN fruits f ON f.fruit_id = v.fruit_id WHERE "
        "(SELECT COUNT(*) FROM favorites o WHERE o.username = v.username) BETWEEN 2 AND 5 ORDER BY v.username, f.name"
    )
    s.person(ENV, saved["username"])
    s.say(saved["username"])
    s.say(saved["name"], saved["name"].lower())
    s.call("remove_favorite", username=saved["username"], name=saved["name"])
    left = s.call("get_favorites", username=saved["username"])
    for fruit in left:
        s.fact(fruit["name"])
    return speech.sentence(
        speech.opening(s.rng),
        f"Turns out I'm allergic to {saved['name'].lower()}, so I don't want it among my saved fruits any more.",
        "Which fruits are still saved after that?",
        f"My username is {saved['username']}.",
    )


@story(ENV, implicit=True, weight=1.4)
def doctor_sets_a_sugar_limit(s: StoryContext) -> str:
    """A doctor's sugar limit: set as the daily limit, then how today's fruit compares with it."""
    limit = s.rng.choice((20, 25, 30, 35))
    user = _user(
        s,
        "(daily_sugar_limit IS NULL OR daily_sugar_limit != ?) AND EXISTS (SELECT 1 FROM log_entries e "
        "WHERE e.username = u.username AND e.date = ?)",
        (float(limit), TODAY.isoformat()),
    )
    s.say(limit, f"{limit} grams")
    fruit = _fruit(s)
    grams = s.rng.choice(PORTIONS)
    name = _spoken(s, fruit)
    s.say(grams, _grams(grams))
    s.call("set_daily_goals", username=user["username"], daily_sugar_limit=limit)
    log = s.call("get_daily_log", username=user["username"])
    portion = s.call("get_fruit_nutrition", name=fruit["name"], grams=grams)
    s.fact(log["totals"]["sugar"])
    s.fact(portion["amount"]["sugar"])
    return speech.sentence(
        speech.opening(s.rng),
        f"My doctor says I should keep sugar from fruit under {limit} grams a day.",
        "Can you set that up in the app, and tell me how much sugar today's fruit has given me so far?",
        f"I'd like {_grams(grams)} of {name} tonight: how much sugar would that add?",
        _me(s, user),
    )


@story(ENV, weight=1.4)
def submit_a_missing_fruit(s: StoryContext) -> str:
    """Submitting a fruit: added with its taxonomy and nutrition, or, when Fruityvice already has it, looked
    up instead; either way the person hears its id."""
    user = _user(s)
    if s.rng.random() < 0.7:
        row = s.rng.choice(NEW_FRUITS)
        if s.rows("SELECT 1 FROM fruits WHERE lower(name) = lower(?)", (row[0],)):
            s.reject("already there")
        values = dict(zip(FRUIT_FIELDS, row, strict=True))
    else:
        fruit = _fruit(s)
        values = {k: fruit[k] for k in FRUIT_FIELDS}
    for value in values.values():
        s.say(value)
    exists = s.rows("SELECT * FROM fruits WHERE name = ?", (values["name"],))
    if exists:
        found = s.call("get_fruit_nutrition", name=values["name"])
        s.fact(found["fruit_id"])
    else:
        added = s.call("add_fruit", username=user["username"], **values)
        s.fact(added["fruit_id"])
    v = values
    return speech.sentence(
        speech.opening(s.rng),
        f"Fruityvice doesn't seem to have {v['name']}, so I'd like to add it: genus {v['genus']}, family "
        f"{v['family']}, order {v['order']}. Per 100 grams it has {canonical(v['calories'])} calories, "
        f"{canonical(v['fat'])} g of fat, {canonical(v['sugar'])} g of sugar, "
        f"{canonical(v['carbohydrates'])} g of carbohydrates and {canonical(v['protein'])} g "
        "of protein.",
        "What id does it have?",
        _me(s, user),
    )
