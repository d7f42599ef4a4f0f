"""Travel-booking stories: the one account holder of the corporate travel service, one storyline each.

What a traveller asks this service (see envfactory_gym.synthesis.stories): book a flight between two cities
on a date in a class with one of their cards and learn its cost; find the cheaper of two days and book it;
price a round trip; cancel a trip that is off (and learn where the refund goes); move a flight to another
day; insure an upcoming trip; get an invoice for an expense report; report a double charge to support;
total what a card paid for this year; convert a fare into another currency; check a card covers a ticket;
ask whether a small town has an airport and what a fare from it costs; add a new card; set the year's
budget; sign in on a new device; have their travel documents checked before an international booking.

The traveller is already signed in and quotes their access token, as BFCL's travellers do (the token is
a value the account holder holds). Cards are named the way people name them ("my Visa ending in 7842");
the wallet listing maps that to the card id a payment needs. Flights are named by cities and dates; the
airport codes come from the service's own lookup.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from .models import TRAVEL_CLASS_FACTORS
from .seed import _fare

ENV = "travel_booking"
CLASS_WEIGHTS = (6, 3, 1)  # economy, business, first: what travellers mostly book
_ROUTES = (
    "SELECT r.travel_from, r.travel_to, r.base_cost, a.location AS from_city, b.location AS to_city "
    "FROM flight_routes r JOIN airports a ON a.airport_code = r.travel_from "
    "JOIN airports b ON b.airport_code = r.travel_to ORDER BY r.travel_from, r.travel_to"
)
_BOOKINGS = (
    "SELECT k.*, a.location AS from_city, b.location AS to_city, c.card_number, "
    "json_extract(c.extra, '$.card_type') AS card_type, c.balance AS card_balance "
    "FROM bookings k JOIN airports a ON a.airport_code = k.travel_from "
    "JOIN airports b ON b.airport_code = k.travel_to JOIN credit_cards c ON c.card_id = k.card_id "
)


# -- the traveller and what they hold ---------------------------------------------------------------------
def _account(s: StoryContext) -> dict[str, Any]:
    account = s.rows("SELECT * FROM travel_account")[0]
    s.person(ENV, f"{account['user_first_name']} {account['user_last_name']}")
    return account


def _token(s: StoryContext, account: dict[str, Any]) -> tuple[str, str]:
    """The current access token and the sentence in which the traveller quotes it."""
    token = str(account["access_token"])
    sentence = speech.choose(
        s.rng,
        f"My access token is {token}.",
        f"I'm already logged in, my token is {token}.",
        f"I'm signed in with access token {token}.",
        f"(My session token is {token}.)",
    )
    s.detail("access token", token, token, phrase=sentence, vague="I'm already logged in.")
    return token, sentence


def _card_name(card: dict[str, Any]) -> str:
    return f"{card['card_type']} ending in {str(card['card_number'])[-4:]}"


def _cards(s: StoryContext, at_least: float = 0.0) -> list[dict[str, Any]]:
    return s.rows(
        "SELECT card_id, card_number, balance, json_extract(extra, '$.card_type') AS card_type FROM credit_cards "
        "WHERE balance IS NOT NULL AND balance >= ? ORDER BY card_id",
        (at_least,),
    )


def _say_card(s: StoryContext, card: dict[str, Any]) -> str:
    """'my Visa ending in 7842', as a detail the traveller holds."""
    name = _card_name(card)
    phrase = f"my {name}"
    s.detail("card", str(card["card_number"])[-4:], name, phrase=phrase, vague="one of my cards", synonyms=["card"])
    return phrase


def _wallet_card_id(s: StoryContext, card_id: str) -> str:
    """The card's id, read from the wallet listing (ids are its keys, which the engine does not index)."""
    wallet = s.call("get_all_credit_cards")["credit_card_list"]
    if card_id not in wallet:
        s.reject("card not in the wallet")
    return s.imply(card_id)


def _history_booking_id(s: StoryContext, token: str, booking_id: str) -> dict[str, Any]:
    """The booking history, and the booking found in it by its route and date (ids are its keys)."""
    history = s.call("get_booking_history", access_token=token)["booking_history"]
    if booking_id not in history:
        s.reject("booking not in the history")
    s.imply(booking_id)
    return history[booking_id]


def _flight(booking: dict[str, Any], today: dt.date) -> str:
    """'my flight from Istanbul to Tel Aviv on June 29' (the year only when it is not this one)."""
    day = speech.as_date(booking["travel_date"])
    when = speech.date(day, year=day.year != today.year)
    return f"my flight from {booking['from_city']} to {booking['to_city']} on {when}"


