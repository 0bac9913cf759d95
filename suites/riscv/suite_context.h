// SPDX-License-Identifier: MIT
// What every test needs to know about the machine it runs on, gathered once before the
// tests are registered: the kernel release, the host ISA, the expectation tables and the
// policy range for this kernel, plus the per-extension table of the JSON result.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/kvm.h"
#include "riscv/expect/expectations.h"
#include "riscv/expect/isa_ext_expectation.h"
#include "expect/kernel_config.h"
#include "expect/kernel_version.h"
#include "riscv/expect/host_kernel.h"
#include "report/json.h"
#include "riscv/guest_vm.h"
#include "riscv/host_isa.h"
#include "suite_environment.h"

namespace kvmct {

class SuiteContext {
 public:
  // Fails only when the expectation tables themselves are broken: then nothing can run.
  // `kernel_config`: the host kernel's .config (--kvmct-kernel-config=FILE), "" when not given.
  static Result<SuiteContext> create(const std::string& expected_dir, const std::string& kernel_config = "");

  const Expectations& expectations() const { return expectations_; }
  // Any table of expected/ by file name, e.g. "amo-vectors.yaml".
  Result<ExpectedFile> expected_file(const std::string& name) const { return env_.expected_file(name); }
  const Catalogue& catalogue() const { return expectations_.catalogue; }
  const std::string& release() const { return env_.release(); }
  const std::optional<KernelVersion>& kernel() const { return env_.kernel(); }
  const std::string& platform() const { return env_.platform(); }

  // Host ISA and policy may be unavailable; tests that need them fail with the reason.
  const Result<riscv::HostIsa>& host_isa() const { return host_isa_; }
  const Result<PolicySelection>& policy() const { return policy_; }
  // The expected behaviour of an extension; an Error names what is missing to derive it.
  Result<IsaExtExpectation> expect(const Extension& ext) const;
  // Whether the host kernel keeps the extension the device tree names (catalogue host_config).
  HostKernelGate host_kernel_gate(const Extension& ext) const { return kvmct::host_kernel_gate(ext, env_.kernel_config()); }
  // The device tree provides it and the host kernel keeps it.
  bool host_kernel_has(const Extension& ext) const;

  // A VM whose vCPUs have not run yet, its errors naming registers by the catalogue.
  Result<riscv::GuestVm> fresh_vm(unsigned vcpus = 1) const;

  // The JSON result's per-extension table (isa_extensions[]): one object per id, with the
  // judge's records under "checks".
  Json& isa_ext_record(const Extension& ext);
  Json document_facts() const;
  Json isa_ext_table() const;

 private:
  explicit SuiteContext(SuiteEnvironment env) : env_(std::move(env)) {}
  SuiteEnvironment env_;
  Expectations expectations_;
  Result<riscv::HostIsa> host_isa_ = Error{0, "not read"};
  Result<PolicySelection> policy_ = Error{0, "not selected"};
  std::map<uint32_t, Json> isa_table_;
};

// The one context of this process, set by main() before tests are registered.
SuiteContext& context();
void set_context(SuiteContext ctx);

}  // namespace kvmct
