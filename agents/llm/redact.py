"""PII redaction for text that leaves the process for an external LLM.

Covers what Chinese enterprise text most often carries: mainland mobile numbers, resident
identity card numbers (with a date check so order numbers survive), e-mail addresses and bank
card numbers (16-19 digits, optionally grouped by four). Each match becomes a placeholder such
as [PHONE]; the counts per kind go to the audit log, never the values.
"""

from __future__ import annotations

import re

_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("email", "[EMAIL]", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")),
    (
        "id_number",
        "[ID_NUMBER]",
        re.compile(
            r"(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
        ),
    ),
    (
        "bank_card",
        "[BANK_CARD]",
        re.compile(r"(?<![0-9])(?:\d{4}[ -]){3}\d{4}(?:[ -]?\d{1,3})?(?![0-9])|(?<![0-9])\d{16,19}(?![0-9])"),
    ),
    (
        "phone",
        "[PHONE]",
        re.compile(r"(?<![0-9])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9])"),
    ),
)


def redact(text: str) -> tuple[str, dict[str, int]]:
    """The text with PII replaced by placeholders, and how many of each kind were replaced."""
    counts: dict[str, int] = {}
    for kind, placeholder, pattern in _PATTERNS:
        text, n = pattern.subn(placeholder, text)
        if n:
            counts[kind] = counts.get(kind, 0) + n
    return text, counts
