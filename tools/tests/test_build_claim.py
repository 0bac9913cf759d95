# SPDX-License-Identifier: MIT
# A build tree shared by two checkouts is rebuilt when the checkout changes, never reused.
from __future__ import annotations

import io
from pathlib import Path

from kvmctlib.build import cmake
from kvmctlib.log import Progress


def test_another_checkout_empties_the_build_trees(tmp_path: Path) -> None:
    build = tmp_path / "build"
    quiet = Progress(stream=io.StringIO())
    cmake.claim(build, Path("/a"), ("host", "riscv64"), quiet)
    (build / "host").mkdir()
    (build / "host" / "build.ninja").write_text("")
    cmake.claim(build, Path("/a"), ("host", "riscv64"), quiet)
    assert (build / "host" / "build.ninja").is_file(), "the same checkout keeps its objects"
    said = io.StringIO()
    cmake.claim(build, Path("/b"), ("host", "riscv64"), Progress(stream=said))
    assert not (build / "host").exists()
    assert (build / cmake.SOURCE_STAMP).read_text() == "/b\n"
    assert "last built from /a" in said.getvalue()
