/* SPDX-License-Identifier: MIT */
/* Guest (VS-mode) at GPA 0x80000000; a0 = which test (one 4-byte instruction) to run. */
	.option norvc
	.globl _start
_start:
	lla t0, handler
	csrw stvec, t0
	li s0, 0x80001001          /* misaligned for every width */
	mv s1, a0
	slli t0, a0, 3             /* each table slot below is 8 bytes: insn + j report_ok */
	lla t1, tests
	add t0, t0, t1
	jr t0
tests:
	.4byte 0x00000013; j report_ok /* 0: nop */
	lw a0, 0(s0);       j report_ok /* 1: plain misaligned load */
	sd zero, 0(s0);     j report_ok /* 2: plain misaligned store */
	.4byte 0x0000000b;  j report_ok /* 3: custom-0 opcode: illegal instruction */
	amoadd.w a0, zero, (s0); j report_ok /* 4: misaligned AMO */
	lr.w a0, (s0);      j report_ok /* 5: misaligned LR */
	sc.w a0, zero, (s0); j report_ok /* 6: misaligned SC */
report_ok:                     /* a1 = -1: no trap */
	mv a0, s1
	li a1, -1
	li a7, 0x08000000
	ecall
1:	j 1b
handler:                       /* report what reached vstvec, then stop */
	mv a0, s1
	csrr a1, scause
	csrr a2, stval
	csrr a3, sepc
	li a7, 0x08000000
	ecall
1:	j 1b
