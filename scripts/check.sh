#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Everything the project tests: lint, the pipeline's own tests, the kernel
# matrix, and a proof that every KTAP file parses with the kernel's own
# kunit.py. Results under results/; the last line is "N passed, N failed".
#
#   KERNELS="test-6.12 test-6.1 stock-6.12 stock-6.1" scripts/check.sh

set -u

top=$(cd "$(dirname "$0")/.." && pwd)
results=${RPM_SIM_RESULTS:-$top/results}
kernels=${KERNELS:-test-6.12 test-6.1 stock-6.12 stock-6.1}
export RPM_SIM_RESULTS="$results"

rm -rf "$results"
mkdir -p "$results/host"

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

src=$("$top/scripts/kernel-src.sh" 6.12) && export KUNIT_PY="$src/tools/testing/kunit/kunit.py"
host_step lint sh "$top/scripts/lint.sh"
host_step pipeline sh "$top/tests/pipeline/run.sh"

for k in $kernels; do
	echo "check: $k" >&2
	if ! sh "$top/scripts/run-kernel.sh" "$k" 2>"$results/$k.log" &&
	   ! ls "$results/$k"/*.ktap >/dev/null 2>&1; then
		mkdir -p "$results/$k"
		{
			echo "KTAP version 1"
			echo "1..1"
			tail -n 20 "$results/$k.log" | sed 's/^/# /'
			echo "not ok 1 run_kernel"
		} >"$results/$k/run.ktap"
	fi
done

host_step ktap_parse sh "$top/scripts/ktap-parse-check.sh" "$results"

python3 "$top/scripts/summary.py" "$results"
