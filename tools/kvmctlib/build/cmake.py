# SPDX-License-Identifier: MIT
# Configures and builds the CMake project inside the build root: `host` (x86-64 unit tests)
# and one cross tree per architecture profile (/build/<build_dir>, the static kvmct-suite, with
# the profile's toolchain file). Configure runs only when build.ninja is missing.
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .. import arch
from ..acquire.buildroot import BuildRoot
from ..errors import KvmctError
from ..log import Progress
from ..paths import repo_root


@dataclass(frozen=True)
class Flavour:
    name: str
    configure_args: tuple[str, ...] = ()
    toolchain: str = ""  # the toolchain file, relative to the checkout ('' for host)
    profile_file: Path | None = None  # where the toolchain file is named, for errors


HOST = Flavour("host")
# Every compile goes through ccache (buildroot.ccache_env() places its store in the cache).
COMPILER_LAUNCHER = ("-DCMAKE_C_COMPILER_LAUNCHER=ccache", "-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")


def target(p: arch.Profile) -> Flavour:
    """The suite's cross build for one architecture."""
    return Flavour(p.build_dir, (f"-DCMAKE_TOOLCHAIN_FILE=/src/{p.cmake_toolchain}",),
                   p.cmake_toolchain, p.folder / arch.PROFILE)


def targets() -> tuple[Flavour, ...]:
    return tuple(target(p) for p in arch.every())


def suite_binary(p: arch.Profile) -> str:
    """kvmct-suite under the build directory."""
    return f"{target(p).name}/suites/kvmct-suite"


class BuildError(KvmctError, RuntimeError):
    pass


def _run(root: BuildRoot, cmd: list[str], what: str) -> None:
    done = subprocess.run(root.chroot().argv(cmd), capture_output=True,
                          stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        out = (done.stdout + done.stderr).decode(errors="replace").splitlines()
        raise BuildError(f"{what} failed ({done.returncode}):\n" + "\n".join(out[-60:]))


# Names the checkout a build directory was last built from (it is mounted at /src for all).
SOURCE_STAMP = "source-tree"


def claim(build: Path, source: Path, names: tuple[str, ...], progress: Progress) -> None:
    """Two checkouts share one cache but not one set of objects: ninja compares times only,
    so objects built from a newer checkout would hide an edit in this one. A build tree
    last built from another checkout is emptied first."""
    stamp = build / SOURCE_STAMP
    previous = stamp.read_text().strip() if stamp.is_file() else ""
    if previous and previous != str(source):
        progress.step(f"{build} was last built from {previous}: rebuilding it for {source}")
        for name in names:
            shutil.rmtree(build / name, ignore_errors=True)
    build.mkdir(parents=True, exist_ok=True)
    stamp.write_text(f"{source}\n")


def missing_toolchain(flavour: Flavour, source: Path) -> str:
    """'' when the flavour's toolchain file exists in the checkout, else the error naming it."""
    if not flavour.toolchain or (source / flavour.toolchain).is_file():
        return ""
    return (f"the {flavour.name} build needs the CMake toolchain file {source / flavour.toolchain}"
            f", which does not exist (named by toolchain.cmake_toolchain in "
            f"{flavour.profile_file})")


def ensure(root: BuildRoot, progress: Progress,
           flavours: tuple[Flavour, ...] | None = None) -> None:
    build = root.cache.build_dir(root.key)
    flavours = flavours or (HOST, *targets())
    claim(build, repo_root(), (HOST.name, *(t.name for t in targets())), progress)
    for flavour in flavours:
        missing = missing_toolchain(flavour, repo_root())
        if missing:
            raise BuildError(missing)
        inside = f"/build/{flavour.name}"
        if not (build / flavour.name / "build.ninja").is_file():
            progress.step(f"configuring {flavour.name} build ({build / flavour.name})")
            _run(root, ["cmake", "-S", "/src", "-B", inside, "-G", "Ninja",
                        *COMPILER_LAUNCHER, *flavour.configure_args], f"cmake configure ({flavour.name})")
        progress.step(f"building {flavour.name}")
        _run(root, ["cmake", "--build", inside], f"build ({flavour.name})")
