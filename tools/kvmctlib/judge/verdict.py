# SPDX-License-Identifier: MIT
# Decides a cell's status from everything observed: QEMU's exit, console findings, the KTAP
# report, the suite's exit line and the results disk. Pure; every problem names its evidence.
from __future__ import annotations

from dataclasses import dataclass

from ..cell.console import Watch
from ..cell.ktap import Report
from ..cell.qemu import Outcome
from .records import Problem

PASS, FAIL, BROKEN = "pass", "fail", "broken"
# kselftest exit codes the suite may use: pass, fail, all skipped.
_SUITE_EXITS = {0: PASS, 1: FAIL, 4: PASS}


@dataclass(frozen=True)
class Verdict:
    status: str  # pass | fail | broken
    problems: list[Problem]


def judge(outcome: Outcome, watch: Watch, report: Report, timeout_s: float,
          results_error: str = "") -> Verdict:
    problems: list[Problem] = []

    def add(kind: str, message: str, line_no: int | None = None) -> None:
        problems.append(Problem(kind, message, watch.excerpt(line_no)))

    if outcome.returncode is None:
        add("qemu-missing", f"QEMU could not start: {outcome.spawn_error}")
        return Verdict(BROKEN, problems)
    if outcome.returncode == 127:  # the shell's "command not found" (QEMU never exits 127)
        add("qemu-missing", "QEMU is not installed in the build root (exit 127)")
        return Verdict(BROKEN, problems)
    if outcome.timed_out:
        where = "in the suite" if report.started else (
            "before the suite started" if watch.firmware_banner is None  # no firmware stage
            else "after the firmware, before the suite started" if watch.firmware_seen
            else "before any firmware output")
        add("timeout", f"no poweroff within {timeout_s:g} s (stuck {where}); QEMU killed")
    elif outcome.returncode != 0:
        add("qemu-exit", f"QEMU exited with status {outcome.returncode}")
    for f in watch.findings:
        add(f.kind, f.text.strip(), f.line_no)
    if not report.started:
        add("no-ktap", "the console has no KTAP version line: the suite never started")
    else:
        for kind, error in zip(report.error_kinds, report.errors):
            add(kind, error)
    if not outcome.timed_out and watch.suite_exit is None and not any(
            f.kind in ("init-error", "kvm-absent", "kernel-panic") for f in watch.findings):
        add("suite-crash", "no `kvmct-init: suite exit` line: the suite or /init died")
    elif watch.suite_exit is not None and watch.suite_exit not in _SUITE_EXITS:
        add("suite-crash", f"the suite exited with status {watch.suite_exit} "
            "(not 0, 1 or 4: a crash or signal)")
    if results_error and watch.suite_exit is not None:
        add("no-results", results_error)
    counts = report.counts()
    if not problems and sum(counts.values()) == 0:
        # A green cell that checked nothing would hide a --filter typo or a suite that
        # registered no test.
        add("no-tests", "the suite ran no test (KTAP plan 1..0): does --filter match any test name?")
    if problems:
        return Verdict(BROKEN, problems)
    failed = counts["fail"] > 0 or watch.suite_exit == 1
    if watch.suite_exit == 1 and counts["fail"] == 0:
        problems.append(Problem("inconsistent", "suite exited 1 but KTAP shows no failure"))
    if watch.suite_exit == 0 and counts["fail"] > 0:
        problems.append(Problem("inconsistent", "suite exited 0 but KTAP shows failures"))
    return Verdict(FAIL if failed else PASS, problems)
