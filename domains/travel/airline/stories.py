"""Airline stories: one member of the airline, one storyline each (see envfactory_gym.synthesis.stories).

What real customers of an airline's desk ask and do, acted out under the service's policy:

* questions about a booking — today's flight status, what time a flight leaves, bags, insurance, cabin,
  what was paid, the return date — and about the profile (gift card and certificate balances, tier);
* what a trip would cost (nonstop or the cheapest connection, worked out with the calculator), and what
  the bags one is packing would cost under the free allowance;
* cancelling a trip one can't make (within 24 hours of booking, business cabin, insurance for health or
  weather), or one whose flight the airline cancelled — sometimes followed by a claim for a human agent;
* moving a flight to another date, adding checked bags, upgrading the cabin (and then the bags it now
  includes), fixing a passenger's date of birth or name, booking a new trip with every choice stated;
* a promised compensation certificate after a cancelled or delayed flight, and a request the policy
  cannot grant (a new destination) handed over to a person.

Every booking a story picks already satisfies the rules its outcome needs, so most draws succeed; the
simulated "now" is May 15, 2024, 3 pm.
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

TODAY = "2024-05-15"
TOMORROW = "2024-05-16"
# A booking none of whose flights has been flown or is in the air (it can still be cancelled or changed).
NOT_FLOWN = (
    "r.status IS NULL AND NOT EXISTS (SELECT 1 FROM reservation_flights rf JOIN flight_dates fd "
    "ON fd.flight_number = rf.flight_number AND fd.date = rf.date WHERE rf.reservation_id = r.reservation_id "
    "AND fd.status IN ('landed', 'flying'))"
)
# Every flight of the booking is still on sale: its flights and cabin can change.
ON_SALE = (
    "r.status IS NULL AND NOT EXISTS (SELECT 1 FROM reservation_flights rf LEFT JOIN flight_dates fd "
    "ON fd.flight_number = rf.flight_number AND fd.date = rf.date WHERE rf.reservation_id = r.reservation_id "
    "AND (fd.status IS NULL OR fd.status != 'available'))"
)
# The member has a credit card saved (it can pay any change).
HAS_CARD = "EXISTS (SELECT 1 FROM payment_methods p WHERE p.user_id = r.user_id AND p.source = 'credit_card')"
BRANDS = {"visa": "Visa", "mastercard": "Mastercard", "amex": "Amex"}
# New York has two airports: people name those by airport.
AIRPORT_NAMES = {"JFK": "JFK", "LGA": "LaGuardia"}
FREE_BAG_COLUMN = {"basic_economy": 0, "economy": 1, "business": 2}
SURNAMES = ("Whitfield", "Okafor", "Castillo", "Brennan", "Nakamura", "Lindqvist", "Delgado", "Ferreira")


# --------------------------------------------------------------------------------------------------
# How a person names things
# --------------------------------------------------------------------------------------------------


def _cities(s: StoryContext) -> dict[str, str]:
    return {r["iata"]: r["city"] for r in s.rows("SELECT iata, city FROM airports ORDER BY iata")}


def _place(s: StoryContext, code: str) -> str:
    """How a traveller names an airport: its city, or the airport itself where the city has two."""
    return AIRPORT_NAMES.get(code) or _cities(s)[code]


def _segments(s: StoryContext, reservation_id: str) -> list[dict[str, Any]]:
    return s.rows(
        "SELECT rf.position, rf.flight_number, rf.date, rf.price, f.origin, f.destination, "
        "f.scheduled_departure_time_est AS departs, fd.status FROM reservation_flights rf "
        "JOIN flights f ON f.flight_number = rf.flight_number "
        "LEFT JOIN flight_dates fd ON fd.flight_number = rf.flight_number AND fd.date = rf.date "
        "WHERE rf.reservation_id = ? ORDER BY rf.position",
        (reservation_id,),
    )


def _passengers(s: StoryContext, reservation_id: str) -> list[dict[str, Any]]:
    return s.rows(
        "SELECT first_name, last_name, dob FROM reservation_passengers WHERE reservation_id = ? ORDER BY position",
        (reservation_id,),
    )


def _trip(s: StoryContext, booking: dict[str, Any]) -> str:
    """'my round trip from Atlanta to Phoenix on May 9', 'my flight from Denver to JFK on May 20'."""
    legs = _segments(s, booking["reservation_id"])
    origin, destination = _place(s, booking["origin"]), _place(s, booking["destination"])
    when = speech.date(legs[0]["date"])
    if booking["flight_type"] == "round_trip":
        back = next(
            (leg["date"] for leg in legs if leg["origin"] != booking["origin"] and leg["date"] != legs[0]["date"]),
            legs[-1]["date"],
        )
        return speech.choose(
            s.rng,
            f"my round trip from {origin} to {destination}, out on {when}",
            f"my trip to {destination} from {origin}, leaving {when} and coming back {speech.date(back)}",
        )
    noun = "flight" if len(legs) == 1 else "trip"
    return f"my {noun} from {origin} to {destination} on {when}"


def _described_uniquely(s: StoryContext, booking: dict[str, Any]) -> bool:
    """Whether the trip's route and first date single it out among the member's bookings."""
    rows = s.rows(
        "SELECT r.reservation_id FROM reservations r JOIN reservation_flights rf "
        "ON rf.reservation_id = r.reservation_id AND rf.position = 0 WHERE r.user_id = ? AND r.origin = ? "
        "AND r.destination = ? AND rf.date = (SELECT date FROM reservation_flights WHERE reservation_id = ? "
        "AND position = 0) ORDER BY r.reservation_id",
        (booking["user_id"], booking["origin"], booking["destination"], booking["reservation_id"]),
    )
    return len(rows) == 1


def _user_id_sentence(s: StoryContext, user_id: str) -> str:
    sentence = speech.choose(
        s.rng, f"My user id is {user_id}.", f"My user ID is {user_id}.", f"My account is {user_id}."
    )
    # The member knows their user id and gives it when asked (a conversational variant leaves it out).
    s.detail("user id", user_id, user_id, phrase=sentence, synonyms=["user ID", "account", "username", "profile"])
    return sentence


def _find_booking(
    s: StoryContext, booking: dict[str, Any], *, profile: bool = False, code_share: float = 0.55
) -> tuple[str, str, dict[str, Any], dict[str, Any] | None]:
    """Name the booking the way the person would and make the lookups an agent needs to find it.

    Returns (the booking as a noun phrase, a sentence introducing the member or "", the reservation's
    details, the member's profile when ``profile`` or when the booking was found through it).
    """
    s.person("airline", booking["user_id"])
    rid = booking["reservation_id"]
    if s.rng.random() < code_share or not _described_uniquely(s, booking):
        noun = speech.choose(s.rng, "booking", "reservation", "my booking")
        ref = f"{noun} {rid}"
        # The code is what the member holds; asked for it, they read it out.
        s.detail(
            "booking code",
            rid,
            rid,
            phrase=ref,
            vague="my booking" if noun != "reservation" else "my reservation",
            synonyms=["booking", "reservation", "confirmation", "booking number", "reference", "code"],
        )
        details = s.call("get_reservation_details", reservation_id=rid)
        user = s.call("get_user_details", user_id=details["user_id"]) if profile else None
        return ref, "", details, user
    # Without the code the member gives their user id and describes the trip.
    uid = s.say(booking["user_id"])
    user = s.call("get_user_details", user_id=uid)
    details = s.call("get_reservation_details", reservation_id=rid)
    return _trip(s, booking), _user_id_sentence(s, uid), details, user


def _part_of(s: StoryContext, booking: dict[str, Any], ref: str, intro: str) -> str:
    """'It's on booking X.' / 'It's part of my round trip ...', or nothing where the booking is that one
    flight and was described by it (saying it twice reads like a form)."""
    if not intro:
        return f"It's on {ref}."
    if len(_segments(s, booking["reservation_id"])) == 1:
        return ""
    return f"It's part of {ref}."


def _card_phrase(method: dict[str, Any], wallet: list[dict[str, Any]]) -> str:
    """'my Visa ending in 4591', 'my gift card', 'the gift card with $199 on it'."""
    if method["source"] == "credit_card":
        return f"my {BRANDS[method['brand']]} ending in {method['last_four']}"
    balance = speech.money((method["balance_cents"] or 0) / 100)
    if method["source"] == "gift_card":
        gift_cards = [m for m in wallet if m["source"] == "gift_card"]
        return "my gift card" if len(gift_cards) == 1 else f"the gift card with {balance} on it"
    return f"my {balance} travel certificate"


def _wallet(s: StoryContext, user_id: str) -> list[dict[str, Any]]:
    return s.rows("SELECT * FROM payment_methods WHERE user_id = ? ORDER BY position", (user_id,))


def _pay_with(
    s: StoryContext, user_id: str, amount: int = 0, *, credit_only: bool = False
) -> tuple[dict[str, Any], str]:
    """A saved card that can pay ``amount`` (a gift card only with enough on it), named as the person does.

    The card is a detail the person holds: its brand and last four digits identify it."""
    wallet = _wallet(s, user_id)
    usable = [
        m
        for m in wallet
        if m["source"] == "credit_card"
        or (not credit_only and m["source"] == "gift_card" and (m["balance_cents"] or 0) >= max(amount, 1) * 100)
    ]
    if not usable:
        s.reject("no card that can pay")
    method = s.rng.choice(usable)
    phrase = _card_phrase(method, wallet)
    if method["source"] == "credit_card":
        s.detail(
            name="card",
            value=method["last_four"],
            say=phrase,
            phrase=phrase,
            vague="my card",
            synonyms=["payment method", "credit card", "which card"],
        )
    return method, phrase


def _free_bags(s: StoryContext, membership: str, cabin: str) -> int:
    tier = s.rows("SELECT * FROM membership_tiers WHERE tier = ?", (membership,))[0]
    return int(tier[f"free_bags_{cabin}"])


def _people(count: int) -> str:
    return {1: "just me", 2: "the two of us", 3: "the three of us", 4: "the four of us"}.get(count, "all of us")


def _cheapest_connection(
    s: StoryContext, date: str, cabin: str, count: int
) -> tuple[str, str, list[dict[str, Any]], int]:
    """A route without a nonstop whose one-stop connections on ``date`` have a single cheapest one with
    seats for ``count`` in ``cabin``: (origin, destination, its two legs, their fare per person)."""
    pairs = s.rows(
        "SELECT a.iata AS origin, b.iata AS destination FROM airports a JOIN airports b ON a.iata != b.iata "
        "WHERE NOT EXISTS (SELECT 1 FROM flights f WHERE f.origin = a.iata AND f.destination = b.iata) "
        "ORDER BY a.iata, b.iata"
    )
    for pair in s.rng.sample(pairs, 25):
        options = s.peek("search_onestop_flight", origin=pair["origin"], destination=pair["destination"], date=date)
        priced = sorted(
            (o[0]["prices"][cabin] + o[1]["prices"][cabin], i)
            for i, o in enumerate(options)
            if min(o[0]["available_seats"][cabin], o[1]["available_seats"][cabin]) >= count
        )
        if priced and (len(priced) == 1 or priced[0][0] != priced[1][0]):
            return pair["origin"], pair["destination"], options[priced[0][1]], priced[0][0]
    s.reject("no single cheapest connection")


# --------------------------------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------------------------------


@story("airline")
def flight_status_today(s: StoryContext) -> str:
    """A traveller checks on today's (or tomorrow's) flight of a booking before leaving for the airport."""
    leg = s.pick(
        "SELECT r.*, rf.flight_number, rf.date AS leg_date, rf.position AS leg, f.origin AS leg_origin, "
        "f.destination AS leg_destination, fd.status AS leg_status FROM reservations r "
        "JOIN reservation_flights rf ON rf.reservation_id = r.reservation_id "
        "JOIN flights f ON f.flight_number = rf.flight_number "
        "JOIN flight_dates fd ON fd.flight_number = rf.flight_number AND fd.date = rf.date "
        "WHERE r.status IS NULL AND (rf.date = ? OR (rf.date = ? AND fd.status != 'available')) "
        "ORDER BY r.reservation_id, rf.position",
        (TODAY, TOMORROW),
    )
    ref, intro, _, _ = _find_booking(s, leg)
    status = s.call("get_flight_status", flight_number=leg["flight_number"], date=leg["leg_date"])
    s.fact(status)
    day = "today" if leg["leg_date"] == TODAY else "tomorrow"
    origin, destination = _place(s, leg["leg_origin"]), _place(s, leg["leg_destination"])
    s.context(leg["flight_number"], speech.date(leg["leg_date"]), origin, destination)
    question = speech.choose(
        s.rng,
        f"What's the status of {day}'s flight from {origin} to {destination}?",
        f"Can you check how {day}'s {origin} to {destination} flight is looking?",
        f"What's the latest on the {origin} to {destination} flight {day}?",
    )
    about = speech.choose(s.rng, f"I'm on {ref}.", f"This is about {ref}.") if _part_of(s, leg, ref, intro) else ""
    return speech.sentence(speech.opening(s.rng), intro, about, question)


@story("airline")
def departure_time(s: StoryContext) -> str:
    """A traveller asks when a flight of their booking leaves (and lands)."""
    leg = s.pick(
        "SELECT r.*, rf.flight_number, rf.date AS leg_date, f.origin AS leg_origin, f.destination AS leg_destination "
        "FROM reservations r JOIN reservation_flights rf ON rf.reservation_id = r.reservation_id "
        "JOIN flights f ON f.flight_number = rf.flight_number "
        "JOIN flight_dates fd ON fd.flight_number = rf.flight_number AND fd.date = rf.date "
        "WHERE r.status IS NULL AND fd.status = 'available' ORDER BY r.reservation_id, rf.position"
    )
    ref, intro, _, _ = _find_booking(s, leg)
    found = s.call(
        "search_direct_flight", origin=leg["leg_origin"], destination=leg["leg_destination"], date=leg["leg_date"]
    )
    flight = next((f for f in found if f["flight_number"] == leg["flight_number"]), None)
    if flight is None:
        s.reject("the flight is not listed")
    s.fact(flight["scheduled_departure_time_est"])
    origin, destination = _place(s, leg["leg_origin"]), _place(s, leg["leg_destination"])
    when = speech.date(leg["leg_date"])
    s.context(leg["flight_number"], when, origin, destination)
    ask_arrival = s.rng.random() < 0.5 and "+" not in flight["scheduled_arrival_time_est"]
    if ask_arrival:
        s.fact(flight["scheduled_arrival_time_est"])
    question = speech.choose(
        s.rng,
        f"What time does my flight from {origin} to {destination} leave on {when}?",
        f"When does the {origin} to {destination} flight on {when} depart?",
        f"I forgot what time my {when} flight from {origin} to {destination} takes off. Can you tell me?",
    )
    tail = speech.choose(s.rng, "And when does it land?", "What time does it get in?") if ask_arrival else ""
    return speech.sentence(speech.opening(s.rng), intro, f"It's on {ref}." if intro == "" else "", question, tail)


@story("airline")
def booking_questions(s: StoryContext) -> str:
    """A traveller asks a couple of things about a booking: bags, insurance, cabin, what they paid."""
    booking = s.pick(f"SELECT * FROM reservations r WHERE {NOT_FLOWN} ORDER BY r.reservation_id")
    ref, intro, details, _ = _find_booking(s, booking)
    questions: list[tuple[str, str, bool]] = []  # (question, fact, derived)
    if details["total_baggages"] > 0:
        questions.append(
            (
                speech.choose(s.rng, "How many checked bags do I have on it?", "How many bags are checked on it?"),
                str(details["total_baggages"]),
                False,
            )
        )
    questions.append(
        (
            speech.choose(s.rng, "Did I buy travel insurance for it?", "Is it covered by travel insurance?"),
            details["insurance"],
            False,
        )
    )
    questions.append(
        (
            speech.choose(s.rng, "Which cabin am I booked in?", "What class of seat did I book?"),
            details["cabin"],
            False,
        )
    )
    paid = sum(p["amount"] for p in details["payment_history"])
    if paid > 0 and all(p["amount"] > 0 for p in details["payment_history"]):
        questions.append(
            (
                speech.choose(s.rng, "What did I pay for it in total?", "How much did it cost me altogether?"),
                str(paid),
                True,
            )
        )
    if details["flight_type"] == "round_trip" and "coming back" not in ref:
        back = next(f for f in details["flights"] if f["origin"] == details["destination"])
        questions.append(
            (speech.choose(s.rng, "When is my return flight?", "What day do I fly back?"), back["date"], False)
        )
    count = len(details["passengers"])
    if count > 1 and str(count) != str(details["total_baggages"]):
        questions.append(
            (
                speech.choose(s.rng, "How many passengers are on it?", "How many people did I book for?"),
                str(count),
                True,
            )
        )
    chosen = s.rng.sample(questions, 2)
    for _, fact, derived in chosen:
        s.fact(fact, derived=derived)
    s.context(speech.date(details["flights"][0]["date"]), booking["reservation_id"])
    lead = speech.choose(s.rng, f"I have a couple of questions about {ref}.", f"Quick questions about {ref}.")
    return speech.sentence(speech.opening(s.rng), intro, lead, chosen[0][0], chosen[1][0])


@story("airline")
def profile_balances(s: StoryContext) -> str:
    """A member asks what is left on their gift cards and certificates, and their membership level."""
    user = s.pick(
        "SELECT u.* FROM users u WHERE (SELECT COUNT(*) FROM payment_methods p WHERE p.user_id = u.user_id "
        "AND p.source IN ('gift_card', 'certificate')) BETWEEN 1 AND 3 AND NOT EXISTS (SELECT 1 FROM "
        "payment_methods p WHERE p.user_id = u.user_id AND p.source = 'gift_card' AND p.balance_cents = 0) "
        "ORDER BY u.user_id"
    )
    uid = s.person("airline", s.say(user["user_id"]))
    profile = s.call("get_user_details", user_id=uid)
    wallet = list(profile["payment_methods"].values())
    gift = [m for m in wallet if m["source"] == "gift_card"]
    certificates = [m for m in wallet if m["source"] == "certificate"]
    asks: list[str] = []
    if gift:
        for method in gift:
            s.fact(method["amount"])
        asks.append(
            speech.choose(s.rng, "How much is left on my gift card?", "What's the balance on my gift card?")
            if len(gift) == 1
            else "How much is left on each of my gift cards?"
        )
    if certificates and (not gift or s.rng.random() < 0.6):
        for method in certificates:
            s.fact(method["amount"])
        asks.append(
            speech.choose(
                s.rng, "What are my travel certificates worth?", "How much do my travel certificates come to?"
            )
            if len(certificates) > 1
            else speech.choose(s.rng, "How much is my travel certificate worth?", "What's my certificate worth?")
        )
    if len(asks) < 2 or s.rng.random() < 0.4:
        s.fact(profile["membership"])
        asks.append(speech.choose(s.rng, "And what's my membership level?", "Which membership tier am I on?"))
    lead = speech.choose(s.rng, "I'm planning my next trip.", "I'm about to book a flight.", "")
    return speech.sentence(speech.opening(s.rng), _user_id_sentence(s, uid), lead, *asks)


@story("airline", implicit=True, weight=1.2)
def packing_bags(s: StoryContext) -> str:
    """A traveller packing more bags than the booking has asks what they would cost (free allowance)."""
    booking = s.pick(f"SELECT * FROM reservations r WHERE {ON_SALE} ORDER BY r.reservation_id")
    ref, intro, details, user = _find_booking(s, booking, profile=True)
    assert user is not None
    count = len(details["passengers"])
    allowance = _free_bags(s, user["membership"], details["cabin"]) * count
    wanted = max(details["total_baggages"], allowance) + s.rng.randint(1, 2)
    if wanted > 10 * count or wanted > 8:
        s.reject("too many bags")
    extra = max(details["nonfree_baggages"], wanted - allowance, 0) - details["nonfree_baggages"]
    if extra <= 0:
        s.reject("no charge")
    if allowance:
        s.fact(allowance, derived=True)
    # $50 for each bag beyond the allowance (and beyond those already paid for).
    s.fact(s.call("calculate", expression=s.imply(f"50 * {extra}")))
    s.context(speech.date(details["flights"][0]["date"]), user["membership"], details["cabin"])
    we = "I" if count == 1 else "we"
    bags = speech.count(wanted, "suitcase")
    need = speech.choose(
        s.rng,
        f"I'm packing for {ref}. {we.capitalize()}'ll be bringing {bags} to check in.",
        f"For {ref}, {'I am' if count == 1 else 'we are'} going to check {bags} in total.",
    )
    ask = speech.choose(
        s.rng,
        f"How many of them are free, and what will {we} have to pay for the rest?",
        f"Will {we} have to pay for any of them? How many are included, and what would the others cost?",
    )
    if not allowance:
        ask = speech.choose(s.rng, f"What will {we} have to pay for them?", "How much will the bags cost?")
    return speech.sentence(speech.opening(s.rng), intro, need, ask)


@story("airline")
def trip_quote(s: StoryContext) -> str:
    """A traveller asks what a trip would cost: a nonstop (maybe round trip) or the cheapest connection."""
    cabin = s.rng.choice(("basic_economy", "economy", "economy", "business"))
    count = s.rng.choice((1, 2, 2, 3, 4))
    if s.rng.random() < 0.6:
        out = s.pick(
            f"SELECT fd.*, f.origin, f.destination FROM flight_dates fd JOIN flights f "
            f"ON f.flight_number = fd.flight_number WHERE fd.status = 'available' AND fd.seats_{cabin} >= ? "
            "ORDER BY fd.flight_number, fd.date",
            (count,),
        )
        back = None
        if s.rng.random() < 0.55:
            backs = s.rows(
                f"SELECT fd.*, f.origin, f.destination FROM flight_dates fd JOIN flights f "
                f"ON f.flight_number = fd.flight_number WHERE fd.status = 'available' AND fd.seats_{cabin} >= ? "
                "AND f.origin = ? AND f.destination = ? AND fd.date > ? ORDER BY fd.date LIMIT 6",
                (count, out["destination"], out["origin"], out["date"]),
            )
            back = s.rng.choice(backs) if backs else None
        origin, destination = _place(s, out["origin"]), _place(s, out["destination"])
        # The person names cities: the airport list gives their codes.
        s.call("list_all_airports")
        when = s.say(out["date"], speech.date(out["date"]))
        s.call("search_direct_flight", origin=out["origin"], destination=out["destination"], date=when)
        fares = [out[f"price_{cabin}"]]
        trip = f"the nonstop from {origin} to {destination} on {speech.date(out['date'])}"
        if back is not None:
            s.say(back["date"], speech.date(back["date"]))
            s.call("search_direct_flight", origin=out["destination"], destination=out["origin"], date=back["date"])
            fares.append(back[f"price_{cabin}"])
            trip += f", coming back on {speech.date(back['date'])}"
        insured = s.rng.random() < 0.4
        expression = f"{count} * ({' + '.join(str(f) for f in fares)})" + (f" + {count} * 30" if insured else "")
        total = s.call("calculate", expression=s.imply(expression))
        s.fact(total)
        s.context(speech.date(out["date"]), origin, destination)
        people = _people(count)
        extras = " with travel insurance" if insured else ""
        ask = speech.choose(
            s.rng,
            f"How much would it cost for {people} to fly {speech.words(cabin)} on {trip}{extras}?",
            f"What would {trip} come to in {speech.words(cabin)} for {people}{extras}?",
            f"I'm thinking about {trip}. What's the total in {speech.words(cabin)} for {people}{extras}?",
        )
        return speech.sentence(speech.opening(s.rng), ask)
    # A route without a nonstop: the cheapest one-stop connection.
    date = s.pick(
        "SELECT DISTINCT date FROM flight_dates WHERE status = 'available' AND date > ? ORDER BY date", (TOMORROW,)
    )["date"]
    s.say(date, speech.date(date))
    origin_code, destination_code, legs, fare = _cheapest_connection(s, date, cabin, count)
    pair = {"origin": origin_code, "destination": destination_code}
    s.call("list_all_airports")
    s.call("search_direct_flight", origin=pair["origin"], destination=pair["destination"], date=date)
    s.call("search_onestop_flight", origin=pair["origin"], destination=pair["destination"], date=date)
    s.fact(fare * count, derived=True)
    s.fact(legs[0]["scheduled_departure_time_est"])
    origin, destination = _place(s, origin_code), _place(s, destination_code)
    s.context(speech.date(date), origin, destination)
    per = "per person" if count == 1 else f"for {_people(count)}"
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I need to get from {origin} to {destination} on {speech.date(date)} and I don't mind a connection.",
            f"Is there a way to fly {origin} to {destination} on {speech.date(date)}? One stop is fine.",
        ),
        f"What's the cheapest option in {speech.words(cabin)} {per}, and what time would I leave?",
    )


# --------------------------------------------------------------------------------------------------
# Changes
# --------------------------------------------------------------------------------------------------


RECENT = "2024-05-14T15:00:00"  # bookings made since then are within the 24-hour free cancellation


def _cancel_for_refund(s: StoryContext, booking: dict[str, Any], details: dict[str, Any], reason: str) -> str:
    """Cancel the booking; half the time the person also asks what comes back (the payments, summed)."""
    s.call("cancel_reservation", reservation_id=booking["reservation_id"], reason=s.imply(reason))
    if s.rng.random() < 0.5:
        s.fact(sum(p["amount"] for p in details["payment_history"] if p["amount"] > 0), derived=True)
        return speech.choose(
            s.rng,
            "Please cancel it. How much will I get back?",
            "I'd like to cancel it and get a refund. How much will be refunded?",
        )
    return speech.choose(s.rng, "Can I get my money back?", "Please cancel it.", "I'd like a refund, please.")


@story("airline", implicit=True, weight=1.2)
def plans_changed(s: StoryContext) -> str:
    """Plans changed: a booking made in the last 24 hours, or in business, can be cancelled for a refund."""
    booking = s.pick(
        f"SELECT * FROM reservations r WHERE {NOT_FLOWN} AND (r.created_at >= ? OR r.cabin = 'business') "
        "ORDER BY r.reservation_id",
        (RECENT,),
    )
    ref, intro, details, _ = _find_booking(s, booking)
    if booking["created_at"] >= RECENT:
        day = "earlier today" if booking["created_at"] >= TODAY else "yesterday"
        need = speech.choose(
            s.rng,
            f"I {'booked' if intro else 'made'} {ref} {day} but my plans have changed and I can't go.",
            f"I only made {ref} {day} and it turns out I can't travel after all.",
        )
    else:
        need = speech.choose(
            s.rng,
            f"My plans have changed and I won't be taking {ref}.",
            f"The meeting I was flying for got called off, so I can't use {ref}.",
        )
    return speech.sentence(
        speech.opening(s.rng), intro, need, _cancel_for_refund(s, booking, details, "change_of_plan")
    )


@story("airline", implicit=True, weight=1.2)
def too_ill_or_storm(s: StoryContext) -> str:
    """Illness or a storm keeps an insured traveller home: the insurance lets the booking be refunded."""
    booking = s.pick(
        f"SELECT * FROM reservations r WHERE {NOT_FLOWN} AND r.insurance = 'yes' AND r.created_at < ? "
        "AND r.cabin != 'business' ORDER BY r.reservation_id",
        (RECENT,),
    )
    ref, intro, details, _ = _find_booking(s, booking)
    if s.rng.random() < 0.6:
        reason = "health"
        need = speech.choose(
            s.rng,
            f"I've come down with pneumonia and my doctor says I can't fly, so I can't make {ref}.",
            f"I broke my leg last week and can't travel, so {ref} is off.",
        )
    else:
        reason = "weather"
        need = speech.choose(
            s.rng,
            f"There's a hurricane heading for where I'm going, so I can't make {ref}.",
            f"A big storm is forecast for the whole week of {ref}, so I'm not going.",
        )
    return speech.sentence(speech.opening(s.rng), intro, need, _cancel_for_refund(s, booking, details, reason))


@story("airline", implicit=True, weight=1.2)
def airline_cancelled_my_flight(s: StoryContext) -> str:
    """The airline cancelled a flight of the booking: the traveller wants their money back, and
    sometimes a person to claim the costs it caused."""
    booking = s.pick(
        f"SELECT DISTINCT r.* FROM reservations r JOIN reservation_flights x ON x.reservation_id = r.reservation_id "
        f"JOIN flight_dates d ON d.flight_number = x.flight_number AND d.date = x.date "
        f"WHERE {NOT_FLOWN} AND d.status = 'cancelled' ORDER BY r.reservation_id"
    )
    leg = next(leg for leg in _segments(s, booking["reservation_id"]) if leg["status"] == "cancelled")
    ref, intro, _, _ = _find_booking(s, booking)
    s.call("get_flight_status", flight_number=leg["flight_number"], date=leg["date"])
    s.call("cancel_reservation", reservation_id=booking["reservation_id"], reason=s.imply("airline_cancelled"))
    origin, destination = _place(s, leg["origin"]), _place(s, leg["destination"])
    when = speech.date(leg["date"])
    news = speech.choose(
        s.rng,
        f"I just got a message that my {origin} to {destination} flight on {when} was cancelled.",
        f"You cancelled my flight from {origin} to {destination} on {when}.",
    )
    news += " " + _part_of(s, booking, ref, intro)
    want = speech.choose(
        s.rng,
        "I don't want to rebook, I'd rather just have my money back.",
        "I'll make other plans, so please just refund the whole booking.",
    )
    claim = ""
    if s.rng.random() < 0.5:
        s.call("transfer_to_human_agents", summary=s.imply("hotel costs after a cancelled flight"))
        claim = speech.choose(
            s.rng,
            "I also had to pay for a hotel because of this and want to claim it back, so after the refund "
            "please put me through to someone who can handle that.",
            "Then I'd like to speak to a person about compensation for the hotel I had to book.",
        )
    return speech.sentence(speech.opening(s.rng), intro, news, want, claim)


@story("airline")
def move_to_another_date(s: StoryContext) -> str:
    """A traveller moves one nonstop flight of a booking to another day, paying or receiving the difference."""
    booking = s.pick(
        f"SELECT * FROM reservations r WHERE {ON_SALE} AND {HAS_CARD} AND r.cabin != 'basic_economy' AND "
        "(SELECT COUNT(*) FROM reservation_flights WHERE reservation_id = r.reservation_id) = "
        "(CASE r.flight_type WHEN 'round_trip' THEN 2 ELSE 1 END) ORDER BY r.reservation_id"
    )
    legs = _segments(s, booking["reservation_id"])
    count = len(_passengers(s, booking["reservation_id"]))
    moving = s.rng.randrange(len(legs))
    leg = legs[moving]
    earliest = legs[0]["date"] if moving == 1 else TOMORROW
    latest = legs[1]["date"] if moving == 0 and len(legs) == 2 else "2024-05-31"
    options = s.rows(
        "SELECT * FROM flight_dates WHERE flight_number = ? AND status = 'available' "
        f"AND seats_{booking['cabin']} >= ? AND date > ? AND date < ? AND date != ? ORDER BY date",
        (leg["flight_number"], count, earliest, latest, leg["date"]),
    )
    if not options:
        s.reject("no other day")
    new = s.rng.choice(options)
    difference = (new[f"price_{booking['cabin']}"] - leg["price"]) * count
    ref, intro, details, _ = _find_booking(s, booking, profile=True)
    method, card = _pay_with(s, booking["user_id"], difference)
    when = s.detail(
        name="new date",
        value=new["date"],
        say=speech.date(new["date"]),
        vague="another day",
        synonyms=["date", "which day", "when"],
    )
    s.call("search_direct_flight", origin=leg["origin"], destination=leg["destination"], date=new["date"])
    flights = [
        {"flight_number": f["flight_number"], "date": new["date"] if i == moving else f["date"]}
        for i, f in enumerate(details["flights"])
    ]
    s.call(
        "update_reservation_flights",
        reservation_id=booking["reservation_id"],
        cabin=details["cabin"],
        flights=flights,
        payment_id=method["payment_id"],
    )
    origin, destination = _place(s, leg["origin"]), _place(s, leg["destination"])
    which = "return flight" if moving == 1 else "flight"
    ask = speech.choose(
        s.rng,
        f"Can you move my {which} from {origin} to {destination} from {speech.date(leg['date'])} to {when}? "
        "Same flight, just a different day.",
        f"I need to fly {origin} to {destination} on {when} instead of {speech.date(leg['date'])}. "
        "Please change it to the same flight that day.",
    )
    pay = speech.choose(s.rng, f"Put any difference on {card}.", f"Use {card} for any fare difference.")
    tail = ""
    if difference > 0:
        s.fact(difference, derived=True)
        tail = speech.choose(s.rng, "How much extra will that be?", "What will the change cost me?")
    elif difference < 0:
        s.fact(-difference, derived=True)
        tail = "Will I get anything back, and how much?"
    s.context(speech.date(new["date"]), origin, destination)
    return speech.sentence(speech.opening(s.rng), intro, f"This is about {ref}." if not intro else "", ask, pay, tail)


@story("airline")
def add_checked_bags(s: StoryContext) -> str:
    """A traveller adds checked bags to a booking, paying for those beyond the free allowance."""
    booking = s.pick(f"SELECT * FROM reservations r WHERE {NOT_FLOWN} AND {HAS_CARD} ORDER BY r.reservation_id")
    count = len(_passengers(s, booking["reservation_id"]))
    added = s.rng.choice((1, 1, 2, 3))
    total = booking["total_baggages"] + added
    if total > 10 * count:
        s.reject("too many bags")
    membership = s.rows("SELECT membership FROM users WHERE user_id = ?", (booking["user_id"],))[0]["membership"]
    allowance = _free_bags(s, membership, booking["cabin"]) * count
    nonfree = max(booking["nonfree_baggages"], total - allowance, 0)
    fee = 50 * (nonfree - booking["nonfree_baggages"])
    ref, intro, _, _ = _find_booking(s, booking, profile=True)
    method, card = _pay_with(s, booking["user_id"], fee)
    more = s.detail(
        name="bags to add",
        value=added,
        say=speech.count(added, "more bag"),
        phrase=speech.count(added, "more checked bag"),
        vague="some more checked bags",
        synonyms=["how many bags", "number of bags", "bags"],
    )
    s.call(
        "update_reservation_baggages",
        reservation_id=booking["reservation_id"],
        total_baggages=s.imply(total),
        nonfree_baggages=s.imply(nonfree),
        payment_id=method["payment_id"],
    )
    need = speech.choose(
        s.rng,
        f"I'd like to add {more} to {ref}.",
        f"We've ended up with more luggage than planned. Please add {more} to {ref}.",
        f"Can you put {more} on {ref}?",
    )
    pay = speech.choose(s.rng, f"If there's a charge, use {card}.", f"Charge anything extra to {card}.")
    tail = ""
    if fee > 0 and s.rng.random() < 0.7:
        s.fact(fee, derived=True)
        tail = speech.choose(s.rng, "How much will that cost?", "What's the charge for that?")
    return speech.sentence(speech.opening(s.rng), intro, need, pay, tail)


@story("airline")
def upgrade_cabin(s: StoryContext) -> str:
    """A traveller upgrades a booking's cabin and sometimes, now that more bags are free, adds bags."""
    booking = s.pick(
        f"SELECT * FROM reservations r WHERE {ON_SALE} AND {HAS_CARD} AND r.cabin != 'business' "
        "ORDER BY r.reservation_id"
    )
    target = "business" if booking["cabin"] == "economy" or s.rng.random() < 0.6 else "economy"
    legs = _segments(s, booking["reservation_id"])
    count = len(_passengers(s, booking["reservation_id"]))
    fares = []
    for leg in legs:
        rows = s.rows(
            f"SELECT price_{target} AS price FROM flight_dates WHERE flight_number = ? AND date = ? "
            f"AND seats_{target} >= ?",
            (leg["flight_number"], leg["date"], count),
        )
        if not rows:
            s.reject("no seats in the new cabin")
        fares.append(rows[0]["price"])
    difference = (sum(fares) - sum(leg["price"] for leg in legs)) * count
    ref, intro, details, user = _find_booking(s, booking, profile=True)
    assert user is not None
    method, card = _pay_with(s, booking["user_id"], max(difference, 0) + 150)
    cabin = s.detail(
        name="new cabin",
        value=target,
        say=speech.words(target),
        phrase=f"{speech.words(target)} class" if target == "business" else "regular economy",
        vague="a better cabin",
        synonyms=["cabin", "class", "which class"],
    )
    flights = [{"flight_number": f["flight_number"], "date": f["date"]} for f in details["flights"]]
    s.call(
        "update_reservation_flights",
        reservation_id=booking["reservation_id"],
        cabin=target,
        flights=flights,
        payment_id=method["payment_id"],
    )
    ask = speech.choose(
        s.rng,
        f"I'd like to upgrade to {cabin} on {ref}.",
        f"Could you move me up to {cabin} on {ref}?",
        f"I want to treat myself: please switch {ref} to {cabin}.",
    )
    pay = speech.choose(s.rng, f"Put the difference on {card}.", f"Use {card} to pay for it.")
    tail = ""
    if s.rng.random() < 0.35:
        total = details["total_baggages"] + count
        allowance = _free_bags(s, user["membership"], target) * count
        nonfree = max(details["nonfree_baggages"], total - allowance, 0)
        if total <= 10 * count:
            s.call(
                "update_reservation_baggages",
                reservation_id=booking["reservation_id"],
                total_baggages=s.imply(total),
                nonfree_baggages=s.imply(nonfree),
                payment_id=method["payment_id"],
            )
            each = "a checked bag" if count == 1 else "one checked bag for each passenger"
            tail = speech.choose(
                s.rng,
                f"Once that's done, add {each} too, same card.",
                f"Since the new cabin includes more luggage, please also add {each}.",
            )
    if difference > 0 and s.rng.random() < 0.6:
        s.fact(difference, derived=True)
        tail += " " + speech.choose(s.rng, "How much is the upgrade?", "What does the upgrade cost?")
    return speech.sentence(speech.opening(s.rng), intro, ask, pay, tail)


