"""Maps: a Google Maps Platform style service for geocoding, places, routes and elevation.

Modeled on the public Google Maps Platform APIs (Geocoding, Places, Distance Matrix, Directions and
Elevation) plus the per-user features of the Maps app: saved-place lists and reviews. The seeded world
is fourteen US metro areas with hundreds of places (addresses, coordinates, types, ratings, opening
hours), an elevation grid per metro, users with saved lists and reviews.

Routes come from a deterministic model rather than a road graph: the great-circle distance stretched by
a per-mode detour factor, at per-mode speeds, with rush-hour traffic for driving when a departure time is
given. Transit runs only inside one metro area. That keeps every answer reproducible from the state.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
