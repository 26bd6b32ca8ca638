#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the shutdown a guest's console recorded (contracts SD-1..SD-4).

    scripts/shutdown-check.py CONSOLE_LOG

Reads the lines rpm_sim prints (rpm_sim/shutdown.c) and the manifest the
workload (selftests/shutdown/topology.sh) prints:

    rpm_sim-workload: devices=N links=L
    rpm_sim-topology: NAME parent=P|- suppliers=A,B|- async_shutdown=0|1 bound=0|1 timer=0|1 status=S pending=0|1 model=M
    rpm_sim-shutdown: NAME STEP t=NS usage=U status=S timer=0|1 pending=0|1 dispatched=NS

and prints one KTAP document. Every violation names the pair of devices
involved. An order is the driver core's own where the device that must go
first (the child, the consumer) is synchronous, and the asynchronous
model's where it is asynchronous; the cases say which. It reads a file and
boots nothing.
"""

import re
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

PREFIX = r'^(?:\[[^]]*\])* ?'
TOPO = re.compile(PREFIX + r'rpm_sim-topology: (\S+) parent=(\S+) suppliers=(\S+) '
		  # async= in consoles recorded before it was named async_shutdown=
		  r'async(?:_shutdown)?=([01]) bound=([01]) (?:timer=([01]) )?'
		  # status= and pending= in consoles recorded since SD-3's resume check
		  r'(?:status=(\S+) pending=([01]) )?model=(\S+)')
STEP = re.compile(PREFIX + r'rpm_sim-shutdown: (\S+) (\S+) t=([0-9]+) usage=(-?[0-9]+) '
		  r'status=(\S+)(?: timer=([01]) pending=([01]))?(?: dispatched=([0-9]+))?')
MANIFEST = re.compile(PREFIX + r'rpm_sim-workload: devices=([0-9]+) links=([0-9]+)')
# SD-4: asynchronous shutdown must beat the serial sum clearly, and stay
# within reach of the best schedule the devices allowed: each device begun
# as soon as the core's loop handed it over and what it waits for had
# finished. That schedule takes the loop's own pace (synchronous devices
# run inline, the console, the host's load) as given, and so measures only
# how promptly the asynchronous model started what was ready. Logs without
# hand-over times fall back to the longest dependency chain, which ignores
# the loop and is a floor, not a target.
ASYNC_MAX_OF_SERIAL = 0.7
ASYNC_MAX_OF_BEST = 2.0


@dataclass
class Device:
	name: str
	parent: Optional[str]
	suppliers: List[str]
	is_async: bool
	bound: bool
	model: str
	timer_before: bool = False	# a suspend timer armed at the reboot notifier
	# runtime PM status there, None when a request was pending (or not known)
	status_before: Optional[str] = None
	status_at_begin: Optional[str] = None
	begin: Optional[int] = None
	end: Optional[int] = None
	usage_at_begin: Optional[int] = None
	pending_at_begin: List[str] = field(default_factory=list)
	dispatched: Optional[int] = None	# handed over by the core's loop
	late: List[str] = field(default_factory=list)	# steps after begin


def parse(lines: List[str]) -> Tuple[Dict[str, Device], Optional[Tuple[int, int]]]:
	devs: Dict[str, Device] = {}
	manifest = None
	for line in lines:
		m = MANIFEST.search(line)
		if m:
			manifest = (int(m.group(1)), int(m.group(2)))
			continue
		m = TOPO.search(line)
		if m:
			name, parent, sup, asy, bound, timer, status, pending, model = m.groups()
			devs[name] = Device(name, None if parent == '-' else parent,
					    [] if sup == '-' else sup.split(','),
					    asy == '1', bound == '1', model,
					    timer_before=timer == '1',
					    status_before=None if pending == '1' else status)
			continue
		m = STEP.search(line)
		if not m or m.group(1) not in devs:
			continue
		d = devs[m.group(1)]
		step, t, usage = m.group(2), int(m.group(3)), int(m.group(4))
		if step == 'begin':
			d.begin, d.usage_at_begin, d.status_at_begin = t, usage, m.group(5)
			if m.group(8) and int(m.group(8)):
				d.dispatched = int(m.group(8))
			d.pending_at_begin = [w for w, v in (('timer', m.group(6)),
							     ('request', m.group(7))) if v == '1']
		elif step == 'end':
			d.end = t
		elif d.begin is not None:
			d.late.append(f'{step} at t={t}')
		elif step.startswith('wait_timeout'):
			d.late.append(step)
	return devs, manifest


def ms(ns: int) -> str:
	return f'{ns / 1e6:.1f} ms'


def order_case(k: 'Ktap', name: str, devs: Dict[str, Device],
	       pairs: List[Tuple[str, str]], first: str, then: str) -> None:
	"""(a, b) pairs where a's ->shutdown must finish before b's starts.
	A case with no pair to check fails: it would prove nothing."""
	bad = []
	for a, b in pairs:
		da, db = devs[a], devs[b]
		if da.end is None or db.begin is None:
			continue	# reported by the completeness case
		if da.end > db.begin:
			bad.append(f'{first} {a} ended at {da.end}, after {then} {b} '
				   f'began at {db.begin}')
	if not pairs:
		bad.append('no such pair in the workload: nothing was checked')
	k.case(name, bad, [f'{len(pairs)} pairs'])


def waited_for(devs: Dict[str, Device]) -> Dict[str, List[str]]:
	"""What each device's ->shutdown comes after: its children and consumers."""
	deps: Dict[str, List[str]] = {n: [] for n in devs}
	for d in devs.values():
		if d.parent in deps:
			deps[d.parent].append(d.name)
		for s in d.suppliers:
			if s in deps:
				deps[s].append(d.name)
	return deps


