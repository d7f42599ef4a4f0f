"""What the SFT and GRPO entry points share: model path, logging, LoRA, trainer arguments, resuming."""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from envfactory_gym.export import select_tasks
from envfactory_gym.tasks import Task
from envfactory_gym.train.config import ConfigError, DataConfig, LoggingConfig, LoraConfig, ModelConfig, RunConfig

log = logging.getLogger(__name__)

VLLM_MODES = ("colocate", "server")


@dataclass
class TrainResult:
    """Where a run wrote its model and checkpoints, how far it went, and what it logged."""

    output_dir: Path
    global_step: int
    checkpoints: list[Path]
    log_history: list[dict[str, Any]] = field(default_factory=list)


def command_line(argv: list[str] | None, description: str) -> tuple[str, list[str]]:
    """``--config PATH [--set key=value ...]`` for ``python -m`` / ``accelerate launch -m`` runs."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--config", "-c", required=True, help="A run configuration YAML file.")
    parser.add_argument("--set", dest="overrides", action="append", default=[], help="section.key=value")
    parsed = parser.parse_args(argv)
    return parsed.config, parsed.overrides


def prepare_model(config: ModelConfig) -> str:
    """The model's name or path, after building the tiny local model when the run asks for it."""
    if config.build_tiny:
        from envfactory_gym.tiny_model import build_tiny_model

        build_tiny_model(config.name_or_path)
    return config.name_or_path


FLASH_ATTENTION = {"flash_attention_2": "flash_attn", "flash_attention_3": "flash_attn_interface"}


def attention_implementation(requested: str | None) -> str | None:
    """The attention kernel to load the model with: a FlashAttention kernel only where its package is installed
    (and a GPU is there to run it), else PyTorch's ``sdpa``, so that one config runs with or without flash-attn."""
    package = FLASH_ATTENTION.get(requested or "")
    if package is None:
        return requested
    import torch

    if importlib.util.find_spec(package) is None or not torch.cuda.is_available():
        log.warning("%s needs the %s package and a CUDA GPU; using sdpa instead.", requested, package)
        return "sdpa"
    return requested


def model_init_kwargs(config: ModelConfig) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"dtype": config.dtype}
    attention = attention_implementation(config.attn_implementation)
    if attention:
        kwargs["attn_implementation"] = attention
    return kwargs


def configure_logging(config: LoggingConfig) -> list[str]:
    """The ``report_to`` list; wandb defaults to offline (an explicit WANDB_MODE in the environment wins)."""
    report_to = [r for r in config.report_to if r != "none"]
    if "wandb" in report_to:
        if importlib.util.find_spec("wandb") is None:
            raise ConfigError("logging.report_to includes wandb, which is not installed: pip install wandb.")
        os.environ.setdefault("WANDB_MODE", config.wandb_mode)
        os.environ.setdefault("WANDB_PROJECT", config.wandb_project)
    return report_to


def peft_config(config: LoraConfig) -> Any:
    """A ``peft.LoraConfig`` when LoRA is enabled, else None (full fine-tuning)."""
    if not config.enabled:
        return None
    try:
        from peft import LoraConfig as PeftLoraConfig
    except ImportError:
        raise ConfigError(
            "lora.enabled needs the peft package: pip install 'envfactory-gym[train]' (or pip install peft), "
            "or set lora.enabled: false for full fine-tuning."
        ) from None
    return PeftLoraConfig(
        task_type="CAUSAL_LM",
        r=config.r,
        lora_alpha=config.alpha,
        lora_dropout=config.dropout,
        target_modules=config.target_modules,
    )


def check_vllm(trainer: dict[str, Any]) -> None:
    """Refuse vLLM rollouts early, with the reason, where they cannot run (no GPU, no vllm, a bad mode)."""
    if not trainer.get("use_vllm"):
        return
    mode = trainer.get("vllm_mode", "colocate")
    if mode not in VLLM_MODES:
        raise ConfigError(f"trainer.vllm_mode must be 'colocate' or 'server', got {mode!r}.")
    import torch

    if not torch.cuda.is_available():
        raise ConfigError(
            "trainer.use_vllm needs a CUDA GPU, and this machine has none. Set trainer.use_vllm: false to generate "
            "with transformers (CPU smoke runs), or run on a GPU machine."
        )
    if importlib.util.find_spec("vllm") is None:
        raise ConfigError("trainer.use_vllm needs vLLM: pip install 'envfactory-gym[vllm]'.")


def trainer_arguments(args_cls: type[Any], config: RunConfig, report_to: list[str], **fixed: Any) -> Any:
    """TRL's SFTConfig/GRPOConfig from the run: the ``trainer`` section plus what the run decides itself."""
    known = {f.name for f in dataclasses.fields(args_cls)}
    unknown = sorted(set(config.trainer) - known)
    if unknown:
        raise ConfigError(f"Unknown trainer option(s) for {args_cls.__name__}: {', '.join(unknown)}.")
    values: dict[str, Any] = {
        "output_dir": config.output_dir,
        "seed": config.seed,
        "report_to": report_to or "none",
        "run_name": config.logging.run_name,
        "model_init_kwargs": model_init_kwargs(config.model),
        **fixed,
        **config.trainer,
    }
    try:
        return args_cls(**values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"Invalid trainer options: {exc}") from None


def resume_checkpoint(config: RunConfig) -> str | None:
    """The checkpoint to resume from: a path, or with ``true`` the latest one in output_dir (if any)."""
    resume = config.resume_from_checkpoint
    if resume is None or resume is False:
        return None
    if resume is True:
        from transformers.trainer_utils import get_last_checkpoint

        output = Path(config.output_dir)
        last = get_last_checkpoint(str(output)) if output.is_dir() else None
        if last is None:
            log.info("no checkpoint in %s yet: starting from the model", output)
        return last
    if not Path(resume).is_dir():
        raise ConfigError(f"resume_from_checkpoint {resume} is not a checkpoint folder.")
    return str(resume)


def run_tasks(config: DataConfig) -> list[Task]:
    """The tasks a run trains on: its environments' (or its task file's) tasks of the configured split."""
    tasks: list[Task] = []
    if config.tasks_file:
        tasks.extend(select_tasks(None, split=config.split, tasks_file=config.tasks_file))
    for name in config.environments:
        try:
            tasks.extend(select_tasks(name, split=config.split))
        except KeyError as exc:
            raise ConfigError(str(exc).strip("'\"")) from None
    unique = list({t.task_id: t for t in tasks}.values())
    if config.limit is not None:
        unique = unique[: config.limit]
    if not unique:
        raise ConfigError(f"No {config.split} tasks for {config.environments or config.tasks_file}.")
    return unique


def finish(trainer: Any, config: RunConfig) -> TrainResult:
    """Save the final model (and tokenizer) to output_dir and describe the run."""
    output = Path(config.output_dir)
    trainer.save_model(str(output))
    processing_class = getattr(trainer, "processing_class", None)
    if processing_class is not None:
        processing_class.save_pretrained(str(output))
    checkpoints = sorted(output.glob("checkpoint-*"), key=lambda p: int(p.name.rsplit("-", 1)[-1]))
    return TrainResult(output, trainer.state.global_step, checkpoints, list(trainer.state.log_history))
