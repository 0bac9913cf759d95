// SPDX-License-Identifier: MIT
// Loading and validating expected/riscv/isa-extensions.yaml.
#include "riscv/expect/catalogue.h"

#include <algorithm>
#include <cctype>

#include "expect/yaml_file.h"

namespace kvmct {

std::string Extension::test_name() const {
  std::string out;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) continue;
    out += out.empty() ? static_cast<char>(std::toupper(c)) : static_cast<char>(std::tolower(c));
  }
  return out;
}

Result<Catalogue> Catalogue::parse(std::string_view text, const std::string& file) {
  YamlFile y(file);
  return parse_yaml<Catalogue>(y, [&]() -> Catalogue {
    YAML::Node root = y.load(text);
    y.only_keys(root, {"extensions"}, "the catalogue");
    YAML::Node list = y.required(root, "extensions", "the catalogue");
    if (!list.IsSequence()) y.fail(list, "'extensions' must be a list");
    Catalogue cat;
    cat.file_ = file;
    for (const YAML::Node& n : list) {
      y.only_keys(n, {"name", "id", "since", "host", "letter", "guest_visible", "why", "host_config"}, "an extension");
      Extension e;
      e.line = static_cast<int>(n.Mark().line) + 1;
      e.name = y.string(y.required(n, "name", "an extension"), "name");
      const long id = y.integer(y.required(n, "id", "extension " + e.name), "id");
      if (id < 0 || id > 0xffff) y.fail(n["id"], "id " + std::to_string(id) + " of " + e.name + " is out of range");
      e.id = static_cast<uint32_t>(id);
      e.since = y.version(y.required(n, "since", "extension " + e.name), "since");
      e.host = y.string_list(y.required(n, "host", "extension " + e.name), "host");
      // An empty list is allowed: the host kernel never sets it on this architecture (e.g. ZCF on rv64).
      if (n["letter"]) {
        const std::string l = y.string(n["letter"], "letter");
        if (l.size() != 1 || l[0] < 'a' || l[0] > 'z') y.fail(n["letter"], "letter of " + e.name + " must be one of a..z");
        e.letter = l[0];
      }
      if (n["guest_visible"]) e.guest_visible = y.boolean(n["guest_visible"], "guest_visible");
      if (n["why"]) e.why = y.string(n["why"], "why");
      if (const YAML::Node c = n["host_config"]) {
        y.only_keys(c, {"option", "cite"}, "host_config of " + e.name);
        e.host_config = y.string(y.required(c, "option", "host_config of " + e.name), "option");
        e.host_config_cite = y.string(y.required(c, "cite", "host_config of " + e.name), "cite");
        if (e.host_config.rfind("CONFIG_", 0) == 0)
          y.fail(c["option"], "host_config option of " + e.name + " is named without its CONFIG_ prefix");
      }
      if (!e.guest_visible && e.why.empty()) y.fail(n, "extension " + e.name + " is not guest_visible but gives no 'why'");
      if (const Extension* dup = cat.by_id(e.id))
        y.fail(n, "duplicate id " + std::to_string(e.id) + ": " + e.name + " and " + dup->name + " (line " +
                      std::to_string(dup->line) + ")");
      if (const Extension* dup = cat.by_name(e.name))
        y.fail(n, "duplicate name " + e.name + " (first at line " + std::to_string(dup->line) + ")");
      if (e.test_name().empty()) y.fail(n, "name '" + e.name + "' has no letters or digits");
      cat.extensions_.push_back(std::move(e));
    }
    std::sort(cat.extensions_.begin(), cat.extensions_.end(),
              [](const Extension& a, const Extension& b) { return a.id < b.id; });
    // The uapi enum is contiguous ("This should always be contiguous"): a gap is a typo.
    for (size_t i = 0; i < cat.extensions_.size(); ++i) {
      if (cat.extensions_[i].id != i)
        throw YamlError(file + ":" + std::to_string(cat.extensions_[i].line) + ": ids must be contiguous from 0; id " +
                        std::to_string(i) + " is missing before " + cat.extensions_[i].name);
    }
    return cat;
  });
}

const Extension* Catalogue::by_id(uint32_t id) const {
  for (const Extension& e : extensions_)
    if (e.id == id) return &e;
  return nullptr;
}

const Extension* Catalogue::by_name(std::string_view name) const {
  for (const Extension& e : extensions_)
    if (e.name == name) return &e;
  return nullptr;
}

}  // namespace kvmct
