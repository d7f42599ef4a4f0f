"""The tools an agent calls (the API reference a model sees), with their typed views and helpers."""

from __future__ import annotations

import math
from typing import Any

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import Place, Review, SavedList, SavedPlace
from .seed import (
    CITIES,
    GRID_SIZE,
    GRID_STEP,
    MAX_PLACES_PER_LIST,
    MAX_SAVED_LISTS,
    METRO,
    Avoid,
    DirectionsResponse,
    DirectionStep,
    DistanceMatrixResponse,
    ElevationResponse,
    GeocodeResponse,
    GeocodeResult,
    MatrixElement,
    MatrixRow,
    PlaceDetails,
    PlaceSearchResponse,
    RemovedSaved,
    ReverseGeocodeResponse,
    ReverseGeocodeResult,
    ReviewWritten,
    SavedListView,
    SavedPlacesPage,
    SavedPlaceView,
    TravelMode,
    Units,
    _check_coordinates,
    _distance_text,
    _duration_text,
    _is_open,
    _leg,
    _nearest_places,
    _parse_departure,
    _require_place,
    _require_user,
    _resolve,
    _summary,
    _weekday_text,
    haversine_m,
)


@env.read(intents=["find the coordinates of {address}", "where exactly is {address}?"])
def maps_geocode(ctx: ToolContext, address: str) -> GeocodeResponse:
    """Convert an address or a place name into coordinates and a place id (forward geocoding).

    Matches full or partial street addresses ('1200 Oak Street, Denver'), place names ('Blue Bean Cafe')
    and city names ('Austin, TX'). Returns status 'ZERO_RESULTS' with no results when nothing matches.

    Args:
        address: The address, place name or city to look up.
    """
    text = address.strip().lower().removesuffix(", usa")
    if not text:
        raise DomainError("The address is empty (INVALID_REQUEST).")
    # Exact matches (a full address, a place name, 'Name, City' or 'City, ST') win over partial addresses.
    rows = ctx.query(
        "SELECT place_id FROM places WHERE lower(formatted_address) IN (?, ?) OR lower(name) = ? "
        "OR lower(name || ', ' || city) = ? OR (primary_type = 'locality' AND lower(city || ', ' || state) = ?) "
        "ORDER BY primary_type = 'locality' DESC, user_ratings_total DESC LIMIT 5",
        (text, text + ", usa", text, text, text),
    )
    if not rows:
        rows = ctx.query(
            "SELECT place_id FROM places WHERE lower(formatted_address) LIKE ? AND primary_type != 'locality' "
            "ORDER BY user_ratings_total DESC LIMIT 5",
            (f"%{text}%",),
        )
    places = ctx.rows(Place)
    results: list[GeocodeResult] = []
    for row in rows:
        p = places.get(row["place_id"])
        assert p is not None
        results.append(
            {
                "place_id": p["place_id"],
                "name": p["name"],
                "formatted_address": p["formatted_address"],
                "lat": p["lat"],
                "lng": p["lng"],
                "types": p["types"],
                "city": p["city"],
                "postal_code": p["postal_code"],
            }
        )
    return {"status": "OK" if results else "ZERO_RESULTS", "results": results}


@env.read(intents=["what is the address at {lat}, {lng}?", "what's near the coordinates {lat}, {lng}?"])
def maps_reverse_geocode(ctx: ToolContext, lat: float, lng: float) -> ReverseGeocodeResponse:
    """Find the addresses closest to a coordinate (reverse geocoding), nearest first, within 1 km.

    Args:
        lat: Latitude in decimal degrees, such as 39.7392.
        lng: Longitude in decimal degrees, such as -104.9903.
    """
    _check_coordinates(lat, lng)
    nearest = _nearest_places(ctx, lat, lng, 5, radius_m=1_000)
    results: list[ReverseGeocodeResult] = [
        {
            "place_id": p["place_id"],
            "name": p["name"],
            "formatted_address": p["formatted_address"],
            "lat": p["lat"],
            "lng": p["lng"],
            "types": p["types"],
            "distance_m": p["distance_m"],
        }
        for p in nearest
    ]
    return {"status": "OK" if results else "ZERO_RESULTS", "results": results}


