"""Format-aware fact matching: natural formats are accepted, numbers never match inside other values."""

from __future__ import annotations

import pytest

from envfactory_gym.answers import mentions, normalise_text, parse_fact, scan

ACCEPTED = [
    # dates
    ("2024-05-17", "It is on 2024-05-17."),
    ("2024-05-17", "It is on May 17, 2024."),
    ("2024-05-17", "It is on 17 May 2024."),
    ("2024-05-17", "It is on May 17th."),
    ("2024-05-17", "It is on 05/17/2024."),
    ("2024-05-17", "It is on 17/05/2024."),
    ("2024-05-17", "It is on Friday, May 17."),
    ("2024-05-17", "It is on the 17th of May, 2024."),
    ("2024-05-17", "It is on Sept 3? No: on Fri, 17 May 2024."),
    ("2024-09-03", "It is on Sept 3."),
    # timestamps: a date and a time in any of those forms, close together
    ("2024-05-17T13:30:00", "It leaves May 17, 2024 at 1:30 PM."),
    ("2024-05-17T13:30:00", "It leaves at 1:30 pm on Friday, May 17."),
    ("2024-05-17T13:30:00", "It leaves 2024-05-17 13:30."),
    ("2025-04-12 15:19", "It arrived on April 12, 2025 at 3:19 PM."),
    ("2024-10-28T00:00:00", "It opens October 28, 2024."),
    # times
    ("13:30:00", "At 1:30 PM."),
    ("13:30:00", "At 1:30pm."),
    ("13:30:00", "At 1:30 p.m."),
    ("13:30:00", "At 13:30."),
    ("00:30", "At 12:30 AM."),
    ("12:00", "At noon."),
    # numbers and money
    ("1301", "The total comes to $1,301.00."),
    ("1301", "The total is 1,301 USD."),
    ("1301", "The total is USD 1301."),
    ("1301", "It is one thousand three hundred and one."),
    ("699.5", "It costs €699.50."),
    ("1234.5", "It is $1,234.50 in boston."),
    ("-108.46", "Longitude -108.46."),
    ("19.812900000000003", "About 19.81 km away."),
    ("918.0000000000001", "It is 918."),
    ("4.5", "Rated 4.5/5."),
    ("25", "There are twenty-five seats."),
    ("3", "There are three seats."),
    ("17", "Seventeen passengers."),
    ("100", "one hundred points"),
    ("0", "zero bags"),
    # enums, sentences, text, ids
    ("in_progress", "It is in progress."),
    ("in_progress", "Status: In Progress"),
    ("in_progress", "Status: IN_PROGRESS"),
    ("basic_economy", "You fly Basic Economy."),
    ("Pets are not allowed.", "Sorry, pets are not allowed"),
    ("Pets are not allowed.", "PETS ARE NOT ALLOWED!"),
    ("Anchor Bread Co.", "Try Anchor Bread Co, it is close."),
    ("Wind Advisory", "There is a wind advisory."),
    ("Olympic Park SOHO Tower A", "It is in Olympic Park SOHO Tower A."),
    ("maria.martinez1377@example.com", "Write to maria.martinez1377@example.com."),
    ("BK40916703", "Your booking is bk40916703."),
    ("02730", "The zip is 02730."),
    ("Zürich", "You land in Zurich."),
    # quantities and phone numbers
    ("2 hours 16 mins", "It takes 2 hours and 16 minutes."),
    ("12.2 km", "It is 12.2km away."),
    ("8 mins", "about eight minutes"),
    ("+1-239-058-7241", "Call (239) 058-7241."),
    # yes / no with synonyms
    ("yes", "Yep, it is."),
    ("yes", "Yeah."),
    ("yes", "Sure, it is refundable."),
    ("yes", "Indeed it is."),
    ("yes", "That's correct."),
    ("yes", "Yes, gate No. 4 is open."),
    ("yes", "Yes. Note there is no fee."),
    ("no", "Nope."),
    ("no", "No, it isn't."),
    ("no", "It is not delayed."),
    ("no", "There are none left."),
    ("no", "No. 4 is closed, so no."),
]

REJECTED = [
    # numbers never match inside dates, times, timestamps, ids or longer numbers
    ("17", "It is on 2024-05-17."),
    ("17", "It is on May 17."),
    ("17", "It is the 17th."),
    ("30", "At 13:30."),
    ("30", "At 1:30 PM."),
    ("4", "Your booking is BK40916703."),
    ("4", "Seat 4A."),
    ("1301", "It is 11301."),
    ("1301", "Booking BK-1301."),
    ("5", "Between 5-10 minutes."),
    ("2024", "It is on May 17, 2024."),
    ("1234.5", "It is 1234.55."),
    ("1234.5", "It is 1234.6."),
    ("22.54", "It is 22.5."),
    # wrong dates and times
    ("2024-05-17", "It is on May 18, 2024."),
    ("2024-05-17", "It is on May 17, 2023."),
    ("2024-05-17T13:30:00", "It leaves May 17, 2024."),
    ("2024-05-17T13:30:00", "It leaves May 18, 2024 at 1:30 PM."),
    ("13:30:00", "At 1:30 AM."),
    ("13:30:15", "At 1:30 PM."),
    # text needs its words, in order
    ("Wind Advisory", "There is wind."),
    ("maria.martinez1377@example.com", "Write to maria.martinez@example.com."),
    ("BK40916703", "Your booking is BK4091670."),
    ("12.2 km", "It is 12.2 kg."),
    # yes / no: contradictions and non-answers
    ("yes", "Nope."),
    ("yes", "Yes and no."),
    ("yes", "Gate No. 4."),
    ("no", "Yes, it is."),
    ("no", "Gate No. 4 is open."),
    ("no", "Note: it is open."),
]


