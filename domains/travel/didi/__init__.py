"""DiDi ride hailing in Beijing, with the map helpers a rider's app uses: places, routes, fares and trips.

A rider's current position lives in the state. The map helpers find places around a location, reverse
geocode a point and plan a driving or walking route (great-circle distance times a road factor, at urban
or expressway speed). A fare estimate prices the route for every product (Express, Premier, Luxe, XL,
Taxi) from a start fee, a per-kilometre and a per-minute rate, with a minimum fare. Creating an order
dispatches the nearest free driver of that product within 5 km, or leaves it waiting for one. The order
then moves through requested → driver_assigned → arrived → in_progress → completed. As on DiDi: one
active order per rider; cancelling is free before a driver is assigned and within 2 minutes of the
assignment, after that a fee is charged (more once the driver has arrived); a trip in progress, completed
or cancelled cannot be cancelled; completed trips can be rated once.

Coordinates are WGS-84 degrees; money is in fen (1/100 yuan); the simulated "now" is part of the state.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
