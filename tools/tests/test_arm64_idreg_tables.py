# SPDX-License-Identifier: MIT
# ci/arm64-idreg-tables on a synthetic Linux tree: masks evaluated from .val expressions, fields
# from arm64_ftr_regs[] named by tools/sysreg, KVM's rule overrides, and --check's verdicts.
from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from kvmctlib.paths import repo_root

SYSREG = """\
Sysreg	ID_DFR0_EL1	3	0	0	1	2
Res0	63:32
UnsignedEnum	27:24	PerfMon
	0b0011	PMUv3
EndEnum
Res0	23:4
UnsignedEnum	3:0	CopDbg
EndEnum
EndSysreg

Sysreg	ID_AA64DFR0_EL1	3	0	0	5	0
Field	63:12	HIGH
UnsignedEnum	11:8	PMUVer
EndEnum
SignedEnum	7:4	TraceVer
	0b1111	NI
EndEnum
UnsignedEnum	3:0	DebugVer
	0b0110	IMP
EndEnum
EndSysreg

Sysreg	CSSELR_EL1	3	2	0	0	0
Field	3:0	Level
EndSysreg
"""

CPUFEATURE = """\
static const struct arm64_ftr_bits ftr_id_aa64dfr0[] = {
	ARM64_FTR_BITS(FTR_HIDDEN, FTR_STRICT, FTR_EXACT, ID_AA64DFR0_EL1_PMUVer_SHIFT, 4, 0),
	S_ARM64_FTR_BITS(FTR_HIDDEN, FTR_STRICT, FTR_LOWER_SAFE, 4, 4, ID_AA64DFR0_EL1_TraceVer_NI),
	ARM64_FTR_BITS(FTR_HIDDEN, FTR_STRICT, FTR_LOWER_SAFE, ID_AA64DFR0_EL1_DebugVer_SHIFT, 4, 0x6),
	ARM64_FTR_END,
};
static const struct arm64_ftr_bits ftr_id_dfr0[] = {
	ARM64_FTR_BITS(FTR_HIDDEN, FTR_STRICT, FTR_EXACT, ID_DFR0_EL1_PerfMon_SHIFT, 4, 0),
	ARM64_FTR_END,
};
static const struct __ftr_reg_entry {
} arm64_ftr_regs[] = {
	ARM64_FTR_REG(SYS_ID_DFR0_EL1, ftr_id_dfr0),
	ARM64_FTR_REG(SYS_ID_AA64DFR0_EL1, ftr_id_aa64dfr0),
};
"""

SYS_REGS = """\
static const struct sys_reg_desc sys_reg_descs[] = {
	{ SYS_DESC(SYS_MPIDR_EL1), NULL, reset_mpidr, MPIDR_EL1 },
	AA32_ID_WRITABLE(ID_DFR0_EL1),
	ID_UNALLOCATED(3,3),
	/* a comment, ID_WRITABLE(NOT_A_REG, 1) */
	ID_FILTERED(ID_AA64DFR0_EL1, id_aa64dfr0_el1,
		    ~(ID_AA64DFR0_EL1_HIGH |
		      ID_AA64DFR0_EL1_TraceVer)),
	{ SYS_DESC(SYS_CSSELR_EL1), access_csselr, reset_unknown, CSSELR_EL1 },
};
"""


def script() -> ModuleType:
    path = repo_root() / "ci" / "arm64-idreg-tables"
    loader = importlib.machinery.SourceFileLoader("arm64_idreg_tables", str(path))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[loader.name] = module  # dataclasses look their module up
    loader.exec_module(module)
    return module


def tree(root: Path) -> Path:
    for rel, text in (("arch/arm64/tools/sysreg", SYSREG), ("arch/arm64/kernel/cpufeature.c", CPUFEATURE),
                      ("arch/arm64/kvm/sys_regs.c", SYS_REGS)):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


