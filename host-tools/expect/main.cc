// SPDX-License-Identifier: MIT
// kvmct-expect --kernel VERSION (--dtb FILE | --host-isa STRING) [--expected DIR]
// [--kernel-config FILE]: prints, as
// JSON, what kvmct holds each ISA extension to on that kernel and host. No KVM is touched.
#include <iostream>
#include <string>
#include <string_view>

#include "expect_json.h"
#include "riscv/host_isa.h"

namespace {

int usage(const std::string& why) {
  std::cerr << "kvmct-expect: " << why << "\n"
            << "usage: kvmct-expect --kernel VERSION (--dtb FILE | --host-isa STRING) [--expected DIR] [--kernel-config FILE]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string kernel, dtb, host_isa, kernel_config, expected = KVMCT_EXPECTED_DIR;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) return usage("option " + std::string(a) + " needs a value");
    const std::string value = argv[++i];
    if (a == "--kernel") kernel = value;
    else if (a == "--dtb") dtb = value;
    else if (a == "--host-isa") host_isa = value;
    else if (a == "--expected") expected = value;
    else if (a == "--kernel-config") kernel_config = value;
    else return usage("unknown option " + std::string(a));
  }
  if (kernel.empty()) return usage("--kernel is required");
  if (dtb.empty() == host_isa.empty()) return usage("give exactly one of --dtb and --host-isa");
  const std::optional<kvmct::KernelVersion> version = kvmct::KernelVersion::parse(kernel);
  if (!version) return usage("--kernel '" + kernel + "' does not start with a version like 6.15");

  kvmct::Result<kvmct::Expectations> tables = kvmct::Expectations::load_dir(expected);
  if (!tables) {
    std::cerr << "kvmct-expect: " << tables.error().to_string() << "\n";
    return 1;
  }
  kvmct::Result<kvmct::PolicySelection> selection = tables->policy.select(*version);
  if (!selection) {
    std::cerr << "kvmct-expect: " << selection.error().what << "\n";
    return 1;
  }
  kvmct::ExpectHost host;
  if (!dtb.empty()) {
    kvmct::Result<kvmct::riscv::HostIsa> isa = kvmct::riscv::HostIsa::read(dtb);
    if (!isa) {
      std::cerr << "kvmct-expect: " << isa.error().to_string() << "\n";
      return 1;
    }
    host = {isa->extensions, isa->source, isa->isa_string};
  } else {
    host = {kvmct::riscv::HostIsa::parse_isa_string(host_isa), "--host-isa", host_isa};
  }
  kvmct::KernelConfig config;
  if (!kernel_config.empty()) {
    kvmct::Result<kvmct::KernelConfig> c = kvmct::KernelConfig::read(kernel_config);
    if (!c) {
      std::cerr << "kvmct-expect: " << c.error().to_string() << "\n";
      return 1;
    }
    config = std::move(*c);
  }
  std::cout << kvmct::expect_json(*tables, *selection, host, config).dump() << "\n";
  return 0;
}
