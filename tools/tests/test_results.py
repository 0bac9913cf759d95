# SPDX-License-Identifier: MIT
# Merging cell documents, counting, exit codes, and the JUnit XML rendered per cell.
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from kvmctlib.judge import results
from kvmctlib.reports import junit, report
from kvmctlib.judge.records import Cell


def doc(cell: str, status: str, tests: list[tuple[str, str]],
        errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    c = {"pass": 0, "fail": 0, "skip": 0}
    for _, s in tests:
        c[s] += 1
    return {"schema": results.CELL_SCHEMA, "cell": cell,
            "kernel": {"name": "sid", "package": "linux-image-7.2.13+deb14-riscv64",
                       "version": "7.2.13-1", "suite": "sid", "release": "7.2.13+deb14-riscv64"},
            "qemu": {"version": "10.0.13", "cpu": "rv64"}, "console_log": "/c/console.log",
            "tests": [{"name": n, "suite": n.partition(".")[0], "case": n.partition(".")[2],
                       "status": s, "duration_ms": 5, "message": "m\x01sg", "checks": [],
                       **({"skip": {"kind": "absent", "reason": "r"}} if s == "skip" else {})}
                      for n, s in tests],
            "runner": {"status": status, "errors": errors or [], "duration_s": 4.2,
                       "suite_exit": 0, "ktap": {"plan": 1, **c}}}


def test_merge_status_and_exit_codes() -> None:
    ok = doc("a", "pass", [("S.x", "pass"), ("S.y", "skip")])
    bad = doc("b", "fail", [("S.x", "fail")])
    broken = doc("c", "broken", [], [{"kind": "timeout", "message": "t", "excerpt": "e"}])
    assert results.exit_code(results.merge([ok], "t", [])["status"]) == 0
    assert results.exit_code(results.merge([ok, bad], "t", [])["status"]) == 1
    assert results.exit_code(results.merge([ok, bad, broken], "t", [])["status"]) == 2
    assert results.exit_code(results.merge([], "t", [])["status"]) == 2
    merged = results.merge([ok, bad, broken], "t", ["kvmct", "run"])
    assert merged["schema"] == results.RUN_SCHEMA
    assert [c["cell"] for c in merged["cells"]] == ["a", "b", "c"]
    assert merged["summary"] == {"passed": 1, "failed": 2, "skipped": 1, "broken_cells": 1}


def test_closing_line_shape() -> None:
    line = report.closing_line({"passed": 3, "failed": 1, "skipped": 2})
    assert line == "kvmct: 3 passed, 1 failed, 2 skipped"


def test_junit_for_a_failing_cell() -> None:
    xml = junit.render(Cell.load(doc("sid-rv64", "fail", [("KvmApi.ApiVersion", "fail"),
                                                ("IsaExt.Zaamo", "skip")])))
    root = ET.fromstring(xml.split("\n", 1)[1])
    assert root.get("name") == "sid-rv64"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("2", "1", "1")
    case = root.find("testcase[@name='ApiVersion']")
    assert case is not None and case.get("classname") == "sid-rv64.KvmApi"
    assert case.find("failure") is not None
    props = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert props["kernel.version"] == "7.2.13-1"


def test_junit_for_a_broken_cell_carries_the_excerpt() -> None:
    xml = junit.render(Cell.load(doc("trixie-rv64", "broken", [], [
        {"kind": "kernel-panic", "message": "Kernel panic", "excerpt": "12 | Kernel \x07panic"}])))
    root = ET.fromstring(xml.split("\n", 1)[1])
    error = root.find("testcase/error")
    assert error is not None and error.get("type") == "kernel-panic"
    assert "Kernel ?panic" in (error.text or "")
    assert root.get("errors") == "1"
