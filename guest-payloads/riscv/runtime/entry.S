/* SPDX-License-Identifier: MIT */
/* Guest entry and trap vector. Every hart enters at _start in VS-mode with satp = 0,
 * a0 = hart id and a1 = device tree (Linux boot protocol; SBI HSM start state), either as
 * the boot vCPU or started by SBI HSM. BSS needs no clearing: the host loads the image into
 * fresh, zeroed memory (docs/hypercall.md, "Guest memory"). */
#include "kvmct.h"

	.section .text.entry, "ax"
	.option norvc
	.globl _start
_start:
	li	t0, KVMCT_MAX_HARTS
	bgeu	a0, t0, .Lbad_hart
	/* tp = &kvmct_harts[hartid], for the trap handler and kvmct_self(). */
	la	tp, kvmct_harts
	.if KVMCT_HART_SIZE != 64
	.error "the shift below assumes KVMCT_HART_SIZE == 64"
	.endif
	slli	t0, a0, 6		/* * KVMCT_HART_SIZE */
	add	tp, tp, t0
	sd	a0, KVMCT_HART_ID(tp)
	/* sp = top of this hart's stack. */
	la	sp, kvmct_stacks
	addi	t0, a0, 1
	li	t1, KVMCT_STACK_SIZE
	mul	t0, t0, t1
	add	sp, sp, t0
	la	t0, kvmct_trap_entry
	csrw	stvec, t0
	call	kvmct_main
	call	kvmct_finish		/* status = kvmct_main's return value, in a0 */

.Lbad_hart:
	/* No stack for this hart: report it as a trap with scause = ~0 and stval = hart id. */
	mv	a2, a0
	li	a0, -1
	la	a1, _start
	j	.Lreport_trap

	/* Direct mode: stvec's low bits are 0, so the handler must be 4-byte aligned. */
	.balign 4
	.globl kvmct_trap_entry
kvmct_trap_entry:
	csrw	sscratch, t0
	ld	t0, KVMCT_HART_FIXUP(tp)
	beqz	t0, .Lunexpected
	/* An expected trap: record it and resume at the fixup address. */
	csrr	t0, sepc
	sd	t0, KVMCT_HART_EPC(tp)
	ld	t0, KVMCT_HART_FIXUP(tp)
	csrw	sepc, t0
	sd	zero, KVMCT_HART_FIXUP(tp)
	csrr	t0, scause
	sd	t0, KVMCT_HART_CAUSE(tp)
	csrr	t0, stval
	sd	t0, KVMCT_HART_TVAL(tp)
	li	t0, 1
	sd	t0, KVMCT_HART_TRAPPED(tp)
	csrr	t0, sscratch
	sret

.Lunexpected:
	csrr	a0, scause
	csrr	a1, sepc
	csrr	a2, stval
.Lreport_trap:
	li	a7, KVMCT_SBI_EXT
	li	a6, KVMCT_SBI_UNEXPECTED_TRAP
	ecall
	/* The host does not resume the hart; if it ever does, stay here. */
1:	wfi
	j	1b

	.section .bss
	.balign 64
	.globl kvmct_harts
kvmct_harts:
	.space KVMCT_HART_SIZE * KVMCT_MAX_HARTS
	.balign 16
kvmct_stacks:
	.space KVMCT_STACK_SIZE * KVMCT_MAX_HARTS
