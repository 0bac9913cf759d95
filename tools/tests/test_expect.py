# SPDX-License-Identifier: MIT
# `kvmct expect`: its argument and formatting logic, and one real run of kvmct-expect (the
# suite's C++ expectation code) with a device tree QEMU writes, where the build root has them.
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from kvmctlib import cli
from kvmctlib.commands import expect
from kvmctlib.reports import expect_text


def test_registered_and_host_options_exclude_each_other() -> None:
    assert any(c.name == "expect" for c in cli.COMMANDS)
    with pytest.raises(SystemExit):
        cli._parser().parse_args(["expect", "--kernel", "6.15", "--cpu", "rv64", "--host-isa", "rv64gc"])
    with pytest.raises(SystemExit):
        cli._parser().parse_args(["expect"])  # --kernel is required
    args = cli._parser().parse_args(["expect", "--kernel", "6.15", "--host-isa", "rv64gc", "--json"])
    assert (args.kernel, args.host_isa, args.cpu, args.json) == ("6.15", "rv64gc", None, True)


def test_argv_of_the_binary_and_of_qemu() -> None:
    assert expect.expect_argv("6.15", None, "rv64gc") == [
        expect.BINARY, "--kernel", "6.15", "--host-isa", "rv64gc", "--expected", "/src/expected/riscv"]
    assert expect.expect_argv("7.4", "/build/expect/x.dtb", None)[3:5] == ["--dtb", "/build/expect/x.dtb"]
    for dtb, isa in ((None, None), ("a.dtb", "rv64gc")):
        with pytest.raises(expect.ExpectError):
            expect.expect_argv("6.15", dtb, isa)
    assert expect.dtb_argv("q", "virt", "rv64,zicboz=false", "/b/x.dtb") == [
        "q", "-M", "virt,dumpdtb=/b/x.dtb", "-cpu", "rv64,zicboz=false", "-smp", "2", "-m", "1G",
        "-nographic"]
    assert expect.dtb_name("rv64,zicboz=false") == "rv64_zicboz_false.dtb"


def _doc(newer: bool = False, last: int | None = 1) -> dict[str, Any]:
    cite = {"provenance": "derived", "text": "2d79608cf611", "commits": ["2d79608cf611"], "source": ""}
    rule = {"kind": "never", "since": "6.15", "citation": cite,
            "text": "never-disable since 6.15 (derived: 2d79608cf611)"}
    zaamo = {"id": 69, "name": "ZAAMO", "since": "6.15", "host_has": True, "presence": "required",
             "default": {"expected": "1", "why": "enable allowed (no rule at 6.15)"},
             "disable": {"allowed": False, "expected": "EINVAL", "rule": rule,
                         "why": "never-disable since 6.15 (derived: 2d79608cf611)"},
             "enable": {"allowed": True, "expected": "ok", "rule": None, "why": "enable allowed"},
             "after_run": {"expected": "EBUSY", "same_value": "ok", "errno_regime": "enoent-ebusy"}}
    smnpm = dict(zaamo, id=62, name="SMNPM", presence="absent", shares_bit="SSNPM",
                 disable={"allowed": True, "expected": "ENOENT", "rule": None, "why": ""})
    return {"policy": {"release": "7.3" if newer else "6.15", "provenance": "derived",
                       "citation": "2d79608cf611 b3f263a98d30", "newer_than_tables": newer,
                       "kernel": "7.4.0" if newer else "6.15.3", "isa_ext_max": 71, "multi_reg_last": last,
                       "errno_regime": {"name": "enoent-ebusy", "unknown_id": "ENOENT",
                                        "host_lacks_get": "ENOENT", "host_lacks_set": "ENOENT",
                                        "refused": "EINVAL", "changed_after_run": "EBUSY",
                                        "same_value_after_run": "ok", "citation": cite},
                       "config_isa": {"range_check": "isa", "forced_on": "acim", "forced_off": "bh",
                                      "citation": cite}},
            "host_isa": {"source": "--host-isa", "extensions": ["a", "zaamo"]},
            "extensions": [smnpm, zaamo]}


