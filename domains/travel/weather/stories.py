"""Weather stories: one weather-app user per task, one storyline each (see envfactory_gym.synthesis.stories).

They cover what people ask a weather service: will it rain tomorrow, do I need a jacket now, when does the
sun set on the weekend of a trip, how much rain fell on a past day, which of two destinations is drier on
Saturday, and whether there are warnings for a city; and what they do with their saved locations and
settings: save a trip's city, turn alerts on, rename a location, swap "Home" after a move, and switch to
Fahrenheit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

NOW_UTC = dt.datetime(2024, 5, 15, 15, 0, 0)  # the seeded service clock (weather.NOW_UTC)
US = "country = 'United States'"


def _local_today(location: dict[str, Any]) -> dt.date:
    return (NOW_UTC + dt.timedelta(hours=location["utc_offset"])).date()


def _spoken(s: StoryContext, location: dict[str, Any]) -> str:
    """A city as a person names it: 'Denver', or 'Portland, Maine' where several places share the name."""
    same = s.rows("SELECT COUNT(*) AS n FROM locations WHERE name = ?", (location["name"],))[0]["n"]
    return location["name"] if same == 1 else f"{location['name']}, {location['region']}"


def _find(s: StoryContext, location: dict[str, Any]) -> str:
    """Gold looks the city up by the name the request uses; returns that name."""
    name = _spoken(s, location)
    found = s.call("search_location", name=s.say(name))
    if not found or found[0]["location_id"] != location["location_id"]:
        s.reject("search does not put the city first")
    return name


def _units(s: StoryContext, location: dict[str, Any]) -> tuple[str, str]:
    """The units a person there thinks in, and how the request says so."""
    if location["country"] == "United States":
        return s.imply("imperial"), "in Fahrenheit"
    return "metric", "in Celsius"


def _day_in_forecast(s: StoryContext, location: dict[str, Any], weekday: int) -> tuple[dt.date, int]:
    """The next given weekday after the local today, and how many forecast days reach it."""
    today = _local_today(location)
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + dt.timedelta(days=ahead), ahead + 1


@story("weather", implicit=True)
def umbrella_tomorrow(s: StoryContext) -> str:
    """Should I take an umbrella tomorrow: the chance of rain and the sky for the next day."""
    location = s.pick("SELECT * FROM locations ORDER BY location_id")
    name = _find(s, location)
    forecast = s.call("get_forecast", location_id=location["location_id"], days=s.imply(2))
    tomorrow = forecast["days"][1]
    s.fact(tomorrow["chance_of_rain"])
    s.fact(tomorrow["condition"])
    s.context(speech.date(tomorrow["date"]))
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'm spending tomorrow walking around {name} and I'm trying to decide whether to pack an umbrella.",
            f"I've got an outdoor thing in {name} tomorrow and don't want to get soaked.",
            f"Should I bother bringing a rain jacket to {name} tomorrow?",
        ),
        speech.choose(
            s.rng,
            "What's the chance of rain, and what kind of sky are they calling for?",
            "How likely is rain, and what's the overall forecast for the day?",
        ),
    )


@story("weather", implicit=True)
def jacket_right_now(s: StoryContext) -> str:
    """Do I need a jacket: the temperature, what it feels like and the wind right now."""
    location = s.pick("SELECT * FROM locations ORDER BY location_id")
    name = _find(s, location)
    units, said = _units(s, location)
    now = s.call("get_current_weather", location_id=location["location_id"], units=units)
    s.fact(now["temp"])
    s.fact(now["feels_like"])
    s.fact(now["condition"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'm about to head out in {name} and can't decide if I need a jacket.",
            f"Heading out the door in {name} in a minute. Jacket or no jacket?",
        ),
        f"What's the temperature right now {said}, what does it feel like, and what's it doing outside?",
    )


@story("weather")
def weekend_trip_sunset_then_save(s: StoryContext) -> str:
    """Planning a weekend away: when the sun sets on Saturday there, then saving the city for the trip."""
    user = s.pick(
        "SELECT u.* FROM users u WHERE (SELECT COUNT(*) FROM saved_locations v WHERE v.user_id = u.user_id) < "
        "CASE u.plan WHEN 'free' THEN 5 ELSE 15 END AND NOT EXISTS (SELECT 1 FROM saved_locations v "
        "WHERE v.user_id = u.user_id AND lower(v.nickname) = 'weekend trip') ORDER BY u.user_id"
    )
    location = s.pick(
        "SELECT * FROM locations WHERE location_id NOT IN (SELECT location_id FROM saved_locations WHERE user_id = ?) "
        "ORDER BY location_id",
        (user["user_id"],),
    )
    s.person("weather", user["user_id"])
    s.say(user["user_id"])
    name = _find(s, location)
    saturday, days = _day_in_forecast(s, location, 5)
    forecast = s.call("get_forecast", location_id=location["location_id"], days=s.imply(days))
    day = next(d for d in forecast["days"] if d["date"] == saturday.isoformat())
    s.fact(speech.time(day["sunset"]), derived=True)
    s.context(speech.date(saturday))
    nickname = s.detail(
        "nickname", "Weekend trip", "Weekend trip", phrase="'Weekend trip'", vague="a nickname", synonyms=["name"]
    )
    s.call("save_location", user_id=user["user_id"], location_id=location["location_id"], nickname="Weekend trip")
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm planning a weekend away in {name}.",
        speech.choose(
            s.rng,
            "When does the sun set there on Saturday?",
            "What time is sunset there this Saturday? I want to catch it.",
        ),
        f"And please save {name} to my locations as {nickname}. My username is {user['user_id']}.",
    )


@story("weather")
def rain_on_a_past_day(s: StoryContext) -> str:
    """How much rain fell in a city on a recent past day, and how warm it got."""
    location = s.pick("SELECT * FROM locations ORDER BY location_id")
    today = _local_today(location)
    back = s.rng.randint(2, 9)
    day = today - dt.timedelta(days=back)
    row = s.rows(
        "SELECT precip_mm FROM daily_weather WHERE location_id = ? AND date = ?",
        (location["location_id"], day.isoformat()),
    )
    if not row or row[0]["precip_mm"] <= 0:
        s.reject("a dry day")
    name = _find(s, location)
    units, said = _units(s, location)
    spoken_day = speech.date(day, weekday=True)
    s.say(day.isoformat(), spoken_day)
    past = s.call("get_historical_weather", location_id=location["location_id"], date=day.isoformat(), units=units)
    s.fact(past["precip_mm"])
    s.fact(past["max_temp"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"My garden in {name} looked soaked when I got back.",
            f"We had an event in {name} on {spoken_day} and people keep arguing about the weather.",
            f"I'm filing an insurance claim about water damage in {name}.",
        ),
        f"How many millimeters of rain fell there on {spoken_day}, and what was the high {said}?",
    )


@story("weather")
def drier_destination_on_saturday(s: StoryContext) -> str:
    """Choosing between two destinations for Saturday: each one's chance of rain."""
    a, b = s.sample(
        "SELECT * FROM locations WHERE utc_offset = ? ORDER BY location_id", 2, (-4 if s.rng.random() < 0.5 else 2,)
    )
    chances = []
    names = []
    for location in (a, b):
        names.append(_find(s, location))
        saturday, days = _day_in_forecast(s, location, 5)
        forecast = s.call("get_forecast", location_id=location["location_id"], days=s.imply(days))
        day = next(d for d in forecast["days"] if d["date"] == saturday.isoformat())
        chances.append(day["chance_of_rain"])
    if chances[0] == chances[1]:
        s.reject("equal chances")
    for chance in chances:
        s.fact(chance)
    return speech.sentence(
        speech.opening(s.rng),
        f"We're torn between {names[0]} and {names[1]} for a day trip this Saturday.",
        speech.choose(
            s.rng,
            "What's the chance of rain in each place that day?",
            "Which one is less likely to get rain on Saturday? Give me the chance of rain for both.",
        ),
    )


