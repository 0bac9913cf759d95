# SPDX-License-Identifier: MIT
# `kvmct report --kcidb`: the KCIDB v5.3 document of a real 4-cell run (the default cells,
# QEMU 10.0.13) and of a synthetic run with a failure, known differences of each owner and a
# broken cell, checked against the transcribed schema (kcidb_schema.py) and the rules the
# schema leaves to the submitter: ids linked, unique, one build per kernel, statuses honest.
from __future__ import annotations

import copy
import json
import lzma
import re
from pathlib import Path
from typing import Any

import pytest

import kcidb_schema
from kvmctlib import cli
from kvmctlib.errors import KvmctError
from kvmctlib.judge.records import Run
from kvmctlib.reports import kcidb, kcidb_names

RUNS = Path(__file__).parent / "data" / "runs"
REAL = RUNS / "default-4cells.json.xz"
TOP_LEVEL = {"version", "checkouts", "builds", "tests"}
SEGMENT = "[a-zA-Z0-9_-]+"


@pytest.fixture(scope="module")
def real() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(lzma.decompress(REAL.read_bytes()))
    return doc


def emit(raw: dict[str, Any], origin: str = "kvmct") -> dict[str, Any]:
    return kcidb.document(Run.load(raw), origin,
                          kcidb_names.run_key(raw["started"], json.dumps(raw).encode()))


def expected_status(cell: dict[str, Any], test: dict[str, Any]) -> str:
    """The mapping docs/kcidb.md promises, from the raw document's fields."""
    if cell["runner"]["status"] == "broken":
        return "ERROR"
    if test["status"] in ("pass", "fail"):
        return str(test["status"]).upper()
    if (test.get("skip") or {}).get("kind") == "known":
        return "SKIP" if test["known"]["owner"] == "kvm" else "MISS"
    return "SKIP"


def synthetic(real: dict[str, Any]) -> dict[str, Any]:
    """Two riscv64 cells of the real run, changed: in one a test fails and a known QEMU bug
    becomes a platform's; the other broke after three KTAP suites of its plan."""
    run = copy.deepcopy(real)
    failing, broken = (c for c in run["cells"] if c["arch"] == "riscv64")
    failing["cell"], failing["runner"]["status"] = "trixie-fails", "fail"
    test = next(t for t in failing["tests"] if t["name"] == "IsaExtDisable.Zicboz")
    test.update(status="fail", message="Zicboz disable: observed ok, expected EINVAL")
    qemu_known = next(t for t in failing["tests"] if (t.get("known") or {}).get("owner") == "qemu")
    qemu_known["known"]["owner"] = "platform"
    broken["cell"] = "sid-broken"
    broken["runner"].update(status="broken", errors=[
        {"kind": "kernel-warning", "message": "WARNING: on the console", "excerpt": "12| WARNING:"}])
    suites: list[str] = []
    for t in broken["tests"]:
        if t["suite"] not in suites:
            suites.append(t["suite"])
    broken["tests"] = [{"name": t["name"], "suite": t["suite"], "case": t["case"],
                        "status": t["status"], "message": "", "checks": [], "source": "ktap"}
                       for t in broken["tests"] if t["suite"] in suites[:3]]
    broken.pop("isa_extensions")
    run["cells"] = [failing, broken]
    run["status"] = "broken"
    return run


def structure_errors(doc: dict[str, Any], origin: str = "kvmct") -> list[str]:
    """The schema's violations and the rules it leaves to the submitter."""
    out = kcidb_schema.errors(doc)
    if set(doc) != TOP_LEVEL:
        out.append(f"top-level keys {sorted(doc)}")
    if doc.get("version") != {"major": 5, "minor": 3}:
        out.append(f"version {doc.get('version')}")
    for kind in ("checkouts", "builds", "tests"):
        ids = [o["id"] for o in doc[kind]]
        if len(set(ids)) != len(ids):
            out.append(f"{kind}: ids not unique")
        for o in doc[kind]:
            if o["origin"] != origin or not o["id"].startswith(f"{origin}:"):
                out.append(f"{kind} {o['id']}: origin {o['origin']} is not {origin}")
    checkouts = {c["id"] for c in doc["checkouts"]}
    builds = {b["id"] for b in doc["builds"]}
    out += [f"build {b['id']}: no checkout {b['checkout_id']}"
            for b in doc["builds"] if b["checkout_id"] not in checkouts]
    out += [f"test {t['id']}: no build {t['build_id']}"
            for t in doc["tests"] if t["build_id"] not in builds]
    for t in doc["tests"]:
        segments = t["path"].split(".")
        if segments[0] != "kvmct" or not all(re.fullmatch(SEGMENT, s)
                                             for s in segments):
            out.append(f"test {t['id']}: path {t['path']!r}")
    return out


