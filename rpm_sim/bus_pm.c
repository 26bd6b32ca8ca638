// SPDX-License-Identifier: GPL-2.0
/*
 * The rpm_sim bus's middle layer dev_pm_ops. Each callback records its
 * entry and exit in the bus layer and calls the driver's callback, as a real
 * subsystem does. With break_ss2 set, ->suspend powers the device off before
 * the driver's ->suspend runs, the mistake contract SS-2 forbids.
 */
#include <linux/pm_runtime.h>

#include "internal.h"

static void *rsim_drv_cb(struct device *dev, size_t off)
{
	const struct dev_pm_ops *pm = dev->driver ? dev->driver->pm : NULL;

	return pm ? *(void **)((const char *)pm + off) : NULL;
}

static int rsim_bus_cb(struct device *dev, enum rsim_ev ev, size_t off)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);
	int (*cb)(struct device *dev);
	int ret = 0;

	cb = rsim_drv_cb(dev, off);

	rsim_log(rsim, ev, RSIM_L_BUS, RSIM_P_ENTER, 0, 0);
	if (cb)
		ret = cb(dev);
	rsim_log(rsim, ev, RSIM_L_BUS, RSIM_P_EXIT, ret, 0);
	return ret;
}

#define RSIM_BUS_PM_OP(fn, ev)						\
static int rsim_bus_##fn(struct device *dev)				\
{									\
	return rsim_bus_cb(dev, ev, offsetof(const struct dev_pm_ops, fn));	\
}

RSIM_BUS_PM_OP(runtime_suspend, RSIM_EV_RUNTIME_SUSPEND)
RSIM_BUS_PM_OP(runtime_resume, RSIM_EV_RUNTIME_RESUME)
RSIM_BUS_PM_OP(runtime_idle, RSIM_EV_RUNTIME_IDLE)
RSIM_BUS_PM_OP(prepare, RSIM_EV_PREPARE)
RSIM_BUS_PM_OP(suspend_late, RSIM_EV_SUSPEND_LATE)
RSIM_BUS_PM_OP(suspend_noirq, RSIM_EV_SUSPEND_NOIRQ)
RSIM_BUS_PM_OP(resume_noirq, RSIM_EV_RESUME_NOIRQ)
RSIM_BUS_PM_OP(resume_early, RSIM_EV_RESUME_EARLY)

static int rsim_bus_suspend(struct device *dev)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);
	struct rsim_bus_opts opts;

	rsim_bus_get_opts(&opts);
	if (opts.break_ss2) {
		/* The SS-2 violation: the bus cuts power behind the driver. */
		WRITE_ONCE(rsim->hw_off, true);
		rsim_log(rsim, RSIM_EV_SUSPEND, RSIM_L_BUS, RSIM_P_MARK, 0, 1);
	}
	return rsim_bus_cb(dev, RSIM_EV_SUSPEND, offsetof(const struct dev_pm_ops, suspend));
}

static int rsim_bus_resume(struct device *dev)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);

	WRITE_ONCE(rsim->hw_off, false);
	return rsim_bus_cb(dev, RSIM_EV_RESUME, offsetof(const struct dev_pm_ops, resume));
}

static void rsim_bus_complete(struct device *dev)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);
	void (*cb)(struct device *dev) = NULL;

	if (dev->driver && dev->driver->pm)
		cb = dev->driver->pm->complete;
	rsim_log(rsim, RSIM_EV_COMPLETE, RSIM_L_BUS, RSIM_P_ENTER, 0, 0);
	if (cb)
		cb(dev);
	rsim_log(rsim, RSIM_EV_COMPLETE, RSIM_L_BUS, RSIM_P_EXIT, 0, 0);
}

const struct dev_pm_ops rsim_bus_pm_ops = {
	.prepare = rsim_bus_prepare,
	.complete = rsim_bus_complete,
	.suspend = rsim_bus_suspend,
	.resume = rsim_bus_resume,
	.freeze = rsim_bus_suspend,
	.thaw = rsim_bus_resume,
	.poweroff = rsim_bus_suspend,
	.restore = rsim_bus_resume,
	.suspend_late = rsim_bus_suspend_late,
	.resume_early = rsim_bus_resume_early,
	.freeze_late = rsim_bus_suspend_late,
	.thaw_early = rsim_bus_resume_early,
	.poweroff_late = rsim_bus_suspend_late,
	.restore_early = rsim_bus_resume_early,
	.suspend_noirq = rsim_bus_suspend_noirq,
	.resume_noirq = rsim_bus_resume_noirq,
	.freeze_noirq = rsim_bus_suspend_noirq,
	.thaw_noirq = rsim_bus_resume_noirq,
	.poweroff_noirq = rsim_bus_suspend_noirq,
	.restore_noirq = rsim_bus_resume_noirq,
	.runtime_suspend = rsim_bus_runtime_suspend,
	.runtime_resume = rsim_bus_runtime_resume,
	.runtime_idle = rsim_bus_runtime_idle,
};
