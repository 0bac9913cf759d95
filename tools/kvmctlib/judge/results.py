# SPDX-License-Identifier: MIT
# The structured results: one document per cell (the suite's result.json with the runner's
# facts added) and the merged run document. Schemas: docs/results.md.
from __future__ import annotations

from typing import Any

from ..cell.boot import Outcome
from ..cell.ktap import Report
from .records import Cell, RecordError

CELL_SCHEMA = "kvmct-cell-result/1"
RUN_SCHEMA = "kvmct-run-result/1"


def cell_document(o: Outcome) -> dict[str, Any]:
    """The suite's keys pass through unchanged; the runner's keys are added on top."""
    doc: dict[str, Any] = dict(o.suite) if o.suite is not None else {}
    if "schema" in doc:
        doc["suite_schema"] = doc["schema"]
    doc["schema"] = CELL_SCHEMA
    if "tests" not in doc or not isinstance(doc.get("tests"), list):
        # No result.json (the cell broke): the tests as far as the console showed them.
        doc["tests"] = _ktap_tests(o.report)
    doc["cell"] = o.spec.name
    doc["arch"] = o.spec.arch  # the architecture profile the cell ran (riscv64, arm64)
    doc["kernel"] = {k: v for k, v in o.spec.kernel.items() if k != "image"}
    version, _, build = o.qemu_version.partition(" ")
    doc["qemu"] = {"version": version, "build": build.strip("()"), "cpu": o.spec.cpu,
                   "cpu_name": o.spec.cpu_name or o.spec.cpu}
    doc["console_log"] = str(o.console_log)
    doc["runner"] = {
        "status": o.verdict.status,
        "errors": [p.to_dict() for p in o.verdict.problems],
        "duration_s": round(o.duration_s, 3),
        "suite_exit": o.watch.suite_exit,
        "guest_uptime_s": o.watch.uptime,
        "ktap": {"plan": o.report.plan, **o.report.counts()},
    }
    return _contained(doc, o.report)


def _ktap_tests(report: Report) -> list[dict[str, Any]]:
    return [{"name": leaf.name, "suite": leaf.path[0], "case": ".".join(leaf.path[1:]),
             "status": leaf.status, "message": leaf.message, "checks": [], "source": "ktap"}
            for leaf in report.leaves()]


def _contained(doc: dict[str, Any], report: Report) -> dict[str, Any]:
    """A suite document that breaks the schema breaks its own cell, not the run: the cell
    keeps the KTAP view of its tests, the suite's result.json stays on disk beside it."""
    try:
        Cell.load(doc)
    except RecordError as e:
        doc["tests"] = _ktap_tests(report)
        doc.pop("isa_extensions", None)
        doc["runner"]["status"] = "broken"
        doc["runner"]["errors"].append({"kind": "contract", "excerpt": "",
                                        "message": f"result.json breaks schema 2 ({e})"})
    return doc


def counts(docs: list[dict[str, Any]]) -> dict[str, int]:
    """Tests over all cells as the KTAP streams showed them (what the person saw); a broken
    cell adds one failure so that it can never read green."""
    c = {"passed": 0, "failed": 0, "skipped": 0, "broken_cells": 0}
    for doc in docs:
        ktap = doc["runner"]["ktap"]
        c["passed"] += ktap["pass"]
        c["failed"] += ktap["fail"]
        c["skipped"] += ktap["skip"]
        if doc["runner"]["status"] == "broken":
            c["broken_cells"] += 1
            c["failed"] += 1
    return c


def merge(docs: list[dict[str, Any]], started: str, argv: list[str]) -> dict[str, Any]:
    return {
        "schema": RUN_SCHEMA,
        "started": started,
        "argv": argv,
        "status": overall_status(docs),
        "summary": counts(docs),
        "cells": docs,
    }


def overall_status(docs: list[dict[str, Any]]) -> str:
    statuses = {d["runner"]["status"] for d in docs}
    if not docs or "broken" in statuses:
        return "broken"
    return "fail" if "fail" in statuses else "pass"


def exit_code(status: str) -> int:
    """0 all passed, 1 a test failed, 2 the run itself broke (tuxrun's convention)."""
    return {"pass": 0, "fail": 1}.get(status, 2)
