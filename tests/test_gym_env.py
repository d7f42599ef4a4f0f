"""The Gymnasium contract: reset/step, malformed actions, termination, check_env and vector envs."""

from __future__ import annotations

import json
from pathlib import Path

import gymnasium as gym
import pytest
from gymnasium.utils.env_checker import check_env

import envfactory_gym  # noqa: F401
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.tasks import Task


def make(tasks: list[Task], **kwargs: object) -> ToolUseEnv:
    return ToolUseEnv(["test_bank"], tasks=tasks, **kwargs)  # type: ignore[arg-type]


def call(name: str, **arguments: object) -> str:
    return f"<tool_call>{json.dumps({'name': name, 'arguments': arguments})}</tool_call>"


def test_reset_returns_query_and_tools(bank_tasks: list[Task]) -> None:
    env = make(bank_tasks)
    observation, info = env.reset(seed=0, options={"task_id": "bank-transfer"})
    assert observation == "Please send 50 from A0001 to A0002."
    assert info["task_id"] == "bank-transfer" and info["env_ids"] == ["test_bank"]
    assert {t["function"]["name"] for t in info["tools"]} == set(env.runtime.bindings)  # type: ignore[union-attr]
    assert [m["role"] for m in info["messages"]] == ["system", "user"]


def test_solving_a_write_task_earns_reward_one(bank_tasks: list[Task]) -> None:
    env = make(bank_tasks)
    env.reset(options={"task_id": "bank-transfer"})
    observation, reward, terminated, truncated, info = env.step(
        call("transfer", source_id="A0001", target_id="A0002", amount=50)
    )
    assert json.loads(observation)["amount"] == 50 and reward == 0 and not terminated
    _, reward, terminated, truncated, info = env.step("Done: I sent 50 from A0001 to A0002.")
    assert terminated and not truncated and reward == 1.0 and info["success"]
    assert info["reward_breakdown"]["state_match"]


def test_wrong_amount_and_no_op_earn_nothing(bank_tasks: list[Task]) -> None:
    env = make(bank_tasks)
    env.reset(options={"task_id": "bank-transfer"})
    env.step(call("transfer", source_id="A0001", target_id="A0002", amount=49))
    assert env.step("Done.")[1] == 0.0
    env.reset(options={"task_id": "bank-transfer"})
    assert env.step("I did it!")[1] == 0.0


def test_read_task_needs_the_fact(bank_tasks: list[Task]) -> None:
    env = make(bank_tasks)
    env.reset(options={"task_id": "bank-read"})
    balance = json.loads(env.step(call("get_account", account_id="A0003"))[0])["balance"]
    assert env.step(f"The balance is {balance:,}.")[1] == 1.0
    env.reset(options={"task_id": "bank-read"})
    assert env.step("The balance is 999999999.")[1] == 0.0


