# SPDX-License-Identifier: MIT
# kvm-module's pure parts: version parsing and mismatch rules, which files of a kernel source
# it takes, tarball extraction, the mirror that keeps make incremental, the Kbuild wrapper.
from __future__ import annotations

import io
import lzma
import tarfile
from pathlib import Path

import pytest

from kvmctlib import arch
from kvmctlib.acquire import kernel_source as ks
from kvmctlib.acquire.kernel_source import Version

LAYOUT = ks.Layout(arch.load("riscv64"))

MAKEFILE = """# SPDX-License-Identifier: GPL-2.0
VERSION = 7
PATCHLEVEL = 2
SUBLEVEL = 13
EXTRAVERSION =
NAME = Baby Opossum Posse
"""


def test_makefile_version() -> None:
    assert ks.makefile_version(MAKEFILE) == Version(7, 2, 13, "")
    rc = MAKEFILE.replace("SUBLEVEL = 13", "SUBLEVEL = 0").replace("EXTRAVERSION =",
                                                                   "EXTRAVERSION = -rc3")
    assert str(ks.makefile_version(rc)) == "7.2.0-rc3"
    with pytest.raises(ks.SourceError, match="not a Linux source tree"):
        ks.makefile_version("all:\n\techo hi\n")


@pytest.mark.parametrize("release,expected", [
    ("7.2.13+deb14-riscv64", Version(7, 2, 13)),
    ("6.12.107+deb13-riscv64", Version(6, 12, 107)),
    ("7.3.0-rc2-dirty", Version(7, 3, 0, "-rc2")),
    ("7.3", Version(7, 3, 0)),
])
def test_release_version(release: str, expected: Version) -> None:
    assert ks.release_version(release) == expected


def test_release_version_rejects_garbage() -> None:
    with pytest.raises(ks.SourceError):
        ks.release_version("riscv64")


def test_compare_same_version_is_fine() -> None:
    assert ks.compare(Version(7, 2, 13), Version(7, 2, 13), "7.2.13+deb14-riscv64") is None


def test_compare_other_series_is_an_error() -> None:
    m = ks.compare(Version(6, 12, 107), Version(7, 2, 13), "7.2.13+deb14-riscv64")
    assert m is not None and m.severity == "error"
    assert "6.12.107" in m.message and "7.2.13+deb14-riscv64" in m.message


def test_compare_other_sublevel_is_a_warning() -> None:
    m = ks.compare(Version(7, 2, 9), Version(7, 2, 13), "7.2.13+deb14-riscv64")
    assert m is not None and m.severity == "warning"
    m = ks.compare(Version(7, 2, 0, "-rc1"), Version(7, 2, 0), "7.2.0")
    assert m is not None and m.severity == "warning"


@pytest.mark.parametrize("rel,want", [
    ("Makefile", True),
    ("arch/riscv/kvm/isa.c", True),
    ("arch/riscv/kvm/Makefile", True),
    ("arch/riscv/kvm/vcpu_switch.S", True),
    ("virt/kvm/kvm_mm.h", True),
    ("virt/kvm/Makefile.kvm", True),
    ("arch/riscv/include/asm/kvm_host.h", True),
    ("arch/riscv/include/uapi/asm/kvm.h", True),
    ("include/uapi/linux/kvm.h", True),
    ("arch/riscv/kvm/isa.o", False),  # build products of an in-tree build
    ("arch/riscv/kvm/.isa.o.cmd", False),
    ("arch/riscv/kvm/kvm.mod.c", False),
    ("arch/riscv/kernel/setup.c", False),
    ("include/linux/sched.h", False),
    ("arch/x86/kvm/x86.c", False),
])
def test_wanted(rel: str, want: bool) -> None:
    assert ks.wanted(LAYOUT, rel) is want


def _tarball(path: Path, top: str, files: dict[str, str]) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for rel, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"{top}/{rel}")
            info.size, info.mtime = len(data), 1_700_000_000
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(lzma.compress(buf.getvalue()))


