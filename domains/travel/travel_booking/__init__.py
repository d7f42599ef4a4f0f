"""Corporate travel booking, compatible with BFCL multi-turn's TravelAPI.

A traveller signs in, keeps a wallet of credit cards, prices and books flights between airports, buys
trip insurance, pulls invoices, cancels bookings (refunded to the card) and sets a travel budget. Tool
names, parameters (with their order and defaults) and returned JSON follow BFCL's ``TravelAPI`` (package
``bfcl-eval``, ``bfcl_eval/eval_checker/multi_turn_eval/func_source_code/travel_booking.py``), and
``scenario_io`` reads and writes its ``initial_config`` (the dict BFCL's ``_load_scenario`` takes), so
BFCL multi-turn tasks start here from their own initial state and their ground-truth calls replay.

Mapping to BFCL:

* **Refusals.** Where BFCL returns ``{"error": msg}`` (or ``{"booking_status": False, "error": msg}``,
  ``{"cancel_status": False, ...}``, ``{"insurance_status": False, ...}``) or raises, this service raises
  ``DomainError`` with the same message ("Token expired", "Invalid access token", "Booking not found",
  "Insufficient funds", ...); the engine shows it as ``Error: msg`` and nothing changes. Successful
  results have BFCL's exact shape. Refusals are atomic, including the few places where BFCL would have
  changed part of its state before failing.
* **Generated values.** Access tokens, card ids, booking, transaction and insurance ids come from BFCL's
  own seeded stream (``random_seed``, default 141053, see :mod:`._bfcl_random`), so they equal the ids
  BFCL's ground truth quotes.
* **State.** The single signed-in account (token, names, budget), the card wallet and the booking record
  are BFCL's; unknown keys of cards and bookings in an ``initial_config`` are kept and dumped back. The
  lookups BFCL hard-codes (airports, route fares, exchange rates) are tables here, filled with BFCL's
  values when an ``initial_config`` is loaded (:mod:`._bfcl_reference`). Extra state BFCL does not have
  (purchased insurance policies, the app credentials and travel documents of the account holder, the
  clock, a seeded state's larger airport network) travels in ``initial_config["envfactory"]``, a key
  BFCL's loader ignores.
* **Stricter than BFCL**, on inputs BFCL's tasks never send: a card number can be registered once (BFCL
  compares it with card ids), ``grant_type`` must be one of its documented values, budgets and insurance
  costs cannot be negative, insurance needs enough balance on the card, and app credentials are checked
  when the account has them (BFCL's states never do). "Today" (for the traveller's age) is the service's
  clock, not the wall clock.

The seeded state (no ``initial_config``) is one account holder, signed in, with app credentials, travel
documents, 6-8 cards, ~45 past and upcoming bookings with insurance on some, ~100 airports (BFCL's plus
real ones) and over a thousand fares between them, and 22 USD exchange rates.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
