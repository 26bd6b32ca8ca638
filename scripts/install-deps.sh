#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What a target needs, checked first; on Debian, as root, the missing
# Debian packages are installed with apt-get. Anywhere else, or as
# another user, it names what is missing and stops.
#
#   scripts/install-deps.sh              everything (make check and the rest)
#   scripts/install-deps.sh --for LABEL  only what run-kernel.sh LABEL needs
#					 (make run, make shell): a kernel of
#					 your own needs no Debian kernel
#
# Prints nothing and changes nothing when all is there. RPM_SIM_BUSYBOX
# and RPM_SIM_SRC_DIR are honoured as build-initramfs.sh and
# build-kernel.sh honour them.

set -eu

die() { echo "install-deps: $*" >&2; exit 1; }

busybox=${RPM_SIM_BUSYBOX:-/bin/busybox}
srcdir=${RPM_SIM_SRC_DIR:-/usr/src}

# Each need: "KIND:WHAT:PACKAGE". KIND cmd (a command on PATH), file (a
# path), static (a statically linked executable), py (a Python module of
# python3 or of Debian's dist-packages), pkg (a Debian package, for what
# only Debian has: its kernels).
guest="cmd:qemu-system-x86_64:qemu-system-x86 static:$busybox:busybox-static
cmd:cpio:cpio cmd:gzip:gzip cmd:python3:python3 py:jsonschema:python3-jsonschema
cmd:make:make cmd:gcc:gcc cmd:flock:util-linux"
build="cmd:flex:flex cmd:bison:bison cmd:bc:bc cmd:xz:xz-utils
file:/usr/include/libelf.h:libelf-dev file:/usr/include/openssl/ssl.h:libssl-dev
cmd:pahole:dwarves cmd:perl:perl"
source_of() { echo "file:$srcdir/linux-source-$1.tar.xz:linux-source-$1"; }
# Debian's metapackages pull the newest image and headers of a series.
stock_of() {
	case $1 in
	6.1) echo "pkg:linux-image-amd64:linux-image-amd64 pkg:linux-headers-amd64:linux-headers-amd64" ;;
	*) echo "pkg:linux-image-$1-amd64:linux-image-$1-amd64 pkg:linux-headers-$1-amd64:linux-headers-$1-amd64" ;;
	esac
}
everything="$guest $build $(source_of 6.1) $(source_of 6.12) $(stock_of 6.1)
$(stock_of 6.12) $(stock_of 6.12-rt) cmd:sparse:sparse cmd:depmod:kmod
cmd:rsync:rsync cmd:chromium:chromium"

case ${1:-} in
'') needs=$everything ;;
--for)
	[ $# -eq 2 ] || die "usage: install-deps.sh [--for LABEL]"
	case $2 in
	test-* | fast-* | soak-*)
		ver=${2#*-}
		[ "$ver" != next ] || ver=6.12
		needs="$guest $build $(source_of "$ver")"
		;;
	stock-*) needs="$guest $(stock_of "${2#stock-}")" ;;
	*) needs=$guest ;;
	esac
	;;
*) die "usage: install-deps.sh [--for LABEL]" ;;
esac

# has KIND WHAT: whether that need is met.
has() {
	case $1 in
	cmd) command -v "$2" >/dev/null 2>&1 ;;
	file) [ -f "$2" ] ;;
	# A dynamically linked busybox would find no libc in the guest.
	static) [ -x "$2" ] && ! ldd "$2" >/dev/null 2>&1 ;;
	py) python3 -c "import sys; sys.path.append('/usr/lib/python3/dist-packages'); import $2" \
		>/dev/null 2>&1 ;;
	pkg) dpkg-query -W -f='${Status}' "$2" 2>/dev/null | grep -q ' installed$' ;;
	esac
}

missing=
packages=
for need in $needs; do
	kind=${need%%:*}
	rest=${need#*:}
	what=${rest%:*}
	pkg=${rest##*:}
	has "$kind" "$what" && continue
	missing="$missing $what"
	case " $packages " in
	*" $pkg "*) ;;
	*) packages="$packages $pkg" ;;
	esac
done
[ -n "$missing" ] || exit 0

echo "install-deps: missing:$missing" >&2
[ -f /etc/debian_version ] ||
	die "not a Debian system: install these by other means (Debian's names:$packages)"
[ "$(id -u)" -eq 0 ] ||
	die "installing them needs root: apt-get install$packages"

echo "install-deps: installing$packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update
# $packages is a word list on purpose.
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $packages
