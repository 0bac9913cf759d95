# SPDX-License-Identifier: MIT
# The checked subjects other than ISA extensions (arm64 capabilities, ID registers, ID-register
# fields, or whatever kind a new architecture's suite names): per subject and cell, the check
# records its tests made and the state the suite's judge gave them. Read from tests[].subject
# and tests[].checks alone; shared by the text summary, the HTML report and `kvmct diff`.
from __future__ import annotations

from dataclasses import dataclass

from .records import Cell, Check, Test

# ISA extensions have their own table (isa_extensions[], judge/extmatrix.py).
MATRIX_KIND = "isa_ext"
# Section titles of the kinds CONTRACT §3 names; any other kind is titled by its own name.
KIND_TITLES = {"capability": "Capabilities", "id_reg": "ID registers",
               "id_reg_field": "ID-register fields"}
# A check record's state -> the report square's state (as extmatrix names them).
SQUARE_STATE = {"pass": "ok", "fail": "diff", "known": "known"}


def kind_title(kind: str) -> str:
    return KIND_TITLES.get(kind, kind)


@dataclass(frozen=True)
class SubjectRow:
    """One subject in one cell: its checks keyed by check name (a name two of its tests both
    used is keyed `test:check`), and the worst of its tests' statuses and checks' states."""

    kind: str
    name: str
    id: int
    cell: str
    checks: dict[str, Check]
    tests: tuple[Test, ...]

    @property
    def status(self) -> str:
        """ok | fail | known | skip (every test skipped and nothing checked)."""
        states = {c.state for c in self.checks.values()}
        if "fail" in states or any(t.status == "fail" for t in self.tests):
            return "fail"
        if "known" in states or any(t.known is not None for t in self.tests):
            return "known"
        if not self.checks and self.tests and all(t.status == "skip" for t in self.tests):
            return "skip"
        return "ok"

    @property
    def test_status(self) -> str:
        """The worst status of the subject's tests: fail, then pass, then skip."""
        statuses = {t.status for t in self.tests}
        return next((s for s in ("fail", "pass", "skip") if s in statuses), "skip")


def cell_rows(cell: Cell) -> list[SubjectRow]:
    """Subjects in the order their first test appears."""
    tests: dict[tuple[str, str], list[Test]] = {}
    ids: dict[tuple[str, str], int] = {}
    for t in cell.tests:
        if t.subject is None or t.subject.kind == MATRIX_KIND:
            continue
        key = (t.subject.kind, t.subject.name)
        tests.setdefault(key, []).append(t)
        ids.setdefault(key, t.subject.id)
    rows = []
    for (kind, name), ts in tests.items():
        checks: dict[str, Check] = {}
        for t in ts:
            for c in t.checks:
                checks[f"{t.name}:{c.check}" if c.check in checks else c.check] = c
        rows.append(SubjectRow(kind, name, ids[(kind, name)], cell.name, checks, tuple(ts)))
    return rows


def kinds(cells: list[Cell] | tuple[Cell, ...]) -> list[str]:
    """The subject kinds the cells report, in the order they first appear."""
    return list(dict.fromkeys(r.kind for c in cells for r in cell_rows(c)))


def table(cells: list[Cell] | tuple[Cell, ...], kind: str) -> tuple[
        list[tuple[int, str]], list[str], dict[tuple[str, str], SubjectRow]]:
    """For one kind: subjects (id, name) in id order over the cells, the check names in the
    order they first appear, and each (subject name, cell) entry."""
    names: dict[str, int] = {}
    checks: dict[str, None] = {}
    entries: dict[tuple[str, str], SubjectRow] = {}
    for cell in cells:
        for row in cell_rows(cell):
            if row.kind != kind:
                continue
            names.setdefault(row.name, row.id)
            checks.update(dict.fromkeys(row.checks))
            entries[(row.name, row.cell)] = row
    return sorted((i, n) for n, i in names.items()), list(checks), entries
