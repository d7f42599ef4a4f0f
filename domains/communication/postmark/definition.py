"""The environment definition: id, description (the sending policy the agent reads) and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "postmark",
    domain="communication",
    models=Base,
    modeled_on="PostmarkEmailService",
    description=(
        "Postmark for one company's account: servers (each with its own API token, named here by the server's "
        "name), their message streams (the default transactional stream 'outbound', broadcast streams and an "
        "inbound stream), sender signatures and domains, templates, outbound messages with their events, opens, "
        "bounces, stats and per-stream suppressions. Policy: the From address must be a confirmed sender "
        "signature or be on a domain whose DKIM is verified (error 400 when it is neither, 401 while the "
        "signature awaits confirmation). A message has at most 50 recipients across To, Cc and Bcc (error 300), "
        "one Tag of up to 1,000 characters, Metadata of at most 10 keys, and goes through one stream of its "
        "server; the inbound stream cannot send. Marketing and other bulk mail (a template built for broadcasts) "
        "must go through a broadcast stream, never a transactional one, and transactional mail not through a "
        "broadcast stream. A recipient who hard-bounced, complained of spam or was suppressed on a stream is "
        "inactive there: mail to them is refused with error 406 and nothing is sent. A hard bounce can be "
        "reactivated (activate_bounce) when it says can_activate; a spam complaint never can. A batch sends up "
        "to 500 messages and reports each one's result separately. Times are UTC, written YYYY-MM-DDTHH:MM:SS."
    ),
)
