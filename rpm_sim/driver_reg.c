// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated drivers' registration: one switch per bus, on at load,
 * which tests turn off and on again for the driver_unregister() ->
 * driver_detach() and driver_register() -> driver_attach() paths.
 */
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/export.h>
#include <linux/kernfs.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>

#include "internal.h"

struct rsim_driver_slot {
	int (*reg)(void);
	void (*unreg)(void);
	rsim_bus_type *bus;
	const char * const *names;	/* of its drivers, NULL-terminated */
	bool registered;
};

static const char * const rsim_sim_driver_names[] = {
	RSIM_SIM_DRV, RSIM_SIM_ASYNC_DRV, NULL
};

static const char * const rsim_plat_driver_names[] = { RSIM_PLAT_DRV, NULL };
static const char * const rsim_bare_driver_names[] = { RSIM_BARE_DRV, NULL };

static DEFINE_MUTEX(rsim_drv_lock);
static struct rsim_driver_slot rsim_drivers[RSIM_BUS_NR] = {
	[RSIM_BUS_SIM] = { rsim_bus_driver_register, rsim_bus_driver_unregister,
			   &rsim_bus, rsim_sim_driver_names },
	[RSIM_BUS_PLATFORM] = { rsim_platform_driver_register,
				rsim_platform_driver_unregister,
				&platform_bus_type, rsim_plat_driver_names },
	[RSIM_BUS_BARE] = { rsim_bare_driver_register, rsim_bare_driver_unregister,
			    &rsim_bare_bus, rsim_bare_driver_names },
};

#define RSIM_DRIVER_GONE_MS	10000

/*
 * A driver's sysfs directory outlives driver_unregister() until its
 * kobject is released, which DEBUG_KOBJECT_RELEASE delays by 1 to 4 s.
 * Registering the same name before then makes sysfs refuse it (with a
 * splat): wait, a bounded while, for the old directories to go.
 */
static int rsim_driver_wait_gone(const struct rsim_driver_slot *d)
{
	unsigned long end = jiffies + msecs_to_jiffies(RSIM_DRIVER_GONE_MS);
	struct kernfs_node *dir, *old;
	const char * const *name;
	int ret = 0;

	dir = kernfs_find_and_get(bus_get_kset(d->bus)->kobj.sd, "drivers");
	if (!dir)
		return 0;
	for (name = d->names; *name && !ret; name++) {
		while ((old = kernfs_find_and_get(dir, *name))) {
			kernfs_put(old);
			if (time_after(jiffies, end)) {
				pr_err("rpm_sim: driver %s still in sysfs after %d ms\n",
				       *name, RSIM_DRIVER_GONE_MS);
				ret = -EBUSY;
				break;
			}
			msleep(20);
		}
	}
	kernfs_put(dir);
	return ret;
}

/**
 * rsim_driver_register() - register the simulated driver of @bus
 * @bus: which bus's driver
 *
 * Registering binds every bindable device without a driver: the
 * driver_register() -> driver_attach() path. Registering twice is a no-op.
 *
 * Return: 0, -EINVAL for an unknown bus, or what registration returned.
 */
int rsim_driver_register(enum rsim_bus_kind bus)
{
	struct rsim_driver_slot *d;
	int ret = 0;

	if (bus >= RSIM_BUS_NR)
		return -EINVAL;
	d = &rsim_drivers[bus];
	mutex_lock(&rsim_drv_lock);
	if (!d->registered) {
		ret = rsim_driver_wait_gone(d);
		if (!ret)
			ret = d->reg();
		d->registered = !ret;
	}
	mutex_unlock(&rsim_drv_lock);
	return ret;
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
	struct rsim_driver_slot *d;

	if (bus >= RSIM_BUS_NR)
		return;
	d = &rsim_drivers[bus];
	mutex_lock(&rsim_drv_lock);
	if (d->registered)
		d->unreg();
	d->registered = false;
	mutex_unlock(&rsim_drv_lock);
}
EXPORT_SYMBOL_GPL(rsim_driver_unregister);

/**
 * rsim_dev_bind_without_probe() - bind @rsim with device_bind_driver()
 * @rsim: an unbound device
 *
 * As a driver binds a second device it claims from its own ->probe
 * (usb_driver_claim_interface()): rpm_sim sets the device's driver, its
 * bus's simulated driver, and the driver core records the binding with no
 * ->probe, no PM domain ->activate or ->sync, and none of runtime PM's
 * probe-time work. Its unbind is the usual one, ->remove included.
 *
 * Return: 0, -EBUSY if it has a driver, -ENODEV when its bus's driver is
 * not registered, or device_bind_driver()'s error.
 */
int rsim_dev_bind_without_probe(struct rsim_dev *rsim)
{
	struct rsim_driver_slot *d = &rsim_drivers[rsim->bus];
	struct device *dev = rsim->dev;
	struct device_driver *drv;
	int ret;

	/* The driver stays registered until the bind is done. */
	mutex_lock(&rsim_drv_lock);
	drv = d->registered ? driver_find(d->names[0], d->bus) : NULL;
	if (!drv) {
		pr_err("rpm_sim: %s: no %s driver to bind it to\n", rsim->name, d->names[0]);
		mutex_unlock(&rsim_drv_lock);
		return -ENODEV;
	}
	device_lock(dev);
	if (dev->driver) {
		ret = -EBUSY;
	} else {
		rsim_lc_claim(rsim);
		WRITE_ONCE(dev->driver, drv);
		ret = device_bind_driver(dev);
		if (ret)
			WRITE_ONCE(dev->driver, NULL);
		else
			WRITE_ONCE(rsim->bound, true);
	}
	device_unlock(dev);
	mutex_unlock(&rsim_drv_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(rsim_dev_bind_without_probe);

bool rsim_driver_registered(enum rsim_bus_kind bus)
{
	bool ret;

	mutex_lock(&rsim_drv_lock);
	ret = bus < RSIM_BUS_NR && rsim_drivers[bus].registered;
	mutex_unlock(&rsim_drv_lock);
	return ret;
}

int rsim_driver_init(void)
{
	enum rsim_bus_kind bus;
	int ret;

	for (bus = 0; bus < RSIM_BUS_NR; bus++) {
		ret = rsim_driver_register(bus);
		if (ret) {
			while (bus--)
				rsim_driver_unregister(bus);
			return ret;
		}
	}
	return 0;
}

void rsim_driver_exit(void)
{
	enum rsim_bus_kind bus = RSIM_BUS_NR;

	while (bus--)
		rsim_driver_unregister(bus);
}
