// SPDX-License-Identifier: GPL-2.0
/*
 * Checkers: the harness's verdict on a device's history and state. Each
 * returns how many violations it found and says what the first one was.
 * They exist to flag broken drivers and broken kernels alike, and the
 * suites prove they fire by running known-bad driver patterns through them.
 */
#include <linux/pm_runtime.h>
#include <linux/export.h>
#include <linux/string.h>

#include "internal.h"

static bool rsim_is_driver_cb(const struct rsim_event *e)
{
	return e->layer == RSIM_L_DRIVER && e->phase == RSIM_P_ENTER &&
	       e->type >= RSIM_EV_RUNTIME_SUSPEND && e->type <= RSIM_EV_COMPLETE;
}

/**
 * rsim_check_no_callback_after_remove() - RM-3/RM-4/AG-5 checker
 * @rsim: the device
 * @since: only look at records from this mark on
 * @why: what the first violation was
 * @len: size of @why
 *
 * A violation is a driver callback entered, or the device's work run,
 * after the driver's ->remove returned and before its next ->probe.
 *
 * Return: the number of violations.
 */
int rsim_check_no_callback_after_remove(struct rsim_dev *rsim, u64 since,
					char *why, size_t len)
{
	bool removed = false;
	struct rsim_event e;
	int bad = 0;
	u64 i;

	for (i = 0; rsim_evlog_get(i, &e, NULL); i++) {
		if (e.seq < since || strcmp(e.dev, rsim->name))
			continue;
		if (e.layer == RSIM_L_DRIVER && e.type == RSIM_EV_REMOVE &&
		    e.phase == RSIM_P_EXIT)
			removed = true;
		else if (e.layer == RSIM_L_DRIVER && e.type == RSIM_EV_PROBE &&
			 e.phase == RSIM_P_ENTER)
			removed = false;
		else if (removed && (rsim_is_driver_cb(&e) || e.type == RSIM_EV_WORK)) {
			if (!bad++)
				scnprintf(why, len, "%s: %s at seq %llu after ->remove",
					  rsim->name, rsim_ev_name(e.type), e.seq);
		}
	}
	return bad;
}
EXPORT_SYMBOL_GPL(rsim_check_no_callback_after_remove);

/**
 * rsim_check_unbound() - the state an unbound device must be left in
 * @rsim: the device, unbound
 * @since: the mark taken before the binding being checked
 * @usage: the usage_count expected (the references the test holds)
 * @why: what the first violation was
 * @len: size of @why
 *
 * Violations: runtime PM left enabled (driver forgot pm_runtime_disable()),
 * a usage_count other than @usage (a leaked reference), irq_safe left set,
 * a request still pending, and the hardware left on: status suspended
 * while the driver's last successful runtime callback was a resume (the
 * put() instead of put_sync() before disable in ->remove).
 *
 * Return: the number of violations.
 */
int rsim_check_unbound(struct rsim_dev *rsim, u64 since, int usage,
		       char *why, size_t len)
{
	struct rsim_pm_state st;
	struct rsim_event e;
	bool hw_on = false;
	int bad = 0;
	u64 i;

#define RSIM_FLAG(cond, fmt, ...)					\
	do {								\
		if ((cond) && !bad++)					\
			scnprintf(why, len, "%s: " fmt, rsim->name, ##__VA_ARGS__); \
	} while (0)

	rsim_pm_snapshot(rsim->dev, &st);
	for (i = 0; rsim_evlog_get(i, &e, NULL); i++) {
		if (e.seq < since || strcmp(e.dev, rsim->name) ||
		    e.layer != RSIM_L_DRIVER || e.phase != RSIM_P_EXIT || e.ret)
			continue;
		if (e.type == RSIM_EV_RUNTIME_RESUME)
			hw_on = true;
		else if (e.type == RSIM_EV_RUNTIME_SUSPEND)
			hw_on = false;
	}

	RSIM_FLAG(!st.disable_depth, "runtime PM left enabled after unbind");
	RSIM_FLAG(st.usage_count != usage, "usage_count %d, expected %d (leaked reference)",
		  st.usage_count, usage);
	RSIM_FLAG(st.irq_safe, "irq_safe left set after unbind");
	RSIM_FLAG(st.request_pending, "a runtime PM request still pending");
	RSIM_FLAG(hw_on && st.runtime_status == RPM_SUSPENDED,
		  "status suspended but the driver's last runtime callback was a resume (hardware left on)");
#undef RSIM_FLAG
	return bad;
}
EXPORT_SYMBOL_GPL(rsim_check_unbound);

/**
 * rsim_check_usage() - a device's usage_count against a baseline
 * @rsim: the device
 * @usage: the expected usage_count
 * @why: what is wrong
 * @len: size of @why
 *
 * Return: 1 when it differs (a leak or an underflow), else 0.
 */
int rsim_check_usage(struct rsim_dev *rsim, int usage, char *why, size_t len)
{
	struct rsim_pm_state st;

	rsim_pm_snapshot(rsim->dev, &st);
	if (st.usage_count == usage)
		return 0;
	scnprintf(why, len, "%s: usage_count %d, baseline %d (%s)", rsim->name,
		  st.usage_count, usage, st.usage_count > usage ? "leak" : "underflow");
	return 1;
}
EXPORT_SYMBOL_GPL(rsim_check_usage);
