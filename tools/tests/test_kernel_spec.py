# SPDX-License-Identifier: MIT
# `run --kernel SPEC` parsing: the dispatch order of CONTRACT.md section 1, several .deb
# arguments as one kernel, and the refusal of anything else.
from __future__ import annotations

from pathlib import Path

import pytest

from kvmctlib.acquire import kernel_spec as ks
from kvmctlib.commands import run


def test_each_form(tmp_path: Path) -> None:
    image = tmp_path / "Image"
    image.write_bytes(b"")
    assert ks.parse("built:linux-source-7.3") == ks.Built("linux-source-7.3")
    assert ks.parse("debian:7.2.11+deb13") == ks.DebianVersion("7.2.11+deb13")
    assert ks.parse("x/linux-image-7.2_riscv64.deb") == ks.Debs((Path("x/linux-image-7.2_riscv64.deb"),))
    assert ks.parse(str(image)) == ks.Image(image)
    assert ks.parse("trixie-backports") == ks.Suite("trixie-backports")


def test_an_existing_file_comes_before_a_suite_name(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert ks.parse("sid") == ks.Suite("sid")
    (tmp_path / "sid").write_bytes(b"")
    assert ks.parse("sid") == ks.Image(Path("sid"))


@pytest.mark.parametrize("arg", ["bookworm", "debian:", "built:", "debian:7.2 x", "built:a/b",
                                 "/no/such/Image"])
def test_refused(arg: str) -> None:
    with pytest.raises(ks.KernelSpecError):
        ks.parse(arg)


def test_debs_form_one_kernel_at_the_first() -> None:
    parsed = ks.parse_all(("trixie", "a/image.deb", "sid", "b/modules.deb", "trixie"))
    assert [p.arg for p in parsed] == ["trixie", "a/image.deb", "sid", "trixie"]
    assert parsed[1].spec == ks.Debs((Path("a/image.deb"), Path("b/modules.deb")))


def test_validate_reports_every_bad_kernel(tmp_path: Path) -> None:
    errors = run.validate(run.Options(kernels=("bookworm", str(tmp_path / "none.deb"), "sid",
                                               "debian:"), cpus=("rv64",)))
    assert len(errors) == 3
    assert "bookworm" in errors[0] and "debian:" in errors[1] and "none.deb" in errors[2]
