"""Task-synthesis hints for maps: argument samplers for the tools whose arguments must agree with the state
(an address or place name that resolves, two ends of a route in one metro area, a coordinate at a real
place, a list the user has, a place they have not yet saved or reviewed).

Each sampler reads the seeded state through ``ctx`` and returns arguments that succeed. Coordinates are
always those of a place, so the request can name the place and the agent has to look the coordinate up.
"""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .seed import DEFAULT_LISTS, METRO, _nearest_places

NEW_LIST_NAMES = ("Date night", "Coffee spots", "Kids' weekend", "Road trip", "Brunch", "Rainy day ideas", "Gyms")
NOTES = ("Try the specials", "Good for groups", "Near the office", "Weekend idea", "Ask for a window table")
REVIEW_TEXTS = {
    5: ("Absolutely loved it.", "Best in the neighborhood."),
    4: ("Really good, a bit busy.", "Solid choice."),
    3: ("It was okay.", "Average experience."),
    2: ("Service was slow.", "Not worth the price."),
    1: ("Terrible experience.", "Would not recommend."),
}
MODES = ("driving", "walking", "bicycling", "transit")


def _venue(ctx: ToolContext, rng: random.Random, city: str | None = None) -> dict[str, Any]:
    if city is None:
        rows = ctx.query("SELECT * FROM places WHERE primary_type != 'locality' ORDER BY place_id")
    else:
        rows = ctx.query(
            "SELECT * FROM places WHERE primary_type != 'locality' AND city = ? ORDER BY place_id", (city,)
        )
    return rng.choice(rows)


def _way_to_name(place: dict[str, Any], rng: random.Random) -> str:
    """How a person writes a place in a route request: its street address or 'Name, City'."""
    return place["formatted_address"] if rng.random() < 0.5 else f"{place['name']}, {place['city']}"


@env.arguments("maps_geocode")
def sample_geocode(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A street in a city: several addresses match, and the question is how many."""
    streets = ctx.query(
        "SELECT route, city FROM places WHERE primary_type != 'locality' GROUP BY route, city "
        "HAVING COUNT(*) >= 3 ORDER BY city, route"
    )
    street = rng.choice(streets)
    return {"address": f"{street['route']}, {street['city']}"}


def _at_place(ctx: ToolContext, rng: random.Random) -> dict[str, Any]:
    place = _venue(ctx, rng)
    return {"lat": place["lat"], "lng": place["lng"]}


@env.arguments("maps_reverse_geocode")
def sample_reverse_geocode(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """The coordinate of a place with neighbours, so that several addresses come back."""
    for _ in range(20):
        point = _at_place(ctx, rng)
        if len(_nearest_places(ctx, point["lat"], point["lng"], 5, radius_m=1_000)) >= 3:
            return point
    return None


@env.arguments("maps_elevation")
def sample_elevation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return _at_place(ctx, rng)


@env.arguments("maps_nearby_search")
def sample_nearby(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    place = _venue(ctx, rng)
    other = _venue(ctx, rng, place["city"])
    return {"lat": place["lat"], "lng": place["lng"], "primary_type": other["primary_type"]}


@env.arguments("maps_search_places")
def sample_search(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    place = _venue(ctx, rng)
    if rng.random() < 0.5:
        return {"primary_type": place["primary_type"], "city": place["city"]}
    word = rng.choice([w for w in place["name"].split() if len(w) > 3] or [place["route"]])
    return {"query": word, "city": place["city"]}


@env.arguments("maps_place_details")
def sample_details(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return {"place_id": _venue(ctx, rng)["place_id"]}


@env.arguments("maps_directions")
def sample_directions(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    start = _venue(ctx, rng)
    # Both ends in one metro area, where every mode has a route.
    cities = [c for c, metro in METRO.items() if metro == METRO[start["city"]]]
    end = _venue(ctx, rng, rng.choice(cities))
    if end["place_id"] == start["place_id"]:
        return None
    return {"origin": _way_to_name(start, rng), "destination": _way_to_name(end, rng), "mode": rng.choice(MODES)}


@env.arguments("maps_distance_matrix")
def sample_matrix(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    start = _venue(ctx, rng)
    # Three destinations: the answer's checkable part is how many there are (the engine asks for counts).
    ends = [_venue(ctx, rng, start["city"]) for _ in range(3)]
    destinations = list(dict.fromkeys(_way_to_name(e, rng) for e in ends if e["place_id"] != start["place_id"]))
    if not destinations:
        return None
    return {"origins": [_way_to_name(start, rng)], "destinations": destinations, "mode": rng.choice(MODES)}


def _user_lists(ctx: ToolContext, user_id: str) -> list[str]:
    return [r["list_name"] for r in ctx.query("SELECT list_name FROM saved_lists WHERE user_id = ?", (user_id,))]


@env.arguments("create_list")
def sample_new_list(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    user = rng.choice(ctx.query("SELECT user_id FROM users ORDER BY user_id"))["user_id"]
    taken = {name.lower() for name in _user_lists(ctx, user)}
    free = [n for n in NEW_LIST_NAMES if n.lower() not in taken]
    return {"user_id": user, "list_name": rng.choice(free)} if free else None


@env.arguments("save_place")
def sample_save(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    user = rng.choice(ctx.query("SELECT user_id, home_city FROM users ORDER BY user_id"))
    place = _venue(ctx, rng, user["home_city"])
    list_name = rng.choice(_user_lists(ctx, user["user_id"]) or list(DEFAULT_LISTS))
    already = ctx.query(
        "SELECT 1 FROM saved_places s JOIN saved_lists l ON l.list_id = s.list_id "
        "WHERE l.user_id = ? AND lower(l.list_name) = ? AND s.place_id = ?",
        (user["user_id"], list_name.lower(), place["place_id"]),
    )
    if already:
        return None
    arguments: dict[str, Any] = {"user_id": user["user_id"], "place_id": place["place_id"], "list_name": list_name}
    if rng.random() < 0.4:
        arguments["note"] = rng.choice(NOTES)
    return arguments


@env.arguments("remove_saved_place")
def sample_unsave(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT l.user_id, l.list_name, s.place_id FROM saved_places s JOIN saved_lists l ON l.list_id = s.list_id "
        "ORDER BY s.saved_id"
    )
    if not rows:
        return None
    row = rng.choice(rows)
    arguments = {"user_id": row["user_id"], "place_id": row["place_id"]}
    if rng.random() < 0.5:
        arguments["list_name"] = row["list_name"]
    return arguments


@env.arguments("write_review")
def sample_review(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    user = rng.choice(ctx.query("SELECT user_id FROM users ORDER BY user_id"))["user_id"]
    place = _venue(ctx, rng)
    if ctx.query("SELECT 1 FROM reviews WHERE user_id = ? AND place_id = ?", (user, place["place_id"])):
        return None
    rating = rng.randint(1, 5)
    arguments: dict[str, Any] = {"user_id": user, "place_id": place["place_id"], "rating": rating}
    if rng.random() < 0.6:
        arguments["text"] = rng.choice(REVIEW_TEXTS[rating])
    return arguments


@env.arguments("delete_review")
def sample_review_deletion(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    review = rng.choice(ctx.query("SELECT user_id, place_id FROM reviews ORDER BY review_id"))
    return {"user_id": review["user_id"], "place_id": review["place_id"]}
