"""BFCL interchange: reads and writes BFCL's ``initial_config``."""

from __future__ import annotations

import sqlite3
from typing import Any

from envfactory_gym.rows import Rows, bulk_insert, connection_of, fetch_rows, fill_if_empty, replace_rows, state_part

from ...bfcl.long_context import LONG_CONTEXT_KEY, VEHICLE_PADDING_CONSTANTS
from ...bfcl.reference import (
    VEHICLE_DOORS,
    VEHICLE_STATE_DEFAULTS,
)
from .models import (
    _BFCL_VEHICLE_KEYS,
    _DUMP_DOORS,
    _EXTENSION_VEHICLE_KEYS,
    _REFERENCE_DEFAULTS,
    _REFERENCE_TABLES,
    EXTENSION_KEY,
    VEHICLE_KEY,
    Door,
    LongContextPadding,
    Vehicle,
    _reference_extension,
)


class BfclVehicleInterchange:
    """Loads and dumps BFCL VehicleControlAPI ``initial_config`` dicts (plus the ``envfactory`` key)."""

    def load(self, conn: sqlite3.Connection, data: dict[str, Any]) -> None:
        config = {**VEHICLE_STATE_DEFAULTS, **data}
        extension = data.get(EXTENSION_KEY)
        extension = {} if extension is None else extension
        if not isinstance(extension, dict):
            raise TypeError(f"'{EXTENSION_KEY}' must be an object")
        doors = config["doorStatus"]
        if not isinstance(doors, dict) or set(doors) - set(VEHICLE_DOORS):
            raise ValueError(f"doorStatus must map doors among {', '.join(VEHICLE_DOORS)} to locked/unlocked")
        if any(status not in ("locked", "unlocked") for status in doors.values()):
            raise ValueError("Every door in doorStatus must be 'locked' or 'unlocked'")
        vehicle = {key: config[key] for key in _BFCL_VEHICLE_KEYS}
        for key, value in vehicle.items():
            expected = str if isinstance(VEHICLE_STATE_DEFAULTS[key], str) else (int, float)
            if not isinstance(value, expected) or isinstance(value, bool):
                raise TypeError(f"{key} must be a {'string' if expected is str else 'number'}, got {value!r:.40}")
        vehicle.update({key: extension.get(key) for key in _EXTENSION_VEHICLE_KEYS})
        bulk_insert(conn, Vehicle, [{"vehicle_key": VEHICLE_KEY, **vehicle}])
        bulk_insert(conn, Door, [{"door": door, "status": status} for door, status in doors.items()])
        bulk_insert(conn, LongContextPadding, _padding_rows(extension.get(LONG_CONTEXT_KEY)))
        # BFCL's lookup tables are in place already (see base()); a config may bring its own.
        for name, model, rows_of in _REFERENCE_TABLES:
            given = extension.get(name)
            if given:
                replace_rows(conn, model, rows_of(given))
            else:
                fill_if_empty(conn, model, _REFERENCE_DEFAULTS[name])

    def base(self, conn: sqlite3.Connection) -> None:
        """BFCL's lookup tables (city zipcodes, zipcode distances, the tyre shop), for configs without their own."""
        for name, model, _ in _REFERENCE_TABLES:
            bulk_insert(conn, model, _REFERENCE_DEFAULTS[name])

    def dump(self, source: Any) -> dict[str, Any]:
        """The state as an ``initial_config`` (``source``: the state's connection, session or database)."""
        conn = connection_of(source)
        vehicle = Rows(conn, Vehicle).get(VEHICLE_KEY)
        if vehicle is None:
            raise ValueError("The vehicle state has no vehicle row")
        doors = dict(conn.execute(_DUMP_DOORS).fetchall())
        config: dict[str, Any] = {key: vehicle[key] for key in _BFCL_VEHICLE_KEYS}
        config["doorStatus"] = doors
        config["remainingUnlockedDoors"] = len(VEHICLE_DOORS) - sum(s == "locked" for s in doors.values())
        extension: dict[str, Any] = {key: vehicle[key] for key in _EXTENSION_VEHICLE_KEYS if vehicle[key] is not None}
        tables = ("cities", "city_distances", "tire_shops")
        for name, rows in state_part(source, tables, "vehicle_control.reference", _reference_extension):
            extension[name] = [list(row) for row in rows]
        padding = {row["name"]: row["value"] for row in fetch_rows(conn, LongContextPadding)}
        if padding:
            extension[LONG_CONTEXT_KEY] = padding
        if extension:
            config[EXTENSION_KEY] = extension
        return config


def _padding_rows(padding: Any) -> list[dict[str, Any]]:
    """The long-context padding of a config's extension as rows (none outside that mode)."""
    if padding is None:
        return []
    if not isinstance(padding, dict) or set(padding) != set(VEHICLE_PADDING_CONSTANTS):
        raise ValueError(
            f"'{EXTENSION_KEY}.{LONG_CONTEXT_KEY}' must be an object with exactly the keys "
            f"{', '.join(VEHICLE_PADDING_CONSTANTS)} (see envfactory_gym.domains.bfcl.long_context)"
        )
    return [{"name": name, "value": value} for name, value in padding.items()]
