"""The tools an agent calls (the API reference a model sees), with their typed views and helpers."""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from ...bfcl.reference import (
    VEHICLE_MAX_FUEL_GALLONS,
    VEHICLE_MILES_PER_GALLON,
    VEHICLE_UNKNOWN_ZIPCODE,
)
from ...bfcl.stream import SeededStream
from .definition import env
from .models import (
    CLIMATE_MODES,
    CLIMATE_UNITS,
    FULL_BRAKE_FORCE,
    GALLONS_PER_LITER,
    HEADLIGHT_MODES,
    HEALTHY_TIRE_PRESSURE,
    IGNITION_MODES,
    LITERS_PER_GALLON,
    PARKING_BRAKE_FORCE,
    PARKING_SLOPE_ANGLE,
    STATUS_OPTIONS,
    City,
    Door,
    LongContextPadding,
    TireShop,
)
from .seed import EngineStatus, _door_status, _remaining_unlocked, _set, _vehicle, _zipcode_distance


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
    reading = {"outsideTemperature": _outside_temperature(ctx)}
    history = _long_context_padding(ctx, "weather_history")
    return reading if history is None else {**history, **reading}


def _outside_temperature(ctx: ToolContext) -> float:
    vehicle = _vehicle(ctx)
    if vehicle["currentZipcode"] is not None:
        city = ctx.rows(City).first({"zipcode": vehicle["currentZipcode"]})
        if city is not None and city["outsideTemperature"] is not None:
            return float(city["outsideTemperature"])
    return SeededStream(vehicle["random_seed"]).uniform(-10.0, 40.0)


def _long_context_padding(ctx: ToolContext, name: str) -> Any:
    """What BFCL's long-context mode adds to an output (None outside that mode)."""
    row = ctx.rows(LongContextPadding).get(name)
    return None if row is None else row["value"]


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
    status = _car_status(ctx, option)
    metadata = _long_context_padding(ctx, "car_status_metadata")
    return status if metadata is None else {"metadata": metadata, **status}


def _car_status(ctx: ToolContext, option: str) -> dict[str, Any]:
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
    parkingBrakeInstruction: NotRequired[str]  # BFCL's long-context mode only
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
    result: ParkingBrakeResult = {
        "parkingBrakeStatus": status,
        "_parkingBrakeForce": force,
        "_slopeAngle": PARKING_SLOPE_ANGLE,
    }
    instruction = _long_context_padding(ctx, "parking_brake_instruction")
    return result if instruction is None else {"parkingBrakeInstruction": instruction, **result}


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
    intermediaryCities: NotRequired[list[str]]  # BFCL's long-context mode only


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
    cities = _long_context_padding(ctx, "intermediary_cities")
    return {"distance": distance} if cities is None else {"distance": distance, "intermediaryCities": cities}


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
    car_info: dict[str, Any] | str  # BFCL's long-context mode describes the car in one text


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
    metadata = _long_context_padding(ctx, "car_status_metadata")
    car_info: dict[str, Any] | str = metadata
    if metadata is None:
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
