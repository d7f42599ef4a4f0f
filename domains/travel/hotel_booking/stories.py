"""Hotel booking stories: one traveller of the hotel site, one storyline each.

They cover what guests of an online hotel site do: find and book a hotel for a trip (the cheapest, a
well-reviewed one, a named room), ask what a stay would cost or what their booking costs and when they
can check in, move a stay when a flight moves, grow the party (switching rooms when the room is too
small), cancel when plans fall through (the policy decides the fee, or whether to cancel at all), review
a finished stay, and add up what their stays came to. Prices are stored in cents; requests and facts use
dollars as a person says them (see envfactory_gym.synthesis.stories).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from .models import CALENDAR_DAYS, NOW

TODAY = NOW.date()
ENV = "hotel_booking"
# Review texts are quoted in the request: the gold comment must be exactly what the person wrote.
COMMENTS = (
    "Lovely staff and a spotless room.",
    "Great location, but the walls were thin.",
    "Comfortable bed and a quiet street.",
    "Breakfast was excellent, check-in was slow.",
    "Friendly front desk and a great view.",
)
# 1-10 ratings and how a guest says them.
RATINGS = {10: "a perfect 10", 9: "9 out of 10", 8: "8 out of 10", 7: "7 out of 10", 6: "6 out of 10", 4: "4 out of 10"}


def money(cents: int) -> str:
    return speech.money(speech.from_cents(cents))


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def shift(iso: str, days: int) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=days)).isoformat()


def at(row: dict[str, Any]) -> str:
    """' in Rome' after a hotel's name, unless the name already ends with the city ('Crown Inn Rome')."""
    name, city = str(row["hotel_name"]), str(row["city"])
    return "" if name.endswith(city) else f" in {city}"


def card_phrase(method: dict[str, Any]) -> str:
    return f"my {method['brand']} ending in {method['last_four']}"


def customer_with_card(s: StoryContext) -> tuple[dict[str, Any], dict[str, Any]]:
    """A customer and one of their credit cards (named by brand and last four, unique for them)."""
    method = s.pick(
        "SELECT pm.*, c.email, c.first_name FROM payment_methods pm JOIN customers c ON c.customer_id = pm.customer_id "
        "WHERE pm.kind = 'credit_card' "
        "AND (SELECT COUNT(*) FROM payment_methods o WHERE o.customer_id = pm.customer_id "
        "AND o.last_four = pm.last_four) = 1"
    )
    return method, method


def trip_dates(s: StoryContext, max_nights: int = 4) -> tuple[str, str, int]:
    nights = s.rng.randint(2, max_nights)
    start = s.rng.randint(4, CALENDAR_DAYS - nights - 2)
    return day(start), day(start + nights), nights


def destination(s: StoryContext) -> dict[str, Any]:
    return s.pick("SELECT * FROM destinations")


def say_trip(s: StoryContext, city: str, check_in: str, check_out: str, guests: int) -> tuple[str, str, str]:
    """The city, the dates and the party as the traveller says them (details they hold)."""
    where = s.detail("destination city", city, city, vague="a city", synonyms=["city", "destination"])
    s.say(check_out, speech.date(check_out))
    when = s.detail(
        "check-in date",
        check_in,
        speech.date(check_in),
        phrase=f"{speech.date(check_in)} to {speech.date(check_out)}",
        vague="some dates",
        synonyms=["dates", "arrival date"],
    )
    party = s.detail(
        "number of guests",
        guests,
        speech.count(guests, "guest"),
        phrase=(
            "just me"
            if guests == 1
            else speech.choose(s.rng, speech.count(guests, "guest"), f"{speech.count(guests, 'guest')} in total")
        ),
        vague="a few of us" if guests > 1 else "just me",
        synonyms=["guests", "people"],
    )
    return where, when, party


