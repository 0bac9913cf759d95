// SPDX-License-Identifier: MIT
// The AMO reference model against values worked out by hand from the spec text, the list of
// the 72 Zaamo and 72 Zabha instructions, AMOCAS (Zacas, Zabha), and strict reading of
// expected/riscv/amo-vectors.yaml.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "fails_with.h"
#include "read_text.h"
#include "riscv/amo_reference.h"

namespace kvmct::riscv {
namespace {

constexpr uint64_t kUpper = 0xa5a5a5a500000000;  // bits a .w must leave alone

TEST(AmoReference, WordAddWrapsAndSignExtendsRd) {
  // 0x7fffffff + 1 = 0x80000000 in the low word; rd is the old value, sign-extended.
  EXPECT_EQ(amo_reference(AmoOp::Add, 4, kUpper | 0x7fffffff, 1), (AmoOutcome{0x7fffffff, kUpper | 0x80000000}));
  EXPECT_EQ(amo_reference(AmoOp::Add, 4, kUpper | 0x80000000, 0), (AmoOutcome{0xffffffff80000000, kUpper | 0x80000000}));
  // 0xffffffff + 1 wraps to 0 without carrying into bit 32.
  EXPECT_EQ(amo_reference(AmoOp::Add, 4, kUpper | 0xffffffff, 1), (AmoOutcome{~uint64_t{0}, kUpper}));
}

TEST(AmoReference, WordIgnoresUpperBitsOfRs2) {
  // rs2 = 0xdeadbeef_00000001: a .w sees 1, not a large negative doubleword.
  EXPECT_EQ(amo_reference(AmoOp::Min, 4, 5, 0xdeadbeef00000001), (AmoOutcome{5, 1}));
  EXPECT_EQ(amo_reference(AmoOp::Swap, 4, kUpper | 7, 0xdeadbeef00000002), (AmoOutcome{7, kUpper | 2}));
}

TEST(AmoReference, SignedAndUnsignedMinMaxDiffer) {
  // -1 (0xffffffff) against 1: signed min is -1, unsigned min is 1.
  EXPECT_EQ(amo_reference(AmoOp::Min, 4, 0xffffffff, 1).mem, 0xffffffffu);
  EXPECT_EQ(amo_reference(AmoOp::Minu, 4, 0xffffffff, 1).mem, 1u);
  EXPECT_EQ(amo_reference(AmoOp::Max, 4, 0xffffffff, 1).mem, 1u);
  EXPECT_EQ(amo_reference(AmoOp::Maxu, 4, 0xffffffff, 1).mem, 0xffffffffu);
  // Doublewords: INT64_MIN against INT64_MAX.
  EXPECT_EQ(amo_reference(AmoOp::Min, 8, 0x8000000000000000, 0x7fffffffffffffff).mem, 0x8000000000000000u);
  EXPECT_EQ(amo_reference(AmoOp::Maxu, 8, 0x8000000000000000, 0x7fffffffffffffff).mem, 0x8000000000000000u);
  EXPECT_EQ(amo_reference(AmoOp::Max, 8, 0x8000000000000000, 0x7fffffffffffffff).mem, 0x7fffffffffffffffu);
  EXPECT_EQ(amo_reference(AmoOp::Minu, 8, 0x8000000000000000, 0x7fffffffffffffff).mem, 0x7fffffffffffffffu);
}

TEST(AmoReference, BitwiseOps) {
  EXPECT_EQ(amo_reference(AmoOp::Xor, 8, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0).mem, 0xf0f0f0f0f0f0f0f0u);
  EXPECT_EQ(amo_reference(AmoOp::And, 8, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0).mem, 0x0f000f000f000f00u);
  EXPECT_EQ(amo_reference(AmoOp::Or, 8, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0).mem, 0xfff0fff0fff0fff0u);
  EXPECT_EQ(amo_reference(AmoOp::Or, 8, 0xff00ff00ff00ff00, 0).rd, 0xff00ff00ff00ff00u);
}

TEST(AmoReference, NarrowWidthsForZabha) {
  // amoadd.b: 0x7f + 1 = 0x80 in the low byte, rd sign-extended from bit 7, bytes 1..7 kept.
  EXPECT_EQ(amo_reference(AmoOp::Add, 1, 0x1122334455667f7f, 1), (AmoOutcome{0x7f, 0x1122334455667f80}));
  EXPECT_EQ(amo_reference(AmoOp::Swap, 2, 0x112233445566ffff, 0x1234), (AmoOutcome{~uint64_t{0}, 0x1122334455661234}));
  EXPECT_EQ(amo_reference(AmoOp::Max, 2, 0x8000, 0x7fff).mem, 0x7fffu);
}

TEST(ZaamoInstructions, SeventyTwoInStubOrder) {
  const std::vector<AmoInsn> all = zaamo_instructions();
  ASSERT_EQ(all.size(), 72u);
  // The order of guest-payloads/riscv/amo/amo_ops.S: op, then .w/.d, then ordering.
  EXPECT_EQ(all[0].mnemonic(), "amoswap.w");
  EXPECT_EQ(all[3].mnemonic(), "amoswap.w.aqrl");
  EXPECT_EQ(all[5].mnemonic(), "amoswap.d.aq");
  EXPECT_EQ(all[8].mnemonic(), "amoadd.w");
  EXPECT_EQ(all[71].mnemonic(), "amomaxu.d.aqrl");
  EXPECT_EQ(all[42].test_name(), "AmominWRl");
  EXPECT_EQ(all[46].test_name(), "AmominDRl");
  std::set<std::string> names;
  for (const AmoInsn& i : all) {
    const std::string n = i.test_name();
    EXPECT_TRUE(std::all_of(n.begin(), n.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); })) << n;
    EXPECT_TRUE(names.insert(n).second) << "duplicate " << n;
  }
}

