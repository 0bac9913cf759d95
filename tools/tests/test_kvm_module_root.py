# SPDX-License-Identifier: MIT
# The kvm.ko build root compiles through ccache like every kvmct build: the package is in
# its list, the store is bound at /cache, and make gets the headers' gcc behind ccache.
from __future__ import annotations

from pathlib import Path

import pytest

from kvmctlib import arch
from kvmctlib.build import kvm_module
from kvmctlib.paths import Cache


def _root(tmp_path: Path, gcc: str = "gcc-14-riscv64-linux-gnu") -> kvm_module.ModuleRoot:
    return kvm_module.ModuleRoot(Cache(tmp_path), arch.load("riscv64"), "sid", "sid",
                                 (gcc, "linux-kbuild-7.2", *kvm_module.BASE_PACKAGES))


def test_ccache_is_installed_and_bound(tmp_path: Path) -> None:
    root = _root(tmp_path)
    assert "ccache" in root.packages
    chroot = root.chroot(tmp_path / "work")
    assert any(b.host == tmp_path and b.inside == "/cache" for b in chroot.binds)
    assert "CCACHE_DIR=/cache/ccache" in chroot.env


def test_compiler_is_the_headers_gcc(tmp_path: Path) -> None:
    assert _root(tmp_path).compiler == "riscv64-linux-gnu-gcc-14"
    with pytest.raises(kvm_module.ModuleError, match="not a gcc-N-<triple> package"):
        _ = _root(tmp_path, "make").compiler


def test_no_kvm_ko_where_kvm_cannot_be_a_module(tmp_path: Path) -> None:
    from kvmctlib.acquire import kernels
    sid = kernels.Kernel("sid", tmp_path / "Image", None, arch="arm64",
                         release="7.2.13+deb14-arm64", suite="sid")
    with pytest.raises(kvm_module.ModuleError, match="arm64 KVM is built in"):
        kvm_module.module_root(Cache(tmp_path), sid)
