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

struct rsim_verdict {
	char *why;
	size_t len;
	int bad;
	bool removed;		/* no_callback_after_remove: since ->remove returned */
	bool hw_on;		/* unbound: the last successful runtime callback resumed */
};

static __printf(2, 3) void rsim_flag(struct rsim_verdict *v, const char *fmt, ...)
{
	va_list args;

	if (v->bad++)
		return;
	va_start(args, fmt);
	vscnprintf(v->why, v->len, fmt, args);
	va_end(args);
}

static bool rsim_is_driver_cb(const struct rsim_event *e)
{
	return e->layer == RSIM_L_DRIVER &&
	       (e->phase == RSIM_P_ENTER || e->phase == RSIM_P_EXIT) &&
	       e->type >= RSIM_EV_RUNTIME_SUSPEND && e->type <= RSIM_EV_COMPLETE;
}

static bool rsim_after_remove_one(const struct rsim_event *e, void *data)
{
	struct rsim_verdict *v = data;

	if (e->layer == RSIM_L_DRIVER && e->type == RSIM_EV_REMOVE &&
	    e->phase == RSIM_P_EXIT)
		v->removed = true;
	else if (e->layer == RSIM_L_DRIVER && e->type == RSIM_EV_PROBE &&
		 e->phase == RSIM_P_ENTER)
		v->removed = false;
	else if (v->removed && (rsim_is_driver_cb(e) || e->type == RSIM_EV_WORK))
		rsim_flag(v, "%s: %s %s at seq %llu after ->remove returned", e->dev,
			  rsim_ev_name(e->type),
			  e->phase == RSIM_P_EXIT ? "still running" : "entered", e->seq);
	return false;
}

/**
 * rsim_check_no_callback_after_remove() - RM-3/RM-4/AG-5 checker
 * @rsim: the device
 * @since: only look at records from this mark on
 * @why: what the first violation was
 * @len: size of @why
 *
 * A violation is a driver callback entered or still running (its exit
 * recorded), or the device's work run, after the driver's ->remove
 * returned and before its next ->probe.
 *
 * Return: the number of violations, or -EOVERFLOW.
 */
int rsim_check_no_callback_after_remove(struct rsim_dev *rsim, u64 since,
					char *why, size_t len)
{
	struct rsim_ev_filter f = { .dev = rsim->name, .type = -1, .layer = -1,
				    .phase = -1, .since = since };
	struct rsim_verdict v = { .why = why, .len = len };
	int ret = rsim_evlog_walk(&f, rsim_after_remove_one, &v);

	return ret < 0 ? ret : v.bad;
}
EXPORT_SYMBOL_GPL(rsim_check_no_callback_after_remove);

static bool rsim_hw_one(const struct rsim_event *e, void *data)
{
	struct rsim_verdict *v = data;

	if (e->phase != RSIM_P_EXIT || e->ret)
		return false;
	if (e->type == RSIM_EV_RUNTIME_RESUME)
		v->hw_on = true;
	else if (e->type == RSIM_EV_RUNTIME_SUSPEND)
		v->hw_on = false;
	return false;
}

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
 * a request or timer still pending, and the hardware left on: status
 * suspended while the driver's last successful runtime callback was a
 * resume (the put() instead of put_sync() before disable in ->remove).
 *
 * Return: the number of violations, or -EOVERFLOW.
 */
int rsim_check_unbound(struct rsim_dev *rsim, u64 since, int usage,
		       char *why, size_t len)
{
	struct rsim_ev_filter f = { .dev = rsim->name, .type = -1,
				    .layer = RSIM_L_DRIVER, .phase = -1, .since = since };
	struct rsim_verdict v = { .why = why, .len = len };
	struct rsim_pm_state st;
	int ret;

	rsim_pm_snapshot(rsim->dev, &st);
	ret = rsim_evlog_walk(&f, rsim_hw_one, &v);
	if (ret < 0)
		return ret;
	if (!st.disable_depth)
		rsim_flag(&v, "%s: runtime PM left enabled after unbind", rsim->name);
	if (st.usage_count != usage)
		rsim_flag(&v, "%s: usage_count %d, expected %d (leaked reference)",
			  rsim->name, st.usage_count, usage);
	if (st.irq_safe)
		rsim_flag(&v, "%s: irq_safe left set after unbind", rsim->name);
	if (st.request_pending || st.timer_armed)
		rsim_flag(&v, "%s: a runtime PM request or timer still pending", rsim->name);
	if (v.hw_on && st.runtime_status == RPM_SUSPENDED)
		rsim_flag(&v, "%s: suspended, yet last resumed (hardware left on)",
			  rsim->name);
	return v.bad;
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
