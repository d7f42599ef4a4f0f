"""Car price stories: one car shopper of the pricing site, one storyline each.

They cover what shoppers of a Kelley Blue Book / Edmunds style site do: compare what two trims of a model
year go for in their region, price their own car at its mileage, find the cheapest model of a body type and
fuel within a budget (and watch it), ask which brand of a country has the widest line-up, set a price alert
below a price they name (or only if the car isn't already that cheap), watch a car only if it is under their
budget, read their watchlist, lower an alert, stop tracking a car they bought, ask a dealer for a quote,
check a dealer's answer and withdraw a quote they no longer want (see envfactory_gym.synthesis.stories).
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

ENV = "car_price"
CURRENT_YEAR = 2025
BODY = {"suv": "SUV", "sedan": "sedan", "truck": "pickup truck", "hatchback": "hatchback", "minivan": "minivan",
        "coupe": "coupe", "wagon": "wagon", "convertible": "convertible"}  # fmt: skip


def shopper(s: StoryContext, where: str = "1", params: tuple[Any, ...] = ()) -> dict[str, Any]:
    user = s.pick(f"SELECT * FROM users u WHERE {where}", params)
    s.person(ENV, user["user_id"])
    return user


def i_am(s: StoryContext, user: dict[str, Any]) -> str:
    s.say(user["user_id"])
    return speech.choose(s.rng, f"My username is {user['user_id']}.", f"I'm {user['user_id']} on here.")


def model_year(s: StoryContext, lowest: int = 2016, highest: int = 2024) -> dict[str, Any]:
    """A model (with its brand) and a used model year it is priced for."""
    car = s.pick("SELECT * FROM models WHERE first_year <= ?", (highest,))
    car["year"] = s.rng.randint(max(lowest, car["first_year"]), highest)
    return car


def car_words(year: int, brand: str, model: str, trim: str = "") -> str:
    return " ".join(p for p in (str(year), brand, model, trim) if p)


def say_car(s: StoryContext, car: dict[str, Any], trim: str = "") -> str:
    """The car as the shopper names it: year, brand, model (and trim)."""
    s.say(car["brand"])
    s.say(car["model"])
    if trim:
        s.say(trim)
    phrase = car_words(car["year"], car["brand"], car["model"], trim)
    s.detail(
        "model year",
        car["year"],
        str(car["year"]),
        phrase=phrase,
        vague=f"a {car['brand']} {car['model']}" + (f" {trim}" if trim else ""),
        synonyms=["year"],
    )
    return phrase


def say_region(s: StoryContext, region: str) -> str:
    return s.detail("region", region, f"the {region}", vague="my area", synonyms=["area", "where I live"])


def price_of(output: dict[str, Any], trim: str) -> dict[str, Any]:
    return next(p for p in output["prices"] if p["trim"] == trim)


# -- prices ----------------------------------------------------------------------------------------------


@story(ENV)
def compare_two_trims(s: StoryContext) -> str:
    """A buyer compares what two trims of one model year go for in their region."""
    car = model_year(s)
    trims = s.sample("SELECT trim FROM trims WHERE model_id = ? ORDER BY msrp", 2, (car["model_id"],))
    low, high = sorted((t["trim"] for t in trims), key=lambda t: t)
    region = s.pick("SELECT region FROM regions")["region"]
    named = say_car(s, car)
    s.say(low)
    s.say(high)
    where = say_region(s, region)
    output = s.call("search_car_price", brand=car["brand"], model=car["model"], year=car["year"], region=region)
    a, b = price_of(output, low), price_of(output, high)
    s.fact(a["estimated_price"])
    s.fact(b["estimated_price"])
    s.fact(abs(a["estimated_price"] - b["estimated_price"]), derived=True)
    s.context(region)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'm shopping for a used {named} in {where}.",
            f"I live in {where} and I'm looking at a {named}.",
        ),
        speech.choose(
            s.rng,
            f"What's the {low} going for compared with the {high}, and how big is the gap?",
            f"Can you compare the {low} and {high} trims for me: what's each one worth and what's the difference?",
        ),
    )


@story(ENV)
def what_is_my_car_worth(s: StoryContext) -> str:
    """An owner asks what their car of a trim is worth at its mileage in their region, with the range."""
    car = model_year(s, 2014, 2023)
    trim = s.pick("SELECT trim FROM trims WHERE model_id = ?", (car["model_id"],))["trim"]
    region = s.pick("SELECT region FROM regions")["region"]
    miles = s.rng.randrange(15_000, 140_000, 5_000)
    named = say_car(s, car, trim)
    where = say_region(s, region)
    odometer = s.detail("mileage", miles, f"{miles:,} miles", vague="the usual miles", synonyms=["miles", "odometer"])
    output = s.call(
        "search_car_price", brand=car["brand"], model=car["model"], year=car["year"], mileage=miles, region=region
    )
    price = price_of(output, trim)
    s.fact(price["estimated_price"])
    s.fact(price["price_low"])
    s.fact(price["price_high"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'm thinking of selling my {named}; it has {odometer} on it and I'm in {where}.",
            f"What's my {named} worth? It's got {odometer} and I live in {where}.",
        ),
        speech.choose(s.rng, "Give me the estimate and the price range.", "What's it worth, and what's the range?"),
    )


@story(ENV)
def which_brand_has_most_models(s: StoryContext) -> str:
    """A buyer asks which brand from a country has the most models, then its cheapest model of a body type."""
    country, kind = s.rng.choice(
        (("Japan", "suv"), ("Japan", "sedan"), ("Germany", "suv"), ("Germany", "sedan"),
         ("United States", "suv"), ("United States", "truck"), ("South Korea", "suv"))
    )  # fmt: skip
    nation = {"Japan": "Japanese", "Germany": "German", "United States": "American", "South Korea": "Korean"}[country]
    s.imply(country)
    brands = s.call("get_car_brands", country=country)
    ranked = sorted(brands, key=lambda b: -b["model_count"])
    if len(ranked) < 2 or ranked[0]["model_count"] == ranked[1]["model_count"]:
        s.reject("tie")
    top = ranked[0]
    models = s.call("get_car_models", brand=top["brand"], vehicle_type=s.imply(kind))
    if len(models) < 2:
        s.reject("too few models")
    cheapest = min(models, key=lambda m: m["starting_msrp"])
    s.fact(top["brand"])
    s.fact(top["model_count"])
    s.fact(cheapest["model"])
    s.fact(cheapest["starting_msrp"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(s.rng, f"I'd like to buy a {nation} car.", f"I'm set on a {nation} brand.").replace(
            "a American", "an American"
        ),
        speech.choose(
            s.rng,
            f"Which {nation} brand has the most models, how many, and what's its cheapest {BODY[kind]} new?",
            f"Which {nation} make offers the biggest line-up (how many models?), and which of its {BODY[kind]}s "
            "starts cheapest, at what price?",
        ),
    )


@story(ENV, weight=1.3)
def cheapest_of_a_kind_onto_watchlist(s: StoryContext) -> str:
    """A buyer with a budget finds the cheapest model of a body type and fuel, and watches its base trim."""
    kind, fuel = s.rng.choice(
        (("suv", "electric"), ("suv", "hybrid"), ("sedan", "hybrid"), ("sedan", "electric"), ("suv", "gas"),
         ("truck", "gas"), ("hatchback", None), ("minivan", None), ("coupe", None), ("sedan", "gas"))
    )  # fmt: skip
    budget = s.rng.choice((35_000, 40_000, 45_000, 50_000, 60_000))
    user = shopper(s, "(SELECT COUNT(*) FROM watchlist w WHERE w.user_id = u.user_id) < 20")
    me = i_am(s, user)
    s.imply(kind)
    args: dict[str, Any] = {"vehicle_type": kind, "max_price": s.say(budget, speech.money(budget))}
    if fuel:
        args["fuel_type"] = s.imply(fuel)
    page = s.call("get_vehicles_by_type", **args)
    if page["total"] < 2 or page["vehicles"][0]["starting_msrp"] == page["vehicles"][1]["starting_msrp"]:
        s.reject("too few or tied")
    pick = page["vehicles"][0]
    models = s.call("get_car_models", brand=pick["brand"], vehicle_type=kind)
    model = next(m for m in models if m["model_id"] == pick["model_id"])
    base = model["trims"][0]
    year = s.say(CURRENT_YEAR, f"{CURRENT_YEAR} model")
    s.call("add_to_watchlist", user_id=user["user_id"], trim_id=base["trim_id"], year=year)
    s.fact(pick["model"])
    s.fact(pick["starting_msrp"])
    what = f"{'gas-powered' if fuel == 'gas' else fuel} {BODY[kind]}" if fuel else BODY[kind]
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I want a new {what} for no more than {speech.money(budget)}.",
            f"My budget for a new {what} is {speech.money(budget)}.",
        ),
        f"Find the one with the lowest starting price and put its base trim, the {CURRENT_YEAR} model, "
        "on my watchlist.",
        me,
        "Which car is it and what does it start at?",
    )


# -- watchlist and alerts ------------------------------------------------------------------------------------


@story(ENV, implicit=True)
def watch_if_under_budget(s: StoryContext) -> str:
    """A buyer watches a car only if it is estimated under their budget; otherwise they just hear the price."""
    user = shopper(s)
    me = i_am(s, user)
    car = model_year(s, 2017, 2023)
    trim = s.pick("SELECT trim, trim_id FROM trims WHERE model_id = ?", (car["model_id"],))
    if s.rows("SELECT 1 FROM watchlist WHERE user_id = ? AND trim_id = ? AND year = ?",
              (user["user_id"], trim["trim_id"], car["year"])):  # fmt: skip
        s.reject("already watched")
    named = say_car(s, car, trim["trim"])
    where = say_region(s, user["region"])
    output = s.call("search_car_price", brand=car["brand"], model=car["model"], year=car["year"], region=user["region"])
    value = price_of(output, trim["trim"])["estimated_price"]
    # A budget on either side of the estimate, never equal to it: the state decides whether to watch.
    budget = int(round(value * s.rng.choice((0.85, 1.1, 1.15, 1.2)), -3))
    if budget == value:
        s.reject("budget equals the estimate")
    limit = s.detail("budget", budget, speech.money(budget), vague="my budget", synonyms=["budget", "price limit"])
    if value < budget:
        s.call("add_to_watchlist", user_id=user["user_id"], trim_id=trim["trim_id"], year=car["year"])
    s.fact(value)
    return speech.sentence(
        speech.opening(s.rng),
        f"How much is a {named} going for in {where}?",
        speech.choose(
            s.rng,
            f"If it's under {limit}, add it to my watchlist; if not, don't bother.",
            f"My budget is {limit}: only put it on my watchlist if it's below that.",
        ),
        me,
    )


@story(ENV)
def cheapest_car_on_my_watchlist(s: StoryContext) -> str:
    """A shopper asks which car on their watchlist is cheapest right now and what it is estimated at."""
    user = shopper(s, "(SELECT COUNT(*) FROM watchlist w WHERE w.user_id = u.user_id) >= 3")
    items = s.call("list_watchlist", user_id=s.say(user["user_id"]))
    ranked = sorted(items, key=lambda i: i["estimated_price"])
    if ranked[0]["estimated_price"] == ranked[1]["estimated_price"]:
        s.reject("tie")
    s.fact(ranked[0]["full_name"])
    s.fact(ranked[0]["year"])
    s.fact(ranked[0]["estimated_price"])
    s.fact(ranked[-1]["full_name"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm {user['user_id']}.",
        speech.choose(
            s.rng,
            "Of the cars on my watchlist, which is the cheapest right now (which year, and at what price), "
            "and which one is the most expensive?",
            "Looking at my watchlist, which car has the lowest estimate at the moment, for which model year and how "
            "much, and which is the priciest?",
        ),
    )


@story(ENV, implicit=True)
def priciest_is_out_of_reach(s: StoryContext) -> str:
    """A shopper's budget shrank: the priciest watched car comes off the watchlist, with any alert on it."""
    user = shopper(s, "(SELECT COUNT(*) FROM watchlist w WHERE w.user_id = u.user_id) >= 3")
    items = s.call("list_watchlist", user_id=s.say(user["user_id"]))
    ranked = sorted(items, key=lambda i: -i["estimated_price"])
    if ranked[0]["estimated_price"] == ranked[1]["estimated_price"]:
        s.reject("tie")
    top = ranked[0]
    s.call("remove_from_watchlist", user_id=user["user_id"], trim_id=top["trim_id"], year=top["year"])
    alerts = s.call("list_price_alerts", user_id=user["user_id"])
    for alert in alerts:
        if alert["trim_id"] == top["trim_id"] and alert["year"] == top["year"]:
            s.call("cancel_price_alert", user_id=user["user_id"], alert_id=alert["alert_id"])
    s.fact(top["full_name"])
    s.fact(top["year"])
    s.fact(top["estimated_price"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            "My budget just got cut, so the most expensive car I'm watching is out of reach now.",
            "I've had to scale back: whatever is the priciest car on my watchlist, I can't afford it any more.",
        ),
        speech.choose(
            s.rng,
            "Take it off my watchlist, and if I have a price alert on it, drop that too.",
            "Stop following that one for me: the watchlist entry and any price alert on it.",
        ),
        f"I'm {user['user_id']}.",
        "Which car was it, which model year, and what was it estimated at?",
    )


