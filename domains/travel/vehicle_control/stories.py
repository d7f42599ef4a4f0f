"""Vehicle-control stories: the driver of the one connected car talking to its assistant, one storyline each.

What drivers ask a car (see envfactory_gym.synthesis.stories): start it (the service needs the brake fully
pressed first, so "start the car" means press → start), maybe releasing the handbrake, the brake or turning
the lights on as they ask; "I'm cold" / "it's stuffy in here" / "the windshield is fogging up" (climate
from the current setting); set the climate exactly; the tyre-pressure light (which tyre, the nearest shop,
take me there); a pre-trip check (doors, tyres); how far a trip is and how far the tank goes; a two-leg
trip's total; fill up (to the brim, some gallons, liters at the pump); cruise control on the highway;
navigate to an address and how far it is; let a passenger in; heading out after dark.

The car is one seeded vehicle (parked, locked, engine off, in one town), so stories vary by what the driver
asks (temperatures, fan, speeds, gaps, addresses, towns, amounts) rather than by which car.
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from ...bfcl.reference import VEHICLE_MAX_FUEL_GALLONS, VEHICLE_MILES_PER_GALLON
from .models import GALLONS_PER_LITER, LITERS_PER_GALLON

ENV = "vehicle_control"
KM_PER_MILE = 1.609344
_STREETS = (
    "Elm Street",
    "Maple Avenue",
    "Oak Lane",
    "Cedar Road",
    "Birch Drive",
    "Willow Way",
    "Pine Street",
    "Lakeview Drive",
    "Hillcrest Road",
    "Main Street",
    "Park Avenue",
    "River Road",
    "Sunset Boulevard",
    "Chestnut Court",
    "Harbor View Road",
    "Meadow Lane",
)
_TIRES = (
    ("frontLeftTirePressure", "front left"),
    ("frontRightTirePressure", "front right"),
    ("rearLeftTirePressure", "rear left"),
    ("rearRightTirePressure", "rear right"),
)


def _car(s: StoryContext) -> dict[str, Any]:
    return s.rows("SELECT * FROM vehicle")[0]


def _here(s: StoryContext) -> dict[str, Any]:
    """The town the car is in (the driver knows where they are)."""
    car = _car(s)
    rows = s.rows("SELECT city, zipcode FROM cities WHERE zipcode = ?", (car["currentZipcode"],))
    return rows[0] if rows else s.reject("the car's town is unknown")


def _address(s: StoryContext, city: str) -> str:
    return f"{s.rng.randint(2, 2999)} {s.rng.choice(_STREETS)}, {city}"


def _start(s: StoryContext) -> dict[str, Any]:
    """Starting a parked car: the service needs the brake pedal fully down first (its own error says so)."""
    s.imply(1.0)
    s.imply("START")
    s.call("pressBrakePedal", pedalPosition=1.0)
    return s.call("startEngine", ignitionMode="START")


def _neighbours(s: StoryContext, zipcode: str) -> list[dict[str, Any]]:
    """Towns with a known road distance from ``zipcode``."""
    return s.rows(
        "SELECT c.city, c.zipcode, d.distance FROM city_distances d JOIN cities c "
        "ON c.zipcode = CASE WHEN d.cityA = ? THEN d.cityB ELSE d.cityA END "
        "WHERE (d.cityA = ? OR d.cityB = ?) ORDER BY c.city",
        (zipcode, zipcode, zipcode),
    )


def _zipcode(s: StoryContext, city: str) -> str:
    return str(s.call("get_zipcode_based_on_city", city=s.say(city))["zipcode"])


# -- starting and driving ----------------------------------------------------------------------------------
@story(ENV)
def start_the_car(s: StoryContext) -> str:
    """The driver asks to start the car, and perhaps to release the handbrake or the brake, or put lights on."""
    extras = [e for e in ("handbrake", "lights", "pedal") if s.rng.random() < 0.45]
    battery = s.rng.random() < 0.5
    status = _start(s)
    asks = []
    if "handbrake" in extras:
        s.call("activateParkingBrake", mode=s.imply("release"))
        asks.append(speech.choose(s.rng, "release the parking brake", "let the handbrake off"))
    if "lights" in extras:
        s.call("setHeadlights", mode=s.imply("on"))
        asks.append(speech.choose(s.rng, "turn the headlights on", "put the headlights on"))
    if "pedal" in extras:
        s.call("releaseBrakePedal")
        asks.append(speech.choose(s.rng, "then release the brake pedal", "let the brake pedal go once it's running"))
    if battery:
        s.fact(status["batteryVoltage"])
    start = speech.choose(
        s.rng, "Start the car", "Please start the engine", "Get the car started", "Fire up the engine"
    )
    parts = [speech.listing([start, *asks]) + "."]
    if battery:
        parts.append(speech.choose(s.rng, "What's the battery voltage?", "How's the battery looking, voltage-wise?"))
    return speech.sentence(speech.opening(s.rng), *parts)


@story(ENV)
def highway_cruise(s: StoryContext) -> str:
    """On the way to the highway: start the car, (read the speed,) and set the cruise control as asked."""
    speed = float(s.rng.randrange(45, 81, 5))
    gap = float(s.rng.randrange(30, 101, 10))
    read_speed = s.rng.random() < 0.5
    mph = s.detail("cruise speed", speed, f"{speed:g} mph", vague="highway speed")
    meters = s.detail("following distance", gap, f"{gap:g} meters", vague="a safe distance")
    _start(s)
    if read_speed:
        current = s.call("get_current_speed")["currentSpeed"]
        s.fact(current)
    s.call("setCruiseControl", speed=speed, activate=True, distanceToNextVehicle=gap)
    ask = speech.choose(
        s.rng,
        f"Start the car and set the cruise control to {mph}, keeping {meters} from the car in front.",
        f"Get the engine going, then put cruise control on at {mph} with {meters} to the car ahead.",
        f"I'm heading onto the highway: start the car and hold {mph} on cruise, {meters} behind the next car.",
    )
    question = ""
    if read_speed:
        question = speech.choose(
            s.rng, "Before you set it, what speed does the car read?", "Also tell me the current speed reading first."
        )
    return speech.sentence(speech.opening(s.rng), ask, question)


@story(ENV, implicit=True, weight=1.4)
def heading_out_after_dark(s: StoryContext) -> str:
    """It is getting dark and the driver is leaving: start, lights on, and the route home if they give it."""
    home = s.rng.choice(_neighbours(s, _here(s)["zipcode"]) or s.reject("no towns nearby"))
    address = _address(s, home["city"])
    navigate = s.rng.random() < 0.7
    handbrake = s.rng.random() < 0.4
    _start(s)
    s.call("setHeadlights", mode=s.imply("on"))
    if handbrake:
        s.call("activateParkingBrake", mode=s.imply("release"))
    if navigate:
        s.detail("destination", address, address, vague="home")
        s.call("set_navigation", destination=address)
    need = speech.choose(
        s.rng,
        "It's getting dark out and I'm about to drive home.",
        "The sun's going down and I need to head out now.",
        "It's pitch black out here and I'm leaving.",
    )
    go = speech.choose(
        s.rng,
        "Start the car, and I'll need to be able to see the road.",
        "Please start the car for me; I need to see where I'm going.",
    )
    tail = f"Take me to {address}." if navigate else ""
    return speech.sentence(speech.opening(s.rng), need, go, "And take the handbrake off." if handbrake else "", tail)


# -- climate -------------------------------------------------------------------------------------------------
def _climate(s: StoryContext) -> dict[str, Any]:
    return s.call("displayCarStatus", option=s.imply("climate"))


def _degrees(delta: int) -> str:
    return "a degree" if delta == 1 else f"{speech.number(delta)} degrees"


def _adjust(s: StoryContext, temperature: float, fan: int, mode: str, *, auto_too: bool) -> dict[str, Any]:
    result = s.call("adjustClimateControl", temperature=temperature, fanSpeed=fan, mode=mode)
    if auto_too and mode != "auto":  # "warm it up" is met by heating or by the automatic mode at that setting
        s.accept_also([("adjustClimateControl", {"temperature": temperature, "fanSpeed": fan, "mode": "auto"})])
    return result


@story(ENV, implicit=True, weight=1.4)
def im_cold(s: StoryContext) -> str:
    """The driver is cold: the heat goes up a few degrees from the current setting (fan as they say)."""
    delta = s.rng.choice((1, 2, 3))
    keep_fan = s.rng.random() < 0.5
    fan_asked = s.rng.randrange(40, 91, 10)
    outside = s.rng.random() < 0.5
    if outside:
        s.fact(s.call("get_outside_temperature_from_google")["outsideTemperature"])
    now = _climate(s)
    if not keep_fan and fan_asked == now["fanSpeed"]:
        s.reject("fan already there")
    target = s.imply(float(now["currentACTemperature"]) + delta)
    fan = now["fanSpeed"] if keep_fan else fan_asked
    warmer = s.detail("how much warmer", delta, _degrees(delta), vague="a bit")
    fan_words = "leave the fan where it is" if keep_fan else f"turn the fan to {fan}"
    if not keep_fan:
        s.say(fan)
    _adjust(s, target, fan, s.imply("heat"), auto_too=True)
    need = speech.choose(s.rng, "I'm freezing in here.", "Brr, I'm getting cold.", "It's chilly in the car.")
    ask = speech.choose(
        s.rng,
        f"Can you turn the heat up {warmer} from where it's set now and {fan_words}?",
        f"Warm it up {warmer} from the current setting, and {fan_words}.",
    )
    question = speech.choose(s.rng, "How cold is it outside, by the way?", "And what's the temperature outside?")
    return speech.sentence(speech.opening(s.rng), need, ask, question if outside else "")


@story(ENV, implicit=True, weight=1.4)
def stuffy_in_here(s: StoryContext) -> str:
    """It is too warm in the car: cooling a few degrees below the current setting, the fan as asked."""
    delta = s.rng.choice((2, 3, 4, 5))
    fan = s.rng.randrange(40, 101, 10)
    now = _climate(s)
    target = s.imply(float(now["currentACTemperature"]) - delta)
    cooler = s.detail("how much cooler", delta, _degrees(delta), vague="a few degrees")
    s.say(fan)
    result = _adjust(s, target, fan, s.imply("cool"), auto_too=True)
    ask_humidity = s.rng.random() < 0.5
    if ask_humidity:
        s.fact(result["humidityLevel"])
    need = speech.choose(
        s.rng, "It's really stuffy in here.", "I'm roasting in this car.", "It's way too warm in here."
    )
    ask = speech.choose(
        s.rng,
        f"Cool it down {cooler} from what it's set to and put the fan on {fan}.",
        f"Bring the temperature down {cooler} below the current setting, fan at {fan}.",
    )
    question = speech.choose(s.rng, "How humid is it in the cabin?", "What's the humidity in here?")
    return speech.sentence(speech.opening(s.rng), need, ask, question if ask_humidity else "")


@story(ENV, implicit=True, weight=1.4)
def windshield_fogging_up(s: StoryContext) -> str:
    """The windshield fogs up: defrost at the current temperature, the fan as asked, maybe lights for the fog."""
    fan = s.rng.choice((60, 70, 80, 90, 100))
    lights = s.rng.random() < 0.4
    now = _climate(s)
    fan_words = "as high as it goes" if fan == 100 else f"up to {fan}"
    s.say(fan, fan_words)  # "as high as it goes" is the top of the documented 0-100 range
    _adjust(s, float(now["currentACTemperature"]), fan, s.imply("defrost"), auto_too=False)
    if lights:
        s.call("setHeadlights", mode=s.imply("on"))
    need = speech.choose(
        s.rng,
        "The windshield is fogging up and I can barely see.",
        "My windshield keeps misting over.",
        "I can't see through the front window, it's all fogged up.",
    )
    ask = speech.choose(
        s.rng,
        f"Clear it with the fan {fan_words}, but keep the temperature where it is.",
        f"Get the fan {fan_words} to clear it; don't change the temperature.",
    )
    return speech.sentence(
        speech.opening(s.rng), need, ask, "It's foggy outside too, so I need my lights on." if lights else ""
    )


@story(ENV)
def set_the_climate(s: StoryContext) -> str:
    """The driver sets the climate exactly (often in Fahrenheit) and asks what the display reads."""
    fahrenheit = s.rng.random() < 0.6
    temperature = float(s.rng.randint(64, 78) if fahrenheit else s.rng.randint(18, 26))
    fan = s.rng.randrange(20, 91, 10)
    mode = s.rng.choice(("auto", "cool", "heat"))
    unit = "fahrenheit" if fahrenheit else "celsius"
    degrees = s.detail("temperature", temperature, f"{temperature:g} degrees", vague="a comfortable temperature")
    s.imply(unit)
    s.say(fan)
    s.say(mode)
    s.call("adjustClimateControl", temperature=temperature, unit=unit, fanSpeed=fan, mode=mode)
    shown = _climate(s)
    if fahrenheit:
        s.fact(shown["currentACTemperature"])
        question = "What does that come to in Celsius on the car's display?"
    else:
        s.fact(shown["humidityLevel"])
        question = "What's the humidity reading in here?"
    unit_words = " Fahrenheit" if fahrenheit else " Celsius"
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Set the climate to {degrees}{unit_words} on {mode}, fan at {fan}.",
            f"Put the air on {mode} at {degrees}{unit_words} with the fan at {fan}, please.",
        ),
        question,
    )


# -- tyres and checks ----------------------------------------------------------------------------------------
def _lowest_tire(tires: dict[str, Any]) -> tuple[str, float]:
    """The tyre reading lowest; stories using it require a single lowest tyre."""
    readings = [(tires[key], name) for key, name in _TIRES]
    low = min(readings)
    return low[1], low[0]


@story(ENV, implicit=True)
def tyres_need_a_look(s: StoryContext) -> str:
    """The tyre light is on, or a long drive is coming: which tyre is lowest and how low, then the nearest
    tyre shop (perhaps the route there) or, before a trip, whether the doors are locked."""
    situation = s.rng.choice(("warning", "warning", "trip"))
    navigate = situation == "warning" and s.rng.random() < 0.3
    if situation == "trip":
        s.call("displayCarStatus", option=s.imply("doors"))
    tires = s.call("check_tire_pressure")
    name, pressure = _lowest_tire(tires)
    if sum(tires[key] == pressure for key, _ in _TIRES) > 1:
        s.reject("no single lowest tyre")
    s.fact(name, derived=True)
    s.fact(pressure)
    if situation == "trip":
        need = speech.choose(
            s.rng,
            "We're leaving on a long road trip tomorrow morning.",
            "Before I leave the car overnight and head off on a trip tomorrow, I want to be sure it's ready.",
            "I've got a six-hour drive ahead of me.",
        )
        ask = speech.choose(
            s.rng,
            "Make sure every door is locked and check the tires. Which tire is lowest, and what's its pressure?",
            "Are all the doors locked, and how are the tires? Tell me which one is lowest and its reading.",
        )
        return speech.sentence(speech.opening(s.rng), need, ask)
    shop = s.call("find_nearest_tire_shop")["shopLocation"]
    if navigate:
        s.call("set_navigation", destination=shop)
    else:
        s.fact(shop)
    need = speech.choose(
        s.rng,
        "The tire pressure warning just came on.",
        "I think one of my tires is going soft.",
        "The car feels like it's pulling to one side.",
    )
    ask = speech.choose(s.rng, "Which tire is lowest and what's it reading?", "Which one is low, and at what pressure?")
    shop_ask = (
        speech.choose(s.rng, "Then take me to the closest tire shop.", "And navigate me to the nearest tire shop.")
        if navigate
        else speech.choose(s.rng, "Where's the nearest tire shop?", "Is there a tire shop close by?")
    )
    return speech.sentence(speech.opening(s.rng), need, ask, shop_ask)


# -- trips, range and fuel ------------------------------------------------------------------------------------
@story(ENV, weight=1.8)
def will_my_gas_get_me_there(s: StoryContext) -> str:
    """A planned drive between two towns: how far it is, how far the tank goes, whether it is enough."""
    pair = s.pick(
        "SELECT a.city AS from_city, b.city AS to_city, d.distance FROM city_distances d "
        "JOIN cities a ON a.zipcode = d.cityA JOIN cities b ON b.zipcode = d.cityB ORDER BY a.city, b.city"
    )
    origin, destination = (
        (pair["from_city"], pair["to_city"]) if s.rng.random() < 0.5 else (pair["to_city"], pair["from_city"])
    )
    here, there = _zipcode(s, origin), _zipcode(s, destination)
    km = s.call("estimate_distance", cityA=here, cityB=there)["distance"]
    fuel = s.call("displayCarStatus", option=s.imply("fuel"))["fuelLevel"]
    miles = s.imply(round(km / KM_PER_MILE, 1))
    s.call("estimate_drive_feasibility_by_mileage", distance=miles)
    s.fact(km)
    s.fact(fuel * VEHICLE_MILES_PER_GALLON, derived=True)
    s.context(origin, destination)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'm driving from {origin} to {destination} this weekend.",
            f"Next week I have to get from {origin} to {destination}.",
        ),
        speech.choose(
            s.rng,
            "How far is it, and how many miles will the gas in the tank get me? Will I make it without filling up?",
            "What's the distance, how far can I go on what's in the tank, and can I do it without stopping for gas?",
        ),
    )


@story(ENV, weight=1.3)
def two_stop_trip(s: StoryContext) -> str:
    """A drive with a stop on the way: both legs and the total (the driver is in the car's town)."""
    here = _here(s)
    stop = s.rng.choice(_neighbours(s, here["zipcode"]) or s.reject("no towns nearby"))
    onward = [t for t in _neighbours(s, stop["zipcode"]) if t["zipcode"] != here["zipcode"]]
    end = s.rng.choice(onward or s.reject("nothing beyond the stop"))
    start_zip = _zipcode(s, here["city"])
    stop_zip = _zipcode(s, stop["city"])
    end_zip = _zipcode(s, end["city"])
    first = s.call("estimate_distance", cityA=start_zip, cityB=stop_zip)["distance"]
    second = s.call("estimate_distance", cityA=stop_zip, cityB=end_zip)["distance"]
    s.fact(round(first + second, 1), derived=True)
    s.context(here["city"], stop["city"], end["city"], first, second)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'm in {here['city']} and need to pick up a friend in {stop['city']} before we drive on to "
            f"{end['city']}.",
            f"Today's plan: from {here['city']} to {stop['city']} for lunch, then on to {end['city']}.",
        ),
        speech.choose(
            s.rng,
            "How many kilometers is that in total?",
            "What's the total distance for the whole drive?",
        ),
    )


