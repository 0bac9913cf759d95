// SPDX-License-Identifier: MIT
// Gathering the facts of the arm64 machine under test.
#include "suite_context.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

namespace kvmct::arm64 {

namespace {

std::unique_ptr<SuiteContext>& the_context() {
  static std::unique_ptr<SuiteContext> ctx;
  return ctx;
}

// The kernel log as /dev/kmsg holds it now, records joined by newlines; "" when unreadable.
std::string read_kernel_log() {
  const int fd = ::open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return "";
  std::string log;
  char record[8192];
  for (;;) {
    const ssize_t n = ::read(fd, record, sizeof record);
    if (n > 0) {
      log.append(record, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EPIPE) continue;  // a record was overwritten while reading: skip it
    break;                                  // EAGAIN: the end of the log
  }
  ::close(fd);
  return log;
}

}  // namespace

SuiteContext& context() { return *the_context(); }
void set_context(SuiteContext ctx) { the_context() = std::make_unique<SuiteContext>(std::move(ctx)); }

Result<SuiteContext> SuiteContext::create(const std::string& expected_dir, const std::string& kernel_config) {
  Result<SuiteEnvironment> env = SuiteEnvironment::read(expected_dir, kernel_config);
  if (!env) return env.error();
  SuiteContext ctx(std::move(*env));
  Result<ExpectedFile> caps = ctx.env_.expected_file("capabilities.yaml");
  if (!caps) return caps.error();
  Result<CapabilityTable> table = CapabilityTable::parse(caps->text, caps->name);
  if (!table) return table.error();
  ctx.capabilities_ = std::move(*table);
  ctx.host_cpu_ = HostCpu::read();
  // The command line overrides what the CPU offers; without it KVM's own boot record says.
  ctx.kvm_mode_ = kvm_mode_from_cmdline(ctx.env_.cmdline());
  if (!ctx.kvm_mode_.empty()) {
    ctx.kvm_mode_source_ = "kernel command line";
  } else {
    ctx.kvm_mode_ = kvm_mode_from_kernel_log(read_kernel_log());
    if (!ctx.kvm_mode_.empty()) ctx.kvm_mode_source_ = "kernel log (arch/arm64/kvm/arm.c kvm_arm_init)";
  }
  return ctx;
}

Result<GuestVm> SuiteContext::fresh_vm(unsigned vcpus) const {
  Result<KvmSystem> kvm = KvmSystem::open();
  if (!kvm) return kvm.error();
  return GuestVm::create(*kvm, vcpus);
}

Json SuiteContext::document_facts() const {
  Json doc = env_.common_facts();
  doc["expectations"] = env_.embedded() ? std::string("embedded in kvmct-suite") : env_.expected_origin();
  doc["kernel_config"]["source"] = env_.kernel_config().known() ? Json(env_.kernel_config().source()) : Json();
  if (host_cpu_) {
    Json features = Json::array();
    for (const std::string& f : host_cpu_->features) features.push_back(f);
    Json regs = Json::object();
    for (const auto& [name, value] : host_cpu_->id_registers) regs[name] = hex(value);
    doc["host"]["cpu_features"] = features;
    doc["host"]["id_registers"] = regs;
    doc["host"]["cpus"] = host_cpu_->cpus;
    if (!host_cpu_->id_registers_error.empty()) doc["host"]["id_registers_error"] = host_cpu_->id_registers_error;
  } else {
    doc["host"]["error"] = host_cpu_.error().to_string();
  }
  if (!kvm_mode_.empty()) {
    doc["kvm_mode"] = kvm_mode_;
    doc["kvm_mode_source"] = kvm_mode_source_;
  }
  return doc;
}

Json capability_subject(const CapabilityRule& rule) {
  Json s = Json::object();
  s["kind"] = "capability";
  s["name"] = rule.name;
  s["id"] = static_cast<int64_t>(rule.id);
  return s;
}

Json id_reg_subject(const std::string& name, uint64_t one_reg_id) {
  Json s = Json::object();
  s["kind"] = "id_reg";
  s["name"] = name;
  s["id"] = one_reg_id;
  return s;
}

}  // namespace kvmct::arm64
