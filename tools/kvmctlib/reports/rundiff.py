# SPDX-License-Identifier: MIT
# `kvmct diff OLD.json NEW.json`: what changed between two runs (or two kernels) cell by cell:
# extensions and other checked subjects (arm64 capabilities, ID registers) added or removed,
# changed values and expectations (policy), host facts, what became writable (arm64 fields and
# registers, RISC-V disable/enable) and what no longer is, new and fixed failures; a pair of
# cells of two architectures is named as such and not compared. Text for a terminal, Markdown
# for a patch thread, JSON for programs; NEW regressed -> exit 1.
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..judge import extmatrix, extwritable, idgrid, subjects
from ..errors import KvmctError
from ..judge.records import Cell, Check, IsaExt, Run

_RANK = {"pass": 0, "fail": 1, "broken": 2}
# What a changed value is called: observed values, and the expectations derived from policy.
_VALUE_KEYS = ("default", "disable", "enable", "after_run", "executes_default",
               "executes_disabled")


@dataclass(frozen=True)
class WritableChange:
    """One thing a VMM may change in NEW and not in OLD, or the reverse: an arm64 field (the
    `writable` record), an arm64 register (IdRegMask's `mask` zero or not), or a RISC-V
    extension's disable/enable (KVM answered ok or not)."""

    kind: str  # field | register | isa_ext
    name: str  # ID_AA64ISAR3_EL1.FAMINMAX, MIDR_EL1, ZICBOZ
    old: str  # field: writable | fixed | absent; register: the mask or absent; isa_ext: ok, errno
    new: str  # or "untried"
    register: str = ""  # field and register
    field: str = ""  # field
    lsb: int = -1  # field
    width: int = 0  # field
    toggle: str = ""  # isa_ext: disable | enable

    def text(self) -> str:
        if self.kind == "field":
            bits = f"{self.lsb + self.width - 1}:{self.lsb}" if self.width > 1 else str(self.lsb)
            return f"field {self.name} [{bits}]: {self.old} -> {self.new}"
        if self.kind == "register":
            return f"register {self.name}: mask {self.old} -> {self.new}"
        return f"isa_ext {self.name} {self.toggle}: {self.old} -> {self.new}"


@dataclass
class CellDiff:
    old: str
    new: str
    status: tuple[str, str]
    added: list[str] = field(default_factory=list)  # "ZAAMO (69): default 1, disable EINVAL"
    removed: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # "ZICBOZ disable: ok -> EINVAL"
    policy: list[str] = field(default_factory=list)  # "ZICBOZ expected disable: ok -> EINVAL"
    new_failures: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    tests_added: int = 0
    tests_removed: int = 0
    arch: tuple[str, str] = ("", "")
    subjects_added: list[str] = field(default_factory=list)  # "capability KVM_CAP_X (7): value 1"
    subjects_removed: list[str] = field(default_factory=list)
    host: list[str] = field(default_factory=list)  # "cpu feature sve added", "kvm mode: ..."
    newly_writable: list[WritableChange] = field(default_factory=list)
    no_longer_writable: list[WritableChange] = field(default_factory=list)

    @property
    def arch_mismatch(self) -> bool:
        """Two architectures: their records are not comparable, only their statuses."""
        return self.arch[0] != self.arch[1]

    @property
    def regressed(self) -> bool:
        return bool(self.new_failures) or _RANK.get(self.status[1], 2) > _RANK.get(self.status[0], 2)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.values or self.policy or
                    self.new_failures or self.fixed or self.status[0] != self.status[1] or
                    self.subjects_added or self.subjects_removed or self.host or
                    self.newly_writable or self.no_longer_writable or self.arch_mismatch)


@dataclass
class RunDiff:
    cells: list[CellDiff]
    only_old: list[str]
    only_new: list[str]

    @property
    def regressed(self) -> bool:
        return any(c.regressed for c in self.cells) or bool(self.only_old)


def _exts(doc: Cell) -> dict[str, IsaExt]:
    return {e.name: e for e in doc.isa_extensions}


def _present(e: IsaExt | None) -> bool:
    return bool(e and e.present)


def _brief(e: IsaExt) -> str:
    vals = [f"{k.replace('_', '-')} {e.checks[k].observed}"
            for k in ("default", "disable", "enable", "after_run")
            if k in e.checks and e.checks[k].observed]
    ex = extmatrix.column_value(e, "executes")
    if ex:
        vals.append(f"executes {ex}")
    return f"{e.name} ({e.id})" + (f": {', '.join(vals)}" if vals else "")


def _value(e: IsaExt, key: str, side: str) -> str:
    record = e.checks.get(key)
    return (getattr(record, side) if record is not None else "") or "-"


def _check_brief(checks: dict[str, Check]) -> str:
    return ", ".join(f"{k} {c.observed}" for k, c in checks.items() if c.observed)


