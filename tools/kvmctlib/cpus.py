# SPDX-License-Identifier: MIT
# QEMU CPU models and cell matrices as data (data/arch/<folder>/cpus.toml, one per architecture):
# resolve a `--cpu` argument to a named model or a raw `-cpu` string, and check each string
# against QEMU before anything boots.
from __future__ import annotations

import os
import subprocess
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from . import arch, fdt
from .cell.qemu import Machine, dumpdtb_command
from .errors import KvmctError


class CpuTableError(KvmctError, ValueError):
    """A cpus.toml, or a --matrix name, that does not hold together."""

@dataclass(frozen=True)
class CpuModel:
    name: str  # the label in the cell name; says nothing to the suite
    qemu: str  # what `-cpu` gets
    about: str = ""
    kernel_args: tuple[str, ...] = ()  # added to the host kernel's command line (kvm-arm.mode=nvhe)


@dataclass(frozen=True)
class Matrix:
    name: str
    kernels: tuple[str, ...]
    cpus: tuple[str, ...]
    about: str = ""


@dataclass(frozen=True)
class Models:
    cpus: dict[str, CpuModel]
    matrices: dict[str, Matrix]
    source: Path

    def resolve(self, arg: str) -> CpuModel:
        """A model by name; anything else is a raw `-cpu` string, labelled by the name of the
        model it spells if there is one (`--cpu rv64,zicboz=false` -> rv64-no-zicboz)."""
        if arg in self.cpus:
            return self.cpus[arg]
        for model in self.cpus.values():
            if model.qemu == arg:
                return model
        return CpuModel(arg, arg)

    def has(self, arg: str) -> bool:
        """Whether `arg` names one of this table's models or spells one's -cpu string."""
        return arg in self.cpus or any(m.qemu == arg for m in self.cpus.values())

    def matrix(self, name: str) -> Matrix:
        if name not in self.matrices:
            raise CpuTableError(f"--matrix {name}: no such matrix in {self.source} "
                             f"(known: {', '.join(sorted(self.matrices))})")
        return self.matrices[name]


def _keys(where: str, table: Any, allowed: set[str], required: set[str]) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise CpuTableError(f"{where}: not a table")
    unknown = set(table) - allowed
    if unknown:
        raise CpuTableError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    missing = required - set(table)
    if missing:
        raise CpuTableError(f"{where}: missing key(s) {', '.join(sorted(missing))}")
    return table


def _strings(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v
                                                           for v in value):
        raise CpuTableError(f"{where}: expected a non-empty list of strings")
    return tuple(value)


def parse(text: str, source: Path) -> Models:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise CpuTableError(f"{source}: {e}") from None
    _keys(str(source), doc, {"cpus", "matrices"}, {"cpus", "matrices"})
    cpus: dict[str, CpuModel] = {}
    for name, t in doc["cpus"].items():
        where = f"{source}: cpus.{name}"
        t = _keys(where, t, {"qemu", "about", "kernel_args"}, {"qemu"})
        qemu = t["qemu"]
        if not isinstance(qemu, str) or not qemu or any(c.isspace() for c in qemu):
            raise CpuTableError(f"{where}: qemu must be a -cpu string without spaces")
        args = _strings(f"{where}.kernel_args", t["kernel_args"]) if "kernel_args" in t else ()
        if any(c.isspace() for a in args for c in a):
            raise CpuTableError(f"{where}.kernel_args: one argument per string, no spaces")
        cpus[name] = CpuModel(name, qemu, str(t.get("about", "")), args)
    matrices: dict[str, Matrix] = {}
    for name, t in doc["matrices"].items():
        where = f"{source}: matrices.{name}"
        t = _keys(where, t, {"kernels", "cpus", "about"}, {"kernels", "cpus"})
        m = Matrix(name, _strings(f"{where}.kernels", t["kernels"]),
                   _strings(f"{where}.cpus", t["cpus"]), str(t.get("about", "")))
        unknown = [c for c in m.cpus if c not in cpus]
        if unknown:
            raise CpuTableError(f"{where}: cpus {', '.join(unknown)} are not defined under [cpus]")
        matrices[name] = m
    return Models(cpus, matrices, source)


def load(profile: arch.Profile) -> Models:
    """The CPU models and matrices of one architecture (its folder's cpus.toml)."""
    return parse(profile.cpus.read_text(), profile.cpus)


