// SPDX-License-Identifier: MIT
// The catalogue loader accepts the documented schema and rejects mistakes with file:line.
#include <gtest/gtest.h>

#include "riscv/expect/catalogue.h"

namespace kvmct {
namespace {

constexpr const char* kFile = "expected/riscv/isa-extensions.yaml";

Result<Catalogue> parse(const std::string& body) { return Catalogue::parse("extensions:\n" + body, kFile); }

TEST(Catalogue, LoadsEntries) {
  Result<Catalogue> c = parse(
      "  - {name: A, id: 0, since: \"5.19\", host: [a], letter: a}\n"
      "  - {name: ZAAMO, id: 1, since: \"6.15\", host: [zaamo, a]}\n"
      "  - {name: SVADE, id: 2, since: \"6.13\", host: [svade], guest_visible: false, why: \"no instruction\"}\n");
  ASSERT_TRUE(c) << c.error().to_string();
  ASSERT_EQ(c->extensions().size(), 3u);
  EXPECT_EQ(c->by_name("ZAAMO")->id, 1u);
  EXPECT_EQ(c->by_id(0)->letter, 'a');
  EXPECT_EQ(c->by_id(1)->test_name(), "Zaamo");
  EXPECT_EQ(c->by_id(1)->since, (KernelVersion{6, 15, 0}));
  EXPECT_FALSE(c->by_id(2)->guest_visible);
  EXPECT_EQ(c->max_id(), 2u);
}

TEST(Catalogue, DuplicateIdNamesBothAndLine) {
  Result<Catalogue> c = parse(
      "  - {name: A, id: 0, since: \"5.19\", host: [a]}\n"
      "  - {name: B, id: 0, since: \"5.19\", host: [b]}\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().what, std::string(kFile) + ":3: duplicate id 0: B and A (line 2)");
}

TEST(Catalogue, UnknownKeyIsAnError) {
  Result<Catalogue> c = parse("  - {name: A, id: 0, since: \"5.19\", host: [a], hots: [a]}\n");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().what.find(":2: unknown key 'hots'"), std::string::npos) << c.error().what;
}

TEST(Catalogue, GapInIdsIsAnError) {
  Result<Catalogue> c = parse(
      "  - {name: A, id: 0, since: \"5.19\", host: [a]}\n"
      "  - {name: C, id: 2, since: \"5.19\", host: [c]}\n");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().what.find("id 1 is missing before C"), std::string::npos) << c.error().what;
}

TEST(Catalogue, BadVersionAndMissingKey) {
  Result<Catalogue> v = parse("  - {name: A, id: 0, since: \"five\", host: [a]}\n");
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().what.find("'five' is not a kernel version"), std::string::npos) << v.error().what;
  Result<Catalogue> m = parse("  - {name: A, id: 0, host: [a]}\n");
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().what.find("lacks the required key 'since'"), std::string::npos) << m.error().what;
}

TEST(Catalogue, SyntaxErrorNamesFileAndLine) {
  Result<Catalogue> c = Catalogue::parse("extensions:\n  - {name: A\n", kFile);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().what.rfind(std::string(kFile) + ":", 0), 0u) << c.error().what;
}

}  // namespace
}  // namespace kvmct
