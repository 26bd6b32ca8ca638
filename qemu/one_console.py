# SPDX-License-Identifier: GPL-2.0
"""One console: the results channel's frames out of the kernel console.

With rpm_sim.one_console=1 the guest (qemu/frame.awk) writes each line of
its results channel to the console's own serial port as one frame,

	@RSIM@SEQ LEN SUM|PAYLOAD@MISR@

and the kernel may print into the middle of it: its console writes do not
wait for a line that user space has half sent. What it printed there are
whole console lines, each starting with its "[   12.345678] " time stamp;
they are taken out of the frame and put back into the console, where the
splat detector reads them. A frame whose length or Fletcher-16 sum still
disagree, a frame never ended, and a gap in the sequence are problems the
runner reports: nothing is guessed.
"""

import re
from typing import List, Tuple

FRAME = re.compile(rb'@RSIM@([0-9]+) ([0-9]+) ([0-9]+)\|')
END = b'@MISR@'
# A kernel console line, as printk writes it (CONFIG_PRINTK_TIME).
KMSG_LINE = re.compile(rb'\[ *[0-9]+\.[0-9]+\][^\n]*\n')


def fletcher16(data: bytes) -> int:
	a = b = 0
	for c in data:
		a = (a + c) % 255
		b = (b + a) % 255
	return b * 256 + a


def deframe(data: bytes) -> Tuple[bytes, List[str], List[str], int]:
	"""Split a console capture into (console, channel lines, problems,
	frames repaired)."""
	data = data.replace(b'\r', b'').replace(b'\0', b'')
	console = bytearray()
	lines: List[str] = []
	problems: List[str] = []
	repaired = 0
	want = 1
	pos = 0
	while True:
		m = FRAME.search(data, pos)
		if not m:
			console += data[pos:]
			break
		console += data[pos:m.start()]
		seq, length, total = (int(x) for x in m.groups())
		end = data.find(END, m.end())
		nxt = FRAME.search(data, m.end())
		if end < 0 or (nxt and nxt.start() < end):
			problems.append(f'results frame {seq} has no end (cut off)')
			pos = nxt.start() if nxt else len(data)
			console += data[m.end():pos]
			continue
		body = data[m.end():end]
		pos = end + len(END)
		if data[pos:pos + 1] == b'\n':
			pos += 1
		if len(body) != length or fletcher16(body) != total:
			inside = KMSG_LINE.findall(body)
			body = KMSG_LINE.sub(b'', body)
			console += b''.join(inside)
			if len(body) != length or fletcher16(body) != total:
				problems.append(f'results frame {seq} is corrupt: its '
						'length or sum is wrong')
				want = seq + 1
				continue
			repaired += 1
		if seq != want:
			problems.append(f'results frames {want}..{seq - 1} are missing')
		want = seq + 1
		lines.append(body.decode('utf-8', errors='replace'))
	return bytes(console), lines, problems, repaired
