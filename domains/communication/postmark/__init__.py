"""Postmark transactional and broadcast email, for the account of a small invoicing software company.

Modeled on Postmark's public API: servers (each with its own API token) and their message streams (the
default transactional stream 'outbound', broadcast streams and an inbound stream), sender signatures and
domains (confirmed or not; DKIM and Return-Path verified or not), sending single, template and batch email
(From must be confirmed, at most 50 recipients, one tag, metadata, open and link tracking, a stream), templates
by alias with a TemplateModel, bounces (HardBounce, SoftBounce, Transient, SpamComplaint...) that make a
recipient inactive on a stream and their reactivation, outbound message search and details with events
(Delivered, Opened with client, OS and location, LinkClicked, Bounced), opens, outbound stats by tag and date
range, and per-stream suppressions. The seeded account (Tallyfox) has three servers (Production, Staging,
Help Desk), five weeks of receipts, resets, invoice reminders, onboarding mail, Monday weekly digests, a
spring promotion and ticket replies: about 2,000 messages with their events, bounces and suppressions.
Times are UTC; the simulated "now" is part of the state.
"""

from __future__ import annotations

from . import seed, synthesis, tools
from .definition import env

__all__ = ["env", "seed", "synthesis", "tools"]
