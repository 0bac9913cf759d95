# SPDX-License-Identifier: MIT
# The arm64 register x field grid of one cell (issue 12): per Feature ID register its
# IdRegMask `mask` record, and per field of it what the mask says (the `writable` check), the
# table's rule, whether a safe value was accepted and an unsafe one refused, and what the guest
# saw. Read from subject fields (register, field, lsb, width, rule) and check records only.
from __future__ import annotations

from dataclasses import dataclass

from .records import Cell, Check
from .subjects import SQUARE_STATE, SubjectRow, cell_rows

FIELD_KIND = "id_reg_field"
REGISTER_KIND = "id_reg"
# The square's parts and the check records each is made of (CONTRACT.md, "Test cases").
PARTS = {
    "writable": ("writable",),
    "accepted": ("safe", "safe_read_back", "raise_back"),
    "refused": ("unsafe", "unsafe_unchanged", "change", "change_unchanged"),
    "guest": ("guest_view", "written", "default_view"),
}
_RANK = {"na": 0, "ok": 1, "known": 2, "diff": 3}


@dataclass(frozen=True)
class Part:
    """One part of a square: the first record's observed/expected value (the one the square
    shows) and the worst state of all its records; "na" when none was made."""

    observed: str
    expected: str
    state: str  # ok | diff | known | na


def worst(states: list[str] | tuple[str, ...]) -> str:
    return max(states, key=_RANK.__getitem__, default="na")


def _part(row: SubjectRow | None, names: tuple[str, ...]) -> Part:
    records: list[Check] = [row.checks[n] for n in names if row is not None and n in row.checks]
    if not records:
        return Part("", "", "na")
    return Part(records[0].observed, records[0].expected,
                worst([SQUARE_STATE[r.state] for r in records]))


@dataclass(frozen=True)
class FieldSquare:
    register: str
    field: str
    lsb: int
    width: int
    rule: str
    table_writable: bool
    cell: str
    parts: dict[str, Part]  # keyed by PARTS
    host_managed: str  # the reason a test gave (property host_managed), "" for none
    test_status: str  # the worst status of the field's tests: fail, pass, skip
    # The field's other records (IdRegFilter's, ...): their names and worst state.
    others: tuple[str, ...] = ()
    others_state: str = "na"

    @property
    def writable(self) -> str:
        """writable | fixed | `partial 0x..` (some of its bits) as the mask said, "" when no
        `writable` record was made."""
        return self.parts["writable"].observed

    @property
    def coverage(self) -> str:
        """writable | fixed | partial | "": the mask's word on the field, without the bits."""
        return self.writable.split(" ", 1)[0]

    @property
    def state(self) -> str:
        """The square's colour: the worst part, or diff when a test of it failed alone."""
        s = worst([*(p.state for p in self.parts.values()), self.others_state])
        return "diff" if self.test_status == "fail" and s != "diff" else s


@dataclass(frozen=True)
class RegisterLine:
    name: str
    id: int
    cell: str
    mask: Part  # IdRegMask's `mask` record: observed and expected hex
    state: str  # the worst of the register's own records (mask, outside bits, ...)
    fields: tuple[FieldSquare, ...]  # most significant first
    differ: tuple[str, ...] = ()  # the register's records that differ (fail or known), by name

    def mask_value(self) -> int | None:
        try:
            return int(self.mask.observed, 16) if self.mask.observed else None
        except ValueError:
            return None


def _field(row: SubjectRow) -> FieldSquare:
    assert row.tests[0].subject is not None and row.tests[0].subject.place is not None
    p = row.tests[0].subject.place
    managed = next((t.properties["host_managed"] for t in row.tests
                    if t.properties.get("host_managed")), "")
    mine = {n for names in PARTS.values() for n in names}
    others = {k: c for k, c in row.checks.items() if k not in mine}
    return FieldSquare(p.register, p.field, p.lsb, p.width, p.rule, p.table_writable, row.cell,
                       {k: _part(row, names) for k, names in PARTS.items()}, managed,
                       row.test_status, tuple(others),
                       worst([SQUARE_STATE[c.state] for c in others.values()]))


def _placed(row: SubjectRow) -> bool:
    s = row.tests[0].subject
    return row.kind == FIELD_KIND and s is not None and s.place is not None


def unplaced(cell: Cell) -> list[SubjectRow]:
    """Field subjects without register/lsb/width (documents from before those keys)."""
    return [r for r in cell_rows(cell) if r.kind == FIELD_KIND and not _placed(r)]


def registers(cell: Cell) -> list[RegisterLine]:
    """The registers with a record or a placed field, in ONE_REG id order."""
    rows = cell_rows(cell)
    regs = {r.name: r for r in rows if r.kind == REGISTER_KIND}
    fields: dict[str, list[FieldSquare]] = {}
    ids: dict[str, int] = {}
    for r in rows:
        if _placed(r):
            f = _field(r)
            fields.setdefault(f.register, []).append(f)
            ids.setdefault(f.register, r.id)
    out = []
    for name in dict.fromkeys([*regs, *fields]):
        reg = regs.get(name)
        state = worst([SQUARE_STATE[c.state] for c in reg.checks.values()]) if reg else "na"
        if reg is not None and reg.test_status == "fail" and state != "diff":
            state = "diff"
        ordered = tuple(sorted(fields.get(name, []), key=lambda f: -f.lsb))
        differ = tuple(k for k, c in reg.checks.items() if c.state != "pass") if reg else ()
        out.append(RegisterLine(name, reg.id if reg else ids[name], cell.name,
                                _part(reg, ("mask",)), state, ordered, differ))
    return sorted(out, key=lambda r: (r.id, r.name))


def applies(cell: Cell) -> bool:
    """A cell with ID-register records (an arm64 cell of issue 12 or later)."""
    return any(r.kind in (FIELD_KIND, REGISTER_KIND) for r in cell_rows(cell))


@dataclass(frozen=True)
class Counts:
    registers: int  # registers with a mask record
    writable_registers: int  # of those, with a non-zero mask
    fields: int  # fields with a `writable` record
    writable_fields: int
    failing: int  # squares and register lines in state diff


def counts(lines: list[RegisterLine]) -> Counts:
    masks = [m for m in (r.mask_value() for r in lines) if m is not None]
    squares = [f for r in lines for f in r.fields]
    return Counts(len(masks), sum(1 for m in masks if m), sum(1 for f in squares if f.writable),
                  sum(1 for f in squares if f.writable == "writable"),
                  sum(1 for f in squares if f.state == "diff") +
                  sum(1 for r in lines if r.state == "diff"))
