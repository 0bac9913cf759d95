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


# ONE_REG ids of the registers the field documents use: ARM64_SYS_REG(op0, op1, crn, crm, op2).
REG_IDS = {"MIDR_EL1": 0x603000000013C000, "ID_AA64PFR0_EL1": 0x603000000013C020,
           "ID_AA64ISAR0_EL1": ISAR0_ID, "ID_AA64ISAR3_EL1": 0x603000000013C033,
           "CTR_EL0": 0x603000000013D801}
# (register, field, lsb, width, rule): real field positions, a few per register.
FIELDS = [("ID_AA64PFR0_EL1", "GIC", 24, 4, "exact"),
          ("ID_AA64ISAR0_EL1", "RNDR", 60, 4, "lower-safe"),
          ("ID_AA64ISAR0_EL1", "SHA1", 8, 4, "lower-safe"),
          ("ID_AA64ISAR0_EL1", "AES", 4, 4, "lower-safe"),
          ("ID_AA64ISAR3_EL1", "TLBIW", 8, 4, "lower-safe"),
          ("ID_AA64ISAR3_EL1", "FAMINMAX", 4, 4, "lower-safe"),
          ("CTR_EL0", "L1Ip", 14, 2, "exact"),
          ("CTR_EL0", "IminLine", 0, 4, "lower-safe")]
# Per release: each register's writable mask, as 6.12 and 7.2 differ in kind (CONTRACT.md).
MASKS = {"6.12": {"MIDR_EL1": 0x0, "ID_AA64PFR0_EL1": 0x0F000000,
                  "ID_AA64ISAR0_EL1": 0x0000000000000FF0, "ID_AA64ISAR3_EL1": 0x0,
                  "CTR_EL0": 0x000000000000000F},
         "7.2": {"MIDR_EL1": 0x00000000FFFFFFFF, "ID_AA64PFR0_EL1": 0x0F000000,
                 "ID_AA64ISAR0_EL1": 0x0000000000000FF0, "ID_AA64ISAR3_EL1": 0x0000000000000FF0,
                 "CTR_EL0": 0x000000000000C00F}}
GIC_REASON = "GIC cleared at first run without an irqchip (filter first_run_cleared)"


def field_subject(reg: str, field: str, lsb: int, width: int, rule: str,
                  writable: bool) -> dict[str, Any]:
    return {"kind": "id_reg_field", "name": f"{reg}.{field}", "id": REG_IDS[reg],
            "register": reg, "field": field, "lsb": lsb, "width": width, "rule": rule,
            "table_writable": writable}


def _field_tests(reg: str, field: str, lsb: int, width: int, rule: str, table: bool,
                 observed: bool, guest: str | None) -> list[dict[str, Any]]:
    """IdRegWritable (and GuestIdRegField when `guest` is given) of one field: `table` is the
    tables' word, `observed` the mask's."""
    name = f"IdRegWritable.{reg}_{field}"
    subject = field_subject(reg, field, lsb, width, rule, table)
    said = "writable" if observed else "fixed"
    checks = [check("writable", name, said, "writable" if table else "fixed")]
    # The case plans by the tables; KVM answers by its own mask.
    if table:
        took = "ok" if observed else "EINVAL"
        checks += [check("safe", name, took, "ok"), check("safe_read_back", name, "0x0", "0x0"),
                   check("unsafe", name, "EINVAL", "EINVAL"),
                   check("unsafe_unchanged", name, "0x1100", "0x1100"),
                   check("raise_back", name, "ok", "ok")]
    else:
        checks += [check("change", name, "ok" if observed else "EINVAL", "EINVAL"),
                   check("change_unchanged", name, "0x1100", "0x1100")]
    tests = [_test("IdRegWritable", f"{reg}_{field}", subject, checks)]
    if guest is not None:
        gname = f"GuestIdRegField.{reg}_{field}"
        g = _test("GuestIdRegField", f"{reg}_{field}", subject,
                  [check("written", gname, "ok", "ok"), check("guest_view", gname, guest, guest)])
        if field == "GIC":
            g["properties"] = {"host_managed": GIC_REASON}
        tests.append(g)
    return tests


def field_cell(name: str = "sid-max-vhe", release: str = "7.2",
               widen: tuple[str, str] | None = None) -> dict[str, Any]:
    """An arm64 cell of issue 12's cases: IdRegMask.<REG> and the fields of FIELDS, writable
    where `release`'s mask covers them; `widen` = (register, field) a kernel wrongly made
    writable (mask and field both fail, the other checks pass)."""
    doc = arm64_cell(name, kvm_mode="vhe")
    masks = dict(MASKS[release])
    for reg, f, lsb, width, _rule in FIELDS:
        if widen == (reg, f):
            masks[reg] |= ((1 << width) - 1) << lsb
    for reg, mask in masks.items():
        expected = MASKS[release][reg]
        doc["tests"].append(_test("IdRegMask", reg, {"kind": "id_reg", "name": reg,
                                                     "id": REG_IDS[reg]},
                                  [check("mask", f"IdRegMask.{reg}", f"0x{mask:016x}",
                                         f"0x{expected:016x}")]))
    for reg, f, lsb, width, rule in FIELDS:
        bits = ((1 << width) - 1) << lsb
        table = bool(MASKS[release][reg] & bits)
        guest = ("0x0" if f == "GIC" else "0x1") if reg != "CTR_EL0" else None
        doc["tests"] += _field_tests(reg, f, lsb, width, rule, table, bool(masks[reg] & bits),
                                     guest)
    fails = sum(t["status"] == "fail" for t in doc["tests"])
    doc["runner"].update(status="fail" if fails else "pass", suite_exit=1 if fails else 0)
    doc["runner"]["ktap"] = {"plan": len(doc["tests"]), "pass": len(doc["tests"]) - fails,
                             "fail": fails, "skip": 0}
    doc["facts"]["policy"] = {"release": release, "provenance": "verified",
                              "citation": f"linux-source-{release}", "newer_than_tables": False,
                              "kernel": f"{release}.0"}
    return doc


def field_run() -> dict[str, Any]:
    """A 6.12 and a 7.2 cell of issue 12's cases; 7.2's kernel widened ISAR0's RNDR mask."""
    return run_of([field_cell("trixie-max-vhe", "6.12"),
                   field_cell("sid-max-vhe", "7.2", widen=("ID_AA64ISAR0_EL1", "RNDR"))])
