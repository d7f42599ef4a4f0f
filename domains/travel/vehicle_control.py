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

import math
import sqlite3
from typing import Any

from sqlalchemy import Float, Integer, String, insert
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from typing_extensions import TypedDict

from envfactory_gym.authoring import EnvironmentDefinition, SeedData, ToolContext
from envfactory_gym.errors import DomainError
from envfactory_gym.rows import Rows, bulk_insert, connection_of, fill_if_empty, replace_rows, state_part

from ._bfcl_random import SeededStream
from ._bfcl_reference import (
    VEHICLE_CITY_ZIPCODES,
    VEHICLE_DISTANCES,
    VEHICLE_DOORS,
    VEHICLE_MAX_FUEL_GALLONS,
    VEHICLE_MILES_PER_GALLON,
    VEHICLE_STATE_DEFAULTS,
    VEHICLE_TIRE_SHOPS,
    VEHICLE_UNKNOWN_ZIPCODE,
    differing_tables,
)

VEHICLE_KEY = 1
EXTENSION_KEY = "envfactory"
FULL_BRAKE_FORCE = 1000.0  # newtons at pedal position 1.0
PARKING_BRAKE_FORCE = 500.0
PARKING_SLOPE_ANGLE = 10.0
LITERS_PER_GALLON = 3.78541
GALLONS_PER_LITER = 0.264172
HEALTHY_TIRE_PRESSURE = (30.0, 35.0)  # psi, average of the four tyres
CLIMATE_UNITS = ("celsius", "fahrenheit")
CLIMATE_MODES = ("auto", "cool", "heat", "defrost")
HEADLIGHT_MODES = ("on", "off", "auto")
IGNITION_MODES = ("START", "STOP")
STATUS_OPTIONS = ("fuel", "battery", "doors", "climate", "headlights", "parkingBrake", "brakePedal", "engine")

# --------------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


class Vehicle(Base):
    """The car: one row. Column names are BFCL's initial_config keys."""

    __tablename__ = "vehicle"
    vehicle_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    fuelLevel: Mapped[float] = mapped_column(Float)  # gallons
    batteryVoltage: Mapped[float] = mapped_column(Float)
    engineState: Mapped[str] = mapped_column(String(10))  # running | stopped
    acTemperature: Mapped[float] = mapped_column(Float)  # celsius
    fanSpeed: Mapped[int] = mapped_column(Integer)
    acMode: Mapped[str] = mapped_column(String(10))
    humidityLevel: Mapped[float] = mapped_column(Float)
    headLightStatus: Mapped[str] = mapped_column(String(5))
    parkingBrakeStatus: Mapped[str] = mapped_column(String(10))
    parkingBrakeForce: Mapped[float] = mapped_column(Float)
    slopeAngle: Mapped[float] = mapped_column(Float)
    brakePedalStatus: Mapped[str] = mapped_column(String(10))
    brakePedalForce: Mapped[float] = mapped_column(Float)
    distanceToNextVehicle: Mapped[float] = mapped_column(Float)  # meters
    cruiseStatus: Mapped[str] = mapped_column(String(10))
    destination: Mapped[str] = mapped_column(String(200))
    frontLeftTirePressure: Mapped[float] = mapped_column(Float)
    frontRightTirePressure: Mapped[float] = mapped_column(Float)
    rearLeftTirePressure: Mapped[float] = mapped_column(Float)
    rearRightTirePressure: Mapped[float] = mapped_column(Float)
    random_seed: Mapped[int] = mapped_column(Integer)
    # Not in BFCL's state: the cruise speed, where the car is, and what it is.
    cruiseSpeed: Mapped[float | None] = mapped_column(Float)
    currentZipcode: Mapped[str | None] = mapped_column(String(5))
    make: Mapped[str | None] = mapped_column(String(30))
    model: Mapped[str | None] = mapped_column(String(30))
    year: Mapped[int | None] = mapped_column(Integer)
    vin: Mapped[str | None] = mapped_column(String(17))


class Door(Base):
    __tablename__ = "doors"
    door: Mapped[str] = mapped_column(String(12), primary_key=True)
    status: Mapped[str] = mapped_column(String(10))  # locked | unlocked


