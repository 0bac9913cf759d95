# SPDX-License-Identifier: MIT
# The run's summary as text and as Markdown, from cell documents alone (so `kvmct report`
# renders the same from a results file): cells x suites (one grid per architecture in a mixed
# run), the failures with their messages, and compact tables of the extensions and the other
# checked subjects (capabilities, ID registers) that failed, and per cell what a VMM may change
# (arm64: the masks and fields; riscv64: the extensions KVM let it disable or enable).
from __future__ import annotations

from ..judge import extmatrix, extwritable, idgrid, isadeps, subjects
from ..judge.records import Cell, Check, Run, by_arch
from . import unknown_ids

Cells = list[Cell] | tuple[Cell, ...]
MESSAGE_LINES = 6  # a failure's message is cut after this many lines; the console log has all


def _suites(docs: Cells) -> list[str]:
    seen: dict[str, None] = {}
    for d in docs:
        for t in d.tests:
            seen.setdefault(t.suite, None)
    return list(seen)


def _suite_counts(doc: Cell, suite: str) -> tuple[int, int, int]:
    c = {"pass": 0, "fail": 0, "skip": 0}
    for t in doc.tests:
        if t.suite == suite:
            c[t.status] += 1
    return c["pass"], c["fail"], c["skip"]


def _grid_cell(counts: tuple[int, int, int]) -> str:
    p, f, s = counts
    if p + f + s == 0:
        return "-"
    return f"{p}/{f}/{s}" + (" !" if f else "")


def host_line(doc: Cell) -> str:
    """What the suite read of the host and of KVM's mode (arm64), "" when it wrote neither."""
    parts = [f"kvm mode {doc.kvm_mode}"] if doc.kvm_mode else []
    if doc.host is not None:
        parts.append(f"host: {len(doc.host.cpu_features)} cpu features, "
                     f"{len(doc.host.id_registers)} ID registers")
    return "; ".join(parts)


def suite_grid(docs: Cells) -> list[str]:
    """Suites down, cells across: one grid per architecture (their suites differ)."""
    groups = by_arch(docs)
    if len(groups) == 1:
        return _suite_grid(docs, "")
    return [line for arch, group in groups for line in _suite_grid(group, f", {arch}")]


def _suite_grid(docs: Cells, label: str) -> list[str]:
    """Cells numbered, the legend names them: pass/fail/skip."""
    suites = _suites(docs)
    if not docs or not suites:
        return []
    cols = [f"[{i + 1}]" for i in range(len(docs))]
    cells = {(s, i): _grid_cell(_suite_counts(d, s)) for s in suites for i, d in enumerate(docs)}
    sw = max(len(s) for s in suites + ["suite"])
    cw = max([len(v) for v in cells.values()] + [len(c) for c in cols])
    out = ["", f"kvmct suites x cells{label} (pass/fail/skip, ! = failures):"]
    out += [f"  [{i + 1}] {d.name}" for i, d in enumerate(docs)]
    out.append(f"  {'suite':<{sw}}  " + "  ".join(f"{c:>{cw}}" for c in cols))
    for s in suites:
        out.append(f"  {s:<{sw}}  " + "  ".join(f"{cells[(s, i)]:>{cw}}"
                                                 for i in range(len(docs))))
    return out


def _message(text: str) -> list[str]:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    if len(lines) > MESSAGE_LINES:
        lines = lines[:MESSAGE_LINES] + [f"... ({len(lines) - MESSAGE_LINES} more lines)"]
    return lines


def failures(docs: Cells) -> list[str]:
    out: list[str] = []
    for d in docs:
        for e in d.runner.errors:
            out.append(f"  {d.name}  BROKEN {e.kind}: {e.message}")
        for t in d.tests:
            if t.status == "fail":
                out.append(f"  {d.name}  {t.name}")
                out += [f"      {ln}" for ln in _message(t.message)]
                out += [f"      {ln}" for ln in unknown_ids.lines(d, t)]
        if any(t.status == "fail" for t in d.tests) or d.runner.errors:
            out.append(f"      console log: {d.console_log}")
    return ["", "kvmct failures:", *out] if out else []


def _value(c: extmatrix.Check) -> str:
    if c.state in ("diff", "known"):
        mark = "" if c.state == "diff" else " known"
        return f"{c.observed or '-'} [{c.expected or '-'}{mark}]"
    return c.observed or "-"


