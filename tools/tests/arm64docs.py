# SPDX-License-Identifier: MIT
# Synthetic arm64 cell documents shaped as CONTRACT §3 and docs/results.md describe them, for
# the reports' pure-logic tests only (never a stand-in for a real run): capabilities, an ID
# register, host facts and the KVM mode, and a mixed run with the real RISC-V test documents.
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

RUNS = Path(__file__).parent / "data" / "runs"
# ONE_REG id of ID_AA64ISAR0_EL1: ARM64_SYS_REG(3, 0, 0, 6, 0).
ISAR0_ID = 0x603000000013C030


def check(name: str, test: str, observed: str, expected: str,
          known: dict[str, str] | None = None) -> dict[str, Any]:
    state = "pass" if observed == expected else ("known" if known else "fail")
    return {"check": name, "test": test, "observed": observed, "expected": expected,
            "state": state, "rule": "", "known": known}


def _test(suite: str, case: str, subject: dict[str, Any] | None,
          checks: list[dict[str, Any]], skip: dict[str, str] | None = None) -> dict[str, Any]:
    name = f"{suite}.{case}"
    failed = any(c["state"] == "fail" for c in checks)
    doc: dict[str, Any] = {"name": name, "suite": suite, "case": case,
                           "status": "skip" if skip else ("fail" if failed else "pass"),
                           "message": "", "duration_ms": 1.0, "checks": checks}
    if subject is not None:
        doc["subject"] = subject
    if skip is not None:
        doc["skip"] = skip
    return doc


def arm64_cell(name: str = "sid-max-vhe", kvm_mode: str = "vhe", sve: str = "1",
               sve_expected: str = "1", isar0: str = "0x0221100110212120",
               features: tuple[str, ...] = ("fp", "asimd", "aes", "sve")) -> dict[str, Any]:
    kernel = name.split("-")[0]
    tests = [
        _test("KvmBasics", "ApiVersion", None, []),
        _test("ArmCapability", "OneReg", {"kind": "capability", "name": "KVM_CAP_ONE_REG",
                                          "id": 70},
              [check("value", "ArmCapability.OneReg", "1", "1")]),
        _test("ArmCapability", "ArmSve", {"kind": "capability", "name": "KVM_CAP_ARM_SVE",
                                          "id": 170},
              [check("value", "ArmCapability.ArmSve", sve, sve_expected)]),
        _test("ArmIdReg", "ReadsHostValue",
              {"kind": "id_reg", "name": "ID_AA64ISAR0_EL1", "id": ISAR0_ID},
              [check("get", "ArmIdReg.ReadsHostValue", "ok", "ok")]),
    ]
    fails = sum(t["status"] == "fail" for t in tests)
    return {
        "schema": "kvmct-cell-result/1", "suite_schema": "kvmct-suite-result/2",
        "arch": "arm64", "cell": name,
        "facts": {"arch": "arm64", "kvm_mode": kvm_mode,
                  "host": {"cpu_features": list(features),
                           "id_registers": {"ID_AA64ISAR0_EL1": isar0,
                                            "ID_AA64PFR0_EL1": "0x1100000011111112"}}},
        "tests": tests,
        "kernel": {"name": kernel, "package": f"linux-image-{kernel}-arm64",
                   "version": "7.2.13-1", "release": "7.2.13+deb14-arm64"},
        "qemu": {"version": "10.0.13", "build": "Debian", "cpu": "max",
                 "cpu_name": name.split("-", 1)[1]},
        "console_log": f"/cache/runs/20260101-000000/{name}/console.log",
        "runner": {"status": "fail" if fails else "pass", "errors": [], "duration_s": 9.5,
                   "suite_exit": 1 if fails else 0,
                   "ktap": {"plan": len(tests), "pass": len(tests) - fails, "fail": fails,
                            "skip": 0}},
    }


def run_of(cells: list[dict[str, Any]]) -> dict[str, Any]:
    statuses = {c["runner"]["status"] for c in cells}
    return {"schema": "kvmct-run-result/1", "started": "2026-01-01T00:00:00",
            "argv": ["kvmct", "run"],
            "status": "broken" if "broken" in statuses else
            ("fail" if "fail" in statuses else "pass"),
            "summary": {"passed": sum(c["runner"]["ktap"].get("pass", 0) for c in cells),
                        "failed": sum(c["runner"]["ktap"].get("fail", 0) for c in cells),
                        "skipped": sum(c["runner"]["ktap"].get("skip", 0) for c in cells),
                        "broken_cells": 0},
            "cells": cells}


def riscv_cells(name: str = "sid-zaamo-disable.json") -> list[dict[str, Any]]:
    """The real RISC-V cells of a stored test document (they carry no `arch`: old ones)."""
    cells: list[dict[str, Any]] = json.loads((RUNS / name).read_text())["cells"]
    return copy.deepcopy(cells)


def mixed_run(sve: str = "1") -> dict[str, Any]:
    """riscv cells then two arm64 cells, the run `tools/kvmct run` makes by default."""
    return run_of(riscv_cells() + [arm64_cell("trixie-max-vhe"),
                                   arm64_cell("sid-max-nvhe", "nvhe", sve=sve)])
