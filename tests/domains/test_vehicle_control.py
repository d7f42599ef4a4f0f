"""vehicle_control: BFCL VehicleControlAPI surface, driving rules, seeded state and initial_config interchange."""

from __future__ import annotations

import copy
import importlib.util
import inspect
import math
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import build_snapshot, get_snapshot
from envfactory_gym.domains.bfcl.stream import SeededStream
from envfactory_gym.domains.travel import vehicle_control
from envfactory_gym.registry import catalog
from envfactory_gym.scenario import ScenarioError
from envfactory_gym.testing import EpisodeHarness

ENV = vehicle_control.env
ALL_DOORS = ["driver", "passenger", "rear_left", "rear_right"]


def bfcl_config(**overrides: Any) -> dict[str, Any]:
    """A BFCL VehicleControlAPI initial_config: parked, doors unlocked, 10 gallons."""
    config: dict[str, Any] = {
        "fuelLevel": 10.0,
        "batteryVoltage": 12.6,
        "engineState": "stopped",
        "doorStatus": dict.fromkeys(ALL_DOORS, "unlocked"),
        "acTemperature": 25.0,
        "fanSpeed": 50,
        "acMode": "auto",
        "humidityLevel": 50.0,
        "headLightStatus": "off",
        "parkingBrakeStatus": "released",
        "parkingBrakeForce": 0.0,
        "slopeAngle": 0.0,
        "distanceToNextVehicle": 50.0,
        "cruiseStatus": "inactive",
        "destination": "None",
        "frontLeftTirePressure": 32.0,
        "frontRightTirePressure": 32.0,
        "rearLeftTirePressure": 30.0,
        "rearRightTirePressure": 30.0,
    }
    config.update(overrides)
    return config


def harness_for(config: dict[str, Any]) -> EpisodeHarness:
    return EpisodeHarness(ENV, scenario=copy.deepcopy(config))


@pytest.fixture
def car() -> Iterator[EpisodeHarness]:
    harness = harness_for(bfcl_config())
    yield harness
    harness.close()


@pytest.fixture
def running() -> Iterator[EpisodeHarness]:
    harness = harness_for(bfcl_config())
    harness.ok("lockDoors", unlock=False, door=ALL_DOORS)
    harness.ok("pressBrakePedal", pedalPosition=1.0)
    harness.ok("startEngine", ignitionMode="START")
    yield harness
    harness.close()


@pytest.fixture
def seeded() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(ENV)
    yield harness
    harness.close()


def vehicle(h: EpisodeHarness) -> dict[str, Any]:
    (row,) = h.database.rows("vehicle")
    return row


def dump(h: EpisodeHarness) -> dict[str, Any]:
    return ENV.scenario_io.dump(h.database.session)


# -- surface ----------------------------------------------------------------------------------------------


def test_tool_names_are_bfcls() -> None:
    assert set(ENV.tools) == set(catalog()["vehicle_control"].reference_tools)


@pytest.mark.skipif(importlib.util.find_spec("bfcl_eval") is None, reason="bfcl-eval is not installed")
def test_parameters_and_defaults_match_bfcl_signatures() -> None:
    from bfcl_eval.eval_checker.multi_turn_eval.func_source_code.vehicle_control import VehicleControlAPI

    for name, spec in ENV.tools.items():
        theirs = list(inspect.signature(getattr(VehicleControlAPI, name)).parameters.values())[1:]
        ours = list(inspect.signature(spec.func).parameters.values())[1:]
        assert [p.name for p in ours] == [p.name for p in theirs], name
        assert [p.default for p in ours] == [p.default for p in theirs], name


def test_pure_utilities_are_read_tools() -> None:
    reads = {spec.name for spec in ENV.read_tools}
    assert {"gallon_to_liter", "liter_to_gallon", "estimate_distance", "get_zipcode_based_on_city"} <= reads
    assert {"startEngine", "lockDoors", "fillFuelTank", "set_navigation"} <= {s.name for s in ENV.write_tools}


# -- seeded state ---------------------------------------------------------------------------------------------


