"""Telecom: a mobile carrier's customer support, with the subscriber's phone on the other side (dual control).

Modeled on tau2-bench's telecom domain: the agent's console finds customers (by phone number, id, or name
and date of birth), reads lines, plans, bills and data usage, suspends and resumes lines, turns roaming on
and off, refuels data and sends payment requests; the subscriber holds their phone and its settings
(airplane mode, SIM, mobile data, roaming, Data Saver, Wi-Fi, paying a request), tools only the simulated
user runs. The seeded world is about 300 customers with one to three lines each on six plans, half a year of
bills (a few overdue), and one phone per line, about a third of the active ones with a setting that breaks
their service (airplane mode on, data off, roaming off abroad, Data Saver on, SIM not seated).
"""

from __future__ import annotations

from . import device_tools, dual_control, seed, synthesis, tools
from .definition import env

__all__ = ["device_tools", "dual_control", "env", "seed", "synthesis", "tools"]
