"""Airline customer service, compatible with tau2-bench's airline domain.

An agent helps the airline's members book, change and cancel reservations, add checked bags, fix
passenger details and issue travel certificates as compensation. Tool names, parameters and the JSON they
return follow tau2-bench's airline domain (``sierra-research/tau2-bench``, ``src/tau2/domains/airline``),
and :mod:`.airline_tau2` reads and writes its ``db.json``, so tau2 airline tasks run here unchanged.

Where tau2 leaves a rule of its policy to the agent, this service by default enforces it itself and refuses with a
message a person would understand: cancellation eligibility, no changes to flown or basic economy trips,
fixed origin/destination/trip type, the checked-bag allowance, payment-method limits. Seat inventory is
kept exact: booking takes seats, changes and cancellations give them back. The ``tau2`` fidelity mode
(:mod:`.fidelity`, ``fidelity="tau2"``) plays tau2's own behaviour instead: permissive tools, the policy in
the agent's prompt, tau2's ids and seat accounting.

The state is relational: users with their saved payment methods and passengers, membership tiers (which
carry the free-bag allowance), airports, flights and their daily instances (status, seats and fares per
cabin, actual or estimated times), and reservations with their flights, passengers and payment history.
All times are US Eastern wall-clock strings; the simulated "now" is 2024-05-15T15:00:00, as in tau2.
"""

from __future__ import annotations

from . import fidelity, seed, tools
from .definition import env

__all__ = ["env", "fidelity", "seed", "tools"]
