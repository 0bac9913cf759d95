# SPDX-License-Identifier: MIT
# `run --kernel Image [--modules DIR]`: the release read from the image (plain, gzip'd, EFI
# zboot, embedded xz), module trees from modules_install, and where KVM is or is not.
from __future__ import annotations

import gzip
import lzma
import struct
from pathlib import Path

import pytest

from kvmctlib import arch
from kvmctlib.acquire import custom_kernel as ck
from kvmctlib.acquire import kernels
from kvmctlib.commands import run
from test_modules import fake_module

RELEASE = "7.2.13-kvmct-dev"
BANNER = (f"Linux version {RELEASE} (dev@box) (riscv64-linux-gnu-gcc-16 (Debian 16.2.0-4) "
          "16.2.0, GNU ld 2.47) #3 SMP PREEMPT Mon Nov 23 09:00:00 UTC 2026\n")
# What a RISC-V Image starts with: code0/code1, text_offset, image_size, flags, version, the
# "RISCV\0\0\0" and "RSC\x05" magics (arch/riscv/include/asm/image.h).
HEADER = struct.pack("<IIQQQIIQ8s4sI", 0x10006F4D, 0, 0x200000, 1 << 20, 0, 2, 0, 0,
                     b"RISCV\0\0\0", b"RSC\x05", 0)


def kernel_bytes(builtin_kvm: bool = False) -> bytes:
    body = b"\0" * 4096 + BANNER.encode() + b"\0" + b"x" * 1000
    if builtin_kvm:
        body += b"\0kvm.halt_poll_ns\0"
    return HEADER + body


def test_banner_in_a_plain_image() -> None:
    line = ck.banner(kernel_bytes())
    assert line is not None and line.startswith(f"Linux version {RELEASE} (dev@box)")
    assert ck.banner_release(line) == RELEASE


def test_banner_of_debian_format() -> None:
    line = ("Linux version 7.2.13+deb14-riscv64 (debian-kernel@lists.debian.org) "
            "(riscv64-linux-gnu-gcc-16 (Debian 16.2.0-4) 16.2.0) #1 SMP PREEMPT Debian 7.2.13-1")
    assert ck.banner_release(line) == "7.2.13+deb14-riscv64"


def test_no_banner() -> None:
    assert ck.banner(b"\0" * 100 + b"Linux versions are nice") is None
    with pytest.raises(ck.KernelImageError):
        ck.banner_release("hello")


def test_gzip_image(tmp_path: Path) -> None:
    image = tmp_path / "Image.gz"
    image.write_bytes(gzip.compress(kernel_bytes()))
    assert ck.read_image(image).release == RELEASE


def test_efi_zboot_image(tmp_path: Path) -> None:
    payload = lzma.compress(kernel_bytes(builtin_kvm=True), format=lzma.FORMAT_XZ)
    head = bytearray(512)
    head[0:2], head[4:8] = b"MZ", b"zimg"
    struct.pack_into("<II", head, 8, len(head), len(payload))
    head[24:26] = b"xz"
    image = tmp_path / "vmlinuz.efi"
    image.write_bytes(bytes(head) + payload + b"\0" * 64)
    facts = ck.read_image(image)
    assert facts.release == RELEASE and facts.kvm_builtin


def test_embedded_gzip_stream(tmp_path: Path) -> None:
    image = tmp_path / "vmlinuz"
    image.write_bytes(b"MZ" + b"\0" * 1000 + gzip.compress(kernel_bytes()) + b"\0" * 100)
    assert ck.read_image(image).release == RELEASE


def test_unreadable_image(tmp_path: Path) -> None:
    image = tmp_path / "blob"
    image.write_bytes(b"\0" * 4096)
    with pytest.raises(ck.KernelImageError, match="no \"Linux version\" banner"):
        ck.read_image(image)


def _image(tmp_path: Path, builtin_kvm: bool = False) -> Path:
    image = tmp_path / "Image"
    image.write_bytes(kernel_bytes(builtin_kvm))
    return image


def _modules(root: Path, release: str, kvm: str) -> Path:
    """A modules_install tree: kvm as a module, listed in modules.builtin, or absent."""
    d = root / "lib" / "modules" / release
    (d / "kernel" / "drivers" / "virtio").mkdir(parents=True)
    (d / "kernel" / "drivers" / "virtio" / "virtio_mmio.ko").write_bytes(
        fake_module({"name": "virtio_mmio", "vermagic": f"{release} SMP mod_unload riscv"}))
    builtin = ["kernel/drivers/block/virtio_blk.ko"]
    if kvm == "module":
        (d / "kernel" / "arch" / "riscv" / "kvm").mkdir(parents=True)
        (d / "kernel" / "arch" / "riscv" / "kvm" / "kvm.ko").write_bytes(
            fake_module({"name": "kvm", "vermagic": f"{release} SMP mod_unload riscv"}))
    elif kvm == "builtin":
        builtin.append("kernel/arch/riscv/kvm/kvm.ko")
    (d / "modules.builtin").write_text("\n".join(builtin) + "\n")
    return root


