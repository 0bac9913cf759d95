// SPDX-License-Identifier: MIT
#include "id_reg_vm.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "arm64/arm_ioctls.h"
#include "arm64/reg_id.h"
#include "arm64/writable_masks.h"
#include "mask_tables.h"

namespace kvmct::arm64 {

Result<IdRegVm> id_reg_vm(unsigned vcpus, const std::function<Status(Vm&)>& before_vcpus) {
  Result<KvmSystem> kvm = KvmSystem::open();
  if (!kvm) return kvm.error();
  Result<Vm> vm = kvm->create_vm(reg_name);
  if (!vm) return vm.error();
  if (before_vcpus) {
    if (Status s = before_vcpus(*vm); !s) return s.error();
  }
  IdRegVm out{std::move(*vm), {}};
  for (unsigned i = 0; i < vcpus; i++) {
    Result<Vcpu> vcpu = out.vm.create_vcpu(i);
    if (!vcpu) return vcpu.error();
    out.vcpus.push_back(std::move(*vcpu));
    if (Status s = reinit_vcpu(out, i); !s) return s.error();
  }
  return out;
}

Status reinit_vcpu(IdRegVm& vm, unsigned index) {
  Result<kvm_vcpu_init> target = preferred_target(vm.vm);
  if (!target) return target.error();
  return vcpu_init(vm.vcpus.at(index), with_features(*target, {KVM_ARM_VCPU_PSCI_0_2}));
}

Status immediate_exit_run(Vcpu& vcpu) {
  vcpu.state()->immediate_exit = 1;
  Status s = vcpu.run();
  vcpu.state()->immediate_exit = 0;
  return s;
}

uint64_t one_reg_id(const IdRegister& reg) {
  const auto& e = reg.encoding;
  return sys_reg_id({static_cast<uint32_t>(e[0]), static_cast<uint32_t>(e[1]), static_cast<uint32_t>(e[2]),
                     static_cast<uint32_t>(e[3]), static_cast<uint32_t>(e[4])});
}

std::string outcome(const Status& s) { return s ? "ok" : Error::errno_name(s.err()); }

namespace {
struct SharedBench {
  std::unique_ptr<IdRegVm> vm;
  WritableMasks masks{};
  std::map<std::string, uint64_t> limits;
};
SharedBench& shared_bench() {
  static SharedBench b;
  return b;
}
}  // namespace

Result<RegisterBench> bench_for(const IdRegister& reg) {
  SharedBench& b = shared_bench();
  if (!b.vm) {
    Result<IdRegVm> vm = id_reg_vm(1);
    if (!vm) return vm.error();
    Result<WritableMasks> masks = writable_masks(vm->vm);
    if (!masks) return masks.error();
    b.vm = std::make_unique<IdRegVm>(std::move(*vm));
    b.masks = *masks;
    b.limits.clear();
  }
  auto it = b.limits.find(reg.name);
  if (it == b.limits.end()) {
    Result<uint64_t> limit = b.vm->vcpus[0].get_reg(one_reg_id(reg));
    if (!limit) return limit.error();
    it = b.limits.emplace(reg.name, *limit).first;
  }
  return RegisterBench{b.vm.get(), it->second, b.masks[static_cast<size_t>(reg.slot)]};
}

Status restore_bench(const IdRegister& reg) {
  SharedBench& b = shared_bench();
  auto it = b.limits.find(reg.name);
  if (!b.vm || it == b.limits.end()) return Ok{};
  Vcpu& vcpu = b.vm->vcpus[0];
  const uint64_t id = one_reg_id(reg);
  Status set = vcpu.set_reg(id, it->second);
  Result<uint64_t> now = vcpu.get_reg(id);
  if (set && now && *now == it->second) return Ok{};
  const std::string why = !set ? set.error().to_string()
                          : !now ? now.error().to_string()
                                 : "reads " + hex(*now) + " after writing the default " + hex(it->second);
  b.vm.reset();
  return Error{set.err(), reg.name + " does not return to its default: " + why};
}

RestoreOnExit::~RestoreOnExit() {
  if (Status s = restore_bench(reg); !s) ADD_FAILURE() << s.error().to_string();
}

Result<SelectedRegister> selected(const std::string& name, std::optional<Skip>* skip) {
  const MaskTables& t = mask_tables();
  if (t.absent) {
    *skip = *t.absent;
    return SelectedRegister{};
  }
  if (!t.selection) return t.selection.error();
  const IdRegister* reg = t.selection->release.reg(name);
  if (reg == nullptr)
    return Error{0, t.tables.file() + ": release " + t.selection->release.name() + " has no register " + name};
  Result<std::array<uint64_t, kFeatureIdRangeSize>> expected = t.expected();
  if (!expected) return expected.error();
  return SelectedRegister{reg, (*expected)[static_cast<size_t>(reg->slot)]};
}

bool aarch32_raz_wi(const IdRegister& reg) {
  const Result<bool>& aa32 = mask_tables().host_aarch32_el0;
  return reg.kind == RegKind::AArch32 && aa32 && !*aa32;
}

Json id_reg_field_subject(const IdRegister& reg, const IdRegField& f, bool table_writable) {
  Json s = Json::object();
  s["kind"] = "id_reg_field";
  s["name"] = reg.name + "." + f.name;
  s["id"] = one_reg_id(reg);
  s["register"] = reg.name;
  s["field"] = f.name;
  s["lsb"] = f.lsb;
  s["width"] = f.width;
  s["rule"] = std::string(safe_rule_name(f.rule));
  s["table_writable"] = table_writable;
  return s;
}

std::string table_at(int line) { return mask_tables().tables.file() + ":" + std::to_string(line); }

}  // namespace kvmct::arm64
