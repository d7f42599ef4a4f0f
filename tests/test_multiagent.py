"""The PettingZoo AEC environment: assistant and user take turns on a conversational task."""

from __future__ import annotations

import warnings

import pytest
from pettingzoo.test import api_test

from envfactory_gym.conversation import STOP_TOKEN
from envfactory_gym.conversational_tasks import ConversationalOracleAgent, make_conversational
from envfactory_gym.multiagent import ASSISTANT, USER, ConversationAECEnv
from envfactory_gym.tasks import Task
from tests.conftest import bank_task
from tests.test_conversation import detailed_bank_read_task, detailed_bank_task, freeze_task, look_then_freeze_task


def conversational_tasks() -> list[Task]:
    tasks = [make_conversational(detailed_bank_task(), 0), make_conversational(detailed_bank_read_task(), 0)]
    return [t for t in tasks if t is not None]


def test_pettingzoo_api_test_passes() -> None:
    env = ConversationAECEnv(["test_bank"], tasks=conversational_tasks(), max_turns=12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # api_test's advice about Box spaces and agent names
        api_test(env, num_cycles=50)
    env.close()


def play(env: ConversationAECEnv, assistant: ConversationalOracleAgent) -> tuple[float, list[str]]:
    order = []
    reward = 0.0
    for agent in env.agent_iter(max_iter=100):
        observation, reward, terminated, truncated, _ = env.last()
        order.append(agent)
        if terminated or truncated:
            env.step(None)
            continue
        assert isinstance(observation["text"], str)
        env.step(assistant.act(env.env.messages) if agent == ASSISTANT else env.simulated_user_action())
    return float(reward), order


@pytest.mark.parametrize("task", conversational_tasks(), ids=lambda t: t.task_id)
def test_oracle_and_simulated_user_reach_the_goal(task: Task) -> None:
    env = ConversationAECEnv(["test_bank"], tasks=[task])
    env.reset(options={"task_id": task.task_id})
    oracle = ConversationalOracleAgent()
    oracle.start(env.env.task, env.infos[ASSISTANT]["tools"])
    reward, order = play(env, oracle)
    assert reward == 1.0
    assert order[:3] == [ASSISTANT, USER, ASSISTANT]  # asks, is answered, then acts
    assert STOP_TOKEN in env.env.messages[-1]["content"]


def test_assistant_that_never_asks_fails() -> None:
    task = conversational_tasks()[0]
    env = ConversationAECEnv(["test_bank"], tasks=[task])
    env.reset(options={"task_id": task.task_id})
    oracle = ConversationalOracleAgent(ask=False)
    oracle.start(env.env.task, env.infos[ASSISTANT]["tools"])
    assert play(env, oracle)[0] == 0.0


@pytest.mark.parametrize("ask", [True, False])
def test_dual_control_oracle_has_the_simulated_user_act(ask: bool) -> None:
    """Told what to do, the simulated user makes its own call in its turn; never told, it makes none."""
    task = look_then_freeze_task()
    env = ConversationAECEnv(["test_bank"], tasks=[task])
    env.reset(options={"task_id": task.task_id})
    oracle = ConversationalOracleAgent(ask=ask)
    oracle.start(env.env.task, env.infos[ASSISTANT]["tools"])
    reward, order = play(env, oracle)
    frozen = [c["after"]["frozen"] for c in env.env.change_sets()["test_bank"]]
    assert (reward, frozen) == ((1.0, [1]) if ask else (0.0, []))
    assert (order[:3] == [ASSISTANT, ASSISTANT, USER]) if ask else (USER not in order[:2])


def test_user_owns_its_tools_and_the_assistant_cannot_call_them() -> None:
    task = freeze_task()
    env = ConversationAECEnv(["test_bank"], tasks=[task], history_in_info=True)
    env.reset(options={"task_id": task.task_id})
    assert [t["function"]["name"] for t in env.infos[USER]["tools"]] == ["freeze_account"]
    assert "freeze_account" not in [t["function"]["name"] for t in env.infos[ASSISTANT]["tools"]]
    call = '<tool_call>{"name": "freeze_account", "arguments": {"account_id": "A0005"}}</tool_call>'
    env.step(call)
    assert "unknown tool" in env.observe(ASSISTANT)["text"] and env.agent_selection == ASSISTANT
    env.step("Please freeze account A0005 from your side.")
    assert env.agent_selection == USER and "freeze" in env.observe(USER)["text"]
    env.step('<tool_call>{"name": "transfer", "arguments": {}}</tool_call>')
    assert "no tool 'transfer'" in env.observe(USER)["text"]
    env.step(call)
    assert env.agent_selection == USER and "is frozen" in env.observe(USER)["text"]
    assert [c["after"]["frozen"] for c in env.env.change_sets()["test_bank"]] == [1]
    env.step(f"Done, thanks! {STOP_TOKEN}")
    assert all(env.terminations.values())
    assert env.rewards[ASSISTANT] == env.rewards[USER] == pytest.approx(0.95)  # the refused call's penalty
    assert env.infos[USER]["messages"][-1]["content"].endswith(STOP_TOKEN)


def test_conversation_is_truncated_after_max_turns() -> None:
    env = ConversationAECEnv(["test_bank"], tasks=[bank_task()], max_turns=3)
    env.reset(options={"task_id": "bank-transfer"})
    for _ in range(3):
        env.step("hello")
    assert all(env.truncations.values()) and not any(env.terminations.values())
    assert env.rewards[ASSISTANT] == 0.0
