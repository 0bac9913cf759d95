/* SPDX-License-Identifier: MIT */
/* The AMOs under test, one 8-byte stub each: rd = a0, rs2 = a1, rs1 = a0. First the 72 Zaamo
 * instructions, then the 72 Zabha ones (.b/.h), each in the order op, then width, then
 * none/.aq/.rl/.aqrl: the index the host sends (harness/riscv/amo_reference.h). The stub's
 * mnemonic is kept in amo_names at the same index so the guest can say what it ran.
 * cas_ops holds the 20 AMOCAS stubs (.b .h .w .d .q x orderings), 16 bytes each, in the
 * order of cas_instructions(). gcc 14 rejects zabha/zacas in -march; binutils 2.44 accepts
 * them through .option arch. */
	.option norvc
	.option arch, +zabha, +zacas

	.text
	.balign 8
	.globl amo_ops
amo_ops:
	.irp op, amoswap, amoadd, amoxor, amoand, amoor, amomin, amomax, amominu, amomaxu
	.irp w, w, d
	.irp ord, , .aq, .rl, .aqrl
	\op\().\w\ord	a0, a1, (a0)
	ret
	.endr
	.endr
	.endr
	.irp op, amoswap, amoadd, amoxor, amoand, amoor, amomin, amomax, amominu, amomaxu
	.irp w, b, h
	.irp ord, , .aq, .rl, .aqrl
	\op\().\w\ord	a0, a1, (a0)
	ret
	.endr
	.endr
	.endr
	.globl amo_ops_end
amo_ops_end:

	/* uint64_t cas(volatile void* addr = a0, uint64_t cmp = a1, uint64_t swap = a2):
	 * returns the old value (rd after the instruction). */
	.balign 16
	.globl cas_ops
cas_ops:
	.irp w, b, h, w, d
	.irp ord, , .aq, .rl, .aqrl
	amocas.\w\ord	a1, a2, (a0)
	mv	a0, a1
	ret
	nop
	.endr
	.endr
	/* void cas_q(volatile void* addr = a0, uint64_t v[6] = a1): v = {cmp lo, hi, swap lo, hi}
	 * in, {rd lo, hi} written back to v[4..5]. rd = a2:a3 and rs2 = a4:a5, even/odd pairs. */
	.irp ord, , .aq, .rl, .aqrl
	j	.Lcas_q\ord
	.balign 16
	.endr
	.globl cas_ops_end
cas_ops_end:
	.irp ord, , .aq, .rl, .aqrl
.Lcas_q\ord:
	ld	a2, 0(a1)
	ld	a3, 8(a1)
	ld	a4, 16(a1)
	ld	a5, 24(a1)
	amocas.q\ord	a2, a4, (a0)
	sd	a2, 32(a1)
	sd	a3, 40(a1)
	ret
	.endr

	.section .rodata
	.balign 16
	.globl amo_names
amo_names:
	.irp op, amoswap, amoadd, amoxor, amoand, amoor, amomin, amomax, amominu, amomaxu
	.irp w, w, d
	.irp ord, , .aq, .rl, .aqrl
	.balign 16
	.asciz "\op\().\w\ord"
	.endr
	.endr
	.endr
	.irp op, amoswap, amoadd, amoxor, amoand, amoor, amomin, amomax, amominu, amomaxu
	.irp w, b, h
	.irp ord, , .aq, .rl, .aqrl
	.balign 16
	.asciz "\op\().\w\ord"
	.endr
	.endr
	.endr
	.balign 16
	.globl cas_names
cas_names:
	.irp w, b, h, w, d, q
	.irp ord, , .aq, .rl, .aqrl
	.balign 16
	.asciz "amocas.\w\ord"
	.endr
	.endr
