# SPDX-License-Identifier: MIT
# Findings of the ISA dependency check (suites/riscv/isa_dependency_test.cc): an advertised
# extension whose prerequisite KVM let a VMM turn off, from each extension's `dependency`
# check record; a known deviation is a finding with its reason, an unexcused one a failure.
from __future__ import annotations

from dataclasses import dataclass

from .records import Cell

CHECK = "dependency"


@dataclass(frozen=True)
class Finding:
    cell: str
    extension: str
    observed: str  # the prerequisite as the vCPU advertised it: "F=0"
    rule: str      # the rule with its table line and the manual's words
    state: str     # known | fail
    reason: str    # the deviation's reason (names the kernel function); "" when unexcused
    owner: str


def findings(cell: Cell) -> list[Finding]:
    """Every extension of the cell whose dependency check did not pass, in catalogue order."""
    out = []
    for ext in cell.isa_extensions:
        rec = ext.checks.get(CHECK)
        if rec is None or rec.state == "pass":
            continue
        out.append(Finding(cell.name, ext.name, rec.observed, rec.rule, rec.state,
                           rec.known.reason if rec.known else "",
                           rec.known.owner if rec.known else ""))
    return out