@story(ENV, weight=1.2)
def alert_below_a_price(s: StoryContext) -> str:
    """A buyer looks a car up, watches it and sets a price alert below a price they name, in their region."""
    user = shopper(s, "(SELECT COUNT(*) FROM price_alerts a WHERE a.user_id = u.user_id AND a.status = 'active') < 10")
    me = i_am(s, user)
    car = model_year(s, 2018, 2024)
    trim = s.pick("SELECT trim, trim_id FROM trims WHERE model_id = ?", (car["model_id"],))
    if s.rows("SELECT 1 FROM price_alerts WHERE user_id = ? AND trim_id = ? AND year = ? AND status = 'active' "
              "UNION SELECT 1 FROM watchlist WHERE user_id = ? AND trim_id = ? AND year = ?",
              (user["user_id"], trim["trim_id"], car["year"]) * 2):  # fmt: skip
        s.reject("already alerted or watched")
    named = say_car(s, car, trim["trim"])
    where = say_region(s, user["region"])
    output = s.call(
        "search_car_price",
        brand=car["brand"],
        model=car["model"],
        year=car["year"],
        region=user["region"],
    )
    s.call("add_to_watchlist", user_id=user["user_id"], trim_id=price_of(output, trim["trim"])["trim_id"],
           year=car["year"])  # fmt: skip
    value = price_of(output, trim["trim"])["estimated_price"]
    target = int(value * s.rng.choice((0.8, 0.85, 0.9)) // 500 * 500)
    price = s.detail("target price", target, speech.money(target), vague="a lower price", synonyms=["target"])
    alert = s.call(
        "create_price_alert",
        user_id=user["user_id"],
        trim_id=trim["trim_id"],
        year=car["year"],
        target_price=target,
        region=user["region"],
    )
    s.fact(alert["current_estimate"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Put the {named} on my watchlist and let me know when it drops below {price} in {where}.",
            f"Please watch the {named} for me and set a price alert at {price}; I'm in {where}.",
        ),
        me,
        speech.choose(s.rng, "What's it estimated at right now?", "And what's the current estimate?"),
    )


@story(ENV, implicit=True)
def buy_once_it_is_under(s: StoryContext) -> str:
    """A buyer will buy once a car is under their price: an alert if it isn't yet, the good news if it is."""
    user = shopper(s, "(SELECT COUNT(*) FROM price_alerts a WHERE a.user_id = u.user_id AND a.status = 'active') < 10")
    me = i_am(s, user)
    car = model_year(s, 2017, 2024)
    trim = s.pick("SELECT trim, trim_id FROM trims WHERE model_id = ?", (car["model_id"],))
    if s.rows("SELECT 1 FROM price_alerts WHERE user_id = ? AND trim_id = ? AND year = ? AND status = 'active'",
              (user["user_id"], trim["trim_id"], car["year"])):  # fmt: skip
        s.reject("already alerted")
    named = say_car(s, car, trim["trim"])
    where = say_region(s, user["region"])
    output = s.call("search_car_price", brand=car["brand"], model=car["model"], year=car["year"], region=user["region"])
    value = price_of(output, trim["trim"])["estimated_price"]
    target = int(round(value * s.rng.choice((0.85, 0.9, 1.1)), -3))
    if target == value:
        s.reject("target equals the estimate")
    price = s.detail("target price", target, speech.money(target), vague="my price", synonyms=["target", "budget"])
    if target < value:
        s.call(
            "create_price_alert",
            user_id=user["user_id"],
            trim_id=trim["trim_id"],
            year=car["year"],
            target_price=target,
            region=user["region"],
        )
    s.fact(value)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'll buy a {named} as soon as one costs less than {price} here in {where}.",
            f"I'm ready to pick up a {named} once it's under {price} in {where}.",
        ),
        speech.choose(
            s.rng,
            "Keep me posted on the price, and tell me where it stands today.",
            "Can you make sure I hear about it? And what's it going for now?",
        ),
        me,
    )


