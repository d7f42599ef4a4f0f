#!/usr/bin/env bash
# GPU check: the suite's two vLLM paths on a small model built locally (random weights, nothing downloaded).
#
#   bash benchmarks/gpu_check.sh [OUTPUT_DIR]        # default runs/gpu_check; under 8 minutes on one GPU
#
# 1. the vLLM agent (agents/vllm_agent.py) plays the weather and hk_bus test tasks through the eval runner
#    (envfactory_gym.evaluation), 16 episodes at a time: rollout tokens/s (engine start excluded, timed apart)
#    and the environment's share of the episodes' time;
# 2. a few TRL GRPO steps (envfactory_gym.train.grpo) with vLLM rollouts colocated on the training GPU
#    (train/configs/tiny-gpu-vllm-grpo.yaml: GRPOConfig use_vllm, vllm_mode: colocate, vllm_gpu_memory_utilization,
#    vllm_max_model_length):
#    completion tokens per second of step time and the environment's share of the step time.
# It prints whether each path ran. Needs an NVIDIA GPU and the vllm extra: pip install -e '.[train,vllm]'.
# Exit status: 0 both paths ran; 1 a path failed (its log is in OUTPUT_DIR); 77 no GPU or no vLLM here
# (nothing was run). PYTHON picks the interpreter (default: python).
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
PYTHON=${PYTHON:-python}
OUT=${1:-runs/gpu_check}
AGENT_TIMEOUT=${AGENT_TIMEOUT:-200}
GRPO_TIMEOUT=${GRPO_TIMEOUT:-240}

not_run() {
    echo "GPU check not run: $*" >&2
    exit 77
}

command -v nvidia-smi >/dev/null 2>&1 || not_run "no nvidia-smi on PATH (no NVIDIA driver or GPU on this machine)."
nvidia-smi -L >/dev/null 2>&1 || not_run "nvidia-smi finds no GPU."
"$PYTHON" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)' >/dev/null 2>&1 \
    || not_run "torch sees no CUDA device (a CPU build of torch?)."
"$PYTHON" -c 'import vllm' >/dev/null 2>&1 || not_run "vllm is not importable: pip install -e '.[train,vllm]'."

# Runs the Python script on stdin (argument: OUT) under a time limit; prints its report line, or the failure.
run_path() {
    local name=$1 log=$2 limit=$3
    if timeout "$limit" "$PYTHON" - "$OUT" >"$log" 2>&1; then
        grep "^$name: " "$log" | tail -1
        return 0
    else
        local rc=$?
        echo "$name: FAILED (exit $rc; log: $log)"
        tail -20 "$log"
        return 1
    fi
}

mkdir -p "$OUT" || exit 1
nvidia-smi -L
started=$SECONDS

# -- the model: the tiny Qwen3 architecture at a size vLLM's attention kernels take (head_dim 64), in bf16 ------
"$PYTHON" - "$OUT/model" <<'PY' || { echo "could not build the model" >&2; exit 1; }
import json
import sys

import torch
from transformers import AutoModelForCausalLM

from envfactory_gym import registry
from envfactory_gym.env import system_prompt
from envfactory_gym.integrations.trl import trl_tool_schemas
from envfactory_gym.tiny_model import build_tiny_model, qwen3_chat_template

corpus = [qwen3_chat_template(False)]
for env_id in ("weather", "hk_bus"):
    definition = registry.load_definition(env_id)
    corpus.append(system_prompt([definition]))
    corpus += [json.dumps(spec.openai_schema()) for spec in definition.tools.values()]
    corpus += [json.dumps(schema) for schema in trl_tool_schemas(env_id)]
path = build_tiny_model(sys.argv[1], corpus=corpus, vocab_size=4000, hidden_size=256, layers=2, training_template=False)
AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).to(torch.bfloat16).save_pretrained(path)
print(f"model: {path}")
PY

# -- 1. the vLLM agent --------------------------------------------------------------------------------------
rm -f "$OUT/vllm-agent.jsonl"
run_path "vLLM agent" "$OUT/vllm-agent.log" "$AGENT_TIMEOUT" <<'PY'
import sys
import time
from pathlib import Path

from envfactory_gym.agents.base import make_agent
from envfactory_gym.evaluation import EvalConfig, evaluate, select_tasks

