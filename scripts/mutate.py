#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Single-line mutants of kernel source, as seeded regressions for prove.sh.

    scripts/mutate.py [--seed N] [--only REGEX] OUT_DIR SRC FILE:COUNT...

The hand-written regressions in patches/prove/ were written with the tests
in mind; random mutants were not. For each FILE (relative to the kernel
tree SRC) COUNT mutants are drawn (seeded) from every line of every
function the filter leaves: a call statement deleted, an if condition
negated, one operator or constant swapped (== !=, && ||, < <=, > >=,
true false, _inc _dec, RPM_ACTIVE RPM_SUSPENDED, return 0 return 1).
Each goes to OUT_DIR/mut-FILE-FUNCTION-LINE-OP.patch with a prove header
whose "Expect: any" means that any red test kills it. A mutant that
survives changed a line no test watches, or changed nothing observable:
read each one against the source before calling it a gap.

--only keeps the functions whose whole name the regular expression
matches; by default the functions that only print, trace, count time or
serve sysfs attributes are left out.
"""

import argparse
import difflib
import os
import random
import re
import sys
from typing import Iterator, List, Optional, Tuple

SKIP = re.compile(r'.*(_show|_store|_dbg|dbg_.*|trace.*|.*accounting.*|.*_time.*|'
		  r'.*initcall.*|.*watchdog.*|.*memalloc.*|.*cmdline.*|.*coredump.*)')

SWAPS = (('==', '!='), ('!=', '=='), ('&&', '||'), ('||', '&&'),
	 (' <= ', ' < '), (' >= ', ' > '), (' < ', ' <= '), (' > ', ' >= '),
	 ('true', 'false'), ('false', 'true'), ('_inc(', '_dec('), ('_dec(', '_inc('),
	 ('RPM_ACTIVE', 'RPM_SUSPENDED'), ('RPM_SUSPENDED', 'RPM_ACTIVE'),
	 ('return 0;', 'return 1;'), ('return 1;', 'return 0;'))

SELFTESTS = 'rpm_sim_control rpm_sim_fuzz rpm_sim_knobs rpm_sim_rmmod rpm_sim_sleep'


def functions(lines: List[str]) -> Iterator[Tuple[str, int, int]]:
	"""(name, first body line, closing line) of each function defined at
	column 0 in kernel style: the name and its '(' on the first line, the
	closing brace alone at column 0."""
	name: Optional[str] = None
	start = 0
	for i, line in enumerate(lines):
		m = re.match(r'^[a-z_][\w \*]*?\b(\w+)\(', line)
		if (m and not line.rstrip().endswith(';') and '=' not in line.split('(')[0]
		    and not line.startswith(('static const', 'struct ', 'enum '))):
			name, start = m.group(1), i
		elif line.startswith('}') and name:
			yield name, start + 1, i
			name = None


def mutations(line: str) -> Iterator[Tuple[str, Optional[str]]]:
	"""(operator tag, new line or None to delete) for one source line."""
	s = line.strip()
	if not s or s.startswith(('/*', '*', '//', '#')):
		return
	m = re.match(r'^(\s*)if \((.*)\)( \{)?$', line)
	if m and m.group(2).count('(') == m.group(2).count(')'):
		yield 'neg', f'{m.group(1)}if (!({m.group(2)})){m.group(3) or ""}'
	if (re.match(r'^\s*[\w>.\-\[\]]*\w+\(.*\);$', line) and not s.startswith('return')
	    and '=' not in s.split('(')[0]):
		yield 'del', None
	for old, new in SWAPS:
		if old in line and not (old.strip() in '<>' and ('<<' in line or '>>' in line)):
			yield f'{old.strip()} -> {new.strip()}', line.replace(old, new, 1)


def tag(op: str) -> str:
	for a, b in ((' -> ', '-to-'), ('==', 'eq'), ('!=', 'ne'), ('&&', 'and'), ('||', 'or'),
		     ('<=', 'le'), ('>=', 'ge'), ('<', 'lt'), ('>', 'gt')):
		op = op.replace(a, b)
	return re.sub(r'[^a-z0-9-]+', '', op.lower())


def main(argv: List[str]) -> int:
	ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
	ap.add_argument('--seed', type=int, default=1)
	ap.add_argument('--only', help='functions whose whole name matches this')
	ap.add_argument('out')
	ap.add_argument('src')
	ap.add_argument('specs', nargs='+', metavar='FILE:COUNT')
	args = ap.parse_args(argv)
	only = re.compile(args.only) if args.only else None
	rng = random.Random(args.seed)
	os.makedirs(args.out, exist_ok=True)

	for spec in args.specs:
		rel, _, count = spec.rpartition(':')
		if not rel or not count.isdigit():
			print(f'mutate: {spec}: not FILE:COUNT', file=sys.stderr)
			return 2
		path = os.path.join(args.src, rel)
		try:
			with open(path) as f:
				lines = f.read().split('\n')
		except OSError as e:
			print(f'mutate: {path}: {e.strerror}', file=sys.stderr)
			return 2
		pool = []
		for fn, first, last in functions(lines):
			if (only and not only.fullmatch(fn)) or (not only and SKIP.fullmatch(fn)):
				continue
			for i in range(first, last):
				pool += [(fn, i, op, new) for op, new in mutations(lines[i])]
		rng.shuffle(pool)
		base = os.path.basename(rel).split('.')[0]
		for fn, i, op, new in pool[:int(count)]:
			mutant = lines[:i] + ([] if new is None else [new]) + lines[i + 1:]
			diff = difflib.unified_diff([x + '\n' for x in lines],
						    [x + '\n' for x in mutant],
						    'a/' + rel, 'b/' + rel)
			name = f'mut-{base}-{fn}-{i + 1}-{tag(op)}'
			with open(os.path.join(args.out, name + '.patch'), 'w') as f:
				f.write(f'Contract: MUT\n'
					f'Breaks: {rel}:{i + 1} in {fn}(): {op}: {lines[i].strip()}\n'
					f'Expect: any\nSelftests: {SELFTESTS}\n\n')
				f.writelines(diff)
		print(f'mutate: {rel}: {min(len(pool), int(count))} of {len(pool)} mutants',
		      file=sys.stderr)
	return 0


if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
