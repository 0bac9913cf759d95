# SPDX-License-Identifier: MIT
# The whole Linux tree `kvmct kernel --source` builds: a directory as it is, a tarball unpacked
# once into the cache, or Debian's linux-source-X.Y fetched from the archive first.
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .. import arch
from ..acquire import debextract, kernel_source
from ..acquire import kernels
from ..acquire.kernel_source import SourceError, Version
from ..log import Progress
from ..paths import Cache

# Where `debian:linux-source-X.Y` is looked for, in this order (7.3 is in trixie-backports).
DEBIAN_SUITES = ("trixie", "trixie-backports", "sid")
KEEP_TREES = 3  # unpacked tarballs kept (1.6 GB each)


@dataclass(frozen=True)
class Tree:
    label: str  # what --source named, for messages and provenance
    path: Path  # the top of a whole Linux tree on the host
    key: str  # names the source in the cache (kernel_source.source_key)
    name: str  # default name of the built kernel
    version: Version  # from the top Makefile


def name_of(path: Path) -> str:
    """Default kernel name for a source: `linux-source-7.3_7.3.4-1~bpo13+1.tar.xz` ->
    `linux-source-7.3`, `linux-7.4-rc2.tar.gz` -> `linux-7.4-rc2`, a directory: its name."""
    base = path.name
    for suffix in (".tar.xz", ".txz", ".tar.gz", ".tgz", ".tar"):
        base = base.removesuffix(suffix)
    base = base.split("_", 1)[0]  # a Debian file name's _<version>
    return safe_name(base or "kernel")


def safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.+-]+", "_", text).strip("._") or "kernel"


def check_linux(profile: arch.Profile, top: Path) -> Version:
    """A whole Linux tree with this architecture's KVM, clean enough for an O= build; the
    error names what is missing."""
    need = ("Makefile", "Kconfig", "scripts/kconfig", f"arch/{profile.kernel_arch}/Kconfig",
            profile.kvm_dir, "virt/kvm")
    missing = [rel for rel in need if not (top / rel).exists()]
    if missing:
        raise SourceError(f"{top}: not a Linux source tree with {profile.name} KVM (missing "
                          f"{', '.join(missing)})")
    version = kernel_source.makefile_version((top / "Makefile").read_text(errors="replace"))
    # Kbuild refuses an O= build of a tree that was configured or built in place.
    dirty = [rel for rel in (".config", "include/config") if (top / rel).exists()]
    if dirty:
        raise SourceError(f"{top}: has {' and '.join(dirty)} from an in-tree build; kvmct builds "
                          "out of tree (O=) and Kbuild refuses that until `make mrproper` "
                          "cleans the tree")
    return version


def _prune(trees: Path, keep: Path) -> None:
    old = sorted((d for d in trees.iterdir() if d.is_dir() and d != keep),
                 key=lambda d: d.stat().st_mtime, reverse=True)
    for d in old[KEEP_TREES - 1:]:
        shutil.rmtree(d, ignore_errors=True)


def unpack(cache: Cache, archive: Path, progress: Progress) -> Path:
    """The whole tree of a kernel tarball, unpacked once (top directory stripped)."""
    trees = cache.kernel_build / "trees"
    top = trees / f"{name_of(archive)}-{kernel_source.source_key(archive)}"
    if (top / ".kvmct-complete").is_file():
        top.touch()
        return top
    progress.step(f"unpacking {archive} (once; ~1.6 GB, ~30 s)")
    tmp = top.with_name(top.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    done = subprocess.run(["tar", "-C", str(tmp), "--strip-components=1", "-xf", str(archive)],
                          capture_output=True, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SourceError(f"{archive}: tar could not unpack it: "
                          f"{done.stderr.decode(errors='replace').strip()[-400:]}")
    (tmp / ".kvmct-complete").touch()
    if top.exists():
        shutil.rmtree(top)
    tmp.rename(top)
    _prune(trees, top)
    return top


def fetch_debian(cache: Cache, profile: arch.Profile, package: str, progress: Progress) -> Path:
    """Debian's linux-source-X.Y tarball (from the first suite of DEBIAN_SUITES that has the
    package), kept as <cache>/kernel-build/sources/<package>_<version>.tar.xz."""
    if not re.fullmatch(r"linux-source-\d+\.\d+", package):
        raise SourceError(f"debian:{package}: expected debian:linux-source-X.Y")
    found = None
    for refresh in (False, True):  # the indices at hand first: an update per suite is ~10 s
        for suite in DEBIAN_SUITES:
            apt = kernels.private_apt(cache, profile, suite)
            if refresh:
                progress.step(f"apt-get update ({suite}) to find {package}")
                apt.update()
            elif not apt.config.is_file():
                continue
            stanza = apt.show(package)
            if stanza is not None:
                found = (suite, apt, stanza)
                break
        if found is not None:
            break
    if found is not None:
        suite, apt, stanza = found
        out = cache.kernel_build / "sources" / f"{package}_{stanza['Version']}.tar.xz"
        if out.is_file():
            return out
        progress.step(f"downloading {package} {stanza['Version']} from {suite} (~160 MB)")
        deb = apt.download(stanza)
        tmp = out.parent / (out.name + ".tmp")
        tmp.mkdir(parents=True, exist_ok=True)
        names = debextract.extract(
            deb, tmp,
            lambda n: "src.tar.xz" if re.match(r"usr/src/linux-source-.*\.tar\.xz$", n) else None)
        deb.unlink()
        if not (tmp / "src.tar.xz").is_file():
            raise SourceError(f"{package}: no usr/src/linux-source-*.tar.xz among "
                              f"{len(names)} files")
        (tmp / "src.tar.xz").rename(out)
        tmp.rmdir()
        return out
    raise SourceError(f"debian:{package}: none of {', '.join(DEBIAN_SUITES)} has {package}")


def resolve(cache: Cache, profile: arch.Profile, spec: str, progress: Progress) -> Tree:
    """--source: `debian:linux-source-X.Y`, a tarball, or a directory."""
    if spec.startswith("debian:"):
        package = spec.removeprefix("debian:")
        archive = fetch_debian(cache, profile, package, progress)
        top = unpack(cache, archive, progress)
        return Tree(spec, top, kernel_source.source_key(archive), safe_name(package),
                    check_linux(profile, top))
    path = Path(spec).expanduser()
    if path.is_dir():
        return Tree(str(path), path.resolve(), kernel_source.source_key(path), name_of(path),
                    check_linux(profile, path))
    if not path.is_file():
        raise SourceError(f"--source {spec}: no such file or directory")
    if not kernel_source.is_archive(path):
        raise SourceError(f"--source {spec}: neither a directory, a .tar[.xz|.gz] archive nor "
                          "debian:linux-source-X.Y")
    top = unpack(cache, path, progress)
    return Tree(str(path), top, kernel_source.source_key(path), name_of(path), check_linux(profile, top))