def test_seeded_state_is_realistic_in_size() -> None:
    snapshot = get_snapshot(ENV)
    counts = {name: len(snapshot.rows(name)) for name in snapshot.tables}
    assert counts == {
        "vehicle": 1,
        "doors": 4,
        "cities": 300,
        "city_distances": counts["city_distances"],
        "tire_shops": 150,
        "long_context_padding": 0,  # BFCL's long-context mode only
    }
    assert counts["city_distances"] >= 600
    zipcodes = [row["zipcode"] for row in snapshot.rows("cities")]
    assert len(set(zipcodes)) == len(zipcodes)


def test_seeded_state_keeps_bfcls_lookups(seeded: EpisodeHarness) -> None:
    assert seeded.ok("get_zipcode_based_on_city", city="Rivermist") == {"zipcode": "83214"}
    assert seeded.ok("estimate_distance", cityA="74532", cityB="83214") == {"distance": 750.0}
    assert seeded.ok("get_zipcode_based_on_city", city="Princeton") == {"zipcode": "08540"}


# -- every tool ---------------------------------------------------------------------------------------------


def test_every_tool_succeeds_on_the_seeded_state(seeded: EpisodeHarness) -> None:
    h = seeded
    used: set[str] = set()

    def ok(tool: str, **args: Any) -> Any:
        used.add(tool)
        return h.ok(tool, **args)

    car = vehicle(h)
    assert ok("displayCarStatus", option="doors") == {"doorStatus": dict.fromkeys(ALL_DOORS, "locked")}
    ok("lockDoors", unlock=True, door=["driver"])
    ok("lockDoors", unlock=False, door=["driver"])
    ok("pressBrakePedal", pedalPosition=1.0)
    assert ok("startEngine", ignitionMode="START")["engineState"] == "running"
    ok("activateParkingBrake", mode="release")
    ok("releaseBrakePedal")
    ok("setCruiseControl", speed=60, activate=True, distanceToNextVehicle=50)
    ok("adjustClimateControl", temperature=21.5)
    ok("setHeadlights", mode="auto")
    here = next(r for r in h.database.rows("cities") if r["zipcode"] == car["currentZipcode"])
    assert ok("get_outside_temperature_from_google") == {"outsideTemperature": here["outsideTemperature"]}
    assert isinstance(ok("get_current_speed")["currentSpeed"], float)
    assert ok("display_log", messages=["Low tyre pressure"]) == {"log": ["Low tyre pressure"]}
    zipcode = ok("get_zipcode_based_on_city", city=here["city"])["zipcode"]
    other = next(r for r in h.database.rows("city_distances") if zipcode in (r["cityA"], r["cityB"]))
    far = other["cityB"] if other["cityA"] == zipcode else other["cityA"]
    distance = ok("estimate_distance", cityA=far, cityB=zipcode)["distance"]
    assert distance == other["distance"]
    assert ok("estimate_drive_feasibility_by_mileage", distance=distance) == {
        "canDrive": car["fuelLevel"] * 20 >= distance
    }
    assert ok("gallon_to_liter", gallon=2.0) == {"liter": pytest.approx(7.57082)}
    assert ok("liter_to_gallon", liter=10.0) == {"gallon": pytest.approx(2.64172)}
    assert ok("check_tire_pressure")["car_info"]["vin"] == car["vin"]
    assert ok("find_nearest_tire_shop")["shopLocation"]
    ok("set_navigation", destination="1 Main Street, Rivermist, CA")
    ok("fillFuelTank", fuelAmount=50 - car["fuelLevel"])
    used.add("get_outside_temperature_from_weather_com")
    assert "404" in h.error("get_outside_temperature_from_weather_com")
    assert used == set(ENV.tools)


# -- rules and effects ------------------------------------------------------------------------------------------


def test_engine_needs_locked_doors_and_a_fully_pressed_brake(car: EpisodeHarness) -> None:
    message = car.error("startEngine", ignitionMode="START")
    assert "All doors must be locked" in message and "rear_left" in message
    assert car.ok("lockDoors", unlock=False, door=ALL_DOORS) == {"lockStatus": "locked", "remainingUnlockedDoors": 0}
    assert "Brake pedal needs to be pressed" in car.error("startEngine", ignitionMode="START")
    car.ok("pressBrakePedal", pedalPosition=0.5)
    assert "press the brake fully" in car.error("startEngine", ignitionMode="START")
    car.ok("pressBrakePedal", pedalPosition=1.0)
    assert car.ok("startEngine", ignitionMode="START") == {
        "engineState": "running",
        "fuelLevel": 10.0,
        "batteryVoltage": 12.6,
    }
    assert car.ok("startEngine", ignitionMode="STOP")["engineState"] == "stopped"
    assert vehicle(car)["engineState"] == "stopped"


