# SPDX-License-Identifier: GPL-2.0
#
# One console (rpm_sim.one_console=1): the results channel's lines go out
# on the kernel console's own serial port, where a kernel message may cut
# into any of them mid-line. Each line becomes one frame, written at once:
#
#	@RSIM@SEQ LEN SUM|PAYLOAD@MISR@
#
# SEQ counts frames from 1, LEN is the payload's length in bytes, SUM its
# Fletcher-16 checksum (sums modulo 255) in decimal. qemu/one_console.py
# takes out what the kernel printed inside a frame (whole console lines),
# and a frame whose length or sum still disagree is reported, not used.

BEGIN {
	for (i = 1; i < 256; i++)
		code[sprintf("%c", i)] = i
	seq = 0
}

{
	a = 0
	b = 0
	n = length($0)
	for (i = 1; i <= n; i++) {
		a = (a + code[substr($0, i, 1)]) % 255
		b = (b + a) % 255
	}
	seq++
	printf "@RSIM@%d %d %d|%s@MISR@\n", seq, n, b * 256 + a, $0
	fflush()
}
