// SPDX-License-Identifier: MIT
// The one run loop of every architecture: each vCPU on its own thread issuing KVM_RUN, guest
// calls decoded and answered by the architecture's GuestChannel, and a deadline, so a hung
// guest ends as a TimedOut record instead of a hung suite.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "core/guest_channel.h"
#include "core/guest_memory.h"
#include "core/guest_run.h"
#include "core/kvm.h"

namespace kvmct {

struct RunTarget {
  std::string payload;       // its name, for the record
  std::span<Vcpu> vcpus;     // vCPU 0 ends the run; the others may never have been started
  GuestMemory& memory;       // where the channel reads strings and call blocks
  const GuestChannel& channel;
  uint64_t pc_reg = 0;       // ONE_REG id of the program counter, read into VcpuResult::pc
};

// Runs until vCPU 0 finishes, any vCPU ends abnormally, or the timeout; never hangs. vCPUs
// still running then are stopped and recorded as Stopped (TimedOut after the deadline).
GuestRun run_guest(const RunTarget& target, const RunOptions& options);

}  // namespace kvmct
