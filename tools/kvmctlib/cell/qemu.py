# SPDX-License-Identifier: MIT
# QEMU's command line for one cell, and running it with its console streamed line by line
# under one hard timeout that kills the whole process group.
from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from typing import Callable, Sequence

# panic=-1: a panicking kernel reboots at once, and -no-reboot turns that into QEMU exiting;
# without it a panic hangs until the timeout.
APPEND = ("quiet", "panic=-1")


def platform(qemu_version: str) -> str:
    """What the suite is told it runs on ("qemu-10.0.13"): expected/ keys known bugs of the
    emulated hardware on it (kvmct.platform= on the kernel command line)."""
    number = qemu_version.split(" ", 1)[0]
    return f"qemu-{number}" if number else "qemu-unknown"


@dataclass(frozen=True)
class Machine:
    board: str  # -M, from the architecture profile
    cpu: str
    smp: int = 2
    memory: str = "1G"
    args: tuple[str, ...] = ()  # the profile's more QEMU options


def dumpdtb_command(qemu: str, machine: Machine, path: str) -> list[str]:
    """QEMU writes the device tree of the cell's machine to `path` and exits: the tree the
    cell's kernel would boot with."""
    return [qemu, "-M", f"{machine.board},dumpdtb={path}", "-cpu", machine.cpu,
            "-smp", str(machine.smp), "-m", machine.memory, "-nographic"]


def cmdline(console: str, qemu_version: str = "", extra: Sequence[str] = ()) -> str:
    """The host kernel's command line: the profile's console, the common arguments, the
    platform for the suite, then the profile's and the CPU model's own arguments."""
    return " ".join([f"console={console}", *APPEND, f"kvmct.platform={platform(qemu_version)}",
                     *extra])


def command(qemu: str, machine: Machine, kernel: str, initrd: str, results: str,
            append: str) -> list[str]:
    return [
        qemu, "-M", machine.board, "-cpu", machine.cpu, "-smp", str(machine.smp),
        "-m", machine.memory, *machine.args, "-nographic", "-no-reboot",
        "-kernel", kernel, "-initrd", initrd,
        "-append", append,
        "-drive", f"file={results},format=raw,if=none,id=results",
        "-device", "virtio-blk-device,drive=results",
    ]


@dataclass(frozen=True)
class Outcome:
    returncode: int | None  # None: never started
    timed_out: bool
    spawn_error: str
    duration_s: float


def run_streaming(argv: Sequence[str], timeout_s: float, on_line: Callable[[str], None],
                  on_start: Callable[[int], None] = lambda pgid: None) -> Outcome:
    """Run argv in its own session; every output line goes to on_line as it arrives.

    on_start gets the process group id, so a caller can kill it on Ctrl-C."""
    t0 = time.monotonic()
    try:
        proc = subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    except OSError as e:
        return Outcome(None, False, f"{argv[0]}: {e.strerror or e}", 0.0)
    on_start(proc.pid)
    fired = threading.Event()

    def kill() -> None:
        fired.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout_s, kill)
    timer.daemon = True
    timer.start()
    try:
        assert proc.stdout is not None
        for raw in proc.stdout:
            on_line(raw.decode("utf-8", errors="replace"))
        rc = proc.wait()
    finally:
        timer.cancel()
        if proc.poll() is None:
            kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    return Outcome(rc, fired.is_set(), "", time.monotonic() - t0)


def version(argv_prefix: Callable[[list[str]], list[str]], qemu: str) -> str:
    """`QEMU emulator version 10.0.x (Debian ...)` -> the version text, or ''."""
    try:
        done = subprocess.run(argv_prefix([qemu, "--version"]), capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    first = done.stdout.decode(errors="replace").splitlines()[:1]
    return first[0].removeprefix("QEMU emulator version ").strip() if first else ""


class Reaper:
    """The process groups of the QEMUs running now, to kill them all when a run is aborted
    (they run in their own sessions, so a Ctrl-C does not reach them)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._groups: set[int] = set()
        self._closed = False

    def started(self, pgid: int) -> None:
        with self._lock:
            self._groups.add(pgid)
            if self._closed:  # started while the run was being aborted
                _killpg(pgid)

    def kill_all(self) -> None:
        """Kill every QEMU started so far, and any started from now on."""
        with self._lock:
            self._closed = True
            for pgid in self._groups:
                _killpg(pgid)


def _killpg(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
