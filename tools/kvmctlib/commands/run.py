# SPDX-License-Identifier: MIT
# `kvmct run`: validate the request, make sure root/kernels/builds exist, pack and boot every
# cell (architecture x kernel x CPU) in parallel, then report, write --json/--junit and pick
# the exit code.
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

from .. import arch, cpus, lock, selection
from ..acquire import buildroot, built_kernel, custom_kernel, kernel_spec, kernels, local_debs
from ..build import cmake
from ..errors import KvmctError
from ..cell import boot, initramfs, modinfo, modules, qemu
from ..judge import results
from ..reports import live, publish, report
from ..log import Progress
from ..paths import Cache
from .base import Command, Context

KEEP_RUNS = 10


@dataclass(frozen=True)
class Options:
    kernels: tuple[str, ...] = ()  # --kernel arguments (empty: each matrix's kernels)
    cpus: tuple[str, ...] = ()  # --cpu arguments (empty: each matrix's CPU models)
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
    arches: tuple[str, ...] = ()  # --arch (empty: every architecture the arguments allow)
    matrix: str | None = None
    suite_args: tuple[str, ...] = ()  # more kvmct-suite flags (`bench --atomics`)


def _image_arch(path: Path, found_facts: custom_kernel.ImageFacts | None) -> arch.Profile:
    """The architecture a user's kernel image is for, from its Image header (the header the
    inspection kept, when it read the image)."""
    data = found_facts.head if found_facts is not None else \
        custom_kernel.uncompressed(path.read_bytes())
    found = arch.of_image(data)
    if found is None:
        raise custom_kernel.KernelImageError(
            f"{path}: no kernel Image header of any architecture ("
            + ", ".join(f"{p.name}: {p.image_magic.magic!r} at {p.image_magic.offset}"
                        for p in arch.every()) + ")")
    return found


def plan(opts: Options, cache: Cache | None = None,
         inspected: dict[str, custom_kernel.Inspection] | None = None
         ) -> tuple[list[selection.Axes], list[str]]:
    """The run's axes per architecture and everything wrong with the request, found before
    anything boots. A PATH kernel's inspection goes into `inspected`, so its image is
    decompressed once per run; `cache` says which architectures have a built:NAME."""
    errors: list[str] = []
    valid: list[str] = []
    for arg in opts.kernels:  # every bad --kernel, not only the first
        try:
            kernel_spec.parse(arg)
            valid.append(arg)
        except kernel_spec.KernelSpecError as e:
            errors.append(str(e))
    bound: dict[str, str] = {}  # --kernel argument -> the one architecture it runs on
    for parsed in kernel_spec.parse_all(tuple(valid)):
        if isinstance(parsed.spec, kernel_spec.Debs):
            try:  # which packages, one kernel, nothing missing: before any download
                debs = local_debs.read(list(parsed.spec.paths))
                debian_arch = local_debs.architecture(debs)
                owner = [p for p in arch.every() if p.debian_arch == debian_arch]
                if not owner:
                    raise local_debs.LocalDebError(
                        f"{parsed.arg}: a {debian_arch} kernel; kvmct has no such "
                        f"architecture ({', '.join(arch.names())})")
                local_debs.group(debs, debian_arch)
                bound[parsed.arg] = owner[0].name
            except local_debs.LocalDebError as e:
                errors.append(str(e))
        elif isinstance(parsed.spec, kernel_spec.Image):
            try:
                facts = None
                if opts.modules is None or opts.modules.is_dir():
                    # its version, its modules and where KVM is, before anything boots
                    found = custom_kernel.inspect(parsed.spec.path, opts.modules, opts.kvm_module)
                    facts = found.facts
                    if inspected is not None:
                        inspected[parsed.arg] = found
                bound[parsed.arg] = _image_arch(parsed.spec.path, facts).name
            except custom_kernel.KernelImageError as e:
                errors.append(f"--kernel {parsed.arg}: {e}")
        elif isinstance(parsed.spec, kernel_spec.Built) and cache is not None:
            have = built_kernel.architectures(cache, parsed.spec.name)
            if len(have) == 1:
                bound[parsed.arg] = have[0]
    axes: list[selection.Axes] = []
    try:
        axes = selection.select(list(opts.arches) or None, opts.matrix,
                                [k for k in opts.kernels if k in valid] or None,
                                list(opts.cpus) or None, bound, arch.every())
    except (selection.SelectionError, cpus.CpuTableError) as e:
        errors.append(str(e))
    if opts.modules is not None and not opts.modules.is_dir():
        errors.append(f"--modules {opts.modules}: not a directory")
    if opts.kvm_module is not None and not opts.kvm_module.is_file():
        errors.append(f"--kvm-module {opts.kvm_module}: no such file")
    if opts.kvm_module is not None and modules.module_name(opts.kvm_module.name) is None:
        errors.append(f"--kvm-module {opts.kvm_module}: not a .ko / .ko.xz file")
    for a in axes:
        if opts.kvm_module is not None and not a.profile.kvm_modular:
            errors.append(f"--kvm-module: {a.profile.name} KVM is built into the kernel "
                          "(CONFIG_KVM=y), there is no module to replace; choose --arch")
        if opts.expected is not None and not (opts.expected / a.profile.catalogue).is_file():
            errors.append(f"--expected {opts.expected}: no {a.profile.catalogue} in it "
                          f"(the {a.profile.name} catalogue)")
        for model in a.cpus:
            if not model.qemu or any(ch.isspace() for ch in model.qemu):
                errors.append(f"--cpu {model.qemu!r}: not a QEMU CPU model")
    if opts.suite is not None and not opts.suite.is_file():
        errors.append(f"--suite {opts.suite}: no such file")
    if opts.suite is not None and len(axes) > 1:
        errors.append(f"--suite {opts.suite}: one architecture's binary, but the run has "
                      f"{', '.join(a.profile.name for a in axes)}; choose one with --arch")
    if opts.jobs < 1:
        errors.append("--jobs must be at least 1")
    if opts.timeout_s <= 0:
        errors.append("--timeout must be positive")
    return axes, errors


