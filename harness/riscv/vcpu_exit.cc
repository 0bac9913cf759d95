// SPDX-License-Identifier: MIT
// Decoding struct kvm_run exits (include/uapi/linux/kvm.h).
#include "riscv/vcpu_exit.h"

#include <cstdio>
#include <cstring>

#include "core/result.h"

namespace kvmct::riscv {

VcpuExit decode_exit(const kvm_run& run) {
  switch (run.exit_reason) {
    case KVM_EXIT_RISCV_SBI: {
      SbiCall call{run.riscv_sbi.extension_id, run.riscv_sbi.function_id, {}};
      for (size_t i = 0; i < call.args.size(); i++) call.args[i] = run.riscv_sbi.args[i];
      return call;
    }
    case KVM_EXIT_MMIO: {
      MmioAccess mmio{run.mmio.phys_addr, run.mmio.len, run.mmio.is_write != 0, 0};
      if (mmio.is_write && mmio.len <= sizeof mmio.data) std::memcpy(&mmio.data, run.mmio.data, mmio.len);
      return mmio;
    }
    case KVM_EXIT_SYSTEM_EVENT:
      return SystemEvent{run.system_event.type};
    default:
      return UnknownExit{run.exit_reason};
  }
}

std::string to_string(const VcpuExit& exit) {
  struct Visitor {
    std::string operator()(const SbiCall& c) const {
      return "SBI call extension " + hex(c.extension) + " function " + std::to_string(c.function) +
             " a0 " + hex(c.args[0]) + " a1 " + hex(c.args[1]);
    }
    std::string operator()(const MmioAccess& m) const {
      return std::string("MMIO ") + (m.is_write ? "store " : "load ") + std::to_string(m.len) + " bytes at " +
             hex(m.gpa) + (m.is_write ? " value " + hex(m.data) : "");
    }
    std::string operator()(const SystemEvent& e) const { return "system event type " + std::to_string(e.type); }
    std::string operator()(const UnknownExit& u) const { return "exit reason " + std::to_string(u.reason); }
  };
  return std::visit(Visitor{}, exit);
}

void set_sbi_return(kvm_run& run, long error, long value) {
  run.riscv_sbi.ret[0] = static_cast<unsigned long>(error);
  run.riscv_sbi.ret[1] = static_cast<unsigned long>(value);
}

void set_mmio_load(kvm_run& run, uint64_t value) {
  std::memcpy(run.mmio.data, &value, sizeof value);  // little endian: the low len bytes
}

}  // namespace kvmct::riscv
