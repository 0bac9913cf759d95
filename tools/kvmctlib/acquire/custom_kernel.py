# SPDX-License-Identifier: MIT
# A kernel the user built (`run --kernel Image [--modules DIR]`): its release read from the
# image's "Linux version" banner (plain, gzip'd or EFI zboot image), its module tree from
# `make modules_install INSTALL_MOD_PATH=DIR`, and where KVM is (kvm.ko, built in, or absent).
from __future__ import annotations

import gzip
import lzma
import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..cell import modinfo, modules
from ..errors import KvmctError

# linux_banner (init/version-timestamp.c): "Linux version <release> (<builder>) (<compiler>)
# <version>\n". The release is `uname -r`.
_BANNER = re.compile(rb"Linux version (\S+) \([^\n\0]{0,400}")
# Built-in code names its module parameters "<KBUILD_MODNAME>.<param>" (MODULE_PARAM_PREFIX);
# in a module the prefix is empty. virt/kvm/kvm_main.c has module_param(halt_poll_ns): the
# string is in every CONFIG_KVM=y image and in no CONFIG_KVM=m one.
KVM_BUILTIN_MARKER = b"kvm.halt_poll_ns"
# Compressed stream magics: gzip (deflate), xz, zstd. Where the image itself is compressed.
_STREAMS = ((b"\x1f\x8b\x08", "gzip"), (b"\xfd7zXZ\x00", "xz"), (b"\x28\xb5\x2f\xfd", "zstd"))


HEAD = 4096  # what ImageFacts keeps of the kernel's start (an Image header is 64 bytes)


class KernelImageError(KvmctError, ValueError):
    pass


def banner(data: bytes) -> str | None:
    """The "Linux version ..." line in uncompressed kernel bytes, or None."""
    m = _BANNER.search(data)
    return m.group(0).decode(errors="replace").strip() if m else None


def banner_release(line: str) -> str:
    """`Linux version 7.2.13+deb14-riscv64 (debian-kernel@...) ...` -> `7.2.13+deb14-riscv64`."""
    m = re.match(r"Linux version (\S+)", line)
    if not m:
        raise KernelImageError(f"not a Linux banner: {line[:80]!r}")
    return m.group(1)


def _decompress(data: bytes, kind: str) -> bytes:
    """Decompress one stream starting at data[0]; trailing bytes after it are ignored."""
    if kind == "gzip":
        return zlib.decompressobj(wbits=31).decompress(data)
    if kind == "xz":
        return lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data)
    if kind == "lzma":
        return lzma.LZMADecompressor(format=lzma.FORMAT_ALONE).decompress(data)
    if kind == "zstd":
        tool = shutil.which("zstd")
        if tool is None:
            raise KernelImageError("the image is zstd-compressed and no zstd program is "
                                   "installed to read its version")
        done = subprocess.run([tool, "-dcq"], input=data, capture_output=True)
        return done.stdout  # a truncated trailer still yields the banner
    raise KernelImageError(f"unsupported compression {kind!r}")


def zboot_payload(data: bytes) -> tuple[bytes, str] | None:
    """An EFI zboot image (CONFIG_EFI_ZBOOT, drivers/firmware/efi/libstub/zboot-header.S):
    "MZ", "zimg" at 4, payload offset and size (le32) at 8 and 12, compression name at 24."""
    if len(data) < 64 or data[:2] != b"MZ" or data[4:8] != b"zimg":
        return None
    offset, size = struct.unpack_from("<II", data, 8)
    kind = data[24:56].split(b"\0", 1)[0].decode(errors="replace")
    return data[offset:offset + size], kind


def uncompressed(data: bytes) -> bytes:
    """The kernel proper: the image itself when the banner is visible (a RISC-V `Image`,
    with or without its EFI PE header, is plain), else the decompressed payload of an
    `Image.gz` / zboot `vmlinuz.efi` / any image embedding one compressed stream."""
    if banner(data) is not None:
        return data
    zboot = zboot_payload(data)
    if zboot is not None:
        return _decompress(*zboot)
    for magic, kind in _STREAMS:
        start = data.find(magic)
        tries = 0
        while start >= 0 and tries < 4:
            try:
                out = _decompress(data[start:], kind)
            except (zlib.error, lzma.LZMAError, KernelImageError):
                out = b""
            if banner(out) is not None:
                return out
            start, tries = data.find(magic, start + 1), tries + 1
    return data


@dataclass(frozen=True)
class ImageFacts:
    banner: str  # the whole "Linux version ..." line
    release: str  # uname -r
    kvm_builtin: bool  # KVM_BUILTIN_MARKER seen
    head: bytes = b""  # the uncompressed kernel's first bytes: its Image header


