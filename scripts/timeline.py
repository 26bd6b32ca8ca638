#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Draw what a guest recorded: one self-contained HTML page a unit.

    scripts/timeline.py RESULTS/LABEL
    scripts/timeline.py --events LOG OUT.html [--title TITLE]
    scripts/timeline.py --shutdown CONSOLE_LOG OUT.html

RESULTS/LABEL: every event log the runner kept (events/UNIT.log, the
lines of rpm_sim's debugfs history) becomes timeline/UNIT.html, the
shutdown workload's console lines timeline/shutdown.html, and
timeline/index.html lists them. Python's standard library only; the pages
need no network and no script.

An event log is drawn in the order of its records, not to scale: one lane
a device, callbacks as spans in the colour of their layer (bus, domain,
driver, attach), runtime PM calls and notifier events as marks, a gate
where it held as a band from the moment it was reached to the device's
next record, and a strip of the device's runtime status. Each record's
whole line is its tooltip. The shutdown is drawn to scale, so that the
overlap of asynchronous devices shows against the longest chain.
"""

import html
import os
import re
import sys
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

LAYERS = ['attach', 'bus', 'domain', 'driver', 'core', 'harness']
LAYER_COLOUR = {'bus': '#4c78a8', 'domain': '#54a24b', 'driver': '#f58518',
		'attach': '#b279a2', 'core': '#9d755d', 'harness': '#72b7b2'}
STATUS_COLOUR = {'active': '#59a14f', 'suspended': '#bab0ac',
		 'resuming': '#edc948', 'suspending': '#f28e2b', 'error': '#e15759'}
COL = 9		# pixels a record
CHUNK = 150	# records a block
ROW = 9		# pixels a layer's row in a lane
LABEL = 150	# pixels of the lane names
LANE = ROW * len(LAYERS) + 6	# a lane: the layers' rows and the status strip

RECORD = re.compile(r'^(\d+) (\d+) (-?\d+) (\S+) (\S+) (\S+) (\S+)(.*)$')


@dataclass
class Record:
	seq: int
	ts: int
	cpu: int
	dev: str
	layer: str
	event: str
	phase: str
	fields: Dict[str, str]
	line: str


def parse_events(lines: List[str]) -> Tuple[List[Record], List[str]]:
	"""The records of an event log, in order, and its comment lines."""
	records, notes = [], []
	for line in lines:
		line = line.rstrip('\n')
		m = RECORD.match(line)
		if m:
			fields = dict(w.split('=', 1) for w in m.group(8).split() if '=' in w)
			records.append(Record(int(m.group(1)), int(m.group(2)), int(m.group(3)),
					      m.group(4), m.group(5), m.group(6), m.group(7),
					      fields, line))
		elif line.startswith('#'):
			notes.append(line.lstrip('# '))
	records.sort(key=lambda r: r.seq)
	return records, notes


@dataclass
class Span:
	dev: str
	layer: str
	event: str
	start: int		# index of the enter record
	end: Optional[int]	# index of the exit record; None: never left
	title: str


def spans_of(records: List[Record]) -> List[Span]:
	"""Callbacks: each enter paired with the next exit of the same device,
	layer and callback (nested calls of one callback pair inside out)."""
	open_: Dict[Tuple[str, str, str], List[int]] = {}
	spans = []
	for i, r in enumerate(records):
		key = (r.dev, r.layer, r.event)
		if r.phase == 'enter':
			open_.setdefault(key, []).append(i)
		elif r.phase == 'exit' and open_.get(key):
			s = open_[key].pop()
			spans.append(Span(r.dev, r.layer, r.event, s, i,
					  records[s].line + '\n' + r.line))
	for (dev, layer, event), starts in open_.items():
		for s in starts:
			spans.append(Span(dev, layer, event, s, None,
					  records[s].line + '\n(no exit recorded)'))
	return spans


# What a held callback logs first when its gate lets it go, by gate
# (enum rsim_gate_point): the callback itself, or its exit.
GATE_NEXT = ['probe', 'remove', 'runtime_suspend', 'runtime_resume', 'runtime_resume',
	     'runtime_idle']


def gate_holds(records: List[Record]) -> List[Tuple[str, int, int, str]]:
	"""(device, from, to, title): a gate that held (ret=0: one reached in
	atomic context lets go at once), until the callback it held went on,
	or its timeout; a gate of another kind, until the device's next
	record that is not the harness's."""
	holds = []
	for i, r in enumerate(records):
		if r.event != 'gate_reached' or r.fields.get('ret') != '0':
			continue
		arg = int(r.fields.get('arg', '-1'))
		goes_on = GATE_NEXT[arg] if 0 <= arg < len(GATE_NEXT) else None

		def ends(q: Record) -> bool:
			if q.dev != r.dev:
				return False
			if q.event == 'gate_timeout':
				return True
			if goes_on:
				return q.event == goes_on and q.layer != 'harness'
			return q.layer != 'harness'
		end = next((j for j in range(i + 1, len(records)) if ends(records[j])),
			   len(records) - 1)
		holds.append((r.dev, i, end, r.line))
	return holds


def esc(text: str) -> str:
	return html.escape(text, quote=True)


def short(event: str) -> str:
	return event.replace('pm_runtime_', '').replace('notify_', '').replace('runtime_', 'rt_')


def svg_block(records: List[Record], lo: int, hi: int, spans: List[Span],
	      holds: List[Tuple[str, int, int, str]], t0: int) -> str:
	"""Records lo..hi-1 as one SVG: the devices that appear in them."""
	devs: List[str] = []
	for r in records[lo:hi]:
		if r.dev not in devs:
			devs.append(r.dev)
	for s in spans:
		if s.start < hi and (s.end is None or s.end >= lo) and s.dev not in devs:
			devs.append(s.dev)
	lane = {d: i for i, d in enumerate(devs)}
	width = LABEL + (hi - lo) * COL + 10
	height = 20 + len(devs) * LANE + 4
	out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
	       f'class="block">']

	def x(i: int) -> int:
		return LABEL + (i - lo) * COL

	def y(dev: str, layer: str = 'attach') -> int:
		return 20 + lane[dev] * LANE + LAYERS.index(layer) * ROW

	# Time ticks, every 25 records.
	for i in range(lo, hi, 25):
		ms = (records[i].ts - t0) / 1e6
		out.append(f'<line x1="{x(i)}" y1="14" x2="{x(i)}" y2="{height}" class="tick"/>'
			   f'<text x="{x(i) + 2}" y="11" class="tl">#{records[i].seq} '
			   f'{ms:.3f} ms</text>')
	for d in devs:
		top = 20 + lane[d] * LANE
		out.append(f'<rect x="0" y="{top}" width="{width}" height="{LANE - 1}" '
			   f'class="lane{lane[d] % 2}"/>'
			   f'<text x="4" y="{top + LANE // 2 + 4}" class="dev">{esc(d)}</text>')
	# The runtime status each record saw, held until the device's next.
	last: Dict[str, Tuple[int, str]] = {}
	for i in range(lo, hi):
		r = records[i]
		st = r.fields.get('status')
		if st:
			last.setdefault(r.dev, (i, st))
			start, old = last[r.dev]
			if old != st:
				out.append(status_rect(x(start), x(i), y(r.dev), old))
				last[r.dev] = (i, st)
	for d, (start, st) in last.items():
		out.append(status_rect(x(start), x(hi), y(d), st))
	for dev, s, e, title in holds:
		if s >= hi or e < lo or dev not in lane:
			continue
		a, b = max(s, lo), min(e, hi - 1)
		out.append(f'<rect x="{x(a)}" y="{20 + lane[dev] * LANE}" '
			   f'width="{(b - a + 1) * COL}" height="{LANE - 1}" class="hold">'
			   f'<title>gate held\n{esc(title)}</title></rect>')
	for sp in spans:
		end = len(records) if sp.end is None else sp.end
		if sp.start >= hi or end < lo:
			continue
		a, b = max(sp.start, lo), min(end, hi - 1)
		layer = sp.layer if sp.layer in LAYERS else 'core'
		cls = 'span open' if sp.end is None else 'span'
		w = (b - a + 1) * COL
		out.append(f'<rect x="{x(a)}" y="{y(sp.dev, layer)}" width="{w}" '
			   f'height="{ROW - 1}" fill="{LAYER_COLOUR[layer]}" class="{cls}">'
			   f'<title>{esc(sp.title)}</title></rect>')
		if w > 8 * len(short(sp.event)):
			out.append(f'<text x="{x(a) + 2}" y="{y(sp.dev, layer) + ROW - 1}" '
				   f'class="sl">{esc(short(sp.event))}</text>')
	for i in range(lo, hi):
		r = records[i]
		if r.phase in ('enter', 'exit'):
			continue
		layer = r.layer if r.layer in LAYERS else 'core'
		cx, cy = x(i) + COL // 2, y(r.dev, layer) + ROW // 2
		title = f'<title>{esc(r.line)}</title>'
		if r.event == 'gate_reached':
			out.append(f'<path d="M{cx - 3},{cy + 4} L{cx - 3},{cy - 5} L{cx + 4},{cy - 2} '
				   f'L{cx - 3},{cy + 1}" class="gate">{title}</path>')
		elif r.event == 'gate_timeout':
			out.append(f'<path d="M{cx - 3},{cy - 3} L{cx + 3},{cy + 3} M{cx + 3},{cy - 3} '
				   f'L{cx - 3},{cy + 3}" class="timeout">{title}</path>')
		elif r.layer == 'core' and r.event.startswith('notify_'):
			out.append(f'<path d="M{cx},{cy - 4} L{cx + 4},{cy} L{cx},{cy + 4} '
				   f'L{cx - 4},{cy} Z" class="notify">{title}</path>')
		elif r.phase == 'call':
			bad = int(r.fields.get('ret', '0') or 0) < 0
			out.append(f'<path d="M{cx - 3},{cy - 3} L{cx + 3},{cy - 3} L{cx},{cy + 3} Z" '
				   f'class="{"callerr" if bad else "call"}">{title}</path>')
		else:
			out.append(f'<circle cx="{cx}" cy="{cy}" r="2" class="mark">{title}</circle>')
	out.append('</svg>')
	return '\n'.join(out)


