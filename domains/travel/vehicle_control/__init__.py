"""In-car vehicle control, compatible with BFCL multi-turn's VehicleControlAPI.

The driver's assistant locks doors, presses the brake and starts the engine, refuels, sets climate,
headlights, cruise control and navigation, checks tyres and finds a tyre shop, and looks up zipcodes and
distances to judge whether a trip is feasible on the fuel left. Tool names, parameters (order and
defaults) and returned JSON follow BFCL's ``VehicleControlAPI`` (package ``bfcl-eval``,
``bfcl_eval/eval_checker/multi_turn_eval/func_source_code/vehicle_control.py``); ``scenario_io`` reads and
writes its ``initial_config``, so BFCL multi-turn tasks start here from their own initial state.

Mapping to BFCL:

* **Refusals.** Where BFCL returns ``{"error": msg}`` this service raises ``DomainError`` with the same
  message ("All doors must be locked before starting the engine. ...", "Cannot fill gas above the tank
  capacity.", "Start the engine before activating the cruise control.", ...); the engine shows it as
  ``Error: msg`` and nothing changes. Refusals are atomic: BFCL's ``setCruiseControl`` stores the
  distance before rejecting a bad speed and ``lockDoors`` may lock some doors before failing on an
  unknown one; here a refused call changes nothing.
* **Rules** are BFCL's: the engine starts only with every door locked and the brake pedal fully pressed
  (``pressBrakePedal(1.0)``) and with fuel in the tank; the tank holds 50 gallons; cruise control needs the
  engine running and a speed from 0 to 120 in steps of 5; fan speed is 0-100; the car does 20 miles a
  gallon. Stricter than BFCL, on inputs its tasks never send: documented enums (climate ``unit`` and
  ``mode``, ``ignitionMode``) are checked, an empty tank refuses to start (BFCL only refuses a negative
  one), and ``startEngine("STOP")`` stops the engine and reports success (BFCL stops it too, then
  reports an error).
* **State.** The single vehicle is BFCL's state, keyed as in ``initial_config`` (``engineState``,
  ``doorStatus``, ``parkingBrakeForce``, ...). BFCL's hard-coded lookups (city zipcodes, zipcode distances,
  the tyre shop) are tables here, loaded with BFCL's values for an ``initial_config``
  (:mod:`._bfcl_reference`). State BFCL does not keep — the cruise speed, the car's location and
  identity, a seeded state's larger tables — travels in ``initial_config["envfactory"]``, a key BFCL's
  loader ignores.
* **Readings.** ``get_current_speed`` and ``get_outside_temperature_from_google`` return BFCL's first draw
  from its seeded stream (``random_seed``); as read tools they do not advance it, so repeated readings
  agree. When the car's location is known and its city has a recorded temperature, that is the outside
  temperature. ``get_outside_temperature_from_weather_com`` always fails, as in BFCL (HTTP 404).

The seeded state is one parked car (make, model, VIN, location) plus ~300 cities with zipcodes and
temperatures, ~900 road distances between zipcodes and ~150 tyre shops, all including BFCL's values.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
