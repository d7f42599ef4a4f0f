"""DiDi stories: one rider in Beijing, one storyline each.

They cover what riders do in the app: ordering a car from where they stand to a landmark (an XL when a group
travels together), cancelling when plans change (free or charged by the cancellation rules), re-ordering
after picking the wrong car type, asking where the driver is, rating the last trip, saving the flat they are
in as home and pricing the ride to the airport, weighing a walk against a taxi, reading a receipt's fare,
checking what is at a pin a friend shared, and getting an app link to book later. Riders name places, never
coordinates (except a shared pin); fares are quoted in yuan (the service stores fen).
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

ACTIVE = ("requested", "driver_assigned", "arrived", "in_progress")
PRODUCT_WORDS = {"express": "Express", "premier": "Premier", "luxe": "Luxe", "xl": "XL", "taxi": "taxi"}
LANDMARKS = (
    "Beijing South Railway Station",
    "Beijing Railway Station",
    "Beijing West Railway Station",
    "Beijing Capital International Airport T3",
    "Beijing Capital International Airport T2",
    "Beijing Daxing International Airport",
    "Tiananmen Square",
    "The Palace Museum",
    "Temple of Heaven",
    "Summer Palace",
    "National Stadium (Bird's Nest)",
    "798 Art District",
    "Peking University",
    "Tsinghua University",
    "Peking Union Medical College Hospital",
    "China World Mall",
    "Sanlitun Taikoo Li",
    "Joy City Xidan",
)
SEARCH_RADIUS = 50_000  # the widest search the map allows: a landmark may be anywhere in the city


def _location(s: StoryContext, lng: float, lat: float) -> str:
    # The map tools take one 'lng,lat' string: the coordinates come from an earlier output, only joined.
    return str(s.imply(f"{lng},{lat}"))


def _idle_rider(s: StoryContext) -> dict[str, Any]:
    """A rider with no ride under way (one active order at a time)."""
    placeholders = ",".join("?" for _ in ACTIVE)
    return s.pick(
        f"SELECT * FROM riders r WHERE NOT EXISTS (SELECT 1 FROM taxi_orders o WHERE o.rider_id = r.rider_id "
        f"AND o.status IN ({placeholders}))",
        ACTIVE,
    )


def _destination(s: StoryContext, here: dict[str, Any], name: str) -> dict[str, Any]:
    found = s.call(
        "maps_place_around",
        location=_location(s, here["lng"], here["lat"]),
        keywords=s.say(name),
        radius=s.imply(SEARCH_RADIUS),
    )
    place = next((p for p in found["places"] if p["name"] == name), None)
    if place is None or place["distance_m"] < 1500:
        s.reject("destination too close or not found")
    return place


def _account_line(s: StoryContext, rider_id: str) -> str:
    return speech.choose(s.rng, f"My rider ID is {rider_id}.", f"(rider {rider_id})", f"I'm rider {rider_id}.")


def _order_ride(s: StoryContext, product: str, product_said: bool) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Order a ride from where the rider stands to a landmark; pickup at their position or the place they name."""
    rider = _idle_rider(s)
    s.person("didi", rider["rider_id"])
    here = s.call("get_current_location", rider_id=s.say(rider["rider_id"]))
    name = s.rng.choice(LANDMARKS)
    place = _destination(s, here, name)
    pickup = s.rows("SELECT * FROM places WHERE place_id = ?", (here["nearest_place_id"],))[0]
    product_value = s.say(product, PRODUCT_WORDS[product]) if product_said else s.imply(product)
    order = s.call(
        "taxi_create_order",
        rider_id=rider["rider_id"],
        product_type=product_value,
        from_lng=here["lng"],
        from_lat=here["lat"],
        from_name=s.say(here["nearest_place_name"]),
        to_lng=place["lng"],
        to_lat=place["lat"],
        to_name=place["name"],
    )
    # Picking the rider up at the named place itself (rather than their exact position) is as good.
    s.accept_also(
        [
            (
                "taxi_create_order",
                {
                    "rider_id": rider["rider_id"],
                    "product_type": product,
                    "from_lng": pickup["lng"],
                    "from_lat": pickup["lat"],
                    "from_name": here["nearest_place_name"],
                    "to_lng": place["lng"],
                    "to_lat": place["lat"],
                    "to_name": place["name"],
                },
            )
        ]
    )
    s.detail("destination", name, name, vague="somewhere across town")
    return order, here, name


