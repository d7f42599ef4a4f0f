"""The TRL environment_factory adapter: generated tool methods, episodes, rewards, and GRPO end to end."""

from __future__ import annotations

import inspect
import json
import os
from pathlib import Path
from typing import Any

import pytest
import torch

from envfactory_gym.env import system_prompt
from envfactory_gym.export import environment_key, rl_records, to_dataset
from envfactory_gym.integrations.trl import (
    EnvfactoryEnvironment,
    EnvironmentFactory,
    environment_class,
    environment_factories,
    final_answer_of,
    python_hint,
    record_final_answers,
    trl_tool_schemas,
)
from tests.conftest import bank_read_task, bank_task
from tests.fixtures import bank
from tests.fixtures.counter import counter_task
from tests.fixtures.counter import env as counter_env

os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")
__all__ = ["counter_env", "counter_task"]  # imported from here by other test modules

@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny Qwen3 model with a tokenizer learnt from the test environments' text (fast to build)."""
    from envfactory_gym.tiny_model import build_tiny_model, qwen3_chat_template

    corpus = [system_prompt([bank.env]), system_prompt([counter_env]), qwen3_chat_template(True)]
    for definition in (bank.env, counter_env):
        corpus += [json.dumps(spec.openai_schema()) for spec in definition.tools.values()]
    corpus += [json.dumps(schema) for schema in trl_tool_schemas("test_counter")]
    return build_tiny_model(tmp_path_factory.mktemp("tiny"), corpus=corpus, vocab_size=600)


# -- the generated class -----------------------------------------------------------------------------------
def test_tool_methods_have_the_engine_signature_and_docstring() -> None:
    cls = environment_class("test_bank")
    public = {n for n, _ in inspect.getmembers(cls, predicate=inspect.isfunction) if not n.startswith("_")}
    # Exactly what TRL turns into tools (plus its two interface methods): nothing else may leak.
    assert public == set(bank.env.tools) | {"reset", "get_reward"}
    transfer = inspect.signature(cls.transfer)
    assert list(transfer.parameters) == ["self", "source_id", "target_id", "amount"]
    assert transfer.parameters["amount"].annotation is int
    schema = {s["function"]["name"]: s["function"] for s in trl_tool_schemas("test_bank")}["transfer"]
    engine = bank.env.tools["transfer"].parameters
    assert schema["description"] == bank.env.tools["transfer"].description
    assert schema["parameters"]["required"] == engine["required"]
    assert {k: v["type"] for k, v in schema["parameters"]["properties"].items()} == {
        k: v["type"] for k, v in engine["properties"].items()
    }
    assert environment_class("test_bank") is cls  # one class per tool set: TRL attributes rewards by class


def test_json_schema_hints_cover_optional_enum_and_list_parameters() -> None:
    from transformers.utils.chat_template_utils import _parse_type_hint

    optional_enum = {"anyOf": [{"enum": ["a", "b"], "type": "string"}, {"type": "null"}], "default": None}
    assert _parse_type_hint(python_hint(optional_enum)) == {"type": "string", "enum": ["a", "b"], "nullable": True}
    nested = {"type": "array", "items": {"type": "object", "properties": {"x": {"type": "integer"}}}}
    assert _parse_type_hint(python_hint(nested)) == {"type": "array", "items": {"type": "object"}}


def test_multi_environment_tool_sets_are_prefixed() -> None:
    cls = environment_class(environment_key(["test_counter", "test_bank"]))
    assert "test_bank__transfer" in cls.tool_names and "test_counter__add" in cls.tool_names
    with pytest.raises(KeyError):
        EnvironmentFactory(["no_such_environment"])


# -- episodes ------------------------------------------------------------------------------------------------
def test_tool_calls_change_the_episode_and_the_rubric_scores_it() -> None:
    task = bank_task()
    environment = EnvironmentFactory("test_bank", [task])()
    assert environment.reset(task_id=task.task_id, prompt=[{"role": "user", "content": task.query}]) is None
    result = json.loads(environment.transfer(source_id="A0001", target_id="A0002", amount=50))
    assert result["amount"] == 50 and environment.num_tool_calls == 1
    assert environment.get_reward() == 1.0
    assert environment.reward_breakdown is not None and environment.reward_breakdown.state_match
    # The episode is over: further calls change nothing and the reward stays.
    assert environment.transfer(source_id="A0001", target_id="A0002", amount=50).startswith("Error")
    assert environment.get_reward() == 1.0


