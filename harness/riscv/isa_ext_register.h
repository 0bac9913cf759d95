// SPDX-License-Identifier: MIT
// ISA_EXT registers of one vCPU: SINGLE per extension, MULTI_EN/MULTI_DIS per 64-bit word,
// and a RegNamer that spells ids with the catalogue's names in every error.
#pragma once

#include <cstdint>

#include "core/kvm.h"
#include "core/result.h"
#include "riscv/expect/catalogue.h"
#include "riscv/reg_id.h"

namespace kvmct::riscv {

class IsaExtRegister {
 public:
  IsaExtRegister(Vcpu& vcpu, uint32_t ext_id) : vcpu_(vcpu), id_(RegId::isa_ext(ext_id)) {}

  Result<uint64_t> get() const { return vcpu_.get_reg(id_.raw()); }
  Status set(uint64_t value) { return vcpu_.set_reg(id_.raw(), value); }
  RegId id() const { return id_; }

 private:
  Vcpu& vcpu_;
  RegId id_;
};

// The bit of an extension id inside MULTI_EN/MULTI_DIS word `id / 64`.
constexpr uint32_t multi_word(uint32_t ext_id) { return ext_id / RegId::kBitsPerMultiWord; }
constexpr uint64_t multi_bit(uint32_t ext_id) { return uint64_t{1} << (ext_id % RegId::kBitsPerMultiWord); }

// 69 -> "ZAAMO", using the catalogue's names.
IsaExtNamer catalogue_isa_ext_namer(const Catalogue& catalogue);
// "ISA_EXT.SINGLE(ZAAMO)" for messages, using the catalogue's names.
RegNamer catalogue_reg_namer(const Catalogue& catalogue);

}  // namespace kvmct::riscv
