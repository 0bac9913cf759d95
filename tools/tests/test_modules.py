# SPDX-License-Identifier: MIT
# .modinfo parsing from ELF (synthetic modules, plain and .xz) and module load ordering.
from __future__ import annotations

import lzma
import struct
from pathlib import Path

import pytest

from kvmctlib import arch
from kvmctlib.cell import modinfo, modules
from kvmctlib.errors import KvmctError


def fake_module(info: dict[str, str]) -> bytes:
    """A minimal ELF64 little-endian relocatable file with .shstrtab and .modinfo."""
    modinfo_data = b"".join(f"{k}={v}".encode() + b"\0" for k, v in info.items())
    shstrtab = b"\0.shstrtab\0.modinfo\0"
    body_off = 64
    shstr_off = body_off
    mod_off = shstr_off + len(shstrtab)
    sh_off = (mod_off + len(modinfo_data) + 7) & ~7
    ehdr = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    ehdr += struct.pack("<HHIQQQIHHHHHH", 1, 243, 1, 0, 0, sh_off, 0, 64, 0, 0, 64, 3, 1)
    sections = [
        struct.pack("<IIQQQQIIQQ", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        struct.pack("<IIQQQQIIQQ", 1, 3, 0, 0, shstr_off, len(shstrtab), 0, 0, 1, 0),
        struct.pack("<IIQQQQIIQQ", 11, 1, 2, 0, mod_off, len(modinfo_data), 0, 0, 1, 0),
    ]
    out = ehdr + shstrtab + modinfo_data
    out += bytes(sh_off - len(out))
    return out + b"".join(sections)


def test_parse_depends() -> None:
    elf = fake_module({"license": "GPL", "depends": "virtio,virtio_ring", "name": "virtio_blk"})
    info = modinfo.parse(elf)
    assert info["name"] == ["virtio_blk"]
    assert modinfo.depends(info) == ["virtio", "virtio_ring"]


def test_empty_depends() -> None:
    # kvm.ko in Debian's 6.12 and 7.2 packages: `depends=` is present and empty.
    assert modinfo.depends(modinfo.parse(fake_module({"depends": "", "name": "kvm"}))) == []


def test_not_elf() -> None:
    with pytest.raises(modinfo.ModuleFileError, match="not an ELF"):
        modinfo.parse(b"hello")


def test_tree_order_with_xz(tmp_path: Path) -> None:
    tree = tmp_path / "kernel"
    for rel, deps in [("virt/kvm.ko.xz", ""), ("drivers/virtio/virtio_mmio.ko.xz", "virtio"),
                      ("drivers/virtio/virtio.ko.xz", ""),
                      ("drivers/block/virtio-blk.ko.xz", "virtio,virtio_ring"),
                      ("drivers/virtio/virtio_ring.ko.xz", "virtio")]:
        path = tree / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(lzma.compress(fake_module({"depends": deps})))
    table = modules.index_tree(tmp_path)
    assert set(table) == {"kvm", "virtio_mmio", "virtio", "virtio_blk", "virtio_ring"}
    order = modules.load_order(arch.load("riscv64").cell_modules, modules.tree_deps(table)).order
    assert order == ["kvm", "virtio", "virtio_mmio", "virtio_ring", "virtio_blk"]


def test_missing_top_level_is_built_in_but_missing_dependency_fails() -> None:
    deps: dict[str, list[str]] = {"kvm": ["irqbypass"], "virtio_blk": []}
    resolved = modules.load_order(["virtio_mmio", "virtio_blk"], lambda n: deps.get(n))
    assert resolved.missing == ["virtio_mmio"] and resolved.order == ["virtio_blk"]
    with pytest.raises(modules.MissingModule, match="irqbypass"):
        modules.load_order(["kvm"], lambda n: deps.get(n))


def test_cycle_is_reported() -> None:
    with pytest.raises(KvmctError, match="cycle"):
        cycle = {"a": ["b"], "b": ["a"]}
        modules.load_order(["a"], lambda n: cycle.get(n))


def test_module_names() -> None:
    assert modules.module_name("kvm-intel.ko.xz") == "kvm_intel"
    assert modules.module_name("dir/kvm.ko") == "kvm"
    assert modules.module_name("vmlinuz") is None
