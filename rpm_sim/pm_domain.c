// SPDX-License-Identifier: GPL-2.0
/*
 * The rpm_sim PM domain. Like genpd, its callbacks take precedence over the
 * bus's and call on down: the bus's callback when the bus has one, else the
 * driver's. Each records itself in the domain layer, which is how RI-1 sees
 * the domain's ->runtime_resume run again on a retried probe.
 */
#include <linux/pm_runtime.h>

#include "internal.h"

static void *rsim_pm_op(const struct dev_pm_ops *pm, size_t off)
{
	return pm ? *(void **)((const char *)pm + off) : NULL;
}

/* The callback below the domain: the bus's, else the driver's. */
static void *rsim_pd_next(struct device *dev, size_t off)
{
	void *cb = dev->bus ? rsim_pm_op(dev->bus->pm, off) : NULL;

	if (!cb && dev->driver)
		cb = rsim_pm_op(dev->driver->pm, off);
	return cb;
}

static int rsim_pd_cb(struct device *dev, enum rsim_ev ev, size_t off)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);
	int (*cb)(struct device *dev);
	int ret = 0;

	cb = rsim_pd_next(dev, off);

	rsim_ev(rsim, dev, ev, RSIM_L_DOMAIN, RSIM_P_ENTER, 0, 0);
	if (cb)
		ret = cb(dev);
	rsim_ev(rsim, dev, ev, RSIM_L_DOMAIN, RSIM_P_EXIT, ret, 0);
	return ret;
}

#define RSIM_PD_OP(fn, ev)						\
static int rsim_pd_##fn(struct device *dev)				\
{									\
	return rsim_pd_cb(dev, ev, offsetof(const struct dev_pm_ops, fn));	\
}

RSIM_PD_OP(runtime_suspend, RSIM_EV_RUNTIME_SUSPEND)
RSIM_PD_OP(runtime_resume, RSIM_EV_RUNTIME_RESUME)
RSIM_PD_OP(runtime_idle, RSIM_EV_RUNTIME_IDLE)
RSIM_PD_OP(prepare, RSIM_EV_PREPARE)
RSIM_PD_OP(suspend, RSIM_EV_SUSPEND)
RSIM_PD_OP(suspend_late, RSIM_EV_SUSPEND_LATE)
RSIM_PD_OP(suspend_noirq, RSIM_EV_SUSPEND_NOIRQ)
RSIM_PD_OP(resume_noirq, RSIM_EV_RESUME_NOIRQ)
RSIM_PD_OP(resume_early, RSIM_EV_RESUME_EARLY)
RSIM_PD_OP(resume, RSIM_EV_RESUME)

static void rsim_pd_complete(struct device *dev)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);
	void (*cb)(struct device *dev);

	cb = rsim_pd_next(dev, offsetof(const struct dev_pm_ops, complete));
	rsim_ev(rsim, dev, RSIM_EV_COMPLETE, RSIM_L_DOMAIN, RSIM_P_ENTER, 0, 0);
	if (cb)
		cb(dev);
	rsim_ev(rsim, dev, RSIM_EV_COMPLETE, RSIM_L_DOMAIN, RSIM_P_EXIT, 0, 0);
}

struct dev_pm_domain rsim_pm_domain = {
	.ops = {
		.prepare = rsim_pd_prepare,
		.complete = rsim_pd_complete,
		.suspend = rsim_pd_suspend,
		.resume = rsim_pd_resume,
		.freeze = rsim_pd_suspend,
		.thaw = rsim_pd_resume,
		.poweroff = rsim_pd_suspend,
		.restore = rsim_pd_resume,
		.suspend_late = rsim_pd_suspend_late,
		.resume_early = rsim_pd_resume_early,
		.freeze_late = rsim_pd_suspend_late,
		.thaw_early = rsim_pd_resume_early,
		.poweroff_late = rsim_pd_suspend_late,
		.restore_early = rsim_pd_resume_early,
		.suspend_noirq = rsim_pd_suspend_noirq,
		.resume_noirq = rsim_pd_resume_noirq,
		.freeze_noirq = rsim_pd_suspend_noirq,
		.thaw_noirq = rsim_pd_resume_noirq,
		.poweroff_noirq = rsim_pd_suspend_noirq,
		.restore_noirq = rsim_pd_resume_noirq,
		.runtime_suspend = rsim_pd_runtime_suspend,
		.runtime_resume = rsim_pd_runtime_resume,
		.runtime_idle = rsim_pd_runtime_idle,
	},
};
