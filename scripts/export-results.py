#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Export rpm_sim results for CI systems: combined KTAP, kunit.py JSON, KCIDB.

    scripts/export-results.py RESULTS_DIR [LABEL...]

For each kernel label under RESULTS_DIR (every one, or those named), from
the KTAP files qemu/run.py wrote and the run.env/boot.env beside them:

  RESULTS_DIR/export/LABEL.ktap        one KTAP document: a subtest per unit
  RESULTS_DIR/export/LABEL.kunit.json  kunit.py parse --json of it (what
                                       KernelCI's KUnit ingestion reads;
                                       kunit.py from KUNIT_PY or the 6.12
                                       source in the rpm_sim cache)
  RESULTS_DIR/export/kcidb.json        KCIDB v5.3: a checkout and a build per
                                       label, a test per case; checked against
                                       scripts/kcidb-v5.3.schema.json

A case that ran and failed is FAIL, and so is a kernel splat; what the
harness could not do is apart from that: a unit cut off, a guest that did
not finish (QEMU failed, timeout), a plan not carried out or a document
the runner could not read are ERROR, a unit planned and never started is
MISS, and a build that stopped before the boot makes its build ERROR.

Exit status: 0 when everything passed or skipped, 1 when a test failed,
2 when nothing failed but the harness did not finish its work (ERROR,
MISS), 3 when the export itself could not be written or validated.
"""

import hashlib
import json
import os
import re
import subprocess
import sys
from typing import Dict, List, Optional, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import summary  # noqa: E402 (the project's KTAP parser)

ORIGIN = 'rpm_sim'
EXCERPT_MAX = 16384
# Units that say the host could not run the guest's work at all.
HOST_UNITS = ('run', 'kunit-config')
# guest.ktap's checks that are about the harness, not the kernel.
HARNESS_CHECKS = ('boot_finished', 'plan_complete', 'ktap_complete', 'exit_status')
CUT_OFF = 'no RPM_SIM_END: output cut off here'
NEVER_STARTED = re.compile(r'^(\S+): planned, never started$')


def read_env(path: str) -> Dict[str, str]:
	"""key=value lines; a later key wins (run.env's last stage=)."""
	env: Dict[str, str] = {}
	try:
		with open(path, encoding='utf-8', errors='replace') as f:
			for line in f:
				key, sep, value = line.rstrip('\n').partition('=')
				if sep:
					env[key] = value
	except OSError:
		pass
	return env


def segment(name: str) -> str:
	"""One KCIDB path segment: [a-zA-Z0-9_-]+."""
	return re.sub(r'[^a-zA-Z0-9_-]+', '_', name).strip('_') or '_'


def unit_files(d: str) -> List[str]:
	return sorted((f[:-5] for f in os.listdir(d) if f.endswith('.ktap')),
		      key=summary.unit_order)


def read(path: str) -> str:
	with open(path, encoding='utf-8', errors='replace') as f:
		return f.read()


def combined_ktap(label: str, d: str, units: List[str]) -> str:
	"""Every unit's document as one subtest, indented under one plan."""
	out = ['KTAP version 1', f'# rpm_sim on {label}: one subtest per unit',
	       f'1..{len(units)}']
	for i, unit in enumerate(units, 1):
		text = read(os.path.join(d, unit + '.ktap'))
		doc = summary.parse(text)
		lines = text.rstrip('\n').split('\n')
		body = [ln for ln in lines if not summary.VERSION.match(ln)]
		out.append('    KTAP version 1')
		out.append(f'    # Subtest: {unit}.ktap')
		out += [('    ' + ln).rstrip() for ln in body]
		c = doc.counts
		if c.failed or doc.problems or doc.root is None:
			out.append(f'not ok {i} {unit}.ktap')
		elif c.skipped and not c.passed:
			out.append(f'ok {i} {unit}.ktap # SKIP')
		else:
			out.append(f'ok {i} {unit}.ktap')
	return '\n'.join(out) + '\n'


def kunit_py() -> Optional[str]:
	path = os.environ.get('KUNIT_PY')
	if path:
		return path
	cache = os.environ.get('RPM_SIM_CACHE') or os.path.join(
		os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache'), 'rpm_sim')
	src = os.path.join(cache, 'src')
	for d in sorted(os.listdir(src)) if os.path.isdir(src) else []:
		k = os.path.join(src, d, 'tools', 'testing', 'kunit', 'kunit.py')
		if d.startswith('linux-source-6.12') and os.path.isfile(k):
			return k
	return None


def leaves(t: summary.Test, path: List[str]) -> List[Tuple[List[str], summary.Test]]:
	here = path + [t.name] if t.name else path
	if t.subtests:
		return [x for s in t.subtests for x in leaves(s, here)]
	return [(here, t)]


def excerpt(t: summary.Test) -> str:
	text = '\n'.join(([t.directive] if t.directive else []) + t.diag)
	return text[:EXCERPT_MAX]


def case_status(unit: str, t: summary.Test) -> str:
	if t.skipped or t.skip_all:
		return 'SKIP'
	if t.result != 'not ok':
		return 'PASS'
	if unit in HOST_UNITS or CUT_OFF in t.diag:
		return 'ERROR'
	if unit == 'guest' and t.name in HARNESS_CHECKS:
		return 'ERROR'
	return 'FAIL'


def label_objects(label: str, d: str, units: List[str], digest: str) -> Tuple[dict, dict, list]:
	run = read_env(os.path.join(d, 'run.env'))
	boot = read_env(os.path.join(d, 'boot.env'))
	ident = f'{ORIGIN}:{segment(label)}-{digest}'
	checkout = {'id': ident, 'origin': ORIGIN, 'tree_name': label,
		    'comment': f'rpm_sim {label}: kernel tree {run.get("kdir", "?")}'}
	if run.get('release'):
		checkout['git_commit_name'] = run['release']
	misc = {k: v for k, v in run.items() if k in ('kdir', 'kernel', 'release',
						      'config_sha256', 'rpm_sim')}
	build = {'id': ident, 'checkout_id': ident, 'origin': ORIGIN,
		 'architecture': 'x86_64', 'config_name': label.split('-')[0],
		 'misc': misc}
	if run.get('start_time'):
		build['start_time'] = run['start_time']
	# A recorded run (no run.env) booted if the runner checked a guest.
	stage = run.get('stage', 'boot' if 'guest' in units else 'build')
	booted = stage == 'boot' and 'guest' in units and 'run' not in units
	build['status'] = 'PASS' if booted else 'ERROR'
	if not booted:
		build['log_excerpt'] = ('the host stopped before the boot (module build, '
					'initramfs, or run-kernel.sh itself): see '
					f'{label}.log')

	env = {'comment': f'QEMU {boot.get("machine", "microvm")}, '
		   f'{boot.get("accelerator", "?")}: {boot.get("qemu", "?")}',
	       'misc': {k: v for k, v in boot.items()}}
	tests = []
	for unit in units:
		doc = summary.parse_file(os.path.join(d, unit + '.ktap'))
		found = leaves(doc.root, []) if doc.root is not None else []
		for path, t in found:
			# A KUnit unit's document holds its suite by the same name.
			if len(path) > 1 and path[0] == unit:
				path = path[1:]
			status = case_status(unit, t)
			obj = {'id': '', 'build_id': ident, 'origin': ORIGIN,
			       'path': '.'.join([ORIGIN, segment(unit)] + [segment(p) for p in path]),
			       'status': status, 'environment': env}
			if status in ('FAIL', 'ERROR'):
				obj['log_excerpt'] = excerpt(t)
			tests.append(obj)
			if unit == 'guest' and t.name == 'plan_complete':
				for line in t.diag:
					m = NEVER_STARTED.match(line)
					if m:
						tests.append({'id': '', 'build_id': ident,
							      'origin': ORIGIN, 'environment': env,
							      'path': f'{ORIGIN}.{segment(m.group(1))}',
							      'status': 'MISS', 'log_excerpt': line})
		if doc.problems:
			tests.append({'id': '', 'build_id': ident, 'origin': ORIGIN,
				      'environment': env, 'status': 'ERROR',
				      'path': f'{ORIGIN}.{segment(unit)}.ktap',
				      'log_excerpt': '\n'.join(doc.problems)[:EXCERPT_MAX]})
	for n, obj in enumerate(tests):
		obj['id'] = f'{ident}:{n}'
	return checkout, build, tests


def write_ktap(out: str, label: str, text: str, kpy: Optional[str]) -> bool:
	"""LABEL.ktap, and kunit.py's JSON of it; False when kunit.py fails."""
	ktap = os.path.join(out, label + '.ktap')
	with open(ktap, 'w') as f:
		f.write(text)
	if not kpy:
		print('export: no kunit.py (set KUNIT_PY): no .kunit.json', file=sys.stderr)
		return True
	js = os.path.join(out, label + '.kunit.json')
	r = subprocess.run([sys.executable, kpy, 'parse', f'--json={js}', ktap],
			   capture_output=True, text=True)
	if r.returncode not in (0, 1) or not os.path.isfile(js):
		print(f'export: kunit.py parse --json failed on {ktap}', file=sys.stderr)
		return False
	return True


def validate(report: dict) -> Optional[str]:
	"""None when @report is KCIDB v5.3, else why not."""
	try:
		import jsonschema
	except ImportError:
		# Debian's package, under a python3 of another origin.
		sys.path.append('/usr/lib/python3/dist-packages')
		try:
			import jsonschema
		except ImportError:
			return 'no jsonschema module (apt-get install python3-jsonschema)'
	here = os.path.dirname(os.path.abspath(__file__))
	with open(os.path.join(here, 'kcidb-v5.3.schema.json')) as f:
		schema = json.load(f)
	v = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
	errors = sorted(v.iter_errors(report), key=lambda e: list(e.path))
	if errors:
		e = errors[0]
		return f'{len(errors)} errors; first at {"/".join(map(str, e.path))}: {e.message}'
	return None


def main(argv: List[str]) -> int:
	if not argv or argv[0].startswith('-'):
		print('usage: export-results.py RESULTS_DIR [LABEL...]', file=sys.stderr)
		return 3
	top = argv[0]
	labels = argv[1:] or sorted(
		e for e in (os.listdir(top) if os.path.isdir(top) else [])
		if os.path.isfile(os.path.join(top, e, 'run.env')))
	if not labels:
		# run-kernel.sh stopped before it made a results directory.
		print(f'export: no kernel results under {top}', file=sys.stderr)
		return 2
	out = os.path.join(top, 'export')
	os.makedirs(out, exist_ok=True)
	kpy = kunit_py()
	report = {'version': {'major': 5, 'minor': 3},
		  'checkouts': [], 'builds': [], 'tests': []}
	for label in labels:
		d = os.path.join(top, label)
		units = unit_files(d) if os.path.isdir(d) else []
		# No KTAP at all: the host stopped early, and its build says so.
		text = combined_ktap(label, d, units) if units else ''
		if text and not write_ktap(out, label, text, kpy):
			return 3
		digest = hashlib.sha256((label + text).encode()).hexdigest()[:12]
		checkout, build, tests = label_objects(label, d, units, digest)
		report['checkouts'].append(checkout)
		report['builds'].append(build)
		report['tests'] += tests

	why = validate(report)
	if why:
		print(f'export: kcidb.json is not KCIDB v5.3: {why}', file=sys.stderr)
		return 3
	with open(os.path.join(out, 'kcidb.json'), 'w') as f:
		json.dump(report, f, indent=1)
		f.write('\n')

	statuses = [t['status'] for t in report['tests']] + \
		[b['status'] for b in report['builds']]
	n = {s: statuses.count(s) for s in ('PASS', 'FAIL', 'ERROR', 'MISS', 'SKIP')}
	print('export: ' + ', '.join(f'{v} {k}' for k, v in n.items() if v) +
	      f' in {out}/kcidb.json', file=sys.stderr)
	if n['FAIL']:
		return 1
	return 2 if n['ERROR'] or n['MISS'] else 0


if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
