# SPDX-License-Identifier: MIT
# `kvmct kvm-module`: the kernel developer's loop. Builds kvm.ko out of tree from a Linux source
# (tree or tarball) against the Debian linux-headers package of a default kernel, inside a
# second build root (that kernel's Debian suite, headers + cross gcc), ready for `run`.
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .. import arch
from ..acquire import buildroot, debextract, kernel_source, kernels
from ..acquire.chroot import Bind, Chroot, running_as_root
from ..acquire.kernel_source import SourceError, Version
from ..cell import modinfo
from ..errors import KvmctError
from ..log import Progress
from ..paths import Cache

# Besides the cross gcc the headers' .config names and linux-kbuild (module_root()): make to
# drive Kbuild, xz for the tarballs, ccache (the store every kvmct build shares). Kbuild's
# host tools (fixdep, modpost) come prebuilt in linux-kbuild, so no flex, bison or bc.
BASE_PACKAGES = ("make", "xz-utils", "ccache")
INSIDE_SRC = "/kvmsrc"  # where the work tree is mounted inside the root
KEEP_WORK = 6  # build trees kept per kernel (~60 MB each with debug info)


class ModuleError(KvmctError, RuntimeError):
    pass


def mirror_source(suite: str) -> str:
    # One explicit line: mmdebstrap's defaults add -updates/-security, whose riscv64
    # indices are inconsistent on this mirror.
    return f"deb http://deb.debian.org/debian {suite} main"


def headers_package(release: str) -> str:
    return f"linux-headers-{release}"


@dataclass(frozen=True)
class ModuleRoot:
    """The kvm.ko build root for one default kernel: its suite, the cross gcc and Kbuild
    tools installed by mmdebstrap, and the headers packages unpacked on top."""

    cache: Cache
    profile: arch.Profile  # the kernel's architecture
    kernel: str  # default kernel name (sid, trixie)
    suite: str
    packages: tuple[str, ...]  # installed (amd64 unless qualified)
    unpacked: tuple[str, ...] = ()  # riscv64 headers packages, unpacked with dpkg-deb -x

    @property
    def key(self) -> str:
        text = "\n".join([mirror_source(self.suite), ",".join(buildroot.ARCHITECTURES),
                          *sorted(self.packages), "unpacked:", *sorted(self.unpacked)])
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    @property
    def path(self) -> Path:
        return self.cache.kvm_module / f"root-{self.kernel}-{self.key}"

    @property
    def stamp(self) -> Path:
        return self.path / "etc" / "kvmct-root"

    @property
    def compiler(self) -> str:
        """The cross gcc binary of the root's gcc-N-<triple> package (packages[0])."""
        m = re.fullmatch(r"gcc-(\d+)-.+", self.packages[0])
        if m is None:
            raise ModuleError(f"{self.packages[0]}: not a gcc-N-<triple> package")
        return f"{self.profile.triple}-gcc-{m.group(1)}"

    def chroot(self, work: Path) -> Chroot:
        # The cache at /cache for ccache's store (buildroot.ccache_env), as in the main root.
        return Chroot(root=self.path, binds=(Bind(work, INSIDE_SRC),
                                             Bind(self.cache.root, "/cache")),
                      as_root=running_as_root(), env=buildroot.ccache_env(self.cache))


def cross_compiler(profile: arch.Profile, headers_depends: str) -> str | None:
    """The amd64 cross gcc for the gcc the headers were built with (sid's headers depend on
    gcc-N-for-host, trixie's on gcc-N)."""
    m = re.search(r"(?:^|[,|]\s*)gcc-(\d+)(?:-for-host)?(?:\s|,|$)", headers_depends)
    return profile.cross_gcc(m.group(1)) if m else None


def depends_named(depends: str, pattern: str) -> list[str]:
    """Package names in a Depends field that match pattern (version constraints dropped)."""
    names = (alt.strip().split(" ")[0] for field in depends.split(",") for alt in field.split("|"))
    return [n for n in names if re.fullmatch(pattern, n)]


