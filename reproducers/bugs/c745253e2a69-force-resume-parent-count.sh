# SPDX-License-Identifier: GPL-2.0
# Fix: c745253e2a69 ("PM: runtime: Fix unpaired parent child_count for
#   force_resume", v5.13; Fixes: 4918e1f87c5f, 2018)
# Mechanism: force_resume() asked again whether the device need not resume;
#   when the count fell in between, it skipped the resume that force_suspend()
#   had counted on, and the parent kept an active child for ever.
# Lacking: none (6.1.192 and 6.12.118 read needs_force_resume);
#   patches/fixes/6.12/revert-c745253e2a69.patch takes it out

repro_devs="rp_fr_kid rp_fr_par"

repro() {
	new_family rp_fr_par rp_fr_kid || return 1
	# Two users: force_suspend() cannot conclude the kid need not resume,
	# so it leaves the parent's count of active children alone.
	expect "kid get_sync" "$(rpm_ret rp_fr_kid get_sync)" 0 || return 1
	rpm_ret rp_fr_kid get_noresume >/dev/null || return 1
	expect "kid force_suspend" "$(rpm_ret rp_fr_kid force_suspend)" 0 || return 1
	expect "kid state needs_force_resume" "$(state rp_fr_kid needs_force_resume)" 1 ||
		return 1
	expect "parent counts (usage children depth)" "$(pm_counts rp_fr_par)" "0 1 0" ||
		return 1
	rpm_ret rp_fr_kid put_noidle >/dev/null && rpm_ret rp_fr_kid put_noidle >/dev/null ||
		return 1
	expect "kid force_resume" "$(rpm_ret rp_fr_kid force_resume)" 0 || return 1
	expect "kid counts (usage children depth)" "$(pm_counts rp_fr_kid)" "0 0 0" || return 1
	expect "kid state runtime_status" "$(state rp_fr_kid runtime_status)" active ||
		fail "force_resume() left the kid $(state rp_fr_kid runtime_status) with the parent's count of active children at $(pm_counts rp_fr_par | cut -d' ' -f2): the kernel lacks c745253e2a69" ||
		return 1
	rpm_ret rp_fr_kid idle >/dev/null
	wait_status rp_fr_kid suspended && wait_status rp_fr_par suspended || return 1
	expect "parent counts (usage children depth)" "$(pm_counts rp_fr_par)" "0 0 0"
}
