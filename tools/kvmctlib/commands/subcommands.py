# SPDX-License-Identifier: MIT
# The commands that read results and tables rather than boot anything (report, diff,
# catalogue, cpus), and the run options that pick cells (--matrix), kept out of cli.py.
# All of them run on the host with the stdlib only.
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .. import arch, cpus
from . import catalogue
from ..reports import htmlreport, report, rundiff, textreport
from ..errors import KvmctError
from ..paths import repo_root
from ..judge.records import RecordError, Run

COMMANDS = ("report", "diff", "catalogue", "cpus")


def add_run_options(r: argparse.ArgumentParser) -> None:
    r.add_argument("--matrix", metavar="NAME",
                   help="a named set of cells from tools/kvmctlib/data/cpus.toml (default, "
                        "full); --kernel / --cpu replace its kernels / CPUs")
    r.add_argument("--html", type=Path, metavar="FILE",
                   help="also write the HTML report here (every run writes report.html "
                        "into its run directory)")


def add_parsers(sub: Any) -> None:
    """sub: the subparsers object of cli.py's parser."""
    p = sub.add_parser("report", help="re-render a results file (--json of kvmct run): "
                                      "summary, Markdown or HTML")
    p.add_argument("results", type=Path, help="a run document (run.json / --json FILE)")
    p.add_argument("--html", type=Path, metavar="OUT", help="write the HTML report to OUT")
    p.add_argument("--markdown", action="store_true", help="print Markdown instead of text")

    d = sub.add_parser("diff", help="what changed between two results files; exit 1 when "
                                    "NEW regressed")
    d.add_argument("old", type=Path, metavar="OLD.json")
    d.add_argument("new", type=Path, metavar="NEW.json")
    d.add_argument("--markdown", action="store_true", help="Markdown for a patch thread")
    d.add_argument("--old-cell", metavar="CELL", help="compare only this cell of OLD")
    d.add_argument("--new-cell", metavar="CELL", help="compare only this cell of NEW")

    profile = arch.load()
    default_catalogue = repo_root() / "expected" / profile.expected_dir / profile.catalogue
    c = sub.add_parser("catalogue", help=f"check {default_catalogue.relative_to(repo_root())} "
                                         "against a uapi asm/kvm.h; print YAML for new ids")
    c.add_argument("--header", type=Path, required=True, metavar="PATH",
                   help="a riscv uapi asm/kvm.h (enum KVM_RISCV_ISA_EXT_ID)")
    c.add_argument("--catalogue", type=Path, metavar="PATH",
                   default=default_catalogue)
    c.add_argument("--since", metavar="X.Y", help="first release for new ids (default: "
                                                  "the header's kernel version, if found)")

    sub.add_parser("cpus", help="list the CPU models and matrices (data/cpus.toml)")


def run_axes(matrix: str | None, kernel_args: list[str] | None,
             cpu_args: list[str] | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(kernels, cpus) of a run: the matrix's (default: `default`), each axis replaced by the
    corresponding --kernel / --cpu arguments when given."""
    m = cpus.load().matrix(matrix or "default")
    return tuple(kernel_args or m.kernels), tuple(cpu_args or m.cpus)


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


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "report":
        run = load_run(args.results)
        if args.html is not None:
            args.html.parent.mkdir(parents=True, exist_ok=True)
            args.html.write_text(htmlreport.render(run, args.html.resolve().parent))
            print(f"kvmct: wrote {args.html}", file=sys.stderr)
        if args.markdown:
            sys.stdout.write(textreport.markdown(run))
        elif args.html is None:
            print(report.summary(run.cells, run.summary).lstrip("\n"))
        return 0
    if args.command == "diff":
        d = rundiff.diff(load_run(args.old), load_run(args.new), args.old_cell, args.new_cell)
        sys.stdout.write(rundiff.markdown(d) if args.markdown else rundiff.text(d))
        return 1 if d.regressed else 0
    if args.command == "catalogue":
        text, status = catalogue.run(args.header, args.catalogue, args.since)
        sys.stdout.write(text)
        return status
    if args.command == "cpus":
        print(cpus.listing(cpus.load()))
        return 0
    raise AssertionError(args.command)
