"""The rubric's probe agents end to end on packaged airline tasks: spray earns nothing, format and helpful
earn what the oracle earns.

The task files are regenerated from time to time, so the tasks are picked by property, never by id.
"""

from __future__ import annotations

import pytest

from envfactory_gym import registry
from envfactory_gym.agents.base import make_agent
from envfactory_gym.agents.baselines import FormatAgent, HelpfulAgent, OracleAgent, SprayAgent, restate
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.rollout import EpisodeResult, play_episode
from envfactory_gym.rubric import answer_budget, distractor_allowance
from envfactory_gym.tasks import Task, load_tasks


def _read_tasks_with_facts() -> list[Task]:
    return [t for t in load_tasks("travel", "airline", "test") if t.goal == "read" and t.required_facts]


@pytest.fixture(scope="module")
def env() -> ToolUseEnv:
    return ToolUseEnv(["airline"], split="test")


def play(env: ToolUseEnv, agent: OracleAgent, task: Task) -> tuple[EpisodeResult, str]:
    result = play_episode(env, agent, options={"task_id": task.task_id})
    return result, env.final_answer()


@pytest.fixture(scope="module")
def spray_task(env: ToolUseEnv) -> Task:
    """The first test read task with facts whose gold reads show much more than the facts (a spray shows all)."""
    for task in _read_tasks_with_facts():
        _, answer = play(env, SprayAgent(), task)
        if len(answer.split("; ")) - len(task.required_facts) > 2 * distractor_allowance(task.required_facts):
            return task
    pytest.skip("no airline test read task whose reads show more than its facts")


def test_probe_agents_are_registered() -> None:
    for name, kind in [("spray", SprayAgent), ("format", FormatAgent), ("helpful", HelpfulAgent)]:
        assert isinstance(make_agent(name), kind)


def test_spray_replays_only_the_reads_and_earns_nothing(env: ToolUseEnv, spray_task: Task) -> None:
    agent = SprayAgent()
    result, answer = play(env, agent, spray_task)
    kinds = {registry.load_definition(c.env_id).tools[c.tool].kind for c in agent.calls}
    assert kinds == {"read"}
    assert len(answer) <= answer_budget(spray_task.required_facts, spray_task.answer_context)
    assert result.reward == 0.0 and not result.success
    assert result.breakdown["distractor_count"] > result.breakdown["distractor_allowance"]
    assert result.breakdown["distractors"]


def test_format_and_helpful_earn_what_the_oracle_earns(env: ToolUseEnv) -> None:
    tasks = _read_tasks_with_facts()
    assert tasks, "the airline test split has read tasks with facts"
    for task in tasks:
        oracle, _ = play(env, OracleAgent(), task)
        assert oracle.success, task.task_id
        for agent in (FormatAgent(), HelpfulAgent()):
            result, answer = play(env, agent, task)
            assert result.success and result.reward == oracle.reward, (
                task.task_id,
                agent.name,
                answer,
                result.breakdown,
            )


def test_the_probes_say_the_facts_differently(env: ToolUseEnv, spray_task: Task) -> None:
    _, oracle_answer = play(env, OracleAgent(), spray_task)
    assert oracle_answer == "Here is what you asked for: " + "; ".join(spray_task.required_facts) + "."
    _, helpful_answer = play(env, HelpfulAgent(), spray_task)
    assert helpful_answer.endswith("I hope that helps!")
    assert all(c in helpful_answer for c in map(restate, spray_task.answer_context))


@pytest.mark.parametrize(
    ("fact", "spoken"),
    [
        ("2024-05-17", "May 17, 2024"),
        ("2024-05-17T13:30:00", "May 17, 2024 at 1:30 PM"),
        ("00:30", "12:30 AM"),
        ("1301", "1,301"),
        ("25", "twenty-five"),
        ("699.5", "$699.50"),
        ("in_progress", "in progress"),
        ("yes", "Yep"),
        ("no", "Nope"),
        ("Pets are not allowed.", "Pets are not allowed"),
    ],
)
def test_restate_changes_the_format(fact: str, spoken: str) -> None:
    assert restate(fact) == spoken
