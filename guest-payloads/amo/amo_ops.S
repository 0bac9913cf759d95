/* SPDX-License-Identifier: MIT */
/* The 72 Zaamo instructions under test, one 8-byte stub each: rd = a0, rs2 = a1, rs1 = a0.
 * Order (op, then .w/.d, then none/.aq/.rl/.aqrl) is the index the host sends; the stub's
 * mnemonic is kept in amo_names at the same index so the guest can say what it ran. */
	.option norvc
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
	.globl amo_ops_end
amo_ops_end:

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