@story(ENV)
def lower_my_alert(s: StoryContext) -> str:
    """A shopper replaces an alert with a lower target (cancel the old one, set the new one)."""
    alert = s.pick(
        "SELECT a.*, t.full_name, m.brand, m.model, t.trim FROM price_alerts a JOIN trims t ON t.trim_id = a.trim_id "
        "JOIN models m ON m.model_id = t.model_id WHERE a.status = 'active' AND a.target_price >= 8000"
    )
    user = s.pick("SELECT * FROM users WHERE user_id = ?", (alert["user_id"],))
    s.person(ENV, user["user_id"])
    new_target = alert["target_price"] - s.rng.choice((1_000, 1_500, 2_000, 2_500))
    alerts = s.call("list_price_alerts", user_id=s.say(user["user_id"]))
    mine = next(a for a in alerts if a["alert_id"] == alert["alert_id"])
    if mine["current_estimate"] <= new_target:
        s.reject("already below")
    s.call("cancel_price_alert", user_id=user["user_id"], alert_id=alert["alert_id"])
    s.say(alert["full_name"])
    s.say(alert["year"])
    price = s.detail(
        "new target price", new_target, speech.money(new_target), vague="a lower price", synonyms=["target"]
    )
    s.call(
        "create_price_alert",
        user_id=user["user_id"],
        trim_id=alert["trim_id"],
        year=alert["year"],
        target_price=new_target,
        region=alert["region"],
    )
    named = f"{alert['year']} {alert['full_name']}"
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I've changed my mind about my price alert on the {named}: I'd rather wait for {price}.",
            f"Could you change the target on my price alert for the {named} to {price}?",
        ),
        f"Please replace the old one. I'm {user['user_id']}.",
    )


