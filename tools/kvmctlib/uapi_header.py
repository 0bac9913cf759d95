# SPDX-License-Identifier: MIT
# A riscv uapi asm/kvm.h read for its ISA_EXT ids (enum KVM_RISCV_ISA_EXT_ID), and the
# paste-ready catalogue and probe lines for ids the catalogue lacks. Shared by `kvmct catalogue`
# and the run report's unknown-id section, so there is one header parser.
from __future__ import annotations

import re
from pathlib import Path

from .errors import KvmctError


class CatalogueError(KvmctError, ValueError):
    """A uapi header or catalogue kvmct cannot read."""


# The architecture whose ISA_EXT registers these headers name (its profile gives the tables'
# directory); `kvmct catalogue` and `kvmct expect` are about its ISA extensions only.
ARCH = "riscv64"
PREFIX = "KVM_RISCV_ISA_EXT_"


def _strip_c_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def parse_enum(text: str, enum: str = "KVM_RISCV_ISA_EXT_ID") -> dict[str, int]:
    """NAME -> value of a C enum: values count up from the previous one; an initializer is an
    integer literal or an earlier enumerator (what uapi headers use)."""
    body = re.search(r"\benum\s+" + re.escape(enum) + r"\s*\{(.*?)\}", _strip_c_comments(text),
                     re.S)
    if body is None:
        raise CatalogueError(f"no `enum {enum}` in the header")
    out: dict[str, int] = {}
    value = -1
    for item in (i.strip() for i in body.group(1).split(",")):
        if not item:
            continue
        m = re.fullmatch(r"([A-Za-z_]\w*)\s*(?:=\s*(.+))?", item, re.S)
        if m is None:
            raise CatalogueError(f"enum {enum}: cannot read {item!r}")
        if m.group(2) is not None:
            init = m.group(2).strip()
            if re.fullmatch(r"0[xX][0-9a-fA-F]+|\d+", init):
                value = int(init, 0)
            elif init in out:
                value = out[init]
            else:
                raise CatalogueError(f"enum {enum}: {m.group(1)} = {init}: not a literal or an "
                                 "earlier enumerator")
        else:
            value += 1
        out[m.group(1)] = value
    return out


def header_ids(text: str) -> tuple[dict[int, str], int | None]:
    """id -> catalogue name (prefix dropped), and KVM_RISCV_ISA_EXT_MAX if defined."""
    ids: dict[int, str] = {}
    top = None
    for name, value in parse_enum(text).items():
        short = name.removeprefix(PREFIX)
        if short == "MAX":
            top = value
        else:
            ids[value] = short
    return ids, top


def header_version(header: Path) -> str:
    """"X.Y" of the kernel the header comes from: linux/version.h next to an installed
    header, or the Makefile of a kernel tree; "" if neither is found."""
    for parent in list(header.resolve().parents)[:6]:
        vh = parent / "linux" / "version.h"
        if vh.is_file():
            m = re.search(r"LINUX_VERSION_CODE\s+(\d+)", vh.read_text())
            if m:
                code = int(m.group(1))
                return f"{code >> 16}.{(code >> 8) & 0xFF}"
        mk = parent / "Makefile"
        if mk.is_file():
            t = mk.read_text(errors="replace")
            v = re.search(r"^VERSION\s*=\s*(\d+)", t, re.M)
            p = re.search(r"^PATCHLEVEL\s*=\s*(\d+)", t, re.M)
            if v and p:
                return f"{v.group(1)}.{p.group(1)}"
    return ""


def paste_yaml(new: list[tuple[int, str]], since: str, header: str) -> str:
    """Entries to append to expected/riscv/isa-extensions.yaml and expected/riscv/isa-probes.yaml."""
    out = ["# expected/riscv/isa-extensions.yaml, append under `extensions:`"]
    for i, name in new:
        out += ["",
                f"  # {PREFIX}{name} = {i} ({header}). host: check its riscv_isa_ext[] line",
                "  # and validate callback in arch/riscv/kernel/cpufeature.c (docs/expectations.md).",
                f"  - name: {name}",
                f"    id: {i}",
                f'    since: "{since or "0.0"}"' + ("" if since else
                                                   "   # UNCONFIRMED: set the first release"),
                f'    host: ["{name.lower()}"]',
                "    guest_visible: true"]
    out += ["", "# expected/riscv/isa-probes.yaml, append under `probes:`"]
    out += [f'  {name}: {{deferred: "no probe written yet"}}' for _, name in new]
    out += ["", "# expected/riscv/policy.yaml: raise isa_ext_max of the release, and under `rules:` add",
            "# e.g. `NAME: [{since: \"X.Y\", disable: never, commits: [12-hex id]}]` where",
            "# kvm_riscv_isa_{enable,disable}_allowed() names it (docs/extending.md)."]
    return "\n".join(out) + "\n"
