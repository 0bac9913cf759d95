# SPDX-License-Identifier: MIT
# The typed view of a cell's "atomics_bench" (kvmct-suite --kvmct-atomics-bench=R, docs/results.md):
# medians of guest atomic throughput per operation, layout and vCPU count, and the ratios the
# report draws: under TCG the absolute numbers measure QEMU, so cells are compared only as
# ratios to one baseline cell.
from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from ..errors import KvmctError

OPS = ("amoadd.w", "amoadd.d", "lr/sc.d")
LAYOUTS = ("contended", "uncontended")
UNIT = "ops/s/vcpu"


class BenchRecordError(KvmctError, ValueError):
    """An atomics_bench object without the shape docs/results.md describes."""


@dataclass(frozen=True)
class Point:
    """One (operation, layout, vCPUs) point: the median of `samples`, each the mean over the
    vCPUs of iterations / that vCPU's loop time."""

    op: str
    layout: str
    vcpus: int
    iterations: int
    median: float
    samples: tuple[float, ...]
    sc_failures: int


@dataclass(frozen=True)
class Bench:
    timing: str  # "guest rdtime": the guest timed its own loop
    timebase_hz: int
    unit: str
    repeats: int
    points: tuple[Point, ...]
    error: str = ""  # why the bench could not run; then no points

    def at(self, op: str, layout: str, vcpus: int) -> Point | None:
        return next((p for p in self.points
                     if (p.op, p.layout, p.vcpus) == (op, layout, vcpus)), None)


def _num(d: dict[str, Any], key: str, where: str) -> float:
    v = d.get(key)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
        raise BenchRecordError(f"{where}.{key}: expected a number >= 0, got {v!r}")
    return float(v)


def _choice(d: dict[str, Any], key: str, allowed: tuple[str, ...], where: str) -> str:
    v = d.get(key)
    if v not in allowed:
        raise BenchRecordError(f"{where}.{key}: {v!r} is not one of {', '.join(allowed)}")
    return str(v)


def load(d: Any, where: str = "atomics_bench") -> Bench:
    if not isinstance(d, dict):
        raise BenchRecordError(f"{where}: expected an object, got {type(d).__name__}")
    if "error" in d:
        return Bench("", 0, UNIT, 0, (), str(d["error"]))
    if d.get("unit") != UNIT:
        raise BenchRecordError(f"{where}.unit: {d.get('unit')!r} is not {UNIT!r}")
    rows = d.get("rows")
    if not isinstance(rows, list):
        raise BenchRecordError(f"{where}.rows: expected a list")
    points = []
    for i, r in enumerate(rows):
        at = f"{where}.rows[{i}]"
        if not isinstance(r, dict):
            raise BenchRecordError(f"{at}: expected an object")
        samples = r.get("samples")
        if not isinstance(samples, list) or not samples:
            raise BenchRecordError(f"{at}.samples: expected a non-empty list")
        values = tuple(_num({"s": s}, "s", f"{at}.samples") for s in samples)
        median = _num(r, "median", at)
        if abs(median - statistics.median(values)) > 1e-6 * max(median, 1.0):
            raise BenchRecordError(f"{at}.median: {median} is not the median of its samples")
        points.append(Point(_choice(r, "op", OPS, at), _choice(r, "layout", LAYOUTS, at),
                            int(_num(r, "vcpus", at)), int(_num(r, "iterations", at)), median,
                            values, int(_num(r, "sc_failures", at))))
    return Bench(str(d.get("timing", "")), int(_num(d, "timebase_hz", where)), UNIT,
                 int(_num(d, "repeats", where)), tuple(points))


@dataclass(frozen=True)
class Line:
    """One chart line: a cell's medians for one (operation, layout), by vCPU count."""

    label: str  # kernel and CPU model
    values: dict[int, float]


def lines(benches: list[tuple[str, Bench]], op: str, layout: str) -> list[Line]:
    """Each labelled bench's medians for one (op, layout), leaving out benches without them."""
    out = []
    for label, b in benches:
        values = {p.vcpus: p.median for p in b.points if (p.op, p.layout) == (op, layout)}
        if values:
            out.append(Line(label, values))
    return out


def ratios(series: list[Line], baseline: Line) -> list[Line]:
    """Every line divided by the baseline's value at its fewest vCPUs: the only comparison
    that means something when the host is emulated, and the baseline line keeps its shape
    (how it scales with vCPUs). Empty lines when the baseline has no such value."""
    base = baseline.values[min(baseline.values)] if baseline.values else 0.0
    return [Line(s.label, {n: v / base for n, v in s.values.items()} if base else {})
            for s in series]


def table(label: str, b: Bench) -> str:
    """The table kvmct-suite prints, rebuilt from the record (for `bench --atomics`)."""
    if b.error:
        return f"{label}: atomics bench did not run: {b.error}"
    out = [f"{label}: {b.timing} at {b.timebase_hz} Hz, median of {b.repeats} runs ({b.unit})",
           f"  {'op':<9} {'layout':<12} {'vcpus':>5} {'iterations':>10} {'median':>14} "
           f"{'min':>14} {'max':>14} {'sc_fails':>9}"]
    for p in b.points:
        out.append(f"  {p.op:<9} {p.layout:<12} {p.vcpus:5d} {p.iterations:10d} {p.median:14.0f} "
                   f"{min(p.samples):14.0f} {max(p.samples):14.0f} {p.sc_failures:9d}")
    return "\n".join(out)
