// SPDX-License-Identifier: MIT
// The one way kvmct builds a VM: guest RAM as memslot 0 at KVMCT_RAM_BASE and N vCPUs that
// have not run. load() then puts a payload at KVMCT_RAM_BASE, a device tree at KVMCT_FDT_GPA
// and vCPU 0 at the entry point (a0 = 0, a1 = device tree); the other vCPUs stay stopped until
// the guest starts them with SBI HSM. run() drives every vCPU on its own thread.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/guest_memory.h"
#include "core/guest_run.h"
#include "core/kvm.h"
#include "core/result.h"
#include "core/guest_payload.h"
#include "riscv/reg_id.h"
#include "riscv/sbi_channel.h"

namespace kvmct::riscv {

class GuestVm {
 public:
  static Result<GuestVm> create(const KvmSystem& kvm, unsigned vcpus = 1, RegNamer reg_namer = {});

  // `namer` names ISA_EXT ids for the guest device tree; ids it cannot name are left out.
  Status load(const GuestPayload& payload, const IsaExtNamer& namer = {});

  GuestMemory& memory() { return memory_; }
  Vcpu& vcpu(unsigned index) { return vcpus_.at(index); }
  unsigned vcpu_count() const { return static_cast<unsigned>(vcpus_.size()); }
  const std::vector<std::string>& isa_extensions() const { return isa_extensions_; }

  // Writes the payload's parameter block at KVMCT_PARAMS_GPA.
  Status set_params(std::span<const uint8_t> bytes);
  template <class T>
  Status set_params_of(const T& value) {
    return set_params({reinterpret_cast<const uint8_t*>(&value), sizeof value});
  }

  // Runs the loaded payload (core/run_loop.h) until vCPU 0 finishes, any vCPU fails, or the
  // timeout; never hangs. Harts still running when vCPU 0 finishes are stopped and recorded so.
  GuestRun run(const RunOptions& options = {});

 private:
  GuestVm(Vm vm, GuestMemory memory) : vm_(std::move(vm)), memory_(std::move(memory)) {}
  Status set_entry(Vcpu& vcpu, unsigned hartid);

  Vm vm_;
  GuestMemory memory_;
  std::string payload_name_;  // empty until load()
  std::vector<Vcpu> vcpus_;
  std::vector<std::string> isa_extensions_;
};

}  // namespace kvmct::riscv
