# SPDX-License-Identifier: MIT
# The names a KCIDB v5.3 document gives kvmct's objects (docs/kcidb.md): the origin, the ids
# `<origin>:<local>`, and test paths whose dot-separated segments hold only [a-zA-Z0-9_-].
from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone

from ..errors import KvmctError

# kcidb-io v5.x: an origin, and one segment of a test path.
ORIGIN = re.compile(r"[a-z0-9_]+")
_SEGMENT_CHAR = re.compile(r"[a-zA-Z0-9_]")
ROOT = "kvmct"  # the first segment of every path kvmct writes
DEFAULT_ORIGIN = "kvmct"  # a lab submits under the origin KernelCI agreed with it


def check_origin(origin: str) -> str:
    if not ORIGIN.fullmatch(origin):
        raise KvmctError(f"--origin {origin!r}: a KCIDB origin is lower-case letters, digits "
                         "and '_' only ([a-z0-9_]+)")
    return origin


def segment(name: str) -> str:
    """One path segment from any name, injectively: [a-zA-Z0-9_] stay, every other byte of
    its UTF-8 (including '-' itself) becomes -XX in lower-case hex; an empty name is '-'."""
    if not name:
        return "-"
    return "".join(c if _SEGMENT_CHAR.fullmatch(c) else "".join(f"-{b:02x}" for b in
                                                                 c.encode())
                   for c in name)


def test_path(suite: str, case: str) -> str:
    """`kvmct.<Suite>.<case>`; a '/' of a parameterised case (`Executes/AmoswapW`) divides
    the case into segments, as GoogleTest's instantiation nests it."""
    return ".".join([ROOT, segment(suite), *(segment(part) for part in case.split("/"))])


def run_key(started: str, content: bytes) -> str:
    """The run's part of every test id: its start in UTC and a digest of the run document, so
    two runs never share an id and one document always gives the same ids."""
    digest = hashlib.sha256(content).hexdigest()[:12]
    try:
        stamp = datetime.strptime(started, "%Y-%m-%dT%H:%M:%S%z").astimezone(timezone.utc)
    except ValueError:
        return digest
    return f"{stamp:%Y%m%dT%H%M%SZ}-{digest}"


def object_id(origin: str, *parts: str) -> str:
    """`<origin>:<part>/<part>...`, on one line."""
    return f"{origin}:{_printable('/'.join(parts))}"


def kernel_key(fields: dict[str, str]) -> str:
    """A build's local id: a readable part (package and version, or the kernel's name) and a
    digest over what identifies the kernel, so two kernels never share one."""
    readable = (f"{fields.get('package')}_{fields.get('version')}" if fields.get("package")
                else fields.get("name") or "kernel")
    canonical = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:12]
    return f"{readable}-{digest}"


def _printable(text: str) -> str:
    """An id's pattern is `<origin>:.*`, and `.` matches no line break: keep ids on one line."""
    return re.sub(r"\s|[\x00-\x1f\x7f]", "_", text)
