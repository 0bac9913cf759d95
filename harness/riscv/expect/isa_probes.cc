// SPDX-License-Identifier: MIT
// Strict loader of expected/riscv/isa-probes.yaml.
#include "riscv/expect/isa_probes.h"

#include <algorithm>

#include "expect/yaml_file.h"
#include "probe/probe_list.h"

namespace kvmct {

std::span<const std::string_view> payload_probe_ids() {
#define KVMCT_PROBE_ID(id, body) #id,
  static constexpr std::string_view kIds[] = {KVMCT_PROBES(KVMCT_PROBE_ID)};
#undef KVMCT_PROBE_ID
  return kIds;
}

Result<IsaProbes> IsaProbes::parse(std::string_view text, const std::string& file, const Catalogue& catalogue,
                                   std::span<const std::string_view> payload_probes) {
  YamlFile yaml(file);
  return parse_yaml<IsaProbes>(yaml, [&]() -> IsaProbes {
    const YAML::Node root = yaml.load(text);
    yaml.only_keys(root, {"probes"}, "the probe file");
    const YAML::Node probes = yaml.required(root, "probes", "the probe file");
    if (!probes.IsMap()) yaml.fail(probes, "'probes' must map extension names to entries");
    IsaProbes out;
    for (const auto& kv : probes) {
      const std::string name = yaml.string(kv.first, "an extension name");
      if (!catalogue.by_name(name)) yaml.fail(kv.first, name + " is not in " + catalogue.file());
      const YAML::Node e = kv.second;
      const std::string what = "probe entry " + name;
      yaml.only_keys(e, {"probe", "hint", "on", "disabled", "disable_also", "none", "deferred"}, what);
      IsaProbe p;
      p.line = static_cast<int>(e.Mark().line) + 1;
      const int kinds = (e["probe"] ? 1 : 0) + (e["none"] ? 1 : 0) + (e["deferred"] ? 1 : 0);
      if (kinds != 1) yaml.fail(e, what + " needs exactly one of probe, none, deferred");
      if (e["none"]) {
        p.kind = IsaProbe::Kind::None;
        p.why = yaml.string(e["none"], "none");
      } else if (e["deferred"]) {
        p.kind = IsaProbe::Kind::Deferred;
        p.why = yaml.string(e["deferred"], "deferred");
      } else {
        p.probe = yaml.string(e["probe"], "probe");
        // A typo here would otherwise show only inside the RISC-V guest.
        if (std::find(payload_probes.begin(), payload_probes.end(), p.probe) == payload_probes.end())
          yaml.fail(e["probe"], "probe " + p.probe + " is not in the payload's list (guest-payloads/riscv/probe/probe_list.h)");
      }
      if (p.kind != IsaProbe::Kind::Probe && e.size() != 1) yaml.fail(e, what + ": none/deferred take no other keys");
      if (e["hint"]) p.hint = yaml.boolean(e["hint"], "hint");
      if (e["on"]) {
        p.on = yaml.string(e["on"], "on");
        if (p.on != "executed" && p.on != "vmm-exit") yaml.fail(e["on"], "'on' must be executed or vmm-exit");
      }
      if (e["disabled"]) {
        p.disabled = yaml.string(e["disabled"], "disabled");
        // A register at 0 promises the guest cannot use the extension; where a kernel breaks
        // that promise, expected/riscv/overrides.yaml records it as a deviation with its reason.
        if (p.disabled != "illegal-instruction")
          yaml.fail(e["disabled"], "'disabled' must be illegal-instruction (a kernel that lets the guest execute "
                                   "goes into expected/riscv/overrides.yaml as a deviation)");
      }
      if (e["disable_also"]) {
        p.disable_also = yaml.string_list(e["disable_also"], "disable_also");
        for (const std::string& d : p.disable_also)
          if (!catalogue.by_name(d)) yaml.fail(e["disable_also"], d + " is not in " + catalogue.file());
      }
      if (!out.probes_.emplace(name, p).second) yaml.fail(kv.first, name + " is listed twice");
    }
    for (const Extension& ext : catalogue.extensions())
      if (!out.probes_.count(ext.name))
        yaml.fail(root, ext.name + " has no entry: give it a probe, or say why none or deferred");
    return out;
  });
}

const IsaProbe* IsaProbes::find(std::string_view extension) const {
  auto it = probes_.find(extension);
  return it == probes_.end() ? nullptr : &it->second;
}

}  // namespace kvmct
