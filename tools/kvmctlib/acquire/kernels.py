# SPDX-License-Identifier: MIT
# The kernels cells boot: Debian packages of one architecture resolved at setup time (never a
# hard-coded version), unpacked to an image plus a module tree under kernels/<arch>/<name>/,
# and recorded in kernel.json.
from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import arch
from . import archive, custom_kernel, debextract
from .aptfetch import AptError, PrivateApt
from .deb822 import Stanza
from ..errors import KvmctError
from ..log import Progress
from ..paths import Cache


@dataclass(frozen=True)
class KernelSource:
    """A named default kernel: the newest kernel of a Debian suite for the profile's
    architecture."""

    name: str
    suite: str


DEFAULT_KERNELS = (KernelSource("trixie", "trixie"), KernelSource("sid", "sid"))
BUILT = "built"  # first word of a source-built kernel's provenance: "built from <src>"


@dataclass(frozen=True)
class Kernel:
    name: str
    image: Path
    modules: Path | None  # a tree searched recursively for *.ko*; None: all built in
    arch: str = ""  # the architecture profile it runs on (riscv64, arm64)
    release: str = ""  # uname -r, when known before boot
    package: str = ""  # the versioned Debian package, e.g. linux-image-6.12.107+deb13-riscv64
    version: str = ""  # its Debian version
    suite: str = ""
    banner: str = ""  # a PATH kernel: the image's "Linux version ..." line
    kvm: str = ""  # a PATH kernel: where KVM comes from: module | builtin | replaced
    uapi_header: Path | None = None  # the kernel's uapi asm/kvm.h, when its source is at hand
    provenance: str = ""  # where it came from: "debian trixie", "local .deb", "built from <src>"
    config: Path | None = None  # its .config (Debian: /boot/config-<release>), when known

    def describe(self) -> dict[str, str]:
        d = {"name": self.name, "arch": self.arch, "package": self.package, "version": self.version,
             "suite": self.suite, "release": self.release, "image": str(self.image)}
        d.update({k: v for k, v in (("banner", self.banner), ("kvm", self.kvm),
                                    ("provenance", self.provenance)) if v})
        if self.uapi_header is not None:  # the report names unknown ids from it
            d["uapi_header"] = str(self.uapi_header)
        if self.config is not None:  # the suite reads host_config options from it
            d["config"] = str(self.config)
        return d


_MODULE_TREE = re.compile(r"^(?:usr/)?lib/modules/([^/]+)/(kernel/.*\.ko(?:\.xz|\.gz|\.zst)?)$")


def image_pattern(profile: arch.Profile) -> re.Pattern[str]:
    """The image's path in the profile's Debian packages (debian.image_names, {release} the
    kernel release; a usr/ prefix is optional, as on a merged-/usr system)."""
    alts = [re.escape(n.removeprefix("usr/")).replace(re.escape("{release}"), r"(?P<r%d>[^/]+)" % i)
            for i, n in enumerate(profile.image_names)]
    return re.compile(r"^(?:usr/)?(?:" + "|".join(alts) + r")$")


def _image_release(pattern: re.Pattern[str], name: str) -> str | None:
    m = pattern.match(name)
    return next((v for v in m.groupdict().values() if v), "") if m else None


UAPI_HEADER = "uapi/asm/kvm.h"  # where a kernel directory keeps its uapi header, when known
CONFIG = "config"  # where a kernel directory keeps the kernel's .config, when known
# 6.12's linux-image ships /boot/config-<release>; 7.x's split packages ship none (the config
# is then unknown and the suite trusts the device tree).
_CONFIG_FILE = re.compile(r"^(?:boot/config-[^/]+|(?:usr/)?lib/modules/[^/]+/config)$")


