// SPDX-License-Identifier: MIT
// Decoding the RISC-V struct kvm_run exits (include/uapi/linux/kvm.h).
#include "riscv/vcpu_exit.h"

#include "core/result.h"

namespace kvmct::riscv {

VcpuExit decode_exit(const kvm_run& run) {
  switch (run.exit_reason) {
    case KVM_EXIT_RISCV_SBI: {
      SbiCall call{run.riscv_sbi.extension_id, run.riscv_sbi.function_id, {}};
      for (size_t i = 0; i < call.args.size(); i++) call.args[i] = run.riscv_sbi.args[i];
      return call;
    }
    case KVM_EXIT_RISCV_CSR:
      return CsrAccess{run.riscv_csr.csr_num, run.riscv_csr.new_value, run.riscv_csr.write_mask};
    default:
      return widen<VcpuExit>(decode_common_exit(run));
  }
}

std::string to_string(const SbiCall& c) {
  return "SBI call extension " + hex(c.extension) + " function " + std::to_string(c.function) + " a0 " +
         hex(c.args[0]) + " a1 " + hex(c.args[1]);
}

std::string to_string(const CsrAccess& c) {
  return "CSR access " + hex(c.csr) + " new value " + hex(c.new_value) + " write mask " + hex(c.write_mask);
}

std::string to_string(const VcpuExit& exit) {
  return std::visit([](const auto& e) { return to_string(e); }, exit);
}

void set_sbi_return(kvm_run& run, long error, long value) {
  run.riscv_sbi.ret[0] = static_cast<unsigned long>(error);
  run.riscv_sbi.ret[1] = static_cast<unsigned long>(value);
}

}  // namespace kvmct::riscv
