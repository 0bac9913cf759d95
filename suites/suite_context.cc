// SPDX-License-Identifier: MIT
// Gathering the facts of the machine under test.
#include "suite_context.h"

#include <sys/utsname.h>

#include <memory>

#include "riscv/isa_ext_register.h"

std::string_view kvmct_embedded_isa_extensions();
std::string_view kvmct_embedded_policy();
std::string_view kvmct_embedded_overrides();

namespace kvmct {
namespace {

std::unique_ptr<SuiteContext>& the_context() {
  static std::unique_ptr<SuiteContext> ctx;
  return ctx;
}

}  // namespace

SuiteContext& context() { return *the_context(); }
void set_context(SuiteContext ctx) { the_context() = std::make_unique<SuiteContext>(std::move(ctx)); }

Result<SuiteContext> SuiteContext::create(const std::string& expected_dir) {
  Result<Expectations> exp = expected_dir.empty()
                                 ? Expectations::parse({std::string(kvmct_embedded_isa_extensions()),
                                                        std::string(kvmct_embedded_policy()),
                                                        std::string(kvmct_embedded_overrides())},
                                                       "expected (embedded)")
                                 : Expectations::load_dir(expected_dir);
  if (!exp) return exp.error();
  SuiteContext ctx;
  ctx.expectations_ = std::move(*exp);
  utsname u{};
  ::uname(&u);
  ctx.release_ = u.release;
  ctx.kernel_ = KernelVersion::parse(ctx.release_);
  ctx.host_isa_ = riscv::HostIsa::read();
  if (ctx.kernel_)
    ctx.policy_ = ctx.expectations_.policy.select(*ctx.kernel_);
  else
    ctx.policy_ = Error{0, "kernel release '" + ctx.release_ + "' does not start with a version number"};
  return ctx;
}

Result<IsaExtExpectation> SuiteContext::expect(const Extension& ext) const {
  if (!host_isa_) return host_isa_.error();
  if (!policy_) return policy_.error();
  return expect_isa_ext(ext, catalogue(), *policy_->range, host_isa_->extensions, *kernel_);
}

Result<FreshVm> SuiteContext::fresh_vm(unsigned vcpus) const {
  Result<KvmSystem> kvm = KvmSystem::open();
  if (!kvm) return kvm.error();
  Result<Vm> vm = kvm->create_vm(riscv::catalogue_reg_namer(catalogue()));
  if (!vm) return vm.error();
  FreshVm out{std::move(*vm), {}};
  for (unsigned i = 0; i < vcpus; ++i) {
    Result<Vcpu> vcpu = out.vm.create_vcpu(i);
    if (!vcpu) return vcpu.error();
    out.vcpus.push_back(std::move(*vcpu));
  }
  return out;
}

Json& SuiteContext::isa_ext_record(const Extension& ext) {
  Json& rec = isa_table_[ext.id];
  if (rec.is_null()) {
    rec["id"] = ext.id;
    rec["name"] = ext.name;
  }
  return rec;
}

Json SuiteContext::isa_ext_table() const {
  Json table = Json::array();
  for (const auto& [id, rec] : isa_table_) table.push_back(rec);
  return table;
}

Json SuiteContext::document_facts() const {
  Json doc = Json::object();
  doc["kernel_release"] = release_;
  doc["kernel_version"] = kernel_ ? Json(kernel_->to_string()) : Json();
  if (policy_) {
    doc["policy"]["range"] = policy_->range->range_text();
    doc["policy"]["source"] = policy_->range->source;
    doc["policy"]["newer_than_all_ranges"] = policy_->newer_than_all;
  } else {
    doc["policy"]["error"] = policy_.error().to_string();
  }
  doc["expectations"] = expectations_.origin;
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
