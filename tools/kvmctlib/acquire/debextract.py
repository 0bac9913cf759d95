# SPDX-License-Identifier: MIT
# Streams a .deb's data archive (dpkg-deb --fsys-tarfile) and keeps only wanted files,
# so a 110 MB kernel package never lands on disk unpacked in full.
from __future__ import annotations

import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Callable

from ..errors import KvmctError


def copy_member(archive: tarfile.TarFile, member: tarfile.TarInfo, out: Path) -> None:
    """Write one regular file of a streamed archive to `out` (parents made), in order."""
    out.parent.mkdir(parents=True, exist_ok=True)
    src = archive.extractfile(member)
    assert src is not None
    with open(out, "wb") as f:
        shutil.copyfileobj(src, f)


def extract(deb: Path, dest: Path, want: Callable[[str], str | None]) -> list[str]:
    """Extract regular files for which want(name) gives a relative target path.

    Names are normalised without the leading "./". Returns every regular file name in the
    package (the file list), wanted or not.
    """
    names: list[str] = []
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|") as archive:
            for member in archive:
                if not member.isfile():
                    continue
                name = member.name.removeprefix("./")
                names.append(name)
                target = want(name)
                if target is None:
                    continue
                copy_member(archive, member, dest / target)
    finally:
        proc.stdout.close()
        rc = proc.wait()
    if rc != 0:
        raise KvmctError(f"dpkg-deb --fsys-tarfile {deb} exited {rc}")
    return names