@story("weather")
def warnings_then_watch_city(s: StoryContext) -> str:
    """Before a trip: the weather warnings out for a city, then saving it with alerts switched on."""
    location = s.pick(
        "SELECT * FROM locations WHERE location_id IN (SELECT location_id FROM alerts WHERE expires > ?) "
        "ORDER BY location_id",
        (NOW_UTC.isoformat(),),
    )
    user = s.pick(
        "SELECT u.* FROM users u WHERE (SELECT COUNT(*) FROM saved_locations v WHERE v.user_id = u.user_id) < "
        "CASE u.plan WHEN 'free' THEN 5 ELSE 15 END AND NOT EXISTS (SELECT 1 FROM saved_locations v "
        "WHERE v.user_id = u.user_id AND (v.location_id = ? OR lower(v.nickname) = lower(?))) ORDER BY u.user_id",
        (location["location_id"], location["name"]),
    )
    s.person("weather", user["user_id"])
    s.say(user["user_id"])
    name = _find(s, location)
    alerts = s.call("get_alerts", location_id=location["location_id"])
    if not alerts["alerts"]:
        s.reject("no alerts")
    for alert in alerts["alerts"]:
        s.fact(alert["event"])
    s.call("save_location", user_id=user["user_id"], location_id=location["location_id"], alerts_enabled=True)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'm flying into {name} in a couple of days.",
            f"My team is heading to {name} for a conference this week.",
        ),
        "Are there any weather warnings or advisories out for it?",
        f"Also save {name} to my locations with alerts turned on so I hear about new ones. "
        f"My username is {user['user_id']}.",
    )


