// SPDX-License-Identifier: MIT
// KTAP and JSON rendering, byte for byte.
#include <gtest/gtest.h>

#include <limits>
#include <sstream>

#include "report/json.h"
#include "report/ktap.h"

namespace kvmct {
namespace {

TEST(Ktap, RendersNestedSuites) {
  std::ostringstream out;
  KtapWriter k(out);
  k.begin(1);
  k.begin_suite("IsaExtDisable", 3);
  k.case_result(1, "Zaamo", KtapStatus::Pass);
  k.diagnostic("suite.cc:10: expected EINVAL\ngot 0");
  k.case_result(2, "Zalrsc", KtapStatus::Fail);
  k.case_result(3, "H", KtapStatus::Skip, "off by default # really\nsecond line");
  k.end_suite(1, "IsaExtDisable", KtapStatus::Fail);
  EXPECT_EQ(out.str(),
            "KTAP version 1\n1..1\n"
            "    KTAP version 1\n    # Subtest: IsaExtDisable\n    1..3\n"
            "    ok 1 Zaamo\n"
            "    # suite.cc:10: expected EINVAL\n    # got 0\n"
            "    not ok 2 Zalrsc\n"
            "    ok 3 H # SKIP off by default _ really\n"
            "not ok 1 IsaExtDisable\n");
}

TEST(Ktap, NamesLoseHashAndNewlines) { EXPECT_EQ(KtapWriter::sanitize("a#b\nc\rd"), "a_b_c_d"); }

TEST(Ktap, TopLevelSkipAndBlankDiagnosticLines) {
  std::ostringstream out;
  KtapWriter k(out);
  k.diagnostic("x\n\ny\n");
  k.end_suite(2, "AtomicTrap", KtapStatus::Skip);
  k.end_suite(3, "Amo", KtapStatus::Skip, "no zaamo");
  EXPECT_EQ(out.str(), "# x\n# \n# y\nok 2 AtomicTrap # SKIP\nok 3 Amo # SKIP no zaamo\n");
}

TEST(Json, EscapesAndKeepsOrder) {
  Json doc = Json::object();
  doc["z"] = "quote\" back\\ nl\n ctl\x01";
  doc["a"] = 69;
  doc["list"].push_back(true);
  doc["list"].push_back(nullptr);
  EXPECT_EQ(doc.dump(0), "{\"z\":\"quote\\\" back\\\\ nl\\n ctl\\u0001\",\"a\":69,\"list\":[true,null]}");
  EXPECT_EQ(Json::array().dump(), "[]");
  EXPECT_EQ(Json("\r\t").dump(), "\"\\r\\t\"");
}

TEST(Json, IndentsNestedValues) {
  Json doc = Json::object();
  doc["a"].push_back(1);
  doc["a"].push_back(Json::object());
  doc["a"].push_back(Json::array());
  doc["o"]["k"] = false;
  doc["d"] = 0.5;
  EXPECT_EQ(doc.dump(), "{\n  \"a\": [\n    1,\n    {},\n    []\n  ],\n  \"o\": {\n    \"k\": false\n  },\n  \"d\": 0.5\n}");
}

TEST(Json, AccessReplacesAValueOfTheOtherKind) {
  Json doc = 7;
  EXPECT_FALSE(doc.is_null());
  doc["a"] = 1;
  doc["a"] = 2;  // the same member, not a second one
  EXPECT_EQ(doc.dump(0), "{\"a\":2}");
  doc.push_back("x");
  EXPECT_EQ(doc.dump(0), "[\"x\"]");
  EXPECT_TRUE(Json().is_null());
  EXPECT_TRUE(Json::object()["missing"].is_null());
}

TEST(Json, IntegersKeepTheirExactValue) {
  // Register values are uint64: one at or above 2^63 must not come out negative.
  Json doc = Json::array();
  doc.push_back(uint64_t{0x8030000007000045});
  doc.push_back(~uint64_t{0});
  doc.push_back(uint64_t{1} << 63);
  doc.push_back(std::numeric_limits<int64_t>::min());
  doc.push_back(-1);
  doc.push_back(4000000000u);
  EXPECT_EQ(doc.dump(0), "[9236882835854327877,18446744073709551615,9223372036854775808,-9223372036854775808,-1,4000000000]");
}

}  // namespace
}  // namespace kvmct
