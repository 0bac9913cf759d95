// SPDX-License-Identifier: MIT
// Reading the arm64 host's CPU facts.
#include "arm64/host_cpu.h"

#include <sys/auxv.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "arm64/feature_id_regs.h"

namespace kvmct::arm64 {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<HostCpu> HostCpu::parse_cpuinfo(std::string_view text, const std::string& source) {
  HostCpu cpu;
  bool first = true;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view key = trim(line.substr(0, colon));
    if (key == "processor") cpu.cpus++;
    if (key != "Features") continue;
    std::set<std::string> these;
    std::istringstream words{std::string(trim(line.substr(colon + 1)))};
    for (std::string w; words >> w;) these.insert(w);
    if (first) {
      cpu.features = std::move(these);
      first = false;
    } else {
      std::set<std::string> common;
      for (const std::string& f : cpu.features)
        if (these.count(f)) common.insert(f);
      cpu.features = std::move(common);
    }
  }
  if (first) return Error{ENOENT, source + ": no 'Features' line (not an arm64 /proc/cpuinfo?)"};
  return cpu;
}

Result<HostCpu> HostCpu::read(const std::string& cpuinfo) {
  std::ifstream in(cpuinfo);
  if (!in) return Error{errno, "open " + cpuinfo};
  std::ostringstream text;
  text << in.rdbuf();
  Result<HostCpu> cpu = parse_cpuinfo(text.str(), cpuinfo);
  if (!cpu) return cpu;
  if (!cpu->has("cpuid")) {
    cpu->id_registers_error = cpuinfo + " lists no 'cpuid': the kernel does not emulate MRS of ID registers at EL0";
    return cpu;
  }
  Result<std::map<std::string, uint64_t>> regs = read_id_registers_at_el0();
  if (regs)
    cpu->id_registers = std::move(*regs);
  else
    cpu->id_registers_error = regs.error().to_string();
  return cpu;
}

Result<std::map<std::string, uint64_t>> read_id_registers_at_el0() {
#if defined(__aarch64__)
  std::map<std::string, uint64_t> out;
  // The generic S<op0>_<op1>_C<n>_C<m>_<op2> spelling: older assemblers lack the newer names.
#define KVMCT_READ_AT_EL0(name, op0, op1, crn, crm, op2)                             \
  {                                                                                  \
    uint64_t v;                                                                      \
    asm volatile("mrs %0, S" #op0 "_" #op1 "_C" #crn "_C" #crm "_" #op2 : "=r"(v)); \
    out[#name] = v;                                                                  \
  }
  KVMCT_FEATURE_ID_REGS(KVMCT_READ_AT_EL0)
#undef KVMCT_READ_AT_EL0
  return out;
#else
  return Error{ENOSYS, "reading arm64 ID registers: not an arm64 build"};
#endif
}

std::string kvm_mode_from_cmdline(const std::vector<std::string>& words) {
  std::string mode;
  for (const std::string& w : words) {
    if (w == "kvm-arm.mode=nvhe") mode = "nvhe";
    else if (w == "kvm-arm.mode=protected") mode = "protected";
    else if (w == "kvm-arm.mode=nested") mode = "nested";
    else if (w == "id_aa64mmfr1.vh=0" && mode.empty()) mode = "nvhe";
  }
  return mode;
}

std::string kvm_mode_from_kernel_log(std::string_view log) {
  // Longest first: "Hyp nVHE" and "Protected nVHE" also end in "VHE mode initialized".
  static constexpr std::pair<std::string_view, std::string_view> kRecords[] = {
      {"Protected nVHE", "protected"}, {"Hyp nVHE", "nvhe"}, {"Hyp hVHE", "hvhe"}, {"Protected hVHE", "protected"}};
  const std::string_view tail = " mode initialized successfully";
  size_t at = log.find(tail);
  while (at != std::string_view::npos) {
    std::string_view before = log.substr(0, at);
    if (before.size() >= 4 && before.substr(before.size() - 4) == "+NV2") before.remove_suffix(4);  // nested virt
    for (const auto& [prefix, mode] : kRecords)
      if (before.size() >= prefix.size() && before.substr(before.size() - prefix.size()) == prefix)
        return std::string(mode);
    if (before.size() >= 5 && before.substr(before.size() - 5) == ": VHE") return "vhe";
    at = log.find(tail, at + 1);
  }
  return "";
}

}  // namespace kvmct::arm64
