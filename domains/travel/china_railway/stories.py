"""China Railway (12306) stories: one traveller and their 12306 account, one storyline each.

They cover what travellers do on 12306: booking seats on a morning train for themselves and a parent,
adding a colleague as a passenger and booking the two of them, looking up an upcoming trip (which station,
what time, which seat), a train's arrival at a stop, fares and the quickest train between two cities;
refunding when a trip is off or a companion drops out, checking that a refund went through, changing to a
later train when running late, moving a trip to another day, upgrading a seat class, and tidying the saved
passenger list. Prices are quoted in yuan (the service stores fen), times and dates as a person says them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from .models import FARES
from .seed import GIVEN, STATIONS, SURNAMES, id_check_digit

NOW = dt.datetime(2025, 4, 10, 8, 30)
SEAT_WORDS = {
    "business": "business class",
    "first_class": "first class",
    "second_class": "second class",
    "soft_sleeper": "soft sleeper",
    "hard_sleeper": "hard sleeper",
    "hard_seat": "hard seat",
    "no_seat": "standing",
}
# English names for the cities a traveller would name (the tools take the Chinese name or its pinyin).
_CITY_OVERRIDES = {"西安": "Xi'an", "哈尔滨": "Harbin"}
_SUFFIXES = (("龙门", "longmen"), ("东", "dong"), ("西", "xi"), ("南", "nan"), ("北", "bei"), ("", ""))
CITY_EN: dict[str, str] = {}
for _name, _code, _pinyin, _city in STATIONS:
    for _hanzi, _sound in _SUFFIXES:
        if _name == _city + _hanzi and _pinyin.endswith(_sound):
            CITY_EN.setdefault(_city, _CITY_OVERRIDES.get(_city, _pinyin[: len(_pinyin) - len(_sound)].capitalize()))
            break


def _held(s: StoryContext, name: str, value: Any, say: str, **kwargs: Any) -> Any:
    """A detail the traveller states (see StoryContext.detail), returning the value for the call."""
    s.detail(name, value, say, **kwargs)
    return value


def _money(fen: int) -> str:
    return speech.money(speech.from_cents(fen), "¥")


def _day_phrase(date: str) -> str:
    """'today', 'tomorrow' or 'April 15', as a traveller refers to a boarding date."""
    day = dt.date.fromisoformat(date)
    if day == NOW.date():
        return "today"
    if day == NOW.date() + dt.timedelta(days=1):
        return "tomorrow"
    return f"on {speech.date(day)}"


def _relation(holder_id_number: str, other_id_number: str) -> str | None:
    """'mother'/'father' from the identity numbers (birth year; the 17th digit is odd for men)."""
    holder_year, other_year = int(holder_id_number[6:10]), int(other_id_number[6:10])
    if holder_year - other_year < 18:
        return None
    return "father" if int(other_id_number[16]) % 2 else "mother"


_FEMALE_GIVEN = ("芳", "娜", "敏", "静", "丽", "艳", "秀英", "桂英", "海燕")
_MALE_GIVEN = ("伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "建华", "志强", "晓东", "浩然")


def _name_fits(name: str, relation: str | None) -> bool:
    given = name[1:]
    if relation == "mother":
        return given not in _MALE_GIVEN
    if relation == "father":
        return given not in _FEMALE_GIVEN
    return False


def _account_line(s: StoryContext, user_id: str) -> str:
    return speech.choose(
        s.rng,
        f"My 12306 account is {user_id}.",
        f"I'm {user_id} on 12306.",
        f"(12306 user {user_id})",
        f"My 12306 login is {user_id}.",
    )


def _holder_ticket(s: StoryContext, where: str = "", params: tuple[Any, ...] = ()) -> dict[str, Any]:
    """An account holder's unused ticket, the only one they hold that day (so "my trip on ..." is clear)."""
    return s.pick(
        "SELECT t.*, o.user_id, sf.city AS from_city, st.city AS to_city, sf.station_name AS from_name, "
        "st.station_name AS to_name FROM tickets t JOIN ticket_orders o ON o.order_id = t.order_id "
        "JOIN passengers p ON p.passenger_id = t.passenger_id AND p.is_account_holder = 1 "
        "JOIN stations sf ON sf.station_code = t.from_station_code JOIN stations st ON "
        "st.station_code = t.to_station_code "
        "WHERE t.status = 'paid' AND (SELECT COUNT(*) FROM tickets t2 JOIN ticket_orders o2 ON "
        "o2.order_id = t2.order_id "
        "WHERE o2.user_id = o.user_id AND t2.status = 'paid' AND t2.date = t.date "
        "AND t2.passenger_id = t.passenger_id) = 1 "
        "AND (SELECT COUNT(DISTINCT o3.order_id) FROM ticket_orders o3 JOIN tickets t3 ON t3.order_id = o3.order_id "
        "WHERE o3.user_id = o.user_id AND t3.status = 'paid') <= 10" + where,
        params,
    )


