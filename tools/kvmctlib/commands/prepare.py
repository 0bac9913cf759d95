# SPDX-License-Identifier: MIT
# The commands that prepare a machine: `setup` (the build root), `kernels` (the default
# Debian kernels), `build` (both CMake trees) and `exec` (a command inside the root).
from __future__ import annotations

import argparse
import os
import subprocess

from .. import lock
from ..acquire import buildroot, kernels
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
                   help="resolve the newest versions again and re-download if they moved")


def _kernels(args: argparse.Namespace, ctx: Context) -> int:
    with lock.exclusive(ctx.cache, ctx.progress):
        found = kernels.ensure(ctx.cache, ctx.progress, refresh=args.refresh)
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
KERNELS = Command("kernels", "resolve, download and unpack the default kernels",
                  _kernels_arguments, _kernels)
BUILD = Command("build", "configure (once) and build host tests and kvmct-suite",
                no_arguments, _build)
EXEC = Command("exec", "run a command inside the build root (repo at /src, build trees at "
                       "/build)", _exec_arguments, _exec)
