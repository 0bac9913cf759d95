# SPDX-License-Identifier: MIT
# Real run: the sid kernel judged by tables that end at id 70 (as if written before 6.18) fails
# exactly one test, IsaExtCatalogue.KnowsEveryKernelId, whose record names id 71 (ZICBOP, on every
# QEMU rv64 host); no other test fails. Runs on the host, ~1 minute on a warm cache:
#   KVMCT_REAL_TESTS=1 python3 -m unittest tools/tests/test_unknown_ids_real.py
# Skips otherwise (pytest inside the build root cannot boot cells).
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LAST_ID = 70  # sid 7.2 on QEMU rv64 has ZICBOP = 71; every later id is absent on that host


def trim_tables(src: Path, dst: Path, last: int) -> list[str]:
    """Copy the tables, dropping the catalogue entries above `last` and every mention of their
    names in the other tables (a probe entry, a name in a flow list, a deviation's block item).
    Returns the dropped names."""
    shutil.copytree(src, dst)
    blocks = re.split(r"(?m)^(?=  (?:#[^\n]*\n  )*- name:)", (dst / "isa-extensions.yaml").read_text())
    keep, dropped = [], []
    for b in blocks:
        m = re.search(r"(?m)^    id: (\d+)", b)
        name = re.search(r"- name: (\w+)", b)
        if m and name and int(m.group(1)) > last:
            dropped.append(name.group(1))
        else:
            keep.append(b)
    (dst / "isa-extensions.yaml").write_text("".join(keep))
    for f in dst.glob("*.yaml"):
        if f.name == "isa-extensions.yaml":
            continue
        out = []
        item_indent = -1  # inside a block list item about a dropped name (a deviation): its indent
        for line in f.read_text().splitlines(keepends=True):
            code, sep, comment = line.partition("#")
            indent = len(line) - len(line.lstrip())
            if item_indent >= 0 and (indent > item_indent or not line.strip()):
                continue
            item_indent = -1
            if any(re.match(rf"^\s*- extension: {n}\s*$", code) for n in dropped):
                item_indent = indent
                continue
            if any(re.match(rf"^\s*{n}:", code) for n in dropped):
                continue
            for n in dropped:
                code = re.sub(rf"\b{n}\b,\s*|,\s*\b{n}\b", "", code)
            out.append(code + sep + comment)
        f.write_text("".join(out))
    return dropped


@unittest.skipUnless(os.environ.get("KVMCT_REAL_TESTS") == "1", "set KVMCT_REAL_TESTS=1 (boots a cell)")
class UnknownIdsFailOneTest(unittest.TestCase):
    def test_sid_with_tables_ending_at_70(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            tables = Path(tmp) / "expected"
            dropped = trim_tables(REPO / "expected" / "riscv", tables, LAST_ID)
            self.assertIn("ZICBOP", dropped)
            out = Path(tmp) / "run.json"
            done = subprocess.run([sys.executable, str(REPO / "tools" / "kvmct"), "run", "--kernel", "sid",
                                   "--cpu", "rv64", "--expected", str(tables), "--json", str(out)],
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=900)
            self.assertEqual(done.returncode, 1, done.stdout[-3000:] + done.stderr[-3000:])
            [cell] = json.loads(out.read_text())["cells"]
        self.assertEqual(cell["runner"]["status"], "fail")
        failed = [t for t in cell["tests"] if t["status"] == "fail"]
        self.assertEqual([t["name"] for t in failed], ["IsaExtCatalogue.KnowsEveryKernelId"],
                         "\n".join(t["message"] for t in failed))
        self.assertEqual(failed[0]["unknown_ids"], [71])
        self.assertIn("71", failed[0]["message"])


if __name__ == "__main__":
    unittest.main()
