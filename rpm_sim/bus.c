// SPDX-License-Identifier: GPL-2.0
/*
 * The rpm_sim bus: match, probe, remove and shutdown that record themselves
 * and delegate to the driver the way a real subsystem does, and its two
 * drivers, one probing synchronously, one asynchronously. Its middle-layer
 * dev_pm_ops are in bus_pm.c.
 */
#include <linux/module.h>
#include <linux/pm_domain.h>

#include "internal.h"

static struct device_driver rsim_sim_driver;
static struct device_driver rsim_sim_async_driver;

/* Each device has one driver: the synchronous or the asynchronous one. */
static int rsim_bus_match(struct device *dev, rsim_const_drv struct device_driver *drv)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);

	if (!rsim || drv != (rsim->async_probe ? &rsim_sim_async_driver : &rsim_sim_driver))
		return 0;
	return rsim_match_answer(rsim);
}

static int rsim_bus_probe(struct device *dev)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);
	int ret;

	rsim_log(rsim, RSIM_EV_PROBE, RSIM_L_BUS, RSIM_P_ENTER, 0, 0);
	ret = rsim_drv_probe(rsim);
	rsim_log(rsim, RSIM_EV_PROBE, RSIM_L_BUS, RSIM_P_EXIT, ret, 0);
	return ret;
}

/*
 * With hold_rpm_across_remove the bus does what PCI does in
 * pci_device_remove(): the driver's ->remove runs with the device resumed
 * and a usage reference held, dropped with put_noidle afterwards.
 */
static void rsim_bus_remove(struct device *dev)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);
	struct rsim_bus_opts opts;

	rsim_bus_get_opts(&opts);
	rsim_log(rsim, RSIM_EV_REMOVE, RSIM_L_BUS, RSIM_P_ENTER, 0, 0);
	if (opts.hold_rpm_across_remove)
		rsim_rpm_in(rsim, RSIM_EV_RPM_GET_SYNC, RSIM_L_BUS);
	rsim_drv_remove(rsim);
	if (opts.hold_rpm_across_remove)
		rsim_rpm_in(rsim, RSIM_EV_RPM_PUT_NOIDLE, RSIM_L_BUS);
	rsim_log(rsim, RSIM_EV_REMOVE, RSIM_L_BUS, RSIM_P_EXIT, 0, 0);
}

static void rsim_bus_shutdown(struct device *dev)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);

	if (!READ_ONCE(dev->driver))
		return;
	rsim_log(rsim, RSIM_EV_SHUTDOWN, RSIM_L_BUS, RSIM_P_ENTER, 0, 0);
	rsim_async_shutdown_dispatch(rsim);
	rsim_log(rsim, RSIM_EV_SHUTDOWN, RSIM_L_BUS, RSIM_P_EXIT, 0, 0);
}

rsim_bus_type rsim_bus = {
	.name = "rpm_sim",
	.match = rsim_bus_match,
	.probe = rsim_bus_probe,
	.remove = rsim_bus_remove,
	.shutdown = rsim_bus_shutdown,
	.pm = &rsim_bus_pm_ops,
};

/* The bus's drivers; their callbacks are reached through the bus. */
static struct device_driver rsim_sim_driver = {
	.name = RSIM_SIM_DRV,
	.bus = &rsim_bus,
	.pm = &rsim_drv_pm_ops,
	.owner = THIS_MODULE,
};

/* The same driver, probing asynchronously: the async attach paths. */
static struct device_driver rsim_sim_async_driver = {
	.name = RSIM_SIM_ASYNC_DRV,
	.bus = &rsim_bus,
	.pm = &rsim_drv_pm_ops,
	.owner = THIS_MODULE,
	.probe_type = PROBE_PREFER_ASYNCHRONOUS,
};

int rsim_bus_driver_register(void)
{
	int ret = driver_register(&rsim_sim_driver);

	if (ret)
		return ret;
	ret = driver_register(&rsim_sim_async_driver);
	if (ret)
		driver_unregister(&rsim_sim_driver);
	return ret;
}

void rsim_bus_driver_unregister(void)
{
	driver_unregister(&rsim_sim_async_driver);
	driver_unregister(&rsim_sim_driver);
}

/*
 * Register the device of @rsim on its bus, the rpm_sim bus or the bare bus
 * (the embedded struct device); its release frees @rsim.
 */
int rsim_bus_add_device(struct rsim_dev *rsim)
{
	struct device *dev = &rsim->sim_dev;
	int ret;

	device_initialize(dev);
	dev->bus = rsim_bus_type_of(rsim->bus);
	dev->type = &rsim_sim_type;
	dev->release = rsim_sim_release;
	if (rsim->parent)
		dev->parent = rsim->parent->dev;
	rsim->dev = dev;
	ret = dev_set_name(dev, "%s", rsim->name);
	if (!ret) {
		if (rsim->pm_domain)
			dev_pm_domain_set(dev, &rsim_pm_domain);
		ret = device_add(dev);
	}
	return ret;
}

int rsim_bus_init(void)
{
	return bus_register(&rsim_bus);
}

void rsim_bus_exit(void)
{
	rsim_bus_unregister_wait(&rsim_bus);
}
