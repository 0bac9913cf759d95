# SPDX-License-Identifier: MIT
# One cell = one kernel x one QEMU CPU model: pack its initramfs, boot it, watch the console,
# read the results disk back, and judge it.
from __future__ import annotations

import io
import json
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import cpio, initramfs, qemu
from .console import Watch
from .ktap import Parser, Report
from ..log import Progress
from ..judge.verdict import Verdict, judge

RESULTS_DISK_BYTES = 8 << 20


@dataclass(frozen=True)
class Launcher:
    """How QEMU is started: the binary, an argv wrapper (chroot) and host->visible paths."""

    qemu: str
    board: str  # -M
    wrap: Callable[[list[str]], list[str]]
    path: Callable[[Path], str]
    qemu_version: str = ""
    console: str = "console"  # the profile's console device (ttyS0, ttyAMA0)
    kernel_args: tuple[str, ...] = ()  # the profile's own kernel arguments
    firmware_banner: str | None = None  # the profile's firmware stage, if it has one
    qemu_args: tuple[str, ...] = ()  # the profile's more QEMU options


@dataclass(frozen=True)
class Spec:
    name: str
    kernel: dict[str, str]  # Kernel.describe()
    image: Path
    cpu: str
    directory: Path
    timeout_s: float
    cpu_name: str = ""  # the model's label (cpus.toml); cpu is what -cpu gets
    arch: str = ""  # the architecture profile's name
    kernel_args: tuple[str, ...] = ()  # the CPU model's kernel arguments (kvm-arm.mode=nvhe)


@dataclass
class Outcome:
    spec: Spec
    verdict: Verdict
    report: Report
    watch: Watch
    suite: dict[str, Any] | None
    suite_junit: str | None
    qemu_version: str
    duration_s: float
    console_log: Path
    extra: dict[str, Any] = field(default_factory=dict)


def pack(spec: Spec, files: list[cpio.Entry]) -> Path:
    """Write the cell's initramfs and a zeroed results disk into its directory."""
    spec.directory.mkdir(parents=True, exist_ok=True)
    initrd = spec.directory / "initramfs.cpio"
    initrd.write_bytes(cpio.write(files))
    disk = spec.directory / "results.img"
    with open(disk, "wb") as f:
        f.truncate(RESULTS_DISK_BYTES)
    return initrd


def read_results(disk: Path) -> tuple[dict[str, Any] | None, str | None, str]:
    """(result.json, junit.xml, error) from the tar the guest wrote onto the raw disk."""
    try:
        with tarfile.open(disk, mode="r:") as tar:
            files: dict[str, bytes] = {}
            for member in tar:
                f = tar.extractfile(member) if member.isfile() else None
                if f is not None:
                    files[member.name.removeprefix("./")] = f.read()
    except (tarfile.TarError, OSError) as e:
        return None, None, f"the results disk holds no readable tar ({e})"
    junit = files.get("junit.xml")
    junit_text = junit.decode(errors="replace") if junit is not None else None
    raw = files.get("result.json")
    if raw is None:
        return None, junit_text, "the results disk has no result.json"
    try:
        doc = json.load(io.BytesIO(raw))
    except ValueError as e:
        return None, junit_text, f"result.json is not JSON: {e}"
    if not isinstance(doc, dict):
        return None, junit_text, "result.json is not a JSON object"
    return doc, junit_text, ""


def run(spec: Spec, initrd: Path, launcher: Launcher, progress: Progress,
        verbose: bool = False, reaper: qemu.Reaper | None = None,
        watcher: Callable[[str, str], None] | None = None) -> Outcome:
    """Boot the cell and stream its console into the parser, the watch and console.log."""
    disk = spec.directory / "results.img"
    append = qemu.cmdline(launcher.console, launcher.qemu_version,
                          (*launcher.kernel_args, *spec.kernel_args))
    argv = launcher.wrap(qemu.command(launcher.qemu, qemu.Machine(launcher.board, spec.cpu,
                                                  args=launcher.qemu_args),
                                      launcher.path(spec.image), launcher.path(initrd),
                                      launcher.path(disk), append))
    log_path = spec.directory / "console.log"
    parser, watch = Parser(), Watch(firmware_banner=launcher.firmware_banner)
    progress.step(f"[{spec.name}] booting (timeout {spec.timeout_s:g} s), console: {log_path}")
    with open(log_path, "w", encoding="utf-8") as log:
        def on_line(line: str) -> None:
            log.write(line if line.endswith("\n") else line + "\n")
            log.flush()
            is_ktap = parser.feed(line)
            finding = watch.feed(line, is_ktap)
            if finding is not None:
                progress.step(f"[{spec.name}] {finding.kind}: {finding.text.strip()}")
            if verbose:
                progress.step(f"[{spec.name}] | {line.rstrip()}")
            if watcher is not None:
                watcher(spec.name, line)

        outcome = qemu.run_streaming(argv, spec.timeout_s, on_line,
                                     reaper.started if reaper is not None else lambda pgid: None)
    report = parser.finish()
    suite, junit, results_error = read_results(disk)
    verdict = judge(outcome, watch, report, spec.timeout_s, results_error)
    (spec.directory / "ktap.json").write_text(json.dumps(report.to_dict(), indent=2) + "\n")
    if suite is not None:
        (spec.directory / "result.json").write_text(json.dumps(suite, indent=2) + "\n")
    if junit is not None:
        (spec.directory / "junit-suite.xml").write_text(junit)
    return Outcome(spec, verdict, report, watch, suite, junit, launcher.qemu_version,
                   outcome.duration_s, log_path)
