// SPDX-License-Identifier: MIT
// Zaamo, Zabha and Zacas in a KVM guest: each AMO instruction (72 Zaamo, 72 Zabha .b/.h,
// 20 AMOCAS) is one case that runs the instruction over every vector of
// expected/riscv/amo-vectors.yaml and compares rd and memory with the reference model
// (harness/riscv/amo_reference.h). Zabha and Zacas cases run only when the host has the
// extension and the vCPU's ISA_EXT register reads 1; otherwise they skip with the reason.
#include <gtest/gtest.h>

#include <cinttypes>
#include <optional>
#include <string>
#include <vector>

#include "extension_gate.h"
#include "guest_support.h"
#include "suite_context.h"
#include "riscv/amo_reference.h"
#include "riscv/guest_abi.h"

namespace kvmct {
namespace {

using riscv::AmoInsn;
using riscv::CasInsn;
using riscv::AmoVector;
using ::kvmct::hex;

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
  const AmoInsn insn = riscv::amo_instructions().at(index);
  const Result<riscv::AmoVectors>& all = amo_vectors();
  ASSERT_TRUE(all.ok()) << all.error().to_string();
  const std::vector<AmoVector> vectors = all->vectors(insn.width);

  if (insn.width < 4) {
    if (std::optional<Skip> why = host_lacks_extension("ZABHA")) KVMCT_SKIP(why->kind) << why->reason;
  }
  Result<riscv::GuestVm> vm = make_guest_vm("amo");
  ASSERT_TRUE(vm.ok()) << vm.error().to_string();
  if (insn.width < 4) {
    if (std::optional<Skip> why = extension_unavailable("ZABHA", *vm)) KVMCT_SKIP(why->kind) << why->reason;
  }
  // Parameter block of guest-payloads/riscv/amo/amo.c: op, count, then (mem, rs2) pairs.
  std::vector<uint64_t> params = {index, vectors.size()};
  for (const AmoVector& v : vectors) params.insert(params.end(), {v.mem, v.rs2});
  ASSERT_TRUE(vm->set_params({reinterpret_cast<const uint8_t*>(params.data()), params.size() * 8}).ok());

