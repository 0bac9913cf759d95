# SPDX-License-Identifier: MIT
# The arm64 register x field grid's logic (judge/idgrid.py) and the RISC-V writable mask
# (judge/extwritable.py) on synthetic records: which records make each part, worst states,
# a failed test without a failing record, ordering, counts.
from __future__ import annotations

from typing import Any

import arm64docs
from kvmctlib.judge import extwritable, idgrid
from kvmctlib.judge.records import Cell, Run


def _cell(doc: dict[str, Any]) -> Cell:
    return Run.load(arm64docs.run_of([doc])).cells[0]


def _square(cell: Cell, reg: str, field: str) -> idgrid.FieldSquare:
    line = next(r for r in idgrid.registers(cell) if r.name == reg)
    return next(f for f in line.fields if f.field == field)


def test_parts_take_the_worst_state_of_their_records() -> None:
    doc = arm64docs.field_cell()
    t = next(t for t in doc["tests"] if t["name"] == "IdRegWritable.ID_AA64ISAR0_EL1_AES")
    rb = next(c for c in t["checks"] if c["check"] == "safe_read_back")
    rb.update(observed="0x2", state="fail")  # read back wrong after an accepted write
    aes = _square(_cell(doc), "ID_AA64ISAR0_EL1", "AES")
    assert aes.parts["accepted"] == idgrid.Part("ok", "ok", "diff")
    assert aes.parts["refused"].state == "ok" and aes.state == "diff"


def test_a_failed_test_without_a_failing_record_marks_its_square() -> None:
    doc = arm64docs.field_cell()
    t = next(t for t in doc["tests"] if t["name"] == "IdRegWritable.ID_AA64ISAR0_EL1_SHA1")
    t["status"] = "fail"  # an ASSERT failed before any further check
    sha1 = _square(_cell(doc), "ID_AA64ISAR0_EL1", "SHA1")
    assert all(p.state in ("ok", "na") for p in sha1.parts.values()) and sha1.state == "diff"
    reg = next(t for t in doc["tests"] if t["name"] == "IdRegMask.CTR_EL0")
    reg["status"] = "fail"
    ctr = next(r for r in idgrid.registers(_cell(doc)) if r.name == "CTR_EL0")
    assert ctr.state == "diff" and ctr.differ == ()
    wide = _cell(arm64docs.field_cell(widen=("ID_AA64ISAR0_EL1", "RNDR")))
    assert next(r for r in idgrid.registers(wide) if r.name == "ID_AA64ISAR0_EL1").differ == \
        ("mask",)


def test_registers_in_one_reg_order_fields_from_bit_63() -> None:
    doc = arm64docs.field_cell()
    doc["tests"].reverse()  # the suite's order is no promise
    lines = idgrid.registers(_cell(doc))
    assert [r.name for r in lines] == ["MIDR_EL1", "ID_AA64PFR0_EL1", "ID_AA64ISAR0_EL1",
                                       "ID_AA64ISAR3_EL1", "CTR_EL0"]
    isar0 = lines[2]
    assert [f.field for f in isar0.fields] == ["RNDR", "SHA1", "AES"]
    assert isar0.mask_value() == 0xFF0


def test_counts() -> None:
    old = idgrid.counts(idgrid.registers(_cell(arm64docs.field_cell("trixie-max-vhe", "6.12"))))
    assert old == idgrid.Counts(5, 3, 8, 4, 0)
    wide = arm64docs.field_cell("sid-max-vhe", "7.2", widen=("ID_AA64ISAR0_EL1", "RNDR"))
    assert idgrid.counts(idgrid.registers(_cell(wide))) == idgrid.Counts(5, 5, 8, 8, 2)


def test_the_riscv_mask_is_what_kvm_answered() -> None:
    cell = Run.load(arm64docs.run_of(arm64docs.riscv_cells())).cells[1]
    rows = extwritable.cell_toggles(cell)
    assert [r.name for r in rows][:3] == ["A", "D", "F"]
    assert "ZAAMO" in extwritable.allowed(rows, "disable")  # the regression document
    assert "A" in extwritable.refused(rows, "disable")
    h = next(r for r in rows if r.name == "H")
    assert h.toggles["disable"].allowed is None and h.toggles["enable"].allowed is False
    assert "H" not in extwritable.refused(rows, "disable")


def test_a_partly_writable_field_is_neither_writable_nor_fixed() -> None:
    """F's `writable` record says `partial 0x..` when the mask covers some of a field's bits."""
    from kvmctlib.reports import htmlreport
    from htmlgrid import read_grid
    doc = arm64docs.field_cell()
    t = next(t for t in doc["tests"] if t["name"] == "IdRegWritable.ID_AA64ISAR0_EL1_AES")
    t["checks"][0].update(observed="partial 0x30", state="fail")
    t["status"] = "fail"
    aes = _square(_cell(doc), "ID_AA64ISAR0_EL1", "AES")
    assert (aes.writable, aes.coverage, aes.state) == ("partial 0x30", "partial", "diff")
    sq = read_grid(htmlreport.render(Run.load(arm64docs.run_of([doc])))).fields[
        ("ID_AA64ISAR0_EL1", "AES", "sid-max-vhe")]
    assert sq["class"].split() == ["f", "w-partial", "s-diff"]
    assert sq["data-writable"] == "partial 0x30"
    assert idgrid.counts(idgrid.registers(_cell(doc))).writable_fields == 6  # of 7


def test_the_guest_part_holds_the_default_view_too() -> None:
    """GuestIdRegField's `default_view` (a VM that wrote the reset value back) belongs to what
    the guest saw: its failure marks the square even when `guest_view` passed."""
    doc = arm64docs.field_cell()
    t = next(t for t in doc["tests"] if t["name"] == "GuestIdRegField.ID_AA64PFR0_EL1_GIC")
    t["checks"].append(arm64docs.check("default_view", t["name"], "0x1", "0x0"))
    gic = _square(_cell(doc), "ID_AA64PFR0_EL1", "GIC")
    assert gic.parts["guest"] == idgrid.Part("0x0", "0x0", "diff") and gic.state == "diff"


def test_a_fields_other_records_colour_its_square() -> None:
    """IdRegFilter (or any later case) about the field: a known record marks the square
    amber though no part of it is known."""
    doc = arm64docs.field_cell()
    known = {"owner": "kvm", "reason": "r", "source": "s"}
    doc["tests"].append({"name": "IdRegFilter.ID_AA64ISAR0_EL1_AES_refuse", "suite": "IdRegFilter",
                         "case": "ID_AA64ISAR0_EL1_AES_refuse", "status": "skip",
                         "skip": {"kind": "known", "reason": "r"}, "known": known,
                         "message": "", "subject": arm64docs.field_subject(
                             "ID_AA64ISAR0_EL1", "AES", 4, 4, "lower-safe", True),
                         "checks": [arm64docs.check("filtered", "IdRegFilter.x", "ok", "EINVAL",
                                                    known)]})
    aes = _square(_cell(doc), "ID_AA64ISAR0_EL1", "AES")
    assert (aes.others, aes.others_state, aes.state) == (("filtered",), "known", "known")
    assert all(p.state in ("ok", "na") for p in aes.parts.values())