class City(Base):
    __tablename__ = "cities"
    city: Mapped[str] = mapped_column(String(60), primary_key=True)
    zipcode: Mapped[str] = mapped_column(String(5), index=True)
    outsideTemperature: Mapped[float | None] = mapped_column(Float)  # celsius, the latest reading


class CityDistance(Base):
    """The road distance between two zipcodes, in km, stored once per pair (either order matches)."""

    __tablename__ = "city_distances"
    cityA: Mapped[str] = mapped_column(String(5), primary_key=True)
    cityB: Mapped[str] = mapped_column(String(5), primary_key=True)
    distance: Mapped[float] = mapped_column(Float)


class TireShop(Base):
    __tablename__ = "tire_shops"
    __label__ = "the tyre shop at {shopLocation}"
    shop_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shopLocation: Mapped[str] = mapped_column(String(120))
    zipcode: Mapped[str] = mapped_column(String(5), index=True)


# --------------------------------------------------------------------------------------------------
# Scenario interchange: BFCL's initial_config
# --------------------------------------------------------------------------------------------------

_BFCL_VEHICLE_KEYS = tuple(key for key in VEHICLE_STATE_DEFAULTS if key != "doorStatus")
_EXTENSION_VEHICLE_KEYS = ("cruiseSpeed", "currentZipcode", "make", "model", "year", "vin")


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
        if extension:
            config[EXTENSION_KEY] = extension
        return config


# BFCL's lookup tables: the extension key, the model, how its extension rows become table rows.
_REFERENCE_TABLES: tuple[tuple[str, type[Base], Any], ...] = (
    ("cities", City, lambda rows: [dict(zip(("city", "zipcode", "outsideTemperature"), r, strict=True)) for r in rows]),
    (
        "city_distances",
        CityDistance,
        lambda rows: [dict(zip(("cityA", "cityB", "distance"), r, strict=True)) for r in rows],
    ),
    (
        "tire_shops",
        TireShop,
        lambda rows: [{"shop_id": n, "shopLocation": r[0], "zipcode": r[1]} for n, r in enumerate(rows, start=1)],
    ),
)
_REFERENCE_DEFAULTS: dict[str, list[dict[str, Any]]] = {
    "cities": _REFERENCE_TABLES[0][2]([(city, zipcode, None) for city, zipcode in VEHICLE_CITY_ZIPCODES]),
    "city_distances": _REFERENCE_TABLES[1][2](VEHICLE_DISTANCES),
    "tire_shops": _REFERENCE_TABLES[2][2](VEHICLE_TIRE_SHOPS),
}
# What a dump reads (extension key, query, whether order matters), and the defaults it compares with.
_DUMP_DOORS = "SELECT door, status FROM doors ORDER BY rowid"
_DUMPED_REFERENCE = (
    ("cities", 'SELECT city, zipcode, "outsideTemperature" FROM cities ORDER BY rowid', True),
    ("city_distances", 'SELECT "cityA", "cityB", distance FROM city_distances ORDER BY rowid', False),
    ("tire_shops", 'SELECT "shopLocation", zipcode FROM tire_shops ORDER BY rowid', True),
)
_DEFAULT_REFERENCE = {
    "cities": [(city, zipcode, None) for city, zipcode in VEHICLE_CITY_ZIPCODES],
    "city_distances": sorted(tuple(row) for row in VEHICLE_DISTANCES),
    "tire_shops": [tuple(shop) for shop in VEHICLE_TIRE_SHOPS],
}


def _reference_extension(conn: sqlite3.Connection) -> tuple[tuple[str, tuple[tuple[Any, ...], ...]], ...]:
    """The reference tables that differ from BFCL's (computed once per snapshot while unchanged)."""
    return differing_tables(conn, _DUMPED_REFERENCE, _DEFAULT_REFERENCE)


env = EnvironmentDefinition(
    "vehicle_control",
    domain="travel",
    models=Base,
    modeled_on="VehicleControl",
    description=(
        "In-car vehicle control (BFCL VehicleControlAPI) for one car. To start the engine, lock all doors and "
        "press the brake pedal fully first. The tank holds 50 gallons; the car does 20 miles per gallon. Cruise "
        "control needs the engine running and a speed from 0 to 120 in steps of 5. Distances are looked up "
        "between zipcodes."
    ),
    scenario_io=BfclVehicleInterchange(),
)

