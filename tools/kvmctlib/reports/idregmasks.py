# SPDX-License-Identifier: MIT
# The HTML report's arm64 register x field grid, one per cell (judge/idgrid.py): a row per
# Feature ID register, 64 bit columns, each field a square spanning its bits that shows whether
# the mask makes it writable, the table's rule, whether a safe value was accepted and an unsafe
# one refused, and what the guest saw; coloured by state. Every square carries data-* attributes
# so a browser test can read the grid back.
from __future__ import annotations

import html
from pathlib import Path
from typing import Callable

from . import colour_key
from ..judge import idgrid
from ..judge.records import Cell

KIND = idgrid.FIELD_KIND
# The generic subject table of htmlreport, for field records without a place (older suites).
Table = Callable[[tuple[Cell, ...], str, Path | None], list[str]]

RULE_MARKS = {"exact": "=", "lower-safe": "\u2264", "higher-safe": "\u2265",
              "higher-or-zero": "\u22650", "none": "\u2205"}
# Its own green (the matrix's is #b9e4c4), so a screenshot can tell the grid's squares apart.
WRITABLE_COLOUR = "#a6dbb4"
_WRITABLE_MARKS = {"writable": "W", "fixed": "F", "partial": "P"}
CSS = """
table.idgrid{font:10px/1.15 ui-monospace,monospace;table-layout:fixed;width:calc(27em + 960px);
  margin-bottom:.8em}
table.idgrid col.bit{width:15px}table.idgrid col.reg{width:14em}table.idgrid col.mask{width:13em}
table.idgrid th,table.idgrid td{border:1px solid #fff;padding:1px 1px;text-align:center;
  overflow:hidden;white-space:nowrap}
table.idgrid thead th{background:#eee;font-weight:400}
table.idgrid tbody th{background:#f6f6f6;text-align:left}
table.idgrid td.gap{background:#fcfcfc}
table.idgrid td.w-writable{background:@WRITABLE@}table.idgrid td.w-fixed{background:#e6e6e6}
table.idgrid td.w-{background:#fafafa}table.idgrid td.w-partial{background:#e3efc0}
table.idgrid td.s-diff{background:#d7262e;color:#fff}table.idgrid td.s-known{background:#f5c04a}
table.idgrid td.mask{text-align:left}
table.idgrid span.p{margin:0 1px}table.idgrid span.s-diff{text-decoration:underline}
table.idgrid span.fname{font-weight:600}
""".replace("@WRITABLE@", WRITABLE_COLOUR)


def applies(cells: tuple[Cell, ...]) -> bool:
    return any(idgrid.applies(d) for d in cells)


def _mark(square: idgrid.FieldSquare, part: str) -> str:
    p = square.parts[part]
    if part == "writable":
        text = _WRITABLE_MARKS.get(square.coverage, p.observed[:1] or "\u00b7")
    elif part == "accepted":
        text = "" if p.state == "na" else "\u2713" if p.state == "ok" else "\u2713?"
    elif part == "refused":
        text = "" if p.state == "na" else "\u2717" if p.state == "ok" else "\u2717?"
    else:
        text = f"g{p.observed.removeprefix('0x').lstrip('0') or '0'}" if p.observed else ""
    return f'<span class="p s-{p.state}">{html.escape(text)}</span>' if text else ""


def _title(f: idgrid.FieldSquare) -> str:
    bits = f"{f.lsb + f.width - 1}:{f.lsb}" if f.width > 1 else str(f.lsb)
    lines = [f"{f.register}.{f.field} [{bits}] on {f.cell}: rule {f.rule or '-'}, "
             f"table {'writable' if f.table_writable else 'fixed'}"]
    for name, p in f.parts.items():
        lines.append(f"{name}: " + (f"observed {p.observed or '-'}, expected "
                                    f"{p.expected or '-'} ({p.state})" if p.state != "na"
                                    else "not checked"))
    if f.others:
        lines.append(f"other records ({f.others_state}): {', '.join(f.others)}")
    if f.host_managed:
        lines.append(f"host-managed: {f.host_managed}")
    return "\n".join(lines)


