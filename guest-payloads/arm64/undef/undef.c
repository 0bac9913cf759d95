/* SPDX-License-Identifier: MIT */
/* Executes a permanently undefined instruction (UDF #0): the vector stub must report it
 * as an unexpected trap (EC 0 "unknown reason") instead of the vCPU hanging. */
#include "kvmct.h"

long kvmct_main(unsigned long vcpu) {
  (void)vcpu;
  kvmct_puts("udf");
  __asm__ volatile("udf #0");
  return 0; /* not reached: the trap is reported and the vCPU not resumed */
}
