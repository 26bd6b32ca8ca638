#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The verdict of scripts/prove.sh: which seeded regression each test caught.

    scripts/prove-report.py PATCH_DIR RESULTS_DIR NAME...
    scripts/prove-report.py --cover PATCH_DIR
    scripts/prove-report.py --units PATCH
    scripts/prove-report.py --cases PATCH
    scripts/prove-report.py --glob PATCH

Reads each regression's header (patches/prove/NAME.patch: Contract,
Breaks, Expect) and the KTAP its boot left in RESULTS_DIR/prove-NAME/, and
the baseline's in RESULTS_DIR/prove-baseline/. Prints one KTAP document:
the baseline must be green, and each regression must turn every test its
Expect line names red ("killed"; "Expect: any", a mutant of
scripts/mutate.py: any red test); one that turns nothing red "survived",
one caught only by other tests is "missed" (its header is wrong). The
table goes into the diagnostics, followed by the tests no regression
turned red: suspects, until a regression shows they can fail.

With --cover it boots nothing and prints names only: one regression a
contract, the one that names the most tests the others chosen do not, so
that a shorter run (make check) still shows each contract red once. Every
test and every path of a contract is shown red only by the whole set
(make prove).

With --units it prints the units (scripts/run-kernel.sh's RPM_SIM_UNITS)
a boot needs to show one regression red: the KUnit suites that hold the
cases its Expect line names, and its Selftests line; "kunit" (every suite)
when it names a runner's check, "any", or nothing a unit holds. With
--cases it prints the selftest cases it names (the selftests'
RPM_SIM_CASES), or nothing when it has no Selftests line. With --glob
it prints the kunit.filter_glob that runs, of its KUnit suite, only the
cases its Expect line names and those that share their names' prefix
(rpm_sim_ag.ag1_get_*), or nothing when they are in several suites.

A test is named as in its KTAP: a KUnit case (rm1_notifier_sees_active),
a selftest case, a shutdown case, or guest:CHECK for the runner's own
checks. An expected name also matches the variants of a selftest or
shutdown case (ss1_runtime_resume_nested_in_suspend_pd,
sd1_children_before_parents_kernel).
"""

import os
import re
import sys
from typing import Dict, List, Set, Tuple

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import summary as ktap  # noqa: E402

VARIANTS = ('s', 'sd', 'p', 'pd', 'kernel', 'model')


def header(path: str) -> Dict[str, str]:
	h: Dict[str, str] = {}
	with open(path) as f:
		for line in f:
			if line.startswith('--- '):
				break
			m = re.match(r'^(\w+): *(.*)$', line)
			if m:
				h[m.group(1)] = m.group(2).strip()
	return h


def cover(pdir: str) -> List[str]:
	contract: Dict[str, str] = {}
	expect: Dict[str, Set[str]] = {}
	for f in sorted(os.listdir(pdir)):
		if f.endswith('.patch'):
			h = header(os.path.join(pdir, f))
			contract[f[:-6]] = h.get('Contract', '?')
			expect[f[:-6]] = set(h.get('Expect', '').split())
	# One regression a contract: of a contract's, the one that names the
	# most tests the set does not name yet (ties to the first name).
	chosen: List[str] = []
	named: Set[str] = set()
	for c in sorted(set(contract.values())):
		best = max((n for n in contract if contract[n] == c),
			   key=lambda n: len(expect[n] - named))
		chosen.append(best)
		named |= expect[best]
	return sorted(chosen)


def kunit_suites() -> Dict[str, str]:
	"""Each KUnit case's suite, from the suites' sources (one a file)."""
	top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
	kdir = os.path.join(top, 'kunit')
	suite_of: Dict[str, str] = {}
	for f in sorted(os.listdir(kdir)):
		if not f.endswith('.c'):
			continue
		with open(os.path.join(kdir, f)) as src:
			text = src.read()
		m = re.search(r'\.name = "(rpm_sim_\w+)"', text)
		if m:
			for case in re.findall(r'KUNIT_CASE(?:_PARAM)?\((\w+)', text):
				suite_of[case] = m.group(1)
	return suite_of


def focus(path: str) -> Tuple[str, str, str]:
	"""The units one regression's boot needs, its selftest cases, and the
	KUnit cases to run when they are all in one suite: a kunit.filter_glob
	of the suite and the names' common prefix (SUITE.ag1_get_*)."""
	h = header(path)
	suite_of = kunit_suites()
	expect = h.get('Expect', '').split()
	selftests = h.get('Selftests', '').split()
	named = [e for e in expect if e in suite_of]
	suites = sorted({suite_of[e] for e in named})
	rest = [e for e in expect if e not in suite_of]
	held = [e for e in rest if selftests and not e.startswith('guest:') and e != 'any']
	if len(held) < len(rest) or not suites + selftests:
		suites = ['kunit']
	prefix = os.path.commonprefix(named)
	glob = f'{suites[0]}.{prefix}*' if len(suites) == 1 and prefix and suites != ['kunit'] else ''
	return ','.join(suites + selftests), ','.join(held), glob


def cases(test: ktap.Test, depth: int, kunit: bool, prefix: str,
	  out: Dict[str, bool]) -> None:
	"""Case names and whether each failed: KUnit cases are the second
	level (suite, case, parameters), everything else the first."""
	for t in test.subtests:
		if depth == (2 if kunit else 1):
			# A case that did not run (RPM_SIM_CASES left it out, or
			# the kernel lacks what it needs) is neither red nor green.
			if t.skipped:
				continue
			name = prefix + t.name
			failed = ktap.count(t).failed > 0 or (t.result == 'not ok' and
								not t.skipped)
			out[name] = out.get(name, False) or failed
		else:
			cases(t, depth + 1, kunit, prefix, out)


def run_cases(d: str) -> Dict[str, bool]:
	out: Dict[str, bool] = {}
	if not os.path.isdir(d):
		return out
	for f in sorted(os.listdir(d)):
		if not f.endswith('.ktap'):
			continue
		unit = f[:-5]
		doc = ktap.parse_file(os.path.join(d, f))
		if doc.root is None or doc.problems:
			out[f'{unit}:document'] = True
			if doc.root is None:
				continue
		kunit = unit.startswith('rpm_sim_')
		cases(doc.root, 1, kunit, 'guest:' if unit == 'guest' else '', out)
	return out


def matches(expected: str, red: str) -> bool:
	if red == expected:
		return True
	return any(red == f'{expected}_{v}' for v in VARIANTS)


def main(argv: List[str]) -> int:
	if len(argv) == 2 and argv[0] == '--cover':
		print('\n'.join(cover(argv[1])))
		return 0
	opts = ('--units', '--cases', '--glob')
	if len(argv) == 2 and argv[0] in opts:
		print(focus(argv[1])[opts.index(argv[0])])
		return 0
	if len(argv) < 3 or argv[0].startswith('-'):
		print('\n'.join(__doc__.strip().split('\n')[2:4]), file=sys.stderr)
		return 2
	pdir, rdir, names = argv[0], argv[1], argv[2:]
	diag: List[str] = []
	results: List[bool] = []

	base = run_cases(os.path.join(rdir, 'prove-baseline'))
	base_red = sorted(n for n, bad in base.items() if bad)
	base_ok = bool(base) and not base_red
	if not base:
		diag.append('baseline: no results')
	for n in base_red:
		diag.append(f'baseline: {n} is red without any regression')
	out = ['KTAP version 1', f'1..{len(names) + 1}']
	out += [f'# {d}' for d in diag]
	out.append(f"{'ok' if base_ok else 'not ok'} 1 baseline_green")
	results.append(base_ok)

	rows = []
	ever_red: Set[str] = set()
	ever_ran: Set[str] = set()
	for i, name in enumerate(names, 2):
		h = header(os.path.join(pdir, name + '.patch'))
		expect = h.get('Expect', '').split()
		got = run_cases(os.path.join(rdir, 'prove-' + name))
		red = sorted(n for n, bad in got.items() if bad)
		ever_red.update(red)
		ever_ran.update(got)
		hit = [e for e in expect if any(matches(e, r) for r in red)]
		if os.path.exists(os.path.join(rdir, name + '.build-failed')):
			verdict = 'no build'
		elif not got:
			verdict = 'no results'
		elif not red:
			verdict = 'survived'
		elif not expect:
			verdict = 'no Expect line'
		elif expect == ['any']:
			verdict = 'killed'
			hit = expect
		elif len(hit) == len(expect):
			verdict = 'killed'
		elif hit:
			verdict = 'partly'
		else:
			verdict = 'missed'
		ok = verdict == 'killed'
		results.append(ok)
		rows.append((name, h.get('Contract', '?'), verdict,
			     [e for e in expect if e not in hit], red))
		out.append(f'# {name} ({h.get("Contract", "?")}): {verdict}')
		out.append(f'#   breaks: {h.get("Breaks", "?")}')
		out.append(f'#   expected red: {" ".join(expect) or "-"}')
		if verdict == 'partly' or verdict == 'missed':
			out.append(f'#   expected but green: {" ".join(e for e in expect if e not in hit)}')
		out.append(f'#   red: {" ".join(red) or "nothing"}')
		out.append(f"{'ok' if ok else 'not ok'} {i} {name}")

	# A boot of the covering set runs some units only: a test no
	# regression's boot ran is no suspect of this run.
	suspects = sorted(n for n in base if n in ever_ran and n not in ever_red and
			  not n.startswith('guest:') and not n.endswith(':document'))
	ran = sum(1 for n in base if n in ever_ran)
	out.append(f'# {len(suspects)} of the {ran} tests the regressions\' boots ran went red in none:')
	for s in suspects:
		out.append(f'#   {s}')
	print('\n'.join(out))

	print(f"{'regression':<40} {'contract':<8} {'verdict':<10} red", file=sys.stderr)
	for name, contract, verdict, missing, red in rows:
		print(f'{name:<40} {contract:<8} {verdict:<10} {len(red)} tests'
		      + (f' (missing: {" ".join(missing)})' if missing else ''), file=sys.stderr)
	return 0 if all(results) else 1


if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