EXPECTED = """\
      - name: MPIDR_EL1
        encoding: [3, 0, 0, 0, 5]
        slot: 5
        scope: vcpu
        kind: no_user_set
        mask: 0x0000000000000000
        mask_of: literal
        set_user: none
      - name: ID_DFR0_EL1
        encoding: [3, 0, 0, 1, 2]
        slot: 10
        scope: vm
        kind: aarch32
        mask: 0x00000000ffffffff
        mask_of: literal
        set_user: set_id_reg
        # mask as written: GENMASK(31, 0)
        fields:
          - {name: PerfMon, lsb: 24, width: 4, rule: lower-safe, host_rule: exact, safe: 0, writable: true}
          - {name: CopDbg, lsb: 0, width: 4, rule: none, writable: true}
      - name: S3_0_0_3_3
        encoding: [3, 0, 0, 3, 3]
        slot: 27
        scope: vm
        kind: raz
        mask: 0x0000000000000000
        mask_of: literal
        set_user: set_id_reg
      - name: ID_AA64DFR0_EL1
        encoding: [3, 0, 0, 5, 0]
        slot: 40
        scope: vm
        kind: feature
        mask: 0x0000000000000f0f
        mask_of: fields
        set_user: set_id_aa64dfr0_el1
        # mask as written: ~(ID_AA64DFR0_EL1_HIGH | ID_AA64DFR0_EL1_TraceVer)
        fields:
          - {name: HIGH, lsb: 12, width: 52, rule: none}
          - {name: PMUVer, lsb: 8, width: 4, rule: lower-safe, host_rule: exact, safe: 0, writable: true}
          - {name: TraceVer, lsb: 4, width: 4, signed: true, rule: lower-safe, safe: 15}
          - {name: DebugVer, lsb: 0, width: 4, rule: lower-safe, host_rule: lower-safe, safe: 6, writable: true}"""


def test_renders_the_feature_id_range(tmp_path: Path) -> None:
    t = script()
    lines = t.render(t.registers(tree(tmp_path)))
    assert "\n".join(lines) == EXPECTED  # CSSELR_EL1 (op1 2) and the commented-out entry are not listed


def test_evaluates_mask_expressions() -> None:
    t = script()
    syms = {"A": 0xF0, "B": 0x0F00}
    assert t.evaluate("~(A | B)", syms) == 0xFFFF_FFFF_FFFF_F00F
    assert t.evaluate("A |\n\t B", syms) == 0xFF0
    assert t.evaluate("GENMASK_ULL(63, 0)", syms) == (1 << 64) - 1
    assert t.evaluate("~A & GENMASK(11, 0)", syms) == 0xF0F
    with pytest.raises(ValueError, match="unknown macro C"):
        t.evaluate("A | C", syms)


def test_check_passes_on_its_own_output_and_fails_on_a_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t = script()
    src = tree(tmp_path / "src")
    filters = "        filters:\n          - {field: DebugVer, kind: refuse_below, value: 6, cite: \"x\"}\n"
    body = EXPECTED.replace("        # mask as written: ~(", filters + "        # mask as written: ~(", 1)
    tables = tmp_path / "id-registers.yaml"
    tables.write_text(f'releases:\n  - release: "7.2"\n    registers:\n{body}\n')
    assert t.main(["--source", str(src), "--check", str(tables), "--release", "7.2"]) == 0, "filters are not compared"
    tables.write_text(tables.read_text().replace("mask: 0x0000000000000f0f", "mask: 0x0000000000000fff"))
    assert t.main(["--source", str(src), "--check", str(tables), "--release", "7.2"]) == 1
    assert "+        mask: 0x0000000000000f0f" in capsys.readouterr().out


def test_raz_lines_stay_outside_res0() -> None:
    # gen-sysreg.awk puts only Res0 lines into <REG>_RES0, so a ~RES0 mask covers a Raz range:
    # 7.2's ID_AA64FPFR0_EL1 (Raz 7:2) answers 0xfc0080ff on a real sid cell.
    t = script()
    regs = t.parse_sysreg("Sysreg\tX_EL1\t3\t0\t0\t4\t7\nRes0\t63:8\nRaz\t7:2\nField\t1:0\tF\nEndSysreg\n")
    assert t.symbols(regs)["X_EL1_RES0"] == 0xFFFF_FFFF_FFFF_FF00