def validate(opts: Options, inspected: dict[str, custom_kernel.Inspection] | None = None,
             cache: Cache | None = None) -> list[str]:
    """Everything that can be wrong with the request (plan's errors)."""
    return plan(opts, cache, inspected)[1]


def cell_modules(profile: arch.Profile, tree: Path | None, kvm_module: Path | None,
                 progress: Progress, label: str) -> list[initramfs.Module]:
    table = modules.index_tree(tree) if tree is not None else {}
    if kvm_module is not None:
        table["kvm"] = kvm_module
    resolved = modules.load_order(profile.cell_modules, modules.tree_deps(table))
    for name in resolved.missing:
        progress.step(f"[{label}] no module {name}: assuming it is built into the kernel")
    return [initramfs.Module(n, modinfo.decompress(table[n])) for n in resolved.order]


def expected_tables(directory: Path) -> dict[str, bytes]:
    """Every table of an --expected directory, by file name (the names the suite embeds)."""
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.yaml"))}


def _prune(runs: Path) -> None:
    old = sorted(p for p in runs.iterdir() if p.is_dir())[:-KEEP_RUNS]
    for p in old:
        shutil.rmtree(p, ignore_errors=True)


def _stripped(root: buildroot.BuildRoot, profile: arch.Profile, suite: Path, run_dir: Path,
              progress: Progress) -> bytes:
    """The suite without debug info: 20 MB less initramfs for the emulated kernel to unpack
    (the unstripped binary stays in the build tree for gdb)."""
    staged = run_dir / f"kvmct-suite-{profile.name}.full"
    shutil.copy(suite, staged)
    out = run_dir / f"kvmct-suite-{profile.name}"
    done = subprocess.run(root.chroot().argv([profile.strip, "--strip-debug", "-o",
                                              root.inside(out), root.inside(staged)]),
                          capture_output=True, stdin=subprocess.DEVNULL)
    staged.unlink()
    if done.returncode != 0 or not out.is_file():
        progress.step(f"could not strip the {profile.name} kvmct-suite; packing it with its "
                      "debug info")
        return suite.read_bytes()
    return out.read_bytes()