@story(ENV, implicit=True, weight=1.2)
def bought_it_stop_tracking(s: StoryContext) -> str:
    """The shopper bought a car they tracked: its alert is cancelled and, if it is watched, it leaves the watchlist."""
    alert = s.pick(
        "SELECT a.*, t.full_name FROM price_alerts a JOIN trims t ON t.trim_id = a.trim_id WHERE a.status = 'active' "
        # A pending dealer quote on the car would also be "set up for it": keep the outcome unambiguous.
        "AND NOT EXISTS (SELECT 1 FROM quote_requests q WHERE q.user_id = a.user_id AND q.trim_id = a.trim_id "
        "AND q.status = 'pending')"
    )
    user = s.pick("SELECT * FROM users WHERE user_id = ?", (alert["user_id"],))
    s.person(ENV, user["user_id"])
    s.say(alert["full_name"])
    s.say(alert["year"])
    alerts = s.call("list_price_alerts", user_id=s.say(user["user_id"]))
    if sum(a["trim_id"] == alert["trim_id"] and a["year"] == alert["year"] for a in alerts) != 1:
        s.reject("several alerts on the car")
    s.call("cancel_price_alert", user_id=user["user_id"], alert_id=alert["alert_id"])
    watched = s.call("list_watchlist", user_id=user["user_id"])
    if any(w["trim_id"] == alert["trim_id"] and w["year"] == alert["year"] for w in watched):
        s.call("remove_from_watchlist", user_id=user["user_id"], trim_id=alert["trim_id"], year=alert["year"])
    named = f"{alert['year']} {alert['full_name']}"
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Good news, I finally bought a {named}!",
            f"I picked up a {named} last weekend.",
            f"Deal done: I bought the {named}.",
        ),
        speech.choose(
            s.rng,
            "I don't need to track that car any more, so please clear out whatever I had set up for it.",
            "There's no point following its price now; stop everything you were tracking for it.",
        ),
        f"I'm {user['user_id']}.",
    )


