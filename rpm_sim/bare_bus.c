// SPDX-License-Identifier: GPL-2.0
/*
 * The bare bus: a bus with no PM callbacks of its own (no dev_pm_ops, no
 * legacy ->suspend or ->resume) and no ->probe, ->remove or ->shutdown.
 * Its driver brings its own, so the driver core calls the driver's
 * ->probe and ->remove itself, and the PM core the driver's dev_pm_ops,
 * or the rpm_sim PM domain's, which call the driver's. Without a driver
 * and without the domain, a device here has no PM callbacks at all: the
 * PM core's no_pm_callbacks case, which device_pm_check_callbacks() must
 * revise at each bind and unbind.
 */
#include <linux/module.h>

#include "internal.h"

static struct device_driver rsim_bare_driver;

static int rsim_bare_match(struct device *dev, rsim_const_drv struct device_driver *drv)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);

	if (!rsim || drv != &rsim_bare_driver)
		return 0;
	return rsim_match_answer(rsim);
}

static int rsim_bare_probe(struct device *dev)
{
	return rsim_drv_probe(rsim_from_dev(dev));
}

static int rsim_bare_remove(struct device *dev)
{
	rsim_drv_remove(rsim_from_dev(dev));
	return 0;
}

static void rsim_bare_shutdown(struct device *dev)
{
	rsim_async_shutdown_dispatch(rsim_from_dev(dev));
}

rsim_bus_type rsim_bare_bus = {
	.name = "rpm_sim_bare",
	.match = rsim_bare_match,
};

static struct device_driver rsim_bare_driver = {
	.name = RSIM_BARE_DRV,
	.bus = &rsim_bare_bus,
	.pm = &rsim_drv_pm_ops,
	.owner = THIS_MODULE,
	.probe = rsim_bare_probe,
	.remove = rsim_bare_remove,
	.shutdown = rsim_bare_shutdown,
};

int rsim_bare_driver_register(void)
{
	return driver_register(&rsim_bare_driver);
}

void rsim_bare_driver_unregister(void)
{
	driver_unregister(&rsim_bare_driver);
}

int rsim_bare_bus_init(void)
{
	return bus_register(&rsim_bare_bus);
}

void rsim_bare_bus_exit(void)
{
	rsim_bus_unregister_wait(&rsim_bare_bus);
}
