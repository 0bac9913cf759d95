// SPDX-License-Identifier: MIT
// The capabilities.yaml loader and the expected value of a capability: a valid file with
// exactly one defect is rejected with file:line and the reason; the real table loads.
#include <gtest/gtest.h>

#include <string>

#include "arm64/expect/capabilities.h"
#include "fails_with.h"
#include "read_text.h"

namespace kvmct::arm64 {
namespace {

const std::string kValid =
    "capabilities:\n"
    "  KVM_CAP_ARM_SVE:\n"
    "    id: 170\n"
    "    since: \"5.2\"\n"
    "    host_has: [sve]\n"
    "    source: s\n"
    "  KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES:\n"
    "    id: 230\n"
    "    since: \"6.7\"\n"
    "    value: 1\n"
    "    source: s\n";

Result<CapabilityTable> parse_with(const std::string& from, const std::string& to) {
  std::string text = kValid;
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  return CapabilityTable::parse(text, "caps.yaml");
}

TEST(CapabilityTable, ValidFileLoads) {
  Result<CapabilityTable> t = CapabilityTable::parse(kValid, "caps.yaml");
  ASSERT_TRUE(t) << t.error().to_string();
  ASSERT_EQ(t->rules().size(), 2u);
  const CapabilityRule* sve = t->find("KVM_CAP_ARM_SVE");
  ASSERT_NE(sve, nullptr);
  EXPECT_EQ(sve->id, 170);
  EXPECT_EQ(sve->value, 1) << "value defaults to 1";
  EXPECT_EQ(sve->host_has, std::vector<std::string>{"sve"});
  EXPECT_EQ(t->find("KVM_CAP_NONE"), nullptr);
}

TEST(CapabilityTable, RejectsEachDefect) {
  EXPECT_TRUE(FailsWith(parse_with("capabilities:", "caps:"), "caps.yaml:1: unknown key 'caps' in the file"));
  EXPECT_TRUE(FailsWith(CapabilityTable::parse("capabilities: [1]\n", "caps.yaml"),
                        "caps.yaml:1: capabilities must be a map of KVM_CAP_* names"));
  EXPECT_TRUE(FailsWith(parse_with("KVM_CAP_ARM_SVE:", "ARM_SVE:"), "caps.yaml:2: ARM_SVE is not a KVM_CAP_* name"));
  EXPECT_TRUE(FailsWith(parse_with("    host_has: [sve]\n", "    hosts: [sve]\n"),
                        "caps.yaml:5: unknown key 'hosts' in KVM_CAP_ARM_SVE"));
  EXPECT_TRUE(FailsWith(parse_with("    id: 170\n", ""), "caps.yaml:3: KVM_CAP_ARM_SVE lacks the required key 'id'"));
  EXPECT_TRUE(FailsWith(parse_with("    id: 170\n", "    id: 0\n"), "caps.yaml:3: KVM_CAP_ARM_SVE: id must be positive"));
  EXPECT_TRUE(FailsWith(parse_with("    id: 230\n", "    id: 170\n"),
                        "caps.yaml:8: KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES: id 170 is also KVM_CAP_ARM_SVE"));
  EXPECT_TRUE(FailsWith(parse_with("    value: 1\n", "    value: 0\n"),
                        "caps.yaml:10: KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES: value 0 says nothing; a capability that applies is non-zero"));
  EXPECT_TRUE(FailsWith(parse_with("    since: \"5.2\"\n", ""), "caps.yaml:3: KVM_CAP_ARM_SVE lacks the required key 'since'"));
}

TEST(CapabilityExpectation, VersionThenHostFeaturesDecide) {
  Result<CapabilityTable> t = CapabilityTable::parse(kValid, "caps.yaml");
  ASSERT_TRUE(t) << t.error().to_string();
  const CapabilityRule& sve = *t->find("KVM_CAP_ARM_SVE");
  const CapabilityRule& ranges = *t->find("KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES");
  EXPECT_EQ(expect_capability(ranges, {6, 6, 0}, {}).value, 0) << "before 6.7";
  EXPECT_EQ(expect_capability(ranges, {6, 7, 0}, {}).value, 1);
  EXPECT_EQ(expect_capability(ranges, {7, 2, 13}, {}).value, 1);
  EXPECT_EQ(expect_capability(sve, {6, 12, 0}, {"fp", "asimd"}).value, 0) << "host without sve";
  EXPECT_EQ(expect_capability(sve, {6, 12, 0}, {"fp", "sve"}).value, 1);
  EXPECT_EQ(expect_capability(sve, {5, 1, 0}, {"sve"}).value, 0) << "before 5.2";
  EXPECT_EQ(expect_capability(sve, {6, 12, 0}, {"asimd"}).rule, "the host lacks 'sve' (/proc/cpuinfo Features) (s)");
}

TEST(CapabilityTable, RealTableLoads) {
  const std::string path = KVMCT_EXPECTED_ROOT "/arm64/capabilities.yaml";
  Result<CapabilityTable> t = CapabilityTable::parse(read_text(path), path);
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_NE(t->find("KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES"), nullptr);
  EXPECT_EQ(t->find("KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES")->id, 230);
}

}  // namespace
}  // namespace kvmct::arm64