def _unique_flight(s: StoryContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Bookings a traveller can name unambiguously by cities and date."""
    seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        key = (row["from_city"], row["to_city"], row["travel_date"])
        seen[key] = seen.get(key, 0) + 1
    return [r for r in rows if seen[(r["from_city"], r["to_city"], r["travel_date"])] == 1]


def _today(s: StoryContext) -> dt.date:
    return s.now().date()


def _future_day(s: StoryContext, low: int = 6, high: int = 120) -> dt.date:
    return _today(s) + dt.timedelta(days=s.rng.randint(low, high))


def _travel_class(s: StoryContext) -> str:
    return s.rng.choices(tuple(TRAVEL_CLASS_FACTORS), weights=CLASS_WEIGHTS)[0]


def _class_words(travel_class: str) -> str:
    return {"economy": "economy", "business": "business class", "first": "first class"}[travel_class]


def _lookup_airport(s: StoryContext, city: str) -> str:
    return str(s.call("get_nearest_airport_by_city", location=s.say(city))["nearest_airport"])


def _paying_card(s: StoryContext, cost: float, budget: float | None) -> dict[str, Any]:
    """A card the service lets pay: it covers the fare and is not below the budget limit."""
    return s.rng.choice(_cards(s, max(cost, budget or 0.0)) or s.reject("no card covers the fare"))


# -- booking ------------------------------------------------------------------------------------------------
@story(ENV)
def book_a_flight(s: StoryContext) -> str:
    """A traveller books a flight between two cities on a date, in a class, on a named card, and asks its cost."""
    account = _account(s)
    route = s.pick(_ROUTES)
    day = _future_day(s)
    travel_class = _travel_class(s)
    cost = _fare(route["travel_from"], route["travel_to"], day.isoformat(), travel_class, route["base_cost"])
    card = _paying_card(s, cost, account["budget_limit"])
    token, token_sentence = _token(s, account)
    when = s.detail("travel date", day.isoformat(), speech.date(day), vague="soon")
    cabin = _class_words(travel_class)
    article = "an" if cabin == "economy" else "a"
    s.say(travel_class, cabin)
    card_phrase = _say_card(s, card)
    origin = _lookup_airport(s, route["from_city"])
    destination = _lookup_airport(s, route["to_city"])
    price_first = s.rng.random() < 0.5
    if price_first:
        s.call(
            "get_flight_cost",
            travel_from=origin,
            travel_to=destination,
            travel_date=day.isoformat(),
            travel_class=travel_class,
        )
    card_id = _wallet_card_id(s, card["card_id"])
    booking = s.call(
        "book_flight",
        access_token=token,
        card_id=card_id,
        travel_date=day.isoformat(),
        travel_from=origin,
        travel_to=destination,
        travel_class=travel_class,
    )
    if not price_first:
        s.call("retrieve_invoice", access_token=token, booking_id=booking["booking_id"])
    s.fact(cost)
    s.context(route["from_city"], route["to_city"], when)
    ask = speech.choose(
        s.rng,
        f"Book me a flight from {route['from_city']} to {route['to_city']} on {when} in {cabin}, "
        f"paid with {card_phrase}.",
        f"I need to fly {route['from_city']} to {route['to_city']} on {when}. Please book it in {cabin} "
        f"and charge {card_phrase}.",
        f"Can you get me {article} {cabin} seat from {route['from_city']} to {route['to_city']} on {when}? "
        f"Put it on {card_phrase}.",
    )
    question = speech.choose(s.rng, "How much will it cost?", "What's the fare?", "What does the ticket come to?")
    return speech.sentence(speech.opening(s.rng), ask, question, token_sentence)


@story(ENV, implicit=True, weight=1.5)
def cheaper_of_two_days(s: StoryContext) -> str:
    """Either of two days works: the traveller wants the cheaper one booked (the fare rule decides)."""
    account = _account(s)
    route = s.pick(_ROUTES)
    first = _future_day(s, 6, 100)
    second = first + dt.timedelta(days=1)
    travel_class = _travel_class(s)
    fares = {
        d: _fare(route["travel_from"], route["travel_to"], d.isoformat(), travel_class, route["base_cost"])
        for d in (first, second)
    }
    cheaper = min(fares, key=lambda d: (fares[d], d))
    card = _paying_card(s, max(fares.values()), account["budget_limit"])
    token, token_sentence = _token(s, account)
    day_one, day_two = speech.date(first), speech.date(second)
    s.say(first.isoformat(), day_one)
    s.say(second.isoformat(), day_two)
    cabin = _class_words(travel_class)
    s.say(travel_class, cabin)
    card_phrase = _say_card(s, card)
    origin = _lookup_airport(s, route["from_city"])
    destination = _lookup_airport(s, route["to_city"])
    for d in (first, second):
        s.call(
            "get_flight_cost",
            travel_from=origin,
            travel_to=destination,
            travel_date=d.isoformat(),
            travel_class=travel_class,
        )
    card_id = _wallet_card_id(s, card["card_id"])
    arguments = {
        "access_token": token,
        "card_id": card_id,
        "travel_from": origin,
        "travel_to": destination,
        "travel_class": travel_class,
    }
    s.call("book_flight", **arguments, travel_date=cheaper.isoformat())
    if fares[first] == fares[second]:  # the same fare both days: either booking does what was asked
        other = second if cheaper == first else first
        s.accept_also([("get_all_credit_cards", {}), ("book_flight", {**arguments, "travel_date": other.isoformat()})])
    s.fact(fares[cheaper])
    s.context(route["from_city"], route["to_city"], speech.date(cheaper))
    need = speech.choose(
        s.rng,
        f"I have to get from {route['from_city']} to {route['to_city']} and can fly on {day_one} or {day_two}.",
        f"I need to be in {route['to_city']} soon, flying out of {route['from_city']} on either {day_one} or "
        f"{day_two}.",
        f"My trip from {route['from_city']} to {route['to_city']} can leave {day_one} or {day_two}, I don't mind "
        "which.",
    )
    ask = speech.choose(
        s.rng,
        f"Book whichever day is cheaper in {cabin} on {card_phrase}, and tell me the day and the price.",
        f"Go with the cheaper day, {cabin}, charged to {card_phrase}. Which day did you pick and what did it cost?",
    )
    return speech.sentence(speech.opening(s.rng), need, ask, token_sentence)


@story(ENV)
def price_a_round_trip(s: StoryContext) -> str:
    """A traveller prices a round trip (two fares added up) before deciding."""
    _account(s)
    route = s.pick(_ROUTES)
    back = s.rows(
        "SELECT base_cost FROM flight_routes WHERE travel_from = ? AND travel_to = ?",
        (route["travel_to"], route["travel_from"]),
    )
    if not back:
        s.reject("no return route")
    out_day = _future_day(s, 6, 90)
    back_day = out_day + dt.timedelta(days=s.rng.randint(2, 14))
    travel_class = _travel_class(s)
    cabin = _class_words(travel_class)
    s.say(travel_class, cabin)
    leave = s.detail("departure date", out_day.isoformat(), speech.date(out_day), vague="soon")
    ret = s.detail("return date", back_day.isoformat(), speech.date(back_day), vague="a few days later")
    origin = _lookup_airport(s, route["from_city"])
    destination = _lookup_airport(s, route["to_city"])
    there = s.call(
        "get_flight_cost",
        travel_from=origin,
        travel_to=destination,
        travel_date=out_day.isoformat(),
        travel_class=travel_class,
    )["travel_cost_list"][0]
    home = s.call(
        "get_flight_cost",
        travel_from=destination,
        travel_to=origin,
        travel_date=back_day.isoformat(),
        travel_class=travel_class,
    )["travel_cost_list"][0]
    s.fact(there + home, derived=True)
    s.context(route["from_city"], route["to_city"], leave, ret)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'm thinking about a trip from {route['from_city']} to {route['to_city']}, going out on {leave} and "
            f"coming back {ret}, in {cabin}.",
            f"What would a {cabin} round trip {route['from_city']}–{route['to_city']} run me, leaving {leave} and "
            f"returning {ret}?",
        ),
        speech.choose(s.rng, "What would both flights cost together?", "What's the total for the two flights?", ""),
    )


# -- a trip that changes -----------------------------------------------------------------------------------
def _upcoming(s: StoryContext, extra: str = "") -> list[dict[str, Any]]:
    rows = s.rows(
        _BOOKINGS + "WHERE k.travel_date > ? AND k.travel_cost IS NOT NULL " + extra + " ORDER BY k.booking_id",
        (_today(s).isoformat(),),
    )
    return _unique_flight(s, rows)


@story(ENV, implicit=True, weight=1.5)
def trip_is_off(s: StoryContext) -> str:
    """The trip is off: the booking is cancelled, and the traveller learns the refund and the card it goes to."""
    account = _account(s)
    booking = s.rng.choice(_upcoming(s) or s.reject("no upcoming booking"))
    token, token_sentence = _token(s, account)
    today = _today(s)
    flight = _flight(booking, today)
    s.detail("flight", booking["travel_date"], flight.removeprefix("my "), phrase=flight, vague="my upcoming flight")
    _history_booking_id(s, token, booking["booking_id"])
    s.call("get_all_credit_cards")
    s.call("cancel_booking", access_token=token, booking_id=booking["booking_id"])
    s.fact(booking["travel_cost"])
    s.fact(str(booking["card_number"])[-4:], derived=True)
    s.context(booking["from_city"], booking["to_city"], speech.date(booking["travel_date"]))
    reason = speech.choose(
        s.rng,
        "The meeting I was going for has been called off, so I won't be taking",
        "Something came up at home and I can't make",
        "My plans changed and I no longer need",
        "I'm not going to make",
    )
    ask = speech.choose(
        s.rng,
        "Please cancel it. How much do I get back, and onto which card?",
        "Can you cancel it and tell me how much comes back and to which card?",
        "Cancel it, please — what's the refund and which card does it go to?",
    )
    return speech.sentence(speech.opening(s.rng), f"{reason} {flight}.", ask, token_sentence)


@story(ENV, implicit=True, weight=1.5)
def move_flight_to_another_day(s: StoryContext) -> str:
    """Plans shift: the flight moves to another day (cancel and rebook the same route, class and card)."""
    account = _account(s)
    booking = s.rng.choice(_upcoming(s) or s.reject("no upcoming booking"))
    old_day = speech.as_date(booking["travel_date"])
    new_day = old_day + dt.timedelta(days=s.rng.choice((-3, -2, -1, 1, 2, 3, 5, 7)))
    if new_day <= _today(s):
        s.reject("the new day has passed")
    route = s.rows(
        "SELECT base_cost FROM flight_routes WHERE travel_from = ? AND travel_to = ?",
        (booking["travel_from"], booking["travel_to"]),
    )
    if not route:
        s.reject("route gone")
    new_cost = _fare(
        booking["travel_from"],
        booking["travel_to"],
        new_day.isoformat(),
        booking["travel_class"],
        route[0]["base_cost"],
    )
    if booking["card_balance"] + booking["travel_cost"] < max(new_cost, account["budget_limit"] or 0.0):
        s.reject("the card would not cover the new fare")
    token, token_sentence = _token(s, account)
    flight = _flight(booking, _today(s))
    s.detail("flight", booking["travel_date"], flight.removeprefix("my "), phrase=flight, vague="my upcoming flight")
    when = s.detail("new date", new_day.isoformat(), speech.date(new_day), vague="another day")
    record = _history_booking_id(s, token, booking["booking_id"])
    s.call("cancel_booking", access_token=token, booking_id=booking["booking_id"])
    s.call(
        "get_flight_cost",
        travel_from=record["travel_from"],
        travel_to=record["travel_to"],
        travel_date=new_day.isoformat(),
        travel_class=record["travel_class"],
    )
    s.call(
        "book_flight",
        access_token=token,
        card_id=record["card_id"],
        travel_date=new_day.isoformat(),
        travel_from=record["travel_from"],
        travel_to=record["travel_to"],
        travel_class=record["travel_class"],
    )
    s.fact(new_cost)
    s.context(booking["from_city"], booking["to_city"], when)
    reason = speech.choose(
        s.rng,
        f"my schedule moved and I now have to travel on {when} instead.",
        f"the conference dates shifted, so I need to fly on {when} rather than the day I booked.",
        f"I need to change the day, {when} works and the original date doesn't any more.",
    )
    ask = speech.choose(
        s.rng,
        "Please swap it for the same flight and class on the new day, on the same card, and tell me the new fare.",
        "Same route, same class, same card — just the new date. What will the new ticket cost?",
    )
    return speech.sentence(speech.opening(s.rng), f"About {flight}:", reason, ask, token_sentence)


_COVER = (
    ("trip cancellation", "in case I have to cancel", "trip cancellation insurance"),
    ("medical", "in case I get sick while I'm away", "medical insurance"),
    ("baggage", "in case my luggage goes missing", "baggage insurance"),
    ("comprehensive", "so I'm covered for everything", "comprehensive insurance"),
)


@story(ENV)
def insure_an_upcoming_trip(s: StoryContext) -> str:
    """The traveller buys insurance they were quoted for an upcoming, uninsured trip."""
    account = _account(s)
    candidates = _upcoming(s, "AND NOT EXISTS (SELECT 1 FROM insurance_policies p WHERE p.booking_id = k.booking_id)")
    booking = s.rng.choice(candidates or s.reject("nothing to insure"))
    kind, why, product = s.rng.choice(_COVER)
    cost = round(booking["travel_cost"] * s.rng.choice((0.04, 0.05, 0.06, 0.08)) + 20, 2)
    if account["budget_limit"] is not None and cost > account["budget_limit"]:
        s.reject("over the budget")
    token, token_sentence = _token(s, account)
    flight = _flight(booking, _today(s))
    s.detail("flight", booking["travel_date"], flight.removeprefix("my "), phrase=flight, vague="my upcoming flight")
    price = s.detail("insurance price", cost, speech.money(cost), vague="the price I was quoted")
    s.say(kind, product)
    same_card = s.rng.random() < 0.5
    record = _history_booking_id(s, token, booking["booking_id"])
    if same_card:
        card_id = record["card_id"]
        card_phrase = "the card I paid for the flight with"
    else:
        card = s.rng.choice(_cards(s, cost))
        card_phrase = _say_card(s, card)
        card_id = _wallet_card_id(s, card["card_id"])
    policy = s.call(
        "purchase_insurance",
        access_token=token,
        insurance_type=kind,
        booking_id=booking["booking_id"],
        insurance_cost=cost,
        card_id=card_id,
    )
    s.fact(policy["insurance_id"])
    s.context(booking["from_city"], booking["to_city"])
    ask = speech.choose(
        s.rng,
        f"I'd like {product} on {flight}, {why}. It was quoted at {price}; charge it to {card_phrase}.",
        f"Please add {product} to {flight} {why}. The price is {price} and it should go on {card_phrase}.",
    )
    question = speech.choose(s.rng, "What's the policy number?", "Send me the insurance ID when it's done.")
    return speech.sentence(speech.opening(s.rng), ask, question, token_sentence)


# -- questions about bookings ------------------------------------------------------------------------------
@story(ENV)
def invoice_for_expenses(s: StoryContext) -> str:
    """An expense report needs the invoice of a flight: its transaction number and what it cost."""
    account = _account(s)
    rows = _unique_flight(
        s, s.rows(_BOOKINGS + "WHERE k.transaction_id IS NOT NULL AND k.travel_cost IS NOT NULL ORDER BY k.booking_id")
    )
    booking = s.rng.choice(rows or s.reject("no invoiceable booking"))
    token, token_sentence = _token(s, account)
    flight = _flight(booking, _today(s))
    s.detail("flight", booking["travel_date"], flight.removeprefix("my "), phrase=flight, vague="one of my flights")
    _history_booking_id(s, token, booking["booking_id"])
    invoice = s.call("retrieve_invoice", access_token=token, booking_id=booking["booking_id"])["invoice"]
    s.fact(invoice["transaction_id"])
    s.fact(invoice["travel_cost"])
    s.context(booking["from_city"], booking["to_city"], speech.date(booking["travel_date"]), booking["travel_class"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'm doing my expense report and need the invoice for {flight}.",
            f"Finance wants the invoice for {flight}.",
        ),
        speech.choose(
            s.rng,
            "What's the transaction number on it, and how much was the fare?",
            "Can you tell me the transaction number and the amount charged?",
        ),
        token_sentence,
    )


@story(ENV, implicit=True, weight=1.5)
def charged_twice(s: StoryContext) -> str:
    """A traveller thinks a flight was charged twice: support is told, and they get the transaction to check."""
    account = _account(s)
    rows = _unique_flight(
        s, s.rows(_BOOKINGS + "WHERE k.transaction_id IS NOT NULL AND k.travel_cost IS NOT NULL ORDER BY k.booking_id")
    )
    booking = s.rng.choice(rows or s.reject("no booking"))
    token, token_sentence = _token(s, account)
    flight = _flight(booking, _today(s))
    s.detail("flight", booking["travel_date"], flight.removeprefix("my "), phrase=flight, vague="one of my flights")
    message = speech.choose(
        s.rng,
        "I was charged twice for this booking.",
        "My card shows two charges for this flight.",
        "This booking was billed to my card twice.",
    )
    s.say(message)
    _history_booking_id(s, token, booking["booking_id"])
    s.call("contact_customer_support", booking_id=booking["booking_id"], message=message)
    invoice = s.call("retrieve_invoice", access_token=token, booking_id=booking["booking_id"])["invoice"]
    s.fact(invoice["transaction_id"])
    s.fact(invoice["travel_cost"])
    s.context(booking["from_city"], booking["to_city"], speech.date(booking["travel_date"]))
    return speech.sentence(
        speech.opening(s.rng),
        f"I think I paid twice for {flight}.",
        speech.choose(
            s.rng,
            f'Please pass this on to customer support: "{message}"',
            f'Can you send customer support a note saying "{message}"',
        ),
        speech.choose(
            s.rng,
            "Also, what transaction number and amount should I be looking for on my statement?",
            "And tell me the transaction number and the amount on the invoice so I can compare.",
        ),
        token_sentence,
    )


@story(ENV)
def spent_on_a_card_this_year(s: StoryContext) -> str:
    """How much a card paid for flights dated this year, and how many (sums over the history)."""
    account = _account(s)
    this_year = s.rng.random() < 0.6
    year = str(_today(s).year if this_year else _today(s).year - 1)
    period = "this year" if this_year else "last year"
    card = s.pick(
        "SELECT c.card_id, c.card_number, json_extract(c.extra, '$.card_type') AS card_type, COUNT(*) AS n, "
        "SUM(k.travel_cost) AS total FROM credit_cards c JOIN bookings k ON k.card_id = c.card_id "
        "WHERE substr(k.travel_date, 1, 4) = ? AND k.travel_cost IS NOT NULL GROUP BY c.card_id "
        "HAVING n >= 2 ORDER BY c.card_id",
        (year,),
    )
    token, token_sentence = _token(s, account)
    card_phrase = _say_card(s, card)
    history = s.call("get_booking_history", access_token=token)["booking_history"]
    card_id = _wallet_card_id(s, card["card_id"])
    balance = s.call("get_credit_card_balance", access_token=token, card_id=card_id)["card_balance"]
    mine = [b for b in history.values() if b.get("card_id") == card_id and b["travel_date"][:4] == year]
    s.fact(sum(b["travel_cost"] for b in mine), derived=True)
    s.fact(speech.number(len(mine)), derived=True)
    s.fact(balance)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"How much have I put on {card_phrase} for flights {period}, and how many flights is that?",
            f"I'm reconciling {card_phrase}: what's the total of my {year} flights charged to it, and how many "
            "were there?",
            f"For my tax records, how many flights dated {period} did I pay for with {card_phrase}, and what did "
            "they cost altogether?",
        ),
        speech.choose(s.rng, "What balance is left on the card now?", "And what's its balance at the moment?"),
        token_sentence,
    )


_CURRENCIES = (
    ("EUR", "euros"),
    ("GBP", "pounds"),
    ("JPY", "yen"),
    ("CAD", "Canadian dollars"),
    ("AUD", "Australian dollars"),
    ("INR", "rupees"),
    ("MXN", "pesos"),
    ("CHF", "Swiss francs"),
    ("SEK", "Swedish kronor"),
    ("SGD", "Singapore dollars"),
    ("KRW", "won"),
    ("HKD", "Hong Kong dollars"),
)


@story(ENV)
def fare_in_another_currency(s: StoryContext) -> str:
    """A traveller reports a fare to a foreign office: what a booked flight cost, in their currency."""
    account = _account(s)
    rows = _unique_flight(s, s.rows(_BOOKINGS + "WHERE k.travel_cost IS NOT NULL ORDER BY k.booking_id"))
    booking = s.rng.choice(rows or s.reject("no booking"))
    code, name = s.rng.choice(_CURRENCIES)
    token, token_sentence = _token(s, account)
    flight = _flight(booking, _today(s))
    s.detail("flight", booking["travel_date"], flight.removeprefix("my "), phrase=flight, vague="one of my flights")
    s.say(code, name)
    s.imply("USD")
    record = _history_booking_id(s, token, booking["booking_id"])
    converted = s.call("compute_exchange_rate", base_currency="USD", target_currency=code, value=record["travel_cost"])[
        "exchanged_value"
    ]
    s.fact(record["travel_cost"])
    s.fact(converted)
    s.context(booking["from_city"], booking["to_city"], speech.date(booking["travel_date"]))
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"What did {flight} cost, and how much is that in {name}?",
            f"Our office abroad reimburses in {name}. How much did I pay for {flight}, and what's that in {name}?",
        ),
        token_sentence,
    )


@story(ENV)
def can_my_card_cover_it(s: StoryContext) -> str:
    """Before booking, a traveller checks a card's balance against a fare and what would be left."""
    account = _account(s)
    route = s.pick(_ROUTES)
    day = _future_day(s)
    travel_class = s.rng.choice(("business", "first"))
    card = s.rng.choice(_cards(s) or s.reject("no cards"))
    token, token_sentence = _token(s, account)
    card_phrase = _say_card(s, card)
    when = s.detail("travel date", day.isoformat(), speech.date(day), vague="soon")
    cabin = _class_words(travel_class)
    s.say(travel_class, cabin)
    card_id = _wallet_card_id(s, card["card_id"])
    balance = s.call("get_credit_card_balance", access_token=token, card_id=card_id)["card_balance"]
    origin = _lookup_airport(s, route["from_city"])
    destination = _lookup_airport(s, route["to_city"])
    cost = s.call(
        "get_flight_cost",
        travel_from=origin,
        travel_to=destination,
        travel_date=day.isoformat(),
        travel_class=travel_class,
    )["travel_cost_list"][0]
    s.fact(balance)
    s.fact(cost)
    s.fact(round(balance - cost, 2), derived=True)
    s.context(route["from_city"], route["to_city"], when)
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm looking at a {cabin} flight from {route['from_city']} to {route['to_city']} on {when}.",
        speech.choose(
            s.rng,
            f"What's the balance on {card_phrase}, what would the ticket cost, and how much would be left after?",
            f"How much is on {card_phrase} right now, what's the fare, and what would I have left once I pay it?",
        ),
        token_sentence,
    )


