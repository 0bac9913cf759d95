# SPDX-License-Identifier: MIT
# `kvmct diff OLD.json NEW.json`: what changed between two run documents (text, Markdown, or
# JSON with --json); exit 1 when NEW regressed.
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..reports import rundiff
from .base import Command, Context
from .report import load_run


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", type=Path, metavar="OLD.json")
    p.add_argument("new", type=Path, metavar="NEW.json")
    p.add_argument("--markdown", action="store_true", help="Markdown for a patch thread")
    p.add_argument("--json", type=Path, metavar="FILE",
                   help="also write the diff as JSON (schema kvmct-diff/1) to FILE; - for "
                        "stdout instead of the text")
    p.add_argument("--old-cell", metavar="CELL", help="compare only this cell of OLD")
    p.add_argument("--new-cell", metavar="CELL", help="compare only this cell of NEW")


def _execute(args: argparse.Namespace, ctx: Context) -> int:
    d = rundiff.diff(load_run(args.old), load_run(args.new), args.old_cell, args.new_cell)
    if args.json is not None:
        data = json.dumps(rundiff.to_json(d), indent=2) + "\n"
        if str(args.json) == "-":
            sys.stdout.write(data)
            return 1 if d.regressed else 0
        args.json.write_text(data)
    sys.stdout.write(rundiff.markdown(d) if args.markdown else rundiff.text(d))
    return 1 if d.regressed else 0


DIFF = Command("diff", "what changed between two results files; exit 1 when NEW regressed",
               _arguments, _execute)
