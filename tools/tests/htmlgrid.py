# SPDX-License-Identifier: MIT
# Reading the HTML report's grids back from their data-* attributes (the ISA-extension matrix,
# the arm64 subject tables and host facts, the cells and architecture sections, the arm64
# register x field grids and the RISC-V writable mask of "what a VMM may change"): shared by the
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
        self.fields: dict[tuple[str, str, str], dict[str, str]] = {}  # (register, field, cell)
        self.masks: dict[tuple[str, str], dict[str, str]] = {}  # (register, cell)
        self.toggles: dict[tuple[str, str, str], dict[str, str]] = {}  # (ext, cell, toggle)
        self.views: list[tuple[str, str]] = []  # may-change parts: (class, data-arch)
        # a grid row without fields: (register, cell) -> [(bits "63:32", writable|fixed)]
        self.mask_bits: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.grid_rows: dict[str, list[str]] = {}  # grid cell -> its rows' registers in order
        self._grid: str | None = None
        self.headings: list[str] = []
        self.links: list[str] = []
        self._in: dict[str, str] | None = None
        self._heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "table" and "idgrid" in a.get("class", "").split():
            self._grid = a["data-cell"]
            self.grid_rows[self._grid] = []
        elif tag == "tr" and self._grid is not None and "data-register" in a:
            self.grid_rows[self._grid].append(a["data-register"])
        elif tag == "td" and "data-field" in a:
            self._in = self.fields[(a["data-register"], a["data-field"], a["data-cell"])] = a
        elif tag == "td" and "data-bits" in a:
            self.mask_bits.setdefault((a["data-register"], a["data-cell"]), []).append(
                (a["data-bits"], a["data-writable"]))
        elif tag == "td" and "data-mask" in a:
            self._in = self.masks[(a["data-register"], a["data-cell"])] = a
        elif tag == "td" and "data-toggle" in a:
            self._in = self.toggles[(a["data-ext"], a["data-cell"], a["data-toggle"])] = a
        elif tag == "div" and "may-change" in a.get("class", "").split():
            self.views.append((a["class"], a.get("data-arch", "")))
        elif tag == "td" and "data-ext" in a and "data-check" in a:
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
        elif tag == "table":
            self._grid = None
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
    assert g.sections == [("arch", "riscv64"), ("arch", "arm64"), ("may-change", "")]
    assert g.views == [("may-change ext-mask", "riscv64"), ("may-change id-reg-masks", "arm64")]
    assert "Extension matrix (riscv64)" in g.headings
    assert "Extension matrix (arm64)" not in g.headings
    assert "What a VMM may change" in g.headings
    assert "arm64: discovered by asking" in g.headings
    assert "riscv64: discovered by trying" in g.headings
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


def check_riscv_mask(g: Grid) -> None:
    """The RISC-V writable mask of the ZAAMO regression page (sid-zaamo-disable.json): what KVM
    answered each disable / enable, with the judge's state."""
    zaamo = g.toggles[("ZAAMO", "sid-rv64", "disable")]
    assert (zaamo["data-allowed"], zaamo["data-observed"], zaamo["data-state"]) == \
        ("yes", "ok", "diff")
    assert zaamo["class"].split()[:2] == ["v-yes", "s-diff"]
    a = g.toggles[("A", "sid-rv64", "disable")]
    assert (a["data-allowed"], a["data-observed"], a["data-state"]) == ("no", "EINVAL", "ok")
    d = g.toggles[("D", "sid-rv64", "disable")]
    assert (d["data-allowed"], d["data-state"]) == ("yes", "ok")
    h = g.toggles[("H", "sid-rv64", "disable")]
    assert (h["data-allowed"], h["data-state"]) == ("", "na")  # off by default: not tried
    assert g.toggles[("H", "sid-rv64", "enable")]["data-allowed"] == "no"
    assert ("ZAAMO", "trixie-rv64", "disable") not in g.toggles  # absent on 6.12


def check_field_grid(g: Grid) -> None:
    """What both tests expect of arm64docs.field_run(): a 6.12 and a 7.2 cell, the 7.2 one with
    ID_AA64ISAR0_EL1.RNDR wrongly writable."""
    assert g.grid_rows == {c: ["MIDR_EL1", "ID_AA64PFR0_EL1", "ID_AA64ISAR0_EL1",
                               "ID_AA64ISAR3_EL1", "CTR_EL0"]
                           for c in ("trixie-max-vhe", "sid-max-vhe")}
    aes = g.fields[("ID_AA64ISAR0_EL1", "AES", "sid-max-vhe")]
    assert (aes["data-writable"], aes["data-rule"], aes["data-lsb"], aes["colspan"]) == \
        ("writable", "lower-safe", "4", "4")
    assert (aes["data-accepted"], aes["data-accepted-state"], aes["data-refused"],
            aes["data-refused-state"], aes["data-guest"], aes["data-state"]) == \
        ("ok", "ok", "EINVAL", "ok", "0x1", "ok")
    assert aes["class"].split() == ["f", "w-writable", "s-ok"]
    rndr = g.fields[("ID_AA64ISAR0_EL1", "RNDR", "sid-max-vhe")]
    assert (rndr["data-writable"], rndr["data-table-writable"], rndr["data-writable-state"],
            rndr["data-refused"], rndr["data-refused-state"], rndr["data-state"]) == \
        ("writable", "fixed", "diff", "ok", "diff", "diff")
    old = g.fields[("ID_AA64ISAR0_EL1", "RNDR", "trixie-max-vhe")]
    assert (old["data-writable"], old["data-state"], old["data-accepted-state"]) == \
        ("fixed", "ok", "na")
    gic = g.fields[("ID_AA64PFR0_EL1", "GIC", "sid-max-vhe")]
    assert gic["data-host-managed"].startswith("GIC cleared at first run")
    assert g.fields[("CTR_EL0", "L1Ip", "trixie-max-vhe")]["data-writable"] == "fixed"
    assert g.fields[("CTR_EL0", "L1Ip", "sid-max-vhe")]["data-writable"] == "writable"
    assert g.fields[("CTR_EL0", "L1Ip", "sid-max-vhe")]["data-guest-state"] == "na"
    mask = g.masks[("ID_AA64ISAR0_EL1", "sid-max-vhe")]
    assert (mask["data-mask"], mask["data-expected"], mask["data-state"]) == \
        ("0xf000000000000ff0", "0x0000000000000ff0", "diff")
    assert g.masks[("MIDR_EL1", "trixie-max-vhe")]["data-mask"] == "0x0000000000000000"
    assert len(g.fields) == 2 * 8 and len(g.masks) == 2 * 5
    # MIDR_EL1 has no field records here: its row pictures the mask's bits.
    assert g.mask_bits[("MIDR_EL1", "sid-max-vhe")] == [("63:32", "fixed"), ("31:0", "writable")]
    assert g.mask_bits[("MIDR_EL1", "trixie-max-vhe")] == [("63:0", "fixed")]
    assert not any(reg != "MIDR_EL1" for reg, _ in g.mask_bits)
