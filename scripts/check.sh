#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Everything the project tests: lint, the pipeline's own tests, the kernel
# matrix, the seeded regressions (scripts/prove.sh: each contract's tests
# shown to fail), the corpus of upstream bugs (scripts/reproduce.sh), and
# a proof that every KTAP file parses with the kernel's own kunit.py.
# Results under results/; the last line is "N passed, N failed".
# The seeded regressions: by default the covering set (one a contract,
# each contract shown red: scripts/prove.sh --cover), PROVE=all every one
# of them (make prove does), PROVE=0 none.
#
#   KERNELS="test-6.12 test-next test-6.1 stock-6.12 stock-6.1 stock-6.12-rt" scripts/check.sh

set -u

top=$(cd "$(dirname "$0")/.." && pwd)
results=${RPM_SIM_RESULTS:-$top/results}
kernels=${KERNELS:-test-6.12 test-next stock-6.12 stock-6.1 stock-6.12-rt}
export RPM_SIM_RESULTS="$results"
# prove: scripts/prove.sh's selection, or "off"
case ${PROVE:-cover} in
0) prove=off ;;
all) prove= ;;
cover) prove=--cover ;;
*) echo "check: PROVE=$PROVE: 0, cover (the default) or all" >&2; exit 2 ;;
esac

rm -rf "$results"
mkdir -p "$results/host"

# cpu_of FILE: the CPU seconds of the children in a shell's "times" output.
cpu_of() {
	awk 'NR == 2 {
		for (i = 1; i <= 2; i++) { split($i, t, "m"); s += t[1] * 60 + t[2] }
		printf "%d", s }' "$1"
}

# step NAME: the wall time and the CPU time (of every child reaped so far:
# the shell's times) since the previous step, for the summary line.
steps=
last_wall=$(date +%s)
last_cpu=0
step() {
	times >"$results/host/times"
	cpu=$(cpu_of "$results/host/times")
	wall=$(date +%s)
	steps="$steps $1:$((wall - last_wall))s/$((cpu - last_cpu))cpu"
	last_wall=$wall
	last_cpu=$cpu
}

# A step that could not produce its own KTAP still leaves one failing case.
host_step() {	# name command...
	name=$1
	shift
	echo "check: $name" >&2
	if ! "$@" >"$results/host/$name.ktap" 2>"$results/host/$name.log"; then
		grep -q '^not ok' "$results/host/$name.ktap" || {
			echo "KTAP version 1"
			echo "1..1"
			sed 's/^/# /' "$results/host/$name.log" | tail -n 20
			echo "not ok 1 $name"
		} >"$results/host/$name.ktap"
	fi
}

# The corpus's kernels (scripts/reproduce.sh). fixed-6.1 is left to make
# reproduce: it is a whole 6.1 kernel built for one check (from cold, 12.4
# CPU minutes, 7 min on an idle machine; a cold run of this script spends
# 147 CPU minutes in 79), and the reproducers of its fixes still go green
# on Debian's 6.12, which has them.
corpus="stock-6.1 stock-6.12 stock-6.12-rt fixed-6.12 unfixed-6.12"

# The kernels this run builds, built in the background meanwhile: while
# one kernel boots, the next one compiles, and then every seeded
# regression's image (scripts/build-kernel.sh builds one at a time; each
# step below still asks for its kernel, and waits for it or builds it
# itself if this chain failed). Niced: a guest's timing matters, a
# build's does not, and a step waiting for its kernel leaves it the CPU.
kernels=$kernels top=$top prove=$prove corpus=$corpus nice -n 10 sh -c '
	for k in $kernels; do
		case $k in
		test-*) sh "$top/scripts/build-kernel.sh" "${k#test-}" ;;
		fast-*) sh "$top/scripts/build-kernel.sh" -f fast "${k#fast-}" ;;
		esac
	done
	[ "$prove" = off ] || sh "$top/scripts/prove.sh" --prepare $prove
	KDIR= sh "$top/scripts/reproduce.sh" --prepare $corpus
	times >"$RPM_SIM_RESULTS/host/prebuild.times"
' >"$results/host/prebuild.log" 2>&1 &
prebuild=$!

src=$("$top/scripts/kernel-src.sh" 6.12) && export KUNIT_PY="$src/tools/testing/kunit/kunit.py"
# The pipeline's tests need no kernel: they run while the first one
# builds. lint's sparse pass builds against it, so it comes second.
step setup
host_step pipeline sh "$top/tests/pipeline/run.sh"
step pipeline
host_step lint sh "$top/scripts/lint.sh"
step lint

