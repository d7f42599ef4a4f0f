"""China Railway ticketing, modeled on 12306: stations and telecodes, trains and timetables, tickets and orders.

Stations carry their real telegraph codes (北京南 = VNP, 上海虹桥 = AOH). Trains are high-speed G trains,
D trains and conventional K trains running every day along real corridors (京沪, 京广, 沪昆, ...), with
stop times, distances and per-seat-class prices that follow the distance. A 12306 account keeps its
passengers; orders hold one ticket per passenger. As on 12306: searching from a station covers every
station of its city; tickets are sold for the next 15 days and until 30 minutes before departure; a child
ticket (half price) needs an adult in the same order; a passenger cannot hold two tickets on one train
and day; a ticket can be changed once (改签) before departure; refunds charge the 12306 fee tiers (free from
8 days before departure, 5% from 48 hours, 10% from 24 hours, 20% within 24 hours; rounded to half a
yuan, at least 2 yuan).

Prices are in fen (1/100 yuan); times are Beijing time; the simulated "now" is part of the seeded state.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
