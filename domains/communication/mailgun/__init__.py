"""Mailgun transactional and marketing email (API v3), for the account of a small software company.

Modeled on Mailgun's public API: sending domains with the SPF, DKIM, MX and tracking records Mailgun asks
for (active or unverified; a sandbox domain that sends only to authorized recipients), messages sent
through a domain (recipients, tags, custom variables, templates, test mode, scheduled delivery, raw MIME),
the events log (accepted, delivered, failed permanently or temporarily with a reason, opened, clicked,
unsubscribed, complained), suppression lists (bounces, unsubscribes per tag, complaints, allowlist) that
drop recipients, mailing lists and their members, templates with versions, stats by event and resolution,
and email address validation. The seeded account (Brightlane Inc., plan Basic) has five domains, a month
of transactional mail (password resets, order mail, receipts) and weekly newsletters with about 3,500
events, their bounces, unsubscribes and complaints, three mailing lists and seven templates. Times are UTC;
the simulated "now" is part of the state.
"""

from __future__ import annotations

from . import seed, synthesis, tools
from .definition import env

__all__ = ["env", "seed", "synthesis", "tools"]
