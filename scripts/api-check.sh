#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Each upstream API change of patches/api/, re-created on 6.12, taken
# alone: a fast 6.12 kernel with that one patch (scripts/build-kernel.sh,
# cached), rpm_sim built against it at W=1. A case fails when the build
# fails or warns, or when the compile probes do not find what the patch's
# "Probes:" line announces (+NAME found now, -NAME gone, relative to plain
# 6.12; "none": the probes see no difference). Then the same for next,
# every patch at once. KTAP on stdout.
#
#   scripts/api-check.sh [PATCH...]	(default: every patches/api/*.patch)

set -u

top=$(cd "$(dirname "$0")/.." && pwd)
work=${RPM_SIM_RESULTS:-$top/results}/api-check

die() { echo "api-check: $*" >&2; exit 1; }

if [ $# -eq 0 ]; then
	set -- $(ls "$top"/patches/api/*.patch | sort -V)
fi
[ $# -gt 0 ] || die "no patches in $top/patches/api"

# probes_of KDIR NAME: build rpm_sim against KDIR as make run does
# (run-kernel.sh, build only: W=1, a warning fails it), print the probes
# it found; non-zero when the build fails or warns.
probes_of() {
	if ! RPM_SIM_BUILD_ONLY=1 RPM_SIM_RESULTS="$work" \
	     sh "$top/scripts/run-kernel.sh" "api-$2" "$1" >"$work/$2.log" 2>&1; then
		tail -n 20 "$work/$2.log" | sed 's/^/# /'
		return 1
	fi
	sed -n 's/^rpm_sim: API probes found: //p' "$top/build/api-$2/make.log" | head -n 1
}

# expected BASE ANNOUNCED: BASE with each +NAME added and -NAME removed
expected() {
	printf '%s\n' $1 | awk -v ann="$2" '
	{ have[$0] = 1 }
	END {
		n = split(ann, a, " ")
		for (i = 1; i <= n; i++) {
			if (a[i] ~ /^\+/) have[substr(a[i], 2)] = 1
			else if (a[i] ~ /^-/) delete have[substr(a[i], 2)]
		}
		for (k in have) print k
	}' | sort | tr '\n' ' ' | sed 's/ $//'
}

sorted() { printf '%s\n' $1 | sort | tr '\n' ' ' | sed 's/ $//'; }

mkdir -p "$work"
echo "KTAP version 1"
echo "1..$(($# + 2))"

n=1
base_kdir=$(sh "$top/scripts/build-kernel.sh" -f fast 6.12 2>"$work/base-build.log") &&
	base=$(probes_of "$base_kdir" base)
if [ $? -ne 0 ] || [ -z "${base:-}" ]; then
	echo "${base:-}" | sed 's/^/# /'
	tail -n 5 "$work/base-build.log" | sed 's/^/# /'
	echo "not ok 1 baseline_6_12"
	echo "# api-check: no baseline, nothing to compare with" >&2
	exit 1
fi
echo "# 6.12: $base"
echo "ok 1 baseline_6_12"

status=0
all=
for p in "$@"; do
	n=$((n + 1))
	name=$(basename "$p" .patch)
	case_name=$(echo "$name" | tr -c 'a-zA-Z0-9\n' _)
	ann=$(sed -n 's/^Probes: //p' "$p" | head -n 1)
	[ "$ann" = none ] && ann=
	all="$all $ann"
	echo "api-check: $name" >&2
	if ! kdir=$(sh "$top/scripts/build-kernel.sh" -f fast 6.12 "$p" 2>"$work/$name-build.log"); then
		tail -n 10 "$work/$name-build.log" | sed 's/^/# /'
		echo "not ok $n $case_name # kernel build failed"
		status=1
		continue
	fi
	if ! found=$(probes_of "$kdir" "$name"); then
		echo "$found"
		echo "not ok $n $case_name"
		status=1
		continue
	fi
	want=$(expected "$base" "$ann")
	echo "# $name: found: $found"
	if [ "$(sorted "$found")" != "$want" ]; then
		echo "# $name: announced ${ann:-no change}, so expected: $want"
		echo "not ok $n $case_name"
		status=1
		continue
	fi
	echo "ok $n $case_name"
done

n=$((n + 1))
if kdir=$(sh "$top/scripts/build-kernel.sh" -f fast next 2>"$work/next-build.log") &&
   found=$(probes_of "$kdir" next); then
	want=$(expected "$base" "$all")
	echo "# next: found: $found"
	if [ "$(sorted "$found")" = "$want" ]; then
		echo "ok $n next_all_patches"
	else
		echo "# next: expected: $want"
		echo "not ok $n next_all_patches"
		status=1
	fi
else
	echo "${found:-}" | sed 's/^/# /'
	echo "not ok $n next_all_patches"
	status=1
fi
exit $status
