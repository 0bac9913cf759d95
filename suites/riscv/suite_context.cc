// SPDX-License-Identifier: MIT
// Gathering the facts of the machine under test.
#include "suite_context.h"

#include <memory>

#include "riscv/isa_ext_register.h"

namespace kvmct {

namespace {

std::unique_ptr<SuiteContext>& the_context() {
  static std::unique_ptr<SuiteContext> ctx;
  return ctx;
}

}  // namespace

SuiteContext& context() { return *the_context(); }
void set_context(SuiteContext ctx) { the_context() = std::make_unique<SuiteContext>(std::move(ctx)); }

Result<SuiteContext> SuiteContext::create(const std::string& expected_dir, const std::string& kernel_config) {
  Result<SuiteEnvironment> env = SuiteEnvironment::read(expected_dir, kernel_config);
  if (!env) return env.error();
  SuiteContext ctx(std::move(*env));
  ExpectationTexts texts;
  for (auto [name, out] : {std::pair{"isa-extensions.yaml", &texts.catalogue}, std::pair{"policy.yaml", &texts.policy},
                           std::pair{"overrides.yaml", &texts.overrides}}) {
    Result<ExpectedFile> f = ctx.expected_file(name);
    if (!f) return f.error();
    *out = std::move(f->text);
  }
  Result<Expectations> exp = Expectations::parse(texts, ctx.env_.expected_origin());
  if (!exp) return exp.error();
  if (ctx.env_.embedded()) exp->origin = "embedded in kvmct-suite";
  ctx.expectations_ = std::move(*exp);
  ctx.host_isa_ = riscv::HostIsa::read();
  if (ctx.kernel())
    ctx.policy_ = ctx.expectations_.policy.select(*ctx.kernel());
  else
    ctx.policy_ = Error{0, "kernel release '" + ctx.release() + "' does not start with a version number"};
  return ctx;
}

Result<IsaExtExpectation> SuiteContext::expect(const Extension& ext) const {
  if (!host_isa_) return host_isa_.error();
  if (!policy_) return policy_.error();
  IsaExtExpectation e = expect_isa_ext(ext, catalogue(), policy_->effective, host_isa_->extensions, *kernel());
  apply_host_kernel_gate(e, host_kernel_gate(ext));
  return e;
}

bool SuiteContext::host_kernel_has(const Extension& ext) const {
  return host_isa_ && host_provides(ext, host_isa_->extensions) && host_kernel_gate(ext).keeps;
}

Result<riscv::GuestVm> SuiteContext::fresh_vm(unsigned vcpus) const {
  Result<KvmSystem> kvm = KvmSystem::open();
  if (!kvm) return kvm.error();
  return riscv::GuestVm::create(*kvm, vcpus, riscv::catalogue_reg_namer(catalogue()));
}

Json& SuiteContext::isa_ext_record(const Extension& ext) {
  Json& rec = isa_table_[ext.id];
  if (rec.is_null()) {
    rec["id"] = ext.id;
    rec["name"] = ext.name;
    rec["checks"] = Json::object();
  }
  return rec;
}

Json SuiteContext::isa_ext_table() const {
  Json table = Json::array();
  for (const auto& [id, rec] : isa_table_) table.push_back(rec);
  return table;
}

Json SuiteContext::document_facts() const {
  Json doc = env_.common_facts();
  if (policy_) {
    const Release& r = policy_->effective.release;
    doc["policy"]["release"] = r.name();
    doc["policy"]["provenance"] = std::string(provenance_name(r.provenance));
    doc["policy"]["citation"] = r.citation.text();
    doc["policy"]["newer_than_tables"] = policy_->newer_than_tables;
    doc["policy"]["kernel"] = policy_->kernel.to_string();
    doc["policy"]["errno_regime"] = policy_->effective.errno_regime.name;
  } else {
    doc["policy"]["error"] = policy_.error().to_string();
    doc["policy"]["kernel"] = kernel() ? Json(kernel()->to_string()) : Json();
  }
  doc["expectations"] = expectations_.origin;
  const KernelConfig& config = env_.kernel_config();
  doc["kernel_config"]["source"] = config.known() ? Json(config.source()) : Json();
  Json options = Json::object();
  for (const Extension& ext : catalogue().extensions())
    if (!ext.host_config.empty()) options[ext.host_config] = to_string(config.state(ext.host_config));
  doc["kernel_config"]["options"] = options;
  if (host_isa_) {
    Json exts = Json::array();
    for (const std::string& e : host_isa_->extensions) exts.push_back(e);
    doc["host_isa"]["source"] = host_isa_->source;
    doc["host_isa"]["riscv,isa"] = host_isa_->isa_string;
    doc["host_isa"]["harts"] = host_isa_->harts;
    doc["host_isa"]["extensions"] = exts;
  } else {
    doc["host_isa"]["error"] = host_isa_.error().to_string();
  }
  return doc;
}

}  // namespace kvmct