def status_rect(x0: int, x1: int, y0: int, status: str) -> str:
	colour = STATUS_COLOUR.get(status, '#ffffff')
	return (f'<rect x="{x0}" y="{y0 + ROW * len(LAYERS)}" width="{max(x1 - x0, 1)}" '
		f'height="4" fill="{colour}"><title>{esc(status)}</title></rect>')


STYLE = '''
body { font: 13px sans-serif; margin: 12px; color: #222; }
h1 { font-size: 16px; } .meta { color: #555; }
svg.block { display: block; margin: 6px 0 14px; }
.lane0 { fill: #fafafa; } .lane1 { fill: #f0f0f0; }
.dev { font: 11px monospace; fill: #222; } .tl { font: 9px monospace; fill: #666; }
.tick { stroke: #ddd; stroke-width: 1; }
.span { stroke: #333; stroke-width: 0.3; } .span.open { stroke-dasharray: 2 2; opacity: 0.6; }
.sl { font: 7px monospace; fill: #fff; pointer-events: none; }
.hold { fill: #e15759; opacity: 0.18; }
.gate { fill: #e15759; stroke: #900; stroke-width: 0.5; }
.timeout { stroke: #b00; stroke-width: 2; fill: none; }
.notify { fill: #fff; stroke: #9d755d; stroke-width: 1.2; }
.call { fill: #333; } .callerr { fill: #e15759; } .mark { fill: #666; }
.legend span { display: inline-block; margin-right: 12px; }
.sw { display: inline-block; width: 12px; height: 10px; margin-right: 3px; vertical-align: middle; }
table { border-collapse: collapse; } td, th { padding: 2px 8px; text-align: left; }
'''


