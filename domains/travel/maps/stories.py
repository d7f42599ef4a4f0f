"""Maps stories: one maps user per task, one storyline each (see envfactory_gym.synthesis.stories).

They cover what people ask a maps app: how far and how long a drive is between two named places, the
nearest pharmacy or gas station to where they are, what is at a pin they dropped and how high it is, which
of two sights is the shorter walk, the top-rated museum in a city; and what they do with their own
account: start a list and fill it, save a place, move a visited place from "Want to go" to "Favorites",
review a place, take down a review posted by mistake, and see what is on their lists.
"""

from __future__ import annotations

import re
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

# Cities a person names without a state; the seeded metro areas.
VENUE = "primary_type != 'locality'"
# Places people go out to (and would name as a destination or rave about), not chains or clinics.
OUTINGS = "'restaurant', 'cafe', 'bar', 'bakery', 'museum', 'park', 'book_store', 'movie_theater', 'lodging'"
EATERIES = "'restaurant', 'cafe', 'bar', 'bakery'"


def _spoken_place(place: dict[str, Any]) -> str:
    return f"{place['name']} in {place['city']}"


def _lookup(place: dict[str, Any]) -> str:
    """How the request names a place, and the text the gold geocode looks up ('Name, City')."""
    return f"{place['name']}, {place['city']}"


def _duration_facts(text: str) -> list[str]:
    """'1 hour 5 mins' -> ['1 hour', '5']; '42 mins' -> ['42']: the parts any spoken answer repeats."""
    hours = re.search(r"(\d+) hours?", text)
    minutes = re.search(r"(\d+) mins?", text)
    facts = []
    if hours:
        facts.append(hours.group(0))
    if minutes and not (hours and minutes.group(1) == "0"):
        facts.append(minutes.group(1))
    return facts


def _geocode(s: StoryContext, place: dict[str, Any]) -> dict[str, Any]:
    found = s.call("maps_geocode", address=s.say(_lookup(place), _spoken_place(place)))
    hits = [r for r in found["results"] if r["place_id"] == place["place_id"]]
    if not hits:
        s.reject("geocode did not find the place")
    return hits[0]


def _say_place(s: StoryContext, place: dict[str, Any]) -> None:
    """The request names the place as '<name> in <city>'; gold searches its name within its city."""
    s.say(place["name"])
    s.say(place["city"])


def _search(s: StoryContext, place: dict[str, Any]) -> dict[str, Any]:
    _say_place(s, place)
    found = s.call("maps_search_places", query=place["name"], city=place["city"])
    if place["place_id"] not in [r["place_id"] for r in found["results"]]:
        s.reject("search does not list the place")
    return found


@story("maps")
def drive_between_places(s: StoryContext) -> str:
    """How far and how long the drive is between two named places in one metro area."""
    city = s.pick("SELECT DISTINCT city FROM places ORDER BY city")["city"]
    a, b = s.sample(
        f"SELECT * FROM places WHERE primary_type IN ({OUTINGS}) AND city = ? ORDER BY place_id", 2, (city,)
    )
    route = s.call(
        "maps_directions",
        origin=s.say(_lookup(a), _spoken_place(a)),
        destination=s.say(_lookup(b), b["name"]),
        units=s.imply("imperial"),
    )
    if route["status"] != "OK" or route["distance_m"] < 2000:
        s.reject("too short a drive")
    s.fact(route["distance_text"].split()[0], derived=True)
    for part in _duration_facts(route["duration_text"]):
        s.fact(part, derived=True)
    s.context(a["name"], b["name"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"How far is it to drive from {_spoken_place(a)} to {b['name']}, in miles, and how long does it take?",
            f"I need to get from {_spoken_place(a)} to {b['name']} by car. How many miles is that and how long "
            "is the drive?",
            f"What's the driving distance in miles between {_spoken_place(a)} and {b['name']}, and how long "
            "will it take me?",
        ),
    )


@story("maps", implicit=True)
def pharmacy_near_me(s: StoryContext) -> str:
    """Someone unwell at a named place needs the closest pharmacy: name, whether it is open, its phone."""
    here = s.pick(
        "SELECT * FROM places WHERE primary_type IN ('lodging', 'cafe', 'library', 'park', 'museum') ORDER BY place_id"
    )
    spot = _geocode(s, here)
    nearby = s.call("maps_nearby_search", lat=spot["lat"], lng=spot["lng"], primary_type=s.imply("pharmacy"))
    if not nearby["results"]:
        s.reject("no pharmacy within 5 km")
    closest = nearby["results"][0]
    details = s.call("maps_place_details", place_id=closest["place_id"])
    s.fact(closest["name"])
    s.fact(details["phone_number"])
    s.fact("yes" if details["open_now"] else "no")
    s.context(here["name"])
    need = speech.choose(
        s.rng,
        "I've come down with a nasty cold and I'm out of medicine.",
        "I forgot my prescription refill at home and I'm feeling rough.",
        "My kid has a fever and we have nothing with us.",
    )
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm at {_spoken_place(here)}. {need}",
        speech.choose(
            s.rng,
            "What's the closest pharmacy, is it open right now, and what's their phone number?",
            "Where's the nearest pharmacy? I need to know if it's open now and a number to call them.",
        ),
    )


