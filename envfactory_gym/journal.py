"""The episode's write journal: what each write through ``ctx.rows`` stored, so that the state's net changes
are known without reading rows back from SQLite.

SQLite stays the state: every write runs its statement as before, and the change log's triggers still log
the rowids it touched. Beside it the journal keeps each written row as it is stored now (from the
statement's key and values and the row before, no SQL), so a state key, hash or change set is built from
a few Python tuples, and a lookup by key after a write needs no query. Those answers must be exactly what
reading the rows back would give, so the journal is used only when it provably covers every write:

* Each recorded write advances the journal's count of the connection's ``total_changes`` by what the
  statement changed. A write any other way (raw SQL, the ORM, a table without a primary key) changes the
  connection's count and not the journal's, and from then until the episode is reset the journal is not
  used: the change log and row reads answer instead.
* Values are recorded as SQLite stores them, by the column's declared type (its *affinity*): an integer in
  a REAL column is read back as a float, a whole float in an INTEGER or NUMERIC column as an integer, a
  boolean as 0 or 1. A value whose stored form is not certain (text that SQLite would turn into a number,
  an integer in a TEXT column, NaN, -0.0, types sqlite3 adapts on its own) makes the journal give up for
  the episode, as does a write that changes a primary key.
* A call that fails is rolled back to its savepoint, and the journal to the same mark (it undoes the
  call's writes).

Tests run with a cross-check (``ENVFACTORY_CHECK_JOURNAL=1``) that compares every journal answer with the
row reads' and fails on any difference.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

# Compare every journal answer with the change log's and the rows read back (the tests set it).
CROSS_CHECK = os.environ.get("ENVFACTORY_CHECK_JOURNAL") == "1"


def agree(what: str, journal: Any, log: Any) -> None:
    """In cross-check mode: the journal's answer must be the change log's (else AssertionError)."""
    if journal != log:
        raise AssertionError(f"The write journal's {what} differs from the change log's: {journal!r} != {log!r}")


class UncertainValue(Exception):
    """The stored form of a value is not certain (see the module docstring): the journal gives up."""


class _Unknown:
    """No answer from the journal: read the rows back."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()

# Text SQLite's numeric affinities convert to a number: a decimal literal with optional sign, point and
# exponent, between spaces (ASCII digits only, as SQLite reads them). Infinity and NaN spellings are
# treated as numeric too, to be safe.
_NUMERIC_TEXT = re.compile(r"\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*\Z")
_SPECIAL_NUMBER = re.compile(r"\s*[+-]?(?:inf(?:inity)?|nan)\s*\Z", re.IGNORECASE)
# Floats whose integer conversion SQLite and Python certainly agree on.
_EXACT_INTEGER_FLOAT = 2.0**53


def column_affinity(declared_type: str) -> str:
    """SQLite's affinity for a column's declared type (its rules, in order)."""
    declared = declared_type.upper()
    if "INT" in declared:
        return "INTEGER"
    if "CHAR" in declared or "CLOB" in declared or "TEXT" in declared:
        return "TEXT"
    if "BLOB" in declared or not declared:
        return "BLOB"
    if "REAL" in declared or "FLOA" in declared or "DOUB" in declared:
        return "REAL"
    return "NUMERIC"


def _plain_float(value: float) -> float:
    # NaN is stored as NULL, infinities and -0.0 may not round-trip: none of them is recorded.
    if value != value or abs(value) == float("inf") or (value == 0.0 and str(value)[0] == "-"):
        raise UncertainValue(value)
    return value


# What numeric text can start with (its spaces, sign, digits, point; inf and nan spellings).
_NUMBER_STARTS = frozenset(" \t\n\r\f\v+-.0123456789iInN")


def _non_numeric_text(value: str) -> str:
    if value[:1] not in _NUMBER_STARTS and "\x00" not in value:  # most text (JSON, words) is decided here
        return value
    if _NUMERIC_TEXT.match(value) or _SPECIAL_NUMBER.match(value) or "\x00" in value:
        raise UncertainValue(value)
    return value


