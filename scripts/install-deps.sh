#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages rpm_sim needs: kernel sources and headers to
# build against, the stock kernels to test, QEMU and an initramfs toolbox.
#
#   scripts/install-deps.sh
#
# Idempotent: prints nothing and changes nothing when all is installed.

set -eu

pkgs="linux-source-6.1 linux-source-6.12
linux-headers-amd64 linux-headers-6.12-amd64
linux-image-amd64 linux-image-6.12-amd64
linux-headers-6.12-rt-amd64 linux-image-6.12-rt-amd64
qemu-system-x86 busybox-static cpio
flex bison bc libelf-dev libssl-dev dwarves sparse make gcc
python3 python3-jsonschema xz-utils kmod rsync"

die() { echo "install-deps: $*" >&2; exit 1; }

# shellcheck disable=SC2086 # the list is joined into one line on purpose
[ -f /etc/debian_version ] ||
	die "not a Debian system (no /etc/debian_version); install by hand:" $pkgs
[ "$(id -u)" -eq 0 ] ||
	die "must run as root (it installs packages with apt-get)"

missing=
for p in $pkgs; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) || status=
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -n "$missing" ] || exit 0

echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update
# $missing is a word list on purpose.
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $missing
