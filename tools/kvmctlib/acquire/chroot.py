# SPDX-License-Identifier: MIT
# Runs a command inside the build root: private mount namespace, bind mounts, chroot.
# Nothing is mounted in the host's namespace, so a killed run leaves no mounts behind.
from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

# The environment a command sees inside the root: fixed, so a build does not depend on
# the caller's shell (locale, PATH, CMake or compiler variables).
_ENV = (
    "PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
    "HOME=/root",
    "LANG=C.UTF-8",
    "TERM=dumb",
)


@dataclass(frozen=True)
class Bind:
    host: Path
    inside: str  # absolute path inside the root
    read_only: bool = False


@dataclass(frozen=True)
class Chroot:
    root: Path
    binds: tuple[Bind, ...] = field(default_factory=tuple)
    as_root: bool = True  # False: map the calling user to root in a user namespace
    env: tuple[str, ...] = ()  # NAME=VALUE added to the fixed environment of every command

    def argv(self, cmd: Sequence[str], workdir: str = "/", env: Sequence[str] = ()) -> list[str]:
        """An argv that runs `cmd` in the root; usable with subprocess directly."""
        r = shlex.quote(str(self.root))
        lines = ["set -e"]
        # --rbind: in a user namespace the host's submounts of /proc and /sys are locked
        # to their parents, so a plain --bind of them is refused (EINVAL).
        for name in ("proc", "sys", "dev"):
            lines.append(f"mount --rbind /{name} {r}/{name}")
        for b in self.binds:
            target = f"{r}{shlex.quote(b.inside)}"
            lines.append(f"mkdir -p {target}")
            lines.append(f"mount --bind {shlex.quote(str(b.host))} {target}")
            if b.read_only:
                lines.append(f"mount -o remount,bind,ro {target}")
        inner = ["env", "-i", *_ENV, *self.env, *env, "sh", "-c", 'cd "$0" && exec "$@"', workdir, *cmd]
        lines.append(f"exec chroot {r} " + " ".join(shlex.quote(a) for a in inner))
        prefix = ["unshare", "--mount", "--propagation", "private"]
        if not self.as_root:
            prefix[1:1] = ["--user", "--map-root-user"]
        return [*prefix, "sh", "-c", "\n".join(lines)]


def running_as_root() -> bool:
    return os.geteuid() == 0
