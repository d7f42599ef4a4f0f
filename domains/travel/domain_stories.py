"""Travel stories across services: one traveller, one trip, two or three of the domain's environments.

Each story follows one trip through the services a traveller would really combine: the airline booking
decides the city and the day whose forecast matters, the park they are heading to decides the gateway
town whose weather they check, the place they look up on the map is where the car should take them. The
services' seeded calendars differ (the airline, weather, maps, parks and car share May 2024), so stories
join only services whose dates line up.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

# The town a visitor stays in for a park, where the weather service has a station (a person says the
# town, not the park's code).
PARK_GATEWAYS: dict[str, str] = {
    "grte": "Jackson",
    "yell": "Jackson",
    "grca": "Flagstaff",
    "romo": "Denver",
    "olym": "Seattle",
    "mora": "Seattle",
    "noca": "Seattle",
    "crla": "Portland",
    "yose": "San Francisco",
    "pinn": "San Francisco",
    "jotr": "Los Angeles",
    "chis": "Los Angeles",
    "ever": "Miami",
    "bisc": "Miami",
    "grsm": "Nashville",
    "sagu": "Phoenix",
    "deva": "Las Vegas",
    "hale": "Honolulu",
    "havo": "Honolulu",
    "dena": "Anchorage",
    "kefj": "Anchorage",
    "zion": "Las Vegas",
    "brca": "Salt Lake City",
    "arch": "Salt Lake City",
    "acad": "Portland",
}
# Weather stations whose name is shared by several towns: the state the person would add.
GATEWAY_REGION = {"Portland": {"crla": "Oregon", "acad": "Maine"}}


def _weather_location(s: StoryContext, city: str, region: str | None = None, *, stated: bool = True) -> dict[str, Any]:
    """The weather service's location for a city, found the way an agent would: by searching its name
    (``stated``: the request names the city; otherwise an earlier output did)."""
    found = s.call("weather.search_location", name=s.say(city) if stated else city)
    matches = [loc for loc in found if loc["name"] == city and (region is None or loc["region"] == region)]
    if len(matches) != 1:
        s.reject(f"{city} is not one unambiguous weather location")
    return matches[0]


def _forecast_day(s: StoryContext, location_id: str, day: dt.date, fahrenheit: bool) -> dict[str, Any]:
    today = s.now("weather").date()
    days = (day - today).days + 1
    if not 2 <= days <= 10:
        s.reject("the day is outside the forecast window")
    arguments: dict[str, Any] = {"location_id": location_id, "days": s.imply(days)}
    if fahrenheit:
        arguments["units"] = s.imply("imperial")
    forecast = s.call("weather.get_forecast", **arguments)
    entry = next((d for d in forecast["days"] if d["date"] == day.isoformat()), None)
    if entry is None:
        s.reject("no forecast for the day")
    return entry


def _booking(s: StoryContext, code: str) -> str:
    """The booking code the traveller quotes ("my booking W66XAM"); they would give it when asked."""
    s.detail(
        "booking code",
        code,
        code,
        phrase=f" {code}",
        synonyms=["booking", "reservation", "confirmation", "booking number", "reference"],
    )
    return code


def _upcoming_leg(s: StoryContext) -> dict[str, Any]:
    """A booked, still-open trip whose first flight leaves within the weather service's forecast window."""
    today = s.now("airline").date()
    return s.pick(
        "SELECT r.reservation_id, r.user_id, r.origin, r.destination, rf.date, a.city AS city "
        "FROM reservations r JOIN reservation_flights rf ON rf.reservation_id = r.reservation_id "
        "JOIN airports a ON a.iata = r.destination "
        "WHERE r.status IS NULL AND rf.position = 0 AND rf.date BETWEEN ? AND ? AND r.flight_type = 'one_way'",
        ((today + dt.timedelta(days=1)).isoformat(), (today + dt.timedelta(days=8)).isoformat()),
        env="airline",
    )


