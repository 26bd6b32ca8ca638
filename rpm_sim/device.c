// SPDX-License-Identifier: GPL-2.0
/*
 * The device lifecycle: creating and deleting simulated devices on either
 * bus, finding them by name, registering the simulated drivers, and the
 * reboot notifier that tells the shutdown model what waits for what.
 *
 * rsim_lock serialises every change to the device list, the parent/child
 * counts and the links. Device registration runs under it, so a name is
 * never reused before the previous device is gone from sysfs.
 */
#include <linux/module.h>
#include <linux/pm_runtime.h>
#include <linux/platform_device.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/ctype.h>
#include <linux/delay.h>
#include <linux/kernfs.h>

#include "internal.h"

static LIST_HEAD(rsim_devices);

/*
 * Cleared under rsim_lock by module exit before it deletes everything, and
 * by the reboot notifier: a device created after the last sweep would
 * outlive the module, or miss its place in the shutdown order.
 */
static bool rsim_creation_open = true;

struct rsim_dev *rsim_dev_find_locked(const char *name)
{
	struct rsim_dev *rsim;

	lockdep_assert_held(&rsim_lock);
	list_for_each_entry(rsim, &rsim_devices, node)
		if (!strcmp(rsim->name, name))
			return rsim;
	return NULL;
}

/**
 * rsim_dev_find() - look a simulated device up by name
 * @name: its name
 *
 * The pointer stays valid until the device is destroyed; the caller makes
 * sure that does not happen under its feet.
 */
struct rsim_dev *rsim_dev_find(const char *name)
{
	struct rsim_dev *rsim;

	mutex_lock(&rsim_lock);
	rsim = rsim_dev_find_locked(name);
	mutex_unlock(&rsim_lock);
	return rsim;
}
EXPORT_SYMBOL_GPL(rsim_dev_find);

/**
 * rsim_dev_set_bindable() - let the bus match @rsim with its driver, or not
 * @rsim: the device
 * @bindable: the new setting; takes effect at the next match
 *
 * Not from a callback of @rsim (the platform bus's setter takes the device
 * lock on some kernels).
 *
 * Return: 0, or the error of the platform bus's driver_override setter.
 */
int rsim_dev_set_bindable(struct rsim_dev *rsim, bool bindable)
{
	WRITE_ONCE(rsim->bindable, bindable);
	if (rsim->bus == RSIM_BUS_PLATFORM)
		return rsim_platform_set_bindable(rsim, bindable);
	return 0;
}
EXPORT_SYMBOL_GPL(rsim_dev_set_bindable);

static bool rsim_name_valid(const char *name)
{
	size_t i, len = strlen(name);

	if (!len || len >= RSIM_NAME_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && name[i] != '_' && name[i] != '-')
			return false;
	return true;
}

static int rsim_dev_config_check(const struct rsim_dev_config *cfg)
{
	if (!cfg->name || !rsim_name_valid(cfg->name)) {
		pr_err("rpm_sim: device name must be 1-%d characters of [A-Za-z0-9_-]\n",
		       RSIM_NAME_LEN - 1);
		return -EINVAL;
	}
	if (cfg->bus >= RSIM_BUS_NR)
		return -EINVAL;
	if (cfg->async_probe && cfg->bus != RSIM_BUS_SIM) {
		pr_err("rpm_sim: async_probe is for the rpm_sim bus only\n");
		return -EINVAL;
	}
	if (rsim_dev_find_locked(cfg->name)) {
		pr_err("rpm_sim: device %s exists already\n", cfg->name);
		return -EEXIST;
	}
	return 0;
}

struct rsim_dev *rsim_dev_create_locked(const struct rsim_dev_config *cfg)
{
	struct rsim_dev *rsim;
	int ret;

	lockdep_assert_held(&rsim_lock);
	if (!rsim_creation_open)
		return ERR_PTR(-ENODEV);
	ret = rsim_dev_config_check(cfg);
	if (ret)
		return ERR_PTR(ret);

	rsim = rsim_alloc(cfg);
	if (!rsim)
		return ERR_PTR(-ENOMEM);
	if (rsim->bus == RSIM_BUS_SIM) {
		ret = rsim_bus_add_device(rsim);
		if (ret) {
			/* The release frees rsim. */
			put_device(&rsim->sim_dev);
			return ERR_PTR(ret);
		}
	} else {
		ret = rsim_platform_add_device(rsim);
		if (ret) {
			rsim_free(rsim);
			return ERR_PTR(ret);
		}
	}
	/* Flags the PM core reads at suspend time; not part of matching. */
	if (cfg->async_suspend)
		device_enable_async_suspend(rsim->dev);
	if (cfg->ignore_children)
		pm_suspend_ignore_children(rsim->dev, true);
	rsim_async_shutdown_opt_in(rsim);

	if (rsim->parent)
		rsim->parent->nr_children++;
	list_add_tail(&rsim->node, &rsim_devices);
	return rsim;
}

/**
 * rsim_dev_create() - create and register a simulated device
 * @cfg: what it is; @cfg->parent must be a live rsim device or NULL
 *
 * If a driver matches, it is bound before this returns (probe may fail or
 * defer: that is the driver behaviour's business, not an error here), or,
 * with asynchronous probing, the probe is queued.
 *
 * Return: the device, or ERR_PTR(-EINVAL) for a bad configuration,
 * -EEXIST for a name in use, -ENODEV once the module or the system is
 * going down, -ENOMEM, or what device registration returned.
 */
struct rsim_dev *rsim_dev_create(const struct rsim_dev_config *cfg)
{
	struct rsim_dev *rsim;

	mutex_lock(&rsim_lock);
	rsim = rsim_dev_create_locked(cfg);
	mutex_unlock(&rsim_lock);
	return rsim;
}
EXPORT_SYMBOL_GPL(rsim_dev_create);

