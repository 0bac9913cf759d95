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
