# SPDX-License-Identifier: MIT
# The HTML report's "Guest atomic throughput" section (cells run with bench --atomics): per
# operation and layout an inline SVG line chart of ops/s per vCPU against vCPUs, one line per
# cell (kernel x CPU model). Under an emulated host the lines are ratios to the first cell's
# fewest-vCPU value, never absolute rates. No scripts: the SVG carries data-* attributes a
# browser test reads back.
from __future__ import annotations

import html

from ..judge import atomics_bench
from ..judge.atomics_bench import Bench, Line
from ..judge.records import Cell

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
           "#17becf")
W, H = 340, 210
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 26, 34

CSS = """
.atomics .charts{display:flex;flex-wrap:wrap;gap:10px}
.atomics svg{background:#fafafa;border:1px solid #ddd}
.atomics svg text{font:10px system-ui,sans-serif;fill:#333}
.atomics .key i{display:inline-block;width:1.6em;height:3px;vertical-align:middle;margin:0 .3em 0 1em}
table.bench{font:11px/1.2 ui-monospace,monospace}
table.bench td,table.bench th{border:1px solid #ddd;padding:1px 6px;text-align:right}
"""


def _fmt(v: float) -> str:
    return f"{v:.3g}"


def chart_svg(title: str, lines: list[Line], y_label: str) -> str:
    """One line chart: x = vCPU counts (every count any line has, evenly spaced), y from 0 to
    a little over the largest value; a polyline and a marker per point, each line with its
    label and colour."""
    counts = sorted({n for ln in lines for n in ln.values})
    top = max((v for ln in lines for v in ln.values.values()), default=1.0) * 1.1 or 1.0
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(n: int) -> float:
        i = counts.index(n)
        return LEFT + (plot_w * i / (len(counts) - 1) if len(counts) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'viewBox="0 0 {W} {H}" role="img" data-chart="{html.escape(title)}">',
           f'<text x="{W / 2:.0f}" y="14" text-anchor="middle">{html.escape(title)}</text>',
           f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" '
           'stroke="#666"/>',
           f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#666"/>',
           f'<text x="12" y="{TOP + plot_h / 2:.0f}" text-anchor="middle" '
           f'transform="rotate(-90 12 {TOP + plot_h / 2:.0f})">{html.escape(y_label)}</text>',
           f'<text x="{LEFT + plot_w / 2:.0f}" y="{H - 4}" text-anchor="middle">vCPUs</text>']
    for k in range(5):
        v = top * k / 4
        out.append(f'<text x="{LEFT - 4}" y="{y(v) + 3:.1f}" text-anchor="end">{_fmt(v)}</text>')
    for n in counts:
        out.append(f'<text x="{x(n):.1f}" y="{TOP + plot_h + 14}" text-anchor="middle">{n}</text>')
    for i, ln in enumerate(lines):
        colour = COLOURS[i % len(COLOURS)]
        pts = sorted(ln.values.items())
        label = html.escape(ln.label)
        out.append(f'<g class="series" data-series="{label}">')
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                   + " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in pts) + '"/>')
        out += [f'<circle cx="{x(n):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}" '
                f'data-vcpus="{n}" data-value="{v:.6g}"><title>{label}: {n} vCPUs, '
                f'{_fmt(v)}</title></circle>' for n, v in pts]
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def label(c: Cell) -> str:
    """A chart line's name: kernel, its version, CPU model."""
    return " ".join(v for v in (c.kernel.get("name", c.name), c.kernel.get("version", ""),
                               c.qemu.get("cpu_name", "")) if v)


def section(cells: tuple[Cell, ...]) -> list[str]:
    """The section, or nothing when no cell ran the bench."""
    ran = [(label(c), c.atomics_bench) for c in cells if c.atomics_bench is not None]
    if not ran:
        return []
    benches: list[tuple[str, Bench]] = [(name, b) for name, b in ran if not b.error]
    out = ['<section class="atomics">', "<h2>Guest atomic throughput</h2>"]
    out += [f"<p>{html.escape(name)}: the bench did not run: {html.escape(b.error)}</p>"
            for name, b in ran if b.error]
    if not benches:
        return out + ["</section>"]
    # The runner's cells run in QEMU: an emulated host, whose absolute rates measure QEMU.
    emulated = all(c.qemu.get("version") for c in cells if c.atomics_bench is not None)
    base_label = benches[0][0]
    if emulated:
        out.append("<p class=\"tcg\">Measured under QEMU TCG (an emulated RISC-V host): the "
                   "absolute rates measure QEMU, not a CPU, so the chart compares kernels and "
                   f"CPU models only as ratios to <b>{html.escape(base_label)}</b> at its fewest "
                   "vCPUs (= 1).</p>")
    y_label = "ratio to baseline" if emulated else atomics_bench.UNIT
    key = "".join(f'<span><i style="background:{COLOURS[i % len(COLOURS)]}"></i>'
                  f"{html.escape(name)}</span>" for i, (name, _) in enumerate(benches))
    out.append(f'<p class="key">{key}</p><div class="charts">')
    for op in atomics_bench.OPS:
        for layout in atomics_bench.LAYOUTS:
            lines = atomics_bench.lines(benches, op, layout)
            if not lines:
                continue
            shown = atomics_bench.ratios(lines, lines[0]) if emulated else lines
            out.append(chart_svg(f"{op} {layout}", shown, y_label))
    out.append("</div>")
    out += _table(benches, emulated)
    return out + ["</section>"]


def _table(benches: list[tuple[str, Bench]], emulated: bool) -> list[str]:
    """The medians themselves (ops/s per vCPU), for the record."""
    caption = " (QEMU's speed, not a CPU's)" if emulated else ""
    out = [f"<p>Medians in {atomics_bench.UNIT}{caption}, guest-timed (rdtime):</p>",
           '<table class="bench"><thead><tr><th>cell</th><th>op</th><th>layout</th>'
           "<th>vCPUs</th><th>median</th><th>runs</th><th>SC failures</th></tr></thead><tbody>"]
    for name, b in benches:
        out += [f"<tr><td>{html.escape(name)}</td><td>{p.op}</td><td>{p.layout}</td>"
                f"<td>{p.vcpus}</td><td>{p.median:.0f}</td><td>{len(p.samples)}</td>"
                f"<td>{p.sc_failures}</td></tr>" for p in b.points]
    return out + ["</tbody></table>"]
