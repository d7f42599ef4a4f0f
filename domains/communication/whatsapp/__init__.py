"""WhatsApp: the owner's account, address book, one-to-one and group chats, media messages and receipts.

Modeled on a WhatsApp client API of the kind WhatsApp bridges and the Business Cloud API expose: sending text,
images with captions, documents, links with previews, locations and contact cards; checking whether numbers are
on WhatsApp; listing, archiving, pinning and muting chats; reading messages and sending read receipts; deleting
for everyone (within 60 hours) or for me; creating and managing groups (subject, description, admins,
participants, admin-only settings, leaving); and the owner's profile (push name, about, avatar). The seeded
world is Maya Collins's phone in San Francisco: 300 contacts (family saved as Mom and Dad), about 250 WhatsApp
accounts, 95 one-to-one chats and 25 groups with a few thousand short messages over the last weeks, phone
files (photos, documents, one too large to send), places for the location picker and pages with link previews.
"""

from __future__ import annotations

from . import seed, synthesis, tools
from .definition import env

__all__ = ["env", "seed", "synthesis", "tools"]
