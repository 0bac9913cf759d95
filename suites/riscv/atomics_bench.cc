// SPDX-License-Identifier: MIT
// Guest atomic throughput with guest-payloads/riscv/atomics_bench. Timing: the guest reads the
// time CSR around its loop (rdtime ticks at the host's timebase-frequency, read from the host
// device tree), so vCPU creation, HSM start and the barrier are not in the number; wall time on
// the host would count them and swamp short loops under TCG.
#include "atomics_bench.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "guest_support.h"
#include "riscv/timebase.h"

namespace kvmct {
namespace {

struct Op {
  const char* name;
  uint64_t code;  // the payload's OP_*
};
constexpr Op kOps[] = {{"amoadd.w", 0}, {"amoadd.d", 1}, {"lr/sc.d", 2}};
constexpr unsigned kVcpus[] = {1, 2, 4};
// Iterations double from kFirstIterations until the slowest hart's loop lasts kMinLoopS,
// so a fast host and TCG both measure a loop much longer than a timer tick.
constexpr uint64_t kFirstIterations = 4096;
constexpr uint64_t kMaxIterations = uint64_t{1} << 24;
constexpr double kMinLoopS = 0.05;

struct Params {
  uint64_t harts, iterations, op, contended;
};

struct Sample {
  double ops_per_s_per_vcpu = 0;  // mean over the harts of iterations / that hart's loop time
  double slowest_s = 0;
  uint64_t sc_failures = 0;
};

Result<Sample> run_once(const Params& p, uint64_t timebase_hz) {
  Result<riscv::GuestVm> vm = make_guest_vm("atomics_bench", static_cast<unsigned>(p.harts));
  if (!vm) return vm.error();
  if (Status s = vm->set_params_of(p); !s) return s.error();
  RunOptions options;
  options.timeout = std::chrono::seconds(120);
  const GuestRun run = vm->run(options);
  // vCPU 0 alone must finish: it waits for every hart to depart, and a hart departs only after
  // its reports, but may still be on its way to FINISH when the host stops the run.
  if (!run.clean(1)) return Error{0, "atomics_bench: " + run.summary()};
  Result<uint64_t> total = run.require("total");
  if (!total) return total.error();
  // Contended or not, the slots together hold every hart's increments (amoadd.w: mod 2^32).
  const uint64_t mask = p.op == 0 ? 0xffffffffu : ~uint64_t{0}, want = p.harts * p.iterations;
  if ((*total & mask) != (want & mask))
    return Error{0, "atomics_bench: total " + std::to_string(*total) + ", want " + std::to_string(want) +
                        ": increments were lost, so the rate means nothing"};
  Sample s;
  for (unsigned h = 0; h < p.harts; ++h) {
    Result<uint64_t> ticks = run.require("ticks", h), failures = run.require("sc_failures", h);
    if (!ticks) return ticks.error();
    if (!failures) return failures.error();
    const double secs = static_cast<double>(std::max<uint64_t>(*ticks, 1)) / static_cast<double>(timebase_hz);
    s.ops_per_s_per_vcpu += static_cast<double>(p.iterations) / secs / static_cast<double>(p.harts);
    s.slowest_s = std::max(s.slowest_s, secs);
    s.sc_failures += *failures;
  }
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

Result<Json> run_atomics_bench(unsigned repeats, std::ostream& table) {
  Result<uint64_t> hz = riscv::read_timebase_hz();
  if (!hz) return hz.error();
  Json rows = Json::array();
  char line[160];
  std::snprintf(line, sizeof line, "# atomics-bench: guest rdtime at timebase %llu Hz; median of %u runs\n",
                static_cast<unsigned long long>(*hz), repeats);
  table << line;
  std::snprintf(line, sizeof line, "# %-9s %-12s %5s %10s %14s %14s %14s %10s\n", "op", "layout", "vcpus",
                "iterations", "ops/s/vcpu", "min", "max", "sc_fails");
  table << line;
  for (const Op& op : kOps) {
    for (const bool contended : {true, false}) {
      for (const unsigned vcpus : kVcpus) {
        Params p{vcpus, kFirstIterations, op.code, contended ? 1u : 0u};
        Result<Sample> first = run_once(p, *hz);
        while (first && first->slowest_s < kMinLoopS && p.iterations < kMaxIterations) {
          p.iterations *= 2;
          first = run_once(p, *hz);
        }
        if (!first) return first.error();
        std::vector<double> rates{first->ops_per_s_per_vcpu};
        uint64_t sc_failures = first->sc_failures;
        for (unsigned r = 1; r < repeats; ++r) {
          Result<Sample> s = run_once(p, *hz);
          if (!s) return s.error();
          rates.push_back(s->ops_per_s_per_vcpu);
          sc_failures += s->sc_failures;
        }
        const double med = median(rates);
        const char* layout = contended ? "contended" : "uncontended";
        std::snprintf(line, sizeof line, "# %-9s %-12s %5u %10llu %14.0f %14.0f %14.0f %10llu\n", op.name, layout,
                      vcpus, static_cast<unsigned long long>(p.iterations), med,
                      *std::min_element(rates.begin(), rates.end()), *std::max_element(rates.begin(), rates.end()),
                      static_cast<unsigned long long>(sc_failures));
        table << line << std::flush;
        Json samples = Json::array();
        for (double r : rates) samples.push_back(r);
        Json row = Json::object();
        row["op"] = op.name;
        row["layout"] = layout;
        row["vcpus"] = vcpus;
        row["iterations"] = p.iterations;
        row["median"] = med;
        row["samples"] = std::move(samples);
        row["sc_failures"] = sc_failures;
        rows.push_back(std::move(row));
      }
    }
  }
  Json out = Json::object();
  out["timing"] = "guest rdtime";
  out["timebase_hz"] = *hz;
  out["unit"] = "ops/s/vcpu";
  out["repeats"] = repeats;
  out["rows"] = std::move(rows);
  return out;
}

}  // namespace kvmct