  const GuestRun run = vm->run();
  record_guest_run(run);
  ASSERT_TRUE(run.clean()) << run.summary();
  // The guest names the stub it ran, so a table out of step with amo_ops.S cannot pass.
  ASSERT_EQ(run.console, insn.mnemonic());
  KVMCT_REQUIRE_REPORTS(rd, run, "rd", vectors.size());
  KVMCT_REQUIRE_REPORTS(mem, run, "mem", vectors.size());

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

std::vector<unsigned> indices(size_t first, size_t count) {
  std::vector<unsigned> out(count);
  for (unsigned i = 0; i < out.size(); i++) out[i] = static_cast<unsigned>(first) + i;
  return out;
}

std::string amo_case_name(const testing::TestParamInfo<unsigned>& info) {
  return riscv::amo_instructions().at(info.param).test_name();
}

INSTANTIATE_TEST_SUITE_P(Zaamo, Amo, testing::ValuesIn(indices(0, riscv::zaamo_instructions().size())), amo_case_name);
INSTANTIATE_TEST_SUITE_P(Zabha, Amo,
                         testing::ValuesIn(indices(riscv::zaamo_instructions().size(),
                                                   riscv::zabha_instructions().size())),
                         amo_case_name);

// AMOCAS stub i is op kCasBase + i in guest-payloads/riscv/amo/amo.c (AMO_CAS_BASE).
constexpr uint64_t kCasBase = 256;

class Amocas : public testing::TestWithParam<unsigned> {};

TEST_P(Amocas, Executes) {
  const unsigned index = GetParam();
  const CasInsn insn = riscv::cas_instructions().at(index);
  const Result<riscv::AmoVectors>& all = amo_vectors();
  ASSERT_TRUE(all.ok()) << all.error().to_string();

  if (std::optional<Skip> why = host_lacks_extension(insn.extension())) KVMCT_SKIP(why->kind) << why->reason;
  Result<riscv::GuestVm> vm = make_guest_vm("amo");
  ASSERT_TRUE(vm.ok()) << vm.error().to_string();
  if (std::optional<Skip> why = extension_unavailable(insn.extension(), *vm)) KVMCT_SKIP(why->kind) << why->reason;

  // Parameter block: op, count, then (mem, cmp, swap) triples, or 6 words per .q vector.
  std::vector<uint64_t> params = {kCasBase + index, 0};
  std::vector<riscv::CasVector> vectors;
  std::vector<riscv::CasQVector> q_vectors;
  if (insn.width == 16) {
    q_vectors = all->cas_q_vectors();
    params[1] = q_vectors.size();
    for (const riscv::CasQVector& v : q_vectors)
      params.insert(params.end(), {v.mem.lo, v.mem.hi, v.cmp.lo, v.cmp.hi, v.swap.lo, v.swap.hi});
  } else {
    vectors = all->cas_vectors(insn.width);
    params[1] = vectors.size();
    for (const riscv::CasVector& v : vectors) params.insert(params.end(), {v.mem, v.cmp, v.swap});
  }
  ASSERT_LE(params.size() * 8, size_t{KVMCT_PARAMS_SIZE});
  ASSERT_TRUE(vm->set_params({reinterpret_cast<const uint8_t*>(params.data()), params.size() * 8}).ok());

  const GuestRun run = vm->run();
  record_guest_run(run);
  ASSERT_TRUE(run.clean()) << run.summary();
  ASSERT_EQ(run.console, insn.mnemonic());

  int mismatches = 0;
  if (insn.width == 16) {
    KVMCT_REQUIRE_REPORTS(rd_lo, run, "rd_lo", q_vectors.size());
    KVMCT_REQUIRE_REPORTS(rd_hi, run, "rd_hi", q_vectors.size());
    KVMCT_REQUIRE_REPORTS(mem_lo, run, "mem_lo", q_vectors.size());
    KVMCT_REQUIRE_REPORTS(mem_hi, run, "mem_hi", q_vectors.size());
    for (size_t i = 0; i < q_vectors.size(); i++) {
      const riscv::CasQVector& v = q_vectors[i];
      const riscv::CasQOutcome want = riscv::cas_q_reference(v.mem, v.cmp, v.swap);
      const riscv::CasQOutcome got{{rd_lo[i], rd_hi[i]}, {mem_lo[i], mem_hi[i]}};
      if (got == want) continue;
      if (++mismatches <= 8)
        ADD_FAILURE() << insn.mnemonic() << " with memory " << hex(v.mem.hi) << ":" << hex(v.mem.lo) << ", compare "
                      << hex(v.cmp.hi) << ":" << hex(v.cmp.lo) << ", swap " << hex(v.swap.hi) << ":" << hex(v.swap.lo)
                      << ": rd " << hex(got.rd.hi) << ":" << hex(got.rd.lo) << " (expected " << hex(want.rd.hi) << ":"
                      << hex(want.rd.lo) << "), memory " << hex(got.mem.hi) << ":" << hex(got.mem.lo) << " (expected "
                      << hex(want.mem.hi) << ":" << hex(want.mem.lo) << ")";
    }
    EXPECT_EQ(mismatches, 0) << "of " << q_vectors.size() << " vectors";
    RecordProperty("vectors", static_cast<int>(q_vectors.size()));
    return;
  }
  KVMCT_REQUIRE_REPORTS(rd, run, "rd", vectors.size());
  KVMCT_REQUIRE_REPORTS(mem, run, "mem", vectors.size());
  for (size_t i = 0; i < vectors.size(); i++) {
    const riscv::CasVector& v = vectors[i];
    const riscv::AmoOutcome want = riscv::cas_reference(insn.width, v.mem, v.cmp, v.swap);
    if (rd[i] == want.rd && mem[i] == want.mem) continue;
    if (++mismatches <= 8)
      ADD_FAILURE() << insn.mnemonic() << " with memory " << hex(v.mem) << ", compare " << hex(v.cmp) << ", swap "
                    << hex(v.swap) << ": rd " << hex(rd[i]) << " (expected " << hex(want.rd) << "), memory "
                    << hex(mem[i]) << " (expected " << hex(want.mem) << ")";
  }
  EXPECT_EQ(mismatches, 0) << "of " << vectors.size() << " vectors";
  RecordProperty("vectors", static_cast<int>(vectors.size()));
}

std::string cas_case_name(const testing::TestParamInfo<unsigned>& info) {
  return riscv::cas_instructions().at(info.param).test_name();
}

// amocas.b/.h belong to Zabha, amocas.w/.d/.q to Zacas (first 8 of cas_instructions()).
constexpr size_t kZabhaCas = 8;
INSTANTIATE_TEST_SUITE_P(Zabha, Amocas, testing::ValuesIn(indices(0, kZabhaCas)), cas_case_name);
INSTANTIATE_TEST_SUITE_P(Zacas, Amocas,
                         testing::ValuesIn(indices(kZabhaCas, riscv::cas_instructions().size() - kZabhaCas)),
                         cas_case_name);

}  // namespace
}  // namespace kvmct
