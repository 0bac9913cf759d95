// SPDX-License-Identifier: MIT
// Registration of per-extension GoogleTest cases with testing::RegisterTest.
#include "per_extension_test.h"

#include <string>
#include <vector>

#include "test_record.h"

namespace kvmct {
namespace {

struct PerExtensionSuite {
  const char* suite;
  PerExtensionBody body;
  const char* file;
  int line;
};

std::vector<PerExtensionSuite>& suites() {
  static std::vector<PerExtensionSuite> all;
  return all;
}

class PerExtensionTest : public testing::Test {
 public:
  PerExtensionTest(const PerExtensionBody& body, const Extension& ext) : body_(body), ext_(ext) {}
  void TestBody() override {
    current_test().subject = isa_ext_subject(ext_);
    body_(ext_);
  }

 private:
  const PerExtensionBody& body_;
  const Extension& ext_;
};

}  // namespace

Json isa_ext_subject(const Extension& ext) {
  Json s = Json::object();
  s["kind"] = "isa_ext";
  s["name"] = ext.name;
  s["id"] = ext.id;
  return s;
}

bool add_per_extension_test(const char* suite, PerExtensionBody body, const char* file, int line) {
  suites().push_back({suite, std::move(body), file, line});
  return true;
}

void register_per_extension_tests(const Catalogue& catalogue) {
  for (const PerExtensionSuite& s : suites()) {
    for (const Extension& ext : catalogue.extensions()) {
      const std::string param = ext.name + " (id " + std::to_string(ext.id) + ")";
      testing::RegisterTest(s.suite, ext.test_name().c_str(), nullptr, param.c_str(), s.file, s.line,
                            [&s, &ext]() -> testing::Test* { return new PerExtensionTest(s.body, ext); });
    }
  }
}

}  // namespace kvmct
