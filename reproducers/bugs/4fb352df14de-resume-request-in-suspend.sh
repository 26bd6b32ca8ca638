# SPDX-License-Identifier: GPL-2.0
# Fix: 4fb352df14de ("PM: sleep: Do not flag runtime PM workqueue as
#   freezable", v7.0; a block-layer deadlock reported in 2025)
# Mechanism: pm_wq was frozen through system suspend, and the late phase's
#   __pm_runtime_disable(dev, false) cancelled what it still held: a resume
#   a driver asked for in ->suspend never happened, and a waiter hung.
# Lacking: stock-6.1 stock-6.12 (6.1.192 and 6.12.118 allocate pm_wq
#   WQ_FREEZABLE and call __pm_runtime_disable(dev, false) in the late phase)

repro_devs="rp_wq"

repro() {
	new_dev "rp_wq probe=get_put suspend_calls_get=1" || return 1
	wait_status rp_wq suspended || return 1
	counts=$(pm_counts rp_wq)
	echo clear >$DBG/events
	sleep_cycle platform || return 1
	g=$(ev rp_wq driver pm_runtime_get call)
	late=$(ev rp_wq driver suspend_late enter)
	[ -n "$g" ] && [ -n "$late" ] ||
		fail "no pm_runtime_get() in ->suspend or no ->suspend_late: '$g' '$late'" ||
		return 1
	expect "pm_runtime_get() in ->suspend" "$(evval "$g" ret)" 0 || return 1
	# ->complete's put drops the reference again, whatever happened.
	wait_status rp_wq suspended || return 1
	expect "counts (usage children depth) after the cycle" "$(pm_counts rp_wq)" "$counts" ||
		return 1
	r=$(ev rp_wq driver runtime_resume enter)
	before "$g" "$r" && before "$r" "$late" && [ "$(evval "$late" status)" = active ] &&
		return 0
	fail "the resume pm_runtime_get() asked for in ->suspend had not run by ->suspend_late (status $(evval "$late" status), pending $(evval "$late" pending); ->runtime_resume: '$r'): the kernel lacks 4fb352df14de"
}
