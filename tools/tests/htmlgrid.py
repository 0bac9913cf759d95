# SPDX-License-Identifier: MIT
# Reading the HTML report's grids back from their data-* attributes (the ISA-extension matrix,
# the arm64 subject tables and host facts, the cells and architecture sections): shared by the
# parser test (pytest, in the build root) and the headless-browser test (unittest, on the host).
from __future__ import annotations

from html.parser import HTMLParser

from kvmctlib.judge import extmatrix


class Grid(HTMLParser):
    """Collects the data-* attributes of the matrix squares."""

    def __init__(self) -> None:
        super().__init__()
        self.squares: dict[tuple[str, str, str], dict[str, str]] = {}  # (ext, cell, check)
        self.subjects: dict[tuple[str, str, str], dict[str, str]] = {}  # (subject, cell, check)
        self.host: dict[tuple[str, str], str] = {}  # (fact, cell) -> value
        self.cell_archs: dict[str, str] = {}  # the cells table: cell -> arch
        self.sections: list[tuple[str, str]] = []  # (class, data-arch) in page order
        self.headings: list[str] = []
        self.links: list[str] = []
        self._in: dict[str, str] | None = None
        self._heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "td" and "data-ext" in a and "data-check" in a:
            self._in = self.squares[(a["data-ext"], a["data-cell"], a["data-check"])] = a
        elif tag == "td" and "data-subject" in a:
            self._in = self.subjects[(a["data-subject"], a["data-cell"], a["data-check"])] = a
        elif tag == "td" and "data-fact" in a:
            self.host[(a["data-fact"], a["data-cell"])] = a["data-value"]
        elif tag == "tr" and "data-arch" in a:
            self.cell_archs[a["data-cell"]] = a["data-arch"]
        elif tag == "section":
            self.sections.append((a.get("class", ""), a.get("data-arch", "")))
        elif tag in ("h2", "h3"):
            self._heading = True
            self.headings.append("")
        elif tag == "a" and self._in is not None:
            self._in["href"] = a.get("href", "")

    def handle_data(self, data: str) -> None:
        if self._heading:
            self.headings[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in = None
        elif tag in ("h2", "h3"):
            self._heading = False


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


def check_mixed_grid(g: Grid) -> None:
    """What both tests expect of the mixed run (arm64docs.mixed_run(sve="0")): the riscv grid
    unchanged, then one section per architecture, arm64 with its capabilities, host facts and
    the place of the ID-register masks."""
    check_grid(g)
    assert g.cell_archs == {"trixie-rv64": "riscv64", "sid-rv64": "riscv64",
                            "trixie-max-vhe": "arm64", "sid-max-nvhe": "arm64"}
    assert g.sections == [("arch", "riscv64"), ("arch", "arm64"), ("id-reg-masks", "arm64")]
    assert "Extension matrix (riscv64)" in g.headings
    assert "Extension matrix (arm64)" not in g.headings
    assert "ID-register writable masks (arm64)" in g.headings
    sve = g.subjects[("KVM_CAP_ARM_SVE", "sid-max-nvhe", "value")]
    assert (sve["data-observed"], sve["data-expected"], sve["data-state"]) == ("0", "1", "diff")
    assert sve["class"].split()[:2] == ["v-no", "s-diff"]
    assert sve["href"].endswith("sid-max-nvhe/console.log")
    assert g.subjects[("KVM_CAP_ARM_SVE", "sid-max-nvhe", "test")]["data-observed"] == "fail"
    ok = g.subjects[("KVM_CAP_ARM_SVE", "trixie-max-vhe", "value")]
    assert (ok["data-state"], ok["data-kind"]) == ("ok", "capability")
    assert g.subjects[("ID_AA64ISAR0_EL1", "trixie-max-vhe", "get")]["data-kind"] == "id_reg"
    assert len(g.subjects) == 2 * (2 * 2 + 1 * 2)  # cells x (capabilities x 2 + id_reg x 2)
    assert g.host[("kvm mode", "sid-max-nvhe")] == "nvhe"
    assert g.host[("ID_AA64ISAR0_EL1", "trixie-max-vhe")] == "0x0221100110212120"
    assert g.host[("cpu features", "trixie-max-vhe")] == "fp asimd aes sve"
    assert not any(cell.endswith("rv64") for _, cell in g.host)
