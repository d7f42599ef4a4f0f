"""Amazon SES: regional identities, templates, configuration sets, suppression lists, quotas and statistics.

Modeled on the Amazon Simple Email Service v1 API (SendEmail, SendRawEmail, SendTemplatedEmail,
GetSendStatistics, GetSendQuota, VerifyEmailIdentity, VerifyDomainIdentity, GetIdentityVerificationAttributes,
GetIdentityDkimAttributes, ListIdentities, DeleteIdentity, the template operations, GetAccountSendingEnabled)
and the account-level suppression list of SES v2 (Put/Get/Delete/ListSuppressedDestinations). The seeded world is
one retailer's account (Brightcrate) in three regions: us-east-1 in production, eu-west-1 still in the sandbox
and used by QA, ap-southeast-2 with sending paused; 54 identities, 19 templates, 6 configuration sets,
about 130 suppressed addresses and some 2,700 messages over two weeks with their outcomes, from which the send
statistics are counted.
"""

from __future__ import annotations

from . import seed, synthesis, tools
from .definition import env

__all__ = ["env", "seed", "synthesis", "tools"]
