# SPDX-License-Identifier: MIT
# Which cells a run boots: architectures from --arch or what the arguments imply, each one's
# matrix, the --kernel / --cpu arguments that belong to it, and unique cell names.
from __future__ import annotations

from pathlib import Path

import pytest

from kvmctlib import arch, selection


def axes(arches: list[str] | None = None, matrix: str | None = None,
         kernels: list[str] | None = None, cpus: list[str] | None = None,
         bound: dict[str, str] | None = None) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    got = selection.select(arches, matrix, kernels, cpus, bound or {}, arch.every())
    return {a.profile.name: (a.kernels, tuple(m.name for m in a.cpus)) for a in got}


def test_no_argument_runs_every_architectures_default_matrix() -> None:
    assert axes() == {"arm64": (("trixie", "sid"), ("max-vhe",)),
                      "riscv64": (("trixie", "sid"), ("rv64",))}


def test_arch_restricts_and_repeats() -> None:
    assert list(axes(["arm64"])) == ["arm64"]
    assert list(axes(["riscv64", "arm64", "riscv64"])) == ["arm64", "riscv64"]
    with pytest.raises(selection.SelectionError, match="--arch x86: no such architecture"):
        axes(["x86"])


def test_a_matrix_only_one_architecture_has_selects_it() -> None:
    assert axes(matrix="arm64") == {"arm64": (("trixie", "sid"), ("max-vhe", "max-nvhe"))}
    assert list(axes(matrix="full")) == ["riscv64"]
    with pytest.raises(selection.SelectionError, match="--matrix nope: no such matrix"):
        axes(matrix="nope")
    with pytest.raises(selection.SelectionError, match="--matrix arm64: no such matrix"):
        axes(["riscv64"], matrix="arm64")


def test_a_named_cpu_replaces_its_own_architectures_axis() -> None:
    assert axes(cpus=["max-nvhe"]) == {"arm64": (("trixie", "sid"), ("max-nvhe",))}
    assert axes(["arm64", "riscv64"], cpus=["max-nvhe"]) == {
        "arm64": (("trixie", "sid"), ("max-nvhe",)), "riscv64": (("trixie", "sid"), ("rv64",))}
    assert axes(cpus=["rv64,zicboz=false"]) == {
        "riscv64": (("trixie", "sid"), ("rv64-no-zicboz",))}
    with pytest.raises(selection.SelectionError, match="--cpu max-nvhe: a CPU model of arm64"):
        axes(["riscv64"], cpus=["max-nvhe"])


def test_a_raw_cpu_needs_one_architecture() -> None:
    with pytest.raises(selection.SelectionError, match="--cpu cortex-a57: not a CPU model of "
                                                       "exactly one architecture"):
        axes(cpus=["cortex-a57"])
    assert axes(["arm64"], cpus=["cortex-a57"]) == {"arm64": (("trixie", "sid"), ("cortex-a57",))}


def test_kernels_apply_per_architecture() -> None:
    assert axes(kernels=["sid"]) == {"arm64": (("sid",), ("max-vhe",)),
                                     "riscv64": (("sid",), ("rv64",))}
    # a user's arm64 Image runs on arm64 only, with the unbound kernels beside it
    assert axes(kernels=["Image", "sid"], bound={"Image": "arm64"}) == {
        "arm64": (("Image", "sid"), ("max-vhe",))}
    assert axes(["arm64", "riscv64"], kernels=["Image", "sid"], bound={"Image": "arm64"}) == {
        "arm64": (("Image", "sid"), ("max-vhe",)), "riscv64": (("sid",), ("rv64",))}
    with pytest.raises(selection.SelectionError, match="--cpu rv64: a CPU model of riscv64, "
                                                       "but no --kernel of the run is a kernel"):
        axes(kernels=["Image"], cpus=["rv64"], bound={"Image": "arm64"})
    with pytest.raises(selection.SelectionError, match="--kernel Image: a kernel of arm64"):
        axes(["riscv64"], kernels=["Image"], bound={"Image": "arm64"})
    with pytest.raises(selection.SelectionError, match="--arch riscv64: none of the --kernel"):
        axes(["arm64", "riscv64"], kernels=["Image"], bound={"Image": "arm64"})


def test_cell_names_are_unique() -> None:
    assert selection.cell_names([("trixie", "rv64"), ("trixie", "max-vhe"),
                                 ("my kernel", "max")]) == [
        "trixie-rv64", "trixie-max-vhe", "my_kernel-max"]
    with pytest.raises(selection.SelectionError, match="cell trixie-max: both trixie x max and "
                                                       "trixie x max"):
        selection.cell_names([("trixie", "max"), ("trixie", "max")])


def test_a_matrix_two_architectures_have_is_ambiguous(tmp_path: Path) -> None:
    for p in arch.every():  # both shipped profiles, each with a cpus.toml that has `shared`
        folder = tmp_path / p.folder.name
        folder.mkdir()
        (folder / arch.PROFILE).write_text((p.folder / arch.PROFILE).read_text())
        (folder / arch.CPUS).write_text(p.cpus.read_text() + '\n[matrices.shared]\nkernels = '
                                        f'["sid"]\ncpus = ["{p.default_cpu}"]\n')
    both = tuple(arch.discover(tmp_path).values())
    with pytest.raises(selection.SelectionError, match="--matrix shared: ambiguous, arm64, "
                                                       "riscv64 all have it"):
        selection.select(None, "shared", None, None, {}, both)
    one = selection.select(["arm64"], "shared", None, None, {}, both)
    assert [(a.profile.name, a.kernels) for a in one] == [("arm64", ("sid",))]