def test_an_empty_tank_does_not_start() -> None:
    h = harness_for(bfcl_config(fuelLevel=0.0, doorStatus=dict.fromkeys(ALL_DOORS, "locked")))
    h.ok("pressBrakePedal", pedalPosition=1.0)
    assert "Fuel tank is empty" in h.error("startEngine", ignitionMode="START")
    h.close()


def test_fuel_tank_capacity(car: EpisodeHarness) -> None:
    assert "tank capacity" in car.error("fillFuelTank", fuelAmount=40.5)
    assert "negative" in car.error("fillFuelTank", fuelAmount=-1.0)
    assert car.ok("fillFuelTank", fuelAmount=40) == {"fuelLevel": 50.0}
    assert car.ok("estimate_drive_feasibility_by_mileage", distance=1000.0) == {"canDrive": True}
    assert car.ok("estimate_drive_feasibility_by_mileage", distance=1000.5) == {"canDrive": False}


def test_cruise_control_needs_the_engine_and_a_valid_speed(car: EpisodeHarness, running: EpisodeHarness) -> None:
    assert "Start the engine" in car.error("setCruiseControl", speed=60, activate=True, distanceToNextVehicle=30)
    for speed in (62, 125, -5):
        assert "Invalid speed" in running.error(
            "setCruiseControl", speed=speed, activate=True, distanceToNextVehicle=30
        )
    assert running.ok("setCruiseControl", speed=65, activate=True, distanceToNextVehicle=30) == {
        "cruiseStatus": "active",
        "currentSpeed": 65.0,
        "distanceToNextVehicle": 30.0,
    }
    assert vehicle(running)["cruiseSpeed"] == 65.0
    running.ok("setCruiseControl", speed=0, activate=False, distanceToNextVehicle=40)
    row = vehicle(running)
    assert (row["cruiseStatus"], row["cruiseSpeed"], row["distanceToNextVehicle"]) == ("inactive", None, 40.0)


def test_climate_control(car: EpisodeHarness) -> None:
    result = car.ok("adjustClimateControl", temperature=77, unit="fahrenheit", fanSpeed=20, mode="cool")
    assert result == {"currentACTemperature": 77.0, "climateMode": "cool", "humidityLevel": 50.0}
    assert car.ok("displayCarStatus", option="climate") == {
        "currentACTemperature": 25.0,
        "fanSpeed": 20,
        "climateMode": "cool",
        "humidityLevel": 50.0,
    }
    assert "Fan speed" in car.error("adjustClimateControl", temperature=20, fanSpeed=101)
    assert "unit" in car.error("adjustClimateControl", temperature=20, unit="kelvin")
    assert "climate mode" in car.error("adjustClimateControl", temperature=20, mode="turbo")


def test_brakes_headlights_and_status(car: EpisodeHarness) -> None:
    assert car.ok("activateParkingBrake", mode="engage") == {
        "parkingBrakeStatus": "engaged",
        "_parkingBrakeForce": 500.0,
        "_slopeAngle": 10.0,
    }
    assert car.ok("displayCarStatus", option="parkingBrake")["parkingBrakeForce"] == 500.0
    assert car.ok("pressBrakePedal", pedalPosition=0.25) == {"brakePedalStatus": "pressed", "brakePedalForce": 250.0}
    assert car.ok("pressBrakePedal", pedalPosition=0) == {"brakePedalStatus": "released", "brakePedalForce": 0.0}
    assert car.ok("setHeadlights", mode="auto") == {"headlightStatus": "off"}
    assert car.ok("setHeadlights", mode="on") == {"headlightStatus": "on"}
    assert car.ok("displayCarStatus", option="headlights") == {"headlightStatus": "on"}
    assert car.ok("lockDoors", unlock=False, door=["driver", "driver"]) == {
        "lockStatus": "locked",
        "remainingUnlockedDoors": 3,
    }


