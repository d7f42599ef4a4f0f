"""Supervised fine-tuning on oracle trajectories with TRL's ``SFTTrainer`` (assistant-only loss).

``envfactory train sft --config train/configs/qwen3-8b-sft.yaml``; in Python, ``run_sft(load_config(path,
SFTRunConfig))``. The data is an ``envfactory export sft`` dataset, or is exported on the fly from the run's
environments. Loss is on the assistant turns only (tool calls and answers), never on tool results or prompts.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from envfactory_gym.export import ExportReport, load_dataset_file, sft_records, to_dataset
from envfactory_gym.train.common import (
    TrainResult,
    command_line,
    configure_logging,
    finish,
    peft_config,
    prepare_model,
    resume_checkpoint,
    run_tasks,
    trainer_arguments,
)
from envfactory_gym.train.config import ConfigError, SFTRunConfig, load_config

if TYPE_CHECKING:
    from datasets import Dataset

log = logging.getLogger(__name__)

SFT_COLUMNS = ["messages", "tools"]


def sft_dataset(config: SFTRunConfig) -> Dataset:
    """The run's conversations: the configured export, or oracle trajectories of its tasks."""
    if config.data.dataset:
        dataset = load_dataset_file(config.data.dataset)
        if config.data.limit is not None:
            dataset = dataset.select(range(min(config.data.limit, len(dataset))))
    else:
        report = ExportReport()
        dataset = to_dataset(sft_records(run_tasks(config.data), tool_schemas=config.data.tool_schemas, report=report))
        if report.skipped:
            log.warning("%d task(s) the oracle does not solve were left out: %s", len(report.skipped), report.skipped)
    missing = [c for c in SFT_COLUMNS if c not in dataset.column_names]
    if missing:
        raise ConfigError(f"The SFT dataset lacks column(s) {missing}; export it with 'envfactory export sft'.")
    return dataset.select_columns(SFT_COLUMNS)


def build_sft_trainer(config: SFTRunConfig, **trainer_kwargs: Any) -> Any:
    """The configured ``SFTTrainer``, ready to ``train()``."""
    from transformers import AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    report_to = configure_logging(config.logging)
    model = prepare_model(config.model)
    args = trainer_arguments(SFTConfig, config, report_to, assistant_only_loss=True)
    if not args.assistant_only_loss:
        log.warning("assistant_only_loss is off: the loss also covers prompts and tool results.")
    tokenizer = AutoTokenizer.from_pretrained(model)
    dataset = sft_dataset(config)
    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=dataset,
        processing_class=tokenizer,
        peft_config=peft_config(config.lora),
        **trainer_kwargs,
    )
    # TRL drops a conversation whose assistant turns all fall past max_length: a run with none left would
    # "train" on nothing (num_samples=0) instead of saying why.
    if len(dataset) and not len(trainer.train_dataset):
        raise ConfigError(
            f"No training example is left: all {len(dataset)} conversations lose their assistant turns to "
            f"trainer.max_length={args.max_length} tokens (the tool schemas and system prompt come first). "
            "Raise trainer.max_length or train on fewer environments per episode."
        )
    return trainer


def run_sft(config: SFTRunConfig) -> TrainResult:
    """Train, checkpointing as configured (resuming when asked), and save the final model to output_dir."""
    trainer = build_sft_trainer(config)
    trainer.train(resume_from_checkpoint=resume_checkpoint(config))
    return finish(trainer, config)


def main(argv: list[str] | None = None) -> None:
    """``python -m envfactory_gym.train.sft --config ...`` (what ``accelerate launch -m`` runs on each process)."""
    path, overrides = command_line(argv, __doc__.splitlines()[0])
    result = run_sft(load_config(path, SFTRunConfig, overrides))
    print(f"Trained {result.global_step} step(s); model in {result.output_dir}.")


if __name__ == "__main__":
    main()
