# SPDX-License-Identifier: MIT
# The part of a Linux source tree an out-of-tree kvm.ko needs (arch/riscv/kvm, virt/kvm, the
# top Makefile for the version, the KVM headers to compare), from a tree or a tarball.
from __future__ import annotations

import hashlib
import json
import lzma
import os
import re
import shutil
import subprocess
import tarfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator, cast

from .. import arch
from . import debextract
from ..errors import KvmctError



@dataclass(frozen=True)
class Layout:
    """Where one architecture's KVM lives in a source tree."""

    profile: arch.Profile

    @property
    def build_dirs(self) -> tuple[str, str]:
        """What Kbuild compiles into kvm.ko (arch/<arch>/kvm/Makefile includes
        virt/kvm/Makefile.kvm and builds ../../../virt/kvm/*.o relative to itself)."""
        return (self.profile.kvm_dir, "virt/kvm")

    @property
    def arch_include(self) -> str:
        return f"arch/{self.profile.kernel_arch}/include"

    def is_kvm_header(self, rel: str) -> bool:
        """Headers an out-of-tree module cannot change: they come from linux-headers-*. A
        source whose copies differ is reported, since its edits there would not take effect."""
        inc = re.escape(self.arch_include)
        return re.match(rf"^({inc}/asm/kvm[^/]*\.h|{inc}/uapi/asm/kvm\.h|"
                        r"include/linux/kvm[^/]*\.h|include/uapi/linux/kvm\.h)$", rel) is not None

_SOURCE_NAMES = re.compile(r"(\.(c|h|S|lds)|^Makefile.*|^Kbuild|^Kconfig)$")


class SourceError(KvmctError, ValueError):
    pass


@dataclass(frozen=True, order=True)
class Version:
    """VERSION.PATCHLEVEL.SUBLEVEL plus EXTRAVERSION (e.g. `-rc3`), from a Makefile or a
    release string."""

    major: int
    minor: int
    sublevel: int = 0
    extra: str = ""

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.sublevel}{self.extra}"

    @property
    def series(self) -> str:
        return f"{self.major}.{self.minor}"


def makefile_version(text: str) -> Version:
    """The version a kernel's top Makefile declares (`VERSION = 7`, `PATCHLEVEL = 2`, ...)."""
    fields: dict[str, str] = {}
    for line in text.splitlines()[:40]:
        m = re.match(r"^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)\s*=\s*(.*?)\s*$", line)
        if m and m.group(1) not in fields:
            fields[m.group(1)] = m.group(2)
    try:
        return Version(int(fields["VERSION"]), int(fields["PATCHLEVEL"]),
                       int(fields.get("SUBLEVEL") or 0), fields.get("EXTRAVERSION", ""))
    except (KeyError, ValueError):
        raise SourceError("no VERSION / PATCHLEVEL in the top Makefile: not a Linux source "
                          "tree") from None


def release_version(release: str) -> Version:
    """`7.2.13+deb14-riscv64` -> 7.2.13; `7.3.0-rc2-dirty` -> 7.3.0 extra `-rc2`."""
    m = re.match(r"^(\d+)\.(\d+)(?:\.(\d+))?(-rc\d+)?", release)
    if not m:
        raise SourceError(f"kernel release {release!r} does not start with a version")
    return Version(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0), m.group(4) or "")


@dataclass(frozen=True)
class Mismatch:
    severity: str  # "error": a different series (KVM's internal API moves); "warning"
    message: str


def compare(source: Version, kernel: Version, release: str) -> Mismatch | None:
    """Is a kvm.ko from `source` sensible for the kernel `release` (version `kernel`)?"""
    if (source.major, source.minor) != (kernel.major, kernel.minor):
        return Mismatch("error", f"source is Linux {source} but kernel {release} is "
                                 f"{kernel.series}: kvm.ko uses the kernel's internal API, which "
                                 "changes between series (expect build errors or a module that "
                                 "does not load)")
    if (source.sublevel, source.extra) != (kernel.sublevel, kernel.extra):
        return Mismatch("warning", f"source is Linux {source} but kernel {release} is {kernel}: "
                                   "same series, so it usually builds and loads, but stable "
                                   "fixes between the two are in one and not the other")
    return None


def wanted(layout: Layout, rel: str) -> bool:
    """Is this path (relative to the tree's top) part of what a kvm.ko build takes?"""
    if rel == "Makefile" or layout.is_kvm_header(rel):
        return True
    return any(rel.startswith(d + "/") for d in layout.build_dirs) and \
        bool(_SOURCE_NAMES.search(rel.rsplit("/", 1)[-1])) and \
        not rel.rsplit("/", 1)[-1].startswith(".") and not rel.endswith(".mod.c")


def check_tree(layout: Layout, top: Path) -> None:
    missing = [d for d in ("Makefile", *layout.build_dirs) if not (top / d).exists()]
    if missing:
        raise SourceError(f"{top}: not a Linux source tree with {layout.profile.name} KVM (missing "
                          f"{', '.join(missing)})")