@pytest.mark.parametrize(("fact", "answer"), ACCEPTED)
def test_natural_formats_are_accepted(fact: str, answer: str) -> None:
    assert mentions(fact, answer)
    # Callers that normalise first (conversation, synthesis) see the same result.
    assert mentions(fact, normalise_text(answer))


@pytest.mark.parametrize(("fact", "answer"), REJECTED)
def test_wrong_or_embedded_values_are_rejected(fact: str, answer: str) -> None:
    assert not mentions(fact, answer)
    assert not mentions(fact, normalise_text(answer))


@pytest.mark.parametrize(
    ("fact", "kind"),
    [
        ("2024-05-17", "date"),
        ("May 30", "date"),
        ("2024-05-17T13:30:00", "timestamp"),
        ("2025-04-12 15:19", "timestamp"),
        ("13:30:00", "time"),
        ("1301", "number"),
        ("$1,301.00", "number"),
        ("699.5", "number"),
        ("yes", "yes_no"),
        ("No", "yes_no"),
        ("in_progress", "text"),
        ("02730", "text"),
        ("BK40916703", "text"),
        ("2 hours 16 mins", "quantity"),
        ("+1-604-860-6463", "phone"),
        ("Pets are not allowed.", "text"),
    ],
)
def test_fact_kinds_are_inferred_from_the_text(fact: str, kind: str) -> None:
    assert parse_fact(fact).kind == kind


def test_one_value_in_two_spellings_has_one_key() -> None:
    assert parse_fact("1301").key == parse_fact("1301.0").key == parse_fact("$1,301.00").key
    assert parse_fact("in_progress").key == parse_fact("In Progress").key
    assert parse_fact("2024-05-17").key != parse_fact("2024-05-18").key


def test_rounding_credits_facts_but_distractors_need_the_exact_value() -> None:
    assert mentions("39.921518", "It is at 39.92.")
    assert not mentions("39.915663", "It is at 39.92.", rounding=False)
    assert mentions("39.915663", "It is at 39.915663.", rounding=False)


def test_scan_types_the_spans_of_an_answer() -> None:
    scanned = scan("On May 17, 2024 at 1:30 PM, booking BK40916703 costs $1,301.00 for seventeen people.")
    assert [(d.year, d.month, d.day) for d in scanned.dates] == [(2024, 5, 17)]
    assert [(t.hour, t.minute) for t in scanned.times] == [(13, 30)]
    assert sorted(int(n.value) for n in scanned.numbers) == [17, 1301]


def test_normalise_text_keeps_values_recognisable() -> None:
    assert normalise_text("Total: $1,301.00 on 2024-05-17 at 09:05") == "total: $1301 on 2024-05-17 at 09:05"
    assert normalise_text("Zip 02730, account A0003") == "zip 02730, account a0003"


def test_offers_of_help_are_no_yes_or_no() -> None:
    """A conversation's opening courtesy ("Sure, I can help") neither answers yes nor contradicts a no."""
    from envfactory_gym.answers import mentions

    conversation = "Sure, I can help with that. Could you tell me the booking code?\nIt is not insured, so no."
    assert mentions("no", conversation) and not mentions("yes", conversation)
    assert mentions("no", "Of course, let me check. No, it isn't covered.")
    assert mentions("yes", "No problem. Yes, it is covered.") and not mentions("no", "No problem. Yes, it is covered.")


@pytest.mark.parametrize(
    ("fact", "answer", "expected"),
    [
        ("12.5", "1234567890123456789012345678901.5", False),
        ("1234567890123456789012345678901234", "It is 1234567890123456789012345678901234.", True),
        ("1234567890123456789012345678901234", "It is 1234567890123456789012345678901235.", False),
        ("3.25", "99999999999999999999999999.123456789123", False),
        ("12.5", "7" * 39, False),
        ("1" * 150, "the code is " + "1" * 150, True),
        ("1" * 150, "the code is " + "1" * 149, False),
    ],
)
def test_long_numbers_are_compared_exactly_and_never_raise(fact: str, answer: str, expected: bool) -> None:
    """Numbers past the default 28-digit decimal precision: a fuzzed final answer once made scoring raise
    InvalidOperation, and rounding to 28 digits would let two different long numbers compare equal."""
    assert mentions(fact, answer) is expected


def test_matching_does_not_depend_on_the_process_decimal_context() -> None:
    import decimal

    with decimal.localcontext() as context:
        context.prec = 5
        assert mentions("123456.5", "It was 123456.5") and not mentions("123456.5", "It was 123457.5")
        assert mentions("$1,301.00", "about 1301 dollars")