def _uapi(profile: arch.Profile, name: str) -> bool:
    """linux-libc-dev's asm/kvm.h for this architecture: a file under usr/lib/linux/uapi/
    since 6.x (usr/include/<triple>/asm/ is then a symlink), else under usr/include/<triple>."""
    return name in (f"usr/lib/linux/uapi/{profile.kernel_arch}/asm/kvm.h",
                    f"usr/include/{profile.triple}/asm/kvm.h")


def wanted(profile: arch.Profile) -> Callable[[str], str | None]:
    """Where each file of a kernel package goes in kernels/<arch>/<name>/ (None: left out)."""
    image = image_pattern(profile)

    def want(name: str) -> str | None:
        if image.match(name):
            return "Image"
        if _uapi(profile, name):
            return UAPI_HEADER
        if _CONFIG_FILE.match(name):
            return CONFIG
        m = _MODULE_TREE.match(name)
        return f"modules/{m.group(2)}" if m else None
    return want


def release_from_files(profile: arch.Profile, names: list[str]) -> str:
    """The kernel release (the image suffix, or the directory under lib/modules/)."""
    image = image_pattern(profile)
    for name in names:
        found = _image_release(image, name)
        if found:
            return found
    for name in names:
        m = _MODULE_TREE.match(name)
        if m:
            return m.group(1)
    return ""


def directory(cache: Cache, profile: arch.Profile, name: str) -> Path:
    """kernels/<arch>/<name>/: each architecture's kernels apart (both have a `trixie`)."""
    return cache.kernels / profile.name / name


_dir = directory


def migrate(cache: Cache) -> None:
    """Move kernels/<name>/ of a cache older than per-architecture kernels into
    kernels/<arch>/<name>/, the architecture read from its image's header."""
    if not cache.kernels.is_dir():
        return
    for old in sorted(cache.kernels.iterdir()):
        if not (old / "kernel.json").is_file() or not (old / "Image").is_file():
            continue
        with open(old / "Image", "rb") as f:
            profile = arch.of_image(f.read(4096))
        if profile is None:
            continue
        data = json.loads((old / "kernel.json").read_text())
        data["arch"] = profile.name
        (old / "kernel.json").write_text(json.dumps(data, indent=2) + "\n")
        new = directory(cache, profile, old.name)
        if not new.exists():
            new.parent.mkdir(parents=True, exist_ok=True)
            old.rename(new)


def load(cache: Cache, profile: arch.Profile, name: str) -> Kernel | None:
    meta = _dir(cache, profile, name) / "kernel.json"
    if not meta.is_file():
        return None
    data = json.loads(meta.read_text())
    header = data.get("uapi_header")
    suite = data.get("suite", "")
    config = _dir(cache, profile, name) / CONFIG
    return Kernel(name=data["name"], image=_dir(cache, profile, name) / "Image",
                  modules=_dir(cache, profile, name) / "modules", arch=profile.name,
                  release=data.get("release", ""),
                  package=data.get("package", ""), version=data.get("version", ""),
                  suite=suite, uapi_header=_dir(cache, profile, name) / header if header else None,
                  # kernel.json written before provenance existed: a default Debian kernel
                  provenance=data.get("provenance") or (f"debian {suite}" if suite else ""),
                  config=config if config.is_file() else None)


def spec_of(cache: Cache, profile: arch.Profile, name: str) -> str:
    """The `run --kernel` argument that gives the cached kernel `name` ('' for .deb files).
    Without a recorded spec: a built kernel (kernels/built-NAME/, provenance "built ...") is
    built:NAME, a default kernel its suite's name."""
    data = json.loads((_dir(cache, profile, name) / "kernel.json").read_text())
    if "spec" in data:
        return str(data["spec"])
    if str(data.get("provenance", "")).split(" ", 1)[0] == BUILT:
        return f"built:{name.removeprefix('built-')}"
    return name if data.get("suite") == name else ""


