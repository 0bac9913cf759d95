# SPDX-License-Identifier: MIT
# `kvmct kernel --source`: build a whole KVM-host kernel of one architecture (--arch) from a
# Linux source (build/kernel_build.py) as cell kernel built:NAME, optionally then `kvmct run`.
from __future__ import annotations

import argparse
from pathlib import Path

from .. import arch, lock, selection
from ..acquire import buildroot
from ..build import kernel_build, kernel_source_tree
from . import run
from .base import Command, Context


def _arguments(k: argparse.ArgumentParser) -> None:
    names = arch.names()
    k.add_argument("--arch", choices=names, default=names[0] if len(names) == 1 else None,
                   help="the architecture to build for (ARCH=, CROSS_COMPILE=, vng --arch, "
                        "data/arch/<folder>/kernel/cell.config); default: the one the --run "
                        "options' --cpu models belong to")
    k.add_argument("--source", required=True, metavar="PATH|TARBALL|debian:linux-source-X.Y",
                   help="a Linux source tree, a kernel tarball, or Debian's linux-source-X.Y "
                        "(downloaded from trixie, trixie-backports or sid)")
    k.add_argument("--config", type=Path, metavar="FRAGMENT",
                   help="Kconfig fragment applied last (e.g. a file with CONFIG_KVM=y)")
    k.add_argument("--name", metavar="NAME",
                   help="the kernel's name (run --kernel built:NAME); default: the source's "
                        "name, plus the fragment's when --config is given")
    k.add_argument("-j", "--jobs", type=int, default=kernel_build.default_jobs(),
                   help="make -j (default: the number of CPUs)")
    k.add_argument("--run", action="store_true",
                   help="then `kvmct run --kernel built:NAME` with any further options")


def _execute(args: argparse.Namespace, ctx: Context) -> int:
    """Build the kernel; with --run go on to `kvmct run` with the options meant for it."""
    progress = ctx.progress
    forwarded = run.forwarded_options(ctx.extra, args.run, "the one just built")
    cpu_args: list[str] = list(forwarded.cpu or []) if forwarded else []
    if args.arch is None:
        args.arch = selection.implied_arch(cpu_args, tuple(arch.load(n) for n in arch.names()))
        if args.arch is None:
            progress.error(f"kernel: which architecture? Give --arch ({', '.join(arch.names())}) "
                           "or --run with --cpu models of one architecture")
            return 2
    if args.jobs < 1:
        progress.error("--jobs must be at least 1")
        return 2
    with lock.exclusive(ctx.cache, progress):  # not held during make (build() locks its tree)
        buildroot.ensure(ctx.cache, progress)
        profile = arch.load(args.arch)
        tree = kernel_source_tree.resolve(ctx.cache, profile, args.source, progress)
    name = args.name or tree.name + (f"-{args.config.stem}" if args.config else "")
    request = kernel_build.Request(tree, kernel_source_tree.safe_name(name), args.config,
                                   args.jobs, profile)
    built = kernel_build.build(ctx.cache, request, progress)
    print(kernel_build.summary(built), flush=True)
    if not args.run:
        return 0
    argv = ["run", "--arch", profile.name, "--kernel", f"built:{built.name}", *ctx.extra]
    progress.step(f"kvmct {' '.join(argv)}")
    return ctx.main((["-q"] if args.quiet else []) + argv)


KERNEL = Command(
    "kernel", "build a KVM-host kernel of one architecture from a Linux source, optionally "
              "run the suite on it", _arguments, _execute,
    description="Build a small KVM-host kernel for --arch from SOURCE inside the build "
                "root: base config from virtme-ng's `vng --kconfig`, kvmct's cell fragment "
                "(tools/kvmctlib/data/arch/<folder>/kernel/cell.config), then --config; make "
                "with ccache, incremental in a build tree kept per source and config. The "
                "result is "
                "`run --kernel built:NAME`. With --run, any further options go to `kvmct run` "
                "(e.g. --cpu max --filter 'IsaExt*').",
    takes_extra=True)