def _find_ticket(orders: dict[str, Any], ticket_id: str) -> dict[str, Any]:
    for order in orders["orders"]:
        for ticket in order["tickets"]:
            if ticket["ticket_id"] == ticket_id:
                return ticket
    raise AssertionError(f"ticket {ticket_id} is not in the account's upcoming orders")


def _trip_words(ticket: dict[str, Any]) -> str:
    """'my 2:59 pm train from Shanghai to Nanchang on April 14' — what a traveller remembers of a ticket."""
    origin = CITY_EN.get(ticket["from_city"], ticket["from_name"])
    destination = CITY_EN.get(ticket["to_city"], ticket["to_name"])
    return f"my {speech.time(speech.clock(ticket['depart_time']))} train from {origin} to {destination}"


# --------------------------------------------------------------------------------------------------
# Reading: trips, trains, fares
# --------------------------------------------------------------------------------------------------


@story("china_railway")
def upcoming_trip_details(s: StoryContext) -> str:
    """A traveller checks which station their upcoming train leaves from, when, and where they sit."""
    ticket = _holder_ticket(s, " AND t.date > ?", (NOW.date().isoformat(),))
    s.person("china_railway", ticket["user_id"])
    destination = CITY_EN.get(ticket["to_city"])
    if destination is None:
        s.reject("destination city has no English name")
    orders = s.call("query_orders", user_id=s.say(ticket["user_id"]), upcoming_only=True)
    mine = _find_ticket(orders, ticket["ticket_id"])
    departure = s.call("get_station_by_code", station_code=mine["from_station_code"])
    arrival = s.call("get_station_by_code", station_code=mine["to_station_code"])
    s.fact(departure["station_name"])
    s.fact(speech.clock(mine["depart_time"]), derived=True)
    s.fact(mine["coach"])
    s.fact(mine["seat_number"])
    s.context(arrival["station_name"], ticket["train_code"], speech.date(ticket["date"]))
    when = speech.date(ticket["date"], weekday=s.rng.random() < 0.4)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'm taking the train to {destination} on {when} and I've lost track of the details.",
            f"I have a train ticket to {destination} for {when}.",
        ),
        _account_line(s, ticket["user_id"]),
        speech.choose(
            s.rng,
            "Which station does it leave from, at what time, and what's my coach and seat number?",
            "Can you tell me the departure station and time, plus my coach and seat?",
        ),
    )


@story("china_railway")
def train_arrival_at_stop(s: StoryContext) -> str:
    """Someone meeting a relative off a train asks when it reaches their station and how long it stops."""
    stop = s.pick(
        "SELECT ts.train_code, ts.station_code, s.station_name, ts.stop_index FROM train_stops ts "
        "JOIN stations s ON s.station_code = ts.station_code WHERE ts.depart_minutes > ts.arrive_minutes "
        "AND ts.stop_index > 1"
    )
    relative = speech.choose(s.rng, "my dad", "my mum", "my sister", "a friend", "my grandmother")
    route = s.call("get_train_route_stations", train_code=s.say(stop["train_code"]))
    row = next(r for r in route["stops"] if r["station_code"] == stop["station_code"])
    s.fact(row["arrive_time"])
    s.fact(row["stopover_minutes"])
    s.context(stop["station_name"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm meeting {relative} off train {stop['train_code']} at {stop['station_name']}.",
        speech.choose(
            s.rng,
            "What time is it due in there, and how many minutes does it stop?",
            "When does it arrive at that station, and how long does it wait there before leaving?",
        ),
    )


@story("china_railway")
def fare_on_earliest_train(s: StoryContext) -> str:
    """A traveller asks the fare and seats left on the earliest train between two stations one day."""
    pair = s.pick(
        "SELECT a.train_code, a.station_code AS from_code, b.station_code AS to_code, sa.station_name AS from_name, "
        "sb.station_name AS to_name, t.train_type FROM train_stops a JOIN train_stops b ON a.train_code = b.train_code "
        "AND a.stop_index < b.stop_index JOIN stations sa ON sa.station_code = a.station_code "
        "JOIN stations sb ON sb.station_code = b.station_code JOIN trains t ON t.train_code = a.train_code "
        "WHERE t.train_type IN ('G', 'D')"
    )
    date = (NOW.date() + dt.timedelta(days=s.rng.randint(1, 13))).isoformat()
    seat = s.rng.choice(("second_class", "second_class", "first_class"))
    origin = s.call("get_station_code_by_name", station_name=s.say(pair["from_name"]))
    destination = s.call("get_station_code_by_name", station_name=s.say(pair["to_name"]))
    found = s.call(
        "get_tickets",
        date=_held(s, "travel date", date, speech.date(date)),
        from_station_code=origin["station_code"],
        to_station_code=destination["station_code"],
    )
    if found["total"] > len(found["trains"]):
        s.reject("more trains than one page")
    offers = [
        t
        for t in found["trains"]
        if t["from_station_code"] == pair["from_code"]
        and t["to_station_code"] == pair["to_code"]
        and any(x["seat_type"] == seat for x in t["seats"])
    ]
    if not offers:
        s.reject("no train between the two stations with that class")
    first = offers[0]
    offer = next(x for x in first["seats"] if x["seat_type"] == seat)
    if offer["remaining"] == 0:
        s.reject("sold out")
    s.fact(first["train_code"])
    s.fact(speech.clock(first["depart_time"]), derived=True)
    s.fact(speech.from_cents(offer["price"]), derived=True)
    s.fact(offer["remaining"])
    s.context(pair["from_name"], pair["to_name"], speech.date(date))
    seat_words = SEAT_WORDS[seat]
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'm thinking of going from {pair['from_name']} to {pair['to_name']} on {speech.date(date)}.",
            f"I need to get from {pair['from_name']} to {pair['to_name']} on {speech.date(date)}.",
        ),
        speech.choose(
            s.rng,
            f"Which is the earliest train between those two stations with {seat_words} seats, when does it leave, "
            f"how much is a {seat_words} ticket and how many are left?",
            f"What's the first train that day between exactly those stations with {seat_words}? I'd like its "
            f"departure time, the {seat_words} fare and how many seats remain.",
        ),
    )


