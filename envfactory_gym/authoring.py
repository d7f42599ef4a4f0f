"""The environment authoring API.

An environment module declares, in this order: its SQLAlchemy models, a seed generator and its tools.
Everything else (schemas, episodes, parsing, rewards) is supplied by the engine::

    env = EnvironmentDefinition("airline", domain="travel", models=Base, description="...")

    @env.seed
    def seed_database(db: Session, data: SeedData) -> None: ...

    @env.read(intents=["look up my reservation {reservation_id}"])
    def get_reservation_details(ctx: ToolContext, reservation_id: str) -> ReservationView:
        '''Get the details of a reservation.

        Args:
            reservation_id: The reservation code, such as '8JX2WO'.
        '''

A tool's JSON schema comes from its signature and docstring; its output schema (used by the tool
dependency graph) from its return annotation. Tools raise :class:`DomainError` for anything a person
would call a refusal; the engine turns it into an error observation and rolls the episode back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import inspect
import math
import random
import re
import sqlite3
import string
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from faker import Faker
from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, create_model
from sqlalchemy import Integer, String, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from envfactory_gym.errors import DomainError, ToolArgumentError
from envfactory_gym.rows import Rows, query, state_part
from envfactory_gym.text import is_valid_text

__all__ = [
    "DomainError",
    "EnvironmentDefinition",
    "FidelityMode",
    "SeedData",
    "ServiceClockMixin",
    "ToolArgumentError",
    "ToolContext",
    "ToolSpec",
    "build_tool_spec",
]

ToolKind = Literal["read", "write"]
TOOL_NAME_PATTERN = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
DEFAULT_NOW = dt.datetime(2024, 5, 15, 15, 0, 0)
MAX_ARGUMENT_STRING = 8_000
MAX_ARGUMENT_ITEMS = 1_000
MAX_ARGUMENT_DEPTH = 8
# The largest integer JSON exchanges exactly (2^53 - 1). Numbers beyond it are no service's quantities, lose
# precision in most clients, and let a tool's arithmetic leave SQLite's 64-bit range or overflow to infinity.
MAX_ARGUMENT_NUMBER = 2**53 - 1


def _check_argument(value: Any, path: str, depth: int = 0) -> None:
    """Reject, before any tool code sees it, an argument value the schema cannot mean: anything that is not
    JSON data, text that is not valid Unicode, non-finite or out-of-range numbers, oversized or deeply
    nested values."""
    if depth > MAX_ARGUMENT_DEPTH:
        raise ToolArgumentError(f"Argument {path} is nested too deeply.")
    if isinstance(value, str):
        if len(value) > MAX_ARGUMENT_STRING:
            raise ToolArgumentError(
                f"Argument {path} is too long ({len(value)} characters; limit {MAX_ARGUMENT_STRING})."
            )
        if not is_valid_text(value):
            raise ToolArgumentError(
                f"Argument {path} is not valid text: it holds a lone surrogate (an unpaired \\ud800-\\udfff escape)."
            )
    elif value is None or isinstance(value, bool):
        return
    elif isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            spelled = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
            raise ToolArgumentError(f"Argument {path} must be a finite number, not {spelled}.")
        if abs(value) > MAX_ARGUMENT_NUMBER:
            raise ToolArgumentError(
                f"Argument {path} is out of range: numbers may be at most {MAX_ARGUMENT_NUMBER} in magnitude."
            )
    elif isinstance(value, list | tuple | dict):
        if len(value) > MAX_ARGUMENT_ITEMS:
            raise ToolArgumentError(f"Argument {path} has too many items ({len(value)}).")
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise ToolArgumentError(f"Argument {path} has a key of type {type(key).__name__}, not a string.")
                _check_argument(item, f"{path}.{key[:40]}", depth + 1)
        else:
            for index, item in enumerate(value):
                _check_argument(item, f"{path}[{index}]", depth + 1)
    else:
        raise ToolArgumentError(f"Argument {path} is of type {type(value).__name__}, which is not JSON data.")


# -- precompiled argument checks ---------------------------------------------------------------------------
# Most tools take plain JSON scalars (str, int, float, bool, optional ones, string literals, lists of strings).
# For those, a call whose values already have exactly the declared types is checked by a few type tests
# instead of building a pydantic model: the values are what pydantic would return (an int given for a
# float becomes a float; a list is copied). Anything else -- a missing or unknown argument, a value that
# pydantic would coerce or refuse -- takes the full path, so errors and coercions stay exactly pydantic's.

_INVALID = object()
_REQUIRED = object()
_ABSENT = object()
_NONE_TYPE = type(None)
ArgumentPlan = tuple[tuple[str, Callable[[Any], Any], Any], ...]


def _text(value: Any) -> Any:
    if type(value) is str and len(value) <= MAX_ARGUMENT_STRING and (value.isascii() or is_valid_text(value)):
        return value
    return _INVALID


def _integer(value: Any) -> Any:
    return value if type(value) is int and -MAX_ARGUMENT_NUMBER <= value <= MAX_ARGUMENT_NUMBER else _INVALID


def _number(value: Any) -> Any:
    kind = type(value)
    if kind is float:
        return value if math.isfinite(value) and -MAX_ARGUMENT_NUMBER <= value <= MAX_ARGUMENT_NUMBER else _INVALID
    if kind is int and -MAX_ARGUMENT_NUMBER <= value <= MAX_ARGUMENT_NUMBER:
        return float(value)
    return _INVALID


def _boolean(value: Any) -> Any:
    return value if type(value) is bool else _INVALID


def _text_list(value: Any) -> Any:
    if type(value) is not list or len(value) > MAX_ARGUMENT_ITEMS:
        return _INVALID
    for item in value:
        if _text(item) is _INVALID:
            return _INVALID
    return list(value)


_SCALAR_CHECKS: dict[Any, Callable[[Any], Any]] = {
    str: _text,
    int: _integer,
    float: _number,
    bool: _boolean,
    list[str]: _text_list,
}


def _fast_check(annotation: Any) -> Callable[[Any], Any] | None:
    """A value check for ``annotation`` when it is one the fast path covers exactly, else None."""
    try:
        check = _SCALAR_CHECKS.get(annotation)
    except TypeError:  # an unhashable annotation (metadata): not a plain type
        return None
    if check is not None:
        return check
    origin, members = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Literal and members and all(type(m) is str for m in members):
        allowed = frozenset(members)
        return lambda value: value if type(value) is str and value in allowed else _INVALID
    if origin in (typing.Union, types.UnionType) and len(members) == 2 and _NONE_TYPE in members:
        inner = _fast_check(next(m for m in members if m is not _NONE_TYPE))
        if inner is not None:
            return lambda value: None if value is None else inner(value)
    return None


def _argument_plan(params: list[inspect.Parameter], hints: dict[str, Any]) -> ArgumentPlan | None:
    """The fast path's checks for a tool's parameters, or None when any parameter needs pydantic."""
    plan = []
    for param in params:
        check = _fast_check(hints[param.name])
        default = _REQUIRED if param.default is inspect.Parameter.empty else param.default
        if check is None or (default is not _REQUIRED and type(default) not in (str, int, float, bool, _NONE_TYPE)):
            return None
        plan.append((param.name, check, default))
    return tuple(plan)


def _fast_arguments(plan: ArgumentPlan, arguments: Any) -> dict[str, Any] | None:
    """The validated values when every argument already has its declared type, else None (full path)."""
    if type(arguments) is not dict:
        return None
    values = {}
    given = 0
    for name, check, default in plan:
        value = arguments.get(name, _ABSENT)
        if value is _ABSENT:
            if default is _REQUIRED:
                return None
            values[name] = default
        elif check is _text and type(value) is str and len(value) <= MAX_ARGUMENT_STRING and value.isascii():
            values[name] = value  # _text's commonest case, without its call
            given += 1
        else:
            value = check(value)
            if value is _INVALID:
                return None
            values[name] = value
            given += 1
    return values if given == len(arguments) else None


@dataclass
class SeedData:
    """What a seed generator draws from: a seeded RNG and a seeded Faker, nothing else."""

    seed: int
    rng: random.Random
    fake: Faker

    @classmethod
    def for_seed(cls, seed: int, locale: str = "en_US") -> SeedData:
        fake = Faker(locale)
        fake.seed_instance(seed)
        return cls(seed=seed, rng=random.Random(seed), fake=fake)


class ToolContext:
    """What a tool may touch: the episode's database and its simulated clock — nothing else.

    * ``ctx.rows(Model)`` — fast row access (get, find, insert, update, delete) returning dicts;
    * ``ctx.query(sql, params)`` — a read-only SQL query for filters richer than equality;
    * ``ctx.db`` — the episode's SQLAlchemy ORM session, for authors who prefer the ORM;
    * ``ctx.now`` — the simulated current time, part of the seeded state;
    * ``ctx.new_id()`` — server-generated identifiers that depend only on the episode's seed and the
      number of ids issued so far, so that episodes replay exactly.
    """

    __slots__ = ("_episode", "_id_rng", "_id_seed", "_rows", "_session_factory", "conn", "now")

    def __init__(
        self,
        conn: sqlite3.Connection,
        now: dt.datetime,
        id_rng: random.Random | str | int,
        session_factory: Callable[[], Session],
        *,
        episode: Any = None,
    ) -> None:
        self.conn = conn
        self.now = now
        # The episode database (optional): lets row reads of an untouched state come from its snapshot.
        self._episode = episode
        # A seed is turned into its generator on the first new_id() (most episodes never draw one).
        self._id_rng: random.Random | None = id_rng if isinstance(id_rng, random.Random) else None
        self._id_seed = id_rng
        self._session_factory = session_factory
        self._rows: dict[type, Rows] = {}

    @property
    def id_rng(self) -> random.Random:
        if self._id_rng is None:
            self._id_rng = random.Random(self._id_seed)  # type: ignore[arg-type]
        return self._id_rng

    def rebind(self, conn: sqlite3.Connection, id_rng: random.Random | str | int, *, episode: Any = None) -> None:
        """Point the context at a (re)started episode: its connection, clock and a fresh id stream."""
        if conn is not self.conn or episode is not self._episode:
            self.conn = conn
            self._episode = episode
            # The accessors tools used are pointed at the new episode, not rebuilt on its first calls.
            for accessor in self._rows.values():
                accessor.rebind(conn, episode)
        if episode is not None:
            self.now = episode.snapshot.now
        self._id_rng = id_rng if isinstance(id_rng, random.Random) else None
        self._id_seed = id_rng

    def detach(self) -> None:
        """Cut the context off its episode (closed): any later use raises instead of reaching a reused slot."""
        from envfactory_gym.database import closed_connection

        self.conn = closed_connection()
        self._episode = None
        self._rows.clear()

    @property
    def db(self) -> Session:
        return self._session_factory()

    def rows(self, model: type[DeclarativeBase]) -> Rows:
        accessor = self._rows.get(model)
        if accessor is None:
            accessor = self._rows[model] = Rows(self.conn, model, self._episode)
        return accessor

    def query(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[dict[str, Any]]:
        return query(self.conn, sql, params)

    def state_part(self, tables: tuple[str, ...], key: str, compute: Callable[[sqlite3.Connection], Any]) -> Any:
        """``compute(conn)`` for a value that reads only ``tables``: computed once per snapshot while this
        episode has not written them (see :func:`envfactory_gym.rows.state_part`); return an immutable value."""
        return state_part(self._episode if self._episode is not None else self.conn, tables, key, compute)

    def new_id(self, length: int = 6, alphabet: str = string.ascii_uppercase + string.digits) -> str:
        return "".join(self.id_rng.choice(alphabet) for _ in range(length))


@dataclass(frozen=True)
class ToolSpec:
    """A tool as the engine sees it: callable, schemas, kind and intent templates."""

    name: str
    func: Callable[..., Any]
    kind: ToolKind
    description: str
    parameters: dict[str, Any]
    output_schema: dict[str, Any]
    intents: tuple[str, ...]
    arg_names: tuple[str, ...]
    _validator: TypeAdapter[Any] = field(repr=False, compare=False)
    terminal: bool = False
    # The precompiled checks of the fast path (None: every call goes through pydantic).
    _argument_plan: ArgumentPlan | None = field(default=None, repr=False, compare=False)
    # False for a tool no task can check by state or answer (fixed text, an always-unavailable service):
    # synthesis does not make it a goal and verification reports it instead of requiring it.
    coverage: bool = True

    @property
    def is_write(self) -> bool:
        return self.kind == "write"

    def openai_schema(self, name: str | None = None) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": name or self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }

    def validate_arguments(self, arguments: Any) -> dict[str, Any]:
        """Check a call's arguments against the signature; raise ToolArgumentError with a clear reason."""
        if self._argument_plan is not None:
            values = _fast_arguments(self._argument_plan, arguments)
            if values is not None:
                return values
        if not isinstance(arguments, dict):
            raise ToolArgumentError(
                f"Arguments for '{self.name}' must be a JSON object, got {type(arguments).__name__}."
            )
        names = [name if isinstance(name, str) else repr(name) for name in arguments]
        unknown = sorted(set(names) - set(self.arg_names))
        if unknown:
            raise ToolArgumentError(
                f"Unknown argument(s) for '{self.name}': {', '.join(name[:64] for name in unknown)}. "
                f"Expected: {', '.join(self.arg_names) or 'no arguments'}."
            )
        for key, value in arguments.items():
            _check_argument(value, key)
        try:
            model = self._validator.validate_python(arguments)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'arguments'}: {err['msg']}"
                for err in exc.errors(include_url=False)[:5]
            )
            raise ToolArgumentError(f"Invalid arguments for '{self.name}': {problems}.") from None
        values = {name: getattr(model, name) for name in self.arg_names}
        # Lax validation turns text into numbers ("1e400", "99999999999999999999"): check what it made.
        for key, value in model.model_dump(mode="json").items():
            _check_argument(value, key)
        return values


