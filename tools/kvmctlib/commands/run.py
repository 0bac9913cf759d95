# SPDX-License-Identifier: MIT
# `kvmct run`: validate the request, make sure root/kernels/build exist, pack and boot every
# cell (kernel x CPU) in parallel, then report, write --json/--junit and pick the exit code.
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .. import arch, cpus, lock
from ..acquire import buildroot, custom_kernel, kernel_spec, kernels, local_debs
from ..build import cmake
from ..cell import boot, initramfs, modinfo, modules, qemu
from ..judge import results
from ..reports import live, publish, report
from ..log import Progress
from ..paths import Cache
from .base import Command, Context

KEEP_RUNS = 10


@dataclass(frozen=True)
class Options:
    kernels: tuple[str, ...]
    cpus: tuple[str, ...]
    modules: Path | None = None
    kvm_module: Path | None = None
    gtest_filter: str | None = None
    json_out: Path | None = None
    junit_dir: Path | None = None
    html_out: Path | None = None
    jobs: int = 1
    timeout_s: float = 300.0
    suite: Path | None = None  # a prebuilt kvmct-suite: skips the CMake build
    verbose: bool = False
    expected: Path | None = None  # tables the suite reads instead of its embedded copies


def validate(opts: Options,
             inspected: dict[str, custom_kernel.Inspection] | None = None) -> list[str]:
    """Everything that can be wrong with the request, found before anything boots. A PATH
    kernel's inspection goes into `inspected`, so its image is decompressed once per run."""
    errors: list[str] = []
    valid: list[str] = []
    for arg in opts.kernels:  # every bad --kernel, not only the first
        try:
            kernel_spec.parse(arg)
            valid.append(arg)
        except kernel_spec.KernelSpecError as e:
            errors.append(str(e))
    specs = kernel_spec.parse_all(tuple(valid))
    for parsed in specs:
        if isinstance(parsed.spec, kernel_spec.Debs):
            try:  # which packages, one kernel, nothing missing: before any download
                local_debs.group(local_debs.read(list(parsed.spec.paths)), kernels.debian_arch())
            except local_debs.LocalDebError as e:
                errors.append(str(e))
        elif isinstance(parsed.spec, kernel_spec.Image) and (opts.modules is None
                                                             or opts.modules.is_dir()):
            try:  # its version, its modules and where KVM is, before anything boots
                found = custom_kernel.inspect(parsed.spec.path, opts.modules, opts.kvm_module)
                if inspected is not None:
                    inspected[parsed.arg] = found
            except custom_kernel.KernelImageError as e:
                errors.append(f"--kernel {parsed.arg}: {e}")
    if opts.modules is not None and not opts.modules.is_dir():
        errors.append(f"--modules {opts.modules}: not a directory")
    if opts.kvm_module is not None and not opts.kvm_module.is_file():
        errors.append(f"--kvm-module {opts.kvm_module}: no such file")
    if opts.kvm_module is not None and modules.module_name(opts.kvm_module.name) is None:
        errors.append(f"--kvm-module {opts.kvm_module}: not a .ko / .ko.xz file")
    if opts.suite is not None and not opts.suite.is_file():
        errors.append(f"--suite {opts.suite}: no such file")
    if opts.expected is not None and not (opts.expected / arch.load().catalogue).is_file():
        errors.append(f"--expected {opts.expected}: no {arch.load().catalogue} in it")
    models = cpus.load()
    for cpu in opts.cpus:
        if not cpu or any(ch.isspace() for ch in models.resolve(cpu).qemu):
            errors.append(f"--cpu {cpu!r}: not a QEMU CPU model")
    if opts.jobs < 1:
        errors.append("--jobs must be at least 1")
    if opts.timeout_s <= 0:
        errors.append("--timeout must be positive")
    return errors


def cell_modules(tree: Path | None, kvm_module: Path | None,
                 progress: Progress, label: str) -> list[initramfs.Module]:
    table = modules.index_tree(tree) if tree is not None else {}
    if kvm_module is not None:
        table["kvm"] = kvm_module
    resolved = modules.load_order(arch.load().cell_modules, modules.tree_deps(table))
    for name in resolved.missing:
        progress.step(f"[{label}] no module {name}: assuming it is built into the kernel")
    return [initramfs.Module(n, modinfo.decompress(table[n])) for n in resolved.order]


