# SPDX-License-Identifier: MIT
# kvmctlib: the host side of kvmct (build root, kernels, initramfs, QEMU cells, results).
