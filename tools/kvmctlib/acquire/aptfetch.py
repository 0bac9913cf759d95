# SPDX-License-Identifier: MIT
# A private apt configuration per Debian suite and architecture to resolve and download kernel
# packages with the system's keyring and apt settings, without touching the system's apt.
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .deb822 import KERNEL_PACKAGE, UAPI_PACKAGE, Stanza, parse_stanzas
from ..errors import KvmctError

MIRROR = "http://deb.debian.org/debian"


class AptError(KvmctError, RuntimeError):
    pass


@dataclass(frozen=True)
class PrivateApt:
    base: Path  # e.g. <cache>/apt/riscv64/sid
    suite: str
    arch: str  # the Debian architecture of the index

    @property
    def config(self) -> Path:
        return self.base / "apt.conf"

    def write_config(self) -> None:
        for sub in ("etc/apt.conf.d", "etc/preferences.d", "etc/sources.list.d",
                    "state/lists/partial", "cache/archives/partial", "dl"):
            (self.base / sub).mkdir(parents=True, exist_ok=True)
        (self.base / "etc" / "sources.list").write_text(
            f"deb [arch={self.arch}] {MIRROR} {self.suite} main\n")
        (self.base / "state" / "status").touch()
        b, a = self.base, self.arch
        self.config.write_text("\n".join([
            f'Dir::Etc::SourceList "{b}/etc/sources.list";',
            f'Dir::Etc::SourceParts "{b}/etc/sources.list.d";',
            f'Dir::Etc::Preferences "{b}/etc/preferences";',
            f'Dir::Etc::PreferencesParts "{b}/etc/preferences.d";',
            f'Dir::State "{b}/state";',
            f'Dir::State::status "{b}/state/status";',
            f'Dir::Cache "{b}/cache";',
            f'APT::Architecture "{a}";',
            f'APT::Architectures {{ "{a}"; }};',
            # sid's Release is past its Valid-Until on this archive; signatures are still
            # checked against the system keyring.
            'Acquire::Check-Valid-Until "false";',
            'Acquire::Languages "none";',
            # The private directories belong to the caller; apt's _apt sandbox user could
            # not write them.
            'APT::Sandbox::User "root";' if os.geteuid() == 0 else "",
            "",
        ]))

    def _run(self, args: list[str], cwd: Path | None = None) -> str:
        env = dict(os.environ, APT_CONFIG=str(self.config), LC_ALL="C")
        done = subprocess.run(args, env=env, cwd=cwd, capture_output=True,
                              stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise AptError(f"{' '.join(args)} ({self.suite}) failed:\n"
                           f"{done.stderr.decode(errors='replace').strip()}")
        return done.stdout.decode(errors="replace")

    def update(self) -> None:
        self.write_config()
        self._run(["apt-get", "-q", "update"])

    def show(self, package: str) -> Stanza | None:
        """The candidate version's stanza, or None when the suite has no such package."""
        try:
            text = self._run(["apt-cache", "show", "--no-all-versions", package])
        except AptError:
            return None
        stanzas = parse_stanzas(text)
        return stanzas[0] if stanzas else None

    def kernel_stanzas(self) -> list[Stanza]:
        """Every version of every package that carries a kernel's files (deb822's
        KERNEL_PACKAGE) or its uapi headers (UAPI_PACKAGE), read from the indices `update` fetched and apt verified."""
        names = [n for n in self._run(["apt-cache", "pkgnames", "linux-"]).split()
                 if KERNEL_PACKAGE.match(n) or n == UAPI_PACKAGE]
        return parse_stanzas(self._run(["apt-cache", "show", *sorted(names)])) if names else []

    def download(self, stanza: Stanza) -> Path:
        """Fetch one exact package version into dl/ (apt checks its hash) and return it."""
        dl = self.base / "dl"
        name, version = stanza["Package"], stanza["Version"]
        self._run(["apt-get", "-q", "download", f"{name}={version}"], cwd=dl)
        found = sorted(dl.glob(f"{name}_*.deb"))
        if not found:
            raise AptError(f"apt-get download {name}={version} left no .deb in {dl}")
        return found[-1]
