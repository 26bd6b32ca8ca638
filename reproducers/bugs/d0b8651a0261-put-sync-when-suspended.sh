# SPDX-License-Identifier: GPL-2.0
# Fix: d0b8651a0261 ("PM: runtime: Make put{,_sync}() return 1 when already
#   suspended", v6.18)
# Mechanism: put() and put_sync() drop the count through rpm_idle(), which
#   answered a suspended device with -EAGAIN, not the 1 the API promises.
# Lacking: stock-6.1 stock-6.12 (rpm_idle() in 6.1.192 and 6.12.118 turns
#   every status but RPM_ACTIVE into -EAGAIN, put or not)

repro_devs="rp_put"

repro() {
	new_dev "rp_put probe=get_put" || return 1
	wait_status rp_put suspended || return 1
	expect get_noresume "$(rpm_ret rp_put get_noresume)" 0 || return 1
	ret=$(rpm_ret rp_put put_sync)
	expect "counts (usage children depth)" "$(pm_counts rp_put)" "0 0 0" || return 1
	expect status "$(pm rp_put runtime_status)" suspended || return 1
	[ "$ret" = 1 ] && return 0
	fail "put_sync on a device already suspended returned $ret, want 1: the kernel lacks d0b8651a0261"
}