def skipped(cache: Cache, profile: arch.Profile, name: str) -> list[archive.Missing]:
    """The newer kernels a cached suite kernel passed over because their files were gone."""
    meta = _dir(cache, profile, name) / "kernel.json"
    data = json.loads(meta.read_text()) if meta.is_file() else {}
    return [archive.Missing(**m) for m in data.get("skipped", [])]


def cached(cache: Cache, profile: arch.Profile) -> list[Kernel]:
    """Every kernel directory of the architecture that has its kernel.json, by name."""
    base = cache.kernels / profile.name
    if not base.is_dir():
        return []
    found = [load(cache, profile, d.name) for d in sorted(base.iterdir()) if d.is_dir()]
    return [k for k in found if k is not None]


def unpack(cache: Cache, profile: arch.Profile, name: str, debs: list[tuple[Stanza, Path]],
           meta: dict[str, object], keep: bool = False) -> Kernel:
    """Extract image, modules and uapi header of `debs` (the image package first) into
    kernels/<arch>/<name>/ and record kernel.json with `meta` (suite, provenance, ...). The
    .debs are deleted unless `keep` (a user's own files)."""
    final = _dir(cache, profile, name)
    work = final.with_name(final.name + ".tmp")
    if work.exists():
        shutil.rmtree(work)
    (work / "modules").mkdir(parents=True)
    names: list[str] = []
    for _, deb in debs:
        names += debextract.extract(deb, work, wanted(profile))
        if not keep:
            deb.unlink()
    if not (work / "Image").is_file():
        shutil.rmtree(work)
        raise KvmctError(f"no kernel image in {', '.join(s['Package'] for s, _ in debs)}")
    top = debs[0][0]
    kernel = {
        "name": name, "arch": profile.name, "package": top["Package"],
        "version": top["Version"], "release": release_from_files(profile, names), **meta,
        **({"uapi_header": UAPI_HEADER} if (work / UAPI_HEADER).is_file() else {}),
        "packages": [{"name": s["Package"], "version": s["Version"]} for s, _ in debs],
    }
    (work / "kernel.json").write_text(json.dumps(kernel, indent=2) + "\n")
    if final.exists():
        shutil.rmtree(final)
    work.rename(final)
    loaded = load(cache, profile, name)
    assert loaded is not None
    return loaded


def private_apt(cache: Cache, profile: arch.Profile, suite: str) -> PrivateApt:
    """apt/<arch>/<suite>/: one private apt per architecture and suite."""
    return PrivateApt(cache.apt / profile.debian_arch / suite, suite, profile.debian_arch)


def download(cache: Cache, profile: arch.Profile, name: str, spec: str, offer: archive.Offer,
             progress: Progress, skipped: tuple[archive.Missing, ...] = ()) -> Kernel:
    """Download one offer of a suite (apt checks every hash against the signed index) and
    unpack it as kernels/<arch>/<name>/."""
    apt = private_apt(cache, profile, offer.suite)
    progress.step(f"kernel {name} ({profile.name}): {offer.package} {offer.version} ({offer.suite}): "
                  "downloading " + ", ".join(s["Package"] for s in offer.files)
                  + (f" and {offer.headers['Package']}" if offer.headers else ""))
    debs = [(s, apt.download(s)) for s in offer.files]
    if offer.headers is not None:  # optional: what names the ids a kernel newer than kvmct has
        try:
            debs.append((offer.headers, apt.download(offer.headers)))
        except AptError as e:
            progress.step(f"kernel {name}: no uapi header ({offer.headers['Package']} "
                          f"{offer.headers['Version']}: {e})")
    return unpack(cache, profile, name, debs, {
        "suite": offer.suite, "provenance": f"debian {offer.suite}", "spec": spec,
        "skipped": [vars(m) for m in skipped]})


def suite_offers(cache: Cache, profile: arch.Profile, suite: str,
                 progress: Progress) -> list[archive.Offer]:
    """Every kernel the suite's index for the architecture lists, newest first (apt-get
    update first)."""
    apt = private_apt(cache, profile, suite)
    progress.step(f"apt-get update ({suite}, {profile.debian_arch})")
    apt.update()
    return archive.offers(suite, apt.kernel_stanzas(), flavour(profile))