def confirmed_booking(s: StoryContext, where: str = "1", params: tuple[Any, ...] = ()) -> dict[str, Any]:
    """A confirmed single-room booking whose stay is still ahead, with its hotel and city."""
    return s.pick(
        "SELECT b.*, h.name AS hotel_name, h.city, h.free_cancellation_days, c.email, rt.max_occupancy, "
        "date(b.check_in, '-' || h.free_cancellation_days || ' days') AS free_until "
        "FROM bookings b JOIN hotels h ON h.hotel_id = b.hotel_id JOIN customers c ON c.customer_id = b.customer_id "
        "JOIN room_types rt ON rt.room_type_id = b.room_type_id "
        f"WHERE b.status = 'confirmed' AND b.check_in > ? AND b.rooms = 1 AND {where}",
        (day(0), *params),
    )


# -- finding and booking a hotel ----------------------------------------------------------------------------


@story(ENV, weight=1.3)
def book_cheapest_hotel_for_trip(s: StoryContext) -> str:
    """A traveller books the cheapest (or the best-reviewed, or a 4-star+) hotel with a room for their dates."""
    method, customer = customer_with_card(s)
    place = destination(s)
    check_in, check_out, _ = trip_dates(s)
    guests = s.rng.choice((1, 2, 2, 2, 3, 4))
    mode = s.rng.choice(("cheapest", "cheapest", "reviewed", "stars"))
    search: dict[str, Any] = {"guests": guests}
    if mode == "reviewed":
        search["sort_by"] = s.imply("review_score")
    if mode == "stars":
        search["min_star_rating"] = s.say(4, "four stars")
    s.person(ENV, customer["customer_id"])
    me = s.call("get_customer_details", email=s.say(customer["email"]))
    found = s.call("search_destinations", city=s.say(place["city"]))
    match = next((d for d in found if d["city"] == place["city"]), None)
    if match is None:
        s.reject("city not found")
    where, when, party = say_trip(s, place["city"], check_in, check_out, guests)
    page = s.call(
        "get_hotels", destination_id=match["destination_id"], check_in=check_in, check_out=check_out, **search
    )
    hotels = page["hotels"]
    if len(hotels) < 2:
        s.reject("too few hotels")
    if mode == "reviewed" and hotels[0]["review_score"] == hotels[1]["review_score"]:
        s.reject("tied review scores")
    if mode != "reviewed" and hotels[0]["cheapest_total_price"] == hotels[1]["cheapest_total_price"]:
        s.reject("tied prices")
    chosen = hotels[0]
    card = next(m for m in me["payment_methods"] if m["payment_method_id"] == method["payment_method_id"])
    pay = s.detail("payment card", card["last_four"], card_phrase(card), vague="my card", synonyms=["card"])
    booking = s.call(
        "book_hotel",
        customer_id=me["customer_id"],
        hotel_id=chosen["hotel_id"],
        room_type_id=chosen["cheapest_room_type_id"],
        check_in=check_in,
        check_out=check_out,
        guests=guests,
        payment_method_id=card["payment_method_id"],
    )
    s.fact(chosen["name"])
    s.fact(speech.from_cents(booking["total_price"]), derived=True)
    s.context(speech.date(check_in), speech.date(check_out))
    us = "me" if guests == 1 else "us"
    which = {
        "cheapest": speech.choose(s.rng, f"the cheapest hotel that has a room for {us}", "whichever hotel is cheapest"),
        "reviewed": speech.choose(
            s.rng,
            "the best-reviewed hotel that still has a room (its cheapest room is fine)",
            "the hotel with the best guest reviews that has space (whatever room is cheapest there)",
        ),
        "stars": f"the cheapest hotel with at least four stars that has a room for {us}",
    }[mode]
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'm going to {where} from {when}, {party}.",
            f"I'm planning a trip to {where}, {when}, {party}.",
        ),
        f"Please book {which} and put it on {pay}.",
        f"My email is {customer['email']}.",
        speech.choose(
            s.rng, "Which hotel did you book and what's the total?", "Tell me the hotel and the total price."
        ),
    )


