# SPDX-License-Identifier: MIT
# `run --kernel SPEC`: what a spec names (CONTRACT.md section 1, tried in this order: built:NAME,
# debian:VERSION, *.deb files, an image file, a Debian suite) and the Kernel it resolves to.
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import arch
from . import built_kernel, kernels, local_debs
from ..errors import KvmctError
from ..log import Progress
from ..paths import Cache

# The Debian suites whose index can hold a kernel, oldest first. experimental has no riscv64
# kernel package today; it stays resolvable so it works once it has one.
SUITES = ("trixie", "trixie-backports", "forky", "sid", "experimental")


class KernelSpecError(KvmctError, ValueError):
    pass


@dataclass(frozen=True)
class Built:
    name: str


@dataclass(frozen=True)
class DebianVersion:
    version: str


@dataclass(frozen=True)
class Debs:
    paths: tuple[Path, ...]


@dataclass(frozen=True)
class Image:
    path: Path


@dataclass(frozen=True)
class Suite:
    suite: str


Spec = Built | DebianVersion | Debs | Image | Suite


@dataclass(frozen=True)
class Parsed:
    arg: str  # the --kernel argument (the first one, for several .debs): the cell's key
    spec: Spec


def parse(arg: str) -> Spec:
    """One --kernel argument; a .deb is a Debs of one path (parse_all joins them)."""
    for prefix, kind in (("built:", Built), ("debian:", DebianVersion)):
        if arg.startswith(prefix):
            rest = arg.removeprefix(prefix)
            if not rest or any(c.isspace() or c == "/" for c in rest):
                raise KernelSpecError(f"--kernel {arg}: {prefix} needs a name without spaces "
                                      "or slashes")
            return kind(rest)
    if arg.endswith(".deb"):
        return Debs((Path(arg),))
    if Path(arg).is_file():
        return Image(Path(arg))
    if arg in SUITES:
        return Suite(arg)
    raise KernelSpecError(f"--kernel {arg}: not a Debian suite ({', '.join(SUITES)}), "
                          "debian:VERSION, built:NAME, a .deb file or an existing image file")


def parse_all(args: tuple[str, ...]) -> list[Parsed]:
    """Every --kernel, in order; all .deb arguments form ONE kernel, placed at the first."""
    out: list[Parsed] = []
    debs: list[Path] = []
    for arg in args:
        spec = parse(arg)
        if isinstance(spec, Debs):
            if not debs:
                out.append(Parsed(arg, spec))
            debs += spec.paths
        else:
            out.append(Parsed(arg, spec))
    return [Parsed(p.arg, Debs(tuple(debs))) if isinstance(p.spec, Debs) else p for p in out]


def resolve(spec: Spec, profile: arch.Profile, cache: Cache,
            progress: Progress) -> kernels.Kernel:
    """The kernel a spec names for the architecture, fetched or unpacked into the cache when
    not there yet. An Image is not resolved here (run.py inspects it with its --modules)."""
    if isinstance(spec, Built):
        return built_kernel.load(cache, profile, spec.name, progress)
    if isinstance(spec, DebianVersion):
        return kernels.debian_version(cache, profile, spec.version, SUITES, progress)
    if isinstance(spec, Debs):
        found = local_debs.group(local_debs.read(list(spec.paths)), profile.debian_arch)
        return local_debs.load(cache, profile, found, progress)
    if isinstance(spec, Suite):
        return kernels.ensure(cache, profile, progress,
                              sources=(kernels.KernelSource(spec.suite, spec.suite),))[0]
    raise KernelSpecError(f"{spec}: an image file is taken as it is, not resolved")
