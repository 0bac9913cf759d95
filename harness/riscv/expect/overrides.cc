// SPDX-License-Identifier: MIT
// Loading expected/riscv/overrides.yaml and matching it against a kernel release.
#include "riscv/expect/overrides.h"

#include <fnmatch.h>

#include <algorithm>

#include "expect/yaml_file.h"

namespace kvmct {

Result<Overrides> Overrides::parse(std::string_view text, const std::string& file, const Catalogue& cat) {
  YamlFile y(file);
  return parse_yaml<Overrides>(y, [&]() -> Overrides {
    YAML::Node root = y.load(text);
    y.only_keys(root, {"overrides"}, "the overrides file");
    YAML::Node list = y.required(root, "overrides", "the overrides file");
    if (!list.IsSequence()) y.fail(list, "'overrides' must be a list");
    Overrides out;
    for (const YAML::Node& n : list) {
      y.only_keys(n, {"kernel", "backports", "deviations"}, "an override");
      KernelOverride o;
      o.line = static_cast<int>(n.Mark().line) + 1;
      const YAML::Node kernel = y.required(n, "kernel", "an override");
      o.kernels = kernel.IsSequence() ? y.string_list(kernel, "kernel") : std::vector{y.string(kernel, "kernel")};
      if (o.kernels.empty()) y.fail(kernel, "an override needs at least one kernel pattern");
      if (n["backports"]) {
        if (!n["backports"].IsSequence()) y.fail(n["backports"], "backports must be a list");
        for (const YAML::Node& b : n["backports"]) {
          const std::string name = y.string(b, "backports");
          if (!cat.by_name(name)) y.fail(b, "backport '" + name + "' is not in " + cat.file());
          o.backports.insert(name);
        }
      }
      if (n["deviations"]) {
        if (!n["deviations"].IsSequence()) y.fail(n["deviations"], "deviations must be a list");
        for (const YAML::Node& d : n["deviations"]) {
          y.only_keys(d, {"extension", "check", "owner", "reason"}, "a deviation");
          Deviation dev{y.string(y.required(d, "extension", "a deviation"), "extension"),
                        y.string(y.required(d, "check", "a deviation"), "check"), KnownCause{}};
          if (!cat.by_name(dev.extension)) y.fail(d, "deviation names '" + dev.extension + "', not in " + cat.file());
          if (std::find(std::begin(kDeviationChecks), std::end(kDeviationChecks), dev.check) == std::end(kDeviationChecks))
            y.fail(d, "check '" + dev.check +
                          "' is not one of presence, default, disable, enable, after_run, executes_default, executes_disabled");
          const std::string owner = y.string(y.required(d, "owner", "a deviation"), "owner");
          const std::optional<Owner> parsed = parse_owner(owner);
          if (!parsed) y.fail(d, "owner '" + owner + "' is not one of " + std::string(kOwnerChoices));
          dev.known.owner = *parsed;
          dev.known.reason = y.string(y.required(d, "reason", "a deviation"), "reason");
          if (dev.known.reason.empty()) y.fail(d, "a deviation needs a reason");
          dev.known.source = y.where(d);
          o.deviations.push_back(std::move(dev));
        }
      }
      out.overrides_.push_back(std::move(o));
    }
    return out;
  });
}

std::vector<const KernelOverride*> Overrides::matching(const std::string& release) const {
  std::vector<const KernelOverride*> out;
  for (const KernelOverride& o : overrides_)
    if (std::any_of(o.kernels.begin(), o.kernels.end(),
                    [&](const std::string& p) { return ::fnmatch(p.c_str(), release.c_str(), 0) == 0; }))
      out.push_back(&o);
  return out;
}

bool Overrides::is_backport(const std::string& release, const std::string& extension) const {
  for (const KernelOverride* o : matching(release))
    if (o->backports.count(extension)) return true;
  return false;
}

const Deviation* Overrides::deviation(const std::string& release, const std::string& extension,
                                      std::string_view check) const {
  for (const KernelOverride* o : matching(release))
    for (const Deviation& d : o->deviations)
      if (d.extension == extension && d.check == check) return &d;
  return nullptr;
}

}  // namespace kvmct
