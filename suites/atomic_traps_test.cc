// SPDX-License-Identifier: MIT
// Faulting atomics: misaligned AMO/LR/SC in RAM and any access to a guest-physical address
// with no memslot. Each case records what happened (the guest's trap, an MMIO exit, a failing
// KVM_RUN) and checks it against expected/atomic-traps.yaml; the suite outlives every case.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <vector>

#include "expect/kernel_version.h"
#include "expect/yaml_file.h"
#include "guest_support.h"
#include "riscv/guest_abi.h"
#include "suite_context.h"

namespace kvmct {
namespace {

using riscv::GuestRun;
using riscv::hex;

struct Observation {
  KernelVersion since;
  std::string outcome;
};
struct TrapExpectation {
  std::vector<std::string> allowed;
  std::vector<Observation> observed;  // ascending `since`
  std::string where;                  // file:line of the case
};

Result<std::map<std::string, TrapExpectation>> parse_expectations() {
  Result<ExpectedFile> file = context().expected_file("atomic-traps.yaml");
  if (!file) return file.error();
  const ExpectedFile& f = *file;
  YamlFile yaml(f.name);
  return parse_yaml<std::map<std::string, TrapExpectation>>(yaml, [&] {
    const YAML::Node root = yaml.load(f.text);
    yaml.only_keys(root, {"cases"}, "the file");
    std::map<std::string, TrapExpectation> out;
    for (const auto& kv : yaml.required(root, "cases", "the file")) {
      const std::string name = kv.first.as<std::string>();
      yaml.only_keys(kv.second, {"allowed", "observed"}, name);
      TrapExpectation e;
      e.where = yaml.where(kv.first);
      e.allowed = yaml.string_list(yaml.required(kv.second, "allowed", name), name + " allowed");
      if (const YAML::Node obs = kv.second["observed"]) {
        if (!obs.IsSequence()) yaml.fail(obs, name + " observed must be a list");
        for (const YAML::Node& o : obs) {
          yaml.only_keys(o, {"since", "outcome"}, name + " observation");
          Observation ob{yaml.version(yaml.required(o, "since", "observation"), "since"),
                         yaml.string(yaml.required(o, "outcome", "observation"), "outcome")};
          if (!e.observed.empty() && !(e.observed.back().since < ob.since))
            yaml.fail(o, "observations must be in ascending 'since' order");
          e.observed.push_back(ob);
        }
      }
      out[name] = std::move(e);
    }
    return out;
  });
}

const Result<std::map<std::string, TrapExpectation>>& expectations() {
  static const Result<std::map<std::string, TrapExpectation>> e = parse_expectations();
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
  unsigned scenario;  // guest-payloads/traps/traps.c
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
  const auto it = table->find(c.name);
  ASSERT_NE(it, table->end()) << "expected/atomic-traps.yaml has no case " << c.name;
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

  EXPECT_NE(std::find(expect.allowed.begin(), expect.allowed.end(), outcome), expect.allowed.end())
      << c.name << " ended as " << outcome << ", which " << expect.where << " does not allow; " << run.summary();

  const std::optional<KernelVersion>& kernel = context().kernel();
  const Observation* recorded = nullptr;
  for (const Observation& o : expect.observed)
    if (kernel && !(*kernel < o.since)) recorded = &o;
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
