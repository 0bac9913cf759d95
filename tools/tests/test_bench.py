# SPDX-License-Identifier: MIT
# `kvmct bench`'s pure parts: each architecture's targets read from data/arch/*/bench.toml,
# the architectures of a run document, per-cell rows against their architecture's target, and
# the table's medians and ratios. (The timings themselves are real runs: `tools/kvmct bench`.)
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import arm64docs
from kvmctlib.commands import bench
from kvmctlib.errors import KvmctError


def test_the_issue_targets_are_data() -> None:
    t = bench.load_targets()
    assert t["arm64"] == bench.ArchTargets(cell_s=15.0)  # issue 11: a warm arm64 cell
    assert t["riscv64"] == bench.ArchTargets(default_run_s=18.7)  # issue 10
    assert bench.WARM_RUN_ALL_TARGET_S == 40.0  # issue 11: both architectures' default cells
    assert "run --arch riscv64 <= 18.7 s" in bench.targets_text(t)
    assert "one arm64 cell boot to poweroff <= 15 s" in bench.targets_text(t)


@pytest.mark.parametrize("text,error", [
    ('[targets]\ncell_s = 1', "needs `arch"),
    ('arch = "x"\n[targets]\ncell_seconds = 1', "takes numbers for default_run_s, cell_s"),
    ('arch = "x"\n[targets]\ncell_s = "fast"', "takes numbers"),
    ('arch = "x"\n[targets\n', "bench.toml"),
])
def test_a_bad_bench_file_is_named(tmp_path: Path, text: str, error: str) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "bench.toml").write_text(text)
    with pytest.raises(KvmctError, match=error) as e:
        bench.load_targets(tmp_path)
    assert str(tmp_path / "x" / "bench.toml") in str(e.value)


def _mixed() -> dict[str, Any]:
    run = arm64docs.mixed_run()
    for c in run["cells"][:2]:
        c["arch"] = "riscv64"
    return run


def test_the_architectures_of_a_run_and_their_cell_rows() -> None:
    run = _mixed()
    assert bench.archs_of(run) == ["riscv64", "arm64"]
    assert bench.archs_of(arm64docs.run_of(arm64docs.riscv_cells())) == []  # before arm64
    rows: dict[str, bench.Row] = {}
    bench.add_cell_rows(rows, run, bench.load_targets())
    bench.add_cell_rows(rows, run, bench.load_targets())
    assert rows["boot-to-poweroff sid-max-nvhe"].target_s == 15.0
    assert rows["boot-to-poweroff sid-max-nvhe"].samples == [9.5, 9.5]
    assert rows["boot-to-poweroff sid-rv64"].target_s is None
    assert rows["  suite run sid-rv64"].samples[0] == pytest.approx(
        run["cells"][1]["runner"]["guest_uptime_s"]["suite_end"]
        - run["cells"][1]["runner"]["guest_uptime_s"]["suite_start"])


def test_the_table_shows_medians_and_ratios() -> None:
    rows = [bench.Row("boot-to-poweroff sid-max-vhe", [12.0, 18.0, 15.0], 15.0),
            bench.Row("warm setup", [1.0, 3.0, 2.0]), bench.Row("never ran")]
    lines = bench.table(rows).splitlines()
    assert len(lines) == 3  # a row without samples is left out
    assert lines[1].split() == ["boot-to-poweroff", "sid-max-vhe", "15.00", "12.00", "18.00",
                                "3", "15", "1.00"]
    assert lines[2].split() == ["warm", "setup", "2.00", "1.00", "3.00", "3"]
    assert bench.table([bench.Row("r", [18.7], 18.7)]).splitlines()[1].split()[-2:] == \
        ["18.7", "1.00"]
