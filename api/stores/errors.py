"""The one error the stores' callers handle, whichever database is behind them."""

from __future__ import annotations


class ConstraintError(Exception):
    """A write broke a constraint: a duplicate key, or a change to the append-only audit log."""
