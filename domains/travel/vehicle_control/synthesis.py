"""Task-synthesis hints for vehicle_control: argument samplers for the car's controls.

The car's rules decide which commands do anything in a given state: the engine starts only with every door
locked and the brake pedal fully pressed, cruise control needs it running, a tank holds 50 gallons, and a
command that repeats the current setting changes nothing. Each sampler reads the live state through
``ctx`` and returns a command that succeeds and changes the car (or None when the state allows none), plus
realistic values for the read tools generic grounding has no source for (status options, amounts to
convert, trip lengths).

Where the car's rules demand steps the driver would not spell out ("start the car" on a parked car means
locking up and pressing the brake first; cruise control on a parked car means starting it), the sampler
names them as ``__prerequisites__``: the pipeline runs them before the goal and puts them in the gold chain.
"""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from ...bfcl.reference import VEHICLE_MAX_FUEL_GALLONS, VEHICLE_MILES_PER_GALLON
from .definition import env
from .models import CLIMATE_MODES, FULL_BRAKE_FORCE, VEHICLE_KEY

# Options whose answer is a reading of this car (numbers), not a status word anyone could guess.
READING_OPTIONS = ("fuel", "battery", "climate")
PARTIAL_PEDAL_POSITIONS = (0.2, 0.3, 0.5, 0.7, 0.8)


def _vehicle(ctx: ToolContext) -> dict[str, Any]:
    return ctx.query("SELECT * FROM vehicle WHERE vehicle_key = ?", (VEHICLE_KEY,))[0]


def _doors(ctx: ToolContext) -> dict[str, str]:
    return {row["door"]: row["status"] for row in ctx.query("SELECT door, status FROM doors ORDER BY rowid")}


def _ignition_prerequisites(ctx: ToolContext) -> list[dict[str, Any]] | None:
    """The calls that let the engine start (lock the unlocked doors, press the brake fully), or None when
    nothing can start it (it already runs, or the tank is empty)."""
    car = _vehicle(ctx)
    if car["engineState"] == "running" or car["fuelLevel"] <= 0:
        return None
    calls: list[dict[str, Any]] = []
    unlocked = [door for door, status in _doors(ctx).items() if status != "locked"]
    if unlocked:
        calls.append({"tool": "lockDoors", "arguments": {"unlock": False, "door": unlocked}})
    if car["brakePedalStatus"] != "pressed" or car["brakePedalForce"] != FULL_BRAKE_FORCE:
        calls.append({"tool": "pressBrakePedal", "arguments": {"pedalPosition": 1.0}})
    return calls


