# SPDX-License-Identifier: MIT
# The HTML report in a real browser: headless chromium loads the page from a file: URL and
# dumps the DOM it built; the grids read back from that DOM must say what the results say
# (a RISC-V run, a run mixing RISC-V and arm64 cells, and the arm64 register x field grids
# beside the RISC-V writable mask); a screenshot shows the grid is laid out, not just parsed.
# Runs on the host (ci/test installs Debian's chromium when missing) with the stdlib only:
#   python3 -m unittest tools/tests/test_html_browser.py
# Inside the build root (no chromium) it skips.
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import arm64docs  # noqa: E402
from htmlgrid import (check_field_grid, check_grid, check_mixed_grid,  # noqa: E402
                      check_riscv_mask, read_grid)
from kvmctlib.reports import htmlreport  # noqa: E402
from kvmctlib.judge.records import Run  # noqa: E402

RUNS = Path(__file__).resolve().parent / "data" / "runs"
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run"]


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
            shot = Path(tmp) / "grid.png"
            chromium([f"--screenshot={shot}", "--window-size=1600,4000", page.as_uri()], profile)
            self.assertGreater(shot.stat().st_size, 20000)
        g = read_grid(dom)
        self.assertEqual(g.views, [("may-change ext-mask", "riscv64"),
                                   ("may-change id-reg-masks", "arm64")])
        check_field_grid(g)
        check_riscv_mask(g)


if __name__ == "__main__":
    unittest.main()
