# SPDX-License-Identifier: MIT
# newc cpio writer: exact header bytes, 4-byte alignment, every entry type, round trip.
from __future__ import annotations

import stat

from kvmctlib.cell import cpio


def test_header_layout_of_one_file() -> None:
    data = cpio.write([cpio.file("init", b"abc", 0o755)])
    assert data.startswith(b"070701")
    header = data[:110]
    fields = [int(header[6 + 8 * i: 14 + 8 * i], 16) for i in range(13)]
    assert fields[1] == stat.S_IFREG | 0o755  # mode
    assert fields[6] == 3  # filesize
    assert fields[11] == len(b"init\0")  # namesize
    assert data[110:115] == b"init\0"
    assert data[116:119] == b"abc"  # 110 + 5 padded to 116
    assert len(data) % 4 == 0
    assert b"TRAILER!!!" in data


def test_round_trip_all_types() -> None:
    entries = [cpio.directory("bin"), cpio.file("bin/busybox", b"\x7fELF" * 3, 0o755),
               cpio.symlink("bin/sh", "busybox"), cpio.chardev("dev/console", 5, 1),
               cpio.file("empty", b"")]
    back = cpio.read(cpio.write(entries))
    assert back == entries


def test_alignment_for_every_name_length() -> None:
    for n in range(1, 9):
        entries = [cpio.file("x" * n, b"y" * n)]
        assert cpio.read(cpio.write(entries)) == entries


def test_deterministic() -> None:
    entries = [cpio.file("a", b"1"), cpio.file("b", b"2")]
    assert cpio.write(entries) == cpio.write(entries)
