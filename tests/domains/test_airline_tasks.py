"""The packaged airline tasks meet the suite's bar (`envfactory verify airline` runs with every environment's
in tests/domains/test_verified_environments.py)."""

from __future__ import annotations

import re
from collections import Counter

from envfactory_gym import registry
from envfactory_gym.tasks import load_tasks

TASKS = load_tasks("travel", "airline")


def test_task_mix() -> None:
    assert len(TASKS) >= 150
    assert sum(len(t.gold_calls) >= 3 for t in TASKS) >= 0.4 * len(TASKS)
    assert sum(t.goal == "read" for t in TASKS) >= 0.3 * len(TASKS)
    used = {c.tool for t in TASKS for c in t.gold_calls}
    assert used == set(registry.load_definition("airline").tools)
    splits = Counter(t.split for t in TASKS)
    assert splits["test"] >= 20 and splits["train"] >= 100
    assert len({t.task_id for t in TASKS}) == len(TASKS)


def test_queries_state_goals_not_tool_names_or_hidden_ids() -> None:
    tools = registry.load_definition("airline").tools
    for task in TASKS:
        assert not any(name in task.query for name in tools if "_" in name), task.query
        for call in task.gold_calls:
            for key in ("payment_id",):
                value = call.arguments.get(key)
                assert value is None or str(value) not in task.query, task.query


CONVERSATIONAL = load_tasks("travel", "airline_conversational")


def test_conversational_tasks_hide_a_detail() -> None:
    """Half the tasks have a variant whose request no longer states the hidden detail. That the asking
    oracle solves every variant and one that never asks solves none is checked for every packaged
    conversational file in tests/domains/test_verified_environments.py."""
    assert len(CONVERSATIONAL) >= 0.5 * len(TASKS)
    for task in CONVERSATIONAL:
        hidden = [str(v) for v in task.user.hidden_facts.values()]
        assert hidden and not any(re.search(rf"(?<![\w.]){re.escape(h)}(?![\w]|\.\d)", task.query) for h in hidden)