def legend() -> str:
	items = [f'<span><i class="sw" style="background:{LAYER_COLOUR[layer]}"></i>{layer}</span>'
		 for layer in LAYERS]
	items += [f'<span><i class="sw" style="background:{c}"></i>{s}</span>'
		  for s, c in STATUS_COLOUR.items() if s != 'error']
	items += ['<span>&#9660; runtime PM call (red: an error)</span>',
		  '<span>&#9671; bus notifier</span>',
		  '<span style="color:#e15759">&#9873; gate reached, band: held</span>',
		  '<span>&#9679; other marks</span>']
	return ('<p class="legend">Rows of a lane, top to bottom: ' + ', '.join(LAYERS) +
		'; under them the runtime status. ' + ''.join(items) + '</p>')


def page(title: str, body: List[str]) -> str:
	return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
		f'<title>{esc(title)}</title><style>{STYLE}</style></head><body>\n'
		+ '\n'.join(body) + '\n</body></html>\n')


def render_events(lines: List[str], title: str) -> Tuple[str, int]:
	"""The page of one event log, and how many records it drew."""
	records, notes = parse_events(lines)
	body = [f'<h1>{esc(title)}</h1>']
	if not records:
		body.append('<p class="meta">No records.</p>')
		return page(title, body), 0
	t0 = records[0].ts
	ms = (records[-1].ts - t0) / 1e6
	devs = sorted({r.dev for r in records})
	body.append(f'<p class="meta">{len(records)} records, #{records[0].seq} to '
		    f'#{records[-1].seq}, {ms:.3f} ms, {len(devs)} devices; drawn in order, '
		    f'{CHUNK} records a row, not to scale (hover for a record).</p>')
	for n in notes:
		body.append(f'<p class="meta">{esc(n)}</p>')
	body.append(legend())
	spans = spans_of(records)
	holds = gate_holds(records)
	for lo in range(0, len(records), CHUNK):
		body.append(svg_block(records, lo, min(lo + CHUNK, len(records)), spans, holds, t0))
	return page(title, body), len(records)


