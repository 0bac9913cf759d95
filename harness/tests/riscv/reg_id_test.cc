// SPDX-License-Identifier: MIT
// Register-id encoding against the worked ids of arch/riscv/include/uapi/asm/kvm.h.
#include <gtest/gtest.h>

#include "riscv/reg_id.h"

namespace kvmct::riscv {
namespace {

TEST(RegId, IsaExtSingleMatchesUapi) {
  EXPECT_EQ(RegId::isa_ext(0).raw(), 0x8030000007000000ULL);
  EXPECT_EQ(RegId::isa_ext(69).raw(), 0x8030000007000045ULL);  // ZAAMO
  EXPECT_EQ(RegId::isa_ext(70).raw(), 0x8030000007000046ULL);  // ZALRSC
}

TEST(RegId, MultiConfigCoreCsr) {
  EXPECT_EQ(RegId::isa_multi_en(1).raw(), 0x8030000007010001ULL);
  EXPECT_EQ(RegId::isa_multi_dis(0).raw(), 0x8030000007020000ULL);
  EXPECT_EQ(RegId::config(ConfigReg::Isa).raw(), 0x8030000001000000ULL);
  EXPECT_EQ(RegId::core(CoreReg::A0).raw(), 0x803000000200000aULL);
  EXPECT_EQ(RegId::core(CoreReg::Mode).raw(), 0x8030000002000020ULL);
  EXPECT_EQ(RegId::csr(CsrReg::Satp).raw(), 0x8030000003000008ULL);
}

TEST(RegId, DecodesFields) {
  RegId id = RegId::isa_ext(69).with_size(RegSize::U32);
  EXPECT_EQ(id.size(), RegSize::U32);
  EXPECT_EQ(id.size_bytes(), 4u);
  EXPECT_EQ(id.type(), RegType::IsaExt);
  EXPECT_EQ(id.index(), 69u);
  EXPECT_TRUE(id.is_isa_ext_single());
  EXPECT_FALSE(RegId::isa_multi_en(0).is_isa_ext_single());
}

TEST(RegId, ToStringNamesEveryClass) {
  auto namer = [](uint32_t id) -> std::optional<std::string> {
    if (id == 69) return "ZAAMO";
    return std::nullopt;
  };
  EXPECT_EQ(RegId::isa_ext(69).to_string(namer), "ISA_EXT.SINGLE(ZAAMO)");
  EXPECT_EQ(RegId::isa_ext(200).to_string(namer), "ISA_EXT.SINGLE(200)");
  EXPECT_EQ(RegId::isa_ext(69).with_size(RegSize::U32).to_string(namer), "ISA_EXT.SINGLE(ZAAMO)/U32");
  EXPECT_EQ(RegId::isa_multi_dis(1).to_string(), "ISA_EXT.MULTI_DIS[1]");
  EXPECT_EQ(RegId::config(ConfigReg::Isa).to_string(), "CONFIG(isa)");
  EXPECT_EQ(RegId::core(CoreReg::Pc).to_string(), "CORE(pc)");
  EXPECT_EQ(RegId::csr(CsrReg::Stvec).to_string(), "CSR(stvec)");
  EXPECT_EQ(RegId::make(RegType::Csr, 1, 0).to_string(), "CSR.AIA(siselect)");
  EXPECT_EQ(RegId::make(RegType::Csr, 2, 0).to_string(), "CSR.SMSTATEEN(sstateen0)");
  EXPECT_EQ(RegId::make(RegType::Config, 0, 7).to_string(), "CONFIG(zicbop_block_size)");
  EXPECT_EQ(RegId::make(RegType::Vector, 0, 3).to_string(), "VECTOR.0[3]");
  EXPECT_EQ(RegId(0x1234).to_string(), "0x0000000000001234");
}

TEST(RegId, ToStringOfIdsWithoutAName) {
  EXPECT_EQ(RegId::isa_ext(69).to_string(), "ISA_EXT.SINGLE(69)") << "no namer";
  EXPECT_EQ(RegId::make(RegType::Core, 0, 40).to_string(), "CORE(40)");
  EXPECT_EQ(RegId::make(RegType::Config, 1, 0).to_string(), "CONFIG.1[0]");
  EXPECT_EQ(RegId::make(RegType::Csr, 2, 3).to_string(), "CSR.SMSTATEEN(3)");
  EXPECT_EQ(RegId::make(RegType::Csr, 3, 0).to_string(), "CSR.3[0]");
  EXPECT_EQ(RegId::make(RegType::IsaExt, 3, 1).to_string(), "ISA_EXT.3[1]");
  EXPECT_EQ(RegId::make(static_cast<RegType>(15), 0, 2).to_string(), "TYPE15.0[2]");
  EXPECT_EQ(RegId::csr(CsrReg::Satp).with_size(RegSize::U128).to_string(), "CSR(satp)/U128");
}

}  // namespace
}  // namespace kvmct::riscv