@story(ENV)
def fill_up(s: StoryContext) -> str:
    """Refuelling: to the brim, a number of gallons, or the liters the pump showed; then the new level."""
    kind = s.rng.choice(("brim", "gallons", "liters", "liters"))
    fuel = _car(s)["fuelLevel"]
    room = VEHICLE_MAX_FUEL_GALLONS - fuel
    if kind == "brim":
        s.call("displayCarStatus", option=s.imply("fuel"))
        amount = s.imply(room)
        s.call("fillFuelTank", fuelAmount=amount)
        s.fact(amount, derived=True)
        ask = speech.choose(s.rng, "Fill the tank all the way up.", "Top the tank off, please.", "Fill it up.")
        question = "How many gallons did it take?"
    elif kind == "gallons":
        gallons = float(s.rng.randint(2, int(room)))
        said = s.detail("fuel amount", gallons, speech.count(int(gallons), "gallon"), vague="some gas")
        level = s.call("fillFuelTank", fuelAmount=gallons)["fuelLevel"]
        s.fact(level)
        ask = speech.choose(s.rng, f"Put {said} of gas in the tank.", f"I'm adding {said} of fuel, log it in.")
        question = "How much is in the tank now?"
    else:
        liters = float(s.rng.randint(8, int(room * LITERS_PER_GALLON)))
        said = s.detail("fuel amount", liters, f"{liters:g} liters", vague="some gas")
        gallons = s.call("liter_to_gallon", liter=liters)["gallon"]
        level = s.call("fillFuelTank", fuelAmount=gallons)["fuelLevel"]
        # Dividing by the liters in a gallon is the same conversion, to the last digit or so.
        s.accept_also([("fillFuelTank", {"fuelAmount": liters / LITERS_PER_GALLON})])
        s.accept_also([("fillFuelTank", {"fuelAmount": round(liters * GALLONS_PER_LITER, 2)})])
        s.fact(level)
        ask = speech.choose(
            s.rng,
            f"The pump says I put in {said}; add that to the tank.",
            f"I just filled up with {said} of gas, please add it.",
        )
        question = "How many gallons are in the tank now?"
    return speech.sentence(speech.opening(s.rng), ask, question)