@story("weather", implicit=True)
def missing_alerts_for_saved_place(s: StoryContext) -> str:
    """The person keeps missing warnings for a saved place: alerts are turned on; how it is there now."""
    saved = s.pick(
        "SELECT v.*, l.name AS city FROM saved_locations v JOIN locations l ON l.location_id = v.location_id "
        "WHERE v.alerts_enabled = 0 AND v.nickname IN ('Home', 'Work', 'Parents') ORDER BY v.saved_id"
    )
    user = saved["user_id"]
    s.person("weather", user)
    s.say(user)
    spoken = {"Home": "home", "Work": "work", "Parents": "my parents' place"}[saved["nickname"]]
    label = f"'{saved['nickname']}'"
    s.say(saved["nickname"], label)
    s.call("update_saved_location", user_id=user, nickname=saved["nickname"], alerts_enabled=True)
    details = s.call("get_saved_location", user_id=user, nickname=saved["nickname"])
    s.fact(details["current"]["temp"])
    s.fact(details["current"]["condition"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I never hear about storm warnings for {spoken}, the location I saved as {label}.",
            f"There was a warning near {spoken} last week and the app didn't tell me. It's saved as {label}.",
        ),
        "I want to be told from now on.",
        "While you're at it, what's the temperature and sky there right now?",
        f"I'm {user}.",
    )


@story("weather")
def rename_saved_city(s: StoryContext) -> str:
    """Renaming the saved location for a city, then checking the weather there under the new name."""
    saved = s.pick(
        "SELECT v.*, l.name AS city, l.region FROM saved_locations v JOIN locations l ON l.location_id = v.location_id "
        "WHERE l.name NOT IN (SELECT name FROM locations GROUP BY name HAVING COUNT(*) > 1) "
        "AND NOT EXISTS (SELECT 1 FROM saved_locations w WHERE w.user_id = v.user_id AND w.location_id != "
        "v.location_id AND lower(w.nickname) = lower(l.name)) ORDER BY v.saved_id"
    )
    new = s.rng.choice(["Sister's place", "Grandma", "Summer house", "Lake cabin", "Office trip"])
    user = saved["user_id"]
    if s.rows("SELECT 1 FROM saved_locations WHERE user_id = ? AND lower(nickname) = lower(?)", (user, new)):
        s.reject("nickname taken")
    s.person("weather", user)
    s.say(user)
    s.say(saved["city"])
    s.call("list_saved_locations", user_id=user)
    phrase = s.detail("new nickname", new, new, phrase=f"'{new}'", vague="something else", synonyms=["nickname"])
    s.call("update_saved_location", user_id=user, nickname=saved["nickname"], new_nickname=new)
    details = s.call("get_saved_location", user_id=user, nickname=new)
    s.fact(details["current"]["temp"])
    s.fact(details["current"]["humidity"])
    return speech.sentence(
        speech.opening(s.rng),
        f"Please rename my saved {saved['city']} location to {phrase}.",
        "Then tell me the temperature and humidity there right now.",
        f"My username is {user}.",
    )


@story("weather", implicit=True)
def moved_house(s: StoryContext) -> str:
    """The person moved cities: the old Home location goes and the new city is saved as Home."""
    home = s.pick(
        "SELECT v.*, l.name AS city FROM saved_locations v JOIN locations l ON l.location_id = v.location_id "
        "WHERE v.nickname = 'Home' ORDER BY v.saved_id"
    )
    user = home["user_id"]
    new = s.pick(
        f"SELECT * FROM locations WHERE {US} AND location_id NOT IN "
        "(SELECT location_id FROM saved_locations WHERE user_id = ?) AND name != ? ORDER BY location_id",
        (user, home["city"]),
    )
    s.person("weather", user)
    s.say(user)
    old_city = s.say(home["city"])
    s.call("list_saved_locations", user_id=user)
    s.call("remove_saved_location", user_id=user, nickname=s.imply("Home"))
    name = _find(s, new)
    s.detail("new city", name, name, vague="a new city", synonyms=["city", "where"])
    s.call("save_location", user_id=user, location_id=new["location_id"], nickname="Home")
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I just moved from {old_city} to {name}!",
            f"We finally finished moving out of {old_city}. We live in {name} now.",
        ),
        "My home location in the app still points at the old place, can you sort that out?",
        f"I'm {user}.",
    )


@story("weather", implicit=True)
def cannot_read_celsius(s: StoryContext) -> str:
    """Someone who thinks in Fahrenheit is shown Celsius: switch units, then the temperature at a saved place."""
    saved = s.pick(
        "SELECT v.* FROM saved_locations v JOIN users u ON u.user_id = v.user_id "
        "WHERE u.units = 'metric' AND v.nickname IN ('Home', 'Work', 'Parents') ORDER BY v.saved_id"
    )
    user = saved["user_id"]
    s.person("weather", user)
    s.say(user)
    s.call("set_preferred_units", user_id=user, units=s.imply("imperial"))
    label = f"'{saved['nickname']}'"
    s.say(saved["nickname"], label)
    details = s.call("get_saved_location", user_id=user, nickname=saved["nickname"])
    s.fact(details["current"]["temp"])
    s.fact(details["current"]["feels_like"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            "The app keeps showing me temperatures in Celsius and I have no feel for those.",
            "I grew up with Fahrenheit and the Celsius numbers in my app mean nothing to me.",
        ),
        f"Fix that for me, and then tell me how warm it is at {label} right now and what it feels like.",
        f"My username is {user}.",
    )