@story("maps", implicit=True)
def running_low_on_gas(s: StoryContext) -> str:
    """A driver low on fuel at a named place: the nearest gas station and how far the drive to it is."""
    here = s.pick(f"SELECT * FROM places WHERE {VENUE} AND primary_type NOT IN ('gas_station') ORDER BY place_id")
    spot = _geocode(s, here)
    nearby = s.call("maps_nearby_search", lat=spot["lat"], lng=spot["lng"], primary_type=s.imply("gas_station"))
    if not nearby["results"]:
        s.reject("no gas station within 5 km")
    station = nearby["results"][0]
    route = s.call(
        "maps_directions",
        origin=_lookup(here),
        destination=station["formatted_address"],
        units=s.imply("imperial"),
    )
    s.fact(station["name"])
    s.fact(route["distance_text"].split()[0], derived=True)
    s.context(here["name"], station["formatted_address"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"My fuel light just came on and I'm parked at {_spoken_place(here)}.",
            f"I'm nearly out of gas outside {_spoken_place(here)}.",
        ),
        speech.choose(
            s.rng,
            "Where's the nearest gas station, and how many miles is the drive there?",
            "Which gas station is closest, and how far a drive is it in miles?",
        ),
    )


@story("maps")
def dropped_pin(s: StoryContext) -> str:
    """Someone holding a pin's coordinates asks what is there and how high above sea level it is."""
    place = s.pick(f"SELECT * FROM places WHERE {VENUE} ORDER BY place_id")
    lat, lng = (
        round(place["lat"] + s.rng.uniform(-0.0004, 0.0004), 4),
        round(place["lng"] + s.rng.uniform(-0.0004, 0.0004), 4),
    )
    s.hold("coordinates")
    s.say(lat)
    s.say(lng)
    found = s.call("maps_reverse_geocode", lat=lat, lng=lng)
    if len(found["results"]) < 2:
        s.reject("too few places near the pin")
    height = s.call("maps_elevation", lat=lat, lng=lng)
    nearest = found["results"][0]
    s.fact(nearest["name"])
    s.fact(height["elevation"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"A friend sent me a pin at {lat}, {lng}.",
            f"I dropped a pin at {lat}, {lng} on my last hike through town.",
            f"My GPS logged a stop at {lat}, {lng}.",
        ),
        speech.choose(
            s.rng,
            "What's the closest place to that spot, and what's the elevation there?",
            "What's right at that spot, and how high above sea level is it?",
        ),
    )


@story("maps")
def shorter_walk_then_save(s: StoryContext) -> str:
    """From a hotel, which of two sights is the shorter walk; the person saves that one to a list."""
    hotel = s.pick("SELECT * FROM places WHERE primary_type = 'lodging' ORDER BY place_id")
    user = s.pick("SELECT user_id FROM users ORDER BY user_id")["user_id"]
    sights = s.sample(
        "SELECT * FROM places WHERE city = ? AND primary_type IN ('museum', 'park', 'book_store', 'bakery') "
        "AND abs(lat - ?) < 0.025 AND abs(lng - ?) < 0.025 ORDER BY place_id",
        2,
        (hotel["city"], hotel["lat"], hotel["lng"]),
    )
    s.person("maps", user)
    s.say(user)
    matrix = s.call(
        "maps_distance_matrix",
        origins=[s.say(_lookup(hotel), _spoken_place(hotel))],
        destinations=[s.say(_lookup(x), x["name"]) for x in sights],
        mode=s.imply("walking"),
    )
    times = [e["duration_s"] for e in matrix["rows"][0]["elements"]]
    if None in times or times[0] == times[1] or max(times) > 3500:
        s.reject("no clear shorter walk under an hour")
    winner = sights[times.index(min(times))]
    for element in matrix["rows"][0]["elements"]:
        for part in _duration_facts(element["duration_text"]):
            s.fact(part, derived=True)
    spot = s.call("maps_geocode", address=_lookup(winner))
    if spot["results"][0]["place_id"] != winner["place_id"]:
        s.reject("geocode ambiguity")
    list_name = s.rng.choice(["Want to go", "Travel plans"])
    already = s.rows(
        "SELECT 1 FROM saved_places sp JOIN saved_lists l ON l.list_id = sp.list_id WHERE l.user_id = ? "
        "AND l.list_name = ? AND sp.place_id = ?",
        (user, list_name, winner["place_id"]),
    )
    if already:
        s.reject("already saved")
    s.call("save_place", user_id=user, place_id=winner["place_id"], list_name=s.say(list_name))
    s.context(*(x["name"] for x in sights))
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm staying at {_spoken_place(hotel)} and want to walk to either {sights[0]['name']} or {sights[1]['name']}.",
        "How long is the walk to each?",
        f"Then save whichever is the shorter walk to my {list_name} list. My username is {user}.",
    )