@story("china_railway")
def quickest_train_between_cities(s: StoryContext) -> str:
    """A traveller asks which train between two cities is fastest one day and when it leaves and arrives."""
    pair = s.pick(
        "SELECT DISTINCT sa.city AS from_city, sb.city AS to_city FROM train_stops a JOIN train_stops b "
        "ON a.train_code = b.train_code AND a.stop_index < b.stop_index JOIN stations sa ON "
        "sa.station_code = a.station_code "
        "JOIN stations sb ON sb.station_code = b.station_code WHERE sa.city <> sb.city ORDER BY 1, 2"
    )
    if pair["from_city"] not in CITY_EN or pair["to_city"] not in CITY_EN:
        s.reject("a city without an English name")
    origin_en, destination_en = CITY_EN[pair["from_city"]], CITY_EN[pair["to_city"]]
    date = (NOW.date() + dt.timedelta(days=s.rng.randint(1, 13))).isoformat()
    origins = s.call("get_stations_code_in_city", city=s.say(pair["from_city"], origin_en))
    destinations = s.call("get_stations_code_in_city", city=s.say(pair["to_city"], destination_en))
    found = s.call(
        "get_tickets",
        date=_held(s, "travel date", date, speech.date(date)),
        from_station_code=origins[0]["station_code"],
        to_station_code=destinations[0]["station_code"],
        sort_flag=s.imply("duration"),  # "quickest" is the duration order
    )
    trains = found["trains"]
    if len(trains) < 3 or found["total"] > len(trains):
        s.reject("too few trains to compare, or more than a page")
    if trains[0]["duration_minutes"] == trains[1]["duration_minutes"]:
        s.reject("a tie for the quickest")
    best = trains[0]
    s.fact(best["train_code"])
    s.fact(speech.clock(best["depart_time"]), derived=True)
    s.fact(speech.clock(best["arrive_time"]), derived=True)
    s.context(speech.date(date), best["from_station_name"], best["to_station_name"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"What's the quickest train from {origin_en} to {destination_en} on {speech.date(date)}?",
            f"I want the fastest train between {origin_en} and {destination_en} on {speech.date(date)}.",
            f"Of all the trains from {origin_en} to {destination_en} on {speech.date(date)}, which one takes the "
            "least time?",
        ),
        speech.choose(s.rng, "When does it leave and when does it get in?", "Tell me its departure and arrival times."),
    )


