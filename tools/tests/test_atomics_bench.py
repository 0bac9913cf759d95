# SPDX-License-Identifier: MIT
# bench --atomics's pure parts: the atomics_bench record a cell's result carries (its shape,
# its medians), the ratios the report compares cells by, the table it prints, the SVG chart and
# the HTML section, on a trimmed real run (data/runs/atomics-bench.json) and made-up records.
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from kvmctlib.commands import bench as bench_command
from kvmctlib.errors import KvmctError
from kvmctlib.judge import atomics_bench as ab
from kvmctlib.judge.records import RecordError, Run
from kvmctlib.reports import atomics_chart, htmlreport


def row(op: str = "amoadd.w", layout: str = "contended", vcpus: int = 1,
        samples: tuple[float, ...] = (10.0, 30.0, 20.0)) -> dict[str, Any]:
    ordered = sorted(samples)
    median = ordered[len(ordered) // 2] if len(ordered) % 2 else \
        (ordered[len(ordered) // 2 - 1] + ordered[len(ordered) // 2]) / 2
    return {"op": op, "layout": layout, "vcpus": vcpus, "iterations": 4096, "median": median,
            "samples": list(samples), "sc_failures": 0}


def record(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"timing": "guest rdtime", "timebase_hz": 10_000_000, "unit": "ops/s/vcpu",
            "repeats": 3, "rows": rows}


def real_run(data_dir: Path) -> Run:
    return Run.load(json.loads((data_dir / "runs" / "atomics-bench.json").read_text()))


def test_a_record_loads_with_units_and_medians() -> None:
    b = ab.load(record([row(), row(vcpus=2, samples=(4.0, 6.0))]))
    assert b.unit == "ops/s/vcpu" and b.timebase_hz == 10_000_000 and b.timing == "guest rdtime"
    p = b.at("amoadd.w", "contended", 2)
    assert p is not None and p.median == 5.0 and p.samples == (4.0, 6.0)
    assert b.at("amoadd.d", "contended", 2) is None


@pytest.mark.parametrize("edit,error", [
    (lambda d: d["rows"][0].update(median=99.0), "not the median of its samples"),
    (lambda d: d["rows"][0].update(op="amoswap.w"), "is not one of"),
    (lambda d: d["rows"][0].update(layout="shared"), "is not one of"),
    (lambda d: d["rows"][0].update(samples=[]), "non-empty list"),
    (lambda d: d["rows"][0].update(vcpus=-1), "a number >= 0"),
    (lambda d: d.update(unit="ops/s"), "is not 'ops/s/vcpu'"),
    (lambda d: d.pop("rows"), "rows: expected a list"),
])
def test_a_broken_record_is_refused(edit: Any, error: str) -> None:
    d = record([row()])
    edit(d)
    with pytest.raises(ab.BenchRecordError, match=re.escape(error)):
        ab.load(d)


def test_a_cell_with_a_broken_record_breaks_the_run_document(data_dir: Path) -> None:
    doc = json.loads((data_dir / "runs" / "atomics-bench.json").read_text())
    doc["cells"][0]["atomics_bench"]["rows"][0]["median"] = -1
    with pytest.raises(RecordError, match="atomics_bench.rows.0..median"):
        Run.load(doc)


def test_a_bench_that_could_not_run_says_why() -> None:
    b = ab.load({"error": "no timebase-frequency"})
    assert b.error == "no timebase-frequency" and not b.points
    assert "did not run: no timebase-frequency" in ab.table("sid-rv64", b)


def test_ratios_are_to_the_baseline_at_its_fewest_vcpus() -> None:
    base = ab.Line("trixie rv64", {1: 100.0, 2: 50.0, 4: 25.0})
    other = ab.Line("sid max", {1: 200.0, 2: 80.0, 4: 10.0})
    got = ab.ratios([base, other], base)
    assert got[0].values == {1: 1.0, 2: 0.5, 4: 0.25}  # the baseline keeps its shape
    assert got[1].values == {1: 2.0, 2: 0.8, 4: 0.1}
    assert ab.ratios([other], ab.Line("empty", {}))[0].values == {}


def test_lines_pick_one_operation_and_layout() -> None:
    a = ab.load(record([row(vcpus=1), row(vcpus=2), row(layout="uncontended", vcpus=1)]))
    b = ab.load(record([row(op="lr/sc.d")]))
    got = ab.lines([("a", a), ("b", b)], "amoadd.w", "contended")
    assert [(ln.label, sorted(ln.values)) for ln in got] == [("a", [1, 2])]


def test_the_table_has_every_point(data_dir: Path) -> None:
    cell = real_run(data_dir).cells[0]
    assert cell.atomics_bench is not None
    text = ab.table(cell.name, cell.atomics_bench)
    points = [ln for ln in text.splitlines()[2:]]
    assert len(points) == len(ab.OPS) * len(ab.LAYOUTS) * 3
    assert "ops/s/vcpu" in text.splitlines()[0]


def test_the_svg_has_a_line_and_a_marker_per_point() -> None:
    lines = [ab.Line("trixie rv64", {1: 1.0, 2: 0.5, 4: 0.25}), ab.Line("sid max", {1: 2.0, 4: 1.0})]
    svg = atomics_chart.chart_svg("amoadd.w contended", lines, "ratio")
    assert svg.startswith("<svg") and svg.endswith("</svg>") and "<script" not in svg
    assert re.findall(r'data-series="([^"]+)"', svg) == ["trixie rv64", "sid max"]
    assert len(re.findall(r"<polyline", svg)) == 2
    assert re.findall(r'data-vcpus="(\d)"', svg) == ["1", "2", "4", "1", "4"]
    # The larger value is higher on the page (smaller y): the axis is not upside down.
    ys = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert ys[3] < ys[0] < ys[1] < ys[2]


def test_the_report_compares_emulated_cells_as_ratios(data_dir: Path) -> None:
    run = real_run(data_dir)
    page = htmlreport.render(run)
    assert "Guest atomic throughput" in page and "QEMU TCG" in page
    charts = re.findall(r'<svg [^>]*data-chart="([^"]+)"', page)
    assert charts == [f"{op} {layout}" for op in ab.OPS for layout in ab.LAYOUTS]
    first = page.split('data-chart="amoadd.w contended"')[1].split("</svg>")[0]
    series = re.findall(r'data-series="([^"]+)"', first)
    assert len(series) == len(run.cells)
    # the baseline line starts at 1: every line is a ratio to it
    assert re.search(r'data-vcpus="1" data-value="1"', first)


def test_no_bench_no_section(data_dir: Path) -> None:
    run = Run.load(json.loads((data_dir / "runs" / "sid.json").read_text()))
    assert atomics_chart.section(run.cells) == []
    assert "Guest atomic throughput" not in htmlreport.render(run)


def test_bench_atomics_runs_the_suite_flag_on_the_default_kernels() -> None:
    plans = bench_command.load_atomics()
    assert [(p.arch, p.cpus) for p in plans] == [("riscv64", ("rv64", "max"))]
    opts = bench_command.atomics_options(plans[0], 5)
    assert opts.suite_args == ("--kvmct-atomics-bench=5",)
    assert opts.arches == ("riscv64",) and opts.cpus == ("rv64", "max") and opts.jobs == 1


def test_a_bad_atomics_table_names_its_file(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "bench.toml").write_text('arch = "x"\n[atomics]\ncpus = "rv64"\n')
    with pytest.raises(KvmctError, match=re.escape(f"{tmp_path / 'x' / 'bench.toml'}: [atomics]")):
        bench_command.load_atomics(tmp_path)
