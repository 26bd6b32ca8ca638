#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Lint the project's C: scripts/checkpatch.pl --strict from the 6.12 source
# tarball, and sparse (C=2) over a build against the 6.12 test kernel.
# Prints KTAP (two cases) and exits non-zero on any finding.
#
#   scripts/lint.sh

set -u

top=$(cd "$(dirname "$0")/.." && pwd)
work="$top/build/lint"
failed=0

src=$("$top/scripts/kernel-src.sh" 6.12) || exit 1
kdir=$("$top/scripts/build-kernel.sh" 6.12) || exit 1

echo "KTAP version 1"
echo "1..2"

files=$(cd "$top" && ls rpm_sim/*.c rpm_sim/*.h rpm_sim/probes/*.c kunit/*.c kunit/*.h \
	examples/*.c)
out=$(cd "$top" && perl "$src/scripts/checkpatch.pl" --strict --no-tree --terse \
	--no-summary --show-types -f $files 2>&1)
if [ -z "$out" ]; then
	echo "ok 1 checkpatch_strict"
else
	echo "$out" | sed 's/^/# /'
	echo "not ok 1 checkpatch_strict"
	failed=1
fi

rm -rf "$work"
mkdir -p "$work"
cp -r "$top/Kbuild" "$top/rpm_sim" "$top/kunit" "$top/examples" "$work/"
log="$work/sparse.log"
if ! make -C "$kdir" M="$work" C=2 CHECK=sparse modules >"$log" 2>&1; then
	tail -n 20 "$log" | sed 's/^/# /'
	echo "not ok 2 sparse # the build failed"
	failed=1
elif grep -E '(warning|error):' "$log" >/dev/null; then
	grep -E '(warning|error):' "$log" | sed 's/^/# /'
	echo "not ok 2 sparse"
	failed=1
else
	echo "ok 2 sparse"
fi
exit "$failed"
