# SPDX-License-Identifier: MIT
# Architecture profiles: one folder per architecture, data/arch/<folder>/ (profile.toml, cpus.toml,
# kernel/*.config), read into a typed Profile. Common code gets a Profile passed in and asks it
# instead of spelling an architecture; adding one is adding a folder.
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import KvmctError

DATA = Path(__file__).resolve().parent / "data" / "arch"
PROFILE = "profile.toml"  # each architecture folder's profile
CPUS = "cpus.toml"  # its CPU models and matrices (cpus.py)
KERNEL_CONFIGS = "kernel"  # its kernel config fragments (`kernel --source`)
# Results documents from before cells named their architecture (cell.json `arch`) ran it.
LEGACY_RESULTS_ARCH = "riscv64"


class ProfileError(KvmctError, ValueError):
    """A data/arch/*/profile.toml that is missing a key or holds the wrong type."""


@dataclass(frozen=True)
class KvmHostCpu:
    """What a CPU model's device tree must show (on every cpu node) to host KVM: an
    architecture whose KVM depends on a CPU extension the model may lack (RISC-V's H)."""

    base_property: str
    base: str
    extensions_property: str
    required: tuple[str, ...]


@dataclass(frozen=True)
class Firmware:
    """A firmware stage QEMU runs before the kernel (OpenSBI), seen on the console."""

    name: str
    banner: str  # a console line containing this: the firmware started


@dataclass(frozen=True)
class ImageMagic:
    """The kernel Image header's magic: what says which architecture a user's image is for."""

    offset: int
    magic: bytes


@dataclass(frozen=True)
class Profile:
    name: str  # the Debian architecture: CLI --arch, JSON `arch`
    folder: Path  # data/arch/<kernel ARCH>/
    debian_arch: str
    kernel_meta: str
    image_names: tuple[str, ...]  # the image's path in Debian's package, {release} for uname -r
    cross_packages: tuple[str, ...]
    host_packages: tuple[str, ...]
    unpacked_packages: tuple[str, ...]
    triple: str
    cmake_toolchain: str
    build_dir: str
    kernel_arch: str
    kvm_dir: str
    kvm_modular: bool  # KVM can be a module (kvm.ko): --kvm-module and `kvmct kvm-module`
    cell_modules: tuple[str, ...]
    image_magic: ImageMagic
    kernel_image: str  # what `make` builds, under arch/<kernel_arch>/boot/
    qemu: str
    machine: str
    qemu_args: tuple[str, ...]  # more QEMU options for the machine (arm64: -nic none)
    default_cpu: str
    console: str
    console_config: tuple[str, ...]  # the Kconfig options of that console, all =y
    kernel_args: tuple[str, ...]
    firmware: Firmware | None  # None: QEMU loads the kernel directly
    kvm_host: KvmHostCpu | None  # None: every CPU model of the machine can host KVM
    expected_dir: str
    catalogue: str

    @property
    def cpus(self) -> Path:
        return self.folder / CPUS

    @property
    def kernel_configs(self) -> Path:
        return self.folder / KERNEL_CONFIGS

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

    def is_image(self, data: bytes) -> bool:
        """Whether uncompressed kernel bytes carry this architecture's Image header."""
        m = self.image_magic
        return data[m.offset:m.offset + len(m.magic)] == m.magic


class _Doc:
    """One profile.toml's keys, each read with its type; every error names the file."""

    def __init__(self, doc: dict[str, Any], source: Path) -> None:
        self.doc, self.source = doc, source

    def has(self, path: str) -> bool:
        value: Any = self.doc
        for key in path.split("."):
            if not isinstance(value, dict) or key not in value:
                return False
            value = value[key]
        return True

    def get(self, path: str) -> Any:
        value: Any = self.doc
        for key in path.split("."):
            if not isinstance(value, dict) or key not in value:
                raise ProfileError(f"{self.source}: missing {path}")
            value = value[key]
        return value

    def s(self, path: str) -> str:
        value = self.get(path)
        if not isinstance(value, str) or not value:
            raise ProfileError(f"{self.source}: {path} must be a non-empty string")
        return value

    def t(self, path: str) -> tuple[str, ...]:
        value = self.get(path)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ProfileError(f"{self.source}: {path} must be a list of non-empty strings")
        return tuple(value)

    def b(self, path: str) -> bool:
        value = self.get(path)
        if not isinstance(value, bool):
            raise ProfileError(f"{self.source}: {path} must be true or false")
        return value

    def i(self, path: str) -> int:
        value = self.get(path)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ProfileError(f"{self.source}: {path} must be a non-negative integer")
        return value

    def hexbytes(self, path: str) -> bytes:
        try:
            value = bytes.fromhex(self.s(path))
        except ValueError:
            raise ProfileError(f"{self.source}: {path} must be hex digits") from None
        if not value:
            raise ProfileError(f"{self.source}: {path} must not be empty")
        return value


