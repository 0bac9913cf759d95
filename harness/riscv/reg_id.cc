// SPDX-License-Identifier: MIT
// Decoding RISC-V ONE_REG ids into names for messages and reports.
#include "riscv/reg_id.h"

#include <array>
#include <cstdio>

namespace kvmct::riscv {
namespace {

constexpr std::array<const char*, 8> kConfigNames = {
    "isa", "zicbom_block_size", "mvendorid", "marchid", "mimpid", "zicboz_block_size", "satp_mode", "zicbop_block_size"};
constexpr std::array<const char*, 33> kCoreNames = {
    "pc", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5", "a6",
    "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6", "mode"};
constexpr std::array<const char*, 11> kCsrNames = {
    "sstatus", "sie", "stvec", "sscratch", "sepc", "scause", "stval", "sip", "satp", "scounteren", "senvcfg"};
// struct kvm_riscv_aia_csr and kvm_riscv_smstateen_csr (KVM_REG_RISCV_CSR_AIA = 1, _SMSTATEEN = 2).
constexpr std::array<const char*, 7> kAiaCsrNames = {"siselect", "iprio1", "iprio2", "sieh", "siph", "iprio1h", "iprio2h"};
constexpr std::array<const char*, 1> kSmstateenCsrNames = {"sstateen0"};
constexpr std::array<const char*, 11> kTypeNames = {
    "?", "CONFIG", "CORE", "CSR", "TIMER", "FP_F", "FP_D", "ISA_EXT", "SBI_EXT", "VECTOR", "SBI_STATE"};

template <size_t N>
std::string indexed(const std::array<const char*, N>& names, uint32_t i) {
  return i < N ? names[i] : std::to_string(i);
}

}  // namespace

std::string RegId::to_string(const IsaExtNamer& namer) const {
  if (!is_riscv()) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(raw_));
    return buf;
  }
  const auto t = static_cast<uint32_t>(type());
  std::string out;
  switch (type()) {
    case RegType::Config:
      out = subtype() == 0 ? "CONFIG(" + indexed(kConfigNames, index()) + ")" : "";
      break;
    case RegType::Core:
      out = subtype() == 0 ? "CORE(" + indexed(kCoreNames, index()) + ")" : "";
      break;
    case RegType::Csr:
      if (subtype() == 0) out = "CSR(" + indexed(kCsrNames, index()) + ")";
      else if (subtype() == 1) out = "CSR.AIA(" + indexed(kAiaCsrNames, index()) + ")";
      else if (subtype() == 2) out = "CSR.SMSTATEEN(" + indexed(kSmstateenCsrNames, index()) + ")";
      break;
    case RegType::IsaExt:
      if (subtype() == 0) {
        std::optional<std::string> name = namer ? namer(index()) : std::nullopt;
        out = "ISA_EXT.SINGLE(" + name.value_or(std::to_string(index())) + ")";
      } else if (subtype() == 1) {
        out = "ISA_EXT.MULTI_EN[" + std::to_string(index()) + "]";
      } else if (subtype() == 2) {
        out = "ISA_EXT.MULTI_DIS[" + std::to_string(index()) + "]";
      }
      break;
    default:
      break;
  }
  if (out.empty()) {
    out = (t < kTypeNames.size() ? std::string(kTypeNames[t]) : "TYPE" + std::to_string(t)) + "." +
          std::to_string(subtype()) + "[" + std::to_string(index()) + "]";
  }
  if (size() != RegSize::U64) {
    static constexpr std::array<const char*, 16> kSizes = {"U8", "U16", "U32", "U64", "U128", "U256", "U512", "U1024",
                                                          "U2048", "S9", "S10", "S11", "S12", "S13", "S14", "S15"};
    out += std::string("/") + kSizes[static_cast<unsigned>(size())];
  }
  return out;
}

}  // namespace kvmct::riscv
