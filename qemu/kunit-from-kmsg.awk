# SPDX-License-Identifier: GPL-2.0
#
# One KUnit suite's last whole run, out of the kernel log, as a KTAP
# document of one test; nothing unless the log holds the whole suite.
#
#   dmesg | awk -v suite=SUITE -f kunit-from-kmsg.awk
#
# The log interleaves other CPUs' messages with KUnit's lines (on the test
# kernels, a delayed kobject release lands anywhere). They stay in the
# document as diagnostics, but not between a block's "KTAP version" line
# and its "# Subtest:" line: KUnit prints the two back to back, and the
# kernel's own parser (kunit.py) reads no other line between them (it
# then misses the block's name and reads past the document's end). Such a
# line is held back and written after the "# Subtest:" line.

{
	sub(/^\[[^]]*\](\[[^]]*\])? ?/, "")
}

$0 == "    # Subtest: " suite {
	buf = "    KTAP version 1\n" $0 "\n"
	held = ""
	opened = 0
	on = 1
	next
}

!on {
	next
}

/^(not )?ok [0-9]+ / && ($3 == suite || $4 == suite) {
	sub(/ok [0-9]+ /, "ok 1 ")
	doc = "KTAP version 1\n1..1\n" buf held $0 "\n"
	on = 0
	next
}

opened && !/^ *(# Subtest: |(not )?ok [0-9]+|[0-9]+\.\.[0-9]+|K?TAP version )/ {
	held = held $0 "\n"
	next
}

{
	if (/^ *# Subtest: /) {
		buf = buf $0 "\n" held
	} else {
		buf = buf held $0 "\n"
	}
	held = ""
	opened = /^ +K?TAP version [0-9]+$/
}

END {
	printf "%s", doc
}
