# SPDX-License-Identifier: MIT
# The pinned Debian trixie build root (amd64 + every profile's architecture) made with mmdebstrap; its directory
# name carries a hash of the package list, so changing the list rebuilds it.
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from .. import arch
from .chroot import Bind, Chroot, running_as_root
from ..errors import KvmctError
from ..log import Progress
from ..paths import Cache, repo_root

SUITE = "trixie"
# One explicit source line, trixie main only: the mirror here serves inconsistent
# trixie-updates / trixie-security riscv64 indices, and mmdebstrap's default sources
# (which add those) then fail to resolve the riscv64 packages.
SOURCE = "deb http://deb.debian.org/debian trixie main"
PROFILES = tuple(arch.load(name) for name in arch.names())
ARCHITECTURES = ("amd64", *(p.debian_arch for p in PROFILES))
PACKAGES = (
    # the cross build of the static kvmct-suite (every architecture profile's)
    *(pkg for p in PROFILES for pkg in p.cross_packages),
    # host unit tests
    "g++",
    "libgtest-dev",
    "libyaml-cpp-dev",
    "libfdt-dev",
    "cmake",
    "ninja-build",
    # the emulated host and its userland (every architecture profile's)
    *(pkg for p in PROFILES for pkg in p.host_packages),
    # every compiler run goes through ccache (its directory lives in the cache, so a fresh
    # clone reuses the objects of the last one)
    "ccache",
    # `kernel --source`: a whole riscv64 kernel (Kbuild's host tools and its build deps);
    # virtme-ng's `vng --kconfig` writes the base config
    "make",
    "flex",
    "bison",
    "bc",
    "libssl-dev",
    "libelf-dev",
    "kmod",
    "cpio",
    "virtme-ng",
    # tools/ tests
    "python3",
    "python3-pytest",
    "python3-mypy",  # ci/test type-checks tools/ with --strict
    "python3-yaml",
    "xz-utils",
)


class SetupError(KvmctError, RuntimeError):
    pass


# Target-architecture packages unpacked under Profile.unpacked_dir rather than installed.
UNPACKED = tuple(f"{pkg}:{p.debian_arch}" for p in PROFILES for pkg in p.unpacked_packages)


def unpack_hook() -> str:
    """An mmdebstrap customize hook: download each UNPACKED package with the root's apt and
    unpack it under /opt/kvmct/<arch>/ ("$1" is the root)."""
    steps = []
    for p in PROFILES:
        for pkg in p.unpacked_packages:
            steps.append(f'mkdir -p "$1{p.unpacked_dir}" && cd "$1/tmp" && '
                         f'chroot "$1" sh -c "cd /tmp && apt-get download -q {pkg}:{p.debian_arch}" && '
                         f'dpkg-deb -x "$1/tmp/"{pkg}_*_{p.debian_arch}.deb "$1{p.unpacked_dir}" && '
                         f'rm "$1/tmp/"{pkg}_*_{p.debian_arch}.deb')
    return " && ".join(steps)


def root_key(packages: tuple[str, ...] = PACKAGES, source: str = SOURCE) -> str:
    """Short hash of everything that defines the root's content."""
    text = "\n".join([source, ",".join(ARCHITECTURES), *sorted(packages), *UNPACKED])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class BuildRoot:
    cache: Cache
    key: str

    @property
    def path(self) -> Path:
        return self.cache.build_root(self.key)

    @property
    def stamp(self) -> Path:
        return self.path / "etc" / "kvmct-root"

    def ready(self) -> bool:
        return self.stamp.is_file()

    def chroot(self) -> Chroot:
        """The root with the repo at /src, this root's build trees at /build, cache at /cache."""
        build = self.cache.build_dir(self.key)
        build.mkdir(parents=True, exist_ok=True)
        return Chroot(
            root=self.path,
            binds=(
                Bind(repo_root(), "/src"),
                Bind(build, "/build"),
                Bind(self.cache.root, "/cache"),
            ),
            as_root=running_as_root(),
            env=ccache_env(self.cache),
        )

    def inside(self, host_path: Path) -> str:
        """The path inside the root of a file under the cache."""
        rel = host_path.resolve().relative_to(self.cache.root)
        return f"/cache/{rel}"


