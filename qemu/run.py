#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot an rpm_sim test kernel in QEMU and turn what it says into KTAP files.

    qemu/run.py --kernel BZIMAGE --initrd CPIO --label LABEL --results DIR
                [--plan FILE] [--timeout SECONDS] [--append "extra cmdline"]
                [--vmlinux VMLINUX --modules DIR]
                [--qemu qemu-system-x86_64] [--memory MB]
    qemu/run.py --analyze CONSOLE_LOG RESULTS_RAW --label LABEL --results DIR
                [--plan FILE]
    --one-console: results and console share ttyS0 (qemu/one_console.py);
                the capture is kept as console-framed.log, and --analyze
                takes it as CONSOLE_LOG (RESULTS_RAW is then "-")

The guest (qemu/init.sh) writes the kernel console to ttyS0 and framed KTAP
documents to ttyS1. This writes into DIR/LABEL/:
    console.log   the kernel console (ttyS0)
    results.raw   the results channel (ttyS1) as received
    <unit>.ktap   each framed unit's KTAP document, as the guest printed it;
                  a unit cut off before its END becomes a "not ok" document
                  quoting what did arrive
    guest.ktap    the runner's own checks: boot_finished, plan_complete
                  (the guest announced the plan the host packed, and ran all
                  of it), ktap_complete, exit_status, no_kernel_splat (each
                  splat named with the unit and case that was running, its
                  stack decoded with the kernel's decode_stacktrace.sh when
                  --vmlinux is given)
--analyze does the same from a recorded console and results channel.