@story(ENV)
def does_my_town_have_an_airport(s: StoryContext) -> str:
    """Someone from a small town asks whether the service flies from there, and what a fare from it costs."""
    _account(s)
    route = s.pick(
        "SELECT r.travel_from, r.travel_to, a.location AS from_city, b.location AS to_city FROM flight_routes r "
        "JOIN airports a ON a.airport_code = r.travel_from JOIN airports b ON b.airport_code = r.travel_to "
        "WHERE a.country IS NULL ORDER BY r.travel_from, r.travel_to"
    )
    day = _future_day(s)
    when = s.detail("travel date", day.isoformat(), speech.date(day), vague="soon")
    s.say("economy")
    origin = _lookup_airport(s, route["from_city"])
    served = s.call("list_all_airports")
    if origin not in served:
        s.reject("not served")
    destination = _lookup_airport(s, route["to_city"])
    cost = s.call(
        "get_flight_cost",
        travel_from=origin,
        travel_to=destination,
        travel_date=day.isoformat(),
        travel_class="economy",
    )["travel_cost_list"][0]
    s.fact(origin)
    s.fact(cost)
    s.context(route["from_city"], route["to_city"], when)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I live in {route['from_city']}. Is there an airport there you fly from, and what's its code?",
            f"Do you have flights out of {route['from_city']}? Which airport code would that be?",
        ),
        speech.choose(
            s.rng,
            f"If so, what would an economy ticket to {route['to_city']} on {when} cost?",
            f"And how much is economy from there to {route['to_city']} on {when}?",
        ),
    )