@story("airline", implicit=True, weight=1.2)
def passenger_details_wrong(s: StoryContext) -> str:
    """A passenger's date of birth or name on a booking doesn't match their ID; the booking is fixed."""
    booking = s.pick(f"SELECT * FROM reservations r WHERE {NOT_FLOWN} ORDER BY r.reservation_id")
    people = _passengers(s, booking["reservation_id"])
    index = s.rng.randrange(len(people))
    person = people[index]
    fixed = dict(person)
    name = f"{person['first_name']} {person['last_name']}"
    ref, intro, details, _ = _find_booking(s, booking)
    if s.rng.random() < 0.6:
        year, month, day = (int(part) for part in person["dob"].split("-"))
        # The usual slip: a digit of the day typed wrong, so the real day differs from the booked one.
        real_day = s.rng.choice([d for d in range(1, 29) if d != day])
        fixed["dob"] = f"{year:04d}-{month:02d}-{real_day:02d}"
        born = s.detail(
            name=f"{person['first_name']}'s date of birth",
            value=fixed["dob"],
            say=speech.date(fixed["dob"], year=True),
            vague="a different day",
            synonyms=["date of birth", "birthday", "born"],
        )
        problem = speech.choose(
            s.rng,
            f"The date of birth for {name} on {ref} is wrong. {person['first_name']} was born on {born}.",
            f"I just noticed {name}'s birthday is wrong on {ref}. It should be {born}.",
        )
    else:
        surname = s.rng.choice([n for n in SURNAMES if n != person["last_name"]])
        fixed["last_name"] = surname
        new = s.detail(
            name=f"{person['first_name']}'s new last name",
            value=surname,
            say=surname,
            vague="the new name",
            synonyms=["last name", "surname", "new name"],
        )
        problem = speech.choose(
            s.rng,
            f"{name} on {ref} got married, and the passport now says {person['first_name']} {new}.",
            f"The name on {ref} won't match the passport: {name} is now {person['first_name']} {new}.",
        )
    passengers = [fixed if i == index else p for i, p in enumerate(details["passengers"])]
    s.call("update_reservation_passengers", reservation_id=booking["reservation_id"], passengers=passengers)
    worry = speech.choose(
        s.rng,
        "I don't want any trouble at the airport.",
        "Can you fix that before the trip?",
        "Please make sure it matches.",
    )
    return speech.sentence(speech.opening(s.rng), intro, problem, worry)