TEST(ZabhaInstructions, FollowZaamoInStubOrder) {
  const std::vector<AmoInsn> narrow = zabha_instructions();
  ASSERT_EQ(narrow.size(), 72u);
  EXPECT_EQ(narrow[0].mnemonic(), "amoswap.b");
  EXPECT_EQ(narrow[5].mnemonic(), "amoswap.h.aq");
  EXPECT_EQ(narrow[71].mnemonic(), "amomaxu.h.aqrl");
  EXPECT_EQ(narrow[8].test_name(), "AmoaddB");
  const std::vector<AmoInsn> all = amo_instructions();
  ASSERT_EQ(all.size(), 144u);
  EXPECT_EQ(all[71].mnemonic(), "amomaxu.d.aqrl");
  EXPECT_EQ(all[72].mnemonic(), "amoswap.b");
  std::set<std::string> names;
  for (const AmoInsn& i : all) EXPECT_TRUE(names.insert(i.test_name()).second) << "duplicate " << i.test_name();
}

TEST(CasReference, SwapsOnlyWhenTheWidthsBitsMatch) {
  // amocas.w: equal low words swap even though rd's upper word differs; rd = old, sign-extended.
  EXPECT_EQ(cas_reference(4, kUpper | 0x80000000, 0x1234567880000000, 0x11111111deadbeef),
            (AmoOutcome{0xffffffff80000000, kUpper | 0xdeadbeef}));
  // A miss leaves memory alone and still returns the old value.
  EXPECT_EQ(cas_reference(4, kUpper | 5, 6, 7), (AmoOutcome{5, kUpper | 5}));
  // amocas.d compares all 64 bits.
  EXPECT_EQ(cas_reference(8, 0x8000000000000001, 0x0000000000000001, 9),
            (AmoOutcome{0x8000000000000001, 0x8000000000000001}));
  EXPECT_EQ(cas_reference(8, 0x8000000000000001, 0x8000000000000001, 9), (AmoOutcome{0x8000000000000001, 9}));
  // amocas.b/.h (Zabha): one byte or halfword, the rest of the doubleword kept.
  EXPECT_EQ(cas_reference(1, 0x11223344556677f0, 0xfffffffffffffff0, 0x12), (AmoOutcome{~uint64_t{0xf}, 0x1122334455667712}));
  EXPECT_EQ(cas_reference(2, 0x1122334455667fff, 0x7ffe, 0x1234), (AmoOutcome{0x7fff, 0x1122334455667fff}));
}

TEST(CasReference, QuadComparesBothHalves) {
  const U128 mem{1, 2}, swap{3, 4};
  EXPECT_EQ(cas_q_reference(mem, {1, 2}, swap), (CasQOutcome{mem, swap}));
  EXPECT_EQ(cas_q_reference(mem, {1, 3}, swap), (CasQOutcome{mem, mem}));
  EXPECT_EQ(cas_q_reference(mem, {0, 2}, swap), (CasQOutcome{mem, mem}));
}

TEST(CasInstructions, TwentyInStubOrder) {
  const std::vector<CasInsn> all = cas_instructions();
  ASSERT_EQ(all.size(), 20u);
  EXPECT_EQ(all[0].mnemonic(), "amocas.b");
  EXPECT_EQ(all[7].mnemonic(), "amocas.h.aqrl");
  EXPECT_EQ(all[19].mnemonic(), "amocas.q.aqrl");
  EXPECT_EQ(all[18].test_name(), "AmocasQRl");
  EXPECT_EQ(all[4].extension(), "ZABHA");
  EXPECT_EQ(all[8].extension(), "ZACAS");
}

