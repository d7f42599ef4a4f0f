"""The fixed reference tables behind BFCL's multi-turn TravelAPI and VehicleControlAPI.

BFCL keeps these lookups as constants inside its classes; their values decide tool outputs (a route's base
fare, a city's zipcode, the distance between two zipcodes), so an environment that claims compatibility
must know them. Here they are data: ``travel_booking`` and ``vehicle_control`` load them into their
lookup tables whenever they load a BFCL ``initial_config``, and their own seeded states include them, so
BFCL-style requests work on the seeded state as well. Reference: the ``bfcl-eval`` package,
``bfcl_eval/eval_checker/multi_turn_eval/func_source_code/{travel_booking,vehicle_control}.py``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

# -- TravelAPI --------------------------------------------------------------------------------------------

TRAVEL_DEFAULT_RANDOM_SEED = 141053
TRAVEL_DEFAULT_FISCAL_YEAR = "2018"

# (airport code, the location BFCL maps to it), in the order list_all_airports returns the codes.
TRAVEL_AIRPORTS: tuple[tuple[str, str], ...] = (
    ("RMS", "Rivermist"),
    ("SBK", "Stonebrook"),
    ("MPC", "Maplecrest"),
    ("SVP", "Silverpine"),
    ("SHD", "Shadowridge"),
    ("CDG", "Paris"),
    ("LHR", "London"),
    ("SSV", "Sunset Valley"),
    ("OKD", "Oakendale"),
    ("WLB", "Willowbend"),
    ("PEK", "Beijing"),
    ("HND", "Tokyo"),
    ("HKG", "Hong Kong"),
    ("CIA", "Rome"),
    ("CRH", "Crescent Hollow"),
    ("ATV", "Autumnville"),
    ("PHV", "Pinehaven"),
    ("GFD", "Greenfield"),
    ("SFO", "San Francisco"),
    ("LAX", "Los Angeles"),
    ("JFK", "New York"),
    ("ORD", "Chicago"),
    ("BOS", "Boston"),
)

# Directed routes with their economy base fare in USD ("FROM-TO:fare").
_TRAVEL_ROUTES = """
SFO-LAX:200 SFO-JFK:500 SFO-ORD:400 SFO-BOS:450 SFO-RMS:300 SFO-SBK:350 SFO-MPC:370 SFO-SVP:320 SFO-SHD:330
SFO-SSV:340 SFO-OKD:360 SFO-WLB:310 SFO-CRH:380 SFO-ATV:390 SFO-PHV:420 SFO-GFD:430 SFO-CIA:700 LAX-SFO:100
LAX-JFK:600 LAX-ORD:500 LAX-BOS:550 LAX-RMS:310 LAX-SBK:320 LAX-MPC:330 LAX-SVP:340 LAX-SHD:350 LAX-SSV:360
LAX-OKD:370 LAX-WLB:380 LAX-CRH:390 LAX-ATV:400 LAX-PHV:410 LAX-GFD:420 LAX-HND:430 JFK-ORD:300 JFK-BOS:250
JFK-RMS:450 JFK-SBK:460 JFK-MPC:470 JFK-SVP:480 JFK-SHD:490 JFK-SSV:500 JFK-OKD:510 JFK-WLB:520 JFK-CRH:530
JFK-ATV:540 JFK-PHV:550 JFK-GFD:560 JFK-LAX:570 JFK-HND:800 JFK-PVG:950 JFK-PEK:1000 ORD-LAX:180 ORD-BOS:200
ORD-RMS:350 ORD-SBK:360 ORD-MPC:370 ORD-SVP:380 ORD-SHD:390 ORD-SSV:400 ORD-OKD:410 ORD-WLB:420 ORD-CRH:430
ORD-ATV:440 ORD-PHV:450 ORD-GFD:460 BOS-RMS:400 BOS-SBK:410 BOS-MPC:420 BOS-SVP:430 BOS-SHD:440 BOS-SSV:450
BOS-OKD:460 BOS-WLB:470 BOS-CRH:480 BOS-ATV:490 BOS-PHV:500 BOS-GFD:510 RMS-BOS:200 RMS-JFK:210 RMS-SBK:220
RMS-MPC:230 RMS-SVP:240 RMS-SHD:250 RMS-SSV:260 RMS-OKD:270 RMS-WLB:280 RMS-CRH:290 RMS-ATV:300 RMS-PHV:310
RMS-GFD:320 RMS-LAX:330 SBK-MPC:200 SBK-SVP:210 SBK-SHD:220 SBK-SSV:230 SBK-OKD:240 SBK-WLB:250 SBK-CRH:260
SBK-ATV:270 SBK-PHV:280 SBK-GFD:290 MPC-SVP:210 MPC-SHD:220 MPC-SSV:230 MPC-OKD:240 MPC-WLB:250 MPC-CRH:260
MPC-ATV:270 MPC-PHV:280 MPC-GFD:290 SVP-SHD:230 SVP-SSV:240 SVP-OKD:250 SVP-WLB:260 SVP-CRH:270 SVP-ATV:280
SVP-PHV:290 SVP-GFD:300 SHD-SSV:220 SHD-OKD:230 SHD-WLB:240 SHD-CRH:250 SHD-ATV:260 SHD-PHV:270 SHD-GFD:280
SSV-OKD:240 SSV-WLB:250 SSV-CRH:260 SSV-ATV:270 SSV-PHV:280 SSV-GFD:290 OKD-WLB:230 OKD-CRH:240 OKD-ATV:250
OKD-PHV:260 OKD-GFD:270 WLB-CRH:250 WLB-ATV:260 WLB-PHV:270 WLB-GFD:280 CRH-ATV:240 CRH-PHV:250 CRH-GFD:260
CRH-SFO:270 CRH-RMS:280 CRH-HKG:290 CRH-JFK:300 ATV-PHV:230 ATV-GFD:240 PHV-GFD:220 LHR-CDG:100 OKD-LAX:220
"""


def _parse_routes(text: str) -> tuple[tuple[str, str, float], ...]:
    routes = []
    for token in text.split():
        pair, fare = token.split(":")
        origin, destination = pair.split("-")
        routes.append((origin, destination, float(fare)))
    return tuple(routes)


TRAVEL_ROUTES: tuple[tuple[str, str, float], ...] = _parse_routes(_TRAVEL_ROUTES)

# One US dollar in each currency; conversions exist only between USD and these.
TRAVEL_EXCHANGE_RATES: tuple[tuple[str, str, float], ...] = (
    ("USD", "RMB", 7.0),
    ("USD", "EUR", 0.8),
    ("USD", "JPY", 110.0),
    ("USD", "GBP", 0.7),
    ("USD", "CAD", 1.3),
    ("USD", "AUD", 1.4),
    ("USD", "INR", 70.0),
    ("USD", "RUB", 60.0),
    ("USD", "BRL", 3.8),
    ("USD", "MXN", 20.0),
)

# The keys of TravelAPI's initial_config, with BFCL's defaults for absent keys.
TRAVEL_STATE_DEFAULTS: dict[str, Any] = {
    "random_seed": TRAVEL_DEFAULT_RANDOM_SEED,
    "credit_card_list": {},
    "booking_record": {},
    "access_token": None,
    "token_type": None,
    "token_expires_in": None,
    "token_scope": None,
    "user_first_name": None,
    "user_last_name": None,
    "budget_limit": None,
}

# -- VehicleControlAPI ------------------------------------------------------------------------------------

VEHICLE_DEFAULT_RANDOM_SEED = 141053
VEHICLE_MAX_FUEL_GALLONS = 50.0
VEHICLE_MILES_PER_GALLON = 20.0
VEHICLE_DOORS: tuple[str, ...] = ("driver", "passenger", "rear_left", "rear_right")

VEHICLE_CITY_ZIPCODES: tuple[tuple[str, str], ...] = (
    ("Rivermist", "83214"),
    ("Stonebrook", "74532"),
    ("Maplecrest", "56108"),
    ("Silverpine", "62947"),
    ("Shadowridge", "71354"),
    ("Sunset Valley", "83462"),
    ("Oakendale", "47329"),
    ("Willowbend", "52013"),
    ("Crescent Hollow", "69238"),
    ("Autumnville", "51479"),
    ("San Francisco", "94016"),
)
VEHICLE_UNKNOWN_ZIPCODE = "00000"

# Symmetric distances between zipcodes, in km.
VEHICLE_DISTANCES: tuple[tuple[str, str, float], ...] = (
    ("83214", "74532", 750.0),
    ("56108", "62947", 320.0),
    ("71354", "83462", 450.0),
    ("47329", "52013", 290.0),
    ("69238", "51479", 630.0),
    ("94016", "83214", 980.0),
    ("94016", "94704", 600.0),
    ("94704", "08540", 2550.0),
    ("94016", "08540", 1950.0),
    ("62947", "47329", 1053.0),
    ("94016", "62947", 780.0),
    ("74532", "94016", 880.0),
)

VEHICLE_TIRE_SHOPS: tuple[tuple[str, str], ...] = (("456 Oakwood Avenue, Rivermist, 83214", "83214"),)

# The keys of VehicleControlAPI's initial_config, with BFCL's defaults for absent keys.
VEHICLE_STATE_DEFAULTS: dict[str, Any] = {
    "random_seed": VEHICLE_DEFAULT_RANDOM_SEED,
    "fuelLevel": 0.0,
    "batteryVoltage": 12.6,
    "engineState": "stopped",
    "doorStatus": {door: "unlocked" for door in VEHICLE_DOORS},
    "acTemperature": 25.0,
    "fanSpeed": 50,
    "acMode": "auto",
    "humidityLevel": 50.0,
    "headLightStatus": "off",
    "parkingBrakeStatus": "released",
    "parkingBrakeForce": 0.0,
    "slopeAngle": 0.0,
    "brakePedalStatus": "released",
    "brakePedalForce": 0.0,
    "distanceToNextVehicle": 50.0,
    "cruiseStatus": "inactive",
    "destination": "None",
    "frontLeftTirePressure": 32.0,
    "frontRightTirePressure": 32.0,
    "rearLeftTirePressure": 30.0,
    "rearRightTirePressure": 30.0,
}


def differing_tables(
    conn: sqlite3.Connection,
    queries: Sequence[tuple[str, str, bool]],
    defaults: Mapping[str, Sequence[tuple[Any, ...]]],
) -> tuple[tuple[str, tuple[tuple[Any, ...], ...]], ...]:
    """The reference tables whose rows differ from BFCL's, as (name, rows) pairs, for a state dump.

    ``queries`` holds (name, SELECT in rowid order, whether order matters); unordered tables are compared
    as sorted rows, like BFCL compares its lookup dicts.
    """
    parts = []
    for name, sql, ordered in queries:
        rows = conn.execute(sql).fetchall()
        default = defaults[name]
        if len(rows) != len(default) or (rows if ordered else sorted(rows)) != default:
            parts.append((name, tuple(rows)))
    return tuple(parts)
