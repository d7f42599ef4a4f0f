"""National parks: the US National Park Service's public data, with campsite reservations and permits.

Modeled on the NPS Data API (parks, alerts, campgrounds, visitor centers; camelCase names, ``parkCode``
and ``stateCode`` filters, ``limit``/``start`` paging, ``{"total", "limit", "start", "data"}`` pages) and
on Recreation.gov for what a visitor does next: check campsite availability, reserve a site, cancel it,
and request backcountry permits.

The seeded state holds the 63 US national parks under their 62 park codes (Sequoia and Kings Canyon share
one) with real names, states, coordinates and vehicle entrance fees; their activities, alerts, visitor
centers, and campgrounds with individual sites and seasons; visitors; and thousands of existing
reservations and permits that make availability a real constraint.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
