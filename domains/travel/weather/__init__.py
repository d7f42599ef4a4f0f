"""Weather: current conditions, forecasts, history and alerts, with each user's saved locations.

Modeled on public weather APIs (WeatherAPI.com / OpenWeather style): search a location, then ask for its
current conditions, a daily forecast (up to 10 days), the observed weather of a past day (up to 30 days
back) and active weather alerts. Users keep a list of saved locations with nicknames and alert settings.

The seeded world holds real cities with their coordinates, time zones and climates; daily weather is a
seeded random walk around each city's seasonal normals, laid out around the simulated now, so that the
current conditions, the forecast and the history are all consistent and reproducible.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
