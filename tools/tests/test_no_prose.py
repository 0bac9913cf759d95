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
from kvmctlib.reports import htmlreport, junit, kcidb, rundiff, textreport
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


def kcidb_statuses(run: Run) -> list[str]:
    return [t["status"] for t in kcidb.document(run, "kvmct", "run")["tests"]]


@pytest.mark.parametrize("name", ["both.json", "sid-zaamo-disable.json", "trixie.json"])
def test_rewritten_prose_gives_the_same_verdicts(name: str) -> None:
    plain, prose = load(name, False), load(name, True)
    assert prose.cells[0].tests[0].message.startswith("known bug")  # the rewrite happened
    assert states(plain) == states(prose)
    assert junit_statuses(plain) == junit_statuses(prose)
    assert kcidb_statuses(plain) == kcidb_statuses(prose)
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


def test_the_field_grid_and_writable_diff_read_no_prose() -> None:
    """The arm64 grid and `newly writable` come from subjects and check records: renaming the
    tests and rewriting messages, reasons and rule texts changes nothing (a subject's own
    name and place are data, kept)."""
    import arm64docs

    def prose_of(doc: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = rewritten(doc)
        for cell, orig in zip(out["cells"], doc["cells"]):
            for t, o in zip(cell["tests"], orig["tests"]):
                if "subject" in o:
                    t["subject"] = o["subject"]
                for c in t["checks"]:
                    c["rule"] = "known bug: writable fixed partial"
        return out

    docs = [arm64docs.field_run(),
            arm64docs.run_of([arm64docs.field_cell("sid-max-vhe", "7.2")])]
    plain = [Run.load(d) for d in docs]
    prose = [Run.load(prose_of(d)) for d in docs]
    assert prose[0].cells[0].tests[-1].name != plain[0].cells[0].tests[-1].name

    def grid(run: Run) -> dict[Any, Any]:
        g = read_grid(htmlreport.render(run))
        return {k: {a: v for a, v in sq.items() if a != "title"} for k, sq in
                [*g.fields.items(), *g.masks.items()]}

    assert grid(plain[0]) == grid(prose[0]) and grid(plain[0])
    a = rundiff.diff(plain[0], plain[1], "trixie-max-vhe", "sid-max-vhe").cells[0]
    b = rundiff.diff(prose[0], prose[1], "trixie-max-vhe", "sid-max-vhe").cells[0]
    assert a.newly_writable and (a.newly_writable, a.no_longer_writable) == \
        (b.newly_writable, b.no_longer_writable)
    assert textreport.may_change(plain[0].cells) == textreport.may_change(prose[0].cells)
