#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the shutdown a guest's console recorded (contracts SD-1..SD-4).

    scripts/shutdown-check.py CONSOLE_LOG

Reads the lines rpm_sim prints (rpm_sim/shutdown.c):

    rpm_sim-topology: NAME parent=P|- suppliers=A,B|- async=0|1 bound=0|1 model=M
    rpm_sim-shutdown: NAME STEP t=NS usage=U status=S

and prints one KTAP document. Every violation names the pair of devices
involved. It reads a file and boots nothing.
"""

import re
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

PREFIX = r'^(?:\[[^]]*\])* ?'
TOPO = re.compile(PREFIX + r'rpm_sim-topology: (\S+) parent=(\S+) suppliers=(\S+) '
		  r'async=([01]) bound=([01]) model=(\S+)')
STEP = re.compile(PREFIX + r'rpm_sim-shutdown: (\S+) (\S+) t=([0-9]+) usage=(-?[0-9]+) '
		  r'status=(\S+)')

MIN_DEVICES = 20
# SD-4: asynchronous shutdown must beat the serial sum clearly, and stay
# within reach of the longest dependency chain (synchronous devices in the
# workload run inline, so the chain is a floor, not a target).
ASYNC_MAX_OF_SERIAL = 0.7
ASYNC_MAX_OF_CHAIN = 2.0


@dataclass
class Device:
	name: str
	parent: Optional[str]
	suppliers: List[str]
	is_async: bool
	bound: bool
	model: str
	begin: Optional[int] = None
	end: Optional[int] = None
	usage_at_begin: Optional[int] = None
	late: List[str] = field(default_factory=list)	# steps after begin


def parse(lines: List[str]) -> Dict[str, Device]:
	devs: Dict[str, Device] = {}
	for line in lines:
		m = TOPO.search(line)
		if m:
			name, parent, sup, asy, bound, model = m.groups()
			devs[name] = Device(name, None if parent == '-' else parent,
					    [] if sup == '-' else sup.split(','),
					    asy == '1', bound == '1', model)
			continue
		m = STEP.search(line)
		if not m or m.group(1) not in devs:
			continue
		d = devs[m.group(1)]
		step, t, usage = m.group(2), int(m.group(3)), int(m.group(4))
		if step == 'begin':
			d.begin, d.usage_at_begin = t, usage
		elif step == 'end':
			d.end = t
		elif d.begin is not None:
			d.late.append(f'{step} at t={t}')
		elif step.startswith('wait_timeout'):
			d.late.append(step)
	return devs


def ms(ns: int) -> str:
	return f'{ns / 1e6:.1f} ms'


def order_violations(devs: Dict[str, Device], pairs: List[Tuple[str, str]],
		     first: str, then: str) -> List[str]:
	"""(a, b) pairs where a's ->shutdown must finish before b's starts."""
	bad = []
	for a, b in pairs:
		da, db = devs.get(a), devs.get(b)
		if not da or not db or not da.bound or not db.bound:
			continue
		if da.end is None or db.begin is None:
			continue	# reported by the completeness case
		if da.end > db.begin:
			bad.append(f'{first} {a} ended at {da.end}, after {then} {b} '
				   f'began at {db.begin}')
	return bad


def longest_chain(devs: Dict[str, Device]) -> int:
	"""Critical path: each device after its children and consumers."""
	deps: Dict[str, List[str]] = {n: [] for n in devs}
	for d in devs.values():
		if d.parent in deps:
			deps[d.parent].append(d.name)
		for s in d.suppliers:
			if s in deps:
				deps[s].append(d.name)
	memo: Dict[str, int] = {}

	def finish(n: str, seen: Tuple[str, ...] = ()) -> int:
		if n in memo:
			return memo[n]
		d = devs[n]
		own = (d.end - d.begin) if d.bound and d.begin is not None and \
			d.end is not None else 0
		before = max((finish(c, seen + (n,)) for c in deps[n] if c not in seen),
			     default=0)
		memo[n] = before + own
		return memo[n]

	return max((finish(n) for n in devs), default=0)


class Ktap:
	def __init__(self) -> None:
		self.lines: List[str] = []
		self.n = 0
		self.failed = False

	def case(self, name: str, problems: List[str], notes: List[str] = (),
		 skip: str = '') -> None:
		self.n += 1
		self.lines += [f'# {l}' for l in list(notes) + problems[:10]]
		if len(problems) > 10:
			self.lines.append(f'# ... and {len(problems) - 10} more')
		if skip:
			self.lines.append(f'ok {self.n} {name} # SKIP {skip}')
		elif problems:
			self.lines.append(f'not ok {self.n} {name}')
			self.failed = True
		else:
			self.lines.append(f'ok {self.n} {name}')

	def print(self) -> None:
		print('KTAP version 1')
		print(f'1..{self.n}')
		print('\n'.join(self.lines))


def check(devs: Dict[str, Device]) -> Ktap:
	k = Ktap()
	bound = [d for d in devs.values() if d.bound]

	problems = []
	if len(devs) < MIN_DEVICES:
		problems.append(f'{len(devs)} devices in the topology, need {MIN_DEVICES}')
	for d in bound:
		if d.begin is None or d.end is None:
			problems.append(f'{d.name}: no complete ->shutdown (begin '
					f'{d.begin}, end {d.end})')
	links = sum(len(d.suppliers) for d in devs.values())
	k.case('sd_workload_shut_down', problems,
	       [f'{len(devs)} devices, {len(bound)} bound, {links} links'])

	children = [(d.name, d.parent) for d in devs.values() if d.parent]
	k.case('sd1_children_before_parents',
	       order_violations(devs, children, 'child', 'parent'))

	consumers = [(d.name, s) for d in devs.values() for s in d.suppliers]
	problems = order_violations(devs, consumers, 'consumer', 'supplier')
	k.case('sd2_consumers_before_suppliers', problems,
	       [] if consumers else ['no device links in the workload'])

	problems = []
	for d in bound:
		if d.usage_at_begin is not None and d.usage_at_begin < 1:
			problems.append(f'{d.name}: usage_count {d.usage_at_begin} at '
					f'->shutdown, runtime PM not blocked')
		problems += [f'{d.name}: {s} after ->shutdown began' for s in d.late]
	k.case('sd3_runtime_pm_blocked', problems)

	timed = [d for d in bound if d.begin is not None and d.end is not None]
	opted = [d for d in timed if d.is_async]
	if not opted or not timed:
		k.case('sd4_async_shutdown', [], skip='no device opted in to async shutdown')
	else:
		serial = sum(d.end - d.begin for d in timed)
		total = max(d.end for d in timed) - min(d.begin for d in timed)
		chain = longest_chain(devs)
		overlap = any(a.begin < b.end and b.begin < a.end
			      for i, a in enumerate(opted) for b in opted[i + 1:])
		notes = [f'model: {opted[0].model}',
			 f'serial (sum of ->shutdown times): {ms(serial)}',
			 f'measured (first begin to last end): {ms(total)}',
			 f'longest dependency chain: {ms(chain)}']
		problems = []
		if not overlap:
			problems.append('no two asynchronous ->shutdown calls overlapped')
		if total > ASYNC_MAX_OF_SERIAL * serial:
			problems.append(f'{ms(total)} is not clearly below the serial '
					f'{ms(serial)}')
		if total > ASYNC_MAX_OF_CHAIN * chain:
			problems.append(f'{ms(total)} is far above the longest chain '
					f'{ms(chain)}')
		k.case('sd4_async_shutdown', problems, notes)

	models = {d.model for d in devs.values()}
	if 'core' in models:
		k.case('sd4_core_async_shutdown', [],
		       ['the kernel has device_enable_async_shutdown(): checked above'])
	else:
		k.case('sd4_core_async_shutdown', [],
		       skip='no device_enable_async_shutdown() in this kernel; '
			    'the rpm_sim model was tested instead')
	return k


def main(argv: List[str]) -> int:
	if len(argv) != 2:
		print(__doc__.strip().split('\n')[2].strip(), file=sys.stderr)
		return 2
	try:
		with open(argv[1], errors='replace') as f:
			lines = f.read().split('\n')
	except OSError as e:
		print(f'shutdown-check: {e}', file=sys.stderr)
		return 2
	devs = parse(lines)
	if not devs:
		print('KTAP version 1\n1..1\n'
		      '# no rpm_sim-topology lines: the shutdown workload never ran\n'
		      'not ok 1 sd_workload_shut_down')
		return 1
	k = check(devs)
	k.print()
	return 1 if k.failed else 0


if __name__ == '__main__':
	sys.exit(main(sys.argv))
