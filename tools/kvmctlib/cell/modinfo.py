# SPDX-License-Identifier: MIT
# Reads a kernel module's .modinfo ELF section (the key=value strings behind modinfo(8)).
# Debian's packages ship no modules.dep (depmod runs at install), so `depends=` is the truth.
from __future__ import annotations

import gzip
import lzma
import struct
from pathlib import Path

from ..errors import KvmctError


class ModuleFileError(KvmctError, ValueError):
    """A module file kvmct cannot read."""


def decompress(path: Path) -> bytes:
    """A module's plain ELF bytes, whether stored as .ko, .ko.xz or .ko.gz."""
    data = path.read_bytes()
    if path.name.endswith(".xz"):
        return lzma.decompress(data)
    if path.name.endswith(".gz"):
        return gzip.decompress(data)
    if path.name.endswith(".zst"):
        raise ModuleFileError(f"{path}: .zst modules are not supported; decompress them first")
    return data


def section(elf: bytes, wanted: str) -> bytes | None:
    """The contents of ELF section `wanted` (32/64-bit, either endianness), or None."""
    if elf[:4] != b"\x7fELF":
        raise ModuleFileError("not an ELF file")
    is64 = elf[4] == 2
    end = "<" if elf[5] == 1 else ">"
    if is64:
        shoff, = struct.unpack_from(end + "Q", elf, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", elf, 0x3A)
        fmt = end + "IIQQQQIIQQ"
    else:
        shoff, = struct.unpack_from(end + "I", elf, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", elf, 0x2E)
        fmt = end + "IIIIIIIIII"
    headers = [struct.unpack_from(fmt, elf, shoff + i * shentsize) for i in range(shnum)]
    if not headers or shstrndx >= len(headers):
        return None
    names_off, names_size = headers[shstrndx][4], headers[shstrndx][5]
    names = elf[names_off:names_off + names_size]
    for h in headers:
        name_end = names.find(b"\0", h[0])
        if names[h[0]:name_end].decode(errors="replace") == wanted:
            return elf[h[4]:h[4] + h[5]]
    return None


def parse(elf: bytes) -> dict[str, list[str]]:
    """key -> values from .modinfo (a key such as `alias` can repeat)."""
    raw = section(elf, ".modinfo")
    info: dict[str, list[str]] = {}
    if raw is None:
        return info
    for entry in raw.split(b"\0"):
        if b"=" not in entry:
            continue
        key, _, value = entry.decode(errors="replace").partition("=")
        info.setdefault(key, []).append(value)
    return info


def depends(info: dict[str, list[str]]) -> list[str]:
    """The module names in `depends=` (comma separated, possibly empty)."""
    return [d for v in info.get("depends", []) for d in v.split(",") if d]
