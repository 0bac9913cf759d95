# SPDX-License-Identifier: MIT
# `kvmct expect` for people: kvmct-expect's JSON (host-tools/expect) rendered as the release
# line, the errno regime, CONFIG isa and one row per extension with the rules behind it.
from __future__ import annotations

from typing import Any

from ..judge.records import PolicyRecord

COLUMNS = ("presence", "default", "disable", "enable", "after-run")


def row_values(ext: dict[str, Any]) -> tuple[str, str, str, str, str]:
    return (str(ext["presence"]), str(ext["default"]["expected"]),
            str(ext["disable"]["expected"]), str(ext["enable"]["expected"]),
            str(ext["after_run"]["expected"]))


def rule_lines(ext: dict[str, Any]) -> list[str]:
    """The rules behind a row: each operation that has one, and a shared guest bit."""
    out = [f"{op}: {ext[op]['why']}" for op in ("disable", "enable") if ext[op]["rule"] is not None]
    if "host_config" in ext:
        out.append(f"host kernel: {ext['host_config']['why']}")
    if "shares_bit" in ext:
        out.append(f"shares its guest bit with {ext['shares_bit']} (writing one changes both)")
    return out


def text(doc: dict[str, Any], host_label: str) -> str:
    p = doc["policy"]
    release = PolicyRecord.load(p, "policy")
    r = p["errno_regime"]
    c = p["config_isa"]
    last = p["multi_reg_last"]
    lines = [
        f"kvmct expect: kernel {p['kernel']}: {release.label()}",
        f"  errno regime {r['name']} ({r['citation']['provenance']}: {r['citation']['text']}): "
        f"unknown id {r['unknown_id']}, host lacks GET {r['host_lacks_get']} / SET {r['host_lacks_set']}, "
        f"refused {r['refused']}, change after run {r['changed_after_run']}, "
        f"same value after run {r['same_value_after_run']}",
        f"  KVM_RISCV_ISA_EXT_MAX {p['isa_ext_max']}, MULTI_REG_LAST (64-bit) "
        + ("none: no MULTI registers" if last is None else str(last)),
        f"  CONFIG isa: range check {c['range_check']}, forced on '{c['forced_on']}', "
        f"forced off '{c['forced_off']}' ({c['citation']['provenance']}: {c['citation']['text']})",
        f"  host: {host_label} ({doc['host_isa']['source']}, {len(doc['host_isa']['extensions'])} names)",
        "",
    ]
    exts: list[dict[str, Any]] = doc["extensions"]
    width = max([len(e["name"]) for e in exts] + [9])
    head = f"  {'extension':<{width}}  {'id':>3}  " + "  ".join(f"{h:<9}" for h in COLUMNS)
    lines.append(head.rstrip())
    for e in exts:
        cells = "  ".join(f"{v:<9}" for v in row_values(e))
        lines.append(f"  {e['name']:<{width}}  {e['id']:>3}  {cells}".rstrip())
        lines += [f"  {'':<{width}}       {x}" for x in rule_lines(e)]
    return "\n".join(lines)
