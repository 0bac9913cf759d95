# SPDX-License-Identifier: MIT
# Configures and builds the CMake project inside the build root: `host` (x86-64 unit tests)
# and `riscv64` (the static kvmct-suite). Configure runs only when build.ninja is missing.
from __future__ import annotations

import subprocess
from dataclasses import dataclass

from .errors import KvmctError
from .buildroot import BuildRoot
from .log import Progress


@dataclass(frozen=True)
class Flavour:
    name: str
    configure_args: tuple[str, ...] = ()


HOST = Flavour("host")
RISCV64 = Flavour("riscv64",
                  ("-DCMAKE_TOOLCHAIN_FILE=/src/cmake/riscv64-linux-gnu.cmake",))
FLAVOURS = (HOST, RISCV64)
SUITE_BINARY = "riscv64/suites/kvmct-suite"  # under the build directory


class BuildError(KvmctError, RuntimeError):
    pass


def _run(root: BuildRoot, cmd: list[str], what: str) -> None:
    done = subprocess.run(root.chroot().argv(cmd), capture_output=True,
                          stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        out = (done.stdout + done.stderr).decode(errors="replace").splitlines()
        raise BuildError(f"{what} failed ({done.returncode}):\n" + "\n".join(out[-60:]))


def ensure(root: BuildRoot, progress: Progress,
           flavours: tuple[Flavour, ...] = FLAVOURS) -> None:
    build = root.cache.build_dir(root.key)
    for flavour in flavours:
        inside = f"/build/{flavour.name}"
        if not (build / flavour.name / "build.ninja").is_file():
            progress.step(f"configuring {flavour.name} build ({build / flavour.name})")
            _run(root, ["cmake", "-S", "/src", "-B", inside, "-G", "Ninja",
                        *flavour.configure_args], f"cmake configure ({flavour.name})")
        progress.step(f"building {flavour.name}")
        _run(root, ["cmake", "--build", inside], f"build ({flavour.name})")