def module_root(cache: Cache, kernel: kernels.Kernel) -> ModuleRoot:
    if not kernel.release or not kernel.suite:
        raise ModuleError(f"kernel {kernel.name}: no Debian release/suite recorded "
                          "(kvm-module builds against a default Debian kernel's headers)")
    profile = arch.load(kernel.arch)
    if not profile.kvm_modular:
        raise ModuleError(f"kernel {kernel.name}: {profile.name} KVM is built in "
                          "(CONFIG_KVM=y); there is no kvm.ko to build")
    headers = headers_package(kernel.release)
    stanza = kernels.private_apt(cache, profile, kernel.suite).show(headers)
    if stanza is None:
        raise ModuleError(f"{kernel.suite} has no {headers} (kernels --refresh if the kernel "
                          "moved on)")
    # The headers are unpacked, not installed: installing them pulls their gcc dependency
    # for riscv64, and trixie's (gcc-14:riscv64) is the native compiler, which conflicts
    # with the amd64 cross compiler we need. Kbuild's host tools (linux-kbuild, Multi-Arch:
    # foreign) and the cross gcc are installed for amd64.
    depends = stanza.get("Depends", "")
    gcc = cross_compiler(profile, depends)
    kbuild = depends_named(depends, r"linux-kbuild-.+")
    common = depends_named(depends, r"linux-headers-.+-common")
    if gcc is None or not kbuild:
        raise ModuleError(f"{headers} depends on no gcc-N or linux-kbuild-*: {depends}")
    return ModuleRoot(cache, profile, kernel.name, kernel.suite, (gcc, *kbuild, *BASE_PACKAGES),
                      (headers, *common))


def ensure_root(root: ModuleRoot, progress: Progress) -> None:
    """mmdebstrap the root unless one with the same package list exists (same recipe as the
    main build root); roots for older package lists of the same kernel are dropped."""
    if root.stamp.is_file():
        return
    tmp = root.path.with_name(root.path.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    # sid's Release is past its Valid-Until on this archive.
    buildroot.mmdebstrap(tmp, root.suite, mirror_source(root.suite), root.packages, progress,
                         f"the kvm.ko build root for {root.kernel}",
                         options=['--aptopt=Acquire::Check-Valid-Until "false"'])
    apt = kernels.private_apt(root.cache, root.profile, root.suite)
    for name in root.unpacked:
        stanza = apt.show(name)
        if stanza is None:
            raise ModuleError(f"{root.suite} has no {name}")
        progress.step(f"unpacking {name} {stanza['Version']} into the kvm.ko build root")
        deb = apt.download(stanza)
        done = subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp)], capture_output=True,
                              stdin=subprocess.DEVNULL)
        deb.unlink()
        if done.returncode != 0:
            raise ModuleError(f"dpkg-deb -x {deb.name} failed: "
                              f"{done.stderr.decode(errors='replace').strip()}")
    (tmp / "etc" / "kvmct-root").write_text("\n".join(root.packages + root.unpacked) + "\n")
    if root.path.exists():
        shutil.rmtree(root.path)
    tmp.rename(root.path)
    for old in root.cache.kvm_module.glob(f"root-{root.kernel}-*"):
        if old != root.path and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    progress.step("kvm.ko build root ready")


def headers_dirs(root: ModuleRoot, release: str) -> tuple[Path, Path]:
    """(the flavour's headers dir, the -common dir it includes) inside the root."""
    flavour = root.path / "usr" / "src" / f"linux-headers-{release}"
    if not (flavour / "Makefile").is_file():
        raise ModuleError(f"{flavour} missing: the headers package did not install")
    common = flavour
    m = re.search(r"^include\s+/usr/src/([^/\s]+)/Makefile", (flavour / "Makefile").read_text(),
                  re.M)
    if m:
        common = root.path / "usr" / "src" / m.group(1)
    return flavour, common


