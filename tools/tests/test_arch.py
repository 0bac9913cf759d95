# SPDX-License-Identifier: MIT
# The architecture profiles: each architecture's facts come from data/arch/<folder>/profile.toml,
# another architecture is another such folder, and common code spells no architecture itself.
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kvmctlib import arch, cpus
from kvmctlib.build import cmake
from kvmctlib.cell import qemu

LIB = Path(arch.__file__).resolve().parent
# Strings that name riscv64 things; only the profile may hold them. catalogue.py is the
# RISC-V ISA_EXT catalogue checker itself (expected/riscv/isa-extensions.yaml).
SPELLED = ("riscv64", "arch/riscv", "qemu-system-", "OpenSBI", "rv64", "arm64", "aarch64",
           "ttyS0", "ttyAMA0", "kvm-arm")
EXEMPT = {"arch.py", "catalogue.py", "uapi_header.py"}  # the last two read a riscv uapi header


RISCV, ARM64 = arch.load("riscv64"), arch.load("arm64")


def test_riscv64_profile() -> None:
    p = RISCV
    assert (p.qemu, p.machine, p.default_cpu) == ("qemu-system-riscv64", "virt", "rv64")
    assert (p.debian_arch, p.kernel_meta) == ("riscv64", "linux-image-riscv64")
    assert p.strip == "riscv64-linux-gnu-strip" and p.cross_gcc("14") == "gcc-14-riscv64-linux-gnu"
    assert p.cell_modules == ("kvm", "virtio_mmio", "virtio_blk") and p.kvm_modular
    assert (p.console, p.firmware, p.folder.name) == (
        "ttyS0", arch.Firmware("OpenSBI", "OpenSBI v"), "riscv")
    assert p.kvm_host is not None and p.kvm_host.required == ("h",)
    assert cpus.load(p).resolve(p.default_cpu).qemu == "rv64"
    assert cmake.suite_binary(p) == "riscv64/suites/kvmct-suite"


def test_arm64_profile() -> None:
    p = ARM64
    assert (p.qemu, p.machine) == ("qemu-system-aarch64", "virt,virtualization=on,gic-version=3")
    assert (p.console, p.firmware, p.kvm_host, p.kvm_modular) == ("ttyAMA0", None, None, False)
    assert p.cell_modules == ("virtio_mmio", "virtio_blk") and p.folder.name == "arm64"
    assert (p.strip, p.kernel_arch, p.build_dir) == ("aarch64-linux-gnu-strip", "arm64", "arm64")
    assert cpus.load(p).resolve(p.default_cpu).qemu == "max"
    assert cmake.target(p).configure_args == (
        "-DCMAKE_TOOLCHAIN_FILE=/src/cmake/aarch64-linux-gnu.cmake",)


def test_profiles_are_found_by_their_folders() -> None:
    assert arch.names() == ("arm64", "riscv64")
    assert all(p.folder == arch.DATA / p.folder.name for p in arch.every())
    with pytest.raises(arch.ProfileError, match="no architecture 'x86'"):
        arch.load("x86")


def _copy_folder(src: arch.Profile, dest: Path, edits: tuple[tuple[str, str], ...]) -> Path:
    folder = dest / "arch" / "x86"
    folder.mkdir(parents=True)
    text = (src.folder / arch.PROFILE).read_text()
    for a, b in edits:
        assert a in text, a
        text = text.replace(a, b)
    (folder / arch.PROFILE).write_text(text)
    (folder / arch.CPUS).write_text((src.folder / arch.CPUS).read_text())
    return dest / "arch"


