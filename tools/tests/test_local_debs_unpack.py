# SPDX-License-Identifier: MIT
# Local .deb kernels end to end on tiny packages built with dpkg-deb: validate() refuses an
# incomplete set before anything is unpacked, a complete set unpacks into kernels/deb-<rel>/,
# and a set without kvm.ko (and without built-in KVM) is refused naming the packages.
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kvmctlib import arch
from kvmctlib.acquire import kernels, local_debs
from kvmctlib.commands import run
from kvmctlib.log import Progress
from kvmctlib.paths import Cache

RISCV = arch.load("riscv64")

REL = "7.2.9+deb13-riscv64"
VERSION = "7.2.9-1~bpo13+1"

pytestmark = pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg-deb")


def build(out: Path, package: str, files: dict[str, bytes], depends: str = "",
          architecture: str = "riscv64") -> Path:
    """A real .deb with these files and a control stanza (dpkg-deb --build)."""
    root = out / package
    (root / "DEBIAN").mkdir(parents=True)
    control = (f"Package: {package}\nVersion: {VERSION}\nArchitecture: {architecture}\n"
               "Maintainer: kvmct <kvmct@example.org>\nDescription: test\n")
    if depends:
        control += f"Depends: {depends}\n"
    (root / "DEBIAN" / "control").write_text(control)
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    deb = out / f"{package}_{VERSION}_{architecture}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", str(root), str(deb)],
                   check=True, capture_output=True)
    return deb


def split_kernel(out: Path, with_kvm: bool = True) -> list[Path]:
    image = build(out, f"linux-image-{REL}", {},
                  f"linux-binary-{REL} (= {VERSION}), linux-modules-{REL} (= {VERSION})")
    binary = build(out, f"linux-binary-{REL}", {
        f"usr/lib/modules/{REL}/vmlinuz":
            b"\0" * 64 + f"Linux version {REL} (debian-kernel@lists.debian.org) #1\n".encode()})
    mods = {f"usr/lib/modules/{REL}/kernel/drivers/virtio/virtio_mmio.ko": b"\0"}
    if with_kvm:
        mods[f"usr/lib/modules/{REL}/kernel/arch/riscv/kvm/kvm.ko"] = b"\0"
    return [image, binary, build(out, f"linux-modules-{REL}", mods)]


def test_validate_names_the_packages_the_image_depends_on(tmp_path: Path) -> None:
    image = split_kernel(tmp_path)[0]
    errors = run.validate(run.Options(kernels=(str(image),), cpus=("rv64",)))
    assert len(errors) == 1
    assert f"linux-binary-{REL}" in errors[0] and f"linux-modules-{REL}" in errors[0]


def test_a_complete_split_set_is_one_kernel(tmp_path: Path) -> None:
    debs = split_kernel(tmp_path)
    assert run.validate(run.Options(kernels=tuple(map(str, debs)), cpus=("rv64",))) == []
    cache = Cache(tmp_path / "cache")
    found = local_debs.group(local_debs.read(debs), "riscv64")
    k = local_debs.load(cache, RISCV, found, Progress(quiet=True))
    assert (k.name, k.release, k.package, k.version) == (f"deb-{REL}", REL, f"linux-image-{REL}",
                                                         VERSION)
    assert k.provenance == local_debs.PROVENANCE and k.image.is_file()
    assert k.modules is not None and (k.modules / "kernel/arch/riscv/kvm/kvm.ko").is_file()
    assert kernels.spec_of(cache, RISCV, k.name) == "" and k.uapi_header is None
    for d in debs:
        assert d.is_file()  # the user's files are kept


def test_linux_libc_dev_gives_the_uapi_header(tmp_path: Path) -> None:
    header = f"usr/lib/linux/uapi/{RISCV.kernel_arch}/asm/kvm.h"
    libc = build(tmp_path, "linux-libc-dev", {header: b"#define KVM_RISCV_ISA_EXT_A 0\n"})
    found = local_debs.group(local_debs.read([*split_kernel(tmp_path), libc]), "riscv64")
    k = local_debs.load(Cache(tmp_path / "cache"), RISCV, found, Progress(quiet=True))
    assert k.uapi_header is not None
    assert k.uapi_header.read_bytes() == b"#define KVM_RISCV_ISA_EXT_A 0\n"


