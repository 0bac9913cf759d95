// SPDX-License-Identifier: MIT
// Naming RISC-V register ids with the extension catalogue.
#include "riscv/isa_ext_register.h"

namespace kvmct::riscv {

IsaExtNamer catalogue_isa_ext_namer(const Catalogue& catalogue) {
  return [&catalogue](uint32_t id) -> std::optional<std::string> {
    if (const Extension* e = catalogue.by_id(id)) return e->name;
    return std::nullopt;
  };
}

RegNamer catalogue_reg_namer(const Catalogue& catalogue) {
  return [namer = catalogue_isa_ext_namer(catalogue)](uint64_t raw) { return RegId(raw).to_string(namer); };
}

}  // namespace kvmct::riscv