@story(ENV, weight=1.2)
def which_town_is_closer(s: StoryContext) -> str:
    """Two towns to choose from: which is nearer to where the driver is, and by how much."""
    here = _here(s)
    towns = _neighbours(s, here["zipcode"])
    if len(towns) < 2:
        s.reject("fewer than two towns nearby")
    one, two = s.rng.sample(towns, 2)
    if one["distance"] == two["distance"]:
        s.reject("equally far")
    start_zip = _zipcode(s, here["city"])
    km = {}
    for town in (one, two):
        km[town["city"]] = s.call("estimate_distance", cityA=start_zip, cityB=_zipcode(s, town["city"]))["distance"]
    nearer = min(km, key=lambda c: km[c])
    s.fact(km[nearer])
    s.fact(round(abs(km[one["city"]] - km[two["city"]]), 1), derived=True)
    s.context(here["city"], one["city"], two["city"])
    errand = speech.choose(
        s.rng,
        f"There's a farmers market in both {one['city']} and {two['city']} today.",
        f"I can get my car serviced in {one['city']} or in {two['city']}.",
        f"My sister lives in {one['city']} and my brother in {two['city']}; I'll visit whoever is closer.",
    )
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm in {here['city']}.",
        errand,
        speech.choose(
            s.rng,
            "Which one is closer, how far is it, and how many kilometers would I save compared with the other?",
            "Which is nearer to me and by how many kilometers? How far away is it?",
        ),
    )


