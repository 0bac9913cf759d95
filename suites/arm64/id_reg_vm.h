// SPDX-License-Identifier: MIT
// The VMs of the field-by-field ID-register cases (IdRegWritable, IdRegFixedBits, ...): no guest
// memory, N vCPUs initialised on the preferred target, optionally a capability enabled before the
// first vCPU; and what those cases share: the register's ONE_REG id, its default value right after
// VCPU_INIT (arm64_check_features' limit) and the observed writable mask.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "arm64/expect/id_registers.h"
#include "core/kvm.h"
#include "core/result.h"
#include "report/json.h"
#include "test_record.h"

namespace kvmct::arm64 {

struct IdRegVm {
  Vm vm;
  std::vector<Vcpu> vcpus;
};

// `before_vcpus` runs on the VM before any vCPU exists (KVM_ENABLE_CAP 239).
Result<IdRegVm> id_reg_vm(unsigned vcpus, const std::function<Status(Vm&)>& before_vcpus = {});

// KVM_RUN once with immediate_exit: EINTR, and the VM counts as run (kvm_vm_has_ran_once).
Status immediate_exit_run(Vcpu& vcpu);
// KVM_ARM_VCPU_INIT again on the preferred target, as a VMM does on reset.
Status reinit_vcpu(IdRegVm& vm, unsigned index);

uint64_t one_reg_id(const IdRegister& reg);

// "ok" or the errno name: the observed vocabulary of docs/results.md.
std::string outcome(const Status& s);

// One VM shared by the register cases: each register's default is read once, and after each case
// the register must read it again (restore_bench), else the next case gets a new VM. A VM per case
// would spend most of the cell creating VMs (about 70 ms each under QEMU).
struct RegisterBench {
  IdRegVm* vm = nullptr;
  uint64_t limit = 0;  // the register right after VCPU_INIT
  uint64_t mask = 0;   // KVM_ARM_GET_REG_WRITABLE_MASKS at the register's slot
};
Result<RegisterBench> bench_for(const IdRegister& reg);
// Writes the default back; an Error (and the VM dropped) when the register does not return to it.
Status restore_bench(const IdRegister& reg);
// restore_bench at the end of a case, however it ends (a failed restore fails the case).
struct RestoreOnExit {
  const IdRegister& reg;
  ~RestoreOnExit();
};

// The register with the mask the ioctl should return for this kernel and host (stable changes and
// the AArch32 rows applied), or a skip: the kernel predates the ioctl; an Error when the tables fail.
struct SelectedRegister {
  const IdRegister* reg = nullptr;
  uint64_t expected_mask = 0;
};
Result<SelectedRegister> selected(const std::string& name, std::optional<Skip>* skip);

// An AArch32 ID register on a host without AArch32 EL0: RAZ/WI, every write accepted and dropped.
bool aarch32_raz_wi(const IdRegister& reg);

// tests[].subject of a field case (CONTRACT: kind id_reg_field).
Json id_reg_field_subject(const IdRegister& reg, const IdRegField& f, bool table_writable);

// "expected/arm64/id-registers.yaml:123"
std::string table_at(int line);

// Registers IdRegWritable, IdRegFixedBits, IdRegDescribed, IdRegRaz, IdRegFilter, IdRegAfterRun,
// IdRegScope, IdRegReset and IdRegImpId from the selected release's tables.
void register_id_reg_field_tests();

}  // namespace kvmct::arm64