# -- the account ---------------------------------------------------------------------------------------------
def _luhn_number(s: StoryContext, prefix: str, length: int) -> str:
    """A card number with a valid check digit, as a real one has."""
    digits = [int(d) for d in prefix] + [s.rng.randint(0, 9) for _ in range(length - len(prefix) - 1)]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        doubled = digit * 2 if position % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


@story(ENV)
def add_a_new_card(s: StoryContext) -> str:
    """A traveller registers a card that just arrived and asks what balance the service shows for it."""
    account = _account(s)
    network, prefix, length = s.rng.choice((("Visa", "4", 16), ("Mastercard", "55", 16), ("Amex", "37", 15)))
    number = _luhn_number(s, prefix, length)
    if s.rows("SELECT 1 FROM credit_cards WHERE card_number = ?", (number,)):
        s.reject("already registered")
    expiry = _today(s) + dt.timedelta(days=s.rng.randint(300, 5 * 365))
    expiration = expiry.strftime("%m/%Y")
    cvv = s.rng.randint(100, 999)
    holder = f"{account['user_first_name']} {account['user_last_name']}"
    token, token_sentence = _token(s, account)
    s.detail("card number", number, number, vague="my new card")
    s.say(expiration)
    s.say(cvv, f"security code {cvv}")
    s.say(holder)
    card = s.call(
        "register_credit_card",
        access_token=token,
        card_number=number,
        expiration_date=expiration,
        cardholder_name=holder,
        card_verification_number=cvv,
    )
    balance = s.call("get_credit_card_balance", access_token=token, card_id=card["card_id"])["card_balance"]
    s.fact(balance)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"My new {network} just arrived — please add it to my travel account.",
            f"I'd like to register a new {network} for booking flights.",
        ),
        f"The number is {number}, it expires {expiration}, security code {cvv}, and the name on it is {holder}.",
        speech.choose(s.rng, "What balance does it show once it's added?", "Once it's on file, what's its balance?"),
        token_sentence,
    )


