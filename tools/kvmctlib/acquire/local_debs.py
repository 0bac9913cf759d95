# SPDX-License-Identifier: MIT
# `run --kernel a.deb [--kernel b.deb ...]`: the packages a distro's kernel build produced, as
# ONE kernel: the image package, or its split binary (vmlinuz) + modules packages, checked
# from their control fields before anything is unpacked.
from __future__ import annotations

import hashlib
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import custom_kernel, kernels
from ..arch import Profile
from ..cell import modules
from .deb822 import UAPI_PACKAGE, Relation, Stanza, parse_depends, parse_stanzas
from ..errors import KvmctError
from ..log import Progress
from ..paths import Cache

PROVENANCE = "local .deb"
# The kinds of package a kernel build produces: the image (in split kernels an empty package
# that depends on the other two), the binary (vmlinuz), the modules (Ubuntu: + -extra).
_KIND = re.compile(r"^linux-(?P<kind>image|binary|modules|modules-extra)-(?P<rel>\d\S*?)"
                   r"(?P<unsigned>-unsigned)?$")
# Built beside a kernel, without files a cell boots: accepted and left out.
_BESIDE = re.compile(r"^linux-(headers|kbuild|libc-dev|support|doc|source)-|^linux-base-")


class LocalDebError(KvmctError, ValueError):
    pass


@dataclass(frozen=True)
class LocalDeb:
    path: Path
    control: Stanza

    @property
    def package(self) -> str:
        return self.control.get("Package", "")


@dataclass(frozen=True)
class KernelDebs:
    """The packages of one kernel, the one carrying the image first."""

    release: str  # the <abi>-<flavour> part of the names, e.g. 7.2.9+deb13-riscv64
    debs: tuple[LocalDeb, ...]
    ignored: tuple[LocalDeb, ...]  # headers and the like
    uapi: LocalDeb | None = None  # linux-libc-dev of the same version: the kernel's asm/kvm.h

    @property
    def name(self) -> str:
        return f"deb-{self.release}"


def _named(debs: list[LocalDeb] | tuple[LocalDeb, ...]) -> str:
    return ", ".join(f"{d.package} ({d.path.name})" for d in debs)


def architecture(debs: list[LocalDeb]) -> str:
    """The Debian architecture of the kernel packages (`all` ones aside); LocalDebError when
    they name none or several."""
    found = sorted({d.control.get("Architecture", "") for d in debs if _KIND.match(d.package)}
                   - {"all", ""})
    if len(found) != 1:
        raise LocalDebError(f"the kernel packages among {_named(debs)} are for "
                            f"{', '.join(found) or 'no architecture'}: give one architecture's")
    return found[0]


def group(debs: list[LocalDeb], arch: str) -> KernelDebs:
    """One kernel from the given packages, or LocalDebError naming what is wrong: a package
    that is not a kernel's, two kernels, a -dbg package, another architecture, or a package
    the image depends on that was not given."""
    kernel: list[tuple[str, LocalDeb]] = []
    ignored: list[LocalDeb] = []
    uapi = [d for d in debs if d.package == UAPI_PACKAGE]
    for d in debs:
        pkg = d.package
        if pkg == UAPI_PACKAGE:
            continue
        if pkg.endswith("-dbg"):
            raise LocalDebError(f"{d.path}: {pkg} holds debug symbols, not a kernel to boot")
        if _BESIDE.match(pkg):
            ignored.append(d)
            continue
        m = _KIND.match(pkg)
        if not m:
            raise LocalDebError(f"{d.path}: {pkg or 'no Package field'} is not a kernel "
                                "package (linux-image-*, linux-binary-*, linux-modules-*)")
        if d.control.get("Architecture", arch) not in (arch, "all"):
            raise LocalDebError(f"{d.path}: {pkg} is for {d.control['Architecture']}, "
                                f"not {arch}")
        kernel.append((m.group("rel"), d))
    releases = sorted({r for r, _ in kernel})
    if len(releases) > 1:
        raise LocalDebError("the .deb files hold more than one kernel ("
                            + "; ".join(f"{r}: {_named([d for q, d in kernel if q == r])}"
                                        for r in releases)
                            + "); give one kernel's packages per run")
    if not kernel:
        raise LocalDebError(f"no kernel package among {_named(debs)}: give the "
                            "linux-image-* package (and linux-binary-* / linux-modules-* "
                            "where the kernel is split)")
    release = releases[0]
    given = {d.package for _, d in kernel}
    kinds = {_KIND.match(d.package).group("kind"): d for _, d in kernel}  # type: ignore[union-attr]
    if "image" not in kinds and "binary" not in kinds:
        raise LocalDebError(f"no image package among {_named([d for _, d in kernel])}: add "
                            f"linux-image-{release} (or linux-binary-{release})")
    for _, d in kernel:
        needed = [g[0] for g in parse_depends(d.control.get("Depends", ""))
                  if _KIND.match(g[0].name) and g[0].name not in given]
        if needed:
            raise LocalDebError(f"{d.package} depends on {_relations(needed)}, which were "
                                "not given: pass each as another --kernel")
    order = ("image", "binary", "modules", "modules-extra")
    ranked = sorted((d for _, d in kernel),
                    key=lambda d: order.index(_KIND.match(d.package).group("kind")))  # type: ignore[union-attr]
    version = ranked[0].control.get("Version", "")
    for u in uapi:
        if u.control.get("Version", "") != version or len(uapi) > 1:
            raise LocalDebError(f"{_named(uapi)}: give the one {UAPI_PACKAGE} of the kernel's "
                                f"version {version} (its asm/kvm.h names the kernel's ids)")
    return KernelDebs(release, tuple(ranked), tuple(ignored), uapi[0] if uapi else None)


