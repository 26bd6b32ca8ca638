// SPDX-License-Identifier: GPL-2.0
/*
 * The rpm_sim bus: match, probe, remove and shutdown that record themselves
 * and delegate to the driver the way a real subsystem does, its driver, a
 * notifier that records what the driver core announces (on this bus and on
 * the platform bus), and the bus attributes that create and delete devices.
 */
#include <linux/module.h>
#include <linux/pm_runtime.h>
#include <linux/platform_device.h>
#include <linux/notifier.h>
#include <linux/string.h>

#include "internal.h"
#include "compat.h"

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

/**
 * rsim_bus_get_opts() - read the rpm_sim bus's subsystem choices
 * @opts: where to store them
 */
void rsim_bus_get_opts(struct rsim_bus_opts *opts)
{
	spin_lock(&rsim_bus_opts_lock);
	*opts = rsim_opts;
	spin_unlock(&rsim_bus_opts_lock);
}
EXPORT_SYMBOL_GPL(rsim_bus_get_opts);

static struct device_driver rsim_sim_driver;
static struct device_driver rsim_sim_async_driver;

/* Each device has one driver: the synchronous or the asynchronous one. */
static int rsim_bus_match(struct device *dev, rsim_const_drv struct device_driver *drv)
{
	struct rsim_dev *rsim = rsim_from_dev(dev);

	if (!rsim || !READ_ONCE(rsim->bindable))
		return 0;
	return drv == (rsim->async_probe ? &rsim_sim_async_driver : &rsim_sim_driver);
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

	if (!dev->driver)
		return;
	rsim_log(rsim, RSIM_EV_SHUTDOWN, RSIM_L_BUS, RSIM_P_ENTER, 0, 0);
	rsim_shutdown_dispatch(rsim);
	rsim_log(rsim, RSIM_EV_SHUTDOWN, RSIM_L_BUS, RSIM_P_EXIT, 0, 0);
}

static ssize_t new_device_store(rsim_const_bus struct bus_type *bus, const char *buf, size_t count)
{
	int ret = rsim_dev_parse_new(buf);

	return ret ? ret : count;
}
static BUS_ATTR_WO(new_device);

static ssize_t del_device_store(rsim_const_bus struct bus_type *bus, const char *buf, size_t count)
{
	int ret = rsim_dev_parse_del(buf);

	return ret ? ret : count;
}
static BUS_ATTR_WO(del_device);

static ssize_t new_link_store(rsim_const_bus struct bus_type *bus, const char *buf, size_t count)
{
	int ret = rsim_link_parse(buf, true);

	return ret ? ret : count;
}
static BUS_ATTR_WO(new_link);

static ssize_t del_link_store(rsim_const_bus struct bus_type *bus, const char *buf, size_t count)
{
	int ret = rsim_link_parse(buf, false);

	return ret ? ret : count;
}
static BUS_ATTR_WO(del_link);

static struct attribute *rsim_bus_attrs[] = {
	&bus_attr_new_device.attr,
	&bus_attr_del_device.attr,
	&bus_attr_new_link.attr,
	&bus_attr_del_link.attr,
	NULL,
};
ATTRIBUTE_GROUPS(rsim_bus);

rsim_bus_type rsim_bus = {
	.name = "rpm_sim",
	.match = rsim_bus_match,
	.probe = rsim_bus_probe,
	.remove = rsim_bus_remove,
	.shutdown = rsim_bus_shutdown,
	.bus_groups = rsim_bus_groups,
	.pm = &rsim_bus_pm_ops,
};

/* The bus's drivers; their callbacks are reached through the bus. */
static struct device_driver rsim_sim_driver = {
	.name = "rpm_sim_drv",
	.bus = &rsim_bus,
	.pm = &rsim_drv_pm_ops,
	.owner = THIS_MODULE,
};

/* The same driver, probing asynchronously: the async attach paths. */
static struct device_driver rsim_sim_async_driver = {
	.name = "rpm_sim_drv_async",
	.bus = &rsim_bus,
	.pm = &rsim_drv_pm_ops,
	.owner = THIS_MODULE,
	.probe_type = PROBE_PREFER_ASYNCHRONOUS,
};

