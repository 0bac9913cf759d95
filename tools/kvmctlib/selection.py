# SPDX-License-Identifier: MIT
# Which cells a run boots: the architectures (--arch, else those the arguments imply, else
# all), each one's matrix (--matrix, default `default`) and its axes replaced per architecture
# by the --kernel / --cpu arguments that belong to it. Pure: the caller says which --kernel
# arguments are bound to one architecture (an image, .debs, a built kernel).
from __future__ import annotations

import re
from dataclasses import dataclass

from . import arch, cpus
from .errors import KvmctError


class SelectionError(KvmctError, ValueError):
    pass


@dataclass(frozen=True)
class Axes:
    """One architecture's share of a run: kernels x CPU models."""

    profile: arch.Profile
    models: cpus.Models
    kernels: tuple[str, ...]
    cpus: tuple[cpus.CpuModel, ...]


def _owner(arg: str, tables: dict[str, cpus.Models]) -> str | None:
    """The architecture whose table names --cpu `arg` (model names are unique across
    architectures), else the one whose models spell it as a -cpu string, if exactly one:
    riscv's model `max` is riscv64's although arm64's max-vhe spells `-cpu max` too."""
    named = [a for a, m in tables.items() if arg in m.cpus]
    owners = named or [a for a, m in tables.items() if m.has(arg)]
    return owners[0] if len(owners) == 1 else None


def implied_arch(cpu_args: list[str], profiles: tuple[arch.Profile, ...]) -> str | None:
    """The one architecture whose tables name every --cpu in `cpu_args`, else None."""
    tables = {p.name: cpus.load(p) for p in profiles}
    owners = {_owner(c, tables) for c in cpu_args}
    return owners.pop() if len(owners) == 1 and None not in owners else None


def select(arch_args: list[str] | None, matrix: str | None, kernel_args: list[str] | None,
           cpu_args: list[str] | None, bound: dict[str, str],
           profiles: tuple[arch.Profile, ...]) -> list[Axes]:
    """The run's axes per architecture, in profile order. `bound` maps a --kernel argument to
    the architecture it can only run on; `profiles` is every architecture."""
    by_name = {p.name: p for p in profiles}
    tables = {p.name: cpus.load(p) for p in profiles}
    known = tuple(tables)
    for a in arch_args or []:
        if a not in tables:
            raise SelectionError(f"--arch {a}: no such architecture (known: {', '.join(known)})")
    explicit = tuple(dict.fromkeys(arch_args or []))
    chosen = tuple(a for a in known if a in explicit) or known
    name = matrix or "default"
    having = [a for a in chosen if name in tables[a].matrices]
    if not having:
        raise SelectionError(f"--matrix {name}: no such matrix for {', '.join(chosen)} ("
                             + "; ".join(f"{a}: {', '.join(sorted(tables[a].matrices))}"
                                         for a in chosen) + ")")
    if name != "default" and len(having) > 1:
        raise SelectionError(f"--matrix {name}: ambiguous, {', '.join(having)} all have it; "
                             "choose with --arch")
    cpu_owner = {c: _owner(c, tables) for c in cpu_args or []}
    for c, owner in cpu_owner.items():
        if owner is not None and owner not in having:
            raise SelectionError(f"--cpu {c}: a CPU model of {owner}, which this run does not "
                                 f"include ({', '.join(having)})")
    for k, a in bound.items():
        if a not in having:
            raise SelectionError(f"--kernel {k}: a kernel of {a}, which this run does not "
                                 f"include ({', '.join(having)})")
    implied = {o for o in cpu_owner.values() if o is not None} | set(bound.values())
    if not explicit and matrix is None and implied:
        having = [a for a in having if a in implied]
    raw = [c for c, owner in cpu_owner.items() if owner is None]
    if raw and len(having) > 1:
        raise SelectionError(f"--cpu {raw[0]}: not a CPU model of exactly one architecture "
                             f"({', '.join(having)} would all boot it); choose with --arch")
    out: list[Axes] = []
    for a in having:
        models, m = tables[a], tables[a].matrix(name)
        mine = [c for c, owner in cpu_owner.items() if owner == a or owner is None]
        kernels = [k for k in kernel_args or [] if bound.get(k, a) == a]
        if kernel_args and not kernels:
            if a in explicit:
                raise SelectionError(f"--arch {a}: none of the --kernel arguments is a kernel "
                                     f"of {a}")
            continue
        out.append(Axes(by_name[a], models,
                        tuple(kernels or m.kernels),
                        tuple(models.resolve(c) for c in (mine or m.cpus))))
    booted = {x.profile.name for x in out}
    for c, owner in cpu_owner.items():
        if owner is not None and owner not in booted:
            raise SelectionError(f"--cpu {c}: a CPU model of {owner}, but no --kernel of the "
                                 f"run is a kernel of {owner}")
    return out


def cell_names(cells: list[tuple[str, str]]) -> list[str]:
    """`<kernel>-<cpu>` for each (kernel, cpu model) pair; a name two cells would share is an
    error (their results would overwrite each other)."""
    names: dict[str, tuple[str, str]] = {}
    out: list[str] = []
    for kernel, cpu in cells:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{kernel}-{cpu}")
        if name in names:
            raise SelectionError(f"cell {name}: both {names[name][0]} x {names[name][1]} and "
                                 f"{kernel} x {cpu} would be named so; rename one kernel "
                                 "(cell names must be unique in a run)")
        names[name] = (kernel, cpu)
        out.append(name)
    return out
