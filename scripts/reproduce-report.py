#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The verdict of scripts/reproduce.sh: which known fixes each kernel lacks.

    scripts/reproduce-report.py BUGS_DIR FIXES_DIR RESULTS_DIR LABEL...

Reads each reproducer's header (reproducers/bugs/SHA-NAME.sh: its Fix and
Lacking lines) and the KTAP its boot left in RESULTS_DIR/LABEL/. A case
that is ok means the kernel has the fix, not ok that it lacks it. Prints
the table (kernel by fix) and one KTAP case per kernel: for Debian's
kernels the answer must be what their code shows (the Lacking lines; the
PREEMPT_RT 6.12 shares 6.12's source), for
fixed-VERSION none may be lacking, for unfixed-VERSION exactly those
Debian's VERSION lacks and those FIXES_DIR/VERSION/revert-SHA.patch takes
out; a kernel of your own (custom) is reported only. A reproducer that did
not run, and anything else of the boot that failed (a kernel splat, the
module's load or unload, a malformed document, an exit status of
run-kernel.sh, RESULTS_DIR/LABEL.rc, that no failure explains), fails its
kernel; but a splat of the kind a reproducer names as its bug's symptom
("# Symptom: KIND", a kind of qemu/run.py's), seen while that reproducer
ran and failed, is the bug showing, which its own case reports. The
documents are read with scripts/summary.py's parser.
"""

import importlib.util
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import summary as ktap  # noqa: E402

# qemu/run.py's splat patterns, to read what its diagnostics show.
_spec = importlib.util.spec_from_file_location(
	'run', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'qemu', 'run.py'))
run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run)

CORPUS = 'selftest-rpm_sim_reproduce.ktap'

def bugs_of(bugs_dir):
	"""{case name: (sha, subject, set of stock labels lacking it, the
	splat kind its bug shows as or None)}"""
	bugs = {}
	for f in sorted(os.listdir(bugs_dir)):
		if not f.endswith('.sh'):
			continue
		text = open(os.path.join(bugs_dir, f)).read()
		fix = re.search(r'^# Fix: (\w{12}) \("(.*?)"', text, re.M | re.S)
		lacking = re.search(r'^# Lacking: ([^(\n]*)', text, re.M)
		if not fix or not lacking:
			sys.exit(f'reproduce-report: {f}: no "# Fix: SHA (...)" or "# Lacking:" line')
		subject = re.sub(r'\s*\n#\s*', ' ', fix.group(2))
		stock = {w for w in lacking.group(1).split() if w.startswith('stock-')}
		symptom = re.search(r'^# Symptom: (.+)$', text, re.M)
		bugs[f[:-3].replace('-', '_')] = (fix.group(1), subject, stock,
						  symptom.group(1).strip() if symptom else None)
	return bugs


def verdicts(doc):
	"""{case name: 'has' | 'lacks' | 'skip'} from the corpus's document"""
	got = {}
	for t in doc.root.subtests if doc.root else []:
		got[t.name] = 'skip' if t.skipped else 'lacks' if t.result == 'not ok' else 'has'
	return got


# A splat's first line in the guest's no_kernel_splat case (run.py).
SPLAT = re.compile(r'^(\S.*?) at console\.log:[0-9]+ \((.*?)\): ')


def symptoms_only(why, symptoms):
	"""Whether the splats of a no_kernel_splat failure, and any splat
	hidden in the lines shown after one, are all symptoms of the bugs
	that were running when they came."""
	seen = False
	for line in why:
		m = SPLAT.match(line)
		if not m:
			kind = run.splat_kind(line)
			if kind is not None and kind not in symptoms.values():
				return False
			if line.startswith('... and '):
				return False	# splats not shown
			continue
		seen = True
		kind, where = m.groups()
		case = where.rpartition(', case ')[2]
		if not where.startswith(f'unit {CORPUS[:-5]}, case ') or \
				symptoms.get(case) != kind:
			return False
	return seen


def boot_problems(results, label, symptoms):
	"""What else of the boot failed: every other document's failures and
	malformations (but for a bug's own symptom), and an exit status of
	run-kernel.sh that no failure in any document explains."""
	d = os.path.join(results, label)
	problems = []
	explained = False
	for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
		if not f.endswith('.ktap'):
			continue
		doc = ktap.parse_file(os.path.join(d, f))
		explained |= doc.counts.failed > 0
		if f == CORPUS:
			continue
		problems += [f'{f[:-5]}: {p}' for p in doc.problems]
		# With its last diagnostics (a checker's notes come first, its
		# findings last): a CI log holds this report, not the files.
		problems += [f'{f[:-5]}: {name}' + ''.join(f'; {w}' for w in why[-2:] if w)
			     for name, why in ktap.failures(doc.root)
			     if not (f == 'guest.ktap' and name.endswith('no_kernel_splat')
				     and symptoms_only(why, symptoms))] if doc.root else []
	try:
		rc = open(os.path.join(results, f'{label}.rc')).read().strip()
	except OSError:
		rc = '0'
	if rc != '0' and not explained:
		problems.append(f'run-kernel.sh exited {rc} and no KTAP says why '
				f'(see {results}/{label}.log)')
	return problems


def expected(label, bugs, fixes_dir):
	"""{case name: 'has' | 'lacks'}, or None when the kernel is not judged"""
	kind, _, ver = label.partition('-')
	reverted = set()
	if kind == 'unfixed':
		d = os.path.join(fixes_dir, ver)
		if os.path.isdir(d):
			reverted = {f[len('revert-'):len('revert-') + 12] for f in os.listdir(d)
				    if f.startswith('revert-')}
	want = {}
	for name, (sha, _, stock, _) in bugs.items():
		if kind == 'stock':
			# Debian's PREEMPT_RT kernel is built from the same source.
			want[name] = 'lacks' if label.removesuffix('-rt') in stock else 'has'
		elif kind == 'fixed':
			want[name] = 'has'
		elif kind == 'unfixed':
			lacks = f'stock-{ver}' in stock or sha in reverted
			want[name] = 'lacks' if lacks else 'has'
		else:
			return None
	return want


def main():
	if len(sys.argv) < 5:
		sys.exit(__doc__)
	bugs_dir, fixes_dir, results = sys.argv[1:4]
	labels = sys.argv[4:]
	bugs = bugs_of(bugs_dir)
	print('KTAP version 1')
	print(f'1..{len(labels)}')
	table = {}
	failed = 0
	for i, label in enumerate(labels, 1):
		want = expected(label, bugs, fixes_dir)
		path = os.path.join(results, label, CORPUS)
		got = {}
		problems = []
		if os.path.exists(path):
			doc = ktap.parse_file(path)
			got = verdicts(doc)
			problems += [f'corpus: {p}' for p in doc.problems]
		else:
			problems.append(f'no KTAP from the corpus (see {results}/{label}.log)')
		# A symptom is excused only where its bug's case says it showed.
		problems = boot_problems(results, label,
					 {n: b[3] for n, b in bugs.items()
					  if b[3] and got.get(n) == 'lacks'}) + problems
		for name in bugs:
			g = got.get(name, 'missing')
			table[(label, name)] = g
			if g in ('missing', 'skip'):
				problems.append(f'{name}: {g}')
			elif want is not None and g != want[name]:
				verb = 'have' if want[name] == 'has' else 'lack'
				problems.append(f'{name}: {g} the fix, expected to {verb} it')
		for p in problems:
			print(f'# {label}: {p}')
		ok = not problems
		failed += not ok
		print(f'{"ok" if ok else "not ok"} {i} reproduce_{label.replace("-", "_")}'
		      + (' # reported, not judged' if want is None and ok else ''))
	w = max(len(n) for n in bugs)
	print('# ' + ' ' * w + ''.join(f' {l:>13}' for l in labels))
	for name, (sha, subject, _, _) in bugs.items():
		cells = ''.join(f' {table[(l, name)]:>13}' for l in labels)
		print(f'# {name:<{w}}{cells}')
	for name, (sha, subject, _, _) in bugs.items():
		print(f'# {sha}: {subject}')
	lacking = {l: [bugs[n][0] for n in bugs if table[(l, n)] == 'lacks'] for l in labels}
	for l in labels:
		print(f'# {l} lacks: {" ".join(lacking[l]) or "none of the known fixes"}')
	return 1 if failed else 0


if __name__ == '__main__':
	sys.exit(main())
