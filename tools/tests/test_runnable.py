# SPDX-License-Identifier: MIT
# `kvmct kernels --list`: which offer of a suite `--kernel SUITE` takes (the newest with all
# its files), built kernels as built:NAME, and a suite that cannot be read.
from __future__ import annotations

from pathlib import Path

from kvmctlib.acquire import archive, kernels, runnable


def offer(abi: str, version: str) -> archive.Offer:
    files = ({"Package": f"linux-image-{abi}-riscv64", "Version": version,
              "Filename": f"pool/linux-image-{abi}.deb"},)
    return archive.Offer("trixie-backports", files[0]["Package"], version, abi, files)


def kernel(name: str, provenance: str) -> kernels.Kernel:
    return kernels.Kernel(name, Path("/c") / name / "Image", None, release="7.3.0",
                          provenance=provenance)


def listing() -> list[str]:
    offers = [offer("7.3.4+deb13", "7.3.4-1~bpo13+1"), offer("7.2.11+deb13", "7.2.11-1~bpo13+1"),
              offer("7.2.9+deb13", "7.2.9-1~bpo13+1")]
    bpo = runnable.gather("trixie-backports", lambda s: offers,
                          lambda p: 404 if "7.3.4" in p else 200)

    def unreadable(suite: str) -> list[archive.Offer]:
        raise archive.NoSuchKernelVersion(f"{suite}: index unreadable")

    return runnable.render(
        [(kernel("trixie", "debian trixie"), "trixie"),
         (kernel("built-linux-source-7.3", "built from linux-source-7.3.tar.xz"),
          "built:linux-source-7.3"),
         (kernel("deb-7.2.9+deb13-riscv64", "local .deb"), "")],
        [bpo, runnable.gather("sid", unreadable, lambda p: 200),
         runnable.SuiteListing("experimental", [])]).splitlines()


def line(text: str) -> str:
    found = [ln for ln in listing() if text in ln]
    assert len(found) == 1, (text, found)
    return found[0]


def test_the_suite_pick_is_the_newest_downloadable() -> None:
    assert "<- --kernel trixie-backports" in line("debian:7.2.11+deb13")
    assert "HTTP 404" in line("debian:7.3.4+deb13")
    assert "<-" not in line("debian:7.3.4+deb13") and "<-" not in line("debian:7.2.9+deb13")


def test_built_kernels_are_listed_as_built_specs() -> None:
    assert line("built:linux-source-7.3")
    assert line("  trixie ").lstrip().startswith("trixie")
    assert "local .deb" in line("<its .deb files>")


def test_an_unreadable_suite_is_shown_not_raised() -> None:
    assert line("sid: index unreadable")
    assert line("experimental:")
