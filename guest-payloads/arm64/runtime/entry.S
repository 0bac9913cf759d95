/* SPDX-License-Identifier: MIT */
/* arm64 guest entry and exception vectors. Every vCPU enters _start at EL1h with the MMU
 * off, D A I F masked and x0 = its vCPU index (GuestVm::load, or PSCI CPU_ON's context id).
 * BSS needs no clearing: the host loads the image into fresh, zeroed memory. */
#include "kvmct.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	cmp	x0, #KVMCT_MAX_VCPUS
	b.hs	.Lbad_vcpu
	msr	tpidr_el1, x0		/* the vCPU index, for the vector stubs */
	/* Vectors first, so that even a fault while setting up the stack is reported. */
	adr	x1, kvmct_vectors
	msr	vbar_el1, x1
	isb
	/* sp = top of this vCPU's stack: kvmct_stacks + (index + 1) * KVMCT_STACK_SIZE. */
	adr	x1, kvmct_stacks
	add	x2, x0, #1
	mov	x3, #KVMCT_STACK_SIZE
	madd	x1, x2, x3, x1
	mov	sp, x1
	bl	kvmct_main
	bl	kvmct_finish		/* status = kvmct_main's return value, in x0 */

.Lbad_vcpu:
	/* No stack for this vCPU: spin where the host sees it (a timeout with this pc). */
	wfi
	b	.Lbad_vcpu

/* 16 entries of 0x80 bytes, 2 KiB aligned (VBAR_EL1[10:0] are RES0). Each stub reports
 * ESR_EL1, ELR_EL1, FAR_EL1 and its own offset, so an UNDEF or abort is a result. */
	.macro	vector_stub offset
	.balign	0x80
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	mrs	x2, far_el1
	mov	x3, #\offset
	b	.Ltrap
	.endm

	.balign	0x800
	.globl	kvmct_vectors
kvmct_vectors:
	vector_stub 0x000	/* current EL, SP_EL0: sync, IRQ, FIQ, SError */
	vector_stub 0x080
	vector_stub 0x100
	vector_stub 0x180
	vector_stub 0x200	/* current EL, SP_ELx */
	vector_stub 0x280
	vector_stub 0x300
	vector_stub 0x380
	vector_stub 0x400	/* lower EL, AArch64 */
	vector_stub 0x480
	vector_stub 0x500
	vector_stub 0x580
	vector_stub 0x600	/* lower EL, AArch32 */
	vector_stub 0x680
	vector_stub 0x700
	vector_stub 0x780

.Ltrap:
	/* The stack may be what faulted: use this vCPU's own top of stack again. */
	adr	x4, kvmct_stacks
	mrs	x5, tpidr_el1
	add	x5, x5, #1
	mov	x6, #KVMCT_STACK_SIZE
	madd	x4, x5, x6, x4
	mov	sp, x4
	bl	kvmct_unexpected_trap

	.section .bss
	.balign	16
	.globl	kvmct_stacks
kvmct_stacks:
	.space	KVMCT_MAX_VCPUS * KVMCT_STACK_SIZE