@env.read(
    intents=[
        "find a {primary_type} in {city}",
        "search for {query} in {city}",
        "look for highly rated places matching {query}",
    ]
)
def maps_search_places(
    ctx: ToolContext,
    query: str = "",
    city: str | None = None,
    primary_type: str | None = None,
    min_rating: float | None = None,
    open_now: bool = False,
    limit: int = 10,
    offset: int = 0,
) -> PlaceSearchResponse:
    """Search places by text (name or address words), optionally within a city and of one type (Text Search).

    Results are ordered by rating, then by number of ratings.

    Args:
        query: Words to match in the place's name or address, such as 'coffee' or 'Oak Street'. Empty matches all.
        city: Only places in this city, such as 'Seattle'.
        primary_type: Only places of this type: restaurant, cafe, bar, bakery, museum, park, gym, pharmacy,
            supermarket, gas_station, lodging, library, book_store, movie_theater, hospital, transit_station.
        min_rating: Only places rated at least this (0-5).
        open_now: Only places open at the current time.
        limit: Maximum number of results (1-20).
        offset: Number of results to skip, for paging.
    """
    if not 1 <= limit <= 20:
        raise DomainError("limit must be between 1 and 20.")
    if offset < 0:
        raise DomainError("offset cannot be negative.")
    sql = "SELECT place_id FROM places WHERE primary_type != 'locality'"
    params: list[Any] = []
    for word in query.lower().split():
        sql += " AND (lower(name) LIKE ? OR lower(formatted_address) LIKE ? OR primary_type LIKE ?)"
        params += [f"%{word}%", f"%{word}%", f"%{word}%"]
    if city:
        sql += " AND lower(city) = ?"
        params.append(city.strip().lower())
    if primary_type:
        sql += " AND primary_type = ?"
        params.append(primary_type.strip().lower())
    if min_rating is not None:
        sql += " AND rating >= ?"
        params.append(min_rating)
    sql += " ORDER BY rating DESC, user_ratings_total DESC, place_id"
    places = ctx.rows(Place)
    matches = [places.get(r["place_id"]) for r in ctx.query(sql, params)]
    summaries = [_summary(p, ctx.now) for p in matches if p is not None]
    if open_now:
        summaries = [s for s in summaries if s["open_now"]]
    return {
        "status": "OK" if summaries else "ZERO_RESULTS",
        "total": len(summaries),
        "results": summaries[offset : offset + limit],
    }


@env.read(intents=["find a {primary_type} near {lat}, {lng}", "is there a {primary_type} close to {lat}, {lng}?"])
def maps_nearby_search(
    ctx: ToolContext, lat: float, lng: float, radius_m: int = 5000, primary_type: str | None = None, limit: int = 10
) -> PlaceSearchResponse:
    """List places within a radius of a coordinate, nearest first (Nearby Search).

    Args:
        lat: Latitude of the center, in decimal degrees.
        lng: Longitude of the center, in decimal degrees.
        radius_m: Search radius in meters (1-50000).
        primary_type: Only places of this type, such as 'cafe' or 'pharmacy'.
        limit: Maximum number of results (1-20).
    """
    _check_coordinates(lat, lng)
    if not 1 <= radius_m <= 50_000:
        raise DomainError("radius_m must be between 1 and 50000 meters.")
    if not 1 <= limit <= 20:
        raise DomainError("limit must be between 1 and 20.")
    nearest = _nearest_places(ctx, lat, lng, limit, float(radius_m), primary_type)
    return {
        "status": "OK" if nearest else "ZERO_RESULTS",
        "total": len(nearest),
        "results": [_summary(p, ctx.now) for p in nearest],
    }