def failing_extensions(docs: Cells) -> list[str]:
    """Extensions with a failure in some cell: every check, `observed [expected]` where they
    differ (issue 3.5: the writable mask, printed compactly)."""
    rows = [r for d in docs for r in extmatrix.cell_rows(d) if r.status == "fail"]
    if not rows:
        return []
    head = ["cell", "extension", "id", *(extmatrix.LABELS[c] for c in extmatrix.CHECKS)]
    body = [[r.cell, r.name, str(r.ext_id), *(_value(c) for c in r.checks)] for r in rows]
    widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
    out = ["", "kvmct failing extensions (observed [expected] where they differ):"]
    out += ["  " + "  ".join(f"{v:<{w}}" for v, w in zip(line, widths)).rstrip()
            for line in [head, *body]]
    return out


def _subject_value(c: Check) -> str:
    if c.state == "pass":
        return c.observed or "-"
    return f"{c.observed or '-'} [{c.expected or '-'}{' known' if c.state == 'known' else ''}]"


def _failing_subject_rows(docs: Cells) -> list[list[str]]:
    """One line per check of every subject that failed somewhere (a failed test without
    check records shows as `-`)."""
    out: list[list[str]] = []
    for d in docs:
        for r in subjects.cell_rows(d):
            if r.status != "fail":
                continue
            head = [r.cell, r.kind, r.name]
            out += [[*head, k, _subject_value(c)] for k, c in r.checks.items()] or \
                [[*head, "-", f"test {r.test_status}"]]
    return out


def failing_subjects(docs: Cells) -> list[str]:
    """Capabilities, ID registers and fields (any subject but an ISA extension) with a
    failure in some cell: every check, `observed [expected]` where they differ."""
    body = _failing_subject_rows(docs)
    if not body:
        return []
    head = ["cell", "kind", "subject", "check", "observed [expected]"]
    widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
    out = ["", "kvmct failing checks (observed [expected] where they differ):"]
    out += ["  " + "  ".join(f"{v:<{w}}" for v, w in zip(line, widths)).rstrip()
            for line in [head, *body]]
    return out


def _may_change_lines(d: Cell) -> list[tuple[str, str]]:
    """(how a VMM found out, what) for one cell; the refused lists follow a riscv line."""
    out = []
    n = idgrid.counts(idgrid.registers(d))
    if n.registers or n.fields:
        out.append(("asked (writable masks)",
                    f"{n.writable_registers} of {n.registers} registers have a non-zero mask" +
                    (f", {n.writable_fields} of {n.fields} fields writable" if n.fields else "") +
                    (f"; {n.failing} differ from the tables" if n.failing else "")))
    if d.isa_extensions:
        rows = extwritable.cell_toggles(d)
        out.append(("tried (ISA_EXT registers)",
                    f"may disable {len(extwritable.allowed(rows, 'disable'))} and enable "
                    f"{len(extwritable.allowed(rows, 'enable'))} of {len(rows)} present "
                    "extensions"))
        out += [("", f"refused to {t}: {' '.join(names)}") for t in extwritable.TOGGLES
                if (names := extwritable.refused(rows, t))]
    return out


def may_change(docs: Cells) -> list[str]:
    """One line per cell that checked it: arm64 asks KVM_ARM_GET_REG_WRITABLE_MASKS (then each
    field is tried), riscv64 can only try each ISA_EXT register."""
    out: list[str] = []
    width = max((len(d.name) for d in docs), default=0)
    for d in docs:
        for how, what in _may_change_lines(d):
            out.append(f"  {d.name:<{width}}  {how}: {what}" if how else
                       f"  {'':<{width}}    {what}")
    return ["", "kvmct what a VMM may change:", *out] if out else []


def isa_dependencies(docs: Cells) -> list[str]:
    """Impossible ISAs KVM let a VMM build: one line per finding with the cells that showed
    it, the reason naming the kernel function that allows it, and the rule."""
    cells: dict[tuple[str, str, str, str, str, str], list[str]] = {}
    for d in docs:
        for f in isadeps.findings(d):
            key = (f.extension, f.observed, f.state, f.owner, f.reason, f.rule)
            cells.setdefault(key, []).append(f.cell)
    out: list[str] = []
    for (ext, observed, state, owner, reason, rule), where in cells.items():
        label = f"known ({owner})" if state == "known" else "FAIL"
        out.append(f"  {ext} with {observed}: {label} in {' '.join(where)}")
        out += [f"      {reason}"] if reason else []
        out.append(f"      rule: {rule}")
    return ["", "kvmct ISA dependency findings (the advertised ISA breaks a rule):", *out] if out else []


