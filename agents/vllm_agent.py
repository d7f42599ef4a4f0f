"""vLLM offline inference as an agent (GPU): the transformers agent's prompts and parsing, vLLM's engine.

Spec: ``vllm:model=PATH`` with options ``max_new_tokens`` (512), ``temperature`` (0), ``top_p`` (1.0),
``tensor_parallel_size`` (1), ``gpu_memory_utilization`` (0.85), ``max_model_len`` and
``enable_thinking``. vLLM is an optional, GPU-only dependency (``pip install envfactory-gym[vllm]``);
this module imports it only when an agent is built, and says so clearly when it is missing.

Concurrent episodes share one engine: turns requested while a generation is running are collected and
sent to ``LLM.generate`` together, so the runner's ``--concurrency`` becomes vLLM's batch size.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from typing import Any

from envfactory_gym.agents.base import Agent, register_agent
from envfactory_gym.agents.transformers_agent import (
    DEFAULT_STOP_TOKENS,
    build_prompt,
    completion_to_action,
    parse_flag,
)
from envfactory_gym.tasks import Task

VLLM_MISSING = (
    "The vllm agent needs vLLM, which runs on NVIDIA GPUs only: install it with "
    "`pip install envfactory-gym[vllm]` on a machine with a GPU. On a CPU, use the transformers agent "
    "(transformers:model=PATH) or serve the model behind an OpenAI-compatible endpoint (openai:...)."
)


def import_vllm() -> Any:
    try:
        import vllm
    except ImportError as exc:
        raise ImportError(f"{VLLM_MISSING} ({exc})") from exc
    return vllm


@functools.cache
def _engine(model: str, tensor_parallel_size: int, gpu_memory_utilization: float, max_model_len: int | None) -> Any:
    vllm = import_vllm()
    options: dict[str, Any] = {
        "model": model,
        "tensor_parallel_size": tensor_parallel_size,
        "gpu_memory_utilization": gpu_memory_utilization,
    }
    if max_model_len is not None:
        options["max_model_len"] = max_model_len
    return vllm.LLM(**options)


class _Batcher:
    """Collects the turns of concurrent episodes and generates them in one ``LLM.generate`` call."""

    def __init__(self, llm: Any) -> None:
        self.llm = llm
        self.lock = threading.Lock()  # an engine runs one generate at a time, whoever calls it
        self.pending: list[tuple[Any, Any, asyncio.Future[Any]]] = []  # (prompt: text or TokensPrompt, params, result)
        self.running = False
        self.drainer: asyncio.Task[None] | None = None

    def generate(self, prompts: list[Any], params: list[Any]) -> list[Any]:
        with self.lock:
            return list(self.llm.generate(prompts, params, use_tqdm=False))

    async def submit(self, prompt: Any, params: Any) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self.pending.append((prompt, params, future))
        if not self.running:
            self.running = True
            self.drainer = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            await asyncio.sleep(0)  # let the other workers of this loop tick queue their turns
            while self.pending:
                batch, self.pending = self.pending, []
                try:
                    outputs = await asyncio.to_thread(self.generate, [b[0] for b in batch], [b[1] for b in batch])
                except Exception as exc:  # noqa: BLE001 - handed to every waiting turn, which re-raises it
                    for *_, future in batch:
                        future.set_exception(exc)
                    continue
                for (*_, future), output in zip(batch, outputs, strict=True):
                    future.set_result(output)
        finally:
            self.running = False


_BATCHERS: dict[int, _Batcher] = {}


class VLLMAgent(Agent):
    """One vLLM engine per checkpoint, shared by the agents of concurrent episodes."""

    name = "vllm"

    def __init__(
        self,
        model: str,
        max_new_tokens: int | str = 512,
        temperature: float | str = 0.0,
        top_p: float | str = 1.0,
        tensor_parallel_size: int | str = 1,
        gpu_memory_utilization: float | str = 0.85,
        max_model_len: int | str | None = None,
        enable_thinking: bool | str | None = None,
        llm: Any = None,
        sampling_params_cls: Any = None,
    ) -> None:
        if not model:
            raise ValueError("The vllm agent needs a model: vllm:model=PATH.")
        self.model_name = model
        self.max_new_tokens = int(max_new_tokens)
        self.temperature = float(temperature)
        self.top_p = float(top_p)
        self.enable_thinking = parse_flag(enable_thinking)
        # ``llm`` lets tests (and callers holding an engine already) pass any object with vLLM's
        # ``generate(prompts, sampling_params)`` and ``get_tokenizer()``; ``sampling_params_cls`` likewise.
        context_length = int(max_model_len) if max_model_len else None
        self.llm = llm or _engine(model, int(tensor_parallel_size), float(gpu_memory_utilization), context_length)
        self.sampling_params_cls = sampling_params_cls or import_vllm().SamplingParams
        self.tokenizer = self.llm.get_tokenizer()
        self.stop_tokens = tuple(
            dict.fromkeys(
                t for t in (getattr(self.tokenizer, "eos_token", None), *DEFAULT_STOP_TOKENS) if isinstance(t, str)
            )
        )
        self.batcher = _BATCHERS.setdefault(id(self.llm), _Batcher(self.llm))
        self.tools: list[dict[str, Any]] = []
        self.seed = 0
        self.turn = 0
        self._usage: dict[str, int] = {}

    def start(self, task: Task | None, tools: list[dict[str, Any]], seed: int | None = None) -> None:
        self.tools = tools
        self.seed = seed or 0
        self.turn = 0

    @property
    def usage(self) -> dict[str, int]:
        return dict(self._usage)

    def prompt(self, messages: list[dict[str, Any]]) -> dict[str, list[int]]:
        """The chat template's text as token ids (vLLM's ``TokensPrompt``).

        The template already holds every special token; a text prompt would be tokenized by vLLM with
        ``add_special_tokens=True`` and start with a second BOS for Llama, Gemma or Mistral templates, unlike
        the transformers agent. Token ids make both agents feed the model the same sequence.
        """
        text = build_prompt(self.tokenizer, messages, self.tools, self.enable_thinking)
        return {"prompt_token_ids": list(self.tokenizer(text, add_special_tokens=False)["input_ids"])}

    def sampling_params(self) -> Any:
        return self.sampling_params_cls(
            temperature=self.temperature,
            top_p=self.top_p,
            max_tokens=self.max_new_tokens,
            seed=self.seed * 1_000_003 + self.turn,
            skip_special_tokens=False,  # <tool_call> is a special token in Qwen's vocabulary
        )

    def action_from_output(self, output: Any) -> str:
        """A vLLM ``RequestOutput`` as the action text (token counts kept as usage)."""
        completion = output.outputs[0]
        self._usage = {
            "prompt_tokens": len(output.prompt_token_ids or []),
            "completion_tokens": len(completion.token_ids or []),
        }
        return completion_to_action(completion.text, self.stop_tokens)

    def act(self, messages: list[dict[str, Any]]) -> str:
        self.turn += 1
        return self.action_from_output(self.batcher.generate([self.prompt(messages)], [self.sampling_params()])[0])

    async def aact(self, messages: list[dict[str, Any]]) -> str:
        self.turn += 1
        output = await self.batcher.submit(self.prompt(messages), self.sampling_params())
        return self.action_from_output(output)


register_agent("vllm", VLLMAgent)
