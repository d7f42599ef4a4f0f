"""``envfactory train sft|grpo``: configs, guards, checkpoints and resuming, wandb offline, GRPO wiring."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
import torch
import yaml
from typer.testing import CliRunner

from envfactory_gym.cli import app
from envfactory_gym.tasks import write_tasks
from envfactory_gym.train.common import check_vllm, peft_config
from envfactory_gym.train.config import (
    ConfigError,
    GRPORunConfig,
    LoraConfig,
    SFTRunConfig,
    load_config,
)
from tests.test_trl_integration import ANSWER, counter_task, scripted_generate, tiny_model  # noqa: F401

CONFIGS = Path(__file__).resolve().parents[1] / "train" / "configs"


def plain(output: str) -> str:
    """CLI output without rich's panel borders and line wrapping."""
    return " ".join(output.replace("│", " ").split())


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("tiny-cpu-sft.yaml", SFTRunConfig),
        ("qwen3-8b-sft.yaml", SFTRunConfig),
        ("tiny-cpu-grpo.yaml", GRPORunConfig),
        ("qwen3-8b-grpo.yaml", GRPORunConfig),
        ("tiny-gpu-vllm-grpo.yaml", GRPORunConfig),
    ],
)
def test_shipped_configs_load_and_name_real_trainer_options(name: str, cls: type) -> None:
    from trl import GRPOConfig, SFTConfig

    config = load_config(CONFIGS / name, cls)
    args_cls = SFTConfig if cls is SFTRunConfig else GRPOConfig
    assert set(config.trainer) <= {f.name for f in dataclasses.fields(args_cls)}
    assert config.output_dir.startswith("outputs/")


def test_verl_configs_are_hydra_files_for_our_agent_loop() -> None:
    for name, estimator in (("verl-grpo.yaml", "grpo"), ("verl-ppo.yaml", "gae")):
        data = yaml.safe_load((CONFIGS / name).read_text())
        assert data["algorithm"]["adv_estimator"] == estimator
        agent = data["actor_rollout_ref"]["rollout"]["agent"]
        assert agent["default_agent_loop"] == "envfactory_agent"
        assert (CONFIGS.parents[1] / agent["agent_loop_config_path"]).is_file()
    assert "critic" in yaml.safe_load((CONFIGS / "verl-ppo.yaml").read_text())
    entry = yaml.safe_load((CONFIGS / "verl-agent-loop.yaml").read_text())[0]
    assert entry["_target_"] == "envfactory_gym.integrations.verl.EnvfactoryAgentLoop"


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_config_errors_are_clear(tmp_path: Path) -> None:
    base = {"model": {"name_or_path": "m"}, "output_dir": "o", "data": {"environments": ["airline"]}}
    assert load_config(_write(tmp_path, base), SFTRunConfig, ["trainer.max_steps=2"]).trainer == {"max_steps": 2}
    with pytest.raises(ConfigError, match=r"Unknown key.*modle"):
        load_config(_write(tmp_path, {**base, "modle": {}}), SFTRunConfig)
    with pytest.raises(ConfigError, match=r"lora\.r must be int"):
        load_config(_write(tmp_path, {**base, "lora": {"r": "big"}}), SFTRunConfig)
    with pytest.raises(ConfigError, match="wandb_mode must be one of"):
        load_config(_write(tmp_path, {**base, "logging": {"wandb_mode": "loud"}}), SFTRunConfig)
    with pytest.raises(ConfigError, match=r"Missing key.*output_dir"):
        load_config(_write(tmp_path, {"model": {"name_or_path": "m"}, "data": {"environments": ["x"]}}), SFTRunConfig)
    with pytest.raises(ConfigError, match="needs a dataset"):
        load_config(_write(tmp_path, {**base, "data": {}}), SFTRunConfig)
    with pytest.raises(ConfigError, match=r"section\.key=value"):
        load_config(_write(tmp_path, base), SFTRunConfig, ["max_steps"])
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "missing.yaml", SFTRunConfig)


