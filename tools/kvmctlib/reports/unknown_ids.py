# SPDX-License-Identifier: MIT
# The report's lines for ISA_EXT ids a cell's kernel has and the catalogue lacks (a test's
# unknown_ids): with the kernel's uapi header at hand, each id's name and the catalogue and
# probe lines to paste; without it, the command that prints them once the header is found.
from __future__ import annotations

import re
from pathlib import Path

from .. import uapi_header
from ..judge.records import Cell, Test


def _series(release: str) -> str:
    m = re.match(r"(\d+\.\d+)", release)
    return m.group(1) if m else ""


def lines(cell: Cell, test: Test) -> list[str]:
    if not test.unknown_ids:
        return []
    ids = ", ".join(str(i) for i in test.unknown_ids)
    path = cell.kernel.get("uapi_header", "")
    header = Path(path) if path else None
    if header is None or not header.is_file():
        uapi = "arch/<ARCH>/include/uapi/asm/kvm.h"
        return [f"unknown ISA_EXT ids {ids}: the kernel's uapi header is not at hand; name them "
                f"with tools/kvmct catalogue --header <its {uapi}>"]
    try:
        names, _ = uapi_header.header_ids(header.read_text(errors="replace"))
    except (OSError, uapi_header.CatalogueError) as e:
        return [f"unknown ISA_EXT ids {ids}: {header}: {e}"]
    named = [(i, names[i]) for i in test.unknown_ids if i in names]
    out = [f"unknown ISA_EXT ids, named by {header}: "
           + ", ".join(f"{i} = {names.get(i, '(not in this header)')}" for i in test.unknown_ids)]
    if named:
        since = uapi_header.header_version(header) or _series(cell.kernel.get("release", ""))
        out += uapi_header.paste_yaml(named, since, header.name).rstrip().splitlines()
    return out
