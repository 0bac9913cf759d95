// SPDX-License-Identifier: MIT
// expected/riscv/isa-probes.yaml: per catalogued extension, the guest probe that uses it and what
// the guest must observe with the ISA_EXT register at 1 and at 0 (suites/riscv/isa_ext_execution_test.cc).
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "riscv/expect/catalogue.h"

namespace kvmct {

struct IsaProbe {
  enum class Kind { Probe, None, Deferred };
  Kind kind = Kind::Probe;
  std::string probe;                      // probe id in guest-payloads/riscv/probe/probe_list.h
  bool hint = false;                      // a HINT: "executes" is all it can show
  std::string on = "executed";            // observation with the register at 1: executed | vmm-exit
  std::string disabled = "illegal-instruction";  // the trap with the register at 0
  std::vector<std::string> disable_also;  // disabled together with this extension
  std::string why;                        // none / deferred: the reason
  int line = 0;
};

// The ids of the probe payload's probes, from its one list (probe_list.h), in its order.
std::span<const std::string_view> payload_probe_ids();

class IsaProbes {
 public:
  // Every key must name a catalogue extension; every catalogue extension must have an entry;
  // every probe must be one of `payload_probes`.
  static Result<IsaProbes> parse(std::string_view text, const std::string& file, const Catalogue& catalogue,
                                 std::span<const std::string_view> payload_probes = payload_probe_ids());
  const IsaProbe* find(std::string_view extension) const;
  const std::map<std::string, IsaProbe, std::less<>>& all() const { return probes_; }

 private:
  std::map<std::string, IsaProbe, std::less<>> probes_;
};

}  // namespace kvmct
