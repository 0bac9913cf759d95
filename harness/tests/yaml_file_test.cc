// SPDX-License-Identifier: MIT
// The strict YAML accessors every loader is built on: each rejects what it should with
// file:line and its own reason, and hands back the value otherwise.
#include <gtest/gtest.h>

#include "expect/yaml_file.h"
#include "fails_with.h"

namespace kvmct {
namespace {

// Loads `text` as f.yaml and runs `use` on its root inside parse_yaml, as every loader does.
template <class F>
Result<Ok> load(const std::string& text, F use) {
  YamlFile y("f.yaml");
  return parse_yaml<Ok>(y, [&] {
    use(y, y.load(text));
    return Ok{};
  });
}

TEST(YamlFile, OnlyKeysRejectsAnUnknownKeyAtItsLine) {
  auto only_a = [](const YamlFile& y, const YAML::Node& root) { y.only_keys(root, {"a"}, "the thing"); };
  EXPECT_TRUE(load("a: 1\n", only_a));
  EXPECT_TRUE(FailsWith(load("a: 1\nb: 2\n", only_a), "f.yaml:2: unknown key 'b' in the thing"));
  EXPECT_TRUE(FailsWith(load("- a\n", only_a), "f.yaml:1: the thing must be a mapping"));
}

TEST(YamlFile, RequiredNamesTheMissingKey) {
  std::string got;
  auto need_b = [&](const YamlFile& y, const YAML::Node& root) { got = y.string(y.required(root, "b", "the thing"), "b"); };
  EXPECT_TRUE(FailsWith(load("a: 1\n", need_b), "f.yaml:1: the thing lacks the required key 'b'"));
  ASSERT_TRUE(load("a: 1\nb: x\n", need_b));
  EXPECT_EQ(got, "x");
}

TEST(YamlFile, ScalarsOfTheWrongKind) {
  std::string s;
  long i = 0;
  bool b = false;
  auto str = [&](const YamlFile& y, const YAML::Node& root) { s = y.string(root["a"], "a"); };
  auto num = [&](const YamlFile& y, const YAML::Node& root) { i = y.integer(root["a"], "a"); };
  auto flag = [&](const YamlFile& y, const YAML::Node& root) { b = y.boolean(root["a"], "a"); };
  EXPECT_TRUE(FailsWith(load("a: [x]\n", str), "f.yaml:1: a must be a string"));
  EXPECT_TRUE(FailsWith(load("a: x\n", num), "f.yaml:1: a must be an integer"));
  EXPECT_TRUE(FailsWith(load("a: [1]\n", num), "f.yaml:1: a must be an integer"));
  EXPECT_TRUE(FailsWith(load("a: maybe\n", flag), "f.yaml:1: a must be true or false"));
  EXPECT_TRUE(FailsWith(load("a: [true]\n", flag), "f.yaml:1: a must be true or false"));
  ASSERT_TRUE(load("a: x\n", str) && load("a: -12\n", num) && load("a: true\n", flag));
  EXPECT_EQ(s, "x");
  EXPECT_EQ(i, -12);
  EXPECT_TRUE(b);
}

TEST(YamlFile, VersionMustLookLikeAKernelRelease) {
  KernelVersion v;
  auto ver = [&](const YamlFile& y, const YAML::Node& root) { v = y.version(root["a"], "a"); };
  EXPECT_TRUE(FailsWith(load("a: five\n", ver), "f.yaml:1: a 'five' is not a kernel version like \"6.12\""));
  ASSERT_TRUE(load("a: \"6.12\"\n", ver));
  EXPECT_EQ(v, (KernelVersion{6, 12, 0}));
}

TEST(YamlFile, StringListTakesOnlyAListOfStrings) {
  std::vector<std::string> got;
  auto list = [&](const YamlFile& y, const YAML::Node& root) { got = y.string_list(root["a"], "a"); };
  EXPECT_TRUE(FailsWith(load("a: x\n", list), "f.yaml:1: a must be a list"));
  EXPECT_TRUE(FailsWith(load("a:\n  - x\n  - [y]\n", list), "f.yaml:3: a must be a string"));
  ASSERT_TRUE(load("a: [x, y]\n", list));
  EXPECT_EQ(got, (std::vector<std::string>{"x", "y"}));
}

TEST(YamlFile, SyntaxErrorNamesFileAndLine) {
  Result<Ok> r = load("a: 1\nb: [1\n", [](const YamlFile&, const YAML::Node&) {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().what.rfind("f.yaml:3: ", 0), 0u) << r.error().what;
}

TEST(YamlFile, WhereOfANodeWithoutPositionIsTheFile) {
  YamlFile y("f.yaml");
  EXPECT_EQ(y.where(YAML::Node()), "f.yaml");
  EXPECT_EQ(y.where(YAML::Load("a: 1\nb: 2\n")["b"]), "f.yaml:2");
}

}  // namespace
}  // namespace kvmct
