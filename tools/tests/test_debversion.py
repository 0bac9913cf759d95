# SPDX-License-Identifier: MIT
# Debian version ordering (as dpkg --compare-versions) and the closest versions named when a
# `debian:VERSION` does not exist.
from __future__ import annotations

import pytest

from kvmctlib.acquire import debversion


@pytest.mark.parametrize("a,b,want", [
    ("7.2.11-1~bpo13+1", "7.2.11-1", -1),  # a backport sorts before the version it backports
    ("7.3~rc7-1~exp1", "7.3-1", -1),  # ~ before the end: an rc before the release
    ("7.2.9+deb13", "7.2.11+deb13", -1),  # digits by value, not by character
    ("6.12.117-1", "6.12.117-1", 0),
    ("1:6.1-1", "7.2-1", 1),  # the epoch first
    ("7.2.13+deb14", "7.2.13+deb13", 1),
    ("7.2a", "7.2+", -1),  # letters before other symbols
])
def test_compare_as_dpkg(a: str, b: str, want: int) -> None:
    assert debversion.compare(a, b) == want
    assert debversion.compare(b, a) == -want


def test_closest_are_the_neighbours_in_version_order() -> None:
    have = ["6.12.117+deb13", "7.2.6+deb13", "7.2.9+deb13", "7.2.11+deb13", "7.2.13+deb14",
            "6.12.107+deb13"]
    assert debversion.closest("7.2.10+deb13", have) == [
        "7.2.13+deb14", "7.2.11+deb13", "7.2.9+deb13", "7.2.6+deb13"]
    assert debversion.closest("9.0", have) == ["7.2.13+deb14", "7.2.11+deb13"]
    assert debversion.closest("5.19", have, each_side=1) == ["6.12.107+deb13"]
