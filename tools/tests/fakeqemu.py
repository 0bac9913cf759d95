#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# A stand-in for qemu-system-riscv64 in the runner's tests: plays a console transcript.
# Usage: fakeqemu.py TRANSCRIPT QEMU-ARGS...; `@sleep S`, `@results STATUS`, `@exit N` act.
import io
import json
import sys
import tarfile
import time


def disk_path(args: list[str]) -> str:
    for i, a in enumerate(args):
        if a == "-drive":
            return args[i + 1].split(",")[0].removeprefix("file=")
    raise SystemExit("fakeqemu: no -drive")


def write_results(disk: str, status: str) -> None:
    doc = {"schema": "kvmct-suite-result/2", "kernel_release": "6.12.0-fake",
           "host_isa": {"isa": "rv64imafdch"}, "future_key": [1, 2],
           "tests": [{"name": "KvmApi.ApiVersion", "suite": "KvmApi", "case": "ApiVersion",
                      "status": status, "duration_ms": 3, "checks": [],
                      "message": "" if status == "pass" else "expected 12"}],
           "isa_extensions": []}
    raw = json.dumps(doc).encode()
    with open(disk, "r+b") as f, tarfile.open(fileobj=f, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo("./result.json")
        info.size = len(raw)
        tar.addfile(info, io.BytesIO(raw))


def main() -> int:
    transcript, args = sys.argv[1], sys.argv[2:]
    for line in open(transcript, encoding="utf-8").read().splitlines():
        if line.startswith("@sleep "):
            sys.stdout.flush()
            time.sleep(float(line.split()[1]))
        elif line.startswith("@results "):
            write_results(disk_path(args), line.split()[1])
        elif line.startswith("@exit "):
            sys.stdout.flush()
            return int(line.split()[1])
        else:
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
