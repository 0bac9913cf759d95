# SPDX-License-Identifier: MIT
# Progress and error lines on stderr, so stdout stays for KTAP and summaries.
from __future__ import annotations

import sys
import threading
import time
from typing import Protocol, TextIO


class Overlay(Protocol):
    """Something drawn below the scrolling lines on a terminal (kvmctlib/reports/live.py's board):
    erased before each line and drawn again after it."""

    def erase(self) -> str: ...

    def draw(self) -> str: ...


class Progress:
    """Prints `kvmct: ...` lines; one lock so parallel cells never interleave a line."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._quiet = quiet
        self._lock = threading.Lock()
        self._t0 = time.monotonic()
        self._overlay: Overlay | None = None

    @property
    def quiet(self) -> bool:
        return self._quiet

    @property
    def stream(self) -> TextIO:
        return self._stream

    def elapsed(self) -> float:
        return time.monotonic() - self._t0

    def attach(self, overlay: Overlay | None) -> None:
        """Draw overlay under the lines from now on (None: erase it and stop)."""
        with self._lock:
            if self._overlay is not None:
                self._stream.write(self._overlay.erase())
            self._overlay = overlay
            self.refresh_locked()

    def refresh(self) -> None:
        with self._lock:
            if self._overlay is not None:
                self._stream.write(self._overlay.erase())
            self.refresh_locked()

    def refresh_locked(self) -> None:
        if self._overlay is not None:
            self._stream.write(self._overlay.draw())
        self._stream.flush()

    def _write(self, out: TextIO, text: str) -> None:
        """Under the lock: erase the overlay, write, draw it again."""
        if self._overlay is not None:
            self._stream.write(self._overlay.erase())
            self._stream.flush()
        out.write(text)
        out.flush()
        self.refresh_locked()

    def step(self, message: str) -> None:
        if self._quiet:
            return
        with self._lock:
            self._write(self._stream, f"kvmct: [{time.monotonic() - self._t0:6.1f}s] {message}\n")

    def warn(self, message: str) -> None:
        """Something the user must see even with --quiet: kvmct chose for them."""
        with self._lock:
            self._write(self._stream, f"kvmct: warning: {message}\n")

    def error(self, message: str) -> None:
        with self._lock:
            self._write(self._stream, f"kvmct: error: {message}\n")

    def block(self, text: str, stream: TextIO | None = None) -> None:
        """Print a multi-line block atomically (a cell's KTAP echo)."""
        with self._lock:
            out = stream if stream is not None else sys.stdout
            self._write(out, text if text.endswith("\n") else text + "\n")
