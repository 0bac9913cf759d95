# SPDX-License-Identifier: MIT
# The run's reports from results files alone: the summary with its failing-extension table,
# Markdown, the HTML grid's data attributes, and `kvmct diff` (golden files; real documents
# trimmed to a few extensions, plus one where ZAAMO could be disabled).
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import pytest

from kvmctlib import cli
from kvmctlib.judge import extmatrix
from kvmctlib.reports import htmlreport, junit, publish, report, rundiff, textreport
from kvmctlib.log import Progress
from kvmctlib.judge.records import Run

import arm64docs
from htmlgrid import (check_field_grid, check_grid, check_mixed_grid, check_riscv_mask,
                      read_grid)

RUNS = Path(__file__).parent / "data" / "runs"
GOLDEN = Path(__file__).parent / "golden" / "reports"


def raw(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((RUNS / name).read_text())
    return doc


def load(name: str) -> Run:
    return Run.load(raw(name))


def test_summary_text_golden(golden: Callable[[Path, str], None]) -> None:
    run = load("sid-zaamo-disable.json")
    text = report.summary(run.cells, run.summary)
    golden(GOLDEN / "summary-zaamo.txt", text + "\n")
    assert "ZAAMO      69  present  1        ok [EINVAL]" in text


def test_markdown_golden(golden: Callable[[Path, str], None]) -> None:
    golden(GOLDEN / "summary-zaamo.md", textreport.markdown(load("sid-zaamo-disable.json")))


def test_known_deviation_is_not_a_failure() -> None:
    rows = {r.name: r for r in extmatrix.cell_rows(load("sid.json").cells[0])}
    assert rows["D"].status == "known" and rows["D"].known_kind == "known deviation (KVM)"
    assert rows["D"].check("executes").state == "known"
    assert rows["ZAAMO"].status == "ok"
    assert rows["ZAAMO"].check("disable").observed == "EINVAL"
    trixie = {r.name: r for r in extmatrix.cell_rows(load("trixie.json").cells[0])}
    assert trixie["ZAAMO"].status == "absent"
    assert trixie["F"].check("executes").observed == "exec/failed"
    assert trixie["F"].known_kind == "known bug (QEMU)"
    assert textreport.failing_extensions(load("both.json").cells) == []


@pytest.mark.parametrize("old,new,name", [
    ("trixie.json", "sid.json", "trixie-to-sid"),
    ("both.json", "sid-zaamo-disable.json", "zaamo-regression"),
])
def test_diff_golden(old: str, new: str, name: str,
                     golden: Callable[[Path, str], None]) -> None:
    d = rundiff.diff(load(old), load(new))
    golden(GOLDEN / f"diff-{name}.txt", rundiff.text(d))
    golden(GOLDEN / f"diff-{name}.md", rundiff.markdown(d))


def test_diff_lists_zaamo_and_zalrsc_added_from_612_to_72() -> None:
    d = rundiff.diff(load("trixie.json"), load("sid.json"))
    assert [a.split(" ")[0] for a in d.cells[0].added] == ["ZAAMO", "ZALRSC"]
    assert not d.regressed
    # The same pair named inside one file.
    same = rundiff.diff(load("both.json"), load("both.json"), "trixie-rv64", "sid-rv64")
    assert [a.split(" ")[0] for a in same.cells[0].added] == ["ZAAMO", "ZALRSC"]


def test_diff_regression_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["-q", "diff", str(RUNS / "both.json"),
                     str(RUNS / "sid-zaamo-disable.json")]) == 1
    out = capsys.readouterr().out
    assert "ZAAMO disable: EINVAL -> ok" in out and "IsaExtDisable.Zaamo" in out
    assert cli.main(["-q", "diff", str(RUNS / "both.json"), str(RUNS / "both.json")]) == 0
    assert "no changes" in capsys.readouterr().out


