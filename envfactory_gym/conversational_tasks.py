"""Conversational tasks: the opening message leaves out a detail that only the user knows.

:func:`make_conversational` derives such a task from an ordinary one written scenario-first: a story that
states a detail the person holds records it in ``task.metadata["details"]``, a list of entries::

    {"name": "travel date",            # the spoken name a question uses
     "synonyms": ["date", "day"],      # optional: other words a natural question may use
     "value": "2024-05-29",            # the gold argument value the detail stands for (str, int or float)
     "phrase": " on May 29",           # the exact substring of task.query that states it
     "vague": " some day next week",   # what replaces the phrase when the detail is hidden ("" by default)
     "say": "May 29"}                  # how the person says it when asked

Only details a person really holds are listed (never ids they would not know, coordinates or tokens).
The variant replaces one detail's phrase by its vague wording (chosen deterministically from the seed),
puts it in ``task.user.hidden_facts`` under its spoken name (said as ``say``), keeps the details still
stated in ``task.user.known_facts``, and records the detail in ``metadata["hidden_detail"]``. The gold
solution and change set are unchanged, so the task is solved only by an assistant that asks the user: a
detail qualifies only when its value is a gold argument the task cannot be passed without (a stand-in,
or a guess from the remaining message, fails it). Tasks without details (older or custom task files)
have no variant.

:class:`ConversationalOracleAgent` is the matching oracle. It knows the gold calls but not the hidden
values (they are masked); it asks for each hidden detail by its spoken name, takes the value once the
user's reply states it, and then replays the gold calls. Under dual control some gold calls are the
user's own (``task.user.user_tools``, hidden from the assistant): for each of those, in the gold order,
it tells the user clearly what to do instead (:func:`user_instruction`) and the user simulator runs the
tool, so the episode reaches the gold state through the same path an agent's does. With ``ask=False`` it
never asks: it fills the masked values with a guess from the opening message and leaves the user's calls
undone — the probe showing that a conversational task cannot be passed without the user.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from envfactory_gym.agents.base import register_agent
from envfactory_gym.agents.baselines import OracleAgent
from envfactory_gym.conversation import HeldFact, fact_label, find_dates, mentions_fact
from envfactory_gym.rubric import _normalise_text, fact_found
from envfactory_gym.tasks import GoldCall, Task, UserProfile

CONVERSATIONAL_SUFFIX = "-conv"
DEFAULT_PERSONA = "A customer who knows the details of their own request but gives them only when asked."


@dataclass(frozen=True)
class Detail:
    """One entry of ``task.metadata["details"]`` (see the module docstring)."""

    name: str
    value: str | int | float
    phrase: str
    say: str
    vague: str = ""
    synonyms: tuple[str, ...] = ()

    @classmethod
    def parse(cls, entry: Any) -> Detail | None:
        """The entry as a detail, or None where it lacks what hiding it needs (then it is never hidden)."""
        if not isinstance(entry, Mapping):
            return None
        name, phrase, say, value = entry.get("name"), entry.get("phrase"), entry.get("say"), entry.get("value")
        if not (isinstance(name, str) and name.strip() and isinstance(phrase, str) and phrase.strip()):
            return None
        # Only scalar values can be masked in the gold calls and told back in a sentence.
        if isinstance(value, bool) or not isinstance(value, str | int | float) or str(value) == "":
            return None
        if not isinstance(say, str) or not say.strip():
            say = str(value)
        vague = entry.get("vague")
        synonyms = tuple(s for s in entry.get("synonyms") or () if isinstance(s, str) and s.strip())
        return cls(name.strip(), value, phrase, say, vague if isinstance(vague, str) else "", synonyms)

    def as_fact(self, hidden: bool = False) -> HeldFact:
        return HeldFact(self.name, self.say, self.value, self.synonyms, hidden)

    def record(self) -> dict[str, Any]:
        """What a variant keeps of the hidden detail in ``metadata["hidden_detail"]``."""
        return {"name": self.name, "synonyms": list(self.synonyms), "value": self.value, "say": self.say}


def task_details(task: Task) -> list[Detail]:
    """The task's well-formed ``metadata["details"]`` entries."""
    return [d for d in (Detail.parse(e) for e in task.metadata.get("details") or []) if d is not None]


