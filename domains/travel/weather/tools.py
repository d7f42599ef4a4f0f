"""The tools an agent calls (the API reference a model sees), with their typed views and helpers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import HISTORY_DAYS, MAX_FORECAST_DAYS, PLAN_LIMITS, Alert, DailyWeather, Location, SavedLocation, User
from .seed import (
    Alerts,
    AlertView,
    CurrentWeather,
    Forecast,
    HistoricalWeather,
    LocationView,
    SavedLocationDetails,
    SavedLocationsPage,
    SavedLocationView,
    Units,
    UserSettings,
    _current,
    _day,
    _find_saved,
    _local_now,
    _require_location,
    _require_user,
    _saved_view,
    _speed,
    _temp,
)

# -- tools ---------------------------------------------------------------------------------------------------


@env.read(intents=["find the weather location for {name}", "which places called {name} can I get weather for?"])
def search_location(ctx: ToolContext, name: str, country: str | None = None, limit: int = 10) -> list[LocationView]:
    """Search locations by city name (partial names work), optionally within a country. Several places can
    share a name (Portland, Oregon and Portland, Maine); the region and country tell them apart.

    Args:
        name: City name or the start of it, such as 'Spring' or 'Denver'; 'City, Region' also works.
        country: Only locations in this country, such as 'United States'.
        limit: Maximum number of results (1-20).
    """
    if not 1 <= limit <= 20:
        raise DomainError("limit must be between 1 and 20.")
    text = name.strip().lower()
    if len(text) < 2:
        raise DomainError("Type at least 2 characters of the location name.")
    city, _, region = (part.strip() for part in text.partition(","))
    sql = "SELECT * FROM locations WHERE lower(name) LIKE ?"
    params: list[Any] = [f"{city}%"]
    if region:
        sql += " AND (lower(region) LIKE ? OR lower(country) LIKE ?)"
        params += [f"{region}%", f"{region}%"]
    if country:
        sql += " AND lower(country) = ?"
        params.append(country.strip().lower())
    sql += " ORDER BY lower(name) = ? DESC, name, region LIMIT ?"
    params += [city, limit]
    return [
        {k: row[k] for k in ("location_id", "name", "region", "country", "lat", "lng", "timezone")}  # type: ignore[misc]
        for row in ctx.query(sql, params)
    ]


@env.read(
    intents=["what's the weather like in {location_id} right now?", "how hot is it in {location_id} in {units} units?"]
)
def get_current_weather(ctx: ToolContext, location_id: str, units: Units = "metric") -> CurrentWeather:
    """Current conditions at a location: temperature, feels-like, sky, humidity, wind, pressure, UV, visibility.

    Args:
        location_id: The location id from search_location, such as 'L0004'.
        units: metric (°C, km/h) or imperial (°F, mph).
    """
    return _current(ctx, _require_location(ctx, location_id), units)


@env.read(
    intents=[
        "what's the forecast for {location_id} for the next {days} days?",
        "will it rain in {location_id} this week?",
    ]
)
def get_forecast(ctx: ToolContext, location_id: str, days: int = 3, units: Units = "metric") -> Forecast:
    """Daily forecast starting today (local date at the location): high, low, sky, chance of rain, wind, sun times.

    Args:
        location_id: The location id from search_location.
        days: Number of days, 1 to 10.
        units: metric (°C, km/h) or imperial (°F, mph).
    """
    location = _require_location(ctx, location_id)
    if not 1 <= days <= MAX_FORECAST_DAYS:
        raise DomainError(f"Forecasts cover 1 to {MAX_FORECAST_DAYS} days; {days} was asked for.")
    today = _local_now(ctx, location).date()
    rows = ctx.query(
        "SELECT * FROM daily_weather WHERE location_id = ? AND date >= ? ORDER BY date LIMIT ?",
        (location_id, today.isoformat(), days),
    )
    return {
        "location_id": location_id,
        "name": location["name"],
        "units": units,
        "days": [_day(r, units) for r in rows],
    }


@env.read(
    intents=[
        "what was the weather in {location_id} on {date}?",
        "how much did it rain in {location_id} on {date}?",
    ]
)
def get_historical_weather(ctx: ToolContext, location_id: str, date: str, units: Units = "metric") -> HistoricalWeather:
    """Observed weather of one past day at a location (any of the last 30 days, local dates; not today).

    Args:
        location_id: The location id from search_location.
        date: The day, as YYYY-MM-DD.
        units: metric (°C, km/h) or imperial (°F, mph).
    """
    location = _require_location(ctx, location_id)
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise DomainError(f"'{date}' is not a date in the form YYYY-MM-DD.") from None
    today = _local_now(ctx, location).date()
    if day >= today:
        raise DomainError(
            f"{date} is not in the past at {location['name']} (today there is {today}); use get_forecast instead."
        )
    if (today - day).days > HISTORY_DAYS:
        raise DomainError(
            f"History is kept for the last {HISTORY_DAYS} days only (from {today - dt.timedelta(days=HISTORY_DAYS)})."
        )
    row = ctx.rows(DailyWeather).get(location_id, date)
    assert row is not None
    return {
        "location_id": location_id,
        "name": location["name"],
        "units": units,
        "date": date,
        "max_temp": _temp(row["max_c"], units),
        "min_temp": _temp(row["min_c"], units),
        "avg_temp": _temp(round((row["max_c"] + row["min_c"]) / 2, 1), units),
        "condition": row["condition"],
        "precip_mm": row["precip_mm"],
        "humidity": row["humidity"],
        "max_wind_speed": _speed(row["max_wind_kph"], units),
        "sunrise": row["sunrise"],
        "sunset": row["sunset"],
    }


@env.read(intents=["are there any weather warnings for {location_id}?", "is there a weather alert in {location_id}?"])
def get_alerts(ctx: ToolContext, location_id: str, include_expired: bool = False) -> Alerts:
    """Weather alerts (warnings, watches, advisories) issued for a location: the ones in effect now, and
    those announced to start later; expired ones too when asked.

    Args:
        location_id: The location id from search_location.
        include_expired: Also list alerts that have already expired.
    """
    location = _require_location(ctx, location_id)
    now = ctx.now.isoformat()
    views: list[AlertView] = []
    for row in ctx.rows(Alert).find({"location_id": location_id}, order_by="effective"):
        expired = row["expires"] <= now
        if expired and not include_expired:
            continue
        views.append(
            {
                "alert_id": row["alert_id"],
                "event": row["event"],
                "severity": row["severity"],
                "headline": row["headline"],
                "instruction": row["instruction"],
                "effective": row["effective"],
                "expires": row["expires"],
                "active": row["effective"] <= now < row["expires"],
            }
        )
    return {"location_id": location_id, "name": location["name"], "alerts": views}


@env.write(
    intents=[
        "save {location_id} to my locations as '{nickname}'; my username is {user_id}",
        "add {location_id} to my saved places (user {user_id})",
        "save {location_id} as '{nickname}' with weather alerts {alerts_enabled} (yes = on); I'm {user_id}",
    ]
)
def save_location(
    ctx: ToolContext, user_id: str, location_id: str, nickname: str | None = None, alerts_enabled: bool = False
) -> SavedLocationView:
    """Save a location to the user's list, with a nickname (default: the city name) and alert notifications.

    A location can be saved once per user, nicknames are unique per user, and the free plan holds 5 saved
    locations, the premium plan 15.

    Args:
        user_id: The user's username, such as 'jane.doe42'.
        location_id: The location to save.
        nickname: What to call it, such as 'Home' or 'Mom's house' (1-40 characters).
        alerts_enabled: Notify the user of weather alerts for this location.
    """
    user = _require_user(ctx, user_id)
    location = _require_location(ctx, location_id)
    name = (nickname if nickname is not None else location["name"]).strip()
    if not 1 <= len(name) <= 40:
        raise DomainError("A nickname must be 1 to 40 characters long.")
    saved = ctx.rows(SavedLocation)
    existing = saved.first({"user_id": user_id, "location_id": location_id})
    if existing is not None:
        raise DomainError(f"{location['name']}, {location['region']} is already saved as '{existing['nickname']}'.")
    clash = ctx.query(
        "SELECT 1 FROM saved_locations WHERE user_id = ? AND lower(nickname) = ?", (user_id, name.lower())
    )
    if clash:
        raise DomainError(f"You already have a saved location called '{name}'; choose another nickname.")
    limit = PLAN_LIMITS[user["plan"]]
    if saved.count({"user_id": user_id}) >= limit:
        raise DomainError(
            f"Your {user['plan']} plan allows {limit} saved locations and you have {limit}; remove one first."
        )
    row = saved.insert(
        saved_id=f"SV{ctx.new_id(8)}",
        user_id=user_id,
        location_id=location_id,
        nickname=name,
        alerts_enabled=alerts_enabled,
        saved_at=ctx.now.isoformat(),
    )
    return _saved_view(ctx, row)


@env.read(intents=["which locations have I saved? I'm {user_id}"])
def list_saved_locations(ctx: ToolContext, user_id: str) -> SavedLocationsPage:
    """List the user's saved locations, oldest first, with the plan's limit.

    Args:
        user_id: The user's username.
    """
    user = _require_user(ctx, user_id)
    rows = ctx.rows(SavedLocation).find({"user_id": user_id}, order_by=["saved_at", "saved_id"])
    return {
        "user_id": user_id,
        "plan": user["plan"],
        "limit": PLAN_LIMITS[user["plan"]],
        "total": len(rows),
        "saved_locations": [_saved_view(ctx, r) for r in rows],
    }


@env.read(intents=["what's the weather at my saved location '{nickname}'? I'm {user_id}"])
def get_saved_location(ctx: ToolContext, user_id: str, nickname: str) -> SavedLocationDetails:
    """One of the user's saved locations by nickname, with its current weather in the user's preferred units
    and the number of alerts in effect.

    Args:
        user_id: The user's username.
        nickname: The saved location's nickname, such as 'Home' (not case-sensitive).
    """
    user = _require_user(ctx, user_id)
    saved = _find_saved(ctx, user_id, nickname)
    location = ctx.rows(Location).get(saved["location_id"])
    assert location is not None
    now = ctx.now.isoformat()
    active = ctx.query(
        "SELECT COUNT(*) AS n FROM alerts WHERE location_id = ? AND effective <= ? AND expires > ?",
        (saved["location_id"], now, now),
    )[0]["n"]
    return {
        "saved": _saved_view(ctx, saved),
        "current": _current(ctx, location, user["units"]),
        "active_alerts": active,
    }


@env.write(intents=["remove '{nickname}' from my saved locations; I'm {user_id}"])
def remove_saved_location(ctx: ToolContext, user_id: str, nickname: str) -> SavedLocationView:
    """Remove one of the user's saved locations, by nickname.

    Args:
        user_id: The user's username.
        nickname: The saved location's nickname (not case-sensitive).
    """
    _require_user(ctx, user_id)
    saved = _find_saved(ctx, user_id, nickname)
    view = _saved_view(ctx, saved)
    ctx.rows(SavedLocation).delete(saved["saved_id"])
    return view


@env.write(
    intents=[
        "rename my saved location '{nickname}' to '{new_nickname}'; I'm {user_id}",
        "set weather alerts for my saved location '{nickname}' to {alerts_enabled} (yes = on, no = off); I'm {user_id}",
    ]
)
def update_saved_location(
    ctx: ToolContext,
    user_id: str,
    nickname: str,
    new_nickname: str | None = None,
    alerts_enabled: bool | None = None,
) -> SavedLocationView:
    """Rename a saved location and/or switch its alert notifications on or off.

    Args:
        user_id: The user's username.
        nickname: The saved location's current nickname.
        new_nickname: The new nickname (1-40 characters, unique among the user's saved locations).
        alerts_enabled: True to be notified of weather alerts there, False to stop.
    """
    _require_user(ctx, user_id)
    saved = _find_saved(ctx, user_id, nickname)
    if new_nickname is None and alerts_enabled is None:
        raise DomainError("Nothing to change: give a new nickname or an alerts setting.")
    changes: dict[str, Any] = {}
    if new_nickname is not None:
        name = new_nickname.strip()
        if not 1 <= len(name) <= 40:
            raise DomainError("A nickname must be 1 to 40 characters long.")
        clash = ctx.query(
            "SELECT 1 FROM saved_locations WHERE user_id = ? AND lower(nickname) = ? AND saved_id != ?",
            (user_id, name.lower(), saved["saved_id"]),
        )
        if clash:
            raise DomainError(f"You already have a saved location called '{name}'.")
        changes["nickname"] = name
    if alerts_enabled is not None:
        changes["alerts_enabled"] = alerts_enabled
    if all(saved[k] == v for k, v in changes.items()):
        raise DomainError(f"'{saved['nickname']}' already has these settings.")
    ctx.rows(SavedLocation).update(saved["saved_id"], **changes)
    return _saved_view(ctx, {**saved, **changes})


@env.write(intents=["show temperatures in {units} units from now on; I'm {user_id}"])
def set_preferred_units(ctx: ToolContext, user_id: str, units: Units) -> UserSettings:
    """Set the units the user's saved-location weather is shown in.

    Args:
        user_id: The user's username.
        units: metric (°C, km/h) or imperial (°F, mph).
    """
    user = _require_user(ctx, user_id)
    if user["units"] == units:
        raise DomainError(f"Your units are already {units}.")
    ctx.rows(User).update(user_id, units=units)
    return {"user_id": user_id, "units": units, "plan": user["plan"]}
