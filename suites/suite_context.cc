// SPDX-License-Identifier: MIT
// Gathering the facts of the machine under test.
#include "suite_context.h"

#include <sys/utsname.h>

#include <memory>

#include "riscv/isa_ext_register.h"

#include <fstream>
#include <sstream>

bool kvmct_embedded_file(std::string_view name, std::string_view* text);

namespace kvmct {
namespace {

std::unique_ptr<SuiteContext>& the_context() {
  static std::unique_ptr<SuiteContext> ctx;
  return ctx;
}

}  // namespace

SuiteContext& context() { return *the_context(); }
void set_context(SuiteContext ctx) { the_context() = std::make_unique<SuiteContext>(std::move(ctx)); }

Result<ExpectedFile> SuiteContext::expected_file(const std::string& name) const {
  if (expected_dir_.empty()) {
    std::string_view text;
    if (!kvmct_embedded_file(name, &text)) return Error{ENOENT, "expected/" + name + " is not embedded in kvmct-suite"};
    return ExpectedFile{"expected/" + name, std::string(text)};
  }
  const std::string path = expected_dir_ + "/" + name;
  std::ifstream in(path);
  if (!in) return Error{errno, "open " + path};
  std::ostringstream text;
  text << in.rdbuf();
  return ExpectedFile{path, text.str()};
}

Result<SuiteContext> SuiteContext::create(const std::string& expected_dir) {
  SuiteContext ctx;
  ctx.expected_dir_ = expected_dir;
  ExpectationTexts texts;
  for (auto [name, out] : {std::pair{"isa-extensions.yaml", &texts.catalogue}, std::pair{"policy.yaml", &texts.policy},
                           std::pair{"overrides.yaml", &texts.overrides}}) {
    Result<ExpectedFile> f = ctx.expected_file(name);
    if (!f) return f.error();
    *out = std::move(f->text);
  }
  Result<Expectations> exp =
      Expectations::parse(texts, expected_dir.empty() ? std::string("expected") : expected_dir);
  if (!exp) return exp.error();
  if (expected_dir.empty()) exp->origin = "embedded in kvmct-suite";
  ctx.expectations_ = std::move(*exp);
  utsname u{};
  ::uname(&u);
  ctx.release_ = u.release;
  ctx.kernel_ = KernelVersion::parse(ctx.release_);
  std::ifstream cmdline("/proc/cmdline");
  for (std::string word; cmdline >> word;)
    if (word.rfind("kvmct.platform=", 0) == 0) ctx.platform_ = word.substr(15);
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
  doc["platform"] = platform_;
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