@dataclass(frozen=True)
class Prepared:
    """What every cell of a run shares, once the machine is ready."""

    root: buildroot.BuildRoot
    # every --kernel but an image file, by architecture and argument
    by_arg: dict[tuple[str, str], kernels.Kernel]
    suites: dict[str, Path]  # the kvmct-suite binary of each architecture


def _prepare(opts: Options, axes: list[selection.Axes], cache: Cache,
             progress: Progress) -> Prepared:
    """Build root, every kernel asked for but image files and (unless --suite) each
    architecture's suite build. Each architecture's default suites are fetched in parallel,
    as `kvmct kernels` does."""
    by_arg: dict[tuple[str, str], kernels.Kernel] = {}
    with lock.exclusive(cache, progress):
        root = buildroot.ensure(cache, progress)
        kernels.migrate(cache)
        for a in axes:
            specs = kernel_spec.parse_all(a.kernels)
            suites = tuple(dict.fromkeys(p.spec.suite for p in specs
                                         if isinstance(p.spec, kernel_spec.Suite)))
            if suites:
                fetched = kernels.ensure(cache, a.profile, progress,
                                         sources=tuple(kernels.KernelSource(s, s) for s in suites))
                by_arg.update({(a.profile.name, k.name): k for k in fetched})
            for p in specs:
                if not isinstance(p.spec, (kernel_spec.Image, kernel_spec.Suite)):
                    by_arg[(a.profile.name, p.arg)] = kernel_spec.resolve(p.spec, a.profile,
                                                                          cache, progress)
        if opts.suite is None:
            cmake.ensure(root, progress, tuple(cmake.target(a.profile) for a in axes))
    build = cache.build_dir(root.key)
    return Prepared(root, by_arg, {a.profile.name: opts.suite or
                                   build / cmake.suite_binary(a.profile) for a in axes})


def _qemu_refuses(axes: list[selection.Axes], root: buildroot.BuildRoot) -> str:
    """'' when QEMU accepts every CPU model of the run, else the first complaint."""
    for a in axes:
        profile = a.profile
        for qemu_cpu in sorted({m.qemu for m in a.cpus}):
            complaint = cpus.preflight(root.chroot().argv, profile.qemu, profile.machine,
                                       qemu_cpu)
            if complaint:
                return f"--cpu {qemu_cpu} ({profile.name}): QEMU refuses it: {complaint}"
            if profile.kvm_host is None:  # the profile's machine hosts KVM on every model
                continue
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


@dataclass(frozen=True)
class Job:
    spec: boot.Spec
    kernel: kernels.Kernel
    profile: arch.Profile


def _cells(opts: Options, axes: list[selection.Axes], prepared: Prepared, run_dir: Path,
           inspected: dict[str, custom_kernel.Inspection]) -> list[Job]:
    """One cell per architecture x kernel x CPU model, in that order, each with its
    directory; two cells of one name are an error (SelectionError)."""
    pairs: list[tuple[arch.Profile, kernels.Kernel, cpus.CpuModel]] = []
    for a in axes:
        for parsed in kernel_spec.parse_all(a.kernels):
            kernel = prepared.by_arg.get((a.profile.name, parsed.arg)) or kernels.from_path(
                a.profile, Path(parsed.arg), opts.modules, opts.kvm_module,
                inspected.get(parsed.arg))
            pairs += [(a.profile, kernel, model) for model in a.cpus]
    names = selection.cell_names([(k.name, m.name) for _, k, m in pairs])
    jobs: list[Job] = []
    for cname, (profile, kernel, model) in zip(names, pairs):
        directory = run_dir / cname
        image = kernel.image
        if prepared.root.cache.root not in image.resolve().parents:
            directory.mkdir(parents=True, exist_ok=True)
            image = Path(shutil.copy(image, directory / "Image"))
        described = kernel.describe()
        if opts.kvm_module is not None:
            described["kvm_module"] = str(opts.kvm_module.resolve())
        jobs.append(Job(boot.Spec(cname, described, image, model.qemu, directory,
                                  opts.timeout_s, model.name, profile.name, model.kernel_args),
                        kernel, profile))
    return jobs