def by_cell_and_name(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(t["misc"]["cell"], t["misc"]["name"]): t for t in doc["tests"] if "name" in t["misc"]}


def test_the_real_run_is_a_valid_document(real: dict[str, Any]) -> None:
    doc = emit(real)
    assert structure_errors(doc) == []
    # One checkout and one build per kernel: four cells, four Debian kernels.
    assert len(doc["builds"]) == len(doc["checkouts"]) == 4
    tests = sum(len(c["tests"]) for c in real["cells"])
    assert len(doc["tests"]) == tests + len(real["cells"])  # and one node per cell
    assert kcidb.counts(doc) == {"PASS": 2470, "SKIP": 899, "MISS": 17}


@pytest.mark.parametrize("which", ["real", "synthetic"])
def test_every_status_follows_the_verdict_fields(real: dict[str, Any], which: str) -> None:
    raw = real if which == "real" else synthetic(real)
    emitted = by_cell_and_name(emit(raw))
    for cell in raw["cells"]:
        for t in cell["tests"]:
            got = emitted[(cell["cell"], t["name"])]
            assert got["status"] == expected_status(cell, t), (cell["cell"], t["name"])
            assert got["misc"]["kvmct_status"] == t["status"]


def test_the_synthetic_run(real: dict[str, Any]) -> None:
    doc = emit(synthetic(real))
    assert structure_errors(doc) == []
    tests = by_cell_and_name(doc)
    fail = tests[("trixie-fails", "IsaExtDisable.Zicboz")]
    assert fail["status"] == "FAIL" and "expected EINVAL" in fail["log_excerpt"]
    known = [t for t in doc["tests"] if "known" in t["misc"]]
    assert {(t["misc"]["known"]["owner"], t["status"]) for t in known} == {
        ("kvm", "SKIP"), ("qemu", "MISS"), ("platform", "MISS")}
    assert all(t["misc"]["known_cause"].startswith("expected/") for t in known)
    broken = [t for t in doc["tests"] if t["misc"]["cell"] == "sid-broken"]
    node = next(t for t in broken if t["path"] == "kvmct")
    assert node["status"] == "ERROR" and "kernel-warning" in node["log_excerpt"]
    assert {t["status"] for t in broken if "name" in t["misc"]} == {"ERROR"}
    # The plan had 22 top-level tests; the console reported three of them.
    missing = [t for t in broken if t["path"] == "kvmct.unreported"]
    assert [t["misc"]["ktap_number"] for t in missing] == list(range(4, 23))
    assert {t["status"] for t in missing} == {"MISS"}
    assert next(t for t in doc["tests"] if t["misc"]["cell"] == "trixie-fails"
                and t["path"] == "kvmct")["status"] == "FAIL"


def test_no_known_difference_reads_pass(real: dict[str, Any]) -> None:
    for raw in (real, synthetic(real)):
        known = [t for t in emit(raw)["tests"] if "known" in t["misc"]]
        assert known and all(t["status"] in ("SKIP", "MISS") for t in known)


def test_the_kvmct_detail_is_under_misc(real: dict[str, Any]) -> None:
    tests = by_cell_and_name(emit(real))
    zaamo = tests[("sid-rv64", "IsaExtDisable.Zaamo")]
    assert zaamo["path"] == "kvmct.IsaExtDisable.Zaamo"
    assert zaamo["misc"]["isa_ext"]["columns"]["disable"] == {
        "observed": "EINVAL", "expected": "EINVAL", "state": "ok"}
    assert zaamo["misc"]["qemu_version"] == "10.0.13" and zaamo["misc"]["cpu_model"] == "rv64"
    assert zaamo["environment"]["misc"]["arch"] == "riscv64"
    skipped = next(t for t in tests.values() if t["misc"].get("skip_kind") == "host_lacks")
    assert skipped["status"] == "SKIP" and skipped["misc"]["skip_reason"]
    param = tests[("trixie-rv64", "Amo.Executes/AmoswapW")]
    assert param["path"] == "kvmct.Amo.Executes.AmoswapW"
    assert param["misc"]["case"] == "Executes/AmoswapW"


