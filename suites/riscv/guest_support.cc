// SPDX-License-Identifier: MIT
// Guest VMs for the payload suites.
#include "guest_support.h"

#include <gtest/gtest.h>

#include "guest_payloads.h"
#include "riscv/isa_ext_register.h"
#include "suite_context.h"

namespace kvmct {

Result<riscv::GuestVm> make_guest_vm(std::string_view payload, unsigned vcpus) {
  const GuestPayload* p = find_payload(payload);
  if (!p) return Error{ENOENT, "no guest payload named '" + std::string(payload) + "' is built in"};
  Result<riscv::GuestVm> vm = context().fresh_vm(vcpus);
  if (!vm) return vm.error();
  if (Status s = vm->load(*p, riscv::catalogue_isa_ext_namer(context().catalogue())); !s) return s.error();
  return vm;
}

void record_guest_run(const GuestRun& run) {
  uint64_t exits = 0;
  for (const VcpuResult& h : run.vcpus) exits += h.exits;
  testing::Test::RecordProperty("guest_ms", std::to_string(run.elapsed.count() / 1000));
  testing::Test::RecordProperty("guest_exits", std::to_string(exits));
  if (!run.clean(1)) testing::Test::RecordProperty("guest_summary", run.summary());
}


}  // namespace kvmct
