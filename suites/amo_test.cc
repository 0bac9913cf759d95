// SPDX-License-Identifier: MIT
// Zaamo in a KVM guest: each of the 72 AMO instructions is one case that runs the
// instruction over every vector of expected/amo-vectors.yaml and compares rd and memory
// with the reference model (harness/riscv/amo_reference.h).
#include <gtest/gtest.h>

#include <cinttypes>
#include <vector>

#include "guest_support.h"
#include "suite_context.h"
#include "riscv/amo_reference.h"

namespace kvmct {
namespace {

using riscv::AmoInsn;
using riscv::AmoVector;
using riscv::hex;

const Result<riscv::AmoVectors>& amo_vectors() {
  static const Result<riscv::AmoVectors> vectors = [] {
    Result<ExpectedFile> f = context().expected_file("amo-vectors.yaml");
    if (!f) return Result<riscv::AmoVectors>(f.error());
    return riscv::AmoVectors::parse(f->text, f->name);
  }();
  return vectors;
}

class Amo : public testing::TestWithParam<unsigned> {};

TEST_P(Amo, Executes) {
  const unsigned index = GetParam();
  const AmoInsn insn = riscv::zaamo_instructions().at(index);
  const Result<riscv::AmoVectors>& all = amo_vectors();
  ASSERT_TRUE(all.ok()) << all.error().to_string();
  const std::vector<AmoVector> vectors = all->vectors(insn.width);

  Result<riscv::GuestVm> vm = make_guest_vm("amo");
  ASSERT_TRUE(vm.ok()) << vm.error().to_string();
  // Parameter block of guest-payloads/amo/amo.c: op, count, then (mem, rs2) pairs.
  std::vector<uint64_t> params = {index, vectors.size()};
  for (const AmoVector& v : vectors) params.insert(params.end(), {v.mem, v.rs2});
  ASSERT_TRUE(vm->set_params({reinterpret_cast<const uint8_t*>(params.data()), params.size() * 8}).ok());

  const riscv::GuestRun run = vm->run();
  record_guest_run(run);
  ASSERT_TRUE(run.clean()) << run.summary();
  // The guest names the stub it ran, so a table out of step with amo_ops.S cannot pass.
  ASSERT_EQ(run.console, insn.mnemonic());
  const std::vector<uint64_t> rd = run.values("rd"), mem = run.values("mem");
  ASSERT_EQ(rd.size(), vectors.size()) << run.summary();
  ASSERT_EQ(mem.size(), vectors.size()) << run.summary();

  int mismatches = 0;
  for (size_t i = 0; i < vectors.size(); i++) {
    const riscv::AmoOutcome want = riscv::amo_reference(insn.op, insn.width, vectors[i].mem, vectors[i].rs2);
    if (rd[i] == want.rd && mem[i] == want.mem) continue;
    if (++mismatches <= 8)
      ADD_FAILURE() << insn.mnemonic() << " with memory " << hex(vectors[i].mem) << ", rs2 " << hex(vectors[i].rs2)
                    << ": rd " << hex(rd[i]) << " (expected " << hex(want.rd) << "), memory " << hex(mem[i])
                    << " (expected " << hex(want.mem) << ")";
  }
  EXPECT_EQ(mismatches, 0) << "of " << vectors.size() << " vectors";
  RecordProperty("vectors", static_cast<int>(vectors.size()));
}

std::vector<unsigned> all_indices() {
  std::vector<unsigned> out(riscv::zaamo_instructions().size());
  for (unsigned i = 0; i < out.size(); i++) out[i] = i;
  return out;
}

INSTANTIATE_TEST_SUITE_P(Zaamo, Amo, testing::ValuesIn(all_indices()),
                         [](const testing::TestParamInfo<unsigned>& info) {
                           return riscv::zaamo_instructions().at(info.param).test_name();
                         });

}  // namespace
}  // namespace kvmct
