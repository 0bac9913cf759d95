// SPDX-License-Identifier: MIT
// What the arm64 host says its CPUs implement, read from the host itself: the hwcaps of
// /proc/cpuinfo "Features" (common to every CPU) and the feature ID registers as the host
// kernel shows them to EL0 (MRS emulation, Documentation/arch/arm64/cpu-feature-registers.rst,
// present when the hwcaps list "cpuid"). Never from the QEMU CPU name.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kvmct::arm64 {

struct HostCpu {
  std::set<std::string> features;             // "fp", "asimd", "sve", ... common to every CPU
  int cpus = 0;                               // processors listed
  std::map<std::string, uint64_t> id_registers;  // feature_id_regs.h name -> value at EL0
  std::string id_registers_error;             // why id_registers is empty, "" when read

  // /proc/cpuinfo, then (with "cpuid") the ID registers by MRS.
  static Result<HostCpu> read(const std::string& cpuinfo = "/proc/cpuinfo");
  // The Features lines of a /proc/cpuinfo text, intersected over its processors.
  static Result<HostCpu> parse_cpuinfo(std::string_view text, const std::string& source);

  bool has(std::string_view feature) const { return features.count(std::string(feature)) != 0; }
};

// Every feature ID register read with MRS at EL0; ENOSYS when this is not an arm64 build.
Result<std::map<std::string, uint64_t>> read_id_registers_at_el0();

// How KVM runs on this host, from the kernel command line: "nvhe" / "protected" / "nested"
// for kvm-arm.mode=, "nvhe" for id_aa64mmfr1.vh=0; "" when the command line does not say.
std::string kvm_mode_from_cmdline(const std::vector<std::string>& words);
// From KVM's own boot record (arch/arm64/kvm/arm.c kvm_arm_init(): "VHE mode initialized
// successfully", "Hyp nVHE ...", "Protected nVHE ...", "Hyp hVHE ..."): "vhe", "nvhe",
// "protected", "hvhe"; "" when the kernel log holds no such record.
std::string kvm_mode_from_kernel_log(std::string_view log);

}  // namespace kvmct::arm64
