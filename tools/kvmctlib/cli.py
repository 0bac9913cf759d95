# SPDX-License-Identifier: MIT
# The `kvmct` command line: argparse front end that turns arguments into calls, and turns
# expected failures (KvmctError) into one error line and exit status 2; anything else is a
# bug and keeps its traceback (also exit 2).
from __future__ import annotations

import argparse
import signal
import sys
import traceback

from .commands import (bench, catalogue, diff, expect, kernel, kvm_module, models, prepare,
                       report, run)
from .commands.base import Command, Context
from .errors import KvmctError
from .log import Progress
from .paths import Cache, cache_root

# In the order `kvmct --help` lists them.
COMMANDS: tuple[Command, ...] = (
    prepare.SETUP, prepare.KERNELS, prepare.BUILD, run.RUN, kvm_module.KVM_MODULE, kernel.KERNEL,
    bench.BENCH, prepare.EXEC, report.REPORT, diff.DIFF, catalogue.CATALOGUE, models.CPUS,
    expect.EXPECT)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kvmct", description=(
        "Conformance tests for the Linux KVM RISC-V ISA-extension interfaces: build root, "
        "Debian kernels, QEMU RISC-V hosts running kvmct-suite. "
        "Cache: ${KVMCT_CACHE:-${XDG_CACHE_HOME:-~/.cache}/kvmct}."))
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    sub = p.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_arguments(sub.add_parser(command.name, help=command.help,
                                             description=command.description))
    return p


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str]) -> int:
    # SIGTERM (a CI timeout) and SIGINT (even where a shell started us with it ignored) both
    # unwind through the run's cleanup, which kills the QEMU process groups.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    parser = _parser()
    # `kvm-module --run` and `kernel --run` hand options they do not know on to `run`;
    # elsewhere they are errors.
    args, extra = parser.parse_known_args(argv)
    command = next(c for c in COMMANDS if c.name == args.command)
    if extra and not command.takes_extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    progress = Progress(quiet=args.quiet)
    try:
        return command.execute(args, Context(Cache(cache_root()), progress, argv, extra, main))
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