@story(ENV)
def set_this_years_budget(s: StoryContext) -> str:
    """Finance sets the traveller's budget: the limit is updated and they ask which fiscal year it is for."""
    account = _account(s)
    choices = [float(v) for v in range(4000, 20001, 500) if float(v) != account["budget_limit"]]
    amount = s.rng.choice(choices)
    token, token_sentence = _token(s, account)
    spoken = s.detail("budget", amount, speech.money(amount), vague="the new amount")
    s.call("set_budget_limit", access_token=token, budget_limit=amount)
    year = s.call("get_budget_fiscal_year")["budget_fiscal_year"]
    s.fact(year)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Finance approved a travel budget of {spoken} for me. Please set it in my account.",
            f"Set my travel budget limit to {spoken}, please.",
            f"My manager raised my travel allowance to {spoken}; can you update my budget?",
        ),
        speech.choose(s.rng, "Which fiscal year does it apply to?", "And what fiscal year is the budget for?"),
        token_sentence,
    )


@story(ENV)
def sign_in_on_a_new_device(s: StoryContext) -> str:
    """On a new device the traveller signs in with their app credentials, confirms it, and checks a card."""
    account = _account(s)
    if account["client_id"] is None:
        s.reject("no app credentials")
    grant, access = s.rng.choice((("read_write", "read and write access"), ("read", "read-only access")))
    first, last = account["user_first_name"], account["user_last_name"]
    s.say(first)
    s.say(last)
    s.say(account["client_id"])
    s.say(account["client_secret"])
    s.say(account["refresh_token"])
    s.imply(grant)
    card = s.rng.choice(_cards(s) or s.reject("no cards"))
    card_phrase = _say_card(s, card)
    session = s.call(
        "authenticate_travel",
        client_id=account["client_id"],
        client_secret=account["client_secret"],
        refresh_token=account["refresh_token"],
        grant_type=grant,
        user_first_name=first,
        user_last_name=last,
    )
    s.call("travel_get_login_status")
    card_id = _wallet_card_id(s, card["card_id"])
    balance = s.call("get_credit_card_balance", access_token=session["access_token"], card_id=card_id)
    s.fact(balance["card_balance"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            "I just set up the travel app on my new laptop and need to log in.",
            "I'm on a new phone and have to sign in to the travel service again.",
        ),
        f"I'm {first} {last}; the app's client ID is {account['client_id']}, the client secret is "
        f"{account['client_secret']} and my refresh token is {account['refresh_token']}. I want {access}.",
        speech.choose(
            s.rng,
            f"Once I'm in, make sure I'm logged in and tell me the balance on {card_phrase}.",
            f"After that, check that the login worked and what's left on {card_phrase}.",
        ),
    )


