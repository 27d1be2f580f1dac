"""Certificate codes: twelve characters from `secrets`, read aloud and typed without doubt.

The alphabet leaves out 0/O, 1/I/L and U (which turns ordinary words rude), so 30 symbols
remain: 30**12 (about 5.3e17) codes, far beyond guessing at any rate the verification page
allows. Codes are shown as XXXX-XXXX-XXXX; typed input is forgiven its case, spaces and dashes.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP_SIZE = 3, 4
CODE_PATTERN = re.compile(rf"^[{ALPHABET}]{{{GROUP_SIZE}}}(-[{ALPHABET}]{{{GROUP_SIZE}}}){{2}}$")


def new_code() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE))
    return _grouped(symbols)


def normalise_code(typed: str) -> str | None:
    """The code someone typed, in canonical form; None when it cannot be a code at all."""
    symbols = re.sub(r"[\s\-\u2013\u2014]", "", typed or "").upper()[:40]
    if len(symbols) != GROUPS * GROUP_SIZE or any(ch not in ALPHABET for ch in symbols):
        return None
    return _grouped(symbols)


def _grouped(symbols: str) -> str:
    return "-".join(symbols[i : i + GROUP_SIZE] for i in range(0, len(symbols), GROUP_SIZE))