def _subject_diff(d: CellDiff, old: Cell, new: Cell) -> None:
    """The check records of every subject but ISA extensions, as for extensions: observed
    values, expected values (the tables), and a state that changed while both stayed. A field
    that became writable or fixed is planned anew (safe/unsafe instead of change): the checks
    only one side made are that plan, said once under newly / no longer writable."""
    moved = {w.name for w in (*d.newly_writable, *d.no_longer_writable) if w.kind == "field"}
    ro = {(r.kind, r.name): r for r in subjects.cell_rows(old)}
    rn = {(r.kind, r.name): r for r in subjects.cell_rows(new)}
    for key in [*ro, *(k for k in rn if k not in ro)]:
        a, b = ro.get(key), rn.get(key)
        if a is None or b is None:
            row = b or a
            assert row is not None
            brief = _check_brief(row.checks)
            (d.subjects_added if a is None else d.subjects_removed).append(
                f"{row.kind} {row.name} ({row.id})" + (f": {brief}" if brief else ""))
            continue
        for check in [*a.checks, *(k for k in b.checks if k not in a.checks)]:
            ca, cb = a.checks.get(check), b.checks.get(check)
            if (ca is None or cb is None) and _field_name(b) in moved:
                continue
            va, vb = (ca.observed if ca else "") or "-", (cb.observed if cb else "") or "-"
            xa, xb = (ca.expected if ca else "") or "-", (cb.expected if cb else "") or "-"
            if va != vb:
                d.values.append(f"{b.name} {check}: {va} -> {vb}")
            if xa != xb:
                d.policy.append(f"{b.name} expected {check}: {xa} -> {xb}")
            if ca and cb and ca.state != cb.state and va == vb and xa == xb:
                d.values.append(f"{b.name} {check} state: {ca.state} -> {cb.state}")


def _field_name(row: subjects.SubjectRow) -> str:
    place = row.tests[0].subject.place if row.tests and row.tests[0].subject else None
    return f"{place.register}.{place.field}" if place is not None else ""


def _host_diff(d: CellDiff, old: Cell, new: Cell) -> None:
    if old.kvm_mode != new.kvm_mode:
        d.host.append(f"kvm mode: {old.kvm_mode or '-'} -> {new.kvm_mode or '-'}")
    fo = old.host.cpu_features if old.host else ()
    fn = new.host.cpu_features if new.host else ()
    d.host += [f"cpu feature {f} added" for f in fn if f not in fo]
    d.host += [f"cpu feature {f} removed" for f in fo if f not in fn]
    ro = old.host.id_registers if old.host else {}
    rn = new.host.id_registers if new.host else {}
    for reg in sorted(set(ro) | set(rn)):
        if ro.get(reg) != rn.get(reg):
            d.host.append(f"{reg}: {ro.get(reg, '-')} -> {rn.get(reg, '-')}")


def _fields(cell: Cell) -> dict[tuple[str, str], idgrid.FieldSquare]:
    return {(f.register, f.field): f for r in idgrid.registers(cell) for f in r.fields}


def _masks(cell: Cell) -> dict[str, tuple[int, str]]:
    """Each register's measured mask: its value and its text as the record wrote it."""
    return {r.name: (m, r.mask.observed) for r in idgrid.registers(cell)
            if (m := r.mask_value()) is not None}


def _toggles(cell: Cell) -> dict[tuple[str, str], str]:
    """(extension, disable|enable) -> what KVM answered, for the toggles it was asked."""
    return {(r.name, t): r.toggles[t].observed for r in extwritable.cell_toggles(cell)
            for t in extwritable.TOGGLES if r.toggles[t].observed}


