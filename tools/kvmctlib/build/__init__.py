# SPDX-License-Identifier: MIT
# Build: the CMake trees (host tests, the suite) and an out-of-tree kvm.ko.
