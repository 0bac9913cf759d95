# SPDX-License-Identifier: MIT
# A newc ("070701") cpio writer, the format the kernel unpacks as an initramfs.
# Pure: entries in, bytes out; no cpio binary needed on the host.
from __future__ import annotations

import stat
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    path: str  # inside the archive, without leading "/"
    mode: int  # full st_mode (type | permissions)
    data: bytes = b""  # file contents, or the target of a symlink
    rdev: tuple[int, int] = (0, 0)  # major, minor of a device node


def file(path: str, data: bytes, perm: int = 0o644) -> Entry:
    return Entry(path, stat.S_IFREG | perm, data)


def directory(path: str, perm: int = 0o755) -> Entry:
    return Entry(path, stat.S_IFDIR | perm)


def symlink(path: str, target: str) -> Entry:
    return Entry(path, stat.S_IFLNK | 0o777, target.encode())


def chardev(path: str, major: int, minor: int, perm: int = 0o600) -> Entry:
    return Entry(path, stat.S_IFCHR | perm, rdev=(major, minor))


def _pad(n: int) -> bytes:
    return b"\0" * (-n % 4)


def _header(ino: int, entry: Entry, namesize: int) -> bytes:
    nlink = 2 if stat.S_ISDIR(entry.mode) else 1
    fields = (ino, entry.mode, 0, 0, nlink, 0, len(entry.data), 0, 0,
              entry.rdev[0], entry.rdev[1], namesize, 0)
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def write(entries: list[Entry]) -> bytes:
    """The archive: entries in the given order (parents before children), then the trailer.

    uid/gid are 0 and mtime is 0, so the same inputs give the same bytes.
    """
    out = bytearray()
    for ino, entry in enumerate([*entries, Entry("TRAILER!!!", 0)], start=1):
        name = entry.path.lstrip("/").encode() + b"\0"
        ino = 0 if entry.path == "TRAILER!!!" else ino
        out += _header(ino, entry, len(name)) + name
        out += _pad(len(out))
        out += entry.data
        out += _pad(len(out))
    return bytes(out)


def read(data: bytes) -> list[Entry]:
    """Parse a newc archive back into entries (for tests and inspection)."""
    entries: list[Entry] = []
    pos = 0
    while pos < len(data):
        if data[pos:pos + 6] != b"070701":
            raise ValueError(f"bad cpio magic at {pos}")
        fields = [int(data[pos + 6 + 8 * i: pos + 14 + 8 * i], 16) for i in range(13)]
        mode, size, rmaj, rmin, namesize = fields[1], fields[6], fields[9], fields[10], fields[11]
        pos += 110
        name = data[pos:pos + namesize - 1].decode()
        pos += namesize
        pos += -pos % 4
        body = data[pos:pos + size]
        pos += size
        pos += -pos % 4
        if name == "TRAILER!!!":
            break
        entries.append(Entry(name, mode, body, (rmaj, rmin)))
    return entries
