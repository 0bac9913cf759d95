# SPDX-License-Identifier: MIT
# One lock file per cache: two kvmct commands never build the same root, kernel or build
# tree at once (the second waits, then finds the work done).
from __future__ import annotations

import fcntl
from contextlib import contextmanager
from typing import Iterator

from .log import Progress
from .paths import Cache


@contextmanager
def exclusive(cache: Cache, progress: Progress) -> Iterator[None]:
    cache.root.mkdir(parents=True, exist_ok=True)
    with open(cache.root / "lock", "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress.step(f"waiting for another kvmct using {cache.root}")
            fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