def test_malformed_calls_are_observations_and_are_penalised() -> None:
    task = bank_task()
    environment = EnvironmentFactory("test_bank", [task])()
    environment.reset(task_id=task.task_id, prompt=[{"role": "user", "content": task.query}])
    assert environment.transfer(source_id="A0001").startswith("Error: Invalid arguments")
    assert environment.transfer(source_id="A0001", target_id="A0002", amount="fifty").startswith("Error")
    environment.transfer(source_id="A0001", target_id="A0002", amount=50)
    assert environment.get_reward() == pytest.approx(0.9)  # success, two malformed calls penalised


def test_reset_starts_a_fresh_episode_and_rejects_unknown_rows() -> None:
    tasks = [bank_task(), bank_read_task()]
    environment = EnvironmentFactory("test_bank", tasks)()
    environment.reset(task_id="bank-transfer", prompt=[{"role": "user", "content": "x"}])
    environment.transfer(source_id="A0001", target_id="A0002", amount=50)
    assert environment.get_reward() == 1.0
    environment.reset(task_id="bank-transfer", prompt=[{"role": "user", "content": "x"}])
    assert environment.get_reward() == 0.0  # the earlier transfer is gone with the old episode
    with pytest.raises(KeyError):
        environment.reset(task_id="no-such-task")
    with pytest.raises(ValueError):
        environment.reset(prompt=[])
    fresh = EnvironmentFactory("test_bank", tasks)()
    assert fresh.transfer(source_id="A0001", target_id="A0002", amount=1).startswith("Error")
    with pytest.raises(RuntimeError):
        fresh.get_reward()


def test_read_goals_are_scored_with_the_recorded_final_answer() -> None:
    task = bank_read_task()
    environments = [EnvironmentFactory("test_bank", [task])() for _ in range(2)]
    for environment in environments:
        environment.reset(task_id=task.task_id)
        environment.get_account(account_id="A0003")
    fact = task.required_facts[0]
    completions = [
        [{"role": "assistant", "content": f"<think>balance {fact}</think>The balance is {fact}."}],
        [{"role": "assistant", "content": f"<think>balance {fact}</think>I don't know."}],
    ]
    assert record_final_answers(completions, environments) == [None, None]
    assert [e.get_reward() for e in environments] == [1.0, 0.0]


def test_final_answer_is_the_last_assistant_message_without_calls() -> None:
    calls = [{"type": "function", "function": {"name": "x", "arguments": {}}}]
    assert final_answer_of([{"role": "assistant", "content": "", "tool_calls": calls}]) == ""
    assert final_answer_of([{"role": "tool", "content": "r"}, {"role": "assistant", "content": "ok"}]) == "ok"
    assert final_answer_of("<think>hm</think> done ") == "done"


def test_factories_split_tasks_by_tool_set() -> None:
    factories = environment_factories([bank_task(), counter_task()])
    assert set(factories) == {"test_bank", "test_counter"}
    rows = rl_records([bank_task(), counter_task()])
    assert {row["environment"] for row in rows} == set(factories)


# -- GRPO through the adapter ------------------------------------------------------------------------------
CORRECT_CALL = '<tool_call>\n{"name": "add", "arguments": {"name": "a", "amount": 3}}\n</tool_call><|im_end|>'
WRONG_CALL = '<tool_call>\n{"name": "add", "arguments": {"name": "a", "amount": 4}}\n</tool_call><|im_end|>'
ANSWER = "Counter a is updated.<|im_end|>"


def scripted_generate(model: Any, tokenizer: Any, calls: list[str]) -> Any:
    """Replace sampling with a fixed policy: even rows make the right call, odd rows a wrong one, then answer.

    The trainer still computes log-probabilities and gradients with the real model; only the sampled text is
    fixed, so the test checks the rollout plumbing deterministically.
    """

    def generate(input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None, **_: Any) -> torch.Tensor:
        rows = []
        for index, ids in enumerate(input_ids.tolist()):
            prompt = tokenizer.decode(ids)
            text = ANSWER if "<tool_response>" in prompt else (CORRECT_CALL if index % 2 == 0 else WRONG_CALL)
            calls.append(text)
            rows.append(tokenizer(text, add_special_tokens=False)["input_ids"])
        width = max(len(r) for r in rows)
        padded = [r + [tokenizer.pad_token_id] * (width - len(r)) for r in rows]
        return torch.cat([input_ids, torch.tensor(padded, dtype=input_ids.dtype)], dim=1)

    model.generate = generate
    return model


