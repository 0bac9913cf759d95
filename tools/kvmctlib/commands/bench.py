# SPDX-License-Identifier: MIT
# `kvmct bench`: medians of N timed runs of the real commands (warm setup, build, `run` of
# every architecture's default cells and of each architecture's alone, boot-to-poweroff per
# cell; optionally cold setup/build/first run in a scratch cache).
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import arch
from ..acquire import buildroot
from ..build import kernel_source_tree
from ..errors import KvmctError
from ..judge import atomics_bench
from ..log import Progress
from ..paths import Cache, repo_root
from . import run as run_command
from .base import Command

# Targets: warm `run` of every architecture's default cells (issue 11: riscv64's two and
# arm64's two), the very first run (issue 2), and a fresh clone's build on a warm cache
# (issue 10). Each architecture's own targets are data: data/arch/<folder>/bench.toml.
WARM_RUN_ALL_TARGET_S = 40.0
FIRST_RUN_TARGET_S = 300.0
CLONE_BUILD_TARGET_S = 30.0
# Issue 10 (`bench --kernel`): the first build of a kernel from Debian's linux-source-7.3, and
# the developer's loop: one KVM file edited, rebuilt, booted and the whole suite on one cell.
KERNEL_SOURCE = "debian:linux-source-7.3"
KERNEL_FIRST_BUILD_TARGET_S = 900.0
KERNEL_REBUILD_RUN_TARGET_S = 90.0


ARCH_DATA = Path(__file__).resolve().parent.parent / "data" / "arch"


@dataclass
class Row:
    name: str
    samples: list[float] = field(default_factory=list)
    target_s: float | None = None


@dataclass(frozen=True)
class ArchTargets:
    """One architecture's targets (bench.toml): `run --arch A` of its default cells, and each
    of its cells from boot to poweroff; None where it has none."""

    default_run_s: float | None = None
    cell_s: float | None = None


def load_targets(data: Path = ARCH_DATA) -> dict[str, ArchTargets]:
    """Every data/arch/*/bench.toml by the profile name it names; an error names the file."""
    out: dict[str, ArchTargets] = {}
    for path in sorted(data.glob("*/bench.toml")):
        try:
            doc = tomllib.loads(path.read_text())
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise KvmctError(f"{path}: {e}") from None
        name, targets = doc.get("arch"), doc.get("targets", {})
        if not isinstance(name, str) or not isinstance(targets, dict):
            raise KvmctError(f"{path}: needs `arch = \"<profile>\"` and a [targets] table")
        unknown = set(targets) - set(ArchTargets.__dataclass_fields__)
        if unknown or not all(isinstance(v, (int, float)) for v in targets.values()):
            raise KvmctError(f"{path}: [targets] takes numbers for "
                             f"{', '.join(ArchTargets.__dataclass_fields__)}; got {targets}")
        out[name] = ArchTargets(**{k: float(v) for k, v in targets.items()})
    return out


def targets_text(targets: dict[str, ArchTargets]) -> str:
    """`run --arch A <= N s, one A cell boot to poweroff <= N s` for every target given."""
    parts = []
    for a, t in targets.items():
        if t.default_run_s is not None:
            parts.append(f"run --arch {a} <= {t.default_run_s:g} s")
        if t.cell_s is not None:
            parts.append(f"one {a} cell boot to poweroff <= {t.cell_s:g} s")
    return ", ".join(parts) + " (data/arch/*/bench.toml)"


def archs_of(run: dict[str, Any]) -> list[str]:
    """The architectures a run document's cells ran, in the order they first appear (a cell
    without `arch` comes from a runner before arm64 cells: one architecture, no --arch)."""
    return list(dict.fromkeys(str(c["arch"]) for c in run["cells"] if "arch" in c))


def add_cell_rows(rows: dict[str, Row], run: dict[str, Any],
                  targets: dict[str, ArchTargets]) -> None:
    """Each cell's boot-to-poweroff (against its architecture's cell target) and, when /init
    logged uptimes, its boot and suite parts, appended as one more sample."""
    for doc in run["cells"]:
        cell = doc["cell"]
        target = targets.get(str(doc.get("arch", "")), ArchTargets()).cell_s
        name = f"boot-to-poweroff {cell}"
        rows.setdefault(name, Row(name, target_s=target)).samples.append(
            doc["runner"]["duration_s"])
        up = doc["runner"].get("guest_uptime_s", {})
        if "suite_start" in up and "suite_end" in up:
            for label, value in ((f"  guest boot until suite start {cell}", up["suite_start"]),
                                 (f"  suite run {cell}", up["suite_end"] - up["suite_start"])):
                rows.setdefault(label, Row(label)).samples.append(value)