def _parse_docstring(doc: str) -> tuple[str, dict[str, str]]:
    """Split a Google-style docstring into its description and its ``Args:`` entries."""
    doc = inspect.cleandoc(doc or "")
    description_lines: list[str] = []
    args: dict[str, str] = {}
    section = "description"
    current: str | None = None
    for line in doc.splitlines():
        stripped = line.strip()
        if re.fullmatch(r"(Args|Arguments|Parameters):", stripped):
            section = "args"
            continue
        if re.fullmatch(r"(Returns|Raises|Yields|Examples?|Notes?):", stripped):
            section = "other"
            continue
        if section == "description":
            description_lines.append(stripped)
        elif section == "args":
            match = re.match(r"^(\w+)(?:\s*\([^)]*\))?:\s*(.*)$", stripped)
            if (match and line.startswith((" " * 4, "\t")) and not line.startswith(" " * 8)) or (
                match and current is None
            ):
                current = match.group(1)
                args[current] = match.group(2)
            elif current and stripped:
                args[current] = f"{args[current]} {stripped}".strip()
    description = " ".join(" ".join(description_lines).split())
    return description, args


def _strip_titles(schema: Any, names: bool = False) -> Any:
    """Drop pydantic's generated "title" annotations; ``names`` marks a "properties" mapping, whose keys are
    parameter names (a parameter may be called "title") and whose values are schemas."""
    if isinstance(schema, dict):
        return {
            k: _strip_titles(v, names=not names and k == "properties")
            for k, v in schema.items()
            if names or k != "title"
        }
    if isinstance(schema, list):
        return [_strip_titles(v) for v in schema]
    return schema


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """Inline ``$defs`` so that every tool schema is self-contained (some clients ignore $ref)."""
    defs = schema.pop("$defs", {})

    def resolve(node: Any, depth: int = 0) -> Any:
        if isinstance(node, dict):
            if "$ref" in node and depth < 20:
                target = defs[node["$ref"].rsplit("/", 1)[-1]]
                extra = {k: v for k, v in node.items() if k != "$ref"}
                return resolve({**target, **extra}, depth + 1)
            return {k: resolve(v, depth) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v, depth) for v in node]
        return node

    return resolve(schema)