# One KUnit round on the debug kernels: a second (each suite run again on
# what the first left, the short repeat of the matrix) costs a KASAN guest
# under TCG five minutes, most of it DEBUG_KOBJECT_RELEASE's delays, and
# runs instead on the fast 6.12 kernel, as scripts/prove.sh's baseline.
# RPM_SIM_REPEAT of the caller's own wins.
for k in $kernels; do
	echo "check: $k" >&2
	repeat=${RPM_SIM_REPEAT:-1}
	# Debian's 6.12 runs the selftests as a lab would: installed as a
	# kselftest collection, through the kernel's own run_kselftest.sh
	# (in place of their one-by-one round: 6.12-rt runs that).
	# Debian's 6.1 reports through one serial port, as most boards do:
	# the results framed on the console, where kernel messages cut in.
	ksft=0
	[ "$k" = stock-6.12 ] && ksft=1
	one=0
	[ "$k" = stock-6.1 ] && one=1
	# Each unit's last 1024 event records, not make run's 4096: on a
	# KASAN guest a unit's 4096 cost about 5 s to format, pack and send.
	RPM_SIM_REPEAT=$repeat RPM_SIM_KSELFTEST=$ksft RPM_SIM_ONE_CONSOLE=$one \
		RPM_SIM_APPEND="rpm_sim.events=1024 ${RPM_SIM_APPEND:-}" \
		sh "$top/scripts/run-kernel.sh" "$k" 2>"$results/$k.log"
	rc=$?
	# A failure must show in the results, whatever stage it came from.
	if [ $rc -ne 0 ] && ! grep -qs '^ *not ok' "$results/$k"/*.ktap; then
		mkdir -p "$results/$k"
		{
			echo "KTAP version 1"
			echo "1..1"
			echo "# run-kernel.sh exited $rc and no KTAP document says why:"
			tail -n 20 "$results/$k.log" | sed 's/^/# /'
			echo "not ok 1 run_kernel"
		} >"$results/$k/run.ktap"
	fi
	step "$k"
done

# make shell, as a person would use it, on the first kernel and the
# modules its run built.
set -- $kernels
host_step shell env RPM_SIM_MODULES="$top/build/$1/src" \
	RPM_SIM_RESULTS="$results/host/shell" python3 "$top/scripts/shell-check.py" "$1"
step shell
# The guest's runner, on the kernel that boots fastest.
case " $kernels " in *" stock-6.12 "*) set -- stock-6.12 ;; esac
host_step runner sh "$top/tests/runner/run.sh" "$1"
step runner

if [ "$prove" != off ]; then
	host_step prove sh "$top/scripts/prove.sh" $prove
	step prove
fi

# The prebuild's CPU time lands in the step during which the shell reaped
# it; it overlapped them all, and its own figure says how much it was.
wait $prebuild
step prebuild
[ ! -f "$results/host/prebuild.times" ] ||
	steps="$steps [kernel builds, beside the steps: $(cpu_of "$results/host/prebuild.times")cpu]"
# The corpus of upstream bugs on Debian's kernels and the fixed/unfixed
# pairs (scripts/reproduce.sh): each kernel lacks exactly what it should.
# Its kernels, never a KDIR the environment may hold (that is make
# reproduce's kernel of your own).
host_step reproduce env KDIR= sh "$top/scripts/reproduce.sh" $corpus
step reproduce
# What CI systems read (results/export/): its combined KTAP goes through
# the parse check below with the rest.
kernel_labels=$(for k in $kernels; do [ -d "$results/$k" ] && echo "$k"; done)
if python3 "$top/scripts/export-results.py" "$results" $kernel_labels \
	2>"$results/host/export.log"; then
	export_rc=0
else
	export_rc=$?
fi
# 1 and 2 (a failure, the harness's error) show in the kernels' own KTAP.
if [ "$export_rc" -eq 3 ]; then
	{
		echo "KTAP version 1"
		echo "1..1"
		sed 's/^/# /' "$results/host/export.log"
		echo "not ok 1 export"
	} >"$results/host/export.ktap"
fi
host_step ktap_parse sh "$top/scripts/ktap-parse-check.sh" "$results"
step ktap_parse
echo "check: wall/CPU time per step:$steps" >&2

python3 "$top/scripts/summary.py" "$results"
