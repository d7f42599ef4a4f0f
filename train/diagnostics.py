"""What the rewards of a training step are made of, so that reward hacking shows in the logs.

The rubric's reward is one number; a policy that learns to game it (spraying values into answers, pasting tool
outputs, calling tools with broken arguments) moves the parts under it first. :class:`RewardDiagnostics` is an
``on_scored`` callback for :func:`envfactory_gym.integrations.trl.environment_factories`: every finished
episode hands it its :class:`~envfactory_gym.rubric.RewardBreakdown`, and :meth:`RewardDiagnostics.flush`
turns the episodes since the last flush into the ``diagnostics/*`` metrics that GRPO logs (to wandb, offline by
default) with each step's reward. In a multi-process run each process counts its own episodes; the main
process's are logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from envfactory_gym.rubric import RewardBreakdown

PREFIX = "diagnostics/"

# Metric names (without PREFIX), in the order they are logged; every flush with episodes reports all of them.
METRICS = (
    "episodes",
    "success_rate",
    "state_match_rate",
    "fact_credit_rate",
    "reward_share_state",
    "reward_share_facts",
    "malformed_call_rate",
    "malformed_calls_per_episode",
    "answer_length",
    "distractor_count",
    "pasted_output_rate",
    "over_budget_rate",
)


@dataclass
class RewardDiagnostics:
    """Collects finished episodes' reward breakdowns; ``flush()`` summarises and forgets them."""

    _episodes: list[tuple[RewardBreakdown, int]] = field(default_factory=list)

    def __call__(self, breakdown: RewardBreakdown, tool_calls: int) -> None:
        self._episodes.append((breakdown, tool_calls))

    def __len__(self) -> int:
        return len(self._episodes)

    def flush(self) -> dict[str, float]:
        """The ``diagnostics/*`` metrics of the episodes collected since the last flush ({} when none).

        - ``success_rate``, ``state_match_rate``: shares of episodes that succeeded / reached a gold change set.
        - ``fact_credit_rate``: share of the episodes whose task requires facts that earned the fact credit.
        - ``reward_share_state`` / ``reward_share_facts``: the share of the summed reward earned on tasks that
          state alone decides (no required facts) / on tasks whose success needs the facts too (0 and 0 when no
          episode earned any reward).
        - ``malformed_call_rate``: malformed calls per tool call; ``malformed_calls_per_episode``.
        - ``answer_length``, ``distractor_count``: means per episode (characters; distractor values stated).
        - ``pasted_output_rate``, ``over_budget_rate``: shares of answers that pasted a tool's output or ran
          past the length budget (both forfeit the fact credit).
        """
        episodes, self._episodes = self._episodes, []
        if not episodes:
            return {}
        count = len(episodes)
        breakdowns = [b for b, _ in episodes]
        with_facts = [b for b in breakdowns if b.facts_required]
        total_reward = sum(b.reward for b in breakdowns)
        facts_reward = sum(b.reward for b in with_facts)
        tool_calls = sum(calls for _, calls in episodes)
        malformed = sum(b.malformed_calls for b in breakdowns)
        metrics = {
            "episodes": float(count),
            "success_rate": sum(b.success for b in breakdowns) / count,
            "state_match_rate": sum(b.state_match for b in breakdowns) / count,
            "fact_credit_rate": sum(b.fact_credit for b in with_facts) / len(with_facts) if with_facts else 0.0,
            "reward_share_state": (total_reward - facts_reward) / total_reward if total_reward > 0 else 0.0,
            "reward_share_facts": facts_reward / total_reward if total_reward > 0 else 0.0,
            "malformed_call_rate": malformed / tool_calls if tool_calls else 0.0,
            "malformed_calls_per_episode": malformed / count,
            "answer_length": sum(b.answer_length for b in breakdowns) / count,
            "distractor_count": sum(b.distractor_count for b in breakdowns) / count,
            "pasted_output_rate": sum(b.pasted_tool_output for b in breakdowns) / count,
            "over_budget_rate": sum(not b.answer_within_budget for b in breakdowns) / count,
        }
        return {PREFIX + name: float(metrics[name]) for name in METRICS}