@story("airline", weight=1.3)
def book_new_trip(s: StoryContext) -> str:
    """A member books a trip, stating who flies, the flights, cabin, bags, insurance and how to pay."""
    user = s.pick(
        "SELECT u.* FROM users u WHERE EXISTS (SELECT 1 FROM payment_methods p WHERE p.user_id = u.user_id "
        "AND p.source = 'credit_card') ORDER BY u.user_id"
    )
    uid = s.person("airline", s.say(user["user_id"]))
    saved = s.rows(
        "SELECT first_name, last_name, dob FROM saved_passengers WHERE user_id = ? ORDER BY position", (uid,)
    )
    companions = s.rng.sample(saved, s.rng.randint(0, min(2, len(saved))))
    travellers = ([user] if s.rng.random() < 0.8 or not companions else []) + companions
    count = len(travellers)
    cabin = s.rng.choice(("basic_economy", "economy", "economy", "business"))
    nonstop = s.rng.random() < 0.65
    date = s.pick(
        "SELECT DISTINCT date FROM flight_dates WHERE status = 'available' AND date > ? ORDER BY date", (TOMORROW,)
    )["date"]
    if nonstop:
        out = s.pick(
            f"SELECT fd.*, f.origin, f.destination FROM flight_dates fd JOIN flights f ON f.flight_number = "
            f"fd.flight_number WHERE fd.date = ? AND fd.status = 'available' AND fd.seats_{cabin} >= ? "
            "ORDER BY fd.flight_number",
            (date, count),
        )
        legs = [out]
        origin_code, destination_code = out["origin"], out["destination"]
    else:
        origin_code, destination_code, found, _ = _cheapest_connection(s, date, cabin, count)
        legs = [{**leg, "price_" + cabin: leg["prices"][cabin]} for leg in found]
    back = None
    if nonstop and s.rng.random() < 0.4:
        backs = s.rows(
            f"SELECT fd.*, f.origin, f.destination FROM flight_dates fd JOIN flights f ON f.flight_number = "
            f"fd.flight_number WHERE f.origin = ? AND f.destination = ? AND fd.date > ? AND fd.status = 'available' "
            f"AND fd.seats_{cabin} >= ? ORDER BY fd.date LIMIT 5",
            (destination_code, origin_code, date, count),
        )
        back = s.rng.choice(backs) if backs else None
    membership = user["membership"]
    allowance = _free_bags(s, membership, cabin) * count
    bags = s.rng.randint(0, min(allowance + 2, 2 * count + 1))
    nonfree = max(0, bags - allowance)
    insured = s.rng.random() < 0.4
    fares = [leg[f"price_{cabin}"] for leg in legs] + ([back[f"price_{cabin}"]] if back else [])
    total = sum(fares) * count + (30 * count if insured else 0) + 50 * nonfree

    # How the person pays: one card, a gift card that covers it all, or a certificate topped up by a card.
    wallet = _wallet(s, uid)
    certificates = [m for m in wallet if m["source"] == "certificate" and (m["balance_cents"] or 0) < total * 100]
    cards = [m for m in wallet if m["source"] == "credit_card"]
    # The profile holds the payment ids and the passengers' dates of birth.
    s.call("get_user_details", user_id=uid)
    if certificates and cards and s.rng.random() < 0.4:
        certificate, card = s.rng.choice(certificates), s.rng.choice(cards)
        value = (certificate["balance_cents"] or 0) // 100
        card_phrase = _card_phrase(card, wallet)
        s.detail(name="card", value=card["last_four"], say=card_phrase, vague="my card", synonyms=["card"])
        payments = [
            {"payment_id": certificate["payment_id"], "amount": value},
            {"payment_id": card["payment_id"], "amount": s.imply(total - value)},
        ]
        paying = f"Use my {speech.money(value)} travel certificate and put the rest on {card_phrase}."
    else:
        method, phrase = _pay_with(s, uid, total)
        payments = [{"payment_id": method["payment_id"], "amount": s.imply(total)}]
        paying = speech.choose(s.rng, f"I'll pay with {phrase}.", f"Charge it to {phrase}.")

    origin, destination = _place(s, origin_code), _place(s, destination_code)
    s.imply(origin_code)
    s.imply(destination_code)
    when = s.detail(
        name="travel date", value=date, say=speech.date(date), vague="next week", synonyms=["date", "when", "day"]
    )
    if s.rng.random() < 0.4:
        s.call("list_all_airports")
    s.call("search_direct_flight", origin=origin_code, destination=destination_code, date=date)
    if not nonstop:
        s.call("search_onestop_flight", origin=origin_code, destination=destination_code, date=date)
    if back is not None:
        s.say(back["date"], speech.date(back["date"]))
        s.call("search_direct_flight", origin=destination_code, destination=origin_code, date=back["date"])
    flights = [{"flight_number": leg["flight_number"], "date": leg["date"]} for leg in legs]
    if back is not None:
        flights.append({"flight_number": back["flight_number"], "date": back["date"]})
    passengers = [{"first_name": p["first_name"], "last_name": p["last_name"], "dob": p["dob"]} for p in travellers]
    cabin_words = speech.words(cabin)
    s.say(cabin, cabin_words)
    bag_phrase = s.detail(
        name="checked bags",
        value=bags,
        say=speech.count(bags, "checked bag"),
        vague="our luggage",
        synonyms=["bags", "luggage", "how many bags"],
    )
    s.call(
        "book_reservation",
        user_id=uid,
        origin=origin_code,
        destination=destination_code,
        flight_type=s.imply("round_trip" if back is not None else "one_way"),
        cabin=cabin,
        flights=flights,
        passengers=passengers,
        payment_methods=payments,
        total_baggages=bags,
        nonfree_baggages=s.imply(nonfree),
        insurance=s.imply("yes" if insured else "no"),
    )
    names = [f"{p['first_name']} {p['last_name']}" for p in companions]
    if travellers and travellers[0] is user:
        who = "me" if not names else "me and " + speech.listing(names)
    else:
        who = speech.listing(names)
    who_for = "myself" if who == "me" else who
    saved_note = " (they're saved in my profile)" if companions else ""
    if nonstop:
        flight = f"the nonstop from {origin} to {destination} on {when}"
    else:
        flight = f"the cheapest one-stop connection from {origin} to {destination} on {when}"
    if back is not None:
        flight += f", coming back on the nonstop on {speech.date(back['date'])}"
    book = speech.choose(
        s.rng,
        f"Please book {who}{saved_note} on {flight}, in {cabin_words}.",
        f"I'd like to book {flight} in {cabin_words} for {who_for}{saved_note}.",
    )
    insurance = speech.choose(
        s.rng,
        "Add travel insurance." if insured else "No travel insurance, thanks.",
        ("I'd" if count == 1 else "We'd") + " like the travel insurance." if insured else "No insurance, please.",
    )
    s.fact(total, derived=True)
    ask = speech.choose(s.rng, "What will the total be?", "How much does it all come to?")
    return speech.sentence(
        speech.opening(s.rng),
        _user_id_sentence(s, uid),
        book,
        (f"I'll have {bag_phrase}." if count == 1 else f"We'll have {bag_phrase}.")
        if bags
        else f"There will be {bag_phrase}.",
        insurance,
        paying,
        ask,
    )


