# SPDX-License-Identifier: MIT
# A run document as a KCIDB v5.3 submission (docs/kcidb.md): one checkout and one build per
# kernel, one test per test case and cell, statuses mapped from the structured verdict fields.
# Only fields the schema names are written (it has additionalProperties: false); kvmct's own
# detail goes under `misc`. Nothing here judges: every status comes from the suite or runner.
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..errors import KvmctError
from ..judge import extmatrix
from ..judge.records import Cell, IsaExt, Run, Test
from .kcidb_names import ROOT, kernel_key, object_id, test_path

VERSION = {"major": 5, "minor": 3}
STATUSES = ("FAIL", "ERROR", "MISS", "PASS", "DONE", "SKIP")
# A known difference excused by whose fault it is: KVM's own deviation is not a verdict on new
# code (SKIP); the emulator's or board's bug means the code's status is unknown (MISS).
KNOWN_STATUS = {"kvm": "SKIP", "qemu": "MISS", "platform": "MISS"}
CELL_STATUS = {"pass": "PASS", "fail": "FAIL", "broken": "ERROR"}
# Kernel fields that are paths on the machine that ran (not what identifies the kernel).
_LOCAL_PATHS = ("uapi_header", "config")
_EXCERPT = 16384  # the schema's maxLength of log_excerpt


def status(cell: Cell, test: Test) -> str:
    """The KCIDB status of one test case of a cell."""
    if cell.runner.status == "broken":
        return "ERROR"  # the runner found the cell's verdicts untrustworthy
    if test.status == "pass":
        return "PASS"
    if test.status == "fail":
        return "FAIL"
    if test.skip is not None and test.skip.kind == "known":
        return KNOWN_STATUS[test.known.owner] if test.known is not None else "MISS"
    return "SKIP"  # absent, host_lacks, not_applicable, unsupported: nothing to judge


def document(run: Run, origin: str, run_key: str) -> dict[str, Any]:
    checkouts: dict[str, dict[str, Any]] = {}
    builds: dict[str, dict[str, Any]] = {}
    tests: list[dict[str, Any]] = []
    start = _rfc3339(run.started)
    for cell in run.cells:
        build = _build(cell, origin, run_key)
        builds.setdefault(build["id"], build)
        checkout = _checkout(cell, build["checkout_id"], origin)
        checkouts.setdefault(checkout["id"], checkout)
        tests.extend(_cell_tests(cell, build["id"], origin, run_key, start))
    ids = [t["id"] for t in tests]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})[0]
        raise KvmctError(f"two tests of one cell share the KCIDB id {dup}")
    return {"version": dict(VERSION), "checkouts": list(checkouts.values()),
            "builds": list(builds.values()), "tests": tests}


def _rfc3339(started: str) -> str | None:
    try:
        return datetime.strptime(started, "%Y-%m-%dT%H:%M:%S%z").isoformat()
    except ValueError:
        return None


def _kernel_fields(cell: Cell, run_key: str) -> dict[str, str]:
    fields = {k: v for k, v in cell.kernel.items() if k not in _LOCAL_PATHS and v}
    fields.setdefault("arch", cell.arch)
    if "kvm_module" in fields:
        # A replaced kvm.ko is named by its path only: nothing pins its content across runs.
        fields["run"] = run_key
    return fields


def _build(cell: Cell, origin: str, run_key: str) -> dict[str, Any]:
    fields = _kernel_fields(cell, run_key)
    key = kernel_key(fields)
    k = cell.kernel
    if k.get("package"):
        comment = f"Debian {k['package']} {k.get('version', '')}".strip()
    else:
        comment = k.get("provenance") or k.get("banner") or k.get("name", "kernel")
    if k.get("kvm_module"):
        comment += f", kvm.ko replaced by {k['kvm_module']}"
    return {"id": object_id(origin, key), "origin": origin,
            "checkout_id": object_id(origin, key), "architecture": cell.arch,
            "comment": comment, "status": "PASS",  # the image booted: its build completed
            "misc": {"kernel": {k2: v for k2, v in fields.items() if k2 != "run"}}}


def _checkout(cell: Cell, checkout_id: str, origin: str) -> dict[str, Any]:
    k = cell.kernel
    out: dict[str, Any] = {"id": checkout_id, "origin": origin, "valid": True}
    if k.get("package"):
        out["tree_name"] = f"debian-{k['suite']}" if k.get("suite") else "debian"
        out["comment"] = f"the Debian source of {k['package']} {k.get('version', '')}".strip()
    elif k.get("provenance"):
        out["comment"] = k["provenance"]  # "built from <source tree>"
    out["misc"] = {key: k[key] for key in ("provenance", "suite", "version", "release",
                                           "banner") if k.get(key)}
    return out


def _environment(cell: Cell) -> dict[str, Any]:
    q = cell.qemu
    misc = {"arch": cell.arch, "qemu_version": q.get("version", ""),
            "qemu_build": q.get("build", ""), "cpu": q.get("cpu", ""),
            "cpu_model": q.get("cpu_name", ""), "cell": cell.name}
    if cell.kvm_mode:
        misc["kvm_mode"] = cell.kvm_mode
    return {"comment": f"QEMU {q.get('version', '?')} {cell.arch} -cpu {q.get('cpu', '?')}",
            "misc": misc}


