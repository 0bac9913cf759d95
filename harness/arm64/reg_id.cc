// SPDX-License-Identifier: MIT
// Building and naming arm64 ONE_REG ids.
#include "arm64/reg_id.h"

#include <array>

#include "arm64/feature_id_regs.h"
#include "core/result.h"

namespace kvmct::arm64 {

namespace {

struct NamedReg {
  std::string_view name;
  SysRegEncoding enc;
};

#define KVMCT_NAMED_REG(name, op0, op1, crn, crm, op2) NamedReg{#name, {op0, op1, crn, crm, op2}},
constexpr std::array kFeatureIdRegs = {KVMCT_FEATURE_ID_REGS(KVMCT_NAMED_REG)};
#undef KVMCT_NAMED_REG

// Field positions inside a KVM_REG_ARM64_SYSREG id (KVM_REG_ARM64_SYSREG_*_SHIFT/_MASK).
constexpr unsigned kOp0Shift = 14, kOp1Shift = 11, kCrnShift = 7, kCrmShift = 3;

}  // namespace

std::string SysRegEncoding::generic_name() const {
  return "S" + std::to_string(op0) + "_" + std::to_string(op1) + "_C" + std::to_string(crn) + "_C" +
         std::to_string(crm) + "_" + std::to_string(op2);
}

uint64_t core_reg_id(CoreReg reg) { return kRegArm64 | kRegSizeU64 | kCoprocCore | static_cast<uint32_t>(reg); }

uint64_t sys_reg_id(const SysRegEncoding& e) {
  return kRegArm64 | kRegSizeU64 | kCoprocSysreg | (uint64_t{e.op0 & 3} << kOp0Shift) |
         (uint64_t{e.op1 & 7} << kOp1Shift) | (uint64_t{e.crn & 15} << kCrnShift) |
         (uint64_t{e.crm & 15} << kCrmShift) | (e.op2 & 7);
}

std::optional<SysRegEncoding> sys_reg_encoding(uint64_t id) {
  if ((id & kRegArchMask) != kRegArm64 || (id & kCoprocMask) != kCoprocSysreg) return std::nullopt;
  if ((id & kRegSizeMask) != kRegSizeU64) return std::nullopt;
  if ((id & ~(kRegArchMask | kRegSizeMask | kCoprocMask | 0xffff)) != 0) return std::nullopt;  // no stray bits
  return SysRegEncoding{static_cast<uint32_t>((id >> kOp0Shift) & 3), static_cast<uint32_t>((id >> kOp1Shift) & 7),
                        static_cast<uint32_t>((id >> kCrnShift) & 15), static_cast<uint32_t>((id >> kCrmShift) & 15),
                        static_cast<uint32_t>(id & 7)};
}

std::optional<SysRegEncoding> feature_id_reg(std::string_view name) {
  for (const NamedReg& r : kFeatureIdRegs)
    if (r.name == name) return r.enc;
  return std::nullopt;
}

std::optional<std::string_view> feature_id_reg_name(const SysRegEncoding& enc) {
  for (const NamedReg& r : kFeatureIdRegs)
    if (r.enc == enc) return r.name;
  return std::nullopt;
}

std::string reg_name(uint64_t id) {
  if (std::optional<SysRegEncoding> enc = sys_reg_encoding(id)) {
    if (std::optional<std::string_view> name = feature_id_reg_name(*enc)) return std::string(*name);
    return enc->generic_name();
  }
  if ((id & kRegArchMask) == kRegArm64 && (id & kCoprocMask) == kCoprocCore) {
    const uint32_t index = static_cast<uint32_t>(id & 0xffff);
    if (index == static_cast<uint32_t>(CoreReg::Pc)) return "CORE(pc)";
    if (index == static_cast<uint32_t>(CoreReg::Pstate)) return "CORE(pstate)";
    if (index == static_cast<uint32_t>(CoreReg::Sp)) return "CORE(sp)";
    if (index < 62 && index % 2 == 0) return "CORE(x" + std::to_string(index / 2) + ")";
    return "CORE(" + std::to_string(index) + ")";
  }
  return "arm64 reg " + hex(id);
}

}  // namespace kvmct::arm64