@story("china_railway", implicit=True)
def refund_not_received(s: StoryContext) -> str:
    """A traveller who returned a companion's ticket hasn't seen the money and asks what happened."""
    ticket = s.pick(
        "SELECT t.*, o.user_id FROM tickets t JOIN ticket_orders o ON o.order_id = t.order_id "
        "JOIN passengers p ON p.passenger_id = t.passenger_id WHERE t.status = 'refunded' "
        "AND (SELECT COUNT(*) FROM tickets x WHERE x.order_id = t.order_id) >= 2 "
        "AND (SELECT COUNT(*) FROM tickets x WHERE x.order_id = t.order_id AND x.passenger_name = t.passenger_name) = 1"
    )
    s.person("china_railway", ticket["user_id"])
    order = s.call("get_order_details", order_id=s.say(ticket["order_id"]))
    mine = next(t for t in order["tickets"] if t["ticket_id"] == ticket["ticket_id"])
    s.fact(speech.from_cents(mine["price"] - mine["refund_fee"]), derived=True)
    if mine["refund_fee"]:
        s.fact(speech.from_cents(mine["refund_fee"]), derived=True)
        ask = speech.choose(
            s.rng,
            "Did the refund go through? How much should I be getting back, and how much was deducted?",
            "Can you check whether it went through, what amount is coming to me and what fee was taken off?",
        )
    else:
        ask = speech.choose(
            s.rng,
            "Did the refund go through, and how much should I be getting back?",
            "Can you check whether it went through and what amount is coming to me?",
        )
    s.context(ticket["passenger_name"], ticket["train_code"], speech.date(ticket["date"]))
    s.other_person(ticket["passenger_id"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I returned {ticket['passenger_name']}'s ticket in order {ticket['order_id']} but I haven't seen any "
            "money come back.",
            f"{ticket['passenger_name']} couldn't travel, so I handed back that ticket from order "
            f"{ticket['order_id']}; I'm not sure the refund worked.",
        ),
        ask,
    )


# --------------------------------------------------------------------------------------------------
# Buying tickets
# --------------------------------------------------------------------------------------------------


@story("china_railway")
def book_morning_train_with_parent(s: StoryContext) -> str:
    """A traveller books seats for themselves and a parent on the first morning train after a time."""
    pairs = s.rows(
        "SELECT h.user_id, h.passenger_id AS holder_id, h.passenger_name AS holder_name, h.id_number AS holder_number, "
        "p.passenger_id AS parent_id, p.passenger_name AS parent_name, p.id_number AS parent_number "
        "FROM passengers h JOIN passengers p ON p.user_id = h.user_id AND p.is_account_holder = 0 "
        "AND p.passenger_type = 'adult' WHERE h.is_account_holder = 1 "
        "AND CAST(substr(h.id_number, 7, 4) AS INTEGER) - CAST(substr(p.id_number, 7, 4) AS INTEGER) >= 18"
    )
    # The seeded names are drawn apart from the identity numbers: keep parents whose name fits "mother"/"father".
    pairs = [p for p in pairs if _name_fits(p["parent_name"], _relation(p["holder_number"], p["parent_number"]))]
    if not pairs:
        s.reject("no parent on any account")
    pair = s.rng.choice(pairs)
    relation = _relation(pair["holder_number"], pair["parent_number"])
    assert relation is not None
    trip = s.pick(
        "SELECT DISTINCT sa.city AS from_city, sb.city AS to_city FROM train_stops a JOIN train_stops b "
        "ON a.train_code = b.train_code AND a.stop_index < b.stop_index JOIN stations sa ON "
        "sa.station_code = a.station_code "
        "JOIN stations sb ON sb.station_code = b.station_code JOIN trains t ON t.train_code = a.train_code "
        "WHERE t.train_type = 'G' AND sa.city <> sb.city ORDER BY 1, 2"
    )
    if trip["from_city"] not in CITY_EN or trip["to_city"] not in CITY_EN:
        s.reject("a city without an English name")
    s.person("china_railway", pair["user_id"])
    s.other_person(pair["parent_id"])
    origin_en, destination_en = CITY_EN[trip["from_city"]], CITY_EN[trip["to_city"]]
    date = (NOW.date() + dt.timedelta(days=s.rng.randint(2, 13))).isoformat()
    after = s.rng.choice((7, 8, 9))
    seat = s.rng.choice(("second_class", "second_class", "second_class", "first_class"))
    origins = s.call("get_stations_code_in_city", city=s.say(trip["from_city"], origin_en))
    destinations = s.call("get_stations_code_in_city", city=s.say(trip["to_city"], destination_en))
    date_words = s.detail("travel date", date, speech.date(date), phrase=f"on {speech.date(date)}", vague="soon")
    found = s.call(
        "get_tickets",
        date=date,
        from_station_code=origins[0]["station_code"],
        to_station_code=destinations[0]["station_code"],
    )
    if found["total"] > len(found["trains"]):
        s.reject("more trains than one page")

    def fits(train: dict[str, Any]) -> bool:
        seats = {x["seat_type"]: x["remaining"] for x in train["seats"]}
        return speech.clock(train["depart_time"]) >= f"{after:02d}:00" and seats.get(seat, 0) >= 2

    choice = next((t for t in found["trains"] if fits(t)), None)
    if choice is None or speech.clock(choice["depart_time"]) >= "12:00":
        s.reject("no morning train with two seats")
    passengers = s.call("get_passengers", user_id=s.say(pair["user_id"]))
    ids = [p["passenger_id"] for p in passengers if p["passenger_id"] in (pair["holder_id"], pair["parent_id"])]
    s.say(pair["parent_name"])
    order = s.call(
        "buy_tickets",
        user_id=pair["user_id"],
        train_code=choice["train_code"],
        date=date,
        from_station_code=choice["from_station_code"],
        to_station_code=choice["to_station_code"],
        seat_type=_held(
            s, "seat class", seat, SEAT_WORDS[seat], vague="seats", synonyms=["class", "cabin", "seat type"]
        ),
        passenger_ids=ids,
    )
    s.fact(choice["train_code"])
    s.fact(choice["from_station_name"])
    s.fact(speech.clock(choice["depart_time"]), derived=True)
    s.fact(speech.from_cents(order["total_paid"]), derived=True)
    s.context(speech.date(date), pair["parent_name"], pair["holder_name"])
    when = f"{after} am" if s.rng.random() < 0.5 else f"{after} in the morning"
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'd like to book {SEAT_WORDS[seat]} seats from {origin_en} to {destination_en} {date_words} "
            f"for me and my {relation}, {pair['parent_name']}.",
            f"Please get my {relation} {pair['parent_name']} and me two {SEAT_WORDS[seat]} tickets from {origin_en} "
            f"to {destination_en} {date_words}.",
        ),
        f"We want the first train leaving after {when} that still has two {SEAT_WORDS[seat]} seats.",
        _account_line(s, pair["user_id"]),
        speech.choose(
            s.rng,
            "Once it's booked, which train is it, which station does it leave from and at what time, and what did "
            "it cost in total?",
            "Afterwards tell me the train number, the departure station and time, and the total price.",
        ),
    )


