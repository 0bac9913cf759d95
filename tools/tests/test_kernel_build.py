# SPDX-License-Identifier: MIT
# `kernel --source`'s pure parts: .config and fragment parsing, what a cell needs of the config,
# fragment values olddefconfig dropped, the build tree's key, make progress and failure tails,
# the source checks and default names, and the stored kernel `built:NAME` loads.
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kvmctlib import arch, cli, selection
from kvmctlib.acquire import built_kernel
from kvmctlib.acquire.kernel_source import SourceError, Version
from kvmctlib.build import kernel_build, kernel_config as kc, kernel_source_tree as kst, make_log
from kvmctlib.errors import KvmctError
from kvmctlib.log import Progress
from kvmctlib.paths import Cache

RISCV = arch.load("riscv64")
ARM64 = arch.load("arm64")
NEEDS = kernel_build.cell_needs(RISCV)
# The cell's needs as a vng --kconfig riscv64 config of 7.3 has them (excerpt).
GOOD = """#
# Automatically generated file; DO NOT EDIT.
CONFIG_KVM=m
CONFIG_VIRTIO_MMIO=y
CONFIG_VIRTIO_BLK=y
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y
CONFIG_SERIAL_OF_PLATFORM=y
CONFIG_BLK_DEV_INITRD=y
CONFIG_DEVTMPFS=y
CONFIG_PROC_FS=y
CONFIG_SYSFS=y
CONFIG_BINFMT_ELF=y
CONFIG_CC_VERSION_TEXT="riscv64-linux-gnu-gcc (Debian 14.2.0-19) 14.2.0"
# CONFIG_DRM is not set
"""


def test_parse_values_unset_and_last_wins() -> None:
    c = kc.parse(GOOD + "CONFIG_KVM=y\n")
    assert c["CONFIG_KVM"] == "y"
    assert c["CONFIG_DRM"] == "n"
    assert c["CONFIG_CC_VERSION_TEXT"] == '"riscv64-linux-gnu-gcc (Debian 14.2.0-19) 14.2.0"'
    assert "CONFIG_SOUND" not in c


def test_good_config_misses_nothing() -> None:
    assert kc.missing(kc.parse(GOOD), NEEDS) == []
    assert kc.missing(kc.parse(GOOD.replace("CONFIG_KVM=m", "CONFIG_KVM=y")), NEEDS) == []


@pytest.mark.parametrize("line, what", [
    ("CONFIG_KVM=m", "KVM (CONFIG_KVM not set, needs y or m)"),
    ("CONFIG_VIRTIO_MMIO=y", "virtio-mmio"),
    ("CONFIG_VIRTIO_BLK=y", "virtio-blk"),
    ("CONFIG_SERIAL_OF_PLATFORM=y", "serial console (CONFIG_SERIAL_OF_PLATFORM not set"),
    ("CONFIG_BLK_DEV_INITRD=y", "initramfs (CONFIG_BLK_DEV_INITRD not set, needs y)"),
    ("CONFIG_DEVTMPFS=y", "devtmpfs"),
    ("CONFIG_SYSFS=y", "proc and sysfs"),
    ("CONFIG_BINFMT_ELF=y", "ELF executables"),
])
def test_each_need_is_named_when_missing(line: str, what: str) -> None:
    lacking = kc.missing(kc.parse(GOOD.replace(line + "\n", "")), NEEDS)
    assert len(lacking) == 1 and lacking[0].startswith(what)


def test_console_as_module_is_not_enough() -> None:
    lacking = kc.missing(kc.parse(GOOD.replace("CONFIG_SERIAL_8250=y", "CONFIG_SERIAL_8250=m")), NEEDS)
    assert lacking == ["serial console (CONFIG_SERIAL_8250 =m, needs y)"]


def test_kvm_must_be_built_in_where_it_cannot_be_a_module() -> None:
    arm64 = GOOD.replace("CONFIG_SERIAL_8250=y", "CONFIG_SERIAL_AMBA_PL011=y").replace(
        "CONFIG_SERIAL_8250_CONSOLE=y", "CONFIG_SERIAL_AMBA_PL011_CONSOLE=y")
    needs = kernel_build.cell_needs(ARM64)
    assert kc.missing(kc.parse(arm64), needs) == ["KVM (CONFIG_KVM =m, needs y)"]
    assert kc.missing(kc.parse(arm64.replace("CONFIG_KVM=m", "CONFIG_KVM=y")), needs) == []


