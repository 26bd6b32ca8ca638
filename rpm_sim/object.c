// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated device object: its two device types (which also tell one
 * of our devices from any other struct device), the way back from a
 * struct device, allocation, and the release that frees it.
 *
 * An object lives as long as its struct device: whoever holds a reference
 * to the device (a test's racer through device_del(), say) may still use
 * the object. Module exit waits for the last object to be freed: a release
 * may run well after its device was deleted (DEBUG_KOBJECT_RELEASE delays
 * it by seconds), and it runs this module's code.
 */
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/export.h>

#include "internal.h"

/* Serialises the device list, parent/child counts and links. */
DEFINE_MUTEX(rsim_lock);

static atomic_t rsim_objects = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(rsim_objects_wq);

const struct device_type rsim_sim_type = {
	.name = "rpm_sim",
};

const struct device_type rsim_plat_type = {
	.name = "rpm_sim_plat",
};

/**
 * rsim_from_dev() - the simulated device behind @dev
 * @dev: any device
 *
 * Return: the rsim_dev, or NULL when @dev is not one of ours.
 */
struct rsim_dev *rsim_from_dev(struct device *dev)
{
	const struct rsim_pdata *pd;

	if (dev->type == &rsim_sim_type)
		return container_of(dev, struct rsim_dev, sim_dev);
	if (dev->type != &rsim_plat_type)
		return NULL;
	pd = dev_get_platdata(dev);
	return pd ? pd->rsim : NULL;
}

/* A new object, not yet on any bus; @cfg is already validated. */
struct rsim_dev *rsim_alloc(const struct rsim_dev_config *cfg)
{
	struct rsim_dev *rsim = kzalloc(sizeof(*rsim), GFP_KERNEL);

	if (!rsim)
		return NULL;
	strscpy(rsim->name, cfg->name, sizeof(rsim->name));
	rsim->bus = cfg->bus;
	rsim->parent = cfg->parent;
	rsim->pm_domain = cfg->pm_domain;
	rsim->bindable = !cfg->no_bind;
	rsim->async_probe = cfg->async_probe;
	spin_lock_init(&rsim->beh_lock);
	rsim->beh = cfg->beh;
	rsim_behaviour_arm(rsim);
	rsim_gate_init(rsim);
	rsim_work_init(rsim);
	rsim_lc_init(rsim);
	init_completion(&rsim->shutdown_done);
	atomic_inc(&rsim_objects);
	return rsim;
}

void rsim_free(struct rsim_dev *rsim)
{
	devres_free(rsim->plat_release);
	kfree(rsim->shutdown_deps);
	kfree(rsim);
	if (atomic_dec_and_test(&rsim_objects))
		wake_up_all(&rsim_objects_wq);
}

/* The release of a device on the rpm_sim bus, which embeds it. */
void rsim_sim_release(struct device *dev)
{
	rsim_free(container_of(dev, struct rsim_dev, sim_dev));
}

/*
 * The release of a platform device is the platform core's own, so the
 * object follows it through a devres node, added once the device is
 * deleted (an unbind would run it earlier): device_release() runs every
 * node before it frees the device.
 */
static void rsim_plat_release(struct device *dev, void *res)
{
	struct rsim_dev *rsim = *(struct rsim_dev **)res;

	/* devres frees the node itself once this returns. */
	rsim->plat_release = NULL;
	rsim_free(rsim);
}

/* Made with the platform device, so that deleting it cannot fail. */
int rsim_plat_release_alloc(struct rsim_dev *rsim)
{
	rsim->plat_release = devres_alloc(rsim_plat_release, sizeof(rsim), GFP_KERNEL);
	if (!rsim->plat_release)
		return -ENOMEM;
	*(struct rsim_dev **)rsim->plat_release = rsim;
	return 0;
}

/* @rsim's platform device is deleted: free @rsim with the device. */
void rsim_plat_release_arm(struct rsim_dev *rsim)
{
	devres_add(rsim->dev, rsim->plat_release);
}

/* Module exit: every object freed, every release returned to us. */
void rsim_objects_wait_released(void)
{
	wait_event(rsim_objects_wq, !atomic_read(&rsim_objects));
}

/** rsim_dev_device() - the struct device of @rsim */
struct device *rsim_dev_device(struct rsim_dev *rsim)
{
	return rsim->dev;
}
EXPORT_SYMBOL_GPL(rsim_dev_device);

/** rsim_dev_name() - the name @rsim was created with */
const char *rsim_dev_name(struct rsim_dev *rsim)
{
	return rsim->name;
}
EXPORT_SYMBOL_GPL(rsim_dev_name);

/** rsim_dev_probe_count() - how many times the driver's probe was entered */
unsigned int rsim_dev_probe_count(struct rsim_dev *rsim)
{
	return atomic_read(&rsim->probe_count);
}
EXPORT_SYMBOL_GPL(rsim_dev_probe_count);

/** rsim_dev_bound() - whether the last probe succeeded and no remove followed */
bool rsim_dev_bound(struct rsim_dev *rsim)
{
	return READ_ONCE(rsim->bound);
}
EXPORT_SYMBOL_GPL(rsim_dev_bound);
