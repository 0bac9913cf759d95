# SPDX-License-Identifier: MIT
# Cell: pack the initramfs (its /init protocol), boot QEMU, watch the console, parse KTAP.