def _same(candidate: Any, value: Any) -> bool:
    """An argument equal to the detail's value (True is no 1, and 1 is no "1")."""
    if isinstance(candidate, bool) or isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return isinstance(candidate, int | float) and candidate == value
    return isinstance(candidate, str) and candidate == value


def _replace(arguments: Any, value: Any, new: Any) -> Any:
    """``arguments`` with every occurrence of ``value`` (nested in lists and objects too) set to ``new``."""
    if isinstance(arguments, dict):
        return {k: _replace(v, value, new) for k, v in arguments.items()}
    if isinstance(arguments, list):
        return [_replace(v, value, new) for v in arguments]
    return new if _same(arguments, value) else arguments


def _contains(arguments: Any, value: Any) -> bool:
    if isinstance(arguments, dict):
        return any(_contains(v, value) for v in arguments.values())
    if isinstance(arguments, list):
        return any(_contains(v, value) for v in arguments)
    return _same(arguments, value)


def _substituted(calls: list[GoldCall], value: Any, new: Any) -> list[GoldCall]:
    return [c.model_copy(update={"arguments": _replace(c.arguments, value, new)}) for c in calls]


def guess_from_message(query: str, like: Any) -> Any:
    """What an agent that never asked could put in place of a value: something of its type from the message.

    A number: the first number written; a date: the first date written (in the value's ISO form); anything
    else: the last identifier-like token ("A0001"), or "unknown".
    """
    if isinstance(like, int | float) and not isinstance(like, bool):
        numbers = re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w]|\.\d)", query)
        if not numbers:
            return type(like)(0)
        return type(like)(float(numbers[0])) if isinstance(like, float) else int(float(numbers[0]))
    text = str(like)
    iso = re.match(r"(\d{4})-\d{2}-\d{2}", text)
    if iso:
        dates = find_dates(query)
        if not dates:
            return "unknown"
        year, month, day = dates[0]
        return f"{year or int(iso.group(1)):04d}-{month:02d}-{day:02d}" + text[10:]
    ids = [t for t in re.findall(r"[A-Za-z0-9][\w\-]*", query) if any(c.isdigit() for c in t)]
    return ids[-1] if ids else "unknown"


def _stand_in(value: Any) -> Any:
    """A value of the same type that is certainly not the detail."""
    if isinstance(value, int | float):
        return value + 1
    return "unknown" if value != "unknown" else "something else"


def _still_stated(query: str, detail: Detail) -> bool:
    """Whether the message still gives the detail away after its phrase is gone (said twice, or by value)."""
    normalised = _normalise_text(query)
    if fact_found(detail.say, normalised):
        return True
    if isinstance(detail.value, str) and len(detail.value) >= 3 and fact_found(detail.value, normalised):
        return True
    fact = detail.as_fact()
    return fact.kind in ("date", "time") and mentions_fact(query, fact)


def _vague_query(query: str, detail: Detail) -> str:
    text = query.replace(detail.phrase, detail.vague, 1)
    # Removing a phrase can leave doubled spaces or a space before punctuation ("bags ." → "bags.").
    text = re.sub(r"\s+([.,!?;:])", r"\1", " ".join(text.split()))
    # ... or a comma left before the sentence's end ("I'm Ann Lee, my zip code is 12345." → "I'm Ann Lee.").
    text = re.sub(r"[,;:]+(?=[.!?])", "", text)
    # A vague wording that now opens the message starts its sentence.
    return text[:1].upper() + text[1:] if query.startswith(detail.phrase) else text


