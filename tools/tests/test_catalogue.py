# SPDX-License-Identifier: MIT
# `kvmct catalogue`: the C-enum parser, the catalogue against the build root's uapi header
# (Debian 6.12: the catalogue must be a consistent superset), a synthetic newer header with an
# extra id (paste-ready YAML), and the host-side YAML subset parser against PyYAML.
from __future__ import annotations

import importlib
import importlib.util
import os
from pathlib import Path

import pytest

from kvmctlib import uapi_header
from kvmctlib.commands import catalogue
from kvmctlib.paths import repo_root

CATALOGUE = repo_root() / "expected" / "riscv" / "isa-extensions.yaml"
ROOT_HEADER = Path("/usr/include/riscv64-linux-gnu/asm/kvm.h")


def test_enum_parser() -> None:
    text = """
    /* enum KVM_RISCV_ISA_EXT_ID { not this one } */
    enum KVM_RISCV_ISA_EXT_ID {
        KVM_RISCV_ISA_EXT_A = 0,   // first
        KVM_RISCV_ISA_EXT_C,
        KVM_RISCV_ISA_EXT_X = 0x10,
        KVM_RISCV_ISA_EXT_Y = KVM_RISCV_ISA_EXT_C,
        KVM_RISCV_ISA_EXT_MAX,
    };"""
    assert uapi_header.parse_enum(text) == {"KVM_RISCV_ISA_EXT_A": 0, "KVM_RISCV_ISA_EXT_C": 1,
                                          "KVM_RISCV_ISA_EXT_X": 16, "KVM_RISCV_ISA_EXT_Y": 1,
                                          "KVM_RISCV_ISA_EXT_MAX": 2}
    with pytest.raises(catalogue.CatalogueError, match="no `enum"):
        uapi_header.parse_enum("enum other { A };")


def synthetic_header(extra: list[str]) -> str:
    entries = catalogue.parse_catalogue(CATALOGUE.read_text())
    names = [f"KVM_RISCV_ISA_EXT_{e.name}," for e in sorted(entries, key=lambda e: e.id)]
    names[0] = names[0].rstrip(",") + " = 0,"
    body = "\n\t".join(names + [f"KVM_RISCV_ISA_EXT_{n}," for n in extra])
    return f"enum KVM_RISCV_ISA_EXT_ID {{\n\t{body}\n\tKVM_RISCV_ISA_EXT_MAX,\n}};\n"


@pytest.mark.skipif(not ROOT_HEADER.is_file(), reason="runs inside the build root")
def test_catalogue_is_a_consistent_superset_of_the_build_root_header() -> None:
    text, status = catalogue.run(ROOT_HEADER, CATALOGUE, None)
    assert status == 0, text
    assert "consistent" in text and "KVM_RISCV_ISA_EXT_MAX = 62" in text


# Debian trixie-backports linux-source-7.3, unpacked in the cache (docs/extending.md), when it is.
REAL_7_3 = Path(os.environ.get("KVMCT_CACHE", "/cache")) / \
    "src/linux-source-7.3/arch/riscv/include/uapi/asm/kvm.h"


@pytest.mark.skipif(not REAL_7_3.is_file(), reason="no linux-source-7.3 unpacked in the cache")
def test_catalogue_matches_linux_source_7_3() -> None:
    text, status = catalogue.run(REAL_7_3, CATALOGUE, None)
    assert status == 0, text
    assert "consistent" in text and "KVM_RISCV_ISA_EXT_MAX = 80" in text


def test_newer_header_gets_paste_ready_yaml(tmp_path: Path) -> None:
    header = tmp_path / "kvm.h"
    header.write_text(synthetic_header(["ZFOO"]))
    text, status = catalogue.run(header, CATALOGUE, "7.4")
    new = max(e.id for e in catalogue.parse_catalogue(CATALOGUE.read_text())) + 1
    assert status == 1
    assert f"new in the header: ZFOO ({new})" in text
    assert f'  - name: ZFOO\n    id: {new}\n    since: "7.4"\n    host: ["zfoo"]' in text
    # Pasted, the catalogue is consistent with that header again.
    block = text.split("append under `extensions:`\n", 1)[1].split("\n# expected/", 1)[0]
    merged = tmp_path / "isa-extensions.yaml"
    merged.write_text(CATALOGUE.read_text().rstrip("\n") + "\n" + block)
    assert catalogue.run(header, merged, None)[1] == 0
    if importlib.util.find_spec("yaml") is None:
        return
    doc = importlib.import_module("yaml").safe_load(merged.read_text())
    assert doc["extensions"][-1] == {"name": "ZFOO", "id": new, "since": "7.4",
                                     "host": ["zfoo"], "guest_visible": True}


def test_mismatches_are_named(tmp_path: Path) -> None:
    header = tmp_path / "kvm.h"
    header.write_text(synthetic_header([]).replace("EXT_ZAAMO,", "EXT_ZAAMOX,"))
    text, status = catalogue.run(header, CATALOGUE, None)
    assert status == 1
    assert "id 69: header KVM_RISCV_ISA_EXT_ZAAMOX, catalogue ZAAMO" in text


def test_duplicate_id_names_the_line() -> None:
    with pytest.raises(catalogue.CatalogueError, match=r"x.yaml:4: id 0 \(B\) already used by A at line 1"):
        catalogue.parse_catalogue("- name: A\n  id: 0\n\n- name: B\n  id: 0\n", "x.yaml")


def test_subset_parser_agrees_with_pyyaml() -> None:
    yaml = pytest.importorskip("yaml")
    ref = [(e["name"], e["id"], str(e["since"]))
           for e in yaml.safe_load(CATALOGUE.read_text())["extensions"]]
    mine = [(e.name, e.id, e.since) for e in catalogue.parse_catalogue(CATALOGUE.read_text())]
    assert mine == ref