@story("airline", "weather")
def forecast_for_arrival_day(s: StoryContext) -> str:
    """A traveller with a booking checks the forecast where they land, on the day they land."""
    leg = _upcoming_leg(s)
    s.person("airline", leg["user_id"])
    s.call("airline.get_reservation_details", reservation_id=_booking(s, leg["reservation_id"]))
    day = dt.date.fromisoformat(leg["date"])
    location = _weather_location(s, leg["city"])
    fahrenheit = s.rng.random() < 0.5
    entry = _forecast_day(s, location["location_id"], day, fahrenheit)
    s.fact(entry["max_temp"])
    s.fact(entry["condition"])
    s.context(leg["city"], speech.date(day))
    unit = " in Fahrenheit" if fahrenheit else ""
    ask = speech.choose(
        s.rng,
        f"what high and what kind of sky are forecast there for the day I land{unit}?",
        f"what's the forecast there that day — the high{unit} and whether it's sunny or cloudy?",
    )
    return speech.sentence(
        speech.opening(s.rng),
        f"My booking {leg['reservation_id']} takes me to {leg['city']}.",
        speech.sentence(ask),
    )


@story("airline", "weather", implicit=True)
def umbrella_for_the_trip(s: StoryContext) -> str:
    """A traveller wonders whether to pack for rain; the booking decides where and when."""
    leg = _upcoming_leg(s)
    s.person("airline", leg["user_id"])
    s.call("airline.get_reservation_details", reservation_id=_booking(s, leg["reservation_id"]))
    day = dt.date.fromisoformat(leg["date"])
    # The booking names the airport; the airline's airport list says which city it serves.
    s.call("airline.list_all_airports")
    location = _weather_location(s, leg["city"], stated=False)
    entry = _forecast_day(s, location["location_id"], day, False)
    s.fact(entry["chance_of_rain"])
    s.context(leg["city"], speech.date(day), "%")
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Do I need an umbrella for my trip? It's my booking {leg['reservation_id']}.",
            f"I'm packing for the trip on my booking {leg['reservation_id']} — should I bring a rain jacket?",
        ),
        "What's the chance of rain where I'm going on the day I arrive?",
    )


def _park_with_gateway(s: StoryContext, with_alerts: bool) -> tuple[dict[str, Any], str, str | None]:
    codes = sorted(PARK_GATEWAYS)
    placeholders = ", ".join("?" for _ in codes)
    having = "AND EXISTS (SELECT 1 FROM alerts a WHERE a.parkCode = p.parkCode)" if with_alerts else ""
    park = s.pick(
        f"SELECT p.parkCode, p.fullName FROM parks p WHERE p.parkCode IN ({placeholders}) {having}",
        codes,
        env="national_parks",
    )
    town = PARK_GATEWAYS[park["parkCode"]]
    return park, town, GATEWAY_REGION.get(town, {}).get(park["parkCode"])


def _short_park_name(full_name: str) -> str:
    """'Zion National Park' → 'Zion', as a visitor says it."""
    for suffix in (" National Park & Preserve", " National Parks", " National Park", " National and State Parks"):
        if full_name.endswith(suffix):
            return full_name[: -len(suffix)]
    return full_name


def _find_park(s: StoryContext, park: dict[str, Any]) -> str:
    name = _short_park_name(park["fullName"])
    found = s.call(
        "national_parks.findParks",
        q=s.detail("park", name, name, vague="the park", synonyms=["which park", "national park"]),
    )
    if park["parkCode"] not in [p["parkCode"] for p in found["data"]]:
        s.reject("the park search does not find the park by its name")
    return name


@story("national_parks", "weather")
def park_alerts_and_gateway_weather(s: StoryContext) -> str:
    """A visitor heading to a park asks what is closed there and what the weather will be in town."""
    park, town, region = _park_with_gateway(s, with_alerts=True)
    name = _find_park(s, park)
    alerts = s.call("national_parks.getAlerts", parkCode=park["parkCode"])
    if not alerts["data"]:
        s.reject("no alerts")
    s.fact(alerts["data"][0]["title"])
    location = _weather_location(s, town, region)
    current = s.call("weather.get_current_weather", location_id=location["location_id"])
    s.fact(current["condition"])
    s.context(name, town)
    where = f"{town}, {region}" if region else town
    s.say(where)
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm driving out to {name} tomorrow and staying in {where}.",
        speech.choose(
            s.rng,
            "What's the latest alert posted for the park, and what's the weather doing in town right now?",
            "Is there any alert I should know about at the park (just the newest one), and what are conditions "
            "like in town at the moment?",
        ),
    )