def make_conversational(task: Task, rng_seed: int) -> Task | None:
    """A variant of ``task`` whose opening message omits one detail the person holds, or None.

    The details whose phrase the message contains are tried in an order drawn from ``rng_seed`` (and the
    task id); the first that qualifies is hidden. None when the task already hides something, records no
    details, or none of them qualifies (see :func:`_detail_matters`).
    """
    if task.user.hidden_facts:
        return None
    details = task_details(task)
    candidates = [d for d in details if d.phrase in task.query]
    if not candidates:
        return None
    rng = random.Random(f"{rng_seed}:{task.task_id}")
    rng.shuffle(candidates)
    for detail in candidates:
        query = _vague_query(task.query, detail)
        if query == task.query or _still_stated(query, detail):
            continue
        known = {k: v for k, v in task.user.known_facts.items() if k != detail.name}
        for other in details:
            if other.name != detail.name and other.phrase in query:
                known.setdefault(other.name, other.say)
        user = UserProfile(
            persona=task.user.persona or DEFAULT_PERSONA,
            known_facts=known,
            hidden_facts={detail.name: detail.say},
            user_tools=list(task.user.user_tools),
        )
        metadata = {
            **task.metadata,
            "conversational": {"source_task": task.task_id, "hidden": [detail.name]},
            "hidden_detail": detail.record(),
        }
        variant = task.model_copy(
            update={
                "task_id": f"{task.task_id}{CONVERSATIONAL_SUFFIX}",
                "query": query,
                "user": user,
                "metadata": metadata,
            }
        )
        # Checked on the variant itself: episodes seed generated ids with the task id, so a gold call that
        # names an id made earlier in the episode (a new passenger) may not replay under the new id.
        if _detail_matters(variant, detail.value, query):
            return variant
    return None


def _list_lengths(outputs: list[str]) -> list[str]:
    """Counts an agent can read off its tool results: the length of every JSON list in them."""
    counts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, list):
            counts.append(str(len(value)))
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for output in outputs:
        try:
            walk(json.loads(output))
        except (json.JSONDecodeError, RecursionError):
            continue
    return counts


def visible_facts(facts: list[str], outputs: list[str]) -> list[str]:
    """The required facts an agent can read off these tool results: quoted values, list lengths, and
    yes/no for the booleans in them."""
    seen = _normalise_text(" ".join(outputs) + " " + " ".join(_list_lengths(outputs)))
    booleans = {"yes": re.search(r":\s*true\b", " ".join(outputs)), "no": re.search(r":\s*false\b", " ".join(outputs))}
    visible = []
    for fact in facts:
        key = fact.strip().lower()
        if (key in booleans and booleans[key] is not None) or fact_found(fact, seen):
            visible.append(fact)
    return visible


@dataclass(frozen=True)
class _Run:
    """What replaying some calls on the task's initial state gave: whether the state matches, and the outputs."""

    state_ok: bool
    outputs: list[str]


def _replay(task: Task, calls: list[GoldCall]) -> _Run | None:
    """Replay ``calls``; None when one of them fails."""
    from envfactory_gym import registry
    from envfactory_gym.database import RowChange
    from envfactory_gym.gold import GoldExecutionError, execute_gold
    from envfactory_gym.rubric import compare_changes, generated_columns

    try:
        run = execute_gold(task.env_ids, calls, seed=task.seed, scenario=task.scenario, id_seed=task.task_id)
    except GoldExecutionError:
        return None
    generated = {e: generated_columns(registry.load_definition(e)) for e in task.env_ids}
    changes: dict[str, list[RowChange]] = {}
    for change in run.changes:
        changes.setdefault(change.env_id, []).append(
            RowChange(change.table, change.op, change.key, change.before, change.after)
        )
    accepted = [task.gold_changes, *task.gold_alternatives]
    state_ok = any(compare_changes(changes, gold, generated) == (0, 0) for gold in accepted)
    return _Run(state_ok, [o if isinstance(o, str) else json.dumps(o) for o in run.outputs])


def _passes_with(task: Task, calls: list[GoldCall], reference: _Run | None = None) -> bool:
    """Whether these calls reach the gold change set (or an accepted alternative) and give every required fact.

    A fact shown in the gold run's outputs must show in theirs. A fact derived from outputs (a refund
    worked out from two prices) cannot be seen; it is taken to hold only when the outputs are the gold
    run's own (``reference``), since other outputs may derive another value.
    """
    run = _replay(task, calls)
    if run is None or not run.state_ok:
        return False
    shown = visible_facts(task.required_facts, reference.outputs) if reference else list(task.required_facts)
    if len(visible_facts(shown, run.outputs)) != len(shown):
        return False
    derived = len(shown) < len(task.required_facts)
    return not derived or (reference is not None and run.outputs == reference.outputs)


