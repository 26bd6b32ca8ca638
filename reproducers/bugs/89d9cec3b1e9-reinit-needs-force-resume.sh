# SPDX-License-Identifier: GPL-2.0
# Fix: 89d9cec3b1e9 ("PM: runtime: Clear power.needs_force_resume in
#   pm_runtime_reinit()", v6.17; in the 6.1 and 6.12 stable trees since)
# Mechanism: a driver's ->remove that force-suspends a device still in use
#   leaves needs_force_resume set; unbound, a later force_resume() would
#   resume a device no driver had suspended.
# Lacking: none (6.1.192 and 6.12.118 clear it in pm_runtime_reinit());
#   patches/fixes/6.12/revert-89d9cec3b1e9.patch takes it out

repro_devs="rp_nfr"

repro() {
	new_dev "rp_nfr probe=get_put remove=force_suspend" || return 1
	wait_status rp_nfr suspended || return 1
	# Two users at ->remove: force_suspend() has to record the resume.
	expect get_sync "$(rpm_ret rp_nfr get_sync)" 0 || return 1
	rpm_ret rp_nfr get_noresume >/dev/null || return 1
	echo clear >$DBG/events
	echo rp_nfr >$BUS/drivers/rpm_sim_drv/unbind || return 1
	out=$(ev rp_nfr driver remove exit)
	[ -n "$out" ] || fail "no ->remove exit record" || return 1
	expect "nfr at ->remove exit" "$(evval "$out" nfr)" 1 || return 1
	expect "counts (usage children depth)" "$(pm_counts rp_nfr)" "2 0 1" || return 1
	nfr=$(state rp_nfr needs_force_resume)
	rpm_ret rp_nfr put_noidle >/dev/null && rpm_ret rp_nfr put_noidle >/dev/null
	[ "$nfr" = 0 ] && return 0
	fail "needs_force_resume $nfr after the unbind, want 0: the kernel lacks 89d9cec3b1e9"
}
