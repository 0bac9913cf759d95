# SPDX-License-Identifier: MIT
# Debian version ordering (dpkg's algorithm, deb-version(7)) and the versions nearest to one
# that does not exist, for "no such version; closest: ..." errors. Pure functions.
from __future__ import annotations

import re
from functools import cmp_to_key


def _order(ch: str) -> int:
    """dpkg's lexical weight: '~' before the end of a part, letters before other symbols."""
    if ch == "~":
        return -1
    if ch.isdigit():
        return 0
    if ch.isalpha():
        return ord(ch)
    return ord(ch) + 256


def _compare_part(a: str, b: str) -> int:
    """Alternating non-digit and digit runs, the non-digit runs by _order, digits by value."""
    while a or b:
        na = re.match(r"\D*", a).group(0)  # type: ignore[union-attr]
        nb = re.match(r"\D*", b).group(0)  # type: ignore[union-attr]
        for i in range(max(len(na), len(nb))):
            ca = _order(na[i]) if i < len(na) else 0
            cb = _order(nb[i]) if i < len(nb) else 0
            if ca != cb:
                return -1 if ca < cb else 1
        a, b = a[len(na):], b[len(nb):]
        da = re.match(r"\d*", a).group(0)  # type: ignore[union-attr]
        db = re.match(r"\d*", b).group(0)  # type: ignore[union-attr]
        ia, ib = int(da or "0"), int(db or "0")
        if ia != ib:
            return -1 if ia < ib else 1
        a, b = a[len(da):], b[len(db):]
    return 0


def _split(v: str) -> tuple[int, str, str]:
    epoch, _, rest = v.rpartition(":") if ":" in v else ("0", "", v)
    upstream, dash, revision = rest.rpartition("-")
    if not dash:
        upstream, revision = rest, ""
    return int(epoch or "0"), upstream, revision


def compare(a: str, b: str) -> int:
    """-1, 0 or 1 as `dpkg --compare-versions a lt|eq|gt b`."""
    ea, ua, ra = _split(a)
    eb, ub, rb = _split(b)
    if ea != eb:
        return -1 if ea < eb else 1
    return _compare_part(ua, ub) or _compare_part(ra, rb)


def newest_first(versions: list[str]) -> list[str]:
    return sorted(versions, key=cmp_to_key(compare), reverse=True)


def closest(wanted: str, available: list[str], each_side: int = 2) -> list[str]:
    """The available versions around where `wanted` would sort: up to `each_side` just below
    and just above it, newest first."""
    ordered = sorted(set(available), key=cmp_to_key(compare))
    below = [v for v in ordered if compare(v, wanted) < 0][-each_side:]
    above = [v for v in ordered if compare(v, wanted) > 0][:each_side]
    return newest_first(below + above)
