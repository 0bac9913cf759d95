// SPDX-License-Identifier: MIT
// The catalogue loader accepts the documented schema and rejects mistakes with file:line: each
// negative case is the valid kEntries with exactly one defect.
#include <gtest/gtest.h>

#include <vector>

#include "fails_with.h"
#include "riscv/expect/catalogue.h"

namespace kvmct {
namespace {

constexpr const char* kFile = "expected/riscv/isa-extensions.yaml";

// Lines 2, 3 and 4 of the file.
const std::vector<std::string> kEntries = {
    "{name: A, id: 0, since: \"5.19\", host: [a], letter: a}",
    "{name: ZAAMO, id: 1, since: \"6.15\", host: [zaamo, a]}",
    "{name: SVADE, id: 2, since: \"6.13\", host: [svade], guest_visible: false, why: \"no instruction\"}",
};

Result<Catalogue> parse(const std::vector<std::string>& entries, const std::string& tail = "") {
  std::string text = "extensions:\n";
  for (const std::string& e : entries) text += "  - " + e + "\n";
  return Catalogue::parse(text + tail, kFile);
}

// kEntries with entry `i` (0-based; file line i + 2) replaced.
Result<Catalogue> with_entry(size_t i, const std::string& entry) {
  std::vector<std::string> e = kEntries;
  e.at(i) = entry;
  return parse(e);
}

std::string at(int line, const std::string& reason) { return std::string(kFile) + ":" + std::to_string(line) + ": " + reason; }

TEST(Catalogue, LoadsEntries) {
  Result<Catalogue> c = parse(kEntries);
  ASSERT_TRUE(c) << c.error().to_string();
  ASSERT_EQ(c->extensions().size(), 3u);
  EXPECT_EQ(c->file(), kFile);
  EXPECT_EQ(c->by_name("ZAAMO")->id, 1u);
  EXPECT_EQ(c->by_name("ZAAMO")->line, 3);
  EXPECT_EQ(c->by_name("NOPE"), nullptr);
  EXPECT_EQ(c->by_id(3), nullptr);
  EXPECT_EQ(c->by_id(0)->letter, 'a');
  EXPECT_FALSE(c->by_id(1)->letter);
  EXPECT_EQ(c->by_id(1)->test_name(), "Zaamo");
  EXPECT_EQ(c->by_id(1)->since, (KernelVersion{6, 15, 0}));
  EXPECT_EQ(c->by_id(1)->host, (std::vector<std::string>{"zaamo", "a"}));
  EXPECT_TRUE(c->by_id(1)->guest_visible);
  EXPECT_FALSE(c->by_id(2)->guest_visible);
  EXPECT_EQ(c->by_id(2)->why, "no instruction");
  EXPECT_EQ(c->max_id(), 2u);
}

TEST(Catalogue, SortsById) {
  Result<Catalogue> c = parse({kEntries[2], kEntries[0], kEntries[1]});
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->extensions().front().name, "A");
  EXPECT_EQ(c->extensions().back().name, "SVADE");
  EXPECT_EQ(c->max_id(), 2u);
}

TEST(Catalogue, EmptyListIsAnEmptyCatalogue) {
  Result<Catalogue> c = Catalogue::parse("extensions: []\n", kFile);
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_TRUE(c->extensions().empty());
  EXPECT_EQ(c->max_id(), 0u);
}

TEST(Catalogue, TestNameKeepsLettersAndDigits) {
  Extension e;
  e.name = "SV_NAPOT64";
  EXPECT_EQ(e.test_name(), "Svnapot64");
}

TEST(Catalogue, RootMustHoldAListOfExtensions) {
  EXPECT_TRUE(FailsWith(parse(kEntries, "extras: 1\n"), at(5, "unknown key 'extras' in the catalogue")));
  EXPECT_TRUE(FailsWith(Catalogue::parse("{}\n", kFile), at(1, "the catalogue lacks the required key 'extensions'")));
  EXPECT_TRUE(FailsWith(Catalogue::parse("extensions: none\n", kFile), at(1, "'extensions' must be a list")));
}

TEST(Catalogue, UnknownOrMissingKey) {
  EXPECT_TRUE(FailsWith(with_entry(1, "{name: ZAAMO, id: 1, since: \"6.15\", host: [zaamo], hots: [a]}"),
                        at(3, "unknown key 'hots' in an extension")));
  EXPECT_TRUE(FailsWith(with_entry(1, "{id: 1, since: \"6.15\", host: [zaamo]}"),
                        at(3, "an extension lacks the required key 'name'")));
  EXPECT_TRUE(FailsWith(with_entry(1, "{name: ZAAMO, id: 1, host: [zaamo]}"),
                        at(3, "extension ZAAMO lacks the required key 'since'")));
}

TEST(Catalogue, BadValues) {
  EXPECT_TRUE(FailsWith(with_entry(1, "{name: ZAAMO, id: 1, since: \"five\", host: [zaamo]}"),
                        at(3, "since 'five' is not a kernel version like \"6.12\"")));
  EXPECT_TRUE(FailsWith(with_entry(1, "{name: ZAAMO, id: one, since: \"6.15\", host: [zaamo]}"),
                        at(3, "id must be an integer")));
  EXPECT_TRUE(FailsWith(with_entry(1, "{name: ZAAMO, id: 1, since: \"6.15\", host: zaamo}"),
                        at(3, "host must be a list")));
}

TEST(Catalogue, IdOutOfRange) {
  EXPECT_TRUE(FailsWith(with_entry(1, "{name: ZAAMO, id: -1, since: \"6.15\", host: [zaamo]}"),
                        at(3, "id -1 of ZAAMO is out of range")));
  EXPECT_TRUE(FailsWith(with_entry(1, "{name: ZAAMO, id: 65536, since: \"6.15\", host: [zaamo]}"),
                        at(3, "id 65536 of ZAAMO is out of range")));
}

TEST(Catalogue, LetterMustBeOneLowerCaseLetter) {
  for (const char* letter : {"ab", "A", "\"~\""})
    EXPECT_TRUE(FailsWith(with_entry(0, std::string("{name: A, id: 0, since: \"5.19\", host: [a], letter: ") + letter + "}"),
                          at(2, "letter of A must be one of a..z")))
        << letter;
}

TEST(Catalogue, HostConfigNamesOptionAndCitation) {
  Result<Catalogue> c =
      with_entry(1, "{name: ZAAMO, id: 1, since: \"6.15\", host: [zaamo], host_config: {option: RISCV_X, cite: \"k.c:1\"}}");
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->by_name("ZAAMO")->host_config, "RISCV_X");
  EXPECT_EQ(c->by_name("ZAAMO")->host_config_cite, "k.c:1");
  EXPECT_TRUE(c->by_name("A")->host_config.empty());
  EXPECT_TRUE(FailsWith(
      with_entry(1, "{name: ZAAMO, id: 1, since: \"6.15\", host: [zaamo], host_config: {option: RISCV_X}}"),
      at(3, "host_config of ZAAMO lacks the required key 'cite'")));
  EXPECT_TRUE(FailsWith(
      with_entry(1, "{name: ZAAMO, id: 1, since: \"6.15\", host: [zaamo], host_config: {option: X, cite: c, if: y}}"),
      at(3, "unknown key 'if' in host_config of ZAAMO")));
  EXPECT_TRUE(FailsWith(
      with_entry(1, "{name: ZAAMO, id: 1, since: \"6.15\", host: [zaamo], host_config: {option: CONFIG_X, cite: c}}"),
      at(3, "host_config option of ZAAMO is named without its CONFIG_ prefix")));
}

