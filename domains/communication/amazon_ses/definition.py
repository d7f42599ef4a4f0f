"""The environment definition: id, description and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "amazon_ses",
    domain="communication",
    models=Base,
    modeled_on="AmazonSES",
    description=(
        "Amazon Simple Email Service (the classic v1 API) for Brightcrate's AWS account. SES is regional: every "
        "tool takes a region (us-east-1 by default; also eu-west-1 and ap-southeast-2) and identities, templates, "
        "configuration sets, the suppression list, quotas and statistics are per region. Identities are email "
        "addresses and domains with a verification status (Pending, Success, Failed, TemporaryFailure); verifying "
        "an address sends it a link and leaves it Pending; a domain is verified with a TXT record. A message's "
        "source must be a verified address or an address under a verified domain. A region still in the sandbox "
        "(production access not enabled) may send only to verified identities, at most 200 messages per 24 hours "
        "and 1 per second; production regions have their own 24-hour quota and send rate. Each recipient counts "
        "against the quota; a send that would exceed it is refused (Throttling: Daily message quota exceeded). "
        "A region whose sending is paused refuses every send. A message has at most 50 recipients (To, Cc and Bcc "
        "together). Addresses on the region's account-level suppression list (reason BOUNCE or COMPLAINT) are "
        "accepted but not delivered: each is counted as a bounce. Templated sends need an existing template and "
        "template data with a value for every {{placeholder}} of its subject, text and HTML parts. Send statistics "
        "are 15-minute data points over the last two weeks (delivery attempts, bounces, complaints, rejects); the "
        "bounce rate is bounces divided by delivery attempts."
    ),
)
