#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make shell, driven as a person would: boot the guest's shell, make a
device, hold its runtime resume at a gate, look at the state and the event
log, release it, and exit. Prints one KTAP document.

    scripts/shell-check.py LABEL

Runs `scripts/run-kernel.sh LABEL` with RPM_SIM_SHELL=1 on a pipe, types
each command only once the shell has answered the one before (a serial
port drops what arrives before the guest reads it), and checks what comes
back.
"""

import os
import re
import select
import signal
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOOT_TIMEOUT = 300
STEP_TIMEOUT = 60
MARK = 'RSIM-STEP-DONE'
MARK_TYPED = 'RSIM-STEP-"DONE"'

# (what to type, what its output must hold)
STEPS = [
	('new_dev "sh0 probe=get_put" && wait_status sh0 suspended && echo made',
	 'made'),
	('echo "arm runtime_resume" >$DBG/devices/sh0/gate && echo get >$DBG/devices/sh0/rpm'
	 ' && echo "wait runtime_resume 5000" >$DBG/devices/sh0/gate && echo held',
	 'held'),
	('state sh0 runtime_status', 'resuming'),
	('echo "release runtime_resume" >$DBG/devices/sh0/gate && wait_status sh0 active'
	 ' && echo resumed',
	 'resumed'),
	('events sh0 | grep -c runtime_resume', None),
	('echo put >$DBG/devices/sh0/rpm && wait_status sh0 suspended && del_dev sh0 && echo gone',
	 'gone'),
]


def plain(line: str) -> str:
	"""A console line without terminal escapes and carriage returns."""
	return re.sub(r'\x1b\[[0-9;?]*[A-Za-z]', '', line).replace('\r', '').strip()


class Session:
	def __init__(self, label: str) -> None:
		env = dict(os.environ, RPM_SIM_SHELL='1')
		self.proc = subprocess.Popen(['sh', os.path.join(TOP, 'scripts/run-kernel.sh'), label],
					     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
					     stderr=subprocess.STDOUT, env=env,
					     start_new_session=True)
		self.seen = ''

	def read_until(self, text: str, timeout: float, start: int = 0) -> bool:
		"""Read the guest's output until @text shows at or after @start."""
		end = time.monotonic() + timeout
		while text not in self.seen[start:]:
			left = end - time.monotonic()
			if left <= 0 or self.proc.poll() is not None:
				return False
			r, _, _ = select.select([self.proc.stdout], [], [], left)
			if r:
				chunk = os.read(self.proc.stdout.fileno(), 4096)
				if not chunk:
					return False
				self.seen += chunk.decode(errors='replace')
		return True

	def type(self, line: str) -> None:
		self.proc.stdin.write((line + '\n').encode())
		self.proc.stdin.flush()

	def run(self, cmd: str) -> str:
		"""Type @cmd and return what it printed, and its exit status as
		MARK-N. The typed line comes back as the guest echoes it; the
		quotes keep the marker out of that echo."""
		start = len(self.seen)
		typed = f'{cmd}; echo {MARK_TYPED}-$?'
		self.type(typed)
		if not self.read_until(f'{MARK}-', STEP_TIMEOUT, start) or \
		   not self.read_until('\n', 5, self.seen.index(f'{MARK}-', start)):
			raise TimeoutError(f'no answer to: {cmd}')
		out = self.seen[start:]
		echoed = out.rfind(f'{MARK_TYPED}-$?')
		return out[echoed + len(MARK_TYPED) + 3:] if echoed >= 0 else out

	def close(self) -> int:
		try:
			self.type('exit')
			return self.proc.wait(60)
		except (subprocess.TimeoutExpired, BrokenPipeError):
			# QEMU too, not only the script that started it.
			os.killpg(self.proc.pid, signal.SIGKILL)
			self.proc.wait()
			return -1


def main(argv: list) -> int:
	if len(argv) != 2:
		print(__doc__.strip().split('\n')[4].strip(), file=sys.stderr)
		return 2
	problems = []
	notes = []
	s = Session(argv[1])
	try:
		if not s.read_until('rpm_sim shell:', BOOT_TIMEOUT) or \
		   not s.read_until('# ', 30):
			problems.append('no shell prompt came up')
		else:
			for cmd, want in STEPS:
				out = s.run(cmd)
				notes.append(f'$ {cmd}')
				notes += [f'  {line}' for line in map(plain, out.splitlines())
					  if line and MARK not in line and not line.startswith('/')][:4]
				if want is None:
					count = next((w for w in out.split() if w.isdigit()), '0')
					if int(count) < 2:
						problems.append(f'the event log shows {count} '
								'runtime_resume records, not enter and exit')
				elif want not in out or f'{MARK}-0' not in out:
					problems.append(f'"{cmd}" did not print "{want}": {out.strip()!r}')
					break
	except TimeoutError as e:
		problems.append(str(e))
	rc = s.close()
	if rc != 0 and not problems:
		problems.append(f'the guest did not power off cleanly after exit (status {rc})')
	print('KTAP version 1')
	print('1..1')
	for n in notes + problems:
		print(f'# {n}')
	print(f'{"not ok" if problems else "ok"} 1 shell_session')
	return 1 if problems else 0


if __name__ == '__main__':
	sys.exit(main(sys.argv))