@pytest.mark.parametrize(
    ("tool", "args", "message"),
    [
        ("lockDoors", {"unlock": False, "door": ["driver", "trunk"]}, "Unknown door"),
        ("startEngine", {"ignitionMode": "TURBO"}, "Invalid ignition mode"),
        ("pressBrakePedal", {"pedalPosition": 1.5}, "between 0 and 1"),
        ("activateParkingBrake", {"mode": "half"}, "Invalid mode"),
        ("setHeadlights", {"mode": "high"}, "Invalid headlight mode"),
        ("displayCarStatus", {"option": "radio"}, "Invalid option"),
        ("estimate_distance", {"cityA": "83214", "cityB": "99999"}, "distance not found"),
        ("set_navigation", {"destination": "  "}, "empty"),
        ("get_outside_temperature_from_weather_com", {}, "404"),
    ],
)
def test_refusals_change_nothing(car: EpisodeHarness, tool: str, args: dict[str, Any], message: str) -> None:
    assert message in car.error(tool, **args)


def test_lookups_follow_bfcl(car: EpisodeHarness) -> None:
    assert car.ok("get_zipcode_based_on_city", city="Atlantis") == {"zipcode": "00000"}
    assert car.ok("estimate_distance", cityA="08540", cityB="94704") == {"distance": 2550.0}
    assert car.ok("find_nearest_tire_shop") == {"shopLocation": "456 Oakwood Avenue, Rivermist, 83214"}
    assert car.ok("check_tire_pressure")["healthy_tire_pressure"] is True
    # Without a known location, readings are BFCL's first draw from the seeded stream (seed 141053).
    expected = SeededStream(141053).uniform(-10.0, 40.0)
    assert math.isclose(car.ok("get_outside_temperature_from_google")["outsideTemperature"], expected)
    assert car.ok("get_current_speed") == car.ok("get_current_speed")


def test_nearest_tire_shop_prefers_the_cars_town() -> None:
    shops = [["1 Elm St, Maplecrest, 56108", "56108"], ["2 Oak St, Silverpine, 62947", "62947"]]
    h = harness_for(bfcl_config(envfactory={"currentZipcode": "62947", "tire_shops": shops}))
    assert h.ok("find_nearest_tire_shop") == {"shopLocation": "2 Oak St, Silverpine, 62947"}
    h.close()
    # Not in town: the shop in the closest town with a known distance (Maplecrest is 320 km away).
    h = harness_for(bfcl_config(envfactory={"currentZipcode": "62947", "tire_shops": shops[:1]}))
    assert h.ok("find_nearest_tire_shop") == {"shopLocation": "1 Elm St, Maplecrest, 56108"}
    h.close()


def test_unhealthy_tires() -> None:
    h = harness_for(bfcl_config(frontLeftTirePressure=22.0, frontRightTirePressure=22.0))
    assert h.ok("check_tire_pressure")["healthy_tire_pressure"] is False
    h.close()


# -- initial_config interchange ------------------------------------------------------------------------------


def test_bfcl_config_round_trips() -> None:
    config = bfcl_config(
        doorStatus={"driver": "locked", "passenger": "unlocked", "rear_left": "locked", "rear_right": "locked"}
    )
    h = harness_for(config)
    dumped = dump(h)
    h.close()
    for key, value in config.items():
        assert dumped[key] == value, key
    assert dumped["remainingUnlockedDoors"] == 1 and dumped["random_seed"] == 141053
    assert "envfactory" not in dumped  # nothing beyond BFCL's state
    again = harness_for(dumped)
    assert dump(again) == dumped
    again.close()


def test_seeded_state_round_trips_through_initial_config(seeded: EpisodeHarness) -> None:
    seeded.ok("lockDoors", unlock=True, door=["rear_left"])
    dumped = dump(seeded)
    reloaded = harness_for(dumped)
    assert reloaded.database.export_tables() == seeded.database.export_tables()
    assert dump(reloaded) == dumped
    reloaded.close()


@pytest.mark.parametrize(
    "bad",
    [
        {"doorStatus": {"driver": "ajar"}},
        {"doorStatus": {"trunk": "locked"}},
        {"doorStatus": ["driver"]},
        {"envfactory": []},
        {"fuelLevel": "full"},
        {"engineState": None},
    ],
)
def test_malformed_initial_config_is_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ScenarioError):
        build_snapshot(ENV, 0, bfcl_config(**bad))
