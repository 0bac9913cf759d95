# SPDX-License-Identifier: MIT
# A reader for flattened device trees (the DTB QEMU writes with -machine dumpdtb=FILE): just
# enough of the devicetree specification's structure block to read node properties.
from __future__ import annotations

import struct

MAGIC = 0xD00DFEED
_BEGIN_NODE, _END_NODE, _PROP, _NOP, _END = 1, 2, 3, 4, 9


class FdtError(ValueError):
    pass


def _cstring(data: bytes, offset: int) -> tuple[str, int]:
    end = data.index(b"\0", offset)
    return data[offset:end].decode(errors="replace"), end + 1


def nodes(data: bytes) -> dict[str, dict[str, bytes]]:
    """Every node by its path ("/", "/cpus/cpu@0"), each with its raw property values."""
    if len(data) < 40:
        raise FdtError(f"{len(data)} bytes is too short for a device tree header")
    magic, total, off_struct, off_strings = struct.unpack_from(">IIII", data, 0)
    if magic != MAGIC:
        raise FdtError(f"bad magic {magic:#x} (a DTB starts with {MAGIC:#x})")
    if total > len(data):
        raise FdtError(f"header says {total} bytes, file has {len(data)}")
    out: dict[str, dict[str, bytes]] = {}
    path: list[str] = []
    pos = off_struct
    while True:
        (token,) = struct.unpack_from(">I", data, pos)
        pos += 4
        if token == _BEGIN_NODE:
            name, pos = _cstring(data, pos)
            pos = (pos + 3) & ~3
            path.append(name)
            out["/" + "/".join(p for p in path if p)] = {}
        elif token == _END_NODE:
            if not path:
                raise FdtError(f"unbalanced end of node at offset {pos - 4}")
            path.pop()
        elif token == _PROP:
            size, name_off = struct.unpack_from(">II", data, pos)
            pos += 8
            name, _ = _cstring(data, off_strings + name_off)
            if not path:
                raise FdtError(f"property {name} outside any node")
            out["/" + "/".join(p for p in path if p)][name] = data[pos:pos + size]
            pos = (pos + size + 3) & ~3
        elif token == _NOP:
            continue
        elif token == _END:
            return out
        else:
            raise FdtError(f"unknown token {token} at offset {pos - 4}")


def strings(value: bytes) -> list[str]:
    """A stringlist property ("a\\0b\\0") as its strings."""
    return [s.decode(errors="replace") for s in value.split(b"\0")[:-1]] if value else []