def flavour(profile: arch.Profile) -> str:
    """The kernel flavour in package names: linux-image-<abi>-<flavour> (riscv64, arm64)."""
    return profile.kernel_meta.removeprefix("linux-image-")


def newest_of_suite(cache: Cache, profile: arch.Profile, suite: str,
                    progress: Progress) -> archive.Choice:
    """The suite's newest kernel whose files the mirror has; says loudly which newer ones
    it skipped because their files are missing."""
    choice = archive.newest_available(suite, suite_offers(cache, profile, suite, progress),
                                      archive.head_status)
    for m in choice.skipped:
        progress.warn(f"{m.text()}; skipping it")
    if choice.skipped:
        progress.warn(f"{suite}: using {choice.offer.package} {choice.offer.version}, the "
                      "newest kernel of the suite whose files all exist")
    return choice


def fetch(cache: Cache, profile: arch.Profile, source: KernelSource,
          progress: Progress) -> Kernel:
    """Resolve the suite's newest downloadable kernel, download it, unpack image + modules."""
    choice = newest_of_suite(cache, profile, source.suite, progress)
    return download(cache, profile, source.name, source.suite, choice.offer, progress,
                    choice.skipped)


def debian_version(cache: Cache, profile: arch.Profile, wanted: str, suites: tuple[str, ...],
                   progress: Progress) -> Kernel:
    """`debian:VERSION`: the kernel whose Debian version or name version (7.2.11+deb13) is
    `wanted`, from the first suite listing it, cached as kernels/debian-VERSION/. A version no
    suite lists names the closest ones; a listed one without files says which file is gone."""
    name = f"debian-{wanted}"
    found = load(cache, profile, name)
    if found is not None:
        return found
    seen: list[archive.Offer] = []
    for suite in suites:
        offers = suite_offers(cache, profile, suite, progress)
        seen += offers
        for offer in archive.matching(wanted, offers):
            gone = archive.missing_files(offer, archive.head_status)
            if gone:
                raise archive.ArchiveFileMissing(gone[0])
            return download(cache, profile, name, f"debian:{wanted}", offer, progress)
    raise archive.not_found(wanted, seen, suites)


def ensure(cache: Cache, profile: arch.Profile, progress: Progress, refresh: bool = False,
           sources: tuple[KernelSource, ...] = DEFAULT_KERNELS) -> list[Kernel]:
    """The default kernels, fetched (in parallel) only when missing or on refresh."""
    migrate(cache)
    todo = [s for s in sources if refresh or load(cache, profile, s.name) is None]
    if todo:
        with ThreadPoolExecutor(max_workers=len(todo)) as pool:
            list(pool.map(lambda s: fetch(cache, profile, s, progress), todo))
    for s in sources:
        if s not in todo:  # a cached pick that passed over a newer kernel says so every time
            for m in skipped(cache, profile, s.name):
                progress.warn(f"{s.name}: cached {s.suite} kernel is older than {m.package} "
                              f"{m.version}, which had no file ({m.path}: HTTP {m.status}) "
                              "when it was resolved; `kvmct kernels --refresh` looks again")
    found = [load(cache, profile, s.name) for s in sources]
    return [k for k in found if k is not None]


def from_path(profile: arch.Profile, image: Path, modules: Path | None,
              kvm_module: Path | None = None,
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
    return Kernel(name=name, image=image.resolve(), modules=found.modules, arch=profile.name,
                  release=found.release, version=version,
                  banner=found.facts.banner if found.facts else "", kvm=found.kvm)


def describe_all(kernels: list[Kernel]) -> str:
    return "\n".join(f"{k.name}\t{k.suite}\t{k.package}\t{k.version}\t{k.release}"
                     for k in kernels)

