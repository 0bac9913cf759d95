# SPDX-License-Identifier: MIT
# `kvmct report RESULTS.json`: re-render a run document as the summary `run` prints, as
# Markdown, as the HTML page, or as a KCIDB submission. Also loads run documents for
# `kvmct diff`.
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import KvmctError
from ..judge.records import RecordError, Run
from ..reports import htmlreport, kcidb, kcidb_names, report, textreport
from .base import Command, Context


def load_run(path: Path) -> Run:
    try:
        doc = json.loads(path.read_text())
    except OSError as e:
        raise KvmctError(f"{path}: {e.strerror}") from None
    except ValueError as e:
        raise KvmctError(f"{path}: not JSON: {e}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("cells"), list):
        raise KvmctError(f"{path}: not a kvmct run document (no `cells` list)")
    try:
        return Run.load(doc)
    except RecordError as e:
        raise RecordError(f"{path}: {e}") from None


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("results", type=Path, help="a run document (run.json / --json FILE)")
    p.add_argument("--html", type=Path, metavar="OUT", help="write the HTML report to OUT")
    p.add_argument("--markdown", action="store_true", help="print Markdown instead of text")
    p.add_argument("--kcidb", type=Path, metavar="OUT",
                   help="write a KCIDB v5.3 document to OUT (docs/kcidb.md)")
    p.add_argument("--origin",
                   help="the KCIDB origin of the objects --kcidb writes ([a-z0-9_]+; "
                        "default kvmct)")


def _execute(args: argparse.Namespace, ctx: Context) -> int:
    run = load_run(args.results)
    if args.kcidb is not None:
        origin = kcidb_names.check_origin(args.origin or kcidb_names.DEFAULT_ORIGIN)
        _write_kcidb(run, args.results, args.kcidb, origin)
    elif args.origin is not None:
        raise KvmctError("--origin names the origin of a --kcidb document: give --kcidb OUT")
    if args.html is not None:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(htmlreport.render(run, args.html.resolve().parent))
        print(f"kvmct: wrote {args.html}", file=sys.stderr)
    if args.markdown:
        sys.stdout.write(textreport.markdown(run))
    elif args.html is None and args.kcidb is None:
        print(report.summary(run.cells, run.summary).lstrip("\n"))
    return 0


def _write_kcidb(run: Run, results: Path, out: Path, origin: str) -> None:
    doc = kcidb.document(run, origin, kcidb_names.run_key(run.started, results.read_bytes()))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1) + "\n")
    by = ", ".join(f"{n} {s}" for s, n in kcidb.counts(doc).items())
    print(f"kvmct: wrote {out}: {len(doc['checkouts'])} checkouts, {len(doc['builds'])} "
          f"builds, {len(doc['tests'])} tests ({by})", file=sys.stderr)


REPORT = Command("report", "re-render a results file (--json of kvmct run): summary, "
                           "Markdown or HTML", _arguments, _execute)