@env.read(
    intents=[
        "is {place_id} open right now?",
        "get the phone number and opening hours of {place_id}",
        "what do people say about {place_id}?",
    ]
)
def maps_place_details(ctx: ToolContext, place_id: str) -> PlaceDetails:
    """Get everything about a place: address, coordinates, types, rating, phone, website, opening hours
    (and whether it is open now), and its five most recent reviews.

    Args:
        place_id: The place id, such as 'ChIJq3xVe9Lk8T0a'.
    """
    place = _require_place(ctx, place_id)
    reviews = ctx.query(
        "SELECT r.review_id, r.user_id, u.name AS author_name, r.rating, r.text, r.created_at "
        "FROM reviews r JOIN users u ON u.user_id = r.user_id WHERE r.place_id = ? "
        "ORDER BY r.created_at DESC LIMIT 5",
        (place_id,),
    )
    return {
        "place_id": place["place_id"],
        "name": place["name"],
        "formatted_address": place["formatted_address"],
        "city": place["city"],
        "postal_code": place["postal_code"],
        "lat": place["lat"],
        "lng": place["lng"],
        "types": place["types"],
        "primary_type": place["primary_type"],
        "rating": place["rating"],
        "user_ratings_total": place["user_ratings_total"],
        "price_level": place["price_level"],
        "phone_number": place["phone_number"],
        "website": place["website"],
        "open_now": _is_open(place["opening_hours"], ctx.now),
        "weekday_text": _weekday_text(place["opening_hours"]) if place["opening_hours"] else [],
        "reviews": reviews,  # type: ignore[typeddict-item]
    }


@env.read(
    intents=[
        "how long does it take to get from {origins} to {destinations} by {mode}?",
        "compare travel distances from {origins} to {destinations}",
    ]
)
def maps_distance_matrix(
    ctx: ToolContext,
    origins: list[str],
    destinations: list[str],
    mode: TravelMode = "driving",
    units: Units = "metric",
    avoid: list[Avoid] | None = None,
    departure_time: str | None = None,
) -> DistanceMatrixResponse:
    """Travel distance and time for every origin-destination pair (Distance Matrix).

    Each origin and destination may be an address, a place name, 'lat,lng' or 'place_id:<place id>'. An
    element's status is 'ZERO_RESULTS' when the mode has no route (transit between metro areas, walks
    or rides over 150 km). With a departure_time, driving also reports the time in traffic.

    Args:
        origins: Starting points (1-10).
        destinations: End points (1-10).
        mode: driving, walking, bicycling or transit.
        units: metric or imperial, for the distance texts.
        avoid: Route features to avoid: tolls, highways, ferries (driving only).
        departure_time: When to leave, as 'YYYY-MM-DDTHH:MM' local time or 'now'; not in the past.
    """
    if not 1 <= len(origins) <= 10 or not 1 <= len(destinations) <= 10:
        raise DomainError("Give between 1 and 10 origins and between 1 and 10 destinations (MAX_DIMENSIONS_EXCEEDED).")
    departure = _parse_departure(ctx, departure_time)
    origin_points = [_resolve(ctx, o) for o in origins]
    destination_points = [_resolve(ctx, d) for d in destinations]
    rows: list[MatrixRow] = []
    for origin in origin_points:
        elements: list[MatrixElement] = []
        for destination in destination_points:
            leg = _leg(origin, destination, mode, list(avoid or []), departure if mode == "driving" else None)
            if leg is None:
                elements.append(
                    {
                        "status": "ZERO_RESULTS",
                        "distance_m": None,
                        "distance_text": None,
                        "duration_s": None,
                        "duration_text": None,
                        "duration_in_traffic_s": None,
                    }
                )
            else:
                elements.append(
                    {
                        "status": "OK",
                        "distance_m": leg["distance_m"],
                        "distance_text": _distance_text(leg["distance_m"], units),
                        "duration_s": leg["duration_s"],
                        "duration_text": _duration_text(leg["duration_s"]),
                        "duration_in_traffic_s": leg["duration_in_traffic_s"],
                    }
                )
        rows.append({"elements": elements})
    return {
        "status": "OK",
        "origin_addresses": [p["formatted_address"] for p in origin_points],
        "destination_addresses": [p["formatted_address"] for p in destination_points],
        "mode": mode,
        "rows": rows,
    }


