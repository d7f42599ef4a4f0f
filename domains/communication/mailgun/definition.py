"""The environment definition: id, description (the sending policy the agent reads) and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "mailgun",
    domain="communication",
    models=Base,
    modeled_on="MailgunCommunication",
    description=(
        "Mailgun (API v3) for one company's account: sending domains with their DNS records, messages, the "
        "events log, suppressions, mailing lists, templates, stats and email validation. Policy: a domain sends "
        "only once it is active (its SPF and DKIM records verified); verify_domain re-checks the DNS the owner "
        "published. A sandbox domain sends only to its activated authorized recipients. A message needs from, "
        "to (a mailing list address reaches its subscribed members), a subject and text, html or a template; "
        "at most 1,000 recipients across to, cc and bcc, at most 3 tags, and delivery can be scheduled at most "
        "3 days ahead. Each recipient on the domain's bounce, complaint or unsubscribe list (for all mail or "
        "one of the message's tags) is dropped: a failed event with the suppression as reason, unless the "
        "address or its domain is allowlisted. The plan caps the recipients sent to per UTC day (test mode "
        "messages do not count). Times are UTC, written YYYY-MM-DDTHH:MM:SS."
    ),
)