@story(ENV)
def documents_checked_then_book(s: StoryContext) -> str:
    """Before an international flight the traveller's documents are checked, then the flight is booked."""
    account = _account(s)
    route = s.pick(
        "SELECT r.travel_from, r.travel_to, r.base_cost, a.location AS from_city, b.location AS to_city "
        "FROM flight_routes r JOIN airports a ON a.airport_code = r.travel_from "
        "JOIN airports b ON b.airport_code = r.travel_to "
        "WHERE a.country IS NOT NULL AND b.country IS NOT NULL AND a.country <> b.country "
        "ORDER BY r.travel_from, r.travel_to"
    )
    if account["date_of_birth"] is None or account["passport_number"] is None:
        s.reject("no documents on record")
    day = _future_day(s)
    travel_class = _travel_class(s)
    cost = _fare(route["travel_from"], route["travel_to"], day.isoformat(), travel_class, route["base_cost"])
    card = _paying_card(s, cost, account["budget_limit"])
    token, token_sentence = _token(s, account)
    first, last = account["user_first_name"], account["user_last_name"]
    s.say(first)
    s.say(last)
    born = speech.date(account["date_of_birth"], year=True)
    s.say(account["date_of_birth"], born)
    s.detail("passport number", account["passport_number"], account["passport_number"], vague="my passport")
    when = s.detail("travel date", day.isoformat(), speech.date(day), vague="soon")
    cabin = _class_words(travel_class)
    s.say(travel_class, cabin)
    card_phrase = _say_card(s, card)
    check = s.call(
        "verify_traveler_information",
        first_name=first,
        last_name=last,
        date_of_birth=account["date_of_birth"],
        passport_number=account["passport_number"],
    )
    if not check.get("verification_status"):
        s.reject("documents refused")
    origin = _lookup_airport(s, route["from_city"])
    destination = _lookup_airport(s, route["to_city"])
    card_id = _wallet_card_id(s, card["card_id"])
    booking = s.call(
        "book_flight",
        access_token=token,
        card_id=card_id,
        travel_date=day.isoformat(),
        travel_from=origin,
        travel_to=destination,
        travel_class=travel_class,
    )
    s.fact(booking["booking_id"])
    s.context(route["from_city"], route["to_city"], when)
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm flying from {route['from_city']} to {route['to_city']} on {when}.",
        f"First check my travel details are fine: {first} {last}, born {born}, passport {account['passport_number']}.",
        speech.choose(
            s.rng,
            f"If they pass, book it in {cabin} on {card_phrase} and give me the booking number.",
            f"If all is well, book {cabin} with {card_phrase}. What's my booking number?",
        ),
        token_sentence,
    )