def build_tool_spec(
    func: Callable[..., Any],
    kind: ToolKind,
    intents: tuple[str, ...] = (),
    name: str | None = None,
    terminal: bool = False,
    coverage: bool = True,
) -> ToolSpec:
    """Derive a ToolSpec from a typed function whose first parameter is the ToolContext."""
    tool_name = name or func.__name__
    if not TOOL_NAME_PATTERN.match(tool_name):
        raise ValueError(f"Tool name {tool_name!r} does not match {TOOL_NAME_PATTERN.pattern}")
    signature = inspect.signature(func)
    hints = typing.get_type_hints(func, include_extras=True)
    params = list(signature.parameters.values())
    if not params or params[0].name not in {"ctx", "context"}:
        raise TypeError(f"Tool {tool_name!r} must take the ToolContext as its first parameter 'ctx'.")
    description, arg_docs = _parse_docstring(func.__doc__ or "")
    if not description:
        raise ValueError(f"Tool {tool_name!r} needs a docstring: it is the model-facing description.")
    fields: dict[str, Any] = {}
    for param in params[1:]:
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise TypeError(f"Tool {tool_name!r}: *args/**kwargs are not allowed in tools.")
        if param.name not in hints:
            raise TypeError(f"Tool {tool_name!r}: parameter {param.name!r} needs a type annotation.")
        if param.name not in arg_docs:
            raise ValueError(f"Tool {tool_name!r}: parameter {param.name!r} is not described under Args:.")
        default = ... if param.default is inspect.Parameter.empty else param.default
        fields[param.name] = (hints[param.name], Field(default, description=arg_docs[param.name]))
    model = create_model(  # type: ignore[call-overload]
        f"{tool_name}_arguments",
        __config__=ConfigDict(extra="forbid", arbitrary_types_allowed=False, allow_inf_nan=False),
        **fields,
    )
    parameters = _strip_titles(_inline_refs(model.model_json_schema()))
    parameters.pop("additionalProperties", None)
    parameters.setdefault("properties", {})
    parameters.setdefault("required", [])
    return_hint = hints.get("return", Any)
    try:
        output_schema = _strip_titles(_inline_refs(TypeAdapter(return_hint).json_schema()))
    except Exception as exc:
        raise TypeError(
            f"Tool {tool_name!r}: cannot derive an output schema from its return annotation ({exc}). "
            "Use typing_extensions.TypedDict, a pydantic model, or plain list/dict/str types."
        ) from exc
    for intent in intents:
        unknown = sorted({field for _, field, _, _ in string.Formatter().parse(intent) if field} - set(fields))
        if unknown:
            raise ValueError(f"Tool {tool_name!r}: intent {intent!r} names {unknown}, which are not its parameters.")
    return ToolSpec(
        name=tool_name,
        func=func,
        kind=kind,
        description=description,
        parameters=parameters,
        output_schema=output_schema,
        intents=tuple(intents),
        arg_names=tuple(fields),
        _validator=TypeAdapter(model),
        _argument_plan=_argument_plan(params[1:], hints),
        terminal=terminal,
        coverage=coverage,
    )