@story("china_railway")
def add_colleague_and_book(s: StoryContext) -> str:
    """A traveller saves a colleague as a passenger and books the two of them on a named train."""
    leg = s.pick(
        "SELECT a.train_code, sa.station_name AS from_name, sb.station_name AS to_name, t.train_type "
        "FROM train_stops a JOIN train_stops b ON a.train_code = b.train_code AND a.stop_index < b.stop_index "
        "JOIN stations sa ON sa.station_code = a.station_code JOIN stations sb ON sb.station_code = b.station_code "
        "JOIN trains t ON t.train_code = a.train_code WHERE t.train_type IN ('G', 'D')"
    )
    holder = s.pick("SELECT * FROM passengers WHERE is_account_holder = 1")
    count = s.rows("SELECT COUNT(*) AS n FROM passengers WHERE user_id = ?", (holder["user_id"],))[0]["n"]
    if count >= 15:
        s.reject("passenger list full")
    s.person("china_railway", holder["user_id"])
    surname = s.rng.choice(SURNAMES)[0]
    name = surname + s.rng.choice(GIVEN)[0]
    first17 = f"{s.rng.choice((110101, 310104, 440106, 330102))}{s.rng.randint(1970, 1998)}"
    first17 += f"{s.rng.randint(1, 12):02d}{s.rng.randint(1, 28):02d}{s.rng.randint(0, 999):03d}"
    id_number = first17 + id_check_digit(first17)
    s.other_person(name)
    date = (NOW.date() + dt.timedelta(days=s.rng.randint(2, 13))).isoformat()
    seat = s.rng.choice(("second_class", "second_class", "first_class"))
    added = s.call(
        "add_passenger",
        user_id=s.say(holder["user_id"]),
        passenger_name=s.say(name),
        id_number=_held(s, "colleague's ID number", id_number, id_number, vague="their ID card number"),
        passenger_type=s.imply("adult"),  # a colleague travels on an adult ticket
    )
    passengers = s.call("get_passengers", user_id=holder["user_id"])
    me = next(p for p in passengers if p["passenger_id"] == holder["passenger_id"])
    origin = s.call("get_station_code_by_name", station_name=s.say(leg["from_name"]))
    destination = s.call("get_station_code_by_name", station_name=s.say(leg["to_name"]))
    order = s.call(
        "buy_tickets",
        user_id=holder["user_id"],
        train_code=s.say(leg["train_code"]),
        date=_held(s, "travel date", date, speech.date(date), phrase=f"on {speech.date(date)}", vague="soon"),
        from_station_code=origin["station_code"],
        to_station_code=destination["station_code"],
        seat_type=_held(s, "seat class", seat, SEAT_WORDS[seat], vague="seats", synonyms=["class", "seat type"]),
        passenger_ids=[me["passenger_id"], added["passenger_id"]],
    )
    s.fact(speech.from_cents(order["total_paid"]), derived=True)
    s.context(leg["train_code"], speech.date(date), name)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"My colleague {name} is coming with me on a work trip, so please add {name} to my passengers first",
            f"Please save my colleague {name} as a passenger on my account",
        ),
        f"(ID number {id_number}).",
        _account_line(s, holder["user_id"]),
        speech.choose(
            s.rng,
            f"Then book the two of us on {leg['train_code']} from {leg['from_name']} to {leg['to_name']} "
            f"on {speech.date(date)}, {SEAT_WORDS[seat]}.",
            f"After that, put both of us on train {leg['train_code']} {leg['from_name']} to {leg['to_name']} "
            f"on {speech.date(date)} in {SEAT_WORDS[seat]}.",
        ),
        speech.choose(s.rng, "What's the total?", "How much does that come to altogether?"),
    )


