# SPDX-License-Identifier: MIT
# pytest setup for tools/: import path, the data directory, and golden-file comparison
# (KVMCT_UPDATE_GOLDEN=1 re-renders the golden files instead of comparing).
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS.parent))


@pytest.fixture
def data_dir() -> Path:
    return TESTS / "data"


@pytest.fixture
def golden() -> Callable[[Path, str], None]:
    def check(path: Path, actual: str) -> None:
        if os.environ.get("KVMCT_UPDATE_GOLDEN") == "1":
            path.write_text(actual)
            return
        assert path.is_file(), f"{path} missing: run with KVMCT_UPDATE_GOLDEN=1 to create it"
        assert actual == path.read_text(), f"{path} differs (KVMCT_UPDATE_GOLDEN=1 re-renders)"

    return check
