"""Safe evaluation of the arithmetic a customer-service agent's calculator tool accepts.

Benchmarks' ``calculate`` tools take an expression of numbers, ``+ - * /``, parentheses and spaces and
answer the result rounded to two decimals. This walks the parsed expression instead of calling ``eval``,
so nothing but arithmetic can run, and refuses what a calculator cannot answer with a ``DomainError``.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any

from envfactory_gym.errors import DomainError

ALLOWED_CHARACTERS = frozenset("0123456789+-*/(). ")
MAX_EXPRESSION = 500

_OPERATORS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def _evaluate(node: ast.AST) -> float:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
        value = _evaluate(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return float(_OPERATORS[type(node.op)](_evaluate(node.left), _evaluate(node.right)))
    raise DomainError("The expression may only combine numbers with +, -, *, / and parentheses.")


def calculate(expression: str) -> str:
    """The value of ``expression`` rounded to two decimals, as text ('12.5')."""
    if not expression.strip() or len(expression) > MAX_EXPRESSION or not set(expression) <= ALLOWED_CHARACTERS:
        raise DomainError("The expression may only contain numbers, +, -, *, /, parentheses and spaces.")
    try:
        value = _evaluate(ast.parse(expression, mode="eval"))
    except SyntaxError:
        raise DomainError(f"'{expression}' is not a well-formed arithmetic expression.") from None
    except ZeroDivisionError:
        raise DomainError("The expression divides by zero.") from None
    except (OverflowError, RecursionError):
        raise DomainError("The expression is too large to compute.") from None
    if not math.isfinite(value):
        raise DomainError("The result is too large to compute.")
    return str(round(value, 2))