# --------------------------------------------------------------------------------------------------
# Refunds and changes
# --------------------------------------------------------------------------------------------------


@story("china_railway", implicit=True)
def trip_is_off(s: StoryContext) -> str:
    """The traveller can't make a trip: every unused ticket of its order is refunded under the fee tiers."""
    ticket = _holder_ticket(s)
    if ticket["to_city"] not in CITY_EN:
        s.reject("destination without an English name")
    s.person("china_railway", ticket["user_id"])
    orders = s.call("query_orders", user_id=s.say(ticket["user_id"]), upcoming_only=True)
    order = next(o for o in orders["orders"] if o["order_id"] == ticket["order_id"])
    unused = [t for t in order["tickets"] if t["status"] == "paid"]
    back = 0
    for item in unused:
        refund = s.call("refund_ticket", ticket_id=item["ticket_id"])
        back += refund["refund_amount"]
    s.fact(speech.from_cents(back), derived=True)
    others = [t["passenger_name"] for t in unused if t["ticket_id"] != ticket["ticket_id"]]
    for item in unused:
        if item["ticket_id"] != ticket["ticket_id"]:
            s.other_person(item["passenger_id"])
    destination = CITY_EN[ticket["to_city"]]
    when = _day_phrase(ticket["date"])
    s.context(ticket["train_code"], speech.date(ticket["date"]))
    if others:
        who = f"{speech.listing(others)} and I"
        need = speech.choose(
            s.rng,
            f"Something came up and {who} can't go to {destination} {when} any more.",
            f"Our trip to {destination} {when} is off — {who} won't be travelling.",
        )
        ask = "Please sort out the tickets."
    else:
        need = speech.choose(
            s.rng,
            f"My trip to {destination} {when} is off.",
            f"I can't make it to {destination} {when} after all.",
            f"Plans changed and I won't be travelling to {destination} {when}.",
        )
        ask = speech.choose(s.rng, "What can you do with my ticket?", "Please deal with the ticket.")
    return speech.sentence(
        speech.opening(s.rng),
        need,
        _account_line(s, ticket["user_id"]),
        ask,
        speech.choose(s.rng, "How much will I get back?", "How much money comes back to me?"),
    )


@story("china_railway", implicit=True)
def companion_drops_out(s: StoryContext) -> str:
    """A travel companion can't come; only their ticket of the shared order is refunded."""
    row = s.pick(
        "SELECT t.*, o.user_id, h.passenger_name AS holder_name FROM tickets t "
        "JOIN ticket_orders o ON o.order_id = t.order_id "
        "JOIN passengers p ON p.passenger_id = t.passenger_id AND p.is_account_holder = 0 "
        "JOIN tickets ht ON ht.order_id = t.order_id AND ht.status = 'paid' "
        "JOIN passengers h ON h.passenger_id = ht.passenger_id AND h.is_account_holder = 1 "
        "WHERE t.status = 'paid' AND (SELECT COUNT(DISTINCT o3.order_id) FROM ticket_orders o3 JOIN tickets t3 "
        "ON t3.order_id = o3.order_id WHERE o3.user_id = o.user_id AND t3.status = 'paid') <= 10 "
        "AND (SELECT COUNT(*) FROM tickets t4 JOIN ticket_orders o4 ON o4.order_id = t4.order_id "
        "WHERE o4.user_id = o.user_id AND t4.passenger_id = t.passenger_id AND t4.status = 'paid' "
        "AND t4.date = t.date) = 1"
    )
    s.person("china_railway", row["user_id"])
    s.other_person(row["passenger_id"])
    orders = s.call("query_orders", user_id=s.say(row["user_id"]), upcoming_only=True)
    ticket = _find_ticket(orders, row["ticket_id"])
    refund = s.call("refund_ticket", ticket_id=ticket["ticket_id"])
    s.fact(speech.from_cents(refund["refund_amount"]), derived=True)
    s.context(row["passenger_name"], row["train_code"], speech.date(row["date"]))
    s.say(row["passenger_name"])
    when = _day_phrase(row["date"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"{row['passenger_name']} can't come on the train with me {when} after all, but I'm still going.",
            f"I booked {row['passenger_name']} and myself on a train {when}; {row['passenger_name']} has dropped "
            "out, I'm still travelling.",
        ),
        _account_line(s, row["user_id"]),
        speech.choose(s.rng, "How much will come back for the unused place?", "What will we get back for it?"),
    )


