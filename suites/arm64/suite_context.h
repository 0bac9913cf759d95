// SPDX-License-Identifier: MIT
// What every arm64 case needs to know about the machine it runs on, gathered once before
// the cases are registered: the common SuiteEnvironment, the host CPU's own facts, the
// capability table and how KVM runs (VHE or nVHE).
#pragma once

#include <string>

#include "arm64/expect/capabilities.h"
#include "arm64/guest_vm.h"
#include "arm64/host_cpu.h"
#include "core/kvm.h"
#include "report/json.h"
#include "suite_environment.h"

namespace kvmct::arm64 {

class SuiteContext {
 public:
  // Fails only when the tables themselves are broken or a named kernel config is unreadable.
  static Result<SuiteContext> create(const std::string& expected_dir, const std::string& kernel_config);

  const SuiteEnvironment& env() const { return env_; }
  const CapabilityTable& capabilities() const { return capabilities_; }
  // The host CPU may be unreadable; cases that need it fail with the reason.
  const Result<HostCpu>& host_cpu() const { return host_cpu_; }
  // "vhe", "nvhe", "protected", ...; "" when the suite cannot tell.
  const std::string& kvm_mode() const { return kvm_mode_; }
  const std::string& kvm_mode_source() const { return kvm_mode_source_; }

  // A VM with `vcpus` vCPUs initialised on the preferred target, none run yet.
  Result<GuestVm> fresh_vm(unsigned vcpus = 1) const;

  Json document_facts() const;

 private:
  explicit SuiteContext(SuiteEnvironment env) : env_(std::move(env)) {}
  SuiteEnvironment env_;
  CapabilityTable capabilities_;
  Result<HostCpu> host_cpu_ = Error{0, "not read"};
  std::string kvm_mode_;
  std::string kvm_mode_source_;
};

// The one context of this process, set by arch_suite::prepare() before cases are registered.
SuiteContext& context();
void set_context(SuiteContext ctx);

// tests[].subject of a case about one capability: {"kind": "capability", "name", "id"}.
Json capability_subject(const CapabilityRule& rule);
// tests[].subject of a case about one ID register: {"kind": "id_reg", "name", "id"}.
Json id_reg_subject(const std::string& name, uint64_t one_reg_id);
// Registers one KvmCapability.<name> case per capability of the table.
void register_capability_tests(const CapabilityTable& table);
// Registers one GuestIdReg.<name> case per feature ID register.
void register_guest_id_reg_tests();
// Registers one GuestIdRegField.<REG>_<FIELD> case per field of those registers in the selected
// tables (guest_id_reg_field_test.cc); after register_writable_mask_tests(), which loads them.
void register_guest_id_reg_field_tests();

}  // namespace kvmct::arm64