@story("airline")
def promised_certificate(s: StoryContext) -> str:
    """After a cancelled (or, today, delayed) flight, a member asks for the certificate they were promised."""
    leg = s.pick(
        "SELECT r.*, rf.flight_number, rf.date AS leg_date, fd.status AS leg_status, f.origin AS leg_origin, "
        "f.destination AS leg_destination FROM reservations r JOIN users u ON u.user_id = r.user_id "
        "JOIN reservation_flights rf ON rf.reservation_id = r.reservation_id "
        "JOIN flights f ON f.flight_number = rf.flight_number "
        "JOIN flight_dates fd ON fd.flight_number = rf.flight_number AND fd.date = rf.date "
        "WHERE (fd.status = 'cancelled' OR fd.status = 'delayed') AND (u.membership != 'regular' "
        "OR r.insurance = 'yes' OR r.cabin = 'business') ORDER BY r.reservation_id, rf.position"
    )
    count = len(_passengers(s, leg["reservation_id"]))
    each = 100 if leg["leg_status"] == "cancelled" else 50
    ref, intro, details, _ = _find_booking(s, leg)
    s.call("get_flight_status", flight_number=leg["flight_number"], date=leg["leg_date"])
    origin, destination = _place(s, leg["leg_origin"]), _place(s, leg["leg_destination"])
    when = "today" if leg["leg_date"] == TODAY else f"on {speech.date(leg['leg_date'])}"
    what = "was cancelled" if leg["leg_status"] == "cancelled" else "is badly delayed"
    amount = each * count
    s.call("send_certificate", user_id=details["user_id"], amount=s.imply(amount))
    promised = speech.money(each)
    if count == 1:
        told = f"The agent I spoke to promised me a {promised} travel certificate for the trouble."
    else:
        told = speech.choose(
            s.rng,
            f"The agent I spoke to said we'd each get a {promised} travel certificate for the trouble.",
            f"I was told there'd be a {promised} certificate for every passenger as compensation.",
        )
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"My flight from {origin} to {destination} {when} {what}.",
        _part_of(s, leg, ref, intro),
        told,
        speech.choose(s.rng, "I don't see it on my account yet.", "Can you add it, please?"),
    )