def test_html_grid_reads_back() -> None:
    page = htmlreport.render(load("sid-zaamo-disable.json"), Path("/cache/runs/20260101-000000"))
    assert "<link" not in page and "<script" not in page and "http" not in page
    g = read_grid(page)
    check_grid(g)
    assert g.squares[("ZAAMO", "sid-rv64", "disable")]["href"] == "sid-rv64/console.log"


def test_partial_results_after_an_interrupt(tmp_path: Path) -> None:
    import io
    cells = raw("both.json")["cells"][:1]
    out = io.StringIO()
    merged = publish.write(cells, publish.Targets(tmp_path, json_out=tmp_path / "r.json"),
                           "t", ["kvmct"], Progress(stream=out), ["sid-rv64"])
    assert merged["status"] == "broken" and merged["unfinished"] == ["sid-rv64"]
    saved = json.loads((tmp_path / "r.json").read_text())
    assert saved["interrupted"] is True and len(saved["cells"]) == 1
    assert (tmp_path / "report.html").is_file() and (tmp_path / "trixie-rv64" / "cell.json").is_file()


def _cell(name: str, cpu: str, status: str, tests: list[tuple[str, str]],
          errors: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"cell": name, "suite_schema": "kvmct-suite-result/2", "qemu": {"cpu": cpu},
            "runner": {"status": status, "duration_s": 1, "ktap": {},
                       "errors": [{"kind": k, "message": "m", "excerpt": ""} for k in errors]},
            "tests": [{"name": n, "suite": "S", "case": n, "status": s, "message": "",
                       "checks": [], **({"skip": {"kind": "absent", "reason": ""}}
                                        if s == "skip" else {})} for n, s in tests],
            "isa_extensions": []}


def _run(*cells: dict[str, Any]) -> Run:
    return Run.load({"status": "pass", "cells": list(cells)})


def test_diff_pairs_cells_by_cpu_when_names_differ() -> None:
    old = _run(_cell("trixie-rv64", "rv64", "pass", []), _cell("trixie-max", "max", "pass", []))
    new = _run(_cell("sid-max", "max", "pass", []), _cell("sid-rv64", "rv64", "pass", []))
    d = rundiff.diff(old, new)
    assert [(c.old, c.new) for c in d.cells] == [("trixie-max", "sid-max"),
                                                 ("trixie-rv64", "sid-rv64")]


def test_diff_regressions_fixes_and_missing_cells() -> None:
    old = _run(_cell("a", "rv64", "fail", [("x", "fail"), ("y", "pass")]),
               _cell("b", "max", "pass", []))
    new = _run(_cell("a", "rv64", "broken", [("x", "pass"), ("y", "pass")], ("timeout",)))
    d = rundiff.diff(old, new)
    (a,) = d.cells
    assert a.fixed == ["x (pass)"] and a.new_failures == ["cell broken: timeout: m"]
    assert a.regressed and d.only_old == ["b"]
    worse = rundiff.diff(_run(_cell("a", "rv64", "pass", [])),
                         _run(_cell("a", "rv64", "fail", [])))
    assert worse.regressed and not worse.cells[0].new_failures  # the status alone
    missing = rundiff.diff(_run(_cell("a", "rv64", "pass", []), _cell("b", "max", "pass", [])),
                           _run(_cell("a", "rv64", "pass", [])))
    assert missing.regressed and missing.only_old == ["b"]
    assert not rundiff.diff(_run(_cell("a", "rv64", "fail", [])),
                            _run(_cell("a", "rv64", "pass", []))).regressed


def test_long_failure_messages_are_cut() -> None:
    lines = [f"line {i}" for i in range(textreport.MESSAGE_LINES + 4)]
    cut = textreport._message("\n".join(lines))
    assert cut == lines[:textreport.MESSAGE_LINES] + ["... (4 more lines)"]


def test_html_of_a_mixed_run_reads_back() -> None:
    page = htmlreport.render(Run.load(arm64docs.mixed_run(sve="0")),
                             Path("/cache/runs/20260101-000000"))
    assert "<link" not in page and "<script" not in page and "http" not in page
    check_mixed_grid(read_grid(page))