@story("national_parks", "weather", implicit=True)
def is_it_warm_enough_to_camp(s: StoryContext) -> str:
    """A camper wonders how cold the nights get near the park in the coming days."""
    park, town, region = _park_with_gateway(s, with_alerts=False)
    name = _find_park(s, park)
    campgrounds = s.call("national_parks.getCampgrounds", parkCode=park["parkCode"])
    if not campgrounds["data"]:
        s.reject("no campgrounds")
    s.fact(campgrounds["total"] if "total" in campgrounds else len(campgrounds["data"]), derived=True)
    location = _weather_location(s, town, region)
    forecast = s.call("weather.get_forecast", location_id=location["location_id"])
    s.fact(min(d["min_temp"] for d in forecast["days"]), derived=True)
    s.context(name, town, "°C")
    where = f"{town}, {region}" if region else town
    s.say(where)
    return speech.sentence(
        speech.opening(s.rng),
        f"Thinking of camping at {name} over the next three days, staying near {where}.",
        "How many campgrounds does the park have, and how cold does the forecast get at night there "
        "(the lowest temperature in the next three days)?",
    )


@story("maps", "vehicle_control")
def drive_to_a_place(s: StoryContext) -> str:
    """A driver names a place in town; the map finds its address and the car navigates there."""
    place = s.pick(
        "SELECT name, city, primary_type FROM places WHERE rating >= 4.0 AND primary_type IN "
        "('restaurant', 'cafe', 'supermarket', 'pharmacy', 'museum', 'park', 'gas_station') "
        "AND name NOT LIKE '%''%' GROUP BY name, city HAVING COUNT(*) = 1",
        env="maps",
    )
    found = s.call("maps.maps_search_places", query=s.say(place["name"]), city=s.say(place["city"]))
    exact = [r for r in found["results"] if r["name"] == place["name"]]
    if len(exact) != 1:
        s.reject("the place is not found uniquely by name")
    address = exact[0]["formatted_address"]
    s.call("vehicle_control.set_navigation", destination=address)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Take me to {place['name']} in {place['city']} — please set the car's navigation to its address.",
            f"I need to get to {place['name']} in {place['city']}. Can you put its address into the car's navigation?",
        ),
    )


@story("maps", "vehicle_control", "weather")
def drive_to_a_place_if_dry(s: StoryContext) -> str:
    """A driver about to head out checks the weather in town before the car navigates to a place."""
    place = s.pick(
        "SELECT name, city FROM places WHERE rating >= 4.0 AND primary_type IN ('restaurant', 'cafe', 'museum', "
        "'park') AND name NOT LIKE '%''%' GROUP BY name, city HAVING COUNT(*) = 1",
        env="maps",
    )
    if place["city"] in ("Portland", "Oakland", "San Jose"):
        s.reject("ambiguous or missing weather station")
    location = _weather_location(s, place["city"])
    current = s.call("weather.get_current_weather", location_id=location["location_id"])
    s.fact(current["condition"])
    s.fact(current["temp"])
    found = s.call("maps.maps_search_places", query=s.say(place["name"]), city=place["city"])
    exact = [r for r in found["results"] if r["name"] == place["name"]]
    if len(exact) != 1:
        s.reject("the place is not found uniquely by name")
    s.call("vehicle_control.set_navigation", destination=exact[0]["formatted_address"])
    s.context(place["city"], place["name"], "°C")
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm heading to {place['name']} in {place['city']}.",
        "What's the weather like there right now (sky and temperature)? Then set the car's navigation to the "
        "place's address.",
    )


