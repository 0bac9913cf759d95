// SPDX-License-Identifier: MIT
// The atomic-traps.yaml loader (harness/riscv/expect/atomic_traps.cc): a valid file with exactly
// one defect is rejected with file:line and the reason.
#include <gtest/gtest.h>

#include <string>

#include "fails_with.h"
#include "riscv/expect/atomic_traps.h"

namespace kvmct {
namespace {

// A valid file using every key: known_bugs (line 1), a case with a known_bug (line 8), a case
// with observations (line 11).
const std::string kValid =
    "known_bugs:\n"
    "  mpv:\n"
    "    platform: \"qemu-10.0.*\"\n"
    "    owner: qemu\n"
    "    summary: s\n"
    "    details: d\n"
    "cases:\n"
    "  MisalignedAmoaddW:\n"
    "    allowed: [store-misaligned]\n"
    "    known_bug: {bug: mpv, outcomes: [{since: \"6.12\", outcome: kvm-run-EOPNOTSUPP}]}\n"
    "  UnmappedLoadD:\n"
    "    allowed: [mmio-exit]\n"
    "    allowed_if_host_has: {zama16b: [completed]}\n"
    "    observed: [{since: \"6.12\", outcome: mmio-exit}, {since: \"7.2\", outcome: completed}]\n";

Result<TrapTable> parse(const std::string& text) {
  static const std::string_view two[] = {"MisalignedAmoaddW", "UnmappedLoadD"};
  return TrapTable::parse(text, "t.yaml", two);
}

// kValid with its one occurrence of `from` replaced by `to`: the one defect of a negative case.
std::string with(const std::string& from, const std::string& to) {
  std::string text = kValid;
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from << " is not unique";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(AtomicTraps, ValidFileLoads) {
  Result<TrapTable> t = parse(kValid);
  ASSERT_TRUE(t) << t.error().to_string();
  const TrapExpectation& d = t->cases.at("UnmappedLoadD");
  ASSERT_EQ(d.observed.size(), 2u);
  EXPECT_EQ(d.observed[1].outcome, "completed");
  EXPECT_EQ(d.allowed_if_host_has.at("zama16b"), std::vector<std::string>{"completed"});
  EXPECT_EQ(t->cases.at("MisalignedAmoaddW").known_bug->bug, "mpv");
}

TEST(AtomicTraps, FileHasOnlyKnownKeys) {
  EXPECT_TRUE(FailsWith(parse(with("cases:\n", "known_bug: {}\ncases:\n")), "t.yaml:7: unknown key 'known_bug' in the file"));
}

TEST(AtomicTraps, KnownBugHasOnlyKnownKeys) {
  EXPECT_TRUE(FailsWith(parse(with("    details: d\n", "    details: d\n    url: u\n")),
                        "t.yaml:7: unknown key 'url' in known bug mpv"));
}

TEST(AtomicTraps, CaseHasOnlyKnownKeys) {
  EXPECT_TRUE(FailsWith(parse(with("    observed: [", "    observe: [")), "t.yaml:14: unknown key 'observe' in UnmappedLoadD"));
}

TEST(AtomicTraps, CaseKnownBugHasOnlyKnownKeys) {
  EXPECT_TRUE(FailsWith(parse(with("{bug: mpv,", "{bug: mpv, why: w,")),
                        "t.yaml:10: unknown key 'why' in MisalignedAmoaddW known_bug"));
}

TEST(AtomicTraps, CaseKnownBugNamesAKnownBug) {
  EXPECT_TRUE(FailsWith(parse(with("{bug: mpv,", "{bug: mvp,")),
                        "t.yaml:10: MisalignedAmoaddW names unknown bug 'mvp' (see known_bugs)"));
}

TEST(AtomicTraps, ObservedIsAList) {
  EXPECT_TRUE(FailsWith(parse(with("    observed: [{since: \"6.12\", outcome: mmio-exit}, {since: \"7.2\", outcome: completed}]",
                                   "    observed: {since: \"6.12\", outcome: mmio-exit}")),
                        "t.yaml:14: UnmappedLoadD observed must be a list"));
}

TEST(AtomicTraps, ObservationHasOnlySinceAndOutcome) {
  EXPECT_TRUE(FailsWith(parse(with("outcome: completed}", "outcome: completed, why: w}")),
                        "t.yaml:14: unknown key 'why' in UnmappedLoadD observed"));
}

// Equal or descending `since` would make for_kernel() pick by position, not by version.
TEST(AtomicTraps, ObservationsAreInAscendingSinceOrder) {
  EXPECT_TRUE(FailsWith(parse(with("{since: \"7.2\", outcome: completed}", "{since: \"6.1\", outcome: completed}")),
                        "t.yaml:14: UnmappedLoadD observed must be in ascending 'since' order"));
  EXPECT_TRUE(FailsWith(parse(with("{since: \"7.2\", outcome: completed}", "{since: \"6.12\", outcome: completed}")),
                        "t.yaml:14: UnmappedLoadD observed must be in ascending 'since' order"));
}

// yaml-cpp keeps both entries of a repeated key, so the loader must refuse the second itself.
TEST(AtomicTraps, CaseIsListedOnce) {
  EXPECT_TRUE(FailsWith(parse(kValid + "  UnmappedLoadD:\n    allowed: [completed]\n"), "t.yaml:15: UnmappedLoadD is listed twice"));
}

}  // namespace
}  // namespace kvmct
