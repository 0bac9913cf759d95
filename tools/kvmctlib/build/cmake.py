# SPDX-License-Identifier: MIT
# Configures and builds the CMake project inside the build root: `host` (x86-64 unit tests)
# and `riscv64` (the static kvmct-suite). Configure runs only when build.ninja is missing.
from __future__ import annotations

import subprocess
from dataclasses import dataclass

from .. import arch
from ..acquire.buildroot import BuildRoot
from ..errors import KvmctError
from ..log import Progress


@dataclass(frozen=True)
class Flavour:
    name: str
    configure_args: tuple[str, ...] = ()


HOST = Flavour("host")


def target() -> Flavour:
    """The suite's cross build for the profile's architecture."""
    p = arch.load()
    return Flavour(p.build_dir, (f"-DCMAKE_TOOLCHAIN_FILE=/src/{p.cmake_toolchain}",))


def suite_binary() -> str:
    """kvmct-suite under the build directory."""
    return f"{target().name}/suites/kvmct-suite"


class BuildError(KvmctError, RuntimeError):
    pass


def _run(root: BuildRoot, cmd: list[str], what: str) -> None:
    done = subprocess.run(root.chroot().argv(cmd), capture_output=True,
                          stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        out = (done.stdout + done.stderr).decode(errors="replace").splitlines()
        raise BuildError(f"{what} failed ({done.returncode}):\n" + "\n".join(out[-60:]))


def ensure(root: BuildRoot, progress: Progress,
           flavours: tuple[Flavour, ...] | None = None) -> None:
    build = root.cache.build_dir(root.key)
    for flavour in flavours or (HOST, target()):
        inside = f"/build/{flavour.name}"
        if not (build / flavour.name / "build.ninja").is_file():
            progress.step(f"configuring {flavour.name} build ({build / flavour.name})")
            _run(root, ["cmake", "-S", "/src", "-B", inside, "-G", "Ninja",
                        *flavour.configure_args], f"cmake configure ({flavour.name})")
        progress.step(f"building {flavour.name}")
        _run(root, ["cmake", "--build", inside], f"build ({flavour.name})")
