"""The task-text lint catches each unnatural pattern the old templated requests had, and passes spoken ones."""

from __future__ import annotations

import pytest

from envfactory_gym.synthesis.lint import lint_task
from envfactory_gym.tasks import GoldCall, Task


def _task(query: str, *, arguments: dict[str, object] | None = None, **metadata: object) -> Task:
    return Task(
        task_id="lint-0",
        domain="travel",
        env_ids=["airline"],
        goal="read",
        query=query,
        gold_calls=[GoldCall(env_id="airline", tool="get_user_details", arguments=arguments or {"user_id": "x"})],
        metadata=dict(metadata),
    )


@pytest.mark.parametrize(
    ("query", "flag"),
    [
        ("What is the results name?", None),  # plain words: the lint cannot tell; stories never write this
        ("What is the total_baggages on my booking?", "raw_field_path"),
        ("Please call get_reservation_details for me.", "tool_name"),
        ("How long is the trip? I need the duration s.", "unit_suffix"),
        ("What is the pressure mb?", "unit_suffix"),
        ("Book the Twin Room at the Atlas Lodge at the Atlas Lodge in Prague.", "doubled_label"),
        ("Move reservation my one-way trip from AUS to PDX.", "doubled_label"),
        ("Put me on flight the 17:30 flight.", "doubled_label"),
        ("Cancel it. For reference — user id: robert_lawrence_7460.", "reference_dump"),
        ("Cancel it. user id: robert; cabin: economy; reason: other.", "reference_dump"),
        ("My flight leaves 2024-05-14T13:30:00.", "iso_timestamp"),
        ("My flight leaves on 2024-05-14.", "iso_date"),
        ("Find cafes near 40.7128, -74.0060.", "raw_coordinates"),
    ],
)
def test_each_flag(query: str, flag: str | None) -> None:
    flags = lint_task(_task(query))
    if flag is None:
        assert "raw_field_path" not in flags
    else:
        assert flag in flags


def test_camel_case_is_a_field_path_only_when_it_is_one_of_the_environments_names() -> None:
    """National parks' API names its park field parkCode; a product called iPhone is no field of any."""
    field = _task("Which parkCode is Zion?").model_copy(update={"env_ids": ["national_parks"]})
    assert "raw_field_path" in lint_task(field)
    for query in ("Which parkCode is Zion?", "Is the iPhone 15 case still in stock, and what about the iPad one?"):
        assert "raw_field_path" not in lint_task(_task(query))


def test_spoken_requests_pass() -> None:
    for query in (
        "I'm flying to Atlanta on May 29 on the 1:30 pm flight. Can you add two checked bags?",
        "My booking W66XAM takes me to Charlotte. Is my first flight still on schedule?",
        "I'm Maria (maria_martinez_3485). What email do you have on file for me?",
    ):
        assert lint_task(_task(query, arguments={"user_id": "maria_martinez_3485"})) == []


def test_held_raw_values_are_allowed_when_the_story_says_so() -> None:
    query = "Find cafes near 40.7128, -74.0060."
    assert "raw_coordinates" not in lint_task(_task(query, holds=["coordinates"]))


def test_mixed_identity_needs_the_story_to_introduce_the_second_person() -> None:
    two = {"airline": ["ann_1", "bob_2"]}
    assert "mixed_identity" in lint_task(_task("Hi.", identities=two))
    assert "mixed_identity" not in lint_task(_task("Hi.", identities=two, other_people=["bob_2"]))
