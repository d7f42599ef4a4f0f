"""Hong Kong franchised buses, modeled on the KMB and Citybus open-data APIs: routes, stops, ETAs.

As in the open data, a route has a number, a company, two directions ('O' outbound, 'I' inbound) and an
ordered list of stops; a stop has an id, an English name and coordinates. Instead of live GPS, each route
direction runs a timetable (first and last departure, peak and off-peak headways, minutes from the first
stop to each stop), so estimated arrivals follow deterministically from the simulated "now". Night routes
(N-prefixed) run after midnight only. Riders of the companion app keep favourite stops (at most 10) and
arrival alerts (at most 5 active, 1-30 minutes ahead, only for a route that calls at the stop).
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
