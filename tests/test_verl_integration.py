"""The verl agent loop against the real verl package: configs composed with verl's own Hydra schema, the loop
built from the agent-loop YAML and run by verl's ``AgentLoopWorker.generate_sequences`` (padding, masks and
reward tensors included), token accounting checked against the stock Qwen3 template and verl's own
Continuous Token builder.

The rollout server is a scripted model: it answers ``generate(request_id, prompt_ids=..., sampling_params=...)``
with fixed text, so the tests check the plumbing deterministically.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hydra import compose, initialize_config_dir
from hydra.errors import InstantiationException
from omegaconf import OmegaConf, open_dict
from verl.experimental.agent_loop.agent_loop import AgentLoopWorker
from verl.protocol import DataProto
from verl.workers.rollout.replica import TokenOutput

from envfactory_gym.env import system_prompt
from envfactory_gym.export import select_tasks
from envfactory_gym.integrations import verl as verl_integration
from envfactory_gym.integrations.trl import trl_tool_schemas
from envfactory_gym.integrations.verl import (
    AGENT_NAME,
    ChatTokens,
    agent_loop_class,
    dataset_class,
    prompt_token_count,
    verl_records,
)
from envfactory_gym.tasks import write_tasks
from tests.fixtures import bank
from tests.fixtures.counter import counter_task
from tests.fixtures.counter import env as counter_env

CONFIGS = Path(__file__).resolve().parents[1] / "train" / "configs"
THINK = "<think>\nI will add it.\n</think>\n\n"
RIGHT = THINK + '<tool_call>\n{"name": "add", "arguments": {"name": "a", "amount": 3}}\n</tool_call><|im_end|>'
WRONG = THINK + '<tool_call>\n{"name": "add", "arguments": {"name": "a", "amount": 4}}\n</tool_call><|im_end|>'
ANSWER = "<think>\nDone.\n</think>\n\nCounter a is 3.<|im_end|>"


@pytest.fixture(scope="module")
def stock_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny Qwen3 model with the stock Qwen3 chat template (the one that drops earlier <think> blocks)."""
    from envfactory_gym.tiny_model import build_tiny_model, qwen3_chat_template

    corpus = [system_prompt([bank.env]), system_prompt([counter_env]), qwen3_chat_template(False), RIGHT, ANSWER]
    corpus += [json.dumps(spec.openai_schema()) for spec in counter_env.tools.values()]
    corpus += [json.dumps(schema) for schema in trl_tool_schemas("test_counter")]
    return build_tiny_model(tmp_path_factory.mktemp("stock"), corpus=corpus, vocab_size=600, training_template=False)


@pytest.fixture(scope="module")
def tokenizer(stock_model: Path) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(stock_model)


def verl_config(name: str, model: Path, *overrides: str) -> Any:
    """One of the suite's verl configs, composed by Hydra over verl's packaged ppo_trainer schema."""
    with initialize_config_dir(config_dir=str(CONFIGS), version_base=None):
        return compose(
            name,
            overrides=[
                f"actor_rollout_ref.model.path={model}",
                "actor_rollout_ref.rollout.agent.num_workers=1",
                *overrides,
            ],
        )


def loop_config(model: Path, tmp_path: Path, prompt: int = 1024, response: int = 256, **options: Any) -> Any:
    """verl-grpo with the agent-loop YAML entry ``options`` and small prompt/response caps."""
    entry = agent_loop_yaml(tmp_path / "loop.yaml", **options)
    return verl_config(
        "verl-grpo",
        model,
        f"actor_rollout_ref.rollout.agent.agent_loop_config_path={entry}",
        f"data.max_prompt_length={prompt}",
        f"data.max_response_length={response}",
    )


def agent_loop_yaml(path: Path, **options: Any) -> Path:
    entry = {"name": AGENT_NAME, "_target_": "envfactory_gym.integrations.verl.EnvfactoryAgentLoop", **options}
    path.write_text(OmegaConf.to_yaml(OmegaConf.create([entry])), encoding="utf-8")
    return path