KVM is used only when a probe boot shows it works (a verdict cached per
QEMU version and host kernel, a negative one for a day);
RPM_SIM_ACCEL=tcg|kvm overrides. Exit status: 0 when no KTAP document holds
a failure, 1 otherwise, 2 on usage errors.
"""

import argparse
import base64
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

sys.dont_write_bytecode = True		# no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
				'..', 'scripts'))
import summary as ktap  # noqa: E402  (the KTAP parser)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import one_console  # noqa: E402  (beside this file, which may be loaded by path)

# Console lines that fail a run, as (kind, regex). A regex must match at the
# start of a message: the start of a line, or right after a printk timestamp
# (and caller id), so that KUnit's indented expectation failures and text
# quoted inside other messages never count; DEV allows the "driver device: "
# prefix of dev_warn() and friends. The first match names the kind, so
# specific patterns come before general ones.
CUT_HERE = 'cut here'
DEV = r'(?:\S* )?\S+: '
SPLATS: List[Tuple[str, str]] = [
	('soft lockup', r'watchdog: BUG: soft lockup'),
	('hard lockup', r'(?:NMI )?watchdog: Watchdog detected hard LOCKUP'),
	('runtime PM', DEV + r'(Runtime PM usage count underflow!|Unbalanced pm_runtime_enable!'
		       r'|Attempt to enable runtime PM when it is blocked'
		       r'|Enabling runtime PM for inactive device with active children'
		       r'|runtime PM trying to activate child device)'),
	# drivers/base/power/main.c prefixes its device messages with "PM: ".
	('system sleep', DEV + r'(?:PM: )?(parent \S+ should not be sleeping'
			 r'|failed to \w+.*: error -?[0-9]+'
			 r'|not prepared for power transition: code -?[0-9]+'
			 r'|\S+\(\): .* returns -?[0-9]+)'),
	('rpm_sim gate timeout', DEV + r'rpm_sim: gate \S+ timed out'),
	('system sleep stuck', r'rpm_sim: system sleep stuck for'),
	('driver-core lifecycle', r'rpm_sim: \S+: driver-core lifecycle broken'),
	# A KUnit case's cleanup that could not undo it: the next cases run
	# on what it left.
	('rpm_sim cleanup', r'rpm_sim_kunit: (a test thread did not finish|cannot re-register)'),
	('lockdep', r'INFO: trying to register non-static key'),
	('lockdep off', r'Disabling lock debugging due to kernel taint'),
	('sysfs', r'sysfs: cannot create duplicate filename'),
	('kmemleak off', r'kmemleak: (Kernel memory leak detector disabled|Cannot allocate'
			 r'|Memory pool empty)'),
	('kernel panic', r'Kernel panic - not syncing'),
	('oops', r'Oops: '),
	('oops', r'general protection fault'),
	('oops', r'BUG: unable to handle'),
	('oops', r'BUG: kernel NULL pointer dereference'),
	('kernel BUG', r'kernel BUG at '),
	('KASAN', r'BUG: KASAN: '),
	('KASAN', r'KASAN: '),
	('UBSAN', r'UBSAN: '),
	('lockdep', r'WARNING: (possible|inconsistent lock|bad unlock|held lock'
		    r'|lock held|suspicious RCU|.* locking)'),
	('lockdep', r'INFO: possible irq lock inversion'),
	('lockdep', r'INFO: possible circular locking'),
	('BUG', r'BUG: '),		# sleeping in atomic, spinlock, list, ...
	('ODEBUG', r'ODEBUG: '),
	# Each object init.sh lists (not kmemleak's count line, which also
	# counts the boot-time objects find_splats() leaves out).
	('kmemleak', r'unreferenced object 0x'),
	('hung task', r'INFO: task \S+ blocked for more than'),
	('RCU stall', r'(rcu: )?INFO: \S+ (self-)?detected stall'),
	('WARNING', r'WARNING: '),
	(CUT_HERE, r'-+\[ cut here \]-+'),	# named by the next lines
	('stack dump', r'Call Trace:'),
]

# Lines never flagged, should a pattern above ever match them.
HARMLESS: List[str] = [
	r'module verification failed: signature and/or required key missing',
	r'loading out-of-tree module taints kernel',
	r'Kernel command line:',
	r'Command line:',
	r'# .*: (EXPECTATION|ASSERTION) FAILED',	# KUnit results
]

MSG_START = r'(?:^|\[ *[0-9]+\.[0-9]+\])(?:\[ *[CT][0-9]+\])? ?'
SPLAT_RE = [(what, re.compile(MSG_START + pat)) for what, pat in SPLATS]
HARMLESS_RE = [re.compile(pat) for pat in HARMLESS]

# log_buf_len: init.sh reads KUnit results back from the kernel log.
# reboot=t: microvm has neither ACPI reset nor a keyboard controller, and
# the BIOS restart the kernel falls back to never returns; a triple fault
# resets the CPU, which -no-reboot turns into QEMU's exit.
BASE_CMDLINE = ('console=ttyS0 loglevel=8 kunit.enable=1 panic=-1 oops=panic '
		'suspend.pm_test_delay=0 log_buf_len=1M reboot=t rdinit=/init')
CONTEXT_LINES = 20	# console lines shown after a splat
TAIL_LINES = 30		# console lines shown when the guest did not finish
MAX_SPLATS = 5		# splats shown in full
KVM_PROBE_TIMEOUT = 20
QEMU_FATAL = re.compile(r'KVM internal error|kvm run failed|failed to set MSR')


@dataclass
class Unit:
	name: str
	lines: List[str] = field(default_factory=list)
	code: Optional[int] = None	# from RPM_SIM_END; None: no END seen


@dataclass
class Channel:
	"""What the results channel (ttyS1) carried."""
	plan: Optional[List[str]] = None
	units: Dict[str, Unit] = field(default_factory=dict)
	events: Dict[str, List[str]] = field(default_factory=dict)
	done: bool = False
	problems: List[str] = field(default_factory=list)


def read_text(path: str) -> List[str]:
	try:
		with open(path, 'rb') as f:
			data = f.read()
	except OSError:
		return []
	text = data.decode('utf-8', errors='replace').replace('\r', '')
	return text.replace('\0', '').split('\n')


class EventsBlock:
	"""A unit's event records as the guest sent them (qemu/init.sh's
	events_out): text lines, or gzip in base64 ("gz"); '#' lines are the
	guest's notes either way."""

	def __init__(self, unit: str, code: str):
		self.unit, self.code = unit, code
		self.notes: List[str] = []
		self.lines: List[str] = []

	def add(self, line: str) -> None:
		(self.notes if line.startswith('#') else self.lines).append(line)

	def records(self, ended: bool) -> List[str]:
		out = list(self.notes)
		cut = [] if ended else ['# cut off here: no RPM_SIM_EVENTS_END']
		if self.code != 'gz':
			return out + self.lines + cut
		try:
			b64 = ''.join(self.lines)
			data = base64.b64decode(b64[:len(b64) - len(b64) % 4], validate=False)
			# A stream cut off gives what it holds so far.
			text = zlib.decompressobj(wbits=31).decompress(data)
		except (ValueError, zlib.error) as e:
			return out + [f'# the records could not be decoded: {e}'] + cut
		return out + text.decode(errors='replace').splitlines() + cut


