"""The local transformers agent on the tiny Qwen3 model, and the vLLM agent's shared prompt/parsing on CPU."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from envfactory_gym.actions import parse_action
from envfactory_gym.agents.base import make_agent
from envfactory_gym.agents.transformers_agent import build_prompt, completion_to_action, template_messages
from envfactory_gym.agents.vllm_agent import VLLMAgent
from envfactory_gym.evaluation import EvalConfig, evaluate, select_tasks
from envfactory_gym.tiny_model import build_tiny_model
from tests.test_evaluation import bank_test_tasks

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_account",
            "description": "Get an account's owner and balance.",
            "parameters": {"type": "object", "properties": {"account_id": {"type": "string"}}},
        },
    }
]
ARGUMENTS = '{"account_id": "A0003"}'
HISTORY = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "What is the balance of account A0003?"},
    {
        "role": "assistant",
        "content": "",
        "tool_calls": [
            {
                "id": "c1",
                "type": "function",
                "function": {"name": "get_account", "arguments": '{"account_id": "A0003"}'},
            }
        ],
    },
    {"role": "tool", "tool_call_id": "c1", "name": "get_account", "content": '{"balance": 1234}'},
]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def tokenizer(tiny_model: Path) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model)


def test_prompt_renders_tools_and_tool_history_with_the_chat_template(tokenizer: Any) -> None:
    prompt = build_prompt(tokenizer, HISTORY, TOOLS)
    assert "<tools>" in prompt and '"name": "get_account"' in prompt
    # Arguments go to the template as an object: rendered once as JSON, not as a JSON-encoded string.
    assert '{"name": "get_account", "arguments": {"account_id": "A0003"}}' in prompt
    assert '<tool_response>\n{"balance": 1234}\n</tool_response>' in prompt
    assert prompt.rstrip().endswith("<|im_start|>assistant")
    assert template_messages(HISTORY)[2]["tool_calls"][0]["function"]["arguments"] == {"account_id": "A0003"}
    assert HISTORY[2]["tool_calls"][0]["function"]["arguments"] == '{"account_id": "A0003"}'  # input untouched


@pytest.mark.parametrize(
    ("completion", "expected_call"),
    [
        ('<think>\nlook it up\n</think>\n\n<tool_call>\n{"name": "get_account", "arguments": {"account_id": "A1"}}'
         "\n</tool_call><|im_end|>ignored", ("get_account", {"account_id": "A1"})),
        ('[TOOL_CALLS][{"name": "get_account", "arguments": {"account_id": "A2"}}]</s>',
         ("get_account", {"account_id": "A2"})),
        ('<|python_tag|>{"name": "get_account", "parameters": {"account_id": "A3"}}<|eot_id|>',
         ("get_account", {"account_id": "A3"})),
    ],
    ids=["qwen-hermes", "mistral", "llama"],
)  # fmt: skip
def test_completions_of_common_formats_parse_into_tool_calls(completion: str, expected_call: tuple) -> None:
    turn = parse_action(completion_to_action(completion))
    assert [(c.name, c.arguments) for c in turn.calls] == [expected_call] and not turn.problems


def test_plain_answers_and_cut_off_reasoning() -> None:
    assert completion_to_action("<think>ok</think>The balance is 12.<|im_end|><|endoftext|>") == "The balance is 12."
    assert completion_to_action("<think>I was still thinking when the tokens ran out") == ""
    assert not parse_action(completion_to_action("<think>x</think>Done.")).has_calls


def test_tiny_model_plays_episodes_through_the_runner(tiny_model: Path, tmp_path: Path) -> None:
    task_set = select_tasks(tasks=bank_test_tasks()[:2], split="test")
    agent = f"transformers:model={tiny_model},max_new_tokens=12"
    outcome = evaluate(
        task_set, EvalConfig(agent=agent, concurrency=2, max_steps=3, progress=False), tmp_path / "r.jsonl"
    )
    assert outcome.summary.complete and not outcome.failures and len(outcome.records) == 2
    for record in outcome.records:
        assert record.prompt_tokens is not None and record.prompt_tokens > 50 * record.steps
        assert record.completion_tokens is not None and 0 < record.completion_tokens <= 12 * record.steps
        assert record.terminated or record.truncated
        assert [m["role"] for m in record.messages[:2]] == ["system", "user"]
    assert outcome.summary.label == str(tiny_model)


def test_generation_is_reproducible(tiny_model: Path) -> None:
    greedy = make_agent(f"transformers:model={tiny_model},max_new_tokens=10")
    greedy.start(None, TOOLS, seed=0)
    assert greedy.act(HISTORY) == greedy.act(HISTORY)
    sampled = [make_agent(f"transformers:model={tiny_model},max_new_tokens=10,temperature=1.0") for _ in range(2)]
    outputs = []
    for agent in sampled:
        agent.start(None, TOOLS, seed=7)
        outputs.append(agent.act(HISTORY))
    assert outputs[0] == outputs[1]


@pytest.mark.skipif(importlib.util.find_spec("vllm") is not None, reason="vLLM is installed here")
def test_vllm_agent_without_vllm_says_how_to_get_it() -> None:
    with pytest.raises(ImportError, match=r"pip install envfactory-gym\[vllm\]") as error:
        make_agent("vllm:model=Qwen/Qwen3-8B")
    assert "GPU" in str(error.value)


@dataclass
class FakeCompletion:
    text: str
    token_ids: list[int]


@dataclass
class FakeRequestOutput:
    prompt_token_ids: list[int]
    outputs: list[FakeCompletion]


@dataclass
class FakeLLM:
    """vLLM's offline ``LLM`` surface, answering like a model that looks an account up and then replies."""

    tokenizer: Any
    batches: list[list[str]] = field(default_factory=list)
    params: list[dict[str, Any]] = field(default_factory=list)

    def get_tokenizer(self) -> Any:
        return self.tokenizer

    def generate(self, prompts: list[Any], params: list[dict[str, Any]], use_tqdm: bool = True) -> list[Any]:
        self.batches.append(list(prompts))
        self.params.extend(params)
        outputs = []
        for prompt in prompts:
            # vLLM takes text or a TokensPrompt dict; the agent sends token ids.
            text_prompt = prompt if isinstance(prompt, str) else self.tokenizer.decode(prompt["prompt_token_ids"])
            if "<tool_response>" in text_prompt:
                text = "<think>\n\n</think>\n\nAll done.<|im_end|>"
            else:
                call = {"name": "get_account", "arguments": {"account_id": "A0001"}}
                text = f"<tool_call>\n{json.dumps(call)}\n</tool_call><|im_end|>"
            outputs.append(FakeRequestOutput([1] * len(text_prompt), [FakeCompletion(text, [2] * 9)]))
        return outputs