SeedFunction = Callable[[Session, SeedData], None]


class ServiceClockMixin:
    """The service's simulated "now", one row of the seeded state: ``class ServiceClock(ServiceClockMixin, Base)``.

    An environment with this table needs no clock function: the engine reads ``service_clock.now`` (an
    ISO-8601 string) unless ``@env.clock`` says otherwise.
    """

    __tablename__ = "service_clock"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    now: Mapped[str] = mapped_column(String(32))


@functools.cache
def _takes_connection(func: Callable[..., Any]) -> bool:
    """Whether a clock function's first parameter is annotated ``sqlite3.Connection``."""
    params = list(inspect.signature(func).parameters.values())
    if not params:
        return False
    try:
        hint = typing.get_type_hints(func).get(params[0].name)
    except (NameError, TypeError):  # an annotation that does not resolve: not the connection type
        return False
    return hint is sqlite3.Connection


def _read_clock(clock: Callable[..., Any], db: Session | sqlite3.Connection) -> dt.datetime:
    """Call a clock function with what it takes: a raw connection or an ORM session, converted as needed."""
    wants_connection = _takes_connection(clock)
    if isinstance(db, sqlite3.Connection):
        if wants_connection:
            return clock(db)
        from sqlalchemy import create_engine
        from sqlalchemy.pool import StaticPool

        # (Not disposed: disposing a StaticPool would close the caller's connection.)
        engine = create_engine("sqlite://", creator=lambda: db, poolclass=StaticPool)
        with Session(engine) as session:
            return clock(session)
    if wants_connection:
        from envfactory_gym.rows import connection_of

        return clock(connection_of(db))
    return clock(db)