def test_release_dirs_layouts(tmp_path: Path) -> None:
    tree = _modules(tmp_path / "inst", RELEASE, "module")
    d = tree / "lib" / "modules" / RELEASE
    assert ck.release_dirs(tree) == {RELEASE: d}
    assert ck.release_dirs(tree / "lib" / "modules") == {RELEASE: d}
    assert ck.release_dirs(d) == {RELEASE: d}
    assert ck.release_dirs(tmp_path / "inst" / "lib") == {}


def test_builtin_modules(tmp_path: Path) -> None:
    tree = _modules(tmp_path, RELEASE, "builtin")
    assert ck.builtin_modules(tree / "lib" / "modules" / RELEASE) == {"kvm", "virtio_blk"}


def test_kvm_as_module(tmp_path: Path) -> None:
    tree = _modules(tmp_path / "inst", RELEASE, "module")
    found = ck.inspect(_image(tmp_path), tree)
    assert (found.release, found.kvm) == (RELEASE, "module")
    assert found.modules == tree / "lib" / "modules" / RELEASE


def test_kvm_built_in_per_modules_builtin(tmp_path: Path) -> None:
    tree = _modules(tmp_path / "inst", RELEASE, "builtin")
    assert ck.inspect(_image(tmp_path), tree).kvm == "builtin"


def test_kvm_built_in_per_image_without_modules(tmp_path: Path) -> None:
    found = ck.inspect(_image(tmp_path, builtin_kvm=True), None)
    assert (found.kvm, found.modules) == ("builtin", None)


def test_no_kvm_is_an_error_naming_the_kernel(tmp_path: Path) -> None:
    tree = _modules(tmp_path / "inst", RELEASE, "absent")
    image = _image(tmp_path)
    with pytest.raises(ck.KernelImageError) as e:
        ck.inspect(image, tree)
    assert f"kernel {image} ({RELEASE}) has no KVM" in str(e.value)
    with pytest.raises(ck.KernelImageError, match="has no KVM"):
        ck.inspect(image, None)


def test_modules_of_another_release(tmp_path: Path) -> None:
    tree = _modules(tmp_path / "inst", "7.1.0", "module")
    with pytest.raises(ck.KernelImageError, match=f"modules for 7.1.0, but kernel .* is {RELEASE}"):
        ck.inspect(_image(tmp_path), tree)


def test_kvm_module_for_another_release(tmp_path: Path) -> None:
    ko = tmp_path / "kvm.ko"
    ko.write_bytes(fake_module({"name": "kvm", "vermagic": "7.2.13+deb14-riscv64 SMP riscv"}))
    with pytest.raises(ck.KernelImageError, match="built for 7.2.13\\+deb14-riscv64"):
        ck.inspect(_image(tmp_path), None, ko)


def test_kvm_module_replaces_the_kernels(tmp_path: Path) -> None:
    ko = tmp_path / "kvm.ko"
    ko.write_bytes(fake_module({"name": "kvm", "vermagic": f"{RELEASE} SMP riscv"}))
    assert ck.inspect(_image(tmp_path), None, ko).kvm == "replaced"
    with pytest.raises(ck.KernelImageError, match="built in"):
        ck.inspect(_image(tmp_path, builtin_kvm=True), None, ko)


def test_from_path_records_the_image_version(tmp_path: Path) -> None:
    tree = _modules(tmp_path / "inst", RELEASE, "module")
    k = kernels.from_path(arch.load("riscv64"), _image(tmp_path), tree).describe()
    assert (k["release"], k["version"], k["kvm"]) == (RELEASE, "7.2.13", "module")
    assert k["banner"].startswith(f"Linux version {RELEASE} ")


def test_a_path_kernel_is_decompressed_once_per_run(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    image, tree = _image(tmp_path), _modules(tmp_path / "inst", RELEASE, "module")
    calls: list[int] = []
    real = ck.uncompressed

    def counted(data: bytes) -> bytes:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(ck, "uncompressed", counted)
    inspected: dict[str, ck.Inspection] = {}
    assert run.validate(run.Options(kernels=(str(image),), cpus=("rv64",), modules=tree),
                        inspected) == []
    k = kernels.from_path(arch.load("riscv64"), image, tree, None, inspected[str(image)])
    assert (k.release, len(calls)) == (RELEASE, 1)