def _whole_float_to_integer(value: float) -> Any:
    _plain_float(value)
    if not value.is_integer():
        return value
    if abs(value) < _EXACT_INTEGER_FLOAT:
        return int(value)
    raise UncertainValue(value)


def _integer_to_float(value: int) -> float:
    if abs(value) <= _EXACT_INTEGER_FLOAT:
        return float(value)
    raise UncertainValue(value)


Converter = Callable[[Any], Any] | None  # a bound value -> its stored form (None: stored as bound)
_NONE = type(None)
# Per affinity, by a bound value's type, how SQLite stores it (a type missing: not certain). Text keeps
# every character in TEXT and BLOB columns, NUL included.
_INTEGER_LIKE: dict[type, Converter] = {
    # Whole floats become integers, numeric text becomes a number.
    _NONE: None,
    int: None,
    bytes: None,
    bool: int,
    float: _whole_float_to_integer,
    str: _non_numeric_text,
}
CONVERTERS: dict[str, dict[type, Converter]] = {
    "INTEGER": _INTEGER_LIKE,
    "NUMERIC": _INTEGER_LIKE,
    # Integers are read back as floats.
    "REAL": {
        _NONE: None,
        bytes: None,
        float: _plain_float,
        int: _integer_to_float,
        bool: _integer_to_float,
        str: _non_numeric_text,
    },
    # Numbers are stored as their text, whose exact form is SQLite's: not recorded.
    "TEXT": {_NONE: None, bytes: None, str: None},
    # No affinity: as bound.
    "BLOB": {_NONE: None, int: None, bytes: None, str: None, bool: int, float: _plain_float},
}


def stored(converters: dict[type, Converter], value: Any) -> Any:
    """How a column with these converters stores ``value`` (UncertainValue when that is not certain)."""
    try:
        convert = converters[type(value)]
    except KeyError:  # a type sqlite3 adapts on its own, or a subclass: not certain
        raise UncertainValue(value) from None
    return value if convert is None else convert(value)


_ABSENT: Any = object()  # a row the journal had not seen before a write (what undoing that write restores)

RowKey = tuple[str, Any]  # (table, primary key value as stored: the value, or a tuple for a composite key)
InitialRow = Callable[[RowKey], "tuple[Any, ...] | None"]


