"""BFCL multi-turn ground truth: Python call strings, parsed without evaluating them.

BFCL writes each ground-truth step as source text, for example
``book_flight(access_token='abc', card_id='c1', travel_date='2024-12-15', ...)`` or, with positional
arguments, ``get_zipcode_based_on_city('Rivermist')``. :func:`parse_call` reads one with :mod:`ast` and
accepts only literal arguments, so nothing in a data file is ever executed; :func:`bind_arguments` names
positional arguments after the tool's parameters, in order (the environments keep BFCL's parameter order).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class CallSyntaxError(ValueError):
    """A ground-truth entry that is not a single call with literal arguments."""


@dataclass(frozen=True)
class ParsedCall:
    name: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


def parse_call(text: str) -> ParsedCall:
    """``"f(1, x='a')"`` → ParsedCall('f', (1,), {'x': 'a'}); anything but literals is refused."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise CallSyntaxError(f"Not a call: {text!r} ({exc.msg})") from None
    node = tree.body
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        raise CallSyntaxError(f"Not a plain function call: {text!r}")
    try:
        args = tuple(ast.literal_eval(arg) for arg in node.args)
        kwargs = {}
        for keyword in node.keywords:
            if keyword.arg is None:
                raise CallSyntaxError(f"**kwargs are not supported: {text!r}")
            kwargs[keyword.arg] = ast.literal_eval(keyword.value)
    except ValueError as exc:
        raise CallSyntaxError(f"Arguments must be literals in {text!r}: {exc}") from None
    return ParsedCall(node.func.id, args, kwargs)


def bind_arguments(call: ParsedCall, parameter_names: Sequence[str]) -> dict[str, Any]:
    """The call's arguments by parameter name (positional ones take the parameters in order)."""
    if len(call.args) > len(parameter_names):
        raise CallSyntaxError(f"{call.name} takes {len(parameter_names)} argument(s), got {len(call.args)}")
    bound = dict(zip(parameter_names, call.args, strict=False))
    duplicated = sorted(set(bound) & set(call.kwargs))
    if duplicated:
        raise CallSyntaxError(f"{call.name} got several values for {', '.join(duplicated)}")
    bound.update(call.kwargs)
    return bound
