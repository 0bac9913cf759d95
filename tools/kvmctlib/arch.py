# SPDX-License-Identifier: MIT
# The host architecture profile: the QEMU binary and machine, Debian arch and kernel package,
# cross triple, kernel directories, cell modules, CPU models. Read once from
# data/arch/<name>.toml; common code asks the profile instead of spelling an architecture.
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import KvmctError

DATA = Path(__file__).resolve().parent / "data"
DEFAULT = "riscv64"  # the architecture this runner drives; the only profile today
# Results documents from before cells named their architecture (cell.json `arch`) ran it.
LEGACY_RESULTS_ARCH = "riscv64"


class ProfileError(KvmctError, ValueError):
    """A data/arch/*.toml that is missing a key or holds the wrong type."""


@dataclass(frozen=True)
class KvmHostCpu:
    """What a CPU model's device tree must show (on every cpu node) to host KVM."""

    base_property: str
    base: str
    extensions_property: str
    required: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    name: str
    debian_arch: str
    kernel_meta: str
    cross_packages: tuple[str, ...]
    host_packages: tuple[str, ...]
    unpacked_packages: tuple[str, ...]
    triple: str
    cmake_toolchain: str
    build_dir: str
    kernel_arch: str
    kvm_dir: str
    cell_modules: tuple[str, ...]
    qemu: str
    machine: str
    default_cpu: str
    firmware: str
    firmware_banner: str
    kvm_host: KvmHostCpu
    cpus: Path
    expected_dir: str
    catalogue: str

    @property
    def unpacked_dir(self) -> str:
        """Where the root holds this architecture's unpacked packages (busybox)."""
        return f"/opt/kvmct/{self.debian_arch}"

    @property
    def strip(self) -> str:
        return f"{self.triple}-strip"

    def cross_gcc(self, major: str) -> str:
        """The Debian package of the amd64 cross gcc N for this architecture."""
        return f"gcc-{major}-{self.triple}"


def _get(doc: dict[str, Any], path: str, source: Path, kind: type = str) -> Any:
    value: Any = doc
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            raise ProfileError(f"{source}: missing {path}")
        value = value[key]
    if kind is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ProfileError(f"{source}: {path} must be a list of strings")
        return tuple(value)
    if not isinstance(value, str) or not value:
        raise ProfileError(f"{source}: {path} must be a non-empty string")
    return value


def parse(text: str, source: Path) -> Profile:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(f"{source}: {e}") from None

    def s(path: str) -> str:
        return str(_get(doc, path, source))

    def t(path: str) -> tuple[str, ...]:
        return tuple(_get(doc, path, source, tuple))

    return Profile(
        name=s("name"), debian_arch=s("debian.arch"), kernel_meta=s("debian.kernel_meta"),
        cross_packages=t("debian.cross_packages"), host_packages=t("debian.host_packages"),
        unpacked_packages=t("debian.unpacked_packages"),
        triple=s("toolchain.triple"), cmake_toolchain=s("toolchain.cmake_toolchain"),
        build_dir=s("toolchain.build_dir"), kernel_arch=s("kernel.arch"),
        kvm_dir=s("kernel.kvm_dir"), cell_modules=t("kernel.cell_modules"),
        qemu=s("qemu.binary"), machine=s("qemu.machine"), default_cpu=s("qemu.default_cpu"),
        firmware=s("qemu.firmware"), firmware_banner=s("qemu.firmware_banner"),
        kvm_host=KvmHostCpu(s("qemu.kvm_host.base_property"), s("qemu.kvm_host.base"),
                            s("qemu.kvm_host.extensions_property"), t("qemu.kvm_host.required")),
        cpus=source.parent.parent / s("qemu.cpus"), expected_dir=s("expected.dir"),
        catalogue=s("expected.catalogue"))


def names() -> tuple[str, ...]:
    """Every architecture with a profile under data/arch/, sorted."""
    return tuple(sorted(p.stem for p in (DATA / "arch").glob("*.toml")))


@functools.cache
def load(name: str = DEFAULT) -> Profile:
    """The profile of `name` (data/arch/<name>.toml), read once per process."""
    path = DATA / "arch" / f"{name}.toml"
    if not path.is_file():
        raise ProfileError(f"no architecture profile {path}")
    return parse(path.read_text(), path)
