"""Action parsing time against input size, for the texts that used to make it super-linear.

For each family of pathological text (a code fence, then whitespace, then one character; unclosed tool-call
tags; lone surrogates; ...) and for a Python-object action of as many values as the size allows, prints the
best-of-N time of ``parse_action`` at sizes from 1,000 characters up to the action limit (200,000), and the
growth factor per doubling of the size: about 2 means linear. ``--step`` also times a whole
``ToolUseEnv.step`` of each text (parsing plus the final answer's scoring). ``--old`` adds the code-fence
pattern this replaced, at the sizes where it still finishes (it took ~100 s at 4 KB).

Usage: python benchmarks/bench_parse.py [--repeat 7] [--step] [--old]
"""

from __future__ import annotations

import argparse
import math
import re
import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

from envfactory_gym.actions import MAX_ACTION_CHARS, parse_action

SIZES = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, MAX_ACTION_CHARS]
OLD_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)
OLD_SIZES = [250, 500, 1_000, 2_000]

FAMILIES: dict[str, Callable[[int], Any]] = {
    "fence, spaces, one character": lambda n: "```" + " " * (n - 4) + "x",
    "fence, newlines, one character": lambda n: "```" + "\n" * (n - 4) + "x",
    "json fence, whitespace, fence": lambda n: "```json" + " " * (n - 10) + "```",
    "opening tags": lambda n: "<tool_call>" * (n // 11),
    "opening tag, brackets": lambda n: "<tool_call>" + "[" * (n - 11),
    "lone surrogates": lambda n: "\ud83d" * n,
    "calls in JSON text": lambda n: "[" + ", ".join(['{"name": "f", "arguments": {}}'] * (n // 32)) + "]",
    "dict action, n/4 values": lambda n: {
        "tool_calls": [{"function": {"name": "f", "arguments": {"x": [0] * (n // 4)}}}]
    },
}


def best_of(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def growth(times: list[float]) -> str:
    """Mean time ratio per doubling of the size, over the sizes from 8,000 on (smaller ones are noise)."""
    pairs = [(SIZES[i], SIZES[i + 1], times[i], times[i + 1]) for i in range(3, len(SIZES) - 1)]
    factors = [(t2 / t1) ** (1 / math.log2(s2 / s1)) for s1, s2, t1, t2 in pairs if t1 > 0]
    return f"{sum(factors) / len(factors):.2f}" if factors else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--step", action="store_true", help="also time whole env steps (airline)")
    parser.add_argument("--old", action="store_true", help="also time the replaced code-fence pattern")
    args = parser.parse_args()
    console = Console(width=180)

    table = Table(title="parse_action: best time (ms) by input size (characters)")
    table.add_column("input")
    for size in SIZES:
        table.add_column(f"{size:,}", justify="right")
    table.add_column("×/doubling", justify="right")
    for family, make in FAMILIES.items():
        times = []
        for size in SIZES:
            action = make(size)
            times.append(best_of(lambda action=action: parse_action(action), args.repeat))
        table.add_row(family, *(f"{1000 * t:.3f}" for t in times), growth(times))
    console.print(table)

    if args.step:
        from envfactory_gym.env import ToolUseEnv

        env = ToolUseEnv(["airline"], max_steps=10**9)
        steps = Table(title=f"ToolUseEnv.step (airline) at {MAX_ACTION_CHARS:,} characters: best time (ms)")
        steps.add_column("input")
        steps.add_column("step (parse + execute or score)", justify="right")
        for family, make in FAMILIES.items():
            action = make(MAX_ACTION_CHARS)

            def one_step(action: Any = action) -> None:
                env.reset(seed=0)
                env.step(action)

            reset_only = best_of(lambda: env.reset(seed=0), args.repeat)
            steps.add_row(family, f"{1000 * max(0.0, best_of(one_step, args.repeat) - reset_only):.3f}")
        console.print(steps)

    if args.old:
        old = Table(title="the replaced pattern ^```(?:json)?\\s*(.*?)\\s*```$ on a fence, spaces, one character (ms)")
        for size in OLD_SIZES:
            old.add_column(f"{size:,}", justify="right")
        text = FAMILIES["fence, spaces, one character"]
        old.add_row(*(f"{1000 * best_of(lambda s=size: OLD_FENCE.match(text(s)), 1):.1f}" for size in OLD_SIZES))
        console.print(old)


if __name__ == "__main__":
    main()