def test_vllm_agent_batches_concurrent_turns_and_parses_like_transformers(tokenizer: Any, tmp_path: Path) -> None:
    llm = FakeLLM(tokenizer)

    def factory() -> VLLMAgent:
        return VLLMAgent(model="fake", llm=llm, sampling_params_cls=dict, max_new_tokens=32)

    task_set = select_tasks(tasks=bank_test_tasks(), split="test")
    config = EvalConfig(agent="vllm:model=fake", concurrency=3, progress=False)
    outcome = evaluate(task_set, config, tmp_path / "r.jsonl", agent_factory=factory)
    assert len(outcome.records) == 3
    for record in outcome.records:
        assert record.steps == 2 and record.errors == {} and record.messages[-1]["content"] == "All done."
        assert record.messages[2]["tool_calls"][0]["function"]["name"] == "get_account"
        assert record.completion_tokens == 18 and record.prompt_tokens is not None
    assert [len(batch) for batch in llm.batches] == [3, 3]  # three episodes' turns per generate call
    assert all(p["skip_special_tokens"] is False and p["max_tokens"] == 32 for p in llm.params)
    text = build_prompt(tokenizer, outcome.records[0].messages[:2], outcome.records[0].tools)
    # Token ids without added special tokens: the template's own BOS/system tokens only, no second BOS.
    assert llm.batches[0][0] == {"prompt_token_ids": tokenizer(text, add_special_tokens=False)["input_ids"]}
