# SPDX-License-Identifier: MIT
# `run`'s plan before anything boots: a user's image runs on the architecture its Image header
# names, options that fit one architecture only say so, and a missing toolchain file is named.
from __future__ import annotations

from pathlib import Path

from kvmctlib import arch
from kvmctlib.build import cmake
from kvmctlib.commands import run

BANNER = b"Linux version 7.2.13 (me@box) (aarch64-linux-gnu-gcc 14) #1 SMP\n"


def image(tmp_path: Path, magic: bytes, name: str = "Image") -> Path:
    """An uncompressed kernel: the Image header's magic at 56, the banner, KVM built in."""
    path = tmp_path / name
    path.write_bytes(b"MZ" + b"\0" * 54 + magic + b"\0" * 4096 + BANNER + b"\0kvm.halt_poll_ns\0")
    return path


def test_a_users_image_runs_on_the_architecture_of_its_header(tmp_path: Path) -> None:
    arm = image(tmp_path, b"ARM\x64")
    axes, errors = run.plan(run.Options(kernels=(str(arm),)))
    assert errors == []
    assert [(a.profile.name, a.kernels) for a in axes] == [("arm64", (str(arm),))]
    axes, errors = run.plan(run.Options(kernels=(str(arm), "sid")))
    assert [(a.profile.name, a.kernels) for a in axes] == [("arm64", (str(arm), "sid"))]


def test_an_image_of_no_known_architecture_is_named(tmp_path: Path) -> None:
    other = image(tmp_path, b"\x7fELF")
    _, errors = run.plan(run.Options(kernels=(str(other),)))
    assert len(errors) == 1 and errors[0].startswith(f"--kernel {other}: {other}: no kernel "
                                                     "Image header of any architecture")


def test_options_of_one_architecture(tmp_path: Path) -> None:
    suite = tmp_path / "kvmct-suite"
    suite.write_bytes(b"\x7fELF")
    _, errors = run.plan(run.Options(suite=suite))
    assert any("one architecture's binary, but the run has arm64, riscv64" in e for e in errors)
    assert run.plan(run.Options(suite=suite, arches=("arm64",)))[1] == []
    ko = tmp_path / "kvm.ko"
    ko.write_bytes(b"")
    _, errors = run.plan(run.Options(kvm_module=ko, arches=("arm64",)))
    assert errors == ["--kvm-module: arm64 KVM is built into the kernel (CONFIG_KVM=y), there "
                      "is no module to replace; choose --arch"]
    assert run.plan(run.Options(kvm_module=ko, arches=("riscv64",)))[1] == []


def test_a_missing_toolchain_file_is_named(tmp_path: Path) -> None:
    flavour = cmake.target(arch.load("arm64"))
    said = cmake.missing_toolchain(flavour, tmp_path)
    assert str(tmp_path / "cmake/aarch64-linux-gnu.cmake") in said
    assert str(arch.load("arm64").folder / "profile.toml") in said
    (tmp_path / "cmake").mkdir()
    (tmp_path / "cmake" / "aarch64-linux-gnu.cmake").write_text("")
    assert cmake.missing_toolchain(flavour, tmp_path) == ""
