# SPDX-License-Identifier: MIT
# The verdict rules one by one, on a watched console and a parsed KTAP stream (no QEMU):
# each rule is the only thing between a bad cell and a green one.
from __future__ import annotations

from kvmctlib.cell import ktap
from kvmctlib.cell.console import Watch
from kvmctlib.cell.qemu import Outcome
from kvmctlib.judge.verdict import Verdict, judge

FIRMWARE = ["OpenSBI v1.6", "kvmct-init: kernel 7.2.13+deb14-riscv64"]
ONE_PASS = ["KTAP version 1", "1..1", "ok 1 ApiVersion"]
ONE_FAIL = ["KTAP version 1", "1..1", "not ok 1 ApiVersion"]
ALL_SKIPPED = ["KTAP version 1", "1..1", "ok 1 ApiVersion # SKIP host lacks it"]


def verdict(lines: list[str], returncode: int | None = 0, timed_out: bool = False,
            results_error: str = "") -> Verdict:
    parser, watch = ktap.Parser(), Watch(firmware_banner="OpenSBI v")
    for line in lines:
        watch.feed(line, parser.feed(line))
    return judge(Outcome(returncode, timed_out, "", 1.0), watch, parser.finish(), 30.0,
                 results_error)


def kinds(v: Verdict) -> list[str]:
    return [p.kind for p in v.problems]


def test_clean_cell_passes() -> None:
    v = verdict([*FIRMWARE, *ONE_PASS, "kvmct-init: suite exit 0"])
    assert (v.status, kinds(v)) == ("pass", [])


def test_all_skipped_exit_4_is_a_pass() -> None:
    v = verdict([*FIRMWARE, *ALL_SKIPPED, "kvmct-init: suite exit 4"])
    assert (v.status, kinds(v)) == ("pass", [])


def test_a_crash_exit_status_is_broken() -> None:
    v = verdict([*FIRMWARE, *ONE_PASS, "kvmct-init: suite exit 139"])
    assert (v.status, kinds(v)) == ("broken", ["suite-crash"])
    assert "139" in v.problems[0].message


def test_exit_and_ktap_that_disagree_are_inconsistent() -> None:
    exit1 = verdict([*FIRMWARE, *ONE_PASS, "kvmct-init: suite exit 1"])
    assert (exit1.status, kinds(exit1)) == ("fail", ["inconsistent"])
    exit0 = verdict([*FIRMWARE, *ONE_FAIL, "kvmct-init: suite exit 0"])
    assert (exit0.status, kinds(exit0)) == ("fail", ["inconsistent"])


def test_missing_results_break_a_cell_that_reached_the_suite_exit() -> None:
    v = verdict([*FIRMWARE, *ONE_PASS, "kvmct-init: suite exit 0"],
                results_error="the results disk has no result.json")
    assert (v.status, kinds(v)) == ("broken", ["no-results"])


def test_exit_127_means_qemu_is_missing() -> None:
    v = verdict(["chroot: failed to run command 'qemu': whatever the shell says"], 127)
    assert (v.status, kinds(v)) == ("broken", ["qemu-missing"])
    other = verdict(["something"], 126)
    assert "qemu-missing" not in kinds(other) and "qemu-exit" in kinds(other)


def test_timeout_says_where_it_stuck() -> None:
    firmware = verdict(FIRMWARE, -9, timed_out=True)
    assert "after the firmware" in firmware.problems[0].message
    silent = verdict([], -9, timed_out=True)
    assert "before any firmware output" in silent.problems[0].message
    suite = verdict([*FIRMWARE, "KTAP version 1", "1..2", "ok 1 a"], -9, timed_out=True)
    assert "in the suite" in suite.problems[0].message


def test_kernel_trouble_outside_ktap_is_found() -> None:
    watch = Watch()
    assert watch.feed("[   1.2] BUG: unable to handle page fault") is not None
    assert watch.feed("[   1.3] Oops - store/AMO page fault [#1]") is not None
    assert watch.feed("[   1.4] WARNING: CPU: 0 PID: 1 at vcpu_onereg.c:123") is not None
    assert watch.feed("    # the suite printed WARNING: in a diagnostic", is_ktap=True) is None
    assert [f.kind for f in watch.findings] == ["kernel-bug", "kernel-oops", "kernel-warning"]