@story(ENV)
def what_would_a_stay_cost(s: StoryContext) -> str:
    """Before booking, a traveller asks which hotel is cheapest for their dates and what the stay costs."""
    place = destination(s)
    check_in, check_out, _ = trip_dates(s)
    guests = s.rng.choice((1, 2, 2, 3, 4))
    stars = s.rng.random() < 0.4
    found = s.call("search_destinations", city=s.say(place["city"]))
    match = next((d for d in found if d["city"] == place["city"]), None)
    if match is None:
        s.reject("city not found")
    where, when, party = say_trip(s, place["city"], check_in, check_out, guests)
    search: dict[str, Any] = {"guests": guests}
    if stars:
        search["min_star_rating"] = s.say(4, "four stars")
    page = s.call(
        "get_hotels", destination_id=match["destination_id"], check_in=check_in, check_out=check_out, **search
    )
    hotels = page["hotels"]
    if len(hotels) < 3 or hotels[0]["cheapest_total_price"] == hotels[1]["cheapest_total_price"]:
        s.reject("too few hotels or a tie")
    s.fact(hotels[0]["name"])
    s.fact(speech.from_cents(hotels[0]["cheapest_total_price"]), derived=True)
    s.context(place["city"])
    kind = "hotel with at least four stars" if stars else "hotel"
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"We're thinking about {where} from {when}, {party}.",
            f"I might visit {where} from {when}, {party}.",
        ),
        speech.choose(
            s.rng,
            f"What's the cheapest {kind} that still has a room for {'me' if guests == 1 else 'us'}, and how much "
            "would the whole stay cost?",
            f"Which {kind} would be cheapest for those dates, and what would the stay come to?",
        ),
    )


@story(ENV)
def book_a_named_room(s: StoryContext) -> str:
    """A traveller who knows the hotel and the room they want books it for their dates on a card."""
    method, customer = customer_with_card(s)
    check_in, check_out, nights = trip_dates(s, 3)
    room = s.pick(
        "SELECT rt.*, h.name AS hotel, h.city, h.destination_id FROM room_types rt "
        "JOIN hotels h ON h.hotel_id = rt.hotel_id "
        "JOIN room_nights n ON n.room_type_id = rt.room_type_id WHERE n.date >= ? AND n.date < ? "
        "AND n.rooms_available >= 1 GROUP BY rt.room_type_id HAVING COUNT(*) = ?",
        (check_in, check_out, nights),
    )
    guests = s.rng.randint(1, room["max_occupancy"])
    s.person(ENV, customer["customer_id"])
    me = s.call("get_customer_details", email=s.say(customer["email"]))
    found = s.call("search_destinations", city=s.say(room["city"]))
    match = next((d for d in found if d["city"] == room["city"]), None)
    if match is None:
        s.reject("city not found")
    where, when, party = say_trip(s, room["city"], check_in, check_out, guests)
    # The city is always said (the search needs it); after a name that ends with it, it is said once.
    in_city = f" in {where}" if not room["hotel"].endswith(room["city"]) else ""
    s.call("get_hotels", destination_id=match["destination_id"], check_in=check_in, check_out=check_out, guests=guests)
    hotel = s.say(room["hotel"])
    details = s.call(
        "get_hotel_details", hotel_id=room["hotel_id"], check_in=check_in, check_out=check_out, guests=guests
    )
    offer = next(r for r in details["room_types"] if r["room_type_id"] == room["room_type_id"])
    if not offer.get("available"):
        s.reject("room not available")
    s.say(room["name"])
    card = next(m for m in me["payment_methods"] if m["payment_method_id"] == method["payment_method_id"])
    pay = s.detail("payment card", card["last_four"], card_phrase(card), vague="my card", synonyms=["card"])
    extra: dict[str, Any] = {}
    note = ""
    if s.rng.random() < 0.4:
        request = s.rng.choice(("late arrival", "quiet room please", "high floor please"))
        extra["special_requests"] = s.say(request, f'"{request}"')
        note = f'Add the note "{request}" to it.'
    booking = s.call(
        "book_hotel",
        customer_id=me["customer_id"],
        hotel_id=room["hotel_id"],
        room_type_id=room["room_type_id"],
        check_in=check_in,
        check_out=check_out,
        guests=guests,
        payment_method_id=card["payment_method_id"],
        **extra,
    )
    s.fact(speech.from_cents(booking["total_price"]), derived=True)
    s.context(hotel, room["name"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'd like to book the {room['name']} at the {hotel}{in_city} from {when}, {party}.",
            f"Could you reserve me the {room['name']} at the {hotel}{in_city}? It's {when}, {party}.",
        ),
        f"Charge it to {pay}; I'm {customer['email']}.",
        note,
        speech.choose(s.rng, "How much will it come to?", "What's the total?"),
    )


