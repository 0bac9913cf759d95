# SPDX-License-Identifier: MIT
# `kvmct diff OLD.json NEW.json`: what changed between two runs (or two kernels) cell by cell:
# extensions and other checked subjects (arm64 capabilities, ID registers) added or removed,
# changed values and expectations (policy), host facts, new and fixed failures; a pair of
# cells of two architectures is named as such and not compared. Text for a terminal, Markdown
# for a patch thread; NEW regressed -> exit 1.
from __future__ import annotations

from dataclasses import dataclass, field

from ..judge import extmatrix, subjects
from ..errors import KvmctError
from ..judge.records import Cell, Check, IsaExt, Run

_RANK = {"pass": 0, "fail": 1, "broken": 2}
# What a changed value is called: observed values, and the expectations derived from policy.
_VALUE_KEYS = ("default", "disable", "enable", "after_run", "executes_default",
               "executes_disabled")


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
                    self.arch_mismatch)


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
    values, expected values (the tables), and a state that changed while both stayed."""
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
            va, vb = (ca.observed if ca else "") or "-", (cb.observed if cb else "") or "-"
            xa, xb = (ca.expected if ca else "") or "-", (cb.expected if cb else "") or "-"
            if va != vb:
                d.values.append(f"{b.name} {check}: {va} -> {vb}")
            if xa != xb:
                d.policy.append(f"{b.name} expected {check}: {xa} -> {xb}")
            if ca and cb and ca.state != cb.state and va == vb and xa == xb:
                d.values.append(f"{b.name} {check} state: {ca.state} -> {cb.state}")


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


def cell_diff(old: Cell, new: Cell) -> CellDiff:
    d = CellDiff(old.name, new.name, (old.runner.status, new.runner.status),
                 arch=(old.arch, new.arch))
    if d.arch_mismatch:
        return d
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
             ("values", "values changed"), ("policy", "expectations changed (policy)"),
             ("host", "host facts changed"),
             ("new_failures", "new failures"), ("fixed", "fixed failures"))
_PLUS, _MINUS = ("added", "subjects_added"), ("removed", "subjects_removed")


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
            items: list[str] = getattr(c, key)
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
            items: list[str] = getattr(c, key)
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
