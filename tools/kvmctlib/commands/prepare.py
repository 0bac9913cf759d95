# SPDX-License-Identifier: MIT
# The commands that prepare a machine: `setup` (the build root), `kernels` (the default
# Debian kernels), `build` (both CMake trees) and `exec` (a command inside the root).
from __future__ import annotations

import argparse
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

from .. import lock
from ..acquire import archive, buildroot, kernel_spec, kernels, runnable
from ..build import cmake
from .base import Command, Context, no_arguments

# Variables `kvmct exec` hands to the command inside the root (its environment is fixed).
_PASS_ENV = ("KVMCT_UPDATE_GOLDEN", "CI", "PYTHONDONTWRITEBYTECODE")


def _setup_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true", help="recreate it even if it is current")


def _setup(args: argparse.Namespace, ctx: Context) -> int:
    with lock.exclusive(ctx.cache, ctx.progress):
        root = buildroot.ensure(ctx.cache, ctx.progress, force=args.force)
    print(f"build root: {root.path}")
    return 0


def _kernels_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--refresh", action="store_true",
                   help="resolve the newest versions again and re-download them (the "
                        "default kernels and every suite kernel in the cache)")
    p.add_argument("--list", action="store_true",
                   help="print every kernel a run can take: cached, built from source, and "
                        "each Debian suite's (reads the suites' indices; downloads no kernel)")


def _list(ctx: Context) -> int:
    def one(suite: str) -> runnable.SuiteListing:
        return runnable.gather(suite, lambda s: kernels.suite_offers(ctx.cache, s, ctx.progress),
                               archive.head_status)

    with lock.exclusive(ctx.cache, ctx.progress), \
            ThreadPoolExecutor(max_workers=len(kernel_spec.SUITES)) as pool:
        suites = list(pool.map(one, kernel_spec.SUITES))
        found = [(k, kernels.spec_of(ctx.cache, k.name)) for k in kernels.cached(ctx.cache)]
    print(runnable.render(found, suites))
    return 0


def _kernels(args: argparse.Namespace, ctx: Context) -> int:
    if args.list:
        return _list(ctx)
    with lock.exclusive(ctx.cache, ctx.progress):
        # --refresh also moves every other suite kernel a run fetched (trixie-backports, ...)
        extra = tuple(kernels.KernelSource(k.name, k.suite) for k in kernels.cached(ctx.cache)
                      if args.refresh and k.name == k.suite and k.suite in kernel_spec.SUITES
                      and k.name not in {d.name for d in kernels.DEFAULT_KERNELS})
        found = kernels.ensure(ctx.cache, ctx.progress, refresh=args.refresh,
                               sources=kernels.DEFAULT_KERNELS + extra)
    for k in found:
        print(f"{k.name}: {k.package} {k.version} ({k.suite}), release {k.release}")
    return 0


def _build(args: argparse.Namespace, ctx: Context) -> int:
    with lock.exclusive(ctx.cache, ctx.progress):
        root = buildroot.ensure(ctx.cache, ctx.progress)
        cmake.ensure(root, ctx.progress)
    print(f"built: {ctx.cache.build_dir(root.key)}")
    return 0


def _exec_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("argv", nargs=argparse.REMAINDER, help="command (after --)")


def _exec(args: argparse.Namespace, ctx: Context) -> int:
    cmd = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    if not cmd:
        ctx.progress.error("exec: no command given")
        return 2
    with lock.exclusive(ctx.cache, ctx.progress):
        root = buildroot.ensure(ctx.cache, ctx.progress)
    passed = [f"{k}={os.environ[k]}" for k in _PASS_ENV if k in os.environ]
    return subprocess.call(root.chroot().argv(cmd, workdir="/src", env=passed))


SETUP = Command("setup", "create the Debian trixie build root (mmdebstrap)",
                _setup_arguments, _setup)
KERNELS = Command("kernels", "resolve, download and unpack the default kernels; --list: "
                  "what can be run",
                  _kernels_arguments, _kernels)
BUILD = Command("build", "configure (once) and build host tests and kvmct-suite",
                no_arguments, _build)
EXEC = Command("exec", "run a command inside the build root (repo at /src, build trees at "
                       "/build)", _exec_arguments, _exec)
