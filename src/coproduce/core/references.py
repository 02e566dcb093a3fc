"""Pseudonymous references: random, non-sequential, readable over the telephone.

A reference such as ``P-7KQ2-9XD3`` identifies a participant in every participation
record instead of a name. It carries no information about the person or about when
they joined (unlike a sequential id), and uses Crockford's base-32 alphabet, which
leaves out I, L, O and U so that it can be read aloud and typed without confusion.
"""

import random
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_GROUP = 4
_PATTERN = re.compile(rf"^[A-Z]-[{ALPHABET}]{{{_GROUP}}}-[{ALPHABET}]{{{_GROUP}}}$")


def new_reference(prefix: str = "P", *, rng: random.Random | None = None) -> str:
    """Return a fresh reference with 40 random bits (about 10^12 possibilities).

    ``rng`` is for the deterministic demo world only; real references come from the
    operating system's cryptographic generator, so they cannot be predicted.
    """
    choose = rng.choice if rng is not None else secrets.choice
    symbols = "".join(choose(ALPHABET) for _ in range(2 * _GROUP))
    return f"{prefix}-{symbols[:_GROUP]}-{symbols[_GROUP:]}"


def is_reference(value: str) -> bool:
    """Whether ``value`` has the shape of a reference (not whether it exists)."""
    return bool(_PATTERN.match(value))
