/* SPDX-License-Identifier: MIT */
/* vCPU 0 starts vCPUs 1..n-1 with PSCI CPU_ON (n = params[0]) and waits until each has
 * arrived; each reports "vcpu" = its index first, so the host sees every report before vCPU 0
 * finishes. Plain stores and loads only: exclusives on Device memory (MMU off) are not
 * guaranteed, so each vCPU owns its own flag word. */
#include "kvmct.h"

static volatile uint64_t arrived[KVMCT_MAX_VCPUS];

long kvmct_main(unsigned long vcpu) {
  const uint64_t n = KVMCT_PARAMS(uint64_t)[0];
  kvmct_report("vcpu", vcpu);
  if (vcpu != 0) {
    arrived[vcpu] = 1;
    return 0;
  }
  if (n < 1 || n > KVMCT_MAX_VCPUS) {
    kvmct_check_failed(__FILE__, __LINE__, "1 <= n <= KVMCT_MAX_VCPUS", n, KVMCT_MAX_VCPUS);
    return 1;
  }
  for (uint64_t i = 1; i < n; i++) {
    const int64_t status = kvmct_cpu_on(i);
    if (status != 0) { /* waiting for a vCPU that never started would only time out */
      kvmct_check_failed(__FILE__, __LINE__, "kvmct_cpu_on(i) == PSCI_SUCCESS", (uint64_t)status, 0);
      return 1;
    }
  }
  uint64_t started = 0;
  while (started < n - 1) {
    started = 0;
    for (uint64_t i = 1; i < n; i++) started += arrived[i];
  }
  kvmct_report("started", started);
  return 0;
}