def test_the_image_packages_boot_config_is_the_kernels_config(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    image = build(tmp_path / "a", f"linux-image-{REL}", {f"boot/config-{REL}": b"CONFIG_KVM=m\n"},
                  f"linux-binary-{REL} (= {VERSION}), linux-modules-{REL} (= {VERSION})")
    found = local_debs.group(local_debs.read([image, *split_kernel(tmp_path / "b")[1:]]),
                             "riscv64")
    k = local_debs.load(Cache(tmp_path / "cache"), RISCV, found, Progress(quiet=True))
    assert k.config is not None and k.config.read_bytes() == b"CONFIG_KVM=m\n"
    assert k.describe()["config"] == str(k.config)
    plain = local_debs.load(Cache(tmp_path / "cache2"), RISCV,
                            local_debs.group(local_debs.read(split_kernel(tmp_path)),
                                             "riscv64"),
                            Progress(quiet=True))
    assert plain.config is None and "config" not in plain.describe()


def test_no_kvm_in_the_set_names_the_packages(tmp_path: Path) -> None:
    debs = split_kernel(tmp_path, with_kvm=False)
    found = local_debs.group(local_debs.read(debs), "riscv64")
    with pytest.raises(local_debs.LocalDebError) as e:
        local_debs.load(Cache(tmp_path / "cache"), RISCV, found, Progress(quiet=True))
    assert all(f"linux-{kind}-{REL}" in str(e.value) for kind in ("image", "binary", "modules"))


def test_not_a_deb(tmp_path: Path) -> None:
    fake = tmp_path / "linux-image-1.deb"
    fake.write_bytes(b"not an archive")
    errors = run.validate(run.Options(kernels=(str(fake),), cpus=("rv64",)))
    assert len(errors) == 1 and str(fake) in errors[0]


def test_the_packages_name_the_architecture(tmp_path: Path) -> None:
    """An arm64 kernel's .deb runs on arm64 only; packages of two architectures are refused."""
    rel = "7.2.9+deb13-arm64"
    image = b"\0" * 64 + f"Linux version {rel} (x) #1\n".encode()
    bare = build(tmp_path / "bare", f"linux-image-{rel}", {f"boot/vmlinuz-{rel}": image},
                 architecture="arm64")
    with pytest.raises(local_debs.LocalDebError, match="arm64 KVM cannot be a module"):
        local_debs.load(Cache(tmp_path / "c0"), arch.load("arm64"),
                        local_debs.group(local_debs.read([bare]), "arm64"), Progress(quiet=True))
    deb = build(tmp_path, f"linux-image-{rel}", {
        f"boot/vmlinuz-{rel}": image + b"\0kvm.halt_poll_ns\0",
        f"lib/modules/{rel}/kernel/drivers/virtio/virtio_mmio.ko": b"\0"}, architecture="arm64")
    axes, errors = run.plan(run.Options(kernels=(str(deb),)))
    assert errors == [] and [(a.profile.name, a.kernels) for a in axes] == [("arm64", (str(deb),))]
    mixed = [deb, split_kernel(tmp_path / "r")[0]]
    _, errors = run.plan(run.Options(kernels=tuple(map(str, mixed))))
    assert any("are for arm64, riscv64: give one architecture's" in e for e in errors)
    k = local_debs.load(Cache(tmp_path / "cache"), arch.load("arm64"),
                        local_debs.group(local_debs.read([deb]), "arm64"), Progress(quiet=True))
    assert k.image.is_file() and k.arch == "arm64" and k.release == rel
    assert k.image.parent == tmp_path / "cache" / "kernels" / "arm64" / f"deb-{rel}"
