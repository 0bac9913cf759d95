# SPDX-License-Identifier: MIT
# Loading results documents into typed records: schema 2 as docs/results.md describes it,
# schema 1 for its tests only, and a document that contradicts itself is refused by name.
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from kvmctlib.judge.records import Cell, RecordError, Run

RUNS = Path(__file__).parent / "data" / "runs"


def sid_cell() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((RUNS / "sid.json").read_text())["cells"][0]
    return doc


def test_schema_2_loads_into_records() -> None:
    run = Run.load(json.loads((RUNS / "trixie.json").read_text()))
    cell = run.cells[0]
    zaamo = next(e for e in cell.isa_extensions if e.name == "ZAAMO")
    assert (zaamo.id, zaamo.present, list(zaamo.checks)) == (69, False, ["presence"])
    trap = next(t for t in cell.tests if t.name == "AtomicTrap.Outcome/MisalignedLrW")
    assert (trap.suite, trap.case, trap.subject) == ("AtomicTrap", "Outcome/MisalignedLrW", None)
    assert trap.skip is not None and trap.skip.kind == "known" and trap.known is not None
    assert trap.known.label == "known bug (QEMU)"


def test_schema_1_keeps_names_and_statuses_only() -> None:
    doc = {"cell": "c", "suite_schema": "kvmct-suite-result/1",
           "runner": {"status": "pass", "errors": [], "duration_s": 1, "ktap": {}},
           "tests": [{"name": "IsaExtDisable.Zaamo", "status": "skip", "message": "absent"}],
           "isa_extensions": [{"id": 69, "name": "ZAAMO", "presence": "absent"}]}
    cell = Cell.load(doc)
    assert [(t.suite, t.case, t.status) for t in cell.tests] == [("IsaExtDisable", "Zaamo",
                                                                    "skip")]
    assert cell.isa_extensions == ()


@pytest.mark.parametrize("break_it,error", [
    (lambda d: d["tests"][0].update(status="skip"), "with skip None"),
    (lambda d: d["tests"][0].update(status="maybe"), "'maybe' is not one of"),
    (lambda d: next(t for t in d["tests"] if t.get("known")).pop("skip"),
     "with skip None"),
    (lambda d: next(t for t in d["tests"] if t.get("known"))["skip"].update(kind="absent"),
     "`known` without skip.kind"),
    (lambda d: next(t for t in d["tests"] if t.get("known"))["known"].update(owner="nobody"),
     "'nobody' is not one of kvm, qemu, platform"),
    (lambda d: d["isa_extensions"][0]["checks"]["presence"].update(state="known"),
     "state 'known' with known None"),
    (lambda d: d.update(suite_schema="kvmct-suite-result/3"), "is not kvmct-suite-result/2"),
    (lambda d: d["runner"].update(status="green"), "'green' is not one of"),
])
def test_contradictions_are_refused(break_it: Any, error: str) -> None:
    doc = copy.deepcopy(sid_cell())
    Cell.load(doc)  # the unbroken document loads
    break_it(doc)
    with pytest.raises(RecordError, match=error):
        Cell.load(doc)
