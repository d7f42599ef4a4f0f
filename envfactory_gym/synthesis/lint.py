"""The task-text lint: what makes a request read like a form instead of a person.

Hard flags fail ``envfactory verify`` and are dropped during synthesis; soft ones are reported only.

* ``raw_field_path`` — a snake_case or dotted name, or a camelCase name of a column, output field or
  argument ("What is the results name?", "parkCode"; not "iPhone"), unless it is a value the person
  states (a user name);
* ``unit_suffix`` — a field's unit pasted after it ("the duration s", "the pressure mb");
* ``doubled_label`` — a label doubled into a template ("the Atlas Lodge at the Atlas Lodge", "booking my
  round trip", "flight the 17:30 flight") or a repeated word;
* ``reference_dump`` — a trailer of parameters ("For reference — user id: …; cabin: …");
* ``tool_name`` — a tool's name;
* ``mixed_identity`` — two accounts of one environment, unless the story introduces the second person;
* ``iso_timestamp``, ``iso_date``, ``raw_coordinates`` — stored formats, unless the story says the person
  holds them (``metadata["holds"]``);
* ``unrelated_goals`` (soft) — reported by :func:`lint_report` from the stories' own marks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from envfactory_gym import registry
from envfactory_gym.synthesis.stories import scalars
from envfactory_gym.tasks import Task

HARD_FLAGS = (
    "raw_field_path",
    "unit_suffix",
    "doubled_label",
    "reference_dump",
    "tool_name",
    "mixed_identity",
    "iso_timestamp",
    "iso_date",
    "raw_coordinates",
)

_SNAKE = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b")
_CAMEL = re.compile(r"\b[a-z]+(?:[A-Z][a-z0-9]+)+\b")
_DOTTED = re.compile(r"\b[a-z_]+\.[a-z_]+\b")
_UNIT = re.compile(r"\bthe [a-z ]{2,30} (?:s|ms|mb|hpa|kmh|kph|mps|pct|c|f|km|m)\b(?=[?.,;!]|$)")
_REPEATED_WORD = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)
_LABEL_INTO_TEMPLATE = re.compile(
    r"\b(?:booking|reservation|flight|order|ticket|trip|hotel|room|ride|alert|account|car) (?:my|the|a|an)\b",
    re.IGNORECASE,
)
_DUMP = re.compile(r"for reference|(?:\b[a-z][a-z ]{1,24}: [^;:.?!]{1,60}; ){1,}[a-z][a-z ]{1,24}: ", re.IGNORECASE)
_ISO_TIMESTAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_COORDINATES = re.compile(r"-?\d{1,3}\.\d{3,}\s*,\s*-?\d{1,3}\.\d{3,}")


@dataclass
class EnvironmentVocabulary:
    """The names a request must not show: tools, and columns/fields/arguments with separators."""

    tools: set[str] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)


def vocabulary(env_ids: Iterable[str]) -> EnvironmentVocabulary:
    vocab = EnvironmentVocabulary()
    for env_id in env_ids:
        definition = registry.load_definition(env_id)
        for table in definition.models.metadata.sorted_tables:
            vocab.fields.update(c.name.lower() for c in table.columns)
        for spec in definition.tools.values():
            vocab.tools.add(spec.name.lower())
            vocab.fields.update(a.lower() for a in spec.arg_names)
            vocab.fields.update(_schema_fields(spec.output_schema))
    return vocab


def _schema_fields(schema: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, dict):
        for key, value in schema.get("properties", {}).items():
            found.add(key.lower())
            found |= _schema_fields(value)
        for key in ("items", "additionalProperties"):
            found |= _schema_fields(schema.get(key))
        for key in ("anyOf", "oneOf", "allOf"):
            for option in schema.get(key, []):
                found |= _schema_fields(option)
        for definition in schema.get("$defs", {}).values():
            found |= _schema_fields(definition)
    return found


def _stated_values(task: Task) -> set[str]:
    return {leaf.lower() for call in task.gold_calls for leaf in scalars(call.arguments) if isinstance(leaf, str)}


def lint_task(task: Task, vocab: EnvironmentVocabulary | None = None) -> list[str]:
    """The hard flags a task's request raises (empty when it reads as a person's)."""
    vocab = vocab or vocabulary(task.env_ids)
    query = task.query
    flags: list[str] = []
    stated = _stated_values(task)
    names = {m.group(0) for p in (_SNAKE, _DOTTED) for m in p.finditer(query)}
    # camelCase is also how products are named (iPhone, iPad, eBay): such a word is a field path only when
    # it is one of the environment's own names.
    names |= {m.group(0) for m in _CAMEL.finditer(query) if m.group(0).lower() in vocab.fields | vocab.tools}
    words_used = {n.lower() for n in names if not any(n.lower() in s for s in stated)}
    if words_used & vocab.tools:
        flags.append("tool_name")
    if words_used - vocab.tools:
        flags.append("raw_field_path")
    if _UNIT.search(query.lower()):
        flags.append("unit_suffix")
    if _REPEATED_WORD.search(query) or _LABEL_INTO_TEMPLATE.search(query) or _repeated_phrase(query):
        flags.append("doubled_label")
    if _DUMP.search(query):
        flags.append("reference_dump")
    identities: dict[str, list[str]] = task.metadata.get("identities") or {}
    others = set(task.metadata.get("other_people") or [])
    if any(len([i for i in ids if i not in others]) > 1 for ids in identities.values()):
        flags.append("mixed_identity")
    holds = set(task.metadata.get("holds") or [])
    if _ISO_TIMESTAMP.search(query) and "timestamps" not in holds:
        flags.append("iso_timestamp")
    elif _ISO_DATE.search(query) and "iso_dates" not in holds and "timestamps" not in holds:
        flags.append("iso_date")
    if _COORDINATES.search(query) and "coordinates" not in holds:
        flags.append("raw_coordinates")
    return flags


def _repeated_phrase(query: str) -> bool:
    """A run of three or more words said twice in a row ("at the Atlas Lodge at the Atlas Lodge")."""
    tokens = re.findall(r"\w+", query.lower())
    for size in range(2, 6):
        for start in range(len(tokens) - 2 * size + 1):
            if tokens[start : start + size] == tokens[start + size : start + 2 * size]:
                return True
    # "the Atlas Lodge at the Atlas Lodge": a label of 2+ words repeated after one joining word.
    for size in range(2, 6):
        for start in range(len(tokens) - 2 * size):
            if tokens[start : start + size] == tokens[start + size + 1 : start + 2 * size + 1]:
                return True
    return False


@dataclass
class LintReport:
    tasks: int
    flags: Counter[str]
    examples: dict[str, str]
    implicit_share: float
    multi_env_share: float
    long_share: float
    mean_words: float

    @property
    def hard_flags(self) -> int:
        return sum(self.flags[f] for f in HARD_FLAGS)

    def summary(self) -> str:
        flagged = ", ".join(f"{f} {self.flags[f]}" for f in HARD_FLAGS if self.flags[f]) or "no flags"
        return (
            f"{self.tasks} requests: {flagged}; implicit intent {self.implicit_share:.0%}, "
            f"2–3 environments {self.multi_env_share:.0%}, ≥3 calls {self.long_share:.0%}, "
            f"mean {self.mean_words:.1f} words"
        )


def lint_report(tasks: Sequence[Task]) -> LintReport:
    flags: Counter[str] = Counter()
    examples: dict[str, str] = {}
    vocabularies: dict[tuple[str, ...], EnvironmentVocabulary] = {}
    for task in tasks:
        key = tuple(task.env_ids)
        if key not in vocabularies:
            vocabularies[key] = vocabulary(key)
        for flag in lint_task(task, vocabularies[key]):
            flags[flag] += 1
            examples.setdefault(flag, f"{task.task_id}: {task.query[:160]}")
    count = max(len(tasks), 1)
    return LintReport(
        tasks=len(tasks),
        flags=flags,
        examples=examples,
        implicit_share=sum(t.metadata.get("intent") == "implicit" for t in tasks) / count,
        multi_env_share=sum(len(t.env_ids) > 1 for t in tasks) / count,
        long_share=sum(len(t.gold_calls) >= 3 for t in tasks) / count,
        mean_words=sum(len(t.query.split()) for t in tasks) / count,
    )
