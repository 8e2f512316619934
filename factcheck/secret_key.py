"""How hard a SECRET_KEY is to guess, roughly, in bits.

Django's own check (security.W009) wants 50 characters with 5 different ones,
which ``"abcde" * 12`` passes. This estimate counts only the characters that
are new information, in the manner of zxcvbn: a run that repeats earlier
text (``abcde`` again) or steps through the alphabet (``abcdef``, ``3210``)
counts as one character, and each character is worth the Shannon entropy of
the key's own mix of characters. A key from ``secrets.token_urlsafe(50)``
scores about 350 bits; production refuses anything under ``MIN_BITS``.

Standard library only: the settings import it.
"""

import math
from collections import Counter

MIN_LENGTH = 50
MIN_BITS = 128
_SHORTEST_PATTERN = 3


def _repeat_length(key: str, start: int) -> int:
    """Length of the longest text at ``start`` that already occurred before it."""
    best = 0
    for earlier in range(start):
        length = 0
        while start + length < len(key) and key[earlier + length] == key[start + length]:
            length += 1
        best = max(best, length)
    return best


def _sequence_length(key: str, start: int) -> int:
    """Length of the run at ``start`` that steps by one code point: abc, 987."""
    if start + 1 >= len(key):
        return 1
    step = ord(key[start + 1]) - ord(key[start])
    if step not in (1, -1):
        return 1
    length = 2
    while (
        start + length < len(key)
        and ord(key[start + length]) - ord(key[start + length - 1]) == step
    ):
        length += 1
    return length


def new_characters(key: str) -> int:
    """Characters left once repeats and alphabet runs count as one each."""
    count, position = 0, 0
    while position < len(key):
        run = max(_repeat_length(key, position), _sequence_length(key, position))
        position += run if run >= _SHORTEST_PATTERN else 1
        count += 1
    return count


def bits_per_character(key: str) -> float:
    """Shannon entropy of the key's characters: log2 of 64 for an even mix of 64."""
    counts = Counter(key)
    return -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())


def estimated_bits(key: str) -> float:
    return new_characters(key) * bits_per_character(key) if key else 0.0


def weakness(key: str) -> str | None:
    """Why ``key`` is not fit for production, or None if it is."""
    if key.startswith("django-insecure"):
        return "it is a development key (it starts with django-insecure)"
    if len(key) < MIN_LENGTH:
        return f"it has {len(key)} characters, fewer than {MIN_LENGTH}"
    bits = estimated_bits(key)
    if bits < MIN_BITS:
        return (
            f"it is too predictable: about {bits:.0f} bits of randomness, fewer than "
            f"{MIN_BITS} (repeated text, runs such as abcdef, or too few different characters)"
        )
    return None