@env.arguments("startEngine")
def sample_ignition(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """START, after locking up and pressing the brake fully if the driver has not yet (the car's rules).

    Only START: the tool's intents ask to start the car, and stopping a parked car changes nothing.
    """
    prerequisites = _ignition_prerequisites(ctx)
    if prerequisites is None:
        return None
    return {"ignitionMode": "START", "__prerequisites__": prerequisites} if prerequisites else {"ignitionMode": "START"}


@env.arguments("fillFuelTank")
def sample_refuel(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A whole number of gallons that fits in the tank, or exactly what fills it up."""
    level = _vehicle(ctx)["fuelLevel"]
    room = VEHICLE_MAX_FUEL_GALLONS - level
    amounts = [float(a) for a in range(2, int(room) + 1)]
    fill_up = round(room, 1)
    if fill_up > 0 and level + fill_up <= VEHICLE_MAX_FUEL_GALLONS:
        amounts.append(fill_up)
    return {"fuelAmount": rng.choice(amounts)} if amounts else None


@env.arguments("lockDoors")
def sample_locks(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Lock doors that are unlocked, or unlock some that are locked."""
    doors = _doors(ctx)
    unlocked = [door for door, status in doors.items() if status != "locked"]
    if unlocked and rng.random() < 0.8:
        return {"unlock": False, "door": unlocked}
    locked = [door for door, status in doors.items() if status == "locked"]
    if not locked:
        return None
    chosen = rng.sample(locked, rng.randint(1, len(locked)))
    return {"unlock": True, "door": [door for door in doors if door in chosen]}


@env.arguments("adjustClimateControl")
def sample_climate(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    car = _vehicle(ctx)
    unit = rng.choice(("celsius", "celsius", "fahrenheit"))
    temperature = float(rng.randint(17, 27) if unit == "celsius" else rng.randint(62, 80))
    arguments = {
        "temperature": temperature,
        "unit": unit,
        "fanSpeed": rng.randrange(10, 101, 10),
        "mode": rng.choice(CLIMATE_MODES),
    }
    celsius = (temperature - 32) * 5 / 9 if unit == "fahrenheit" else temperature
    unchanged = (
        celsius == car["acTemperature"]
        and arguments["fanSpeed"] == car["fanSpeed"]
        and arguments["mode"] == car["acMode"]
    )
    return None if unchanged else arguments


@env.arguments("setHeadlights")
def sample_headlights(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    # 'auto' leaves them off in daylight: it changes something only when they are on.
    return {"mode": "on" if _vehicle(ctx)["headLightStatus"] == "off" else rng.choice(("off", "auto"))}


@env.arguments("activateParkingBrake")
def sample_parking_brake(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return {"mode": "release" if _vehicle(ctx)["parkingBrakeStatus"] == "engaged" else "engage"}


@env.arguments("pressBrakePedal")
def sample_brake(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Mostly all the way down (what starting the engine needs), sometimes part way."""
    force = _vehicle(ctx)["brakePedalForce"]
    position = 1.0 if rng.random() < 0.6 else rng.choice(PARTIAL_PEDAL_POSITIONS)
    return None if position * FULL_BRAKE_FORCE == force else {"pedalPosition": position}


@env.arguments("releaseBrakePedal")
def sample_brake_release(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Release a pressed pedal; on a parked car, "start up and take the brake off": the engine is started
    first (which presses the brake), so the request leaves a change behind (a press-and-release alone nets
    to nothing)."""
    if _vehicle(ctx)["brakePedalStatus"] == "pressed":
        return {}
    ignition = _ignition_prerequisites(ctx)
    if ignition is None:
        return None
    return {"__prerequisites__": [*ignition, {"tool": "startEngine", "arguments": {"ignitionMode": "START"}}]}


@env.arguments("setCruiseControl")
def sample_cruise(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Cruise at a legal multiple of 5 mph with a following distance; a parked car is started first
    (cruise control needs the engine running: lock up, press the brake, start)."""
    car = _vehicle(ctx)
    prerequisites: list[dict[str, Any]] = []
    if car["engineState"] != "running":
        ignition = _ignition_prerequisites(ctx)
        if ignition is None:
            return None
        prerequisites = [*ignition, {"tool": "startEngine", "arguments": {"ignitionMode": "START"}}]
    speed = float(rng.randrange(40, 121, 5))
    distance = float(rng.randrange(20, 101, 10))
    if car["cruiseStatus"] == "active" and car["cruiseSpeed"] == speed and car["distanceToNextVehicle"] == distance:
        return None
    arguments: dict[str, Any] = {"speed": speed, "activate": True, "distanceToNextVehicle": distance}
    return {**arguments, "__prerequisites__": prerequisites} if prerequisites else arguments


@env.arguments("set_navigation")
def sample_destination(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """An address on record (a tyre shop's), other than where the car is already heading."""
    current = _vehicle(ctx)["destination"]
    shops = ctx.query("SELECT shopLocation FROM tire_shops WHERE shopLocation != ? ORDER BY shop_id", (current,))
    return {"destination": rng.choice(shops)["shopLocation"]} if shops else None


@env.arguments("displayCarStatus")
def sample_status_option(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return {"option": rng.choice(READING_OPTIONS)}


@env.arguments("estimate_drive_feasibility_by_mileage")
def sample_trip_length(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A round trip length on either side of the car's range (fuel x 20 mpg), so the answer is not always yes."""
    reach = _vehicle(ctx)["fuelLevel"] * VEHICLE_MILES_PER_GALLON
    lengths = [float(m) for m in range(25, 1001, 25) if 0.4 * reach <= m <= 1.6 * reach and abs(m - reach) >= 10]
    return {"distance": rng.choice(lengths)} if lengths else None


@env.arguments("liter_to_gallon")
def sample_liters(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return {"liter": float(rng.choice((12, 15, 25, 30, 38, 40, 45, 55, 60, 75)))}


@env.arguments("gallon_to_liter")
def sample_gallons(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    return {"gallon": float(rng.choice((3, 4, 6, 8, 12, 14, 16, 18, 22, 26)))}
