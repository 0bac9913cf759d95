# SPDX-License-Identifier: MIT
# The architecture profile: riscv64's facts come from data/arch/riscv64.toml, another
# architecture is another such file, and common code spells no architecture itself.
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kvmctlib import arch, cpus
from kvmctlib.build import cmake
from kvmctlib.cell import qemu

LIB = Path(arch.__file__).resolve().parent
# Strings that name riscv64 things; only the profile may hold them. catalogue.py is the
# RISC-V ISA_EXT catalogue checker itself (expected/riscv/isa-extensions.yaml).
SPELLED = ("riscv64", "arch/riscv", "qemu-system-", "OpenSBI", "rv64")
EXEMPT = {"arch.py", "catalogue.py", "uapi_header.py"}  # the last two read a riscv uapi header


def test_riscv64_profile() -> None:
    p = arch.load("riscv64")
    assert (p.qemu, p.machine, p.default_cpu) == ("qemu-system-riscv64", "virt", "rv64")
    assert (p.debian_arch, p.kernel_meta) == ("riscv64", "linux-image-riscv64")
    assert p.strip == "riscv64-linux-gnu-strip" and p.cross_gcc("14") == "gcc-14-riscv64-linux-gnu"
    assert p.cell_modules == ("kvm", "virtio_mmio", "virtio_blk")
    assert cpus.load().resolve(p.default_cpu).qemu == "rv64"
    assert cmake.suite_binary() == "riscv64/suites/kvmct-suite"


def test_another_architecture_is_one_more_file(tmp_path: Path) -> None:
    text = (LIB / "data" / "arch" / "riscv64.toml").read_text()
    for a, b in (("riscv64", "arm64"), ("arch/riscv", "arch/arm64"), ('"riscv"', '"arm64"'),
                 ('"virt"', '"virt,gic-version=3"'), ('"rv64"', '"cortex-a72"')):
        text = text.replace(a, b)
    (tmp_path / "arch").mkdir()
    p = arch.parse(text, tmp_path / "arch" / "arm64.toml")
    assert (p.qemu, p.kvm_dir, p.kernel_arch, p.strip) == (
        "qemu-system-arm64", "arch/arm64/kvm", "arm64", "arm64-linux-gnu-strip")
    argv = qemu.command(p.qemu, qemu.Machine(p.machine, p.default_cpu), "K", "I", "R")
    assert argv[:5] == ["qemu-system-arm64", "-M", "virt,gic-version=3", "-cpu", "cortex-a72"]
    assert p.cpus == tmp_path / "cpus.toml"


def test_a_profile_missing_a_key_names_it(tmp_path: Path) -> None:
    text = (LIB / "data" / "arch" / "riscv64.toml").read_text().replace("machine = ", "board = ")
    with pytest.raises(arch.ProfileError, match="qemu.machine"):
        arch.parse(text, tmp_path / "x.toml")


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                  and isinstance(n.body[0], ast.Expr)
                  and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docstrings]


def test_common_code_spells_no_architecture() -> None:
    found = [f"{path.name}:{line}: {value!r}"
             for path in sorted(LIB.rglob("*.py")) if path.name not in EXEMPT
             for line, value in _strings(ast.parse(path.read_text()))
             if any(s in value for s in SPELLED)]
    assert found == []
