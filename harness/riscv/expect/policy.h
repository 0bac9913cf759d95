// SPDX-License-Identifier: MIT
// The per-release policy (expected/riscv/policy.yaml): one entry per mainline release and each
// extension's rules as changes at a release, folded into the effective policy of any kernel.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "expect/kernel_version.h"
#include "riscv/expect/catalogue.h"

namespace kvmct {

enum class Provenance { Verified, Derived };
std::string_view provenance_name(Provenance p);  // "verified" | "derived"

// Where a fact comes from: upstream commit ids (12 hex digits) and/or a Debian source file read.
struct Citation {
  std::vector<std::string> commits;
  std::string source;  // "Debian linux-source-6.12 6.12.107-1, arch/riscv/kvm/vcpu_onereg.c:181-183"
  std::string note;
  // Verified when a Debian source was read, derived when only commits back it.
  Provenance provenance() const { return source.empty() ? Provenance::Derived : Provenance::Verified; }
  std::string text() const;  // the commits joined by spaces, or the source
};

// How the ISA_EXT registers answer, as errno values (0 = the call succeeds).
struct ErrnoRegime {
  std::string name;            // "enoent-ebusy"
  int unknown_id = 0;          // id >= KVM_RISCV_ISA_EXT_MAX
  int host_lacks_get = 0;      // GET of an extension the host lacks (0: reads as value 0)
  int host_lacks_set = 0;
  int refused = 0;             // enable/disable the policy refuses
  bool refusal_ignored = false;  // refused writes return 0 and change nothing (5.19)
  int changed_after_run = 0;   // a different value after the first KVM_RUN
  int same_value_after_run = 0;
  Citation citation;
};

// Which CONFIG registers refuse a value with a bit >= 25 ('z' and above) with EINVAL.
enum class ConfigRangeCheck { None, EveryConfigReg, Isa };
std::string_view range_check_name(ConfigRangeCheck c);

struct ConfigIsaSpec {
  ConfigRangeCheck range_check = ConfigRangeCheck::None;
  Citation citation;
};

// One mainline release's entry in the tables.
struct Release {
  KernelVersion version;  // major.minor, patch 0
  Provenance provenance = Provenance::Derived;
  Citation citation;
  uint32_t isa_ext_max = 0;                // KVM_RISCV_ISA_EXT_MAX
  std::optional<uint32_t> multi_reg_last;  // rv64 MULTI_REG_LAST; none: no MULTI registers
  std::string errno_regime;  // a key of errno_regimes, carried over from the previous release when unset
  ConfigIsaSpec config_isa;  // likewise
  int line = 0;
  std::string name() const;  // "6.15"
};

enum class OpKind { Allowed, Never, RequiresHost };

// One operation's rule (disable or enable), as in force at a release.
struct OpRule {
  OpKind kind = OpKind::Allowed;
  std::string host;     // RequiresHost: the catalogue extension the host must have
  KernelVersion since;  // the release of the change that set it
  Citation citation;
  // "never-disable since 6.15 (derived: 2d79608cf611)", op is "disable" or "enable".
  std::string describe(std::string_view op) const;
};

// One change of an extension's rules at a release; unset fields keep their previous value.
struct RuleChange {
  KernelVersion since;
  std::optional<OpRule> disable;
  std::optional<OpRule> enable;
  std::optional<std::string> shares_bit;  // "" ends the sharing
  Citation citation;
  int line = 0;
};

// CONFIG isa: letters forced whatever userspace writes, derived from the rules and the ids.
struct ConfigIsaRule {
  std::set<char> forced_on;   // letters of never-disable extensions
  std::set<char> forced_off;  // a..y letters without an id at the release, or never-enable
  ConfigRangeCheck range_check = ConfigRangeCheck::None;
  std::string cite;
};

// The effective policy of one release: every change up to it folded in.
struct ReleasePolicy {
  Release release;  // copies, so a selection outlives no pointer into the tables
  ErrnoRegime errno_regime;
  std::map<std::string, OpRule> disable;  // only extensions with a rule (kind != Allowed)
  std::map<std::string, OpRule> enable;
  std::map<std::string, std::string> shares_bit;  // SMNPM -> SSNPM on 6.13 .. 6.16
  ConfigIsaRule config_isa;
  // "6.15 (derived: 2d79608cf611 b3f263a98d30)"
  std::string label() const;
};

struct PolicySelection {
  ReleasePolicy effective;
  KernelVersion kernel;
  bool newer_than_tables = false;  // kernel above the newest release: its rules are used
};

class Policy {
 public:
  static Result<Policy> parse(std::string_view text, const std::string& file, const Catalogue& catalogue);

  // A kernel maps to its major.minor release; above the newest, the newest with
  // newer_than_tables; below the oldest, an error naming the file and the version.
  Result<PolicySelection> select(const KernelVersion& kernel) const;
  ReleasePolicy at(const Release& release) const;
  const std::vector<Release>& releases() const { return releases_; }
  const Release* release(const KernelVersion& major_minor) const;
  const std::map<std::string, std::vector<RuleChange>>& rules() const { return rules_; }
  const std::map<std::string, ErrnoRegime>& errno_regimes() const { return regimes_; }
  const std::string& file() const { return file_; }

 private:
  std::vector<Release> releases_;  // ascending, one per major.minor
  std::map<std::string, std::vector<RuleChange>> rules_;  // extension -> changes, ascending
  std::map<std::string, ErrnoRegime> regimes_;
  std::map<std::string, std::pair<char, KernelVersion>> letters_;  // single-letter ids: letter, since
  std::string file_;
};

}  // namespace kvmct