def _writable_diff(d: CellDiff, old: Cell, new: Cell) -> None:
    """Fields whose `writable` record went fixed/absent -> writable (and back), registers whose
    mask went zero/absent -> non-zero (and back), and the disable/enable of RISC-V extensions
    present in both that went refused/untried -> ok (and back)."""
    order = {r.name: (r.id, r.name) for c in (old, new) for r in idgrid.registers(c)}
    fo, fn = _fields(old), _fields(new)
    for key in sorted(set(fo) | set(fn), key=lambda k: (order[k[0]], -(fn.get(k) or fo[k]).lsb)):
        a, b = fo.get(key), fn.get(key)
        wa, wb = (a.writable if a else "") or "absent", (b.writable if b else "") or "absent"
        if (wa == "writable") == (wb == "writable"):
            continue
        f = b or a
        assert f is not None
        change = WritableChange("field", f"{f.register}.{f.field}", wa, wb, f.register, f.field,
                                f.lsb, f.width)
        (d.newly_writable if wb == "writable" else d.no_longer_writable).append(change)
    mo, mn = _masks(old), _masks(new)
    for reg in sorted(set(mo) | set(mn), key=order.__getitem__):
        (va, ta), (vb, tb) = mo.get(reg, (0, "absent")), mn.get(reg, (0, "absent"))
        if bool(va) != bool(vb):
            change = WritableChange("register", reg, ta, tb, reg)
            (d.newly_writable if vb else d.no_longer_writable).append(change)
    # An extension present on one side only is listed under extensions added / removed.
    to, tn = _toggles(old), _toggles(new)
    ids = {e.name: e.id for e in new.isa_extensions}
    both = {e.name for e in old.isa_extensions if e.present} & \
        {e.name for e in new.isa_extensions if e.present}
    for ext, toggle in sorted(((e, t) for e in both for t in extwritable.TOGGLES),
                              key=lambda k: (ids[k[0]], k)):
        ta, tb = to.get((ext, toggle), "untried"), tn.get((ext, toggle), "untried")
        if (ta == "ok") != (tb == "ok"):
            change = WritableChange("isa_ext", ext, ta, tb, toggle=toggle)
            (d.newly_writable if tb == "ok" else d.no_longer_writable).append(change)


def cell_diff(old: Cell, new: Cell) -> CellDiff:
    d = CellDiff(old.name, new.name, (old.runner.status, new.runner.status),
                 arch=(old.arch, new.arch))
    if d.arch_mismatch:
        return d
    _writable_diff(d, old, new)
    _subject_diff(d, old, new)
    _host_diff(d, old, new)
    eo, en = _exts(old), _exts(new)
    order = sorted(set(eo) | set(en), key=lambda n: (en.get(n) or eo[n]).id)
    for name in order:
        a, b = eo.get(name), en.get(name)
        if b is not None and b.present and not _present(a):
            d.added.append(_brief(b))
        elif a is not None and a.present and not _present(b):
            d.removed.append(_brief(a))
        elif a is not None and b is not None and a.present:
            for k in _VALUE_KEYS:
                va, vb = _value(a, k, "observed"), _value(b, k, "observed")
                if va != vb:
                    d.values.append(f"{name} {k.replace('_', '-')}: {va} -> {vb}")
                xa, xb = _value(a, k, "expected"), _value(b, k, "expected")
                if xa != xb:
                    d.policy.append(f"{name} expected {k.replace('_', '-')}: {xa} -> {xb}")
            # What the suite's judge made of the guest's execution (was `execution.verdict`).
            sa, sb = extmatrix.column_state(a, "executes"), extmatrix.column_state(b, "executes")
            if sa != sb:
                d.values.append(f"{name} executes state: {sa} -> {sb}")
    to = {t.name: t for t in old.tests}
    tn = {t.name: t for t in new.tests}
    for name, t in tn.items():
        before = to[name].status if name in to else None
        if t.status == "fail" and before != "fail":
            msg = t.message.strip().splitlines()
            d.new_failures.append(f"{name}" + (f": {msg[0]}" if msg else "") +
                                  ("" if before else " (new test)"))
        elif before == "fail" and t.status in ("pass", "skip"):
            d.fixed.append(f"{name} ({t.status})")
    old_kinds = {x.kind for x in old.runner.errors}
    for e in new.runner.errors:
        if e.kind not in old_kinds:
            d.new_failures.append(f"cell broken: {e.kind}: {e.message}")
    d.tests_added = len(set(tn) - set(to))
    d.tests_removed = len(set(to) - set(tn))
    return d


def _model(c: Cell) -> tuple[str, str]:
    # The CPU model's name: arm64's max-vhe and max-nvhe are both `-cpu max`.
    return c.arch, c.qemu.get("cpu_name") or c.qemu.get("cpu", "")


def _pair(old: list[Cell], new: list[Cell]) -> tuple[list[tuple[Cell, Cell]], list[str], list[str]]:
    """Same cell name first; then, between what is left, the same architecture and CPU model
    (comparing kernels); then one cell each (an architecture mismatch is named)."""
    pairs = []
    lo = {c.name: c for c in old}
    ln = {c.name: c for c in new}
    for name in [n for n in ln if n in lo]:
        pairs.append((lo.pop(name), ln.pop(name)))
    for name, n in list(ln.items()):
        same = [k for k, o in lo.items() if _model(o) == _model(n)]
        if len(same) == 1:
            pairs.append((lo.pop(same[0]), ln.pop(name)))
    if len(lo) == 1 and len(ln) == 1:
        pairs.append((lo.popitem()[1], ln.popitem()[1]))
    return pairs, list(lo), list(ln)