def split_channel(lines: List[str]) -> Channel:
	"""Split the results channel into framed units."""
	ch = Channel()
	cur: Optional[Unit] = None
	block: Optional[EventsBlock] = None	# inside an EVENTS block
	for line in lines:
		words = line.split()
		tag = words[0] if words else ''
		if block is not None:
			if tag == 'RPM_SIM_EVENTS_END':
				ch.events[block.unit] = block.records(True)
				block = None
				continue
			if not tag.startswith('RPM_SIM_'):
				block.add(line)
				continue
			ch.events[block.unit] = block.records(False)
			block = None
		if tag == 'RPM_SIM_EVENTS' and len(words) in (2, 3) and cur is None:
			block = EventsBlock(words[1], words[2] if len(words) == 3 else 'text')
		elif tag == 'RPM_SIM_BEGIN' and len(words) == 2:
			# A BEGIN inside a unit ends it: that one has no END.
			cur = Unit(words[1])
			ch.units[cur.name] = cur
		elif tag == 'RPM_SIM_END' and len(words) == 3 and cur is not None \
				and words[1] == cur.name:
			cur.code = int(words[2]) if words[2].lstrip('-').isdigit() else -1
			cur = None
		elif cur is not None:
			cur.lines.append(line)
		elif tag == 'RPM_SIM_PLAN':
			ch.plan = words[1:]
		elif tag == 'RPM_SIM_DONE':
			ch.done = True
		elif line.strip() and not line.startswith('# '):
			# ('# ' lines outside units are comments, as in recorded logs.)
			ch.problems.append(f'stray line outside any unit: {line!r}')
	if block is not None:
		ch.events[block.unit] = block.records(False)
	return ch


def splat_kind(line: str) -> Optional[str]:
	if any(h.search(line) for h in HARMLESS_RE):
		return None
	return next((kind for kind, r in SPLAT_RE if r.search(line)), None)


# rpm_sim's word that it failed a system-sleep callback on purpose
# (behaviour sleep_fail): the PM core's reports of that error for that
# device, until the transition ends, are the test's doing, not a splat.
SLEEP_FAIL_TOLD = re.compile(r'rpm_sim: (\S+): \S+ fails with (-?[0-9]+) as told')
SLEEP_REPORT = re.compile(MSG_START + r'(?:\S+ )?(\S+): (?:PM: )?.*'
			  r'(?:error|code|returns) (-?[0-9]+)$')
TRANSITION_END = re.compile(r'PM: suspend exit')


def told_sleep_error(line: str, told: Dict[str, str]) -> bool:
	m = SLEEP_REPORT.search(line.rstrip())
	return bool(m) and told.get(m.group(1)) == m.group(2)


def boot_time_leak(console: List[str], i: int) -> bool:
	"""A kmemleak object allocated under start_kernel(): early boot, which
	has known false positives (6.1's ACPI caches), never a test's doing."""
	for line in console[i + 1:i + 40]:
		if 'unreferenced object 0x' in line:
			break
		if 'start_kernel+' in line:
			return True
	return False


UNIT_BEGIN = re.compile(r'rpm_sim-init: unit (\S+) begins')
SELFTEST_CASE = re.compile(r'rpm_sim-selftest: (\S+) (\S+)')
KUNIT_SUITE = re.compile(r'^(?:\[[^]]*\])* ?    # Subtest: (\S+)')
KUNIT_RESULT = re.compile(r'^(?:\[[^]]*\])* ? {4,8}(?:not )?ok [0-9]+ (.*?)(?: # .*)?$')


def splat_context(console: List[str], i: int) -> str:
	"""What was running at console line @i: the unit, the selftest case,
	or the KUnit suite and the case whose result comes next."""
	unit = case = suite = None
	for line in console[:i]:
		m = UNIT_BEGIN.search(line)
		if m:
			unit, case, suite = m.group(1), None, None
			continue
		m = SELFTEST_CASE.search(line)
		if m:
			case = m.group(2)
			continue
		m = KUNIT_SUITE.search(line)
		if m:
			suite = m.group(1)
	if suite:
		nxt = next((m.group(1) for m in map(KUNIT_RESULT.search, console[i:])
			    if m), None)
		case = f'{suite}.{nxt}' if nxt else suite
	where = f'unit {unit}' if unit else 'before any unit began'
	return where + (f', case {case}' if case else '')


# Set by main() when the kernel's image and modules are at hand.
DECODE: Optional[List[str]] = None


def decode(lines: List[str]) -> List[str]:
	"""The kernel's own scripts/decode_stacktrace.sh on a splat's lines."""
	if not DECODE:
		return []
	try:
		out = subprocess.run(DECODE, input='\n'.join(lines), capture_output=True,
				     text=True, timeout=60).stdout
	except (OSError, subprocess.TimeoutExpired) as e:
		return [f'decode_stacktrace.sh failed: {e}']
	changed = [l for l, o in zip(lines, out.splitlines()) if l != o]
	return ['decoded by decode_stacktrace.sh:'] + ['  ' + l for l in
		out.splitlines()] if changed else []


