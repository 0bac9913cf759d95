# SPDX-License-Identifier: MIT
# What a person reads: each cell's KTAP echo with its verdict, the overall table, and the
# closing `kvmct: N passed, N failed, N skipped` line that CI looks for.
from __future__ import annotations

from . import textreport
from ..cell.boot import Outcome
from ..judge.records import Cell, by_arch


def cell_block(o: Outcome) -> str:
    k = o.spec.kernel
    c = o.report.counts()
    head = (f"=== cell {o.spec.name}: {o.verdict.status.upper()} "
            f"(kernel {k.get('name')} {k.get('package') or k.get('image')} "
            f"{k.get('version')}, cpu {o.spec.cpu}, {o.duration_s:.1f} s)")
    lines = [head]
    lines += [f"    {line}" for line in o.report.lines]
    lines.append(f"--- {o.spec.name}: {c['pass']} passed, {c['fail']} failed, "
                 f"{c['skip']} skipped; suite exit {o.watch.suite_exit}")
    for p in o.verdict.problems:
        lines.append(f"--- {o.spec.name}: {p.kind}: {p.message}")
        if p.excerpt:
            lines.append("    console excerpt:")
            lines += [f"    {x}" for x in p.excerpt.splitlines()]
    lines.append(f"--- {o.spec.name}: console log {o.console_log}")
    return "\n".join(lines)


def counts_text(o: Outcome) -> str:
    c = o.report.counts()
    return f"({c['pass']} pass, {c['fail']} fail, {c['skip']} skip)"


def summary(docs: list[Cell] | tuple[Cell, ...], totals: dict[str, int]) -> str:
    """One line per cell, its architecture beside its name, grouped by architecture."""
    lines = ["", "kvmct summary:"]
    width = max([len(d.name) for d in docs] + [4])
    arch_width = max([len(d.arch) for d in docs] + [4])
    for d in (c for _, group in by_arch(docs) for c in group):
        r = d.runner
        k = d.kernel
        lines.append(f"  {d.name:<{width}}  {d.arch:<{arch_width}}  {r.status.upper():<6}  "
                     f"{r.ktap.get('pass', 0):3d} pass {r.ktap.get('fail', 0):3d} fail "
                     f"{r.ktap.get('skip', 0):3d} skip  {r.duration_s:6.1f} s  "
                     f"{k.get('package', '')} {k.get('version', '')}".rstrip())
        indent = f"  {'':<{width}}  {'':<{arch_width}}"
        if d.policy is not None:
            lines.append(f"{indent}  {d.policy.label()}")
        if host := textreport.host_line(d):
            lines.append(f"{indent}  {host}")
    lines += textreport.text(docs)
    lines.append(closing_line(totals))
    return "\n".join(lines)


def closing_line(totals: dict[str, int]) -> str:
    return f"kvmct: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped"