def test_path_segments_are_sanitised_injectively() -> None:
    assert kcidb_names.segment("Zaamo") == "Zaamo"
    assert kcidb_names.segment("a-b") == "a-2db" and kcidb_names.segment("a.b") == "a-2eb"
    assert kcidb_names.segment("") == "-"
    assert kcidb_names.test_path("S", "x y/é") == "kvmct.S.x-20y.-c3-a9"
    names = ["a-b", "a_b", "a.b", "a-2db", "a b", "a", ""]
    assert len({kcidb_names.segment(n) for n in names}) == len(names)


def test_ids_differ_between_runs_and_repeat_for_one(real: dict[str, Any]) -> None:
    first, again = emit(real), emit(real)
    assert [t["id"] for t in first["tests"]] == [t["id"] for t in again["tests"]]
    other = copy.deepcopy(real)
    other["started"] = "2026-12-03T09:00:00+0000"
    ids = {t["id"] for t in emit(other)["tests"]}
    assert ids.isdisjoint(t["id"] for t in first["tests"])
    # Builds name the kernel, not the run: the same Debian package is the same build.
    assert [b["id"] for b in emit(other)["builds"]] == [b["id"] for b in first["builds"]]


def test_the_validator_catches_what_it_checks(real: dict[str, Any]) -> None:
    """The checkers themselves must be able to fail. The transcribed schema alone refuses an
    extra property, a bad id, origin, status, path or time and a newer minor version; the
    submitter's rules refuse a dangling build_id or checkout_id."""
    doc = emit(synthetic(real))
    assert kcidb_schema.errors(doc) == []
    schema_cases = [("tests", 1, "arch", "riscv64"), ("tests", 1, "id", "Kvmct:x"),
                    ("tests", 1, "status", "KNOWN"), ("tests", 1, "origin", "kvmct-lab"),
                    ("tests", 1, "path", "kvmct.Amo.Executes/AmoswapW"),
                    ("tests", 1, "start_time", "2026-12-02T14:15:36"),
                    ("checkouts", 0, "origin", "KV"), ("builds", 0, "architecture", "RISC-V")]
    for kind, index, key, value in schema_cases:
        bad = copy.deepcopy(doc)
        bad[kind][index][key] = value
        assert kcidb_schema.errors(bad), (kind, key, value)
    for path, key in ((("tests", 1, "environment"), "cpu"), (("version",), "minor")):
        bad = copy.deepcopy(doc)
        target: Any = bad
        for step in path:
            target = target[step]
        target[key] = 4 if key == "minor" else "rv64"
        assert kcidb_schema.errors(bad), path
    for kind, key in (("tests", "build_id"), ("builds", "checkout_id")):
        bad = copy.deepcopy(doc)
        bad[kind][1][key] = "kvmct:nothing"
        assert kcidb_schema.errors(bad) == [] and structure_errors(bad), key


def test_origin_option(real: dict[str, Any], tmp_path: Path) -> None:
    src = tmp_path / "run.json"
    src.write_text(json.dumps(real))
    out = tmp_path / "kcidb.json"
    assert cli.main(["-q", "report", str(src), "--kcidb", str(out), "--origin", "my_lab"]) == 0
    doc = json.loads(out.read_text())
    assert structure_errors(doc, "my_lab") == []
    with pytest.raises(KvmctError):
        kcidb_names.check_origin("My-Lab")
    assert cli.main(["-q", "report", str(src), "--kcidb", str(out), "--origin", "My-Lab"]) == 2
    assert cli.main(["-q", "report", str(src), "--origin", "my_lab"]) == 2  # without --kcidb
    assert cli.main(["-q", "report", str(src), "--kcidb", str(out)]) == 0
    assert {t["origin"] for t in json.loads(out.read_text())["tests"]} == {"kvmct"}
