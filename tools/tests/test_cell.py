# SPDX-License-Identifier: MIT
# A cell end to end against a fake QEMU that plays console transcripts: what turns a run
# red (exit 1 for a failing test, exit 2 for a broken run) and what stays green.
from __future__ import annotations

import io
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from kvmctlib.cell import boot, cpio
from kvmctlib.judge import results
from kvmctlib.judge.records import Cell
from kvmctlib.log import Progress

FAKE = Path(__file__).parent / "fakeqemu.py"
CONSOLES = Path(__file__).parent / "data" / "consoles"


def run_case(tmp_path: Path, transcript: str, timeout_s: float = 30.0,
             qemu: str | None = None, firmware_banner: str | None = "OpenSBI v"
             ) -> tuple[boot.Outcome, dict[str, Any], int]:
    image = tmp_path / "Image"
    image.write_bytes(b"kernel")
    spec = boot.Spec("fake-rv64", {"name": "fake", "package": "linux-image-fake",
                                   "version": "1", "suite": "test", "release": "6.12.0-fake",
                                   "image": str(image)},
                     image, "rv64", tmp_path / "cell", timeout_s)
    initrd = boot.pack(spec, [cpio.file("init", b"#!/bin/sh\n")])
    if qemu is None:
        def wrap(argv: list[str]) -> list[str]:
            return [sys.executable, str(FAKE), str(CONSOLES / transcript), *argv[1:]]
        launcher = boot.Launcher("qemu-system-riscv64", "virt", wrap, str,
                                 "10.0.0 (Fake 1:10.0.0)", "ttyS0", (), firmware_banner)
    else:
        launcher = boot.Launcher(qemu, "virt", lambda argv: argv, str, "")
    outcome = boot.run(spec, initrd, launcher, Progress(stream=io.StringIO()))
    doc = results.cell_document(outcome)
    return outcome, doc, results.exit_code(results.merge([doc], "now", [])["status"])


def kinds(outcome: boot.Outcome) -> list[str]:
    return [p.kind for p in outcome.verdict.problems]


def test_pass(tmp_path: Path) -> None:
    outcome, doc, code = run_case(tmp_path, "pass.txt")
    assert (outcome.verdict.status, code, kinds(outcome)) == ("pass", 0, [])
    assert doc["future_key"] == [1, 2]  # unknown suite keys pass through
    assert doc["suite_schema"] == "kvmct-suite-result/2"
    assert doc["kernel"]["package"] == "linux-image-fake"
    assert doc["qemu"] == {"version": "10.0.0", "build": "Fake 1:10.0.0", "cpu": "rv64",
                           "cpu_name": "rv64"}
    assert Path(doc["console_log"]).read_text().count("\n") > 5


def test_failing_test_exits_1(tmp_path: Path) -> None:
    outcome, doc, code = run_case(tmp_path, "failing.txt")
    assert (outcome.verdict.status, code) == ("fail", 1)
    assert doc["runner"]["ktap"]["fail"] == 1


@pytest.mark.parametrize("transcript,kind", [
    ("warning.txt", "kernel-warning"),
    ("panic.txt", "kernel-panic"),
    ("insmod.txt", "init-error"),
    ("nokvm.txt", "kvm-absent"),
    ("crash.txt", "suite-crash"),
    ("noplan.txt", "no-plan"),
    ("qemucrash.txt", "qemu-exit"),
    ("notests.txt", "no-tests"),
])
def test_broken_cell_exits_2(tmp_path: Path, transcript: str, kind: str) -> None:
    outcome, doc, code = run_case(tmp_path, transcript)
    assert (outcome.verdict.status, code) == ("broken", 2)
    assert kind in kinds(outcome)
    problem = next(p for p in outcome.verdict.problems if p.kind == kind)
    assert problem.excerpt  # every problem carries the console around it
    assert doc["runner"]["errors"]


def test_warning_excerpt_shows_the_warning(tmp_path: Path) -> None:
    outcome, _, _ = run_case(tmp_path, "warning.txt")
    problem = next(p for p in outcome.verdict.problems if p.kind == "kernel-warning")
    assert "vcpu_onereg.c:123" in problem.excerpt
    assert "cut here" in problem.excerpt


def test_hung_boot_is_killed_at_the_timeout(tmp_path: Path) -> None:
    t0 = time.monotonic()
    outcome, _, code = run_case(tmp_path, "hang.txt", timeout_s=1.5)
    assert time.monotonic() - t0 < 15
    assert (outcome.verdict.status, code) == ("broken", 2)
    assert kinds(outcome)[0] == "timeout"
    assert "after the firmware" in outcome.verdict.problems[0].message


def test_a_hung_boot_without_a_firmware_stage_says_so(tmp_path: Path) -> None:
    """An architecture whose QEMU boots the kernel directly (arm64) has no firmware to be
    stuck after."""
    outcome, _, _ = run_case(tmp_path, "hang.txt", timeout_s=1.5, firmware_banner=None)
    assert "stuck before the suite started" in outcome.verdict.problems[0].message


def test_qemu_missing(tmp_path: Path) -> None:
    outcome, _, code = run_case(tmp_path, "", qemu=str(tmp_path / "no-such-qemu"))
    assert (kinds(outcome), code) == (["qemu-missing"], 2)


def test_broken_cell_counts_as_a_failure_in_the_closing_line(tmp_path: Path) -> None:
    _, doc, _ = run_case(tmp_path, "panic.txt")
    totals = results.counts([doc])
    assert totals["failed"] == 1 and totals["broken_cells"] == 1


def test_uptime_marks_are_recorded(tmp_path: Path) -> None:
    _, doc, _ = run_case(tmp_path, "pass.txt")
    assert doc["runner"]["guest_uptime_s"] == {"suite_start": 2.71, "suite_end": 13.5}


@pytest.mark.parametrize("members,error", [
    ({"result.json": b"[1, 2]"}, "not a JSON object"),
    ({"result.json": b"{"}, "not JSON"),
    ({"junit.xml": b"<x/>"}, "no result.json"),
])
def test_results_disk_problems_are_named(tmp_path: Path, members: dict[str, bytes],
                                         error: str) -> None:
    import tarfile
    disk = tmp_path / "results.img"
    with tarfile.open(disk, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(f"./{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    doc, _, problem = boot.read_results(disk)
    assert doc is None and error in problem
    zeros, junk = tmp_path / "zero.img", tmp_path / "junk.img"
    zeros.write_bytes(b"\0" * 4096)  # the guest never wrote the disk
    junk.write_bytes(b"x" * 4096)
    assert boot.read_results(zeros)[2] == "the results disk has no result.json"
    assert "no readable tar" in boot.read_results(junk)[2]


def test_a_result_json_that_breaks_the_schema_breaks_only_its_cell(tmp_path: Path) -> None:
    # The fake suite skips without a skip kind: the cell is broken and says why, and its
    # document still loads, so the other cells of the run are reported.
    outcome, doc, code = run_case(tmp_path, "contract.txt")
    assert (doc["runner"]["status"], code) == ("broken", 2)
    assert [e["kind"] for e in doc["runner"]["errors"]] == ["contract"]
    assert "status 'skip' with skip None" in doc["runner"]["errors"][0]["message"]
    assert [t["source"] for t in doc["tests"]] == ["ktap"]
    assert "isa_extensions" not in doc
    Cell.load(doc)