class ScriptedModel:
    """The rollout server's role: the i-th trajectory (by first request) makes ``calls[i]``, then answers."""

    def __init__(self, tokenizer: Any, calls: list[str], answer: str = ANSWER) -> None:
        self.tokenizer = tokenizer
        self.calls = calls
        self.answer = answer
        self.order: dict[str, int] = {}
        self.requests: list[dict[str, Any]] = []

    async def generate(self, request_id: str, *, prompt_ids: list[int], sampling_params: dict, **_: Any) -> Any:
        index = self.order.setdefault(request_id, len(self.order))
        self.requests.append({"id": request_id, "prompt_ids": list(prompt_ids), "sampling": dict(sampling_params)})
        await asyncio.sleep(0)  # concurrent trajectories interleave, as on a real server
        answered = "<tool_response>" in self.tokenizer.decode(prompt_ids)
        text = self.answer if answered else self.calls[index % len(self.calls)]
        ids = self.tokenizer(text, add_special_tokens=False)["input_ids"]
        return TokenOutput(token_ids=ids, log_probs=[-0.5] * len(ids))


def batch_of(records: list[dict[str, Any]]) -> DataProto:
    """Rows as verl's RLHFDataset + trainer hand them to the worker (non-tensor fields per sample)."""
    columns = {
        "raw_prompt": [r["prompt"] for r in records],
        "extra_info": [r["extra_info"] for r in records],
        "agent_name": [r["agent_name"] for r in records],
        "data_source": [r["data_source"] for r in records],
        "index": [r["extra_info"]["index"] for r in records],
    }
    batch = DataProto.from_dict(non_tensors={k: np.array(v, dtype=object) for k, v in columns.items()})
    batch.meta_info = {"global_steps": 1, "validate": False}
    return batch


def generate(config: Any, model: ScriptedModel, records: list[dict[str, Any]]) -> DataProto:
    worker = AgentLoopWorker(config, model)
    return asyncio.run(worker.generate_sequences(batch_of(records)))


def valid_response(output: DataProto, row: int) -> tuple[list[int], list[int]]:
    prompt_width = output.batch["prompts"].shape[1]
    attention = output.batch["attention_mask"][row, prompt_width:].bool()
    tokens = output.batch["responses"][row][attention].tolist()
    mask = output.batch["response_mask"][row][attention].tolist()
    return tokens, mask


@pytest.fixture
def counter_tasks_file(tmp_path: Path) -> Path:
    path = tmp_path / "tasks.jsonl"
    write_tasks(path, [counter_task()])
    return path


# -- configuration ----------------------------------------------------------------------------------------
def test_without_verl_the_agent_loop_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "verl", None)
    monkeypatch.setitem(sys.modules, "verl.experimental.agent_loop.agent_loop", None)
    agent_loop_class.cache_clear()
    try:
        with pytest.raises(ImportError, match="envfactory-gym\\[verl\\]"):
            _ = verl_integration.EnvfactoryAgentLoop
    finally:
        agent_loop_class.cache_clear()
    assert verl_records([counter_task()])[0]["agent_name"] == AGENT_NAME  # data export needs no verl
    # Without a task file, tasks come from the row's environments' packaged tasks; test_counter has none.
    with pytest.raises(KeyError, match="add-a3"):
        verl_integration.find_task("add-a3", ["test_counter"])


@pytest.mark.filterwarnings("ignore:Disabled critic:UserWarning")
def test_grpo_and_ppo_configs_compose_over_verls_schema(stock_model: Path) -> None:
    from verl.trainer.ppo.utils import need_critic
    from verl.utils.config import omega_conf_to_dataclass
    from verl.utils.dataset.rl_dataset import get_dataset_class

    grpo = verl_config("verl-grpo", stock_model)
    ppo = verl_config("verl-ppo", stock_model)
    assert grpo.algorithm.adv_estimator == "grpo" and not need_critic(grpo) and grpo.actor_rollout_ref.rollout.n > 1
    assert ppo.algorithm.adv_estimator == "gae" and need_critic(ppo) and ppo.critic.model.path == str(stock_model)
    for config in (grpo, ppo):
        rollout = omega_conf_to_dataclass(config.actor_rollout_ref.rollout)  # verl's own typed validation
        assert rollout.prompt_length == config.data.max_prompt_length == 10240
        assert rollout.response_length == config.data.max_response_length
        assert rollout.agent.default_agent_loop == AGENT_NAME
        assert get_dataset_class(config.data) is dataset_class()


