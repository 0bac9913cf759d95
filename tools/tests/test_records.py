# SPDX-License-Identifier: MIT
# Loading results documents into typed records: schema 2 as docs/results.md describes it,
# schema 1 for its tests only, and a document that contradicts itself is refused by name.
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import arm64docs
from kvmctlib.judge.records import Cell, RecordError, Run, Subject

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
    (lambda d: d["facts"]["policy"].update(provenance="guessed"),
     "'guessed' is not one of verified, derived"),
    (lambda d: d["facts"]["policy"].pop("newer_than_tables"), "newer_than_tables: expected true"),
    (lambda d: d["facts"]["policy"].pop("release"), "policy.release: expected a string"),
    (lambda d: d["facts"].update(policy=None), "expected an object"),
])
def test_contradictions_are_refused(break_it: Any, error: str) -> None:
    doc = copy.deepcopy(sid_cell())
    Cell.load(doc)  # the unbroken document loads
    break_it(doc)
    with pytest.raises(RecordError, match=error):
        Cell.load(doc)


def test_policy_is_read_from_fields() -> None:
    cell = Cell.load(sid_cell())
    assert cell.policy is not None
    assert (cell.policy.release, cell.policy.provenance, cell.policy.newer_than_tables,
            cell.policy.kernel) == ("7.2", "verified", False, "7.2.13")
    assert cell.policy.label() == ("policy 7.2 (verified: Debian linux-source-7.2 7.2.13-1, "
                                   "arch/riscv/kvm/isa.c + arch/riscv/kvm/vcpu_onereg.c)")


def test_policy_label_names_a_kernel_newer_than_the_tables() -> None:
    doc = copy.deepcopy(sid_cell())
    doc["facts"]["policy"].update(release="7.3", newer_than_tables=True, kernel="7.4.0",
                                  citation="Debian linux-source-7.3 x")
    cell = Cell.load(doc)
    assert cell.policy is not None
    assert cell.policy.label() == ("policy 7.3 (verified: Debian linux-source-7.3 x) -- "
                                   "kernel 7.4.0 is newer than the tables")


def test_policy_error_is_kept_and_a_cell_without_facts_has_none() -> None:
    doc = copy.deepcopy(sid_cell())
    doc["facts"]["policy"] = {"error": "policy.yaml: kernel 5.10.0 is older", "kernel": "5.10.0"}
    cell = Cell.load(doc)
    assert cell.policy is not None and cell.policy.error.startswith("policy.yaml")
    assert cell.policy.label() == "policy: none (policy.yaml: kernel 5.10.0 is older)"
    doc.pop("facts")
    assert Cell.load(doc).policy is None


def test_an_arm64_cell_loads_without_riscv_fields() -> None:
    cell = Cell.load(arm64docs.arm64_cell("sid-max-nvhe", "nvhe"))
    assert (cell.arch, cell.kvm_mode, cell.policy, cell.isa_extensions) == \
        ("arm64", "nvhe", None, ())
    assert cell.host is not None and cell.host.cpu_features == ("fp", "asimd", "aes", "sve")
    assert cell.host.id_registers["ID_AA64ISAR0_EL1"] == "0x0221100110212120"
    subjects = [(t.subject.kind, t.subject.name, t.subject.id) for t in cell.tests if t.subject]
    assert subjects == [("capability", "KVM_CAP_ONE_REG", 70),
                        ("capability", "KVM_CAP_ARM_SVE", 170),
                        ("id_reg", "ID_AA64ISAR0_EL1", arm64docs.ISAR0_ID)]


def test_the_architecture_comes_from_the_cell_then_the_suite_then_is_riscv64() -> None:
    doc = arm64docs.arm64_cell()
    doc.pop("arch")
    assert Cell.load(doc).arch == "arm64"  # the suite's facts.arch
    assert Cell.load(sid_cell()).arch == "riscv64"  # a document from before arm64 cells
    assert "arch" not in sid_cell() and "arch" not in sid_cell()["facts"]


def test_a_one_reg_id_may_be_a_hex_string() -> None:
    doc = arm64docs.arm64_cell()
    doc["tests"][3]["subject"]["id"] = hex(arm64docs.ISAR0_ID)
    assert Cell.load(doc).tests[3].subject == Subject("id_reg", "ID_AA64ISAR0_EL1",
                                                      arm64docs.ISAR0_ID)


@pytest.mark.parametrize("break_it,error", [
    (lambda d: d["facts"].update(arch="riscv64"), "facts.arch 'riscv64' but the cell's arch"),
    (lambda d: d["facts"].update(kvm_mode="protected"), "'protected' is not one of vhe, nvhe"),
    (lambda d: d["facts"]["host"].update(cpu_features="fp asimd"), "cpu_features: expected a list"),
    (lambda d: d["facts"]["host"].update(cpu_features=["fp", 1]), "a list of strings"),
    (lambda d: d["facts"]["host"]["id_registers"].update(ID_AA64PFR0_EL1=17),
     "id_registers.ID_AA64PFR0_EL1: expected a string"),
    (lambda d: d["facts"].update(host=None), "facts.host: expected an object"),
    (lambda d: d["facts"].update(policy=None), "facts.policy: expected an object"),
    (lambda d: d["tests"][1]["subject"].update(id="seventy"), "subject.id: expected an integer"),
    (lambda d: d.update(arch=64), "arch: expected a string"),
])
def test_arm64_contradictions_are_refused(break_it: Any, error: str) -> None:
    doc = arm64docs.arm64_cell()
    Cell.load(doc)
    break_it(doc)
    with pytest.raises(RecordError, match=error):
        Cell.load(doc)


def _aes(**change: Any) -> dict[str, Any]:
    s = arm64docs.field_subject("ID_AA64ISAR0_EL1", "AES", 4, 4, "lower-safe", True)
    s.update(change)
    return {k: v for k, v in s.items() if v is not None}


def test_a_field_subject_carries_its_place() -> None:
    s = Subject.load(_aes(), "s")
    assert s.place is not None
    assert (s.place.register, s.place.field, s.place.lsb, s.place.width, s.place.rule,
            s.place.table_writable) == ("ID_AA64ISAR0_EL1", "AES", 4, 4, "lower-safe", True)
    bare = Subject.load({"kind": "id_reg_field", "name": "X.Y", "id": 1}, "s")
    assert bare.place is None


@pytest.mark.parametrize("change, error", [
    ({"width": 0}, "not bits of a 64-bit register"),
    ({"lsb": 62, "width": 4}, "not bits of a 64-bit register"),
    ({"lsb": -1}, "not bits of a 64-bit register"),
    ({"lsb": "4"}, "not bits of a 64-bit register"),
    ({"width": True}, "not bits of a 64-bit register"),
    ({"table_writable": "yes"}, "table_writable"),
    ({"register": None}, "register"),
    ({"rule": None}, "rule"),
])
def test_a_field_subject_with_a_broken_place_is_refused(change: dict[str, Any],
                                                         error: str) -> None:
    with pytest.raises(RecordError, match=error):
        Subject.load(_aes(**change), "s")
