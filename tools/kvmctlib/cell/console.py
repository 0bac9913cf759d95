# SPDX-License-Identifier: MIT
# Watches a cell's console as it streams: kernel trouble (panic, Oops, WARNING, BUG), /init
# errors and the suite's exit line, and keeps every line for excerpts.
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import init_protocol as proto

# Kernel messages worth failing a cell for. Matched anywhere in a line that is not part of
# the KTAP stream, because printk may prefix a timestamp or a log level.
_KERNEL = (
    ("kernel-panic", re.compile(r"Kernel panic")),
    ("kernel-oops", re.compile(r"\bOops\b")),
    ("kernel-warning", re.compile(r"WARNING:")),
    ("kernel-bug", re.compile(r"\bBUG:")),
)
_STOP_KINDS = {proto.ERROR: "init-error", proto.KVM_ABSENT: "kvm-absent"}


@dataclass(frozen=True)
class Finding:
    kind: str  # kernel-panic | kernel-oops | kernel-warning | kernel-bug | init-error | kvm-absent
    line_no: int  # 1-based line in the console log
    text: str


@dataclass
class Watch:
    lines: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    suite_exit: int | None = None
    firmware_seen: bool = False
    firmware_banner: str | None = None  # the profile's firmware stage (None: it has none)
    uptime: dict[str, float] = field(default_factory=dict)  # guest uptime at suite start/end

    def feed(self, line: str, is_ktap: bool = False) -> Finding | None:
        """Record a line; return a new finding if it shows trouble."""
        text = line.rstrip("\r\n")
        self.lines.append(text)
        if self.firmware_banner is not None and self.firmware_banner in text:
            self.firmware_seen = True
        if is_ktap:
            return None
        said = proto.parse(text)
        if said is not None and said.suite_exit is not None:
            self.suite_exit = said.suite_exit
            return None
        if said is not None and said.uptime_mark:
            self.uptime[said.uptime_mark] = said.uptime_s
            return None
        finding: Finding | None = None
        if said is not None and said.stop:
            finding = Finding(_STOP_KINDS[said.stop], len(self.lines), text)
        else:
            for kind, pattern in _KERNEL:
                if pattern.search(text):
                    finding = Finding(kind, len(self.lines), text)
                    break
        if finding is not None:
            self.findings.append(finding)
        return finding

    def excerpt(self, line_no: int | None = None, before: int = 5, after: int = 15) -> str:
        """Lines around line_no (1-based), or the last lines of the console."""
        if line_no is None:
            chunk = self.lines[-(before + after):]
            start = max(len(self.lines) - (before + after), 0) + 1
        else:
            start = max(line_no - before, 1)
            chunk = self.lines[start - 1: line_no + after]
        return "\n".join(f"{start + i:5d} | {t}" for i, t in enumerate(chunk))
