// SPDX-License-Identifier: MIT
// Helpers shared by the ISA_EXT suites: expected outcome lookup, shared vCPUs, outcome
// spelling and a first KVM_RUN. Judging lives in isa_ext_judge.h, absence messages in absence.h.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "absence.h"
#include "core/kvm.h"
#include "isa_ext_judge.h"
#include "riscv/expect/isa_ext_expectation.h"
#include "riscv/isa_ext_register.h"
#include "suite_context.h"

namespace kvmct {

// "ok" or the errno name ("EINVAL"): how check records and messages spell an outcome.
template <class T>
std::string outcome(const Result<T>& r) {
  return r.ok() ? "ok" : Error::errno_name(r.err());
}

// The first KVM_RUN of vCPU 0: a one-instruction guest (ecall) that exits to userspace as
// KVM_EXIT_RISCV_SBI, after which KVM must refuse ISA changes with EBUSY.
Status run_once(riscv::GuestVm& vm);

// Shared vCPUs: creating a VM per case costs more than the case under TCG, so read-only
// checks share one vCPU that nobody writes or runs, and the after-run checks share one that
// ran once. Both live until the process ends.
Result<Vcpu*> pristine_vcpu();
Result<Vcpu*> ran_once_vcpu();

// Observed presence: true when SINGLE GET succeeds.
bool present_on(Vcpu& vcpu, const Extension& ext);

// MULTI_EN words whose GET succeeds, counted from 0: KVM answers words 0 ..
// (KVM_RISCV_ISA_EXT_MAX - 1) / 64 (vcpu_onereg.c KVM_REG_RISCV_ISA_MULTI_REG_LAST).
uint32_t multi_words(Vcpu& vcpu);

// One past the highest id the kernel can know, read from the kernel, not the catalogue: every
// id of the readable MULTI words, and at least the catalogue's last + 32.
uint32_t kernel_id_end(Vcpu& vcpu);

// Every id below kernel_id_end() whose SINGLE GET succeeds, with its value.
std::map<uint32_t, uint64_t> present_values(Vcpu& vcpu);

}  // namespace kvmct

// Fetches the expectation of `ext` into `var`, failing the test with the reason if the
// tables cannot say (no policy range for this kernel, unreadable device tree).
#define KVMCT_EXPECTATION(var, ext)                                         \
  ::kvmct::Result<::kvmct::IsaExtExpectation> var##_result = ::kvmct::context().expect(ext); \
  ASSERT_TRUE(var##_result) << var##_result.error().to_string();           \
  const ::kvmct::IsaExtExpectation& var = *var##_result

// A shared vCPU from one of the functions above into `var`, failing the test when KVM refuses.
#define KVMCT_SHARED_VCPU(var, source)                                      \
  ::kvmct::Result<::kvmct::Vcpu*> var##_result = source();                  \
  ASSERT_TRUE(var##_result) << var##_result.error().to_string();           \
  ::kvmct::Vcpu& var = **var##_result

// A fresh VM with `n` vCPUs into `var`, failing the test when KVM refuses.
#define KVMCT_FRESH_VM(var, n)                                                            \
  ::kvmct::Result<::kvmct::riscv::GuestVm> var##_result = ::kvmct::context().fresh_vm(n); \
  ASSERT_TRUE(var##_result) << var##_result.error().to_string();                         \
  ::kvmct::riscv::GuestVm& var = *var##_result
