# SPDX-License-Identifier: MIT
# Live progress of a run: each cell's state (queued, packing, firmware, kernel, suite k/n with
# the current suite, done) read from its console as it streams. On a terminal a compact board
# is redrawn in place under the scrolling lines; elsewhere (CI logs) one plain line is printed
# per state change.
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

from ..cell import init_protocol as proto
from ..log import Progress

_PLAN = re.compile(r"^1\.\.(\d+)\s*$")
_SUBTEST = re.compile(r"^ {4}# Subtest: (\S+)")
_LEAF_FAIL = re.compile(r"^ {8,}not ok \d+")
_STATE_TEXT = {"firmware": "firmware", "kernel": "kernel booted, /init running",
               "suite": "kvmct-suite started", "exiting": "suite done, powering off"}
REDRAW_S = 0.25  # at most this often from console lines; the clock ticks every second


@dataclass
class CellState:
    name: str
    state: str = "queued"  # queued packing firmware kernel suite exiting done
    started: float = 0.0
    ended: float = 0.0
    plan: int = 0
    suite_index: int = 0
    suite: str = ""
    failures: int = 0
    verdict: str = ""

    def describe(self, now: float) -> str:
        t = (self.ended or now) - self.started if self.started else 0.0
        clock = f"{t:5.1f} s" if self.started else ""
        if self.state == "suite":
            what = f"suite {self.suite_index}/{self.plan or '?'} {self.suite}"
        elif self.state == "done":
            what = self.verdict
        else:
            what = self.state
        fails = f"  {self.failures} not ok" if self.failures else ""
        return f"{what:<34} {clock}{fails}"


class Board:
    """Cell states for the whole run; thread-safe (cells run in parallel threads)."""

    def __init__(self, progress: Progress, cells: list[str], tty: bool | None = None,
                 firmware: dict[str, str] | None = None) -> None:
        """`firmware`: the firmware's name per cell whose architecture has a firmware stage."""
        self._progress = progress
        self._firmware = firmware or {}
        self._lock = threading.Lock()
        self._cells = {n: CellState(n) for n in cells}
        self._order = list(cells)
        self._drawn = 0
        self._last = 0.0
        self._tty = (progress.stream.isatty() if tty is None else tty) and not progress.quiet
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    @property
    def tty(self) -> bool:
        return self._tty

    # -- what the run tells us -------------------------------------------------------------
    def set(self, cell: str, state: str) -> None:
        with self._lock:
            c = self._cells[cell]
            if state != "packing" and not c.started:
                c.started = time.monotonic()
            changed = c.state != state
            c.state = state
        if changed:
            self._changed(cell, state)

    def feed(self, cell: str, line: str) -> None:
        """One console line of the cell: move its state on."""
        text = line.rstrip("\n")
        new = ""
        with self._lock:
            c = self._cells[cell]
            said = proto.parse(text)
            if c.state in ("queued", "packing") or (c.state == "firmware" and
                                                    said is not None and bool(said.kernel)):
                new = "kernel" if said is not None and said.kernel else "firmware"
                if not c.started:
                    c.started = time.monotonic()
            elif c.state == "kernel" and text.startswith("KTAP version"):
                new = "suite"
            elif c.state == "suite":
                if m := _PLAN.match(text):
                    c.plan = int(m.group(1))
                elif m := _SUBTEST.match(text):
                    c.suite_index += 1
                    c.suite = m.group(1)
                elif _LEAF_FAIL.match(text):
                    c.failures += 1
                elif said is not None and said.suite_exit is not None:
                    new = "exiting"
            if new:
                c.state = new
        if new:
            self._changed(cell, new)
        elif self._tty and time.monotonic() - self._last > REDRAW_S:
            self._redraw()

    def done(self, cell: str, verdict: str, counts: str) -> None:
        with self._lock:
            c = self._cells[cell]
            c.state, c.ended = "done", time.monotonic()
            c.verdict = f"{verdict.upper()} {counts}".strip()
        self._changed(cell, "done")

    # -- drawing ---------------------------------------------------------------------------
    def _changed(self, cell: str, state: str) -> None:
        if self._tty:
            self._redraw()
            return
        with self._lock:
            c = self._cells[cell]
            line = (f"[{cell}] {c.verdict} in {c.ended - c.started:.1f} s" if state == "done"
                    else f"[{cell}] {self._state_text(cell, state)}")
        if state not in ("queued", "packing"):
            self._progress.step(line)

    def _state_text(self, cell: str, state: str) -> str:
        if state == "firmware":  # before /init's kernel line: the firmware, if any, then Linux
            name = self._firmware.get(cell)
            return f"firmware ({name})" if name else "booting the kernel"
        return _STATE_TEXT.get(state, state)

    def _redraw(self) -> None:
        self._last = time.monotonic()
        self._progress.refresh()

    def lines(self, now: float | None = None) -> list[str]:
        now = time.monotonic() if now is None else now
        with self._lock:
            cells = [self._cells[n] for n in self._order]
            width = max([len(c.name) for c in cells] + [4])
            counts = {s: sum(1 for c in cells if c.state == s) for s in ("queued", "done")}
            running = len(cells) - counts["queued"] - counts["done"]
            head = (f"kvmct: {counts['done']}/{len(cells)} cells done, {running} running, "
                    f"{counts['queued']} queued")
            return [head] + [f"  {c.name:<{width}}  {c.describe(now)}".rstrip() for c in cells]

    def erase(self) -> str:
        n, self._drawn = self._drawn, 0
        return f"\x1b[{n}F\x1b[J" if n else ""

    def draw(self) -> str:
        out = self.lines()
        self._drawn = len(out)
        return "\n".join(out) + "\n"

    # -- lifetime --------------------------------------------------------------------------
    def __enter__(self) -> Board:
        if self._tty:
            self._progress.attach(self)
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
            self._progress.attach(None)

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            self._redraw()