def find_splats(console: List[str]) -> List[str]:
	"""Diagnostic lines for each splat: where it happened, the line and
	what follows it, and the decoded stack."""
	diag: List[str] = []
	shown_until = -1
	hits = 0
	told: Dict[str, str] = {}
	for i, line in enumerate(console):
		m = SLEEP_FAIL_TOLD.search(line)
		if m:
			told[m.group(1)] = m.group(2)
		elif TRANSITION_END.search(line):
			told.clear()
		kind = splat_kind(line)
		if kind is None or i <= shown_until:
			continue
		if kind == 'system sleep' and told_sleep_error(line, told):
			continue
		if kind == 'kmemleak' and boot_time_leak(console, i):
			continue
		hits += 1
		shown_until = i + CONTEXT_LINES
		if hits > MAX_SPLATS:
			continue
		if kind == CUT_HERE:
			# "cut here" comes first; the next lines say what it is.
			kind = next((k for k in map(splat_kind, console[i + 1:i + 4])
				     if k and k != CUT_HERE), 'WARNING')
		diag.append(f'{kind} at console.log:{i + 1} ({splat_context(console, i)}): '
			    f'{line.strip()}')
		diag += ['  ' + l for l in console[i + 1:shown_until + 1]]
		diag += decode(console[i:shown_until + 1])
	if hits > MAX_SPLATS:
		diag.append(f'... and {hits - MAX_SPLATS} more splats in console.log')
	return diag


KUNIT_LINE = re.compile(r'^(?:\[[^]]*\])* ?( *)(?:# Subtest: (\S+)|(?:not )?ok [0-9]+ (\S+))')


def kunit_stop(console: List[str]) -> List[str]:
	"""Where KUnit's console output stops, if inside a suite."""
	suite = case = None
	for line in console:
		m = KUNIT_LINE.match(line)
		if not m:
			continue
		indent, header, result = len(m.group(1)), m.group(2), m.group(3)
		if header and indent == 4:
			suite, case = header, None
		elif header and indent == 8:
			case = header
		elif result and indent == 0 and result == suite:
			suite = case = None
	if suite is None:
		return []
	return [f'KUnit output stops inside suite {suite}'
		+ (f', after the header of {case}' if case else '')]


KTAP_LIKE = re.compile(r'^ *(KTAP version|TAP version|# |[0-9]+\.\.[0-9]+|(not )?ok [0-9]+ )')
TIMESTAMP = re.compile(r'^(?:\[[^]]*\])* ?')


def kunit_from_console(console: List[str], suite: str) -> Optional[str]:
	"""A suite's first run, as the console shows it, when the guest could
	not hand it over (it stopped inside the KUnit module's load). A whole
	suite keeps its own verdict; a cut one keeps its finished cases and
	fails. None when the console has no such suite."""
	lines = [TIMESTAMP.sub('', l, count=1) for l in console]
	try:
		start = lines.index(f'    # Subtest: {suite}')
	except ValueError:
		return None
	body = ['    KTAP version 1']
	end = re.compile(rf'^(not )?ok [0-9]+ {re.escape(suite)}\b')
	for line in lines[start:]:
		if end.match(line):
			return '\n'.join(['KTAP version 1', '1..1'] + body +
					 [re.sub(r'ok [0-9]+ ', 'ok 1 ', line, count=1)]) + '\n'
		if line.startswith('    ') and KTAP_LIKE.match(line):
			body.append(line)
	# Cut: no plan to miss (the suite's 1..N), and the case that was
	# running closed as failed, so that kunit.py reads what is there.
	body = [l for l in body if not re.fullmatch(r'    [0-9]+\.\.[0-9]+', l)]
	done = [l for l in body if re.match(r'    (not )?ok [0-9]+ ', l)]
	heads = [i for i, l in enumerate(body) if l.startswith('        # Subtest: ')]
	last = body.index(done[-1]) if done else -1
	if heads and heads[-1] > last:
		body.append(f'    not ok {len(done) + 1} {body[heads[-1]].split()[-1]}')
	return '\n'.join(['KTAP version 1', '1..1'] + body +
			 ['# the guest stopped inside this suite (the cases above '
			  'are from the console)', f'not ok 1 {suite}']) + '\n'


