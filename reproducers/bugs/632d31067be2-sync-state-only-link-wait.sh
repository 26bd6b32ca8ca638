# SPDX-License-Identifier: GPL-2.0
# Fix: 632d31067be2 ("PM: sleep: Do not wait on SYNC_STATE_ONLY device
#   links", v6.18; Fixes: 05ef983e0d65)
# Mechanism: a SYNC_STATE_ONLY link may close a cycle (device_link_add()
#   neither refuses nor reorders it), yet system sleep waited on it like on
#   any link: the parent waited for its child, the child for its parent.
# Lacking: stock-6.1 stock-6.12 (6.1.192's and 6.12.118's
#   dpm_wait_for_suppliers() wait on every link that is not DORMANT; on 6.1,
#   whose dpm_resume() starts an async device only when its walk reaches it,
#   the hang also needs the parent's async resume to look at its child after
#   the walk re-armed the child's completion. That was a race, lost once in
#   CI: the grandparent's ->resume (resume_waits_subtree) now holds the
#   parent's resume until the child's has begun, on every kernel.)
# Symptom: system sleep stuck

repro_devs="rp_sso_kid rp_sso_par rp_sso_gp"

# The rpm_sim watchdog's count of stuck suspends.
sleep_stuck() {
	kv_read $DBG/stats sleep_stuck && echo "$kv_sleep_stuck"
}

repro() {
	# The parent: no driver, resumed asynchronously; its child: bound and
	# resumed in list order. The link makes the parent its child's consumer.
	# The grandparent, async too, holds its ->resume, and so its child's,
	# until the resume of every device below it has begun.
	new_dev "rp_sso_gp async_suspend=1 resume_waits_subtree=1" || return 1
	new_dev "rp_sso_par parent=rp_sso_gp bind=0 async_suspend=1" || return 1
	new_dev "rp_sso_kid parent=rp_sso_par probe=get_put" || return 1
	wait_status rp_sso_kid suspended || return 1
	echo "rp_sso_par rp_sso_kid sync_state_only=1" >$BUS/new_link || return 1
	stuck=$(sleep_stuck)
	[ -n "$stuck" ] || fail "no sleep_stuck in $DBG/stats" || return 1
	sleep_cycle devices || return 1
	held=$(ev rp_sso_gp harness subtree_resuming mark)
	[ "$(evval "$held" ret)" = 0 ] ||
		fail "rp_sso_gp's ->resume did not see its subtree's resume begin" \
			"('$held'): nothing was checked" ||
		return 1
	[ "$(sleep_stuck)" = "$stuck" ] ||
		fail "resume hung: rp_sso_par waited for its supplier rp_sso_kid through a SYNC_STATE_ONLY link and rp_sso_kid for its parent, until rpm_sim's watchdog ended the waits: the kernel lacks 632d31067be2"
}