MALFORMED = {
    "bad json": '<tool_call>{"name": "transfer", "arguments": {oops}}</tool_call>',
    "unknown tool": call("drop_database"),
    "wrong type": call("transfer", source_id="A0001", target_id="A0002", amount="fifty"),
    "missing argument": call("transfer", source_id="A0001", amount=5),
    "extra argument": call("transfer", source_id="A0001", target_id="A0002", amount=5, memo="x"),
    "huge string": call("get_account", account_id="A" * 150_000),
    "non-object arguments": '<tool_call>{"name": "get_account", "arguments": [1, 2]}</tool_call>',
    "no name": '<tool_call>{"arguments": {}}</tool_call>',
    "openai bad arguments": {
        "role": "assistant",
        "tool_calls": [{"id": "1", "function": {"name": "transfer", "arguments": "{"}}],
    },
    "not a message": 12345,
    "business rule": call("transfer", source_id="A0001", target_id="A0002", amount=10**9),
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_malformed_actions_are_error_observations_without_state_change(kind: str, bank_tasks: list[Task]) -> None:
    env = make(bank_tasks)
    env.reset(options={"task_id": "bank-transfer"})
    before = env.state_hash()
    observation, reward, terminated, _truncated, info = env.step(MALFORMED[kind])
    assert observation.startswith("Error") or "Error:" in observation
    assert not terminated and reward == 0
    assert env.state_hash() == before
    assert sum(info["errors"].values()) >= 1
    assert info["messages"][-1]["role"] == "tool"
    # The episode goes on normally after the error.
    env.step(call("transfer", source_id="A0001", target_id="A0002", amount=50))
    final = env.step("Done.")
    expected_penalty = 0.0 if kind == "business rule" else 0.05
    assert final[1] == pytest.approx(1.0 - expected_penalty)


def test_step_limit_truncates(bank_tasks: list[Task]) -> None:
    env = make(bank_tasks, max_steps=2)
    env.reset(options={"task_id": "bank-transfer"})
    assert not env.step(call("get_account", account_id="A0001"))[3]
    _, _, terminated, truncated, _ = env.step(call("get_account", account_id="A0001"))
    assert truncated and not terminated
    with pytest.raises(gym.error.ResetNeeded):
        env.step("hello")


def test_reset_seed_draws_tasks_deterministically(bank_tasks: list[Task]) -> None:
    env = make(bank_tasks)
    drawn = [env.reset(seed=s)[1]["task_id"] for s in range(10)]
    assert drawn == [env.reset(seed=s)[1]["task_id"] for s in range(10)]
    assert set(drawn) <= {"bank-transfer", "bank-read"}
    assert make(bank_tasks, split="test").reset(seed=0)[1]["task_id"] == "bank-test"


def test_check_env_passes(bank_tasks: list[Task]) -> None:
    check_env(make(bank_tasks), skip_render_check=True)


def test_gym_make_and_module_prefix() -> None:
    env = gym.make("envfactory/test_bank-v0")
    observation, info = env.reset(seed=0)
    assert info["sandbox"] and isinstance(observation, str)
    env.close()


@pytest.mark.parametrize("vector", ["sync", "async"])
def test_vector_envs(vector: str, bank_tasks: list[Task]) -> None:
    fns = [lambda: make(bank_tasks) for _ in range(2)]
    envs = gym.vector.SyncVectorEnv(fns) if vector == "sync" else gym.vector.AsyncVectorEnv(fns, shared_memory=False)
    observations, _ = envs.reset(seed=[0, 1], options={"task_id": "bank-transfer"})
    assert list(observations) == ["Please send 50 from A0001 to A0002."] * 2
    step = envs.step([call("transfer", source_id="A0001", target_id="A0002", amount=50), "no"])
    assert json.loads(step[0][0])["amount"] == 50
    assert step[2][1] and step[1][1] == 0.0
    envs.close()


def test_async_vector_env_with_shared_memory_is_a_clear_error(bank_tasks: list[Task]) -> None:
    with pytest.raises(ValueError, match="shared_memory=False"):
        gym.vector.AsyncVectorEnv([lambda: make(bank_tasks) for _ in range(2)])


def test_changing_info_messages_does_not_touch_the_episode(bank_tasks: list[Task]) -> None:
    env = make(bank_tasks)
    _, info = env.reset(options={"task_id": "bank-transfer"})
    info["messages"][1]["content"] = "tampered"
    info["messages"].append({"role": "assistant", "content": "injected"})
    _, _, _, _, step_info = env.step(call("get_account", account_id="A0001"))
    assert step_info["messages"][1]["content"] == "Please send 50 from A0001 to A0002."
    assert all(m.get("content") != "injected" for m in step_info["messages"])


def test_user_tools_are_invisible_to_the_assistant(bank_tasks: list[Task]) -> None:
    from envfactory_gym.tasks import UserProfile

    task = bank_tasks[0].model_copy(update={"user": UserProfile(user_tools=["freeze_account"])})
    env = make([task])
    _, info = env.reset(options={"task": task})
    assert "freeze_account" not in {t["function"]["name"] for t in info["tools"]}
    observation, *_ = env.step(call("freeze_account", account_id="A0001"))
    assert "unknown tool" in observation and "freeze_account" not in observation.split("Available tools:")[1]
    assert env.runtime is not None and env.runtime.call("freeze_account", {"account_id": "A0001"}, as_user=True).ok


def test_registering_a_custom_environment_is_idempotent_and_guards_its_name() -> None:
    from sqlalchemy.orm import DeclarativeBase

    from envfactory_gym import registry
    from envfactory_gym.authoring import EnvironmentDefinition
    from tests.fixtures import bank

    assert registry.register_environment(bank.env) == "envfactory/test_bank-v0"

    class Other(DeclarativeBase):
        pass

    impostor = EnvironmentDefinition("test_bank", domain="finance", models=Other, description="")
    with pytest.raises(ValueError, match="already registered"):
        registry.register_environment(impostor)
    with pytest.raises(ValueError, match="suite environment"):
        registry.register_environment(EnvironmentDefinition("airline", domain="x", models=Other, description=""))


def test_typos_in_split_and_options_are_errors_naming_the_valid_ones(bank_tasks: list[Task]) -> None:
    with pytest.raises(ValueError, match=r"Unknown split 'tset'; the splits are: train, test"):
        make(bank_tasks, split="tset")
    with pytest.raises(ValueError, match="Unknown split 'tset'"):
        gym.make("envfactory/test_bank-v0", split="tset")
    env = make(bank_tasks)
    with pytest.raises(ValueError, match=r"Unknown options\[.split.\] 'validation'; the splits are: train, test"):
        env.reset(options={"split": "validation"})
    with pytest.raises(ValueError, match=r"Unknown reset option\(s\) 'splt'; the options are: task_id, split, task"):
        env.reset(options={"splt": "test"})
    with pytest.raises(ValueError, match="Unknown split 'bogus'"):
        env.task_pool("bogus")


@pytest.mark.parametrize(
    "options", [{"task_id": "nope"}, {"split": "validation"}, {"splt": "test"}, {"task_id": "bank-read", "x": 1}]
)
def test_a_failed_reset_leaves_the_running_episode_and_the_draws_as_they_were(
    options: dict[str, object], bank_tasks: list[Task]
) -> None:
    env = make(bank_tasks)
    env.reset(seed=1, options={"task_id": "bank-transfer"})
    env.step(call("transfer", source_id="A0001", target_id="A0002", amount=50))
    state, transcript = env.state_hash(), env._messages_copy()
    with pytest.raises((KeyError, ValueError)):
        env.reset(seed=123, options=options)
    assert env.task is not None and env.task.task_id == "bank-transfer"
    assert env.state_hash() == state and env._messages_copy() == transcript
    assert env.step("Done: I sent 50 from A0001 to A0002.")[1] == 1.0
    # The failed reset did not reseed: the next unseeded draws are those of an env that never saw it.
    twin = make(bank_tasks)
    twin.reset(seed=1, options={"task_id": "bank-transfer"})
    assert [env.reset()[1]["task_id"] for _ in range(8)] == [twin.reset()[1]["task_id"] for _ in range(8)]


def test_a_domain_without_cross_service_tasks_plays_its_environments_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A domain whose domain.jsonl is not written yet (its environments are landing one by one) still resets:
    its pool is the union of its environments' own tasks. Once the file exists, only its tasks are drawn."""
    import envfactory_gym.env as env_module
    from envfactory_gym import registry
    from envfactory_gym.tasks import load_tasks

    env = ToolUseEnv(domain="travel")
    assert {t.task_id for t in env.task_pool("test")} == {t.task_id for t in load_tasks("travel", "domain", "test")}

    def without_domain_file(domain: str, name: str, split: str | None = None) -> list[Task]:
        return [] if name.startswith("domain") else load_tasks(domain, name, split)

    monkeypatch.setattr(env_module, "load_tasks", without_domain_file)
    monkeypatch.setattr(env_module, "task_file", lambda domain, name: Path("/nonexistent/domain.jsonl"))
    pool = env.task_pool("test")
    expected = [t for e in registry.domain_envs("travel") for t in load_tasks("travel", e, "test")]
    assert [t.task_id for t in pool] == [t.task_id for t in expected]
    _, info = env.reset(seed=0, options={"split": "test"})
    assert info["task_id"] in {t.task_id for t in expected}
