# SPDX-License-Identifier: MIT
# The command line's failure modes: an expected failure is one line and exit 2; a bug in
# kvmct keeps its traceback (and exit 2), so it cannot pass for an environment problem.
from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from kvmctlib import cli
from kvmctlib.commands.base import Command, Context, no_arguments


def test_expected_failure_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KVMCT_CACHE", str(tmp_path / "cache"))
    assert cli.main(["-q", "report", str(tmp_path / "missing.json")]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [f"kvmct: error: {tmp_path / 'missing.json'}: "
                                "No such file or directory"]


def test_a_bug_keeps_its_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(args: argparse.Namespace, ctx: Context) -> int:
        return {"a": 1}[args.command]  # a KeyError: a LookupError, but not an expected one

    monkeypatch.setenv("KVMCT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cli, "COMMANDS", (Command("cpus", "list", no_arguments, broken),))
    assert cli.main(["-q", "cpus"]) == 2
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "KeyError: 'cpus'" in err
    assert err.rstrip().endswith("kvmct: error: internal error (the traceback above is a bug "
                                 "in kvmct)")
