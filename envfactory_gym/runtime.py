"""Executing tool calls against an episode: validation, one transaction per call, error results.

Whatever a call carries — an unknown tool, arguments of the wrong type, a business-rule refusal, even a
bug in a tool — it comes back as a :class:`ToolResult` and the episode's state is exactly as before the
call. Nothing a model sends raises out of :meth:`ToolRuntime.call`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import json
import json.encoder as json_encoder
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from envfactory_gym.authoring import EnvironmentDefinition, ToolContext, ToolSpec
from envfactory_gym.database import EpisodeDatabase, RowChange
from envfactory_gym.errors import DomainError, ToolArgumentError
from envfactory_gym.text import is_valid_text, valid_text

log = logging.getLogger(__name__)

PREFIX_SEPARATOR = "__"
MAX_RESULT_CHARS = 24_000
MAX_ERROR_CHARS = 2_000
# Distinct sets of hidden tools whose schema lists one runtime keeps (tasks hide their user's own tools).
MAX_CACHED_TOOL_LISTS = 32


class ErrorKind(enum.StrEnum):
    PARSE = "parse_error"
    UNKNOWN_TOOL = "unknown_tool"
    INVALID_ARGUMENTS = "invalid_arguments"
    DOMAIN = "domain_error"
    INTERNAL = "internal_error"
    LIMIT = "limit_exceeded"


@dataclass(frozen=True, slots=True)
class ToolResult:
    name: str
    content: str
    error: ErrorKind | None = None
    terminal: bool = False

    def __init__(self, name: str, content: str, error: ErrorKind | None = None, terminal: bool = False) -> None:
        # Every call makes one: the slots are filled through their descriptors, which a frozen dataclass's
        # generated __init__ (object.__setattr__ per field) takes about twice as long to do.
        _SET_NAME(self, name)
        _SET_CONTENT(self, content)
        _SET_ERROR(self, error)
        _SET_TERMINAL(self, terminal)

    @property
    def ok(self) -> bool:
        return self.error is None


_NEW_RESULT = object.__new__
_SET_NAME = ToolResult.name.__set__  # type: ignore[attr-defined]
_SET_CONTENT = ToolResult.content.__set__  # type: ignore[attr-defined]
_SET_ERROR = ToolResult.error.__set__  # type: ignore[attr-defined]
_SET_TERMINAL = ToolResult.terminal.__set__  # type: ignore[attr-defined]


def _json_default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# Built once: json.dumps with options constructs a new encoder on every call. Strict JSON: a tool that
# computes NaN or Infinity has a bug, reported as an internal error.
_RESULT_ENCODER = json.JSONEncoder(default=_json_default, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
# The C encoder that JSONEncoder.encode builds on every call, built once (the same output). Without a
# circular-reference table: a self-referencing result still fails (RecursionError), as an internal error.
_ENCODE_CHUNKS = (
    json_encoder.c_make_encoder(
        None, _json_default, json_encoder.encode_basestring, None, ":", ",", False, False, False
    )
    if json_encoder.c_make_encoder is not None
    else None
)


def _encode(value: Any) -> str:
    if _ENCODE_CHUNKS is None:
        return _RESULT_ENCODER.encode(value)
    return "".join(_ENCODE_CHUNKS(value, 0))


def render_result(value: Any) -> str:
    """A tool's return value as the text the model sees."""
    text = value if isinstance(value, str) else _encode(value)
    if len(text) > MAX_RESULT_CHARS:
        text = text[:MAX_RESULT_CHARS] + f"... [truncated: {len(text)} characters in total]"
    return text


@dataclass(slots=True)
class _Binding:
    env_id: str
    spec: ToolSpec
    database: EpisodeDatabase
    context: ToolContext
    # What every call reads, taken out of the spec once: the name results carry (as valid text) and the kind.
    result_name: str = ""
    is_write: bool = False


def _valid(result: ToolResult) -> ToolResult:
    """``result`` with its text made valid Unicode (an error may echo a model's lone surrogates)."""
    if is_valid_text(result.name) and is_valid_text(result.content):
        return result
    return dataclasses.replace(result, name=valid_text(result.name), content=valid_text(result.content))


