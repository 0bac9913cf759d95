# SPDX-License-Identifier: MIT
# The HTML report's RISC-V "writable mask" (judge/extwritable.py): per riscv cell, which present
# ISA extensions a VMM may disable and enable, as KVM answered the suite's SET_ONE_REG writes.
# Squares carry data-* attributes so a browser test can read them back.
from __future__ import annotations

import html

from ..judge import extwritable
from ..judge.records import Cell

_LABEL = {True: "yes", False: "no", None: ""}


def applies(cells: tuple[Cell, ...]) -> bool:
    return any(d.isa_extensions for d in cells)


def _square(row: extwritable.ExtToggles, toggle: str, first: bool) -> str:
    t = row.toggles[toggle]
    allowed = _LABEL[t.allowed]
    value = {"yes": "v-yes", "no": "v-refused", "": "v-na"}[allowed]
    title = (f"{row.name} on {row.cell}, {toggle}: KVM answered {t.observed}, the tables "
             f"expect {t.expected or '-'}" if t.observed else
             f"{row.name} on {row.cell}: {toggle} not tried (default {row.default or '-'})")
    attrs = {"class": f"{value} s-{t.state}" + (" first" if first else ""),
             "data-ext": row.name, "data-cell": row.cell, "data-toggle": toggle,
             "data-allowed": allowed, "data-observed": t.observed, "data-expected": t.expected,
             "data-state": t.state, "title": title}
    a = " ".join(f'{k}="{html.escape(v)}"' for k, v in attrs.items())
    return f"<td {a}>{allowed}</td>"


def section(arch: str, cells: tuple[Cell, ...]) -> list[str]:
    a = html.escape(arch)
    ext_cells = [d for d in cells if d.isa_extensions]
    rows = {d.name: {r.ext_id: r for r in extwritable.cell_toggles(d)} for d in ext_cells}
    names = sorted({(r.ext_id, r.name) for d in rows.values() for r in d.values()})
    out = [f'<div class="may-change ext-mask" data-arch="{a}">',
           f"<h3>{a}: discovered by trying</h3>",
           "<p>RISC-V has no ioctl that says what a VMM may change. A VMM learns it only by "
           "writing each ISA_EXT ONE_REG register before the vCPU first runs: 0 to disable an "
           "extension, 1 to enable it; KVM answers <code>ok</code> or an errno. This is what "
           "it answered (<b>yes</b>: allowed, <b>no</b>: refused, empty: not tried, e.g. an "
           "extension that is off by default), per present extension.</p><ul>"]
    for d in ext_cells:
        r = list(rows[d.name].values())
        out.append(f'<li data-cell="{html.escape(d.name)}"><b>{html.escape(d.name)}</b>: '
                   f"may disable {len(extwritable.allowed(r, 'disable'))} and enable "
                   f"{len(extwritable.allowed(r, 'enable'))} of {len(r)} present extensions; "
                   "refused to disable: " +
                   html.escape(", ".join(extwritable.refused(r, "disable")) or "none") + "</li>")
    out.append("</ul>")
    if not names:
        out += ["<p>No cell reported a present extension.</p>", "</div>"]
        return out
    out.append('<div class="wrap"><table class="subjects ext-mask"><thead><tr>'
               '<th rowspan="2">id</th><th rowspan="2">extension</th>')
    out += [f'<th colspan="2" data-cell="{html.escape(d.name)}">{html.escape(d.name)}</th>'
            for d in ext_cells]
    out.append("</tr><tr>" + "<th>disable</th><th>enable</th>" * len(ext_cells) +
               "</tr></thead><tbody>")
    for ext_id, name in names:
        out.append(f'<tr data-ext="{html.escape(name)}"><th>{ext_id}</th>'
                   f"<th>{html.escape(name)}</th>")
        for d in ext_cells:
            row = rows[d.name].get(ext_id)
            if row is None:
                out.append(f'<td class="v-na first" colspan="2" data-cell="{html.escape(d.name)}"'
                           ">absent</td>")
                continue
            out += [_square(row, t, i == 0) for i, t in enumerate(extwritable.TOGGLES)]
        out.append("</tr>")
    out += ["</tbody></table></div>", "</div>"]
    return out
