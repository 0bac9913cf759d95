# SPDX-License-Identifier: MIT
# Cross toolchain for the emulated arm64 host: Debian's aarch64-linux-gnu gcc and the arm64
# multiarch libraries of the build root (libgtest.a, libyaml-cpp.a, libfdt.a).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_ASM_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# Multiarch: target headers and libraries sit in the same / as the host ones.
set(CMAKE_FIND_ROOT_PATH /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(KVMCT_ARCH arm64)  # harness/arm64, suites/arm64, guest-payloads/arm64, expected/arm64
