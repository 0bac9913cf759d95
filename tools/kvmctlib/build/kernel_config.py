# SPDX-License-Identifier: MIT
# Kconfig text for `kvmct kernel --source`: parsing a .config or fragment, what a cell needs of
# the final config, fragment assignments olddefconfig dropped, and the config's cache key.
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..errors import KvmctError

_SET = re.compile(r"^(CONFIG_[A-Za-z0-9_]+)=(.*)$")
_UNSET = re.compile(r"^# (CONFIG_[A-Za-z0-9_]+) is not set$")


class ConfigError(KvmctError, ValueError):
    pass


def parse(text: str) -> dict[str, str]:
    """CONFIG_X -> value ('y', 'm', 'n' for `# ... is not set`, or the literal right-hand
    side); a later line for the same symbol wins, as in Kconfig."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        m = _SET.match(line)
        if m:
            out[m.group(1)] = m.group(2)
            continue
        m = _UNSET.match(line)
        if m:
            out[m.group(1)] = "n"
    return out


def parse_fragment(text: str, origin: str) -> dict[str, str]:
    """A user's fragment: every line an assignment, an `is not set` line, a comment or blank.
    Anything else (a typo like `KVM=y`) is an error naming the line, not silently ignored."""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or _SET.match(line) or _UNSET.match(line):
            continue
        if line.startswith("#"):
            continue
        raise ConfigError(f"{origin}:{number}: not a Kconfig line (CONFIG_X=y, CONFIG_X=m, "
                          f"`# CONFIG_X is not set` or a comment): {raw.strip()!r}")
    return parse(text)


@dataclass(frozen=True)
class Need:
    """One thing a cell needs of the kernel: symbols and the values that satisfy each."""

    what: str
    symbols: tuple[tuple[str, tuple[str, ...]], ...]


BUILT_IN = ("y",)
MODULE_OK = ("y", "m")

# What a cell boots with (cell/qemu.py, cell/initramfs.py): the initramfs as PID 1's root,
# busybox mounting proc/sys/devtmpfs, the profile's serial console, and the results disk on
# virtio-mmio; KVM (where it can be a module), virtio-mmio and virtio-blk may be modules (the
# cell loads them, profile cell_modules).
COMMON_NEEDS = (
    Need("virtio-mmio", (("CONFIG_VIRTIO_MMIO", MODULE_OK),)),
    Need("virtio-blk", (("CONFIG_VIRTIO_BLK", MODULE_OK),)),
    Need("initramfs", (("CONFIG_BLK_DEV_INITRD", BUILT_IN),)),
    Need("devtmpfs", (("CONFIG_DEVTMPFS", BUILT_IN),)),
    Need("proc and sysfs", (("CONFIG_PROC_FS", BUILT_IN), ("CONFIG_SYSFS", BUILT_IN))),
    Need("ELF executables", (("CONFIG_BINFMT_ELF", BUILT_IN),)),
)


def cell_needs(kvm_modular: bool, console_config: tuple[str, ...]) -> tuple[Need, ...]:
    """An architecture's needs: KVM (a module only where KVM can be one) and the options of
    its serial console (profile kernel.console_config), then the common ones."""
    return (Need("KVM", (("CONFIG_KVM", MODULE_OK if kvm_modular else BUILT_IN),)),
            Need("serial console", tuple((sym, BUILT_IN) for sym in console_config)),
            *COMMON_NEEDS)


def _shown(value: str | None) -> str:
    return "not set" if value in (None, "n") else f"={value}"


def missing(config: dict[str, str], needs: tuple[Need, ...]) -> list[str]:
    """Each unmet need as `what (CONFIG_X not set, needs y)`; empty when a cell can boot it."""
    out: list[str] = []
    for need in needs:
        bad = [f"{sym} {_shown(config.get(sym))}, needs {' or '.join(ok)}"
               for sym, ok in need.symbols if config.get(sym) not in ok]
        if bad:
            out.append(f"{need.what} ({'; '.join(bad)})")
    return out


def merged(fragments: list[tuple[str, dict[str, str]]]) -> dict[str, tuple[str, str]]:
    """CONFIG_X -> (value, origin) over (origin, assignments) applied in order: the last
    fragment that sets a symbol decides it, as in the .config they are appended to."""
    out: dict[str, tuple[str, str]] = {}
    for origin, assigned in fragments:
        for sym, value in assigned.items():
            out[sym] = (value, origin)
    return out


def dropped(wanted: dict[str, tuple[str, str]], config: dict[str, str]) -> list[str]:
    """Fragment assignments the final config does not have, as `origin: CONFIG_X=v (config
    has w)`: olddefconfig drops a value whose dependencies are unmet, or an unknown symbol."""
    out: list[str] = []
    for sym, (value, origin) in sorted(wanted.items()):
        if config.get(sym, "n") != value:
            out.append(f"{origin}: {sym}={value} (config has "
                       f"{_shown(config.get(sym)).lstrip('=')})")
    return out


def kvm_mode(config: dict[str, str]) -> str:
    """"builtin" or "module", as kernels.Kernel.kvm names it."""
    return "builtin" if config.get("CONFIG_KVM") == "y" else "module"


def config_key(base: str, fragments: list[str]) -> str:
    """Names the configuration of a build tree: how the base config is made and what every
    fragment applied on top assigns, in order (its comments and line order do not matter)."""
    h = hashlib.sha256(base.encode())
    for text in fragments:
        assigned = sorted(f"{sym}={value}" for sym, value in parse(text).items())
        h.update(b"\0fragment\0" + "\n".join(assigned).encode())
    return h.hexdigest()[:12]
