// SPDX-License-Identifier: MIT
// KTAP and JSON rendering, byte for byte.
#include <gtest/gtest.h>

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

TEST(Ktap, NamesLoseHashAndNewlines) { EXPECT_EQ(KtapWriter::sanitize("a#b\nc"), "a_b_c"); }

TEST(Json, EscapesAndKeepsOrder) {
  Json doc = Json::object();
  doc["z"] = "quote\" back\\ nl\n ctl\x01";
  doc["a"] = 69;
  doc["list"].push_back(true);
  doc["list"].push_back(nullptr);
  EXPECT_EQ(doc.dump(0), "{\"z\":\"quote\\\" back\\\\ nl\\n ctl\\u0001\",\"a\":69,\"list\":[true,null]}");
  EXPECT_EQ(Json::array().dump(), "[]");
}

}  // namespace
}  // namespace kvmct
