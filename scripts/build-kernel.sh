#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build an rpm_sim test kernel from a Debian linux-source tarball.
#
#   scripts/build-kernel.sh VERSION [PATCH]   (VERSION: 6.1 or 6.12)
#
# PATCH (optional) is applied to a scratch copy of the source first: this is
# how the seeded regressions in patches/broken/ are built, never in place.
#
# tinyconfig + configs/debug.config (+ configs/VERSION.config), checked after
# olddefconfig: an option that did not stick is an error. The build lives in
# the cache, keyed by the tarball and the fragments, so an unchanged rerun
# builds nothing. Prints the build directory (usable as KDIR) on stdout.

set -eu

ver=${1:?usage: build-kernel.sh VERSION [PATCH]}
patch=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${RPM_SIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rpm_sim}
tarball=${RPM_SIM_SRC_DIR:-/usr/src}/linux-source-$ver.tar.xz
jobs=$(( $(nproc) + 1 ))

die() { echo "build-kernel: $*" >&2; exit 1; }

[ -f "$tarball" ] || die "$tarball not found (apt-get install linux-source-$ver)"

frags="$top/configs/debug.config"
[ -f "$top/configs/$ver.config" ] && frags="$frags $top/configs/$ver.config"
if [ -n "$patch" ]; then
	[ -f "$patch" ] || die "no patch $patch"
	patch=$(cd "$(dirname "$patch")" && pwd)/$(basename "$patch")
fi

# The key covers what changes the result: tarball, fragments and patch.
key=$( { stat -c '%n %s %Y' "$tarball"; cat $frags ${patch:+"$patch"}; } |
	sha256sum | cut -c1-12)
out="$cache/kernels/linux-$ver${patch:+-$(basename "$patch" .patch)}-$key"

if [ -f "$out/.rpm_sim_done" ]; then
	echo "$out"
	exit 0
fi

src=$("$top/scripts/kernel-src.sh" "$ver")

# A patched kernel builds from a hard-linked copy; patch(1) writes each file
# it changes anew, and the copy breaks the link first to be sure.
if [ -n "$patch" ]; then
	scratch="$out.src"
	rm -rf "$scratch"
	cp -al "$src" "$scratch"
	for f in $(sed -n 's|^+++ b/\([^	]*\).*|\1|p' "$patch"); do
		cp --remove-destination "$src/$f" "$scratch/$f"
	done
	patch -d "$scratch" -p1 --no-backup-if-mismatch <"$patch" >&2 ||
		die "$patch does not apply to linux $ver"
	src=$scratch
fi

rm -rf "$out"
mkdir -p "$out"
log="$out/build.log"
[ -z "$patch" ] || echo "build-kernel: with $patch" >"$log"
echo "build-kernel: configuring linux $ver in $out" >&2

run() {
	if ! "$@" >>"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "failed: $* (full log: $log)"
	fi
}

run make -C "$src" O="$out" tinyconfig
run "$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" $frags
run make -C "$src" O="$out" olddefconfig

# olddefconfig silently drops what it cannot satisfy: check every request.
missing=0
for f in $frags; do
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qx "$line" "$out/.config" && continue
			have=$(grep "^${line%%=*}=" "$out/.config" || echo "unset")
			echo "build-kernel: $line requested, got $have" >&2
			missing=1
			;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }
			opt=${opt%% *}
			grep -q "^$opt=" "$out/.config" || continue
			echo "build-kernel: $opt requested off, got $(grep "^$opt=" "$out/.config")" >&2
			missing=1
			;;
		esac
	done <"$f"
done
[ "$missing" -eq 0 ] || die "config options did not stick (see above)"

echo "build-kernel: building linux $ver (-j$jobs, several minutes)" >&2
run make -C "$src" O="$out" -j"$jobs" bzImage modules
touch "$out/.rpm_sim_done"
echo "$out"