def test_html_shows_what_a_vmm_may_change_only_for_cells_that_checked_it() -> None:
    riscv = read_grid(htmlreport.render(load("sid-zaamo-disable.json")))
    assert riscv.sections == [("arch", "riscv64"), ("may-change", "")]
    assert riscv.views == [("may-change ext-mask", "riscv64")]
    assert riscv.subjects == {} and riscv.host == {} and riscv.fields == {}
    check_riscv_mask(riscv)
    doc = arm64docs.arm64_cell()
    doc["facts"].pop("host")
    doc["tests"] = [t for t in doc["tests"] if t.get("subject", {}).get("kind") != "id_reg"]
    bare = read_grid(htmlreport.render(Run.load(arm64docs.run_of([doc]))))
    assert bare.sections == [("arch", "arm64")] and bare.host[("kvm mode", "sid-max-vhe")] == "vhe"


def test_a_field_record_without_its_place_is_shown_in_a_table() -> None:
    """A suite from before the subject's register/lsb/width keys: the record is not lost."""
    doc = arm64docs.arm64_cell()
    doc["tests"].append({"name": "ArmIdRegField.Aes", "suite": "ArmIdRegField", "case": "Aes",
                         "status": "pass", "message": "", "checks": [arm64docs.check(
                             "writable", "ArmIdRegField.Aes", "0xf0", "0xf0")],
                         "subject": {"kind": "id_reg_field", "name": "ID_AA64ISAR0_EL1.AES",
                                     "id": arm64docs.ISAR0_ID}})
    fields = read_grid(htmlreport.render(Run.load(arm64docs.run_of([doc]))))
    assert fields.views == [("may-change id-reg-masks", "arm64")] and fields.fields == {}
    assert fields.subjects[("ID_AA64ISAR0_EL1.AES", "sid-max-vhe", "writable")]["data-kind"] == \
        "id_reg_field"


def test_html_field_grid_reads_back() -> None:
    page = htmlreport.render(Run.load(arm64docs.field_run()))
    check_field_grid(read_grid(page))
    assert "1 differ from the tables" not in page and "2 differ from the tables" in page


