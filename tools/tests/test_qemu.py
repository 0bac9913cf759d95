# SPDX-License-Identifier: MIT
# QEMU's command line: the suite learns which emulated platform it runs on.
from __future__ import annotations

from kvmctlib.cell import qemu


def test_platform_names_the_qemu_release() -> None:
    assert qemu.platform("10.0.13 (Debian 1:10.0.13+ds-0+deb13u1)") == "qemu-10.0.13"
    assert qemu.platform("") == "qemu-unknown"


def test_command_passes_platform_and_panic_reboot() -> None:
    argv = qemu.command("qemu-system-riscv64", qemu.Machine("virt", "max"), "K", "I", "R",
                        qemu.cmdline("ttyS0", "9.2.0"))
    append = argv[argv.index("-append") + 1]
    assert "kvmct.platform=qemu-9.2.0" in append.split()
    assert "panic=-1" in append.split() and "-no-reboot" in argv  # a panic ends QEMU
    assert argv[argv.index("-cpu") + 1] == "max"
    assert argv[argv.index("-M") + 1] == "virt"
