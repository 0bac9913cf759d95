# SPDX-License-Identifier: MIT
# The line protocol between the generated /init and the runner: /init prints these lines on
# the console, the console watch and the live board recognise them. Written and parsed here
# only, so the two sides cannot drift apart.
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

PREFIX = "kvmct-init:"
KERNEL = "kernel"  # kvmct-init: kernel <uname -r>: the kernel booted and /init runs
ERROR = "error"  # kvmct-init: error: <what>: /init gave up and powers off
KVM_ABSENT = "kvm-absent"  # kvmct-init: kvm-absent: <what>: the kernel has no /dev/kvm
UPTIME = "uptime"  # kvmct-init: uptime <seconds> suite start|end
SUITE_EXIT = "suite exit"  # kvmct-init: suite exit <status>

_LINE = re.compile(rf"{re.escape(PREFIX)} (?:(?P<stop>{ERROR}|{KVM_ABSENT}): (?P<text>.*)|"
                   rf"{UPTIME} (?P<uptime>[0-9.]+) suite (?P<mark>start|end)|"
                   rf"{SUITE_EXIT} (?P<exit>\d+)|{KERNEL} (?P<release>\S+))")


@dataclass(frozen=True)
class Line:
    """One recognised /init line; exactly one group of fields is set."""

    stop: str = ""  # ERROR or KVM_ABSENT
    text: str = ""
    uptime_mark: str = ""  # suite_start | suite_end
    uptime_s: float = 0.0
    suite_exit: int | None = None
    kernel: str = ""


def parse(line: str) -> Line | None:
    """The /init line in a console line (printk may interleave, so it is searched)."""
    m = _LINE.search(line)
    if m is None:
        return None
    if m.group("stop"):
        return Line(stop=m.group("stop"), text=m.group("text"))
    if m.group("uptime"):
        return Line(uptime_mark=f"suite_{m.group('mark')}", uptime_s=float(m.group("uptime")))
    if m.group("exit"):
        return Line(suite_exit=int(m.group("exit")))
    return Line(kernel=m.group("release"))


# --- the shell side: what /init runs to print each line -----------------------------------
def _say(words: str) -> str:
    return f'echo "{PREFIX} {words}"'


STOP_FUNCTION = (f'stop() {{ kind=$1; shift; {_say("$kind: $*")}; sync; poweroff -f; '
                 "sleep 5; }")


def stop(text: str, kind: str = ERROR) -> str:
    """A shell command that reports `text` as a stop of `kind` and powers off."""
    return f"stop {kind} {shlex.quote(text)}"


def kernel_line() -> str:
    return _say(f"{KERNEL} $(uname -r)")


def uptime_line(mark: str) -> str:
    return _say(f'{UPTIME} $(cut -d" " -f1 /proc/uptime) suite {mark}')


def suite_exit_line(status_var: str = "$rc") -> str:
    return _say(f"{SUITE_EXIT} {status_var}")
