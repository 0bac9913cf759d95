# SPDX-License-Identifier: MIT
# The run's reports from results files alone: the summary with its failing-extension table,
# Markdown, the HTML grid's data attributes, and `kvmct diff` (golden files; real documents
# trimmed to a few extensions, plus one where ZAAMO could be disabled).
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

from kvmctlib import cli
from kvmctlib.judge import extmatrix
from kvmctlib.reports import htmlreport, publish, report, rundiff, textreport
from kvmctlib.log import Progress
from kvmctlib.judge.records import Run

from htmlgrid import check_grid, read_grid

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
