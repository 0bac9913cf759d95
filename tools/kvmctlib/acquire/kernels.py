# SPDX-License-Identifier: MIT
# The kernels cells boot: Debian riscv64 packages resolved at setup time (never a hard-coded
# version), unpacked to an image plus a module tree, and recorded in kernel.json.
from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .. import arch
from . import custom_kernel, debextract
from .aptfetch import PrivateApt
from .deb822 import kernel_closure
from ..errors import KvmctError
from ..log import Progress
from ..paths import Cache


@dataclass(frozen=True)
class KernelSource:
    """A named default kernel: the newest kernel of a Debian suite for the profile's
    architecture."""

    name: str
    suite: str

    @property
    def meta(self) -> str:
        return arch.load().kernel_meta


DEFAULT_KERNELS = (KernelSource("trixie", "trixie"), KernelSource("sid", "sid"))


@dataclass(frozen=True)
class Kernel:
    name: str
    image: Path
    modules: Path | None  # a tree searched recursively for *.ko*; None: all built in
    release: str = ""  # uname -r, when known before boot
    package: str = ""  # the versioned Debian package, e.g. linux-image-6.12.107+deb13-riscv64
    version: str = ""  # its Debian version
    suite: str = ""
    banner: str = ""  # a PATH kernel: the image's "Linux version ..." line
    kvm: str = ""  # a PATH kernel: where KVM comes from: module | builtin | replaced
    uapi_header: Path | None = None  # the kernel's uapi asm/kvm.h, when its source is at hand
    provenance: str = ""  # where it came from: "debian trixie", "local .deb", "built from <src>"

    def describe(self) -> dict[str, str]:
        d = {"name": self.name, "package": self.package, "version": self.version,
             "suite": self.suite, "release": self.release, "image": str(self.image)}
        d.update({k: v for k, v in (("banner", self.banner), ("kvm", self.kvm)) if v})
        return d


_MODULE_TREE = re.compile(r"^(?:usr/)?lib/modules/([^/]+)/(kernel/.*\.ko(?:\.xz|\.gz|\.zst)?)$")
_IMAGE = re.compile(r"^(?:boot/vmlinu[xz]-(?P<a>[^/]+)|(?:usr/)?lib/modules/(?P<b>[^/]+)/vmlinuz)$")


def _want(name: str) -> str | None:
    if _IMAGE.match(name):
        return "Image"
    m = _MODULE_TREE.match(name)
    return f"modules/{m.group(2)}" if m else None


def release_from_files(names: list[str]) -> str:
    """The kernel release (the directory under lib/modules/, or the image suffix)."""
    for name in names:
        m = _IMAGE.match(name)
        if m:
            return m.group("a") or m.group("b")
    for name in names:
        m = _MODULE_TREE.match(name)
        if m:
            return m.group(1)
    return ""


def _dir(cache: Cache, name: str) -> Path:
    return cache.kernels / name


def load(cache: Cache, name: str) -> Kernel | None:
    meta = _dir(cache, name) / "kernel.json"
    if not meta.is_file():
        return None
    data = json.loads(meta.read_text())
    return Kernel(name=data["name"], image=_dir(cache, name) / "Image",
                  modules=_dir(cache, name) / "modules", release=data["release"],
                  package=data["package"], version=data["version"], suite=data["suite"])


def fetch(cache: Cache, source: KernelSource, progress: Progress) -> Kernel:
    """Resolve the suite's newest kernel, download its packages, unpack image + modules."""
    apt = PrivateApt(cache.apt / source.suite, source.suite)
    progress.step(f"kernel {source.name}: apt-get update ({source.suite}, "
                  f"{arch.load().debian_arch})")
    apt.update()
    closure = kernel_closure(source.meta, apt.show)
    files = [s for s in closure if s["Package"] != source.meta]
    if not files:
        raise KvmctError(f"{source.meta} in {source.suite} depends on no kernel package")
    top = files[0]
    progress.step(f"kernel {source.name}: {top['Package']} {top['Version']}: downloading "
                  + ", ".join(s["Package"] for s in files))
    final = _dir(cache, source.name)
    work = final.with_name(final.name + ".tmp")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    names: list[str] = []
    for stanza in files:
        deb = apt.download(stanza)
        names += debextract.extract(deb, work, _want)
        deb.unlink()
    if not (work / "Image").is_file():
        raise KvmctError(f"no kernel image in {', '.join(s['Package'] for s in files)}")
    kernel = {
        "name": source.name, "suite": source.suite, "package": top["Package"],
        "version": top["Version"], "release": release_from_files(names),
        "packages": [{"name": s["Package"], "version": s["Version"]} for s in files],
    }
    (work / "kernel.json").write_text(json.dumps(kernel, indent=2) + "\n")
    if final.exists():
        shutil.rmtree(final)
    work.rename(final)
    loaded = load(cache, source.name)
    assert loaded is not None
    return loaded


def ensure(cache: Cache, progress: Progress, refresh: bool = False,
           sources: tuple[KernelSource, ...] = DEFAULT_KERNELS) -> list[Kernel]:
    """The default kernels, fetched (in parallel) only when missing or on refresh."""
    todo = [s for s in sources if refresh or load(cache, s.name) is None]
    if todo:
        with ThreadPoolExecutor(max_workers=len(todo)) as pool:
            list(pool.map(lambda s: fetch(cache, s, progress), todo))
    found = [load(cache, s.name) for s in sources]
    return [k for k in found if k is not None]


def from_path(image: Path, modules: Path | None, kvm_module: Path | None = None,
              found: custom_kernel.Inspection | None = None) -> Kernel:
    """A kernel the user built: an Image file and optionally its module tree. Its release
    comes from the image's banner (`found`, when run.validate inspected it already); a kernel
    without KVM raises KernelImageError."""
    if not image.is_file():
        raise KvmctError(f"kernel image {image} does not exist")
    if found is None:
        found = custom_kernel.inspect(image, modules, kvm_module)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", image.name)
    version = ""
    m = re.match(r"\d+\.\d+(\.\d+)?(-rc\d+)?", found.release)
    if m:
        version = m.group(0)
    return Kernel(name=name, image=image.resolve(), modules=found.modules,
                  release=found.release, version=version,
                  banner=found.facts.banner if found.facts else "", kvm=found.kvm)


def describe_all(kernels: list[Kernel]) -> str:
    return "\n".join(f"{k.name}\t{k.suite}\t{k.package}\t{k.version}\t{k.release}"
                     for k in kernels)