def parse(text: str, source: Path) -> Profile:
    """The profile in `text`, read from `source` (data/arch/<folder>/profile.toml)."""
    try:
        d = _Doc(tomllib.loads(text), source)
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(f"{source}: {e}") from None
    firmware = Firmware(d.s("firmware.name"), d.s("firmware.banner")) \
        if d.has("firmware") else None
    kvm_host = KvmHostCpu(d.s("qemu.kvm_host.base_property"), d.s("qemu.kvm_host.base"),
                          d.s("qemu.kvm_host.extensions_property"),
                          d.t("qemu.kvm_host.required")) if d.has("qemu.kvm_host") else None
    names = d.t("debian.image_names")
    if not names or any("{release}" not in n for n in names):
        raise ProfileError(f"{source}: debian.image_names must each hold {{release}}")
    p = Profile(
        name=d.s("name"), folder=source.parent, debian_arch=d.s("debian.arch"),
        kernel_meta=d.s("debian.kernel_meta"), image_names=names,
        cross_packages=d.t("debian.cross_packages"), host_packages=d.t("debian.host_packages"),
        unpacked_packages=d.t("debian.unpacked_packages"),
        triple=d.s("toolchain.triple"), cmake_toolchain=d.s("toolchain.cmake_toolchain"),
        build_dir=d.s("toolchain.build_dir"), kernel_arch=d.s("kernel.arch"),
        kvm_dir=d.s("kernel.kvm_dir"), kvm_modular=d.b("kernel.kvm_modular"),
        cell_modules=d.t("kernel.cell_modules"),
        image_magic=ImageMagic(d.i("kernel.image_magic_offset"), d.hexbytes("kernel.image_magic")),
        kernel_image=d.s("kernel.image"),
        qemu=d.s("qemu.binary"), machine=d.s("qemu.machine"), qemu_args=d.t("qemu.args"),
        default_cpu=d.s("qemu.default_cpu"),
        console=d.s("qemu.console"), console_config=d.t("kernel.console_config"),
        kernel_args=d.t("qemu.kernel_args"),
        firmware=firmware, kvm_host=kvm_host,
        expected_dir=d.s("expected.dir"), catalogue=d.s("expected.catalogue"))
    if p.name != p.debian_arch:
        raise ProfileError(f"{source}: name {p.name!r} must be the Debian architecture "
                           f"({p.debian_arch!r})")
    return p


@functools.cache
def discover(data: Path = DATA) -> dict[str, Profile]:
    """Every architecture: one profile per data/arch/*/profile.toml, by profile name (sorted).
    Read once per process."""
    found: dict[str, Profile] = {}
    for path in sorted(data.glob(f"*/{PROFILE}")):
        p = parse(path.read_text(), path)
        if p.name in found:
            raise ProfileError(f"{path}: profile {p.name} is also {found[p.name].folder / PROFILE}")
        found[p.name] = p
    if not found:
        raise ProfileError(f"no architecture profile under {data}/*/{PROFILE}")
    return dict(sorted(found.items()))


def names() -> tuple[str, ...]:
    """Every architecture with a profile, sorted."""
    return tuple(discover())


def load(name: str) -> Profile:
    """The profile named `name` (the Debian architecture: riscv64, arm64)."""
    profiles = discover()
    if name not in profiles:
        raise ProfileError(f"no architecture {name!r} (profiles under {DATA}: "
                           f"{', '.join(profiles)})")
    return profiles[name]


def every() -> tuple[Profile, ...]:
    return tuple(discover().values())


def modular() -> tuple[Profile, ...]:
    """The architectures whose KVM can be a module (kvm.ko), in profile order."""
    return tuple(p for p in every() if p.kvm_modular)


def of_image(data: bytes) -> Profile | None:
    """The architecture whose Image header uncompressed kernel bytes carry, if any."""
    hits = [p for p in every() if p.is_image(data)]
    return hits[0] if len(hits) == 1 else None
