# SPDX-License-Identifier: MIT
# `kvmct kvm-module`: build kvm.ko out of tree from a Linux source against a default Debian
# kernel's headers (build/kvm_module.py), optionally then `kvmct run` with it.
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from .. import arch, lock
from ..acquire import kernel_source, kernels
from ..build import kvm_module
from . import run
from .base import Command, Context


def _arguments(k: argparse.ArgumentParser) -> None:
    modular = arch.modular()  # arm64's KVM cannot be a module: CONFIG_KVM is a bool
    k.add_argument("--arch", choices=[p.name for p in modular], default=modular[0].name,
                   help=f"the kernel's architecture (default: {modular[0].name})")
    k.add_argument("--source", required=True, metavar="PATH|debian",
                   help="kernel source tree or tarball; `debian`: the kernel's linux-source")
    k.add_argument("--kernel", default="sid", metavar="NAME",
                   help="default Debian kernel to build for and boot (default: sid)")
    k.add_argument("--run", action="store_true",
                   help="then `kvmct run --kernel NAME --kvm-module <built kvm.ko>`")
    k.add_argument("--unpack", type=Path, metavar="DIR",
                   help=f"instead of building: write the source's KVM part "
                        "(arch/<arch>/kvm, virt/kvm, Makefile, KVM headers) into DIR, "
                        "a tree to edit and pass as --source")
    k.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="also copy the built (stripped) kvm.ko here")
    k.add_argument("--allow-version-mismatch", action="store_true",
                   help="build even when source and kernel are different series")


def _execute(args: argparse.Namespace, ctx: Context) -> int:
    """Build kvm.ko; with --run go on to `kvmct run` with the options meant for it."""
    cache, progress, run_args = ctx.cache, ctx.progress, ctx.extra
    run.forwarded_options(run_args, args.run, f"the one kvm.ko is built for (--kernel {args.kernel})")
    names = {k.name: k for k in kernels.DEFAULT_KERNELS}
    if args.kernel not in names:
        progress.error(f"--kernel {args.kernel}: kvm-module builds for a default Debian kernel "
                       f"({', '.join(sorted(names))})")
        return 2
    with lock.exclusive(cache, progress):
        profile = arch.load(args.arch)
        kernel = kernels.ensure(cache, profile, progress, sources=(names[args.kernel],))[0]
        source = kvm_module.fetch_debian_source(cache, kernel, progress) if args.source == "debian" \
            else Path(args.source).expanduser()
        if args.unpack is not None:
            files, label = kvm_module.source_files(cache, kernel_source.Layout(profile), source,
                                                   progress)
            copied = kernel_source.sync(files, args.unpack)
            print(f"{args.unpack}: {len(copied)} files of {label} "
                  f"(Linux {kernel_source.makefile_version(files['Makefile'].read_text())}); "
                  f"edit them and pass --source {args.unpack}")
            return 0
        built = kvm_module.build(cache, kernel, source, progress, args.allow_version_mismatch)
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built.ko, args.output)
    print(kvm_module.summary(built), flush=True)
    if not args.run:
        return 0
    argv = ["run", "--arch", kernel.arch, "--kernel", kernel.name, "--kvm-module", str(built.ko), *run_args]
    progress.step(f"kvmct {' '.join(argv)}")
    return ctx.main((["-q"] if args.quiet else []) + argv)


KVM_MODULE = Command(
    "kvm-module", "build kvm.ko out of tree from a Linux source against a Debian kernel's "
                  "headers, optionally run the suite with it", _arguments, _execute,
    description="Build kvm.ko from SOURCE (a tree, or a linux-source-*.tar.xz / "
                "linux-*.tar.xz; `debian` downloads the kernel's linux-source-X.Y) against "
                "linux-headers-<release> of a default Debian kernel. With --run, any "
                "further options go to `kvmct run` (e.g. --cpu max --filter 'IsaExt*').",
    takes_extra=True)
