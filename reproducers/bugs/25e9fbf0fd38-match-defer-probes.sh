# SPDX-License-Identifier: GPL-2.0
# Fix: 25e9fbf0fd38 ("driver core: Don't probe devices after
#   bus_type.match() probe deferral", v6.0; Fixes: 656b8035b0ee, 2016)
# Mechanism: a bus ->match answering -EPROBE_DEFER put the device on the
#   deferred list, and the attach then probed it all the same, at once.
# Lacking: none (6.1.192 and 6.12.118 return after the deferral);
#   patches/fixes/6.12/revert-25e9fbf0fd38.patch takes it out

repro_devs="rp_md rp_md_trig"

repro() {
	deferred=/sys/kernel/debug/devices_deferred
	[ -r $deferred ] || fail "no $deferred" || return 1
	new_dev "rp_md match_defer=1" || return 1
	# No retry in flight: what the list says now stays so.
	echo settle >$DBG/drivers || return 1
	probes=$(state rp_md probe_count)
	grep -q "^rp_md[[:space:]]" $deferred ||
		fail "rp_md is not on the deferred list after ->match asked for deferral" ||
		return 1
	[ "$probes" = 0 ] && [ ! -e "$(dev_path rp_md)/driver" ] ||
		fail "rp_md probed $probes times although ->match asked for deferral: the kernel lacks 25e9fbf0fd38" ||
		return 1
	# Once its match says yes, the next retry (a bind triggers it) binds it.
	echo "match_defer=0" >$DBG/devices/rp_md/behaviour || return 1
	new_dev rp_md_trig || return 1
	echo settle >$DBG/drivers || return 1
	[ -e "$(dev_path rp_md)/driver" ] || fail "rp_md not bound by the retry" || return 1
	expect "probe_count after the retry" "$(state rp_md probe_count)" 1
}