def expected_tables(directory: Path) -> dict[str, bytes]:
    """Every table of an --expected directory, by file name (the names the suite embeds)."""
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.yaml"))}


def _cell_name(kernel: str, cpu: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{kernel}-{cpu}")
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def _prune(runs: Path) -> None:
    old = sorted(p for p in runs.iterdir() if p.is_dir())[:-KEEP_RUNS]
    for p in old:
        shutil.rmtree(p, ignore_errors=True)


def _stripped(root: buildroot.BuildRoot, suite: Path, run_dir: Path,
              progress: Progress) -> bytes:
    """The suite without debug info: 20 MB less initramfs for the emulated kernel to unpack
    (the unstripped binary stays in the build tree for gdb)."""
    staged = run_dir / "kvmct-suite.full"
    shutil.copy(suite, staged)
    out = run_dir / "kvmct-suite"
    done = subprocess.run(root.chroot().argv([arch.load().strip, "--strip-debug", "-o",
                                               root.inside(out), root.inside(staged)]),
                          capture_output=True, stdin=subprocess.DEVNULL)
    staged.unlink()
    if done.returncode != 0 or not out.is_file():
        progress.step("could not strip kvmct-suite; packing it with its debug info")
        return suite.read_bytes()
    return out.read_bytes()


@dataclass(frozen=True)
class Prepared:
    """What every cell of a run shares, once the machine is ready."""

    root: buildroot.BuildRoot
    by_arg: dict[str, kernels.Kernel]  # every --kernel but an image file, by its argument
    suite: Path  # the kvmct-suite binary


def _prepare(opts: Options, cache: Cache, progress: Progress) -> Prepared:
    """Build root, every kernel asked for but image files and (unless --suite) the suite's
    build. The default suites are fetched in parallel, as `kvmct kernels` does."""
    specs = kernel_spec.parse_all(opts.kernels)
    suites = tuple(dict.fromkeys(p.spec.suite for p in specs
                                 if isinstance(p.spec, kernel_spec.Suite)))
    with lock.exclusive(cache, progress):
        root = buildroot.ensure(cache, progress)
        fetched = kernels.ensure(cache, progress,
                                 sources=tuple(kernels.KernelSource(s, s) for s in suites))
        by_arg = {k.name: k for k in fetched}
        for p in specs:
            if not isinstance(p.spec, (kernel_spec.Image, kernel_spec.Suite)):
                by_arg[p.arg] = kernel_spec.resolve(p.spec, cache, progress)
        if opts.suite is None:
            cmake.ensure(root, progress, (cmake.target(),))
    return Prepared(root, by_arg, opts.suite or cache.build_dir(root.key) / cmake.suite_binary())


def _qemu_refuses(opts: Options, root: buildroot.BuildRoot) -> str:
    """'' when QEMU accepts every --cpu, else the first complaint."""
    models, profile = cpus.load(), arch.load()
    for qemu_cpu in sorted({models.resolve(c).qemu for c in opts.cpus}):
        complaint = cpus.preflight(root.chroot().argv, profile.qemu, profile.machine, qemu_cpu)
        if complaint:
            return f"--cpu {qemu_cpu}: QEMU refuses it: {complaint}"
        dtb = cpus.device_tree(root.chroot().argv, profile.qemu, profile.machine, qemu_cpu)
        why = cpus.kvm_host_reason(dtb, profile.kvm_host)
        if why:
            return f"--cpu {qemu_cpu}: cannot host KVM, so it is not booted: {why}"
    return ""


def _run_dir(cache: Cache) -> Path:
    run_dir = cache.runs / time.strftime("%Y%m%d-%H%M%S")
    while run_dir.exists():
        run_dir = run_dir.with_name(run_dir.name + "x")
    run_dir.mkdir(parents=True)
    _prune(cache.runs)
    return run_dir


def _cells(opts: Options, prepared: Prepared, run_dir: Path,
           inspected: dict[str, custom_kernel.Inspection]) -> list[tuple[boot.Spec, kernels.Kernel]]:
    """One cell per kernel x CPU model, in that order, each with its directory."""
    taken: set[str] = set()
    jobs: list[tuple[boot.Spec, kernels.Kernel]] = []
    models = cpus.load()
    for parsed in kernel_spec.parse_all(opts.kernels):
        kernel = prepared.by_arg.get(parsed.arg) or kernels.from_path(
            Path(parsed.arg), opts.modules, opts.kvm_module, inspected.get(parsed.arg))
        for model in (models.resolve(c) for c in opts.cpus):
            cname = _cell_name(kernel.name, model.name, taken)
            directory = run_dir / cname
            image = kernel.image
            if prepared.root.cache.root not in image.resolve().parents:
                directory.mkdir(parents=True, exist_ok=True)
                image = Path(shutil.copy(image, directory / "Image"))
            described = kernel.describe()
            if opts.kvm_module is not None:
                described["kvm_module"] = str(opts.kvm_module.resolve())
            jobs.append((boot.Spec(cname, described, image, model.qemu, directory,
                                   opts.timeout_s, model.name), kernel))
    return jobs


def _boot_all(opts: Options, jobs: list[tuple[boot.Spec, kernels.Kernel]],
              launcher: boot.Launcher, payload: tuple[bytes, bytes], targets: publish.Targets,
              progress: Progress, started: str, argv: list[str]) -> list[boot.Outcome]:
    """Boot the cells, --jobs at a time; on Ctrl-C, SIGTERM or a cell that could not even
    start, stop every QEMU and publish the cells that had finished."""
    busybox, suite = payload
    expected = expected_tables(opts.expected) if opts.expected is not None else None
    reaper = qemu.Reaper()
    finished: dict[int, boot.Outcome] = {}

    def one(job: tuple[boot.Spec, kernels.Kernel]) -> boot.Outcome:
        spec, kernel = job
        board.set(spec.name, "packing")
        # A PATH kernel's modules are the release directory from_path picked out of --modules.
        tree = kernel.modules if not kernel.package else (opts.modules or kernel.modules)
        mods = cell_modules(tree, opts.kvm_module, progress, spec.name)
        config = kernel.config.read_bytes() if kernel.config is not None else None
        initrd = boot.pack(spec, initramfs.entries(busybox, suite, mods, opts.gtest_filter,
                                                         expected, config))
        outcome = boot.run(spec, initrd, launcher, progress, opts.verbose, reaper, board.feed)
        progress.block(report.cell_block(outcome))
        board.done(spec.name, outcome.verdict.status, report.counts_text(outcome))
        return outcome

    with live.Board(progress, [spec.name for spec, _ in jobs]) as board, \
            ThreadPoolExecutor(max_workers=opts.jobs) as pool:
        futures = {pool.submit(one, job): i for i, job in enumerate(jobs)}
        try:
            for future in as_completed(futures):
                finished[futures[future]] = future.result()
        except BaseException:
            reaper.kill_all()
            pool.shutdown(wait=True, cancel_futures=True)
            done = [finished[i] for i in sorted(finished)]
            publish.write([results.cell_document(o) for o in done], targets, started, argv,
                          progress, [s.name for i, (s, _) in enumerate(jobs) if i not in finished])
            raise
    return [finished[i] for i in sorted(finished)]


def execute(opts: Options, cache: Cache, progress: Progress, argv: list[str]) -> int:
    inspected: dict[str, custom_kernel.Inspection] = {}
    problems = validate(opts, inspected)
    for p in problems:
        progress.error(p)
    if problems:
        return 2
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    prepared = _prepare(opts, cache, progress)
    if not prepared.suite.is_file():
        progress.error(f"kvmct-suite not found at {prepared.suite}")
        return 2
    complaint = _qemu_refuses(opts, prepared.root)
    if complaint:
        progress.error(complaint)
        return 2
    run_dir = _run_dir(cache)
    chroot, profile = prepared.root.chroot(), arch.load()
    launcher = boot.Launcher(profile.qemu, profile.machine, chroot.argv, prepared.root.inside,
                             qemu.version(chroot.argv, profile.qemu))
    progress.step(f"QEMU {launcher.qemu_version or '(version unknown)'}; run directory {run_dir}")
    payload = ((prepared.root.path / arch.load().unpacked_dir.lstrip("/") / "usr" / "bin" / "busybox").read_bytes(),
               _stripped(prepared.root, prepared.suite, run_dir, progress))
    jobs = _cells(opts, prepared, run_dir, inspected)
    targets = publish.Targets(run_dir, opts.json_out, opts.junit_dir, opts.html_out)
    outcomes = _boot_all(opts, jobs, launcher, payload, targets, progress, started, argv)
    merged = publish.write([results.cell_document(o) for o in outcomes], targets, started,
                           argv, progress)
    return results.exit_code(merged["status"])


def run_axes(matrix: str | None, kernel_args: list[str] | None,
             cpu_args: list[str] | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(kernels, cpus) of a run: the matrix's (default: `default`), each axis replaced by the
    corresponding --kernel / --cpu arguments when given."""
    m = cpus.load().matrix(matrix or "default")
    return tuple(kernel_args or m.kernels), tuple(cpu_args or m.cpus)


def add_arguments(r: argparse.ArgumentParser) -> None:
    profile = arch.load()
    r.add_argument("--kernel", action="append", metavar="SPEC",
                   help="a Debian suite (" + ", ".join(kernel_spec.SUITES) + "), "
                        "debian:VERSION (e.g. debian:7.2.11+deb13), built:NAME, a kernel "
                        "image file, or a .deb (several .deb arguments make one kernel: "
                        "image, binary, modules packages); repeatable (default: trixie and "
                        "sid; `kvmct kernels --list`)")
    r.add_argument("--modules", type=Path, metavar="DIR",
                   help="module tree to take kvm.ko, virtio_mmio.ko, virtio_blk.ko from")
    r.add_argument("--kvm-module", type=Path, metavar="PATH",
                   help="load this kvm.ko instead of the kernel's own")
    r.add_argument("--cpu", action="append", metavar="MODEL",
                   help="a CPU model named in tools/kvmctlib/data/cpus.toml (kvmct cpus) "
                        f"or a raw QEMU -cpu string; repeatable (default: {profile.default_cpu})")
    r.add_argument("--filter", metavar="PATTERN", help="GoogleTest filter (--gtest_filter)")
    r.add_argument("--json", type=Path, metavar="FILE", help="write the merged results here")
    r.add_argument("--junit", type=Path, metavar="DIR", help="write one JUnit XML per cell")
    r.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="cells booted at once (default: number of CPUs)")
    r.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                   help="hard limit per cell, boot to poweroff (default: 300)")
    r.add_argument("--suite", type=Path, metavar="PATH",
                   help=f"use this {profile.name} kvmct-suite binary instead of building one")
    r.add_argument("--expected", type=Path, metavar="DIR",
                   help=f"judge by the tables in DIR (like expected/{profile.expected_dir}) "
                        "instead of those built into the suite")
    r.add_argument("-v", "--verbose", action="store_true", help="echo the consoles live")
    r.add_argument("--matrix", metavar="NAME",
                   help="a named set of cells from tools/kvmctlib/data/cpus.toml (default, "
                        "full); --kernel / --cpu replace its kernels / CPUs")
    r.add_argument("--html", type=Path, metavar="FILE",
                   help="also write the HTML report here (every run writes report.html "
                        "into its run directory)")


def _execute(args: argparse.Namespace, ctx: Context) -> int:
    kernel_axis, cpu_axis = run_axes(args.matrix, args.kernel, args.cpu)
    opts = Options(kernels=kernel_axis, cpus=cpu_axis, modules=args.modules,
                   kvm_module=args.kvm_module, gtest_filter=args.filter, json_out=args.json,
                   junit_dir=args.junit, html_out=args.html, jobs=args.jobs,
                   timeout_s=args.timeout, suite=args.suite, verbose=args.verbose,
                   expected=args.expected)
    return execute(opts, ctx.cache, ctx.progress, ["kvmct", *ctx.argv])


RUN = Command("run", "boot every cell (kernel x CPU) and run kvmct-suite", add_arguments,
              _execute)
