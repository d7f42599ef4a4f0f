"""Scenario-first synthesis: the story contract, determinism, and the packaged task files' mix."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest

from envfactory_gym import registry
from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.lint import lint_report
from envfactory_gym.synthesis.pipeline import SynthesisConfig, synthesize
from envfactory_gym.synthesis.stories import _STORIES, StoryContext, StoryRejected, story, synthesize_stories
from envfactory_gym.tasks import load_tasks
from envfactory_gym.testing import seeded_rows, story_tasks
from envfactory_gym.verify import check_oracle

TRAVEL = registry.domain_envs("travel")


@pytest.fixture
def scratch_story() -> Iterator[list[str]]:
    """Stories a test registers for a custom environment are removed afterwards."""
    names: list[str] = []
    yield names
    for name in names:
        _STORIES.pop(name, None)


def _tell_one(function, scratch_story: list[str]):  # type: ignore[no-untyped-def]
    name = f"test.{function.__name__}"
    story("airline", name=name)(function)
    scratch_story.append(name)
    from envfactory_gym.synthesis.stories import _tell, load_stories

    chosen = next(s for s in load_stories("airline") if s.name == name)
    import random

    definitions = {"airline": registry.load_definition("airline")}
    return _tell(chosen, "airline-test-0000", "travel", definitions, random.Random(0))


def _some_user(s: StoryContext) -> dict[str, str]:
    return s.pick("SELECT user_id, first_name FROM users ORDER BY user_id LIMIT 5")


def test_an_argument_the_request_does_not_give_is_refused(scratch_story: list[str]) -> None:
    def ungrounded(s: StoryContext) -> str:
        s.call("get_user_details", user_id=_some_user(s)["user_id"])  # never said
        return "What's on my profile?"

    with pytest.raises(ValueError, match="does not follow from the request"):
        _tell_one(ungrounded, scratch_story)


def test_a_value_read_from_an_earlier_output_is_grounded(scratch_story: list[str]) -> None:
    def chained(s: StoryContext) -> str:
        user = _some_user(s)
        profile = s.call("get_user_details", user_id=s.say(user["user_id"]))
        if not profile["reservations"]:
            s.reject("no reservations")
        details = s.call("get_reservation_details", reservation_id=profile["reservations"][0])
        s.fact(details["origin"])
        s.context(user["first_name"])
        return f"I'm {user['user_id']}. Where does my first trip on file leave from?"

    task = _tell_one(chained, scratch_story)
    assert [c.tool for c in task.gold_calls] == ["get_user_details", "get_reservation_details"]
    assert task.required_facts and task.answer_context and task.metadata["generator"].startswith("envfactory.stories")


def test_facts_must_come_from_outputs_and_stated_phrases_must_be_in_the_request(scratch_story: list[str]) -> None:
    def invented_fact(s: StoryContext) -> str:
        user = _some_user(s)
        s.call("get_user_details", user_id=s.say(user["user_id"]))
        s.fact("Atlantis")
        return f"I'm {user['user_id']}."

    with pytest.raises(ValueError, match="not in any gold output"):
        _tell_one(invented_fact, scratch_story)

    def unsaid(s: StoryContext) -> str:
        user = _some_user(s)
        s.call("get_user_details", user_id=s.say(user["user_id"], phrase="my user name " + user["user_id"]))
        return "What's on my profile?"

    with pytest.raises(ValueError, match="says it states"):
        _tell_one(unsaid, scratch_story)


def test_a_request_that_gives_the_answer_away_is_rejected(scratch_story: list[str]) -> None:
    def leaky(s: StoryContext) -> str:
        user = _some_user(s)
        profile = s.call("get_user_details", user_id=s.say(user["user_id"]))
        s.fact(profile["email"])
        return f"I'm {user['user_id']}. Is my email still {profile['email']}?"

    with pytest.raises(StoryRejected, match="states the answer"):
        _tell_one(leaky, scratch_story)


@pytest.mark.parametrize("name", [*TRAVEL, "travel", "shopping"])
def test_story_synthesis_is_deterministic_lint_clean_and_solvable(name: str) -> None:
    first = synthesize(name, SynthesisConfig(n=6, seed=11)).tasks
    again = synthesize(name, SynthesisConfig(n=6, seed=11)).tasks
    assert first == again and len(first) == 6
    assert lint_report(first).hard_flags == 0
    passed, detail = check_oracle(name, first)
    assert passed, detail


def test_the_same_seed_gives_the_same_requests_and_another_seed_others() -> None:
    one = [t.query for t in synthesize_stories("weather", 5, 1).tasks]
    two = [t.query for t in synthesize_stories("weather", 5, 2).tasks]
    assert one == [t.query for t in synthesize_stories("weather", 5, 1).tasks]
    assert one != two


@pytest.mark.parametrize("env_id", TRAVEL)
def test_packaged_environment_task_files_meet_the_mix(env_id: str) -> None:
    tasks = load_tasks("travel", env_id)
    report = lint_report(tasks)
    assert len(tasks) >= 100
    assert report.hard_flags == 0, report.examples
    assert report.implicit_share >= 0.30, report.summary()
    assert report.long_share >= 0.40, report.summary()


@pytest.mark.parametrize("domain", ["travel", "shopping"])
def test_packaged_domain_task_file_meets_the_mix(domain: str) -> None:
    tasks = load_tasks(domain, "domain")
    report = lint_report(tasks)
    assert len(tasks) >= 240
    assert report.hard_flags == 0, report.examples
    assert report.multi_env_share >= 0.60, report.summary()
    assert report.long_share >= 0.40, report.summary()
    # One person per environment unless the story introduces someone.
    for task in tasks:
        for env_id, identities in task.metadata["identities"].items():
            assert len(set(identities) - set(task.metadata["other_people"])) <= 1, (task.task_id, env_id)


def test_spoken_formats() -> None:
    assert speech.date("2024-05-29") == "May 29"
    assert speech.date("2024-05-29", year=True, weekday=True) == "Wednesday, May 29, 2024"
    assert speech.time("13:30:00") == "1:30 pm" and speech.time("09:00") == "9 am" and speech.time("12:00") == "noon"
    assert speech.timestamp("2024-05-29T07:05:00") == "May 29 at 7:05 am"
    assert speech.money(1301) == "$1,301" and speech.money(699.5) == "$699.50"
    assert speech.count(0, "bag") == "no bags" and speech.count(3, "bag") == "three bags"
    assert speech.words("basic_economy") == "basic economy"
    assert speech.listing(["a", "b", "c"]) == "a, b and c"


def test_openings_greet_for_the_time_of_day_when_given_one() -> None:
    def greetings(now: dt.datetime | None) -> set[str]:
        return {speech.opening(random.Random(seed), now) for seed in range(60)}

    assert "Good morning." in greetings(None)  # without a clock, as before
    evening = greetings(dt.datetime(2025, 6, 20, 21, 30))
    assert "Good evening." in evening and "Good morning." not in evening
    assert "Good afternoon." in greetings(dt.datetime(2025, 6, 20, 14, 0))
    assert greetings(dt.datetime(2025, 6, 20, 9, 0)) == greetings(None)


def test_story_tasks_pick_one_storys_packaged_domain_tasks() -> None:
    told = story_tasks("shopping", "buy_where_it_is_cheaper")
    assert told and {t.metadata["story"] for t in told} == {"fake_store+ebay.buy_where_it_is_cheaper"}
    assert len(told) < len(load_tasks("shopping", "domain"))
    assert story_tasks("shopping", "no_such_story") == []


def test_seeded_rows_read_an_environments_seed() -> None:
    users = seeded_rows("airline", "SELECT COUNT(*) AS n FROM users")[0]["n"]
    assert users > 0
    assert seeded_rows("airline", "SELECT COUNT(*) AS n FROM users WHERE user_id = ?", "nobody_here")[0]["n"] == 0