def test_another_architecture_is_one_more_folder(tmp_path: Path) -> None:
    data = _copy_folder(ARM64, tmp_path, (('name = "arm64"', 'name = "amd64"'),
                                          ('arch = "arm64"\nkernel_meta', 'arch = "amd64"\nkernel_meta'),
                                          ("qemu-system-aarch64", "qemu-system-x86_64"),
                                          ('console = "ttyAMA0"', 'console = "ttyS0"')))
    found = arch.discover(data)
    assert list(found) == ["amd64"]
    p = found["amd64"]
    assert (p.qemu, p.console, p.folder, p.cpus) == (
        "qemu-system-x86_64", "ttyS0", data / "x86", data / "x86" / "cpus.toml")
    argv = qemu.command(p.qemu, qemu.Machine(p.machine, "max", args=p.qemu_args), "K", "I", "R",
                        qemu.cmdline(p.console, "10.0.13", p.kernel_args))
    assert argv[:5] == ["qemu-system-x86_64", "-M", p.machine, "-cpu", "max"]
    assert argv[argv.index("-append") + 1].startswith("console=ttyS0 ")


def test_two_folders_of_one_profile_name_are_an_error(tmp_path: Path) -> None:
    data = _copy_folder(ARM64, tmp_path, ())
    (data / "arm64b").mkdir()
    (data / "arm64b" / arch.PROFILE).write_text((ARM64.folder / arch.PROFILE).read_text())
    with pytest.raises(arch.ProfileError, match="profile arm64 is also"):
        arch.discover(data)


@pytest.mark.parametrize("edit, error", [
    (("machine = ", "board = "), "qemu.machine"),
    (('console = "ttyS0"', "console = 3"), "qemu.console must be a non-empty string"),
    (("kvm_modular = true", 'kvm_modular = "yes"'), "kernel.kvm_modular must be true or false"),
    (('image_magic = "52534305"', 'image_magic = "RSC"'), "kernel.image_magic must be hex"),
    (("image_magic_offset = 56", "image_magic_offset = -1"), "must be a non-negative integer"),
    (('"boot/vmlinux-{release}"', '"boot/vmlinux"'), "image_names must each hold {release}"),
    (('name = "riscv64"', 'name = "riscv"'), "must be the Debian architecture"),
    (('banner = "OpenSBI v"', ""), "firmware.banner"),
    (('required = ["h"]', ""), "qemu.kvm_host.required"),
])
def test_a_bad_profile_names_its_file_and_key(tmp_path: Path, edit: tuple[str, str],
                                              error: str) -> None:
    text = (RISCV.folder / arch.PROFILE).read_text()
    assert edit[0] in text
    path = tmp_path / "riscv" / "profile.toml"
    with pytest.raises(arch.ProfileError, match=error) as e:
        arch.parse(text.replace(edit[0], edit[1]), path)
    assert str(e.value).startswith(f"{path}: ")


def test_optional_sections_are_absent_not_fake() -> None:
    text = (RISCV.folder / arch.PROFILE).read_text()
    start = text.index("[qemu.kvm_host]")
    without = text[:start] + text[text.index("[expected]"):]
    without = without.replace(without[without.index("[firmware]"):without.index("# What every")], "")
    p = arch.parse(without, Path("x/profile.toml"))
    assert (p.kvm_host, p.firmware) == (None, None)


def _image(magic_at_56: bytes) -> bytes:
    return b"MZ" + b"\0" * 54 + magic_at_56 + b"\0" * 64


def test_an_image_header_names_its_architecture() -> None:
    assert arch.of_image(_image(b"RSC\x05")) == RISCV
    assert arch.of_image(_image(b"ARM\x64")) == ARM64
    assert arch.of_image(_image(b"\0\0\0\0")) is None
    assert arch.of_image(b"short") is None


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                  and isinstance(n.body[0], ast.Expr)
                  and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docstrings]


def test_common_code_spells_no_architecture() -> None:
    found = [f"{path.name}:{line}: {value!r}"
             for path in sorted(LIB.rglob("*.py")) if path.name not in EXEMPT
             for line, value in _strings(ast.parse(path.read_text()))
             if any(s in value for s in SPELLED)]
    assert found == []
