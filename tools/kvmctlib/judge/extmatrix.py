# SPDX-License-Identifier: MIT
# The extension matrix read from typed cell records: per extension and cell, what KVM did for
# each check (present / default / disable / enable / after-run / guest executes), what the
# suite expected, and the state the suite's judge gave it. Shared by the console table, the
# HTML report and `kvmct diff`.
from __future__ import annotations

from dataclasses import dataclass

from .records import Cell, Check as Record, IsaExt, Known, Test

# Column order everywhere; "executes" joins executes_default and executes_disabled.
CHECKS = ("presence", "default", "disable", "enable", "after_run", "executes")
LABELS = {"presence": "present", "default": "default", "disable": "disable",
          "enable": "enable", "after_run": "after-run", "executes": "executes"}
_PARTS = {"executes": ("executes_default", "executes_disabled")}
# The suite's state of a check -> the matrix square's state; a worse one wins a joined column.
_STATE = {"pass": "ok", "fail": "diff", "known": "known"}
_RANK = {"na": 0, "ok": 1, "known": 2, "diff": 3}
_SHORT = {"executed": "exec", "trap:illegal-instruction": "trap", "run-failed": "failed"}


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
    failures: tuple[Test, ...]  # this extension's failed tests
    known: Known | None  # why a difference is excused, if one is

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    @property
    def note(self) -> str:
        return self.known.reason if self.known else ""

    @property
    def known_kind(self) -> str:
        return self.known.label if self.known else ""


def short(value: str) -> str:
    return _SHORT.get(value, value.removeprefix("trap:"))


def _records(ext: IsaExt, column: str) -> list[Record]:
    return [ext.checks[k] for k in _PARTS.get(column, (column,)) if k in ext.checks]


def column_value(ext: IsaExt, column: str, side: str = "observed") -> str:
    """A column's observed (or expected) value; `default/disabled` for the joined one."""
    parts = [getattr(r, side) for r in _records(ext, column)]
    if column in _PARTS:
        return "/".join(short(p) for p in parts if p)
    return parts[0] if parts else ""


def column_state(ext: IsaExt, column: str) -> str:
    states = [_STATE[r.state] for r in _records(ext, column)]
    return max(states, key=_RANK.__getitem__, default="na")


def _tests_by_subject(cell: Cell) -> dict[int, list[Test]]:
    out: dict[int, list[Test]] = {}
    for t in cell.tests:
        if t.subject is not None and t.subject.kind == "isa_ext":
            out.setdefault(t.subject.id, []).append(t)
    return out


def cell_rows(cell: Cell) -> list[ExtCell]:
    tests = _tests_by_subject(cell)
    return [_row(cell.name, ext, tests.get(ext.id, [])) for ext in cell.isa_extensions]


def _row(cell: str, ext: IsaExt, tests: list[Test]) -> ExtCell:
    checks = tuple(Check(name, column_value(ext, name), column_value(ext, name, "expected"),
                         column_state(ext, name)) for name in CHECKS)
    # The excuse: a known check of the extension's own table, else a known skip of its tests.
    known = next((r.known for r in ext.checks.values() if r.known is not None), None) or \
        next((t.known for t in tests if t.known is not None), None)
    failures = tuple(t for t in tests if t.status == "fail")
    states = {c.state for c in checks}
    if failures or "diff" in states:
        status = "fail"
    elif "known" in states or known is not None:
        status = "known"
    elif not ext.present:
        status = "absent"
    else:
        status = "ok"
    return ExtCell(ext.id, ext.name, cell, ext.host_has, ext.present, checks, status,
                   failures, known)


def matrix(cells: list[Cell] | tuple[Cell, ...]) -> tuple[list[tuple[int, str]],
                                                          dict[tuple[int, str], ExtCell]]:
    """Extensions (id, name) in id order over all cells, and each (id, cell) entry."""
    names: dict[int, str] = {}
    entries: dict[tuple[int, str], ExtCell] = {}
    for cell in cells:
        for row in cell_rows(cell):
            names.setdefault(row.ext_id, row.name)
            entries[(row.ext_id, row.cell)] = row
    return sorted(names.items()), entries
