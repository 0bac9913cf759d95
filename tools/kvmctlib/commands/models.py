# SPDX-License-Identifier: MIT
# `kvmct cpus`: every architecture's CPU models and matrices, and (when the build root is
# there, for an architecture whose profile has a kvm_host check) which models can host KVM.
from __future__ import annotations

import argparse
from concurrent.futures import ThreadPoolExecutor

from .. import arch, cpus
from ..acquire import buildroot
from .base import Command, Context, no_arguments


def kvm_host_reasons(root: buildroot.BuildRoot, profile: arch.Profile,
                     qemu_cpus: dict[str, str]) -> dict[str, str]:
    """name -> why that `-cpu` string's device tree cannot host KVM ('' when it can)."""
    wrap = root.chroot().argv
    need = profile.kvm_host
    if need is None:
        return {name: "" for name in qemu_cpus}

    def reason(qemu_cpu: str) -> str:
        assert need is not None
        try:
            dtb = cpus.device_tree(wrap, profile.qemu, profile.machine, qemu_cpu)
        except cpus.CpuTableError as e:
            return str(e)
        return cpus.kvm_host_reason(dtb, need)

    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(reason, qemu_cpus.values()))
    return dict(zip(qemu_cpus, found))


def _execute(args: argparse.Namespace, ctx: Context) -> int:
    root = buildroot.current(ctx.cache)
    for i, profile in enumerate(arch.every()):
        models = cpus.load(profile)
        print(("\n" if i else "") + f"== {profile.name} ({profile.qemu} -M {profile.machine})")
        if not root.ready():
            print(cpus.listing(models))
            print("(no build root yet: run `kvmct setup` to see which models can host KVM)")
            continue
        if profile.kvm_host is None:  # every model of the machine can: nothing to check
            print(cpus.listing(models))
            continue
        table = kvm_host_reasons(root, profile, {m.name: m.qemu for m in models.cpus.values()})
        tabled = {m.qemu for m in models.cpus.values()}
        others = [n for n in cpus.qemu_models(root.chroot().argv, profile.qemu)
                  if n not in tabled]
        print(cpus.listing(models, table, kvm_host_reasons(root, profile,
                                                           {n: n for n in others})))
    return 0


CPUS = Command("cpus", "list every architecture's CPU models and matrices "
               "(data/arch/*/cpus.toml), and which models can host KVM", no_arguments, _execute)
