# SPDX-License-Identifier: MIT
# The report's unknown-id lines: a test's unknown_ids, named from the cell kernel's uapi header
# (the same parser as `kvmct catalogue`) with the lines to paste, or a pointer when it is absent.
from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest

from kvmctlib.judge.records import Cell
from kvmctlib.reports import textreport, unknown_ids

DATA = Path(__file__).resolve().parent / "data"
HEADER = """/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
enum KVM_RISCV_ISA_EXT_ID {
\tKVM_RISCV_ISA_EXT_A = 0,
\tKVM_RISCV_ISA_EXT_C,
\tKVM_RISCV_ISA_EXT_ZICFILP = 78,
\tKVM_RISCV_ISA_EXT_ZICFISS,
\tKVM_RISCV_ISA_EXT_MAX,
};
"""
# A Debian linux-source-7.3 tree unpacked in the cache, when one is (see docs/extending.md).
REAL_HEADER = Path(os.environ.get("KVMCT_CACHE", "/cache")) / \
    "src/linux-source-7.3/arch/riscv/include/uapi/asm/kvm.h"


def cell(header: Path | None, ids: list[int] | None) -> Cell:
    run = json.loads((DATA / "runs" / "sid.json").read_text())
    doc: dict[str, Any] = copy.deepcopy(run["cells"][0])
    if header is not None:
        doc["kernel"]["uapi_header"] = str(header)
    test: dict[str, Any] = {"name": "IsaExtCatalogue.KnowsEveryKernelId", "suite": "IsaExtCatalogue",
            "case": "KnowsEveryKernelId", "status": "fail", "message": "KVM has ids",
            "checks": []}
    if ids is not None:
        test["unknown_ids"] = ids
    doc["tests"] = [*doc["tests"], test]
    return Cell.load(doc)


def _failing(c: Cell) -> Any:
    return next(t for t in c.tests if t.name == "IsaExtCatalogue.KnowsEveryKernelId")


def test_ids_are_named_from_the_header_with_paste_lines(tmp_path: Path) -> None:
    header = tmp_path / "kvm.h"
    header.write_text(HEADER)
    c = cell(header, [78, 79])
    assert _failing(c).unknown_ids == (78, 79)
    text = "\n".join(unknown_ids.lines(c, _failing(c)))
    assert "78 = ZICFILP, 79 = ZICFISS" in text
    assert "  - name: ZICFISS\n    id: 79\n" in text
    assert "  ZICFILP: {deferred:" in text
    assert "\n".join(textreport.failures([c])).count("- name: ZICF") == 2


def test_an_id_the_header_lacks_is_said(tmp_path: Path) -> None:
    header = tmp_path / "kvm.h"
    header.write_text(HEADER)
    c = cell(header, [80])
    assert unknown_ids.lines(c, _failing(c)) == [
        f"unknown ISA_EXT ids, named by {header}: 80 = (not in this header)"]


def test_without_a_header_the_report_points_to_catalogue() -> None:
    c = cell(None, [78])
    [line] = unknown_ids.lines(c, _failing(c))
    assert line.startswith("unknown ISA_EXT ids 78: the kernel's uapi header is not at hand")


def test_no_unknown_ids_no_lines(tmp_path: Path) -> None:
    header = tmp_path / "kvm.h"
    header.write_text(HEADER)
    cases: tuple[list[int] | None, ...] = (None, [])
    for ids in cases:
        c = cell(header, ids)
        assert unknown_ids.lines(c, _failing(c)) == []


@pytest.mark.skipif(not REAL_HEADER.is_file(), reason="no linux-source-7.3 unpacked in the cache")
def test_real_linux_source_7_3_header() -> None:
    c = cell(REAL_HEADER, [78, 79])
    text = "\n".join(unknown_ids.lines(c, _failing(c)))
    assert "78 = ZICFILP, 79 = ZICFISS" in text
    assert 'since: "7.3"' in text
