"""The rule-based user's reading of an assistant turn: words, values, acts, matches and contradictions."""

from __future__ import annotations

import datetime as dt

import pytest

from envfactory_gym import registry
from envfactory_gym.conversation import (
    HeldFact,
    RuleBasedUser,
    anchored_identifiers,
    anchored_numbers,
    classify_sentence,
    contradicted_facts,
    find_dates,
    find_times,
    held_facts,
    lemma,
    matching_facts,
    user_tool_arguments,
)
from envfactory_gym.gold import open_runtime
from envfactory_gym.tasks import GoldCall, Task, UserProfile
from tests.conftest import bank_task

BAGS = HeldFact("number of checked bags", "three checked bags", 3, ("how many bags", "luggage"), hidden=True)
DATE = HeldFact("travel date", "May 29", "2024-05-29", ("date", "day", "when"))
BIRTH = HeldFact("date of birth", "June 7, 1967", "1967-06-07", ("birthday", "born"))
ORIGIN = HeldFact("departure city", "Phoenix", "Phoenix", ("origin", "flying from"))
DESTINATION = HeldFact("destination city", "Atlanta", "Atlanta", ("destination", "flying to"))
BOOKING = HeldFact("booking code", "2FBFTK", "2FBFTK", ("reservation", "booking"))
FACTS = [BAGS, DATE, BIRTH, ORIGIN, DESTINATION, BOOKING]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("bags", "bag"),
        ("baggage", "bag"),
        ("luggage", "bag"),
        ("checked", "check"),
        ("checking", "check"),
        ("cities", "city"),
        ("addresses", "address"),
        ("travelling", "travel"),
        ("what's", "what"),
    ],
)
def test_lemma(word: str, expected: str) -> None:
    assert lemma(word) == expected


def test_values_are_read_in_the_ways_people_write_them() -> None:
    assert find_dates("May 29th, 2024 or 2024-05-30 or 3 June") == [(2024, 5, 30), (2024, 5, 29), (None, 6, 3)]
    assert find_dates("May I book it?") == []
    assert sorted(find_times("13:30, 1:30 pm, 9 am or noon")) == [540, 720, 810, 810]
    assert anchored_numbers("Shall I add 2 bags for $100?", ["bag"]) == [2.0]
    assert anchored_numbers("no checked bags", ["bag"]) == [0.0]
    assert anchored_numbers("total bags: 3", ["bag"]) == [3.0]
    assert anchored_numbers("2 passengers with 4 bags on May 29 at 9:00", ["bag"]) == [4.0]
    assert anchored_identifiers("update booking code 2FBFTX", [lemma("booking")]) == ["2fbftx"]
    assert anchored_identifiers("update the booking on flight HAT034", [lemma("booking")]) == []


@pytest.mark.parametrize(
    ("sentence", "act"),
    [
        ("What is the travel date?", "question"),
        ("Please let me know the number of bags.", "question"),
        ("What amount should I send?", "question"),
        ("Shall I proceed with the 9:00 flight?", "proposal"),
        ("I'll book the 9:00 flight, ok?", "proposal"),
        ("Can you confirm the booking?", "proposal"),
        ("Could you give me more details?", "generic"),
        ("Is there anything else I can help you with?", "closing"),
        ("Let me know if you need anything else.", "closing"),
        ("Anything else, or which date should I use?", "question"),
        ("Your flight was booked successfully.", "statement"),
        ("You can proceed to check-in online.", "statement"),
        ("I can confirm it is booked.", "statement"),
    ],
)
def test_sentences_are_read_as_acts(sentence: str, act: str) -> None:
    assert classify_sentence(sentence, FACTS) == act


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("How many bags will you check?", ["number of checked bags"]),
        ("Any luggage?", ["number of checked bags"]),
        ("When do you want to go?", ["travel date"]),
        ("What is your birthday?", ["date of birth"]),
        ("Where are you flying from?", ["departure city"]),
        ("Where are you flying to?", ["destination city"]),
        ("What's your reservation code?", ["booking code"]),
        ("What is your phone number?", []),  # weak words alone point at nothing
        ("What type of seat do you want?", []),
    ],
)
def test_questions_find_facts_by_spoken_name_and_synonyms(question: str, names: list[str]) -> None:
    assert [f.name for f in matching_facts(question, FACTS)] == names


