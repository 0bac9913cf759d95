# SPDX-License-Identifier: MIT
# The kernel cache: kernel.json read back (provenance, uapi_header, the default kernels'
# older files), and a cached suite kernel that passed over a newer, file-less one warning on
# every use, not only when it was resolved.
from __future__ import annotations

import io
import json
from pathlib import Path

from kvmctlib import arch
from kvmctlib.acquire import kernels
from kvmctlib.log import Progress
from kvmctlib.paths import Cache

RISCV = arch.load("riscv64")
MISSING = {"suite": "trixie-backports", "package": "linux-image-7.3.4+deb13-riscv64",
           "version": "7.3.4-1~bpo13+1", "path": "pool/x.deb", "status": 404}


def cache_with(tmp_path: Path, name: str, meta: dict[str, object]) -> Cache:
    cache = Cache(tmp_path)
    (cache.kernels / "riscv64" / name).mkdir(parents=True)
    (cache.kernels / "riscv64" / name / "kernel.json").write_text(json.dumps({"name": name, **meta}))
    return cache


def test_a_cached_pick_past_a_missing_kernel_warns_each_time(tmp_path: Path) -> None:
    cache = cache_with(tmp_path, "trixie-backports", {
        "suite": "trixie-backports", "release": "7.2.11+deb13-riscv64", "package": "p",
        "version": "7.2.11-1~bpo13+1", "skipped": [MISSING]})
    out = io.StringIO()
    source = kernels.KernelSource("trixie-backports", "trixie-backports")
    found = kernels.ensure(cache, RISCV, Progress(out), sources=(source,))
    assert [k.version for k in found] == ["7.2.11-1~bpo13+1"]
    warnings = [ln for ln in out.getvalue().splitlines() if ln.startswith("kvmct: warning:")]
    assert len(warnings) == 1 and str(MISSING["package"]) in warnings[0]
    assert kernels.skipped(cache, RISCV, "trixie-backports")[0].status == 404


def test_kernel_json_fields(tmp_path: Path) -> None:
    cache = cache_with(tmp_path, "k", {"suite": "", "provenance": "local .deb",
                                       "uapi_header": "uapi/asm/kvm.h"})
    k = kernels.load(cache, RISCV, "k")
    assert k is not None and k.provenance == "local .deb"
    assert k.uapi_header == cache.kernels / "riscv64" / "k" / "uapi/asm/kvm.h"
    old = cache_with(tmp_path / "old", "sid", {"suite": "sid", "release": "r", "package": "p",
                                               "version": "v"})
    k = kernels.load(old, RISCV, "sid")
    assert k is not None and (k.provenance, k.uapi_header) == ("debian sid", None)
    assert kernels.spec_of(old, RISCV, "sid") == "sid"
    assert kernels.skipped(old, RISCV, "sid") == []


def test_a_built_kernel_is_run_as_built_name(tmp_path: Path) -> None:
    """helper S's layout: kernels/built-NAME/, provenance 'built from <src>', no spec."""
    cache = cache_with(tmp_path, "built-linux-source-7.3", {
        "provenance": "built from /src/linux-source-7.3.tar.xz", "release": "7.3.0"})
    assert kernels.spec_of(cache, RISCV, "built-linux-source-7.3") == "built:linux-source-7.3"
    recorded = cache_with(tmp_path / "r", "debian-7.2.9+deb13", {
        "suite": "trixie-backports", "spec": "debian:7.2.9+deb13"})
    assert kernels.spec_of(recorded, RISCV, "debian-7.2.9+deb13") == "debian:7.2.9+deb13"


def test_an_older_caches_kernel_moves_to_its_architecture(tmp_path: Path) -> None:
    """kernels/<name>/ of a cache before per-architecture kernels: its image's header says
    where it belongs; a directory without an image of a known architecture stays."""
    cache = Cache(tmp_path)
    for name, magic in (("sid", b"RSC\x05"), ("odd", b"\0\0\0\0")):
        (cache.kernels / name).mkdir(parents=True)
        (cache.kernels / name / "Image").write_bytes(b"MZ" + b"\0" * 54 + magic + b"\0" * 8)
        (cache.kernels / name / "kernel.json").write_text(json.dumps({"name": name}))
    kernels.migrate(cache)
    moved = kernels.load(cache, RISCV, "sid")
    assert moved is not None and moved.arch == "riscv64"
    assert json.loads((cache.kernels / "riscv64" / "sid" / "kernel.json").read_text())["arch"] \
        == "riscv64"
    assert not (cache.kernels / "sid").exists() and (cache.kernels / "odd").is_dir()