# -- questions about a booking --------------------------------------------------------------------------------


@story(ENV)
def my_stay_cost_and_check_in(s: StoryContext) -> str:
    """A guest asks what their booked stay costs, until when they can cancel free, and when check-in opens."""
    booking = confirmed_booking(s, "date(b.check_in, '-' || h.free_cancellation_days || ' days') > ?", (day(0),))
    s.person(ENV, booking["customer_id"])
    view = s.call("get_booking_details", booking_id=s.say(booking["booking_id"]))
    hotel = s.call("get_hotel_details", hotel_id=view["hotel_id"])
    s.fact(speech.from_cents(view["total_price"]), derived=True)
    s.fact(view["free_cancellation_until"][:10], derived=True)
    s.fact(hotel["check_in_time"])
    s.context(booking["hotel_name"], booking["city"], speech.date(booking["check_in"]))
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I have booking {booking['booking_id']} in {booking['city']} starting {speech.date(booking['check_in'])}.",
            f"About my {booking['city']} stay, booking {booking['booking_id']}:",
        ),
        speech.choose(
            s.rng,
            "How much is it costing me, until when can I cancel without paying anything, and what time can I check in?",
            "What's the total for the stay, what's the last day I could still cancel for free, "
            "and when does check-in start?",
        ),
    )


@story(ENV)
def where_is_my_next_stay(s: StoryContext) -> str:
    """A guest signs in with their email and asks about their next upcoming stay: the hotel and its address."""
    customer = s.pick(
        "SELECT c.* FROM customers c WHERE (SELECT COUNT(*) FROM bookings b WHERE b.customer_id = c.customer_id "
        "AND b.status = 'confirmed' AND b.check_in > ?) >= 1",
        (day(0),),
    )
    s.person(ENV, customer["customer_id"])
    me = s.call("get_customer_details", email=s.say(customer["email"]))
    page = s.call("list_my_bookings", customer_id=me["customer_id"], status=s.imply("confirmed"))
    upcoming = [b for b in page["bookings"] if b["check_in"] > day(0)]
    if not upcoming or len(upcoming) != page["total"]:
        s.reject("paged or started stays")
    first = min(upcoming, key=lambda b: b["check_in"])
    if sum(b["check_in"] == first["check_in"] for b in upcoming) > 1:
        s.reject("two stays start the same day")
    hotel = s.call("get_hotel_details", hotel_id=first["hotel_id"])
    s.fact(first["hotel_name"])
    s.fact(first["check_in"])
    s.fact(hotel["address"])
    return speech.sentence(
        speech.opening(s.rng),
        f"My email is {customer['email']}.",
        speech.choose(
            s.rng,
            "When is my next hotel stay, which hotel is it, and what's the address?",
            "I've lost track of my next trip: which hotel am I booked at, when do I arrive, and what's its address?",
        ),
    )


