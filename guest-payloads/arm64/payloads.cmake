# SPDX-License-Identifier: MIT
# arm64 payloads: AArch64 EL1, MMU off (data accesses are Device memory, hence -mstrict-align),
# no FP/SIMD (CPACR_EL1 traps it at reset, hence -mgeneral-regs-only); the runtime talks to
# the host through the MMIO channel (harness/arm64/guest_abi.h).
set(here ${CMAKE_CURRENT_SOURCE_DIR}/arm64)
set(KVMCT_GUEST_CFLAGS
  -march=armv8-a -mgeneral-regs-only -mstrict-align -ffreestanding -fno-pie -fno-pic
  -fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin -nostdlib -O2 -g)
set(KVMCT_GUEST_LD ${here}/runtime/guest.ld)
set(KVMCT_GUEST_RUNTIME ${here}/runtime/entry.S ${here}/runtime/channel.c)
set(KVMCT_GUEST_INCLUDES ${here}/runtime ${PROJECT_SOURCE_DIR}/harness/arm64)

kvmct_payload(id_regs SOURCES ${here}/id_regs/id_regs.c)
kvmct_payload(undef SOURCES ${here}/undef/undef.c)