def fetch_debian_source(cache: Cache, kernel: kernels.Kernel, progress: Progress) -> Path:
    """linux-source-X.Y of the kernel's suite, downloaded with the kernel's private apt
    configuration; the tarball is kept as <cache>/kvm-module/sources/*.tar.xz."""
    series = kernel_source.release_version(kernel.release).series
    package = f"linux-source-{series}"
    apt = kernels.private_apt(cache, arch.load(kernel.arch), kernel.suite)
    stanza = apt.show(package)
    if stanza is None:
        progress.step(f"apt-get update ({kernel.suite}) to find {package}")
        apt.update()
        stanza = apt.show(package)
    if stanza is None:
        raise ModuleError(f"{kernel.suite} has no {package} for kernel {kernel.release}")
    if stanza["Version"] != kernel.version:
        progress.step(f"warning: {package} in {kernel.suite} is {stanza['Version']}, the "
                      f"kernel is {kernel.version} (kernels --refresh updates the kernel)")
    out = cache.kvm_module / "sources" / f"{package}_{stanza['Version']}.tar.xz"
    if out.is_file():
        return out
    progress.step(f"downloading {package} {stanza['Version']} (~160 MB)")
    deb = apt.download(stanza)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / (out.name + ".tmp")
    tmp.mkdir(exist_ok=True)
    names = debextract.extract(
        deb, tmp, lambda n: "src.tar.xz" if re.match(r"usr/src/linux-source-.*\.tar\.xz$", n)
        else None)
    deb.unlink()
    if not (tmp / "src.tar.xz").is_file():
        raise ModuleError(f"{package}: no usr/src/linux-source-*.tar.xz among {len(names)} files")
    (tmp / "src.tar.xz").rename(out)
    tmp.rmdir()
    return out


def source_files(cache: Cache, layout: kernel_source.Layout, source: Path,
                 progress: Progress) -> tuple[dict[str, Path], str]:
    """The wanted files of a source tree or tarball (tarballs unpacked once into the cache),
    and a label for messages."""
    if source.is_dir():
        return kernel_source.tree_files(layout, source), str(source)
    if not source.is_file():
        raise SourceError(f"--source {source}: no such file or directory")
    if not kernel_source.is_archive(source):
        raise SourceError(f"--source {source}: neither a directory nor a .tar[.xz|.gz] archive")
    unpacked = cache.kvm_module / "sources" / \
        f"{source.name.split('.tar')[0]}-{kernel_source.source_key(source)}"
    if not (unpacked / ".complete").is_file():
        progress.step(f"unpacking {layout.profile.kvm_dir}, virt/kvm and the KVM headers from "
                      f"{source} (once; ~15 s)")
        if unpacked.exists():
            shutil.rmtree(unpacked)
        kernel_source.extract(layout, source, unpacked)
        (unpacked / ".complete").touch()
    return kernel_source.tree_files(layout, unpacked), str(source)


@dataclass(frozen=True)
class Built:
    ko: Path  # stripped, what goes into the initramfs
    unstripped: Path  # with debug info, for gdb / decode_stacktrace
    source_version: Version
    kernel: kernels.Kernel
    vermagic: str
    compiled: int  # objects make (re)compiled
    seconds: float  # make + strip


def work_dir(cache: Cache, kernel: str, source: Path) -> Path:
    return cache.kvm_module / "work" / f"{kernel}-{kernel_source.source_key(source)}"


