"""Training diagnostics: the rubric's parts of each step's rewards, collected from real episodes."""

from __future__ import annotations

import json

import pytest

from envfactory_gym.integrations.trl import EnvironmentFactory, environment_factories, record_final_answers
from envfactory_gym.train.diagnostics import METRICS, PREFIX, RewardDiagnostics
from tests.conftest import bank_read_task, bank_task


def play_bank_episodes(diagnostics: RewardDiagnostics) -> None:
    """Four episodes: a clean write, a write with two malformed calls, a precise read, a read that sprays values."""
    write, read = bank_task(), bank_read_task()
    factories = environment_factories([write, read], on_scored=diagnostics)
    clean, sloppy, good, spray = (factories["test_bank"]() for _ in range(4))
    for environment in (clean, sloppy):
        environment.reset(task_id=write.task_id)
    clean.transfer(source_id="A0001", target_id="A0002", amount=50)
    sloppy.transfer(source_id="A0001")
    sloppy.transfer(source_id="A0001", target_id="A0002", amount="fifty")
    sloppy.transfer(source_id="A0001", target_id="A0002", amount=50)
    for environment in (good, spray):
        environment.reset(task_id=read.task_id)
        environment.get_account(account_id="A0003")
    seen = [json.loads(spray.get_account(account_id=f"A000{n}")) for n in (1, 2, 4, 5)]
    fact = read.required_facts[0]
    listing = "; ".join(f"{a['owner']} has {a['balance']}" for a in seen)
    answers = [f"The balance is {fact}.", f"The balance is {fact}. Also: {listing}."]
    record_final_answers([[{"role": "assistant", "content": a}] for a in answers], [good, spray])
    rewards = [e.get_reward() for e in (clean, sloppy, good, spray)]
    assert rewards == [1.0, pytest.approx(0.9), 1.0, 0.0]


def test_flush_summarises_the_episodes_since_the_last_flush() -> None:
    diagnostics = RewardDiagnostics()
    assert diagnostics.flush() == {}
    play_bank_episodes(diagnostics)
    assert len(diagnostics) == 4
    metrics = diagnostics.flush()
    assert list(metrics) == [PREFIX + name for name in METRICS]
    values = {k.removeprefix(PREFIX): v for k, v in metrics.items()}
    assert values["episodes"] == 4 and values["success_rate"] == 0.75
    assert values["state_match_rate"] == 1.0  # reads change nothing: their state matches
    assert values["fact_credit_rate"] == 0.5  # the spraying answer stated the other accounts' values
    assert values["pasted_output_rate"] == 0.0
    # 1.9 of the 2.9 reward came from the writes (state alone), 1.0 from the read that needed its fact.
    assert values["reward_share_state"] == pytest.approx(1.9 / 2.9)
    assert values["reward_share_facts"] == pytest.approx(1.0 / 2.9)
    assert values["malformed_call_rate"] == pytest.approx(2 / 10)  # 10 tool calls, 2 of them malformed
    assert values["malformed_calls_per_episode"] == 0.5
    assert values["distractor_count"] >= 8 / 4  # the spray's 4 owners and 4 balances, over 4 episodes
    assert values["answer_length"] > len("The balance is")
    assert diagnostics.flush() == {} and len(diagnostics) == 0


def test_an_episode_is_reported_once_and_without_a_callback_nothing_is_collected() -> None:
    diagnostics = RewardDiagnostics()
    task = bank_task()
    environment = EnvironmentFactory("test_bank", [task], on_scored=diagnostics)()
    environment.reset(task_id=task.task_id)
    environment.transfer(source_id="A0001", target_id="A0002", amount=50)
    environment.get_reward()
    environment.get_reward()
    assert len(diagnostics) == 1
    silent = EnvironmentFactory("test_bank", [task])()
    silent.reset(task_id=task.task_id)
    assert silent.get_reward() == 0.0
    assert len(diagnostics) == 1