def _square(f: idgrid.FieldSquare) -> str:
    attrs = {"class": f"f w-{f.coverage} s-{f.state}", "colspan": str(f.width),
             "data-register": f.register, "data-field": f.field, "data-cell": f.cell,
             "data-lsb": str(f.lsb), "data-width": str(f.width), "data-rule": f.rule,
             "data-table-writable": "writable" if f.table_writable else "fixed",
             "data-writable": f.writable, "data-state": f.state, "title": _title(f)}
    for name, p in f.parts.items():
        if name != "writable":
            attrs[f"data-{name}"] = p.observed
        attrs[f"data-{name}-state"] = p.state
    if f.host_managed:
        attrs["data-host-managed"] = f.host_managed
    a = " ".join(f'{k}="{html.escape(v)}"' for k, v in attrs.items())
    rule = f'<span class="p">{html.escape(RULE_MARKS.get(f.rule, f.rule[:2]))}</span>'
    marks = [_mark(f, "writable"), rule, *(_mark(f, p) for p in ("accepted", "refused", "guest"))]
    return f'<td {a}><span class="fname">{html.escape(f.field)}</span><br>{"".join(marks)}</td>'


def _lines(fields: tuple[idgrid.FieldSquare, ...]) -> list[list[idgrid.FieldSquare]]:
    """Fields in rows that do not overlap (one row unless a document overlaps fields, which is
    then shown rather than hidden)."""
    lines: list[list[idgrid.FieldSquare]] = []
    for f in fields:
        for line in lines:
            if all(f.lsb + f.width <= g.lsb or g.lsb + g.width <= f.lsb for g in line):
                line.append(f)
                break
        else:
            lines.append([f])
    return [sorted(line, key=lambda f: -f.lsb) for line in lines] or [[]]


def _bits(line: list[idgrid.FieldSquare]) -> list[str]:
    out, cursor = [], 64  # the next bit to place is cursor - 1
    for f in line:
        top = f.lsb + f.width
        if top < cursor:
            out.append(f'<td class="gap" colspan="{cursor - top}"></td>')
        out.append(_square(f))
        cursor = f.lsb
    if cursor > 0:
        out.append(f'<td class="gap" colspan="{cursor}"></td>')
    return out


def _mask_bits(r: idgrid.RegisterLine) -> list[str]:
    """A register without field records: its mask itself, runs of writable and fixed bits."""
    mask = r.mask_value()
    if mask is None:
        return ['<td class="gap" colspan="64"></td>']
    out, top = [], 63
    while top >= 0:
        bit = (mask >> top) & 1
        low = top
        while low > 0 and (mask >> (low - 1)) & 1 == bit:
            low -= 1
        kind = "writable" if bit else "fixed"
        span = f"{top}:{low}" if top != low else str(top)
        out.append(f'<td class="bits w-{kind}" colspan="{top - low + 1}" '
                   f'data-register="{html.escape(r.name)}" data-cell="{html.escape(r.cell)}" '
                   f'data-bits="{span}" data-writable="{kind}" '
                   f'title="{html.escape(r.name)} [{span}]: {kind} in the mask"></td>')
        top = low - 1
    return out


def _register_rows(r: idgrid.RegisterLine) -> list[str]:
    name, cell = html.escape(r.name), html.escape(r.cell)
    m = r.mask
    title = (f"{r.name} on {r.cell}: mask observed {m.observed or '-'}, expected "
             f"{m.expected or '-'}" if m.state != "na" else f"{r.name}: no mask record")
    if r.differ:
        title += f"; differ from the tables: {', '.join(r.differ)}"
    mask = (f'<td class="mask v-val s-{r.state}" data-register="{name}" data-cell="{cell}" '
            f'data-mask="{html.escape(m.observed)}" data-expected="{html.escape(m.expected)}" '
            f'data-state="{r.state}" title="{html.escape(title)}">'
            f"{html.escape(m.observed or '-')}</td>")
    if not r.fields:
        return [f'<tr data-register="{name}"><th>{name}</th>{mask}{"".join(_mask_bits(r))}</tr>']
    out = []
    for i, line in enumerate(_lines(r.fields)):
        head = f"<th>{name}</th>{mask}" if i == 0 else '<th></th><td class="mask"></td>'
        out.append(f'<tr data-register="{name}">{head}{"".join(_bits(line))}</tr>')
    return out


