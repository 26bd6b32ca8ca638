# SPDX-License-Identifier: GPL-2.0
# Fix: 51888393cc64 ("PM: runtime: Take active children into account in
#   pm_runtime_get_if_in_use()", v6.17; Fixes: c111566bea7c, 2020)
# Mechanism: "in use" meant a usage count above 0 only, so a parent that an
#   active child keeps active, its own count 0, was answered "not in use".
# Lacking: stock-6.1 (6.1.192's pm_runtime_get_if_active() ends in
#   atomic_inc_not_zero(&usage_count); the fix did not apply to 6.1-stable)

repro_devs="rp_iu_kid rp_iu_par"

repro() {
	new_family rp_iu_par rp_iu_kid || return 1
	expect "kid get_sync" "$(rpm_ret rp_iu_kid get_sync)" 0 || return 1
	expect "parent status" "$(pm rp_iu_par runtime_status)" active || return 1
	expect "parent counts (usage children depth)" "$(pm_counts rp_iu_par)" "0 1 0" ||
		return 1
	ret=$(rpm_ret rp_iu_par get_if_in_use)
	counts=$(pm_counts rp_iu_par)
	[ "$ret" = 1 ] && [ "$counts" = "1 1 0" ] && return 0
	fail "get_if_in_use on a parent with an active child returned $ret (counts $counts), want 1 (1 1 0): the kernel lacks 51888393cc64"
}
