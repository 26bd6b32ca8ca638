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

START = b'@RSIM@'
HEADER = re.compile(rb'([0-9]+) ([0-9]+) ([0-9]+)\|')
END = b'@MISR@'
# A kernel console line, as printk writes it (CONFIG_PRINTK_TIME).
KMSG_LINE = re.compile(rb'\[ *[0-9]+\.[0-9]+\][^\n]*\n')
KMSG_LINES = re.compile(b'(?:' + KMSG_LINE.pattern + b')+')


def fletcher16(data: bytes) -> int:
	a = b = 0
	for c in data:
		a = (a + c) % 255
		b = (b + a) % 255
	return b * 256 + a


def whole(body: bytes, header: re.Match) -> bool:
	"""Whether @body has the length and the sum its frame's @header says."""
	return len(body) == int(header.group(2)) and fletcher16(body) == int(header.group(3))


def mend_markers(data: bytes) -> bytes:
	"""Put kernel lines printed into a frame's start or end marker before
	the marker: "@MI" LINES "SR@" becomes LINES "@MISR@". Before a start
	marker they are console; before an end marker, inside the frame, where
	deframe() takes them out like any other."""
	out = bytearray()
	pos = 0
	for m in KMSG_LINES.finditer(data):
		for marker in (START, END):
			cut = next((n for n in range(1, len(marker))
				    if data.endswith(marker[:n], pos, m.start()) and
				    data.startswith(marker[n:], m.end())), 0)
			if cut:
				out += data[pos:m.start() - cut] + m.group(0) + marker
				pos = m.end() + len(marker) - cut
				break
	return bytes(out + data[pos:])


def deframe(data: bytes) -> Tuple[bytes, List[str], List[str], int]:
	"""Split a console capture into (console, channel lines, problems,
	frames repaired)."""
	data = mend_markers(data.replace(b'\r', b'').replace(b'\0', b''))
	console = bytearray()
	lines: List[str] = []
	problems: List[str] = []
	repaired = 0
	want = 1
	pos = 0
	while True:
		start = data.find(START, pos)
		if start < 0:
			console += data[pos:]
			break
		console += data[pos:start]
		head = start + len(START)
		end = data.find(END, head)
		nxt = data.find(START, head)
		if end < 0 or 0 <= nxt < end:
			m = HEADER.match(data, head)
			problems.append(f'results frame {m.group(1).decode() if m else "?"} '
					'has no end (cut off)')
			pos = nxt if nxt >= 0 else len(data)
			console += data[m.end() if m else head:pos]
			continue
		# The kernel may print into the header as well as the payload.
		frame = data[head:end]
		pos = end + len(END)
		if data[pos:pos + 1] == b'\n':
			pos += 1
		inside: List[bytes] = []
		m = HEADER.match(frame)
		if not m or not whole(frame[m.end():], m):
			inside = KMSG_LINE.findall(frame)
			frame = KMSG_LINE.sub(b'', frame)
			m = HEADER.match(frame)
			console += b''.join(inside)
			if not m or not whole(frame[m.end():], m):
				problems.append(f'results frame {m.group(1).decode() if m else "?"} '
						'is corrupt: its length or sum is wrong')
				if m:
					want = int(m.group(1)) + 1
				continue
			repaired += 1
		seq = int(m.group(1))
		if seq != want:
			problems.append(f'results frames {want}..{seq - 1} are missing')
		want = seq + 1
		lines.append(frame[m.end():].decode('utf-8', errors='replace'))
	return bytes(console), lines, problems, repaired
