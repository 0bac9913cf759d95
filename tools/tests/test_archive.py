# SPDX-License-Identifier: MIT
# What a suite's index offers, which offer `--kernel SUITE` takes when the newest one's pool
# files are gone (HTTP status as data), and the errors built from the stanzas.
from __future__ import annotations

import pytest

from kvmctlib.acquire import aptfetch, archive, deb822

# trixie-backports today, cut down: 7.3.4 split (image -> binary + modules), 7.2.11 the same,
# a -dbg and a meta package that are no offers, and an image whose modules are not indexed.
INDEX = """\
Package: linux-image-riscv64
Version: 7.3.4-1~bpo13+1
Depends: linux-image-7.3.4+deb13-riscv64 (= 7.3.4-1~bpo13+1)

Package: linux-image-7.3.4+deb13-riscv64
Version: 7.3.4-1~bpo13+1
Depends: dracut | initramfs-tools, linux-base-7.3.4+deb13-riscv64 (= 7.3.4-1~bpo13+1), linux-binary-7.3.4+deb13-riscv64 (= 7.3.4-1~bpo13+1), linux-modules-7.3.4+deb13-riscv64 (= 7.3.4-1~bpo13+1)
Filename: pool/main/l/linux/linux-image-7.3.4+deb13-riscv64_7.3.4-1~bpo13+1_riscv64.deb

Package: linux-binary-7.3.4+deb13-riscv64
Version: 7.3.4-1~bpo13+1
Filename: pool/main/l/linux/linux-binary-7.3.4+deb13-riscv64_7.3.4-1~bpo13+1_riscv64.deb

Package: linux-modules-7.3.4+deb13-riscv64
Version: 7.3.4-1~bpo13+1
Filename: pool/main/l/linux/linux-modules-7.3.4+deb13-riscv64_7.3.4-1~bpo13+1_riscv64.deb

Package: linux-image-7.3.4+deb13-riscv64-dbg
Version: 7.3.4-1~bpo13+1
Filename: pool/main/l/linux/linux-image-7.3.4+deb13-riscv64-dbg_7.3.4-1~bpo13+1_riscv64.deb

Package: linux-image-7.2.9+deb13-riscv64
Version: 7.2.9-1~bpo13+1
Depends: linux-binary-7.2.9+deb13-riscv64 (= 7.2.9-1~bpo13+1), linux-modules-7.2.9+deb13-riscv64 (= 7.2.9-1~bpo13+1)
Filename: pool/main/l/linux/linux-image-7.2.9+deb13-riscv64_7.2.9-1~bpo13+1_riscv64.deb

Package: linux-binary-7.2.9+deb13-riscv64
Version: 7.2.9-1~bpo13+1
Filename: pool/b-7.2.9.deb

Package: linux-image-7.2.11+deb13-riscv64
Version: 7.2.11-1~bpo13+1
Depends: linux-binary-7.2.11+deb13-riscv64 (= 7.2.11-1~bpo13+1), linux-modules-7.2.11+deb13-riscv64 (= 7.2.11-1~bpo13+1)
Filename: pool/i-7.2.11.deb

Package: linux-binary-7.2.11+deb13-riscv64
Version: 7.2.11-1~bpo13+1
Filename: pool/b-7.2.11.deb

Package: linux-modules-7.2.11+deb13-riscv64
Version: 7.2.11-1~bpo13+1
Filename: pool/m-7.2.11.deb

Package: linux-libc-dev
Version: 7.2.11-1~bpo13+1
Filename: pool/libc-dev-7.2.11.deb

Package: linux-libc-dev
Version: 7.2.9-1~bpo13+1
Filename: pool/libc-dev-7.2.9.deb

Package: linux-image-7.2.11+deb13-arm64
Version: 7.2.11-1~bpo13+1
Filename: pool/other-flavour.deb
"""


def offers() -> list[archive.Offer]:
    return archive.offers("trixie-backports", deb822.parse_stanzas(INDEX), "riscv64")


def test_offers_are_versioned_images_of_the_flavour_with_their_files_newest_first() -> None:
    found = offers()
    # 7.2.9's modules are not in the index: not runnable, not offered
    assert [(o.abi, o.version) for o in found] == [("7.3.4+deb13", "7.3.4-1~bpo13+1"),
                                                   ("7.2.11+deb13", "7.2.11-1~bpo13+1")]
    assert [s["Package"].split("-")[1] for s in found[0].files] == ["image", "binary", "modules"]


def test_an_offer_carries_the_uapi_headers_of_its_own_version() -> None:
    found = offers()
    assert found[0].headers is None  # 7.3.4: no linux-libc-dev of that version listed
    assert found[1].headers is not None and found[1].headers["Version"] == found[1].version
    assert all(s["Package"] != "linux-libc-dev" for o in found for s in o.files)


def gone_734(path: str) -> int:
    return 404 if "7.3.4" in path else 200


def test_a_suite_takes_the_newest_kernel_whose_files_exist() -> None:
    choice = archive.newest_available("trixie-backports", offers(), gone_734)
    assert choice.offer.abi == "7.2.11+deb13"
    assert [(m.package, m.status) for m in choice.skipped] == [
        ("linux-image-7.3.4+deb13-riscv64", 404)]
    assert archive.newest_available("trixie-backports", offers(), lambda p: 200).skipped == ()


def test_the_missing_file_error_names_package_version_and_path() -> None:
    m = archive.missing_files(offers()[0], gone_734)[0]
    assert (m.suite, m.package, m.version, m.path) == (
        "trixie-backports", "linux-image-7.3.4+deb13-riscv64", "7.3.4-1~bpo13+1",
        "pool/main/l/linux/linux-image-7.3.4+deb13-riscv64_7.3.4-1~bpo13+1_riscv64.deb")
    assert m.package in m.text() and f"{aptfetch.MIRROR}/{m.path}" in m.text()
    with pytest.raises(archive.ArchiveFileMissing) as e:
        archive.newest_available("trixie-backports", offers(), lambda p: 404)
    assert e.value.missing == m


def test_a_suite_without_kernels_is_an_error() -> None:
    with pytest.raises(archive.NoSuchKernelVersion):
        archive.newest_available("experimental", [], lambda p: 200)


def test_exact_versions_match_the_debian_version_or_the_name() -> None:
    assert [o.abi for o in archive.matching("7.2.11+deb13", offers())] == ["7.2.11+deb13"]
    assert [o.abi for o in archive.matching("7.3.4-1~bpo13+1", offers())] == ["7.3.4+deb13"]
    assert archive.matching("7.2.11", offers()) == []


def test_a_version_that_does_not_exist_names_the_closest() -> None:
    e = archive.not_found("7.2.10+deb13", offers(), ("trixie-backports",))
    assert str(e).endswith("closest: 7.3.4+deb13 (trixie-backports), "
                           "7.2.11+deb13 (trixie-backports)")
