# SPDX-License-Identifier: MIT
# Cross toolchain for the emulated RISC-V host: Debian's riscv64-linux-gnu gcc and the
# riscv64 multiarch libraries of the build root (libgtest.a, libyaml-cpp.a, libfdt.a).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CMAKE_C_COMPILER riscv64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER riscv64-linux-gnu-g++)
set(CMAKE_ASM_COMPILER riscv64-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE riscv64-linux-gnu)
# Multiarch: target headers and libraries sit in the same / as the host ones.
set(CMAKE_FIND_ROOT_PATH /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(KVMCT_ARCH riscv)  # harness/riscv, suites/riscv, guest-payloads/riscv, expected/riscv