def tail(console: List[str], what: str) -> List[str]:
	lines = [l for l in console if l.strip()][-TAIL_LINES:]
	return [f'last {len(lines)} console lines {what}:'] + ['  ' + l for l in lines]


# kunit_parser stops reading at these; keep them out of our diagnostics.
KTAP_STOPPERS = ('List of all partitions:', 'Kernel panic - not syncing: VFS:',
		 'reboot: System halted')


def diag_line(text: str) -> str:
	for s in KTAP_STOPPERS:
		text = text.replace(s, s.replace(':', ';', 1))
	return '# ' + text


def ktap_doc(cases: List[Tuple[str, List[str]]]) -> str:
	"""A flat KTAP document from (name, diagnostics if it failed) pairs."""
	out = ['KTAP version 1', f'1..{len(cases)}']
	for n, (name, diag) in enumerate(cases, 1):
		out += [diag_line(d) for d in diag]
		out.append(f"{'not ok' if diag else 'ok'} {n} {name}")
	return '\n'.join(out) + '\n'


SEED_ASKED = re.compile(r'Kernel command line:.* rpm_sim\.seed=([0-9]+)')
SEED_USED = re.compile(r'# \S+: seed ([0-9]+) \(replay with')


def seed_problems(console: List[str]) -> List[str]:
	"""A seed asked for on the command line that the suites did not use."""
	asked = [m.group(1) for m in map(SEED_ASKED.search, console) if m]
	if not asked:
		return []
	used = sorted({m.group(1) for m in map(SEED_USED.search, console) if m} - {asked[-1]})
	return [f'rpm_sim.seed={asked[-1]} was asked for, the suites used {" ".join(used)}'] \
		if used else []


def check_guest(console: List[str], ch: Channel, docs: Dict[str, ktap.Doc],
		boot_error: Optional[str], packed: Optional[List[str]]) -> str:
	finished: List[str] = []
	if boot_error:
		finished.append(boot_error)
	elif not ch.done:
		finished.append('no RPM_SIM_DONE on the results channel: '
				'the guest stopped early')
	if finished:
		finished += kunit_stop(console) + tail(console, 'before the end')

	planned: List[str] = []
	if ch.plan is None:
		planned.append('no RPM_SIM_PLAN on the results channel '
			       '(init never ran, or ttyS1 is missing)')
		if not finished:
			planned += tail(console, 'before the end')
	else:
		if packed is not None and ch.plan != packed:
			planned.append(f'the guest announced the plan {" ".join(ch.plan)}, '
				       f'the host packed {" ".join(packed)}')
		planned += [f'{n}: planned, never started' for n in ch.plan
			    if n not in ch.units]
	for name, u in ch.units.items():
		if u.code is None:
			planned.append(f'{name}: BEGIN without END (output cut off)')
		if ch.plan is not None and name not in ch.plan:
			planned.append(f'{name}: not in the plan')
	planned += ch.problems
	planned += seed_problems(console)

	complete = [f'{name}: {p}' for name, d in docs.items() for p in d.problems]

	status: List[str] = []
	for name, u in ch.units.items():
		ok_codes = (0, 4) if name.startswith('selftest-') else (0,)
		if u.code is not None and u.code not in ok_codes \
				and not docs[name].counts.failed:
			status.append(f'{name}: exit code {u.code}, '
				      'but its KTAP reports no failure')

	return ktap_doc([('boot_finished', finished),
			  ('plan_complete', planned),
			  ('ktap_complete', complete),
			  ('exit_status', status),
			  ('no_kernel_splat', find_splats(console))])


def safe_name(unit: str) -> str:
	return re.sub(r'[^A-Za-z0-9_.-]', '_', unit)


