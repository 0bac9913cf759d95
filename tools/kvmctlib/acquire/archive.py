# SPDX-License-Identifier: MIT
# The kernels a Debian suite's riscv64 index offers (one per versioned image package, with the
# packages that carry its files), which of them the pool really holds, and the errors that
# name a listed-but-missing file or the versions closest to one that does not exist.
from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Callable

from . import debversion
from .aptfetch import MIRROR
from .deb822 import UAPI_PACKAGE, PackageNotFound, Stanza, index, kernel_closure
from ..errors import KvmctError


@dataclass(frozen=True)
class Offer:
    """One kernel of a suite: the versioned image package and its kernel package closure."""

    suite: str
    package: str  # linux-image-7.2.11+deb13-riscv64
    version: str  # 7.2.11-1~bpo13+1
    abi: str  # 7.2.11+deb13: the name part `debian:` matches besides the version
    files: tuple[Stanza, ...] = field(compare=False)  # the packages to download, image first
    headers: Stanza | None = field(default=None, compare=False)  # its linux-libc-dev, if listed


@dataclass(frozen=True)
class Missing:
    """A package the index lists whose pool file the mirror does not serve."""

    suite: str
    package: str
    version: str
    path: str  # the stanza's Filename, relative to the mirror
    status: int  # the HTTP status of the HEAD request

    def text(self) -> str:
        return (f"{self.suite} lists {self.package} {self.version}, but {MIRROR}/{self.path} "
                f"gives HTTP {self.status}: the archive has no file for it")


class ArchiveFileMissing(KvmctError, LookupError):
    def __init__(self, missing: Missing, more: str = "") -> None:
        super().__init__(missing.text() + more)
        self.missing = missing


class NoSuchKernelVersion(KvmctError, LookupError):
    pass


def image_pattern(flavour: str) -> re.Pattern[str]:
    """`linux-image-<abi>-<flavour>[-unsigned]`: a versioned kernel image, not -dbg, not a meta
    package (whose name has no version), not another flavour."""
    return re.compile(rf"^linux-image-(?P<abi>\d[^\s/]*?)-{re.escape(flavour)}(?:-unsigned)?$")


def offers(suite: str, stanzas: list[Stanza], flavour: str) -> list[Offer]:
    """Every versioned image package of `flavour` in the stanzas, newest first."""
    pattern, lookup = image_pattern(flavour), index(stanzas)
    uapi = {s.get("Version"): s for s in stanzas if s.get("Package") == UAPI_PACKAGE}
    found: list[Offer] = []
    for s in stanzas:
        m = pattern.match(s.get("Package", ""))
        if not m:
            continue
        try:
            closure = kernel_closure(s["Package"], lookup)
        except PackageNotFound:
            continue  # an image whose binary or modules package the index lacks: not runnable
        found.append(Offer(suite, s["Package"], s["Version"], m.group("abi"), tuple(closure),
                           uapi.get(s["Version"])))
    order = debversion.newest_first([o.version for o in found])
    return sorted(found, key=lambda o: order.index(o.version))


def missing_files(offer: Offer, status_of: Callable[[str], int]) -> list[Missing]:
    """The offer's packages whose Filename does not answer 200."""
    out = []
    for s in offer.files:
        status = status_of(s.get("Filename", ""))
        if status != 200:
            out.append(Missing(offer.suite, s["Package"], s["Version"], s.get("Filename", ""),
                               status))
    return out


@dataclass(frozen=True)
class Choice:
    offer: Offer
    skipped: tuple[Missing, ...]  # the newer offers' first missing file, newest first


def newest_available(suite: str, found: list[Offer], status_of: Callable[[str], int]) -> Choice:
    """The newest offer whose files all exist; the newer ones are skipped, each with the file
    that is missing. Raises when no offer of the suite can be downloaded."""
    skipped: list[Missing] = []
    for offer in found:
        gone = missing_files(offer, status_of)
        if not gone:
            return Choice(offer, tuple(skipped))
        skipped.append(gone[0])
    if not skipped:
        raise NoSuchKernelVersion(f"{suite} has no versioned linux-image package for this "
                                  "architecture in its index")
    raise ArchiveFileMissing(skipped[0], "; no older kernel of the suite has all its files "
                             "either" if len(skipped) > 1 else "")


def matching(wanted: str, found: list[Offer]) -> list[Offer]:
    """Offers whose Debian version or name version (abi) is exactly `wanted`."""
    return [o for o in found if wanted in (o.version, o.abi)]


def not_found(wanted: str, found: list[Offer], suites: tuple[str, ...]) -> NoSuchKernelVersion:
    """The error for a version no suite offers, naming the closest that exist."""
    abis = sorted({o.abi for o in found})
    near = debversion.closest(wanted, abis)
    where = {a: sorted({o.suite for o in found if o.abi == a}) for a in near}
    listed = ", ".join(f"{a} ({' '.join(where[a])})" for a in near) or "none"
    return NoSuchKernelVersion(f"debian:{wanted}: no kernel of that version in the indices of "
                               f"{', '.join(suites)}; closest: {listed}")


def head_status(path: str, timeout: float = 30.0) -> int:
    """HTTP status of the mirror's file at `path` (a HEAD request, nothing downloaded)."""
    req = urllib.request.Request(f"{MIRROR}/{path}", method="HEAD")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as e:
        return int(e.code)
    except (urllib.error.URLError, OSError) as e:
        raise KvmctError(f"cannot reach {MIRROR} to check {path}: {e}") from None
