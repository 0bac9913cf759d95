# SPDX-License-Identifier: MIT
# The extension matrix's rules on small synthetic records: a joined column takes the worse
# state, a failed test of the extension fails its row, a known skip excuses it.
from __future__ import annotations

from typing import Any

from kvmctlib.judge import extmatrix
from kvmctlib.judge.records import Cell

KNOWN = {"owner": "qemu", "reason": "r", "source": "expected/riscv/overrides.yaml:1"}


def check(name: str, observed: str, expected: str, state: str) -> dict[str, Any]:
    return {"check": name, "test": f"T.{name}", "observed": observed, "expected": expected,
            "state": state, "rule": "", "known": KNOWN if state == "known" else None}


def cell(checks: dict[str, dict[str, Any]], tests: list[dict[str, Any]] | None = None,
         present: bool = True) -> Cell:
    return Cell.load({
        "cell": "c", "suite_schema": "kvmct-suite-result/2",
        "runner": {"status": "pass", "errors": [], "duration_s": 1, "ktap": {}},
        "tests": tests or [],
        "isa_extensions": [{"id": 7, "name": "X", "host_has": True, "present": present,
                            "execution": {}, "checks": checks}]})


def test_joined_executes_column_takes_the_worse_state() -> None:
    row = extmatrix.cell_rows(cell({
        "executes_default": check("executes_default", "executed", "trap:x", "known"),
        "executes_disabled": check("executes_disabled", "executed", "trap:x", "fail")}))[0]
    assert row.check("executes").state == "diff" and row.status == "fail"
    assert row.check("executes").observed == "exec/exec"
    ok = extmatrix.cell_rows(cell({
        "executes_default": check("executes_default", "executed", "executed", "pass"),
        "executes_disabled": check("executes_disabled", "run-failed", "", "known")}))[0]
    assert (ok.check("executes").state, ok.status, ok.known_kind) == \
        ("known", "known", "known bug (QEMU)")


def test_a_failed_test_of_the_extension_fails_its_row() -> None:
    failed = {"name": "S.X", "suite": "S", "case": "X", "status": "fail", "message": "m",
              "subject": {"kind": "isa_ext", "name": "X", "id": 7}, "checks": []}
    row = extmatrix.cell_rows(cell({"presence": check("presence", "present", "present",
                                                      "pass")}, [failed]))[0]
    assert row.status == "fail" and [t.name for t in row.failures] == ["S.X"]
    other = dict(failed, subject={"kind": "isa_ext", "name": "Y", "id": 8})
    assert extmatrix.cell_rows(cell({}, [other]))[0].status == "ok"


def test_a_known_skip_of_the_extension_marks_its_row() -> None:
    skipped = {"name": "S.X", "suite": "S", "case": "X", "status": "skip", "message": "m",
               "subject": {"kind": "isa_ext", "name": "X", "id": 7}, "checks": [],
               "skip": {"kind": "known", "reason": "m"},
               "known": dict(KNOWN, owner="kvm")}
    row = extmatrix.cell_rows(cell({}, [skipped]))[0]
    assert (row.status, row.known_kind) == ("known", "known deviation (KVM)")
    absent = dict(skipped, skip={"kind": "absent", "reason": "m"})
    del absent["known"]
    assert extmatrix.cell_rows(cell({}, [absent], present=False))[0].status == "absent"