@dataclass(frozen=True)
class Platform:
    """What the cells of one architecture share: how QEMU starts, busybox and the suite."""

    launcher: boot.Launcher
    busybox: bytes
    suite: bytes


def _boot_all(opts: Options, jobs: list[Job], platforms: dict[str, Platform],
              targets: publish.Targets, progress: Progress, started: str,
              argv: list[str]) -> list[boot.Outcome]:
    """Boot the cells, --jobs at a time; on Ctrl-C, SIGTERM or a cell that could not even
    start, stop every QEMU and publish the cells that had finished."""
    expected = expected_tables(opts.expected) if opts.expected is not None else None
    reaper = qemu.Reaper()
    finished: dict[int, boot.Outcome] = {}

    def one(job: Job) -> boot.Outcome:
        spec, kernel, platform = job.spec, job.kernel, platforms[job.profile.name]
        board.set(spec.name, "packing")
        # A PATH kernel's modules are the release directory from_path picked out of --modules.
        tree = kernel.modules if not kernel.package else (opts.modules or kernel.modules)
        mods = cell_modules(job.profile, tree, opts.kvm_module, progress, spec.name)
        config = kernel.config.read_bytes() if kernel.config is not None else None
        initrd = boot.pack(spec, initramfs.entries(platform.busybox, platform.suite, mods,
                                                   opts.gtest_filter, expected, config,
                                                   opts.suite_args))
        outcome = boot.run(spec, initrd, platform.launcher, progress, opts.verbose, reaper,
                           board.feed)
        progress.block(report.cell_block(outcome))
        board.done(spec.name, outcome.verdict.status, report.counts_text(outcome))
        return outcome

    firmware = {j.spec.name: j.profile.firmware.name for j in jobs if j.profile.firmware}
    with live.Board(progress, [j.spec.name for j in jobs], firmware=firmware) as board, \
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
                          progress, [j.spec.name for i, j in enumerate(jobs) if i not in finished])
            raise
    return [finished[i] for i in sorted(finished)]


def _platform(prepared: Prepared, profile: arch.Profile, run_dir: Path,
              progress: Progress) -> Platform:
    chroot = prepared.root.chroot()
    launcher = boot.Launcher(profile.qemu, profile.machine, chroot.argv, prepared.root.inside,
                             qemu.version(chroot.argv, profile.qemu), profile.console,
                             profile.kernel_args,
                             profile.firmware.banner if profile.firmware else None,
                             profile.qemu_args)
    progress.step(f"{profile.name}: QEMU {launcher.qemu_version or '(version unknown)'}")
    busybox = prepared.root.path / profile.unpacked_dir.lstrip("/") / "usr" / "bin" / "busybox"
    return Platform(launcher, busybox.read_bytes(),
                    _stripped(prepared.root, profile, prepared.suites[profile.name], run_dir,
                              progress))


def execute(opts: Options, cache: Cache, progress: Progress, argv: list[str]) -> int:
    inspected: dict[str, custom_kernel.Inspection] = {}
    axes, problems = plan(opts, cache, inspected)
    for p in problems:
        progress.error(p)
    if problems:
        return 2
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    prepared = _prepare(opts, axes, cache, progress)
    for name, suite in prepared.suites.items():
        if not suite.is_file():
            progress.error(f"the {name} kvmct-suite not found at {suite}")
            return 2
    complaint = _qemu_refuses(axes, prepared.root)
    if complaint:
        progress.error(complaint)
        return 2
    run_dir = _run_dir(cache)
    progress.step(f"run directory {run_dir}")
    try:
        jobs = _cells(opts, axes, prepared, run_dir, inspected)
    except selection.SelectionError as e:
        progress.error(str(e))
        return 2
    platforms = {a.profile.name: _platform(prepared, a.profile, run_dir, progress) for a in axes}
    targets = publish.Targets(run_dir, opts.json_out, opts.junit_dir, opts.html_out)
    outcomes = _boot_all(opts, jobs, platforms, targets, progress, started, argv)
    merged = publish.write([results.cell_document(o) for o in outcomes], targets, started,
                           argv, progress)
    return results.exit_code(merged["status"])