@env.read(intents=["what is the elevation at {lat}, {lng}?", "how high above sea level is {lat}, {lng}?"])
def maps_elevation(ctx: ToolContext, lat: float, lng: float) -> ElevationResponse:
    """Elevation above sea level at a coordinate, interpolated from the nearest metro area's elevation grid.

    Args:
        lat: Latitude in decimal degrees.
        lng: Longitude in decimal degrees.
    """
    _check_coordinates(lat, lng)
    city = min(CITIES, key=lambda c: haversine_m(lat, lng, c[2], c[3]))
    half = (GRID_SIZE - 1) / 2
    r = (lat - city[2]) / GRID_STEP + half
    c = (lng - city[3]) / GRID_STEP + half
    if not (0 <= r <= GRID_SIZE - 1 and 0 <= c <= GRID_SIZE - 1):
        covered = ", ".join(x[0] for x in CITIES)
        raise DomainError(
            f"No elevation data at ({lat}, {lng}). Elevation is available within the metro areas of {covered}."
        )
    r0, c0 = min(int(r), GRID_SIZE - 2), min(int(c), GRID_SIZE - 2)
    fr, fc = r - r0, c - c0
    grid = {
        (s["row"], s["col"]): s["elevation"]
        for s in ctx.query(
            "SELECT row, col, elevation FROM elevation_samples WHERE city = ? AND row IN (?, ?) AND col IN (?, ?)",
            (city[0], r0, r0 + 1, c0, c0 + 1),
        )
    }
    top = grid[(r0, c0)] * (1 - fc) + grid[(r0, c0 + 1)] * fc
    bottom = grid[(r0 + 1, c0)] * (1 - fc) + grid[(r0 + 1, c0 + 1)] * fc
    elevation = top * (1 - fr) + bottom * fr
    return {"lat": lat, "lng": lng, "elevation": round(elevation, 1), "resolution_m": round(GRID_STEP * 111_000, 1)}


def _bearing(origin: dict[str, Any], destination: dict[str, Any]) -> str:
    dy = destination["lat"] - origin["lat"]
    dx = (destination["lng"] - origin["lng"]) * math.cos(math.radians(origin["lat"]))
    angle = (math.degrees(math.atan2(dx, dy)) + 360) % 360
    return ("north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest")[round(angle / 45) % 8]


@env.read(
    intents=[
        "give me {mode} directions from {origin} to {destination}",
        "how do I get from {origin} to {destination}?",
    ]
)
def maps_directions(
    ctx: ToolContext,
    origin: str,
    destination: str,
    mode: TravelMode = "driving",
    units: Units = "metric",
    avoid: list[Avoid] | None = None,
    departure_time: str | None = None,
) -> DirectionsResponse:
    """Turn-by-turn route between two points by travel mode (Directions).

    Origin and destination may be an address, a place name, 'lat,lng' or 'place_id:<place id>'. Status is
    'ZERO_RESULTS' when the mode has no route between them.

    Args:
        origin: Where the trip starts.
        destination: Where the trip ends.
        mode: driving, walking, bicycling or transit.
        units: metric or imperial, for the distance texts.
        avoid: Route features to avoid: tolls, highways, ferries (driving only).
        departure_time: When to leave, as 'YYYY-MM-DDTHH:MM' local time or 'now'; not in the past.
    """
    departure = _parse_departure(ctx, departure_time)
    start, end = _resolve(ctx, origin), _resolve(ctx, destination)
    leg = _leg(start, end, mode, list(avoid or []), departure if mode == "driving" else None)
    if leg is None:
        return {
            "status": "ZERO_RESULTS",
            "mode": mode,
            "start_address": start["formatted_address"],
            "end_address": end["formatted_address"],
            "distance_m": None,
            "distance_text": None,
            "duration_s": None,
            "duration_text": None,
            "duration_in_traffic_s": None,
            "summary": f"No {mode} route found.",
            "steps": [],
        }
    total_m, total_s = leg["distance_m"], leg["duration_s"]
    start_road = start.get("route") or "the road"
    end_road = end.get("route") or end.get("city") or "the destination"
    heading = _bearing(start, end)
    long_trip = mode == "driving" and total_m > 20_000 and "highways" not in (avoid or [])
    if mode == "transit":
        parts = [
            (f"Walk to the nearest {METRO[start['city']]} transit stop", 0.08),
            (f"Take the train {heading} toward {end.get('city') or 'your destination'}", 0.8),
            (f"Walk to {end['formatted_address']}", 0.12),
        ]
        summary = f"Transit via {METRO[start['city']]} rail"
    else:
        verb = {"driving": "Head", "walking": "Walk", "bicycling": "Ride"}[mode]
        parts = [(f"{verb} {heading} on {start_road}", 0.15)]
        if long_trip:
            parts.append((f"Merge onto the highway toward {end.get('city') or 'your destination'}", 0.7))
            summary = f"Highway to {end.get('city')}"
        else:
            parts.append((f"Continue {heading} toward {end.get('city') or 'your destination'}", 0.7))
            summary = f"{start_road} and {end_road}"
        arrive = f"Turn onto {end['route']} and arrive" if end.get("route") else "Arrive"
        parts.append((f"{arrive} at {end['formatted_address']}", 0.15))
    steps: list[DirectionStep] = [
        {"instruction": text, "distance_m": round(total_m * share), "duration_s": round(total_s * share)}
        for text, share in parts
    ]
    return {
        "status": "OK",
        "mode": mode,
        "start_address": start["formatted_address"],
        "end_address": end["formatted_address"],
        "distance_m": total_m,
        "distance_text": _distance_text(total_m, units),
        "duration_s": total_s,
        "duration_text": _duration_text(total_s),
        "duration_in_traffic_s": leg["duration_in_traffic_s"],
        "summary": summary,
        "steps": steps,
    }