out = Path(sys.argv[1])
spec = f"vllm:model={out / 'model'},max_new_tokens=256,temperature=1.0,max_model_len=8192,gpu_memory_utilization=0.5"
tick = time.perf_counter()
make_agent(spec)  # starts the engine; the episodes' agents share it
engine_seconds = time.perf_counter() - tick
config = EvalConfig(agent=spec, split="test", concurrency=16, max_steps=4, progress=False)
tick = time.perf_counter()
outcome = evaluate(select_tasks(["weather", "hk_bus"]), config, out / "vllm-agent.jsonl", lambda: make_agent(spec))
wall = time.perf_counter() - tick
episodes = outcome.played
summary = {
    "episodes": len(episodes),
    "failures": len(outcome.failures),
    "engine_seconds": engine_seconds,
    "wall_seconds": wall,
    "completion_tokens": sum(r.completion_tokens or 0 for r in episodes),
    "env_seconds": sum(r.seconds_env for r in episodes),
    "agent_seconds": sum(r.seconds_agent for r in episodes),
}
s = summary
if not s["episodes"] or s["failures"] or not s["completion_tokens"]:
    sys.exit(f"vLLM agent: episodes failed or generated nothing: {s}")
print(
    f"vLLM agent: ran, {s['episodes']} episodes (16 at a time), engine start {s['engine_seconds']:.0f} s, "
    f"{s['completion_tokens'] / s['wall_seconds']:.0f} rollout tokens/s over {s['wall_seconds']:.1f} s; "
    f"env share of episode time {s['env_seconds'] / max(s['env_seconds'] + s['agent_seconds'], 1e-9):.1%}"
)
PY
agent_status=$?

# -- 2. TRL GRPO with colocated vLLM rollouts --------------------------------------------------------------
run_path "GRPO + vLLM colocate" "$OUT/grpo-vllm.log" "$GRPO_TIMEOUT" <<'PY'
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")
from envfactory_gym.integrations.trl import EnvfactoryEnvironment
from envfactory_gym.train.config import GRPORunConfig, load_config
from envfactory_gym.train.grpo import build_grpo_trainer

out = Path(sys.argv[1])
env_seconds = [0.0]


def timed(method):
    def wrapper(self, *args, **kwargs):
        tick = time.perf_counter()
        try:
            return method(self, *args, **kwargs)
        finally:
            env_seconds[0] += time.perf_counter() - tick

    return wrapper


# The environments' side of a rollout: starting episodes, executing tool calls, scoring.
for name in ("reset", "get_reward", "_call_tool"):
    setattr(EnvfactoryEnvironment, name, timed(getattr(EnvfactoryEnvironment, name)))

overrides = [f"model.name_or_path={out / 'model'}", f"output_dir={out / 'grpo'}"]
config = load_config(Path("train/configs/tiny-gpu-vllm-grpo.yaml"), GRPORunConfig, overrides)
trainer = build_grpo_trainer(config)
engine = getattr(getattr(trainer, "vllm_generation", None), "llm", None)
tick = time.perf_counter()
trainer.train()
train_seconds = time.perf_counter() - tick
steps = [h for h in trainer.state.log_history if "reward" in h]
batch = config.trainer["per_device_train_batch_size"]
tokens = sum(h["completions/mean_length"] * batch for h in steps)
step_seconds = sum(h.get("step_time", 0.0) for h in steps) or train_seconds
summary = {
    "use_vllm": bool(getattr(trainer, "use_vllm", False)),
    "vllm_mode": getattr(trainer.args, "vllm_mode", None),
    "engine": type(engine).__name__ if engine is not None else None,
    "steps": len(steps),
    "completion_tokens": tokens,
    "step_seconds": step_seconds,
    "env_seconds": env_seconds[0],
    "reward": [h["reward"] for h in steps],
}
(out / "grpo-vllm.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
s = summary
if not (s["use_vllm"] and s["vllm_mode"] == "colocate" and s["engine"] and s["steps"]):
    sys.exit(f"GRPO + vLLM colocate: did not use a colocated vLLM engine: {s}")
print(
    f"GRPO + vLLM colocate: ran, {s['steps']} steps ({s['engine']} in process), "
    f"{s['completion_tokens'] / max(s['step_seconds'], 1e-9):.0f} completion tokens per second of step time; "
    f"env share of step time {s['env_seconds'] / max(s['step_seconds'], 1e-9):.1%}; reward per step {s['reward']}"
)
PY
grpo_status=$?

echo "total: $((SECONDS - started)) s; vLLM agent: $([ $agent_status -eq 0 ] && echo ran || echo FAILED);" \
    "GRPO vLLM colocate: $([ $grpo_status -eq 0 ] && echo ran || echo FAILED)"
[ $agent_status -eq 0 ] && [ $grpo_status -eq 0 ]