class WriteJournal:
    """The rows one episode has written, as stored now, kept up to date by every write through ``ctx.rows``."""

    __slots__ = ("_changed", "_covered_at_mark", "_initial_row", "_undo", "_written", "total")

    def __init__(self, total_changes: int, initial_row: InitialRow) -> None:
        self.restart(total_changes, initial_row)

    def restart(self, total_changes: int, initial_row: InitialRow) -> None:
        """A new episode on a connection whose change count is ``total_changes``; ``initial_row`` gives a row
        of its initial state by key."""
        self._initial_row = initial_row
        self._written: dict[RowKey, tuple[Any, ...] | None] = {}
        # The written rows that differ from the initial state (the net changes), kept with every write.
        self._changed: dict[RowKey, tuple[Any, ...] | None] = {}
        # (row key, what the journal held before) of each write since the last mark, to undo a rollback.
        self._undo: list[tuple[RowKey, Any]] = []
        # The connection's total_changes if every write went through the journal (-1: the journal gave up).
        self.total = total_changes
        self._covered_at_mark = True

    # -- recording: each after its statement ran, with the change counts around it ---------------------
    def inserted(self, meta: Any, row: tuple[Any, ...], before: int, after: int) -> None:
        """An INSERT ... RETURNING * reported ``row``."""
        if after != before and self.total == before:
            try:
                stored = meta.stored_row(row)
            except UncertainValue:
                self.give_up()
                return
            self._set((meta.name, meta.key_value(stored)), stored, after)

    def added(
        self, meta: Any, names: tuple[str, ...], params: list[Any], rowid: int | None, before: int, after: int
    ) -> None:
        """An INSERT of ``names`` with ``params``; ``rowid`` is the cursor's lastrowid."""
        if after != before and self.total == before:
            try:
                stored = meta.added_row(names, params, rowid)
            except UncertainValue:
                self.give_up()
                return
            self._set((meta.name, meta.key_value(stored)), stored, after)

    def updated(
        self, meta: Any, key: tuple[Any, ...], names: tuple[str, ...], params: list[Any], before: int, after: int
    ) -> None:
        """An UPDATE setting ``names`` to ``params`` on the row with primary key ``key``."""
        if after == before or self.total != before:
            return
        try:
            row_key = (meta.name, meta.stored_key(key))
            previous = self._written.get(row_key, _ABSENT)
            initial = self._initial_row(row_key)
            base = initial if previous is _ABSENT else previous
            if base is None:  # the statement changed a row the journal cannot place
                raise UncertainValue(key)
            row = meta.updated_row(base, names, params)
        except UncertainValue:
            self.give_up()
            return
        self._record(row_key, row, previous, initial, after)

    def deleted(self, meta: Any, key: tuple[Any, ...], before: int, after: int) -> None:
        """A DELETE of the row with primary key ``key``."""
        if after == before or self.total != before:
            return
        try:
            row_key = (meta.name, meta.stored_key(key))
        except UncertainValue:
            self.give_up()
            return
        previous = self._written.get(row_key, _ABSENT)
        initial = self._initial_row(row_key)
        if (initial if previous is _ABSENT else previous) is None:
            self.give_up()
            return
        self._record(row_key, None, previous, initial, after)

    def _set(self, row_key: RowKey, row: tuple[Any, ...], after: int) -> None:
        self._record(row_key, row, self._written.get(row_key, _ABSENT), self._initial_row(row_key), after)

    def _record(self, row_key: RowKey, row: Any, previous: Any, initial: Any, after: int) -> None:
        self._undo.append((row_key, previous))
        self._written[row_key] = row
        self._net(row_key, row, initial)
        self.total = after

    def _net(self, row_key: RowKey, row: Any, initial: Any) -> None:
        """Keep ``row`` among the net changes exactly when it differs from the initial row."""
        if row != initial:
            self._changed[row_key] = row
        else:
            self._changed.pop(row_key, None)

    # -- the episode's savepoints ----------------------------------------------------------------------
    def set_mark(self, total_changes: int) -> None:
        """The state as it is now is the call savepoint's: a rollback comes back here."""
        self._undo.clear()
        self._covered_at_mark = self.total == total_changes

    def undo_to_mark(self, total_changes: int) -> None:
        """The connection rolled back to the savepoint; ``total_changes`` is its (unchanged) count now."""
        written = self._written
        for row_key, previous in reversed(self._undo):
            if previous is _ABSENT:
                del written[row_key]
                self._changed.pop(row_key, None)
            else:
                written[row_key] = previous
                self._net(row_key, previous, self._initial_row(row_key))
        self._undo.clear()
        if self._covered_at_mark and self.total >= 0:
            # Whatever the rolled-back call wrote, through the journal or not, is gone.
            self.total = total_changes

    def give_up(self) -> None:
        """Something outside the journal changed or ended the episode's transaction: never used again."""
        self.total = -1
        self._covered_at_mark = False

    # -- answers ----------------------------------------------------------------------------------------
    def rows(self, total_changes: int) -> dict[RowKey, tuple[Any, ...] | None] | None:
        """Every row written in this episode, ``(table, key) -> row as stored now`` (None: deleted), or None
        when the journal does not cover the state (then read the rows back). Shared: do not change it."""
        return self._written if total_changes == self.total else None

    def changes(self, total_changes: int) -> dict[RowKey, tuple[Any, ...] | None] | None:
        """The written rows that differ from the initial state (the net changes), like :meth:`rows`."""
        return self._changed if total_changes == self.total else None

    def row(self, meta: Any, key: tuple[Any, ...], total_changes: int) -> Any:
        """The row of ``meta``'s table with primary key ``key`` as stored now (None: there is none), or
        UNKNOWN when the journal does not cover it."""
        if total_changes != self.total:
            return UNKNOWN
        try:
            row_key = (meta.name, meta.stored_key(key))
        except UncertainValue:
            return UNKNOWN
        written = self._written
        return written[row_key] if row_key in written else self._initial_row(row_key)