# -- saved places and reviews -------------------------------------------------------------------------------


def _find_list(ctx: ToolContext, user_id: str, list_name: str) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT list_id FROM saved_lists WHERE user_id = ? AND lower(list_name) = ?",
        (user_id, list_name.strip().lower()),
    )
    return ctx.rows(SavedList).get(rows[0]["list_id"]) if rows else None


@env.read(intents=["what lists of saved places do I have? I'm {user_id}"])
def list_saved_lists(ctx: ToolContext, user_id: str) -> list[SavedListView]:
    """List a user's saved-place lists with how many places each holds.

    Args:
        user_id: The user's username, such as 'maria_garcia_1234'.
    """
    _require_user(ctx, user_id)
    return ctx.query(  # type: ignore[return-value]
        "SELECT l.list_id, l.list_name, l.created_at, COUNT(s.saved_id) AS place_count FROM saved_lists l "
        "LEFT JOIN saved_places s ON s.list_id = l.list_id WHERE l.user_id = ? "
        "GROUP BY l.list_id ORDER BY l.created_at",
        (user_id,),
    )


@env.write(intents=["create a new list called {list_name} for my saved places; I'm {user_id}"])
def create_list(ctx: ToolContext, user_id: str, list_name: str) -> SavedListView:
    """Create a new, empty saved-place list for a user. List names are unique per user; at most 20 lists.

    Args:
        user_id: The user's username.
        list_name: Name of the new list, such as 'Date night' (1-40 characters).
    """
    _require_user(ctx, user_id)
    name = list_name.strip()
    if not 1 <= len(name) <= 40:
        raise DomainError("A list name must be 1 to 40 characters long.")
    if _find_list(ctx, user_id, name) is not None:
        raise DomainError(f"You already have a list named '{name}'.")
    if ctx.rows(SavedList).count({"user_id": user_id}) >= MAX_SAVED_LISTS:
        raise DomainError(f"You already have {MAX_SAVED_LISTS} lists, the most allowed; delete one first.")
    row = ctx.rows(SavedList).insert(
        list_id=f"L{ctx.new_id(8)}", user_id=user_id, list_name=name, created_at=ctx.now.isoformat()
    )
    return {"list_id": row["list_id"], "list_name": name, "place_count": 0, "created_at": row["created_at"]}