@story(ENV)
def what_did_my_stays_cost_this_year(s: StoryContext) -> str:
    """A guest adds up what their completed stays this year came to."""
    year_start = f"{TODAY.year}-01-01"
    customer = s.pick(
        "SELECT c.* FROM customers c WHERE (SELECT COUNT(*) FROM bookings b WHERE b.customer_id = c.customer_id "
        "AND b.status = 'completed' AND b.check_in >= ?) >= 2 "
        "AND (SELECT COUNT(*) FROM bookings b WHERE b.customer_id = c.customer_id AND b.status = 'completed') <= 10",
        (year_start,),
    )
    s.person(ENV, customer["customer_id"])
    me = s.call("get_customer_details", email=s.say(customer["email"]))
    page = s.call("list_my_bookings", customer_id=me["customer_id"], status=s.imply("completed"))
    stays = [b for b in page["bookings"] if b["check_in"] >= year_start]
    total = sum(b["total_price"] for b in stays)
    s.fact(speech.from_cents(total), derived=True)
    s.fact(len(stays), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm {customer['email']}.",
        speech.choose(
            s.rng,
            f"How many hotel stays have I finished with you in {TODAY.year}, and what did they cost all together?",
            "I'm doing my expenses: how many stays did I complete this year, and what's their combined cost?",
        ),
    )


# -- changing a booking -------------------------------------------------------------------------------------


@story(ENV, implicit=True)
def flight_moved_a_day_later(s: StoryContext) -> str:
    """A guest's flight moved a day; they shift the whole stay by one day (same length)."""
    booking = confirmed_booking(
        s,
        "date(b.check_in, '-' || h.free_cancellation_days || ' days') > ? AND b.check_out < ? "
        "AND NOT EXISTS (SELECT 1 FROM room_nights n WHERE n.room_type_id = b.room_type_id AND n.date >= b.check_out "
        "AND n.date < date(b.check_out, '+1 day') AND n.rooms_available < 1)",
        (day(0), day(CALENDAR_DAYS - 1)),
    )
    s.person(ENV, booking["customer_id"])
    new_in, new_out = shift(booking["check_in"], 1), shift(booking["check_out"], 1)
    view = s.call("get_booking_details", booking_id=s.say(booking["booking_id"]))
    arrive = s.detail(
        "new arrival date", new_in, speech.date(new_in), vague="a day later", synonyms=["arrival", "check-in"]
    )
    leave = s.detail(
        "new departure date", new_out, speech.date(new_out), vague="a day later too", synonyms=["departure"]
    )
    changed = s.call("modify_booking", booking_id=booking["booking_id"], check_in=new_in, check_out=new_out)
    s.fact(speech.from_cents(changed["total_price"]), derived=True)
    s.context(view["hotel_name"], booking["city"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"My flight to {booking['city']} got pushed back a day, so I'll only get in on {arrive}.",
            f"The airline moved my flight to {booking['city']} and now I arrive on {arrive}.",
        ),
        f"Can you shift my hotel stay ({booking['booking_id']}) so I check out on {leave} instead, "
        "same number of nights?",
        speech.choose(s.rng, "What will the stay cost after the change?", "And what's the new total?"),
    )


@story(ENV, implicit=True)
def party_grows(s: StoryContext) -> str:
    """More people are coming: the guest count goes up, and if the room is too small, the cheapest room that fits."""
    booking = confirmed_booking(
        s,
        "date(b.check_in, '-' || h.free_cancellation_days || ' days') > ? AND b.guests < 4",
        (day(0),),
    )
    s.person(ENV, booking["customer_id"])
    extra = s.rng.choice((1, 1, 2))
    guests = min(4, booking["guests"] + extra)
    who = {1: speech.choose(s.rng, "my sister", "a friend", "my brother"), 2: "two friends"}[guests - booking["guests"]]
    total_phrase = s.detail(
        "number of guests",
        guests,
        speech.count(guests, "guest"),
        phrase=f"{speech.number(guests)} of us",
        vague="more of us",
        synonyms=["guests", "people"],
    )
    view = s.call("get_booking_details", booking_id=s.say(booking["booking_id"]))
    change: dict[str, Any] = {"guests": guests}
    if booking["max_occupancy"] < guests:
        details = s.call(
            "get_hotel_details",
            hotel_id=view["hotel_id"],
            check_in=view["check_in"],
            check_out=view["check_out"],
            guests=guests,
        )
        fits = sorted(
            (r for r in details["room_types"] if r.get("available") and r["room_type_id"] != view["room_type_id"]),
            key=lambda r: r["total_price"],
        )
        if not fits or (len(fits) > 1 and fits[0]["total_price"] == fits[1]["total_price"]):
            s.reject("no single cheapest room that fits")
        change["room_type_id"] = fits[0]["room_type_id"]
    changed = s.call("modify_booking", booking_id=booking["booking_id"], **change)
    s.fact(changed["room_name"])
    s.fact(speech.from_cents(changed["total_price"]), derived=True)
    s.context(view["hotel_name"], booking["city"])
    return speech.sentence(
        speech.opening(s.rng),
        f"{who[:1].upper()}{who[1:]} {'is' if guests - booking['guests'] == 1 else 'are'} joining me "
        f"in {booking['city']}, "
        f"so there will be {total_phrase} on booking {booking['booking_id']}.",
        speech.choose(
            s.rng,
            "Please update it; if our room can't sleep everyone, move us to the cheapest room there that can.",
            "Can you sort that out? If the room is too small for all of us, "
            "switch to the cheapest room at the hotel that fits.",
        ),
        "Which room are we in now, and what's the new total?",
    )