# --------------------------------------------------------------------------------------------------
# Ordering and cancelling
# --------------------------------------------------------------------------------------------------


@story("didi")
def ride_to_landmark(s: StoryContext) -> str:
    """A rider orders a car of a named product from where they stand to a landmark."""
    product = s.rng.choice(("express", "express", "premier", "taxi", "luxe"))
    order, here, name = _order_ride(s, product, product_said=True)
    s.fact(speech.from_cents(order["estimated_price"]), derived=True)
    ask = "Roughly how much will it cost?"
    if order["driver"]:
        s.fact(order["driver"]["plate"])
        ask = speech.choose(
            s.rng, "What's the estimated fare, and what plate should I look for?",
            "Tell me the estimated price and the car's plate number.",
        )  # fmt: skip
    s.context(name, here["nearest_place_name"])
    article = "an" if PRODUCT_WORDS[product][0] in "AEIOU" else "a"
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'm outside {here['nearest_place_name']} and need {article} {PRODUCT_WORDS[product]} to {name}.",
            f"Please get me {article} {PRODUCT_WORDS[product]} from {here['nearest_place_name']}, where I am now, "
            f"to {name}.",
        ),
        _account_line(s, order["rider_id"]),
        ask,
    )


@story("didi", implicit=True)
def group_needs_big_car(s: StoryContext) -> str:
    """Five or six people travel together: only an XL (six seats) takes them all."""
    people = s.rng.choice((5, 6))
    order, here, name = _order_ride(s, "xl", product_said=False)
    s.detail("group size", people, speech.number(people), vague="a group of us", synonyms=["people", "how many"])
    s.fact(speech.from_cents(order["estimated_price"]), derived=True)
    s.context(name, here["nearest_place_name"], "XL")
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"There are {speech.number(people)} of us at {here['nearest_place_name']} and we all want to ride "
            f"together to {name}.",
            f"We're a group of {speech.number(people)} standing outside {here['nearest_place_name']}, heading to "
            f"{name} in one car.",
        ),
        _account_line(s, order["rider_id"]),
        speech.choose(
            s.rng,
            "Can you get us a car? What will it cost?",
            "Please order something that fits us all, and tell me the estimated fare.",
        ),
    )


def _active_order(s: StoryContext, statuses: tuple[str, ...]) -> dict[str, Any]:
    placeholders = ",".join("?" for _ in statuses)
    return s.pick(f"SELECT * FROM taxi_orders WHERE status IN ({placeholders})", statuses)


@story("didi", implicit=True)
def plans_changed_cancel(s: StoryContext) -> str:
    """Plans changed: the rider's ride is cancelled; the rules decide whether a fee is charged."""
    row = _active_order(s, ("requested", "driver_assigned", "arrived"))
    s.person("didi", row["rider_id"])
    orders = s.call("list_my_orders", rider_id=s.say(row["rider_id"]))
    mine = next((o for o in orders["orders"] if o["order_id"] == row["order_id"]), None)
    if mine is None:
        s.reject("the ride is not on the first page")
    reason = s.rng.choice(("", "", "Plans changed", "Booked by mistake"))
    arguments: dict[str, Any] = {"order_id": mine["order_id"]}
    if reason:
        arguments["reason"] = s.say(reason)
    cancelled = s.call("taxi_cancel_order", **arguments)
    if cancelled["cancellation_fee"]:
        s.fact(speech.from_cents(cancelled["cancellation_fee"]), derived=True)
        ask = speech.choose(s.rng, "How much will that cost me?", "Is there a fee, and how much?")
    else:
        s.fact(False, derived=True)
        ask = speech.choose(s.rng, "Will I be charged anything?", "Do I have to pay a cancellation fee?")
    s.context(row["to_name"])
    lines = [
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"My plans just changed and I don't need the car to {row['to_name']} any more.",
            f"Forget the ride to {row['to_name']} — my meeting got cancelled.",
            f"I won't be going to {row['to_name']} after all.",
        ),
        _account_line(s, row["rider_id"]),
    ]
    if reason:
        lines.append(f"If it asks for a reason, pick '{reason}'.")
    lines.append(ask)
    return speech.sentence(*lines)


