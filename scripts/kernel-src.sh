#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Unpack Debian's linux-source-VERSION tarball once into the cache and print
# the source tree's path.
#
#   scripts/kernel-src.sh VERSION

set -eu

ver=${1:?usage: kernel-src.sh VERSION}
cache=${RPM_SIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rpm_sim}
tarball=${RPM_SIM_SRC_DIR:-/usr/src}/linux-source-$ver.tar.xz

if [ ! -f "$tarball" ]; then
	echo "kernel-src: $tarball not found (apt-get install linux-source-$ver)" >&2
	exit 1
fi

key=$(stat -c '%s %Y' "$tarball" | sha256sum | cut -c1-12)
src="$cache/src/linux-source-$ver-$key"
if [ ! -f "$src/Makefile" ]; then
	# One unpacker at a time (make check prebuilds kernels in the background).
	mkdir -p "$cache/src"
	exec 7>"$cache/src/.lock"
	flock 7
fi
if [ ! -f "$src/Makefile" ]; then
	echo "kernel-src: unpacking $tarball" >&2
	rm -rf "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xf "$tarball" -C "$src.tmp" --strip-components=1
	mv "$src.tmp" "$src"
fi
echo "$src"
