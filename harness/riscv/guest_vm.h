// SPDX-License-Identifier: MIT
// A VM ready to run one guest payload: guest RAM as memslot 0 with the payload at
// KVMCT_RAM_BASE, a device tree at KVMCT_FDT_GPA, N vCPUs with vCPU 0 at the entry point
// (a0 = 0, a1 = device tree) and the others stopped until the guest starts them with SBI HSM
// or the host powers them on. run() drives every vCPU on its own thread.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/kvm.h"
#include "core/result.h"
#include "core/guest_memory.h"
#include "riscv/guest_payload.h"
#include "riscv/guest_run.h"
#include "riscv/reg_id.h"

namespace kvmct::riscv {

class GuestVm {
 public:
  // `namer` names ISA_EXT ids for the guest device tree; ids it cannot name are left out.
  static Result<GuestVm> create(const KvmSystem& kvm, const GuestPayload& payload, unsigned vcpus = 1,
                                const IsaExtNamer& namer = {}, RegNamer reg_namer = {});

  GuestMemory& memory() { return memory_; }
  Vcpu& vcpu(unsigned index) { return vcpus_.at(index); }
  unsigned vcpu_count() const { return static_cast<unsigned>(vcpus_.size()); }
  const GuestPayload& payload() const { return payload_; }
  const std::vector<std::string>& isa_extensions() const { return isa_extensions_; }

  // Writes the payload's parameter block at KVMCT_PARAMS_GPA.
  Status set_params(std::span<const uint8_t> bytes);
  template <class T>
  Status set_params_of(const T& value) {
    return set_params({reinterpret_cast<const uint8_t*>(&value), sizeof value});
  }

  // Makes a stopped vCPU runnable at the payload entry with a0 = its index, a1 = device tree:
  // the host-side alternative to SBI HSM hart_start.
  Status power_on(unsigned index);

  // Runs until vCPU 0 finishes, any vCPU fails, or the timeout; never hangs. Harts still
  // running when vCPU 0 finishes are stopped and reported as such.
  GuestRun run(const RunOptions& options = {});

 private:
  GuestVm(Vm vm, GuestMemory memory, const GuestPayload& payload)
      : vm_(std::move(vm)), memory_(std::move(memory)), payload_(payload) {}
  Status set_entry(Vcpu& vcpu, unsigned hartid);

  Vm vm_;
  GuestMemory memory_;
  GuestPayload payload_;
  std::vector<Vcpu> vcpus_;
  std::vector<std::string> isa_extensions_;
};

}  // namespace kvmct::riscv
