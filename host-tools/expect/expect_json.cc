// SPDX-License-Identifier: MIT
// Building kvmct-expect's JSON from expect_isa_ext(), the suite's own derivation.
#include "expect_json.h"

#include "riscv/expect/host_kernel.h"

#include "riscv/expect/isa_ext_expectation.h"

namespace kvmct {
namespace {

std::string errno_text(int err) { return err ? Error::errno_name(err) : std::string("ok"); }

std::string mm(const KernelVersion& v) { return std::to_string(v.major) + "." + std::to_string(v.minor); }

Json citation_json(const Citation& c) {
  Json j = Json::object();
  j["provenance"] = std::string(provenance_name(c.provenance()));
  j["text"] = c.text();
  Json commits = Json::array();
  for (const std::string& id : c.commits) commits.push_back(id);
  j["commits"] = commits;
  j["source"] = c.source;
  if (!c.note.empty()) j["note"] = c.note;
  return j;
}

Json rule_json(const OpRule& r, std::string_view op) {
  if (r.kind == OpKind::Allowed) return Json();
  Json j = Json::object();
  j["kind"] = r.kind == OpKind::Never ? "never" : "requires_host";
  if (r.kind == OpKind::RequiresHost) j["host"] = r.host;
  j["since"] = mm(r.since);
  j["citation"] = citation_json(r.citation);
  j["text"] = r.describe(op);
  return j;
}

std::string letters(const std::set<char>& s) { return std::string(s.begin(), s.end()); }

}  // namespace

Json expect_json(const Expectations& tables, const PolicySelection& sel, const ExpectHost& host,
                 const KernelConfig& kernel_config) {
  const ReleasePolicy& p = sel.effective;
  const ErrnoRegime& r = p.errno_regime;
  Json doc = Json::object();
  doc["schema"] = "kvmct-expect/1";
  Json& policy = doc["policy"];
  policy["release"] = p.release.name();
  policy["provenance"] = std::string(provenance_name(p.release.provenance));
  policy["citation"] = p.release.citation.text();
  if (!p.release.citation.note.empty()) policy["note"] = p.release.citation.note;
  policy["newer_than_tables"] = sel.newer_than_tables;
  policy["kernel"] = sel.kernel.to_string();
  policy["isa_ext_max"] = p.release.isa_ext_max;
  policy["multi_reg_last"] = p.release.multi_reg_last ? Json(*p.release.multi_reg_last) : Json();
  Json& regime = policy["errno_regime"];
  regime["name"] = r.name;
  regime["unknown_id"] = errno_text(r.unknown_id);
  regime["host_lacks_get"] = errno_text(r.host_lacks_get);
  regime["host_lacks_set"] = errno_text(r.host_lacks_set);
  regime["refused"] = r.refusal_ignored ? "ignored" : errno_text(r.refused);
  regime["changed_after_run"] = errno_text(r.changed_after_run);
  regime["same_value_after_run"] = errno_text(r.same_value_after_run);
  regime["citation"] = citation_json(r.citation);
  Json& config = policy["config_isa"];
  config["range_check"] = std::string(range_check_name(p.config_isa.range_check));
  config["forced_on"] = letters(p.config_isa.forced_on);
  config["forced_off"] = letters(p.config_isa.forced_off);
  config["citation"] = citation_json(p.release.config_isa.citation);
  doc["host_isa"]["source"] = host.source;
  doc["host_isa"]["riscv,isa"] = host.isa_string;
  Json exts = Json::array();
  for (const std::string& e : host.extensions) exts.push_back(e);
  doc["host_isa"]["extensions"] = exts;

  Json list = Json::array();
  for (const Extension& ext : tables.catalogue.extensions()) {
    IsaExtExpectation e = expect_isa_ext(ext, tables.catalogue, p, host.extensions, sel.kernel);
    const HostKernelGate gate = host_kernel_gate(ext, kernel_config);
    apply_host_kernel_gate(e, gate);
    Json x = Json::object();
    x["id"] = ext.id;
    x["name"] = ext.name;
    x["since"] = mm(ext.since);
    x["host_has"] = e.host_has;
    // Absent: the host lacks it; optional: the host has it but the kernel predates the id.
    x["presence"] = e.presence == Presence::Required ? "required" : e.presence == Presence::Absent ? "absent" : "optional";
    const bool present = e.presence == Presence::Required;
    const std::string missing = e.presence == Presence::Absent ? errno_text(r.host_lacks_set) : errno_text(r.unknown_id);
    x["default"]["expected"] = present ? (e.default_on ? "1" : "0") : "absent";
    x["default"]["why"] = e.enable_why;
    for (auto [op, allowed, outcome, why, rule] :
         {std::tuple{"disable", e.disable_allowed, e.disable_outcome, e.disable_why, e.disable_rule},
          std::tuple{"enable", e.enable_allowed, e.enable_outcome, e.enable_why, e.enable_rule}}) {
      Json& o = x[op];
      o["allowed"] = allowed;
      o["expected"] = present ? outcome : missing;
      o["rule"] = rule_json(rule, op);
      o["why"] = why;
    }
    x["after_run"]["expected"] = present ? e.after_run_outcome : missing;
    x["after_run"]["same_value"] = present ? e.same_value_after_run_outcome : missing;
    x["after_run"]["errno_regime"] = r.name;
    if (auto it = p.shares_bit.find(ext.name); it != p.shares_bit.end()) x["shares_bit"] = it->second;
    if (!ext.host_config.empty()) {
      x["host_config"]["option"] = ext.host_config;
      x["host_config"]["state"] = to_string(gate.state);
      x["host_config"]["keeps"] = gate.keeps;
      x["host_config"]["why"] = gate.why;
    }
    list.push_back(x);
  }
  doc["extensions"] = list;
  return doc;
}

}  // namespace kvmct