def analyze(console_path: str, raw_path: str, label: str, outdir: str,
	    boot_error: Optional[str] = None, packed: Optional[List[str]] = None,
	    channel_problems: Optional[List[str]] = None) -> int:
	"""Write DIR/LABEL/*.ktap from a console log and results channel."""
	console = read_text(console_path)
	ch = split_channel(read_text(raw_path))
	ch.problems += channel_problems or []

	for f in os.listdir(outdir):
		if f.endswith('.ktap'):
			os.remove(os.path.join(outdir, f))
	# Each unit's event records, for scripts/timeline.py.
	events = os.path.join(outdir, 'events')
	shutil.rmtree(events, ignore_errors=True)
	if ch.events:
		os.makedirs(events)
	for name, records in ch.events.items():
		with open(os.path.join(events, safe_name(name) + '.log'), 'w') as f:
			f.write('\n'.join(line for line in records if line) + '\n')
	# Stored with plain newlines (the serial console sends CR LF).
	for path, name in ((console_path, 'console.log'),
			   (raw_path, 'results.raw')):
		text = '\n'.join(read_text(path))
		with open(os.path.join(outdir, name), 'w') as f:
			f.write(text)

	docs: Dict[str, ktap.Doc] = {}
	units = dict(ch.units)
	# A guest that died while the KUnit module loaded left its suites'
	# verdicts on the console only (first round: plain suite names).
	for name in ch.plan or []:
		u = units.get(name)
		if re.fullmatch(r'rpm_sim_[a-z]+', name) and (u is None or u.code is None):
			text = kunit_from_console(console, name)
			if text is not None:
				units[name] = Unit(name)
				units[name].lines = text.rstrip('\n').split('\n')
				units[name].code = -1
	for name, u in units.items():
		text = '\n'.join(u.lines).rstrip('\n') + '\n'
		if u.code is None:
			text = ktap_doc([(name, u.lines + ['no RPM_SIM_END: output '
							    'cut off here'])])
		with open(os.path.join(outdir, safe_name(name) + '.ktap'), 'w') as f:
			f.write(text)
		docs[name] = ktap.parse(text)
	guest = check_guest(console, ch, docs, boot_error, packed)
	with open(os.path.join(outdir, 'guest.ktap'), 'w') as f:
		f.write(guest)
	docs['guest'] = ktap.parse(guest)

	failed = False
	for name, d in docs.items():
		c = d.counts
		print(f'{label} {name}: {c.passed} pass, {c.failed} fail, '
		      f'{c.skipped} skip')
		failed = failed or c.failed > 0
	return 1 if failed else 0


# microvm without ACPI: no PCI, no BIOS to speak of (qboot), and an MP
# table that lists every CPU, so that a kernel without ACPI
# (configs/debug.config) still gets -smp 2. With microvm's ACPI tables a
# kernel that has ACPI finds no PIT to calibrate its TSC against and stops
# in its boot; without them every kernel, the stock ones too, takes the MP
# table. microvm has one serial port of its own: the results channel is a
# second 16550 at ttyS1's address.
def qemu_cmd(args, accel: str, console: str, raw: str, append: str) -> List[str]:
	cmd = [args.qemu, '-machine', 'microvm,acpi=off', '-accel', accel,
	       '-cpu', 'max,la57=off', '-m', str(args.memory), '-smp', '2',
	       '-nographic', '-no-reboot',
	       '-monitor', 'none', '-kernel', args.kernel, '-initrd', args.initrd,
	       '-append', append, '-serial', 'file:' + console]
	if args.one_console:
		return cmd
	return cmd + ['-chardev', 'file,id=results,path=' + raw,
		      '-device', 'isa-serial,chardev=results,iobase=0x2f8,irq=3']


def split_console(framed: str, console: str, raw: str) -> List[str]:
	"""One console: the capture @framed split into the kernel console and
	the results channel, written as the two ports would have; returns
	what went wrong on the way (qemu/one_console.py)."""
	try:
		with open(framed, 'rb') as f:
			data = f.read()
	except OSError:
		data = b''
	text, lines, problems, repaired = one_console.deframe(data)
	with open(console, 'wb') as f:
		f.write(text)
	with open(raw, 'w') as f:
		f.write('\n'.join(lines) + '\n')
	if repaired:
		print(f'one console: {repaired} results frames had kernel lines '
		      'printed into them, taken back out', file=sys.stderr)
	return problems


class Progress:
	"""Each unit as the guest ends it, on stderr: what the results channel
	has carried since the last look (read from where it stopped)."""

	def __init__(self, label: str, raw: str):
		self.label, self.raw = label, raw
		self.offset = 0
		self.partial = b''
		self.began: Dict[str, float] = {}

	def poll(self) -> None:
		try:
			with open(self.raw, 'rb') as f:
				f.seek(self.offset)
				data = f.read()
		except OSError:
			return
		self.offset += len(data)
		lines = (self.partial + data).split(b'\n')
		self.partial = lines.pop()
		now = time.monotonic()
		for line in lines:
			words = line.decode(errors='replace').split()
			if len(words) == 2 and words[0] == 'RPM_SIM_BEGIN':
				self.began[words[1]] = now
			elif len(words) == 3 and words[0] == 'RPM_SIM_END':
				secs = now - self.began.get(words[1], now)
				verdict = 'done' if words[2] == '0' else f'exit {words[2]}'
				print(f'{self.label}: {words[1]} {verdict} ({secs:.0f} s)',
				      file=sys.stderr, flush=True)


