#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Prove every KTAP file under RESULTS parses with the kernel's own parser,
# tools/testing/kunit/kunit.py from the 6.12 source tarball, and that the
# parser agrees with us on whether the file passed. Prints KTAP.
#
#   scripts/ktap-parse-check.sh RESULTS

set -u

top=$(cd "$(dirname "$0")/.." && pwd)
results=$(cd "${1:?usage: ktap-parse-check.sh RESULTS}" && pwd) || exit 1
src=$("$top/scripts/kernel-src.sh" 6.12) || exit 1
kunit_py=$src/tools/testing/kunit/kunit.py

# The seeded regressions' runs (results/prove/) come from the same runner.
# Where a document nests a block kunit.py cannot follow: its parser closes
# a block without a plan only at a result line named as its "# Subtest:"
# line, and reads that line only right after the version line. A nested
# version line without one (or with another line between), or a stray
# "# Subtest:", makes it read past the end (a ValueError) or count the
# wrong tests.
block_headers() {	# file
	awk '
	function indent(s) { match(s, /^ */); return RLENGTH }
	function lost() {
		if (pend)
			print "line " pl ": \"" pv "\" opens a block without a \"# Subtest:\" line"
		pend = 0
	}
	/^ *K?TAP version [0-9]+$/ {
		lost()
		pend = indent($0) > 0
		pl = NR
		pi = indent($0)
		pv = $0
		next
	}
	/^ *# Subtest: / {
		if (!pend || indent($0) != pi)
			print "line " NR ": \"" $0 "\" follows no version line"
		pend = 0
		next
	}
	/^ *(1\.\.[0-9]+|(not )?ok [0-9]+)/ { lost() }
	pend {
		print "line " NR ": \"" $0 "\" parts a version line from its \"# Subtest:\" line"
		pend = 0
	}
	END { lost() }' "$1"
}

files=$(find "$results" -name '*.ktap' ! -path "$results/host/ktap_parse.ktap" \
	! -path "$results/prove/*" | sort)
n=$(echo "$files" | grep -c .)
echo "KTAP version 1"
echo "1..$n"
i=0
failed=0
for f in $files; do
	i=$((i + 1))
	name=$(echo "${f#"$results"/}" | tr '/.' '__')
	out=$(python3 "$kunit_py" parse "$f" 2>&1)
	# Its verdict: the closing "Testing complete. Ran N tests: ..." line,
	# which names failures when there are any. Ours: any "not ok" line.
	summary=$(echo "$out" | grep 'Testing complete\. Ran')
	theirs=0
	echo "$summary" | grep -q 'failed:' && theirs=1
	ours=0
	grep -qE '^ *not ok' "$f" && ours=1
	if [ -z "$summary" ] || echo "$out" | grep -qE 'ERROR|Traceback|could not find'; then
		# What went wrong where first: the lines kunit.py tripped
		# on, its first complaint, and how it ended.
		{
			block_headers "$f" | head -n 2
			echo "$out" | grep -m 1 -E '\[ERROR\]|could not find'
			echo "$out" | grep -E '^[A-Za-z]*Error: ' | tail -n 1
		} | cut -c 1-200 | sed 's/^/# /'
		echo "not ok $i $name"
		failed=1
	elif [ "$theirs" -ne "$ours" ]; then
		echo "# kunit.py parse: '$summary'; this file has not-ok lines: $ours"
		echo "not ok $i $name"
		failed=1
	else
		echo "ok $i $name"
	fi
done
exit "$failed"