@story(ENV, weight=1.3)
def there_and_back_on_one_tank(s: StoryContext) -> str:
    """A day trip there and back: the round-trip distance against how far the tank goes."""
    pair = s.pick(
        "SELECT a.city AS from_city, b.city AS to_city, d.distance FROM city_distances d "
        "JOIN cities a ON a.zipcode = d.cityA JOIN cities b ON b.zipcode = d.cityB ORDER BY a.city, b.city"
    )
    origin, destination = (
        (pair["from_city"], pair["to_city"]) if s.rng.random() < 0.5 else (pair["to_city"], pair["from_city"])
    )
    km = s.call("estimate_distance", cityA=_zipcode(s, origin), cityB=_zipcode(s, destination))["distance"]
    fuel = s.call("displayCarStatus", option=s.imply("fuel"))["fuelLevel"]
    s.fact(round(2 * km, 1), derived=True)
    s.fact(fuel * VEHICLE_MILES_PER_GALLON, derived=True)
    s.context(origin, destination, km)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I want to drive from {origin} to {destination} and back in a day.",
            f"Thinking of a day trip: {origin} to {destination} and home again.",
        ),
        speech.choose(
            s.rng,
            "How many kilometers is the round trip, and how many miles can I drive on the fuel I have?",
            "What's the total distance there and back, and what's my range on the current tank in miles?",
        ),
    )