def preflight(wrap: Callable[[list[str]], list[str]], qemu: str, board: str, cpu: str) -> str:
    """'' if QEMU accepts `-M BOARD -cpu CPU`, else its complaint. QEMU stops at once (-S, the
    monitor reads `quit`), so a bad property fails in a second, not after a boot."""
    argv = wrap([qemu, "-M", board, "-cpu", cpu, "-nodefaults", "-display", "none", "-S",
                 "-monitor", "stdio"])
    try:
        done = subprocess.run(argv, input=b"quit\n", capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"could not start {qemu}: {e}"
    if done.returncode == 0:
        return ""
    lines = [ln.strip() for ln in done.stderr.decode(errors="replace").splitlines() if ln.strip()]
    return lines[-1] if lines else f"{qemu} exited {done.returncode}"


def device_tree(wrap: Callable[[list[str]], list[str]], qemu: str, board: str,
                cpu: str) -> bytes:
    """The DTB QEMU builds for the cell's machine with `-cpu CPU` (dumpdtb writes it and
    exits at once), read back through stdout from a file private to this call."""
    inside = f"/tmp/kvmct-{os.getpid()}-{threading.get_ident()}.dtb"
    script = '"$@" >/dev/null; s=$?; cat "$0" 2>/dev/null; rm -f "$0"; exit $s'
    argv = dumpdtb_command(qemu, Machine(board, cpu), inside)
    try:
        done = subprocess.run(wrap(["sh", "-c", script, inside, *argv]),
                              capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise CpuTableError(f"-cpu {cpu}: could not run {qemu} for its device tree: {e}") from e
    if done.returncode != 0 or not done.stdout:
        said = [ln.strip() for ln in done.stderr.decode(errors="replace").splitlines() if ln.strip()]
        raise CpuTableError(f"-cpu {cpu}: {qemu} -M {board},dumpdtb=... failed "
                            f"(exit {done.returncode}{': ' + said[-1] if said else ''})")
    return done.stdout


def kvm_host_reason(dtb: bytes, need: arch.KvmHostCpu) -> str:
    """'' when every cpu node of the device tree can host KVM, else why not, from its
    properties (the base ISA and the required extensions, e.g. H)."""
    cpu_nodes = {path: props for path, props in fdt.nodes(dtb).items()
                 if props.get("device_type") == b"cpu\0"}
    if not cpu_nodes:
        return "its device tree has no cpu node"
    for path, props in sorted(cpu_nodes.items()):
        base = fdt.strings(props.get(need.base_property, b""))
        if base != [need.base]:
            return f"{path} {need.base_property} is {' '.join(base) or 'absent'}, not {need.base}"
        have = set(fdt.strings(props.get(need.extensions_property, b"")))
        missing = [e for e in need.required if e not in have]
        if missing:
            return f"{path} {need.extensions_property} lacks {', '.join(missing)}"
    return ""


def qemu_models(wrap: Callable[[list[str]], list[str]], qemu: str) -> list[str]:
    """The model names `-cpu help` lists ("Available CPUs:" then one name per line)."""
    done = subprocess.run(wrap([qemu, "-cpu", "help"]), capture_output=True, timeout=60)
    lines = done.stdout.decode(errors="replace").splitlines()
    return [ln.split()[0] for ln in lines[1:] if ln.strip()] if done.returncode == 0 else []


def listing(models: Models, kvm_host: dict[str, str] | None = None,
            untabled: dict[str, str] | None = None) -> str:
    """`kvmct cpus`: the models and matrices, one per line. `kvm_host` maps a model name to
    why it cannot host KVM ('' when it can); `untabled`, QEMU's models not in the table."""
    width = max(len(n) for n in [*models.cpus, *models.matrices, *(untabled or {})])

    def host(name: str, table: dict[str, str] | None) -> str:
        if table is None or name not in table:
            return ""
        return f"  [not booted: no KVM host: {table[name]}]" if table[name] else ""

    out = [f"CPU models ({models.source}):"]
    out += [f"  {m.name:<{width}}  -cpu {m.qemu:<28} {m.about}"
            f"{'  (kernel: ' + ' '.join(m.kernel_args) + ')' if m.kernel_args else ''}"
            f"{host(m.name, kvm_host)}".rstrip() for m in models.cpus.values()]
    if untabled:
        out.append("QEMU's other models (not in the table):")
        out += [f"  {name:<{width}}  {'can host KVM' if not untabled[name] else ''}"
                f"{host(name, untabled)}".rstrip() for name in sorted(untabled)]
    out.append("matrices (kernels x cpus):")
    out += [f"  {m.name:<{width}}  {' '.join(m.kernels)} x {' '.join(m.cpus)}  "
            f"({len(m.kernels) * len(m.cpus)} cells) {m.about}".rstrip()
            for m in models.matrices.values()]
    return "\n".join(out)