TEST(AmoVectors, RealFileLoads) {
  Result<AmoVectors> v = AmoVectors::parse(read_text(std::string(KVMCT_EXPECTED_ROOT "/riscv") + "/amo-vectors.yaml"),
                                           "amo-vectors.yaml");
  ASSERT_TRUE(v) << v.error().to_string();
  EXPECT_GE(v->w.values.size(), 5u);
  EXPECT_GE(v->d.values.size(), 5u);
  const std::vector<AmoVector> w = v->vectors(4);
  ASSERT_EQ(w.size(), v->w.values.size() * v->w.values.size());
  // A .w operand sits in a doubleword whose upper half is mem_upper; rs2 carries rs2_upper.
  EXPECT_EQ(w[0].mem >> 32, v->w.mem_upper);
  EXPECT_EQ(w[0].rs2 >> 32, v->w.rs2_upper);
  EXPECT_EQ(v->vectors(8).size(), v->d.values.size() * v->d.values.size());
  for (unsigned width : {1u, 2u}) {
    const AmoVectors::Width& src = width == 1 ? v->b : v->h;
    EXPECT_GE(src.values.size(), 5u);
    const std::vector<AmoVector> narrow = v->vectors(width);
    ASSERT_EQ(narrow.size(), src.values.size() * src.values.size());
    EXPECT_EQ(narrow[0].mem >> (8 * width), src.mem_upper);
    EXPECT_EQ(narrow[0].rs2 >> (8 * width), src.rs2_upper);
  }
  // Every AMOCAS width has hits and misses; the hits carry bits the compare must ignore.
  for (unsigned width : {1u, 2u, 4u, 8u}) {
    const std::vector<CasVector> cas = v->cas_vectors(width);
    ASSERT_EQ(cas.size(), 2 * v->vectors(width).size());
    const uint64_t mask = width == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * width)) - 1;
    size_t hits = 0;
    for (const CasVector& c : cas) hits += ((c.cmp ^ c.mem) & mask) == 0;
    EXPECT_EQ(hits, cas.size() / 2) << width;
    if (width < 8) EXPECT_NE(cas[0].cmp, cas[0].mem) << "a hit's compare value should differ above the width";
  }
  const std::vector<CasQVector> q = v->cas_q_vectors();
  ASSERT_EQ(q.size(), 3 * v->d.values.size() * v->d.values.size());
  EXPECT_EQ(cas_q_reference(q[0].mem, q[0].cmp, q[0].swap).mem, q[0].swap);
  EXPECT_EQ(cas_q_reference(q[1].mem, q[1].cmp, q[1].swap).mem, q[1].mem);
  EXPECT_EQ(cas_q_reference(q[2].mem, q[2].cmp, q[2].swap).mem, q[2].mem);
}

// A valid vector file, width by width; each negative case changes one block.
struct VectorFile {
  std::string b = "b:\n  values: [0x0, 0x7f]\n  rs2_upper: 0x5a\n  mem_upper: 0xa5\n  cmp_upper: 0x3c\n";  // lines 1-5
  std::string h = "h:\n  values: [0x0, 0x7fff]\n";                                                          // lines 6-7
  std::string w = "w:\n  values: [0x0, 0x7fffffff]\n  rs2_upper: 0xdeadbeef\n";                             // lines 8-10
  std::string d = "d:\n  values: [0x0, 0xffffffffffffffff]\n";                                              // lines 11-12
  std::string tail;

  Result<AmoVectors> parse() const { return AmoVectors::parse(b + h + w + d + tail, "v.yaml"); }
};

TEST(AmoVectors, ReadsEveryWidth) {
  Result<AmoVectors> v = VectorFile{}.parse();
  ASSERT_TRUE(v) << v.error().to_string();
  EXPECT_EQ(v->b.values, (std::vector<uint64_t>{0, 0x7f}));
  EXPECT_EQ(v->b.rs2_upper, 0x5au);
  EXPECT_EQ(v->b.mem_upper, 0xa5u);
  EXPECT_EQ(v->b.cmp_upper, 0x3cu);
  EXPECT_EQ(v->h.values, (std::vector<uint64_t>{0, 0x7fff}));
  EXPECT_EQ(v->h.rs2_upper, 0u);
  EXPECT_EQ(v->w.values, (std::vector<uint64_t>{0, 0x7fffffff}));
  EXPECT_EQ(v->w.rs2_upper, 0xdeadbeefu);
  EXPECT_EQ(v->d.values, (std::vector<uint64_t>{0, ~uint64_t{0}}));
}

