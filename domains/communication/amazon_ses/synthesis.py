"""Task-synthesis hints for Amazon SES: argument samplers for the tools whose arguments must agree with the state
(a template's placeholders, a verified sender, a suppressed address); each returns arguments that succeed."""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .rules import placeholders

SAMPLE_VALUES = ("Ana", "BC-20417", "$58.20", "March 24", "UPS", "1Z999AA10123456784", "Walnut Desk Organizer")


@env.arguments("send_templated_email")
def sample_templated_send(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A us-east-1 template with a value for each of its placeholders, from a verified role address."""
    templates = ctx.query("SELECT * FROM templates WHERE region = 'us-east-1' ORDER BY template_name")
    senders = ctx.query(
        "SELECT identity FROM identities WHERE region = 'us-east-1' AND identity_type = 'EmailAddress' "
        "AND identity LIKE '%@brightcrate.com' AND verification_status = 'Success' ORDER BY identity"
    )
    if not templates or not senders:
        return None
    template = rng.choice(templates)
    names = placeholders(template["subject_part"], template["text_part"], template["html_part"])
    return {
        "source": rng.choice(senders)["identity"],
        "to_addresses": [f"customer{rng.randint(100, 999)}@gmail.com"],
        "template_name": template["template_name"],
        "template_data": {name: rng.choice(SAMPLE_VALUES) for name in names},
    }


@env.arguments("delete_suppressed_destination")
def sample_suppressed(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT email_address FROM suppressed_destinations WHERE region = 'us-east-1' ORDER BY email_address"
    )
    return {"email_address": rng.choice(rows)["email_address"]} if rows else None
