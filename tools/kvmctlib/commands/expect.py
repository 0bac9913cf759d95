# SPDX-License-Identifier: MIT
# `kvmct expect --kernel VERSION [--cpu MODEL | --host-isa STRING] [--json]`: what kvmct holds
# each extension to on that kernel and host, before anything boots. The answer comes from the
# suite's own C++ expectation code (host-tools/expect, built in the host tree) run in the root.
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Callable

from .. import arch, cpus, lock, uapi_header
from ..acquire import buildroot
from ..build import cmake
from ..cell import qemu as qemu_cell
from ..errors import KvmctError
from ..reports import expect_text
from .base import Command, Context

BINARY = "/build/host/host-tools/expect/kvmct-expect"


def expected_dir() -> str:
    """The tables inside the root, from the architecture profile (expected/<dir>/)."""
    return f"/src/expected/{arch.load(uapi_header.ARCH).expected_dir}"


class ExpectError(KvmctError, RuntimeError):
    pass


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kernel", required=True, metavar="VERSION",
                   help="kernel version, e.g. 6.15 or 7.2.13+deb14")
    host = p.add_mutually_exclusive_group()
    host.add_argument("--cpu", metavar="MODEL",
                      help="a CPU model of cpus.toml or a raw -cpu string: its device tree is the host "
                           "(default: the profile's default model)")
    host.add_argument("--host-isa", metavar="STRING", help="the host ISA as an ISA string (the device tree's "
                      "riscv,isa form, e.g. <base>imafdch_zicboz_zaamo)")
    p.add_argument("--kernel-config", type=Path, metavar="FILE",
                   help="the host kernel's .config, for extensions that need a CONFIG option "
                        "(catalogue host_config); without it the device tree is trusted")
    p.add_argument("--json", action="store_true", help="print kvmct-expect's JSON")


def dtb_name(cpu: str) -> str:
    """A file name for a model's device tree: `rv64,zicboz=false` -> rv64_zicboz_false.dtb."""
    return re.sub(r"[^A-Za-z0-9.-]+", "_", cpu).strip("_") + ".dtb"


def dtb_argv(qemu: str, board: str, cpu: str, inside: str) -> list[str]:
    """QEMU writes the device tree of `-M BOARD -cpu CPU` and exits, as a cell would boot it."""
    return qemu_cell.dumpdtb_command(qemu, qemu_cell.Machine(board, cpu), inside)


def expect_argv(kernel: str, dtb: str | None, host_isa: str | None,
                kernel_config: str | None = None) -> list[str]:
    if (dtb is None) == (host_isa is None):
        raise ExpectError("expect: give the host as a device tree or an ISA string, not both")
    host = ["--dtb", dtb] if dtb is not None else ["--host-isa", str(host_isa)]
    config = ["--kernel-config", kernel_config] if kernel_config is not None else []
    return [BINARY, "--kernel", kernel, *host, *config, "--expected", expected_dir()]


# Runs an argv inside the build root (or, in the tests, where they already are) for its stdout.
Runner = Callable[[list[str], str], str]


def run_checked(argv: list[str], what: str) -> str:
    done = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        err = done.stderr.decode(errors="replace").strip().splitlines()
        raise ExpectError(f"{what} failed ({done.returncode}): " + (err[-1] if err else "no output"))
    return done.stdout.decode()


def answer(run: Runner, kernel: str, dtb: str | None, host_isa: str | None,
           kernel_config: str | None = None) -> dict[str, Any]:
    """kvmct-expect's document for a kernel and a host (a device tree already written, or an
    ISA string), and optionally the host kernel's .config (a path inside the root)."""
    doc: dict[str, Any] = json.loads(run(expect_argv(kernel, dtb, host_isa, kernel_config),
                                         "kvmct-expect"))
    return doc


def _execute(args: argparse.Namespace, ctx: Context) -> int:
    profile = arch.load(uapi_header.ARCH)
    with lock.exclusive(ctx.cache, ctx.progress):
        root = buildroot.ensure(ctx.cache, ctx.progress)
        cmake.ensure(root, ctx.progress, (cmake.HOST,))

        def run(argv: list[str], what: str) -> str:
            return run_checked(root.chroot().argv(argv, workdir="/src"), what)

        dtb: str | None = None
        label = f"--host-isa {args.host_isa}"
        if args.host_isa is None:
            model = cpus.load(profile).resolve(args.cpu or profile.default_cpu)
            (ctx.cache.build_dir(root.key) / "expect").mkdir(parents=True, exist_ok=True)
            dtb = f"/build/expect/{dtb_name(model.qemu)}"
            run(dtb_argv(profile.qemu, profile.machine, model.qemu, dtb),
                f"{profile.qemu} -cpu {model.qemu} (device tree)")
            label = f"cpu {model.name} (-cpu {model.qemu})"
        config: str | None = None
        if args.kernel_config is not None:
            if not args.kernel_config.is_file():
                raise ExpectError(f"--kernel-config {args.kernel_config}: no such file")
            work = ctx.cache.build_dir(root.key) / "expect"
            work.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(args.kernel_config, work / "kernel.config")
            config = "/build/expect/kernel.config"
        doc = answer(run, args.kernel, dtb, args.host_isa, config)
    doc["host_isa"]["label"] = label
    if args.json:
        print(json.dumps(doc, indent=1))
    else:
        print(expect_text.text(doc, label))
    return 0


EXPECT = Command("expect", "what kvmct expects of each extension on a kernel version and host, "
                 "without booting", _arguments, _execute)