TEST(Catalogue, InvisibleExtensionNeedsWhy) {
  EXPECT_TRUE(FailsWith(with_entry(2, "{name: SVADE, id: 2, since: \"6.13\", host: [svade], guest_visible: false}"),
                        at(4, "extension SVADE is not guest_visible but gives no 'why'")));
}

TEST(Catalogue, DuplicateIdNamesBothAndLine) {
  EXPECT_TRUE(FailsWith(with_entry(2, "{name: SVADE, id: 1, since: \"6.13\", host: [svade]}"),
                        at(4, "duplicate id 1: SVADE and ZAAMO (line 3)")));
}

TEST(Catalogue, DuplicateNameNamesFirstLine) {
  EXPECT_TRUE(FailsWith(with_entry(2, "{name: ZAAMO, id: 2, since: \"6.13\", host: [svade]}"),
                        at(4, "duplicate name ZAAMO (first at line 3)")));
}

TEST(Catalogue, NameNeedsALetterOrDigit) {
  EXPECT_TRUE(FailsWith(with_entry(2, "{name: \"_\", id: 2, since: \"6.13\", host: [svade]}"),
                        at(4, "name '_' has no letters or digits")));
}

TEST(Catalogue, GapInIdsIsAnError) {
  EXPECT_TRUE(FailsWith(with_entry(2, "{name: SVADE, id: 3, since: \"6.13\", host: [svade], guest_visible: false, why: w}"),
                        at(4, "ids must be contiguous from 0; id 2 is missing before SVADE")));
}

TEST(Catalogue, SyntaxErrorNamesFileAndLine) {
  Result<Catalogue> c = Catalogue::parse("extensions:\n  - {name: A\n", kFile);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().what.rfind(std::string(kFile) + ":", 0), 0u) << c.error().what;
}

}  // namespace
}  // namespace kvmct