@story("airline", "maps")
def drive_time_after_landing(s: StoryContext) -> str:
    """A traveller landing in one city plans the drive on to a neighbouring one."""
    pairs = {
        "San Francisco": "San Jose",
        "Seattle": "Portland",
        "Portland": "Seattle",
        "Phoenix": "Salt Lake City",
        "Austin": "Denver",
    }
    leg = _upcoming_leg(s)
    if leg["city"] not in pairs:
        s.reject("no drive planned from that city")
    s.person("airline", leg["user_id"])
    s.call("airline.get_reservation_details", reservation_id=_booking(s, leg["reservation_id"]))
    onward = pairs[leg["city"]]
    s.call("airline.list_all_airports")
    s.detail(
        "onward city", onward, onward, phrase=f" to {onward}", vague=" somewhere", synonyms=["where", "destination"]
    )
    route = s.call("maps.maps_directions", origin=leg["city"], destination=onward)
    s.fact(route["distance_text"])
    s.fact(route["duration_text"])
    s.context(leg["city"], onward)
    return speech.sentence(
        speech.opening(s.rng),
        f"After I land on my booking {leg['reservation_id']} I'll rent a car and drive on to {onward}.",
        "How far is that drive from the city I land in, and about how long will it take?",
    )


# Cities the map and the weather service both know by one unambiguous name.
MAPPED_WEATHER_CITIES = (
    "Austin",
    "Boston",
    "Chicago",
    "Denver",
    "Miami",
    "Nashville",
    "New York",
    "Phoenix",
    "Salt Lake City",
    "San Francisco",
    "Seattle",
)
WET = ("rain", "shower", "thunder")


@story("weather", "maps", implicit=True, weight=0.5)
def rainy_day_plan(s: StoryContext) -> str:
    """A visitor's afternoon depends on the sky: indoors at the best museum if it rains, else the best park."""
    city = s.rng.choice(MAPPED_WEATHER_CITIES)
    s.detail("city", city, city, phrase=f" in {city}", synonyms=["where", "which city", "town"])
    location = _weather_location(s, city)
    current = s.call("weather.get_current_weather", location_id=location["location_id"])
    wet = any(word in current["condition"].lower() for word in WET)
    kind = "museum" if wet else "park"
    found = s.call("maps.maps_search_places", city=city, primary_type=s.imply(kind))
    if not found["results"]:
        s.reject("nothing of that kind in town")
    best, runner_up = found["results"][0], (found["results"][1:] or [None])[0]
    if runner_up is not None and runner_up["rating"] == best["rating"]:
        s.reject("two places share the best rating")
    s.fact(current["condition"])
    s.fact(best["name"])
    s.context(city, kind)
    return speech.sentence(
        speech.opening(s.rng),
        f"I have a free afternoon in {city}.",
        speech.choose(
            s.rng,
            "If it's raining there right now I'd rather be indoors at the best-rated museum; otherwise the "
            "best-rated park. What's the weather doing, and where should I go?",
            "What's it like outside there at the moment? If it's wet, point me to the top-rated museum in town, "
            "and if it's dry, the top-rated park.",
        ),
    )


@story("airline", "weather", implicit=True)
def storm_on_travel_day(s: StoryContext) -> str:
    """An insured traveller will not fly into a storm: the forecast decides whether the booking is cancelled."""
    today = s.now("airline").date()
    candidates = s.rows(
        "SELECT r.reservation_id, r.user_id, rf.date, a.city FROM reservations r "
        "JOIN reservation_flights rf ON rf.reservation_id = r.reservation_id AND rf.position = 0 "
        "JOIN airports a ON a.iata = r.destination WHERE r.status IS NULL AND r.insurance = 'yes' "
        "AND r.flight_type = 'one_way' AND rf.date BETWEEN ? AND ? ORDER BY r.reservation_id",
        ((today + dt.timedelta(days=1)).isoformat(), (today + dt.timedelta(days=8)).isoformat()),
        env="airline",
    )
    stormy = s.rows(
        "SELECT l.name, d.date FROM daily_weather d JOIN locations l ON l.location_id = d.location_id "
        "WHERE d.condition IN ('Thunderstorms', 'Heavy rain')",
        env="weather",
    )
    storms = {(row["name"], row["date"]) for row in stormy}
    # Half the draws come from the trips a storm really threatens, so both outcomes are common.
    if s.rng.random() < 0.5:
        candidates = [c for c in candidates if (c["city"], c["date"]) in storms]
    if not candidates:
        s.reject("no insured trip in the forecast window")
    leg = s.rng.choice(candidates)
    s.person("airline", leg["user_id"])
    s.call("airline.get_reservation_details", reservation_id=_booking(s, leg["reservation_id"]))
    s.call("airline.list_all_airports")
    location = _weather_location(s, leg["city"], stated=False)
    entry = _forecast_day(s, location["location_id"], dt.date.fromisoformat(leg["date"]), False)
    if entry["condition"] in ("Thunderstorms", "Heavy rain"):
        s.call("airline.cancel_reservation", reservation_id=leg["reservation_id"], reason=s.imply("weather"))
    s.fact(entry["condition"])
    s.context(leg["city"], speech.date(leg["date"]))
    return speech.sentence(
        speech.opening(s.rng),
        f"I have travel insurance on my booking {leg['reservation_id']}.",
        speech.choose(
            s.rng,
            "If thunderstorms or heavy rain are forecast where I land on the day I fly, cancel the trip — I'm not "
            "flying into that. Either way, tell me what the forecast says.",
            "I'm nervous about the weather: if the forecast at my destination for my travel day shows storms or "
            "heavy rain, please cancel the booking. What does the forecast say?",
        ),
    )