def finish_times(devs: Dict[str, Device], start) -> Dict[str, int]:
	"""Each device's earliest end: begun at start(device) or when the last
	device it waits for ended, whichever is later, and taking as long as its
	->shutdown really took."""
	deps = waited_for(devs)
	memo: Dict[str, int] = {}

	def finish(n: str, seen: Tuple[str, ...] = ()) -> int:
		if n in memo:
			return memo[n]
		d = devs[n]
		timed = d.bound and d.begin is not None and d.end is not None
		own = d.end - d.begin if timed else 0
		before = max((finish(c, seen + (n,)) for c in deps[n] if c not in seen),
			     default=0)
		memo[n] = max(before, start(d) if timed else 0) + own
		return memo[n]

	for n in devs:
		finish(n)
	return memo


def longest_chain(devs: Dict[str, Device]) -> int:
	"""Critical path: each device after its children and consumers."""
	return max(finish_times(devs, lambda d: 0).values(), default=0)


def best_schedule(devs: Dict[str, Device], timed: List[Device]) -> Optional[int]:
	"""From the first ->shutdown's begin to the last end, had each device
	begun once handed over and what it waits for had ended; None without
	hand-over times."""
	if any(d.dispatched is None for d in timed):
		return None
	origin = min(d.begin for d in timed)
	ends = finish_times(devs, lambda d: max(d.dispatched - origin, 0))
	return max(ends[d.name] for d in timed)


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


