// SPDX-License-Identifier: MIT
// Privileged spec, table "Supervisor cause register (scause) values after trap", plus the
// hypervisor extension's guest-page-fault and virtual-instruction codes.
#include "riscv/trap_cause.h"

#include <iterator>

namespace kvmct::riscv {
namespace {

struct TrapCause {
  uint64_t code;
  const char* slug;
  const char* name;
};

constexpr TrapCause kCauses[] = {
    {0, "instruction-misaligned", "instruction address misaligned"},
    {1, "instruction-access-fault", "instruction access fault"},
    {2, "illegal-instruction", "illegal instruction"},
    {3, "breakpoint", "breakpoint"},
    {4, "load-misaligned", "load address misaligned"},
    {5, "load-access-fault", "load access fault"},
    {6, "store-misaligned", "store/AMO address misaligned"},
    {7, "store-access-fault", "store/AMO access fault"},
    {8, "ecall-from-u", "environment call from U-mode"},
    {9, "ecall-from-s", "environment call from S-mode"},
    {10, "ecall-from-vs", "environment call from VS-mode"},
    {11, "ecall-from-m", "environment call from M-mode"},
    {12, "instruction-page-fault", "instruction page fault"},
    {13, "load-page-fault", "load page fault"},
    {15, "store-page-fault", "store/AMO page fault"},
    {18, "software-check", "software check"},
    {19, "hardware-error", "hardware error"},
    {20, "instruction-guest-page-fault", "instruction guest-page fault"},
    {21, "load-guest-page-fault", "load guest-page fault"},
    {22, "virtual-instruction", "virtual instruction"},
    {23, "store-guest-page-fault", "store/AMO guest-page fault"},
};

const TrapCause* find(uint64_t scause) {
  if (scause & kScauseInterrupt) return nullptr;
  for (const TrapCause& c : kCauses)
    if (c.code == scause) return &c;
  return nullptr;
}

std::string unnamed(uint64_t scause, char sep) {
  if (scause & kScauseInterrupt) return "interrupt" + std::string(1, sep) + std::to_string(scause & ~kScauseInterrupt);
  return "exception" + std::string(1, sep) + std::to_string(scause);
}

}  // namespace

std::string trap_cause_slug(uint64_t scause) {
  const TrapCause* c = find(scause);
  return c ? c->slug : unnamed(scause, '-');
}

std::string trap_cause_name(uint64_t scause) {
  const TrapCause* c = find(scause);
  return c ? c->name : unnamed(scause, ' ');
}

}  // namespace kvmct::riscv