# Beijing's railway stations as the ride-hailing map names them.
BEIJING_STATIONS = {
    "北京南": "Beijing South Railway Station",
    "北京西": "Beijing West Railway Station",
    "北京": "Beijing Railway Station",
}


@story("china_railway", "didi")
def taxi_to_my_train(s: StoryContext) -> str:
    """A traveller leaving Beijing by train wants to know the station and what a ride there costs from here."""
    from envfactory_gym.domains.travel.china_railway.stories import CITY_EN, NOW, _find_ticket, _holder_ticket
    from envfactory_gym.domains.travel.didi.stories import SEARCH_RADIUS, _idle_rider, _location

    placeholders = ", ".join("?" for _ in BEIJING_STATIONS)
    with s.within("china_railway"):
        ticket = _holder_ticket(
            s, f" AND t.date > ? AND sf.station_name IN ({placeholders})", (NOW.date().isoformat(), *BEIJING_STATIONS)
        )
    destination = CITY_EN.get(ticket["to_city"])
    if destination is None:
        s.reject("destination city has no English name")
    s.person("china_railway", ticket["user_id"])
    orders = s.call(
        "china_railway.query_orders",
        user_id=s.detail("12306 account", ticket["user_id"], ticket["user_id"], synonyms=["12306", "login", "user"]),
        upcoming_only=True,
    )
    mine = _find_ticket(orders, ticket["ticket_id"])
    station = s.call("china_railway.get_station_by_code", station_code=mine["from_station_code"])
    with s.within("didi"):
        rider = _idle_rider(s)
        s.person("didi", rider["rider_id"])
        here = s.call("get_current_location", rider_id=s.say(rider["rider_id"]))
        # The ride-hailing map names the station in English: the traveller's station, as the map spells it.
        name = BEIJING_STATIONS[station["station_name"]]
        found = s.call(
            "maps_place_around",
            location=_location(s, here["lng"], here["lat"]),
            keywords=s.imply(name),
            radius=s.imply(SEARCH_RADIUS),
        )
        place = next((p for p in found["places"] if p["name"] == name), None)
        if place is None:
            s.reject("the station is not on the map")
    estimates = s.call(
        "didi.taxi_estimate", from_lng=here["lng"], from_lat=here["lat"], to_lng=place["lng"], to_lat=place["lat"]
    )
    express = next((e for e in estimates if e["product_type"] == "express"), None)
    if express is None:
        s.reject("no Express estimate")
    # Asked in English, the station is named in English ("Beijing West" in any longer wording).
    s.fact(name.removesuffix(" Railway Station"), derived=True)
    s.fact(speech.from_cents(express["estimated_price"]), derived=True)
    s.context(destination, speech.date(ticket["date"]), name, station["station_name"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm taking the train to {destination} on {speech.date(ticket['date'])}; my 12306 account is "
        f"{ticket['user_id']}.",
        "Which Beijing station does it leave from, and roughly what would a DiDi Express from where I am now to "
        f"that station cost? My DiDi rider ID is {rider['rider_id']}.",
    )


@story("weather", "hk_bus", implicit=True, weight=0.5)
def bus_or_walk_in_the_rain(s: StoryContext) -> str:
    """A Hong Kong commuter walks when it is dry and waits for the bus when it rains: the sky decides."""
    from envfactory_gym.domains.travel.hk_bus.stories import _boarding, _find_stop

    location = _weather_location(s, "Hong Kong")
    current = s.call("weather.get_current_weather", location_id=location["location_id"])
    s.fact(current["condition"])
    wet = any(word in current["condition"].lower() for word in WET)
    with s.within("hk_bus"):
        row = _boarding(s)
        stop_id = _find_stop(s, row["stop_name"])
        routes = s.call("get_all_routes_at_stop", stop_id=stop_id)
        matching = [r for r in routes if r["route"] == row["route"] and r["dest_en"] == row["dest_en"]]
        if len(matching) != 1:
            s.reject("the route reaches the stop twice towards that destination")
        s.say(row["dest_en"])
        if wet:
            eta = s.call("get_bus_eta", route=s.say(row["route"]), stop_id=stop_id, bound=matching[0]["bound"])
            if not eta["etas"] or not 2 <= eta["etas"][0]["minutes_away"] <= 60:
                s.reject("the route is not running soon")
            s.fact(eta["etas"][0]["minutes_away"])
        else:
            s.say(row["route"])
    s.context(row["stop_name"], row["dest_en"], row["route"], "Hong Kong")
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm at {row['stop_name']} and need to get towards {row['dest_en']}.",
        speech.choose(
            s.rng,
            f"If it's raining in Hong Kong right now I'll wait for the {row['route']}; if not, I'll walk. What's "
            "the weather doing, and if I'm taking the bus, how many minutes until it comes?",
            f"I only take the {row['route']} when it's wet out. What are conditions like in Hong Kong at the "
            "moment, and if it's raining, how long until the next one gets here?",
        ),
    )


