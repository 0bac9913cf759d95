# SPDX-License-Identifier: MIT
# `run --kernel built:NAME`: a kernel `kvmct kernel --source` stored under
# kernels/<arch>/built-NAME/,
# built on demand when NAME is linux-source-X.Y (Debian's source package of that series).
from __future__ import annotations

import json
import re

from ..errors import KvmctError
from ..log import Progress
from ..paths import Cache
from .. import arch
from .kernels import CONFIG, Kernel, directory as directory_of

_DEBIAN_SOURCE = re.compile(r"linux-source-\d+\.\d+")


def _stored(cache: Cache, profile: arch.Profile, name: str) -> Kernel | None:
    directory = directory_of(cache, profile, f"built-{name}")
    meta = directory / "kernel.json"
    if not (meta.is_file() and (directory / "Image").is_file()):
        return None
    data = json.loads(meta.read_text())
    header = data.get("uapi_header")
    return Kernel(name=f"built-{name}", image=directory / "Image", modules=directory / "modules",
                  arch=profile.name,
                  release=data["release"], package=data.get("package", ""),
                  version=data.get("version", ""), suite=data.get("suite", ""),
                  banner=data.get("banner", ""), kvm=data.get("kvm", ""),
                  uapi_header=directory / header if header else None,
                  provenance=data.get("provenance", ""),
                  config=directory / CONFIG if (directory / CONFIG).is_file() else None)


def architectures(cache: Cache, name: str) -> tuple[str, ...]:
    """The architectures that have a built kernel NAME already."""
    return tuple(p.name for p in arch.every() if _stored(cache, p, name) is not None)


def load(cache: Cache, profile: arch.Profile, name: str, progress: Progress) -> Kernel:
    """The built kernel NAME; `linux-source-X.Y` is built from Debian's package when it is
    not built yet (a first build takes ~15 minutes on 2 cores)."""
    found = _stored(cache, profile, name)
    if found is not None:
        return found
    if not _DEBIAN_SOURCE.fullmatch(name):
        raise KvmctError(f"--kernel built:{name}: no such built kernel; build it with "
                         f"`tools/kvmct kernel --source PATH|TARBALL --name {name}`")
    from ..build import kernel_build, kernel_source_tree  # the build side, only when building
    progress.step(f"--kernel built:{name}: not built yet, building it from Debian's {name}")
    tree = kernel_source_tree.resolve(cache, profile, f"debian:{name}", progress)
    kernel_build.build(cache, kernel_build.Request(tree, name, None, kernel_build.default_jobs(),
                                                   profile), progress)
    built = _stored(cache, profile, name)
    assert built is not None
    return built
