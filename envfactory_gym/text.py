"""Text that is safe to put in an observation, a transcript or a results file.

Python strings can hold lone surrogates (``"\\ud83d"``, from a JSON escape or a Python caller) that UTF-8
cannot encode, so one of them in an echoed argument name would make a whole episode record unserialisable.
Everything the engine shows the agent or records passes through :func:`valid_text`.
"""

from __future__ import annotations

import numpy as np

_HIGH = (0xD800, 0xDBFF)
_LOW = (0xDC00, 0xDFFF)
REPLACEMENT = 0xFFFD


def is_valid_text(text: str) -> bool:
    """True when ``text`` encodes as UTF-8 (it holds no lone surrogate)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def valid_text(text: str) -> str:
    """``text`` as valid Unicode: a surrogate pair split into two code points becomes the character it spells,
    and every other surrogate becomes U+FFFD.

    Vectorised over the code points (numpy), so it stays linear and fast whatever the text holds: Python's
    codecs call an error handler per bad character, which is a hundred times slower on hostile text.
    """
    if text.isascii() or is_valid_text(text):
        return text
    units = np.array(text).reshape(1).view(np.uint32)[: len(text)].copy()  # the code points (UCS-4)
    high = (units >= _HIGH[0]) & (units <= _HIGH[1])
    low = (units >= _LOW[0]) & (units <= _LOW[1])
    starts = np.flatnonzero(high[:-1] & low[1:])  # pairs never overlap: a pair ends on a low surrogate
    units[starts] = 0x10000 + ((units[starts] - _HIGH[0]) << 10) + (units[starts + 1] - _LOW[0])
    keep = np.ones(len(units), dtype=bool)
    keep[starts + 1] = False
    units = units[keep]
    units[(units >= _HIGH[0]) & (units <= _LOW[1])] = REPLACEMENT
    return units.astype("<u4").tobytes().decode("utf-32-le")  # strict: no surrogate is left