@env.write(
    intents=[
        "save {place_id} to my {list_name} list (my username is {user_id})",
        "add {place_id} to my saved places with the note '{note}'; I'm {user_id}",
    ]
)
def save_place(
    ctx: ToolContext, user_id: str, place_id: str, list_name: str = "Favorites", note: str = ""
) -> SavedPlaceView:
    """Save a place to one of the user's lists, optionally with a private note.

    A place can be in several lists but only once per list; a list holds at most 500 places.

    Args:
        user_id: The user's username.
        place_id: The place to save.
        list_name: The list to save it in, such as 'Favorites', 'Want to go' or 'Travel plans'.
        note: A private note about the place (up to 200 characters).
    """
    _require_user(ctx, user_id)
    place = _require_place(ctx, place_id)
    if place["primary_type"] == "locality":
        raise DomainError(f"{place['name']} is a city, not a place that can be saved to a list.")
    if len(note) > 200:
        raise DomainError("The note is too long: at most 200 characters.")
    saved_list = _find_list(ctx, user_id, list_name)
    if saved_list is None:
        names = [r["list_name"] for r in ctx.rows(SavedList).find({"user_id": user_id})]
        raise DomainError(f"You have no list named '{list_name}'. Your lists: {', '.join(names) or 'none'}.")
    saved = ctx.rows(SavedPlace)
    if saved.first({"list_id": saved_list["list_id"], "place_id": place_id}) is not None:
        raise DomainError(f"{place['name']} is already in your {saved_list['list_name']} list.")
    if saved.count({"list_id": saved_list["list_id"]}) >= MAX_PLACES_PER_LIST:
        raise DomainError(f"Your {saved_list['list_name']} list is full ({MAX_PLACES_PER_LIST} places).")
    row = saved.insert(
        saved_id=f"S{ctx.new_id(8)}",
        list_id=saved_list["list_id"],
        place_id=place_id,
        note=note,
        saved_at=ctx.now.isoformat(),
    )
    return {
        "saved_id": row["saved_id"],
        "list_name": saved_list["list_name"],
        "place_id": place_id,
        "name": place["name"],
        "formatted_address": place["formatted_address"],
        "note": note,
        "saved_at": row["saved_at"],
    }


@env.read(
    intents=[
        "show me the places I saved in my {list_name} list; I'm {user_id}",
        "what places have I saved? I'm {user_id}",
    ]
)
def list_saved_places(
    ctx: ToolContext, user_id: str, list_name: str | None = None, limit: int = 20, offset: int = 0
) -> SavedPlacesPage:
    """List the places a user has saved, newest first, from one list or from all of them.

    Args:
        user_id: The user's username.
        list_name: Only this list; all lists when omitted.
        limit: Maximum number of saved places to return (1-50).
        offset: Number to skip, for paging.
    """
    _require_user(ctx, user_id)
    if not 1 <= limit <= 50 or offset < 0:
        raise DomainError("limit must be between 1 and 50 and offset cannot be negative.")
    sql = (
        "SELECT s.saved_id, l.list_name, s.place_id, p.name, p.formatted_address, s.note, s.saved_at "
        "FROM saved_places s JOIN saved_lists l ON l.list_id = s.list_id JOIN places p ON p.place_id = s.place_id "
        "WHERE l.user_id = ?"
    )
    params: list[Any] = [user_id]
    if list_name is not None:
        saved_list = _find_list(ctx, user_id, list_name)
        if saved_list is None:
            raise DomainError(f"You have no list named '{list_name}'.")
        sql += " AND l.list_id = ?"
        params.append(saved_list["list_id"])
    rows = ctx.query(sql + " ORDER BY s.saved_at DESC, s.saved_id", params)
    return {"user_id": user_id, "total": len(rows), "offset": offset, "saved_places": rows[offset : offset + limit]}  # type: ignore[typeddict-item]