def check(devs: Dict[str, Device], manifest: Optional[Tuple[int, int]]) -> Ktap:
	k = Ktap()
	bound = [d for d in devs.values() if d.bound]
	links = sum(len(d.suppliers) for d in devs.values())

	problems = []
	if manifest is None:
		problems.append('no rpm_sim-workload manifest line: the workload did not finish')
	elif manifest != (len(devs), links):
		problems.append(f'the workload made {manifest[0]} devices and {manifest[1]} '
				f'links, the topology shows {len(devs)} and {links}')
	problems += [f'{d.name}: not bound, so never shut down' for d in devs.values()
		     if not d.bound]
	for d in bound:
		if d.begin is None or d.end is None:
			problems.append(f'{d.name}: no complete ->shutdown (begin '
					f'{d.begin}, end {d.end})')
	k.case('sd_workload_shut_down', problems,
	       [f'{len(devs)} devices, {len(bound)} bound, {links} links'])

	known = [d for d in devs.values() if d.bound]
	model = {d.model for d in devs.values()} == {'rpm_sim'}

	def by_kernel(first: Device) -> bool:
		return not (model and first.is_async)

	children = [(d.name, d.parent) for d in known
		    if d.parent in devs and devs[d.parent].bound]
	consumers = [(d.name, s) for d in known for s in d.suppliers
		     if s in devs and devs[s].bound]
	for name, pairs, first, then in (('sd1_children_before_parents', children,
					   'child', 'parent'),
					  ('sd2_consumers_before_suppliers', consumers,
					   'consumer', 'supplier')):
		order_case(k, f'{name}_kernel', devs,
			   [p for p in pairs if by_kernel(devs[p[0]])], first, then)
		if model:
			order_case(k, f'{name}_model', devs,
				   [p for p in pairs if not by_kernel(devs[p[0]])],
				   first, then)

	# SD-3: device_shutdown() takes a usage reference and runs a barrier
	# first: at ->shutdown no suspend timer, no request, and none after.
	# The reference is pm_runtime_get_noresume()'s: a device suspended
	# with nothing pending at the reboot notifier meets its ->shutdown
	# still suspended, and what happens then is its driver's business
	# (6.1 and 6.12 alike).
	problems = []
	for d in bound:
		if d.usage_at_begin is not None and d.usage_at_begin < 1:
			problems.append(f'{d.name}: usage_count {d.usage_at_begin} at '
					f'->shutdown, runtime PM not blocked')
		if (d.status_before == 'suspended' and not d.timer_before and
		    d.status_at_begin not in (None, 'suspended')):
			problems.append(f'{d.name}: suspended at the reboot notifier, '
					f'{d.status_at_begin} at ->shutdown: resumed on the way')
		problems += [f'{d.name}: a runtime PM {w} still pending at ->shutdown'
			     for w in d.pending_at_begin]
		problems += [f'{d.name}: {s} after ->shutdown began' for s in d.late]
	asleep = [d for d in bound if d.status_before == 'suspended' and not d.timer_before]
	if not asleep and any(d.status_before is not None for d in bound):
		problems.append('no device was suspended at the reboot notifier: '
				'that it is not resumed was not put to the test')
	armed = [d.name for d in bound if d.timer_before]
	if not armed:
		problems.append('no suspend timer was armed as the system went down: '
				'the barrier was not put to the test')
	k.case('sd3_runtime_pm_blocked', problems,
	       [f'timers armed at reboot: {" ".join(armed) or "none"}'])

	timed = [d for d in bound if d.begin is not None and d.end is not None]
	opted = [d for d in timed if d.is_async]
	if not opted or not timed:
		k.case('sd4_async_shutdown',
		       ['no device opted in to asynchronous shutdown: nothing was checked'])
	else:
		serial = sum(d.end - d.begin for d in timed)
		total = max(d.end for d in timed) - min(d.begin for d in timed)
		chain = longest_chain(devs)
		best = best_schedule(devs, timed)
		overlap = any(a.begin < b.end and b.begin < a.end
			      for i, a in enumerate(opted) for b in opted[i + 1:])
		notes = [f'model: {opted[0].model}',
			 f'serial (sum of ->shutdown times): {ms(serial)}',
			 f'measured (first begin to last end): {ms(total)}',
			 f'longest dependency chain: {ms(chain)}']
		if best is not None:
			notes.append(f'best schedule from the hand-over times: {ms(best)}')
		bound, what = (best, 'the best schedule') if best is not None else \
			(chain, 'the longest chain')
		problems = []
		if not overlap:
			problems.append('no two asynchronous ->shutdown calls overlapped')
		if total > ASYNC_MAX_OF_SERIAL * serial:
			problems.append(f'{ms(total)} is not clearly below the serial '
					f'{ms(serial)}')
		if total > ASYNC_MAX_OF_BEST * bound:
			problems.append(f'{ms(total)} is far above {what} {ms(bound)}')
		k.case('sd4_async_shutdown', problems, notes)
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
	devs, manifest = parse(lines)
	if not devs:
		print('KTAP version 1\n1..1\n'
		      '# no rpm_sim-topology lines: the shutdown workload never ran\n'
		      'not ok 1 sd_workload_shut_down')
		return 1
	k = check(devs, manifest)
	k.print()
	return 1 if k.failed else 0


if __name__ == '__main__':
	sys.exit(main(sys.argv))