SD_STEP = re.compile(r'rpm_sim-shutdown: (\S+) (begin|end) t=(\d+)')
SD_TOPO = re.compile(r'rpm_sim-topology: (\S+) parent=(\S+) suppliers=(\S+) '
		     r'async(?:_shutdown)?=([01])')


def render_shutdown(console: List[str]) -> Optional[str]:
	"""The shutdown workload to scale, or None when the console has none."""
	begin: Dict[str, int] = {}
	end: Dict[str, int] = {}
	topo: Dict[str, Tuple[str, str, str]] = {}
	for line in console:
		m = SD_STEP.search(line)
		if m:
			(begin if m.group(2) == 'begin' else end)[m.group(1)] = int(m.group(3))
		m = SD_TOPO.search(line)
		if m:
			topo[m.group(1)] = (m.group(2), m.group(3), m.group(4))
	if not begin:
		return None
	t0 = min(begin.values())
	t1 = max(list(end.values()) + list(begin.values()))
	scale = 900 / max(t1 - t0, 1)
	devs = sorted(begin, key=lambda d: begin[d])
	own = {d: end[d] - begin[d] for d in devs if d in end}
	serial = sum(own.values())

	def chain(d: str, seen: Tuple[str, ...] = ()) -> int:
		"""The longest wait-for chain ending at d (children, consumers)."""
		below = [c for c, (p, s, _) in topo.items()
			 if c not in seen and (p == d or d in s.split(','))]
		return own.get(d, 0) + max((chain(c, seen + (d,)) for c in below), default=0)
	longest = max((chain(d) for d in devs), default=0)
	h = 24 + len(devs) * 16
	out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{LABEL + 920}" height="{h}" class="block">']
	for k in range(0, 11):
		xx = LABEL + k * 90
		out.append(f'<line x1="{xx}" y1="14" x2="{xx}" y2="{h}" class="tick"/>'
			   f'<text x="{xx + 2}" y="11" class="tl">{(t1 - t0) * k / 10 / 1e6:.1f} ms</text>')
	for i, d in enumerate(devs):
		yy = 20 + i * 16
		p, s, a = topo.get(d, ('?', '?', '0'))
		out.append(f'<rect x="0" y="{yy}" width="{LABEL + 920}" height="15" class="lane{i % 2}"/>'
			   f'<text x="4" y="{yy + 11}" class="dev">{esc(d)}</text>')
		x0 = LABEL + (begin[d] - t0) * scale
		w = max(((end.get(d, t1) - begin[d]) * scale), 1)
		colour = LAYER_COLOUR['driver'] if a == '1' else LAYER_COLOUR['bus']
		tip = (f'{d}: {"async" if a == "1" else "sync"}, parent {p}, suppliers {s}\n'
		       f'begin {(begin[d] - t0) / 1e6:.3f} ms, '
		       + (f'end {(end[d] - t0) / 1e6:.3f} ms' if d in end else 'no end'))
		out.append(f'<rect x="{x0:.1f}" y="{yy + 2}" width="{w:.1f}" height="11" '
			   f'fill="{colour}" class="span{"" if d in end else " open"}">'
			   f'<title>{esc(tip)}</title></rect>')
	out.append('</svg>')
	body = ['<h1>Shutdown (SD-1..SD-4)</h1>',
		f'<p class="meta">{len(devs)} devices; to scale. Whole shutdown '
		f'{(t1 - t0) / 1e6:.1f} ms; the devices\' own times summed (serial) '
		f'{serial / 1e6:.1f} ms; the longest chain of children and consumers '
		f'{longest / 1e6:.1f} ms.</p>',
		f'<p class="legend"><span><i class="sw" style="background:{LAYER_COLOUR["driver"]}">'
		f'</i>asynchronous</span><span><i class="sw" style="background:{LAYER_COLOUR["bus"]}">'
		'</i>synchronous</span></p>', '\n'.join(out)]
	return page('shutdown', body)


