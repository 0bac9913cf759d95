# SPDX-License-Identifier: MIT
# `kvmct diff OLD.json NEW.json`: what changed between two runs (or two kernels) cell by cell:
# extensions added or removed, changed values and expectations (policy), new and fixed
# failures. Text for a terminal, Markdown for a patch thread; NEW regressed -> exit 1.
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import extmatrix

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

    @property
    def regressed(self) -> bool:
        return bool(self.new_failures) or _RANK.get(self.status[1], 2) > _RANK.get(self.status[0], 2)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.values or self.policy or
                    self.new_failures or self.fixed or self.status[0] != self.status[1])


@dataclass
class RunDiff:
    cells: list[CellDiff]
    only_old: list[str]
    only_new: list[str]

    @property
    def regressed(self) -> bool:
        return any(c.regressed for c in self.cells) or bool(self.only_old)


def _exts(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(e.get("name")): e for e in doc.get("isa_extensions") or []}


def _present(e: dict[str, Any] | None) -> bool:
    return bool(e and e.get("present"))


def _brief(e: dict[str, Any]) -> str:
    vals = [f"{k.replace('_', '-')} {e[k]}" for k in ("default", "disable", "enable", "after_run")
            if e.get(k) not in (None, "")]
    ex = extmatrix.executes_value(e, "executes")
    if ex:
        vals.append(f"executes {ex}")
    return f"{e.get('name')} ({e.get('id')})" + (f": {', '.join(vals)}" if vals else "")


def _execution_verdict(e: dict[str, Any]) -> str:
    return str((e.get("execution") or {}).get("verdict", ""))


def cell_diff(old: dict[str, Any], new: dict[str, Any]) -> CellDiff:
    d = CellDiff(str(old.get("cell")), str(new.get("cell")),
                 (str(old.get("runner", {}).get("status", "broken")),
                  str(new.get("runner", {}).get("status", "broken"))))
    eo, en = _exts(old), _exts(new)
    order = sorted(set(eo) | set(en), key=lambda n: int((en.get(n) or eo.get(n) or {})
                                                        .get("id", 1 << 30)))
    for name in order:
        a, b = eo.get(name), en.get(name)
        if _present(b) and not _present(a):
            d.added.append(_brief(b or {}))
        elif _present(a) and not _present(b):
            d.removed.append(_brief(a or {}))
        elif a is not None and b is not None and _present(a):
            for k in _VALUE_KEYS:
                va, vb = str(a.get(k, "") or "-"), str(b.get(k, "") or "-")
                if va != vb:
                    d.values.append(f"{name} {k.replace('_', '-')}: {va} -> {vb}")
                xa = str((a.get("expected") or {}).get(k, "") or "-")
                xb = str((b.get("expected") or {}).get(k, "") or "-")
                if xa != xb:
                    d.policy.append(f"{name} expected {k.replace('_', '-')}: {xa} -> {xb}")
            va, vb = _execution_verdict(a), _execution_verdict(b)
            if va != vb:
                d.values.append(f"{name} execution verdict: {va or '-'} -> {vb or '-'}")
    to = {str(t.get("name")): t for t in old.get("tests", [])}
    tn = {str(t.get("name")): t for t in new.get("tests", [])}
    for name, t in tn.items():
        before = to.get(name, {}).get("status")
        if t.get("status") == "fail" and before != "fail":
            msg = str(t.get("message", "")).strip().splitlines()
            d.new_failures.append(f"{name}" + (f": {msg[0]}" if msg else "") +
                                  ("" if before else " (new test)"))
        elif before == "fail" and t.get("status") in ("pass", "skip"):
            d.fixed.append(f"{name} ({t.get('status')})")
    for e in new.get("runner", {}).get("errors", []):
        if e.get("kind") not in {x.get("kind") for x in old.get("runner", {}).get("errors", [])}:
            d.new_failures.append(f"cell broken: {e.get('kind')}: {e.get('message')}")
    d.tests_added = len(set(tn) - set(to))
    d.tests_removed = len(set(to) - set(tn))
    return d


def _pair(old: list[dict[str, Any]], new: list[dict[str, Any]]
          ) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], list[str], list[str]]:
    """Same cell name first; then, between what is left, the same -cpu (comparing kernels);
    then one cell each."""
    pairs = []
    lo = {str(c.get("cell")): c for c in old}
    ln = {str(c.get("cell")): c for c in new}
    for name in [n for n in ln if n in lo]:
        pairs.append((lo.pop(name), ln.pop(name)))
    for name, n in list(ln.items()):
        cpu = n.get("qemu", {}).get("cpu")
        same = [k for k, o in lo.items() if o.get("qemu", {}).get("cpu") == cpu]
        if len(same) == 1:
            pairs.append((lo.pop(same[0]), ln.pop(name)))
    if len(lo) == 1 and len(ln) == 1:
        pairs.append((lo.popitem()[1], ln.popitem()[1]))
    return pairs, list(lo), list(ln)


def diff(old: dict[str, Any], new: dict[str, Any], old_cell: str | None = None,
         new_cell: str | None = None) -> RunDiff:
    oc = [c for c in old.get("cells", []) if old_cell is None or c.get("cell") == old_cell]
    nc = [c for c in new.get("cells", []) if new_cell is None or c.get("cell") == new_cell]
    if old_cell is not None and not oc:
        raise ValueError(f"OLD has no cell {old_cell}")
    if new_cell is not None and not nc:
        raise ValueError(f"NEW has no cell {new_cell}")
    pairs, only_old, only_new = _pair(oc, nc)
    return RunDiff([cell_diff(a, b) for a, b in pairs], only_old, only_new)


_SECTIONS = (("added", "extensions added"), ("removed", "extensions removed"),
             ("values", "values changed"), ("policy", "expectations changed (policy)"),
             ("new_failures", "new failures"), ("fixed", "fixed failures"))


def _title(c: CellDiff) -> str:
    names = c.old if c.old == c.new else f"{c.old} -> {c.new}"
    status = c.status[0].upper() if c.status[0] == c.status[1] else \
        f"{c.status[0].upper()} -> {c.status[1].upper()}"
    return f"{names}: {status}" + (", REGRESSED" if c.regressed else "")


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
                out += [f"    {'+' if key == 'added' else '-' if key == 'removed' else ' '} {i}"
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
                out += [f"- `{i}`" if key in ("values", "policy") else f"- {i}" for i in items]
                out.append("")
        if c.tests_added or c.tests_removed:
            out += [f"Tests: {c.tests_added} added, {c.tests_removed} removed.", ""]
    for name in d.only_old:
        out += [f"### {name}: only in OLD (missing from NEW)", ""]
    for name in d.only_new:
        out += [f"### {name}: only in NEW", ""]
    return "\n".join(out).rstrip() + "\n"
