# SPDX-License-Identifier: MIT
# The device-tree reader and the "can this CPU model host KVM" check built on it: hand-built
# trees for each reason, and QEMU's own trees for a model with H and one without.
from __future__ import annotations

import struct

import pytest

from kvmctlib import arch, cpus, fdt


def _dtb(tree: dict[str, dict[str, bytes]]) -> bytes:
    """A DTB (version 17 layout) of nested nodes; keys of `tree` are node paths, in order."""
    strings, offsets, body = b"", {}, b""

    def name_off(name: str) -> int:
        nonlocal strings
        if name not in offsets:
            offsets[name] = len(strings)
            strings += name.encode() + b"\0"
        return offsets[name]

    def pad(b: bytes) -> bytes:
        return b + b"\0" * (-len(b) % 4)

    depth = 0
    for path, props in tree.items():
        parts = [p for p in path.split("/") if p]
        while depth > len(parts):
            body += struct.pack(">I", 2)
            depth -= 1
        body += struct.pack(">I", 1) + pad((parts[-1] if parts else "").encode() + b"\0")
        depth += 1
        for key, value in props.items():
            body += struct.pack(">III", 3, len(value), name_off(key)) + pad(value)
    body += struct.pack(">I", 2) * depth + struct.pack(">I", 9)
    off_struct = 40
    header = struct.pack(">IIIIIIIIII", fdt.MAGIC, off_struct + len(body) + len(strings),
                         off_struct, off_struct + len(body), 40, 17, 16, 0, len(strings),
                         len(body))
    return header + body + strings


def _cpu(base: bytes, extensions: bytes) -> dict[str, bytes]:
    return {"device_type": b"cpu\0", "riscv,isa-base": base, "riscv,isa-extensions": extensions}


RISCV = arch.load("riscv64")
assert RISCV.kvm_host is not None
NEED = RISCV.kvm_host


def test_reads_nested_nodes_and_stringlists() -> None:
    nodes = fdt.nodes(_dtb({"/": {"model": b"x\0"}, "/cpus": {},
                            "/cpus/cpu@0": _cpu(b"rv64i\0", b"i\0m\0h\0")}))
    assert fdt.strings(nodes["/cpus/cpu@0"]["riscv,isa-extensions"]) == ["i", "m", "h"]
    assert fdt.strings(nodes["/"]["model"]) == ["x"]


def test_rejects_what_is_not_a_device_tree() -> None:
    with pytest.raises(fdt.FdtError, match="bad magic"):
        fdt.nodes(b"\0" * 64)
    broken = bytearray(_dtb({"/": {}}))
    broken[40:44] = struct.pack(">I", 7)
    with pytest.raises(fdt.FdtError, match="unknown token 7"):
        fdt.nodes(bytes(broken))


@pytest.mark.parametrize("cpu0, cpu1, reason", [
    (_cpu(b"rv64i\0", b"i\0h\0"), _cpu(b"rv64i\0", b"i\0h\0"), ""),
    (_cpu(b"rv64i\0", b"i\0h\0"), _cpu(b"rv64i\0", b"i\0"), "/cpus/cpu@1 riscv,isa-extensions lacks h"),
    (_cpu(b"rv32i\0", b"i\0h\0"), _cpu(b"rv32i\0", b"i\0h\0"), "riscv,isa-base is rv32i, not rv64i"),
])
def test_kvm_host_reason_names_the_node_and_property(
        cpu0: dict[str, bytes], cpu1: dict[str, bytes], reason: str) -> None:
    got = cpus.kvm_host_reason(_dtb({"/": {}, "/cpus": {}, "/cpus/cpu@0": cpu0,
                                     "/cpus/cpu@1": cpu1}), NEED)
    assert (got == "") if not reason else (reason in got)


def test_a_tree_without_cpus_cannot_host() -> None:
    assert cpus.kvm_host_reason(_dtb({"/": {}}), NEED) == "its device tree has no cpu node"


@pytest.mark.parametrize("model, can_host", [("rv64", True), ("sifive-u54", False)])
def test_qemus_own_device_trees(model: str, can_host: bool) -> None:
    p = RISCV
    dtb = cpus.device_tree(lambda argv: argv, p.qemu, p.machine, model)
    assert (cpus.kvm_host_reason(dtb, NEED) == "") == can_host
