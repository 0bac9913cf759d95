# SPDX-License-Identifier: MIT
# ISA dependency findings come from each extension's `dependency` check record (never from a
# message): a known deviation and an unexcused break are findings, a pass is not; the summary
# and the HTML report list each with its cells, reason and rule.
from __future__ import annotations

from typing import Any

from kvmctlib.judge import isadeps
from kvmctlib.judge.records import Cell
from kvmctlib.reports import htmlreport, textreport

REASON = "KVM accepts V=0 while ZVBB stays 1: kvm_riscv_isa_disable_allowed() (isa.c:169)"
RULE = "ZVBB requires V (expected/riscv/isa-dependencies.yaml:113)"


def ext(id_: int, name: str, dependency: dict[str, Any] | None) -> dict[str, Any]:
    return {"id": id_, "name": name, "host_has": True, "present": True, "execution": {},
            "checks": {"dependency": dependency} if dependency else {}}


def record(state: str) -> dict[str, Any]:
    known = {"owner": "kvm", "reason": REASON, "source": "expected/riscv/overrides.yaml:50"}
    return {"check": "dependency", "test": "IsaDependency.AfterMultiDisable", "observed": "V=0",
            "expected": "V=1", "state": state, "rule": RULE, "known": known if state == "known" else None}


def cell(name: str, exts: list[dict[str, Any]]) -> Cell:
    return Cell.load({"cell": name, "suite_schema": "kvmct-suite-result/2",
                      "runner": {"status": "pass", "errors": [], "duration_s": 1, "ktap": {}},
                      "tests": [], "isa_extensions": exts})


def two_cells() -> tuple[Cell, ...]:
    return (cell("trixie-max", [ext(21, "V", None), ext(65, "ZVBB", record("known")),
                                ext(66, "ZVBC", record("pass"))]),
            cell("sid-max", [ext(65, "ZVBB", record("known")), ext(3, "ZFA", record("fail"))]))


def test_findings_are_the_records_that_did_not_pass() -> None:
    got = [(f.cell, f.extension, f.state) for d in two_cells() for f in isadeps.findings(d)]
    assert got == [("trixie-max", "ZVBB", "known"), ("sid-max", "ZVBB", "known"), ("sid-max", "ZFA", "fail")]
    f = isadeps.findings(two_cells()[0])[0]
    assert (f.observed, f.rule, f.reason, f.owner) == ("V=0", RULE, REASON, "kvm")


def test_summary_lists_each_finding_once_with_its_cells_reason_and_rule() -> None:
    lines = textreport.isa_dependencies(two_cells())
    assert lines[1] == "kvmct ISA dependency findings (the advertised ISA breaks a rule):"
    assert lines[2] == "  ZVBB with V=0: known (kvm) in trixie-max sid-max"
    assert lines[3] == f"      {REASON}"
    assert lines[4] == f"      rule: {RULE}"
    assert lines[5] == "  ZFA with V=0: FAIL in sid-max"
    assert textreport.isa_dependencies((cell("c", [ext(66, "ZVBC", record("pass"))]),)) == []


def test_html_has_one_row_per_finding() -> None:
    page = "\n".join(htmlreport.isa_dependencies(two_cells()))
    assert page.count("<tr data-cell=") == 3
    assert 'data-extension="ZVBB" data-state="known"' in page
    assert 'data-extension="ZFA" data-state="fail"' in page
    assert "kvm_riscv_isa_disable_allowed()" in page
    assert htmlreport.isa_dependencies((cell("c", [ext(66, "ZVBC", record("pass"))]),)) == []
