# SPDX-License-Identifier: MIT
# `kvmct kernels --list`: every kernel a run can take -- cached kernels, kernels built from
# source (built:NAME), and each Debian suite's kernels with the one `--kernel SUITE` picks.
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import archive
from .kernels import BUILT, Kernel
from ..errors import KvmctError


@dataclass(frozen=True)
class SuiteListing:
    suite: str
    offers: list[tuple[archive.Offer, list[archive.Missing]]]  # newest first, missing files
    error: str = ""  # the suite could not be read


def gather(suite: str, offers: Callable[[str], list[archive.Offer]],
           status_of: Callable[[str], int]) -> SuiteListing:
    try:
        return SuiteListing(suite, [(o, archive.missing_files(o, status_of))
                                    for o in offers(suite)])
    except KvmctError as e:
        return SuiteListing(suite, [], str(e))


def render(cached: list[tuple[Kernel, str]], suites: list[SuiteListing]) -> str:
    """`cached`: each cached kernel with the --kernel argument that runs it ('' for .debs)."""
    built = [(k, spec) for k, spec in cached if k.provenance.split(" ", 1)[0] == BUILT]
    others = [(k, spec or "<its .deb files>") for k, spec in cached
              if k.provenance.split(" ", 1)[0] != BUILT]
    out = ["cached kernels (the --kernel argument that runs each, then what it is):"]
    out += [f"  {spec:<28} {k.package} {k.version}, release {k.release} ({k.provenance})"
            for k, spec in others] or ["  (none)"]
    out.append("built from source (run --kernel built:NAME):")
    out += [f"  {spec:<28} release {k.release} ({k.provenance})" for k, spec in built] or [
        "  (none: tools/kvmct kernel --source PATH builds one)"]
    out.append("Debian suites (run --kernel SUITE, or debian:VERSION for any listed version):")
    for s in suites:
        if s.error:
            out.append(f"  {s.suite}: {s.error}")
            continue
        if not s.offers:
            out.append(f"  {s.suite}: no kernel for this architecture")
            continue
        picked = next((o for o, gone in s.offers if not gone), None)
        out.append(f"  {s.suite}:")
        for o, gone in s.offers:
            note = f"  <- --kernel {s.suite}" if o is picked else ""
            if gone:
                note = (f"  not downloadable: {gone[0].path} gives HTTP {gone[0].status}")
            out.append(f"    debian:{o.abi:<20} {o.version}{note}")
    return "\n".join(out)