class ToolRuntime:
    """The tools of one episode (1–3 environments), callable by their exposed names."""

    def __init__(
        self,
        databases: Sequence[EpisodeDatabase],
        *,
        id_seed: int = 0,
        prefix: bool | None = None,
        fidelity: str | None = None,
    ):
        if not databases:
            raise ValueError("An episode needs at least one environment.")
        # The tools' behaviour: the default (the service enforces its rules) or a benchmark's fidelity mode.
        specs = [db.definition.tool_specs(fidelity) for db in databases]
        self.fidelity = fidelity
        self.databases = {db.definition.env_id: db for db in databases}
        use_prefix = len(databases) > 1 if prefix is None else prefix
        self.prefix = use_prefix
        self.bindings: dict[str, _Binding] = {}
        # Tools the assistant must not see (the user's own, in dual control): callable only by the harness.
        self.hidden: set[str] = set()
        self._contexts: list[tuple[ToolContext, EpisodeDatabase, str]] = []
        # Fixed for the runtime's life (reopen keeps its environments and bindings), so computed once.
        self._definitions = tuple(db.definition for db in databases)
        self._tool_schemas: dict[frozenset[str], tuple[dict[str, Any], ...]] = {}
        for index, (database, tools) in enumerate(zip(databases, specs, strict=True)):
            definition = database.definition
            # The id stream's seed; ToolContext builds the generator on the first new_id().
            context = ToolContext(
                database.raw,
                database.snapshot.now,
                f"{id_seed}:{index}:{definition.env_id}",
                lambda env_id=definition.env_id: self.databases[env_id].session,  # type: ignore[misc]
                episode=database,
            )
            self._contexts.append((context, database, f"{index}:{definition.env_id}"))
            for spec in tools.values():
                name = f"{definition.env_id}{PREFIX_SEPARATOR}{spec.name}" if use_prefix else spec.name
                self.bindings[name] = _Binding(
                    definition.env_id, spec, database, context, valid_text(name), spec.is_write
                )

    @property
    def definitions(self) -> list[EnvironmentDefinition]:
        return list(self._definitions)

    def tool_names(self) -> list[str]:
        return list(self.bindings)

    def openai_tools(self, exclude: set[str] | None = None) -> list[dict[str, Any]]:
        """The tools' OpenAI schemas, less ``exclude``: a new list of new dicts on every call (a caller may
        change its copy), filled from schemas built once per runtime and set of excluded names."""
        hidden = frozenset(exclude) if exclude else frozenset()
        functions = self._tool_schemas.get(hidden)
        if functions is None:
            if len(self._tool_schemas) >= MAX_CACHED_TOOL_LISTS:
                self._tool_schemas.clear()
            functions = self._tool_schemas[hidden] = tuple(
                b.spec.openai_schema(name)["function"] for name, b in self.bindings.items() if name not in hidden
            )
        return [{"type": "function", "function": dict(function)} for function in functions]

    def spec(self, name: str) -> ToolSpec | None:
        binding = self.bindings.get(name)
        return binding.spec if binding else None

    def call(self, name: Any, arguments: Any, *, as_user: bool = False) -> ToolResult:
        """Execute one call atomically; every failure becomes an error result and changes nothing.

        Hidden tools (the user's own) do not exist for the assistant; the user simulator calls them with
        ``as_user=True``. The result's text is always valid Unicode, whatever the call echoes back.
        """
        binding = self.bindings.get(name) if isinstance(name, str) else None
        if binding is None or (name in self.hidden and not as_user):
            return _valid(self._unknown(name))
        spec = binding.spec
        try:
            args = spec.validate_arguments(arguments)
        except ToolArgumentError as exc:
            return _valid(ToolResult(name, f"Error: {str(exc)[:MAX_ERROR_CHARS]}", ErrorKind.INVALID_ARGUMENTS))
        database = binding.database
        database.begin()
        try:
            value = spec.func(binding.context, **args)
            if isinstance(value, str):
                content = value
            elif _ENCODE_CHUNKS is not None:
                content = "".join(_ENCODE_CHUNKS(value, 0))  # _encode(value), without its frame
            else:
                content = _encode(value)
            if len(content) > MAX_RESULT_CHARS:
                content = render_result(content)
        except DomainError as exc:
            database.rollback()
            return _valid(ToolResult(name, f"Error: {str(exc)[:MAX_ERROR_CHARS]}", ErrorKind.DOMAIN))
        except Exception as exc:
            database.rollback()
            log.debug("tool %s raised", name, exc_info=True)
            return _valid(
                ToolResult(
                    name, f"Error: the service failed to process '{name}' ({type(exc).__name__}).", ErrorKind.INTERNAL
                )
            )
        if binding.is_write:
            database.commit()
        else:
            # A read tool never changes state, even by accident.
            database.rollback()
        if not content.isascii() and not is_valid_text(content):
            content = valid_text(content)
        # ToolResult(binding.result_name, content, None, spec.terminal), without its __init__ frame.
        result = _NEW_RESULT(ToolResult)
        _SET_NAME(result, binding.result_name)
        _SET_CONTENT(result, content)
        _SET_ERROR(result, None)
        _SET_TERMINAL(result, spec.terminal)
        return result

    def _unknown(self, name: Any) -> ToolResult:
        shown = name if isinstance(name, str) else f"<{type(name).__name__}>"
        known = ", ".join(n for n in self.bindings if n not in self.hidden)
        return ToolResult(
            str(shown)[:64],
            f"Error: unknown tool '{str(shown)[:64]}'. Available tools: {known}.",
            ErrorKind.UNKNOWN_TOOL,
        )

    # -- state ----------------------------------------------------------------------------------------
    def change_sets(self) -> dict[str, list[RowChange]]:
        return {env_id: db.change_set() for env_id, db in self.databases.items()}

    def state_hash(self) -> str:
        import hashlib

        hashes = "|".join(f"{env_id}:{db.state_hash()}" for env_id, db in sorted(self.databases.items()))
        return hashlib.sha256(hashes.encode()).hexdigest() if len(self.databases) > 1 else hashes.split(":", 1)[1]

    def state_key(self) -> Any:
        """A hashable value equal for two episodes exactly when their states are the same (see
        :meth:`EpisodeDatabase.state_key`): comparing states without hashing them."""
        if len(self.databases) == 1:
            return next(iter(self.databases.values())).state_key()
        return tuple((env_id, db.state_key()) for env_id, db in sorted(self.databases.items()))

    def reset(self, *, id_seed: int | str = 0) -> None:
        """Start a new episode on the same environments: every state back to its snapshot, fresh id streams.

        A rollback on each database's own connection (see :meth:`EpisodeDatabase.reset`), so the tools'
        prepared statements stay warm; it replaces closing this runtime and building a new one.
        """
        self.reopen(self.snapshots, id_seed=id_seed)

    def reopen(self, snapshots: Sequence[Any], *, id_seed: int | str = 0) -> None:
        """Start a new episode of the same environments from other initial states (one snapshot per
        environment, in order): a database whose snapshot is unchanged is rolled back in place, the others
        are handed back and replaced by pooled episodes of the new snapshots. Tool bindings are kept.
        """
        if len(snapshots) != len(self._contexts) or any(
            s.definition is not db.definition for s, (_, db, _) in zip(snapshots, self._contexts, strict=True)
        ):
            raise ValueError("reopen() needs one snapshot of each of this runtime's environments, in order.")
        contexts = []
        for snapshot, (context, database, suffix) in zip(snapshots, self._contexts, strict=True):
            if database.snapshot is snapshot:
                database.reset()
            else:
                database.close()
                database = EpisodeDatabase(snapshot)
                self.databases[database.definition.env_id] = database
            context.rebind(database.raw, f"{id_seed}:{suffix}", episode=database)
            contexts.append((context, database, suffix))
        self._contexts = contexts
        for binding in self.bindings.values():
            binding.database = self.databases[binding.env_id]

    @property
    def snapshots(self) -> tuple[Any, ...]:
        return tuple(database.snapshot for database in self.databases.values())

    def close(self) -> None:
        for context, _, _ in self._contexts:
            context.detach()
        for database in self.databases.values():
            database.close()