int rsim_dev_destroy_locked(struct rsim_dev *rsim)
{
	lockdep_assert_held(&rsim_lock);
	if (rsim->nr_children) {
		pr_err("rpm_sim: %s has %u children; delete them first\n",
		       rsim->name, rsim->nr_children);
		return -EBUSY;
	}
	if (rsim_gate_busy(rsim)) {
		pr_err("rpm_sim: %s: a callback is held at a gate; release it first\n",
		       rsim->name);
		return -EBUSY;
	}
	/* From here no gate holds anything: not ->remove, not a debugfs writer. */
	rsim_gate_close(rsim);
	rsim_link_forget(rsim);
	list_del(&rsim->node);
	if (rsim->parent)
		rsim->parent->nr_children--;

	if (rsim->bus == RSIM_BUS_SIM) {
		/* Keep rsim (freed by the release) until the work is cancelled. */
		get_device(&rsim->sim_dev);
		device_unregister(&rsim->sim_dev);
		/* Unbound now: nothing can queue the work again. */
		cancel_work_sync(&rsim->work);
		put_device(&rsim->sim_dev);
	} else {
		platform_device_del(rsim->pdev);
		cancel_work_sync(&rsim->work);
		/* rsim goes with the device's last reference, maybe now. */
		rsim_plat_release_arm(rsim);
		platform_device_put(rsim->pdev);
	}
	return 0;
}

/**
 * rsim_dev_destroy() - unregister and free a simulated device
 * @rsim: the device
 *
 * Return: 0, or -EBUSY if it has children or a callback is held at a gate.
 */
int rsim_dev_destroy(struct rsim_dev *rsim)
{
	int ret;

	mutex_lock(&rsim_lock);
	ret = rsim_dev_destroy_locked(rsim);
	mutex_unlock(&rsim_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(rsim_dev_destroy);

/* No device may be created from now on; rsim_lock held. */
void rsim_dev_creation_stop(void)
{
	lockdep_assert_held(&rsim_lock);
	rsim_creation_open = false;
}

/*
 * Module exit: every device goes, children before parents. Gates are
 * closed first, so nothing is busy, and only a device with children can
 * refuse: there is always a leaf to delete.
 */
void rsim_dev_destroy_all(void)
{
	struct rsim_dev *rsim;

	mutex_lock(&rsim_lock);
	rsim_dev_creation_stop();
	list_for_each_entry(rsim, &rsim_devices, node)
		rsim_gate_close(rsim);
	while (!list_empty(&rsim_devices)) {
		list_for_each_entry_reverse(rsim, &rsim_devices, node)
			if (!rsim->nr_children)
				break;
		if (WARN_ON(list_entry_is_head(rsim, &rsim_devices, node) ||
			    rsim_dev_destroy_locked(rsim)))
			break;
	}
	mutex_unlock(&rsim_lock);
}

/* Drivers, one switch per bus, registered at load */

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

static DEFINE_MUTEX(rsim_drv_lock);
static struct rsim_driver_slot rsim_drivers[RSIM_BUS_NR] = {
	[RSIM_BUS_SIM] = { rsim_bus_driver_register, rsim_bus_driver_unregister,
			   &rsim_bus, rsim_sim_driver_names },
	[RSIM_BUS_PLATFORM] = { rsim_platform_driver_register,
				rsim_platform_driver_unregister,
				&platform_bus_type, rsim_plat_driver_names },
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
	int ret = rsim_driver_register(RSIM_BUS_SIM);

	if (ret)
		return ret;
	ret = rsim_driver_register(RSIM_BUS_PLATFORM);
	if (ret)
		rsim_driver_unregister(RSIM_BUS_SIM);
	return ret;
}

void rsim_driver_exit(void)
{
	rsim_driver_unregister(RSIM_BUS_PLATFORM);
	rsim_driver_unregister(RSIM_BUS_SIM);
}

/* Reboot: what each device's ->shutdown must wait for (SD-1, SD-2) */

static bool rsim_shutdown_waits_for(struct rsim_dev *rsim, struct rsim_dev *other)
{
	return other->parent == rsim || rsim_link_exists(other, rsim);
}

static int rsim_reboot_prepare_one(struct rsim_dev *rsim)
{
	struct rsim_dev **deps, *other;
	unsigned int n = 0, i = 0;
	char *sup;
	int ret;

	list_for_each_entry(other, &rsim_devices, node)
		n += rsim_shutdown_waits_for(rsim, other);
	deps = kcalloc(n, sizeof(*deps), GFP_KERNEL);
	if (deps)
		list_for_each_entry(other, &rsim_devices, node)
			if (rsim_shutdown_waits_for(rsim, other))
				deps[i++] = other;
	sup = rsim_link_suppliers(rsim);
	ret = rsim_async_shutdown_prepare(rsim, deps, n, sup);
	kfree(sup);
	return ret;
}

static int rsim_reboot_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct rsim_dev *rsim;

	mutex_lock(&rsim_lock);
	rsim_dev_creation_stop();
	list_for_each_entry(rsim, &rsim_devices, node)
		if (rsim_reboot_prepare_one(rsim))
			pr_err("rpm_sim: %s: no memory for its shutdown order\n",
			       rsim->name);
	mutex_unlock(&rsim_lock);
	return NOTIFY_DONE;
}

static struct notifier_block rsim_reboot_nb = {
	.notifier_call = rsim_reboot_notify,
};

int rsim_reboot_init(void)
{
	return register_reboot_notifier(&rsim_reboot_nb);
}

void rsim_reboot_exit(void)
{
	unregister_reboot_notifier(&rsim_reboot_nb);
}