# -- the loop inside verl's worker ------------------------------------------------------------------------
def test_the_worker_passes_the_yaml_options_to_the_loop(
    stock_model: Path, tokenizer: Any, tmp_path: Path, counter_tasks_file: Path
) -> None:
    # A task that exists only in tasks_file, and a step limit of 3 (the default would be 30).
    entry = agent_loop_yaml(tmp_path / "loop.yaml", tasks_file=str(counter_tasks_file), max_episode_steps=3)
    config = verl_config("verl-grpo", stock_model, f"actor_rollout_ref.rollout.agent.agent_loop_config_path={entry}")
    model = ScriptedModel(tokenizer, [RIGHT.replace('amount": 3', 'amount": 1')], answer=RIGHT)  # never answers
    output = generate(config, model, verl_records([counter_task()]))
    assert len(model.requests) == 3, "max_episode_steps from the YAML entry truncates the episode"
    assert output.non_tensor_batch["task_id"].tolist() == ["add-a3"]
    with pytest.raises(InstantiationException, match=r"tasks_file .* does not exist"):
        generate(
            verl_config(
                "verl-grpo",
                stock_model,
                "actor_rollout_ref.rollout.agent.agent_loop_config_path="
                + str(agent_loop_yaml(tmp_path / "bad.yaml", tasks_file=str(tmp_path / "missing.jsonl"))),
            ),
            model,
            verl_records([counter_task()]),
        )


def test_a_grpo_group_plays_separate_episodes_scored_by_the_rubric(
    stock_model: Path, tokenizer: Any, tmp_path: Path, counter_tasks_file: Path
) -> None:
    config = loop_config(stock_model, tmp_path, tasks_file=str(counter_tasks_file))
    record = verl_records([counter_task()])[0]
    model = ScriptedModel(tokenizer, [RIGHT, WRONG])
    output = generate(config, model, [record, record])  # two samples of one prompt, as rollout.n = 2 makes
    assert output.batch["prompts"].shape[1] == 1024 and output.batch["responses"].shape[1] == 256
    # The rubric's score lands on each trajectory's last token: right call 1.0, wrong amount 0.0.
    assert output.batch["rm_scores"].sum(-1).tolist() == [1.0, 0.0]
    assert output.non_tensor_batch["success"].tolist() == [True, False]
    # One request id per trajectory, and each turn's prompt extends the previous one.
    first, second = (r for r in model.requests if r["id"] == model.requests[0]["id"])
    assert second["prompt_ids"][: len(first["prompt_ids"])] == first["prompt_ids"]
    tokens, mask = valid_response(output, 0)
    model_text = tokenizer.decode([t for t, m in zip(tokens, mask, strict=True) if m])
    tool_text = tokenizer.decode([t for t, m in zip(tokens, mask, strict=True) if not m])
    assert model_text == RIGHT + ANSWER
    assert tool_text == "\n<|im_start|>user\n<tool_response>\n3\n</tool_response><|im_end|>\n<|im_start|>assistant\n"


