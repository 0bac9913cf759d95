# SPDX-License-Identifier: MIT
# `kvmct run`: validate the request, make sure root/kernels/build exist, pack and boot every
# cell (kernel x CPU) in parallel, then report, write --json/--junit and pick the exit code.
from __future__ import annotations

import re
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .. import arch, cpus, lock
from ..acquire import buildroot, custom_kernel, kernels
from ..build import cmake
from ..cell import boot, initramfs, modinfo, modules, qemu
from ..judge import results
from ..reports import live, publish, report
from ..log import Progress
from ..paths import Cache

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


def validate(opts: Options,
             inspected: dict[str, custom_kernel.Inspection] | None = None) -> list[str]:
    """Everything that can be wrong with the request, found before anything boots. A PATH
    kernel's inspection goes into `inspected`, so its image is decompressed once per run."""
    errors: list[str] = []
    named = {k.name for k in kernels.DEFAULT_KERNELS}
    for k in opts.kernels:
        if k not in named and not Path(k).is_file():
            errors.append(f"--kernel {k}: neither a known kernel ({', '.join(sorted(named))}) "
                          "nor an existing image file")
        elif k not in named and (opts.modules is None or opts.modules.is_dir()):
            try:  # its version, its modules and where KVM is, before anything boots
                found = custom_kernel.inspect(Path(k), opts.modules, opts.kvm_module)
                if inspected is not None:
                    inspected[k] = found
            except custom_kernel.KernelImageError as e:
                errors.append(f"--kernel {k}: {e}")
    if opts.modules is not None and not opts.modules.is_dir():
        errors.append(f"--modules {opts.modules}: not a directory")
    if opts.kvm_module is not None and not opts.kvm_module.is_file():
        errors.append(f"--kvm-module {opts.kvm_module}: no such file")
    if opts.kvm_module is not None and modules.module_name(opts.kvm_module.name) is None:
        errors.append(f"--kvm-module {opts.kvm_module}: not a .ko / .ko.xz file")
    if opts.suite is not None and not opts.suite.is_file():
        errors.append(f"--suite {opts.suite}: no such file")
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


def execute(opts: Options, cache: Cache, progress: Progress, argv: list[str]) -> int:
    inspected: dict[str, custom_kernel.Inspection] = {}
    problems = validate(opts, inspected)
    if problems:
        for p in problems:
            progress.error(p)
        return 2
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    wanted = [k for k in opts.kernels if k in {s.name for s in kernels.DEFAULT_KERNELS}]
    sources = tuple(s for s in kernels.DEFAULT_KERNELS if s.name in wanted)
    with lock.exclusive(cache, progress):
        root = buildroot.ensure(cache, progress)
        by_name = {k.name: k for k in kernels.ensure(cache, progress, sources=sources)}
        if opts.suite is None:
            cmake.ensure(root, progress, (cmake.target(),))
    suite_path = opts.suite or cache.build_dir(root.key) / cmake.suite_binary()
    if not suite_path.is_file():
        progress.error(f"kvmct-suite not found at {suite_path}")
        return 2
    models, profile = cpus.load(), arch.load()
    for qemu_cpu in sorted({models.resolve(c).qemu for c in opts.cpus}):
        complaint = cpus.preflight(root.chroot().argv, profile.qemu, profile.machine, qemu_cpu)
        if complaint:
            progress.error(f"--cpu {qemu_cpu}: QEMU refuses it: {complaint}")
            return 2
    run_dir = cache.runs / time.strftime("%Y%m%d-%H%M%S")
    while run_dir.exists():
        run_dir = run_dir.with_name(run_dir.name + "x")
    run_dir.mkdir(parents=True)
    _prune(cache.runs)
    chroot = root.chroot()
    launcher = boot.Launcher(profile.qemu, profile.machine, chroot.argv, root.inside,
                             qemu.version(chroot.argv, profile.qemu))
    progress.step(f"QEMU {launcher.qemu_version or '(version unknown)'}; run directory {run_dir}")
    busybox = (root.path / "usr" / "bin" / "busybox").read_bytes()
    suite_bytes = _stripped(root, suite_path, run_dir, progress)

    taken: set[str] = set()
    jobs: list[tuple[boot.Spec, kernels.Kernel]] = []
    for name in opts.kernels:
        kernel = by_name.get(name) or kernels.from_path(Path(name), opts.modules,
                                                        opts.kvm_module, inspected.get(name))
        for model in (models.resolve(c) for c in opts.cpus):
            cname = _cell_name(kernel.name, model.name, taken)
            directory = run_dir / cname
            image = kernel.image
            if cache.root not in image.resolve().parents:
                directory.mkdir(parents=True, exist_ok=True)
                image = Path(shutil.copy(image, directory / "Image"))
            described = kernel.describe()
            if opts.kvm_module is not None:
                described["kvm_module"] = str(opts.kvm_module.resolve())
            jobs.append((boot.Spec(cname, described, image, model.qemu, directory,
                                   opts.timeout_s, model.name), kernel))

    def one(job: tuple[boot.Spec, kernels.Kernel]) -> boot.Outcome:
        spec, kernel = job
        board.set(spec.name, "packing")
        # A PATH kernel's modules are the release directory from_path picked out of --modules.
        tree = kernel.modules if not kernel.package else (opts.modules or kernel.modules)
        mods = cell_modules(tree, opts.kvm_module, progress, spec.name)
        initrd = boot.pack(spec, initramfs.entries(busybox, suite_bytes, mods,
                                                   opts.gtest_filter))
        outcome = boot.run(spec, initrd, launcher, progress, opts.verbose, reaper, board.feed)
        progress.block(report.cell_block(outcome))
        board.done(spec.name, outcome.verdict.status, report.counts_text(outcome))
        return outcome

    reaper = qemu.Reaper()
    targets = publish.Targets(run_dir, opts.json_out, opts.junit_dir, opts.html_out)
    finished: dict[int, boot.Outcome] = {}
    with live.Board(progress, [spec.name for spec, _ in jobs]) as board, \
            ThreadPoolExecutor(max_workers=opts.jobs) as pool:
        futures = {pool.submit(one, job): i for i, job in enumerate(jobs)}
        try:
            for future in as_completed(futures):
                finished[futures[future]] = future.result()
        except BaseException:
            # Ctrl-C, SIGTERM or a cell that could not even start: stop every QEMU, then
            # report the cells that had finished before it.
            reaper.kill_all()
            pool.shutdown(wait=True, cancel_futures=True)
            done = [finished[i] for i in sorted(finished)]
            publish.write([results.cell_document(o) for o in done], targets, started, argv,
                          progress, [s.name for i, (s, _) in enumerate(jobs) if i not in finished])
            raise
    docs = [results.cell_document(finished[i]) for i in sorted(finished)]
    merged = publish.write(docs, targets, started, argv, progress)
    return results.exit_code(merged["status"])