def cell_grid(d: Cell) -> list[str]:
    lines = idgrid.registers(d)
    n = idgrid.counts(lines)
    c = html.escape(d.name)
    policy = f"; tables {html.escape(d.policy.release)}" if d.policy and d.policy.release else ""
    mode = f" ({html.escape(d.kvm_mode)})" if d.kvm_mode else ""
    fields = f", {n.writable_fields} of {n.fields} fields writable" if n.fields else ""
    out = [f'<h4 data-cell="{c}">{c}{mode}: {n.writable_registers} of {n.registers} registers '
           f"have a non-zero mask{fields}"
           f"{', ' + str(n.failing) + ' differ from the tables' if n.failing else ''}"
           f"{policy}</h4>",
           f'<div class="wrap"><table class="idgrid" data-cell="{c}"><colgroup>'
           '<col class="reg"><col class="mask">' + '<col class="bit">' * 64 + "</colgroup>",
           "<thead><tr><th>register</th><th>mask</th>" +
           "".join(f'<th colspan="4">{b}</th>' for b in range(63, 0, -4)) +
           "</tr></thead><tbody>"]
    for r in lines:
        out += _register_rows(r)
    out.append("</tbody></table></div>")
    return out


def legend() -> str:
    items = [(WRITABLE_COLOUR, "writable (in the mask)"), ("#e6e6e6", "fixed (outside the mask)"),
             ("#e3efc0", "partly in the mask (P)"),
             ("#d7262e", "a check differs from the tables: a failure"),
             ("#f5c04a", "differs, known deviation or known bug (*)")]
    return (colour_key.swatches(items) + '<p>Each field spans its bits (bit 63 left); a '
            "register without field records shows its mask's bits alone. Under "
            "its name: <b>W</b>/<b>F</b>/<b>P</b> writable, fixed or partly writable as the mask "
            "says; the table's rule "
            "(<b>=</b> exact, <b>\u2264</b> lower-safe, <b>\u2265</b> higher-safe, "
            "<b>\u22650</b> higher-or-zero); <b>\u2713</b> a safe value was accepted (and "
            "read back, and the default restored); <b>\u2717</b> an unsafe value (or, for a "
            "fixed field, any change) was refused with the register unchanged; <b>g</b>N the "
            "field value the guest read with MRS. A mark with <b>?</b> or underlined differs "
            "from the tables. Hover a square for observed and expected values.</p>")


def section(arch: str, cells: tuple[Cell, ...], base: Path | None, table: Table) -> list[str]:
    """The grids of the cells that made ID-register records, and a generic table of field
    records that carry no place."""
    a = html.escape(arch)
    out = [f'<div class="may-change id-reg-masks" id="id-reg-masks-{a}" data-arch="{a}">',
           f"<h3>{a}: discovered by asking</h3>",
           "<p><code>KVM_ARM_GET_REG_WRITABLE_MASKS</code> tells a VMM, before any vCPU runs, "
           "which bits of each Feature ID register it may change. kvmct compares the mask with "
           "the tables and then holds KVM to it field by field: a safe value is accepted, an "
           "unsafe one refused, and the guest sees what was written.</p>"]
    grids = [d for d in cells if idgrid.applies(d)]
    if grids:
        out.append(legend())
        for d in grids:
            out += cell_grid(d)
    else:
        out.append("<p>No cell reported ID-register records (subject kinds <code>id_reg</code>, "
                   "<code>id_reg_field</code>).</p>")
    loose = tuple(d for d in cells if idgrid.unplaced(d))
    if loose:
        out += ["<p>Field records without register, bits and rule:</p>",
                *table(loose, KIND, base)]
    out.append("</div>")
    return out