def _later_train(found: dict[str, Any], ticket: dict[str, Any], seat: str) -> dict[str, Any] | None:
    for train in found["trains"]:
        seats = {x["seat_type"]: x["remaining"] for x in train["seats"]}
        if train["depart_time"] > ticket["depart_time"] and seats.get(seat, 0) >= 1:
            return train
    return None


@story("china_railway", implicit=True)
def running_late_take_later_train(s: StoryContext) -> str:
    """Running late for a train: the ticket is changed to the next train that day with a seat in its class."""
    ticket = _holder_ticket(s, " AND t.depart_time > ?", ((NOW + dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),))
    if ticket["from_city"] not in CITY_EN or ticket["to_city"] not in CITY_EN:
        s.reject("a city without an English name")
    s.person("china_railway", ticket["user_id"])
    orders = s.call("query_orders", user_id=s.say(ticket["user_id"]), upcoming_only=True)
    mine = _find_ticket(orders, ticket["ticket_id"])
    found = s.call(
        "get_tickets",
        date=ticket["date"],
        from_station_code=mine["from_station_code"],
        to_station_code=mine["to_station_code"],
    )
    if found["total"] > len(found["trains"]):
        s.reject("more trains than one page")
    later = _later_train(found, mine, mine["seat_type"])
    if later is None or later["depart_time"][:10] != ticket["date"]:
        s.reject("no later train that day with a seat")
    when = _day_phrase(ticket["date"])
    s.say(ticket["date"], when)
    changed = s.call(
        "change_ticket",
        ticket_id=mine["ticket_id"],
        train_code=later["train_code"],
        new_date=ticket["date"],
        seat_type=s.say(mine["seat_type"], SEAT_WORDS[mine["seat_type"]]),
    )
    s.fact(changed["ticket"]["train_code"])
    s.fact(speech.clock(changed["ticket"]["depart_time"]), derived=True)
    s.context(ticket["train_code"], speech.date(ticket["date"]))
    if when == "today":
        reason = speech.choose(s.rng, "My meeting is running late", "I'm stuck in traffic", "My flight in was delayed")
    else:
        reason = speech.choose(
            s.rng, "Something came up at work", "A meeting got scheduled that afternoon", "My plans shifted"
        )
    return speech.sentence(
        speech.opening(s.rng),
        f"{reason} and I won't make {_trip_words(ticket)} {when}.",
        _account_line(s, ticket["user_id"]),
        speech.choose(
            s.rng,
            f"Can you get me onto the next train after it {when} that still has a {SEAT_WORDS[mine['seat_type']]} "
            "seat?",
            f"I'd like to move to the first later train {when} with {SEAT_WORDS[mine['seat_type']]} seats left.",
        ),
        speech.choose(s.rng, "Which train will I be on and when does it leave?", "Tell me the new train and time."),
    )


