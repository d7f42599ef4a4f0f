"""BFCL's long-context mode, with its padding read at run time from the installed ``bfcl-eval`` package.

In BFCL's long-context category the classes load the same ``initial_config`` with ``long_context=True``:

* TravelAPI merges a fixed set of credit cards and booking records into its state (the config's own ids
  win), ``get_flight_cost`` lists the fares of every route for the asked class and date, and
  ``book_flight`` returns the whole booking history;
* VehicleControlAPI pads five outputs with long fixed values (a car description, a parking-brake manual, a
  list of cities on the way, a fortnight of weather);
* the other classes ignore the mode.

Those fixed values are BFCL's data and are never copied into this suite: :func:`long_context_config` takes
them from ``bfcl_eval``'s own module when a task is loaded, and turns a class's ``initial_config`` into the
config of the same state here. The padded records go into the config itself; the vehicle's padding texts
and the mode go into the ``envfactory`` extension, which the environments' BFCL loaders read, so that a
dumped state reloads in the same mode.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

BFCL_LONG_CONTEXT_MODULE = "bfcl_eval.eval_checker.multi_turn_eval.func_source_code.long_context"
# No extra of envfactory-gym holds bfcl-eval: its declared dependencies would downgrade numpy and networkx,
# so `make setup` installs it without them, and so must anyone else.
BFCL_EVAL_INSTALL_HINT = "pip install --no-deps 'bfcl-eval==2026.3.23' (`make setup` does this)"
EXTENSION_KEY = "envfactory"  # the environments' own key in a BFCL initial_config
LONG_CONTEXT_KEY = "long_context"  # in the extension: true (TravelAPI) or the padding texts (VehicleControlAPI)

# The padding a long-context vehicle state holds: our name -> the name of BFCL's constant.
VEHICLE_PADDING_CONSTANTS: dict[str, str] = {
    "car_status_metadata": "CAR_STATUS_METADATA_EXTENSION",
    "parking_brake_instruction": "PARKING_BRAKE_INSTRUCTION",
    "intermediary_cities": "INTERMEDIARY_CITIES",
    "weather_history": "LONG_WEATHER_EXTENSION",
}
_TRAVEL_PADDING_CONSTANTS = {"credit_card_list": "CREDIT_CARD_EXTENSION", "booking_record": "BOOKING_RECORD_EXTENSION"}


class BfclEvalMissingError(RuntimeError):
    """BFCL's long-context padding was asked for, but the ``bfcl-eval`` package is not installed."""


def _padding_module() -> ModuleType:
    try:
        return importlib.import_module(BFCL_LONG_CONTEXT_MODULE)
    except ImportError as exc:
        raise BfclEvalMissingError(
            "BFCL long-context tasks take their padding from the installed bfcl-eval package, which is "
            f"missing ({exc}). Install it with: {BFCL_EVAL_INSTALL_HINT}"
        ) from exc


def _constant(module: ModuleType, name: str) -> Any:
    try:
        # A copy: BFCL's classes keep (and change) these very objects, and a state here must not share them.
        return copy.deepcopy(getattr(module, name))
    except AttributeError as exc:
        raise BfclEvalMissingError(
            f"The installed bfcl-eval has no {name} in {BFCL_LONG_CONTEXT_MODULE}; install the supported "
            f"version: {BFCL_EVAL_INSTALL_HINT}"
        ) from exc


def vehicle_padding() -> dict[str, Any]:
    """The values BFCL's VehicleControlAPI adds to its outputs in long-context mode, by our name."""
    module = _padding_module()
    padding = {name: _constant(module, constant) for name, constant in VEHICLE_PADDING_CONSTANTS.items()}
    # BFCL writes each reading into its weather constant before returning it; the reading is not padding.
    padding["weather_history"].pop("outsideTemperature", None)
    return padding


def _extension(config: Mapping[str, Any]) -> dict[str, Any]:
    extension = config.get(EXTENSION_KEY)
    if extension is None:
        return {}
    if not isinstance(extension, dict):
        raise TypeError(f"'{EXTENSION_KEY}' must be an object")
    return dict(extension)


def _travel_config(config: Mapping[str, Any]) -> dict[str, Any]:
    module = _padding_module()
    padded = dict(config)
    for key, constant in _TRAVEL_PADDING_CONSTANTS.items():
        own = config.get(key) or {}
        if not isinstance(own, dict):
            raise TypeError(f"{key} must be an object keyed by id")
        # BFCL adds only the ids the config lacks, after the config's own.
        padded[key] = {**own, **{k: v for k, v in _constant(module, constant).items() if k not in own}}
    padded[EXTENSION_KEY] = {**_extension(config), LONG_CONTEXT_KEY: True}
    return padded


def _vehicle_config(config: Mapping[str, Any]) -> dict[str, Any]:
    return {**config, EXTENSION_KEY: {**_extension(config), LONG_CONTEXT_KEY: vehicle_padding()}}


_LONG_CONTEXT_CONFIGS: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    "TravelAPI": _travel_config,
    "VehicleControlAPI": _vehicle_config,
}


def long_context_config(bfcl_class: str, config: Mapping[str, Any]) -> dict[str, Any]:
    """The ``initial_config`` that gives the state BFCL's ``bfcl_class`` builds from ``config`` in long-context
    mode (a new dict; ``config`` is left as it is). Classes that ignore the mode get their config back."""
    build = _LONG_CONTEXT_CONFIGS.get(bfcl_class)
    return dict(config) if build is None else build(config)