@story(ENV)
def upgrade_my_room(s: StoryContext) -> str:
    """A guest upgrades to a named, roomier room type at the same hotel for the same dates."""
    booking = confirmed_booking(s, "date(b.check_in, '-' || h.free_cancellation_days || ' days') > ?", (day(0),))
    s.person(ENV, booking["customer_id"])
    view = s.call("get_booking_details", booking_id=s.say(booking["booking_id"]))
    details = s.call(
        "get_hotel_details",
        hotel_id=view["hotel_id"],
        check_in=view["check_in"],
        check_out=view["check_out"],
        guests=view["guests"],
    )
    current = next(r for r in details["room_types"] if r["room_type_id"] == view["room_type_id"])
    better = [
        r
        for r in details["room_types"]
        if r.get("available") and r["size_sqm"] > current["size_sqm"] and r["name"] != current["name"]
    ]
    if not better:
        s.reject("no bigger room free")
    target = s.rng.choice(better)
    s.say(target["name"])
    changed = s.call("modify_booking", booking_id=booking["booking_id"], room_type_id=target["room_type_id"])
    s.fact(speech.from_cents(changed["total_price"]), derived=True)
    s.context(view["hotel_name"], target["name"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"For my stay in {booking['city']} (booking {booking['booking_id']}), "
            f"I'd like to upgrade to the {target['name']}.",
            f"Could you switch booking {booking['booking_id']} in {booking['city']} "
            f"to the {target['name']}, same dates?",
        ),
        speech.choose(s.rng, "What will I be paying in total after that?", "What's the total after the upgrade?"),
    )


# -- cancelling ----------------------------------------------------------------------------------------------


@story(ENV, implicit=True, weight=1.2)
def plans_fell_through(s: StoryContext) -> str:
    """The trip is off: the guest cancels; the policy decides whether a late fee is kept."""
    booking = confirmed_booking(s)
    s.person(ENV, booking["customer_id"])
    by_email = s.rng.random() < 0.6
    if by_email:
        me = s.call("get_customer_details", email=s.say(booking["email"]))
        page = s.call("list_my_bookings", customer_id=me["customer_id"], status=s.imply("confirmed"))
        there = [b for b in page["bookings"] if b["hotel_id"] == booking["hotel_id"]]
        if len(there) != 1 or len(page["bookings"]) != page["total"]:
            s.reject("not a single booking at that hotel")
        s.say(booking["hotel_name"])
        s.say(booking["city"])
    else:
        s.call("get_booking_details", booking_id=s.say(booking["booking_id"]))
    result = s.call("cancel_booking", booking_id=booking["booking_id"])
    s.fact(speech.from_cents(result["refund_amount"]), derived=True)
    if result["cancellation_fee"]:
        s.fact(speech.from_cents(result["cancellation_fee"]), derived=True)
    s.context(booking["hotel_name"], booking["city"])
    which = (
        f"my stay at the {booking['hotel_name']}{at(booking)} (I'm {booking['email']})"
        if by_email
        else f"booking {booking['booking_id']} in {booking['city']}"
    )
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            "My plans fell through and I won't be travelling after all.",
            "Bad news, the trip is off.",
            "Something came up at work and I can't go any more.",
        ),
        f"Please cancel {which}.",
        speech.choose(
            s.rng,
            "How much do I get back, and is there any fee?",
            "What will be refunded to me, and do I have to pay anything for cancelling?",
        ),
    )


