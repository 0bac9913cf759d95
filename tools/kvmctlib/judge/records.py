# SPDX-License-Identifier: MIT
# The typed view of the results documents (docs/results.md): a run, its cells (of any
# architecture), the suite's tests, check records, extension table and host facts, loaded once.
# Reports, diff and JUnit read these objects and never a message, a reason text or a test name.
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..arch import LEGACY_RESULTS_ARCH
from ..errors import KvmctError
from .atomics_bench import Bench as AtomicsBench, BenchRecordError, load as load_bench

SUITE_SCHEMA = "kvmct-suite-result/2"
# Read for its tests only (names, statuses), so a suite built before schema 2 still reports.
SUITE_SCHEMA_V1 = "kvmct-suite-result/1"

STATUSES = ("pass", "fail", "skip")
CHECK_STATES = ("pass", "fail", "known")
PROVENANCES = ("verified", "derived")
SKIP_KINDS = ("absent", "host_lacks", "known", "not_applicable", "unsupported")
KVM_MODES = ("vhe", "nvhe")
# What a known difference is called, from whose fault it is (CONTRACT: owners).
OWNER_LABELS = {"kvm": "known deviation (KVM)", "qemu": "known bug (QEMU)",
                "platform": "known bug (platform)"}


class RecordError(KvmctError, ValueError):
    """A results document that does not have the shape docs/results.md describes."""


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RecordError(f"{where}: expected an object, got {type(value).__name__}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise RecordError(f"{where}: expected a list, got {type(value).__name__}")
    return value


def _str(d: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = d.get(key, default)
    if not isinstance(value, str):
        raise RecordError(f"{where}.{key}: expected a string, got {value!r}")
    return value


def _one_of(value: str, allowed: tuple[str, ...] | dict[str, str], where: str) -> str:
    if value not in allowed:
        raise RecordError(f"{where}: {value!r} is not one of {', '.join(allowed)}")
    return value


@dataclass(frozen=True)
class Known:
    """Why a difference is excused: whose fault, the reason for people, the document."""

    owner: str  # kvm | qemu | platform
    reason: str
    source: str

    @property
    def label(self) -> str:
        return OWNER_LABELS[self.owner]

    @staticmethod
    def load(d: Any, where: str) -> Known:
        d = _obj(d, where)
        return Known(_one_of(_str(d, "owner", where), OWNER_LABELS, f"{where}.owner"),
                     _str(d, "reason", where, ""), _str(d, "source", where, ""))


@dataclass(frozen=True)
class PolicyRecord:
    """The table release a cell was judged by (result.json facts.policy)."""

    release: str  # "6.15"; "" when no release applies (then error says why)
    provenance: str  # verified | derived; "" with error
    citation: str  # the Debian source read, or the commit ids
    newer_than_tables: bool  # the kernel is above the newest release: its rules were used
    kernel: str  # the kernel version the suite read from uname
    error: str = ""

    def label(self) -> str:
        """`policy 6.15 (derived: 2d79608cf611 ...)`, naming a kernel newer than the tables."""
        if self.error:
            return f"policy: none ({self.error})"
        text = f"policy {self.release} ({self.provenance}: {self.citation})"
        if self.newer_than_tables:
            text += f" -- kernel {self.kernel} is newer than the tables"
        return text

    @staticmethod
    def load(d: Any, where: str) -> PolicyRecord:
        d = _obj(d, where)
        kernel = d.get("kernel")
        kernel_text = kernel if isinstance(kernel, str) else ""
        if "error" in d:
            return PolicyRecord("", "", "", False, kernel_text, _str(d, "error", where))
        newer = d.get("newer_than_tables")
        if not isinstance(newer, bool):
            raise RecordError(f"{where}.newer_than_tables: expected true or false, got {newer!r}")
        return PolicyRecord(_str(d, "release", where),
                            _one_of(_str(d, "provenance", where), PROVENANCES, f"{where}.provenance"),
                            _str(d, "citation", where), newer, _str(d, "kernel", where))


@dataclass(frozen=True)
class Check:
    """One check the suite's judge made: observed against expected, and its state."""

    check: str
    test: str
    observed: str
    expected: str
    state: str  # pass | fail | known
    rule: str
    known: Known | None

    @staticmethod
    def load(d: Any, where: str) -> Check:
        d = _obj(d, where)
        state = _one_of(_str(d, "state", where), CHECK_STATES, f"{where}.state")
        known = Known.load(d["known"], f"{where}.known") if d.get("known") is not None else None
        if (state == "known") != (known is not None):
            raise RecordError(f"{where}: state {state!r} with known {d.get('known')!r}")
        return Check(_str(d, "check", where), _str(d, "test", where, ""),
                     _str(d, "observed", where), _str(d, "expected", where),
                     state, _str(d, "rule", where, ""), known)


@dataclass(frozen=True)
class FieldPlace:
    """Where an id_reg_field subject lies: its register, name, bits, and the table's rule and
    writable bit for it (the grid places a field by these, never by splitting its name)."""

    register: str
    field: str
    lsb: int
    width: int
    rule: str  # exact | lower-safe | higher-safe | higher-or-zero | none ...
    table_writable: bool

    @staticmethod
    def load(d: dict[str, Any], where: str) -> FieldPlace | None:
        """None when the subject carries none of the keys (a document from before them)."""
        keys = ("register", "field", "lsb", "width", "rule", "table_writable")
        if not any(k in d for k in keys):
            return None
        lsb, width, writable = d.get("lsb"), d.get("width"), d.get("table_writable")
        if not isinstance(lsb, int) or isinstance(lsb, bool) or not isinstance(width, int) \
                or isinstance(width, bool) or width < 1 or lsb < 0 or lsb + width > 64:
            raise RecordError(f"{where}: lsb {lsb!r} and width {width!r} are not bits of a "
                              "64-bit register")
        if not isinstance(writable, bool):
            raise RecordError(f"{where}.table_writable: expected true or false, got {writable!r}")
        return FieldPlace(_str(d, "register", where), _str(d, "field", where), lsb, width,
                          _str(d, "rule", where), writable)


@dataclass(frozen=True)
class Subject:
    kind: str  # isa_ext | capability | id_reg | id_reg_field (a new kind is shown generically)
    name: str
    id: int  # the ISA_EXT id, KVM_CAP_* number or ONE_REG id; -1 when the suite gave none
    place: FieldPlace | None = None  # id_reg_field: register, field, bits, rule

    @staticmethod
    def load(d: Any, where: str) -> Subject:
        d = _obj(d, where)
        raw = d.get("id", -1)
        try:
            # A 64-bit ONE_REG id may come as a number or, to survive JSON readers that use
            # doubles, as a "0x..." string.
            ident = int(raw, 0) if isinstance(raw, str) else int(raw)
        except (TypeError, ValueError):
            raise RecordError(f"{where}.id: expected an integer, got {raw!r}") from None
        return Subject(_str(d, "kind", where), _str(d, "name", where), ident,
                       FieldPlace.load(d, where))


@dataclass(frozen=True)
class Skip:
    kind: str  # one of SKIP_KINDS
    reason: str


@dataclass(frozen=True)
class Test:
    """One GoogleTest case (or, for a broken cell, a KTAP leaf: source "ktap")."""

    name: str
    suite: str
    case: str
    status: str  # pass | fail | skip
    message: str  # for people only
    duration_ms: float | None = None
    subject: Subject | None = None
    checks: tuple[Check, ...] = ()
    skip: Skip | None = None
    known: Known | None = None
    source: str = "suite"
    unknown_ids: tuple[int, ...] | None = None  # ISA_EXT ids KVM has and the catalogue lacks
    properties: dict[str, str] = field(default_factory=dict)  # RecordProperty, e.g. host_managed

    @property
    def known_skip(self) -> bool:
        return self.skip is not None and self.skip.kind == "known"

    @staticmethod
    def load(d: Any, where: str, v1: bool = False) -> Test:
        d = _obj(d, where)
        name = _str(d, "name", where)
        status = _one_of(_str(d, "status", where), STATUSES, f"{where}.status")
        duration = d.get("duration_ms")
        if v1:
            # Schema 1 has no display names; gtest's Suite.Case is all there is.
            suite, _, case = name.partition(".")
            return Test(name, suite, case, status, str(d.get("message") or ""),
                        float(duration) if duration is not None else None,
                        source=str(d.get("source", "suite")))
        subject = (Subject.load(d["subject"], f"{where}.subject")
                   if d.get("subject") is not None else None)
        skip = None
        if d.get("skip") is not None:
            s = _obj(d["skip"], f"{where}.skip")
            skip = Skip(_one_of(_str(s, "kind", f"{where}.skip"), SKIP_KINDS,
                                f"{where}.skip.kind"), _str(s, "reason", f"{where}.skip", ""))
        if (skip is not None) != (status == "skip") and d.get("source") != "ktap":
            raise RecordError(f"{where}: status {status!r} with skip {d.get('skip')!r}")
        known = Known.load(d["known"], f"{where}.known") if d.get("known") is not None else None
        if known is not None and (skip is None or skip.kind != "known"):
            raise RecordError(f"{where}: `known` without skip.kind \"known\"")
        checks = tuple(Check.load(c, f"{where}.checks[{i}]")
                       for i, c in enumerate(_list(d.get("checks", []), f"{where}.checks")))
        unknown = None
        if d.get("unknown_ids") is not None:
            unknown = tuple(int(i) for i in _list(d["unknown_ids"], f"{where}.unknown_ids"))
        props = {str(k): str(v) for k, v in
                 _obj(d.get("properties") or {}, f"{where}.properties").items()}
        return Test(name, _str(d, "suite", where), _str(d, "case", where), status,
                    str(d.get("message") or ""),
                    float(duration) if duration is not None else None, subject, checks, skip,
                    known, str(d.get("source", "suite")), unknown, props)


@dataclass(frozen=True)
class IsaExt:
    """One catalogue id as the suite measured it; checks keyed by check name, a check that
    was not measured has no key."""

    id: int
    name: str
    host_has: bool
    present: bool
    backport: bool
    execution: dict[str, Any]  # the probe's detail, for display only
    checks: dict[str, Check]

    @staticmethod
    def load(d: Any, where: str) -> IsaExt:
        d = _obj(d, where)
        checks = {k: Check.load(v, f"{where}.checks.{k}")
                  for k, v in _obj(d.get("checks", {}), f"{where}.checks").items()}
        return IsaExt(int(d["id"]), _str(d, "name", where), bool(d.get("host_has")),
                      bool(d.get("present")), bool(d.get("backport")),
                      _obj(d.get("execution") or {}, f"{where}.execution"), checks)


@dataclass(frozen=True)
class HostFacts:
    """What the suite read from the host itself (arm64: /proc/cpuinfo `Features` and the ID
    registers the host kernel emulates for MRS at EL0); never the QEMU CPU model's name."""

    cpu_features: tuple[str, ...]
    id_registers: dict[str, str]  # register name -> "0x..." as the suite wrote it

    @staticmethod
    def load(d: Any, where: str) -> HostFacts:
        d = _obj(d, where)
        features = _list(d.get("cpu_features", []), f"{where}.cpu_features")
        if not all(isinstance(f, str) for f in features):
            raise RecordError(f"{where}.cpu_features: expected a list of strings")
        regs = _obj(d.get("id_registers", {}), f"{where}.id_registers")
        return HostFacts(tuple(features),
                         {k: _str(regs, k, f"{where}.id_registers") for k in regs})


@dataclass(frozen=True)
class Problem:
    """A problem the runner found with a cell (runner.errors[])."""

    kind: str
    message: str
    excerpt: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "excerpt": self.excerpt}


@dataclass(frozen=True)
class Runner:
    status: str  # pass | fail | broken
    errors: tuple[Problem, ...]
    duration_s: float
    suite_exit: int | None
    ktap: dict[str, int]  # pass, fail, skip (and plan)


@dataclass(frozen=True)
class Cell:
    name: str
    kernel: dict[str, str]
    qemu: dict[str, str]
    console_log: str
    runner: Runner
    tests: tuple[Test, ...]
    isa_extensions: tuple[IsaExt, ...]
    suite_schema: str
    policy: PolicyRecord | None = None  # None: no suite document, schema 1, or no tables
    arch: str = LEGACY_RESULTS_ARCH  # the architecture profile's name: riscv64 | arm64
    host: HostFacts | None = None  # facts.host, when the suite wrote it (arm64)
    kvm_mode: str = ""  # facts.kvm_mode: vhe | nvhe; "" when the suite could not tell
    atomics_bench: AtomicsBench | None = None  # --kvmct-atomics-bench; None: not asked

    @staticmethod
    def load(d: Any, where: str = "cell") -> Cell:
        d = _obj(d, where)
        name = _str(d, "cell", where)
        where = f"cell {name}"
        suite_schema = str(d.get("suite_schema", ""))
        if suite_schema not in ("", SUITE_SCHEMA, SUITE_SCHEMA_V1):
            raise RecordError(f"{where}: suite schema {suite_schema!r} is not {SUITE_SCHEMA}")
        v1 = suite_schema == SUITE_SCHEMA_V1
        r = _obj(d.get("runner"), f"{where}.runner")
        runner = Runner(
            _one_of(_str(r, "status", f"{where}.runner"), ("pass", "fail", "broken"),
                    f"{where}.runner.status"),
            tuple(Problem(str(e.get("kind")), str(e.get("message", "")),
                          str(e.get("excerpt", "")))
                  for e in _list(r.get("errors", []), f"{where}.runner.errors")),
            float(r.get("duration_s", 0.0)), r.get("suite_exit"),
            {k: int(v) for k, v in _obj(r.get("ktap", {}), f"{where}.runner.ktap").items()
             if v is not None})
        tests = tuple(Test.load(t, f"{where}.tests[{i}]", v1)
                      for i, t in enumerate(_list(d.get("tests", []), f"{where}.tests")))
        exts = () if v1 else tuple(
            IsaExt.load(e, f"{where}.isa_extensions[{i}]")
            for i, e in enumerate(_list(d.get("isa_extensions") or [],
                                        f"{where}.isa_extensions")))
        facts = {} if v1 or d.get("facts") is None else _obj(d["facts"], f"{where}.facts")
        # The runner names the cell's architecture, the suite the one it ran on: they must
        # agree; a document with neither predates arm64 cells.
        arch = _str(d, "arch", where) if "arch" in d else _str(facts, "arch", f"{where}.facts",
                                                                LEGACY_RESULTS_ARCH)
        if "arch" in facts and (suite_arch := _str(facts, "arch", f"{where}.facts")) != arch:
            raise RecordError(f"{where}: facts.arch {suite_arch!r} but the cell's arch is "
                              f"{arch!r}")
        # Absent on a cell whose architecture has no per-release tables; never null.
        policy = (PolicyRecord.load(facts["policy"], f"{where}.facts.policy")
                  if "policy" in facts else None)
        host = HostFacts.load(facts["host"], f"{where}.facts.host") if "host" in facts else None
        kvm_mode = (_one_of(_str(facts, "kvm_mode", f"{where}.facts"), KVM_MODES,
                            f"{where}.facts.kvm_mode") if "kvm_mode" in facts else "")
        try:
            bench = (load_bench(d["atomics_bench"], f"{where}.atomics_bench")
                     if "atomics_bench" in d else None)
        except BenchRecordError as e:
            raise RecordError(str(e)) from None
        return Cell(name, {k: str(v) for k, v in _obj(d.get("kernel", {}), where).items()},
                    {k: str(v) for k, v in _obj(d.get("qemu", {}), where).items()},
                    str(d.get("console_log", "")), runner, tests, exts, suite_schema, policy,
                    arch, host, kvm_mode, bench)


@dataclass(frozen=True)
class Run:
    status: str
    started: str
    argv: tuple[str, ...]
    summary: dict[str, int]
    cells: tuple[Cell, ...]
    interrupted: bool = False
    unfinished: tuple[str, ...] = field(default_factory=tuple)


    @staticmethod
    def load(d: Any, where: str = "run") -> Run:
        d = _obj(d, where)
        cells = tuple(Cell.load(c, f"{where}.cells[{i}]")
                      for i, c in enumerate(_list(d.get("cells"), f"{where}.cells")))
        return Run(str(d.get("status", "broken")), str(d.get("started", "?")),
                   tuple(str(a) for a in d.get("argv", [])),
                   {k: int(v) for k, v in _obj(d.get("summary", {}), where).items()},
                   cells, bool(d.get("interrupted")),
                   tuple(str(u) for u in d.get("unfinished", [])))


def by_arch(cells: list[Cell] | tuple[Cell, ...]) -> list[tuple[str, tuple[Cell, ...]]]:
    """The cells grouped by architecture, architectures in the order they first appear and
    cells in run order within each."""
    groups: dict[str, list[Cell]] = {}
    for c in cells:
        groups.setdefault(c.arch, []).append(c)
    return [(a, tuple(cs)) for a, cs in groups.items()]
