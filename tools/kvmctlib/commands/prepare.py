# SPDX-License-Identifier: MIT
# The commands that prepare a machine: `setup` (the build root), `kernels` (each
# architecture's default Debian kernels), `build` (the host tree and each architecture's cross
# tree) and `exec` (a command inside the root).
from __future__ import annotations

import argparse
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

from .. import arch, lock
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


def _arch_argument(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--arch", action="append", choices=arch.names(),
                   help=f"{what} of this architecture only; repeatable (default: every one)")


def _profiles(args: argparse.Namespace) -> tuple[arch.Profile, ...]:
    return tuple(arch.load(a) for a in dict.fromkeys(args.arch)) if args.arch else arch.every()


def _kernels_arguments(p: argparse.ArgumentParser) -> None:
    _arch_argument(p, "the kernels")
    p.add_argument("--refresh", action="store_true",
                   help="resolve the newest versions again and re-download them (the "
                        "default kernels and every suite kernel in the cache)")
    p.add_argument("--list", action="store_true",
                   help="print every kernel a run can take: cached, built from source, and "
                        "each Debian suite's (reads the suites' indices; downloads no kernel)")


def _list(ctx: Context, profiles: tuple[arch.Profile, ...]) -> int:
    for i, profile in enumerate(profiles):
        def one(suite: str) -> runnable.SuiteListing:
            return runnable.gather(
                suite, lambda s: kernels.suite_offers(ctx.cache, profile, s, ctx.progress),
                archive.head_status)

        with lock.exclusive(ctx.cache, ctx.progress), \
                ThreadPoolExecutor(max_workers=len(kernel_spec.SUITES)) as pool:
            kernels.migrate(ctx.cache)
            suites = list(pool.map(one, kernel_spec.SUITES))
            found = [(k, kernels.spec_of(ctx.cache, profile, k.name))
                     for k in kernels.cached(ctx.cache, profile)]
        print(("\n" if i else "") + f"== {profile.name} (run --arch {profile.name})")
        print(runnable.render(found, suites))
    return 0


def _kernels(args: argparse.Namespace, ctx: Context) -> int:
    profiles = _profiles(args)
    if args.list:
        return _list(ctx, profiles)
    for profile in profiles:
        with lock.exclusive(ctx.cache, ctx.progress):
            kernels.migrate(ctx.cache)
            # --refresh also moves every other suite kernel a run fetched (trixie-backports, ...)
            extra = tuple(kernels.KernelSource(k.name, k.suite)
                          for k in kernels.cached(ctx.cache, profile)
                          if args.refresh and k.name == k.suite and k.suite in kernel_spec.SUITES
                          and k.name not in {d.name for d in kernels.DEFAULT_KERNELS})
            found = kernels.ensure(ctx.cache, profile, ctx.progress, refresh=args.refresh,
                                   sources=kernels.DEFAULT_KERNELS + extra)
        for k in found:
            print(f"{profile.name} {k.name}: {k.package} {k.version} ({k.suite}), "
                  f"release {k.release}")
    return 0


def _build_arguments(p: argparse.ArgumentParser) -> None:
    _arch_argument(p, "the host tree and the suite")


def _build(args: argparse.Namespace, ctx: Context) -> int:
    with lock.exclusive(ctx.cache, ctx.progress):
        root = buildroot.ensure(ctx.cache, ctx.progress)
        cmake.ensure(root, ctx.progress,
                     (cmake.HOST, *(cmake.target(p) for p in _profiles(args))))
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
BUILD = Command("build", "configure (once) and build host tests and each architecture's "
                "kvmct-suite", _build_arguments, _build)
EXEC = Command("exec", "run a command inside the build root (repo at /src, build trees at "
                       "/build)", _exec_arguments, _exec)
