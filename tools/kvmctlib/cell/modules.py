# SPDX-License-Identifier: MIT
# Finds modules by name in a module tree and orders a set of them so dependencies load first.
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from . import modinfo
from ..errors import KvmctError

_SUFFIXES = (".ko", ".ko.xz", ".ko.gz", ".ko.zst")


def module_name(filename: str) -> str | None:
    """`kvm-intel.ko.xz` -> `kvm_intel`; None for a non-module file. `-` and `_` are one."""
    base = filename.rsplit("/", 1)[-1]
    for suffix in _SUFFIXES:
        if base.endswith(suffix):
            return base[: -len(suffix)].replace("-", "_")
    return None


def index_tree(root: Path) -> dict[str, Path]:
    """name -> path of every module under root (first found wins, sorted for stability)."""
    table: dict[str, Path] = {}
    for path in sorted(root.rglob("*")):
        name = module_name(path.name)
        if name is not None and path.is_file():
            table.setdefault(name, path)
    return table


class MissingModule(KvmctError, LookupError):
    pass


@dataclass(frozen=True)
class Resolved:
    order: list[str]  # load order, dependencies first
    missing: list[str]  # requested top-level names absent (built into the kernel, likely)


def load_order(wanted: Iterable[str], deps_of: Callable[[str], list[str] | None]) -> Resolved:
    """Depth-first: each module after its dependencies. deps_of(name) is None if absent.

    A requested module that is absent is reported in `missing` (it may be built in); an
    absent dependency of a present module is an error (the module could not load).
    """
    order: list[str] = []
    missing: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "active":
            raise KvmctError(f"module dependency cycle: {' -> '.join(chain + (name,))}")
        deps = deps_of(name)
        if deps is None:
            if chain:
                raise MissingModule(f"module {name} (needed by {chain[-1]}) not found")
            missing.append(name)
            state[name] = "done"
            return
        state[name] = "active"
        for dep in deps:
            visit(dep.replace("-", "_"), chain + (name,))
        state[name] = "done"
        order.append(name)

    for name in wanted:
        visit(name.replace("-", "_"), ())
    return Resolved(order, missing)


def tree_deps(table: dict[str, Path]) -> Callable[[str], list[str] | None]:
    """deps_of over a module tree, reading each module's .modinfo once."""
    cache: dict[str, list[str]] = {}

    def deps_of(name: str) -> list[str] | None:
        if name not in table:
            return None
        if name not in cache:
            cache[name] = modinfo.depends(modinfo.parse(modinfo.decompress(table[name])))
        return cache[name]

    return deps_of
