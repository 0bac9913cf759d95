# SPDX-License-Identifier: MIT
# Reports, diff and JUnit judge from structured fields only: the same documents with every
# message and reason rewritten, and every C++ suite/test name renamed, must give the same
# matrix states, known labels, diff verdicts and JUnit statuses.
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from kvmctlib.judge import extmatrix
from kvmctlib.reports import htmlreport, junit, rundiff, textreport
from kvmctlib.judge.records import Run

from htmlgrid import read_grid

RUNS = Path(__file__).parent / "data" / "runs"
PROSE = ("message", "reason")
NAMES = ("name", "gtest_name", "test", "suite", "case")


def _suite_alias(name: str) -> str:
    return f"S{sum(map(ord, name)) % 9973}"


def rewritten(doc: Any, in_test: bool = False) -> Any:
    """Every prose string -> the same nonsense; inside tests, suite and case names renamed."""
    if isinstance(doc, list):
        return [rewritten(x, in_test) for x in doc]
    if not isinstance(doc, dict):
        return doc
    out: dict[str, Any] = {}
    for k, v in doc.items():
        if k in PROSE and isinstance(v, str):
            out[k] = "known bug: known deviation: the guest run failed bug"
        elif in_test and k in NAMES and isinstance(v, str):
            out[k] = ".".join(_suite_alias(p) for p in v.split("."))
        else:
            out[k] = rewritten(v, in_test or k in ("tests", "checks"))
    return out


def load(name: str, rewrite: bool) -> Run:
    raw = json.loads((RUNS / name).read_text())
    return Run.load(rewritten(raw) if rewrite else raw)


def states(run: Run) -> list[tuple[Any, ...]]:
    _, entries = extmatrix.matrix(run.cells)
    return [(k, e.status, e.known_kind, len(e.failures),
             tuple((c.name, c.observed, c.expected, c.state) for c in e.checks))
            for k, e in sorted(entries.items())]


def junit_statuses(run: Run) -> list[list[str]]:
    """Per cell, per testcase in order: failure / skipped / error / nothing (passed)."""
    out = []
    for cell in run.cells:
        root = ET.fromstring(junit.render(cell).split("\n", 1)[1])
        out.append([",".join(sorted(ch.tag for ch in c)) for c in root.iter("testcase")])
    return out


@pytest.mark.parametrize("name", ["both.json", "sid-zaamo-disable.json", "trixie.json"])
def test_rewritten_prose_gives_the_same_verdicts(name: str) -> None:
    plain, prose = load(name, False), load(name, True)
    assert prose.cells[0].tests[0].message.startswith("known bug")  # the rewrite happened
    assert states(plain) == states(prose)
    assert junit_statuses(plain) == junit_statuses(prose)
    assert textreport.failing_extensions(plain.cells) == textreport.failing_extensions(prose.cells)
    grid = {k: (v["data-state"], v.get("data-known", ""))
            for k, v in read_grid(htmlreport.render(plain)).squares.items()}
    assert grid == {k: (v["data-state"], v.get("data-known", ""))
                    for k, v in read_grid(htmlreport.render(prose)).squares.items()}
    assert any(state == "known" for state, _ in grid.values())
    pages = [htmlreport.render(r) for r in (plain, prose)]
    for label in ("known bug (QEMU)", "known deviation (KVM)", "<li"):
        assert pages[0].count(label) == pages[1].count(label), label


def test_rewritten_prose_gives_the_same_diff() -> None:
    for old, new in (("trixie.json", "sid.json"), ("both.json", "sid-zaamo-disable.json"),
                     ("both.json", "both.json")):
        a = rundiff.diff(load(old, False), load(new, False))
        b = rundiff.diff(load(old, True), load(new, True))
        assert a.regressed == b.regressed
        assert [(c.added, c.removed, c.values, c.policy, len(c.new_failures), len(c.fixed))
                for c in a.cells] == \
            [(c.added, c.removed, c.values, c.policy, len(c.new_failures), len(c.fixed))
             for c in b.cells]


def test_known_labels_come_from_the_owner() -> None:
    """A reason that says "bug" does not make a KVM deviation a bug, nor the reverse."""
    run = load("sid.json", True)
    rows = {r.name: r for r in extmatrix.cell_rows(run.cells[0])}
    assert rows["D"].known_kind == "known deviation (KVM)"
    page = htmlreport.render(run)
    assert "known bug (QEMU)" in page  # AtomicTrap's misaligned LR/W, owner qemu
