# SPDX-License-Identifier: MIT
# CPU models and matrices as data (kvmctlib/data/arch/<folder>/cpus.toml).
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from kvmctlib import arch, cpus
from kvmctlib.acquire import kernel_spec


RISCV, ARM64 = arch.load("riscv64"), arch.load("arm64")


def test_shipped_models_and_matrices() -> None:
    m = cpus.load(RISCV)
    assert m.resolve("rv64-no-zicboz").qemu == "rv64,zicboz=false"
    assert m.resolve("rv64-zabha-zacas").qemu == "rv64,zabha=true,zacas=true"
    # A raw -cpu string is kept; one that spells a named model gets that model's label.
    assert m.resolve("rv64,zicboz=false").name == "rv64-no-zicboz"
    assert m.resolve("rv64,v=true") == cpus.CpuModel("rv64,v=true", "rv64,v=true")
    full = m.matrix("full")
    assert len(full.kernels) * len(full.cpus) >= 6
    assert m.matrix("default").cpus == ("rv64",)


def test_arm64_models_and_matrices() -> None:
    m = cpus.load(ARM64)
    assert m.resolve("max-vhe") == cpus.CpuModel("max-vhe", "max", m.cpus["max-vhe"].about)
    assert m.resolve("max-nvhe").kernel_args == ("kvm-arm.mode=nvhe",)
    assert m.matrix("default").cpus == ("max-vhe",) and m.matrix("default").kernels == (
        "trixie", "sid")
    assert m.matrix("arm64").cpus == ("max-vhe", "max-nvhe")


def test_model_names_are_unique_across_architectures() -> None:
    names = [n for p in arch.every() for n in cpus.load(p).cpus]
    assert len(names) == len(set(names))


def test_kernel_args_must_be_single_words() -> None:
    with pytest.raises(cpus.CpuTableError, match="kernel_args: one argument per string"):
        cpus.parse('[cpus.a]\nqemu = "max"\nkernel_args = ["a b"]\n[matrices]\n',
                   Path("cpus.toml"))
    with pytest.raises(cpus.CpuTableError, match="kernel_args: expected a non-empty list"):
        cpus.parse('[cpus.a]\nqemu = "max"\nkernel_args = "a"\n[matrices]\n',
                   Path("cpus.toml"))


@pytest.mark.parametrize("text,error", [
    ('[cpus.a]\nqemu = "rv64"\n[matrices.m]\nkernels = ["sid"]\ncpus = ["b"]\n',
     "cpus b are not defined"),
    ('[cpus.a]\nqemu = "rv64"\ncolour = 1\n[matrices]\n', "unknown key"),
    ('[cpus.a]\nqemu = "rv64 x"\n[matrices]\n', "without spaces"),
    ('[cpus.a\n', "cpus.toml"),
])
def test_bad_data_names_file_and_reason(text: str, error: str) -> None:
    with pytest.raises(cpus.CpuTableError, match=error):
        cpus.parse(text, Path("cpus.toml"))


def test_preflight_returns_qemus_complaint() -> None:
    import sys

    def fake(code: int) -> Callable[[list[str]], list[str]]:
        script = ("import sys; print(sys.argv[1:], file=sys.stderr); "
                  f"sys.stderr.write('qemu: Property rv64.nope not found\\n'); sys.exit({code})")
        return lambda argv: [sys.executable, "-c", script, *argv]

    assert cpus.preflight(fake(1), "qemu-x", "virt", "rv64,nope=true") == \
        "qemu: Property rv64.nope not found"
    assert cpus.preflight(fake(0), "qemu-x", "virt", "rv64") == ""


def test_every_matrix_kernel_is_a_spec_that_needs_no_local_file() -> None:
    """A matrix is shared: its kernels are suites, debian:VERSION or built:NAME, never paths."""
    for m in (m for p in arch.every() for m in cpus.load(p).matrices.values()):
        for k in m.kernels:
            assert isinstance(kernel_spec.parse(k), (kernel_spec.Suite, kernel_spec.DebianVersion,
                                                     kernel_spec.Built)), (m.name, k)


def test_versions_covers_each_suite_with_a_kernel_and_the_7_3_build() -> None:
    versions = cpus.load(RISCV).matrix("versions")
    # experimental lists no riscv64 kernel today (kvmct kernels --list)
    assert set(versions.kernels) == {*kernel_spec.SUITES, "built:linux-source-7.3"} - {"experimental"}
    assert cpus.load(RISCV).matrix("default").kernels == ("trixie", "sid")
