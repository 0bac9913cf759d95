// SPDX-License-Identifier: MIT
// kvmct-suite: runs the conformance tests on a KVM host of the architecture it was built for
// (suites/<arch>/arch_suite.cc), prints KTAP on stdout and exits the kselftest way (0 pass,
// 1 fail, 4 all skipped; 2 when it cannot start).
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "arch_suite.h"
#include "ktap_listener.h"
#include "result_document.h"
#include "suite_options.h"

namespace {

constexpr int kExitPass = 0;
constexpr int kExitFail = 1;
constexpr int kExitBroken = 2;
constexpr int kExitSkip = 4;  // KSFT_SKIP

// Takes kvmct's own --kvmct-* flags out of argv; GoogleTest parses the rest.
kvmct::SuiteOptions take_options(int& argc, char** argv) {
  kvmct::SuiteOptions o;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a.rfind("--kvmct-json=", 0) == 0) o.json_path = std::string(a.substr(13));
    else if (a.rfind("--kvmct-expected=", 0) == 0) o.expected_dir = std::string(a.substr(17));
    else if (a.rfind("--kvmct-kernel-config=", 0) == 0) o.kernel_config = std::string(a.substr(22));
    else if (a == "--kvmct-gtest-printer") o.gtest_printer = true;
    else if (a.rfind("--kvmct-atomics-bench=", 0) == 0) o.atomics_bench_runs = static_cast<unsigned>(std::strtoul(argv[i] + 22, nullptr, 10));
    else if (a == "--kvmct-help") {
      std::cout << "kvmct-suite [--kvmct-json=FILE] [--kvmct-expected=DIR] [--kvmct-kernel-config=FILE] [--kvmct-gtest-printer] [--kvmct-atomics-bench=RUNS] [gtest flags]\n";
      std::exit(kExitPass);
    } else rest.push_back(argv[i]);
  }
  argc = static_cast<int>(rest.size());
  for (int i = 0; i < argc; ++i) argv[i] = rest[static_cast<size_t>(i)];
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const kvmct::SuiteOptions options = take_options(argc, argv);
  if (kvmct::Status prepared = kvmct::arch_suite::prepare(options); !prepared) {
    std::cout << "kvmct-suite: error: " << prepared.error().to_string() << std::endl;
    return kExitBroken;
  }
  testing::InitGoogleTest(&argc, argv);

  testing::TestEventListeners& listeners = testing::UnitTest::GetInstance()->listeners();
  if (!options.gtest_printer) {
    delete listeners.Release(listeners.default_result_printer());
    listeners.Append(new kvmct::KtapListener());
  }
  auto* document = new kvmct::ResultDocument();
  listeners.Append(document);

  (void)RUN_ALL_TESTS();  // the exit code is derived below, the kselftest way
  const testing::UnitTest& unit = *testing::UnitTest::GetInstance();
  // The bench runs after the KTAP stream has ended, so the stream is the same with or without it.
  kvmct::Json bench;
  if (options.atomics_bench_runs > 0) {
    kvmct::Result<kvmct::Json> rows = kvmct::arch_suite::atomics_bench(options.atomics_bench_runs, std::cout);
    if (rows) bench = std::move(*rows);
    else {
      std::cout << "# atomics-bench: error: " << rows.error().to_string() << std::endl;
      bench = kvmct::Json::object();
      bench["error"] = rows.error().to_string();
    }
  }

  if (!options.json_path.empty()) {
    kvmct::Json out = kvmct::Json::object();
    out["schema"] = kvmct::kSuiteResultSchema;
    kvmct::arch_suite::add_result_fields(out);
    out["tests"] = document->tests();
    if (!bench.is_null()) out["atomics_bench"] = std::move(bench);
    std::ofstream f(options.json_path);
    f << out.dump() << "\n";
    if (!f) std::cout << "# kvmct-suite: error: cannot write " << options.json_path << std::endl;
  }
  if (unit.failed_test_count() > 0) return kExitFail;
  if (unit.successful_test_count() == 0 && unit.skipped_test_count() > 0) return kExitSkip;
  return kExitPass;
}
