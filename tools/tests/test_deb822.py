# SPDX-License-Identifier: MIT
# Depends parsing and the walk from linux-image-riscv64 to the packages holding the kernel,
# on `apt-cache show` output captured from trixie (one package) and sid (image/binary/modules).
from __future__ import annotations

from pathlib import Path

import pytest

from kvmctlib import arch
from kvmctlib.acquire import deb822, kernels


def closure(path: Path) -> list[str]:
    stanzas = deb822.parse_stanzas(path.read_text())
    return [s["Package"] for s in deb822.kernel_closure("linux-image-riscv64",
                                                        deb822.index(stanzas))]


def test_parse_depends_alternatives_and_versions() -> None:
    groups = deb822.parse_depends("dracut | initramfs-tools (>= 0.120+deb8u2), kmod:any, "
                                  "linux-base (= 7.2.13-1)")
    assert groups == [[deb822.Relation("dracut"),
                       deb822.Relation("initramfs-tools", ">=", "0.120+deb8u2")],
                      [deb822.Relation("kmod")], [deb822.Relation("linux-base", "=", "7.2.13-1")]]


def test_trixie_single_package(data_dir: Path) -> None:
    names = closure(data_dir / "packages-trixie.txt")
    assert names[0] == "linux-image-riscv64"
    assert len(names) == 2 and names[1].startswith("linux-image-6.12.")


def test_sid_split_packages(data_dir: Path) -> None:
    names = closure(data_dir / "packages-sid.txt")
    assert [n.split("-")[1] for n in names] == ["image", "image", "binary", "modules"]
    assert len({n.split("-", 2)[2] for n in names[1:]}) == 1  # one release throughout


def test_missing_dependency_is_an_error() -> None:
    stanzas = deb822.parse_stanzas("Package: linux-image-riscv64\nDepends: linux-image-9.9-riscv64\n")
    with pytest.raises(deb822.PackageNotFound, match="linux-image-9.9-riscv64"):
        deb822.kernel_closure("linux-image-riscv64", deb822.index(stanzas))


def test_continuation_lines() -> None:
    [s] = deb822.parse_stanzas("Package: a\nDescription: x\n more\n .\n end\n")
    assert s["Description"] == "x\nmore\n.\nend"


RISCV = arch.load("riscv64")


def test_release_from_file_lists() -> None:
    assert kernels.release_from_files(RISCV,
        ["usr/lib/modules/7.2.13+deb14-riscv64/vmlinuz"]) == "7.2.13+deb14-riscv64"
    assert kernels.release_from_files(RISCV,
        ["usr/share/doc/x", "boot/vmlinux-6.12.107+deb13-riscv64"]) == "6.12.107+deb13-riscv64"
    assert kernels.release_from_files(RISCV,
        ["usr/lib/modules/7.2.13+deb14-riscv64/kernel/arch/riscv/kvm/kvm.ko.xz"]
    ) == "7.2.13+deb14-riscv64"