def test_unset_line_counts_as_missing() -> None:
    text = GOOD.replace("CONFIG_KVM=m", "# CONFIG_KVM is not set")
    assert kc.missing(kc.parse(text), NEEDS) == ["KVM (CONFIG_KVM not set, needs y or m)"]


def test_fragment_rejects_a_non_kconfig_line() -> None:
    assert kc.parse_fragment("# mine\nCONFIG_KVM=y\n\n# CONFIG_DRM is not set\n", "f") == \
        {"CONFIG_KVM": "y", "CONFIG_DRM": "n"}
    with pytest.raises(kc.ConfigError, match=r"f:2: not a Kconfig line .*'KVM=y'"):
        kc.parse_fragment("CONFIG_KVM=y\nKVM=y\n", "f")


def test_dropped_fragment_values() -> None:
    config = kc.parse(GOOD)
    ok = kc.merged([("f", {"CONFIG_KVM": "m", "CONFIG_DRM": "n", "CONFIG_SOUND": "n"})])
    assert kc.dropped(ok, config) == []
    bad = kc.merged([("f", {"CONFIG_KVM": "y", "CONFIG_NO_SUCH": "y"})])
    assert kc.dropped(bad, config) == [
        "f: CONFIG_KVM=y (config has m)", "f: CONFIG_NO_SUCH=y (config has not set)"]


def test_a_later_fragment_overrides_without_a_warning() -> None:
    # kvmct's cell fragment says KVM=m, the user's CONFIG_KVM=y wins: no warning for m.
    config = kc.parse(GOOD.replace("CONFIG_KVM=m", "CONFIG_KVM=y"))
    wanted = kc.merged([("cell", {"CONFIG_KVM": "m", "CONFIG_DRM": "n"}),
                        ("mine", {"CONFIG_KVM": "y"})])
    assert wanted == {"CONFIG_KVM": ("y", "mine"), "CONFIG_DRM": ("n", "cell")}
    assert kc.dropped(wanted, config) == []


def test_kvm_mode() -> None:
    assert kc.kvm_mode(kc.parse(GOOD)) == "module"
    assert kc.kvm_mode(kc.parse(GOOD.replace("CONFIG_KVM=m", "CONFIG_KVM=y"))) == "builtin"


def test_config_key_names_base_and_each_fragment_in_order() -> None:
    a, b = "CONFIG_KVM=y\n", "# CONFIG_KVM is not set\n"
    k = kc.config_key("vng", [a, b])
    assert k == kc.config_key("vng", [a, b]) and len(k) == 12
    assert len({k, kc.config_key("vng2", [a, b]), kc.config_key("vng", [b, a]),
                kc.config_key("vng", [a]), kc.config_key("vng", [a + b])}) == 5


def test_config_key_ignores_comments_and_line_order() -> None:
    text = "# why\nCONFIG_KVM=y\nCONFIG_NET=n\n"
    assert kc.config_key("vng", [text]) == \
        kc.config_key("vng", ["CONFIG_NET=n\n# other words\n\nCONFIG_KVM=y\n"])
    assert kc.config_key("vng", [text]) != kc.config_key("vng", [text + "CONFIG_PCI=y\n"])


MAKE_OK = """  SYNC    include/config/auto.conf
  HOSTCC  scripts/dtc/dtc.o
  CC      kernel/fork.o
  AS      arch/riscv/kernel/head.o
  CC [M]  arch/riscv/kvm/main.o
  LD [M]  arch/riscv/kvm/kvm.o
"""


def test_counter_counts_compiles_only() -> None:
    c = make_log.Counter()
    for line in MAKE_OK.splitlines(keepends=True):
        c.feed(line)
    assert (c.compiled, c.last) == (3, "arch/riscv/kvm/main.o")
    assert c.status() == "3 objects compiled, last arch/riscv/kvm/main.o"
    assert make_log.Counter().status() == "0 objects compiled"


def test_failure_tail_starts_before_the_first_error() -> None:
    lines = [f"  CC      f{i}.o" for i in range(100)]
    lines[60] = "arch/riscv/kvm/vcpu.c:12:3: error: expected ';' before '}' token"
    lines[61] = "make[4]: *** [scripts/Makefile.build:287: arch/riscv/kvm/vcpu.o] Error 1"
    tail = make_log.failure_tail(lines, context=3, limit=10)
    assert tail[0] == "  CC      f57.o" and tail[3] == lines[60] and len(tail) == 10


