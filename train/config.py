"""Training run configurations: dataclasses loaded from YAML, with ``key.path=value`` overrides.

A run file names the model, the data (environments or a task file, or an exported dataset), LoRA or full
fine-tuning, logging, and ``trainer`` — keyword arguments passed as they are to TRL's ``SFTConfig`` or
``GRPOConfig`` (so every TRL option is available, and TRL itself rejects a misspelt one). Unknown keys
elsewhere are an error, so that a typo never silently falls back to a default.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml


class ConfigError(ValueError):
    """A run configuration that cannot be used, with the reason."""


@dataclass
class ModelConfig:
    """The model to train: a Hub id or a local folder.

    ``build_tiny`` writes the suite's tiny random Qwen3 model to ``name_or_path`` first when it is not there
    (CPU smoke runs and tests; nothing is downloaded).
    """

    name_or_path: str
    dtype: str = "auto"
    attn_implementation: str | None = None
    build_tiny: bool = False


@dataclass
class LoraConfig:
    """LoRA adapters instead of full fine-tuning (needs ``peft``)."""

    enabled: bool = False
    r: int = 16
    alpha: int = 32
    dropout: float = 0.05
    target_modules: list[str] | str = "all-linear"


@dataclass
class DataConfig:
    """Where the examples come from.

    ``dataset`` is a file or folder written by ``envfactory export`` (sft rows for SFT, rl rows for GRPO);
    without it the rows are exported on the fly from ``environments`` (environment ids or domains) or from
    ``tasks_file``. GRPO needs the tasks themselves too, so it always reads ``environments``/``tasks_file``.
    """

    environments: list[str] = field(default_factory=list)
    tasks_file: str | None = None
    dataset: str | None = None
    split: str = "train"
    limit: int | None = None
    # The schemas in the prompt (see envfactory_gym.export.sft_records): SFT writes them into its rows; GRPO
    # renders compact ones with "compact" (set the same value in both stages of SFT -> GRPO).
    tool_schemas: Literal["engine", "trl", "compact"] = "engine"


@dataclass
class LoggingConfig:
    """Experiment tracking. wandb runs offline unless ``wandb_mode`` (or the WANDB_MODE variable) says otherwise."""

    report_to: list[str] = field(default_factory=lambda: ["wandb"])
    wandb_project: str = "envfactory-gym"
    wandb_mode: Literal["offline", "online", "disabled"] = "offline"
    run_name: str | None = None


@dataclass
class RunConfig:
    model: ModelConfig
    output_dir: str
    data: DataConfig = field(default_factory=DataConfig)
    lora: LoraConfig = field(default_factory=LoraConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    trainer: dict[str, Any] = field(default_factory=dict)
    resume_from_checkpoint: str | bool | None = None
    seed: int = 0


@dataclass
class SFTRunConfig(RunConfig):
    """Supervised fine-tuning on oracle trajectories (assistant-only loss)."""


@dataclass
class GRPORunConfig(RunConfig):
    """GRPO through TRL's ``environment_factory``; ``max_episode_steps`` bounds an episode's tool calls."""

    max_episode_steps: int = 64


ConfigT = TypeVar("ConfigT", bound=RunConfig)


def _build(cls: type[Any], data: Any, where: str) -> Any:
    """Instantiate a dataclass from a mapping, recursively, with clear errors for unknown or missing keys."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where or 'the configuration'} must be a mapping, got {type(data).__name__}.")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ConfigError(
            f"Unknown key(s) in {where or 'the configuration'}: {', '.join(unknown)}. Known: {', '.join(fields)}."
        )
    values = {}
    for name, value in data.items():
        hint = hints[name]
        if dataclasses.is_dataclass(hint):
            value = _build(hint, value, f"{where}.{name}" if where else name)
        else:
            _check_type(value, hint, f"{where}.{name}" if where else name)
        values[name] = value
    missing = [
        n
        for n, f in fields.items()
        if n not in values and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise ConfigError(f"Missing key(s) in {where or 'the configuration'}: {', '.join(missing)}.")
    return cls(**values)


def _check_type(value: Any, hint: Any, where: str) -> None:
    origin = typing.get_origin(hint)
    if hint is Any:
        return
    if origin in (typing.Union, types.UnionType):
        errors = []
        for option in typing.get_args(hint):
            try:
                _check_type(value, option, where)
                return
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(f"{where}: {value!r} does not have the expected type {hint}.")
    if origin is Literal:
        if value not in typing.get_args(hint):
            raise ConfigError(f"{where} must be one of {', '.join(map(repr, typing.get_args(hint)))}, got {value!r}.")
        return
    if hint is type(None):
        if value is not None:
            raise ConfigError(f"{where} must be empty (null).")
        return
    expected = origin or hint
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ConfigError(f"{where} must be {getattr(expected, '__name__', expected)}, got {value!r}.")
    if expected is list and typing.get_args(hint):
        for index, item in enumerate(value):
            _check_type(item, typing.get_args(hint)[0], f"{where}[{index}]")


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """``["trainer.max_steps=2", "model.name_or_path=/m"]`` applied to a nested mapping (values parsed as YAML)."""
    for override in overrides:
        key, sep, raw = override.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"Override {override!r} must look like section.key=value.")
        node = data
        parts = key.strip().split(".")
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ConfigError(f"Override {override!r}: {part} is not a section.")
            node = child
        node[parts[-1]] = yaml.safe_load(raw) if raw.strip() else None
    return data


def load_config(path: str | Path, cls: type[ConfigT], overrides: list[str] | None = None) -> ConfigT:
    """Read a run configuration from YAML, apply overrides and check every key and type."""
    source = Path(path)
    if not source.is_file():
        raise ConfigError(f"Configuration file {source} does not exist.")
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{source} must hold a mapping at the top level.")
    config = _build(cls, apply_overrides(data, list(overrides or [])), "")
    if not config.data.dataset and not config.data.environments and not config.data.tasks_file:
        raise ConfigError("data needs a dataset, environments or a tasks_file.")
    return config
