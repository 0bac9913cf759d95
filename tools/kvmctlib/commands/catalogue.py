# SPDX-License-Identifier: MIT
# `kvmct catalogue --header kvm.h`: check expected/riscv/isa-extensions.yaml against a uapi riscv
# asm/kvm.h (enum KVM_RISCV_ISA_EXT_ID) and print paste-ready YAML for ids it lacks.
#
# Runs on the host with the stdlib: the catalogue is read with a line parser for the subset it
# is written in (`- name:` starts an entry; `id:` and `since:` are plain scalars on their own
# lines). The suite's yaml-cpp loader stays the strict reader of the whole file; a test checks
# this parser against PyYAML inside the build root, so the two cannot drift apart unnoticed.
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .. import arch, uapi_header
from ..paths import repo_root
from ..uapi_header import PREFIX, CatalogueError as CatalogueError, header_ids
from ..uapi_header import header_version, paste_yaml
from .base import Command, Context


@dataclass(frozen=True)
class Entry:
    name: str
    id: int
    since: str
    line: int


def _scalar(raw: str) -> str:
    value = raw.split(" #", 1)[0].strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return value


def parse_catalogue(text: str, source: str = "isa-extensions.yaml") -> list[Entry]:
    entries: list[Entry] = []
    cur: dict[str, str] = {}
    start = 0

    def close() -> None:
        if not cur:
            return
        if "id" not in cur or not cur["id"].isdigit():
            raise CatalogueError(f"{source}:{start}: entry {cur.get('name')} has no integer id")
        entries.append(Entry(cur["name"], int(cur["id"]), cur.get("since", ""), start))

    for n, line in enumerate(text.splitlines(), 1):
        if m := re.match(r"^\s*-\s+name:\s*(.+)$", line):
            close()
            cur, start = {"name": _scalar(m.group(1))}, n
        elif cur and (m := re.match(r"^\s+(id|since):\s*(.+)$", line)):
            cur[m.group(1)] = _scalar(m.group(2))
    close()
    seen: dict[int, Entry] = {}
    for e in entries:
        if e.id in seen:
            raise CatalogueError(f"{source}:{e.line}: id {e.id} ({e.name}) already used by "
                             f"{seen[e.id].name} at line {seen[e.id].line}")
        seen[e.id] = e
    return entries


@dataclass
class Check:
    problems: list[str] = field(default_factory=list)  # catalogue and header disagree
    new: list[tuple[int, str]] = field(default_factory=list)  # ids only the header has
    beyond: list[Entry] = field(default_factory=list)  # catalogue ids newer than the header
    header_max: int | None = None


def check(entries: list[Entry], header: str) -> Check:
    ids, top = header_ids(header)
    result = Check(header_max=top)
    by_id = {e.id: e for e in entries}
    by_name = {e.name: e for e in entries}
    last = max(ids) if ids else -1
    if top is not None and top != last + 1:
        result.problems.append(f"{PREFIX}MAX is {top}, but the last id is {last}")
    for i, name in sorted(ids.items()):
        e = by_id.get(i)
        if e is None:
            if name in by_name:
                result.problems.append(f"{name}: header id {i}, catalogue id "
                                       f"{by_name[name].id} (line {by_name[name].line})")
            else:
                result.new.append((i, name))
        elif e.name != name:
            result.problems.append(f"id {i}: header {PREFIX}{name}, catalogue {e.name} "
                                   f"(line {e.line})")
    for e in sorted(entries, key=lambda e: e.id):
        if e.id not in ids:
            if e.id > last:
                result.beyond.append(e)
            else:
                result.problems.append(f"{e.name} (id {e.id}, line {e.line}): not in the "
                                       "header although it defines higher ids")
    return result


def render(result: Check, header: Path, catalogue: Path, since: str) -> str:
    lines = [f"kvmct catalogue: {catalogue} against {header} "
             f"({PREFIX}MAX = {result.header_max})"]
    lines += [f"  mismatch: {p}" for p in result.problems]
    if result.beyond:
        lines.append(f"  catalogue ids newer than this header: {result.beyond[0].id}.."
                     f"{result.beyond[-1].id} ({len(result.beyond)}; fine, the catalogue "
                     "is a superset)")
    if result.new:
        lines.append(f"  new in the header: {', '.join(f'{n} ({i})' for i, n in result.new)}")
        lines += ["", paste_yaml(result.new, since, header.name).rstrip()]
    if not result.problems and not result.new:
        lines.append("  consistent: every header id is in the catalogue with the same name")
    return "\n".join(lines) + "\n"


def run(header: Path, catalogue: Path, since: str | None) -> tuple[str, int]:
    """(report, exit status): 0 consistent, 1 mismatches or new ids."""
    try:
        catalogue_text, header_text = catalogue.read_text(), header.read_text(errors="replace")
    except OSError as e:
        raise CatalogueError(f"{e.filename}: {e.strerror}") from None
    entries = parse_catalogue(catalogue_text, str(catalogue))
    result = check(entries, header_text)
    text = render(result, header, catalogue, since if since is not None else header_version(header))
    return text, 1 if result.problems or result.new else 0


def _arguments(p: argparse.ArgumentParser) -> None:
    profile = arch.load(uapi_header.ARCH)
    p.add_argument("--header", type=Path, required=True, metavar="PATH",
                   help="a riscv uapi asm/kvm.h (enum KVM_RISCV_ISA_EXT_ID)")
    p.add_argument("--catalogue", type=Path, metavar="PATH",
                   default=repo_root() / "expected" / profile.expected_dir / profile.catalogue)
    p.add_argument("--since", metavar="X.Y", help="first release for new ids (default: "
                                                  "the header's kernel version, if found)")


def _execute(args: argparse.Namespace, ctx: Context) -> int:
    text, status = run(args.header, args.catalogue, args.since)
    sys.stdout.write(text)
    return status


def _help() -> str:
    profile = arch.load(uapi_header.ARCH)
    return (f"check expected/{profile.expected_dir}/{profile.catalogue} against a uapi "
            "asm/kvm.h; print YAML for new ids")


CATALOGUE = Command("catalogue", _help(), _arguments, _execute)