def test_tool_turns_are_token_exact_with_the_stock_qwen3_template(
    stock_model: Path, tokenizer: Any, tmp_path: Path, counter_tasks_file: Path
) -> None:
    from verl.utils.tokenizer.continuous_token_wiring import create_continuous_token_builder

    config = loop_config(stock_model, tmp_path, tasks_file=str(counter_tasks_file))
    model = ScriptedModel(tokenizer, [RIGHT])
    output = generate(config, model, verl_records([counter_task()]))
    trajectory = output.batch["input_ids"][0][output.batch["attention_mask"][0].bool()].tolist()

    # The conversation the model had, with each turn's thinking kept: the stock template renders exactly the
    # trajectory's tokens (up to the template's "\n" after the final <|im_end|>, which the model never emits).
    messages, tools = verl_integration.episode_opening(counter_task())
    call = {"type": "function", "function": {"name": "add", "arguments": {"name": "a", "amount": 3}}}
    conversation = [
        *messages,
        {"role": "assistant", "reasoning_content": "I will add it.", "content": "", "tool_calls": [call]},
        {"role": "tool", "content": "3"},
        {"role": "assistant", "reasoning_content": "Done.", "content": "Counter a is 3."},
    ]
    rendered = tokenizer(
        tokenizer.apply_chat_template(conversation, tools=tools, tokenize=False), add_special_tokens=False
    )["input_ids"]
    assert trajectory == rendered[: len(trajectory)] and tokenizer.decode(rendered[len(trajectory) :]) == "\n"

    # verl's own Continuous Token builder for Qwen3 produces the same tool-turn tokens.
    builder = create_continuous_token_builder(tokenizer, hf_model_type="qwen3")
    prompt = [t for t in output.batch["prompts"][0].tolist() if t != tokenizer.pad_token_id]
    call_ids = tokenizer(RIGHT, add_special_tokens=False)["input_ids"]
    history = [*messages, {"role": "assistant", "content": "", "tool_calls": [call]}]
    merged = builder.merge_context_tokens(
        history, [*history, {"role": "tool", "content": "3"}], prompt + call_ids, tools=tools
    )
    ours = ChatTokens(tokenizer).tool_turn_ids([{"role": "tool", "content": "3"}], tools, call_ids[-1])
    assert merged.token_ids[len(prompt) + len(call_ids) :] == ours
    assert trajectory[len(prompt) : len(prompt) + len(call_ids) + len(ours)] == call_ids + ours


def test_prompts_and_responses_stay_within_verls_caps(
    stock_model: Path, tokenizer: Any, tmp_path: Path, counter_tasks_file: Path
) -> None:
    airline = select_tasks("airline", split="test")[0]
    write_tasks(counter_tasks_file, [counter_task(), airline])
    config = loop_config(stock_model, tmp_path, response=48, tasks_file=str(counter_tasks_file))
    model = ScriptedModel(tokenizer, [RIGHT])
    output = generate(config, model, verl_records([counter_task(), airline]))
    # The airline prompt (its tools rendered by the tiny tokenizer) does not fit: not played, fully masked.
    assert output.non_tensor_batch["overlong_prompt"].tolist() == [False, True]
    assert output.batch["prompts"].shape == (2, 1024) and output.batch["responses"].shape == (2, 48)
    assert output.batch["response_mask"][1].sum() == 0 and output.batch["rm_scores"][1].sum() == 0
    # Each turn asks for no more than the response budget left, and the last kept token is the model's.
    budgets = [r["sampling"]["max_tokens"] for r in model.requests]
    assert budgets[0] == 48 and all(b < 48 for b in budgets[1:])
    tokens, mask = valid_response(output, 0)
    assert len(tokens) <= 48 and mask[-1] == 1


def test_the_dataset_filter_counts_the_tools_the_loop_renders(
    stock_model: Path, tokenizer: Any, tmp_path: Path, counter_tasks_file: Path
) -> None:
    import pandas as pd

    airline = select_tasks("airline", split="test")[0]
    write_tasks(counter_tasks_file, [counter_task(), airline])
    records = verl_records([counter_task(), airline])
    data = tmp_path / "rows.parquet"
    pd.DataFrame(records).to_parquet(data)
    config = verl_config("verl-grpo", stock_model, "data.max_prompt_length=1024")
    with open_dict(config):
        config.data.tasks_file = str(counter_tasks_file)
        config.data.filter_overlong_prompts_workers = 1
    dataset = dataset_class()(data_files=[str(data)], tokenizer=tokenizer, config=config.data)
    kept = [row["extra_info"]["task_id"] for row in dataset.dataframe]
    assert kept == ["add-a3"]
    tokens = ChatTokens(tokenizer)
    assert prompt_token_count(records[0], tokens, str(counter_tasks_file)) <= 1024
    assert prompt_token_count(records[1], tokens, str(counter_tasks_file)) > 1024
