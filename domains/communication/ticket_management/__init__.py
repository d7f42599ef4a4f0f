"""A company's internal support-ticket system, compatible with BFCL multi-turn's TicketAPI.

Staff sign in, file tickets with a priority, look tickets up, list their own (by status), edit a ticket's
title, description, status or priority, resolve it with a note and close it, and sign out. Tool names,
parameters (order and defaults) and returned JSON follow BFCL's ``TicketAPI`` (package ``bfcl-eval``,
``bfcl_eval/eval_checker/multi_turn_eval/func_source_code/ticket_api.py``); ``scenario_io`` reads and writes
its ``initial_config``, so BFCL multi-turn tasks start here from their own initial state.

Mapping to BFCL:

* **Refusals.** Where BFCL returns ``{"error": msg}`` this service raises ``DomainError`` with the same
  message ("Ticket with ID 7 not found.", "Ticket with ID 7 is already closed.", "User not authenticated.
  Please log in to create a ticket.", ...). Where BFCL answers ``{"success": false}`` (a sign-in without a
  password, a sign-out with nobody signed in) or a one-error list (``get_user_tickets`` signed out), this
  service refuses too. Stricter than BFCL, on inputs its tasks never send: an empty title, an edit with
  nothing to change or with a priority outside 1-5; and where the system has a staff directory (the
  seeded one has; BFCL's states have none) only its usernames sign in.
* **State.** BFCL's keys are columns: the queue (``ticket_queue``, in order), ``ticket_counter`` (the next
  id) and ``current_user``. BFCL's tickets are loose objects (some lack a title or priority, a few carry
  their own fields or a text id); each ticket keeps exactly the fields it was given.

The seeded world: 60 staff in eight teams, one of them signed in on their device, and 700 tickets filed
over the year before 14 March 2025, the older ones mostly resolved or closed.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
