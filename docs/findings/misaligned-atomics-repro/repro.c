/* SPDX-License-Identifier: MIT */
/* Minimal reproducer: run guest.bin in a KVM guest, print what each faulting insn did. */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#define GPA 0x80000000ul
#define A0_ID (KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CORE | KVM_REG_RISCV_CORE_REG(regs.a0))
#define PC_ID (KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CORE | KVM_REG_RISCV_CORE_REG(regs.pc))
static const char* names[] = {"nop", "misaligned lw", "misaligned sd", "illegal insn (custom-0)",
                              "misaligned amoadd.w", "misaligned lr.w", "misaligned sc.w"};
static int one(int kvm, const char* bin, unsigned long test) {
  int vm = ioctl(kvm, KVM_CREATE_VM, 0);
  size_t sz = 1 << 20;
  void* mem = mmap(0, sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  int fd = open(bin, O_RDONLY);
  if (vm < 0 || fd < 0 || read(fd, mem, sz) <= 0) { perror("setup"); return 1; }
  close(fd);
  struct kvm_userspace_memory_region r = {0, 0, GPA, sz, (uintptr_t)mem};
  if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r)) { perror("memslot"); return 1; }
  int cpu = ioctl(vm, KVM_CREATE_VCPU, 0);
  struct kvm_run* run = mmap(0, ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0), PROT_READ | PROT_WRITE, MAP_SHARED, cpu, 0);
  uint64_t pc = GPA, a0 = test;
  struct kvm_one_reg reg = {PC_ID, (uintptr_t)&pc}, rega0 = {A0_ID, (uintptr_t)&a0};
  ioctl(cpu, KVM_SET_ONE_REG, &reg);
  ioctl(cpu, KVM_SET_ONE_REG, &rega0);
  printf("repro: test %lu (%s): ", test, names[test]);
  if (ioctl(cpu, KVM_RUN, 0)) {
    int e = errno;
    ioctl(cpu, KVM_GET_ONE_REG, &reg);
    printf("KVM_RUN failed: %s, guest pc 0x%llx\n", strerror(e), (unsigned long long)pc);
  } else if (run->exit_reason != KVM_EXIT_RISCV_SBI) {
    printf("exit reason %u\n", run->exit_reason);
  } else {
    unsigned long* a = run->riscv_sbi.args;
    if ((long)a[1] == -1) printf("completed, no trap\n");
    else printf("guest trap scause=%lu stval=0x%lx sepc=0x%lx\n", a[1], a[2], a[3]);
  }
  munmap(run, 4096); close(cpu); close(vm); munmap(mem, sz);
  return 0;
}
int main(int argc, char** argv) {
  int kvm = open("/dev/kvm", O_RDWR);
  if (kvm < 0) { perror("/dev/kvm"); return 1; }
  for (unsigned long t = 0; t < 7; t++) one(kvm, argc > 1 ? argv[1] : "/guest.bin", t);
  return 0;
}