def test_failure_tail_of_make_errors_and_without_any() -> None:
    lines = ["a"] * 50 + ["make: *** No rule to make target 'Imagee'.  Stop."]
    assert make_log.failure_tail(lines, context=2)[:3] == ["a", "a", lines[-1]]
    plain = [str(i) for i in range(100)]
    assert make_log.failure_tail(plain, limit=5) == ["95", "96", "97", "98", "99"]


def _linux(top: Path, patchlevel: int = 3) -> Path:
    for rel in ("scripts/kconfig", "arch/riscv/kvm", "virt/kvm"):
        (top / rel).mkdir(parents=True)
    (top / "Kconfig").write_text("")
    (top / "arch/riscv/Kconfig").write_text("")
    (top / "Makefile").write_text(f"VERSION = 7\nPATCHLEVEL = {patchlevel}\nSUBLEVEL = 4\n"
                                  "EXTRAVERSION =\n")
    return top


def test_check_linux(tmp_path: Path) -> None:
    assert str(kst.check_linux(RISCV, _linux(tmp_path / "l", 4))) == "7.4.4"
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "Makefile").write_text("all:\n")
    with pytest.raises(SourceError, match=r"not a Linux source tree .*missing Kconfig, "
                                              r"scripts/kconfig, arch/riscv/Kconfig, "
                                              r"arch/riscv/kvm, virt/kvm\)"):
        kst.check_linux(RISCV, tmp_path / "other")


def test_check_linux_refuses_an_in_tree_build(tmp_path: Path) -> None:
    top = _linux(tmp_path / "l")
    (top / ".config").write_text("CONFIG_KVM=m\n")
    with pytest.raises(SourceError, match=r"has \.config from an in-tree build.*mrproper"):
        kst.check_linux(RISCV, top)


def test_resolve_rejects_what_is_no_source(tmp_path: Path) -> None:
    cache, progress = Cache(tmp_path / "cache"), Progress(quiet=True)
    with pytest.raises(SourceError, match="no such file or directory"):
        kst.resolve(cache, RISCV, str(tmp_path / "none"), progress)
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(SourceError, match="neither a directory"):
        kst.resolve(cache, RISCV, str(tmp_path / "notes.txt"), progress)
    with pytest.raises(SourceError, match="expected debian:linux-source-X.Y"):
        kst.resolve(cache, RISCV, "debian:linux-image-7.3", progress)


@pytest.mark.parametrize("path, name", [
    ("/c/linux-source-7.3_7.3.4-1~bpo13+1.tar.xz", "linux-source-7.3"),
    ("/c/linux-7.4-rc2.tar.gz", "linux-7.4-rc2"),
    ("/home/me/linux", "linux"),
    ("/home/me/my tree", "my_tree"),
])
def test_name_of(path: str, name: str) -> None:
    assert kst.name_of(Path(path)) == name


