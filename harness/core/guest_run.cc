// SPDX-License-Identifier: MIT
// Reading a guest run's record: reports by name, whether the run was clean, a summary.
#include "core/guest_run.h"

#include <algorithm>
#include <cerrno>

namespace kvmct {

std::string_view to_string(VcpuEnd end) {
  switch (end) {
    case VcpuEnd::Finished: return "finished";
    case VcpuEnd::Trapped: return "trapped";
    case VcpuEnd::RunFailed: return "KVM_RUN failed";
    case VcpuEnd::BadExit: return "unexpected exit";
    case VcpuEnd::Stopped: return "stopped";
    case VcpuEnd::TimedOut: return "timed out";
  }
  return "?";
}

std::vector<uint64_t> GuestRun::values(std::string_view name, unsigned vcpu) const {
  std::vector<uint64_t> out;
  for (const GuestReport& r : reports)
    if (r.vcpu == vcpu && r.name == name) out.push_back(r.value);
  return out;
}

Result<std::vector<uint64_t>> GuestRun::require_all(std::string_view name, size_t count, unsigned vcpu) const {
  std::vector<uint64_t> all = values(name, vcpu);
  if (all.size() == count) return all;
  std::vector<std::string> names;
  for (const GuestReport& r : reports)
    if (r.vcpu == vcpu && std::find(names.begin(), names.end(), r.name) == names.end()) names.push_back(r.name);
  std::string reported = names.empty() ? " nothing" : "";
  for (size_t i = 0; i < names.size(); i++) reported += (i ? ", " : " ") + names[i];
  return Error{all.empty() ? ENOENT : EINVAL, "payload " + payload + ": vCPU " + std::to_string(vcpu) + " reported '" +
                                                  std::string(name) + "' " + std::to_string(all.size()) +
                                                  " times, expected " + std::to_string(count) + " (it reported" +
                                                  reported + ")"};
}

Result<uint64_t> GuestRun::require(std::string_view name, unsigned vcpu) const {
  Result<std::vector<uint64_t>> one = require_all(name, 1, vcpu);
  if (!one) return one.error();
  return one->front();
}

bool GuestRun::clean(unsigned vcpus_expected_to_finish) const {
  if (!failures.empty() || timed_out) return false;
  for (unsigned i = 0; i < vcpus.size(); i++) {
    const VcpuResult& h = vcpus[i];
    if (i < vcpus_expected_to_finish && (h.end != VcpuEnd::Finished || h.status != 0)) return false;
    if (h.end != VcpuEnd::Finished && h.end != VcpuEnd::Stopped) return false;
  }
  return true;
}

std::string GuestRun::summary() const {
  std::string out = "payload " + payload + " ran " + std::to_string(elapsed.count() / 1000) + " ms";
  if (timed_out) out += ", timed out after " + std::to_string(timeout.count()) + " ms";
  for (unsigned i = 0; i < vcpus.size(); i++) {
    const VcpuResult& h = vcpus[i];
    out += "; vCPU " + std::to_string(i) + " " + std::string(to_string(h.end));
    if (!h.detail.empty()) out += " (" + h.detail + ")";
    if (h.pc) out += " last pc " + hex(*h.pc);
  }
  for (const std::string& f : failures) out += "; " + f;
  if (!console.empty()) out += "; console: " + console;
  return out;
}

}  // namespace kvmct