@story(ENV)
def fuel_questions(s: StoryContext) -> str:
    """Fuel questions: a spare can in liters against the room in the tank, or what the tank holds (in liters
    or gallons), how far it goes, and perhaps the battery."""
    if s.rng.random() < 0.7:
        liters = float(s.rng.randint(5, 60))
        said = s.detail("can size", liters, f"{liters:g}-liter", vague="spare")
        gallons = s.call("liter_to_gallon", liter=liters)["gallon"]
        fuel = s.call("displayCarStatus", option=s.imply("fuel"))["fuelLevel"]
        s.fact(gallons)
        s.fact(round(VEHICLE_MAX_FUEL_GALLONS - fuel, 1), derived=True)
        return speech.sentence(
            speech.opening(s.rng),
            speech.choose(
                s.rng, f"I've got a {said} can of gas in the trunk.", f"My neighbor lent me a {said} fuel can."
            ),
            speech.choose(
                s.rng,
                "How many gallons is that, and how many gallons of room is left in my tank?",
                "What's that in gallons, and how much more can the tank take right now, in gallons?",
            ),
        )
    in_liters = s.rng.random() < 0.6
    battery = s.rng.random() < 0.4
    fuel = s.call("displayCarStatus", option=s.imply("fuel"))["fuelLevel"]
    if in_liters:
        s.fact(s.call("gallon_to_liter", gallon=fuel)["liter"])
    else:
        s.fact(fuel)
    s.fact(fuel * VEHICLE_MILES_PER_GALLON, derived=True)
    if battery:
        s.fact(s.call("displayCarStatus", option=s.imply("battery"))["batteryVoltage"])
    amount = "How many liters of gas are left" if in_liters else "How much gas do I have"
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng, f"{amount}, and how many miles will that get me?", f"{amount} and how far can I drive on it?"
        ),
        speech.choose(s.rng, "And what's the battery voltage?", "Also, how's the battery voltage?") if battery else "",
    )