# -- dealer quotes -------------------------------------------------------------------------------------------


@story(ENV, weight=1.2)
def quote_from_best_dealer(s: StoryContext) -> str:
    """A buyer asks the best-rated dealer of a brand in their city for a quote on a new trim."""
    dealer_city = s.pick("SELECT DISTINCT city, region FROM dealers")
    user = shopper(
        s,
        "u.region = ? AND (SELECT COUNT(*) FROM quote_requests q WHERE q.user_id = u.user_id "
        "AND q.status = 'pending') < 5",
        (dealer_city["region"],),
    )
    me = i_am(s, user)
    brand = s.pick(
        "SELECT DISTINCT j.value AS brand FROM dealers d, json_each(d.brands) j WHERE d.city = ?",
        (dealer_city["city"],),
    )["brand"]
    dealers = s.call("find_dealers", brand=s.say(brand), city=s.say(dealer_city["city"]))
    if len(dealers) > 1 and dealers[0]["rating"] == dealers[1]["rating"]:
        s.reject("tied ratings")
    best = dealers[0]
    models = s.call("get_car_models", brand=brand)
    model = s.rng.choice(models)
    trim = s.rng.choice(model["trims"])
    s.say(model["model"])
    s.say(trim["trim"])
    extra: dict[str, Any] = {}
    note = ""
    if s.rng.random() < 0.5:
        message = s.rng.choice(
            ("Do you have one in stock?", "Best out-the-door price please.", "Is it available in blue?")
        )
        extra["message"] = s.say(message, f'"{message}"')
        note = f'Add the message "{message}"'
    quote = s.call(
        "request_dealer_quote", user_id=user["user_id"], dealer_id=best["dealer_id"], trim_id=trim["trim_id"], **extra
    )
    s.fact(quote["dealer_name"])
    car = f"new {brand} {model['model']} {trim['trim']}"
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'd like a price quote on a {car} from the best-rated {brand} dealer in {dealer_city['city']}.",
            f"Please ask the top-rated {brand} dealer in {dealer_city['city']} to quote me on a {car}.",
        ),
        note,
        me,
        "Which dealer did you send it to?",
    )


