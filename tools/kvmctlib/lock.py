# SPDX-License-Identifier: MIT
# One lock file per cache: two kvmct commands never build the same root, kernel or build
# tree at once (the second waits, then finds the work done).
from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .log import Progress
from .paths import Cache


@contextmanager
def exclusive(cache: Cache, progress: Progress) -> Iterator[None]:
    cache.root.mkdir(parents=True, exist_ok=True)
    with exclusive_file(cache.root / "lock", progress, f"another kvmct using {cache.root}"):
        yield


@contextmanager
def exclusive_file(path: Path, progress: Progress, holder: str) -> Iterator[None]:
    """flock on `path` (created): one work item for minutes (a kernel build) without holding
    the whole cache."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress.step(f"waiting for {holder}")
            fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