def add_arguments(r: argparse.ArgumentParser) -> None:
    r.add_argument("--arch", action="append", metavar="ARCH", choices=arch.names(),
                   help="an architecture (" + ", ".join(arch.names()) + "); repeatable "
                        "(default: every one the --kernel / --cpu / --matrix arguments allow)")
    r.add_argument("--kernel", action="append", metavar="SPEC",
                   help="a Debian suite (" + ", ".join(kernel_spec.SUITES) + "), "
                        "debian:VERSION (e.g. debian:7.2.11+deb13), built:NAME, a kernel "
                        "image file (its architecture from its Image header), or a .deb "
                        "(several .deb arguments make one kernel: image, binary, modules "
                        "packages; the architecture from the packages); repeatable "
                        "(default: the matrix's, trixie and sid; `kvmct kernels --list`)")
    r.add_argument("--modules", type=Path, metavar="DIR",
                   help="module tree to take kvm.ko, virtio_mmio.ko, virtio_blk.ko from")
    r.add_argument("--kvm-module", type=Path, metavar="PATH",
                   help="load this kvm.ko instead of the kernel's own (where KVM is a module)")
    r.add_argument("--cpu", action="append", metavar="MODEL",
                   help="a CPU model named in tools/kvmctlib/data/arch/*/cpus.toml (kvmct cpus;"
                        " it replaces its architecture's CPU axis) or a raw QEMU -cpu string "
                        "(with one --arch); repeatable (default: the matrix's)")
    r.add_argument("--filter", metavar="PATTERN", help="GoogleTest filter (--gtest_filter)")
    r.add_argument("--json", type=Path, metavar="FILE", help="write the merged results here")
    r.add_argument("--junit", type=Path, metavar="DIR", help="write one JUnit XML per cell")
    r.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="cells booted at once (default: number of CPUs)")
    r.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                   help="hard limit per cell, boot to poweroff (default: 300)")
    r.add_argument("--suite", type=Path, metavar="PATH",
                   help="use this kvmct-suite binary (of the run's one architecture) instead "
                        "of building one")
    r.add_argument("--expected", type=Path, metavar="DIR",
                   help="judge by the tables in DIR (like expected/<arch>/) instead of those "
                        "built into the suite")
    r.add_argument("-v", "--verbose", action="store_true", help="echo the consoles live")
    r.add_argument("--matrix", metavar="NAME",
                   help="a named set of cells of tools/kvmctlib/data/arch/*/cpus.toml (default:"
                        " `default` of every architecture); --kernel / --cpu replace its axes")
    r.add_argument("--html", type=Path, metavar="FILE",
                   help="also write the HTML report here (every run writes report.html "
                        "into its run directory)")


def forwarded_options(run_args: list[str], forwarding: bool, kernel_is: str) -> argparse.Namespace | None:
    """The options a build command hands on to `kvmct run` after its --run, parsed before
    anything is built so that a bad one exits 2 (argparse) first; None without --run. The run's
    kernel is the build's (`kernel_is` says which), so a --kernel among them is refused."""
    if not forwarding:
        if run_args:
            raise KvmctError(f"unrecognized arguments (run options need --run): {' '.join(run_args)}")
        return None
    parser = argparse.ArgumentParser(prog="kvmct")
    add_arguments(parser)
    parsed = parser.parse_args(run_args)
    if parsed.kernel:
        raise KvmctError(f"--run: the kernel is {kernel_is}; no --kernel")
    return parsed


def options(args: argparse.Namespace) -> Options:
    return Options(kernels=tuple(args.kernel or ()), cpus=tuple(args.cpu or ()),
                   modules=args.modules, kvm_module=args.kvm_module, gtest_filter=args.filter,
                   json_out=args.json, junit_dir=args.junit, html_out=args.html,
                   jobs=args.jobs, timeout_s=args.timeout, suite=args.suite,
                   verbose=args.verbose, expected=args.expected,
                   arches=tuple(args.arch or ()), matrix=args.matrix)


def _execute(args: argparse.Namespace, ctx: Context) -> int:
    return execute(options(args), ctx.cache, ctx.progress, ["kvmct", *ctx.argv])


RUN = Command("run", "boot every cell (architecture x kernel x CPU) and run kvmct-suite",
              add_arguments, _execute)