TEST(AmoVectors, RootHoldsTheFourWidths) {
  EXPECT_TRUE(FailsWith(VectorFile{.tail = "q:\n  values: [0x1]\n"}.parse(), "v.yaml:13: unknown key 'q' in the vector file"));
  EXPECT_TRUE(FailsWith(VectorFile{.h = ""}.parse(), "v.yaml:1: the vector file lacks the required key 'h'"));
  EXPECT_TRUE(FailsWith(VectorFile{.w = "w:\n  values: [0x1]\n  rs2_uper: 0x1\n"}.parse(), "v.yaml:10: unknown key 'rs2_uper' in 'w'"));
  EXPECT_TRUE(FailsWith(VectorFile{.h = "h:\n  rs2_upper: 0x1\n"}.parse(), "v.yaml:7: 'h' lacks the required key 'values'"));
}

TEST(AmoVectors, ValuesAreANonEmptyList) {
  EXPECT_TRUE(FailsWith(VectorFile{.h = "h:\n  values: []\n"}.parse(), "v.yaml:7: 'h' values must be a non-empty list"));
  EXPECT_TRUE(FailsWith(VectorFile{.h = "h:\n  values: 0x1\n"}.parse(), "v.yaml:7: 'h' values must be a non-empty list"));
  EXPECT_TRUE(FailsWith(VectorFile{.h = "h:\n  values: {0x1: 0x2}\n"}.parse(), "v.yaml:7: 'h' values must be a non-empty list"));
}

TEST(AmoVectors, ValuesAreUnsignedIntegers) {
  for (const char* bad : {"-1", "x", "\"\"", "[0x1]"})
    EXPECT_TRUE(FailsWith(VectorFile{.w = std::string("w:\n  values: [0x1, ") + bad + "]\n"}.parse(),
                          "v.yaml:9: a value must be an unsigned integer (write negative values as hex)"))
        << bad;
}

TEST(AmoVectors, ValuesFitTheirWidth) {
  EXPECT_TRUE(FailsWith(VectorFile{.b = "b:\n  values: [0xff, 0x100]\n"}.parse(), "v.yaml:2: a value 0x100 does not fit the width"));
  EXPECT_TRUE(FailsWith(VectorFile{.h = "h:\n  values: [0x10000]\n"}.parse(), "v.yaml:7: a value 0x10000 does not fit the width"));
  EXPECT_TRUE(FailsWith(VectorFile{.w = "w:\n  values: [0x100000000]\n"}.parse(),
                        "v.yaml:9: a value 0x100000000 does not fit the width"));
  const VectorFile largest{.b = "b:\n  values: [0xff]\n", .h = "h:\n  values: [0xffff]\n", .w = "w:\n  values: [0xffffffff]\n"};
  EXPECT_TRUE(largest.parse()) << "the largest value of each width fits";
}

TEST(AmoVectors, UpperBitsFitAboveTheWidth) {
  EXPECT_TRUE(FailsWith(VectorFile{.b = "b:\n  values: [0x1]\n  mem_upper: 0x100000000000000\n"}.parse(),
                        "v.yaml:3: mem_upper 0x100000000000000 does not fit the width"));
  EXPECT_TRUE(FailsWith(VectorFile{.h = "h:\n  values: [0x1]\n  cmp_upper: 0x1000000000000\n"}.parse(),
                        "v.yaml:8: cmp_upper 0x1000000000000 does not fit the width"));
  EXPECT_TRUE(FailsWith(VectorFile{.w = "w:\n  values: [0x1]\n  rs2_upper: 0x100000000\n"}.parse(),
                        "v.yaml:10: rs2_upper 0x100000000 does not fit the width"));
  EXPECT_TRUE(FailsWith(VectorFile{.d = "d:\n  values: [0x1]\n  rs2_upper: 0x1\n"}.parse(),
                        "v.yaml:13: rs2_upper 0x1 does not fit the width"))
      << "a doubleword has no bits above it";
  EXPECT_TRUE(VectorFile{.b = "b:\n  values: [0x1]\n  mem_upper: 0xffffffffffffff\n"}.parse());
}

TEST(AmoVectors, AValueIsListedOnce) {
  EXPECT_TRUE(FailsWith(VectorFile{.b = "b:\n  values:\n    - 0x0\n    - 0x7f\n    - 0x00\n"}.parse(),
                        "v.yaml:5: value 0x00 is listed twice"));
}

}  // namespace
}  // namespace kvmct::riscv
