#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarize rpm_sim results from the KTAP files qemu/run.py wrote.

    scripts/summary.py RESULTS_DIR [LABEL...]

Reads RESULTS_DIR/<label>/*.ktap (every label, or those named), counts leaf
test cases per kernel label and unit, prints a table (with each unit's time
on the guest's clock, from <label>/console.log's time stamps), then each failing
case with the first diagnostic lines its document gave it, and as its last
line "N passed, N failed" (", N skipped" when there are any). Exits 1 if
anything failed or there are no results at all. It boots nothing: files
in, counts out.

This is also the KTAP parser qemu/run.py uses. Counting rules:
  - a test with subtests counts its subtests, not itself (but a "not ok"
    parent whose subtests all pass counts as one failure);
  - "# SKIP" is skipped, "not ok" failed, "ok" passed;
  - a document that skips as a whole ("1..0 # SKIP reason") is one skip,
    not nothing: a unit that could not run must show;
  - a document with a structural problem (no version line or plan, fewer
    results than planned, a subtest without result, result lines that
    disagree with KUnit's own "NAME: pass:P fail:F skip:S total:T" or
    "Totals:" line, ...) counts one failure on top of what it holds;
  - a label named on the command line with no results counts one failure.
"""

import os
import re
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

MAX_FAILURES = 40	# failing cases listed at the end
MAX_DIAG = 4		# diagnostic lines shown for each
VERSION = re.compile(r'^(KTAP version 1|TAP version 1[34])$')
SUBTEST = re.compile(r'^# Subtest: (.*)$')
PLAN = re.compile(r'^1\.\.([0-9]+)')
RESULT = re.compile(r'^(ok|not ok) ([0-9]+)(?: -)?(?: ([^#]*?))?\s*(?:#\s*(.*))?$')
# KUnit's own count of a block, printed before its result line.
STATS = re.compile(r'^(.+): pass:([0-9]+) fail:([0-9]+) skip:([0-9]+) total:([0-9]+)$')
# The guest's console (CONFIG_PRINTK_TIME), for each unit's time.
KMSG = re.compile(r'^\[ *([0-9]+\.[0-9]+)\] (.*)$')
UNIT_BEGINS = re.compile(r'^rpm_sim-init: unit (\S+) begins$')
PLAN_DONE = re.compile(r'^rpm_sim-init: done after ')
SUITE_BEGINS = re.compile(r'^ +# Subtest: (\S+)$')
SUITE_ENDS = re.compile(r'^(?:not )?ok [0-9]+ (?:- )?(\S+)')


@dataclass
class Test:
	"""One test: a leaf case, or a block of subtests (the document is one)."""
	name: str = ''
	result: str = ''		# 'ok', 'not ok', '' while none was seen
	directive: str = ''		# text after '#' on the result line
	plan: Optional[int] = None
	skip_all: bool = False		# "1..0 # SKIP": the whole block skipped
	indent: int = 0			# of the block's own lines (subtests)
	line: int = 0			# where the test starts
	subtests: List['Test'] = field(default_factory=list)
	diag: List[str] = field(default_factory=list)	# other lines before its result

	@property
	def skipped(self) -> bool:
		return self.directive.upper().startswith('SKIP')


@dataclass
class Counts:
	passed: int = 0
	failed: int = 0
	skipped: int = 0

	def add(self, other: 'Counts') -> None:
		self.passed += other.passed
		self.failed += other.failed
		self.skipped += other.skipped


@dataclass
class Doc:
	"""A parsed KTAP document: its tree, what is wrong with it, its counts."""
	root: Optional[Test]
	problems: List[str]
	counts: Counts


def _status(test: Test) -> Counts:
	if test.skipped:
		return Counts(skipped=1)
	if test.result == 'not ok':
		return Counts(failed=1)
	return Counts(passed=1)


def _check_stats(block: Test, problems: List[str]) -> None:
	"""KUnit counts each block's results itself: a result line lost on
	the way (a KTAP document read out of the kernel log) shows as a
	mismatch."""
	for line in block.diag:
		m = STATS.match(line)
		if not m or m.group(1) not in (block.name, 'Totals'):
			continue
		want = tuple(int(x) for x in m.group(2, 3, 4, 5))
		c = Counts()
		if m.group(1) == 'Totals':
			c = count(block)
		else:
			for t in block.subtests:
				c.add(_status(t))
		got = (c.passed, c.failed, c.skipped,
		       c.passed + c.failed + c.skipped)
		# 6.1's lib/kunit/test.c prints a parameter's result without
		# its directive (6.12's kunit_print_ok_not_ok() adds it): a
		# case skipped as a whole shows its parameters "ok". Only that
		# exact picture is read as skips (the enclosing counts then
		# agree too); a lost line still shows.
		if (m.group(1) != 'Totals' and want[0] == want[1] == 0 and
		    got == (want[2], 0, 0, want[3]) and
		    all(not t.subtests for t in block.subtests)):
			for t in block.subtests:
				t.directive = 'SKIP (no directive printed: 6.1)'
			got = want
		if got != want:
			problems.append(f"'{block.name}': KUnit counted "
					f"{m.group(0)[len(m.group(1)) + 2:]}, its result "
					f'lines pass:{got[0]} fail:{got[1]} '
					f'skip:{got[2]} total:{got[3]}')


def _close(block: Test, problems: List[str]) -> None:
	if block.subtests:
		_check_stats(block, problems)
	if block.plan is not None and block.plan != len(block.subtests):
		problems.append(f"{block.name or 'top level'}: plan says "
				f'{block.plan}, got {len(block.subtests)} results')
	if block.result == 'ok':
		bad = [t.name for t in block.subtests
		       if t.result == 'not ok' and not t.skipped]
		if bad:
			problems.append(f"'{block.name}' reported ok but "
					f"subtest '{bad[0]}' failed")


def parse(text: str) -> Doc:
	"""Parse one KTAP document; nesting is given by indentation."""
	problems: List[str] = []
	root = None
	stack: List[Test] = []
	diag: List[str] = []		# diagnostics waiting for the next result

	for num, raw in enumerate(text.splitlines(), 1):
		line = raw.rstrip()
		body = line.lstrip(' ')
		indent = len(line) - len(body)
		if root is None:
			# Anything before the version line is not part of it.
			if VERSION.match(body):
				root = Test(indent=indent, line=num)
				stack = [root]
			continue
		top = stack[-1]
		fresh = top.plan is None and not top.subtests

		if VERSION.match(body) or SUBTEST.match(body):
			if indent > top.indent:
				stack.append(Test(indent=indent, line=num))
			elif not (indent == top.indent and fresh):
				problems.append(f'line {num}: unexpected "{body}"')
				continue
			m = SUBTEST.match(body)
			if m:
				stack[-1].name = m.group(1)
		elif PLAN.match(body):
			if indent > top.indent:
				stack.append(Test(indent=indent, line=num))
			elif indent < top.indent or not fresh:
				problems.append(f'line {num}: unexpected plan "{body}"')
				continue
			stack[-1].plan = int(PLAN.match(body).group(1))
			diag = []	# a block's header lines, not a case's
			stack[-1].skip_all = stack[-1].plan == 0 and \
				bool(re.search(r'#\s*SKIP', body, re.IGNORECASE))
		elif RESULT.match(body):
			m = RESULT.match(body)
			closed = None
			while len(stack) > 1 and stack[-1].indent > indent:
				if closed is not None:
					problems.append(f"line {closed.line}: subtest "
							f"'{closed.name}' has no result line")
				closed = stack.pop()
			if stack[-1].indent < indent:
				# Results deeper than any header: an unannounced block.
				stack.append(Test(indent=indent, line=num))
			block = stack[-1]
			test = closed if closed is not None else Test(line=num)
			test.result = m.group(1)
			test.diag, diag = diag, []
			test.name = test.name or (m.group(3) or '').strip()
			test.directive = (m.group(4) or '').strip()
			block.subtests.append(test)
			if int(m.group(2)) != len(block.subtests):
				problems.append(f'line {num}: expected test '
						f'{len(block.subtests)}, got {m.group(2)}')
			if closed is not None:
				_close(closed, problems)
		elif body:
			# A diagnostic, or a line KTAP does not define (KUnit's
			# "Expected ..." lines after an EXPECTATION FAILED).
			diag.append(body.lstrip('# ').rstrip())

	if root is None:
		problems.append('no KTAP version line')
		return Doc(None, problems, Counts(failed=1))
	while len(stack) > 1:
		lost = stack.pop()
		problems.append(f"line {lost.line}: subtest '{lost.name}' has no "
				'result line (output truncated?)')
	if root.plan is None:
		problems.append('no plan line at top level')
	_close(root, problems)

	counts = count(root)
	if problems:
		counts.failed += 1
	return Doc(root, problems, counts)


def count(test: Test) -> Counts:
	"""Leaf cases: a test with subtests counts those, not itself."""
	c = Counts()
	if test.subtests:
		for t in test.subtests:
			c.add(count(t))
		if test.result == 'not ok' and not test.skipped and not c.failed:
			c.failed = 1
	elif test.skipped or test.skip_all:
		c.skipped = 1
	elif test.result == 'not ok':
		c.failed = 1
	elif test.result == 'ok':
		c.passed = 1
	return c


def failures(test: Test, path: str = '') -> List[Tuple[str, List[str]]]:
	"""The failing leaves under @test, each with its diagnostics."""
	here = f'{path}.{test.name}' if path and test.name else test.name or path
	why = ([test.directive] if test.directive else []) + test.diag
	if test.subtests:
		out = [f for t in test.subtests for f in failures(t, here)]
		if not out and test.result == 'not ok' and not test.skipped:
			out = [(here, why)]
		return out
	if test.result == 'not ok' and not test.skipped:
		return [(here, why)]
	return []


def parse_file(path: str) -> Doc:
	with open(path, encoding='utf-8', errors='replace') as f:
		return parse(f.read())


def unit_order(unit: str) -> Tuple[int, str]:
	"""Run order: load, KUnit suites, selftests, unload, the installed
	kselftest collection, runner checks."""
	rank = {'module-load': 0, 'module-unload': 3, 'guest': 5}
	if unit in rank:
		return rank[unit], unit
	if unit.startswith('kselftest-'):
		return 4, unit
	return (2 if unit.startswith('selftest-') else 1), unit


def unit_seconds(console: str) -> Dict[str, float]:
	"""Each unit's time on the guest's clock, from the time stamps of
	@console: from its "unit U begins" line to the next unit's (or to the
	end of the plan). A KUnit suite's own run, from its "# Subtest:" line
	to its result line, wins: the first suite's unit loads the test module,
	and every suite runs then. The shutdown runs from the end of the plan
	to the last line; the guest's time is its whole uptime."""
	units: Dict[str, float] = {}
	suites: Dict[str, float] = {}
	began: Dict[str, float] = {}		# of units; '' the shutdown
	suite_began: Dict[str, float] = {}
	unit = ''
	now = 0.0
	try:
		with open(console, encoding='utf-8', errors='replace') as f:
			lines = f.readlines()
	except OSError:
		return {}
	for line in lines:
		m = KMSG.match(line.rstrip('\n'))
		if not m:
			continue
		now, text = float(m.group(1)), m.group(2)
		b = UNIT_BEGINS.match(text)
		if b or PLAN_DONE.match(text):
			if unit:
				units.setdefault(unit, now - began[unit])
			unit = b.group(1) if b else ''
			began[unit] = now
		elif (s := SUITE_BEGINS.match(text)):
			suite_began[s.group(1)] = now
		elif (s := SUITE_ENDS.match(text)) and s.group(1) in suite_began:
			suites.setdefault(s.group(1), now - suite_began.pop(s.group(1)))
	units.update(suites)
	if '' in began:
		units['shutdown'] = now - began['']
	if now:
		units['guest'] = now
	return units


def totals_line(c: Counts) -> str:
	line = f'{c.passed} passed, {c.failed} failed'
	if c.skipped:
		line += f', {c.skipped} skipped'
	return line


def main(argv: List[str]) -> int:
	if not argv or argv[0].startswith('-'):
		print('usage: summary.py RESULTS_DIR [LABEL...]', file=sys.stderr)
		return 2
	top = argv[0]
	labels = argv[1:]
	if not labels and os.path.isdir(top):
		# export/: scripts/export-results.py's copies of the same results
		labels = sorted(d for d in os.listdir(top)
				if os.path.isdir(os.path.join(top, d)) and d != 'export')

	rows = []
	failed: List[Tuple[str, str, List[str]]] = []
	total = Counts()
	for label in labels:
		d = os.path.join(top, label)
		files = sorted((f[:-5] for f in os.listdir(d) if f.endswith('.ktap')),
			       key=unit_order) if os.path.isdir(d) else []
		if not files and argv[1:]:
			rows.append((label, '(no results)', Counts(failed=1), None))
		secs = unit_seconds(os.path.join(d, 'console.log'))
		for unit in files:
			doc = parse_file(os.path.join(d, unit + '.ktap'))
			rows.append((label, unit, doc.counts, secs.get(unit)))
			if doc.root is not None:
				failed += [(f'{label} {unit}', name, lines)
					   for name, lines in failures(doc.root)]
			failed += [(f'{label} {unit}', 'KTAP', [p]) for p in doc.problems]
	for _, _, c, _ in rows:
		total.add(c)

	if rows:
		wl = max(len('kernel'), *(len(r[0]) for r in rows))
		wu = max(len('unit'), *(len(r[1]) for r in rows))
		print(f"{'kernel':<{wl}}  {'unit':<{wu}}  pass  fail  skip  guest s")
		for label, unit, c, t in rows:
			when = f'{t:7.1f}' if t is not None else '      -'
			print(f'{label:<{wl}}  {unit:<{wu}}  {c.passed:4}  {c.failed:4}  {c.skipped:4}  {when}')
	else:
		print(f'summary: no KTAP results under {top}', file=sys.stderr)
	if failed:
		print('\nfailed:')
	for where, name, lines in failed[:MAX_FAILURES]:
		print(f'  {where}: {name}')
		# Under kselftest's runner a script's own KTAP document is
		# nested as "# " lines: what follows its version line (but
		# its plan and passed cases) says why, not the runner's lines.
		if 'KTAP version 1' in lines:
			nested = lines[lines.index('KTAP version 1') + 1:]
			lines = lines[:1] + [ln for ln in nested
					     if not PLAN.match(ln) and not ln.startswith('ok ')]
		for line in [ln for ln in lines if ln][:MAX_DIAG]:
			print(f'      {line[:160]}')
	if len(failed) > MAX_FAILURES:
		print(f'  ... and {len(failed) - MAX_FAILURES} more (the KTAP files hold them all)')
	print(totals_line(total))
	return 1 if total.failed or not rows else 0


if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