def boot(cmd: List[str], timeout: float, raw: str,
	 stop_on: Optional[str] = None,
	 progress: Optional[Progress] = None) -> Tuple[Optional[str], float]:
	"""Run QEMU to its end, or kill it. Returns (error or None, seconds)."""
	start = time.monotonic()
	last_look = start
	with tempfile.TemporaryFile() as err:
		try:
			proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
						stdout=err, stderr=err,
						start_new_session=True)
		except OSError as e:
			return f'cannot run {cmd[0]}: {e}', 0.0
		error = None
		stopped = False
		try:
			while proc.poll() is None:
				err.seek(0)
				stderr = err.read().decode(errors='replace')
				if time.monotonic() - start > timeout:
					error = f'timeout: guest did not finish in {timeout:g} s'
					break
				if QEMU_FATAL.search(stderr):
					error = 'QEMU failed: ' + stderr.strip().splitlines()[-1]
					break
				if stop_on and stop_on in read_text(raw):
					stopped = True
					break
				if progress and time.monotonic() - last_look > 1:
					last_look = time.monotonic()
					progress.poll()
				time.sleep(0.1)
		finally:
			# QEMU runs in its own session: take its whole group down.
			if proc.poll() is None:
				os.killpg(proc.pid, signal.SIGKILL)
				proc.wait()
		elapsed = time.monotonic() - start
		err.seek(0)
		stderr = err.read().decode(errors='replace').strip()
		if error is None and not stopped and proc.returncode != 0:
			error = f'QEMU exited with status {proc.returncode}'
			if stderr:
				error += ': ' + ' | '.join(stderr.splitlines()[-3:])
		return error, elapsed


def kvm_works(args) -> bool:
	"""Probe KVM once per QEMU version and host kernel; cache the verdict."""
	if not os.access('/dev/kvm', os.R_OK | os.W_OK):
		return False
	try:
		version = subprocess.run([args.qemu, '--version'], capture_output=True,
					 text=True, timeout=10).stdout.split('\n')[0]
	except (OSError, subprocess.TimeoutExpired):
		return False
	key = hashlib.sha256(f'{version} {os.uname().release}'.encode()).hexdigest()[:12]
	cache = os.environ.get('RPM_SIM_CACHE',
			       os.path.expanduser('~/.cache/rpm_sim'))
	verdict_file = os.path.join(cache, f'kvm-probe-{key}')
	try:
		with open(verdict_file) as f:
			verdict = f.read().strip()
		# A "no" may be a passing state of the host: ask again each day.
		if verdict == 'kvm' or time.time() - os.path.getmtime(verdict_file) < 86400:
			return verdict == 'kvm'
	except OSError:
		pass

	with tempfile.TemporaryDirectory() as tmp:
		console = os.path.join(tmp, 'console')
		raw = os.path.join(tmp, 'raw')
		cmd = qemu_cmd(args, 'kvm', console, raw,
			       'console=ttyS0 rdinit=/init panic=-1 rpm_sim.kvm_probe=1')
		error, secs = boot(cmd, KVM_PROBE_TIMEOUT, raw, stop_on='RPM_SIM_KVM_OK')
		ok = error is None and 'RPM_SIM_KVM_OK' in read_text(raw)
	print(f"run: KVM probe: {'works' if ok else 'unusable, using TCG'} "
	      f'({secs:.1f} s{": " + error if error else ""})', file=sys.stderr)
	os.makedirs(cache, exist_ok=True)
	with open(verdict_file, 'w') as f:
		f.write('kvm\n' if ok else 'tcg\n')
	return ok


def set_decoder(vmlinux: str, modules: Optional[str]) -> None:
	"""Use decode_stacktrace.sh of the tree @vmlinux was built from."""
	global DECODE
	tree = os.path.dirname(os.path.abspath(vmlinux))
	for src in (tree, os.path.join(tree, 'source')):
		script = os.path.join(src, 'scripts', 'decode_stacktrace.sh')
		if os.path.isfile(script):
			DECODE = ['sh', script, vmlinux, os.path.realpath(src)]
			if modules:
				DECODE.append(modules)
			return


def write_boot_env(path: str, qemu: str, accel: str, secs: float,
		   error: Optional[str]) -> None:
	"""How the boot went, for scripts/export-results.py: an error here
	(QEMU failed, the guest timed out) is the harness's, not a test's."""
	try:
		version = subprocess.run([qemu, '--version'], capture_output=True,
					 text=True, timeout=10).stdout.split('\n')[0]
	except (OSError, subprocess.SubprocessError):
		version = ''
	with open(path, 'w') as f:
		f.write(f'qemu={version}\naccelerator={accel}\nmachine=microvm\n'
			f'seconds={secs:.1f}\nerror={(error or "").replace(chr(10), " ")}\n')