def read_image(path: Path) -> ImageFacts:
    data = uncompressed(path.read_bytes())
    line = banner(data)
    if line is None:
        raise KernelImageError(f"{path}: no \"Linux version\" banner found (not a Linux image, "
                               "or compressed in a way kvmct cannot read)")
    return ImageFacts(line, banner_release(line), KVM_BUILTIN_MARKER in data, data[:HEAD])


def release_dirs(tree: Path) -> dict[str, Path]:
    """release -> modules directory, for an INSTALL_MOD_PATH tree (lib/modules/<rel>/), a
    lib/modules directory (<rel>/), or one release directory (kernel/, modules.builtin)."""
    found: dict[str, Path] = {}
    for base in (tree / "lib" / "modules", tree / "usr" / "lib" / "modules", tree):
        if not base.is_dir():
            continue
        for d in sorted(base.iterdir()):
            if d.is_dir() and ((d / "kernel").is_dir() or (d / "modules.builtin").is_file()):
                found.setdefault(d.name, d)
        if found:
            return found
    if (tree / "kernel").is_dir() or (tree / "modules.builtin").is_file():
        found[tree.name] = tree
    return found


def builtin_modules(release_dir: Path) -> set[str]:
    """Module names of modules.builtin (`kernel/arch/riscv/kvm/kvm.ko` -> `kvm`)."""
    f = release_dir / "modules.builtin"
    if not f.is_file():
        return set()
    return {n for n in (modules.module_name(line.strip()) for line in f.read_text().splitlines())
            if n is not None}


def vermagic_release(ko: Path) -> str:
    """The release a module was built for (first word of its .modinfo vermagic)."""
    info = modinfo.parse(modinfo.decompress(ko))
    return (info.get("vermagic") or [""])[0].split(" ")[0]


@dataclass(frozen=True)
class Inspection:
    facts: ImageFacts | None
    release: str
    modules: Path | None  # the release directory to take modules from
    kvm: str  # "module" | "builtin" | "replaced" (--kvm-module)
    notes: tuple[str, ...] = ()


def inspect(image: Path, tree: Path | None, kvm_module: Path | None = None) -> Inspection:
    """Everything kvmct must know about a user's kernel before booting it; raises
    KernelImageError with a message naming the kernel when it cannot work."""
    notes: list[str] = []
    try:
        facts: ImageFacts | None = read_image(image)
    except KernelImageError as e:
        facts = None
        notes.append(str(e))
    release = facts.release if facts else ""
    mods: Path | None = None
    if tree is not None:
        dirs = release_dirs(tree)
        if release and release in dirs:
            mods = dirs[release]
        elif list(dirs.values()) == [tree]:
            mods = tree  # one release directory itself, whatever its name
            release = release or tree.name
        elif release and dirs:
            raise KernelImageError(
                f"--modules {tree} has modules for {', '.join(sorted(dirs))}, but kernel "
                f"{image} is {release}: they would not load")
        elif len(dirs) == 1:
            release, mods = release or next(iter(dirs)), next(iter(dirs.values()))
        elif len(dirs) > 1:
            raise KernelImageError(f"--modules {tree} has modules for several kernels "
                                   f"({', '.join(sorted(dirs))}); the image's version is unknown")
        else:
            mods = tree  # a plain directory of .ko files
    who = f"kernel {image}" + (f" ({release})" if release else "")
    ko = kvm_module or (modules.index_tree(mods).get("kvm") if mods is not None else None)
    built_for = vermagic_release(ko) if ko is not None else ""
    if release and built_for and built_for != release:
        raise KernelImageError(f"{ko} was built for {built_for}, but kernel {image} is {release}: "
                               "the kernel would refuse to load it")
    has_ko = ko is not None and kvm_module is None
    builtin = (mods is not None and "kvm" in builtin_modules(mods)) or \
        (facts is not None and facts.kvm_builtin)
    if kvm_module is not None:
        if builtin:
            raise KernelImageError(f"{who} has KVM built in (CONFIG_KVM=y): --kvm-module "
                                   "cannot replace it")
        return Inspection(facts, release, mods, "replaced", tuple(notes))
    if has_ko:
        return Inspection(facts, release, mods, "module", tuple(notes))
    if builtin:
        return Inspection(facts, release, mods, "builtin", tuple(notes))
    where = f"no kvm.ko under --modules {tree}" if tree is not None else \
        "no --modules tree with a kvm.ko given"
    if facts is None:
        where += f" ({notes[0]})"
    raise KernelImageError(
        f"{who} has no KVM: {where}, and KVM is not built in (neither modules.builtin nor the "
        f"image names it). Build it with CONFIG_KVM=m (and pass --modules from "
        f"`make modules_install INSTALL_MOD_PATH=DIR`) or CONFIG_KVM=y, or pass --kvm-module")