@story("maps")
def start_a_list(s: StoryContext) -> str:
    """The person starts a new themed list and puts a place they name on it."""
    themes = {
        "Date night": ("restaurant", "bar"),
        "Coffee spots": ("cafe",),
        "Rainy day ideas": ("museum", "movie_theater", "book_store", "library"),
        "Brunch": ("cafe", "bakery", "restaurant"),
        "Workouts": ("gym", "park"),
    }
    theme = s.rng.choice(sorted(themes))
    user = s.pick("SELECT user_id, home_city FROM users ORDER BY user_id")
    kinds = themes[theme]
    marks = ", ".join("?" * len(kinds))
    place = s.pick(
        f"SELECT * FROM places WHERE city = ? AND primary_type IN ({marks}) ORDER BY place_id",
        (user["home_city"], *kinds),
    )
    if s.rows("SELECT 1 FROM saved_lists WHERE user_id = ? AND lower(list_name) = ?", (user["user_id"], theme.lower())):
        s.reject("list exists")
    s.person("maps", user["user_id"])
    s.say(user["user_id"])
    name = s.detail("list name", theme, f"'{theme}'", vague="a new list", synonyms=["list", "list name"])
    s.call("create_list", user_id=user["user_id"], list_name=theme)
    _search(s, place)
    s.call("save_place", user_id=user["user_id"], place_id=place["place_id"], list_name=theme)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Can you start a new list called {name} for me and put {_spoken_place(place)} on it?",
            f"I want to keep track of places for {theme.lower()}. Make me a list named {name} and add "
            f"{_spoken_place(place)} to it.",
        ),
        f"I'm {user['user_id']}.",
    )


@story("maps")
def top_museum_to_travel_plans(s: StoryContext) -> str:
    """The best-rated place of a kind in a city, saved to the person's list; how many ratings it has."""
    kind, spoken = s.rng.choice(
        [("museum", "museum"), ("restaurant", "restaurant"), ("cafe", "cafe"), ("park", "park"), ("bar", "bar")]
    )
    city = s.pick("SELECT DISTINCT city FROM places WHERE primary_type = ? ORDER BY city", (kind,))["city"]
    user = s.pick("SELECT user_id FROM users ORDER BY user_id")["user_id"]
    s.person("maps", user)
    s.say(user)
    found = s.call("maps_search_places", city=s.say(city), primary_type=s.imply(kind))
    top = found["results"]
    if len(top) < 2 or top[0]["rating"] == top[1]["rating"]:
        s.reject("no single best-rated place")
    best = top[0]
    list_name = s.rng.choice(["Travel plans", "Want to go"])
    s.call("save_place", user_id=user, place_id=best["place_id"], list_name=s.say(list_name))
    s.fact(best["name"])
    s.fact(best["user_ratings_total"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'll be in {city} next month. What's the best-rated {spoken} there?",
            f"Which {spoken} in {city} has the highest rating?",
        ),
        f"Add it to my {list_name} list and tell me how many people have rated it. My username is {user}.",
    )