def _detail_matters(task: Task, value: Any, query: str | None = None) -> bool:
    """Whether the task cannot be passed without this detail.

    It can — and the detail is no reason to ask — when its value is no gold argument, when the gold
    solution still passes with a stand-in value or with a guess from the message (the rubric ignores the
    detail, as a hand-off summary; or the message still implies it), or when it passes without the calls
    that use it (their answers show in another call's output, as flight numbers in a reservation).
    """
    calls = list(task.gold_calls)
    if not any(_contains(c.arguments, value) for c in calls):
        return False
    guess = guess_from_message(query if query is not None else task.query, value)
    if _same(guess, value):
        return False
    reference = _replay(task, calls)
    if reference is None or not reference.state_ok:
        return False  # the gold solution itself does not replay: nothing to compare with
    for stand_in in (_stand_in(value), guess):
        if _passes_with(task, _substituted(calls, value, stand_in), reference):
            return False
    dropped = [c for c in calls if not _contains(c.arguments, value)]
    return not (dropped and _passes_with(task, dropped, reference))


@dataclass(frozen=True)
class _Masked:
    """A hidden value in the oracle's copy of the gold calls: known only once the user has told it."""

    name: str


def hidden_details(task: Task) -> list[tuple[str, Any, str]]:
    """The task's hidden details as (spoken name, value, how the person says it).

    From ``metadata["hidden_detail"]``; a hidden fact without one (an older task file, which hid a gold
    argument under its own name) is its own value, said as written.
    """
    record = task.metadata.get("hidden_detail")
    found = []
    for name, said in task.user.hidden_facts.items():
        if isinstance(record, Mapping) and record.get("name") == name and "value" in record:
            found.append((name, record["value"], str(record.get("say") or said)))
        else:
            found.append((name, said, said if isinstance(said, str) else json.dumps(said)))
    return found


def _conveys(reply: str, name: str, value: Any, say: str) -> bool:
    """Whether the user's reply states the detail: as they say it, or in any way its value is written."""
    if fact_found(say, _normalise_text(reply)):
        return True
    return mentions_fact(reply, HeldFact(name, say, value))


def user_instruction(call: GoldCall) -> str:
    """What an assistant says to have the user make one of their own calls: the action by its name, and
    every argument by its parameter's words ("Please toggle roaming on your side, with phone number (212)
    555-0100.") — what the user simulator needs to act (see ``RuleBasedUser``), and no more."""
    said = [f"{fact_label(k)} {v if isinstance(v, str) else json.dumps(v)}" for k, v in call.arguments.items()]
    listed = f"{', '.join(said[:-1])} and {said[-1]}" if len(said) > 1 else "".join(said)
    return f"Please {fact_label(call.tool)} on your side" + (f", with {listed}" if listed else "") + "."