def main(argv: List[str]) -> int:
	p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
	p.add_argument('--kernel', help='bzImage to boot')
	p.add_argument('--initrd', help='initramfs (scripts/build-initramfs.sh)')
	p.add_argument('--label', required=True, help='kernel label (results subdir)')
	p.add_argument('--results', required=True, help='results directory')
	p.add_argument('--timeout', type=float, default=300, help='seconds per boot')
	p.add_argument('--plan', help='the plan file the host packed, to check against')
	p.add_argument('--vmlinux', help='the kernel image with symbols, to decode stacks')
	p.add_argument('--modules', help='where the modules are, to decode their frames')
	p.add_argument('--append', default='', help='extra kernel command line')
	p.add_argument('--qemu', default='qemu-system-x86_64')
	p.add_argument('--memory', type=int, default=1024, help='guest RAM in MB')
	p.add_argument('--analyze', nargs=2, metavar=('CONSOLE_LOG', 'RESULTS_RAW'),
		       help='analyze a recorded run instead of booting')
	p.add_argument('--shell', action='store_true',
		       help='a shell in the guest on this terminal (make shell): no unit runs')
	p.add_argument('--one-console', action='store_true',
		       help='results framed on the console port, as on a board with one UART')
	p.add_argument('--tcg-one-thread', action='store_true',
		       help='under TCG, both vCPUs on one host thread (thread=single): '
		       'scripts/run-kernel.sh says why, for the PREEMPT_RT kernel')
	args = p.parse_args(argv)

	outdir = os.path.join(args.results, args.label)
	os.makedirs(outdir, exist_ok=True)
	packed = None
	if args.plan:
		with open(args.plan) as f:
			packed = f.read().split()
	if args.vmlinux:
		set_decoder(args.vmlinux, args.modules)
	if args.analyze and args.one_console:
		console = os.path.join(outdir, 'console.tmp')
		raw = os.path.join(outdir, 'results.tmp')
		problems = split_console(args.analyze[0], console, raw)
		try:
			return analyze(console, raw, args.label, outdir, packed=packed,
				       channel_problems=problems)
		finally:
			os.remove(console)
			os.remove(raw)
	if args.analyze:
		return analyze(args.analyze[0], args.analyze[1], args.label, outdir,
			       packed=packed)
	if not args.kernel or not args.initrd:
		p.error('--kernel and --initrd are required (or --analyze)')
	for f in (args.kernel, args.initrd):
		if not os.path.isfile(f):
			p.error(f'{f}: not found')

	accel = os.environ.get('RPM_SIM_ACCEL')
	if accel not in (None, '', 'tcg', 'kvm'):
		p.error(f'RPM_SIM_ACCEL={accel}: use tcg or kvm')
	accel = accel or ('kvm' if kvm_works(args) else 'tcg')
	if accel == 'tcg' and args.tcg_one_thread:
		accel = 'tcg,thread=single'
	console = os.path.join(outdir, 'console.log')
	raw = os.path.join(outdir, 'results.raw')
	append = f'{BASE_CMDLINE} {args.append}'.strip()
	if args.one_console:
		append += ' rpm_sim.one_console=1'
	if args.shell:
		# The console on this terminal; no timeout, nothing to analyze,
		# and a run's results left as they were.
		cmd = qemu_cmd(args, accel, console, os.devnull, append + ' rpm_sim.shell=1')
		cmd[cmd.index('file:' + console)] = 'stdio'
		return subprocess.call(cmd)
	framed = os.path.join(outdir, 'console-framed.log')
	for f in (console, raw, framed):
		if os.path.exists(f):
			os.remove(f)
	# One console: the results reach their file only when split afterwards.
	progress = None if args.one_console else Progress(args.label, raw)
	error, secs = boot(qemu_cmd(args, accel, framed if args.one_console else console,
				    raw, append), args.timeout, raw, progress=progress)
	if progress:
		progress.poll()
	print(f'{args.label}: guest ran {secs:.1f} s ({accel})'
	      f'{": " + error if error else ""}', file=sys.stderr)
	write_boot_env(os.path.join(outdir, 'boot.env'), args.qemu, accel, secs, error)
	problems = split_console(framed, console, raw) if args.one_console else []
	return analyze(console, raw, args.label, outdir, error, packed, problems)


if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
