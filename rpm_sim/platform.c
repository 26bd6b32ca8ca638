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

#define RSIM_PLAT_NOBIND	"rpm_sim_nobind"

static int rsim_plat_probe(struct platform_device *pdev)
{
	return rsim_drv_probe(rsim_from_dev(&pdev->dev));
}

static void rsim_plat_remove(struct platform_device *pdev)
{
	rsim_drv_remove(rsim_from_dev(&pdev->dev));
}

static void rsim_plat_shutdown(struct platform_device *pdev)
{
	rsim_async_shutdown_dispatch(rsim_from_dev(&pdev->dev));
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

int rsim_platform_driver_register(void)
{
	return platform_driver_register(&rsim_plat_driver);
}

void rsim_platform_driver_unregister(void)
{
	platform_driver_unregister(&rsim_plat_driver);
}

/* Not from a callback of the device: the setter may take its lock. */
int rsim_platform_set_bindable(struct rsim_dev *rsim, bool bindable)
{
	return rsim_set_driver_override(rsim->pdev,
					bindable ? RSIM_PLAT_DRV : RSIM_PLAT_NOBIND);
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
	ret = rsim_plat_release_alloc(rsim);
	if (ret)
		goto err_put;
	ret = platform_device_add_data(pdev, &pd, sizeof(pd));
	if (ret)
		goto err_put;
	ret = rsim_platform_set_bindable(rsim, rsim->bindable);
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
