"""Kuaidi100 express tracking: couriers, traces, tariffs, subscriptions, saved parcels and pickup orders.

Modeled on Kuaidi100's public API (the real-time trace query, courier auto-detection, tracking push
subscriptions, delivery-time and price estimates, and "send a parcel" pickup orders). The seeded world has
nine couriers (SF Express, ZTO, YTO, STO, Yunda, JD Logistics, EMS, J&T, Deppon), each with its tracking-number
format and a tariff per zone (first-weight price, per-kilogram rate, transit hours), 42 Chinese cities in
seven regions plus remote ones, about 500 parcels with trace histories (collected at the origin, through the
region hubs, out for delivery, signed for; some with delivery problems or returns), 150 users with saved
parcels and notes, tracking subscriptions and pickup orders. Money is in fen; the simulated "now" is part of
the state.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
