// SPDX-License-Identifier: MIT
// The record of running a guest payload, the same on every architecture: what each vCPU
// reported through its guest channel (core/guest_channel.h), how each vCPU ended, and every
// problem the host saw. Tests decide pass or fail from this record.
#pragma once

#include <linux/kvm.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/guest_channel.h"
#include "core/result.h"
#include "core/vcpu_exit.h"

namespace kvmct {

struct GuestReport {
  unsigned vcpu = 0;
  std::string name;
  uint64_t value = 0;
};

// How one vCPU's run loop ended.
enum class VcpuEnd {
  Finished,   // FINISH call; status in VcpuResult::status
  Trapped,    // UNEXPECTED_TRAP call
  RunFailed,  // KVM_RUN failed; run_errno says how
  BadExit,    // an exit nobody handles (another SBI extension, a CSR, MMIO, a system event…)
  Stopped,    // stopped by the host because another vCPU ended the run, or never powered on
  TimedOut,   // still running at the deadline
};
std::string_view to_string(VcpuEnd end);

struct VcpuResult {
  VcpuEnd end = VcpuEnd::Stopped;
  int64_t status = 0;            // FINISH status
  int run_errno = 0;             // RunFailed: errno of KVM_RUN
  std::optional<kvm_run> exit;   // BadExit: the exit nobody handled (the architecture's decode_exit reads it)
  std::optional<uint64_t> pc;    // the vCPU's pc after it stopped, when readable
  std::optional<GuestTrap> trap; // Trapped: what the guest's trap handler reported
  std::string detail;            // trap, exit or error, readable
  uint64_t exits = 0;            // KVM_RUN calls that returned to the host
};

struct GuestRun {
  std::string payload;
  std::vector<GuestReport> reports;   // in the order the host received them
  std::vector<VcpuResult> vcpus;      // by vCPU index
  std::vector<std::string> failures;  // guest check failures and channel misuse
  std::string console;                // PUTS text, all vCPUs
  bool timed_out = false;
  std::chrono::milliseconds timeout{0};
  std::chrono::microseconds elapsed{0};

  // Values reported under `name` by `vcpu`, oldest first.
  std::vector<uint64_t> values(std::string_view name, unsigned vcpu = 0) const;
  // The one value `vcpu` reported under `name`; an Error (ENOENT: none, EINVAL: several)
  // naming the payload, the vCPU and what it did report, so a short report fails one case.
  Result<uint64_t> require(std::string_view name, unsigned vcpu = 0) const;
  // Exactly `count` values under `name`, oldest first, or such an Error.
  Result<std::vector<uint64_t>> require_all(std::string_view name, size_t count, unsigned vcpu = 0) const;
  // vCPUs 0..n-1 finished with status 0, no failure was recorded and no vCPU trapped,
  // failed or timed out. vCPUs that were never powered on count as fine.
  bool clean(unsigned vcpus_expected_to_finish = 1) const;
  // One paragraph naming everything that went wrong, with the last known pc of each vCPU.
  std::string summary() const;
};

// Answers a guest MMIO access the channel does not claim: for a load the value to return,
// for a store any value. nullopt makes the access an error of the run.
using MmioHandler = std::function<std::optional<uint64_t>(unsigned vcpu, const MmioAccess& access)>;

struct RunOptions {
  std::chrono::milliseconds timeout{5000};
  MmioHandler on_mmio;
};

}  // namespace kvmct