def test_out_dir_follows_source_and_fragment(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    tree = kst.Tree("x", tmp_path, "k1", "x", Version(7, 3, 4))
    frag = tmp_path / "kvm-y.config"
    frag.write_text("CONFIG_KVM=y\n")
    plain = kernel_build.out_dir(cache, kernel_build.Request(tree, "x", None, 2, RISCV))
    fragged = kernel_build.out_dir(cache, kernel_build.Request(tree, "x", frag, 2, RISCV))
    other = kernel_build.out_dir(cache, kernel_build.Request(
        kst.Tree("x", tmp_path, "k2", "x", Version(7, 3, 4)), "x", None, 2, RISCV))
    assert plain.name.startswith("k1-") and other.name.startswith("k2-")
    assert len({plain, fragged, other}) == 3
    assert plain == kernel_build.out_dir(cache, kernel_build.Request(tree, "y", None, 1, RISCV))
    arm64 = kernel_build.out_dir(cache, kernel_build.Request(tree, "x", None, 2, ARM64))
    assert arm64.name.startswith("k1-") and arm64 != plain  # one tree per architecture


@pytest.mark.parametrize("profile, want", [
    (RISCV, ["ARCH=riscv", "CROSS_COMPILE=riscv64-linux-gnu-", "CC=ccache riscv64-linux-gnu-gcc"]),
    (ARM64, ["ARCH=arm64", "CROSS_COMPILE=aarch64-linux-gnu-", "CC=ccache aarch64-linux-gnu-gcc"]),
], ids=lambda v: v.name if isinstance(v, arch.Profile) else "")
def test_kbuild_is_told_the_architecture(profile: arch.Profile, want: list[str],
                                         tmp_path: Path) -> None:
    args = kernel_build._kbuild_args(profile, 2)
    assert all(w in args for w in want) and args[-1] == "-j2"
    assert kernel_build.kernel_dir(Cache(tmp_path), profile, "x") == \
        tmp_path / "kernels" / profile.name / "built-x"


@pytest.mark.parametrize("profile", arch.every(), ids=lambda p: p.name)
def test_cell_fragment_meets_the_needs_it_names(profile: arch.Profile) -> None:
    # kvmct's own fragment of each architecture sets every need to a value that satisfies it.
    fragment = kc.parse_fragment(kernel_build.cell_fragment(profile).read_text(), "cell")
    for need in kernel_build.cell_needs(profile):
        for sym, ok in need.symbols:
            assert fragment.get(sym, "y") in ok, sym


def test_load_reads_the_stored_kernel(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    d = cache.kernels / "riscv64" / "built-mine"
    (d / "modules").mkdir(parents=True)
    (d / "Image").write_bytes(b"")
    (d / "kvm.h").write_text("")
    (d / "kernel.json").write_text(json.dumps({
        "name": "mine", "release": "7.4.4", "version": "7.4.4", "package": "", "suite": "",
        "provenance": "built from /src/linux", "uapi_header": "kvm.h", "kvm": "builtin"}))
    k = built_kernel.load(cache, RISCV, "mine", Progress(quiet=True))
    assert (k.name, k.release, k.kvm, k.provenance) == ("built-mine", "7.4.4", "builtin",
                                                         "built from /src/linux")
    assert k.uapi_header == d / "kvm.h" and k.modules == d / "modules"


def test_load_names_the_command_for_an_unknown_kernel(tmp_path: Path) -> None:
    with pytest.raises(KvmctError, match=r"no such built kernel; build it with `tools/kvmct "
                                         r"kernel --source PATH\|TARBALL --name mine`"):
        built_kernel.load(Cache(tmp_path), RISCV, "mine", Progress(quiet=True))


@pytest.mark.parametrize("argv, says", [
    (["--cpu", "max"], "run options need --run"),
    (["--run", "--kernel", "sid"], "the kernel is the one just built; no --kernel"),
    (["-j", "0"], "--jobs must be at least 1"),
])
def test_kernel_command_refuses_before_building(
        argv: list[str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KVMCT_CACHE", str(tmp_path / "cache"))
    assert cli.main(["kernel", "--arch", "riscv64", "--source", str(tmp_path), *argv]) == 2
    assert says in capsys.readouterr().err
    assert not (tmp_path / "cache").exists()  # nothing fetched, locked or built


def test_kernel_command_needs_an_architecture_it_can_tell(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KVMCT_CACHE", str(tmp_path / "cache"))
    assert cli.main(["kernel", "--source", str(tmp_path), "-j", "0"]) == 2
    assert "which architecture? Give --arch" in capsys.readouterr().err
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize("cpus, implied", [
    (["rv64", "max"], "riscv64"),
    (["max-vhe", "max-nvhe"], "arm64"),
    (["rv64", "max-nvhe"], None),   # two architectures: the user must say which
    ([], None),
])
def test_the_cpu_models_imply_the_kernel_architecture(cpus: list[str], implied: str | None) -> None:
    profiles = tuple(arch.load(n) for n in arch.names())
    assert selection.implied_arch(cpus, profiles) == implied


@pytest.mark.parametrize("argv, says", [
    (["--cpu", "max"], "run options need --run"),
    (["--run", "--cpu"], "argument --cpu: expected one argument"),
])
def test_kvm_module_command_refuses_run_options_before_building(
        argv: list[str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KVMCT_CACHE", str(tmp_path / "cache"))
    code: int | str | None
    try:
        code = cli.main(["kvm-module", "--kernel", "sid", "--source", str(tmp_path), *argv])
    except SystemExit as exited:  # argparse's own refusal
        code = exited.code
    assert code == 2
    assert says in capsys.readouterr().err
    assert not (tmp_path / "cache").exists()  # nothing fetched, locked or built
