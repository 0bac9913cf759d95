# SPDX-License-Identifier: MIT
# The `kvmct` command line: argparse front end that turns arguments into calls, and turns
# expected failures (KvmctError) into one error line and exit status 2; anything else is a
# bug and keeps its traceback (also exit 2).
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import traceback
from pathlib import Path

from . import arch, lock
from .acquire import buildroot, kernels
from .build import cmake, kvm_module
from .commands import bench, run, subcommands
from .errors import KvmctError
from .log import Progress
from .paths import Cache, cache_root

# Variables `kvmct exec` hands to the command inside the root (its environment is fixed).
_PASS_ENV = ("KVMCT_UPDATE_GOLDEN", "CI", "PYTHONDONTWRITEBYTECODE")


def _parser() -> argparse.ArgumentParser:
    profile = arch.load()
    p = argparse.ArgumentParser(prog="kvmct", description=(
        "Conformance tests for the Linux KVM RISC-V ISA-extension interfaces: build root, "
        "Debian kernels, QEMU RISC-V hosts running kvmct-suite. "
        "Cache: ${KVMCT_CACHE:-${XDG_CACHE_HOME:-~/.cache}/kvmct}."))
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("setup", help="create the Debian trixie build root (mmdebstrap)")
    s.add_argument("--force", action="store_true", help="recreate it even if it is current")

    k = sub.add_parser("kernels", help="resolve, download and unpack the default kernels")
    k.add_argument("--refresh", action="store_true",
                   help="resolve the newest versions again and re-download if they moved")

    sub.add_parser("build", help="configure (once) and build host tests and kvmct-suite")

    r = sub.add_parser("run", help="boot every cell (kernel x CPU) and run kvmct-suite")
    r.add_argument("--kernel", action="append", metavar="NAME|PATH",
                   help="a default kernel (trixie, sid) or a kernel image file; repeatable "
                        "(default: trixie and sid)")
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
    r.add_argument("-v", "--verbose", action="store_true", help="echo the consoles live")
    subcommands.add_run_options(r)

    kvm_module.add_parser(sub)

    b = sub.add_parser("bench", help="time setup, build and boot-to-poweroff (medians)")
    b.add_argument("-n", "--runs", type=int, default=3, help="runs per measurement")
    b.add_argument("--cold", action="store_true",
                   help="also time cold setup and cold build in a scratch cache")

    e = sub.add_parser("exec", help="run a command inside the build root "
                                    "(repo at /src, build trees at /build)")
    e.add_argument("argv", nargs=argparse.REMAINDER, help="command (after --)")
    subcommands.add_parsers(sub)
    return p


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str]) -> int:
    # SIGTERM (a CI timeout) and SIGINT (even where a shell started us with it ignored) both
    # unwind through the run's cleanup, which kills the QEMU process groups.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    parser = _parser()
    # `kvm-module --run` hands options it does not know on to `run`; elsewhere they are errors.
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "kvm-module":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    progress = Progress(quiet=args.quiet)
    cache = Cache(cache_root())
    try:
        return _dispatch(args, cache, progress, argv, extra)
    except KvmctError as e:  # expected and explained: one line
        progress.error(str(e))
        return 2
    except KeyboardInterrupt:
        progress.error("interrupted")
        return 2
    except Exception:  # a bug in kvmct: the traceback is what its author needs
        traceback.print_exc()
        progress.error("internal error (the traceback above is a bug in kvmct)")
        return 2


def _dispatch(args: argparse.Namespace, cache: Cache, progress: Progress,
              argv: list[str], extra: list[str]) -> int:
    if args.command == "setup":
        with lock.exclusive(cache, progress):
            root = buildroot.ensure(cache, progress, force=args.force)
        print(f"build root: {root.path}")
        return 0
    if args.command == "kernels":
        with lock.exclusive(cache, progress):
            found = kernels.ensure(cache, progress, refresh=args.refresh)
        for k in found:
            print(f"{k.name}: {k.package} {k.version} ({k.suite}), release {k.release}")
        return 0
    if args.command == "build":
        with lock.exclusive(cache, progress):
            root = buildroot.ensure(cache, progress)
            cmake.ensure(root, progress)
        print(f"built: {cache.build_dir(root.key)}")
        return 0
    if args.command in subcommands.COMMANDS:
        return subcommands.dispatch(args)
    if args.command == "run":
        kernel_axis, cpu_axis = subcommands.run_axes(args.matrix, args.kernel, args.cpu)
        opts = run.Options(
            kernels=kernel_axis, cpus=cpu_axis, modules=args.modules,
            kvm_module=args.kvm_module, gtest_filter=args.filter, json_out=args.json,
            junit_dir=args.junit, html_out=args.html, jobs=args.jobs, timeout_s=args.timeout,
            suite=args.suite, verbose=args.verbose)
        return run.execute(opts, cache, progress, ["kvmct", *argv])
    if args.command == "kvm-module":
        if args.run:
            _parser().parse_args(["run", *extra])  # a bad run option exits 2 before building
        return kvm_module.command(args, cache, progress, extra, main)
    if args.command == "bench":
        return bench.execute(cache, progress, args.runs, args.cold)
    if args.command == "exec":
        cmd = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
        if not cmd:
            progress.error("exec: no command given")
            return 2
        with lock.exclusive(cache, progress):
            root = buildroot.ensure(cache, progress)
        passed = [f"{k}={os.environ[k]}" for k in _PASS_ENV if k in os.environ]
        return subprocess.call(root.chroot().argv(cmd, workdir="/src", env=passed))
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
