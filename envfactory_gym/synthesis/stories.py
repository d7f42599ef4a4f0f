"""Scenario-first task synthesis: one person, one storyline, written by the environment's author.

A *story* is a small function in ``domains/<domain>/<env_id>/stories.py`` (or ``domain_stories.py`` for
stories across a domain's environments). It picks a person and the things they care about from the
seeded state, acts the solution out through :class:`StoryContext` — every :meth:`StoryContext.call` runs
the tool on a live episode and becomes a gold call — and returns the request as the person would say it::

    @story("airline", implicit=True)
    def trip_is_off(s: StoryContext) -> str:
        booking = s.pick("SELECT * FROM reservations WHERE status IS NULL AND insurance = 'yes'")
        s.person("airline", booking["user_id"])
        s.call("cancel_reservation", reservation_id=s.say(booking["reservation_id"]), reason="other")
        return f"I can't make my trip any more, booking {booking['reservation_id']}. Please cancel it."

The engine then checks what a reviewer would: every gold argument follows from the request (stated,
implied, a documented default or read from an earlier output — :meth:`StoryContext.ground`), no required
fact is given away by the request, writes change the state, the text passes the lint, and the gold calls
replay. What the story records — facts, identifying context, details a person holds, alternatives —
becomes the task.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import importlib.util
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from envfactory_gym import registry
from envfactory_gym.authoring import EnvironmentDefinition
from envfactory_gym.gold import GoldExecutionError, execute_gold, exposed_name, open_runtime
from envfactory_gym.runtime import ToolRuntime
from envfactory_gym.tasks import GoldCall, Task, UserProfile

GENERATOR = "envfactory.stories/1"
# Argument names that identify the person acting (one value per environment unless the story says so).
IDENTITY_ARGUMENTS = frozenset(
    {"user_id", "customer_id", "rider_id", "username", "user_name", "account_id", "member_id", "passenger_id"}
)


class StoryRejected(Exception):
    """The story cannot be told on this draw (no suitable row, a refused call); another draw is tried."""


@dataclass(frozen=True)
class Story:
    name: str
    env_ids: tuple[str, ...]
    function: Callable[[StoryContext], str | None]
    implicit: bool = False
    weight: float = 1.0

    @property
    def multi_env(self) -> bool:
        return len(self.env_ids) > 1


_STORIES: dict[str, Story] = {}


def story(*env_ids: str, implicit: bool = False, weight: float = 1.0, name: str | None = None) -> Callable[..., Any]:
    """Register a story over one environment (or 2–3 of one domain, the same person across services)."""
    if not 1 <= len(env_ids) <= 3:
        raise ValueError("a story involves one to three environments")

    def decorator(function: Callable[[StoryContext], str | None]) -> Callable[[StoryContext], str | None]:
        story_name = name or f"{'+'.join(env_ids)}.{function.__name__}"
        existing = _STORIES.get(story_name)
        if existing is not None and existing.function.__qualname__ != function.__qualname__:
            raise ValueError(f"story {story_name!r} is defined twice")
        _STORIES[story_name] = Story(story_name, tuple(env_ids), function, implicit, weight)
        return function

    return decorator


def load_stories(name: str) -> list[Story]:
    """The stories for an environment (its own) or a domain (its environments' and its cross-environment ones)."""
    domain, env_ids = registry.resolve(name)
    domain_of = registry.implemented()
    for env_id in env_ids:
        _import_if_present(f"envfactory_gym.domains.{domain_of.get(env_id, '')}.{env_id}.stories")
    if domain is not None:
        _import_if_present(f"envfactory_gym.domains.{domain}.domain_stories")
        wanted = set(env_ids)
        return sorted((s for s in _STORIES.values() if set(s.env_ids) <= wanted), key=lambda s: s.name)
    return sorted((s for s in _STORIES.values() if s.env_ids == (name,)), key=lambda s: s.name)


def _import_if_present(module: str) -> None:
    try:
        found = importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        found = False
    if found:
        importlib.import_module(module)


def has_stories(name: str) -> bool:
    return bool(load_stories(name))


def scalars(value: Any) -> Iterable[Any]:
    """The scalar leaves of a JSON-like value (dict values and list items, recursively)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from scalars(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from scalars(item)
    else:
        yield value


def canonical(value: Any) -> str:
    """A value as a fact string: floats that are whole as integers, everything else as written."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _key(value: Any) -> str:
    return canonical(value).strip().lower()


class StoryContext:
    """What a story acts through: the seeded state, a live episode, and what the task will record."""

    def __init__(
        self, story: Story, definitions: dict[str, EnvironmentDefinition], runtime: ToolRuntime, rng: random.Random
    ) -> None:
        self.story = story
        self.definitions = definitions
        self.runtime = runtime
        self.rng = rng
        self.calls: list[GoldCall] = []
        self.outputs: list[Any] = []
        self.facts: list[str] = []
        self.context_values: list[str] = []
        self.details: list[dict[str, Any]] = []
        self.identities: dict[str, list[str]] = {}
        self.others: list[str] = []
        self.holds: set[str] = set()
        self.alternatives: list[list[GoldCall]] = []
        self._said: dict[str, str] = {}  # value key -> the phrase that states it
        self._implied: set[str] = set()
        self._seen: set[str] = set()  # value keys of everything earlier outputs showed
        self._within: list[str] = []

    # -- the state -------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def within(self, env: str) -> Iterator[None]:
        """Run an environment's own story helpers inside a cross-environment story: SQL and unprefixed tool
        names in the block go to ``env``."""
        self._within.append(self._env(env))
        try:
            yield
        finally:
            self._within.pop()

    def _env(self, env: str | None) -> str:
        if env is None and self._within:
            return self._within[-1]
        if env is None:
            if len(self.story.env_ids) != 1:
                raise ValueError("this story spans several environments: name the env")
            return self.story.env_ids[0]
        if env not in self.story.env_ids:
            raise ValueError(f"{env!r} is not one of this story's environments {self.story.env_ids}")
        return env

    def rows(self, sql: str, params: Sequence[Any] = (), env: str | None = None) -> list[dict[str, Any]]:
        """Rows of the episode's current state (read-only SQL)."""
        database = self.runtime.databases[self._env(env)]
        cursor = database.raw.execute(sql, tuple(params))
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def pick(self, sql: str, params: Sequence[Any] = (), env: str | None = None) -> dict[str, Any]:
        """One row, drawn with the story's rng; the draw is rejected when there is none."""
        rows = self.rows(sql, params, env)
        if not rows:
            self.reject("no row for " + sql[:60])
        return self.rng.choice(rows)

    def sample(self, sql: str, k: int, params: Sequence[Any] = (), env: str | None = None) -> list[dict[str, Any]]:
        rows = self.rows(sql, params, env)
        if len(rows) < k:
            self.reject(f"fewer than {k} rows for " + sql[:60])
        return self.rng.sample(rows, k)

    def now(self, env: str | None = None) -> dt.datetime:
        return self.runtime.databases[self._env(env)].snapshot.now

    # -- acting the solution out -----------------------------------------------------------------------
    def _split(self, tool: str) -> tuple[str, str]:
        if "." in tool:
            env_id, name = tool.split(".", 1)
            return self._env(env_id), name
        if self._within and tool in self.definitions[self._within[-1]].tools:
            return self._within[-1], tool
        owners = [e for e in self.story.env_ids if tool in self.definitions[e].tools]
        if len(owners) != 1:
            raise ValueError(f"tool {tool!r} is in {len(owners)} of this story's environments: write env.tool")
        return owners[0], tool

    def call(self, tool: str, /, **arguments: Any) -> Any:
        """Run a tool on the episode and make it a gold call; a refused call rejects the draw."""
        env_id, name = self._split(tool)
        gold = GoldCall(env_id=env_id, tool=name, arguments=arguments)
        self._check_grounded(gold)
        result = self.runtime.call(exposed_name(gold, True), arguments)
        if not result.ok:
            self.reject(f"{env_id}.{name} refused: {result.content[:80]}")
        try:
            output: Any = json.loads(result.content)
        except json.JSONDecodeError:
            output = result.content
        self.calls.append(gold)
        self.outputs.append(output)
        self._seen.update(_key(v) for v in scalars(output) if v is not None)
        return output

    def peek(self, tool: str, /, **arguments: Any) -> Any:
        """Run a *read* tool to plan the story without making it part of the solution."""
        env_id, name = self._split(tool)
        if self.definitions[env_id].tools[name].is_write:
            raise ValueError("peek runs read tools only: a write would change the story's state")
        result = self.runtime.call(exposed_name(GoldCall(env_id=env_id, tool=name), True), arguments)
        if not result.ok:
            self.reject(f"{env_id}.{name} refused: {result.content[:80]}")
        try:
            return json.loads(result.content)
        except json.JSONDecodeError:
            return result.content

    def accept_also(self, calls: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """Another whole solution that satisfies the request as stated (its change set is accepted too)."""
        alternative = []
        for tool, arguments in calls:
            env_id, name = self._split(tool)
            alternative.append(GoldCall(env_id=env_id, tool=name, arguments=arguments))
        self.alternatives.append(alternative)

    # -- what the request states -------------------------------------------------------------------------
    def say(self, value: Any, phrase: str | None = None) -> Any:
        """Mark a value as stated by the request (in ``phrase``, or as written); returns the value."""
        self._said[_key(value)] = phrase if phrase is not None else canonical(value)
        return value

    def imply(self, value: Any) -> Any:
        """Mark a value as implied by the request's meaning (a reason code, a yes/no flag); returns it."""
        self._implied.add(_key(value))
        return value

    def detail(
        self,
        name: str,
        value: Any,
        say: str,
        *,
        phrase: str | None = None,
        vague: str = "",
        synonyms: Sequence[str] = (),
    ) -> str:
        """A detail the person holds and states: returns the phrase to put in the request.

        ``phrase`` (default: ``say``) is the request's exact wording; in a conversational variant it is
        replaced by ``vague`` and the simulated person answers ``say`` when asked about ``name``.
        """
        stated = phrase if phrase is not None else say
        self.say(value, stated)
        self.details.append(
            {"name": name, "synonyms": list(synonyms), "value": value, "phrase": stated, "vague": vague, "say": say}
        )
        return stated

    def person(self, env: str, identity: Any) -> Any:
        """The person acting in ``env`` (their account); one per environment unless :meth:`other_person`."""
        env_id = self._env(env)
        known = self.identities.setdefault(env_id, [])
        if canonical(identity) not in known:
            known.append(canonical(identity))
        return identity

    def other_person(self, identity: Any) -> Any:
        """Someone the story itself introduces (a colleague, a family member) acting through the person."""
        self.others.append(canonical(identity))
        return identity

    def hold(self, *kinds: str) -> None:
        """The person really holds raw values of these kinds ('coordinates', 'timestamps', 'iso_dates')."""
        self.holds.update(kinds)

    # -- what the answer must say ----------------------------------------------------------------------
    def fact(self, value: Any, *, derived: bool = False) -> str:
        """A value the final answer must state: taken from a tool output, or ``derived`` from outputs
        (a count, a sum) by the story."""
        text = canonical(value)
        if not derived and _key(text) not in self._seen:
            raise ValueError(f"fact {text!r} is not in any gold output: facts come from tool outputs")
        if text not in self.facts:
            self.facts.append(text)
        return text

    def context(self, *values: Any) -> None:
        """Values that identify what the answer is about (a name, a date): allowed in any answer."""
        for value in values:
            text = canonical(value)
            if text not in self.context_values:
                self.context_values.append(text)

    @staticmethod
    def reject(reason: str) -> NoReturn:
        raise StoryRejected(reason)

    # -- gold follows from the request -----------------------------------------------------------------
    def _check_grounded(self, call: GoldCall) -> None:
        spec = self.definitions[call.env_id].tools[call.tool]
        # A documented default is part of the API reference the agent sees.
        properties = spec.parameters.get("properties", {})
        defaults = {k: v["default"] for k, v in properties.items() if isinstance(v, dict) and "default" in v}
        for argument, value in call.arguments.items():
            if argument in defaults and defaults[argument] == value:
                continue
            for leaf in scalars(value):
                if leaf is None or isinstance(leaf, bool):
                    continue
                key = _key(leaf)
                if key in self._seen or key in self._said or key in self._implied:
                    continue
                raise ValueError(
                    f"{call.env_id}.{call.tool}: argument {argument}={leaf!r} does not follow from the request "
                    "(say it, imply it, or read it from an earlier call)"
                )

    def unstated(self, query: str) -> list[str]:
        """Phrases the story said it states that the request does not contain."""
        lowered = query.lower()
        return [p for p in self._said.values() if p and p.lower() not in lowered]


@dataclass
class StorySynthesisConfig:
    n: int = 100
    seed: int = 0
    multi_env_share: float = 0.64  # domains: share of tasks that span 2–3 environments
    min_multi_env_share: float = 0.61  # ... and the floor while single-environment stories still add coverage
    max_attempts_per_task: int = 40


@dataclass
class StoryReport:
    tasks: list[Task]
    attempts: int
    failures: Counter[str] = field(default_factory=Counter)
    story_usage: Counter[str] = field(default_factory=Counter)


def synthesize_stories(
    name: str,
    n: int,
    seed: int,
    *,
    progress: Callable[[int], None] | None = None,
    check: Callable[[Task], Sequence[str]] | None = None,
) -> StoryReport:
    """``n`` tasks for an environment or domain from its stories; the same seed gives the same tasks.

    ``check`` returns the reasons a finished task must be dropped (the text lint); stories are balanced so
    each is told about equally often, weighted by its declared weight.
    """
    config = StorySynthesisConfig(n=n, seed=seed)
    domain, env_ids = registry.resolve(name)
    stories = load_stories(name)
    if not stories:
        raise KeyError(f"{name!r} has no stories")
    definitions = {e: registry.load_definition(e) for e in env_ids}
    multi = [s for s in stories if s.multi_env]
    single = [s for s in stories if not s.multi_env]
    report = StoryReport([], 0)
    seen_queries: set[str] = set()
    seen_solutions: set[str] = set()
    budget = config.n * config.max_attempts_per_task
    rng = random.Random(f"stories:{name}:{config.seed}")
    # A domain's single-environment tasks are few beside its environments' tools: they go first to the
    # stories that exercise tools no task has used yet, so the domain's tasks cover every tool.
    profiles = _tool_profiles(single, definitions, name, config.seed) if domain is not None else {}
    coverage = {f"{e}.{t}" for e, d in definitions.items() for t, spec in d.tools.items() if spec.coverage}
    used: set[str] = set()
    while len(report.tasks) < config.n and report.attempts < budget:
        report.attempts += 1
        pool = stories
        if domain is not None and multi and single:
            # Keep the share of cross-environment tasks on target whatever each pool's rejection rate.
            made_multi = sum(len(t.env_ids) > 1 for t in report.tasks)
            # While tools are still unused, single-environment stories may take the share down to the floor.
            needs_coverage = bool(profiles) and any(profiles[st.name] & (coverage - used) for st in single)
            share = config.min_multi_env_share if needs_coverage else config.multi_env_share
            pool = multi if made_multi < share * (len(report.tasks) + 1) else single
        chosen = _least_told(pool, report.story_usage, rng)
        if pool is single and profiles:
            unused = coverage - used
            gain = {st.name: len(profiles.get(st.name, set()) & unused) for st in single}
            best = max(gain.values(), default=0)
            if best:
                chosen = _least_told([st for st in single if gain[st.name] == best], report.story_usage, rng)
        task_id = f"{name}-{config.seed}-{len(report.tasks):04d}"
        draw = random.Random(f"{name}:{config.seed}:{report.attempts}:{chosen.name}")
        try:
            task = _tell(chosen, task_id, domain or definitions[chosen.env_ids[0]].domain, definitions, draw)
            reasons = list(check(task)) if check is not None else []
            if reasons:
                raise StoryRejected("lint: " + ", ".join(reasons))
        except StoryRejected as exc:
            report.failures[f"{chosen.name}: {re.sub(r'[0-9]+', '#', str(exc))[:80]}"] += 1
            report.story_usage[chosen.name] += 0.25  # type: ignore[assignment] - failing stories yield their turn
            continue
        solution = repr([(c.env_id, c.tool, sorted(c.arguments.items(), key=str)) for c in task.gold_calls])
        if task.query in seen_queries or solution in seen_solutions:
            report.failures[f"{chosen.name}: duplicate"] += 1
            report.story_usage[chosen.name] += 0.25  # type: ignore[assignment]
            continue
        seen_queries.add(task.query)
        seen_solutions.add(solution)
        report.story_usage[chosen.name] += 1
        used.update(f"{c.env_id}.{c.tool}" for c in task.gold_calls)
        report.tasks.append(task)
        if progress is not None:
            progress(len(report.tasks))
    if profiles:
        _complete_coverage(report, single, profiles, coverage, definitions, name, domain or "", config, budget, check)
    return report


def _complete_coverage(
    report: StoryReport,
    single: Sequence[Story],
    profiles: dict[str, set[str]],
    coverage: set[str],
    definitions: dict[str, EnvironmentDefinition],
    name: str,
    domain: str,
    config: StorySynthesisConfig,
    budget: int,
    check: Callable[[Task], Sequence[str]] | None,
) -> None:
    """Swap single-environment tasks that add no tool for ones using a tool no task uses yet.

    Stories branch on the state, so a story that can use a tool does not on every draw; this keeps the
    task count and the cross-environment share while the domain's tasks come to cover every tool.
    """

    def tools(task: Task) -> set[str]:
        return {f"{c.env_id}.{c.tool}" for c in task.gold_calls}

    while report.attempts < budget:
        counts = Counter(t for task in report.tasks for t in tools(task))
        unused = coverage - set(counts)
        helpful = [st for st in single if profiles[st.name] & unused]
        if not unused or not helpful:
            return
        redundant = [
            i
            for i, task in enumerate(report.tasks)
            if len(task.env_ids) == 1 and all(counts[t] > 1 for t in tools(task))
        ]
        if not redundant:
            return
        position = redundant[-1]
        report.attempts += 1
        chosen = helpful[report.attempts % len(helpful)]
        task_id = report.tasks[position].task_id
        draw = random.Random(f"{name}:{config.seed}:{report.attempts}:{chosen.name}")
        try:
            task = _tell(chosen, task_id, domain, definitions, draw)
            if check is not None and list(check(task)):
                continue
        except StoryRejected:
            continue
        others = [t for i, t in enumerate(report.tasks) if i != position]
        if not tools(task) & unused or any(t.query == task.query for t in others):
            continue
        report.story_usage[report.tasks[position].metadata["story"]] -= 1
        report.story_usage[chosen.name] += 1
        report.tasks[position] = task


def _tool_profiles(
    stories: Sequence[Story],
    definitions: dict[str, EnvironmentDefinition],
    name: str,
    seed: int,
    told: int = 8,
    attempts: int = 24,
) -> dict[str, set[str]]:
    """The tools each story's solutions use, learned by telling it a few times on draws of its own."""
    profiles: dict[str, set[str]] = {}
    for chosen in stories:
        tools: set[str] = set()
        successes = 0
        for attempt in range(attempts):
            if successes >= told:
                break
            draw = random.Random(f"profile:{name}:{seed}:{attempt}:{chosen.name}")
            try:
                task = _tell(chosen, f"{name}-profile-{attempt}", "profile", definitions, draw)
            except StoryRejected:
                continue
            successes += 1
            tools.update(f"{c.env_id}.{c.tool}" for c in task.gold_calls)
        profiles[chosen.name] = tools
    return profiles


def _least_told(pool: Sequence[Story], usage: Counter[str], rng: random.Random) -> Story:
    def load(s: Story) -> float:
        return usage[s.name] / s.weight

    least = min(load(s) for s in pool)
    candidates = [s for s in pool if load(s) <= least + 1e-9] if rng.random() < 0.8 else list(pool)
    return rng.choice(candidates)


def _tell(
    chosen: Story, task_id: str, domain: str, definitions: dict[str, EnvironmentDefinition], rng: random.Random
) -> Task:
    from envfactory_gym.synthesis.pipeline import split_for  # the split rule is the pipeline's

    env_ids = list(chosen.env_ids)
    seed = definitions[env_ids[0]].default_seed
    runtime = open_runtime(env_ids, seed, None, task_id, prefix=True)
    try:
        context = StoryContext(chosen, {e: definitions[e] for e in env_ids}, runtime, rng)
        before = runtime.state_hash()
        query = chosen.function(context)
        if not query:
            raise StoryRejected("story declined")
        wrote = any(definitions[c.env_id].tools[c.tool].is_write for c in context.calls)
        if not context.calls:
            raise ValueError(f"story {chosen.name} made no calls")
        if wrote and runtime.state_hash() == before:
            raise StoryRejected("the writes changed nothing")
    finally:
        runtime.close()
    query = " ".join(query.split())
    missing = context.unstated(query)
    if missing:
        raise ValueError(f"story {chosen.name} says it states {missing[:3]} but the request does not: {query!r}")
    from envfactory_gym.rubric import _normalise_text, fact_found

    normalised = _normalise_text(query)
    given_away = [f for f in context.facts if f.lower() not in ("yes", "no") and fact_found(f, normalised)]
    if given_away:
        raise StoryRejected(f"the request states the answer {given_away[:2]}")
    if wrote and not context.calls:
        raise StoryRejected("no solution")
    task = Task(
        task_id=task_id,
        domain=domain,
        env_ids=env_ids,
        split=split_for(task_id),  # type: ignore[arg-type]
        goal="write" if wrote else "read",
        query=query,
        seed=seed,
        gold_calls=context.calls,
        required_facts=context.facts,
        answer_context=context.context_values,
        # Tools the person holds on their own device (dual control) stay theirs: hidden from the assistant.
        user=UserProfile(
            known_facts={d["name"]: d["say"] for d in context.details},
            user_tools=[name for e in env_ids for name in definitions[e].user_tool_names],
        ),
        metadata={
            "generator": GENERATOR,
            "story": chosen.name,
            "intent": "implicit" if chosen.implicit else "explicit",
            "num_calls": len(context.calls),
            "details": context.details,
            "identities": context.identities,
            "other_people": context.others,
            "holds": sorted(context.holds),
        },
    )
    try:
        gold = execute_gold(env_ids, task.gold_calls, seed=seed, id_seed=task_id)
        alternatives = [
            execute_gold(env_ids, calls, seed=seed, id_seed=task_id).changes for calls in context.alternatives
        ]
    except GoldExecutionError as exc:
        raise StoryRejected(f"gold replay failed: {exc}") from exc
    if wrote and not gold.changes:
        raise StoryRejected("no change on replay")
    return task.model_copy(update={"gold_changes": gold.changes, "gold_alternatives": alternatives})