@dataclass
class FidelityMode:
    """An opt-in way for an environment's tools to behave as a public benchmark's do (``fidelity=<name>``).

    The default mode enforces the service's business rules inside the tools. A benchmark may instead leave
    those rules to the agent (its policy document) and judge the outcome from the final state; a fidelity
    mode reproduces that: ``implementations`` replace some tools (same names and parameters, so calls,
    schemas and tasks stay the same) and ``policy`` is the rule text the agent is given in its system prompt.
    """

    name: str
    policy: str
    implementations: dict[str, Callable[..., Any]] = field(default_factory=dict)
    _specs: dict[str, ToolSpec] | None = field(default=None, repr=False)


class EnvironmentDefinition:
    """One environment: its models, seed generator and tools, collected by decorators."""

    def __init__(
        self,
        env_id: str,
        *,
        domain: str,
        models: type[DeclarativeBase],
        description: str,
        modeled_on: str = "",
        default_seed: int = 0,
        clock: Callable[[Session], dt.datetime] | None = None,
        scenario_io: Any = None,
        user_tool_names: tuple[str, ...] = (),
        tasks_file: str | Path | None = None,
    ) -> None:
        self.env_id = env_id
        self.domain = domain
        self.models = models
        self.description = description
        self.modeled_on = modeled_on
        self.default_seed = default_seed
        self.tools: dict[str, ToolSpec] = {}
        self.seed_function: SeedFunction | None = None
        self._clock = clock
        self.scenario_io = scenario_io
        self.user_tool_names = user_tool_names
        # Where an environment outside the suite keeps its task file (a suite environment's is
        # domains/<domain>/tasks/<env_id>.jsonl); synth --write-packaged writes it, episodes play it.
        self.tasks_file = Path(tasks_file) if tasks_file is not None else None
        self.argument_samplers: dict[str, Callable[[ToolContext, random.Random], dict[str, Any] | None]] = {}
        self.fidelity_modes: dict[str, FidelityMode] = {}
        self.conversational_builders: list[Callable[[], list[Any]]] = []

    # -- decorators -------------------------------------------------------------------------------
    def seed(self, func: SeedFunction) -> SeedFunction:
        self.seed_function = func
        return func

    def arguments(
        self, tool_name: str
    ) -> Callable[[Callable[[ToolContext, random.Random], dict[str, Any] | None]], Any]:
        """Register a task-synthesis sampler for a tool whose arguments generic grounding cannot build.

        The sampler reads the seeded state through ``ctx`` (read-only) and returns valid arguments, or
        None when it cannot find any. Use it for tools taking structured arguments (itineraries, payment
        splits) whose values must agree with each other and with the state.
        """

        def decorator(func: Callable[[ToolContext, random.Random], dict[str, Any] | None]) -> Any:
            self.argument_samplers[tool_name] = func
            return func

        return decorator

    def conversational_tasks(self, func: Callable[[], list[Any]]) -> Callable[[], list[Any]]:
        """Register a builder of conversational tasks the story engine cannot write: ``func()`` returns
        tasks (deterministic, from the seeded state) whose gold solution needs the simulated user to act —
        calls of the user's own tools (``user_tool_names``), which the assistant must ask the user to make.
        ``synth <env_id> --conversational`` packages them beside the story variants; ``verify`` checks them.
        """
        self.conversational_builders.append(func)
        return func

    def clock(self, func: Callable[[Any], dt.datetime]) -> Callable[[Any], dt.datetime]:
        """Register how to read the simulated 'now' from the seeded state.

        The function takes the state as a ``sqlite3.Connection`` when its first parameter is annotated so
        (the fast path: no ORM), and as an ORM ``Session`` otherwise.
        """
        self._clock = func
        return func

    def _register(
        self,
        kind: ToolKind,
        intents: list[str] | tuple[str, ...] | None,
        name: str | None,
        terminal: bool,
        coverage: bool = True,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            spec = build_tool_spec(func, kind, tuple(intents or ()), name=name, terminal=terminal, coverage=coverage)
            if spec.name in self.tools:
                raise ValueError(f"Duplicate tool {spec.name!r} in environment {self.env_id!r}")
            self.tools[spec.name] = spec
            return func

        return decorator

    def read(
        self,
        func: Callable[..., Any] | None = None,
        *,
        intents: list[str] | None = None,
        name: str | None = None,
        terminal: bool = False,
        coverage: bool = True,
    ) -> Any:
        """Mark a function as a read tool (it never changes state)."""
        decorator = self._register("read", intents, name, terminal, coverage)
        return decorator(func) if func is not None else decorator

    def write(
        self,
        func: Callable[..., Any] | None = None,
        *,
        intents: list[str] | None = None,
        name: str | None = None,
        terminal: bool = False,
        coverage: bool = True,
    ) -> Any:
        """Mark a function as a write tool (it may change state)."""
        decorator = self._register("write", intents, name, terminal, coverage)
        return decorator(func) if func is not None else decorator

    def fidelity(self, mode: str, *, policy: str) -> FidelityMode:
        """Declare a fidelity mode and the policy text its agents are given (see :class:`FidelityMode`)."""
        if not TOOL_NAME_PATTERN.match(mode):
            raise ValueError(f"Fidelity mode names are letters, digits, '_' and '-', not {mode!r}.")
        if mode in self.fidelity_modes:
            raise ValueError(f"Fidelity mode {mode!r} of {self.env_id!r} is declared twice.")
        if not policy.strip():
            raise ValueError(f"Fidelity mode {mode!r} of {self.env_id!r} needs the policy text given to the agent.")
        declared = self.fidelity_modes[mode] = FidelityMode(mode, policy.strip())
        return declared

    def fidelity_tool(self, mode: str, name: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register how tool ``name`` (default: the function's name) behaves in fidelity mode ``mode``.

        The replacement takes the tool's parameters, by name or as ``**arguments`` (validated as in the
        default mode), and keeps the tool's name, kind and schema; a docstring summary, if it has one,
        replaces the description the agent sees.
        """

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            tool = name or func.__name__
            declared = self.fidelity_modes.get(mode)
            if declared is None:
                raise ValueError(f"Declare fidelity mode {mode!r} of {self.env_id!r} with env.fidelity() first.")
            spec = self.tools.get(tool)
            if spec is None:
                raise ValueError(f"Fidelity mode {mode!r} replaces {tool!r}, which is no tool of {self.env_id!r}.")
            signature = list(inspect.signature(func).parameters.values())[1:]
            parameters = tuple(p.name for p in signature)
            takes_any = len(signature) == 1 and signature[0].kind is inspect.Parameter.VAR_KEYWORD
            if parameters != spec.arg_names and not takes_any:
                raise ValueError(
                    f"The {mode!r} version of {tool!r} must take the tool's parameters {spec.arg_names}, "
                    f"not {parameters}."
                )
            if tool in declared.implementations:
                raise ValueError(f"Fidelity mode {mode!r} replaces {tool!r} twice.")
            declared.implementations[tool] = func
            declared._specs = None
            return func

        return decorator

    def tool_specs(self, fidelity: str | None = None) -> dict[str, ToolSpec]:
        """The tools as they behave in a fidelity mode (``None``: the default, enforcing behaviour)."""
        if fidelity is None:
            return self.tools
        declared = self.fidelity_modes.get(fidelity) if isinstance(fidelity, str) else None
        if declared is None:
            modes = ", ".join(map(repr, self.fidelity_modes)) or "none"
            raise ValueError(f"Unknown fidelity {fidelity!r} for environment {self.env_id!r}; its modes are: {modes}.")
        if declared._specs is None:
            specs = dict(self.tools)
            for tool, func in declared.implementations.items():
                summary, _ = _parse_docstring(inspect.getdoc(func) or "")
                specs[tool] = dataclasses.replace(
                    specs[tool], func=func, description=summary or specs[tool].description
                )
            declared._specs = specs
        return declared._specs

    # -- queries ----------------------------------------------------------------------------------
    def now(self, db: Session | sqlite3.Connection) -> dt.datetime:
        """The simulated 'now' of a state, given as an ORM session or a raw SQLite connection."""
        if self._clock is not None:
            return _read_clock(self._clock, db)
        if ServiceClockMixin.__tablename__ in self.models.metadata.tables:
            sql = "SELECT now FROM service_clock ORDER BY id LIMIT 1"
            if isinstance(db, sqlite3.Connection):
                row = db.execute(sql).fetchone()
                value = None if row is None else row[0]
            else:
                value = db.execute(text(sql)).scalar_one_or_none()
            if value is not None:
                return dt.datetime.fromisoformat(value)
        return DEFAULT_NOW

    @property
    def read_tools(self) -> list[ToolSpec]:
        return [t for t in self.tools.values() if t.kind == "read"]

    @property
    def write_tools(self) -> list[ToolSpec]:
        return [t for t in self.tools.values() if t.kind == "write"]

    def __repr__(self) -> str:
        return f"EnvironmentDefinition({self.env_id!r}, tools={len(self.tools)})"
