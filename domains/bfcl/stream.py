"""BFCL's seeded id stream, kept as two integers of state.

BFCL's multi-turn classes draw server-generated values (access tokens, card ids, booking ids, readings)
from ``random.Random(random_seed)``, and its ground-truth answers quote those values ("cancel booking
3426812"). To replay them an environment must draw the same numbers in the same order. Python's Mersenne
Twister consumes whole 32-bit words, so its position in the stream is fully described by the seed and the
number of words used so far; that pair is what the environments store, and :class:`SeededStream` rebuilds
the generator from it, draws, and reports the new count. This is deterministic state, not randomness: the
same state always yields the same value.
"""

from __future__ import annotations

import random


class _CountingRandom(random.Random):
    """A Mersenne Twister that counts the 32-bit words it consumes."""

    words_used: int

    def __init__(self, seed: int) -> None:
        self.words_used = 0
        super().__init__(seed)

    def getrandbits(self, k: int) -> int:
        # randint/randrange draw through getrandbits; each call takes ceil(k / 32) words.
        self.words_used += (k + 31) // 32
        return super().getrandbits(k)

    def random(self) -> float:
        # random() (and so uniform()) takes two words: 27 + 26 bits of a 53-bit float.
        self.words_used += 2
        return super().random()


# Generator states by (seed, words used): seeding and skipping cost more than restoring a state, and
# episodes of one task start from the same position again and again. Bounded (oldest dropped first).
_STATES: dict[tuple[int, int], object] = {}
_MAX_STATES = 1024


class SeededStream:
    """The generator at position ``words_used`` of the stream seeded with ``seed``."""

    def __init__(self, seed: int, words_used: int = 0) -> None:
        position = (seed, words_used)
        state = _STATES.get(position)
        if state is None:
            generator = _CountingRandom(seed)
            for _ in range(words_used):
                random.Random.getrandbits(generator, 32)
            if len(_STATES) >= _MAX_STATES:
                del _STATES[next(iter(_STATES))]
            _STATES[position] = generator.getstate()
        else:
            # An unseeded generator whose state is then restored: the same stream, without seeding it.
            generator = _CountingRandom.__new__(_CountingRandom)
            generator.setstate(state)  # type: ignore[arg-type]
        generator.words_used = words_used
        self._random = generator

    @property
    def words_used(self) -> int:
        return self._random.words_used

    def randint(self, low: int, high: int) -> int:
        return self._random.randint(low, high)

    def uniform(self, low: float, high: float) -> float:
        return self._random.uniform(low, high)

    def state(self) -> object:
        """The generator's internal state, comparable with ``random.Random.getstate()``."""
        return self._random.getstate()


# Draws by (seed, position, ranges): the same state always draws the same integers, and replays of a task
# draw from the same positions again and again; restoring a generator's state costs more than the lookup.
_DRAWS: dict[tuple[int, int, tuple[tuple[int, int], ...]], tuple[tuple[int, ...], int]] = {}


def draw_integers(seed: int, words_used: int, ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, ...], int]:
    """``randint(low, high)`` for each range, drawn at position ``words_used`` of the stream seeded with
    ``seed``, and the position after them (what :class:`SeededStream` would draw, remembered)."""
    position = (seed, words_used, ranges)
    drawn = _DRAWS.get(position)
    if drawn is None:
        stream = SeededStream(seed, words_used)
        drawn = (tuple(stream.randint(low, high) for low, high in ranges), stream.words_used)
        if len(_DRAWS) >= _MAX_STATES:
            del _DRAWS[next(iter(_DRAWS))]
        _DRAWS[position] = drawn
    return drawn
