#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks: boot a kernel with bench/ in place of the selftests and print
# what they measured. Not part of make check: figures are for the notes.
#
#   scripts/bench.sh [LABEL]     (default stock-6.12: no debug options)

set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
label=${1:-stock-6.12}
export RPM_SIM_RESULTS="$top/results/bench"
# bench/ in place of the selftests, with their shared lib.
export RPM_SIM_SELFTESTS="$top/build/bench-tests"
rm -rf "$RPM_SIM_SELFTESTS"
mkdir -p "$RPM_SIM_SELFTESTS"
cp -r "$top/selftests/lib" "$top"/bench/*.sh "$RPM_SIM_SELFTESTS/"

# Print what was measured even when the run failed, then say it failed.
status=0
sh "$top/scripts/run-kernel.sh" "$label" >/dev/null || status=1
grep -h -e '^# ' -e 'ok' "$RPM_SIM_RESULTS/$label"/selftest-*.ktap || status=1
exit $status