def _kvmct(args: list[str], cache: Path, checkout: Path | None = None) -> tuple[float, int]:
    env = dict(os.environ, KVMCT_CACHE=str(cache))
    t0 = time.monotonic()
    tool = (checkout or repo_root()) / "tools" / "kvmct"
    rc = subprocess.call([sys.executable, str(tool), "-q", *args],
                         env=env, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    return time.monotonic() - t0, rc


def _latest_run(cache: Path) -> dict[str, Any]:
    runs = sorted(p for p in (cache / "runs").iterdir() if (p / "run.json").is_file())
    data: dict[str, Any] = json.loads((runs[-1] / "run.json").read_text())
    return data


def table(rows: list[Row]) -> str:
    width = max([len(r.name) for r in rows] + [11])
    out = [f"{'measurement':<{width}} {'median s':>9} {'min':>8} {'max':>8} {'n':>3} "
           f"{'target s':>9} {'ratio':>6}"]
    for r in rows:
        if not r.samples:
            continue
        med = statistics.median(r.samples)
        target = f"{r.target_s:9g}" if r.target_s else f"{'':9}"  # 18.7, not 19
        ratio = f"{med / r.target_s:6.2f}" if r.target_s else f"{'':6}"
        out.append(f"{r.name:<{width}} {med:9.2f} {min(r.samples):8.2f} {max(r.samples):8.2f} "
                   f"{len(r.samples):3d} {target} {ratio}")
    return "\n".join(out)


def _cold_rows(cache: Cache, runs: int, progress: Progress) -> list[Row]:
    key = buildroot.root_key()
    setup, build_, first = Row("cold setup (mmdebstrap)"), Row("cold build (both flavours)"), \
        Row("first run (fresh cache, all steps)", target_s=FIRST_RUN_TARGET_S)
    for i in range(runs):
        with tempfile.TemporaryDirectory(prefix="kvmct-bench-", dir=cache.root) as tmp:
            scratch = Path(tmp)
            progress.step(f"bench: cold setup {i + 1}/{runs}")
            t, rc = _kvmct(["setup"], scratch)
            if rc == 0:
                setup.samples.append(t)
        with tempfile.TemporaryDirectory(prefix="kvmct-bench-", dir=cache.root) as tmp:
            scratch = Path(tmp)
            # Reuse the warm root (symlinked) so only the build itself is cold.
            (scratch / f"root-{key}").symlink_to(cache.build_root(key))
            progress.step(f"bench: cold build {i + 1}/{runs}")
            t, rc = _kvmct(["build"], scratch)
            if rc == 0:
                build_.samples.append(t)
        with tempfile.TemporaryDirectory(prefix="kvmct-bench-", dir=cache.root) as tmp:
            progress.step(f"bench: first run in an empty cache {i + 1}/{runs}")
            t, rc = _kvmct(["run"], Path(tmp))
            if rc in (0, 1):
                first.samples.append(t)
    return [setup, build_, first]


def _clone_build_row(cache: Cache, runs: int, progress: Progress) -> Row:
    """`build` from a fresh clone of this checkout's HEAD on the warm cache: the build tree was
    last built from another checkout, so it is rebuilt, and ccache makes that cheap."""
    row = Row("fresh-clone build (warm cache)", target_s=CLONE_BUILD_TARGET_S)
    for i in range(runs):
        with tempfile.TemporaryDirectory(prefix="kvmct-bench-clone-") as tmp:
            clone = Path(tmp) / "kvmct"
            subprocess.run(["git", "clone", "-q", "--local", str(repo_root()), str(clone)],
                           check=True, stdin=subprocess.DEVNULL)
            progress.step(f"bench: build from a fresh clone {i + 1}/{runs}")
            t, rc = _kvmct(["build"], cache.root, clone)
            if rc == 0:
                row.samples.append(t)
    _kvmct(["build"], cache.root)  # give the build tree back to this checkout
    return row


def _load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def _edited(path: Path, stamp: str) -> None:
    """A real edit (new content, so ccache cannot answer for it): a comment at the end."""
    text = path.read_text()
    marker = "\n/* kvmct bench edit "
    _replace(path, f"{text.split(marker)[0]}{marker}{stamp} */\n")


def _replace(path: Path, text: str) -> None:
    # A new file, not a write through: a tree copied with hard links (cp -al) keeps its own.
    tmp = path.with_name(path.name + ".kvmct-tmp")
    tmp.write_text(text)
    tmp.replace(path)


def _kernel_rows(cache: Cache, runs: int, cold: bool, progress: Progress,
                 profile: arch.Profile | None = None) -> list[Row]:
    """The rebuild loop in the warm cache (after one warming build) and, with --cold, first
    builds in a scratch cache (the build root shared, everything else fresh: apt indices,
    the source package, the unpacked tree, an empty ccache). The kernel is the first
    architecture's whose KVM is a module (the issue-10 targets), unless `profile`."""
    profile = profile or arch.modular()[0]
    on = ["--arch", profile.name]
    rebuild = Row(f"kernel edit + rebuild + run, one cell ({KERNEL_SOURCE})",
                  target_s=KERNEL_REBUILD_RUN_TARGET_S)
    first = Row(f"first kernel build ({KERNEL_SOURCE}, empty ccache)",
                target_s=KERNEL_FIRST_BUILD_TARGET_S)
    progress.step(f"bench: warming the kernel build of {KERNEL_SOURCE} ({_load()})")
    _, rc = _kvmct(["kernel", *on, "--source", KERNEL_SOURCE], cache.root)
    if rc != 0:
        progress.error(f"kvmct kernel --source {KERNEL_SOURCE} failed; fix that first")
        return []
    tree = kernel_source_tree.resolve(cache, profile, KERNEL_SOURCE, progress)
    touched = tree.path / profile.kvm_dir / "main.c"
    original = touched.read_text()
    try:
        for i in range(runs):
            progress.step(f"bench: kernel rebuild {i + 1}/{runs}: edited {touched} ({_load()})")
            _edited(touched, f"{time.time():.0f}-{i}")
            t, rc = _kvmct(["kernel", *on, "--source", KERNEL_SOURCE, "--run", "--cpu",
                            profile.default_cpu], cache.root)
            if rc in (0, 1):
                rebuild.samples.append(t)
    finally:
        _replace(touched, original)
    key = buildroot.root_key()
    for i in range(runs if cold else 0):
        with tempfile.TemporaryDirectory(prefix="kvmct-bench-", dir=cache.root) as tmp:
            scratch = Path(tmp)
            (scratch / f"root-{key}").symlink_to(cache.build_root(key))
            progress.step(f"bench: first kernel build {i + 1}/{runs} ({_load()})")
            t, rc = _kvmct(["kernel", *on, "--source", KERNEL_SOURCE], scratch)
            if rc == 0:
                first.samples.append(t)
    progress.step(f"bench: kernel rows done ({_load()})")
    return [rebuild, first]


def execute(cache: Cache, progress: Progress, runs: int, cold: bool,
            kernel: bool = False) -> int:
    if runs < 1:
        progress.error("--runs must be at least 1")
        return 2
    progress.step("bench: warming the cache (setup, kernels, build)")
    for step in (["setup"], ["kernels"], ["build"]):
        _, rc = _kvmct(step, cache.root)
        if rc != 0:
            progress.error(f"kvmct {step[0]} failed; fix that first")
            return 2
    targets = load_targets()
    rows = [Row("warm setup"), Row("warm build (no-op)"),
            Row("warm run, default cells of every architecture", target_s=WARM_RUN_ALL_TARGET_S)]
    per_arch: dict[str, Row] = {}
    cells: dict[str, Row] = {}
    for i in range(runs):
        progress.step(f"bench: warm round {i + 1}/{runs}")
        for row, args in zip(rows, (["setup"], ["build"], ["run"])):
            t, rc = _kvmct(args, cache.root)
            if rc not in (0, 1):
                progress.error(f"kvmct {' '.join(args)} broke (exit {rc})")
                return 2
            row.samples.append(t)
        everything = _latest_run(cache.root)
        archs = archs_of(everything)
        if len(archs) < 2:  # one architecture: its cells were just timed
            add_cell_rows(cells, everything, targets)
        # Each architecture alone: its own run target, and its cells without the others'
        # sharing the two cores.
        for a in archs if len(archs) > 1 else []:
            name = f"warm run --arch {a}, default cells"
            row = per_arch.setdefault(name, Row(name, target_s=targets.get(
                a, ArchTargets()).default_run_s))
            t, rc = _kvmct(["run", "--arch", a], cache.root)
            if rc not in (0, 1):
                progress.error(f"kvmct run --arch {a} broke (exit {rc})")
                return 2
            row.samples.append(t)
            add_cell_rows(cells, _latest_run(cache.root), targets)
    rows += list(per_arch.values()) + list(cells.values())
    rows.append(_clone_build_row(cache, runs, progress))
    if cold:
        rows += _cold_rows(cache, runs, progress)
    if kernel:
        rows += _kernel_rows(cache, runs, cold, progress)
    print(table(rows))
    print("ratio = median / target (warm run of every architecture's default cells <= 40 s; "
          f"{targets_text(targets)}; a fresh clone's build on a warm cache <= 30 s, first run "
          "on a fresh machine <= 300 s; first kernel build <= 900 s, kernel edit + rebuild + "
          "run <= 90 s)")
    warm = {r.name: statistics.median(r.samples) for r in rows if r.samples}
    if "cold setup (mmdebstrap)" in warm:
        print(f"cold/warm setup: {warm['cold setup (mmdebstrap)'] / warm['warm setup']:.0f}x; "
              f"cold/warm build: {warm['cold build (both flavours)'] / warm['warm build (no-op)']:.0f}x")
    return 0


@dataclass(frozen=True)
class AtomicsPlan:
    """`bench --atomics` on one architecture (bench.toml [atomics]): its default kernels on
    these CPU models, one cell at a time (cells sharing the two cores would time each other),
    the KTAP run cut down to `gtest_filter` so each cell still has a verdict."""

    arch: str
    cpus: tuple[str, ...]
    gtest_filter: str


def load_atomics(data: Path = ARCH_DATA) -> list[AtomicsPlan]:
    """Every bench.toml with an [atomics] table; an error names the file."""
    out = []
    for path in sorted(data.glob("*/bench.toml")):
        doc = tomllib.loads(path.read_text())
        if "atomics" not in doc:
            continue
        t = doc["atomics"]
        cpus, filt = t.get("cpus"), t.get("filter")
        if not (isinstance(cpus, list) and cpus and all(isinstance(c, str) for c in cpus)
                and isinstance(filt, str)):
            raise KvmctError(f"{path}: [atomics] takes cpus = [\"<model>\", ...] and "
                             f"filter = \"<gtest filter>\"; got {t}")
        out.append(AtomicsPlan(str(doc["arch"]), tuple(cpus), filt))
    return out


def atomics_options(plan: AtomicsPlan, runs: int) -> run_command.Options:
    return run_command.Options(arches=(plan.arch,), cpus=plan.cpus,
                               gtest_filter=plan.gtest_filter, jobs=1, timeout_s=1800.0,
                               suite_args=(f"--kvmct-atomics-bench={runs}",))


def execute_atomics(cache: Cache, progress: Progress, runs: int, argv: list[str]) -> int:
    """Boots the cells with kvmct-suite --kvmct-atomics-bench=RUNS and prints each cell's
    table from the run document (the report.html beside it has the chart)."""
    if runs < 1:
        progress.error("--runs must be at least 1")
        return 2
    plans = load_atomics()
    if not plans:
        progress.error("no data/arch/*/bench.toml has an [atomics] table")
        return 2
    missing = 0
    cells: list[dict[str, Any]] = []
    for plan in plans:
        rc = run_command.execute(atomics_options(plan, runs), cache, progress, argv)
        if rc not in (0, 1):
            return rc
        cells += _latest_run(cache.root)["cells"]
    for cell in cells:
        if "atomics_bench" not in cell:
            progress.error(f"{cell['cell']}: no atomics_bench in its result (the cell broke?)")
            missing += 1
            continue
        bench = atomics_bench.load(cell["atomics_bench"], f"{cell['cell']}.atomics_bench")
        missing += bool(bench.error)
        print(atomics_bench.table(cell["cell"], bench))
    runs_dir = sorted(p for p in cache.runs.iterdir() if (p / "run.json").is_file())
    print(f"chart: {runs_dir[-1] / 'report.html'}")
    return 1 if missing else 0


def _arguments(b: argparse.ArgumentParser) -> None:
    b.add_argument("-n", "--runs", type=int, default=3, help="runs per measurement")
    b.add_argument("--cold", action="store_true",
                   help="also time cold setup and cold build in a scratch cache")
    b.add_argument("--kernel", action="store_true",
                   help=f"also time the kernel loop on {KERNEL_SOURCE}: edit a KVM file, "
                        "rebuild, boot, full suite on one cell; with --cold also first builds "
                        "with an empty ccache (~15 min each)")
    b.add_argument("--atomics", action="store_true",
                   help="instead: guest atomic throughput (AMO and LR/SC ops/s per vCPU, 1/2/4 "
                        "vCPUs, contended and not) on the default kernels x the CPU models of "
                        "bench.toml [atomics]; -n runs per point, medians")


BENCH = Command("bench", "time setup, build and boot-to-poweroff (medians)", _arguments,
                lambda args, ctx: execute_atomics(ctx.cache, ctx.progress, args.runs,
                                                  ["kvmct", *ctx.argv]) if args.atomics else
                execute(ctx.cache, ctx.progress, args.runs, args.cold, args.kernel))
