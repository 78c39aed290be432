"""Ids in paths and bodies: what the INT UNSIGNED id columns (ours and Booknetic's) can hold.

A larger number, zero, a sign or a non-ASCII digit ("²") is no such thing: a 404 for a path id, a 400 for a
body field, never a query MySQL refuses.
"""
from __future__ import annotations

from werkzeug.routing import BaseConverter

MAX_ID = 4_294_967_295  # INT UNSIGNED
MAX_WP_USER_ID = 18_446_744_073_709_551_615  # wp_users.ID is BIGINT UNSIGNED


def up_to(limit: int) -> str:
    """A regex for the whole numbers 1..limit in plain ASCII digits, without leading zeros."""
    digits = str(limit)
    shorter = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    same_length = []
    for i, d in enumerate(digits):
        low = 1 if i == 0 else 0
        if int(d) > low:  # the prefix so far, a smaller digit here, then anything
            same_length.append(f"{digits[:i]}[{low}-{int(d) - 1}][0-9]{{{len(digits) - i - 1}}}")
    return "|".join(shorter + same_length + [digits])


class IdConverter(BaseConverter):
    """`<id:name>`: 1..MAX_ID. The bound is in the regex, so a larger number matches no rule at all (a converter
    that refused it in to_python would make werkzeug answer 405 when the path has rules for other methods)."""

    regex = f"(?:{up_to(MAX_ID)})"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))
