# SPDX-License-Identifier: MIT
# KTAP parser: golden files of nested streams (pass, failures, skips, missing plan, plan
# mismatch, a crash mid-stream, kernel lines interleaved) plus the counting rules.
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest

from kvmctlib.cell import ktap

GOLDEN = Path(__file__).parent / "golden" / "ktap"
CASES = sorted(p.stem for p in GOLDEN.glob("*.ktap"))


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, golden: Callable[[Path, str], None]) -> None:
    report = ktap.parse((GOLDEN / f"{case}.ktap").read_text())
    golden(GOLDEN / f"{case}.json", json.dumps(report.to_dict(), indent=2) + "\n")


def test_nested_pass_counts_leaves() -> None:
    report = ktap.parse((GOLDEN / "nested_pass.ktap").read_text())
    assert report.errors == []
    assert report.counts() == {"pass": 3, "fail": 0, "skip": 0}
    assert [leaf.name for leaf in report.leaves()] == [
        "KvmApi.OpensDevKvm", "KvmApi.ApiVersion", "Vcpu.Create"]


def test_failure_keeps_diagnostics() -> None:
    report = ktap.parse((GOLDEN / "failure.ktap").read_text())
    failed = [leaf for leaf in report.leaves() if leaf.status == "fail"]
    assert [leaf.name for leaf in failed] == ["IsaExtDisable.Zaamo"]
    assert "expected EINVAL, got 0" in failed[0].message
    assert report.errors == []


def test_skip_reasons() -> None:
    leaves = ktap.parse((GOLDEN / "skips.ktap").read_text()).leaves()
    assert [(x.name, x.status, x.message) for x in leaves] == [
        ("IsaExt.Zicbom", "pass", ""), ("IsaExt.Zaamo", "skip", "host lacks zaamo"),
        ("IsaExt.Svpbmt", "skip", "SKIP"), ("Whole", "skip", "all skipped")]


def test_missing_plan_is_an_error() -> None:
    report = ktap.parse((GOLDEN / "missing_plan.ktap").read_text())
    assert any("no KTAP plan" in e for e in report.errors)


def test_crash_midstream_marks_unfinished_subtest() -> None:
    report = ktap.parse((GOLDEN / "crash_midstream.ktap").read_text())
    assert report.errors == ["subtest Vcpu: no result line (crashed?)"]
    assert report.counts() == {"pass": 3, "fail": 1, "skip": 0}
    assert [x.name for x in report.leaves() if x.status == "fail"] == ["Vcpu"]


def test_interleaved_kernel_lines_are_ignored() -> None:
    report = ktap.parse((GOLDEN / "interleaved_kernel.ktap").read_text())
    assert report.errors == []
    assert report.counts() == {"pass": 2, "fail": 0, "skip": 0}
    assert not any("after-the-end" in line or "not-ktap-yet" in line for line in report.lines)


def test_no_ktap_at_all() -> None:
    report = ktap.parse("OpenSBI v1.6\n[    1.0] Kernel panic - not syncing\n")
    assert not report.started
    assert report.errors == ["no KTAP version line"]


def test_feed_reports_which_lines_are_ktap() -> None:
    parser = ktap.Parser()
    flags = [parser.feed(x) for x in ["noise", "KTAP version 1", "1..1", "[ 1.0] x", "ok 1 a"]]
    assert flags == [False, True, True, False, True]
    assert parser.finish().errors == []


def test_kunit_style_subtest_header_names_the_subtest() -> None:
    report = ktap.parse((GOLDEN / "kunit_style_header.ktap").read_text())
    assert report.errors == []
    assert [t.name for t in report.tests] == ["KvmBasics", "Amo"]
    assert [(x.name, x.status) for x in report.leaves()] == [
        ("KvmBasics.ApiVersionIs12", "pass"), ("KvmBasics.HasCapOneReg", "fail"),
        ("Amo.Executes/AmominW", "pass")]
    # A `# Subtest:` header in an unfinished subtest names it in the crash report too.
    crashed = ktap.parse("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: Vcpu\n"
                         "    1..2\n    ok 1 Create\n")
    assert crashed.errors == ["subtest Vcpu: no result line (crashed?)"]