def test_text_names_release_rules_and_columns() -> None:
    out = expect_text.text(_doc(), "--host-isa rv64ia_zaamo").splitlines()
    assert out[0] == "kvmct expect: kernel 6.15.3: policy 6.15 (derived: 2d79608cf611 b3f263a98d30)"
    assert "MULTI_REG_LAST (64-bit) 1" in out[2]
    row = next(i for i, line in enumerate(out) if line.split()[:1] == ["ZAAMO"])
    assert out[row].split() == ["ZAAMO", "69", "required", "1", "EINVAL", "ok", "EBUSY"]
    assert out[row + 1].strip() == "disable: never-disable since 6.15 (derived: 2d79608cf611)"
    smnpm = next(i for i, line in enumerate(out) if line.split()[:1] == ["SMNPM"])
    assert "SSNPM" in out[smnpm + 1]


def test_text_says_a_kernel_is_newer_than_the_tables_and_when_there_is_no_multi() -> None:
    out = expect_text.text(_doc(newer=True, last=None), "cpu rv64").splitlines()
    assert out[0].endswith("-- kernel 7.4.0 is newer than the tables")
    assert out[2].endswith("none: no MULTI registers")


def test_rule_lines_only_for_operations_with_a_rule() -> None:
    doc = _doc()
    assert expect_text.rule_lines(doc["extensions"][1]) == [
        "disable: never-disable since 6.15 (derived: 2d79608cf611)"]


ROOT_BINARY = Path(expect.BINARY)
QEMU = shutil.which("qemu-system-riscv64")
needs_root = pytest.mark.skipif(
    not ROOT_BINARY.is_file() or QEMU is None,
    reason="needs the build root (kvmct-expect built, QEMU): run via tools/kvmct exec")


def device_tree(tmp_path: Path, cpu: str) -> str:
    """QEMU's device tree of `-cpu CPU`, as the cell would boot it."""
    assert QEMU is not None
    dtb = str(tmp_path / f"{cpu}.dtb")
    expect.run_checked(expect.dtb_argv(QEMU, "virt", cpu, dtb), "qemu dumpdtb")
    return dtb


@needs_root
def test_real_kvmct_expect_on_615_refuses_zaamo_disable(tmp_path: Path) -> None:
    dtb = device_tree(tmp_path, "rv64")
    doc = expect.answer(expect.run_checked, "6.15.3", dtb, None)
    assert doc["policy"]["release"] == "6.15" and doc["policy"]["provenance"] == "derived"
    assert doc["policy"]["newer_than_tables"] is False
    zaamo = next(e for e in doc["extensions"] if e["name"] == "ZAAMO")
    assert zaamo["presence"] == "required"
    assert zaamo["disable"]["allowed"] is False and zaamo["disable"]["expected"] == "EINVAL"
    assert zaamo["disable"]["rule"]["kind"] == "never"
    assert zaamo["disable"]["rule"]["citation"]["commits"] == ["2d79608cf611"]
    older = expect.answer(expect.run_checked, "6.14", dtb, None)
    assert next(e for e in older["extensions"] if e["name"] == "ZAAMO")["presence"] == "optional"
    newer = expect.answer(expect.run_checked, "7.4.1", dtb, None)
    assert (newer["policy"]["release"], newer["policy"]["newer_than_tables"]) == ("7.3", True)
    with pytest.raises(expect.ExpectError, match="older than the first release"):
        expect.answer(expect.run_checked, "5.10", dtb, None)


@needs_root
def test_real_kvmct_expect_zicfiss_follows_the_host_kernel_config(tmp_path: Path) -> None:
    dtb = device_tree(tmp_path, "max")

    def zicfiss(config: str | None) -> dict[str, Any]:
        doc = expect.answer(expect.run_checked, "7.3.4", dtb, None, config)
        found: dict[str, Any] = next(e for e in doc["extensions"] if e["name"] == "ZICFISS")
        return found

    without, with_cfi = tmp_path / "gcc14.config", tmp_path / "cfi.config"
    without.write_text("CONFIG_KVM=m\n")
    with_cfi.write_text("CONFIG_KVM=m\nCONFIG_RISCV_USER_CFI=y\n")
    assert (zicfiss(str(without))["presence"], zicfiss(str(without))["host_config"]["state"]) == (
        "absent", "n")
    assert zicfiss(str(with_cfi))["presence"] == "required"
    assert zicfiss(None)["host_config"]["state"] == "unknown"