static int rsim_bus_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct device *dev = data;
	struct rsim_dev *rsim = rsim_from_dev(dev);

	if (!rsim)
		return NOTIFY_DONE;
	rsim_log(rsim, RSIM_EV_NOTIFY, RSIM_L_CORE, RSIM_P_MARK, 0, action);
	if (action == BUS_NOTIFY_UNBIND_DRIVER || action == BUS_NOTIFY_BIND_DRIVER)
		rsim_gate_pass(rsim, RSIM_GATE_NOTIFIER);
	return NOTIFY_OK;
}

static struct notifier_block rsim_sim_nb = { .notifier_call = rsim_bus_notify };
static struct notifier_block rsim_plat_nb = { .notifier_call = rsim_bus_notify };

static DEFINE_MUTEX(rsim_drv_lock);
static bool rsim_sim_registered;

static int rsim_sim_driver_register(void)
{
	int ret = 0;

	mutex_lock(&rsim_drv_lock);
	if (!rsim_sim_registered) {
		ret = driver_register(&rsim_sim_driver);
		if (!ret) {
			ret = driver_register(&rsim_sim_async_driver);
			if (ret)
				driver_unregister(&rsim_sim_driver);
		}
		rsim_sim_registered = !ret;
	}
	mutex_unlock(&rsim_drv_lock);
	return ret;
}

static void rsim_sim_driver_unregister(void)
{
	mutex_lock(&rsim_drv_lock);
	if (rsim_sim_registered) {
		driver_unregister(&rsim_sim_async_driver);
		driver_unregister(&rsim_sim_driver);
	}
	rsim_sim_registered = false;
	mutex_unlock(&rsim_drv_lock);
}

/**
 * rsim_driver_register() - register the simulated driver of @bus
 * @bus: which bus's driver
 *
 * Registering binds every bindable device without a driver: the
 * driver_register() -> driver_attach() path. Registering twice is a no-op.
 *
 * Return: 0 or what driver registration returned.
 */
int rsim_driver_register(enum rsim_bus_kind bus)
{
	return bus == RSIM_BUS_SIM ? rsim_sim_driver_register() :
	       rsim_platform_driver_register();
}
EXPORT_SYMBOL_GPL(rsim_driver_register);

/**
 * rsim_driver_unregister() - unregister the simulated driver of @bus
 * @bus: which bus's driver
 *
 * Unbinds every device it drives.
 */
void rsim_driver_unregister(enum rsim_bus_kind bus)
{
	if (bus == RSIM_BUS_SIM)
		rsim_sim_driver_unregister();
	else
		rsim_platform_driver_unregister();
}
EXPORT_SYMBOL_GPL(rsim_driver_unregister);

/**
 * rsim_driver_registered() - whether the driver of @bus is registered
 * @bus: which bus's driver
 */
bool rsim_driver_registered(enum rsim_bus_kind bus)
{
	bool ret;

	if (bus != RSIM_BUS_SIM)
		return rsim_platform_driver_registered();
	mutex_lock(&rsim_drv_lock);
	ret = rsim_sim_registered;
	mutex_unlock(&rsim_drv_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(rsim_driver_registered);

int rsim_bus_init(void)
{
	int ret;

	ret = bus_register(&rsim_bus);
	if (ret)
		return ret;
	ret = bus_register_notifier(&rsim_bus, &rsim_sim_nb);
	if (ret)
		goto err_bus;
	ret = bus_register_notifier(&platform_bus_type, &rsim_plat_nb);
	if (ret)
		goto err_sim_nb;
	ret = rsim_sim_driver_register();
	if (ret)
		goto err_plat_nb;
	return 0;

err_plat_nb:
	bus_unregister_notifier(&platform_bus_type, &rsim_plat_nb);
err_sim_nb:
	bus_unregister_notifier(&rsim_bus, &rsim_sim_nb);
err_bus:
	bus_unregister(&rsim_bus);
	return ret;
}

void rsim_bus_exit(void)
{
	rsim_sim_driver_unregister();
	bus_unregister_notifier(&platform_bus_type, &rsim_plat_nb);
	bus_unregister_notifier(&rsim_bus, &rsim_sim_nb);
	bus_unregister(&rsim_bus);
}
