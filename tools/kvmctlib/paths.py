# SPDX-License-Identifier: MIT
# Where kvmct keeps things: the cache layout and the repository root, computed, never global.
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def repo_root() -> Path:
    """The kvmct checkout this package lives in (tools/kvmctlib/ is two levels down)."""
    return Path(__file__).resolve().parent.parent.parent


def cache_root(env: dict[str, str] | None = None) -> Path:
    """${KVMCT_CACHE:-${XDG_CACHE_HOME:-~/.cache}/kvmct}."""
    env = dict(os.environ) if env is None else env
    if env.get("KVMCT_CACHE"):
        return Path(env["KVMCT_CACHE"]).expanduser().resolve()
    xdg = env.get("XDG_CACHE_HOME") or str(Path("~/.cache").expanduser())
    return (Path(xdg) / "kvmct").resolve()


@dataclass(frozen=True)
class Cache:
    """The directories under the cache root; each has one owner module."""

    root: Path

    def build_root(self, key: str) -> Path:
        return self.root / f"root-{key}"

    def build_dir(self, key: str) -> Path:
        """CMake build trees, one per build root (a new root invalidates them)."""
        return self.root / f"build-{key}"

    @property
    def apt(self) -> Path:
        return self.root / "apt"

    @property
    def kernels(self) -> Path:
        return self.root / "kernels"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    @property
    def ccache(self) -> Path:
        """ccache's objects for every compiler kvmct runs: its CMake trees, kvm.ko, kernels."""
        return self.root / "ccache"

    @property
    def kvm_module(self) -> Path:
        """`kvmct kvm-module`: its build roots, unpacked sources and kvm.ko build trees."""
        return self.root / "kvm-module"

    @property
    def kernel_build(self) -> Path:
        """`kvmct kernel --source`: Debian source tarballs, unpacked trees, O= build trees."""
        return self.root / "kernel-build"