@story("didi", implicit=True)
def wrong_car_type(s: StoryContext) -> str:
    """The rider ordered the wrong product: the ride is cancelled and ordered again as the one they meant."""
    row = _active_order(s, ("requested", "driver_assigned"))
    wanted = s.rng.choice([p for p in ("express", "premier", "xl", "taxi") if p != row["product_type"]])
    s.person("didi", row["rider_id"])
    orders = s.call("list_my_orders", rider_id=s.say(row["rider_id"]))
    mine = next((o for o in orders["orders"] if o["order_id"] == row["order_id"]), None)
    if mine is None:
        s.reject("the ride is not on the first page")
    s.call("taxi_cancel_order", order_id=mine["order_id"])
    order = s.call(
        "taxi_create_order",
        rider_id=row["rider_id"],
        product_type=s.say(wanted, PRODUCT_WORDS[wanted]),
        from_lng=mine["from_lng"],
        from_lat=mine["from_lat"],
        from_name=mine["from_name"],
        to_lng=mine["to_lng"],
        to_lat=mine["to_lat"],
        to_name=mine["to_name"],
    )
    s.fact(speech.from_cents(order["estimated_price"]), derived=True)
    s.context(row["to_name"], row["from_name"])
    article = "an" if PRODUCT_WORDS[wanted][0] in "AEIOUX" else "a"
    had = PRODUCT_WORDS[row["product_type"]]
    had_article = "an" if had[0] in "AEIOUX" else "a"
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I just booked {had_article} {had} to {row['to_name']} by mistake — I meant to get {article} "
            f"{PRODUCT_WORDS[wanted]}.",
            f"Oops, my ride to {row['to_name']} is {had_article} {had}, but I wanted {article} "
            f"{PRODUCT_WORDS[wanted]}.",
        ),
        speech.choose(s.rng, "Same pickup and destination.", "Everything else stays the same."),
        _account_line(s, row["rider_id"]),
        speech.choose(s.rng, "What's the new fare estimate?", "How much will the new one be?"),
    )


# --------------------------------------------------------------------------------------------------
# During and after a ride
# --------------------------------------------------------------------------------------------------


@story("didi", implicit=True)
def where_is_my_driver(s: StoryContext) -> str:
    """A rider waiting for their car asks where it is: minutes away and the plate to look for."""
    row = _active_order(s, ("driver_assigned",))
    s.person("didi", row["rider_id"])
    orders = s.call("list_my_orders", rider_id=s.say(row["rider_id"]))
    mine = next((o for o in orders["orders"] if o["order_id"] == row["order_id"]), None)
    if mine is None:
        s.reject("the ride is not on the first page")
    where = s.call("taxi_get_driver_location", order_id=mine["order_id"])
    if where["eta_minutes"] < 2:
        s.reject("the driver is about to arrive")
    s.fact(where["eta_minutes"])
    s.fact(mine["driver"]["plate"])
    s.context(row["to_name"], row["from_name"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I've been standing outside {row['from_name']} for ages waiting for my car to {row['to_name']}.",
            f"Still no sign of my ride at {row['from_name']}.",
        ),
        _account_line(s, row["rider_id"]),
        speech.choose(
            s.rng,
            "How many minutes away is the driver, and what's the plate?",
            "When will the car get here, and which plate am I looking for?",
        ),
    )


