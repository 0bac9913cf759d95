# SPDX-License-Identifier: MIT
# The generated /init and the initramfs contents; the chroot argv; run's argument checks.
from __future__ import annotations

from pathlib import Path

from kvmctlib.cell import cpio, initramfs
from kvmctlib.commands import run
from kvmctlib.acquire.chroot import Bind, Chroot


def test_init_loads_modules_in_order_and_stops_on_error() -> None:
    script = initramfs.init_script(["kvm", "virtio_mmio", "virtio_blk"])
    lines = script.splitlines()
    assert lines[0] == "#!/bin/busybox sh"
    insmods = [x for x in lines if x.startswith("insmod")]
    assert insmods[0] == "insmod /lib/modules/kvm.ko || stop error 'insmod kvm failed'"
    assert [x.split()[1] for x in insmods] == [
        "/lib/modules/kvm.ko", "/lib/modules/virtio_mmio.ko", "/lib/modules/virtio_blk.ko"]
    assert "[ -c /dev/kvm ] || stop kvm-absent '/dev/kvm absent'" in lines
    assert 'echo "kvmct-init: suite exit $rc"' in lines
    assert lines.index("tar -cf /dev/vda -C /results . || stop error 'writing results failed'") \
        < lines.index("poweroff -f")


def test_filter_is_quoted() -> None:
    script = initramfs.init_script([], "IsaExt*:-*Zaamo")
    assert "'--gtest_filter=IsaExt*:-*Zaamo'" in script


def test_entries() -> None:
    entries = initramfs.entries(b"BB", b"SUITE", [initramfs.Module("kvm", b"KO")])
    by_path = {e.path: e for e in entries}
    assert by_path["kvmct-suite"].data == b"SUITE"
    assert by_path["lib/modules/kvm.ko"].data == b"KO"
    assert by_path["dev/console"].rdev == (5, 1)
    assert by_path["init"].mode & 0o111
    assert cpio.read(cpio.write(entries)) == entries


def test_chroot_argv_binds_and_private_namespace(tmp_path: Path) -> None:
    argv = Chroot(tmp_path, (Bind(Path("/repo dir"), "/src"),)).argv(["ctest", "-V"], "/src")
    assert argv[:4] == ["unshare", "--mount", "--propagation", "private"]
    script = argv[-1]
    assert "mount --bind '/repo dir'" in script
    assert f"exec chroot {tmp_path}" in script
    assert script.rstrip().endswith("/src ctest -V")


def test_validate_rejects_bad_requests(tmp_path: Path) -> None:
    opts = run.Options(kernels=("trixie", "nope"), cpus=("rv64", ""), jobs=0,
                       kvm_module=tmp_path / "missing.ko", modules=tmp_path / "nodir")
    errors = run.validate(opts)
    assert any("--kernel nope" in e for e in errors)
    assert any("--cpu" in e for e in errors)
    assert any("--jobs" in e for e in errors)
    assert any("--kvm-module" in e for e in errors)
    assert any("--modules" in e for e in errors)
    assert run.validate(run.Options(kernels=("trixie", "sid"), cpus=("rv64", "max"))) == []


def test_expected_tables_are_packed_and_passed(tmp_path: Path) -> None:
    (tmp_path / "isa-extensions.yaml").write_text("extensions: []\n")
    (tmp_path / "notes.txt").write_text("not a table\n")
    tables = run.expected_tables(tmp_path)
    assert tables == {"isa-extensions.yaml": b"extensions: []\n"}
    by_path = {e.path: e for e in initramfs.entries(b"BB", b"SUITE", [], None, tables)}
    assert by_path["expected/isa-extensions.yaml"].data == b"extensions: []\n"
    assert "/kvmct-suite --kvmct-json=/results/result.json" in by_path["init"].data.decode()
    assert "--kvmct-expected=/expected" in by_path["init"].data.decode()
    assert "--kvmct-expected" not in initramfs.init_script([])
    assert run.validate(run.Options(kernels=("sid",), cpus=("rv64",), expected=tmp_path)) == []
    errors = run.validate(run.Options(kernels=("sid",), cpus=("rv64",), expected=tmp_path / "x"))
    assert any("--expected" in e for e in errors)


def test_kernel_config_is_packed_and_passed() -> None:
    by_path = {e.path: e for e in initramfs.entries(b"BB", b"SUITE", [], None, None,
                                                     b"CONFIG_KVM=m\n")}
    assert by_path["kernel.config"].data == b"CONFIG_KVM=m\n"
    assert "--kvmct-kernel-config=/kernel.config" in by_path["init"].data.decode()
    plain = {e.path: e for e in initramfs.entries(b"BB", b"SUITE", [])}
    assert "kernel.config" not in plain
    assert "--kvmct-kernel-config" not in plain["init"].data.decode()
