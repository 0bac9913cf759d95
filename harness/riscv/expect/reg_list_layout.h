// SPDX-License-Identifier: MIT
// expected/riscv/reg-list.yaml: what KVM_GET_REG_LIST lists, class by class in the kernel's
// order (vcpu_onereg.c kvm_riscv_vcpu_copy_reg_indices), per release; and the list that
// layout predicts for one vCPU, to compare with the kernel's as a list, never as a set.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "expect/kernel_version.h"
#include "riscv/expect/catalogue.h"
#include "riscv/reg_id.h"

namespace kvmct {

// The register classes the kernel's copy functions emit; their id encoding is the uapi's.
enum class RegListClass {
  Config, Core, CsrGeneral, CsrAia, CsrSmstateen, CsrZicfiss, Timer, FpF, FpD, Vector, IsaExt, SbiExt, SbiSta, SbiFwft,
};
// "config", "csr_aia", ...: the names of reg-list.yaml.
std::string_view to_string(RegListClass c);
std::optional<RegListClass> reg_list_class(std::string_view name);
// Which class a listed id belongs to; nullopt for an id no class of this list makes.
std::optional<RegListClass> class_of(riscv::RegId id);
// KVM_RISCV_SBI_EXT_* of the extensions whose state a class holds (uapi asm/kvm.h).
std::optional<uint32_t> sbi_ext_id(std::string_view name);

struct RegListClassRule {
  RegListClass cls;
  std::optional<uint32_t> count;           // fixed ids 0..count-1
  std::optional<uint32_t> readable_below;  // or: each readable index below this
  std::string when;                        // ISA_EXT name the vCPU must have at 1; "" = always
  std::string when_sbi;                    // SBI extension that must be enabled; "" = always
  std::map<uint32_t, std::string> index_needs;  // index -> ISA_EXT name it needs
  int line = 0;
};

struct RegListLayout {
  KernelVersion release;
  std::string source;
  std::vector<RegListClassRule> classes;
  int line = 0;
};

// What the prediction needs to know of one vCPU, each read through ONE_REG by the caller.
struct VcpuRegFacts {
  std::function<bool(std::string_view isa_ext)> isa_ext_enabled;
  std::function<bool(uint32_t sbi_ext)> sbi_ext_enabled;
  std::function<bool(riscv::RegId)> readable;
  uint64_t vlenb = 0;          // the VECTOR vlenb register; 0 without V
  uint32_t isa_ext_max = 0;    // policy.yaml isa_ext_max of this release
};

// The ids of one class a vCPU could answer, listed or not: every index below its bound (plus
// `margin` past it), at the class's size. The completeness check reads each one.
std::vector<riscv::RegId> class_candidates(const RegListClassRule& rule, const VcpuRegFacts& facts, uint32_t margin);
// What the layout predicts, in the kernel's order.
std::vector<uint64_t> predicted_reg_list(const RegListLayout& layout, const VcpuRegFacts& facts);

class RegListLayouts {
 public:
  // Every class name known, each class at most once per layout, exactly one of count and
  // readable_below (none for isa_ext, whose bound is the policy's), every ISA_EXT name in the
  // catalogue, releases ascending.
  static Result<RegListLayouts> parse(std::string_view text, const std::string& file, const Catalogue& catalogue);

  struct Pick {
    const RegListLayout* layout = nullptr;  // nullptr: none applies; `why` says so
    bool inherited = false;                 // the kernel is newer than the last layout
    std::string why;
  };
  Pick pick(const KernelVersion& kernel) const;
  const std::vector<RegListLayout>& layouts() const { return layouts_; }

 private:
  std::string file_;
  std::vector<RegListLayout> layouts_;
};

}  // namespace kvmct
