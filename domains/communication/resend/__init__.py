"""Resend: transactional email with verified domains, scheduled sends, batches, audiences and broadcasts.

Modeled on Resend's REST API (resend.com/docs/api-reference): POST /emails, POST /emails/batch, GET /emails and
GET /emails/{id}, PATCH /emails/{id} and POST /emails/{id}/cancel for scheduled emails; GET /domains,
GET /domains/{id}, POST /domains/{id}/verify; GET /api-keys; audiences, their contacts and broadcasts. The seeded
world is one team (Ledgerly, an invoicing app, on the free plan) with seven domains in every verification state
and four regions, six API keys, some 1,500 emails over a month with their last events, scheduled reminders and
announcements, four audiences with their contacts and the broadcasts sent to them.
"""

from __future__ import annotations

from . import seed, synthesis, tools
from .definition import env

__all__ = ["env", "seed", "synthesis", "tools"]
