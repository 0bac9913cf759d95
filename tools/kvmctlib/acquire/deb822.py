# SPDX-License-Identifier: MIT
# Debian control stanzas (Packages / apt-cache show) and the walk from a kernel meta package
# to the versioned packages that hold the image and the modules. Pure functions.
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from ..errors import KvmctError


class PackageNotFound(KvmctError, LookupError):
    """A package or dependency the apt index does not have."""


Stanza = dict[str, str]

# Packages that carry a kernel's files. `linux-image-riscv64` (meta) depends on
# `linux-image-<release>` which, in sid since 7.x, depends on `linux-binary-<release>`
# (vmlinuz) and `linux-modules-<release>`; in trixie the image package holds both.
KERNEL_PACKAGE = re.compile(r"^linux-(image|binary|modules)-\d")
# The kernel's uapi headers (asm/kvm.h among them), built from the same source version.
UAPI_PACKAGE = "linux-libc-dev"


def parse_stanzas(text: str) -> list[Stanza]:
    """Split deb822 text into stanzas; continuation lines are joined with newlines."""
    stanzas: list[Stanza] = []
    current: Stanza = {}
    key = ""
    for line in text.splitlines():
        if not line.strip():
            if current:
                stanzas.append(current)
            current, key = {}, ""
        elif line[0] in " \t":
            if key:
                current[key] += "\n" + line.strip()
        elif ":" in line:
            key, _, value = line.partition(":")
            key = key.strip()
            current[key] = value.strip()
    if current:
        stanzas.append(current)
    return stanzas


@dataclass(frozen=True)
class Relation:
    name: str
    op: str = ""
    version: str = ""


def parse_depends(value: str) -> list[list[Relation]]:
    """`a (>= 1) | b, c:any` -> [[a>=1, b], [c]]; architecture qualifiers are dropped."""
    groups: list[list[Relation]] = []
    for group in value.split(","):
        alts: list[Relation] = []
        for alt in group.split("|"):
            m = re.match(r"\s*([^\s(:\[]+)(?::\S+)?\s*(?:\(\s*([<>=]+)\s*([^)\s]+)\s*\))?", alt)
            if m and m.group(1):
                alts.append(Relation(m.group(1), m.group(2) or "", m.group(3) or ""))
        if alts:
            groups.append(alts)
    return groups


def kernel_closure(start: str, lookup: Callable[[str], Stanza | None]) -> list[Stanza]:
    """Stanzas of the kernel packages reachable from `start` through Depends, in walk order.

    Only first alternatives that look like kernel packages are followed; `linux-base`,
    initramfs tools and the like are not needed to boot with our own initramfs.
    """
    first = lookup(start)
    if first is None:
        raise PackageNotFound(f"package {start} not found")
    seen = {start}
    order = [first]
    queue = [first]
    while queue:
        stanza = queue.pop(0)
        for group in parse_depends(stanza.get("Depends", "")) + parse_depends(
                stanza.get("Pre-Depends", "")):
            rel = group[0]
            if rel.name in seen or not KERNEL_PACKAGE.match(rel.name):
                continue
            seen.add(rel.name)
            dep = lookup(rel.name)
            if dep is None:
                raise PackageNotFound(f"package {rel.name} (needed by {stanza.get('Package')}) "
                                  "not found")
            order.append(dep)
            queue.append(dep)
    return order


def index(stanzas: Iterable[Stanza]) -> Callable[[str], Stanza | None]:
    """A lookup over captured stanzas; the last stanza of a name wins (apt-cache order)."""
    table = {s["Package"]: s for s in stanzas if "Package" in s}
    return table.get
