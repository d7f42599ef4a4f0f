"""Scenario interchange: load a given initial state from JSON, dump the current state to JSON.

Two formats are understood (and a reference to a file holding either):

* ``envfactory.tables/v1`` — every environment: ``{"format": ..., "env_id": ..., "tables": {name: [row, ...]}}``
  with rows exactly as SQLite stores them, so a dump loads back bit for bit.
* the environment's native format — for environments compatible with a public benchmark, the benchmark's
  own initial-state format (for example tau2-bench's airline ``db.json``), through the definition's
  ``scenario_io`` object with ``load(conn, data)`` and ``dump(conn) -> data``. ``conn`` is the state's
  ``sqlite3.Connection``; loaders write with :func:`envfactory_gym.rows.bulk_insert` and dumps read with
  :func:`envfactory_gym.rows.fetch_rows` (no ORM, no statement compilation). ``dump`` also accepts an ORM
  session or an episode database (see :func:`envfactory_gym.rows.connection_of`). An interchange may also
  have ``base(conn)``, filling the rows every native scenario starts from (a benchmark's fixed reference
  tables): the engine runs it once per environment, and ``load`` then finds those rows in place and
  replaces them only when its data brings its own (``rows.replace_rows``; ``rows.fill_if_empty`` keeps a
  loader correct on a bare schema too).

* ``envfactory.file/v1`` — ``{"format": ..., "path": ..., "sha256": ...}``: the scenario is the JSON file
  at ``path`` (whose content must have that hash), so that many tasks can share one large initial state (a
  benchmark's database) without a copy each. :func:`envfactory_gym.tasks.read_tasks` makes a relative path
  relative to the task file.

Loading runs on an empty copy of the environment's schema inside one transaction; nothing is half-loaded.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from envfactory_gym.authoring import EnvironmentDefinition
from envfactory_gym.errors import DomainError
from envfactory_gym.rows import connection_of

TABLES_FORMAT = "envfactory.tables/v1"
FILE_FORMAT = "envfactory.file/v1"


class ScenarioError(ValueError):
    """A scenario that does not fit the environment's schema."""


def file_scenario(path: str | Path, content: bytes) -> dict[str, Any]:
    """A reference to a scenario file (whose bytes are ``content``), for tasks sharing one initial state."""
    return {"format": FILE_FORMAT, "path": str(path), "sha256": hashlib.sha256(content).hexdigest()}


@functools.lru_cache(maxsize=8)
def _read_file_scenario(path: str, sha256: str) -> dict[str, Any]:
    try:
        content = Path(path).read_bytes()
    except OSError as exc:
        raise ScenarioError(f"Scenario file {path} cannot be read: {exc}") from None
    if hashlib.sha256(content).hexdigest() != sha256:
        raise ScenarioError(f"Scenario file {path} has changed since the tasks were written (its sha256 differs).")
    try:
        data = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"Scenario file {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("format") == FILE_FORMAT:
        raise ScenarioError(f"Scenario file {path} must hold a scenario (a JSON object), not another reference.")
    return data


def resolve_scenario(scenario: Any) -> Any:
    """The scenario itself: a file reference is read (and checked against its hash); anything else as given.

    The content is cached and shared: loaders must not change it."""
    if not isinstance(scenario, dict) or scenario.get("format") != FILE_FORMAT:
        return scenario
    path, sha256 = scenario.get("path"), scenario.get("sha256")
    if not isinstance(path, str) or not isinstance(sha256, str):
        raise ScenarioError(f"A {FILE_FORMAT} scenario needs a 'path' and a 'sha256' string.")
    return _read_file_scenario(path, sha256)


def load_scenario(definition: EnvironmentDefinition, target: Any, scenario: dict[str, Any]) -> None:
    """Fill an empty state (a ``sqlite3.Connection``, or an ORM session on one) from a scenario."""
    scenario = resolve_scenario(scenario)
    if not isinstance(scenario, dict):
        raise ScenarioError("A scenario must be a JSON object.")
    conn = connection_of(target)
    if scenario.get("format") == TABLES_FORMAT:
        _load_tables(definition, conn, scenario)
    elif definition.scenario_io is not None:
        try:
            definition.scenario_io.load(conn, scenario)
        except (KeyError, TypeError, ValueError, DomainError, sqlite3.Error) as exc:
            raise ScenarioError(f"Scenario does not fit {definition.env_id!r}: {exc}") from exc
    else:
        raise ScenarioError(
            f"Unknown scenario format for {definition.env_id!r}: expected {{'format': '{TABLES_FORMAT}', ...}}."
        )


def _load_tables(definition: EnvironmentDefinition, conn: sqlite3.Connection, scenario: dict[str, Any]) -> None:
    tables = scenario.get("tables")
    if not isinstance(tables, dict):
        raise ScenarioError("A tables scenario needs a 'tables' object.")
    known = {t.name: t for t in definition.models.metadata.sorted_tables}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise ScenarioError(f"Unknown table(s) for {definition.env_id!r}: {', '.join(unknown)}")
    for name, table in known.items():
        rows = tables.get(name, [])
        if not isinstance(rows, list):
            raise ScenarioError(f"Table {name!r} must be a list of rows.")
        columns = [c.name for c in table.columns]
        column_set = set(columns)
        placeholders = ", ".join("?" for _ in columns)
        statement = (
            f'INSERT INTO "{name}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) VALUES ({placeholders})'
        )
        values = []
        for row in rows:
            if not isinstance(row, dict) or set(row) - column_set:
                raise ScenarioError(f"Row of {name!r} has unknown columns or is not an object: {row!r:.200}")
            values.append(tuple(row.get(c) for c in columns))
        if values:
            try:
                conn.executemany(statement, values)
            except Exception as exc:
                raise ScenarioError(f"Rows of {name!r} do not fit the schema: {exc}") from exc


def dump_scenario(definition: EnvironmentDefinition, tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {"format": TABLES_FORMAT, "env_id": definition.env_id, "tables": tables}