@pytest.mark.parametrize(
    ("proposal", "wrong"),
    [
        ("Shall I book the 9 am flight from PHX to ATL on May 29 with 3 bags?", []),  # codes are shorthand
        ("Shall I add two checked bags?", ["number of checked bags"]),
        ("Shall I book May 30?", ["travel date"]),
        ("Shall I book June 8?", ["travel date"]),  # a trip date is never read as the birthday
        ("Shall I note the date of birth as June 8, 1967?", ["date of birth"]),
        ("Shall I book the flight to Boston?", ["departure city", "destination city"]),
        ("Shall I book the flight from Phoenix to Boston?", ["destination city"]),
        ("Shall I change booking 9XYZ12?", ["booking code"]),
        ("Shall I move the booking onto flight HAT999 for $412?", []),  # nothing the person holds
    ],
)
def test_contradictions_are_judged_on_held_facts_only(proposal: str, wrong: list[str]) -> None:
    now = dt.datetime(2024, 5, 15, 15)  # the world's "now" tells a trip's date from a birthday
    assert [f.name for f in contradicted_facts(proposal, FACTS, now)] == wrong


def test_held_facts_come_from_the_task_by_spoken_name() -> None:
    task = bank_task().model_copy(
        update={
            "metadata": {
                "details": [
                    {"name": "amount to send", "value": 50, "phrase": "50", "say": "50 dollars", "synonyms": ["sum"]}
                ]
            },
            "user": UserProfile(hidden_facts={"receiving account": "A0002"}),
        }
    )
    facts = {f.name: f for f in held_facts(task)}
    # Stated in the request (though known_facts is empty) and hidden: both held, by spoken name.
    assert facts["amount to send"] == HeldFact("amount to send", "50 dollars", 50, ("sum",), hidden=False)
    assert facts["receiving account"].hidden and facts["receiving account"].say == "A0002"
    assert not any("_" in name for name in facts)  # no raw field names


def test_user_tool_arguments_come_from_what_the_user_sees() -> None:
    spec = registry.load_definition("test_bank").tools["freeze_account"]
    assert user_tool_arguments(spec, ["Please freeze account A0005 now."], []) == ({"account_id": "A0005"}, [])
    # No account in sight: missing, even though a gold solution would know it.
    assert user_tool_arguments(spec, ["Please freeze your account with freeze_account."], []) == ({}, ["account_id"])
    held = [HeldFact("account number", "A0007", "A0007")]
    assert user_tool_arguments(spec, ["Please freeze your account."], held) == ({"account_id": "A0007"}, [])


def test_the_rule_based_user_is_deterministic_and_blind_to_the_gold() -> None:
    task = Task(
        task_id="probe",
        domain="finance",
        env_ids=["test_bank"],
        goal="write",
        query="Please send some money from A0001 to A0002.",
        gold_calls=[GoldCall(env_id="test_bank", tool="transfer", arguments={"source_id": "A0001", "amount": 50})],
        user=UserProfile(hidden_facts={"amount to send": "50 dollars"}),
    )
    turns = [
        "Shall I send $50?",
        "Shall I send $75?",
        "What is the amount to send?",
        "Is there anything else?",
    ]
    replies = []
    for gold_amount in (50, 75):
        probed = task.model_copy(
            update={"gold_calls": [task.gold_calls[0].model_copy(update={"arguments": {"amount": gold_amount}})]}
        )
        runtime = open_runtime(["test_bank"], 0, None, 0, prefix=False)
        try:
            user = RuleBasedUser(probed, runtime)
            replies.append([user.respond([{"role": "assistant", "content": t}]).content for t in turns])
        finally:
            runtime.close()
    # Another gold solution, the same person: the same replies, turn by turn.
    assert replies[0] == replies[1]
    assert replies[0][0] == replies[0][1] == "Yes, please go ahead."
    assert replies[0][2] == "50 dollars."


@pytest.mark.timeout(120)
def test_reading_a_pathological_turn_is_linear() -> None:
    """Runs of question words, promises or separators of the maximum action size are read in one pass
    (the bound only turns a quadratic pattern into a failure instead of a hang; benchmarks time it)."""
    from envfactory_gym.conversation import read_turn

    size = 200_000
    for unit in ("what ", "i'll ", "shall ", "could you ", "anything else ", "1,", "a.", "\n"):
        turn = read_turn(unit * (size // len(unit)) + "?")
        assert turn.sentences