def _cell_tests(cell: Cell, build_id: str, origin: str, run_key: str,
                start: str | None) -> list[dict[str, Any]]:
    exts = {e.id: e for e in cell.isa_extensions}
    env = _environment(cell)
    timed: dict[str, Any] = {"start_time": start} if start else {}
    out = [_cell_node(cell, build_id, origin, run_key, env, timed)]
    for t in cell.tests:
        path = test_path(t.suite, t.case)
        entry: dict[str, Any] = {"id": object_id(origin, run_key, cell.name, path),
                                 "origin": origin, "build_id": build_id, "path": path,
                                 "status": status(cell, t), **timed, "environment": env,
                                 "misc": _test_misc(cell, t, exts)}
        if t.duration_ms is not None:
            entry["duration"] = t.duration_ms / 1000
        if t.status == "fail" and t.message:
            entry["log_excerpt"] = _excerpt(t.message)
        out.append(entry)
    out.extend(_unreported(cell, build_id, origin, run_key, env, timed))
    return out


def _cell_node(cell: Cell, build_id: str, origin: str, run_key: str, env: dict[str, Any],
               timed: dict[str, Any]) -> dict[str, Any]:
    """The cell as a whole (path `kvmct`): the runner's verdict, with its errors."""
    node: dict[str, Any] = {
        "id": object_id(origin, run_key, cell.name, ROOT), "origin": origin,
        "build_id": build_id, "path": ROOT, "status": CELL_STATUS[cell.runner.status],
        **timed, "duration": cell.runner.duration_s, "environment": env,
        "misc": {"cell": cell.name, "runner_status": cell.runner.status,
                 "errors": [{"kind": e.kind, "message": e.message} for e in cell.runner.errors],
                 "console_log": cell.console_log, "ktap": dict(cell.runner.ktap),
                 **({"policy": cell.policy.label()} if cell.policy is not None else {})}}
    excerpt = "\n".join(f"{e.kind}: {e.message}\n{e.excerpt}".rstrip()
                        for e in cell.runner.errors)
    if excerpt:
        node["log_excerpt"] = _excerpt(excerpt)
    return node


def _unreported(cell: Cell, build_id: str, origin: str, run_key: str, env: dict[str, Any],
                timed: dict[str, Any]) -> list[dict[str, Any]]:
    """MISS for each top-level test the KTAP plan announced and the console never reported.
    Counted only where the tests are KTAP's own (no suite document): the suite's display
    suites are not KTAP's top-level tests."""
    plan = cell.runner.ktap.get("plan")
    if plan is None or any(t.source != "ktap" for t in cell.tests):
        return []
    reported = len({t.suite for t in cell.tests})
    path = f"{ROOT}.unreported"
    return [{"id": object_id(origin, run_key, cell.name, f"{path}.{n}"), "origin": origin,
             "build_id": build_id, "path": path, "status": "MISS", **timed,
             "environment": env,
             "misc": {"cell": cell.name, "ktap_number": n, "ktap_plan": plan}}
            for n in range(reported + 1, plan + 1)]


def _test_misc(cell: Cell, t: Test, exts: dict[int, IsaExt]) -> dict[str, Any]:
    misc: dict[str, Any] = {"name": t.name, "suite": t.suite, "case": t.case,
                            "kvmct_status": t.status, "cell": cell.name,
                            "qemu_version": cell.qemu.get("version", ""),
                            "cpu_model": cell.qemu.get("cpu_name", "")}
    if t.source != "suite":
        misc["source"] = t.source
    if t.skip is not None:
        misc["skip_kind"], misc["skip_reason"] = t.skip.kind, t.skip.reason
    if t.known is not None:
        misc["known"] = {"owner": t.known.owner, "label": t.known.label,
                         "reason": t.known.reason, "source": t.known.source}
        misc["known_cause"] = t.known.source  # the document and line that records it
    if t.subject is not None:
        misc["subject"] = {"kind": t.subject.kind, "name": t.subject.name, "id": t.subject.id}
        ext = exts.get(t.subject.id) if t.subject.kind == "isa_ext" else None
        if ext is not None:
            misc["isa_ext"] = _isa_row(ext)
    unmet = [{"check": c.check, "observed": c.observed, "expected": c.expected,
              "state": c.state, "rule": c.rule} for c in t.checks if c.state != "pass"]
    if unmet:
        misc["checks"] = unmet
    return misc


def _isa_row(ext: IsaExt) -> dict[str, Any]:
    """The extension's row of the report's matrix: each column's observed, expected, state."""
    return {"id": ext.id, "name": ext.name, "host_has": ext.host_has, "present": ext.present,
            "backport": ext.backport,
            "columns": {extmatrix.LABELS[c]: {"observed": extmatrix.column_value(ext, c),
                                              "expected": extmatrix.column_value(ext, c,
                                                                                 "expected"),
                                              "state": extmatrix.column_state(ext, c)}
                        for c in extmatrix.CHECKS}}


def _excerpt(text: str) -> str:
    return text.replace("\x00", "")[:_EXCERPT]


def counts(doc: dict[str, Any]) -> dict[str, int]:
    """Tests by status, in the schema's priority order."""
    by = {s: 0 for s in STATUSES}
    for t in doc["tests"]:
        by[t["status"]] += 1
    return {s: n for s, n in by.items() if n}