def read_lines(path: str) -> List[str]:
	with open(path, errors='replace') as f:
		return f.read().replace('\r', '').split('\n')


def write(path: str, text: str) -> None:
	with open(path, 'w') as f:
		f.write(text)


def render_results(top: str) -> int:
	events = os.path.join(top, 'events')
	outdir = os.path.join(top, 'timeline')
	os.makedirs(outdir, exist_ok=True)
	for f in os.listdir(outdir):
		if f.endswith('.html'):
			os.remove(os.path.join(outdir, f))
	rows = []
	for f in sorted(os.listdir(events)) if os.path.isdir(events) else []:
		if not f.endswith('.log'):
			continue
		unit = f[:-4]
		text, n = render_events(read_lines(os.path.join(events, f)),
					f'{os.path.basename(top)}: {unit}')
		write(os.path.join(outdir, unit + '.html'), text)
		rows.append(f'<tr><td><a href="{esc(unit)}.html">{esc(unit)}</a></td><td>{n}</td></tr>')
	console = os.path.join(top, 'console.log')
	sd = render_shutdown(read_lines(console)) if os.path.isfile(console) else None
	if sd:
		write(os.path.join(outdir, 'shutdown.html'), sd)
		rows.append('<tr><td><a href="shutdown.html">shutdown</a></td><td>to scale</td></tr>')
	write(os.path.join(outdir, 'index.html'),
	      page(os.path.basename(top), [f'<h1>{esc(os.path.basename(top))}: timelines</h1>',
					    '<table><tr><th>unit</th><th>records</th></tr>']
		   + rows + ['</table>']))
	print(f'timeline: {len(rows)} pages in {outdir}')
	return 0


def main(argv: List[str]) -> int:
	if len(argv) >= 3 and argv[0] == '--events':
		title = argv[4] if len(argv) == 5 and argv[3] == '--title' else os.path.basename(argv[1])
		write(argv[2], render_events(read_lines(argv[1]), title)[0])
		return 0
	if len(argv) == 3 and argv[0] == '--shutdown':
		text = render_shutdown(read_lines(argv[1]))
		if text is None:
			print(f'timeline: no shutdown lines in {argv[1]}', file=sys.stderr)
			return 1
		write(argv[2], text)
		return 0
	if len(argv) == 1 and not argv[0].startswith('-') and os.path.isdir(argv[0]):
		return render_results(argv[0])
	print(__doc__.split('\n\n')[1], file=sys.stderr)
	return 2


if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