@story("maps")
def review_after_visit(s: StoryContext) -> str:
    """The person rates a place they visited, with a line of text; the place's new average rating."""
    user = s.pick("SELECT user_id, home_city FROM users ORDER BY user_id")
    place = s.pick(
        "SELECT * FROM places WHERE city = ? AND primary_type IN ('restaurant', 'cafe', 'bar', 'bakery', 'museum') "
        "AND place_id NOT IN (SELECT place_id FROM reviews WHERE user_id = ?) ORDER BY place_id",
        (user["home_city"], user["user_id"]),
    )
    stars = s.rng.randint(1, 5)
    text = s.rng.choice(
        {
            5: ["Absolutely loved it.", "Best in the neighborhood."],
            4: ["Really good, a bit busy.", "Solid choice, nice atmosphere."],
            3: ["It was okay.", "Fine, nothing special."],
            2: ["Service was slow.", "Not worth the price."],
            1: ["Terrible experience.", "Would not recommend."],
        }[stars]
    )
    s.person("maps", user["user_id"])
    s.say(user["user_id"])
    _search(s, place)
    stated = s.detail("rating", stars, speech.count(stars, "star"), vague="a rating", synonyms=["stars"])
    s.say(text, f'"{text}"')
    review = s.call("write_review", user_id=user["user_id"], place_id=place["place_id"], rating=stars, text=text)
    s.fact(review["place_rating"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(s.rng, "I went to", "We had lunch at", "I stopped by") + f" {_spoken_place(place)} yesterday.",
        f'Please post a review for me: {stated}, saying "{text}"',
        f"What's its average rating after that? I'm {user['user_id']}.",
    )


@story("maps", implicit=True)
def review_posted_by_mistake(s: StoryContext) -> str:
    """The person reviewed the wrong place; the review is deleted."""
    row = s.pick(
        "SELECT r.user_id, p.* FROM reviews r JOIN places p ON p.place_id = r.place_id "
        f"WHERE p.primary_type IN ({EATERIES}) ORDER BY r.review_id"
    )
    s.person("maps", row["user_id"])
    s.say(row["user_id"])
    _search(s, row)
    s.call("delete_review", user_id=row["user_id"], place_id=row["place_id"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I left a review on {_spoken_place(row)}, but I mixed it up with another place and have never "
            "actually been there.",
            f"My review of {_spoken_place(row)} was meant for a different place, oops.",
            f"I reviewed {_spoken_place(row)} by accident. I've never even been.",
        ),
        f"I don't want it up there. My username is {row['user_id']}.",
    )


@story("maps", implicit=True)
def visited_now_a_favorite(s: StoryContext) -> str:
    """A place on the person's Want to go list was visited and loved: off that list, onto Favorites."""
    row = s.pick(
        "SELECT l.user_id, p.name, p.city, p.place_id FROM saved_places sp "
        "JOIN saved_lists l ON l.list_id = sp.list_id JOIN places p ON p.place_id = sp.place_id "
        f"WHERE l.list_name = 'Want to go' AND p.primary_type IN ({OUTINGS}) "
        "AND sp.place_id NOT IN (SELECT sp2.place_id FROM saved_places sp2 "
        "JOIN saved_lists l2 ON l2.list_id = sp2.list_id WHERE l2.user_id = l.user_id AND l2.list_name = 'Favorites') "
        "ORDER BY sp.saved_id"
    )
    user = row["user_id"]
    s.person("maps", user)
    s.say(user)
    s.say(row["name"])
    s.call("list_saved_places", user_id=user, list_name=s.say("Want to go"))
    s.call("remove_saved_place", user_id=user, place_id=row["place_id"], list_name="Want to go")
    s.call("save_place", user_id=user, place_id=row["place_id"], list_name=s.imply("Favorites"))
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"We finally went to {row['name']} from my Want to go list and it was fantastic.",
            f"I finally tried {row['name']}, which was on my Want to go list, and I loved it.",
        ),
        speech.choose(
            s.rng,
            "It doesn't belong on that list any more, it's one of my favorites now.",
            "Please move it over to my favorites.",
        ),
        f"I'm {user}.",
    )


@story("maps")
def biggest_list(s: StoryContext) -> str:
    """Which of the person's lists holds the most places, and the newest place saved on it."""
    user = s.pick("SELECT user_id FROM users ORDER BY user_id")["user_id"]
    s.person("maps", user)
    s.say(user)
    lists = s.call("list_saved_lists", user_id=user)
    counts = sorted((r["place_count"] for r in lists), reverse=True)
    if len(counts) < 2 or counts[0] == counts[1] or counts[0] == 0:
        s.reject("no single biggest list")
    biggest = next(r for r in lists if r["place_count"] == counts[0])
    saved = s.call("list_saved_places", user_id=user, list_name=biggest["list_name"])
    newest = saved["saved_places"]
    if len(newest) > 1 and newest[0]["saved_at"] == newest[1]["saved_at"]:
        s.reject("tie for newest")
    s.fact(biggest["list_name"])
    s.fact(biggest["place_count"])
    s.fact(newest[0]["name"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            "Which of my saved lists has the most places on it, and how many?",
            "I've lost track of my saved places. Which list is the biggest, and how many places are on it?",
        ),
        "And what's the latest place I added to that one?",
        f"My username is {user}.",
    )
