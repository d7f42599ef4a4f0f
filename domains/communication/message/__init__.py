"""Workspace messaging, compatible with BFCL multi-turn's MessageAPI.

A colleague's assistant looks people up in the workspace directory, logs in, sends and unsends messages,
reviews and searches the device's sent-message log, reads messaging statistics and adds contacts. Tool
names, parameters and returned JSON follow BFCL's ``MessageAPI`` (package ``bfcl-eval``,
``bfcl_eval/eval_checker/multi_turn_eval/func_source_code/message_api.py``); ``scenario_io`` reads and
writes its ``initial_config``, so BFCL multi-turn tasks start here from their own initial state.

Mapping to BFCL:

* **Refusals.** Where BFCL returns ``{"error": msg}`` this service raises ``DomainError`` with the same
  message ("No user is currently logged in.", "Receiver ID 'USR009' not found.", ...). BFCL answers a login
  with an unknown id with ``login_status: false``; here that is a refusal ("User ID '...' not found.").
  Stricter than BFCL, on inputs its tasks never send: empty or over-long messages, empty search keywords
  and empty contact names are refused, and a refused ``add_contact`` does not use up a user id.
* **State.** BFCL's keys are columns: the directory (``user_map``, in order), the sent-message log
  (``inbox``, in order; BFCL's log is the device's outbox, shared by whoever logs in, so views cover all of
  it as BFCL's do), ``user_count``, ``message_count`` (messages ever sent: deleting one keeps it) and
  ``current_user``. Message ids come from BFCL's seeded stream (``random_seed``, the words used so far,
  ``generated_ids``), so a replay quotes the same ids as BFCL.

The seeded world: a company workspace of 320 colleagues (names, titles, teams), its owner signed in on their
device, and 420 messages the owner sent over the two months before 14 March 2025.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
