// SPDX-License-Identifier: GPL-2.0
/*
 * The rpm_sim bus's middle layer: its dev_pm_ops, which record their entry
 * and exit in the bus layer and call the driver's callback as a real
 * subsystem does, and the bus's switches. With break_ss2 set, ->suspend
 * powers the device off before the driver's ->suspend runs: the mistake
 * contract SS-2 forbids, there to show the test sees it.
 */
#include <linux/pm_runtime.h>
#include <linux/export.h>

#include "internal.h"

static DEFINE_SPINLOCK(rsim_bus_opts_lock);
static struct rsim_bus_opts rsim_opts;

/**
 * rsim_bus_set_opts() - set the rpm_sim bus's subsystem choices
 * @opts: the new switches
 */
void rsim_bus_set_opts(const struct rsim_bus_opts *opts)
{
	spin_lock(&rsim_bus_opts_lock);
	rsim_opts = *opts;
	spin_unlock(&rsim_bus_opts_lock);
}
EXPORT_SYMBOL_GPL(rsim_bus_set_opts);

void rsim_bus_get_opts(struct rsim_bus_opts *opts)
{
	spin_lock(&rsim_bus_opts_lock);
	*opts = rsim_opts;
	spin_unlock(&rsim_bus_opts_lock);
}

static int rsim_bus_dispatch(struct device *dev, enum rsim_ev ev, size_t off)
{
	/* Once: device_unbind_cleanup() may clear it under our feet. */
	const struct device_driver *drv = READ_ONCE(dev->driver);
	struct rsim_dev *rsim = rsim_from_dev(dev);
	struct rsim_bus_opts opts;
	int ret;

	if (ev == RSIM_EV_SUSPEND) {
		rsim_bus_get_opts(&opts);
		if (opts.break_ss2) {
			/* The SS-2 violation: the bus cuts power behind the driver. */
			WRITE_ONCE(rsim->hw_off, true);
			rsim_log(rsim, ev, RSIM_L_BUS, RSIM_P_MARK, 0, 1);
		}
	} else if (ev == RSIM_EV_RESUME) {
		WRITE_ONCE(rsim->hw_off, false);
	}
	rsim_log(rsim, ev, RSIM_L_BUS, RSIM_P_ENTER, 0, 0);
	ret = rsim_pm_call(drv ? drv->pm : NULL, off, dev);
	rsim_log(rsim, ev, RSIM_L_BUS, RSIM_P_EXIT, ret, 0);
	return ret;
}

RSIM_DEFINE_PM_CALLBACKS(rsim_bus);

const struct dev_pm_ops rsim_bus_pm_ops = RSIM_PM_OPS_INIT(rsim_bus);