@story(ENV, implicit=True)
def cancel_only_if_free(s: StoryContext) -> str:
    """A guest cancels only if it costs nothing; past the free window the booking stays and they hear when it ended."""
    late = s.rng.random() < 0.4
    condition = "<=" if late else ">"
    booking = confirmed_booking(
        s, f"date(b.check_in, '-' || h.free_cancellation_days || ' days') {condition} ?", (day(0),)
    )
    s.person(ENV, booking["customer_id"])
    view = s.call("get_booking_details", booking_id=s.say(booking["booking_id"]))
    if late:
        s.fact(view["free_cancellation_until"][:10], derived=True)
    else:
        result = s.call("cancel_booking", booking_id=booking["booking_id"])
        s.fact(speech.from_cents(result["refund_amount"]), derived=True)
    s.context(booking["hotel_name"], booking["city"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I might not make my {booking['city']} trip (booking {booking['booking_id']}).",
        speech.choose(
            s.rng,
            "If I can still cancel it without paying anything, please do and tell me what I get back; "
            "if it would cost me, leave it as it is and tell me when free cancellation ended.",
            "Cancel it only if that's free, and tell me the refund. If there would be a fee, keep the booking "
            "and just tell me the date the free cancellation ran out.",
        ),
    )


# -- after the stay ------------------------------------------------------------------------------------------


@story(ENV, weight=1.2)
def review_after_stay(s: StoryContext) -> str:
    """After a finished stay the guest leaves a rating and a comment, and asks for the hotel's new score."""
    stay = s.pick(
        "SELECT b.*, h.name AS hotel_name, h.city, c.email FROM bookings b JOIN hotels h ON h.hotel_id = b.hotel_id "
        "JOIN customers c ON c.customer_id = b.customer_id WHERE b.status = 'completed' "
        "AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.booking_id = b.booking_id) "
        "AND (SELECT COUNT(*) FROM bookings o WHERE o.customer_id = b.customer_id AND o.status = 'completed') <= 10 "
        "AND (SELECT COUNT(*) FROM bookings o WHERE o.customer_id = b.customer_id AND o.hotel_id = b.hotel_id "
        "AND o.status = 'completed') = 1"
    )
    s.person(ENV, stay["customer_id"])
    rating = s.rng.choice(tuple(RATINGS))
    comment = s.rng.choice(COMMENTS)
    by_email = s.rng.random() < 0.6
    if by_email:
        me = s.call("get_customer_details", email=s.say(stay["email"]))
        s.call("list_my_bookings", customer_id=me["customer_id"], status=s.imply("completed"))
        s.say(stay["hotel_name"])
        which = f"my stay at the {stay['hotel_name']}{at(stay)} in {speech.as_date(stay['check_in']):%B}"
        who = f" My email is {stay['email']}."
    else:
        which = f"my stay at the {stay['hotel_name']} (booking {stay['booking_id']})"
        s.say(stay["booking_id"])
        who = ""
    score = s.detail("rating", rating, RATINGS[rating], vague="a rating", synonyms=["score", "stars"])
    said = s.detail("comment", comment, comment, phrase=f'"{comment}"', vague="a short comment")
    review = s.call("leave_review", booking_id=stay["booking_id"], rating=rating, comment=comment)
    s.fact(review["hotel_review_score"])
    s.context(stay["hotel_name"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(s.rng, f"I'd like to review {which}.", f"Please leave a review for {which}."),
        who,
        f"Give it {score} and write: {said}",
        speech.choose(
            s.rng, "What's the hotel's score now?", "What does the hotel's overall score come to after that?"
        ),
    )