class ConversationalOracleAgent(OracleAgent):
    """The oracle for conversational tasks: asks for each hidden detail by name, then replays the gold calls,
    telling the user to make the calls that are theirs.

    Args:
        style: the action format of the tool calls (see :class:`OracleAgent`).
        ask: ask the user (True); False fills hidden values with a guess from the opening message — it
            fails, by design.
    """

    name = "conversational-oracle"

    def __init__(self, style: str = "hermes", ask: bool | str = True) -> None:
        super().__init__(style=style)
        self.ask = ask if isinstance(ask, bool) else str(ask).lower() not in {"0", "false", "no"}
        self.pending: list[str] = []
        self.learned: dict[str, Any] = {}
        self.asked: str | None = None
        self.hidden: dict[str, tuple[Any, str]] = {}
        self._masked_calls: list[GoldCall] = []
        self._tool_outputs: list[str] = []

    def start(self, task: Task | None, tools: list[dict[str, Any]], seed: int | None = None) -> None:
        super().start(task, tools, seed)
        assert self.task is not None
        self.hidden = {name: (value, say) for name, value, say in hidden_details(self.task)}
        self.pending = list(self.hidden) if self.ask else []
        self.learned = {}
        self.asked = None
        # The gold calls with every hidden value masked: what the oracle may know without asking.
        calls = list(self.task.gold_calls)
        for name, (value, _) in self.hidden.items():
            calls = _substituted(calls, value, _Masked(name))
        self._masked_calls = calls

    def answer(self) -> str:
        """State the required facts its calls earned: all of them once every hidden detail was told (its calls
        are then the gold calls, so facts derived from their outputs hold too), else only those the tool
        results showed — a guess must not earn the task's privileged list."""
        assert self.task is not None
        if not self.task.required_facts:
            return "Your request is complete."
        told = set(self.learned) == set(self.hidden)
        shown = list(self.task.required_facts) if told else visible_facts(self.task.required_facts, self._tool_outputs)
        return "Here is what I found: " + ("; ".join(shown) if shown else "nothing matching your request") + "."

    def _fill(self, arguments: Any) -> Any:
        if isinstance(arguments, _Masked):
            value = self.hidden[arguments.name][0]
            return self.learned.get(arguments.name, guess_from_message(self.task.query if self.task else "", value))
        if isinstance(arguments, dict):
            return {k: self._fill(v) for k, v in arguments.items()}
        if isinstance(arguments, list):
            return [self._fill(v) for v in arguments]
        return arguments

    def act(self, messages: list[dict[str, Any]]) -> str | dict[str, Any]:
        assert self.task is not None, "call start() first"
        self._tool_outputs = [str(m.get("content") or "") for m in messages if m["role"] == "tool"]
        if self.asked is not None:
            reply = next((str(m.get("content") or "") for m in reversed(messages) if m["role"] == "user"), "")
            value, say = self.hidden[self.asked]
            if _conveys(reply, self.asked, value, say):
                self.learned[self.asked] = value
            self.asked = None
        if self.pending:
            self.asked = self.pending.pop(0)
            return f"Sure, I can help with that. Could you tell me the {fact_label(self.asked)}?"
        if self.position == 0:
            filled = [c.model_copy(update={"arguments": self._fill(c.arguments)}) for c in self._masked_calls]
            # The parent replays the task's gold calls; point it at the calls built from the conversation.
            self.task = self.task.model_copy(update={"gold_calls": filled})
            self.calls = self.calls_to_replay(self.task)
        while self.position < len(self.calls) and self._users(self.calls[self.position]):
            call = self.calls[self.position]
            self.position += 1
            if self.ask:
                return user_instruction(call)
        return super().act(messages)

    def _users(self, call: GoldCall) -> bool:
        """Whether the call is one of the user's own (the simulated user holds it; the assistant cannot make it)."""
        return self.task is not None and call.tool in self.task.user.user_tools

    def turn_end(self) -> int:
        """A batch of calls stops at the next call the user must make."""
        later = range(self.position, len(self.calls))
        return next((i for i in later if self._users(self.calls[i])), len(self.calls))


def built_conversational_tasks(env_ids: Sequence[str]) -> list[Task]:
    """The tasks the environments' registered builders make (``@env.conversational_tasks``), in order."""
    from envfactory_gym import registry

    built: list[Task] = []
    for env_id in env_ids:
        for build in registry.load_definition(env_id).conversational_builders:
            built.extend(build())
    return built


def conversational_variants(tasks: list[Task], rng_seed: int) -> list[Task]:
    """The conversational variant of every task that has one (see :func:`make_conversational`), kept only
    when a full conversational episode confirms it: an oracle that never asks the user fails it."""
    variants = [variant for task in tasks if (variant := make_conversational(task, rng_seed)) is not None]
    return [variant for variant in variants if not _solved_without_asking(variant)]


def _solved_without_asking(variant: Task) -> bool:
    """Whether the oracle that guesses the hidden detail instead of asking passes the variant's episode.

    :func:`_detail_matters` replays the gold calls with stand-ins; the episode also plays the user
    simulator and scores the oracle's own final answer, which a cross-service decision can make pass when
    the outcome it reports is the same whatever the guessed value returned.
    """
    from envfactory_gym.env import ToolUseEnv
    from envfactory_gym.rollout import play_episode

    env = ToolUseEnv(list(variant.env_ids), tasks=[variant], conversational=True)
    try:
        return play_episode(env, ConversationalOracleAgent(ask=False), options={"task": variant}).success
    finally:
        env.close()


register_agent("conversational-oracle", ConversationalOracleAgent)
