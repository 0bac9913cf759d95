# SPDX-License-Identifier: MIT
# A streaming KTAP v1 parser (Documentation/dev-tools/ktap.rst): fed console lines one at a
# time, ignores non-KTAP lines (kernel messages), builds the nested result tree, and says
# what is wrong with the stream (no plan, plan mismatch, a subtest that never finished).
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_VERSION = re.compile(r"^K?TAP version \d+$")
_PLAN = re.compile(r"^1\.\.(\d+)$")
_RESULT = re.compile(r"^(ok|not ok) (\d+)(?: -)?(?: ([^#]*?))?\s*(?:#\s*(.*))?$")
_SUBTEST = re.compile(r"^# Subtest: (.*)$")
_INDENT = 4


@dataclass
class Result:
    number: int
    name: str
    status: str  # pass | fail | skip
    reason: str = ""  # SKIP/TODO reason, or why the runner made the result up
    diagnostics: list[str] = field(default_factory=list)
    children: list[Result] = field(default_factory=list)
    plan: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"number": self.number, "name": self.name, "status": self.status}
        if self.reason:
            d["reason"] = self.reason
        if self.diagnostics:
            d["diagnostics"] = self.diagnostics
        if self.plan is not None or self.children:
            d["plan"] = self.plan
            d["children"] = [c.to_dict() for c in self.children]
        return d


@dataclass
class Leaf:
    """A test as counted: `Suite.Case` for nested results."""

    name: str
    status: str
    message: str
    path: tuple[str, ...] = ()  # the subtest names from the top: (suite, case)


@dataclass
class _Frame:
    indent: int
    name: str
    plan: int | None = None
    results: list[Result] = field(default_factory=list)
    pending_diag: list[str] = field(default_factory=list)


@dataclass
class Report:
    started: bool
    plan: int | None
    tests: list[Result]
    errors: list[str]
    lines: list[str]  # the KTAP lines as seen, for echoing
    error_kinds: list[str] = field(default_factory=list)  # per error: "no-plan" | "ktap"

    def leaves(self) -> list[Leaf]:
        out: list[Leaf] = []

        def walk(r: Result, prefix: tuple[str, ...]) -> None:
            path = (*prefix, r.name)
            before = len(out)
            for c in r.children:
                walk(c, path)
            failed_below = any(x.status == "fail" for x in out[before:])
            if not r.children or (r.status == "fail" and not failed_below):
                out.append(Leaf(".".join(path), r.status, r.reason or "\n".join(r.diagnostics),
                                path))

        for t in self.tests:
            walk(t, ())
        return out

    def counts(self) -> dict[str, int]:
        c = {"pass": 0, "fail": 0, "skip": 0}
        for leaf in self.leaves():
            c[leaf.status] += 1
        return c

    def to_dict(self) -> dict[str, Any]:
        return {"started": self.started, "plan": self.plan, "errors": self.errors,
                "counts": self.counts(), "tests": [t.to_dict() for t in self.tests]}


def _status(verdict: str, directive: str) -> tuple[str, str]:
    word, _, rest = directive.partition(" ")
    if word.upper() in ("SKIP", "TODO"):
        return "skip", rest.strip() or word.upper()
    return ("pass" if verdict == "ok" else "fail"), ""