@story(ENV)
def did_the_dealer_answer(s: StoryContext) -> str:
    """A shopper asks whether the dealer answered their quote request, the price offered, and the trim's MSRP."""
    quote = s.pick(
        "SELECT q.*, t.full_name, m.brand FROM quote_requests q JOIN trims t ON t.trim_id = q.trim_id "
        "JOIN models m ON m.model_id = t.model_id WHERE q.status = 'answered' "
        "AND (SELECT COUNT(*) FROM quote_requests o WHERE o.user_id = q.user_id AND o.trim_id = q.trim_id) = 1"
    )
    s.person(ENV, quote["user_id"])
    s.say(quote["full_name"])
    quotes = s.call("list_my_quotes", user_id=s.say(quote["user_id"]))
    answer = next(q for q in quotes if q["quote_id"] == quote["quote_id"])
    models = s.call("get_car_models", brand=s.say(quote["brand"]))
    trim = next(t for m in models for t in m["trims"] if t["trim_id"] == quote["trim_id"])
    s.fact(answer["dealer_name"])
    s.fact(answer["offered_price"])
    s.fact(trim["msrp"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Did the dealer ever get back to me about the new {quote['full_name']} I asked for a quote on?",
            f"I requested a quote on a new {quote['full_name']} a while ago. Has anyone replied?",
        ),
        speech.choose(
            s.rng,
            "Which dealer was it, what price did they offer, and what's the sticker price of that trim?",
            "Who answered and what did they offer? Remind me of the MSRP too so I can compare.",
        ),
        f"I'm {quote['user_id']}.",
    )


@story(ENV, implicit=True)
def decided_against_it(s: StoryContext) -> str:
    """A shopper went off a car they asked a dealer about: the pending quote request is withdrawn."""
    quote = s.pick(
        "SELECT q.*, t.full_name FROM quote_requests q JOIN trims t ON t.trim_id = q.trim_id "
        "WHERE q.status = 'pending' "
        "AND (SELECT COUNT(*) FROM quote_requests o WHERE o.user_id = q.user_id AND o.trim_id = q.trim_id "
        "AND o.status = 'pending') = 1"
    )
    s.person(ENV, quote["user_id"])
    s.say(quote["full_name"])
    quotes = s.call("list_my_quotes", user_id=s.say(quote["user_id"]))
    if not any(q["quote_id"] == quote["quote_id"] for q in quotes):
        s.reject("quote not listed")
    withdrawn = s.call("cancel_quote_request", user_id=quote["user_id"], quote_id=quote["quote_id"])
    s.fact(withdrawn["dealer_name"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I've decided against the {quote['full_name']}, so I don't need that dealer to get back to me.",
            f"Forget the {quote['full_name']}; I'm not buying one after all and the dealer can stop working on it.",
        ),
        f"I'm {quote['user_id']}. Which dealer was that with?",
    )
