"""The communication domain's cross-service stories with posting: each is told, solved by its gold calls, and
the state decides (a resolved ticket is announced, an unresolved one only reported); together they use every
posting tool the posting environment's own tasks use."""

from __future__ import annotations

import random
from functools import cache

from envfactory_gym import registry
from envfactory_gym.synthesis.stories import Story, StoryRejected, _tell, load_stories
from envfactory_gym.tasks import Task, load_tasks
from envfactory_gym.testing import oracle_and_noop_rewards

DRAWS = 12


def _posting_stories() -> list[Story]:
    return [s for s in load_stories("communication") if s.name.split(".")[-1].startswith("posting_")]


@cache
def _told() -> dict[str, tuple[Task, ...]]:
    told: dict[str, tuple[Task, ...]] = {}
    for chosen in _posting_stories():
        definitions = {e: registry.load_definition(e) for e in chosen.env_ids}
        tasks = []
        for draw in range(DRAWS):
            try:
                tasks.append(
                    _tell(chosen, f"posting-domain-{draw:04d}", "communication", definitions, random.Random(draw))
                )
            except StoryRejected:
                continue
        told[chosen.name] = tuple(tasks)
    return told


def test_there_are_four_cross_service_posting_stories() -> None:
    stories = _posting_stories()
    assert len(stories) == 4
    assert all(s.multi_env and "posting" in s.env_ids for s in stories)


def test_each_story_is_told_and_solved_by_its_gold_calls() -> None:
    for name, tasks in _told().items():
        assert len(tasks) >= DRAWS // 2, f"{name} told {len(tasks)} of {DRAWS} draws"
        write = next(t for t in tasks if t.goal == "write")
        assert oracle_and_noop_rewards(write) == (1.0, 0.0), name


def test_the_ticket_decides_whether_the_outage_is_announced() -> None:
    (tasks,) = [t for name, t in _told().items() if name.endswith(".posting_announce_fixed_outage")]
    posted = [t for t in tasks if any(c.tool == "post_tweet" for c in t.gold_calls)]
    reported = [t for t in tasks if t not in posted]
    assert posted and reported
    assert all(t.required_facts and t.required_facts[0] != "Resolved" for t in reported)


def test_the_stories_use_every_posting_tool_its_own_tasks_use() -> None:
    own = {c.tool for t in load_tasks("communication", "posting") for c in t.gold_calls}
    used = {c.tool for tasks in _told().values() for t in tasks for c in t.gold_calls if c.env_id == "posting"}
    assert own - used == set()
