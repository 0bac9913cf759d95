# SPDX-License-Identifier: MIT
# `kvmct cpus`: the CPU models and matrices of the architecture profile's table, and (when the
# build root is there) whether each model's device tree can host KVM at all.
from __future__ import annotations

import argparse
from concurrent.futures import ThreadPoolExecutor

from .. import arch, cpus
from ..acquire import buildroot
from .base import Command, Context, no_arguments


def kvm_host_reasons(root: buildroot.BuildRoot, qemu_cpus: dict[str, str]) -> dict[str, str]:
    """name -> why that `-cpu` string's device tree cannot host KVM ('' when it can)."""
    profile = arch.load()
    wrap = root.chroot().argv

    def reason(qemu_cpu: str) -> str:
        try:
            dtb = cpus.device_tree(wrap, profile.qemu, profile.machine, qemu_cpu)
        except cpus.CpuTableError as e:
            return str(e)
        return cpus.kvm_host_reason(dtb, profile.kvm_host)

    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(reason, qemu_cpus.values()))
    return dict(zip(qemu_cpus, found))


def _execute(args: argparse.Namespace, ctx: Context) -> int:
    models = cpus.load()
    root = buildroot.current(ctx.cache)
    if not root.ready():
        print(cpus.listing(models))
        print("(no build root yet: run `kvmct setup` to see which models can host KVM)")
        return 0
    table = kvm_host_reasons(root, {m.name: m.qemu for m in models.cpus.values()})
    tabled = {m.qemu for m in models.cpus.values()}
    others = [n for n in cpus.qemu_models(root.chroot().argv, arch.load().qemu) if n not in tabled]
    print(cpus.listing(models, table, kvm_host_reasons(root, {n: n for n in others})))
    return 0


CPUS = Command("cpus", "list the CPU models and matrices (data/cpus.toml), and which models "
               "can host KVM", no_arguments, _execute)