def test_vllm_is_refused_with_a_reason_without_a_gpu() -> None:
    check_vllm({"use_vllm": False})
    with pytest.raises(ConfigError, match="colocate' or 'server"):
        check_vllm({"use_vllm": True, "vllm_mode": "remote"})
    if not torch.cuda.is_available():
        with pytest.raises(ConfigError, match="needs a CUDA GPU"):
            check_vllm({"use_vllm": True, "vllm_mode": "colocate"})


def test_lora_config_and_its_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    assert peft_config(LoraConfig(enabled=False)) is None
    pytest.importorskip("peft")
    lora = peft_config(LoraConfig(enabled=True, r=4, alpha=8))
    assert lora.r == 4 and lora.lora_alpha == 8 and lora.task_type == "CAUSAL_LM"
    monkeypatch.setitem(sys.modules, "peft", None)
    with pytest.raises(ConfigError, match="needs the peft package"):
        peft_config(LoraConfig(enabled=True))


@pytest.fixture
def counter_tasks(tmp_path: Path) -> Path:
    path = tmp_path / "counter.jsonl"
    write_tasks(path, [counter_task("add-a3", 3), counter_task("add-a5", 5)])
    return path


@pytest.fixture
def wandb_default_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No WANDB_MODE or project from the caller's environment: the run's own defaults decide; files in tmp_path."""
    monkeypatch.delenv("WANDB_MODE", raising=False)
    monkeypatch.delenv("WANDB_PROJECT", raising=False)
    monkeypatch.setenv("WANDB_DIR", str(tmp_path))
    monkeypatch.setenv("WANDB_SILENT", "true")


@pytest.mark.usefixtures("wandb_default_mode")
def test_sft_cli_checkpoints_resumes_and_logs_to_wandb_offline(
    tiny_model: Path,  # noqa: F811
    counter_tasks: Path,
    tmp_path: Path,
) -> None:
    from transformers import AutoModelForCausalLM

    output = tmp_path / "sft"
    common = [
        f"model.name_or_path={tiny_model}",
        "model.build_tiny=false",
        f"output_dir={output}",
        "data.environments=[]",
        f"data.tasks_file={counter_tasks}",
        "trainer.per_device_train_batch_size=1",
        "trainer.save_steps=1",
        "trainer.logging_steps=1",
        "trainer.max_length=1024",
    ]
    runner = CliRunner()
    args = ["train", "sft", "--config", str(CONFIGS / "tiny-cpu-sft.yaml")]
    first = [f"--set={o}" for o in [*common, "trainer.max_steps=2", "logging.report_to=[wandb]"]]
    result = runner.invoke(app, args + first)
    assert result.exit_code == 0, result.output
    assert "Trained 2 step(s)" in result.output
    assert sorted(p.name for p in output.glob("checkpoint-*")) == ["checkpoint-1", "checkpoint-2"]
    assert list((tmp_path / "wandb").glob("offline-run-*")), "wandb should have logged an offline run"

    final = AutoModelForCausalLM.from_pretrained(output)
    reloaded = AutoModelForCausalLM.from_pretrained(output / "checkpoint-2")
    start = AutoModelForCausalLM.from_pretrained(tiny_model)
    weight = "model.layers.0.mlp.down_proj.weight"
    params = {n: dict(m.named_parameters())[weight] for n, m in (("f", final), ("r", reloaded), ("s", start))}
    assert torch.equal(params["f"], params["r"]) and not torch.equal(params["f"], params["s"])

    untouched = (output / "checkpoint-1" / "model.safetensors").stat().st_mtime_ns
    second = [f"--set={o}" for o in [*common, "trainer.max_steps=3", "resume_from_checkpoint=true"]]
    result = runner.invoke(app, args + second)
    assert result.exit_code == 0, result.output
    assert "Trained 3 step(s)" in result.output and (output / "checkpoint-3").is_dir()
    # Resumed from checkpoint-2, not restarted: the earlier checkpoints were not rewritten.
    assert (output / "checkpoint-1" / "model.safetensors").stat().st_mtime_ns == untouched


def test_train_cli_rejects_bad_configs(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["train", "sft", "--config", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "does not exist" in plain(result.output)
    result = runner.invoke(
        app,
        ["train", "grpo", "--config", str(CONFIGS / "qwen3-8b-grpo.yaml"), "--set", f"output_dir={tmp_path / 'o'}"],
    )
    if not torch.cuda.is_available():
        assert result.exit_code == 2 and "needs a CUDA GPU" in plain(result.output)
    assert not (tmp_path / "o").exists()


@pytest.mark.usefixtures("wandb_default_mode")
def test_grpo_entry_point_trains_in_the_environments(tiny_model: Path, counter_tasks: Path, tmp_path: Path) -> None:  # noqa: F811
    from envfactory_gym.train.common import finish
    from envfactory_gym.train.grpo import build_grpo_trainer

    overrides = [
        f"model.name_or_path={tiny_model}",
        "model.build_tiny=false",
        f"output_dir={tmp_path / 'grpo'}",
        "data.environments=[]",
        f"data.tasks_file={counter_tasks}",
        "data.limit=1",
        "trainer.max_steps=2",
        "trainer.save_steps=1",
        "trainer.max_completion_length=96",
        "trainer.learning_rate=0.01",
        "logging.report_to=[wandb]",
    ]
    config = load_config(CONFIGS / "tiny-cpu-grpo.yaml", GRPORunConfig, overrides)
    trainer = build_grpo_trainer(config)
    calls: list[str] = []
    scripted_generate(trainer.model, trainer.processing_class, calls)
    trainer.train()
    result = finish(trainer, config)
    rewards = [h["rewards/Envfactory_test_counter/mean"] for h in result.log_history if "reward" in h]
    assert rewards == [pytest.approx(0.5), pytest.approx(0.5)]
    # The rubric's parts of the same episodes are logged with each step's reward (wandb sees the same logs).
    steps = [h for h in result.log_history if "reward" in h]
    assert [h["diagnostics/success_rate"] for h in steps] == [pytest.approx(0.5), pytest.approx(0.5)]
    assert all(h["diagnostics/episodes"] == 2 and h["diagnostics/reward_share_state"] == 1.0 for h in steps)
    assert all(h["diagnostics/malformed_call_rate"] == 0.0 for h in steps)
    import wandb

    assert wandb.run is not None and wandb.run.settings.mode == "offline"  # wandb offline by default
    folder = Path(wandb.run.dir).parent  # wandb keeps the first test's WANDB_DIR for the whole process
    wandb.finish()  # flush the run's file
    (run_file,) = folder.glob("run-*.wandb")
    assert b"diagnostics/success_rate" in run_file.read_bytes()
    assert ANSWER in calls
    assert [p.name for p in result.checkpoints] == ["checkpoint-1", "checkpoint-2"]
    assert (result.output_dir / "model.safetensors").is_file()


def test_sft_with_every_example_past_max_length_is_a_clear_error(
    tiny_model: Path,  # noqa: F811
    counter_tasks: Path,
    tmp_path: Path,
) -> None:
    """TRL silently drops conversations whose assistant turns all fall past max_length; the run says so."""
    settings = [
        f"model.name_or_path={tiny_model}",
        "model.build_tiny=false",
        f"output_dir={tmp_path / 'sft'}",
        "data.environments=[]",
        f"data.tasks_file={counter_tasks}",
        "trainer.max_steps=1",
        "trainer.max_length=16",
    ]
    args = ["train", "sft", "--config", str(CONFIGS / "tiny-cpu-sft.yaml"), *[f"--set={o}" for o in settings]]
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    assert "No training example is left" in result.output and "max_length=16" in result.output
