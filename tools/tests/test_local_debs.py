# SPDX-License-Identifier: MIT
# `run --kernel a.deb --kernel b.deb`: the control fields of the given packages grouped into
# one kernel, with errors naming the package that is wrong or missing.
from __future__ import annotations

from pathlib import Path

import pytest

from kvmctlib.acquire import local_debs as ld


def deb(package: str, depends: str = "", arch: str = "riscv64") -> ld.LocalDeb:
    control = {"Package": package, "Version": "7.2.9-1", "Architecture": arch}
    if depends:
        control["Depends"] = depends
    return ld.LocalDeb(Path(f"/out/{package}_7.2.9-1_{arch}.deb"), control)


SPLIT_IMAGE = deb("linux-image-7.2.9+deb13-riscv64",
                  "dracut | initramfs-tools, linux-base-7.2.9+deb13-riscv64 (= 7.2.9-1), "
                  "linux-binary-7.2.9+deb13-riscv64 (= 7.2.9-1), "
                  "linux-modules-7.2.9+deb13-riscv64 (= 7.2.9-1)")
BINARY = deb("linux-binary-7.2.9+deb13-riscv64", "linux-base-7.2.9+deb13-riscv64 (= 7.2.9-1)")
MODULES = deb("linux-modules-7.2.9+deb13-riscv64", "kmod")


def test_split_packages_form_one_kernel_image_first() -> None:
    found = ld.group([MODULES, deb("linux-headers-7.2.9+deb13-riscv64"), BINARY, SPLIT_IMAGE],
                     "riscv64")
    assert found.release == "7.2.9+deb13-riscv64" and found.name == "deb-7.2.9+deb13-riscv64"
    assert [d.package for d in found.debs] == [SPLIT_IMAGE.package, BINARY.package,
                                               MODULES.package]
    assert [d.package for d in found.ignored] == ["linux-headers-7.2.9+deb13-riscv64"]


def test_binary_and_modules_alone_are_a_kernel() -> None:
    assert len(ld.group([BINARY, MODULES], "riscv64").debs) == 2


def test_one_image_package_holding_everything() -> None:
    trixie = deb("linux-image-6.12.117+deb13-riscv64", "kmod, initramfs-tools | linux-initramfs-tool")
    assert ld.group([trixie], "riscv64").release == "6.12.117+deb13-riscv64"


def test_unsigned_image_package() -> None:
    found = ld.group([deb("linux-image-7.2.9+deb13-riscv64-unsigned")], "riscv64")
    assert found.release == "7.2.9+deb13-riscv64"


def error(debs: list[ld.LocalDeb]) -> str:
    with pytest.raises(ld.LocalDebError) as e:
        ld.group(debs, "riscv64")
    return str(e.value)


def test_a_split_image_without_its_parts_names_them() -> None:
    text = error([SPLIT_IMAGE])
    assert BINARY.package in text and MODULES.package in text and SPLIT_IMAGE.package in text
    text = error([SPLIT_IMAGE, BINARY])
    assert MODULES.package in text and BINARY.package not in text


def test_modules_without_an_image_name_the_image_package() -> None:
    assert "linux-image-7.2.9+deb13-riscv64" in error([MODULES])


def test_two_kernels_are_refused_naming_both() -> None:
    text = error([BINARY, MODULES, deb("linux-modules-7.3.4+deb13-riscv64")])
    assert "7.2.9+deb13-riscv64" in text and "7.3.4+deb13-riscv64" in text


@pytest.mark.parametrize("bad", [deb("linux-image-7.2.9+deb13-riscv64-dbg"), deb("busybox"),
                                 deb("linux-image-7.2.9+deb13-riscv64", arch="arm64")])
def test_not_a_kernel_package(bad: ld.LocalDeb) -> None:
    assert bad.package in error([bad])


def test_only_headers_is_no_kernel() -> None:
    headers = deb("linux-headers-7.2.9+deb13-riscv64")
    assert headers.package in error([headers])


def test_linux_libc_dev_of_the_kernel_version_gives_the_uapi_header() -> None:
    libc = deb("linux-libc-dev", arch="all")
    assert ld.group([BINARY, MODULES, libc], "riscv64").uapi == libc
    assert ld.group([BINARY, MODULES], "riscv64").uapi is None
    other = ld.LocalDeb(Path("/out/linux-libc-dev_7.3.4-1_all.deb"),
                        {"Package": "linux-libc-dev", "Version": "7.3.4-1", "Architecture": "all"})
    assert "linux-libc-dev" in error([BINARY, MODULES, other])
    assert "linux-libc-dev" in error([BINARY, MODULES, libc, libc])
