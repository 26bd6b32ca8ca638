// SPDX-License-Identifier: GPL-2.0
/*
 * The reboot notifier: before device_shutdown() it stops device creation
 * and tells the shutdown model what each device's ->shutdown must wait for
 * (SD-1 children, SD-2 consumers), which also prints the topology lines.
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/reboot.h>
#include <linux/slab.h>

#include "internal.h"

/* A device being deleted is nobody's to wait for: it may be freed first. */
static bool rsim_shutdown_waits_for(struct rsim_dev *rsim, struct rsim_dev *other)
{
	return !other->dying &&
	       (other->parent == rsim || rsim_link_exists(other, rsim));
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
		if (!rsim->dying && rsim_reboot_prepare_one(rsim))
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
