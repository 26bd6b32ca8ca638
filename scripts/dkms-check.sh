#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build rpm_sim with dkms (dkms.conf) against the headers of every kernel
# installed here, as a developer's machine would at each kernel upgrade,
# in a private dkms tree: nothing is added to the system's dkms, nothing
# is installed, nothing is loaded. (dkms itself makes its module-signing
# key, /var/lib/dkms/mok.*, on first use.) Prints KTAP.
#
#   scripts/dkms-check.sh

set -u

top=$(cd "$(dirname "$0")/.." && pwd)
command -v dkms >/dev/null || { echo "dkms-check: no dkms (apt-get install dkms)" >&2; exit 2; }
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
kernels=$(for b in /lib/modules/*/build; do [ -f "$b/Makefile" ] && basename "$(dirname "$b")"; done)
[ -n "$kernels" ] || { echo "dkms-check: no kernel headers in /lib/modules" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpm_sim-dkms.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
src=$tmp/source/rpm_sim-$ver
mkdir -p "$src" "$tmp/tree"
cp -r "$top/Kbuild" "$top/Makefile" "$top/dkms.conf" "$top/rpm_sim" "$top/kunit" \
	"$top/examples" "$src/"
find "$src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \) -delete
dkms="--sourcetree $tmp/source --dkmstree $tmp/tree"

echo "KTAP version 1"
echo "1..$(echo "$kernels" | wc -l)"
n=0
failed=0
# shellcheck disable=SC2086 # $dkms is two options
dkms add -m rpm_sim -v "$ver" $dkms >"$tmp/add.log" 2>&1
for k in $kernels; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	if dkms build -m rpm_sim -v "$ver" -k "$k" $dkms >"$tmp/$k.log" 2>&1 &&
		ls "$tmp/tree/rpm_sim/$ver/$k"/*/module/rpm_sim.ko* >/dev/null 2>&1; then
		echo "ok $n dkms_build_$k"
	else
		tail -n 15 "$tmp/$k.log" "$tmp/tree/rpm_sim/$ver/build/make.log" 2>/dev/null |
			sed 's/^/# /'
		echo "not ok $n dkms_build_$k"
		failed=1
	fi
done
exit $failed
