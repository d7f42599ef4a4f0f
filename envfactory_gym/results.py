"""The evaluation results format: one JSONL record per episode and one summary JSON per run.

Both are pydantic models; :func:`results_json_schema` exports them as one JSON Schema (the documented
format, committed as ``leaderboard/results.schema.json``). Every record and summary carries a ``kind``
discriminator so a file can be validated without knowing which of the two it holds.

An episode record names exactly what was run: the task's content hash, the agent spec (secrets
redacted), the trial index and seed. The (task_id, trial) pair is the record's identity within a run;
the runner resumes a run by skipping the pairs already present in its output file.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from envfactory_gym.tasks import Task

RESULTS_SCHEMA_VERSION = 1
SCHEMA_ID = "https://github.com/envfactory/envfactory-gym/leaderboard/results.schema.json"
SECRET_OPTION = re.compile(r"(api_?key|token|secret|password)", re.IGNORECASE)
REDACTED = "***"


class EpisodeRecord(BaseModel):
    """One played episode: identity, outcome, full transcript and costs."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["episode"] = "episode"
    schema_version: int = RESULTS_SCHEMA_VERSION
    agent: str = Field(description="The agent spec the run was started with, secrets redacted.")
    task_id: str
    trial: int = Field(ge=0, description="Trial index, 0-based; the agent and env seeds derive from it.")
    seed: int
    split: str
    domain: str
    env_ids: list[str]
    task_hash: str = Field(description="sha256 of the task's canonical JSON: the exact task played.")
    reward: float = Field(ge=0.0, le=1.0)
    success: bool
    terminated: bool
    truncated: bool
    steps: int = Field(ge=0)
    reward_breakdown: dict[str, Any] = Field(default_factory=dict)
    errors: dict[str, int] = Field(default_factory=dict, description="Error observations by kind.")
    state_hash: str = ""
    seconds_env: float = Field(ge=0.0, description="Time spent in environment code (reset, steps, scoring).")
    seconds_agent: float = Field(ge=0.0, description="Time spent waiting for the agent's turns.")
    prompt_tokens: int | None = Field(default=None, description="Sum over the episode's turns, when known.")
    completion_tokens: int | None = None
    usage: dict[str, int] = Field(default_factory=dict, description="Every usage counter the agent reported.")
    messages: list[dict[str, Any]] = Field(description="The full transcript, OpenAI chat format.")
    tools: list[dict[str, Any]] = Field(description="The tools exposed to the agent (OpenAI function schemas).")
    finished_at: str = Field(description="UTC timestamp, ISO 8601.")


class IntervalEstimate(BaseModel):
    """A point estimate with a confidence interval."""

    model_config = ConfigDict(extra="forbid")
    value: float
    low: float
    high: float


class GroupMetrics(BaseModel):
    """Metrics of one group of episodes (all of a run, one environment or one domain)."""

    model_config = ConfigDict(extra="forbid")
    tasks: int = Field(ge=0)
    episodes: int = Field(ge=0)
    success_rate: IntervalEstimate = Field(description="Successful episodes / episodes; Wilson interval.")
    mean_reward: IntervalEstimate = Field(description="Mean over tasks of the mean reward; bootstrap over tasks.")
    pass_hat_k: dict[str, IntervalEstimate] = Field(
        description="tau2-bench's pass^k for k = 1..min trials per task, mean over tasks; bootstrap over tasks."
    )
    mean_steps: float
    malformed_calls_per_episode: float
    truncated_episodes: int
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


class RunMetrics(BaseModel):
    model_config = ConfigDict(extra="forbid")
    confidence: float
    bootstrap_resamples: int
    bootstrap_seed: int
    overall: GroupMetrics
    by_environment: dict[str, GroupMetrics] = Field(description="Keyed by the task's environments joined by '+'.")
    by_domain: dict[str, GroupMetrics]


class RunSummary(BaseModel):
    """What one run of the runner produced: its configuration, completeness, metrics and timings."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["summary"] = "summary"
    schema_version: int = RESULTS_SCHEMA_VERSION
    label: str = Field(description="The name the leaderboard shows (the model, or the baseline's name).")
    agent: str
    split: str
    trials: int = Field(ge=1)
    environments: list[str] = Field(description="What was evaluated: environment ids or domain names.")
    tasks: int = Field(ge=0)
    tasks_hash: str = Field(description="sha256 over the sorted task hashes: names the task set exactly.")
    task_files: dict[str, str] = Field(
        default_factory=dict, description="Packaged task files used, by path inside the package, with their sha256."
    )
    episodes_expected: int
    episodes_completed: int
    episodes_failed: int = Field(description="Episodes whose agent failed (transport errors): not scored, rerun.")
    complete: bool
    wall_seconds: float
    seconds_env: float
    seconds_agent: float
    concurrency: int
    max_steps: int
    user_simulator: str | None = Field(
        default=None, description="Conversational runs: the user simulator spec (rule, llm:...); null otherwise."
    )
    results_file: str = Field(description="The episode records' file name, beside this summary.")
    envfactory_version: str
    created_at: str
    metrics: RunMetrics


def task_hash(task: Task) -> str:
    text = json.dumps(task.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def tasks_hash(hashes: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()


def redact_spec(spec: str) -> str:
    """The agent spec with secret-looking options (api_key, token, ...) replaced, for results files."""
    kind, sep, rest = spec.partition(":")
    if not sep:
        return spec
    parts = []
    for part in rest.split(","):
        key, eq, value = part.partition("=")
        parts.append(f"{key}={REDACTED}" if eq and SECRET_OPTION.search(key) and value.strip() else part)
    return f"{kind}:{','.join(parts)}"


def summary_path(results_path: str | Path) -> Path:
    """``run.jsonl`` → ``run.summary.json`` (the summary sits beside its records)."""
    path = Path(results_path)
    return path.with_name(path.name.removesuffix(".jsonl") + ".summary.json")


def results_json_schema() -> dict[str, Any]:
    """The JSON Schema of results files: an episode record or a run summary."""
    episode = EpisodeRecord.model_json_schema(ref_template="#/$defs/{model}")
    summary = RunSummary.model_json_schema(ref_template="#/$defs/{model}")
    definitions: dict[str, Any] = {}
    for schema in (episode, summary):
        definitions.update(schema.pop("$defs", {}))
        # Written on every record and summary, so a file is validated for what it says it is.
        schema["required"] = ["kind", "schema_version", *schema.get("required", [])]
    definitions["EpisodeRecord"] = episode
    definitions["RunSummary"] = summary
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "envfactory-gym evaluation results",
        "description": (
            "A line of a results JSONL file (kind 'episode': one played episode) or a run summary "
            "(kind 'summary'), as written by `envfactory eval`."
        ),
        "oneOf": [{"$ref": "#/$defs/EpisodeRecord"}, {"$ref": "#/$defs/RunSummary"}],
        "$defs": dict(sorted(definitions.items())),
    }


def write_json_schema(path: str | Path) -> None:
    Path(path).write_text(json.dumps(results_json_schema(), indent=2) + "\n", encoding="utf-8")
