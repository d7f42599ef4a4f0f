"""Rewards computed from an episode's final state and transcript — never from an LLM.

Success needs both:

* **state** — the episode's net change set equals the gold change set, or one of the task's
  ``gold_alternatives``, row for row (a missing write, an extra write or a write to the wrong row fails).
  Values in columns the service generates (marked ``info={"generated": True}`` on the model's column: new
  ids, creation stamps) are normalised on both sides, so the gold solution reached in a different order
  still matches; free text is compared without regard to case, runs of whitespace or final . ! ?.
* **facts** — for every required fact, the final answer states it, in any common format (see
  :mod:`envfactory_gym.answers`), and precisely: values the episode's tool outputs showed that are neither
  required, nor in the request, nor identifying context (``task.answer_context``) are distractors, and more
  than :func:`distractor_allowance` of them forfeit the fact credit. So do an answer longer than
  :func:`answer_budget` and one that pastes a tool's output. Listing everything seen earns nothing.

The reward is 1 for success and 0 otherwise, scaled down by a penalty for malformed calls (parse errors,
unknown tools, invalid arguments). The breakdown reports which facts matched, which distractors counted
and which change set matched, for analysis.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from envfactory_gym.answers import (
    Fact,
    mentions,
    normalise_free_text,
    normalise_text,
    parse_fact,
    scan,
    word_tokens,
)
from envfactory_gym.authoring import EnvironmentDefinition
from envfactory_gym.database import RowChange, _canonical
from envfactory_gym.tasks import GoldChange, Task

MALFORMED_PENALTY = 0.05
MAX_MALFORMED_PENALTY = 0.5

# Length budget: a fixed part for the sentence around the facts (greeting, "the total comes to", a closing
# line, a couple of the request's own values) plus a multiple of the characters of the facts and of the
# identifying context, since a restated value is longer than the raw one ("2024-05-17T13:30:00" ->
# "Friday, May 17, 2024 at 1:30 PM" is 1.6x; "in_progress" -> "In Progress" 1x) and each value comes with a
# few words of its own. Calibrated on the "helpful" probe agent (agents/baselines.py) over the 1,063 packaged
# tasks with facts: its longest answer takes 0.65 of the budget (0.83 with a base of 120), the format probe's
# 0.32. The spray is stopped by its distractors, not by the budget.
ANSWER_BUDGET_BASE = 160
ANSWER_BUDGET_PER_CHAR = 4
# Distractors tolerated: one per required fact (a fact may come with the name of the thing it belongs to when
# answer_context does not list it: "DiDi Express: 40.60", "Q00068 from Roberts Auto Group") plus
# DISTRACTOR_ALLOWANCE for any answer (a related value or two: the flight's other leg, the account's owner).
# Calibrated over the 1,063 packaged tasks with facts: a helpful answer that adds the identifying name or id
# of each fact's record stays within it on all of them (max(2, facts) would reject 13), while the spray
# probe passes 6 of 548 read tasks (max(2, facts): 4), where the gold reads show little beyond the facts.
DISTRACTOR_ALLOWANCE = 2
MAX_REPORTED_DISTRACTORS = 20
# Tool-output values that are not distractor candidates. Integers below 10 are counts, positions and flags
# that a natural sentence says anyway ("one", "2 passengers", "1 stop"); strings shorter than 3 characters
# ("TX", "A") and single lower-case words ("economy", "active") are vocabulary more than values; very long
# strings (descriptions) are the paste check's business. The spray is still caught by what is left.
MIN_CANDIDATE_NUMBER = 10
MIN_CANDIDATE_LENGTH = 3
MAX_CANDIDATE_LENGTH = 200
MAX_CANDIDATES = 5_000
# A window longer than any required fact (synthesis caps facts at 60 characters), checked every
# PASTE_STEP characters: every verbatim run of PASTE_WINDOW + PASTE_STEP - 1 = 78 characters is caught.
# Answers longer than this are not scanned at all (every budget is far smaller).
MAX_SCANNED_ANSWER_CHARS = 20_000
PASTE_WINDOW = 64
PASTE_STEP = 15
# Reformatted pastes (quotes and braces dropped, pretty-printed, "key: value" lines) keep the outputs' word
# order: this many consecutive words of the answer, outside the facts and the context, in a tool's output
# (more than a quoted sentence has: quoting one value is no paste, reproducing records is).
PASTE_TOKENS = 16
GENERATED = "<generated>"
_GENERIC_STRINGS = frozenset({"yes", "no", "true", "false", "none", "null", "n/a", "na", "unknown"})


@dataclass(frozen=True)
class RewardBreakdown:
    reward: float
    success: bool
    state_match: bool
    facts_found: int
    facts_required: int
    answer_within_budget: bool
    pasted_tool_output: bool
    missing_changes: int
    extra_changes: int
    malformed_calls: int
    penalty: float
    # Which change set the episode reached: "gold", "alternative:<index>" (into task.gold_alternatives) or None.
    matched_change_set: str | None = None
    facts_matched: tuple[str, ...] = ()
    facts_missing: tuple[str, ...] = ()
    # The distractors the answer stated (at most MAX_REPORTED_DISTRACTORS listed; the count is complete).
    distractors: tuple[str, ...] = ()
    distractor_count: int = 0
    distractor_allowance: int = 0
    answer_length: int = 0
    answer_budget: int = 0
    # Whether the answer earned the fact credit: every fact, within budget, no paste, few distractors.
    fact_credit: bool = False
    # For a task graded by a benchmark's own checks (task.checks): each check's result, see :mod:`.checks`.
    checks: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


def generated_columns(definition: EnvironmentDefinition) -> dict[str, frozenset[str]]:
    """Columns whose values the service generates, per table (``info={'generated': True}``)."""
    return {
        table.name: frozenset(c.name for c in table.columns if c.info.get("generated"))
        for table in definition.models.metadata.sorted_tables
    }


def _free_text(value: Any) -> Any:
    """Strings as dictated text is compared (case, whitespace, final punctuation ignored), recursively."""
    if isinstance(value, str):
        return normalise_free_text(value)
    if isinstance(value, dict):
        return {k: _free_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_free_text(v) for v in value]
    return value


def _normalise(
    changes: Iterable[tuple[str, str, str, dict[str, Any], dict[str, Any] | None, dict[str, Any] | None]],
    generated: Mapping[str, Mapping[str, frozenset[str]]],
) -> Counter[str]:
    changes = list(changes)
    generated_values: set[Any] = set()
    for env_id, table, op, _key, _before, after in changes:
        if op == "insert" and after:
            for column in generated.get(env_id, {}).get(table, ()):
                if after.get(column) is not None:
                    generated_values.add(after[column])

    def scrub(row: Mapping[str, Any] | None) -> dict[str, Any] | None:
        if row is None:
            return None
        return {
            k: (
                GENERATED
                if isinstance(v, str | int) and not isinstance(v, bool) and v in generated_values
                else _free_text(v)
            )
            for k, v in row.items()
        }

    normalised: Counter[str] = Counter()
    for env_id, table, op, key, before, after in changes:
        if op == "update" and before is not None and after is not None:
            # Service-maintained columns (counters, stamps) do not decide whether an update is right, and an
            # update that only changes a text's case or spacing changes nothing that is compared.
            ignored = generated.get(env_id, {}).get(table, frozenset())
            after = {k: v for k, v in after.items() if k not in ignored}
            if all(_free_text(before.get(k)) == _free_text(v) for k, v in after.items()):
                continue
        state = after if op != "delete" else None
        if op == "insert" and state is not None:
            # A new row's generated columns (ids, stamps, random draws such as a new card's balance) are
            # the service's, whatever their type; values elsewhere that repeat them are scrubbed below.
            columns = generated.get(env_id, {}).get(table, frozenset())
            state = {k: (GENERATED if k in columns and v is not None else v) for k, v in state.items()}
        normalised[
            _canonical([env_id, table, op, scrub(key), scrub(before) if op == "delete" else None, scrub(state)])
        ] += 1
    return normalised


def _episode_rows(
    episode: Mapping[str, Sequence[RowChange]],
) -> Iterator[tuple[str, str, str, dict[str, Any], dict[str, Any] | None, dict[str, Any] | None]]:
    return ((env_id, c.table, c.op, c.key, c.before, c.after) for env_id, rows in episode.items() for c in rows)


def _difference(episode_norm: Counter[str], gold: Sequence[GoldChange], generated: Any) -> tuple[int, int]:
    gold_norm = _normalise(((g.env_id, g.table, g.op, g.key, g.before, g.after) for g in gold), generated)
    return sum((gold_norm - episode_norm).values()), sum((episode_norm - gold_norm).values())


def compare_changes(
    episode: Mapping[str, Sequence[RowChange]],
    gold: Sequence[GoldChange],
    generated: Mapping[str, Mapping[str, frozenset[str]]],
) -> tuple[int, int]:
    """(missing, extra): gold rows the episode lacks, and episode rows gold does not have."""
    return _difference(_normalise(_episode_rows(episode), generated), gold, generated)


def matching_change_set(
    episode: Mapping[str, Sequence[RowChange]],
    task: Task,
    generated: Mapping[str, Mapping[str, frozenset[str]]],
) -> tuple[str | None, int, int]:
    """Which accepted change set the episode reached ("gold" or "alternative:<i>"), else None.

    Also returns (missing, extra) against gold when none matched (0, 0 when one did), for the breakdown.
    """
    episode_norm = _normalise(_episode_rows(episode), generated)
    missing, extra = _difference(episode_norm, task.gold_changes, generated)
    if missing == extra == 0:
        return "gold", 0, 0
    for index, alternative in enumerate(task.gold_alternatives):
        if _difference(episode_norm, alternative, generated) == (0, 0):
            return f"alternative:{index}", 0, 0
    return None, missing, extra


# --- answers ------------------------------------------------------------------------------------------
def _normalise_text(text: str) -> str:
    """Kept for callers that normalise once and match many facts: see :func:`answers.normalise_text`."""
    return normalise_text(text)


def fact_found(fact: str, answer_normalised: str) -> bool:
    """The fact is in the text in any common format (raw or :func:`_normalise_text`'d text alike)."""
    return mentions(fact, answer_normalised)


def fact_stated(fact: str, answer_normalised: str) -> bool:
    """The fact is in the answer; a yes/no fact also needs the answer not to say the opposite."""
    return mentions(fact, answer_normalised)  # the yes/no contradiction check is part of the matcher


def answer_budget(required_facts: Sequence[str], answer_context: Sequence[str] = ()) -> int:
    """How long an answer may be: the sentence around the facts plus a multiple of the facts' and context's length."""
    size = sum(len(f) for f in required_facts) + sum(len(c) for c in answer_context)
    return ANSWER_BUDGET_BASE + ANSWER_BUDGET_PER_CHAR * size


def distractor_allowance(required_facts: Sequence[str]) -> int:
    """How many distractors an answer may state and keep its fact credit: the facts' number plus two."""
    return len(required_facts) + DISTRACTOR_ALLOWANCE


def _candidate(value: Any) -> str | None:
    """A tool-output scalar as a distractor candidate, or None when it is too generic to count."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if float(value).is_integer():
            return None if abs(value) < MIN_CANDIDATE_NUMBER else str(int(value))
        return repr(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not MIN_CANDIDATE_LENGTH <= len(text) <= MAX_CANDIDATE_LENGTH or text.lower() in _GENERIC_STRINGS:
        return None
    if re.fullmatch(r"[a-z]+", text):
        return None
    parsed = parse_fact(text)
    if parsed.kind == "number" and parsed.value == parsed.value.to_integral_value() and abs(parsed.value) < 10:
        return None
    return text


def tool_output_values(tool_outputs: Sequence[str]) -> list[str]:
    """Distinct candidate values (scalar leaves of the JSON outputs, generic ones left out), in order seen."""
    found: dict[str, None] = {}

    def walk(value: Any, depth: int) -> None:
        if len(found) >= MAX_CANDIDATES or depth > 32:
            return
        if isinstance(value, dict):
            for item in value.values():
                walk(item, depth + 1)
        elif isinstance(value, list):
            for item in value:
                walk(item, depth + 1)
        else:
            candidate = _candidate(value)
            if candidate is not None:
                found.setdefault(candidate, None)

    for output in tool_outputs:
        try:
            parsed = json.loads(output)
        except (json.JSONDecodeError, RecursionError, TypeError):
            continue  # plain-text outputs (errors, confirmations) have no values to tell apart
        walk(parsed, 0)
    return list(found)


def find_distractors(
    answer: str,
    tool_outputs: Sequence[str],
    required_facts: Sequence[str],
    query: str = "",
    answer_context: Sequence[str] = (),
) -> list[str]:
    """Tool-output values the answer states that are not required, not in the request and not context.

    A value counts once however often it is stated or written ("1301" and 1301.0 are one value). A value that
    a fact or a context value contains, or that contains one (the timestamp of a required date), is not a
    distractor: stating the fact states it.
    """
    scanned = scan(answer)
    legitimate = [scan(text) for text in (query, *answer_context, *required_facts) if text]
    known: list[Fact] = [parse_fact(text) for text in (*answer_context, *required_facts)]
    seen: set[tuple[Any, ...]] = set()
    distractors: list[str] = []
    for value in tool_output_values(tool_outputs):
        candidate = parse_fact(value)
        if candidate.key in seen:
            continue
        seen.add(candidate.key)
        # Rounded figures are credited to the facts; a value counts against the answer only when stated exactly.
        if not mentions(candidate, scanned, rounding=False):
            continue
        if any(mentions(candidate, text) for text in legitimate):
            continue
        if known and any(mentions(fact, scan(value)) for fact in known):
            continue
        distractors.append(value)
    return distractors


def _collapse(tokens: Sequence[str], exempt: Sequence[tuple[str, ...]]) -> list[str]:
    """The tokens with every run equal to an exempt value's tokens replaced by one placeholder token."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for needle in exempt:
            if tuple(tokens[i : i + len(needle)]) == needle:
                out.append("\0")
                i += len(needle)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def pastes_tool_output(
    answer: str,
    tool_outputs: Sequence[str],
    window: int = PASTE_WINDOW,
    step: int = PASTE_STEP,
    exempt: Sequence[str] = (),
) -> bool:
    """Whether the answer copies a tool's output: a long verbatim run, or a long run of its words in order.

    A person's answer restates the values asked for; pasting raw results (JSON and all, or reformatted) is
    the reward hack of an agent that echoes whatever it saw, and earns no fact credit. Each value in
    ``exempt`` (the required facts and the context: a long sentence fact is quoted from a tool by design) is
    collapsed to one placeholder in the answer and the outputs alike, so quoting it is no paste, while a
    paste of the output around it still is.
    """
    values = sorted({v for v in exempt if v}, key=len, reverse=True)

    def collapse(text: str) -> str:
        for value in values:
            text = re.sub(re.escape(value), "\0", text, flags=re.IGNORECASE)
        return text

    masked = collapse(answer)
    if len(masked) >= window:
        outputs = [collapse(output) for output in tool_outputs] if values else list(tool_outputs)
        for start in range(0, len(masked) - window + 1, step):
            chunk = masked[start : start + window]
            if any(chunk in output for output in outputs):
                return True
    needles = sorted({word_tokens(v) for v in values} - {()}, key=len, reverse=True)
    tokens = _collapse(word_tokens(answer), needles)
    if len(tokens) < PASTE_TOKENS:
        return False
    runs = {tuple(tokens[i : i + PASTE_TOKENS]) for i in range(len(tokens) - PASTE_TOKENS + 1)}
    for output in tool_outputs:
        words = _collapse(word_tokens(output), needles)
        if any(tuple(words[i : i + PASTE_TOKENS]) in runs for i in range(len(words) - PASTE_TOKENS + 1)):
            return True
    return False


@dataclass(frozen=True)
class AnswerCheck:
    """How a final answer fares against a task's required facts."""

    matched: tuple[str, ...]
    missing: tuple[str, ...]
    distractors: tuple[str, ...]
    allowance: int
    budget: int
    length: int
    pasted: bool

    @property
    def within_budget(self) -> bool:
        return self.length <= self.budget

    @property
    def credit(self) -> bool:
        return not self.missing and self.within_budget and not self.pasted and len(self.distractors) <= self.allowance


def check_answer(task: Task, answer: str, tool_outputs: Sequence[str] = ()) -> AnswerCheck:
    """Which facts the answer states, which distractors it states, and whether it is in budget and no paste."""
    facts = task.required_facts
    if len(answer) > MAX_SCANNED_ANSWER_CHARS:
        # Far past any budget: no credit either way, and the matcher never reads megabytes a model sent.
        return AnswerCheck(
            matched=(),
            missing=tuple(facts),
            distractors=(),
            allowance=distractor_allowance(facts),
            budget=answer_budget(facts, task.answer_context),
            length=len(answer),
            pasted=False,
        )
    scanned = scan(answer)
    matched = tuple(f for f in facts if mentions(f, scanned))
    budget = answer_budget(facts, task.answer_context)
    exempt = [*facts, *task.answer_context]
    pasted = bool(facts) and pastes_tool_output(answer, tool_outputs, exempt=exempt)
    distractors = tuple(find_distractors(answer, tool_outputs, facts, task.query, task.answer_context)) if facts else ()
    return AnswerCheck(
        matched=matched,
        missing=tuple(f for f in facts if f not in matched),
        distractors=distractors,
        allowance=distractor_allowance(facts),
        budget=budget,
        length=len(answer),
        pasted=pasted,
    )


def score(
    task: Task,
    changes: Mapping[str, Sequence[RowChange]],
    final_answer: str,
    malformed_calls: int,
    definitions: Mapping[str, EnvironmentDefinition],
    tool_outputs: Sequence[str] = (),
    *,
    transcript: Sequence[Mapping[str, Any]] = (),
    databases: Mapping[str, Any] | None = None,
) -> RewardBreakdown:
    """The episode's reward. A task with its own checks (imported from a benchmark) is graded by them,
    on the whole ``transcript`` and the final ``databases`` (env_id -> state); others by this rubric."""
    if task.checks is not None:
        return _score_by_checks(task, changes, malformed_calls, definitions, transcript, databases)
    generated = {env_id: generated_columns(d) for env_id, d in definitions.items()}
    matched_set, missing, extra = matching_change_set(changes, task, generated)
    state_match = matched_set is not None
    check = check_answer(task, final_answer or "", tool_outputs)
    facts_ok = check.credit if task.required_facts else True
    # A write goal with no gold change would be passed by doing nothing; synthesis never emits one.
    reached = task.gold_changes if matched_set == "gold" else None
    if matched_set is not None and matched_set.startswith("alternative:"):
        reached = task.gold_alternatives[int(matched_set.split(":", 1)[1])]
    success = state_match and facts_ok and (task.goal == "read" or bool(reached))
    penalty = min(MAX_MALFORMED_PENALTY, MALFORMED_PENALTY * malformed_calls)
    reward = (1.0 - penalty) if success else 0.0
    return RewardBreakdown(
        reward=reward,
        success=success,
        state_match=state_match,
        facts_found=len(check.matched),
        facts_required=len(task.required_facts),
        answer_within_budget=check.within_budget,
        pasted_tool_output=check.pasted,
        missing_changes=missing,
        extra_changes=extra,
        malformed_calls=malformed_calls,
        penalty=penalty,
        matched_change_set=matched_set,
        facts_matched=check.matched,
        facts_missing=check.missing,
        distractors=check.distractors[:MAX_REPORTED_DISTRACTORS],
        distractor_count=len(check.distractors),
        distractor_allowance=check.allowance,
        answer_length=check.length,
        answer_budget=check.budget,
        fact_credit=bool(task.required_facts) and check.credit,
    )


def _score_by_checks(
    task: Task,
    changes: Mapping[str, Sequence[RowChange]],
    malformed_calls: int,
    definitions: Mapping[str, EnvironmentDefinition],
    transcript: Sequence[Mapping[str, Any]],
    databases: Mapping[str, Any] | None,
) -> RewardBreakdown:
    from envfactory_gym.checks import checks_report, evaluate_checks, state_difference

    assert task.checks is not None
    outcome = evaluate_checks(task.checks, transcript, definitions, databases)
    missing, extra = state_difference(changes, task.gold_changes)
    penalty = min(MAX_MALFORMED_PENALTY, MALFORMED_PENALTY * malformed_calls)
    return RewardBreakdown(
        reward=(1.0 - penalty) if outcome.success else 0.0,
        success=outcome.success,
        state_match=outcome.state is not False,
        facts_found=0,
        facts_required=0,
        answer_within_budget=True,
        pasted_tool_output=False,
        missing_changes=missing,
        extra_changes=extra,
        malformed_calls=malformed_calls,
        penalty=penalty,
        matched_change_set="gold" if outcome.state else None,
        checks=checks_report(task, outcome),
    )


def pass_hat_k(successes: int, trials: int, k: int) -> float:
    """tau2-bench's pass^k for one task: the chance that k trials drawn without replacement all succeed."""
    if not 0 < k <= trials:
        raise ValueError(f"k must be between 1 and the number of trials ({trials}), got {k}")
    if not 0 <= successes <= trials:
        raise ValueError("successes must be between 0 and trials")
    return math.comb(successes, k) / math.comb(trials, k)
