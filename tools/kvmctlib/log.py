# SPDX-License-Identifier: MIT
# Progress and error lines on stderr, so stdout stays for KTAP and summaries.
from __future__ import annotations

import sys
import threading
import time
from typing import TextIO


class Progress:
    """Prints `kvmct: ...` lines; one lock so parallel cells never interleave a line."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._quiet = quiet
        self._lock = threading.Lock()
        self._t0 = time.monotonic()

    def step(self, message: str) -> None:
        if self._quiet:
            return
        with self._lock:
            print(f"kvmct: [{time.monotonic() - self._t0:6.1f}s] {message}",
                  file=self._stream, flush=True)

    def error(self, message: str) -> None:
        with self._lock:
            print(f"kvmct: error: {message}", file=self._stream, flush=True)

    def block(self, text: str, stream: TextIO | None = None) -> None:
        """Print a multi-line block atomically (a cell's KTAP echo)."""
        with self._lock:
            out = stream if stream is not None else sys.stdout
            out.write(text if text.endswith("\n") else text + "\n")
            out.flush()