# -- where to ----------------------------------------------------------------------------------------------
@story(ENV, weight=1.2)
def navigate_to_an_address(s: StoryContext) -> str:
    """The driver sets the route to an address in a nearby town and asks how far that town is."""
    here = _here(s)
    town = s.rng.choice(_neighbours(s, here["zipcode"]) or s.reject("no towns nearby"))
    address = _address(s, town["city"])
    s.detail("destination", address, address, vague="my friend's place")
    s.call("set_navigation", destination=address)
    start_zip = _zipcode(s, here["city"])
    end_zip = _zipcode(s, town["city"])
    km = s.call("estimate_distance", cityA=start_zip, cityB=end_zip)["distance"]
    s.fact(km)
    s.context(here["city"], town["city"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Navigate to {address}.",
            f"Take me to {address}, please.",
            f"Set the GPS for {address}.",
        ),
        speech.choose(
            s.rng,
            f"How far is {town['city']} from {here['city']}, where I am now?",
            f"I'm in {here['city']} right now; how many kilometers is it to {town['city']}?",
        ),
    )


_DOORS = (
    (("passenger",), "the passenger door", "My friend is getting in up front."),
    (("rear_left", "rear_right"), "the back doors", "I'm picking the kids up from school."),
    (("rear_left",), "the rear left door", "My mom is getting in behind me."),
    (("rear_right",), "the rear right door", "Someone's getting in the back on the right."),
    (("driver",), "my door", "I'm standing outside the car."),
    (("driver", "passenger", "rear_left", "rear_right"), "all the doors", "We're loading the car for a trip."),
    (("passenger", "rear_right"), "the passenger door and the one behind it", "A couple of friends are getting in."),
)


@story(ENV)
def let_someone_in(s: StoryContext) -> str:
    """The driver unlocks the doors someone needs (and may check the rest stayed locked)."""
    doors, words, why = s.rng.choice(_DOORS)
    for door in doors:
        s.imply(door)
    s.call("lockDoors", unlock=True, door=list(doors))
    check = len(doors) < 4 and s.rng.random() < 0.5
    if check:
        status = s.call("displayCarStatus", option=s.imply("doors"))["doorStatus"]
        s.fact(speech.number(sum(v == "locked" for v in status.values())), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        why,
        speech.choose(s.rng, f"Unlock {words}, please.", f"Can you unlock {words}?"),
        "How many doors are still locked after that?" if check else "",
    )