def test_the_grid_places_fields_by_their_bits_and_shows_overlaps() -> None:
    """Each register row spans 64 bits: gaps fill what no field covers; a document whose
    fields overlap gets a second row, never a hidden square."""
    doc = arm64docs.field_cell()
    extra = copy.deepcopy(next(t for t in doc["tests"]
                               if t["name"] == "IdRegWritable.ID_AA64ISAR0_EL1_AES"))
    extra["subject"].update(field="AESX", name="ID_AA64ISAR0_EL1.AESX", lsb=6, width=4)
    doc["tests"].append(extra)
    page = htmlreport.render(Run.load(arm64docs.run_of([doc])))
    g = read_grid(page)
    assert g.grid_rows["sid-max-vhe"].count("ID_AA64ISAR0_EL1") == 2
    assert ("ID_AA64ISAR0_EL1", "AESX", "sid-max-vhe") in g.fields
    from html.parser import HTMLParser

    class Spans(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[int] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag == "tr" and a.get("data-register"):
                self.rows.append(0)
            elif tag == "td" and self.rows and "colspan" in a and "mask" not in str(a.get("class")):
                self.rows[-1] += int(a["colspan"] or 0)

    spans = Spans()
    spans.feed(page.split('<table class="idgrid"', 1)[1])
    assert spans.rows and all(n == 64 for n in spans.rows), spans.rows


def test_mixed_run_summary_golden(golden: Callable[[Path, str], None]) -> None:
    run = Run.load(arm64docs.mixed_run(sve="0"))
    text = report.summary(run.cells, run.summary)
    golden(GOLDEN / "summary-mixed.txt", text + "\n")
    golden(GOLDEN / "summary-mixed.md", textreport.markdown(run))
    lines = text.splitlines()
    assert "kvmct suites x cells, riscv64 (pass/fail/skip, ! = failures):" in lines
    assert "kvmct suites x cells, arm64 (pass/fail/skip, ! = failures):" in lines
    assert [ln.split()[:2] for ln in lines if ln.startswith("  ") and " pass " in ln] == [
        ["trixie-rv64", "riscv64"], ["sid-rv64", "riscv64"], ["trixie-max-vhe", "arm64"],
        ["sid-max-nvhe", "arm64"]]
    assert "  sid-max-nvhe  capability  KVM_CAP_ARM_SVE  value  0 [1]" in lines


def test_a_mixed_run_groups_its_cells_by_architecture() -> None:
    cells = arm64docs.mixed_run()["cells"]
    run = Run.load(arm64docs.run_of([cells[2], cells[0], cells[3], cells[1]]))
    text = report.summary(run.cells, run.summary).splitlines()
    assert [ln.split()[0] for ln in text if " pass " in ln and ln.startswith("  ")] == [
        "trixie-max-vhe", "sid-max-nvhe", "trixie-rv64", "sid-rv64"]
    grid = read_grid(htmlreport.render(run))
    assert list(grid.cell_archs) == ["trixie-max-vhe", "sid-max-nvhe", "trixie-rv64", "sid-rv64"]
    assert [a for _, a in grid.sections if _ == "arch"] == ["arm64", "riscv64"]


def test_junit_names_the_architecture_and_kvm_mode() -> None:
    import xml.etree.ElementTree as ET
    run = Run.load(arm64docs.mixed_run())
    props = [{p.get("name"): p.get("value") for p in ET.fromstring(junit.render(c)).iter("property")}
             for c in run.cells]
    assert [(p["arch"], p.get("kvm_mode")) for p in props] == [
        ("riscv64", None), ("riscv64", None), ("arm64", "vhe"), ("arm64", "nvhe")]


def test_an_architecture_whose_cells_checked_nothing_says_so() -> None:
    doc = arm64docs.arm64_cell()
    doc["facts"] = {"arch": "arm64"}
    doc["tests"] = doc["tests"][:1]  # a cell that broke after its first test
    grid = read_grid(htmlreport.render(Run.load(arm64docs.run_of([doc]))))
    assert grid.sections == [("arch", "arm64")] and grid.headings[1:2] == ["arm64"]
    assert grid.subjects == {} and grid.host == {}


def _arm64_run(*cells: dict[str, Any]) -> Run:
    return Run.load(arm64docs.run_of(list(cells)))


def test_diff_compares_arm64_capabilities_like_check_records() -> None:
    old = _arm64_run(arm64docs.arm64_cell())
    new = _arm64_run(arm64docs.arm64_cell(sve="0"))
    (c,) = rundiff.diff(old, new).cells
    assert c.values == ["KVM_CAP_ARM_SVE value: 1 -> 0"] and c.policy == []
    assert c.new_failures == ["ArmCapability.ArmSve"] and c.regressed
    tables = rundiff.diff(old, _arm64_run(arm64docs.arm64_cell(sve="0", sve_expected="0")))
    assert tables.cells[0].values == ["KVM_CAP_ARM_SVE value: 1 -> 0"]
    assert tables.cells[0].policy == ["KVM_CAP_ARM_SVE expected value: 1 -> 0"]
    assert not tables.regressed
    assert rundiff.diff(old, old).cells[0].empty


def test_diff_names_a_check_whose_state_alone_changed() -> None:
    doc = arm64docs.arm64_cell()
    known = copy.deepcopy(doc)
    known["tests"][2]["checks"][0].update(state="known", known={"owner": "qemu", "reason": "r",
                                                                "source": "s"})
    known["tests"][2].update(status="skip", skip={"kind": "known", "reason": "r"},
                             known={"owner": "qemu", "reason": "r", "source": "s"})
    (c,) = rundiff.diff(_arm64_run(doc), _arm64_run(known)).cells
    assert c.values == ["KVM_CAP_ARM_SVE value state: pass -> known"]


def test_diff_lists_subjects_added_and_removed_and_host_facts() -> None:
    old = arm64docs.arm64_cell()
    new = arm64docs.arm64_cell(kvm_mode="nvhe", isar0="0x0221100110212000",
                               features=("fp", "asimd", "sve", "sve2"))
    new["tests"].pop(1)  # KVM_CAP_ONE_REG no longer checked
    new["tests"].append({"name": "ArmCapability.Mte", "suite": "ArmCapability", "case": "Mte",
                         "status": "pass", "message": "", "checks": [
                             arm64docs.check("value", "ArmCapability.Mte", "0", "0")],
                         "subject": {"kind": "capability", "name": "KVM_CAP_ARM_MTE",
                                     "id": 205}})
    (c,) = rundiff.diff(_arm64_run(old), _arm64_run(new)).cells
    assert c.subjects_added == ["capability KVM_CAP_ARM_MTE (205): value 0"]
    assert c.subjects_removed == ["capability KVM_CAP_ONE_REG (70): value 1"]
    assert c.host == ["kvm mode: vhe -> nvhe", "cpu feature sve2 added", "cpu feature aes removed",
                      "ID_AA64ISAR0_EL1: 0x0221100110212120 -> 0x0221100110212000"]
    text = rundiff.text(rundiff.diff(_arm64_run(old), _arm64_run(new)))
    assert "    + capability KVM_CAP_ARM_MTE (205): value 0" in text.splitlines()
    assert "    - capability KVM_CAP_ONE_REG (70): value 1" in text.splitlines()


def test_diff_names_an_architecture_mismatch_and_compares_no_records() -> None:
    both = load("both.json")
    arm = _arm64_run(arm64docs.arm64_cell("sid-max-vhe"))
    d = rundiff.diff(both, arm, "sid-rv64", "sid-max-vhe")
    (c,) = d.cells
    assert c.arch == ("riscv64", "arm64") and c.arch_mismatch and not c.empty
    assert (c.removed, c.subjects_added, c.values, c.new_failures) == ([], [], [], [])
    assert rundiff.text(d).splitlines()[0] == (
        "== sid-rv64 -> sid-max-vhe: PASS, architectures differ (riscv64 -> arm64): "
        "records not compared")
    assert not d.regressed
    renamed = arm64docs.arm64_cell("sid-rv64")  # the same name, another architecture
    assert rundiff.diff(both, _arm64_run(renamed), "sid-rv64").cells[0].arch_mismatch


def test_diff_pairs_arm64_cells_by_cpu_model_not_by_qemu_cpu() -> None:
    old = _arm64_run(arm64docs.arm64_cell("trixie-max-vhe"),
                     arm64docs.arm64_cell("trixie-max-nvhe", "nvhe"))
    new = _arm64_run(arm64docs.arm64_cell("sid-max-nvhe", "nvhe"),
                     arm64docs.arm64_cell("sid-max-vhe"))
    d = rundiff.diff(old, new)
    assert [(c.old, c.new) for c in d.cells] == [("trixie-max-nvhe", "sid-max-nvhe"),
                                                 ("trixie-max-vhe", "sid-max-vhe")]
    assert d.only_old == [] and d.only_new == []


def test_diff_of_two_mixed_runs_golden(golden: Callable[[Path, str], None]) -> None:
    d = rundiff.diff(Run.load(arm64docs.mixed_run()), Run.load(arm64docs.mixed_run(sve="0")))
    assert [(c.old, c.arch) for c in d.cells] == [
        ("trixie-rv64", ("riscv64", "riscv64")), ("sid-rv64", ("riscv64", "riscv64")),
        ("trixie-max-vhe", ("arm64", "arm64")), ("sid-max-nvhe", ("arm64", "arm64"))]
    assert [c.empty for c in d.cells] == [True, True, True, False] and d.regressed
    golden(GOLDEN / "diff-mixed.txt", rundiff.text(d))
    golden(GOLDEN / "diff-mixed.md", rundiff.markdown(d))


def test_a_known_subject_check_is_labelled_by_its_owner() -> None:
    doc = arm64docs.arm64_cell(sve="0")
    known = {"owner": "qemu", "reason": "TCG has no SVE here", "source": "expected/arm64/x:1"}
    doc["tests"][2]["checks"][0].update(state="known", known=known)
    doc["tests"][2].update(status="skip", skip={"kind": "known", "reason": "r"}, known=known)
    grid = read_grid(htmlreport.render(Run.load(arm64docs.run_of([doc]))))
    sve = grid.subjects[("KVM_CAP_ARM_SVE", "sid-max-vhe", "value")]
    assert (sve["data-state"], sve["data-known"]) == ("known", "known bug (QEMU)")
    assert sve["title"].endswith("known bug (QEMU): TCG has no SVE here")


def test_report_and_diff_commands_read_a_mixed_run(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    mixed = tmp_path / "mixed.json"
    mixed.write_text(json.dumps(arm64docs.mixed_run()))
    assert cli.main(["-q", "report", str(mixed)]) == 0
    out = capsys.readouterr().out
    assert "kvmct suites x cells, arm64 (pass/fail/skip, ! = failures):" in out
    assert cli.main(["-q", "report", str(mixed), "--html", str(tmp_path / "r.html")]) == 0
    assert read_grid((tmp_path / "r.html").read_text()).cell_archs["sid-max-nvhe"] == "arm64"
    assert cli.main(["-q", "diff", str(RUNS / "both.json"), str(mixed),
                     "--old-cell", "sid-rv64", "--new-cell", "sid-max-nvhe"]) == 0
    assert "architectures differ (riscv64 -> arm64)" in capsys.readouterr().out


def test_a_register_value_is_neither_yes_nor_refused() -> None:
    grid = read_grid(htmlreport.render(Run.load(arm64docs.mixed_run(sve="0"))))
    doc = arm64docs.arm64_cell()
    doc["tests"][3]["checks"][0].update(observed="0x1100", expected="0x1100")
    doc["tests"][2]["checks"][0].update(observed="EINVAL", expected="EINVAL")
    values = read_grid(htmlreport.render(Run.load(arm64docs.run_of([doc]))))
    assert values.subjects[("ID_AA64ISAR0_EL1", "sid-max-vhe", "get")]["class"].split()[0] == \
        "v-val"
    assert values.subjects[("KVM_CAP_ARM_SVE", "sid-max-vhe", "value")]["class"].split()[0] == \
        "v-refused"
    assert grid.subjects[("KVM_CAP_ONE_REG", "sid-max-nvhe", "value")]["class"].split()[0] == \
        "v-yes"


def test_a_real_arm64_run_reads_as_records_and_reports(
        golden: Callable[[Path, str], None]) -> None:
    """arm64.json: the two arm64 default cells of a real run (i11-p1 + i11-c, trimmed to a few
    capabilities and ID registers)."""
    run = load("arm64.json")
    assert [(c.name, c.arch, c.kvm_mode) for c in run.cells] == [
        ("trixie-max-vhe", "arm64", "vhe"), ("sid-max-vhe", "arm64", "vhe")]
    assert all(c.host is not None and "ID_AA64ISAR0_EL1" in c.host.id_registers
               for c in run.cells)
    golden(GOLDEN / "summary-arm64.txt", report.summary(run.cells, run.summary) + "\n")
    d = rundiff.diff(run, run, "trixie-max-vhe", "sid-max-vhe")
    golden(GOLDEN / "diff-arm64-trixie-to-sid.txt", rundiff.text(d))
    (c,) = d.cells
    assert "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS system: 0 -> 1" in c.values
    assert "cpu feature sme added" in c.host and not c.regressed
    grid = read_grid(htmlreport.render(run))
    sve = grid.subjects[("KVM_CAP_ARM_SVE", "sid-max-vhe", "system")]
    assert (sve["data-kind"], sve["data-state"]) == ("capability", "ok")
    assert grid.sections == [("arch", "arm64"), ("may-change", "")]
    assert grid.views == [("may-change id-reg-masks", "arm64")]


def _field_diff(old: dict[str, Any], new: dict[str, Any]) -> rundiff.CellDiff:
    (c,) = rundiff.diff(_arm64_run(old), _arm64_run(new)).cells
    return c


def test_diff_names_the_fields_and_registers_that_became_writable_from_612_to_72(
        golden: Callable[[Path, str], None]) -> None:
    old = arm64docs.field_cell("trixie-max-vhe", "6.12")
    new = arm64docs.field_cell("sid-max-vhe", "7.2")
    c = _field_diff(old, new)
    assert [w.text() for w in c.newly_writable] == [
        "field ID_AA64ISAR3_EL1.TLBIW [11:8]: fixed -> writable",
        "field ID_AA64ISAR3_EL1.FAMINMAX [7:4]: fixed -> writable",
        "field CTR_EL0.L1Ip [15:14]: fixed -> writable",
        "register MIDR_EL1: mask 0x0000000000000000 -> 0x00000000ffffffff",
        "register ID_AA64ISAR3_EL1: mask 0x0000000000000000 -> 0x0000000000000ff0"]
    assert c.no_longer_writable == [] and not c.regressed
    # A field planned anew (change -> safe/unsafe) is said once, not as a dozen values.
    assert not any(": - -> " in v or " -> -" in v for v in c.values + c.policy)
    assert "ID_AA64ISAR3_EL1.TLBIW writable: fixed -> writable" in c.values
    back = _field_diff(new, old)
    assert [w.text() for w in back.no_longer_writable] == [
        w.text().replace("fixed -> writable", "writable -> fixed")
        .replace("0x0000000000000000 -> 0x00000000ffffffff", "0x00000000ffffffff -> "
                 "0x0000000000000000")
        .replace("0x0000000000000000 -> 0x0000000000000ff0", "0x0000000000000ff0 -> "
                 "0x0000000000000000") for w in c.newly_writable]
    assert back.newly_writable == []
    d = rundiff.diff(_arm64_run(old), _arm64_run(new))
    golden(GOLDEN / "diff-fields-612-to-72.txt", rundiff.text(d))
    golden(GOLDEN / "diff-fields-612-to-72.json", json.dumps(rundiff.to_json(d), indent=2) + "\n")


def test_diff_counts_a_field_or_register_the_old_cell_lacks_as_absent() -> None:
    old = arm64docs.field_cell("trixie-max-vhe", "6.12")
    old["tests"] = [t for t in old["tests"]
                    if t.get("subject", {}).get("register", t.get("subject", {}).get("name"))
                    not in ("ID_AA64ISAR3_EL1", "MIDR_EL1")]
    c = _field_diff(old, arm64docs.field_cell("sid-max-vhe", "7.2"))
    assert [w.text() for w in c.newly_writable] == [
        "field ID_AA64ISAR3_EL1.TLBIW [11:8]: absent -> writable",
        "field ID_AA64ISAR3_EL1.FAMINMAX [7:4]: absent -> writable",
        "field CTR_EL0.L1Ip [15:14]: fixed -> writable",
        "register MIDR_EL1: mask absent -> 0x00000000ffffffff",
        "register ID_AA64ISAR3_EL1: mask absent -> 0x0000000000000ff0"]
    # A register whose mask stays zero, or a field that stays fixed, is no change.
    same = _field_diff(old, old)
    assert same.newly_writable == [] and same.no_longer_writable == [] and same.empty


def test_diff_names_a_riscv_toggle_that_became_allowed() -> None:
    d = rundiff.diff(load("both.json"), load("sid-zaamo-disable.json"))
    sid = next(c for c in d.cells if c.new == "sid-rv64")
    assert [w.text() for w in sid.newly_writable] == ["isa_ext ZAAMO disable: EINVAL -> ok"]
    assert rundiff.to_json(d)["cells"][1]["newly_writable"] == [
        {"kind": "isa_ext", "name": "ZAAMO", "old": "EINVAL", "new": "ok", "toggle": "disable"}]
    # Extensions new in NEW are "extensions added", not newly writable toggles.
    t2s = rundiff.diff(load("trixie.json"), load("sid.json"))
    assert all(c.newly_writable == [] for c in t2s.cells)


def test_diff_json_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(arm64docs.run_of([arm64docs.field_cell("trixie-max-vhe", "6.12")])))
    new.write_text(json.dumps(arm64docs.run_of([arm64docs.field_cell("sid-max-vhe", "7.2")])))
    out = tmp_path / "diff.json"
    assert cli.main(["-q", "diff", str(old), str(new), "--json", str(out)]) == 0
    assert "  newly writable (5):" in capsys.readouterr().out.splitlines()
    doc = json.loads(out.read_text())
    assert doc["schema"] == "kvmct-diff/1" and doc["regressed"] is False
    (cell,) = doc["cells"]
    assert cell["newly_writable"][2] == {"kind": "field", "name": "CTR_EL0.L1Ip",
                                         "old": "fixed", "new": "writable",
                                         "register": "CTR_EL0", "field": "L1Ip", "lsb": 14,
                                         "width": 2}
    assert cell["newly_writable"][3] == {"kind": "register", "name": "MIDR_EL1",
                                         "old": "0x0000000000000000",
                                         "new": "0x00000000ffffffff", "register": "MIDR_EL1"}
    assert cell["no_longer_writable"] == []
    assert cli.main(["-q", "diff", str(new), str(old), "--json", "-"]) == 0
    back = json.loads(capsys.readouterr().out)
    assert len(back["cells"][0]["no_longer_writable"]) == 5


def test_a_writable_change_alone_is_a_change() -> None:
    """Whatever else a pair's records say, a newly writable field is not "no changes"."""
    w = rundiff.WritableChange("field", "CTR_EL0.L1Ip", "fixed", "writable", "CTR_EL0", "L1Ip",
                               14, 2)
    assert not rundiff.CellDiff("a", "b", ("pass", "pass"), newly_writable=[w]).empty
    assert not rundiff.CellDiff("a", "b", ("pass", "pass"), no_longer_writable=[w]).empty
    assert rundiff.CellDiff("a", "b", ("pass", "pass")).empty


def test_the_summary_says_what_a_vmm_may_change_on_arm64() -> None:
    run = Run.load(arm64docs.field_run())
    lines = report.summary(run.cells, run.summary).splitlines()
    assert "  trixie-max-vhe  asked (writable masks): 3 of 5 registers have a non-zero mask, " \
        "4 of 8 fields writable" in lines
    assert "  sid-max-vhe     asked (writable masks): 5 of 5 registers have a non-zero mask, " \
        "8 of 8 fields writable; 2 differ from the tables" in lines
    assert "| sid-max-vhe | asked (writable masks) | 5 of 5 registers have a non-zero mask, 8 " \
        "of 8 fields writable; 2 differ from the tables |" in textreport.markdown(run)


def test_the_summary_counts_no_fields_when_none_was_judged_writable() -> None:
    """Today's main (IdRegMask only) or the guest view alone: the masks, no "0 of 0 fields"."""
    doc = arm64docs.field_cell()
    doc["tests"] = [t for t in doc["tests"] if t["suite"] != "IdRegWritable"]
    run = Run.load(arm64docs.run_of([doc]))
    assert "  sid-max-vhe  asked (writable masks): 5 of 5 registers have a non-zero mask" in \
        report.summary(run.cells, run.summary).splitlines()
