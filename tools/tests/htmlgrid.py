# SPDX-License-Identifier: MIT
# Reading the HTML report's extension grid back from its data-* attributes: shared by the
# parser test (pytest, in the build root) and the headless-browser test (unittest, on the host).
from __future__ import annotations

from html.parser import HTMLParser

from kvmctlib.judge import extmatrix


class Grid(HTMLParser):
    """Collects the data-* attributes of the matrix squares."""

    def __init__(self) -> None:
        super().__init__()
        self.squares: dict[tuple[str, str, str], dict[str, str]] = {}
        self.links: list[str] = []
        self._in: tuple[str, str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "td" and "data-check" in a:
            key = (a["data-ext"], a["data-cell"], a["data-check"])
            self.squares[key] = a
            self._in = key
        elif tag == "a" and self._in is not None:
            self.squares[self._in]["href"] = a.get("href", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in = None


def read_grid(page: str) -> Grid:
    g = Grid()
    g.feed(page)
    return g


def check_grid(g: Grid) -> None:
    """What both the parser test and the browser test expect of the ZAAMO regression page."""
    zaamo = g.squares[("ZAAMO", "sid-rv64", "disable")]
    assert (zaamo["data-observed"], zaamo["data-expected"], zaamo["data-state"]) == \
        ("ok", "EINVAL", "diff")
    assert zaamo["href"].endswith("sid-rv64/console.log")
    absent = g.squares[("ZAAMO", "trixie-rv64", "presence")]
    assert (absent["data-observed"], absent["class"].split()[0]) == ("absent", "v-no")
    assert zaamo["class"].split()[:2] == ["v-yes", "s-diff"]
    d = g.squares[("D", "sid-rv64", "executes")]
    assert (d["data-state"], d["data-known"]) == ("known", "known deviation (KVM)")
    assert g.squares[("ZALRSC", "sid-rv64", "default")]["data-state"] == "ok"
    assert len(g.squares) == 2 * 7 * len(extmatrix.CHECKS)