@story("airline", "national_parks", "weather")
def fly_in_for_the_park(s: StoryContext) -> str:
    """A traveller flying in to visit a park asks what is posted at the park and the forecast for landing day."""
    gateways = {"Las Vegas": "zion", "Phoenix": "grca", "Denver": "romo", "Seattle": "olym", "Miami": "ever"}
    today = s.now("airline").date()
    placeholders = ", ".join("?" for _ in gateways)
    leg = s.pick(
        "SELECT r.reservation_id, r.user_id, rf.date, a.city FROM reservations r "
        "JOIN reservation_flights rf ON rf.reservation_id = r.reservation_id AND rf.position = 0 "
        f"JOIN airports a ON a.iata = r.destination WHERE r.status IS NULL AND a.city IN ({placeholders}) "
        "AND rf.date BETWEEN ? AND ?",
        (*gateways, (today + dt.timedelta(days=1)).isoformat(), (today + dt.timedelta(days=8)).isoformat()),
        env="airline",
    )
    s.person("airline", leg["user_id"])
    s.call("airline.get_reservation_details", reservation_id=_booking(s, leg["reservation_id"]))
    park = s.rows(
        "SELECT parkCode, fullName FROM parks WHERE parkCode = ?", (gateways[leg["city"]],), env="national_parks"
    )[0]
    name = _find_park(s, park)
    alerts = s.call("national_parks.getAlerts", parkCode=park["parkCode"])
    location = _weather_location(s, leg["city"])
    entry = _forecast_day(s, location["location_id"], dt.date.fromisoformat(leg["date"]), False)
    s.fact(entry["condition"])
    if alerts["data"]:
        s.fact(alerts["data"][0]["title"])
        ask_alert = "what's the newest alert posted for the park"
    else:
        s.fact("no", derived=True)
        ask_alert = "is there any alert posted for the park (yes or no)"
    s.context(name, leg["city"], speech.date(leg["date"]))
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm flying into {leg['city']} on my booking {leg['reservation_id']} to visit {name}.",
        f"Two things: {ask_alert}, and what sky is forecast in {leg['city']} for the day I land?",
    )