# --------------------------------------------------------------------------------------------------
# Seed data
# --------------------------------------------------------------------------------------------------

_CARS = (
    ("Toyota", "Camry"),
    ("Honda", "Accord"),
    ("Ford", "Escape"),
    ("Subaru", "Outback"),
    ("Chevrolet", "Malibu"),
    ("Hyundai", "Tucson"),
    ("Mazda", "CX-5"),
    ("Volkswagen", "Passat"),
)
# Real places whose zipcodes appear in BFCL's distance table without a city.
_EXTRA_REAL_CITIES = (("Berkeley", "94704"), ("Princeton", "08540"))


@env.seed
def seed_vehicle(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    cities = [(city, zipcode) for city, zipcode in VEHICLE_CITY_ZIPCODES] + list(_EXTRA_REAL_CITIES)
    names = {city for city, _ in cities}
    zipcodes = {zipcode for _, zipcode in cities} | {VEHICLE_UNKNOWN_ZIPCODE}
    while len(cities) < 300:
        name = fake.city()
        zipcode = f"{rng.randint(1000, 99950):05d}"
        if name in names or zipcode in zipcodes:
            continue
        names.add(name)
        zipcodes.add(zipcode)
        cities.append((name, zipcode))
    db.execute(
        insert(City),
        [{"city": c, "zipcode": z, "outsideTemperature": round(rng.uniform(-8.0, 36.0), 1)} for c, z in cities],
    )

    # Road distances: each city to its nearest neighbours on a map, plus BFCL's own pairs.
    position = {zipcode: (rng.uniform(0, 2400), rng.uniform(0, 1600)) for _, zipcode in cities}
    pairs: dict[frozenset[str], tuple[str, str, float]] = {
        frozenset((a, b)): (a, b, distance) for a, b, distance in VEHICLE_DISTANCES
    }
    zip_list = [zipcode for _, zipcode in cities]
    for zipcode in zip_list:
        nearest = sorted((z for z in zip_list if z != zipcode), key=lambda z: math.dist(position[zipcode], position[z]))
        for other in nearest[:4]:
            key = frozenset((zipcode, other))
            if key not in pairs:
                road_km = round(math.dist(position[zipcode], position[other]) * 1.25, 1)
                pairs[key] = (zipcode, other, road_km)
    db.execute(insert(CityDistance), [{"cityA": a, "cityB": b, "distance": d} for a, b, d in pairs.values()])

    shops = [{"shop_id": 1, "shopLocation": VEHICLE_TIRE_SHOPS[0][0], "zipcode": VEHICLE_TIRE_SHOPS[0][1]}]
    for shop_id in range(2, 151):
        city, zipcode = rng.choice(cities)
        address = f"{fake.building_number()} {fake.street_name()}, {city}, {zipcode}"
        shops.append({"shop_id": shop_id, "shopLocation": address, "zipcode": zipcode})
    db.execute(insert(TireShop), shops)

    make, model = rng.choice(_CARS)
    home = rng.choice(cities[:11])  # the car lives in one of BFCL's towns
    db.execute(
        insert(Vehicle),
        [
            {
                "vehicle_key": VEHICLE_KEY,
                "fuelLevel": round(rng.uniform(4.0, 45.0), 1),
                "batteryVoltage": round(rng.uniform(12.2, 12.8), 1),
                "engineState": "stopped",
                "acTemperature": float(rng.randint(19, 24)),
                "fanSpeed": rng.randrange(20, 81, 10),
                "acMode": rng.choice(CLIMATE_MODES[:3]),
                "humidityLevel": float(rng.randint(35, 65)),
                "headLightStatus": "off",
                "parkingBrakeStatus": "engaged",
                "parkingBrakeForce": PARKING_BRAKE_FORCE,
                "slopeAngle": float(rng.randint(0, 8)),
                "brakePedalStatus": "released",
                "brakePedalForce": 0.0,
                "distanceToNextVehicle": float(rng.randrange(30, 101, 10)),
                "cruiseStatus": "inactive",
                "destination": "None",
                "frontLeftTirePressure": float(rng.randint(29, 35)),
                "frontRightTirePressure": float(rng.randint(29, 35)),
                "rearLeftTirePressure": float(rng.randint(27, 34)),
                "rearRightTirePressure": float(rng.randint(27, 34)),
                "random_seed": rng.randint(100000, 999999),
                "cruiseSpeed": None,
                "currentZipcode": home[1],
                "make": make,
                "model": model,
                "year": rng.randint(2015, 2024),
                "vin": fake.vin(),
            }
        ],
    )
    db.execute(insert(Door), [{"door": door, "status": "locked"} for door in VEHICLE_DOORS])


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _vehicle(ctx: ToolContext) -> dict[str, Any]:
    return ctx.rows(Vehicle).require(VEHICLE_KEY, missing="There is no vehicle connected.")


def _set(ctx: ToolContext, **values: Any) -> None:
    ctx.rows(Vehicle).update(VEHICLE_KEY, **values)


def _door_status(ctx: ToolContext) -> dict[str, str]:
    return {row["door"]: row["status"] for row in ctx.rows(Door).find()}


def _remaining_unlocked(doors: dict[str, str]) -> int:
    # BFCL counts every door not reported locked as unlocked.
    return len(VEHICLE_DOORS) - sum(status == "locked" for status in doors.values())


def _zipcode_distance(ctx: ToolContext, a: str, b: str) -> float | None:
    rows = ctx.query(
        "SELECT distance FROM city_distances WHERE (cityA = ? AND cityB = ?) OR (cityA = ? AND cityB = ?) LIMIT 1",
        (a, b, b, a),
    )
    return rows[0]["distance"] if rows else None


# --------------------------------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------------------------------


class EngineStatus(TypedDict):
    engineState: str
    fuelLevel: float
    batteryVoltage: float


@env.write(
    intents=[
        "turn the ignition to {ignitionMode} and start the engine",
        "get the car started (ignition {ignitionMode})",
    ]
)
def startEngine(ctx: ToolContext, ignitionMode: str) -> EngineStatus:
    """Start or stop the engine. Starting needs all doors locked and the brake pedal fully pressed.

    Args:
        ignitionMode: The ignition mode: START or STOP.
    """
    vehicle = _vehicle(ctx)
    if ignitionMode not in IGNITION_MODES:
        raise DomainError(f"Invalid ignition mode. Options are: {', '.join(IGNITION_MODES)}.")
    if ignitionMode == "STOP":
        _set(ctx, engineState="stopped")
        return {
            "engineState": "stopped",
            "fuelLevel": vehicle["fuelLevel"],
            "batteryVoltage": vehicle["batteryVoltage"],
        }
    doors = _door_status(ctx)
    if _remaining_unlocked(doors) > 0:
        unlocked = ", ".join(door for door, status in doors.items() if status == "unlocked")
        raise DomainError(
            f"All doors must be locked before starting the engine. Here are the unlocked doors: {unlocked}"
        )
    if vehicle["brakePedalStatus"] != "pressed":
        raise DomainError("Brake pedal needs to be pressed when starting the engine.")
    if vehicle["brakePedalForce"] != FULL_BRAKE_FORCE:
        raise DomainError("Must press the brake fully before starting the engine.")
    if vehicle["fuelLevel"] <= 0:
        raise DomainError("Fuel tank is empty.")
    _set(ctx, engineState="running")
    return {"engineState": "running", "fuelLevel": vehicle["fuelLevel"], "batteryVoltage": vehicle["batteryVoltage"]}


class FuelLevel(TypedDict):
    fuelLevel: float


@env.write(intents=["put {fuelAmount} gallons of gas in the tank", "refuel with {fuelAmount} gallons"])
def fillFuelTank(ctx: ToolContext, fuelAmount: float) -> FuelLevel:
    """Fill the fuel tank of the vehicle. The fuel tank can hold up to 50 gallons.

    Args:
        fuelAmount: The amount of fuel to add, in gallons; this is added to what is already in the tank.
    """
    vehicle = _vehicle(ctx)
    if fuelAmount < 0:
        raise DomainError("Fuel amount cannot be negative.")
    if vehicle["fuelLevel"] + fuelAmount > VEHICLE_MAX_FUEL_GALLONS:
        raise DomainError(
            f"Cannot fill gas above the tank capacity ({VEHICLE_MAX_FUEL_GALLONS:g} gallons; "
            f"{vehicle['fuelLevel']:g} in the tank)."
        )
    level = vehicle["fuelLevel"] + fuelAmount
    _set(ctx, fuelLevel=level)
    return {"fuelLevel": level}


class LockResult(TypedDict):
    lockStatus: str
    remainingUnlockedDoors: int


@env.write(
    intents=[
        "change the locks on the {door} doors (unlock them: {unlock})",
        "set the {door} doors to unlocked: {unlock}",
    ]
)
def lockDoors(ctx: ToolContext, unlock: bool, door: list[str]) -> LockResult:
    """Lock or unlock doors of the vehicle.

    Args:
        unlock: True to unlock the doors, False to lock them.
        door: The doors to lock or unlock, among driver, passenger, rear_left and rear_right.
    """
    doors = _door_status(ctx)
    unknown = [d for d in door if d not in doors]
    if unknown:
        raise DomainError(f"Unknown door(s): {', '.join(unknown)}. The doors are: {', '.join(doors)}.")
    status = "unlocked" if unlock else "locked"
    table = ctx.rows(Door)
    for name in dict.fromkeys(door):
        if doors[name] != status:
            table.update(name, status=status)
            doors[name] = status
    return {"lockStatus": status, "remainingUnlockedDoors": _remaining_unlocked(doors)}


class ClimateResult(TypedDict):
    currentACTemperature: float
    climateMode: str
    humidityLevel: float


@env.write(
    intents=[
        "set the cabin to {temperature} degrees {unit} with the fan at {fanSpeed} in {mode} mode",
        "make it {temperature} degrees {unit} in here, fan speed {fanSpeed}, climate mode {mode}",
    ]
)
def adjustClimateControl(
    ctx: ToolContext, temperature: float, unit: str = "celsius", fanSpeed: int = 50, mode: str = "auto"
) -> ClimateResult:
    """Adjust the climate control of the vehicle.

    Args:
        temperature: The temperature to set, in degrees of the given unit (celsius by default).
        unit: [Optional] The unit of temperature: celsius or fahrenheit.
        fanSpeed: [Optional] The fan speed to set, from 0 to 100. Default is 50.
        mode: [Optional] The climate mode to set: auto, cool, heat or defrost.
    """
    vehicle = _vehicle(ctx)
    if not 0 <= fanSpeed <= 100:
        raise DomainError("Fan speed must be between 0 and 100.")
    if unit not in CLIMATE_UNITS:
        raise DomainError(f"Invalid unit {unit!r}. Options are: {', '.join(CLIMATE_UNITS)}.")
    if mode not in CLIMATE_MODES:
        raise DomainError(f"Invalid climate mode {mode!r}. Options are: {', '.join(CLIMATE_MODES)}.")
    celsius = (temperature - 32) * 5 / 9 if unit == "fahrenheit" else temperature
    _set(ctx, acTemperature=celsius, fanSpeed=fanSpeed, acMode=mode)
    return {"currentACTemperature": temperature, "climateMode": mode, "humidityLevel": vehicle["humidityLevel"]}


class OutsideTemperature(TypedDict):
    outsideTemperature: float


@env.read(intents=["what's the temperature outside?", "how cold is it outside according to Google"])
def get_outside_temperature_from_google(ctx: ToolContext) -> OutsideTemperature:
    """Get the outside temperature in degrees Celsius (from Google)."""
    vehicle = _vehicle(ctx)
    if vehicle["currentZipcode"] is not None:
        city = ctx.rows(City).first({"zipcode": vehicle["currentZipcode"]})
        if city is not None and city["outsideTemperature"] is not None:
            return {"outsideTemperature": city["outsideTemperature"]}
    return {"outsideTemperature": SeededStream(vehicle["random_seed"]).uniform(-10.0, 40.0)}


# BFCL's weather.com source always fails (HTTP 404): no task can check an outcome, so coverage is waived.
@env.read(intents=["check the outside temperature on weather.com"], coverage=False)
def get_outside_temperature_from_weather_com(ctx: ToolContext) -> OutsideTemperature:
    """Get the outside temperature in degrees Celsius (from weather.com)."""
    _vehicle(ctx)
    raise DomainError("404: weather.com did not return a temperature; try another source.")


class HeadlightResult(TypedDict):
    headlightStatus: str


@env.write(intents=["turn the headlights {mode}", "set the headlights to {mode}"])
def setHeadlights(ctx: ToolContext, mode: str) -> HeadlightResult:
    """Set the headlights of the vehicle ('auto' leaves them off while it is light).

    Args:
        mode: The mode of the headlights: on, off or auto.
    """
    _vehicle(ctx)
    if mode not in HEADLIGHT_MODES:
        raise DomainError(f"Invalid headlight mode. Options are: {', '.join(HEADLIGHT_MODES)}.")
    status = "on" if mode == "on" else "off"
    _set(ctx, headLightStatus=status)
    return {"headlightStatus": status}


@env.read(intents=["show me the car's {option} status", "what's the {option} status of the car?"])
def displayCarStatus(ctx: ToolContext, option: str) -> dict[str, Any]:
    """Display the status of the vehicle for one option.

    Args:
        option: The option to display: fuel, battery, doors, climate, headlights, parkingBrake, brakePedal or engine.
    """
    vehicle = _vehicle(ctx)
    if option == "fuel":
        return {"fuelLevel": vehicle["fuelLevel"]}
    if option == "battery":
        return {"batteryVoltage": vehicle["batteryVoltage"]}
    if option == "doors":
        return {"doorStatus": _door_status(ctx)}
    if option == "climate":
        return {
            "currentACTemperature": vehicle["acTemperature"],
            "fanSpeed": vehicle["fanSpeed"],
            "climateMode": vehicle["acMode"],
            "humidityLevel": vehicle["humidityLevel"],
        }
    if option == "headlights":
        return {"headlightStatus": vehicle["headLightStatus"]}
    if option == "parkingBrake":
        return {
            "parkingBrakeStatus": vehicle["parkingBrakeStatus"],
            "parkingBrakeForce": vehicle["parkingBrakeForce"],
            "slopeAngle": vehicle["slopeAngle"],
        }
    if option == "brakePedal":
        return {"brakePedalStatus": vehicle["brakePedalStatus"], "brakePedalForce": vehicle["brakePedalForce"]}
    if option == "engine":
        return {"engineState": vehicle["engineState"]}
    raise DomainError(f"Invalid option. Options are: {', '.join(STATUS_OPTIONS)}.")


class ParkingBrakeResult(TypedDict):
    parkingBrakeStatus: str
    _parkingBrakeForce: float
    _slopeAngle: float


@env.write(intents=["{mode} the parking brake", "please {mode} the handbrake"])
def activateParkingBrake(ctx: ToolContext, mode: str) -> ParkingBrakeResult:
    """Engage or release the parking brake of the vehicle.

    Args:
        mode: The mode to set: engage or release.
    """
    _vehicle(ctx)
    if mode not in ("engage", "release"):
        raise DomainError("Invalid mode. Options are: engage, release.")
    status, force = ("engaged", PARKING_BRAKE_FORCE) if mode == "engage" else ("released", 0.0)
    _set(ctx, parkingBrakeStatus=status, parkingBrakeForce=force, slopeAngle=PARKING_SLOPE_ANGLE)
    return {"parkingBrakeStatus": status, "_parkingBrakeForce": force, "_slopeAngle": PARKING_SLOPE_ANGLE}


class BrakePedalResult(TypedDict):
    brakePedalStatus: str
    brakePedalForce: float


@env.write(
    intents=[
        "press the brake pedal to position {pedalPosition} (1 is all the way down)",
        "hold the brake pedal down at position {pedalPosition}",
    ]
)
def pressBrakePedal(ctx: ToolContext, pedalPosition: float) -> BrakePedalResult:
    """Press the brake pedal to a position; it stays pressed until released.

    Args:
        pedalPosition: Position of the brake pedal, between 0 (not pressed) and 1 (fully pressed).
    """
    _vehicle(ctx)
    if not 0 <= pedalPosition <= 1:
        raise DomainError("Pedal position must be between 0 and 1.")
    if pedalPosition == 0:
        _set(ctx, brakePedalStatus="released", brakePedalForce=0.0)
        return {"brakePedalStatus": "released", "brakePedalForce": 0.0}
    force = float(pedalPosition * FULL_BRAKE_FORCE)
    _set(ctx, brakePedalStatus="pressed", brakePedalForce=force)
    return {"brakePedalStatus": "pressed", "brakePedalForce": force}


@env.write(intents=["release the brake pedal", "take my foot off the brake"])
def releaseBrakePedal(ctx: ToolContext) -> BrakePedalResult:
    """Release the brake pedal of the vehicle."""
    _vehicle(ctx)
    _set(ctx, brakePedalStatus="released", brakePedalForce=0.0)
    return {"brakePedalStatus": "released", "brakePedalForce": 0.0}


class CruiseResult(TypedDict):
    cruiseStatus: str
    currentSpeed: float
    distanceToNextVehicle: float


@env.write(
    intents=[
        "set cruise control to {speed} mph keeping {distanceToNextVehicle} meters from the car ahead",
        "turn on cruise control at {speed} mph, {distanceToNextVehicle} m behind the next car",
    ]
)
def setCruiseControl(ctx: ToolContext, speed: float, activate: bool, distanceToNextVehicle: float) -> CruiseResult:
    """Set the cruise control of the vehicle (the engine must be running).

    Args:
        speed: The speed to set in m/h, between 0 and 120 and a multiple of 5.
        activate: True to activate the cruise control, False to deactivate it.
        distanceToNextVehicle: The distance to keep to the next vehicle, in meters.
    """
    vehicle = _vehicle(ctx)
    speed, distance = float(speed), float(distanceToNextVehicle)
    if vehicle["engineState"] == "stopped":
        raise DomainError("Start the engine before activating the cruise control.")
    if activate:
        if speed < 0 or speed > 120 or speed % 5 != 0:
            raise DomainError("Invalid speed: it must be between 0 and 120 and a multiple of 5.")
        _set(ctx, cruiseStatus="active", cruiseSpeed=speed, distanceToNextVehicle=distance)
        return {"cruiseStatus": "active", "currentSpeed": speed, "distanceToNextVehicle": distance}
    _set(ctx, cruiseStatus="inactive", cruiseSpeed=None, distanceToNextVehicle=distance)
    return {"cruiseStatus": "inactive", "currentSpeed": speed, "distanceToNextVehicle": distance}


class SpeedReading(TypedDict):
    currentSpeed: float


@env.read(intents=["how fast am I going?", "what's my current speed"])
def get_current_speed(ctx: ToolContext) -> SpeedReading:
    """Get the current speed of the vehicle in km/h."""
    return {"currentSpeed": SeededStream(_vehicle(ctx)["random_seed"]).uniform(0.0, 120.0)}


class LogDisplay(TypedDict):
    log: list[str]


# The dashboard only echoes the messages it is given: anything a task could ask about it is already in the
# request, so no task can check that it was called, and the tool is exempt from task coverage.
@env.read(
    intents=["put these messages on the dashboard: {messages}", "display {messages} on the dashboard log"],
    coverage=False,
)
def display_log(ctx: ToolContext, messages: list[str]) -> LogDisplay:
    """Display log messages on the dashboard.

    Args:
        messages: The list of messages to display.
    """
    return {"log": messages}


class Feasibility(TypedDict):
    canDrive: bool


@env.read(intents=["can I drive {distance} miles on the fuel I have?", "will my gas last {distance} miles"])
def estimate_drive_feasibility_by_mileage(ctx: ToolContext, distance: float) -> Feasibility:
    """Estimate whether the fuel in the tank is enough to drive a distance (20 miles per gallon).

    Args:
        distance: The distance to travel in miles.
    """
    return {"canDrive": _vehicle(ctx)["fuelLevel"] * VEHICLE_MILES_PER_GALLON >= distance}


class Gallons(TypedDict):
    gallon: float


@env.read(intents=["how many gallons is {liter} liters?", "convert {liter} liters to gallons"])
def liter_to_gallon(ctx: ToolContext, liter: float) -> Gallons:
    """Convert liters to gallons.

    Args:
        liter: The amount in liters to convert.
    """
    return {"gallon": liter * GALLONS_PER_LITER}


class Liters(TypedDict):
    liter: float


@env.read(intents=["how many liters is {gallon} gallons?", "convert {gallon} gallons to liters"])
def gallon_to_liter(ctx: ToolContext, gallon: float) -> Liters:
    """Convert gallons to liters.

    Args:
        gallon: The amount in gallons to convert.
    """
    return {"liter": gallon * LITERS_PER_GALLON}


class Distance(TypedDict):
    distance: float


@env.read(intents=["how far is it from {cityA} to {cityB}?", "estimate the distance between {cityA} and {cityB}"])
def estimate_distance(ctx: ToolContext, cityA: str, cityB: str) -> Distance:
    """Estimate the road distance between two cities, given by zipcode, in km.

    Args:
        cityA: The zipcode of the first city.
        cityB: The zipcode of the second city.
    """
    distance = _zipcode_distance(ctx, cityA, cityB)
    if distance is None:
        raise DomainError(f"distance not found in database (between {cityA} and {cityB}).")
    return {"distance": distance}


class Zipcode(TypedDict):
    zipcode: str


@env.read(intents=["what's the zipcode of {city}?", "look up the zip code for {city}"])
def get_zipcode_based_on_city(ctx: ToolContext, city: str) -> Zipcode:
    """Get the zipcode of a city ('00000' when the city is unknown).

    Args:
        city: The name of the city.
    """
    row = ctx.rows(City).get(city)
    return {"zipcode": row["zipcode"] if row else VEHICLE_UNKNOWN_ZIPCODE}


class NavigationStatus(TypedDict):
    status: str


@env.write(intents=["navigate to {destination}", "take me to {destination}"])
def set_navigation(ctx: ToolContext, destination: str) -> NavigationStatus:
    """Start navigating to a destination.

    Args:
        destination: The destination in the format of street, city, state.
    """
    _vehicle(ctx)
    if not destination.strip():
        raise DomainError("The destination is empty.")
    _set(ctx, destination=destination)
    return {"status": "Navigating to " + destination}


class TirePressure(TypedDict):
    frontLeftTirePressure: float
    frontRightTirePressure: float
    rearLeftTirePressure: float
    rearRightTirePressure: float
    healthy_tire_pressure: bool
    car_info: dict[str, Any]


@env.read(intents=["check my tire pressure", "are my tyres inflated properly?"])
def check_tire_pressure(ctx: ToolContext) -> TirePressure:
    """Check the tire pressure of the vehicle (healthy when the four tyres average 30-35 psi)."""
    vehicle = _vehicle(ctx)
    pressures = [
        vehicle["frontLeftTirePressure"],
        vehicle["frontRightTirePressure"],
        vehicle["rearLeftTirePressure"],
        vehicle["rearRightTirePressure"],
    ]
    low, high = HEALTHY_TIRE_PRESSURE
    car_info = {key: vehicle[key] for key in ("make", "model", "year", "vin") if vehicle[key] is not None}
    return {
        "frontLeftTirePressure": pressures[0],
        "frontRightTirePressure": pressures[1],
        "rearLeftTirePressure": pressures[2],
        "rearRightTirePressure": pressures[3],
        "healthy_tire_pressure": low <= sum(pressures) / 4 <= high,
        "car_info": car_info,
    }


class ShopLocation(TypedDict):
    shopLocation: str


@env.read(intents=["find the nearest tire shop", "where can I get my tyres fixed nearby?"])
def find_nearest_tire_shop(ctx: ToolContext) -> ShopLocation:
    """Find the tire shop nearest to the car."""
    here = _vehicle(ctx)["currentZipcode"]
    shops = ctx.rows(TireShop)
    if here is not None:
        nearby = ctx.query(
            "SELECT s.shopLocation FROM tire_shops s LEFT JOIN city_distances d "
            "ON (d.cityA = ? AND d.cityB = s.zipcode) OR (d.cityB = ? AND d.cityA = s.zipcode) "
            "WHERE s.zipcode = ? OR d.distance IS NOT NULL "
            "ORDER BY CASE WHEN s.zipcode = ? THEN 0 ELSE d.distance END, s.shop_id LIMIT 1",
            (here, here, here, here),
        )
        if nearby:
            return {"shopLocation": nearby[0]["shopLocation"]}
    first = shops.first(order_by="shop_id")
    if first is None:
        raise DomainError("No tire shop is on record.")
    return {"shopLocation": first["shopLocation"]}


__all__ = ["Base", "BfclVehicleInterchange", "env"]
