// SPDX-License-Identifier: GPL-2.0
/*
 * The device lifecycle: creating and deleting simulated devices on either
 * bus, and finding them by name.
 *
 * rsim_lock serialises every change to the device list, the parent/child
 * counts and the links. Device registration runs under it. Deletion does
 * not: unregistering waits for whatever holds the device (a resume held at
 * another device's gate, a debugfs writer), and that must not stop every
 * other command. A device being deleted stays on the list, marked dying,
 * until it is gone from sysfs: its name is not reused before then, and its
 * parent counts it as a child.
 */
#include <linux/module.h>
#include <linux/pm_runtime.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/ctype.h>

#include "internal.h"

/* Every simulated device, parents before children; under rsim_lock. */
LIST_HEAD(rsim_devices);

/*
 * Cleared under rsim_lock by module exit before it deletes everything, and
 * by the reboot notifier: a device created after the last sweep would
 * outlive the module, or miss its place in the shutdown order.
 */
static bool rsim_creation_open = true;

/* The device named @name, dying or not */
static struct rsim_dev *rsim_dev_lookup_locked(const char *name)
{
	struct rsim_dev *rsim;

	lockdep_assert_held(&rsim_lock);
	list_for_each_entry(rsim, &rsim_devices, node)
		if (!strcmp(rsim->name, name))
			return rsim;
	return NULL;
}

/* The live device named @name: one being deleted is not found. */
struct rsim_dev *rsim_dev_find_locked(const char *name)
{
	struct rsim_dev *rsim = rsim_dev_lookup_locked(name);

	return rsim && !rsim->dying ? rsim : NULL;
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
	if (rsim_behaviour_check_bus(&cfg->beh, cfg->bus, cfg->name))
		return -EINVAL;
	if (rsim_dev_lookup_locked(cfg->name)) {
		pr_err("rpm_sim: device %s exists already (or is being deleted)\n",
		       cfg->name);
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
	if (rsim->bus != RSIM_BUS_PLATFORM) {
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

/*
 * First step of a deletion, under rsim_lock: refuse, or mark @rsim dying.
 * From here no gate of it holds anything, neither ->remove nor a debugfs
 * writer, and no command finds it.
 */
int rsim_dev_destroy_begin_locked(struct rsim_dev *rsim)
{
	lockdep_assert_held(&rsim_lock);
	if (WARN_ON(rsim->dying))
		return -ENODEV;
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
	rsim->dying = true;
	rsim_gate_close(rsim);
	rsim_link_forget(rsim);
	return 0;
}

/* Off the list, and no longer its parent's child */
static void rsim_dev_unlist(struct rsim_dev *rsim)
{
	mutex_lock(&rsim_lock);
	list_del(&rsim->node);
	if (rsim->parent)
		rsim->parent->nr_children--;
	mutex_unlock(&rsim_lock);
}

/*
 * Second step, without rsim_lock: unregister, and free @rsim. Return: 0,
 * or -EPROTO when the device is gone but the driver core's announcements
 * broke its lifecycle (lifecycle.c).
 */
int rsim_dev_destroy_finish(struct rsim_dev *rsim)
{
	int ret;

	if (rsim->bus != RSIM_BUS_PLATFORM) {
		/* Keep rsim (freed by the release) until the work is cancelled. */
		get_device(&rsim->sim_dev);
		device_unregister(&rsim->sim_dev);
		/* Unbound now: nothing can queue the work again. */
		cancel_work_sync(&rsim->work);
		rsim_dev_unlist(rsim);
		ret = rsim_lc_check_deleted(rsim);
		put_device(&rsim->sim_dev);
	} else {
		platform_device_del(rsim->pdev);
		cancel_work_sync(&rsim->work);
		rsim_dev_unlist(rsim);
		ret = rsim_lc_check_deleted(rsim);
		/* rsim goes with the device's last reference, maybe now. */
		rsim_plat_release_arm(rsim);
		platform_device_put(rsim->pdev);
	}
	return ret;
}

/**
 * rsim_dev_destroy() - unregister and free a simulated device
 * @rsim: the device
 *
 * Return: 0, -EBUSY if it has children or a callback is held at a gate
 * (nothing done), or -EPROTO: deleted, but the driver core announced its
 * binds, unbinds or deletion out of order (the kernel log says how).
 */
int rsim_dev_destroy(struct rsim_dev *rsim)
{
	int ret;

	mutex_lock(&rsim_lock);
	ret = rsim_dev_destroy_begin_locked(rsim);
	mutex_unlock(&rsim_lock);
	if (!ret)
		ret = rsim_dev_destroy_finish(rsim);
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
 * Module exit, first step, before the control files go: no device may be
 * created, and every gate lets its callback go for good, so that a command
 * still running (a deletion waiting for a held resume) ends.
 */
void rsim_dev_close_all(void)
{
	struct rsim_dev *rsim;

	mutex_lock(&rsim_lock);
	rsim_dev_creation_stop();
	list_for_each_entry(rsim, &rsim_devices, node)
		rsim_gate_close(rsim);
	mutex_unlock(&rsim_lock);
}

/*
 * Module exit, once no command runs: every device goes, children before
 * parents. Its gates are closed, so nothing is busy, and only a device
 * with children can refuse: there is always a leaf to delete.
 */
void rsim_dev_destroy_all(void)
{
	struct rsim_dev *rsim, *leaf;
	int ret;

	for (;;) {
		leaf = NULL;
		mutex_lock(&rsim_lock);
		list_for_each_entry_reverse(rsim, &rsim_devices, node) {
			if (!rsim->nr_children) {
				leaf = rsim;
				break;
			}
		}
		if (leaf)
			ret = rsim_dev_destroy_begin_locked(leaf);
		else
			ret = list_empty(&rsim_devices) ? 0 : -EBUSY;
		mutex_unlock(&rsim_lock);
		/* Left behind, rsim_objects_wait_released() waits for them. */
		if (WARN_ON(ret) || !leaf)
			return;
		rsim_dev_destroy_finish(leaf);
	}
}
