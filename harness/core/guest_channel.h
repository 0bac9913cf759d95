// SPDX-License-Identifier: MIT
// How a guest payload talks to kvmct-suite, whatever the architecture: a GuestChannel turns
// one vCPU exit into a guest call (puts, report, check failed, finish, trap) or says it is
// not one of its calls, and answers the call before the vCPU resumes. riscv: an SBI call in
// the experimental range (riscv/sbi_channel.h); arm64: a 64-bit store to an unbacked address
// (arm64/mmio_channel.h). docs/hypercall.md describes both.
#pragma once

#include <linux/kvm.h>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "core/guest_memory.h"
#include "core/result.h"

namespace kvmct {

struct GuestPuts {
  std::string text;
};
struct GuestReportCall {
  std::string name;
  uint64_t value = 0;
};
struct GuestCheckFailed {
  std::string file;
  uint64_t line = 0;
  std::string expression;
  uint64_t actual = 0;
  uint64_t expected = 0;
  std::string to_string() const;
};
struct GuestFinish {
  int64_t status = 0;
};
// An exception the payload did not expect; the channel describes it in the architecture's
// terms ("store/AMO address misaligned (scause 6) at sepc ...", "ESR 0x2000000 (Unknown) ...").
struct GuestTrap {
  uint64_t cause = 0;  // riscv scause, arm64 ESR_EL1
  uint64_t pc = 0;     // riscv sepc, arm64 ELR_EL1
  std::string description;
};

using GuestCall = std::variant<GuestPuts, GuestReportCall, GuestCheckFailed, GuestFinish, GuestTrap>;

class GuestChannel {
 public:
  virtual ~GuestChannel() = default;
  // nullopt: the exit is not a call of this channel. An Error: a call of this channel that is
  // malformed (ENOSYS unknown function, EFAULT a string outside guest RAM, EINVAL too long).
  virtual std::optional<Result<GuestCall>> decode(const kvm_run& run, const GuestMemory& memory) const = 0;
  // Answers a call decode() claimed, with its outcome, before the next KVM_RUN; a FINISH or
  // a trap is never answered: the vCPU does not resume.
  virtual void answer(kvm_run& run, GuestMemory& memory, const Status& outcome) const = 0;
  // Any exit of this architecture, readable, for a run's record.
  virtual std::string describe_exit(const kvm_run& run) const = 0;
};

}  // namespace kvmct
