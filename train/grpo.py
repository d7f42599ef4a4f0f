"""GRPO with TRL's ``GRPOTrainer``: rollouts play the suite's environments, the rubric is the reward.

``envfactory train grpo --config train/configs/qwen3-8b-grpo.yaml``; in Python, ``run_grpo(load_config(path,
GRPORunConfig))``. Each dataset row is a task's opening prompt; TRL generates, executes the model's tool calls
on the row's episode (``envfactory_gym.integrations.trl``) and scores the finished episode with
``get_reward``. Generation uses transformers, or vLLM on GPUs (``trainer.use_vllm`` with ``vllm_mode``
``colocate`` — vLLM shares the training GPUs — or ``server`` — a separate ``trl vllm-serve`` process).
"""

from __future__ import annotations

import logging
import os
from importlib import resources
from typing import TYPE_CHECKING, Any

from envfactory_gym.export import load_dataset_file, rl_records, to_dataset
from envfactory_gym.integrations.trl import environment_factories, record_final_answers
from envfactory_gym.train.common import (
    TrainResult,
    check_vllm,
    command_line,
    configure_logging,
    finish,
    peft_config,
    prepare_model,
    resume_checkpoint,
    run_tasks,
    trainer_arguments,
)
from envfactory_gym.train.config import ConfigError, GRPORunConfig, load_config
from envfactory_gym.train.diagnostics import RewardDiagnostics

if TYPE_CHECKING:
    from datasets import Dataset

    from envfactory_gym.tasks import Task

log = logging.getLogger(__name__)

RL_COLUMNS = ("prompt", "task_id", "environment")


def inference_chat_template(template: str | None) -> str | None:
    """The original template for one of TRL's ``*_training`` chat templates, else the template unchanged.

    TRL recognises a model's tool-call format by its original template (to parse tool calls from generations)
    and switches to the training variant itself, so a tokenizer saved with the training variant (the tiny
    model's default) is given back the original.
    """
    if not template:
        return template
    folder = resources.files("trl").joinpath("chat_templates")
    for entry in folder.iterdir():
        if entry.name.endswith("_training.jinja") and entry.read_text(encoding="utf-8") == template:
            return folder.joinpath(entry.name.replace("_training.jinja", ".jinja")).read_text(encoding="utf-8")
    return template


def rl_dataset(config: GRPORunConfig, tasks: list[Task]) -> Dataset:
    """Prompt rows: the configured export (restricted to known tasks) or one row per task."""
    if not config.data.dataset:
        return to_dataset(rl_records(tasks))
    dataset = load_dataset_file(config.data.dataset)
    missing = [c for c in RL_COLUMNS if c not in dataset.column_names]
    if missing:
        raise ConfigError(f"The RL dataset lacks column(s) {missing}; export it with 'envfactory export rl'.")
    known = {t.task_id for t in tasks}
    unknown = sorted({row for row in dataset["task_id"] if row not in known})
    if unknown:
        raise ConfigError(
            f"{len(unknown)} row(s) name tasks not in data.environments/tasks_file (first: {unknown[0]!r})."
        )
    return dataset


def build_grpo_trainer(config: GRPORunConfig, **trainer_kwargs: Any) -> Any:
    """The configured ``GRPOTrainer`` over the run's environments, ready to ``train()``."""
    from transformers import AutoTokenizer
    from trl import GRPOConfig, GRPOTrainer

    check_vllm(config.trainer)
    report_to = configure_logging(config.logging)
    model = prepare_model(config.model)
    tasks = run_tasks(config.data)
    dataset = rl_dataset(config, tasks)
    args = trainer_arguments(GRPOConfig, config, report_to)
    tokenizer = AutoTokenizer.from_pretrained(model, padding_side="left")
    tokenizer.chat_template = inference_chat_template(tokenizer.chat_template)
    diagnostics = RewardDiagnostics()
    factories = environment_factories(
        tasks,
        max_episode_steps=config.max_episode_steps,
        compact_tools=config.data.tool_schemas == "compact",
        on_scored=diagnostics,
    )
    log.info("GRPO over %d task(s) in %s", len(dataset), ", ".join(sorted(factories)))
    # environment_factory is experimental in TRL and warns on every run; the warning is about TRL, not the run.
    os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")
    trainer = diagnosed_trainer_class(GRPOTrainer)(
        model=model,
        args=args,
        train_dataset=dataset,
        processing_class=tokenizer,
        reward_funcs=[record_final_answers],
        environment_factory=factories,
        peft_config=peft_config(config.lora),
        **trainer_kwargs,
    )
    trainer.reward_diagnostics = diagnostics
    return trainer


def diagnosed_trainer_class(base: type[Any]) -> type[Any]:
    """``base`` (TRL's ``GRPOTrainer``) logging the rubric's ``diagnostics/*`` with every step's reward."""

    class DiagnosedGRPOTrainer(base):  # type: ignore[misc, valid-type]
        reward_diagnostics: RewardDiagnostics | None = None

        def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
            # TRL's log() adds its own averaged metrics (reward, completion lengths) and sends all to the
            # reporting callbacks; the rubric's parts of the same episodes go with them.
            if self.reward_diagnostics is not None and self.model.training:
                logs.update(self.reward_diagnostics.flush())
            super().log(logs, start_time)

    return DiagnosedGRPOTrainer


def run_grpo(config: GRPORunConfig) -> TrainResult:
    """Train, checkpointing as configured (resuming when asked), and save the final model to output_dir."""
    trainer = build_grpo_trainer(config)
    trainer.train(resume_from_checkpoint=resume_checkpoint(config))
    return finish(trainer, config)


def main(argv: list[str] | None = None) -> None:
    """``python -m envfactory_gym.train.grpo --config ...`` (what ``accelerate launch -m`` runs on each process)."""
    path, overrides = command_line(argv, __doc__.splitlines()[0])
    result = run_grpo(load_config(path, GRPORunConfig, overrides))
    print(f"Trained {result.global_step} step(s); model in {result.output_dir}.")


if __name__ == "__main__":
    main()