def diff(old: Run, new: Run, old_cell: str | None = None,
         new_cell: str | None = None) -> RunDiff:
    oc = [c for c in old.cells if old_cell is None or c.name == old_cell]
    nc = [c for c in new.cells if new_cell is None or c.name == new_cell]
    if old_cell is not None and not oc:
        raise KvmctError(f"OLD has no cell {old_cell}")
    if new_cell is not None and not nc:
        raise KvmctError(f"NEW has no cell {new_cell}")
    pairs, only_old, only_new = _pair(oc, nc)
    return RunDiff([cell_diff(a, b) for a, b in pairs], only_old, only_new)


_SECTIONS = (("added", "extensions added"), ("removed", "extensions removed"),
             ("subjects_added", "checked subjects added"),
             ("subjects_removed", "checked subjects removed"),
             ("newly_writable", "newly writable"), ("no_longer_writable", "no longer writable"),
             ("values", "values changed"), ("policy", "expectations changed (policy)"),
             ("host", "host facts changed"),
             ("new_failures", "new failures"), ("fixed", "fixed failures"))
_PLUS = ("added", "subjects_added", "newly_writable")
_MINUS = ("removed", "subjects_removed", "no_longer_writable")


def _items(c: CellDiff, key: str) -> list[str]:
    items: list[str] | list[WritableChange] = getattr(c, key)
    return [i.text() if isinstance(i, WritableChange) else i for i in items]


def _title(c: CellDiff) -> str:
    names = c.old if c.old == c.new else f"{c.old} -> {c.new}"
    status = c.status[0].upper() if c.status[0] == c.status[1] else \
        f"{c.status[0].upper()} -> {c.status[1].upper()}"
    arch = (f", architectures differ ({c.arch[0]} -> {c.arch[1]}): records not compared"
            if c.arch_mismatch else "")
    return f"{names}: {status}{arch}" + (", REGRESSED" if c.regressed else "")


def _verdict(d: RunDiff) -> str:
    return "NEW regressed" if d.regressed else "no regression"


def text(d: RunDiff) -> str:
    out = []
    for c in d.cells:
        out.append(f"== {_title(c)}")
        if c.empty:
            out.append("  no changes")
        for key, label in _SECTIONS:
            items = _items(c, key)
            if items:
                out.append(f"  {label} ({len(items)}):")
                out += [f"    {'+' if key in _PLUS else '-' if key in _MINUS else ' '} {i}"
                        for i in items]
        if c.tests_added or c.tests_removed:
            out.append(f"  tests: {c.tests_added} added, {c.tests_removed} removed")
    for name in d.only_old:
        out.append(f"== {name}: only in OLD (missing from NEW)")
    for name in d.only_new:
        out.append(f"== {name}: only in NEW")
    out.append(f"kvmct diff: {_verdict(d)}")
    return "\n".join(out) + "\n"


def markdown(d: RunDiff) -> str:
    out = [f"## kvmct diff: {_verdict(d)}", ""]
    for c in d.cells:
        out += [f"### {_title(c)}", ""]
        if c.empty:
            out += ["No changes.", ""]
        for key, label in _SECTIONS:
            items = _items(c, key)
            if items:
                out += [f"**{label.capitalize()}** ({len(items)}):", ""]
                out += [f"- `{i}`" if key in ("values", "policy", "host") else f"- {i}"
                        for i in items]
                out.append("")
        if c.tests_added or c.tests_removed:
            out += [f"Tests: {c.tests_added} added, {c.tests_removed} removed.", ""]
    for name in d.only_old:
        out += [f"### {name}: only in OLD (missing from NEW)", ""]
    for name in d.only_new:
        out += [f"### {name}: only in NEW", ""]
    return "\n".join(out).rstrip() + "\n"


JSON_SCHEMA = "kvmct-diff/1"


def _change(w: WritableChange) -> dict[str, Any]:
    """The keys that apply to the change's kind (docs/results.md, `kvmct diff --json`)."""
    keep = {"field": ("register", "field", "lsb", "width"), "register": ("register",),
            "isa_ext": ("toggle",)}[w.kind]
    return {k: v for k, v in asdict(w).items() if k in ("kind", "name", "old", "new", *keep)}


def to_json(d: RunDiff) -> dict[str, Any]:
    """The diff as data: each cell pair's lists, the writable changes as objects."""
    cells = []
    for c in d.cells:
        entry: dict[str, Any] = {"old": c.old, "new": c.new, "status": list(c.status),
                                 "arch": list(c.arch), "arch_mismatch": c.arch_mismatch,
                                 "regressed": c.regressed}
        for key, _ in _SECTIONS:
            items: list[Any] = getattr(c, key)
            entry[key] = [_change(i) if isinstance(i, WritableChange) else i for i in items]
        entry.update(tests_added=c.tests_added, tests_removed=c.tests_removed)
        cells.append(entry)
    return {"schema": JSON_SCHEMA, "regressed": d.regressed, "verdict": _verdict(d),
            "cells": cells, "only_old": d.only_old, "only_new": d.only_new}
