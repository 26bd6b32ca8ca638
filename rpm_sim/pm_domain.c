// SPDX-License-Identifier: GPL-2.0
/*
 * The rpm_sim PM domain. Like genpd, its callbacks take precedence over the
 * bus's and call on down: the bus's callback when the bus has one, else the
 * driver's. Each records itself in the domain layer, which is how RI-1 sees
 * the domain's ->runtime_resume run again on a retried probe.
 */
#include <linux/pm_domain.h>

#include "internal.h"

static int rsim_pd_dispatch(struct device *dev, enum rsim_ev ev, size_t off)
{
	/* Once: device_unbind_cleanup() may clear it under our feet. */
	const struct device_driver *drv = READ_ONCE(dev->driver);
	const struct dev_pm_ops *next = dev->bus ? dev->bus->pm : NULL;
	struct rsim_dev *rsim = rsim_from_dev(dev);
	int ret;

	if (!rsim_pm_has(next, off))
		next = drv ? drv->pm : NULL;
	rsim_log(rsim, ev, RSIM_L_DOMAIN, RSIM_P_ENTER, 0, 0);
	ret = rsim_pm_call(next, off, dev);
	rsim_log(rsim, ev, RSIM_L_DOMAIN, RSIM_P_EXIT, ret, 0);
	return ret;
}

RSIM_DEFINE_PM_CALLBACKS(rsim_pd);

/*
 * The driver core's hooks around a binding (really_probe() and
 * device_unbind_cleanup()): ->activate before ->probe, ->sync once the
 * probe succeeded, ->dismiss after a failed probe or ->remove, before the
 * runtime PM re-init. Logged with the state of the moment, and followed by
 * the device's lifecycle.
 */
static int rsim_pd_activate(struct device *dev)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);
	struct rsim_behaviour b;

	rsim_behaviour_get(rsim, &b);
	rsim_log(rsim, RSIM_EV_PD_ACTIVATE, RSIM_L_DOMAIN, RSIM_P_CALL, b.activate_err, 0);
	rsim_lc_domain(rsim, RSIM_EV_PD_ACTIVATE);
	return b.activate_err;
}

static void rsim_pd_sync(struct device *dev)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);

	rsim_log(rsim, RSIM_EV_PD_SYNC, RSIM_L_DOMAIN, RSIM_P_CALL, 0, 0);
	rsim_lc_domain(rsim, RSIM_EV_PD_SYNC);
}

static void rsim_pd_dismiss(struct device *dev)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);

	rsim_log(rsim, RSIM_EV_PD_DISMISS, RSIM_L_DOMAIN, RSIM_P_CALL, 0, 0);
	rsim_lc_domain(rsim, RSIM_EV_PD_DISMISS);
}

struct dev_pm_domain rsim_pm_domain = {
	.ops = RSIM_PM_OPS_INIT(rsim_pd),
	.activate = rsim_pd_activate,
	.sync = rsim_pd_sync,
	.dismiss = rsim_pd_dismiss,
};
