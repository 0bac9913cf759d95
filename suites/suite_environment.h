// SPDX-License-Identifier: MIT
// What every architecture's suite knows about where it runs: the kernel release, the
// platform, the host kernel's .config and its expectation tables (embedded or a directory).
#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "expect/kernel_config.h"
#include "expect/kernel_version.h"
#include "report/json.h"

namespace kvmct {

// A file of expected/<arch>/, from --kvmct-expected=DIR or the copy embedded at build time.
struct ExpectedFile {
  std::string name;  // "expected/riscv/amo-vectors.yaml": errors name it
  std::string text;
};

class SuiteEnvironment {
 public:
  // `expected_dir` "" = the embedded tables; `kernel_config` "" = not known. Fails only when a
  // named kernel config cannot be read: the run must not quietly assume options.
  static Result<SuiteEnvironment> read(const std::string& expected_dir, const std::string& kernel_config);

  // Any table of expected/<arch>/ by file name, e.g. "amo-vectors.yaml".
  Result<ExpectedFile> expected_file(const std::string& name) const;
  // "expected/riscv" when embedded, else the --kvmct-expected directory.
  std::string expected_origin() const;
  bool embedded() const { return expected_dir_.empty(); }
  const std::string& release() const { return release_; }
  const std::optional<KernelVersion>& kernel() const { return kernel_; }
  // What the "hardware" is, from kvmct.platform= on the kernel command line (tools/kvmct
  // passes e.g. "qemu-10.0.13"); empty when the suite runs on its own.
  const std::string& platform() const { return platform_; }
  const KernelConfig& kernel_config() const { return kernel_config_; }
  // The kernel command line's words, for facts an architecture reads from it.
  const std::vector<std::string>& cmdline() const { return cmdline_; }

  // facts.arch, kernel_release, kernel_version, platform.
  Json common_facts() const;

 private:
  std::string expected_dir_;
  std::string release_;
  std::string platform_;
  std::optional<KernelVersion> kernel_;
  KernelConfig kernel_config_;
  std::vector<std::string> cmdline_;
};

// The Debian architecture name of this build ("riscv64", "arm64"): facts.arch.
const char* suite_arch_name();
// The folder name of this build's architecture ("riscv", "arm64"): expected/<dir>/.
const char* suite_arch_dir();

}  // namespace kvmct
