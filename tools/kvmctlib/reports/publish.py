# SPDX-License-Identifier: MIT
# Writing a run's results once its cells are done (or once it was interrupted, with the cells
# that finished): cell.json per cell, run.json, report.html, and --json/--junit/--html copies,
# then the summary. Formats: docs/results.md.
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import htmlreport, junit, report
from ..judge import results
from ..log import Progress
from ..judge.records import Run


@dataclass(frozen=True)
class Targets:
    run_dir: Path
    json_out: Path | None = None
    junit_dir: Path | None = None
    html_out: Path | None = None


def _dump(doc: Any) -> str:
    return json.dumps(doc, indent=2) + "\n"


def write(docs: list[dict[str, Any]], targets: Targets, started: str, argv: list[str],
          progress: Progress, unfinished: list[str] | None = None) -> dict[str, Any]:
    """unfinished: cells an interrupt stopped; their absence makes the run `broken`."""
    for doc in docs:
        cell_dir = targets.run_dir / str(doc["cell"])
        cell_dir.mkdir(parents=True, exist_ok=True)
        (cell_dir / "cell.json").write_text(_dump(doc))
    merged = results.merge(docs, started, argv)
    if unfinished is not None:
        merged["interrupted"] = True
        merged["unfinished"] = unfinished
        merged["status"] = "broken"
    (targets.run_dir / "run.json").write_text(_dump(merged))
    run = Run.load(merged)  # what the reports read; a malformed document fails here
    (targets.run_dir / "report.html").write_text(htmlreport.render(run, targets.run_dir))
    if targets.json_out is not None:
        targets.json_out.parent.mkdir(parents=True, exist_ok=True)
        targets.json_out.write_text(_dump(merged))
    if targets.junit_dir is not None:
        targets.junit_dir.mkdir(parents=True, exist_ok=True)
        for cell in run.cells:
            (targets.junit_dir / f"{cell.name}.xml").write_text(junit.render(cell))
    if targets.html_out is not None:
        targets.html_out.parent.mkdir(parents=True, exist_ok=True)
        targets.html_out.write_text(htmlreport.render(run, targets.html_out.parent))
    text = report.summary(run.cells, run.summary)
    if unfinished is not None:
        text += (f"\nkvmct: interrupted: partial results of {len(docs)} finished cell(s) in "
                 f"{targets.run_dir / 'run.json'}; not finished: {', '.join(unfinished) or '-'}")
    progress.block(text)
    return merged
