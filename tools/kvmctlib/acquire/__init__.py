# SPDX-License-Identifier: MIT
# Acquire: the build root, private apt, Debian and PATH kernels, kernel sources.