@story("china_railway", implicit=True)
def trip_moved_to_another_day(s: StoryContext) -> str:
    """A trip moves to a later day: the ticket is changed to the same train and class that day."""
    ticket = _holder_ticket(
        s, " AND t.depart_time > ? AND t.date < ?",
        ((NOW + dt.timedelta(hours=49)).strftime("%Y-%m-%d %H:%M"), (NOW.date() + dt.timedelta(days=13)).isoformat()),
    )  # fmt: skip
    if ticket["to_city"] not in CITY_EN:
        s.reject("destination without an English name")
    last = NOW.date() + dt.timedelta(days=14)
    old = dt.date.fromisoformat(ticket["date"])
    shift = s.rng.randint(1, min(3, (last - old).days))
    new_date = (old + dt.timedelta(days=shift)).isoformat()
    new_service = (dt.date.fromisoformat(ticket["service_date"]) + dt.timedelta(days=shift)).isoformat()
    stock = s.rows(
        "SELECT remaining FROM seat_inventory WHERE train_code = ? AND service_date = ? AND seat_type = ?",
        (ticket["train_code"], new_service, ticket["seat_type"]),
    )
    if not stock or stock[0]["remaining"] < 1:
        s.reject("no seat that day")
    s.person("china_railway", ticket["user_id"])
    orders = s.call("query_orders", user_id=s.say(ticket["user_id"]), upcoming_only=True)
    mine = _find_ticket(orders, ticket["ticket_id"])
    changed = s.call(
        "change_ticket",
        ticket_id=mine["ticket_id"],
        train_code=mine["train_code"],
        new_date=_held(s, "new travel date", new_date, speech.date(new_date), vague="a later day"),
        seat_type=mine["seat_type"],
    )
    s.fact(changed["ticket"]["coach"])
    s.fact(changed["ticket"]["seat_number"])
    s.context(ticket["train_code"], speech.date(ticket["date"]))
    destination = CITY_EN[ticket["to_city"]]
    reason = speech.choose(
        s.rng,
        f"The conference in {destination} got pushed back",
        f"My visit to {destination} has been moved",
        f"The people I'm seeing in {destination} asked me to come later",
    )
    return speech.sentence(
        speech.opening(s.rng),
        f"{reason}, so I need to travel on {speech.date(new_date)} instead of {speech.date(ticket['date'])}.",
        speech.choose(s.rng, "The same train and class would be perfect.", "Same train, same class, just the new day."),
        _account_line(s, ticket["user_id"]),
        speech.choose(s.rng, "What's my new coach and seat?", "Which coach and seat will I have?"),
    )


@story("china_railway")
def upgrade_seat_class(s: StoryContext) -> str:
    """A traveller upgrades their second-class ticket to first class on the same train."""
    ticket = _holder_ticket(
        s, " AND t.seat_type = 'second_class' AND t.depart_time > ?",
        ((NOW + dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),),
    )  # fmt: skip
    stock = s.rows(
        "SELECT remaining FROM seat_inventory WHERE train_code = ? AND service_date = ? AND seat_type = 'first_class'",
        (ticket["train_code"], ticket["service_date"]),
    )
    if not stock or stock[0]["remaining"] < 1:
        s.reject("first class sold out")
    s.person("china_railway", ticket["user_id"])
    orders = s.call("query_orders", user_id=s.say(ticket["user_id"]), upcoming_only=True)
    mine = _find_ticket(orders, ticket["ticket_id"])
    when = _day_phrase(ticket["date"])
    s.say(ticket["date"], when)
    s.say(ticket["train_code"])
    changed = s.call(
        "change_ticket",
        ticket_id=mine["ticket_id"],
        train_code=mine["train_code"],
        new_date=mine["date"],
        seat_type=s.say("first_class", "first class"),
    )
    s.fact(speech.from_cents(changed["price_difference"]), derived=True)
    s.context(ticket["train_code"], speech.date(ticket["date"]))
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Could you switch my second-class ticket on {ticket['train_code']} {when} to first class?",
            f"I'd like to upgrade to first class on {ticket['train_code']} {when}; I'm in second class at the moment.",
        ),
        _account_line(s, ticket["user_id"]),
        speech.choose(s.rng, "How much extra is it?", "What's the difference I pay?"),
    )


# --------------------------------------------------------------------------------------------------
# Passengers
# --------------------------------------------------------------------------------------------------


@story("china_railway")
def remove_saved_passenger(s: StoryContext) -> str:
    """A traveller removes someone from their saved passengers (one without an unused ticket)."""
    row = s.pick(
        "SELECT p.* FROM passengers p WHERE p.is_account_holder = 0 AND NOT EXISTS (SELECT 1 FROM tickets t "
        "WHERE t.passenger_id = p.passenger_id AND t.status = 'paid') AND (SELECT COUNT(*) FROM passengers q "
        "WHERE q.user_id = p.user_id AND q.passenger_name = p.passenger_name) = 1"
    )
    s.person("china_railway", row["user_id"])
    s.other_person(row["passenger_id"])
    passengers = s.call("get_passengers", user_id=s.say(row["user_id"]))
    target = next(p for p in passengers if p["passenger_id"] == row["passenger_id"])
    s.call("remove_passenger", user_id=row["user_id"], passenger_id=target["passenger_id"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Please take {s.say(row['passenger_name'])} off the saved passengers on my 12306 account "
            f"{row['user_id']}.",
            f"I don't book for {s.say(row['passenger_name'])} any more — remove them from my passenger list. "
            f"My 12306 account is {row['user_id']}.",
        ),
    )


# Every seat class a story may state must be one the timetable sells.
assert all(seat in SEAT_WORDS for classes in FARES.values() for seat in classes)
