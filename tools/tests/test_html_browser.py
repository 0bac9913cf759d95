# SPDX-License-Identifier: MIT
# The HTML report in a real browser: headless chromium loads the page from a file: URL and
# dumps the DOM it built; the grids read back from that DOM must say what the results say
# (a RISC-V run, a run mixing RISC-V and arm64 cells, and the arm64 register x field grids
# beside the RISC-V writable mask); a screenshot's pixels show the grid is laid out and coloured.
# Runs on the host (ci/test installs Debian's chromium when missing) with the stdlib only:
#   python3 -m unittest tools/tests/test_html_browser.py
# Inside the build root (no chromium) it skips.
from __future__ import annotations

import json
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import arm64docs  # noqa: E402
from htmlgrid import (check_field_grid, check_grid, check_mixed_grid,  # noqa: E402
                      check_riscv_mask, read_grid)
from kvmctlib.judge import atomics_bench  # noqa: E402
from kvmctlib.reports import atomics_chart, htmlreport, idregmasks  # noqa: E402
from kvmctlib.judge.records import Run  # noqa: E402

RUNS = Path(__file__).resolve().parent / "data" / "runs"
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run"]


def pixels(png: Path, rgb: tuple[int, int, int]) -> int:
    """How many pixels of a screenshot have exactly this colour (8-bit RGB/RGBA PNG, stdlib
    only: chunks, zlib, the five row filters)."""
    data = png.read_bytes()
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * channels
    prev, count, target = bytearray(stride), 0, bytes(rgb)
    for y in range(height):
        f, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = row[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if f == 1:
                row[i] = (row[i] + a) & 255
            elif f == 2:
                row[i] = (row[i] + b) & 255
            elif f == 3:
                row[i] = (row[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        count += sum(1 for x in range(0, stride, channels) if row[x:x + 3] == target)
        prev = row
    return count


def chromium(args: list[str], profile: str) -> str:
    done = subprocess.run([*CHROMIUM, f"--user-data-dir={profile}", *args],
                          capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise AssertionError(f"chromium exited {done.returncode}: "
                             f"{done.stderr.decode(errors='replace')[-2000:]}")
    return done.stdout.decode(errors="replace")


@unittest.skipUnless(shutil.which("chromium"), "chromium is not installed")
class BrowserReadsTheGrid(unittest.TestCase):
    def test_grid_in_the_dom(self) -> None:
        with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as profile:
            page = Path(tmp) / "report.html"
            run = Run.load(json.loads((RUNS / "sid-zaamo-disable.json").read_text()))
            page.write_text(htmlreport.render(run, Path("/cache/runs/20260101-000000")))
            dom = chromium(["--dump-dom", page.as_uri()], profile)
        self.assertIn('data-status="fail"', dom)
        check_grid(read_grid(dom))

    def test_mixed_run_in_the_dom(self) -> None:
        """Both architectures on one page: each cell's arch, a section per architecture, the
        arm64 capabilities and host facts, the ID-register masks' place."""
        with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as profile:
            page = Path(tmp) / "report.html"
            run = Run.load(arm64docs.mixed_run(sve="0"))
            page.write_text(htmlreport.render(run, Path("/cache/runs/20260101-000000")))
            dom = chromium(["--dump-dom", page.as_uri()], profile)
        check_mixed_grid(read_grid(dom))

    def test_what_a_vmm_may_change_in_the_dom(self) -> None:
        """arm64's register x field grids (a 6.12 and a 7.2 cell, one widened field) and the
        RISC-V writable mask of the ZAAMO regression in one section, read back from the DOM;
        the screenshot must not be blank (the page lays out)."""
        riscv = json.loads((RUNS / "sid-zaamo-disable.json").read_text())["cells"]
        doc = arm64docs.run_of(riscv + arm64docs.field_run()["cells"])
        with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as profile:
            page = Path(tmp) / "report.html"
            page.write_text(htmlreport.render(Run.load(doc), Path("/cache/runs/20260101-000000")))
            dom = chromium(["--dump-dom", page.as_uri()], profile)
            # The grid is laid out and coloured, not just parsed: its writable green (a colour
            # of its own) covers the writable squares (12 here, ~1500 px each at 4 bits).
            grid = Path(tmp) / "grid.html"
            grid.write_text(htmlreport.render(Run.load(arm64docs.field_run())))
            shot = Path(tmp) / "grid.png"
            chromium([f"--screenshot={shot}", "--window-size=1400,1400", grid.as_uri()], profile)
            green = tuple(int(idregmasks.WRITABLE_COLOUR[i:i + 2], 16) for i in (1, 3, 5))
            self.assertGreater(pixels(shot, (green[0], green[1], green[2])), 8000)
        g = read_grid(dom)
        self.assertEqual(g.views, [("may-change ext-mask", "riscv64"),
                                   ("may-change id-reg-masks", "arm64")])
        check_field_grid(g)
        check_riscv_mask(g)


class _Charts(HTMLParser):
    """The atomics charts as the browser built them: chart title -> series label -> the
    vCPU counts of its markers, and which series have a polyline."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, dict[str, list[str]]] = {}
        self.lined: set[tuple[str, str]] = set()
        self._chart, self._series = "", ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "svg" and a.get("data-chart"):
            self._chart = a["data-chart"] or ""
            self.charts[self._chart] = {}
        elif tag == "g" and a.get("data-series") and self._chart:
            self._series = a["data-series"] or ""
            self.charts[self._chart][self._series] = []
        elif tag == "polyline" and self._series:
            self.lined.add((self._chart, self._series))
        elif tag == "circle" and self._series:
            self.charts[self._chart][self._series].append(a.get("data-vcpus") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "g":
            self._series = ""
        elif tag == "svg":
            self._chart = ""


@unittest.skipUnless(shutil.which("chromium"), "chromium is not installed")
class BrowserDrawsTheAtomicsChart(unittest.TestCase):
    def test_chart_in_the_dom_and_on_screen(self) -> None:
        """bench --atomics's run (4 cells, trimmed): one chart per operation and layout, each
        with one series per kernel x CPU model and a marker per vCPU count, read back from the
        browser's DOM; the screenshot shows the first series' colour (the SVG is drawn)."""
        doc = json.loads((RUNS / "atomics-bench.json").read_text())
        run = Run.load(doc)
        labels = [atomics_chart.label(c) for c in run.cells]
        with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as profile:
            page = Path(tmp) / "report.html"
            page.write_text(htmlreport.render(run, Path("/cache/runs/20260101-000000")))
            dom = chromium(["--dump-dom", page.as_uri()], profile)
            shot = Path(tmp) / "atomics.png"
            chromium([f"--screenshot={shot}", "--window-size=1400,2000", page.as_uri()], profile)
            blue = tuple(int(atomics_chart.COLOURS[0][i:i + 2], 16) for i in (1, 3, 5))
            self.assertGreater(pixels(shot, (blue[0], blue[1], blue[2])), 200)
        parsed = _Charts()
        parsed.feed(dom)
        self.assertEqual(sorted(parsed.charts), sorted(
            f"{op} {layout}" for op in atomics_bench.OPS for layout in atomics_bench.LAYOUTS))
        for title, series in parsed.charts.items():
            self.assertEqual(list(series), labels, title)
            for label, vcpus in series.items():
                self.assertEqual(vcpus, ["1", "2", "4"], (title, label))
                self.assertIn((title, label), parsed.lined)
        self.assertIn("QEMU TCG", dom)
        self.assertNotIn("<script", dom)


if __name__ == "__main__":
    unittest.main()
