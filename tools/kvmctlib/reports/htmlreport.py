# SPDX-License-Identifier: MIT
# One self-contained HTML page per run (no external assets): the cells, then per architecture
# what its cells checked: the extension matrix (extension x cell: present / default / disable /
# enable / after-run / guest executes) and tables of the other checked subjects (capabilities,
# ID registers) and host facts, as colour grids with differences from the expected outcome
# highlighted and known deviations and bugs marked; then "what a VMM may change" (arm64's
# register x field grids beside RISC-V's writable mask); then the failures. Every grid square
# carries data-* attributes so a browser test can read the grid back.
from __future__ import annotations

import html
import os
from pathlib import Path
from . import atomics_chart, colour_key, extmask, idregmasks
from ..judge import extmatrix, isadeps, subjects
from ..judge.records import Cell, Run, by_arch

Cells = tuple[Cell, ...]

_ABBREV = {"present": "P", "absent": "\u2013", "EINVAL": "EINV", "EBUSY": "BUSY",
           "ENOENT": "NOENT", "exec": "E", "trap": "T", "failed": "F!",
           "vmm-exit": "VMM"}

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.2em;color:#222}
h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.15em;margin:1.4em 0 .4em}
table{border-collapse:collapse}
.cells td,.cells th{border:1px solid #ccc;padding:2px 8px;text-align:left}
.badge{display:inline-block;padding:0 .5em;border-radius:3px;color:#fff;font-weight:600}
.badge.pass{background:#2c7a3f}.badge.fail{background:#c0262d}.badge.broken{background:#6b2d8a}
.legend span{display:inline-block;margin-right:1em}
.legend i{display:inline-block;width:1.4em;height:1em;vertical-align:middle;border:1px solid #999;
  margin-right:.3em}
.wrap{overflow-x:auto;max-width:100%}
#matrix{font:11px/1.2 ui-monospace,monospace}
#matrix th,#matrix td{border:1px solid #fff;padding:1px 3px;text-align:center;white-space:nowrap}
#matrix thead th{background:#eee;position:sticky;top:0}
#matrix tbody th{background:#f6f6f6;text-align:left;position:sticky;left:0}
#matrix th.cellhead{border-left:3px solid #888}
#matrix td.first{border-left:3px solid #888}
#matrix a{color:inherit;text-decoration:none}
table.subjects,table.host{font:11px/1.2 ui-monospace,monospace}
table.subjects th,table.subjects td,table.host th,table.host td{border:1px solid #fff;
  padding:1px 4px;text-align:center;white-space:nowrap}
table.subjects thead th,table.host thead th{background:#eee}
table.subjects tbody th,table.host tbody th{background:#f6f6f6;text-align:left}
table.subjects a{color:inherit;text-decoration:none}
table.host td{text-align:left}table.host td.features{white-space:normal;max-width:40em}
table.host td.differs{background:#fde7b0}
td.v-yes{background:#b9e4c4}td.v-no{background:#e6e6e6;color:#777}
td.v-refused{background:#bcd3f2}td.v-val{background:#eef1f4}td.v-trap{background:#d9c8ef}td.v-na{background:#fafafa}
td.s-diff{background:#d7262e;color:#fff;font-weight:700;outline:2px solid #7a0d12;
  outline-offset:-2px}
td.s-known{background:#f5c04a;outline:2px dashed #8a5a00;outline-offset:-2px}
td.s-known::after{content:"*";font-weight:700}
tr.absent-all th{color:#999}
pre{background:#f6f6f6;padding:.5em;overflow-x:auto;font-size:12px}
li{margin-bottom:.3em}
""" + idregmasks.CSS + atomics_chart.CSS


def _link(path: str, base: Path | None) -> str:
    """Relative when the log lies under the page's directory, else a file: URI."""
    if not path:
        return ""
    p = Path(path)
    if base is not None:
        try:
            return p.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return p.as_uri() if p.is_absolute() else os.path.normpath(path)


def _value_class(check: str, observed: str) -> str:
    if not observed:
        return "v-na"
    if check == "executes":
        return "v-trap" if "trap" in observed else "v-yes"
    if observed in ("present", "1", "ok"):
        return "v-yes"
    if observed in ("absent", "0"):
        return "v-no"
    return "v-refused"


def _abbrev(value: str) -> str:
    return "/".join(_ABBREV.get(part, part) for part in value.split("/"))


def _square(row: extmatrix.ExtCell, c: extmatrix.Check, first: bool, log: str) -> str:
    classes = [_value_class(c.name, c.observed), f"s-{c.state}"] + (["first"] if first else [])
    title = f"{row.name} on {row.cell}, {extmatrix.LABELS[c.name]}: observed " \
            f"{c.observed or '(not measured)'}, expected {c.expected or '(nothing)'}"
    if c.state == "known":
        title += f"; {row.known_kind}: {row.note}"
    text = html.escape(_abbrev(c.observed)) if c.observed else ""
    if c.state in ("diff", "known") and log:
        text = f'<a href="{html.escape(log)}">{text or "?"}</a>'
    attrs = {"class": " ".join(classes), "data-ext": row.name, "data-cell": row.cell,
             "data-check": c.name, "data-observed": c.observed, "data-expected": c.expected,
             "data-state": c.state, "title": title}
    if c.state == "known":
        attrs["data-known"] = row.known_kind
    a = " ".join(f'{k}="{html.escape(v)}"' for k, v in attrs.items())
    return f"<td {a}>{text}</td>"


def _cells_table(docs: Cells, base: Path | None) -> list[str]:
    """One row per cell, its architecture beside its name, grouped by architecture."""
    out = ['<table class="cells"><tr><th>cell</th><th>arch</th><th>status</th><th>pass</th>'
           '<th>fail</th><th>skip</th><th>kernel</th><th>-cpu</th><th>QEMU</th><th>time</th>'
           '<th>console</th></tr>']
    for d in (c for _, group in by_arch(docs) for c in group):
        k, q, kt, st = d.kernel, d.qemu, d.runner.ktap, d.runner.status
        log = _link(d.console_log, base)
        arch = html.escape(d.arch)
        mode = f" ({html.escape(d.kvm_mode)})" if d.kvm_mode else ""
        out.append(
            f'<tr data-cell="{html.escape(d.name)}" data-status="{st}" data-arch="{arch}">'
            f'<td>{html.escape(d.name)}</td><td>{arch}{mode}</td>'
            f'<td><span class="badge {st}">{st.upper()}</span></td>'
            f'<td>{kt.get("pass", 0)}</td><td>{kt.get("fail", 0)}</td><td>{kt.get("skip", 0)}</td>'
            f'<td>{html.escape(str(k.get("package") or k.get("name", "")))} '
            f'{html.escape(str(k.get("version", "")))}</td>'
            f'<td><code>{html.escape(str(q.get("cpu", "")))}</code></td>'
            f'<td>{html.escape(str(q.get("version", "")))}</td>'
            f'<td>{d.runner.duration_s:.1f} s</td>'
            f'<td><a href="{html.escape(log)}">console.log</a></td></tr>')
    out.append("</table>")
    return out


def _legend() -> str:
    items = [("#b9e4c4", "present / 1 / accepted (ok) / executes"),
             ("#e6e6e6", "absent / 0"), ("#bcd3f2", "refused (errno)"),
             ("#d9c8ef", "traps (illegal instruction)"),
             ("#d7262e", "differs from expected: a failure (links to the console log)"),
             ("#f5c04a", "differs, known deviation or known bug (*)")]
    return (colour_key.swatches(items) + '<p>Per cell: <b>P</b>resent, <b>def</b>ault value, '
            "SET 0 before the first run (<b>dis</b>able), SET 1 after it (<b>en</b>able), a "
            "change after the first KVM_RUN (<b>run</b>), and what the guest's probe did "
            "(<b>exe</b>: by default / after the disable; E executes, T traps). Hover a square "
            "for observed and expected values.</p>")


def _matrix(docs: Cells, base: Path | None) -> list[str]:
    exts, entries = extmatrix.matrix(docs)
    if not exts:
        return ["<p>No cell reported ISA-extension records.</p>"]
    cells = [d.name for d in docs if d.isa_extensions]
    logs = {d.name: _link(d.console_log, base) for d in docs}
    short = {"presence": "P", "default": "def", "disable": "dis", "enable": "en",
             "after_run": "run", "executes": "exe"}
    n = len(extmatrix.CHECKS)
    out = ['<div class="wrap"><table id="matrix"><thead><tr><th rowspan="2">id</th>'
           '<th rowspan="2">extension</th>']
    out += [f'<th class="cellhead" colspan="{n}" data-cell="{html.escape(c)}">'
            f'<a href="{html.escape(logs[c])}">{html.escape(c)}</a></th>' for c in cells]
    out.append("</tr><tr>")
    out += [f'<th title="{extmatrix.LABELS[ch]}">{short[ch]}</th>'
            for _ in cells for ch in extmatrix.CHECKS]
    out.append("</tr></thead><tbody>")
    for ext_id, name in exts:
        rows = [entries.get((ext_id, c)) for c in cells]
        statuses = {r.status for r in rows if r is not None}
        cls = ' class="absent-all"' if statuses <= {"absent"} else ""
        out.append(f'<tr data-ext="{html.escape(name)}" data-id="{ext_id}"{cls}>'
                   f"<th>{ext_id}</th><th>{html.escape(name)}</th>")
        for c, row in zip(cells, rows):
            if row is None:
                out.append(f'<td class="v-na first" colspan="{n}" data-cell="{html.escape(c)}">'
                           "not in this cell</td>")
                continue
            out += [_square(row, ch, i == 0, logs[c]) for i, ch in enumerate(row.checks)]
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return out


def _subject_value_class(observed: str) -> str:
    """The matrix's colours for yes/no and errno names; any other value (an ID register's
    0x... contents, a count) is neutral: it is right or wrong only against its expected."""
    if not observed:
        return "v-na"
    if observed in ("present", "1", "ok"):
        return "v-yes"
    if observed in ("absent", "0"):
        return "v-no"
    return "v-refused" if observed[:1] == "E" and observed.isupper() else "v-val"


def _subject_square(row: subjects.SubjectRow, check: str, first: bool, log: str) -> str:
    """One check of one subject in one cell; `test` is the worst status of its tests."""
    if check == "test":
        observed, expected, state = row.test_status, "", \
            {"pass": "ok", "fail": "diff", "skip": "na"}[row.test_status]
        value = {"pass": "v-yes", "fail": "v-yes", "skip": "v-no"}[row.test_status]
    elif check in row.checks:
        c = row.checks[check]
        observed, expected, state = c.observed, c.expected, subjects.SQUARE_STATE[c.state]
        value = _subject_value_class(observed)
    else:
        return f'<td class="v-na{" first" if first else ""}"></td>'
    known = row.checks[check].known if check in row.checks else None
    classes = [value, f"s-{state}"] + (["first"] if first else [])
    title = f"{row.name} on {row.cell}, {check}: observed {observed or '(not measured)'}, " \
            f"expected {expected or '(nothing)'}"
    if known is not None:
        title += f"; {known.label}: {known.reason}"
    text = html.escape(_abbrev(observed))
    if state in ("diff", "known") and log:
        text = f'<a href="{html.escape(log)}">{text or "?"}</a>'
    attrs = {"class": " ".join(classes), "data-kind": row.kind, "data-subject": row.name,
             "data-cell": row.cell, "data-check": check, "data-observed": observed,
             "data-expected": expected, "data-state": state, "title": title}
    if known is not None:
        attrs["data-known"] = known.label
    a = " ".join(f'{k}="{html.escape(v)}"' for k, v in attrs.items())
    return f"<td {a}>{text}</td>"


def _subject_id(ident: int) -> str:
    # Capability numbers read best in decimal, 64-bit ONE_REG ids in hex.
    return hex(ident) if ident > 0xFFFF else str(ident) if ident >= 0 else ""


def subject_table(docs: Cells, kind: str, base: Path | None) -> list[str]:
    """Subject x cell for one kind: per cell the tests' status and each check's value."""
    names, checks, entries = subjects.table(docs, kind)
    cells = [d for d in docs if any(r.kind == kind for r in subjects.cell_rows(d))]
    logs = {d.name: _link(d.console_log, base) for d in cells}
    cols = ["test", *checks]
    k = html.escape(kind)
    out = [f'<div class="wrap"><table class="subjects" data-kind="{k}"><thead><tr>'
           '<th rowspan="2">id</th><th rowspan="2">name</th>']
    out += [f'<th colspan="{len(cols)}" data-cell="{html.escape(d.name)}">'
            f'<a href="{html.escape(logs[d.name])}">{html.escape(d.name)}</a></th>' for d in cells]
    out.append("</tr><tr>")
    out += [f"<th>{html.escape(c)}</th>" for _ in cells for c in cols]
    out.append("</tr></thead><tbody>")
    for ident, name in names:
        out.append(f'<tr data-subject="{html.escape(name)}"><th>{_subject_id(ident)}</th>'
                   f"<th>{html.escape(name)}</th>")
        for d in cells:
            row = entries.get((name, d.name))
            if row is None:
                out.append(f'<td class="v-na first" colspan="{len(cols)}" '
                           f'data-cell="{html.escape(d.name)}">not in this cell</td>')
                continue
            out += [_subject_square(row, c, i == 0, logs[d.name]) for i, c in enumerate(cols)]
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return out


def _host_table(docs: Cells) -> list[str]:
    """What each cell's suite read of the host (never the QEMU model's name): KVM's mode, the
    cpu features and the ID registers; a value that differs between cells is marked."""
    cells = [d for d in docs if d.host is not None or d.kvm_mode]
    if not cells:
        return []
    rows: list[tuple[str, str, list[str]]] = [
        ("kvm mode", "", [d.kvm_mode or "-" for d in cells]),
        ("cpu features", "features",
         [" ".join(d.host.cpu_features) if d.host else "-" for d in cells])]
    regs = sorted({r for d in cells if d.host for r in d.host.id_registers})
    rows += [(r, "", [d.host.id_registers.get(r, "-") if d.host else "-" for d in cells])
             for r in regs]
    out = ['<div class="wrap"><table class="host"><thead><tr><th>host</th>']
    out += [f'<th data-cell="{html.escape(d.name)}">{html.escape(d.name)}</th>' for d in cells]
    out.append("</tr></thead><tbody>")
    for label, cls, values in rows:
        differs = " differs" if len(set(values)) > 1 else ""
        out.append(f'<tr data-fact="{html.escape(label)}"><th>{html.escape(label)}</th>')
        out += [f'<td class="{cls}{differs}" data-fact="{html.escape(label)}" '
                f'data-cell="{html.escape(d.name)}" data-value="{html.escape(v)}">'
                f"{html.escape(v)}</td>" for d, v in zip(cells, values)]
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return out


def _arch_section(arch: str, docs: Cells, base: Path | None) -> list[str]:
    """What the cells of one architecture checked, as their documents hold it: the ISA-extension
    matrix, tables of the other subjects, host facts, and the ID-register masks' place."""
    a = html.escape(arch)
    out = [f'<section class="arch" data-arch="{a}">']
    has_matrix = any(d.isa_extensions for d in docs)
    kinds = [k for k in subjects.kinds(docs) if k != idregmasks.KIND]
    if has_matrix:
        out += [f"<h2>Extension matrix ({a})</h2>", _legend(), *_matrix(docs, base)]
    if kinds or any(d.host or d.kvm_mode for d in docs):
        out += [f"<h2>Capabilities, ID registers and host ({a})</h2>",
                "<p>Per cell: the status of the subject's tests, then each check's observed "
                "value, coloured as the matrix above (red: differs from the expected value, a "
                "failure; amber: differs, a known deviation or known bug). Hover a square for "
                "observed and expected values.</p>"]
        for kind in kinds:
            out += [f"<h3>{html.escape(subjects.kind_title(kind))} ({a})</h3>",
                    *subject_table(docs, kind, base)]
        host = _host_table(docs)
        if host:
            out += [f"<h3>Host, as the suite read it ({a})</h3>", *host]
    elif not has_matrix:
        out += [f"<h2>{a}</h2>", f"<p>No cell of {a} reported checked records.</p>"]
    out.append("</section>")
    return out


def _may_change(groups: list[tuple[str, Cells]], base: Path | None) -> list[str]:
    """One section for every architecture: what a VMM may change of the CPU features a guest
    gets, and how it finds out (arm64 asks an ioctl, RISC-V tries)."""
    parts: list[str] = []
    for arch, docs in groups:
        if idregmasks.applies(docs):
            parts += idregmasks.section(arch, docs, base, subject_table)
        if extmask.applies(docs):
            parts += extmask.section(arch, docs)
    if not parts:
        return []
    return ['<section class="may-change">', "<h2>What a VMM may change</h2>",
            "<p>Which CPU features a VMM may turn off or on for its guest, per cell, and how "
            "each architecture lets it find out.</p>", *parts, "</section>"]


def isa_dependencies(docs: Cells) -> list[str]:
    """A table of the impossible ISAs KVM let a VMM build, one row per extension and cell."""
    rows = [f for d in docs for f in isadeps.findings(d)]
    if not rows:
        return []
    out = ['<section class="isa-dependencies"><h2>ISA dependency findings</h2>',
           "<p>The ISA a vCPU advertised (ISA_EXT registers plus CONFIG isa) after a change KVM "
           "accepted breaks a rule of expected/riscv/isa-dependencies.yaml.</p>",
           "<table><tr><th>cell</th><th>extension left on</th><th>prerequisite</th><th>state</th>"
           "<th>rule</th><th>why KVM allows it</th></tr>"]
    for f in rows:
        state = f"known ({f.owner})" if f.state == "known" else "fail"
        out.append(f'<tr data-cell="{html.escape(f.cell)}" data-extension="{html.escape(f.extension)}" '
                   f'data-state="{f.state}"><td>{html.escape(f.cell)}</td><td>{html.escape(f.extension)}</td>'
                   f"<td>{html.escape(f.observed)}</td><td>{html.escape(state)}</td>"
                   f"<td>{html.escape(f.rule)}</td><td>{html.escape(f.reason)}</td></tr>")
    return [*out, "</table></section>"]


def _known(docs: Cells) -> list[str]:
    """Known deviations per extension, and known bugs reported by other suites' skips."""
    by_reason: dict[str, list[str]] = {}
    for d in docs:
        for row in extmatrix.cell_rows(d):
            if row.known is not None:
                by_reason.setdefault(f"{row.name}: {row.known_kind}: {row.note}", []).append(row.cell)
        for t in d.tests:
            # Cases about one extension are listed with its row above.
            if t.known is not None and (t.subject is None or t.subject.kind != "isa_ext"):
                key = f"{t.suite}: {t.known.label}: {t.known.reason}"
                by_reason.setdefault(key, []).append(f"{d.name} {t.name}")
    if not by_reason:
        return []
    out = ["<h2>Known deviations and known bugs</h2><ul>"]
    for reason, where in by_reason.items():
        out.append(f"<li>{html.escape(reason)}<br><small>{len(where)} case(s): "
                   f"{html.escape(', '.join(sorted(set(where))))}</small></li>")
    out.append("</ul>")
    return out


def _failures(docs: Cells, base: Path | None) -> list[str]:
    out: list[str] = []
    for d in docs:
        log = html.escape(_link(d.console_log, base))
        cell = html.escape(d.name)
        for e in d.runner.errors:
            out.append(f'<li class="failure" data-cell="{cell}"><b>{cell}</b> broken, '
                       f'{html.escape(e.kind)}: {html.escape(e.message)} '
                       f'(<a href="{log}">console log</a>)'
                       f'<pre>{html.escape(e.excerpt)}</pre></li>')
        for t in d.tests:
            if t.status == "fail":
                out.append(f'<li class="failure" data-cell="{cell}"><b>{cell}</b> '
                           f'<code>{html.escape(t.name)}</code> '
                           f'(<a href="{log}">console log</a>)'
                           f'<pre>{html.escape(t.message.strip())}</pre></li>')
    return ["<h2>Failures</h2><ul>", *out, "</ul>"] if out else []


def render(run: Run, base: Path | None = None) -> str:
    """The page for a merged run document; links to console logs are relative to base (the
    directory the page is written to) when they can be."""
    docs = run.cells
    status = run.status
    s = run.summary
    head = (f"kvmct {status.upper()}: {s.get('passed', 0)} passed, {s.get('failed', 0)} "
            f"failed, {s.get('skipped', 0)} skipped")
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>{html.escape(head)}</title><style>{_CSS}</style></head>",
             f'<body data-status="{status}">',
             f'<h1>kvmct <span class="badge {status}">{status.upper()}</span></h1>',
             f"<p>{html.escape(head.split(': ', 1)[1])}; started "
             f"{html.escape(run.started)}; "
             f"<code>{html.escape(' '.join(run.argv))}</code></p>"]
    if run.interrupted:
        parts.append(f"<p><b>Interrupted</b>: not finished: "
                     f"{html.escape(', '.join(run.unfinished))}</p>")
    parts += ["<h2>Cells</h2>", *_cells_table(docs, base)]
    for arch, group in by_arch(docs):
        parts += _arch_section(arch, group, base)
    parts += _may_change(by_arch(docs), base)
    parts += atomics_chart.section(docs)
    parts += isa_dependencies(docs)
    parts += [*_failures(docs, base), *_known(docs), "</body></html>"]
    return "\n".join(parts) + "\n"
