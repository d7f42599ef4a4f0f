"""Retail customer support, compatible with tau2-bench's retail domain.

An agent serves the customers of an online store: it finds their account by email or by name and zip
code, answers questions about their profile, orders and the products sold, cancels or changes pending
orders (shipping address, payment method, item options), files returns and exchanges of delivered ones,
and updates the default address. Tool names, parameters and answers follow tau2-bench's retail domain
(``sierra-research/tau2-bench``, ``src/tau2/domains/retail``), and :mod:`.tau2` reads and writes its
``db.json``, so tau2 retail states load here and episode states dump back in tau2's format.

The seeded world: about fifty product types (clothing, electronics, kitchen, furniture, outdoor gear),
each sold in a dozen or so variants with their own options, stock and price; some 360 customers in real
US cities with credit cards, PayPal accounts and gift cards; and around 800 orders in every status, with
their shipments, tracking numbers and payment histories.

The store enforces its rules in its tools by default. The ``tau2`` fidelity mode (:mod:`.fidelity`,
``fidelity="tau2"``) plays tau2's own tools instead: permissive where they are, tau2's refund accounting
and its item-modification behaviour, and the policy in the agent's prompt.
"""

from __future__ import annotations

from . import fidelity, seed, tools
from .definition import env

__all__ = ["env", "fidelity", "seed", "tools"]
