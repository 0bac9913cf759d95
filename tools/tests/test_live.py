# SPDX-License-Identifier: MIT
# The live board follows a cell's console: firmware, kernel (the /init line), suite k/n with
# its failures, exiting, done; without a terminal it prints one line per state change.
from __future__ import annotations

import io

from kvmctlib.log import Progress
from kvmctlib.reports import live

CONSOLE = ["OpenSBI v1.6", "kvmct-init: kernel 7.2.13+deb14-riscv64", "KTAP version 1",
           "1..2", "    # Subtest: KvmApi", "        KTAP version 1", "        1..1",
           "        not ok 1 ApiVersion", "    not ok 1 KvmApi", "    # Subtest: Amo",
           "kvmct-init: suite exit 1"]


def test_states_follow_the_console() -> None:
    out = io.StringIO()
    board = live.Board(Progress(stream=out), ["sid-rv64"], tty=False,
                       firmware={"sid-rv64": "OpenSBI"})
    seen = []
    for line in CONSOLE:
        board.feed("sid-rv64", line)
        seen.append(board.lines(now=0.0)[1].split()[1])
        if line.endswith("Subtest: Amo"):
            assert "suite 2/2 Amo" in board.lines(now=0.0)[1]
            assert "1 not ok" in board.lines(now=0.0)[1]
    assert seen[:3] == ["firmware", "kernel", "suite"] and seen[-1] == "exiting"
    board.done("sid-rv64", "fail", "(0 pass, 1 fail, 0 skip)")
    text = out.getvalue()
    assert "[sid-rv64] firmware (OpenSBI)" in text
    assert "[sid-rv64] kernel booted, /init running" in text
    assert "[sid-rv64] suite done, powering off" in text
    assert "[sid-rv64] FAIL (0 pass, 1 fail, 0 skip) in" in text