class Parser:
    """feed() each console line; finish() once at the end of the stream."""

    def __init__(self) -> None:
        self._stack: list[_Frame] = []
        self._top: _Frame | None = None
        self._pending_name: str | None = None
        self._errors: list[str] = []
        self._kinds: list[str] = []
        self._lines: list[str] = []

    @property
    def started(self) -> bool:
        return self._top is not None

    def feed(self, line: str) -> bool:
        """Consume one line; True if it was part of the KTAP stream."""
        raw = line.rstrip("\r\n").rstrip()
        body = raw.lstrip(" ")
        indent = len(raw) - len(body)
        if self._top is None:
            if indent == 0 and _VERSION.match(body):
                self._top = _Frame(0, "")
                self._stack = [self._top]
                self._lines.append(raw)
                return True
            return False
        if self._handle(indent, body):
            self._lines.append(raw)
            return True
        return False

    def _error(self, text: str, kind: str = "ktap") -> None:
        self._errors.append(text)
        self._kinds.append(kind)

    def _push(self, indent: int) -> _Frame:
        frame = _Frame(indent, self._pending_name or "")
        self._pending_name = None
        self._stack.append(frame)
        return frame

    def _handle(self, indent: int, body: str) -> bool:
        if not self._stack:
            return False  # the top-level stream already ended
        cur = self._stack[-1]
        nested = indent == cur.indent + _INDENT
        if _VERSION.match(body):
            if nested:
                self._push(indent)
                return True
            return indent == cur.indent and cur.plan is None and not cur.results
        m = _PLAN.match(body)
        if m and (indent == cur.indent or nested):
            frame = self._push(indent) if nested else cur
            frame.plan = int(m.group(1))
            return True
        m = _SUBTEST.match(body)
        if m and indent == cur.indent:
            if cur is not self._top and cur.plan is None and not cur.results and not cur.name:
                cur.name = m.group(1).strip()  # KUnit style: the header inside the subtest
            else:
                self._pending_name = m.group(1).strip()  # header before the nested version
            return True
        m = _RESULT.match(body)
        if m and (nested or indent <= cur.indent):
            self._result(indent, m)
            return True
        if body.startswith("#") and indent == cur.indent:
            cur.pending_diag.append(body.lstrip("#").strip())
            return True
        return False

    def _result(self, indent: int, m: re.Match[str]) -> None:
        if indent == self._stack[-1].indent + _INDENT:
            self._push(indent)
        children: list[Result] = []
        plan: int | None = None
        closed: _Frame | None = None
        while self._stack and self._stack[-1].indent > indent:
            frame = self._stack.pop()
            if closed is not None:  # a deeper subtest never printed its own result line
                self._error(f"subtest {closed.name or '?'}: no result line")
                frame.results.append(self._unfinished(closed, len(frame.results) + 1))
            closed = frame
        if not self._stack or self._stack[-1].indent != indent:
            self._error(f"result line at unexpected indent {indent}: {m.group(0)}")
            return
        if closed is not None:
            self._check_plan(closed)
            children, plan = closed.results, closed.plan
        frame = self._stack[-1]
        status, reason = _status(m.group(1), (m.group(4) or "").strip())
        frame.results.append(Result(int(m.group(2)), (m.group(3) or "").strip(), status,
                                    reason, frame.pending_diag, children, plan))
        frame.pending_diag = []
        if frame is self._top and frame.plan is not None and len(frame.results) == frame.plan:
            self._stack = []  # complete: later lines are not ours

    def _unfinished(self, frame: _Frame, number: int) -> Result:
        return Result(number, frame.name, "fail", "no result line (crashed?)",
                      frame.pending_diag, frame.results, frame.plan)

    def _check_plan(self, frame: _Frame) -> None:
        where = f"subtest {frame.name}" if frame is not self._top else "top level"
        if frame.plan is None:
            self._error(f"{where}: no KTAP plan", "no-plan")
        elif frame.plan != len(frame.results):
            self._error(f"{where}: plan 1..{frame.plan} but {len(frame.results)} results")

    def finish(self) -> Report:
        if self._top is None:
            return Report(False, None, [], ["no KTAP version line"], self._lines, ["no-ktap"])
        while len(self._stack) > 1:
            frame = self._stack.pop()
            self._error(f"subtest {frame.name or '?'}: no result line (crashed?)")
            parent = self._stack[-1]
            parent.results.append(self._unfinished(frame, len(parent.results) + 1))
        self._check_plan(self._top)
        return Report(True, self._top.plan, self._top.results, self._errors, self._lines,
                      self._kinds)


def parse(text: str) -> Report:
    parser = Parser()
    for line in text.splitlines():
        parser.feed(line)
    return parser.finish()