def _seed(profile: arch.Profile, work: Path, kernel: str, progress: Progress) -> None:
    """Start a new source's build tree as a copy of the newest one for the same kernel: sync
    then replaces only the files whose content differs, so a patched copy of a source already
    built compiles in seconds instead of building all of kvm.ko."""
    built = f"{profile.kvm_dir}/kvm.ko"
    others = [d for d in work.parent.glob(f"{kernel}-*") if d.is_dir() and (d / built).is_file()]
    if not others:
        return
    newest = max(others, key=lambda d: (d / built).stat().st_mtime)
    progress.step(f"new source: starting from the objects of {newest.name}")
    tmp = work.with_name(work.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.copytree(newest, tmp, symlinks=True)
    tmp.rename(work)


def _prune(keep: Path, kernel: str) -> None:
    trees = sorted((d for d in keep.parent.glob(f"{kernel}-*") if d.is_dir() and d != keep),
                   key=lambda d: d.stat().st_mtime, reverse=True)
    for old in trees[KEEP_WORK - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def build(cache: Cache, kernel: kernels.Kernel, source: Path, progress: Progress,
          allow_mismatch: bool = False, jobs: int | None = None) -> Built:
    root = module_root(cache, kernel)
    profile = root.profile
    layout = kernel_source.Layout(profile)
    ensure_root(root, progress)
    flavour, common = headers_dirs(root, kernel.release)
    files, label = source_files(cache, layout, source, progress)
    src_version = kernel_source.makefile_version(files["Makefile"].read_text(errors="replace"))
    mismatch = kernel_source.compare(src_version, kernel_source.release_version(kernel.release),
                                     kernel.release)
    progress.step(f"source {label}: Linux {src_version}; kernel {kernel.name}: "
                  f"{kernel.release} ({kernel.package} {kernel.version})")
    if mismatch is not None:
        if mismatch.severity == "error" and not allow_mismatch:
            raise ModuleError(f"version mismatch: {mismatch.message}; "
                              "--allow-version-mismatch builds anyway")
        progress.step(f"warning: version mismatch: {mismatch.message}")
    changed = kernel_source.differing_headers(layout, files, common)
    if changed:
        progress.step("warning: the source's copies of these headers differ from "
                      f"{headers_package(kernel.release)}, and an out-of-tree kvm.ko is built "
                      f"with the package's: {', '.join(changed)}")

    work = work_dir(cache, kernel.name, source)
    if not work.is_dir():
        _seed(profile, work, kernel.name, progress)
    copied = kernel_source.sync(files, work)
    work.touch()  # most recently used first when pruning
    _prune(work, kernel.name)
    kvm_dir = work / profile.kvm_dir
    kbuild = kvm_dir / "Kbuild"
    text = kernel_source.kbuild_file(layout, (kvm_dir / "Makefile").read_text(),
                                     f"{INSIDE_SRC}/virt/kvm")
    if not kbuild.is_file() or kbuild.read_text() != text:
        kbuild.write_text(text)
    progress.step(f"building kvm.ko against {flavour.name} ({len(copied)} source files "
                  "differ from the last build)")
    chroot = root.chroot(work)
    t0 = time.monotonic()
    make = ["make", "-C", f"/usr/src/{flavour.name}", f"M={INSIDE_SRC}/{profile.kvm_dir}",
            f"ARCH={profile.kernel_arch}", f"CROSS_COMPILE={profile.triple}-",
            # the headers' own compiler (Kbuild compares its version text), through ccache
            f"CC=ccache {root.compiler}", f"-j{jobs or os.cpu_count() or 1}"]
    done = subprocess.run(chroot.argv(make), capture_output=True, stdin=subprocess.DEVNULL)
    out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
    (work / "make.log").write_text(out)
    if done.returncode != 0:
        tail = "\n".join(out.splitlines()[-40:])
        raise ModuleError(f"make of kvm.ko failed (exit {done.returncode}; full log "
                          f"{work / 'make.log'}):\n{tail}")
    compiled = sum(1 for line in out.splitlines() if re.match(r"\s+(CC|AS) \[M\]", line))
    unstripped = kvm_dir / "kvm.ko"
    ko = work / "kvm.ko"
    strip = [profile.strip, "--strip-debug", "-o", f"{INSIDE_SRC}/kvm.ko",
             f"{INSIDE_SRC}/{profile.kvm_dir}/kvm.ko"]
    done = subprocess.run(chroot.argv(strip), capture_output=True, stdin=subprocess.DEVNULL)
    if done.returncode != 0 or not ko.is_file():
        raise ModuleError(f"strip of kvm.ko failed: {done.stderr.decode(errors='replace')}")
    info = modinfo.parse(ko.read_bytes())
    vermagic = (info.get("vermagic") or [""])[0]
    if vermagic.split(" ")[0] != kernel.release:
        raise ModuleError(f"built kvm.ko has vermagic {vermagic!r}, kernel {kernel.name} is "
                          f"{kernel.release}: it would not load")
    return Built(ko, unstripped, src_version, kernel, vermagic, compiled,
                 time.monotonic() - t0)


def summary(b: Built) -> str:
    return "\n".join([
        f"kvm.ko: {b.ko}",
        f"  built from Linux {b.source_version} against {headers_package(b.kernel.release)} "
        f"for kernel {b.kernel.name} ({b.kernel.package} {b.kernel.version})",
        f"  vermagic: {b.vermagic}",
        f"  with debug info: {b.unstripped}",
        f"  make + strip: {b.seconds:.1f} s ({b.compiled} objects compiled)",
    ])
