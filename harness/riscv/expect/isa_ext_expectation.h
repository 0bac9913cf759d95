// SPDX-License-Identifier: MIT
// The expected behaviour of one ISA_EXT register, derived from (kernel version, host ISA,
// catalogue, policy) and never from the QEMU CPU model's name.
#pragma once

#include <set>
#include <string>

#include "riscv/expect/catalogue.h"
#include "expect/kernel_version.h"
#include "riscv/expect/policy.h"

namespace kvmct {

enum class Presence {
  Required,  // kernel must know the id and the host has the extension
  Absent,    // the host lacks it: KVM must answer ENOENT
  Optional,  // host has it but the kernel predates the id: absent, unless backported
};

struct IsaExtExpectation {
  bool host_has = false;
  Presence presence = Presence::Absent;
  bool enable_allowed = false;   // SET 1 on a disabled register before the first run
  bool disable_allowed = false;  // SET 0 on an enabled register before the first run
  bool default_on = false;       // value on a fresh vCPU: kvm_riscv_vcpu_setup_isa() enables
                                 // every host extension whose enable is allowed
  std::string enable_why;        // the rule that decided, with its citation
  std::string disable_why;
  OpRule enable_rule;            // the rules themselves (kind Allowed: no rule)
  OpRule disable_rule;
  // What each write returns, in the check records' vocabulary ("ok" or an errno name), from
  // the release's errno regime: a refusal is EINVAL from 6.0 and a silent "ok" on 5.19.
  std::string enable_outcome;
  std::string disable_outcome;
  std::string after_run_outcome;  // changing the value after the first KVM_RUN: EBUSY from 6.6
  std::string same_value_after_run_outcome;
};

// True when the device-tree names satisfy one of the extension's `host` alternatives.
bool host_provides(const Extension& ext, const std::set<std::string>& host_dt);

IsaExtExpectation expect_isa_ext(const Extension& ext, const Catalogue& catalogue, const ReleasePolicy& policy,
                                 const std::set<std::string>& host_dt, const KernelVersion& kernel);

}  // namespace kvmct