def test_extract_takes_only_the_kvm_part(tmp_path: Path) -> None:
    archive = tmp_path / "linux-7.2.13.tar.xz"
    _tarball(archive, "linux-7.2.13", {
        "Makefile": MAKEFILE, "arch/riscv/kvm/isa.c": "int x;\n",
        "arch/riscv/kvm/Makefile": "obj-m += kvm.o\n", "virt/kvm/kvm_main.c": "int y;\n",
        "drivers/net/big.c": "no\n", "include/linux/kvm_host.h": "h\n"})
    out = tmp_path / "out"
    written = ks.extract(LAYOUT, archive, out)
    assert sorted(written) == ["Makefile", "arch/riscv/kvm/Makefile", "arch/riscv/kvm/isa.c",
                               "include/linux/kvm_host.h", "virt/kvm/kvm_main.c"]
    assert not (out / "drivers").exists()
    assert ks.makefile_version((out / "Makefile").read_text()) == Version(7, 2, 13)


def test_extract_rejects_a_tarball_without_riscv_kvm(tmp_path: Path) -> None:
    archive = tmp_path / "other.tar.xz"
    _tarball(archive, "x", {"README": "hi\n"})
    with pytest.raises(ks.SourceError, match="not a Linux source tarball"):
        ks.extract(LAYOUT, archive, tmp_path / "out")


def _tree(top: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text(text)


def test_tree_files_skips_build_products(tmp_path: Path) -> None:
    _tree(tmp_path, {"Makefile": MAKEFILE, "arch/riscv/kvm/isa.c": "a", "arch/riscv/kvm/isa.o": "",
                     "arch/riscv/kvm/.isa.o.cmd": "", "virt/kvm/kvm_main.c": "b"})
    assert sorted(ks.tree_files(LAYOUT, tmp_path)) == ["Makefile", "arch/riscv/kvm/isa.c",
                                               "virt/kvm/kvm_main.c"]


def test_tree_files_names_what_is_missing(tmp_path: Path) -> None:
    _tree(tmp_path, {"Makefile": MAKEFILE})
    with pytest.raises(ks.SourceError, match="arch/riscv/kvm, virt/kvm"):
        ks.tree_files(LAYOUT, tmp_path)


def test_sync_copies_only_what_differs_and_removes_what_went(tmp_path: Path) -> None:
    src, dest = tmp_path / "src", tmp_path / "dest"
    _tree(src, {"Makefile": MAKEFILE, "arch/riscv/kvm/isa.c": "a", "arch/riscv/kvm/vm.c": "b",
                "virt/kvm/kvm_main.c": "c"})
    assert len(ks.sync(ks.tree_files(LAYOUT, src), dest)) == 4
    (dest / "arch/riscv/kvm/isa.o").write_text("object")  # a build product stays
    assert ks.sync(ks.tree_files(LAYOUT, src), dest) == []
    (src / "arch/riscv/kvm/isa.c").write_text("a2")
    (src / "arch/riscv/kvm/vm.c").unlink()
    assert ks.sync(ks.tree_files(LAYOUT, src), dest) == ["arch/riscv/kvm/isa.c", "arch/riscv/kvm/vm.c"]
    assert (dest / "arch/riscv/kvm/isa.c").read_text() == "a2"
    assert not (dest / "arch/riscv/kvm/vm.c").exists()
    assert (dest / "arch/riscv/kvm/isa.o").is_file()


def test_kbuild_points_virt_kvm_at_the_copy() -> None:
    makefile = "ccflags-y += -I $(src)\n\ninclude $(srctree)/virt/kvm/Makefile.kvm\n"
    out = ks.kbuild_file(LAYOUT, makefile, "/kvmsrc/virt/kvm")
    assert "include /kvmsrc/virt/kvm/Makefile.kvm\n" in out
    assert "$(srctree)" not in out


def test_differing_headers(tmp_path: Path) -> None:
    src, common = tmp_path / "src", tmp_path / "common"
    _tree(src, {"Makefile": MAKEFILE, "arch/riscv/kvm/isa.c": "", "virt/kvm/kvm_main.c": "",
                "include/linux/kvm_host.h": "changed", "arch/riscv/include/asm/kvm_host.h": "same"})
    _tree(common, {"include/linux/kvm_host.h": "orig", "arch/riscv/include/asm/kvm_host.h": "same"})
    assert ks.differing_headers(LAYOUT, ks.tree_files(LAYOUT, src), common) == ["include/linux/kvm_host.h"]