def tree_files(layout: Layout, top: Path) -> dict[str, Path]:
    """rel -> path of the wanted files of a source directory (build products skipped)."""
    check_tree(layout, top)
    found: dict[str, Path] = {"Makefile": top / "Makefile"}
    for sub in (*layout.build_dirs, layout.arch_include, "include/linux", "include/uapi/linux"):
        base = top / sub
        if not base.is_dir():
            continue
        for dirpath, _, files in os.walk(base):
            for name in files:
                path = Path(dirpath) / name
                rel = path.relative_to(top).as_posix()
                if wanted(layout, rel) and path.is_file():
                    found[rel] = path
    return found


def source_key(path: Path) -> str:
    """Names a source (a tree or an archive) in the cache: path, size and mtime."""
    st = path.stat()
    text = f"{path.resolve()}\0{st.st_size}\0{st.st_mtime_ns}" if path.is_file() \
        else str(path.resolve())
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@contextmanager
def _decompressed(archive: Path) -> Iterator[IO[bytes]]:
    """The archive's tar stream; xz through `xz -T0` when present (multi-threaded: a 160 MB
    linux-source tarball holds 1.6 GB), else Python's lzma."""
    name = archive.name
    if name.endswith((".tar.xz", ".txz")) and shutil.which("xz"):
        proc = subprocess.Popen(["xz", "-T0", "-dc", str(archive)], stdout=subprocess.PIPE,
                                stdin=subprocess.DEVNULL)
        assert proc.stdout is not None
        try:
            yield proc.stdout
        finally:
            proc.stdout.close()
            proc.kill()
            proc.wait()
    elif name.endswith((".tar.xz", ".txz")):
        with lzma.open(archive) as f:
            yield cast(IO[bytes], f)
    else:
        with open(archive, "rb") as f:
            yield f


def is_archive(path: Path) -> bool:
    return path.name.endswith((".tar.xz", ".txz", ".tar.gz", ".tgz", ".tar"))


def extract(layout: Layout, archive: Path, dest: Path) -> list[str]:
    """Unpack the wanted files of a kernel tarball (any top directory name) into dest.

    Returns the relative paths written. The whole stream is read once; nothing else of the
    1.6 GB tree touches the disk.
    """
    written: list[str] = []
    gz = archive.name.endswith((".tar.gz", ".tgz"))
    try:
        with _decompressed(archive) as stream, \
                tarfile.open(fileobj=stream, mode="r|gz" if gz else "r|") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                _, _, rel = member.name.removeprefix("./").partition("/")
                if not rel or not wanted(layout, rel):
                    continue
                out = dest / rel
                debextract.copy_member(tar, member, out)
                os.utime(out, (member.mtime, member.mtime))
                written.append(rel)
    except tarfile.TarError as e:
        raise SourceError(f"{archive}: not a readable tar archive ({e})") from None
    kvm_dir = layout.build_dirs[0]
    if "Makefile" not in written or not any(r.startswith(f"{kvm_dir}/") for r in written):
        raise SourceError(f"{archive}: no Makefile and {kvm_dir}/ under one top directory: "
                          f"not a Linux source tarball with {layout.profile.name} KVM")
    return written


MANIFEST = ".kvmct-manifest.json"


def sync(files: dict[str, Path], dest: Path) -> list[str]:
    """Mirror files into dest, copying only those whose content differs. A copied file gets
    a fresh mtime, so make rebuilds exactly what changed, even in a tree seeded from another
    build. Files this function copied earlier and that are gone from the source are
    removed; build products in dest are left alone. Returns the relative paths changed.
    """
    dest.mkdir(parents=True, exist_ok=True)
    manifest = dest / MANIFEST
    before: list[str] = json.loads(manifest.read_text()) if manifest.is_file() else []
    copied: list[str] = []
    for rel, src in sorted(files.items()):
        out = dest / rel
        data = src.read_bytes()
        if out.is_file() and out.read_bytes() == data:
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".kvmct-tmp")
        tmp.write_bytes(data)
        tmp.replace(out)
        copied.append(rel)
    for rel in sorted(set(before) - set(files)):
        (dest / rel).unlink(missing_ok=True)
        copied.append(rel)
    manifest.write_text(json.dumps(sorted(files)) + "\n")
    return copied


def kbuild_file(layout: Layout, makefile: str, virt_kvm: str) -> str:
    """arch/<arch>/kvm/Kbuild for an out-of-tree build: the Makefile with its
    `include $(srctree)/virt/kvm/Makefile.kvm` pointed at our copy (Debian's headers tree,
    which is $(srctree) there, has no virt/kvm). Kbuild reads Kbuild before Makefile."""
    return (f"# Written by kvmct: {layout.build_dirs[0]}/Makefile with virt/kvm taken from this copy.\n"
            + makefile.replace("$(srctree)/virt/kvm/", virt_kvm.rstrip("/") + "/"))


def differing_headers(layout: Layout, files: dict[str, Path], headers_common: Path) -> list[str]:
    """KVM headers whose source copy differs from the linux-headers package's copy."""
    out: list[str] = []
    for rel, path in sorted(files.items()):
        if not layout.is_kvm_header(rel):
            continue
        theirs = headers_common / rel
        if theirs.is_file() and theirs.read_bytes() != path.read_bytes():
            out.append(rel)
    return out
