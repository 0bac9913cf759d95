// SPDX-License-Identifier: MIT
// Symbolic RISC-V ONE_REG ids: built by one function per register class and decoded back
// to names ("ISA_EXT.SINGLE(ZAAMO)"), so no test or message ever shows a hex literal.
// Encoding: include/uapi/linux/kvm.h (KVM_REG_*) and arch/riscv/include/uapi/asm/kvm.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace kvmct::riscv {

enum class RegSize : uint64_t { U8 = 0, U16 = 1, U32 = 2, U64 = 3, U128 = 4 };

enum class RegType : uint32_t {
  Config = 1, Core = 2, Csr = 3, Timer = 4, FpF = 5, FpD = 6,
  IsaExt = 7, SbiExt = 8, Vector = 9, SbiState = 10,
};

enum class IsaExtSubtype : uint32_t { Single = 0, MultiEn = 1, MultiDis = 2 };

// Indices into struct kvm_riscv_config / kvm_riscv_core / kvm_riscv_csr.
enum class ConfigReg : uint32_t { Isa = 0, ZicbomBlockSize = 1, Mvendorid = 2, Marchid = 3, Mimpid = 4, ZicbozBlockSize = 5, SatpMode = 6 };
enum class CoreReg : uint32_t { Pc = 0, Ra = 1, Sp = 2, Gp = 3, Tp = 4, A0 = 10, A1 = 11, A2 = 12, A6 = 16, A7 = 17, Mode = 32 };
enum class CsrReg : uint32_t { Sstatus = 0, Sie = 1, Stvec = 2, Sscratch = 3, Sepc = 4, Scause = 5, Stval = 6, Sip = 7, Satp = 8, Scounteren = 9 };

// Names an ISA extension id, e.g. 69 -> "ZAAMO"; empty when unknown.
using IsaExtNamer = std::function<std::optional<std::string>(uint32_t id)>;

class RegId {
 public:
  static constexpr uint64_t kArchRiscv = 0x8000000000000000ULL;
  static constexpr int kSizeShift = 52;
  static constexpr uint64_t kSizeMask = 0x00f0000000000000ULL;
  static constexpr int kTypeShift = 24;
  static constexpr uint64_t kTypeMask = 0x00000000ff000000ULL;
  static constexpr int kSubtypeShift = 16;
  static constexpr uint64_t kSubtypeMask = 0x0000000000ff0000ULL;
  static constexpr uint64_t kIndexMask = 0x000000000000ffffULL;
  static constexpr int kBitsPerMultiWord = 64;  // sizeof(unsigned long) * 8 on rv64

  constexpr explicit RegId(uint64_t raw) : raw_(raw) {}

  static constexpr RegId make(RegType type, uint32_t subtype, uint32_t index, RegSize size = RegSize::U64) {
    return RegId(kArchRiscv | (static_cast<uint64_t>(size) << kSizeShift) |
                 (static_cast<uint64_t>(type) << kTypeShift) |
                 (static_cast<uint64_t>(subtype) << kSubtypeShift) | index);
  }
  static constexpr RegId isa_ext(uint32_t ext_id) { return make(RegType::IsaExt, 0, ext_id); }
  static constexpr RegId isa_multi_en(uint32_t word) { return make(RegType::IsaExt, 1, word); }
  static constexpr RegId isa_multi_dis(uint32_t word) { return make(RegType::IsaExt, 2, word); }
  static constexpr RegId config(ConfigReg r) { return make(RegType::Config, 0, static_cast<uint32_t>(r)); }
  static constexpr RegId core(CoreReg r) { return make(RegType::Core, 0, static_cast<uint32_t>(r)); }
  static constexpr RegId csr(CsrReg r) { return make(RegType::Csr, 0, static_cast<uint32_t>(r)); }

  // The same register addressed with another size: the kernel must refuse it.
  constexpr RegId with_size(RegSize size) const {
    return RegId((raw_ & ~kSizeMask) | (static_cast<uint64_t>(size) << kSizeShift));
  }

  constexpr uint64_t raw() const { return raw_; }
  constexpr bool is_riscv() const { return (raw_ & 0xff00000000000000ULL) == kArchRiscv; }
  constexpr RegSize size() const { return static_cast<RegSize>((raw_ & kSizeMask) >> kSizeShift); }
  constexpr size_t size_bytes() const { return size_t{1} << static_cast<unsigned>(size()); }
  constexpr RegType type() const { return static_cast<RegType>((raw_ & kTypeMask) >> kTypeShift); }
  constexpr uint32_t subtype() const { return static_cast<uint32_t>((raw_ & kSubtypeMask) >> kSubtypeShift); }
  constexpr uint32_t index() const { return static_cast<uint32_t>(raw_ & kIndexMask); }
  constexpr bool is_isa_ext_single() const { return is_riscv() && type() == RegType::IsaExt && subtype() == 0; }

  // "ISA_EXT.SINGLE(ZAAMO)", "CONFIG(isa)", "CORE(a0)", "ISA_EXT.MULTI_DIS[1]"; a size other
  // than U64 is appended ("/U32"); anything undecodable keeps its fields in the text.
  std::string to_string(const IsaExtNamer& namer = {}) const;

  friend constexpr bool operator==(RegId a, RegId b) { return a.raw_ == b.raw_; }

 private:
  uint64_t raw_;
};

}  // namespace kvmct::riscv
