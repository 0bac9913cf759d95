// SPDX-License-Identifier: MIT
// The arm64 feature ID-register tables (expected/arm64/id-registers.yaml): per release range, every
// register of the Feature ID range with its writable mask, fields, safe-value rules and filters.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "expect/kernel_version.h"

namespace kvmct {

// arm64_ftr_safe_value(): which value of a field is safe against the limit. None: tools/sysreg names
// the field but cpufeature.c describes no ftr_bits for it, so only the limit is accepted.
enum class SafeRule { Exact, LowerSafe, HigherSafe, HigherOrZero, None };
std::string_view safe_rule_name(SafeRule r);  // "lower-safe"

enum class RegScope { Vm, Vcpu };
enum class RegKind { Feature, AArch32, Raz, ImplementationId, NoUserSet };
std::string_view reg_kind_name(RegKind k);

enum class FilterKind {
  HwValueIgnored, FirstRunCleared, RefuseBelow, RefuseValues, Rewrite, EqualOrNi, CustomCheck, NeedsCap, RazWithout,
  VgicModel
};

struct IdRegField {
  std::string name;
  int lsb = 0;
  int width = 0;
  bool is_signed = false;
  SafeRule rule = SafeRule::None;
  std::optional<SafeRule> host_rule;  // cpufeature's rule where KVM overrides it
  uint64_t safe = 0;                  // ftr safe_val
  bool writable = false;              // lies inside the register's mask
  int line = 0;
  uint64_t mask() const;
};

// One special case of a register's set_user / first run, read in sys_regs.c.
struct IdRegFilter {
  std::string field;  // empty: the whole register
  FilterKind kind = FilterKind::CustomCheck;
  std::vector<long> values;  // RefuseBelow/NeedsCap/Rewrite: one; RefuseValues: several
  std::optional<long> to;    // Rewrite
  std::string when, why, cite;
};

struct IdRegister {
  std::string name;                  // "ID_AA64ISAR0_EL1"
  std::array<int, 5> encoding{};     // op0, op1, CRn, CRm, op2
  int slot = 0;                      // KVM_ARM_FEATURE_ID_RANGE_IDX
  RegScope scope = RegScope::Vm;
  RegKind kind = RegKind::Feature;
  uint64_t mask = 0;                 // what KVM_ARM_GET_REG_WRITABLE_MASKS returns
  bool mask_of_fields = false;       // the kernel writes the mask as a union of fields
  std::string set_user;              // "set_id_reg", "none"
  std::vector<IdRegFilter> filters;
  std::vector<IdRegField> fields;    // highest lsb first
  int line = 0;
  const IdRegField* field(std::string_view name) const;
};

// A change inside a release range (a stable update): kernels with patch < fixed_in.patch had
// masks_before instead.
struct StableChange {
  KernelVersion fixed_in;  // upstream stable release, "6.12.7"
  std::string debian;      // first Debian version carrying it, "6.12.8-1"
  std::string title, source, note;
  std::map<std::string, uint64_t> masks_before;
  int line = 0;
};

enum class TableProvenance { Verified, Derived };

struct IdRegRelease {
  KernelVersion release;  // major.minor
  KernelVersion until;    // major.minor, inclusive
  TableProvenance provenance = TableProvenance::Derived;
  std::string source;
  std::optional<int> imp_id_cap;  // KVM_CAP_ARM_WRITABLE_IMP_ID_REGS when MIDR/REVIDR/AIDR are writable
  std::vector<StableChange> stable;
  std::vector<IdRegister> registers;  // ascending slot
  int line = 0;
  std::string name() const;  // "6.12"
  const IdRegister* reg(std::string_view name) const;
};

// One kernel's view: the release's registers with older stable masks applied.
struct IdRegSelection {
  IdRegRelease release;
  KernelVersion kernel;
  bool newer_than_tables = false;
  std::vector<std::string> stable_missing;  // titles of stable changes this kernel predates
};

// KVM_ARM_FEATURE_ID_RANGE_SIZE: the u64 words KVM_ARM_GET_REG_WRITABLE_MASKS fills.
inline constexpr int kFeatureIdRangeSize = 3 * 8 * 8;

// The words the ioctl should return for this selection: each register's mask at its slot, 0 in
// every other slot; the AArch32 rows (CRm 1-3) are 0 too on a host without AArch32 EL0
// (kvm_vm_ioctl_get_reg_writable_masks skips them when !kvm_supports_32bit_el0()).
std::array<uint64_t, kFeatureIdRangeSize> expected_masks(const IdRegRelease& release, bool host_aarch32_el0);

// KVM_ARM_FEATURE_ID_RANGE_IDX(op0, op1, crn, crm, op2) of arch/arm64/include/uapi/asm/kvm.h.
int feature_id_range_idx(const std::array<int, 5>& encoding);
// is_feature_id_reg() of sys_regs.c: op0 3, op1 0/1/3, CRn 0, CRm 0..7.
bool is_feature_id_encoding(const std::array<int, 5>& encoding);

class IdRegTables {
 public:
  static Result<IdRegTables> parse(std::string_view text, const std::string& file);
  Result<IdRegSelection> select(const KernelVersion& kernel) const;
  const std::vector<IdRegRelease>& releases() const { return releases_; }
  const std::string& file() const { return file_; }

 private:
  std::vector<IdRegRelease> releases_;  // ascending, disjoint
  std::string file_;
};

}  // namespace kvmct