@story("didi")
def rate_last_trip(s: StoryContext) -> str:
    """A rider rates their most recent trip, which was completed and not yet rated."""
    row = s.pick(
        "SELECT o.* FROM taxi_orders o WHERE o.status = 'completed' AND o.rating IS NULL AND o.created_at = "
        "(SELECT MAX(created_at) FROM taxi_orders x WHERE x.rider_id = o.rider_id)"
    )
    s.person("didi", row["rider_id"])
    stars = s.rng.choice((1, 2, 3, 4, 5, 5))
    comment = s.rng.choice(("", "", "Very clean car, thanks", "Driver was on the phone the whole way", "Great driver"))
    orders = s.call("list_my_orders", rider_id=s.say(row["rider_id"]))
    last = orders["orders"][0]
    arguments: dict[str, Any] = {"order_id": last["order_id"], "rating": s.say(stars, speech.count(stars, "star"))}
    if comment:
        arguments["comment"] = s.say(comment)
    s.call("taxi_rate_trip", **arguments)
    s.detail("rating", stars, speech.count(stars, "star"), vague="a rating", synonyms=["stars", "score"])
    lines = [
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Please give my last ride, the one to {row['to_name']}, {speech.count(stars, 'star')}.",
            f"I'd like to rate my most recent trip (to {row['to_name']}) {speech.count(stars, 'star')}.",
        ),
        _account_line(s, row["rider_id"]),
    ]
    if comment:
        lines.append(f'Add the comment "{comment}".')
    return speech.sentence(*lines)


@story("didi", weight=0.8)
def receipt_fare(s: StoryContext) -> str:
    """A rider filing expenses asks the fare and driver of a ride from the order number on the receipt."""
    row = s.pick("SELECT * FROM taxi_orders WHERE status = 'completed' AND driver_id IS NOT NULL")
    s.person("didi", row["rider_id"])
    order = s.call("taxi_query_order", order_id=s.say(row["order_id"]))
    s.fact(speech.from_cents(order["final_price"]), derived=True)
    s.fact(order["driver"]["name"])
    s.context(row["from_name"], row["to_name"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'm doing my expense report and the receipt only shows DiDi order {row['order_id']}.",
            f"My company needs details for DiDi order {row['order_id']}.",
        ),
        speech.choose(
            s.rng,
            "What was the final fare, and what was the driver's name?",
            "How much did that ride end up costing, and who drove?",
        ),
    )


# --------------------------------------------------------------------------------------------------
# Places, estimates and links
# --------------------------------------------------------------------------------------------------


@story("didi")
def new_home_and_airport_fare(s: StoryContext) -> str:
    """A rider in their new flat saves it as home and asks what an Express from there to the airport costs."""
    places = s.rows("SELECT * FROM places ORDER BY place_id")
    candidates = []
    for rider in s.rows("SELECT * FROM riders ORDER BY rider_id"):
        nearest = min(
            places,
            key=lambda p: (p["lat"] - rider["current_lat"]) ** 2 + (p["lng"] - rider["current_lng"]) ** 2,
        )
        if nearest["category"] == "residential" and nearest["place_id"] != rider["home_place_id"]:
            candidates.append((rider, nearest))
    if not candidates:
        s.reject("no rider standing in a flat that isn't home yet")
    rider, here_place = s.rng.choice(candidates)
    s.person("didi", rider["rider_id"])
    here = s.call("get_current_location", rider_id=s.say(rider["rider_id"]))
    if here["nearest_place_id"] != here_place["place_id"]:
        s.reject("nearest place differs")
    s.call("save_favorite_place", rider_id=rider["rider_id"], label=s.imply("home"), place_id=here["nearest_place_id"])
    airport = s.rng.choice(LANDMARKS[3:6])
    place = _destination(s, here, airport)
    estimates = s.call(
        "taxi_estimate", from_lng=here["lng"], from_lat=here["lat"], to_lng=place["lng"], to_lat=place["lat"]
    )
    express = next(e for e in estimates if e["product_type"] == s.say("express", "Express"))
    s.fact(speech.from_cents(express["estimated_price"]), derived=True)
    s.context(airport, here["nearest_place_name"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I've just moved into {here['nearest_place_name']} and I'm at the flat now — please save it as my home.",
            f"This is my new home: I'm standing in {here['nearest_place_name']}. Save it as my home address.",
        ),
        _account_line(s, rider["rider_id"]),
        speech.choose(
            s.rng,
            f"Also, how much would an Express from here to {airport} cost?",
            f"And what would an Express to {airport} come to from here?",
        ),
    )