def _relations(rels: list[Relation]) -> str:
    return ", ".join(f"{r.name} ({r.op} {r.version})" if r.op else r.name for r in rels)


def read(paths: list[Path]) -> list[LocalDeb]:
    """The control stanza of each .deb (dpkg-deb -f), or LocalDebError for a file that is
    not one."""
    out = []
    for p in paths:
        if not p.is_file():
            raise LocalDebError(f"--kernel {p}: no such file")
        done = subprocess.run(["dpkg-deb", "-f", str(p)], capture_output=True,
                              stdin=subprocess.DEVNULL)
        stanzas = parse_stanzas(done.stdout.decode(errors="replace"))
        if done.returncode != 0 or not stanzas:
            raise LocalDebError(f"--kernel {p}: not a Debian package (dpkg-deb -f: "
                                f"{done.stderr.decode(errors='replace').strip()})")
        out.append(LocalDeb(p, stanzas[0]))
    return out


def _digest(debs: tuple[LocalDeb, ...]) -> list[dict[str, str]]:
    out = []
    for d in debs:
        h = hashlib.sha256()
        with open(d.path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        out.append({"name": d.package, "sha256": h.hexdigest()})
    return out


def load(cache: Cache, profile: Profile, found: KernelDebs,
         progress: Progress) -> kernels.Kernel:
    """Unpack the packages as kernels/<arch>/deb-<release>/ (again only when their contents
    changed) and check that KVM is there, as a module or built in."""
    digest = _digest(found.debs + ((found.uapi,) if found.uapi else ()))
    meta = kernels.directory(cache, profile, found.name) / "kernel.json"
    loaded = kernels.load(cache, profile, found.name)
    if loaded is None or json.loads(meta.read_text()).get("debs") != digest:
        for d in found.ignored:
            progress.step(f"kernel {found.name}: {d.package}: no files a cell boots, left out")
        progress.step(f"kernel {found.name}: unpacking {_named(found.debs)}")
        debs = found.debs + ((found.uapi,) if found.uapi else ())
        loaded = kernels.unpack(cache, profile, found.name, [(d.control, d.path) for d in debs],
                                {"suite": "", "provenance": PROVENANCE, "debs": digest},
                                keep=True)
    has_ko = loaded.modules is not None and "kvm" in modules.index_tree(loaded.modules)
    if not has_ko and not custom_kernel.read_image(loaded.image).kvm_builtin:
        if not profile.kvm_modular:
            raise LocalDebError(f"no KVM in {_named(found.debs)}: the image does not have KVM "
                                f"built in (CONFIG_KVM=y), and {profile.name} KVM cannot be a "
                                "module")
        raise LocalDebError(f"no KVM in {_named(found.debs)}: none holds kvm.ko and the image "
                            "does not have KVM built in (CONFIG_KVM=y); add the "
                            f"linux-modules-{found.release} package")
    return loaded