def text(docs: Cells) -> list[str]:
    return suite_grid(docs) + failures(docs) + failing_extensions(docs) + \
        failing_subjects(docs) + isa_dependencies(docs) + may_change(docs)


def _md_escape(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def markdown(run: Run) -> str:
    """The same content for a pull request or a mailing list: tables and fenced messages."""
    docs = run.cells
    s = run.summary
    out = [f"## kvmct: {run.status.upper()}", "",
           f"{s.get('passed', 0)} passed, {s.get('failed', 0)} failed, "
           f"{s.get('skipped', 0)} skipped", "",
           "| cell | arch | status | pass | fail | skip | kernel | cpu | QEMU |",
           "|---|---|---|---:|---:|---:|---|---|---|"]
    for d in (c for _, group in by_arch(docs) for c in group):
        k, q, kt = d.kernel, d.qemu, d.runner.ktap
        out.append(f"| {d.name} | {d.arch} | {d.runner.status.upper()} | {kt.get('pass', 0)} | "
                   f"{kt.get('fail', 0)} | {kt.get('skip', 0)} | "
                   f"{_md_escape(str(k.get('package') or k.get('name')))} {k.get('version', '')} | "
                   f"`{q.get('cpu', '')}` | {q.get('version', '')} |")
    groups = by_arch(docs)
    for arch, group in groups:
        out += _markdown_suites(group, f", {arch}" if len(groups) > 1 else "")
    fails = [(d, t) for d in docs for t in d.tests if t.status == "fail"]
    broken = [(d, e) for d in docs for e in d.runner.errors]
    if fails or broken:
        out += ["", "### Failures", ""]
        for d, e in broken:
            out.append(f"- **{d.name}** broken, {e.kind}: {_md_escape(e.message)}")
        for d, t in fails:
            out += [f"- **{d.name}** `{t.name}`", "", "  ```",
                    *(f"  {ln}" for ln in _message(t.message)), "  ```"]
    rows = [r for d in docs for r in extmatrix.cell_rows(d) if r.status == "fail"]
    if rows:
        out += ["", "### Failing extensions (observed [expected])", "",
                "| cell | extension | id | " + " | ".join(
                    extmatrix.LABELS[c] for c in extmatrix.CHECKS) + " |",
                "|---|---|---:|" + "---|" * len(extmatrix.CHECKS)]
        for r in rows:
            vals = [(f"**{_value(c)}**" if c.state == "diff" else _value(c)) for c in r.checks]
            out.append(f"| {r.cell} | {r.name} | {r.ext_id} | " + " | ".join(
                _md_escape(v) for v in vals) + " |")
    changes = [(d.name, how, what) for d in docs for how, what in _may_change_lines(d)]
    if changes:
        out += ["", "### What a VMM may change", "", "| cell | found out | what |",
                "|---|---|---|"]
        out += [f"| {name} | {how} | {_md_escape(what)} |" for name, how, what in changes]
    subject_rows = _failing_subject_rows(docs)
    if subject_rows:
        out += ["", "### Failing checks (observed [expected])", "",
                "| cell | kind | subject | check | observed [expected] |", "|---|---|---|---|---|"]
        out += ["| " + " | ".join(_md_escape(v) for v in row) + " |" for row in subject_rows]
    return "\n".join(out) + "\n"


def _markdown_suites(docs: Cells, label: str) -> list[str]:
    suites = _suites(docs)
    if not suites:
        return []
    out = ["", f"### Suites{label} (pass/fail/skip)", "",
           "| suite | " + " | ".join(d.name for d in docs) + " |",
           "|---|" + "---:|" * len(docs)]
    for su in suites:
        cells = [_grid_cell(_suite_counts(d, su)).replace(" !", " **!**") for d in docs]
        out.append(f"| {su} | " + " | ".join(cells) + " |")
    return out
