"""The environment definition: id, description and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "resend",
    domain="communication",
    models=Base,
    modeled_on="ResendEmailService",
    description=(
        "Resend's email API for the Ledgerly team (an invoicing app), on the free plan: at most 100 emails per UTC "
        "day and 3,000 per calendar month, each recipient (to, cc and bcc) counting once; a send over the quota is "
        "refused (the 2-requests-per-second rate limit is not modeled). The from address ('Name <addr@domain>') "
        "must be on a domain whose status is verified; domains that are not_started, pending, failed or in "
        "temporary_failure cannot send until verified, and Resend's testing sender onboarding@resend.dev may send "
        "only to the team owner's own address. An email has to, cc and bcc lists of at most 50 addresses each, a "
        "subject, a text or HTML body, optional tags (name/value pairs of ASCII letters, numbers, underscores and "
        "dashes, at most 256 characters), headers and attachments (40 MB in all). scheduled_at takes an ISO 8601 "
        "time (UTC unless it carries an offset), in the future and at most 30 days ahead. Only an email whose last "
        "event is scheduled can be rescheduled or cancelled. A batch sends up to 100 emails at once, without "
        "attachments or scheduling, all or none. Broadcasts go to every subscribed contact of an audience; "
        "unsubscribed contacts are skipped. All times are UTC."
    ),
)
