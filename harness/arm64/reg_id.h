// SPDX-License-Identifier: MIT
// Symbolic arm64 ONE_REG ids: core registers (struct kvm_regs offsets) and system registers
// (op0, op1, CRn, CRm, op2), decoded back to names ("ID_AA64ISAR0_EL1", "CORE(pc)") so no
// message shows a bare number. Encoding: include/uapi/linux/kvm.h (KVM_REG_ARM64, sizes) and
// arch/arm64/include/uapi/asm/kvm.h (KVM_REG_ARM_CORE, KVM_REG_ARM64_SYSREG); the values are
// spelled here so the host unit tests build without the arm64 UAPI headers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kvmct::arm64 {

inline constexpr uint64_t kRegArm64 = 0x6000000000000000ULL;   // KVM_REG_ARM64
inline constexpr uint64_t kRegSizeU64 = 0x0030000000000000ULL; // KVM_REG_SIZE_U64
inline constexpr uint64_t kRegArchMask = 0xff00000000000000ULL; // KVM_REG_ARCH_MASK
inline constexpr uint64_t kRegSizeMask = 0x00f0000000000000ULL; // KVM_REG_SIZE_MASK
inline constexpr uint64_t kCoprocMask = 0x000000000fff0000ULL;  // KVM_REG_ARM_COPROC_MASK
inline constexpr uint64_t kCoprocCore = 0x0010ULL << 16;        // KVM_REG_ARM_CORE
inline constexpr uint64_t kCoprocSysreg = 0x0013ULL << 16;      // KVM_REG_ARM64_SYSREG

// The core registers kvmct sets, by their index in struct kvm_regs counted in 32-bit words
// (KVM_REG_ARM_CORE_REG(name) = offsetof(struct kvm_regs, name) / 4): user_pt_regs is
// regs[31], sp, pc, pstate, each 8 bytes.
enum class CoreReg : uint32_t { X0 = 0, X1 = 2, Sp = 62, Pc = 64, Pstate = 66 };

// The encoding of a system register in MRS/MSR and in ONE_REG.
struct SysRegEncoding {
  uint32_t op0 = 0, op1 = 0, crn = 0, crm = 0, op2 = 0;
  auto operator<=>(const SysRegEncoding&) const = default;
  // "S3_0_C0_C6_0", the assembler's generic spelling.
  std::string generic_name() const;
};

// ONE_REG id of a 64-bit core register.
uint64_t core_reg_id(CoreReg reg);
// ONE_REG id of a system register (ARM64_SYS_REG in the UAPI header).
uint64_t sys_reg_id(const SysRegEncoding& enc);
// The encoding inside a system-register id; nullopt for any other id.
std::optional<SysRegEncoding> sys_reg_encoding(uint64_t id);

// The feature ID registers of feature_id_regs.h by name and encoding.
std::optional<SysRegEncoding> feature_id_reg(std::string_view name);
std::optional<std::string_view> feature_id_reg_name(const SysRegEncoding& enc);

// "ID_AA64ISAR0_EL1", "S3_0_C0_C6_7", "CORE(pc)", "CORE(x1)", else "arm64 reg 0x...".
std::string reg_name(uint64_t id);

}  // namespace kvmct::arm64
