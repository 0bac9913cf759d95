// SPDX-License-Identifier: MIT
// Faulting atomics: misaligned AMO/LR/SC in RAM and any access to a guest-physical address
// with no memslot. Each case records what happened (the guest's trap, an MMIO exit, a failing
// KVM_RUN) and checks it against expected/riscv/atomic-traps.yaml; the suite outlives every case.
#include <gtest/gtest.h>

#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <vector>

#include "check_judge.h"
#include "expect/kernel_version.h"
#include "expect/known_cause.h"
#include "expect/yaml_file.h"
#include "guest_support.h"
#include "riscv/guest_abi.h"
#include "suite_context.h"

namespace kvmct {
namespace {

using riscv::GuestRun;
using ::kvmct::hex;

struct Observation {
  KernelVersion since;
  std::string outcome;
};
// A bug outside KVM that this suite has traced (docs/findings/), with the platforms it is on.
struct KnownBug {
  std::string platform;  // fnmatch pattern on kvmct.platform=, e.g. "qemu-10.0.*"
  Owner owner;           // whose bug: qemu or platform (a KVM bug is a deviation in overrides.yaml)
  std::string summary;
  std::string details;  // the findings document
};
// The exact wrong outcome a known bug produces, per kernel: anything else still fails.
struct KnownBugOutcome {
  std::string bug;
  std::vector<Observation> outcomes;  // ascending `since`
  std::string where;                  // file:line of the case's known_bug
};
struct TrapExpectation {
  std::vector<std::string> allowed;
  std::map<std::string, std::vector<std::string>> allowed_if_host_has;  // host extension -> more outcomes
  std::vector<Observation> observed;  // ascending `since`
  std::optional<KnownBugOutcome> known_bug;
  std::string where;                  // file:line of the case
};
struct TrapTable {
  std::map<std::string, KnownBug> bugs;
  std::map<std::string, TrapExpectation> cases;
};

// The entry with the greatest `since` not above the running kernel.
const Observation* for_kernel(const std::vector<Observation>& list) {
  const std::optional<KernelVersion>& kernel = context().kernel();
  const Observation* found = nullptr;
  for (const Observation& o : list)
    if (kernel && !(*kernel < o.since)) found = &o;
  return found;
}

std::vector<Observation> parse_observations(const YamlFile& yaml, const YAML::Node& list, const std::string& what) {
  if (!list.IsSequence()) yaml.fail(list, what + " must be a list");
  std::vector<Observation> out;
  for (const YAML::Node& o : list) {
    yaml.only_keys(o, {"since", "outcome"}, what);
    Observation ob{yaml.version(yaml.required(o, "since", what), "since"),
                   yaml.string(yaml.required(o, "outcome", what), "outcome")};
    if (!out.empty() && !(out.back().since < ob.since)) yaml.fail(o, what + " must be in ascending 'since' order");
    out.push_back(ob);
  }
  return out;
}

Result<TrapTable> parse_expectations() {
  Result<ExpectedFile> file = context().expected_file("atomic-traps.yaml");
  if (!file) return file.error();
  const ExpectedFile& f = *file;
  YamlFile yaml(f.name);
  return parse_yaml<TrapTable>(yaml, [&] {
    const YAML::Node root = yaml.load(f.text);
    yaml.only_keys(root, {"known_bugs", "cases"}, "the file");
    TrapTable out;
    if (const YAML::Node bugs = root["known_bugs"]) {
      for (const auto& kv : bugs) {
        const std::string id = kv.first.as<std::string>();
        yaml.only_keys(kv.second, {"platform", "owner", "summary", "details"}, "known bug " + id);
        const std::string owner = yaml.string(yaml.required(kv.second, "owner", id), "owner");
        const std::optional<Owner> parsed = parse_owner(owner);
        if (!parsed) yaml.fail(kv.second, "owner '" + owner + "' is not one of " + std::string(kOwnerChoices));
        out.bugs[id] = {yaml.string(yaml.required(kv.second, "platform", id), "platform"), *parsed,
                        yaml.string(yaml.required(kv.second, "summary", id), "summary"),
                        yaml.string(yaml.required(kv.second, "details", id), "details")};
      }
    }
    for (const auto& kv : yaml.required(root, "cases", "the file")) {
      const std::string name = kv.first.as<std::string>();
      yaml.only_keys(kv.second, {"allowed", "allowed_if_host_has", "observed", "known_bug"}, name);
      TrapExpectation e;
      e.where = yaml.where(kv.first);
      e.allowed = yaml.string_list(yaml.required(kv.second, "allowed", name), name + " allowed");
      if (const YAML::Node extra = kv.second["allowed_if_host_has"])
        for (const auto& ext : extra)
          e.allowed_if_host_has[ext.first.as<std::string>()] = yaml.string_list(ext.second, name + " allowed_if_host_has");
      if (const YAML::Node obs = kv.second["observed"]) e.observed = parse_observations(yaml, obs, name + " observed");
      if (const YAML::Node kb = kv.second["known_bug"]) {
        yaml.only_keys(kb, {"bug", "outcomes"}, name + " known_bug");
        KnownBugOutcome k{yaml.string(yaml.required(kb, "bug", name), "bug"),
                          parse_observations(yaml, yaml.required(kb, "outcomes", name), name + " known_bug outcomes"),
                          yaml.where(kb)};
        if (!out.bugs.count(k.bug)) yaml.fail(kb, name + " names unknown bug '" + k.bug + "' (see known_bugs)");
        e.known_bug = std::move(k);
      }
      out.cases[name] = std::move(e);
    }
    return out;
  });
}

const Result<TrapTable>& expectations() {
  static const Result<TrapTable> e = parse_expectations();
  return e;
}

std::string trap_outcome(uint64_t scause) {
  switch (scause) {
    case 4: return "load-misaligned";
    case 5: return "load-access-fault";
    case 6: return "store-misaligned";
    case 7: return "store-access-fault";
    case 13: return "load-page-fault";
    case 15: return "store-page-fault";
    default: return "exception-" + std::to_string(scause);
  }
}

enum class Kind { Amo, Lr, Sc, Load, Store };

struct TrapCase {
  const char* name;
  unsigned scenario;  // guest-payloads/riscv/traps/traps.c
  Kind kind;
};

// Failure messages name the case, not its bytes.
void PrintTo(const TrapCase& c, std::ostream* os) { *os << c.name; }

const std::vector<TrapCase>& cases() {
  static const std::vector<TrapCase> all = {
      {"MisalignedAmoaddW", 0, Kind::Amo}, {"MisalignedAmoswapW", 1, Kind::Amo}, {"MisalignedAmoaddD", 2, Kind::Amo},
      {"MisalignedAmoswapD", 3, Kind::Amo}, {"MisalignedLrW", 4, Kind::Lr},     {"MisalignedLrD", 5, Kind::Lr},
      {"MisalignedScW", 6, Kind::Sc},       {"MisalignedScD", 7, Kind::Sc},     {"UnmappedLoadD", 8, Kind::Load},
      {"UnmappedStoreD", 9, Kind::Store},   {"UnmappedAmoaddW", 10, Kind::Amo}, {"UnmappedAmoaddD", 11, Kind::Amo},
      {"UnmappedAmoswapD", 12, Kind::Amo},  {"UnmappedLrW", 13, Kind::Lr},      {"UnmappedLrD", 14, Kind::Lr},
      {"UnmappedScW", 15, Kind::Sc},        {"UnmappedScD", 16, Kind::Sc},
  };
  return all;
}

constexpr uint64_t kMmioLoadValue = 0x1122334455667788;
constexpr uint64_t kStoredValue = 0x0123456789abcdef;  // what traps.c stores or adds

class AtomicTrap : public testing::TestWithParam<TrapCase> {};

TEST_P(AtomicTrap, Outcome) {
  const TrapCase& c = GetParam();
  const auto& table = expectations();
  ASSERT_TRUE(table.ok()) << table.error().to_string();
  const auto it = table->cases.find(c.name);
  ASSERT_NE(it, table->cases.end()) << "expected/riscv/atomic-traps.yaml has no case " << c.name;
  const TrapExpectation& expect = it->second;

  Result<riscv::GuestVm> vm = make_guest_vm("traps");
  ASSERT_TRUE(vm.ok()) << vm.error().to_string();
  const uint64_t params[] = {c.scenario};
  ASSERT_TRUE(vm->set_params_of(params).ok());
  std::vector<riscv::MmioAccess> mmio;
  std::mutex mu;
  riscv::RunOptions options;
  options.on_mmio = [&](unsigned, const riscv::MmioAccess& access) -> std::optional<uint64_t> {
    std::lock_guard lock(mu);
    mmio.push_back(access);
    return kMmioLoadValue;
  };
  const GuestRun run = vm->run(options);
  record_guest_run(run);

  // What happened, named as in the YAML.
  const riscv::HartResult& hart = run.harts.at(0);
  std::string outcome;
  if (hart.end == riscv::HartEnd::RunFailed) {
    outcome = "kvm-run-" + Error::errno_name(hart.run_errno);
  } else {
    ASSERT_TRUE(run.clean()) << run.summary();
    if (run.value("trapped") == 1u) outcome = trap_outcome(*run.value("scause"));
    else if (!mmio.empty()) outcome = "mmio-exit";
    else if (c.kind == Kind::Sc && run.value("rd") != 0u) outcome = "sc-failed";
    else outcome = "completed";
  }
  RecordProperty("outcome", outcome);
  if (hart.pc) RecordProperty("pc", hex(*hart.pc));

  std::vector<std::string> allowed = expect.allowed;
  const Result<riscv::HostIsa>& host = context().host_isa();
  for (const auto& [ext, more] : expect.allowed_if_host_has)
    if (host && host->has(ext)) allowed.insert(allowed.end(), more.begin(), more.end());

  // A traced bug outside KVM: its exact outcome on its platform is known, not failed; any
  // other outcome there (including a fix) is judged as usual.
  std::optional<KnownCause> cause;
  if (expect.known_bug) {
    const KnownBug& bug = table->bugs.at(expect.known_bug->bug);
    const Observation* pinned = for_kernel(expect.known_bug->outcomes);
    const bool on_platform = ::fnmatch(bug.platform.c_str(), context().platform().c_str(), 0) == 0;
    if (on_platform && pinned && pinned->outcome == outcome)
      cause = KnownCause{bug.owner,
                         expect.known_bug->bug + " on " + context().platform() + " (" + bug.details + "): " + bug.summary,
                         expect.known_bug->where};
  }
  const CheckRecord judged = judge(CheckInput{"outcome", "", outcome, allowed, "allowed by " + expect.where}, cause,
                                   c.name, run.summary(), __FILE__, __LINE__);
  if (judged.state == CheckState::Fail) return;
  if (judged.state == CheckState::Known) {
    RecordProperty("known_bug", expect.known_bug->bug);
    KVMCT_SKIP(SkipKind::Known) << known_skip_reason(judged, c.name);
  }

  const Observation* recorded = for_kernel(expect.observed);
  if (recorded)
    EXPECT_EQ(outcome, recorded->outcome) << c.name << " changed from what " << expect.where << " records for "
                                          << recorded->since.to_string() << "+; " << run.summary();
  else
    RecordProperty("unrecorded", "no observation for kernel " + context().release());

  // Whatever the outcome, its details must be coherent.
  if (outcome == "mmio-exit") {
    ASSERT_EQ(mmio.size(), 1u);
    EXPECT_EQ(hex(mmio[0].gpa), hex(KVMCT_UNMAPPED_GPA));
    EXPECT_EQ(mmio[0].is_write, c.kind == Kind::Store);
    if (c.kind == Kind::Store) {
      EXPECT_EQ(hex(mmio[0].data), hex(kStoredValue));
    }
    if (c.kind == Kind::Load) {
      EXPECT_EQ(hex(*run.value("rd")), hex(kMmioLoadValue)) << "the load did not return the MMIO data";
    }
  }
  if (run.value("trapped") == 1u) {
    const uint64_t addr = *run.value("addr");
    const uint64_t stval = *run.value("stval");
    RecordProperty("stval", hex(stval));
    RecordProperty("sepc", hex(*run.value("epc")));
    // Privileged spec: on an address-misaligned or access-fault exception stval holds the
    // faulting address (or 0 where stval is not written for it).
    EXPECT_TRUE(stval == addr || stval == 0) << "stval " << hex(stval) << " for an access at " << hex(addr)
                                             << ", sepc " << hex(*run.value("epc"));
    EXPECT_EQ(hex(*run.value("mem0")), hex(0x1111111111111111)) << "a trapping access changed memory";
    EXPECT_EQ(hex(*run.value("mem1")), hex(0x2222222222222222)) << "a trapping access changed memory";
  }
}

INSTANTIATE_TEST_SUITE_P(Traps, AtomicTrap, testing::ValuesIn(cases()),
                         [](const testing::TestParamInfo<TrapCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace kvmct
