"""The seeded generator and its data tables."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Literal

from sqlalchemy import insert
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from envfactory_gym.authoring import SeedData, ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    HISTORY_DAYS,
    MAX_FORECAST_DAYS,
    PLAN_LIMITS,
    Alert,
    CurrentConditions,
    DailyWeather,
    Location,
    SavedLocation,
    ServiceClock,
    User,
)

# -- seed data ------------------------------------------------------------------------------------------------

NOW_UTC = dt.datetime(2024, 5, 15, 15, 0, 0)

# name, region, country, lat, lng, time zone, UTC offset in May, elevation (m), Jan mean °C, Jul mean °C,
# share of days with rain
CITIES: list[tuple[str, str, str, float, float, str, float, int, float, float, float]] = [
    ("New York", "New York", "United States", 40.71, -74.01, "America/New_York", -4, 10, 0.5, 25.3, 0.33),
    ("Boston", "Massachusetts", "United States", 42.36, -71.06, "America/New_York", -4, 43, -1.5, 23.2, 0.34),
    ("Chicago", "Illinois", "United States", 41.88, -87.63, "America/Chicago", -5, 181, -4.6, 23.3, 0.33),
    ("Denver", "Colorado", "United States", 39.74, -104.99, "America/Denver", -6, 1609, -0.8, 23.4, 0.24),
    ("Seattle", "Washington", "United States", 47.61, -122.33, "America/Los_Angeles", -7, 53, 5.2, 18.9, 0.42),
    ("San Francisco", "California", "United States", 37.77, -122.42, "America/Los_Angeles", -7, 16, 10.6, 17.6, 0.2),
    ("Los Angeles", "California", "United States", 34.05, -118.24, "America/Los_Angeles", -7, 89, 14.2, 23.4, 0.1),
    ("Phoenix", "Arizona", "United States", 33.45, -112.07, "America/Phoenix", -7, 331, 13.8, 35.2, 0.1),
    ("Austin", "Texas", "United States", 30.27, -97.74, "America/Chicago", -5, 149, 11.1, 29.6, 0.22),
    ("Miami", "Florida", "United States", 25.76, -80.19, "America/New_York", -4, 2, 20.1, 29.1, 0.37),
    ("Atlanta", "Georgia", "United States", 33.75, -84.39, "America/New_York", -4, 320, 6.9, 27.0, 0.3),
    ("Nashville", "Tennessee", "United States", 36.16, -86.78, "America/Chicago", -5, 182, 3.9, 26.6, 0.32),
    ("Salt Lake City", "Utah", "United States", 40.76, -111.89, "America/Denver", -6, 1288, -1.3, 26.6, 0.24),
    ("Portland", "Oregon", "United States", 45.52, -122.68, "America/Los_Angeles", -7, 15, 4.9, 20.9, 0.42),
    ("Anchorage", "Alaska", "United States", 61.22, -149.9, "America/Anchorage", -8, 31, -8.5, 15.3, 0.3),
    ("Honolulu", "Hawaii", "United States", 21.31, -157.86, "Pacific/Honolulu", -10, 6, 23.1, 27.4, 0.25),
    ("Minneapolis", "Minnesota", "United States", 44.98, -93.27, "America/Chicago", -5, 264, -9.6, 23.2, 0.3),
    ("New Orleans", "Louisiana", "United States", 29.95, -90.07, "America/Chicago", -5, 2, 11.8, 28.6, 0.3),
    ("Las Vegas", "Nevada", "United States", 36.17, -115.14, "America/Los_Angeles", -7, 610, 8.3, 33.5, 0.07),
    ("Washington", "District of Columbia", "United States", 38.91, -77.04, "America/New_York", -4, 22, 2.3, 26.6, 0.3),
    ("Philadelphia", "Pennsylvania", "United States", 39.95, -75.17, "America/New_York", -4, 12, 0.6, 25.9, 0.32),
    ("Dallas", "Texas", "United States", 32.78, -96.8, "America/Chicago", -5, 131, 8.1, 29.9, 0.22),
    ("Houston", "Texas", "United States", 29.76, -95.37, "America/Chicago", -5, 13, 11.7, 28.9, 0.3),
    ("San Diego", "California", "United States", 32.72, -117.16, "America/Los_Angeles", -7, 19, 14.2, 21.8, 0.12),
    ("Springfield", "Illinois", "United States", 39.8, -89.65, "America/Chicago", -5, 181, -2.9, 24.8, 0.3),
    ("Springfield", "Missouri", "United States", 37.21, -93.29, "America/Chicago", -5, 396, 0.7, 25.9, 0.3),
    ("Springfield", "Massachusetts", "United States", 42.1, -72.59, "America/New_York", -4, 21, -3.5, 22.8, 0.33),
    ("Portland", "Maine", "United States", 43.66, -70.26, "America/New_York", -4, 19, -5.6, 20.7, 0.33),
    ("Jackson", "Wyoming", "United States", 43.48, -110.76, "America/Denver", -6, 1901, -10.4, 16.5, 0.3),
    ("Flagstaff", "Arizona", "United States", 35.2, -111.65, "America/Phoenix", -7, 2106, -1.4, 19.6, 0.2),
    ("Toronto", "Ontario", "Canada", 43.65, -79.38, "America/Toronto", -4, 76, -5.5, 22.3, 0.34),
    ("Vancouver", "British Columbia", "Canada", 49.28, -123.12, "America/Vancouver", -7, 70, 3.6, 18.0, 0.45),
    ("Montreal", "Quebec", "Canada", 45.5, -73.57, "America/Toronto", -4, 36, -9.7, 21.2, 0.36),
    ("Mexico City", "Mexico City", "Mexico", 19.43, -99.13, "America/Mexico_City", -6, 2240, 14.0, 17.5, 0.35),
    ("Cancun", "Quintana Roo", "Mexico", 21.16, -86.85, "America/Cancun", -5, 10, 23.9, 28.5, 0.3),
    ("London", "City of London", "United Kingdom", 51.51, -0.13, "Europe/London", 1, 11, 5.2, 18.7, 0.45),
    ("Edinburgh", "Scotland", "United Kingdom", 55.95, -3.19, "Europe/London", 1, 47, 3.9, 15.2, 0.5),
    ("Paris", "Ile-de-France", "France", 48.86, 2.35, "Europe/Paris", 2, 35, 5.0, 20.5, 0.4),
    ("Nice", "Provence-Alpes-Cote d'Azur", "France", 43.7, 7.27, "Europe/Paris", 2, 10, 9.1, 23.4, 0.2),
    ("Berlin", "Berlin", "Germany", 52.52, 13.4, "Europe/Berlin", 2, 34, 0.6, 19.6, 0.35),
    ("Munich", "Bavaria", "Germany", 48.14, 11.58, "Europe/Berlin", 2, 519, -0.5, 19.2, 0.4),
    ("Madrid", "Madrid", "Spain", 40.42, -3.7, "Europe/Madrid", 2, 667, 6.3, 25.6, 0.17),
    ("Barcelona", "Catalonia", "Spain", 41.39, 2.17, "Europe/Madrid", 2, 12, 9.7, 24.8, 0.17),
    ("Rome", "Lazio", "Italy", 41.9, 12.5, "Europe/Rome", 2, 21, 7.5, 24.7, 0.2),
    ("Amsterdam", "North Holland", "Netherlands", 52.37, 4.9, "Europe/Amsterdam", 2, 0, 3.6, 17.8, 0.45),
    ("Reykjavik", "Capital Region", "Iceland", 64.15, -21.94, "Atlantic/Reykjavik", 0, 30, -0.5, 11.2, 0.5),
    ("Oslo", "Oslo", "Norway", 59.91, 10.75, "Europe/Oslo", 2, 23, -2.9, 17.0, 0.35),
    ("Athens", "Attica", "Greece", 37.98, 23.73, "Europe/Athens", 3, 70, 10.2, 28.6, 0.14),
    ("Istanbul", "Istanbul", "Turkey", 41.01, 28.98, "Europe/Istanbul", 3, 39, 6.1, 24.6, 0.3),
    ("Cairo", "Cairo", "Egypt", 30.04, 31.24, "Africa/Cairo", 3, 23, 14.0, 28.5, 0.02),
    ("Nairobi", "Nairobi", "Kenya", -1.29, 36.82, "Africa/Nairobi", 3, 1795, 19.0, 16.2, 0.3),
    ("Cape Town", "Western Cape", "South Africa", -33.92, 18.42, "Africa/Johannesburg", 2, 25, 21.5, 12.5, 0.25),
    ("Dubai", "Dubai", "United Arab Emirates", 25.2, 55.27, "Asia/Dubai", 4, 16, 19.0, 35.5, 0.02),
    ("Mumbai", "Maharashtra", "India", 19.08, 72.88, "Asia/Kolkata", 5.5, 14, 24.0, 27.5, 0.3),
    ("Delhi", "Delhi", "India", 28.61, 77.21, "Asia/Kolkata", 5.5, 216, 14.3, 31.5, 0.15),
    ("Bangkok", "Bangkok", "Thailand", 13.76, 100.5, "Asia/Bangkok", 7, 2, 27.0, 28.9, 0.35),
    ("Singapore", "Singapore", "Singapore", 1.35, 103.82, "Asia/Singapore", 8, 15, 26.5, 27.9, 0.45),
    ("Hong Kong", "Hong Kong", "China", 22.32, 114.17, "Asia/Hong_Kong", 8, 32, 16.3, 28.9, 0.35),
    ("Beijing", "Beijing", "China", 39.9, 116.41, "Asia/Shanghai", 8, 44, -3.1, 27.1, 0.18),
    ("Tokyo", "Tokyo", "Japan", 35.68, 139.69, "Asia/Tokyo", 9, 40, 5.4, 26.4, 0.32),
    ("Sapporo", "Hokkaido", "Japan", 43.06, 141.35, "Asia/Tokyo", 9, 29, -3.2, 22.3, 0.45),
    ("Seoul", "Seoul", "South Korea", 37.57, 126.98, "Asia/Seoul", 9, 38, -2.0, 25.7, 0.28),
    ("Sydney", "New South Wales", "Australia", -33.87, 151.21, "Australia/Sydney", 10, 58, 23.5, 13.0, 0.33),
    ("Melbourne", "Victoria", "Australia", -37.81, 144.96, "Australia/Melbourne", 10, 31, 21.0, 10.5, 0.38),
    ("Auckland", "Auckland", "New Zealand", -36.85, 174.76, "Pacific/Auckland", 12, 196, 19.8, 11.0, 0.45),
    ("Rio de Janeiro", "Rio de Janeiro", "Brazil", -22.91, -43.17, "America/Sao_Paulo", -3, 5, 26.5, 21.3, 0.3),
    (
        "Buenos Aires",
        "Buenos Aires",
        "Argentina",
        -34.6,
        -58.38,
        "America/Argentina/Buenos_Aires",
        -3,
        25,
        24.5,
        11.0,
        0.25,
    ),
    ("Lima", "Lima", "Peru", -12.05, -77.04, "America/Lima", -5, 154, 22.7, 16.9, 0.05),
    ("Bogota", "Bogota", "Colombia", 4.71, -74.07, "America/Bogota", -5, 2640, 13.5, 13.1, 0.45),
]

# event, severity, headline ({x} filled from the day's weather), instruction, when it can be issued
ALERT_TEMPLATES: list[tuple[str, str, str, str, str]] = [
    ("Heat Advisory", "Moderate", "Heat index values up to {x}°C expected", "Drink plenty of fluids.", "hot"),
    (
        "Excessive Heat Warning",
        "Severe",
        "Dangerously hot conditions with temperatures up to {x}°C",
        "Avoid strenuous activity outdoors during the afternoon.",
        "hot",
    ),
    ("Flood Watch", "Moderate", "Heavy rain may flood low-lying areas", "Do not drive through flooded roads.", "wet"),
    ("Flash Flood Warning", "Severe", "Flash flooding expected within hours", "Move to higher ground now.", "wet"),
    (
        "Severe Thunderstorm Warning",
        "Severe",
        "Thunderstorms with wind gusts up to {x} km/h and large hail",
        "Move to an interior room on the lowest floor.",
        "wet",
    ),
    ("Wind Advisory", "Minor", "Winds gusting to {x} km/h", "Secure outdoor objects and drive with care.", "any"),
    (
        "Air Quality Alert",
        "Minor",
        "Ozone levels unhealthy for sensitive groups",
        "Sensitive groups should limit time outdoors.",
        "dry",
    ),
    ("Frost Advisory", "Minor", "Temperatures as low as {x}°C will result in frost", "Protect tender plants.", "cold"),
    (
        "Winter Storm Warning",
        "Severe",
        "Heavy snow with total accumulations of {x} cm",
        "Travel could be very difficult; keep an emergency kit in your car.",
        "cold",
    ),
    (
        "Red Flag Warning",
        "Moderate",
        "Critical fire weather conditions from dry air and gusty winds",
        "Avoid outdoor burning.",
        "dry",
    ),
    ("Dense Fog Advisory", "Minor", "Visibility 400 m or less in dense fog", "Slow down and use low beams.", "any"),
]


def _alert_fits(kind: str, day: dict[str, Any]) -> bool:
    return {
        "hot": day["max_c"] >= 30,
        "cold": day["min_c"] <= 2,
        "wet": day["precip_mm"] >= 5,
        "dry": day["precip_mm"] == 0 and day["humidity"] < 45,
        "any": True,
    }[kind]


def _alert_value(kind: str, day: dict[str, Any], rng: Any) -> int:
    if kind == "hot":
        return round(day["max_c"] + rng.uniform(1, 4))
    if kind == "cold":
        return round(day["min_c"] - rng.uniform(0, 3)) if day["max_c"] > 1 else rng.randint(15, 40)
    return rng.randint(60, 100)


COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


def _seasonal_mean(jan: float, jul: float, day: dt.date) -> float:
    # Coldest around mid-January, warmest mid-July (reversed automatically south of the equator).
    phase = 2 * math.pi * (day.timetuple().tm_yday - 15) / 365.25
    return (jan + jul) / 2 - (jul - jan) / 2 * math.cos(phase)


def _daylight(lat: float, day: dt.date) -> tuple[str, str]:
    declination = 23.44 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 81) / 365)
    x = -math.tan(math.radians(lat)) * math.tan(math.radians(declination))
    hours = 24 * math.acos(max(-1.0, min(1.0, x))) / math.pi
    rise = 12.5 - hours / 2
    sett = 12.5 + hours / 2

    def fmt(h: float) -> str:
        minutes = round(h * 60) % (24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    return fmt(rise), fmt(sett)


@env.seed
def seed_weather(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW_UTC.isoformat()}])
    locations, daily, current, alerts = [], [], [], []
    for index, (name, region, country, lat, lng, tz, offset, elevation, jan, jul, wet) in enumerate(CITIES):
        location_id = f"L{index + 1:04d}"
        locations.append(
            {
                "location_id": location_id,
                "name": name,
                "region": region,
                "country": country,
                "lat": lat,
                "lng": lng,
                "timezone": tz,
                "utc_offset": offset,
                "elevation_m": elevation,
            }
        )
        local_now = NOW_UTC + dt.timedelta(hours=offset)
        today = local_now.date()
        anomaly = rng.gauss(0, 2.5)
        dryness = 1.0 - wet
        for delta in range(-HISTORY_DAYS, MAX_FORECAST_DAYS):
            day = today + dt.timedelta(days=delta)
            anomaly = 0.7 * anomaly + rng.gauss(0, 2.0)
            mean = _seasonal_mean(jan, jul, day) + anomaly
            spread = 5 + 7 * dryness + rng.uniform(-1.5, 1.5)
            rainy = rng.random() < wet * (1.25 if anomaly < 0 else 0.85)
            max_c = round(mean + spread / 2 - (1.5 if rainy else 0), 1)
            min_c = round(mean - spread / 2, 1)
            if rainy:
                precip = round(rng.expovariate(1 / 7.0), 1)
                if max_c < 1.5:
                    condition = "Snow" if precip > 3 else "Light snow"
                elif precip > 15:
                    condition = rng.choice(["Heavy rain", "Thunderstorms"])
                else:
                    condition = rng.choice(["Light rain", "Rain showers", "Moderate rain"])
                chance = rng.randint(60, 95)
            else:
                precip = 0.0
                condition = rng.choices(["Sunny", "Partly cloudy", "Cloudy", "Overcast"], [5, 4, 2, 1])[0]
                chance = rng.randint(0, 30)
            sunrise, sunset = _daylight(lat, day)
            daily.append(
                {
                    "location_id": location_id,
                    "date": day.isoformat(),
                    "max_c": max_c,
                    "min_c": min_c,
                    "condition": condition,
                    "precip_mm": precip,
                    "chance_of_rain": chance,
                    "humidity": max(8, min(100, round(35 + 50 * wet + (20 if rainy else 0) + rng.uniform(-10, 10)))),
                    "max_wind_kph": round(rng.uniform(6, 28) + (15 if condition == "Thunderstorms" else 0), 1),
                    "uv_index": max(1, min(11, round((max_c + 5) / 4 - (3 if rainy else 0)))),
                    "sunrise": sunrise,
                    "sunset": sunset,
                }
            )
            if delta == 0:
                hour = local_now.hour + local_now.minute / 60
                # Coolest near sunrise, warmest mid-afternoon.
                weight = max(0.0, math.sin(math.pi * (hour - 6) / 18)) if 6 <= hour <= 24 else 0.0
                temp = round(min_c + (max_c - min_c) * weight, 1)
                wind = round(rng.uniform(3, 25), 1)
                feels = round(temp - 0.12 * wind if temp < 12 else temp + (2.0 if daily[-1]["humidity"] > 70 else 0), 1)
                current.append(
                    {
                        "location_id": location_id,
                        "observed_at": local_now.isoformat(timespec="minutes"),
                        "temp_c": temp,
                        "feels_like_c": feels,
                        "condition": condition,
                        "humidity": daily[-1]["humidity"],
                        "wind_kph": wind,
                        "wind_dir": rng.choice(COMPASS),
                        "pressure_mb": rng.randint(1002, 1026) - (8 if rainy else 0),
                        "precip_mm": round(precip / 6, 1),
                        "uv_index": daily[-1]["uv_index"] if 7 <= hour <= 18 else 0,
                        "visibility_km": 6.0 if rainy else 10.0,
                    }
                )
        # Some cities have alerts that fit their weather: in effect now, expired, or starting later.
        days_here = {d["date"]: d for d in daily if d["location_id"] == location_id}
        for _ in range(rng.choices([0, 1, 2], [4, 3, 2])[0]):
            start = NOW_UTC + dt.timedelta(hours=rng.randint(-72, 24))
            day = days_here[(start + dt.timedelta(hours=offset)).date().isoformat()]
            fitting = [t for t in ALERT_TEMPLATES if _alert_fits(t[4], day)]
            event, severity, headline, instruction, kind = rng.choice(fitting)
            end = start + dt.timedelta(hours=rng.randint(6, 60))
            alerts.append(
                {
                    "alert_id": f"A{len(alerts) + 1:05d}",
                    "location_id": location_id,
                    "event": event,
                    "severity": severity,
                    "headline": headline.format(x=_alert_value(kind, day, rng)) + f" for {name}",
                    "instruction": instruction,
                    "effective": start.isoformat(),
                    "expires": end.isoformat(),
                }
            )
    db.execute(insert(Location), locations)
    db.execute(insert(DailyWeather), daily)
    db.execute(insert(CurrentConditions), current)
    db.execute(insert(Alert), alerts)

    users, saved = [], []
    seen: set[str] = set()
    while len(users) < 120:
        first, last = fake.first_name(), fake.last_name()
        user_id = f"{first.lower()}.{last.lower()}{rng.randint(10, 99)}"
        if user_id in seen:
            continue
        seen.add(user_id)
        plan = rng.choices(["free", "premium"], [3, 1])[0]
        users.append(
            {
                "user_id": user_id,
                "name": f"{first} {last}",
                "email": f"{user_id}@{fake.free_email_domain()}",
                "plan": plan,
                "units": rng.choice(["metric", "imperial"]),
            }
        )
        count = rng.randint(0, PLAN_LIMITS[plan])
        for position, location in enumerate(rng.sample(locations, count)):
            nickname = (
                ["Home", "Work", "Parents"][position] if position < 3 and rng.random() < 0.4 else location["name"]
            )
            if any(s["user_id"] == user_id and s["nickname"] == nickname for s in saved):
                nickname = f"{location['name']}, {location['region']}"
            saved.append(
                {
                    "saved_id": f"SV{len(saved) + 1:05d}",
                    "user_id": user_id,
                    "location_id": location["location_id"],
                    "nickname": nickname,
                    "alerts_enabled": rng.random() < 0.5,
                    "saved_at": (NOW_UTC - dt.timedelta(days=rng.randint(1, 600))).isoformat(),
                }
            )
    db.execute(insert(User), users)
    db.execute(insert(SavedLocation), saved)


# -- helpers and output shapes ---------------------------------------------------------------------------------

Units = Literal["metric", "imperial"]


def _temp(value: float, units: str) -> float:
    return round(value * 9 / 5 + 32, 1) if units == "imperial" else value


def _speed(value: float, units: str) -> float:
    return round(value / 1.609344, 1) if units == "imperial" else value


def _require_location(ctx: ToolContext, location_id: str) -> dict[str, Any]:
    return ctx.rows(Location).require(
        location_id, missing=f"Location '{location_id}' was not found; use search_location to find its id."
    )


def _require_user(ctx: ToolContext, user_id: str) -> dict[str, Any]:
    return ctx.rows(User).require(user_id, missing=f"There is no user '{user_id}'.")


def _local_now(ctx: ToolContext, location: dict[str, Any]) -> dt.datetime:
    return ctx.now + dt.timedelta(hours=location["utc_offset"])


class LocationView(TypedDict):
    location_id: str
    name: str
    region: str
    country: str
    lat: float
    lng: float
    timezone: str


class CurrentWeather(TypedDict):
    location_id: str
    name: str
    region: str
    country: str
    local_time: str
    units: str
    temp: float
    feels_like: float
    condition: str
    humidity: int
    wind_speed: float
    wind_dir: str
    pressure_mb: int
    precip_mm: float
    uv_index: int
    visibility_km: float


class DayForecast(TypedDict):
    date: str
    max_temp: float
    min_temp: float
    condition: str
    chance_of_rain: int
    precip_mm: float
    humidity: int
    max_wind_speed: float
    uv_index: int
    sunrise: str
    sunset: str


class Forecast(TypedDict):
    location_id: str
    name: str
    units: str
    days: list[DayForecast]


class HistoricalWeather(TypedDict):
    location_id: str
    name: str
    units: str
    date: str
    max_temp: float
    min_temp: float
    avg_temp: float
    condition: str
    precip_mm: float
    humidity: int
    max_wind_speed: float
    sunrise: str
    sunset: str


class AlertView(TypedDict):
    alert_id: str
    event: str
    severity: str
    headline: str
    instruction: str
    effective: str
    expires: str
    active: bool


class Alerts(TypedDict):
    location_id: str
    name: str
    alerts: list[AlertView]


class SavedLocationView(TypedDict):
    saved_id: str
    nickname: str
    location_id: str
    name: str
    region: str
    country: str
    alerts_enabled: bool
    saved_at: str


class SavedLocationsPage(TypedDict):
    user_id: str
    plan: str
    limit: int
    total: int
    saved_locations: list[SavedLocationView]


class SavedLocationDetails(TypedDict):
    saved: SavedLocationView
    current: CurrentWeather
    active_alerts: int


class UserSettings(TypedDict):
    user_id: str
    units: str
    plan: str


def _day(row: dict[str, Any], units: str) -> DayForecast:
    return {
        "date": row["date"],
        "max_temp": _temp(row["max_c"], units),
        "min_temp": _temp(row["min_c"], units),
        "condition": row["condition"],
        "chance_of_rain": row["chance_of_rain"],
        "precip_mm": row["precip_mm"],
        "humidity": row["humidity"],
        "max_wind_speed": _speed(row["max_wind_kph"], units),
        "uv_index": row["uv_index"],
        "sunrise": row["sunrise"],
        "sunset": row["sunset"],
    }


def _current(ctx: ToolContext, location: dict[str, Any], units: str) -> CurrentWeather:
    row = ctx.rows(CurrentConditions).get(location["location_id"])
    assert row is not None
    return {
        "location_id": location["location_id"],
        "name": location["name"],
        "region": location["region"],
        "country": location["country"],
        "local_time": _local_now(ctx, location).isoformat(timespec="minutes"),
        "units": units,
        "temp": _temp(row["temp_c"], units),
        "feels_like": _temp(row["feels_like_c"], units),
        "condition": row["condition"],
        "humidity": row["humidity"],
        "wind_speed": _speed(row["wind_kph"], units),
        "wind_dir": row["wind_dir"],
        "pressure_mb": row["pressure_mb"],
        "precip_mm": row["precip_mm"],
        "uv_index": row["uv_index"],
        "visibility_km": row["visibility_km"],
    }


def _saved_view(ctx: ToolContext, saved: dict[str, Any]) -> SavedLocationView:
    location = ctx.rows(Location).get(saved["location_id"])
    assert location is not None
    return {
        "saved_id": saved["saved_id"],
        "nickname": saved["nickname"],
        "location_id": saved["location_id"],
        "name": location["name"],
        "region": location["region"],
        "country": location["country"],
        "alerts_enabled": saved["alerts_enabled"],
        "saved_at": saved["saved_at"],
    }


def _find_saved(ctx: ToolContext, user_id: str, nickname: str) -> dict[str, Any]:
    rows = ctx.query(
        "SELECT saved_id FROM saved_locations WHERE user_id = ? AND lower(nickname) = ?",
        (user_id, nickname.strip().lower()),
    )
    if not rows:
        names = [r["nickname"] for r in ctx.rows(SavedLocation).find({"user_id": user_id}, order_by="saved_at")]
        raise DomainError(
            f"You have no saved location called '{nickname}'. Your saved locations: {', '.join(names) or 'none'}."
        )
    return ctx.rows(SavedLocation).get(rows[0]["saved_id"])  # type: ignore[return-value]