@story("airline")
def trip_moved_elsewhere(s: StoryContext) -> str:
    """A trip must go somewhere else. A destination cannot change, so the refundable booking is cancelled
    and the same travellers are booked on the nonstop to the new city that day, as the person asks."""
    booking = s.pick(
        f"SELECT r.*, rf.flight_number, rf.date AS leg_date FROM reservations r JOIN reservation_flights rf "
        f"ON rf.reservation_id = r.reservation_id WHERE {ON_SALE} AND {HAS_CARD} AND r.flight_type = 'one_way' "
        "AND (r.created_at >= ? OR r.cabin = 'business') "
        "AND (SELECT COUNT(*) FROM reservation_flights WHERE reservation_id = r.reservation_id) = 1 "
        "ORDER BY r.reservation_id",
        (RECENT,),
    )
    people = _passengers(s, booking["reservation_id"])
    cabin, count = booking["cabin"], len(people)
    other = s.pick(
        f"SELECT fd.*, f.destination FROM flights f JOIN flight_dates fd ON fd.flight_number = f.flight_number "
        f"WHERE f.origin = ? AND f.destination NOT IN (?, 'JFK', 'LGA') AND fd.date = ? AND fd.status = 'available' "
        f"AND fd.seats_{cabin} >= ? ORDER BY f.flight_number",
        (booking["origin"], booking["destination"], booking["leg_date"], count),
    )
    membership = s.rows("SELECT membership FROM users WHERE user_id = ?", (booking["user_id"],))[0]["membership"]
    allowance = _free_bags(s, membership, cabin) * count
    bags = booking["total_baggages"]
    nonfree = max(0, bags - allowance)
    total = other[f"price_{cabin}"] * count + (30 * count if booking["insurance"] == "yes" else 0) + 50 * nonfree
    ref, intro, details, user = _find_booking(s, booking, profile=True)
    assert user is not None
    method, card = _pay_with(s, booking["user_id"], total, credit_only=True)
    s.call("cancel_reservation", reservation_id=booking["reservation_id"], reason=s.imply("change_of_plan"))
    city = _place(s, other["destination"])
    s.imply(other["destination"])
    new_city = s.detail(
        name="new destination", value=city, say=city, vague="somewhere else", synonyms=["destination", "where"]
    )
    s.call(
        "search_direct_flight",
        origin=details["origin"],
        destination=other["destination"],
        date=details["flights"][0]["date"],
    )
    s.call(
        "book_reservation",
        user_id=details["user_id"],
        origin=details["origin"],
        destination=other["destination"],
        flight_type=details["flight_type"],
        cabin=cabin,
        flights=[{"flight_number": other["flight_number"], "date": other["date"]}],
        passengers=details["passengers"],
        payment_methods=[{"payment_id": method["payment_id"], "amount": s.imply(total)}],
        total_baggages=bags,
        nonfree_baggages=s.imply(nonfree),
        insurance=details["insurance"],
    )
    s.fact(total, derived=True)
    s.context(speech.date(other["date"]), city)
    moved = speech.choose(
        s.rng,
        f"My conference has moved, so I need {ref} to take me to {new_city} instead.",
        f"The event I'm flying to is now in {new_city}, so {ref} has to change.",
    )
    plan = speech.choose(
        s.rng,
        "If the destination can't be changed, cancel it and book the same people on the nonstop there "
        "that day instead, same cabin, same bags and the same insurance choice.",
        "If you can't just change where it goes, please cancel it and put everyone on that day's nonstop there, "
        "keeping the cabin, the bags and the insurance as they were.",
    )
    pay = speech.choose(s.rng, f"Pay for the new one with {card}.", f"Charge the new booking to {card}.")
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        moved,
        plan,
        pay,
        speech.choose(s.rng, "What will it cost?", "What's the new total?"),
    )
