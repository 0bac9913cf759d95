# SPDX-License-Identifier: MIT
# The extension matrix read from cell documents: per extension and cell, what KVM did for each
# check (present / default / disable / enable / after-run / guest executes), what the suite
# expected, and whether a difference is a failure or a known deviation. Shared by the console
# table, the HTML report and `kvmct diff`.
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Column order everywhere; "executes" joins executes_default and executes_disabled.
CHECKS = ("presence", "default", "disable", "enable", "after_run", "executes")
LABELS = {"presence": "present", "default": "default", "disable": "disable",
          "enable": "enable", "after_run": "after-run", "executes": "executes"}

_SUITES = {"presence": "IsaExtPresence", "default": "IsaExtDefault", "disable": "IsaExtDisable",
           "enable": "IsaExtEnable", "after_run": "IsaExtAfterRun", "executes": "IsaExtExecutes"}
_SHORT = {"executed": "exec", "trap:illegal-instruction": "trap", "the guest run failed": "failed"}


@dataclass(frozen=True)
class Check:
    name: str  # one of CHECKS
    observed: str  # "" when the suite did not measure it (absent, or refused earlier)
    expected: str
    state: str  # "ok" | "diff" | "known" | "na"


@dataclass(frozen=True)
class ExtCell:
    ext_id: int
    name: str
    cell: str
    host_has: bool
    present: bool
    checks: tuple[Check, ...]
    status: str  # "ok" | "fail" | "known" | "absent"
    failures: tuple[str, ...]  # "Suite.Case: message" of this extension's failed tests
    note: str  # the known deviation's reason, if any
    known_kind: str  # "" | "known bug" | "known deviation"

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)


def short(value: str) -> str:
    return _SHORT.get(value, value.removeprefix("trap:"))


def executes_value(rec: dict[str, Any], key: str) -> str:
    """`exec/trap`: the guest's probe with the register at its default, then after a
    disable attempt; one part when only the default run happened."""
    ex = rec.get("execution") or {}
    first = str(rec.get(f"{key}_default", "") or (ex.get("default_observed", "")
                                                  if key == "executes" else ""))
    second = str(rec.get(f"{key}_disabled", "") or (ex.get("disabled_observed", "")
                                                    if key == "executes" else ""))
    if key == "executes" and not second and ex.get("verdict") == "the guest run failed":
        second = "the guest run failed"
    parts = [short(p) for p in (first, second) if p]
    return "/".join(parts)


def _expected_executes(exp: dict[str, Any]) -> str:
    parts = [short(str(exp[k])) for k in ("executes_default", "executes_disabled") if exp.get(k)]
    return "/".join(parts)


def known_kind(reason: str) -> str:
    """overrides.yaml reasons say whose bug it is ("KVM bug: ...", "QEMU 10.0.13 bug ...")."""
    if not reason:
        return ""
    return "known bug" if " bug" in f" {reason.split(':', 1)[0].lower()}" else "known deviation"


def _tests_by_extension(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """IsaExt* cases are named after the extension (IsaExtDisable.Zaamo)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for t in doc.get("tests", []):
        suite, _, case = str(t.get("name", "")).partition(".")
        if suite.startswith("IsaExt") and case:
            out.setdefault(case.lower(), []).append(t)
    return out


def cell_rows(doc: dict[str, Any]) -> list[ExtCell]:
    tests = _tests_by_extension(doc)
    rows = []
    for rec in doc.get("isa_extensions") or []:
        rows.append(_row(doc, rec, tests.get(str(rec.get("name", "")).lower(), [])))
    return rows


def _row(doc: dict[str, Any], rec: dict[str, Any], tests: list[dict[str, Any]]) -> ExtCell:
    exp = rec.get("expected") or {}
    ex = rec.get("execution") or {}
    note = str(rec.get("known_deviation") or ex.get("known_deviation") or "")
    # A known deviation turns the failing case into a SKIP that says so (overrides.yaml).
    known_suites = {str(t.get("name", "")).partition(".")[0]: str(t.get("message", ""))
                    for t in tests
                    if t.get("status") == "skip" and "known deviation" in str(t.get("message"))}
    if not note and known_suites:
        note = next(iter(known_suites.values()))
    checks = []
    for name in CHECKS:
        if name == "executes":
            observed, expected = executes_value(rec, "executes"), _expected_executes(exp)
            covered = bool(ex.get("known_deviation"))
        else:
            observed, expected = str(rec.get(name, "")), str(exp.get(name, ""))
            covered = bool(rec.get("known_deviation")) or _SUITES[name] in known_suites
        if not observed and not expected:
            state = "na"
        elif observed == expected:
            state = "ok"
        else:
            state = "known" if covered and note else "diff"
        checks.append(Check(name, observed, expected, state))
    failures = tuple(f"{t.get('name')}: {str(t.get('message', '')).strip()}"
                     for t in tests if t.get("status") == "fail")
    states = {c.state for c in checks}
    if failures or "diff" in states:
        status = "fail"
    elif "known" in states or note:
        status = "known"
    elif not rec.get("present"):
        status = "absent"
    else:
        status = "ok"
    return ExtCell(int(rec.get("id", -1)), str(rec.get("name", "?")), str(doc.get("cell", "?")),
                   bool(rec.get("host_has")), bool(rec.get("present")), tuple(checks), status,
                   failures, note, known_kind(note))


def matrix(docs: list[dict[str, Any]]) -> tuple[list[tuple[int, str]],
                                                dict[tuple[int, str], ExtCell]]:
    """Extensions (id, name) in id order over all cells, and each (id, cell) entry."""
    names: dict[int, str] = {}
    entries: dict[tuple[int, str], ExtCell] = {}
    for doc in docs:
        for row in cell_rows(doc):
            names.setdefault(row.ext_id, row.name)
            entries[(row.ext_id, row.cell)] = row
    return sorted(names.items()), entries