def test_grpo_executes_tool_calls_in_the_environment_and_rewards_from_the_rubric(tiny_model: Path, tmp_path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOConfig, GRPOTrainer

    from envfactory_gym.train.grpo import inference_chat_template

    tasks = [counter_task()]
    tokenizer = AutoTokenizer.from_pretrained(tiny_model, padding_side="left")
    tokenizer.chat_template = inference_chat_template(tokenizer.chat_template)
    model = AutoModelForCausalLM.from_pretrained(tiny_model)
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    generated: list[str] = []
    scripted_generate(model, tokenizer, generated)
    args = GRPOConfig(
        output_dir=str(tmp_path),
        max_steps=2,
        per_device_train_batch_size=2,
        num_generations=2,
        max_completion_length=96,
        max_tool_calling_iterations=2,
        learning_rate=1e-2,
        beta=0.0,
        logging_steps=1,
        save_strategy="no",
        report_to="none",
        use_cpu=True,
    )
    trainer = GRPOTrainer(
        model=model,
        args=args,
        train_dataset=to_dataset(rl_records(tasks)),
        processing_class=tokenizer,
        reward_funcs=[record_final_answers],
        environment_factory=environment_factories(tasks),
    )
    trainer.train()
    logs = [h for h in trainer.state.log_history if "reward" in h]
    assert len(logs) == 2
    for log in logs:
        # Right call → the rubric's 1.0, wrong amount → 0.0: the reward is the environment's, from its state.
        assert log["rewards/Envfactory_test_counter/mean"] == pytest.approx(0.5)
        assert log["tools/call_frequency"] > 0 and log["tools/failure_frequency"] == 0
    environments = trainer.environments
    assert all(isinstance(e, EnvfactoryEnvironment) for e in environments)
    assert sorted(e.get_reward() for e in environments) == [0.0, 1.0]
    assert all(e.num_tool_calls == 1 and e.final_answer == "Counter a is updated." for e in environments)
    assert ANSWER in generated and CORRECT_CALL in generated
    changed = any(not torch.equal(before[n], p.detach()) for n, p in model.named_parameters())
    assert changed, "a group with different rewards must move the policy"


# -- compact tool rendering --------------------------------------------------------------------------------
def strip_descriptions(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: strip_descriptions(v) for k, v in schema.items() if k != "description"}
    return [strip_descriptions(v) for v in schema] if isinstance(schema, list) else schema


def test_compact_tools_keep_the_call_surface_and_cut_the_prose() -> None:
    from envfactory_gym.export import sft_records
    from envfactory_gym.integrations.trl import COMPACT_DESCRIPTION_WORDS, COMPACT_PARAMETER_WORDS

    full, compact = trl_tool_schemas("airline"), trl_tool_schemas("airline", compact=True)
    # Names, types, enums, defaults and required parameters are the same: every call stays describable.
    assert [strip_descriptions(s) for s in compact] == [strip_descriptions(s) for s in full]
    assert len(json.dumps(compact)) < 0.7 * len(json.dumps(full))
    for schema in compact:
        function = schema["function"]
        assert 0 < len(function["description"].split()) <= COMPACT_DESCRIPTION_WORDS
        for parameter in function["parameters"]["properties"].values():
            assert 0 < len(parameter["description"].split()) <= COMPACT_PARAMETER_WORDS
    assert environment_class("airline", True) is not environment_class("airline")
    assert environment_class("airline", True) is environment_class("airline", compact=True)

    task = bank_task()
    environment = EnvironmentFactory("test_bank", [task], compact_tools=True)()
    assert type(environment) is environment_class("test_bank", True)
    assert environment_factories([task], compact_tools=True)["test_bank"]().__class__ is type(environment)
    (record,) = sft_records([task], tool_schemas="compact")
    assert json.loads(record["tools"]) == trl_tool_schemas("test_bank", compact=True)
    with pytest.raises(ValueError, match="tool_schemas must be one of engine, trl, compact"):
        sft_records([task], tool_schemas="short")  # type: ignore[arg-type]
