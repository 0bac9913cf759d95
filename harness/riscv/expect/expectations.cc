// SPDX-License-Identifier: MIT
// Loading the expectation tables as one consistent set.
#include "riscv/expect/expectations.h"

#include <fstream>
#include <sstream>

namespace kvmct {
namespace {

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{errno, "open " + path};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Result<Expectations> Expectations::parse(const ExpectationTexts& t, const std::string& dir) {
  Result<Catalogue> cat = Catalogue::parse(t.catalogue, dir + "/isa-extensions.yaml");
  if (!cat) return cat.error();
  Result<Policy> policy = Policy::parse(t.policy, dir + "/policy.yaml", *cat);
  if (!policy) return policy.error();
  Result<Overrides> overrides = Overrides::parse(t.overrides, dir + "/overrides.yaml", *cat);
  if (!overrides) return overrides.error();
  return Expectations{std::move(*cat), std::move(*policy), std::move(*overrides), dir};
}

Result<Expectations> Expectations::load_dir(const std::string& dir) {
  ExpectationTexts t;
  for (auto [name, out] : {std::pair{"isa-extensions.yaml", &t.catalogue}, std::pair{"policy.yaml", &t.policy},
                           std::pair{"overrides.yaml", &t.overrides}}) {
    Result<std::string> text = read_file(dir + "/" + name);
    if (!text) return text.error();
    *out = std::move(*text);
  }
  return parse(t, dir);
}

}  // namespace kvmct
