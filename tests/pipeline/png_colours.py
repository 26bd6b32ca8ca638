#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the pixels of a PNG screenshot by colour, to tell a drawn page
from a blank or broken one.

    tests/pipeline/png_colours.py FILE.png RRGGBB...

Prints "WIDTHxHEIGHT", the number of pixels that are not white, and then
for each colour asked for the number of pixels of exactly that colour.
8-bit RGB and RGBA, not interlaced: what chromium's --screenshot writes.
"""

import struct
import sys
import zlib
from typing import List


def unfilter(raw: bytes, width: int, height: int, bpp: int) -> List[bytearray]:
	rows = []
	stride = width * bpp
	prev = bytearray(stride)
	pos = 0
	for _ in range(height):
		kind = raw[pos]
		line = bytearray(raw[pos + 1:pos + 1 + stride])
		pos += 1 + stride
		for i in range(stride):
			a = line[i - bpp] if i >= bpp else 0
			b = prev[i]
			c = prev[i - bpp] if i >= bpp else 0
			if kind == 1:
				line[i] = (line[i] + a) & 0xff
			elif kind == 2:
				line[i] = (line[i] + b) & 0xff
			elif kind == 3:
				line[i] = (line[i] + (a + b) // 2) & 0xff
			elif kind == 4:
				p = a + b - c
				pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
				pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
				line[i] = (line[i] + pred) & 0xff
		rows.append(line)
		prev = line
	return rows


def main(argv: List[str]) -> int:
	with open(argv[0], 'rb') as f:
		data = f.read()
	if data[:8] != b'\x89PNG\r\n\x1a\n':
		print('not a PNG', file=sys.stderr)
		return 1
	pos, idat = 8, b''
	while pos < len(data):
		length, kind = struct.unpack('>I4s', data[pos:pos + 8])
		body = data[pos + 8:pos + 8 + length]
		if kind == b'IHDR':
			width, height, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', body)
		elif kind == b'IDAT':
			idat += body
		pos += 12 + length
	if depth != 8 or colour not in (2, 6) or interlace:
		print(f'unsupported PNG: depth {depth}, colour type {colour}', file=sys.stderr)
		return 1
	bpp = 3 if colour == 2 else 4
	want = {bytes.fromhex(c): 0 for c in argv[1:]}
	ink = 0
	for line in unfilter(zlib.decompress(idat), width, height, bpp):
		for i in range(0, len(line), bpp):
			px = bytes(line[i:i + 3])
			if px != b'\xff\xff\xff':
				ink += 1
			if px in want:
				want[px] += 1
	print(f'{width}x{height} {ink} ' + ' '.join(str(n) for n in want.values()))
	return 0


if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