@env.write(
    intents=[
        "remove {place_id} from my saved places; I'm {user_id}",
        "take {place_id} off my {list_name} list (user {user_id})",
    ]
)
def remove_saved_place(ctx: ToolContext, user_id: str, place_id: str, list_name: str | None = None) -> RemovedSaved:
    """Remove a saved place from one of the user's lists, or from every list it is in when no list is given.

    Args:
        user_id: The user's username.
        place_id: The saved place to remove.
        list_name: The list to remove it from; every list when omitted.
    """
    _require_user(ctx, user_id)
    place = _require_place(ctx, place_id)
    sql = (
        "SELECT s.saved_id, l.list_name FROM saved_places s JOIN saved_lists l ON l.list_id = s.list_id "
        "WHERE l.user_id = ? AND s.place_id = ?"
    )
    params: list[Any] = [user_id, place_id]
    if list_name is not None:
        if _find_list(ctx, user_id, list_name) is None:
            raise DomainError(f"You have no list named '{list_name}'.")
        sql += " AND lower(l.list_name) = ?"
        params.append(list_name.strip().lower())
    rows = ctx.query(sql, params)
    if not rows:
        where = f"your {list_name} list" if list_name else "any of your lists"
        raise DomainError(f"{place['name']} is not saved in {where}.")
    for row in rows:
        ctx.rows(SavedPlace).delete(row["saved_id"])
    return {"place_id": place_id, "removed_from": [r["list_name"] for r in rows]}


@env.write(
    intents=[
        "leave a {rating}-star review of {place_id} saying '{text}'; I'm {user_id}",
        "rate {place_id} {rating} stars (user {user_id})",
    ]
)
def write_review(ctx: ToolContext, user_id: str, place_id: str, rating: int, text: str = "") -> ReviewWritten:
    """Post the user's review of a place: 1-5 stars and optional text. One review per user and place.

    The place's average rating and rating count are updated.

    Args:
        user_id: The user's username.
        place_id: The place being reviewed.
        rating: Stars, a whole number from 1 to 5.
        text: What the user has to say (up to 1000 characters).
    """
    _require_user(ctx, user_id)
    place = _require_place(ctx, place_id)
    if place["primary_type"] == "locality":
        raise DomainError(f"{place['name']} is a city; only businesses and points of interest can be reviewed.")
    if not 1 <= rating <= 5:
        raise DomainError("A rating must be a whole number of stars from 1 to 5.")
    if len(text) > 1000:
        raise DomainError("The review text is too long: at most 1000 characters.")
    if ctx.rows(Review).first({"place_id": place_id, "user_id": user_id}) is not None:
        raise DomainError(f"You have already reviewed {place['name']}; delete that review to write a new one.")
    total = place["user_ratings_total"]
    new_rating = round((place["rating"] * total + rating) / (total + 1), 1)
    ctx.rows(Place).update(place_id, rating=new_rating, user_ratings_total=total + 1)
    row = ctx.rows(Review).insert(
        review_id=f"R{ctx.new_id(8)}",
        place_id=place_id,
        user_id=user_id,
        rating=rating,
        text=text,
        created_at=ctx.now.isoformat(),
    )
    return {
        "review_id": row["review_id"],
        "place_id": place_id,
        "rating": rating,
        "text": text,
        "created_at": row["created_at"],
        "place_rating": new_rating,
        "user_ratings_total": total + 1,
    }


@env.write(intents=["delete my review of {place_id}; I'm {user_id}"])
def delete_review(ctx: ToolContext, user_id: str, place_id: str) -> ReviewWritten:
    """Delete the user's review of a place; the place's average rating and rating count are updated.

    Args:
        user_id: The user's username.
        place_id: The place whose review to delete.
    """
    _require_user(ctx, user_id)
    place = _require_place(ctx, place_id)
    review = ctx.rows(Review).first({"place_id": place_id, "user_id": user_id})
    if review is None:
        raise DomainError(f"You have not reviewed {place['name']}.")
    total = place["user_ratings_total"]
    new_rating = round((place["rating"] * total - review["rating"]) / (total - 1), 1) if total > 1 else 0.0
    new_rating = min(5.0, max(0.0, new_rating))
    ctx.rows(Place).update(place_id, rating=new_rating, user_ratings_total=max(0, total - 1))
    ctx.rows(Review).delete(review["review_id"])
    return {
        "review_id": review["review_id"],
        "place_id": place_id,
        "rating": review["rating"],
        "text": review["text"],
        "created_at": review["created_at"],
        "place_rating": new_rating,
        "user_ratings_total": max(0, total - 1),
    }
