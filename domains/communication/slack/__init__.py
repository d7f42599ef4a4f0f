"""Slack: a company workspace with members, public and private channels, direct messages, threads,
reactions and pins.

Modeled on Slack's Web API (conversations.list/history/replies/info/members/create/archive/rename/join/leave/
invite/kick/setTopic/setPurpose/open, chat.postMessage/update/delete, reactions.add/remove, pins.add/remove/list,
users.list/info, search.messages), acting as one member per call. The seeded Northwind Labs workspace has 150
members (display and real names, titles across engineering, design, product, go-to-market and operations, time
zones, a few admins and deactivated accounts), about 40 channels (#general, team and office channels, private
project channels, archived ones) and 70 direct messages, with a month of short messages: threads with replies,
design polls that end in a decision, questions about deploys, open design questions, runbook links,
announcements, reactions and pins. The simulated "now" is part of the state.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
