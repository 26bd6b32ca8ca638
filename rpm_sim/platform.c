// SPDX-License-Identifier: GPL-2.0
/*
 * Simulated devices on the real platform bus, driven by a platform driver
 * that shares the behaviour engine, so a scenario runs on both buses. The
 * device is tied to the driver by driver_override; a device that must not
 * bind yet gets an override that matches nothing.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pm_domain.h>
#include <linux/string.h>

#include "internal.h"
#include "compat.h"

#define RSIM_PLAT_DRV		"rpm_sim_plat"
#define RSIM_PLAT_NOBIND	"rpm_sim_nobind"

/* What platform_data holds: platform_device_add_data() copies it. */
struct rsim_pdata {
	struct rsim_dev *rsim;
};

/* Marks our platform devices, so the notifier can tell them apart. */
static const struct device_type rsim_plat_type = {
	.name = "rpm_sim_plat",
};

struct rsim_dev *rsim_from_platform(struct device *dev)
{
	const struct rsim_pdata *pd;

	if (dev->type != &rsim_plat_type)
		return NULL;
	pd = dev_get_platdata(dev);
	return pd ? pd->rsim : NULL;
}

static int rsim_plat_probe(struct platform_device *pdev)
{
	return rsim_drv_probe(rsim_from_platform(&pdev->dev));
}

static void rsim_plat_remove(struct platform_device *pdev)
{
	rsim_drv_remove(rsim_from_platform(&pdev->dev));
}

static void rsim_plat_shutdown(struct platform_device *pdev)
{
	rsim_drv_shutdown(rsim_from_platform(&pdev->dev));
}

static struct platform_driver rsim_plat_driver = {
	.probe = rsim_plat_probe,
	RSIM_PLATFORM_REMOVE(rsim_plat_remove),
	.shutdown = rsim_plat_shutdown,
	.driver = {
		.name = RSIM_PLAT_DRV,
		.pm = &rsim_drv_pm_ops,
	},
};

static DEFINE_MUTEX(rsim_plat_lock);
static bool rsim_plat_registered;

int rsim_platform_driver_register(void)
{
	int ret = 0;

	mutex_lock(&rsim_plat_lock);
	if (!rsim_plat_registered) {
		ret = platform_driver_register(&rsim_plat_driver);
		rsim_plat_registered = !ret;
	}
	mutex_unlock(&rsim_plat_lock);
	return ret;
}

void rsim_platform_driver_unregister(void)
{
	mutex_lock(&rsim_plat_lock);
	if (rsim_plat_registered)
		platform_driver_unregister(&rsim_plat_driver);
	rsim_plat_registered = false;
	mutex_unlock(&rsim_plat_lock);
}

bool rsim_platform_driver_registered(void)
{
	bool ret;

	mutex_lock(&rsim_plat_lock);
	ret = rsim_plat_registered;
	mutex_unlock(&rsim_plat_lock);
	return ret;
}

static int rsim_platform_override(struct rsim_dev *rsim, bool bindable)
{
	const char *name = bindable ? RSIM_PLAT_DRV : RSIM_PLAT_NOBIND;

	return rsim_set_driver_override(rsim->pdev, name);
}

/* Both setters do their own locking (driver_set_override() takes the device lock). */
void rsim_platform_set_bindable(struct rsim_dev *rsim, bool bindable)
{
	if (rsim_platform_override(rsim, bindable))
		dev_err(&rsim->pdev->dev, "rpm_sim: cannot set driver_override\n");
}

/* Create and register the platform device of @rsim; rsim_lock held. */
int rsim_platform_add_device(struct rsim_dev *rsim)
{
	struct rsim_pdata pd = { .rsim = rsim };
	struct platform_device *pdev;
	struct device *other;
	int ret;

	other = bus_find_device_by_name(&platform_bus_type, NULL, rsim->name);
	if (other) {
		put_device(other);
		pr_err("rpm_sim: a platform device named %s exists already\n",
		       rsim->name);
		return -EEXIST;
	}

	pdev = platform_device_alloc(rsim->name, PLATFORM_DEVID_NONE);
	if (!pdev)
		return -ENOMEM;
	rsim->pdev = pdev;
	rsim->dev = &pdev->dev;
	pdev->dev.type = &rsim_plat_type;
	if (rsim->parent)
		pdev->dev.parent = rsim->parent->dev;
	ret = platform_device_add_data(pdev, &pd, sizeof(pd));
	if (ret)
		goto err_put;
	ret = rsim_platform_override(rsim, rsim->bindable);
	if (ret)
		goto err_put;
	if (rsim->pm_domain)
		dev_pm_domain_set(&pdev->dev, &rsim_pm_domain);
	ret = platform_device_add(pdev);
	if (ret)
		goto err_put;
	return 0;

err_put:
	platform_device_put(pdev);
	rsim->pdev = NULL;
	rsim->dev = NULL;
	return ret;
}

int rsim_platform_init(void)
{
	return rsim_platform_driver_register();
}

void rsim_platform_exit(void)
{
	rsim_platform_driver_unregister();
}
