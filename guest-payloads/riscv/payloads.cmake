# SPDX-License-Identifier: MIT
# RISC-V payloads: RV64GC, S-mode, satp = 0; the runtime talks to the host by SBI ecall.
set(here ${CMAKE_CURRENT_SOURCE_DIR}/riscv)
set(KVMCT_GUEST_CFLAGS
  -march=rv64gc -mabi=lp64d -mcmodel=medany -ffreestanding -fno-pie -fno-pic
  -fno-stack-protector -fno-asynchronous-unwind-tables -nostdlib -O2 -g)
set(KVMCT_GUEST_LD ${here}/runtime/guest.ld)
set(KVMCT_GUEST_RUNTIME ${here}/runtime/entry.S ${here}/runtime/hypercall.c)
set(KVMCT_GUEST_INCLUDES ${here}/runtime ${PROJECT_SOURCE_DIR}/harness/riscv)

kvmct_payload(amo SOURCES ${here}/amo/amo.c ${here}/amo/amo_ops.S)
kvmct_payload(lrsc SOURCES ${here}/lrsc/lrsc.c)
kvmct_payload(traps SOURCES ${here}/traps/traps.c)
kvmct_payload(smp SOURCES ${here}/smp/smp.c)
kvmct_payload(probe SOURCES ${here}/probe/probe.c)
kvmct_payload(isolation SOURCES ${here}/isolation/isolation.c)
kvmct_payload(atomics_bench SOURCES ${here}/atomics_bench/atomics_bench.c)