def ccache_env(cache: Cache) -> tuple[str, ...]:
    """ccache settings for a root that binds `cache` at /cache: one object store for every
    root and checkout. Paths inside the roots are the same for every checkout (/src,
    /build), so a fresh clone hits the objects the previous one compiled."""
    cache.ccache.mkdir(parents=True, exist_ok=True)
    return ("CCACHE_DIR=/cache/ccache", "CCACHE_MAXSIZE=12G", "CCACHE_COMPILERCHECK=content")


def current(cache: Cache) -> BuildRoot:
    return BuildRoot(cache, root_key())


def _mode() -> str:
    if running_as_root():
        return "root"
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "true"],
                           capture_output=True)
    if probe.returncode != 0:
        raise SetupError(
            "not root and user namespaces are unavailable (unshare --user failed: "
            f"{probe.stderr.decode(errors='replace').strip()}); run as root or enable "
            "them (sysctl kernel.unprivileged_userns_clone=1)")
    return "unshare"


def _ensure_mmdebstrap(progress: Progress) -> None:
    if shutil.which("mmdebstrap"):
        return
    if not running_as_root():
        raise SetupError("mmdebstrap is missing: install it (apt-get install mmdebstrap)")
    progress.step("installing mmdebstrap with apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "mmdebstrap"]):
        done = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True)
        if done.returncode != 0:
            raise SetupError(f"{' '.join(cmd)} failed:\n{done.stderr.decode(errors='replace')}")


def _without_devices(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    # A normal user cannot make device nodes; the chroot binds the host's /dev anyway.
    for member in tar:
        if not member.isdev():
            yield member


def mmdebstrap(target: Path, suite: str, source: str, packages: Sequence[str],
               progress: Progress, what: str, options: Sequence[str] = ()) -> None:
    """The project's one recipe for a root (variant apt, amd64 + riscv64, one explicit
    source line) at `target`, which must not exist yet.

    As root: --mode=root. Otherwise --mode=unshare, streamed as a tarball and unpacked
    owned by the caller, so that Chroot(as_root=False) -- the caller mapped to root in a
    user namespace -- sees the files as root's (a directory written by --mode=unshare is
    owned by the caller's subordinate ids instead, unusable with --map-root-user)."""
    _ensure_mmdebstrap(progress)
    mode = _mode()
    target.parent.mkdir(parents=True, exist_ok=True)
    progress.step(f"creating {what} {target.name.removesuffix('.tmp')} "
                  f"(mmdebstrap --mode={mode}, ~30 s)")
    cmd = ["mmdebstrap", f"--mode={mode}", "--variant=apt",
           f"--architectures={','.join(ARCHITECTURES)}", *options,
           f"--include={','.join(packages)}", suite,
           str(target) if mode == "root" else "-", source]
    if mode == "root":
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True)
        returncode, stderr = done.returncode, done.stderr
    else:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        try:
            with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
                tar.extractall(target, members=_without_devices(tar))
        except tarfile.TarError as e:
            proc.kill()
            raise SetupError(f"unpacking mmdebstrap's tarball into {target}: {e}") from e
        stderr = proc.stderr.read()
        returncode = proc.wait()
    if returncode != 0:
        tail = "\n".join(stderr.decode(errors="replace").splitlines()[-30:])
        raise SetupError(f"mmdebstrap of {what} failed ({returncode}):\n{tail}")


def ensure(cache: Cache, progress: Progress, force: bool = False) -> BuildRoot:
    """Make the build root unless an identical one (same key, stamp written) exists."""
    root = current(cache)
    if root.ready() and not force:
        return root
    cache.root.mkdir(parents=True, exist_ok=True)
    tmp = root.path.with_name(root.path.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    mmdebstrap(tmp, SUITE, SOURCE, PACKAGES, progress, "build root",
               (f"--customize-hook={unpack_hook()}",))
    (tmp / "etc" / "kvmct-root").write_text("\n".join(PACKAGES) + "\n")
    if root.path.exists():
        shutil.rmtree(root.path)
    tmp.rename(root.path)
    _remove_stale(cache, root)
    progress.step("build root ready")
    return root


def _remove_stale(cache: Cache, keep: BuildRoot) -> None:
    """Roots and build trees of older package lists are a gigabyte each: drop them."""
    for entry in cache.root.glob("root-*"):
        if entry != keep.path and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
    for entry in cache.root.glob("build-*"):
        if entry != cache.build_dir(keep.key) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
