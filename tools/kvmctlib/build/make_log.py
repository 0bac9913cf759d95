# SPDX-License-Identifier: MIT
# Reading Kbuild's output while a long kernel build runs: objects compiled so far for the
# progress line, and the part of a failed build's log worth printing.
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Kbuild's short lines: "  CC      kernel/fork.o", "  CC [M]  arch/riscv/kvm/main.o".
_COMPILE = re.compile(r"^\s+(CC|AS)(\s+\[M\])?\s+(\S+\.o)\s*$")
# gcc's diagnostics ("file.c:12:3: error: ...") and make's own failure lines.
_ERROR = re.compile(r"^\S+:\d+(:\d+)?: (fatal )?error: |^make(\[\d+\])?: \*\*\* ")


@dataclass
class Counter:
    """Counts compiled objects in a stream of make's lines and keeps the last one."""

    compiled: int = 0
    last: str = ""
    lines: list[str] = field(default_factory=list)

    def feed(self, line: str) -> None:
        line = line.rstrip("\n")
        self.lines.append(line)
        m = _COMPILE.match(line)
        if m:
            self.compiled += 1
            self.last = m.group(3)

    def status(self) -> str:
        return f"{self.compiled} objects compiled" + (f", last {self.last}" if self.last else "")


def failure_tail(lines: list[str], context: int = 8, limit: int = 40) -> list[str]:
    """What to show of a failed build: from a few lines before the first compiler or make
    error (with -j2 the other job's lines interleave, the first error is the cause) up to
    `limit` lines; without a recognisable error line, the last `limit` lines."""
    first = next((i for i, line in enumerate(lines) if _ERROR.search(line)), None)
    if first is None:
        return lines[-limit:]
    start = max(0, first - context)
    return lines[start:start + limit]