@story("didi")
def walk_or_ride(s: StoryContext) -> str:
    """A rider weighs walking to a place against a taxi: minutes on foot and the taxi fare."""
    rider = _idle_rider(s)
    s.person("didi", rider["rider_id"])
    here = s.call("get_current_location", rider_id=s.say(rider["rider_id"]))
    nearby = s.rows(
        "SELECT name, lng, lat FROM places WHERE category IN ('attraction', 'mall', 'transport', 'university', "
        "'hospital') AND abs(lat - ?) < 0.03 AND abs(lng - ?) < 0.035 ORDER BY name",
        (here["lat"], here["lng"]),
    )
    if not nearby:
        s.reject("nothing to walk to")
    name = s.rng.choice(nearby)["name"]
    place = _destination(s, here, name)
    walk = s.call(
        "maps_direction",
        origin=_location(s, here["lng"], here["lat"]),
        destination=_location(s, place["lng"], place["lat"]),
        mode=s.imply("walking"),
    )
    estimates = s.call(
        "taxi_estimate", from_lng=here["lng"], from_lat=here["lat"], to_lng=place["lng"], to_lat=place["lat"]
    )
    taxi = next(e for e in estimates if e["product_type"] == s.say("taxi"))
    minutes = walk["duration_s"] / 60
    if abs(minutes - round(minutes)) > 0.3:
        s.reject("walking time falls between two minutes")
    s.fact(round(minutes), derived=True)
    s.fact(speech.from_cents(taxi["estimated_price"]), derived=True)
    s.context(name)
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm trying to decide whether to walk to {name} from where I am.",
        _account_line(s, rider["rider_id"]),
        speech.choose(
            s.rng,
            "How many minutes would it take on foot, and what would a taxi cost instead?",
            "How long is the walk in minutes, and how much is a taxi for the same trip?",
        ),
    )


@story("didi")
def pin_from_friend(s: StoryContext) -> str:
    """A friend shared a map pin: what is there, and what an Express from here to it costs."""
    rider = _idle_rider(s)
    target = s.pick("SELECT * FROM places WHERE category IN ('restaurant', 'cafe', 'hotel', 'mall', 'attraction')")
    s.person("didi", rider["rider_id"])
    s.hold("coordinates")
    pin = f"{target['lng']},{target['lat']}"
    spot = s.call("maps_regeocode", location=s.say(pin))
    here = s.call("get_current_location", rider_id=s.say(rider["rider_id"]))
    estimates = s.call(
        "taxi_estimate", from_lng=here["lng"], from_lat=here["lat"], to_lng=spot["lng"], to_lat=spot["lat"]
    )
    express = next(e for e in estimates if e["product_type"] == s.say("express", "Express"))
    s.fact(spot["nearest_place_name"])
    s.fact(speech.from_cents(express["estimated_price"]), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"A friend just sent me a pin at {pin} to meet up.",
        speech.choose(
            s.rng,
            "What place is that, and how much would an Express from where I am now cost to get there?",
            "Which place is at that spot, and what's the Express fare from my current location?",
        ),
        _account_line(s, rider["rider_id"]),
    )


@story("didi", weight=0.8)
def app_link_for_later(s: StoryContext) -> str:
    """A rider wants a link that opens the app with a ride to a landmark ready to book later."""
    product = s.rng.choice(("express", "premier", "xl", "taxi"))
    rider = _idle_rider(s)
    s.person("didi", rider["rider_id"])
    here = s.call("get_current_location", rider_id=s.say(rider["rider_id"]))
    name = s.rng.choice(LANDMARKS)
    place = _destination(s, here, name)
    link = s.call(
        "taxi_generate_ride_app_link",
        from_lng=here["lng"],
        from_lat=here["lat"],
        to_lng=place["lng"],
        to_lat=place["lat"],
        product_type=s.say(product, PRODUCT_WORDS[product]),
    )
    s.fact(link["url"])
    s.context(name)
    article = "an" if PRODUCT_WORDS[product][0] in "AEIOUX" else "a"
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'll book it myself in a bit: can you give me a link that opens the app with {article} "
            f"{PRODUCT_WORDS[product]} from here to {name}?",
            f"Send me an app link for {article} {PRODUCT_WORDS[product]} from my current spot to {name}; I'll order "
            "when I'm ready.",
        ),
        _account_line(s, rider["rider_id"]),
    )
