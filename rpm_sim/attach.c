// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching rpm_sim to any device (debugfs "attach" and "detach", "BUS
 * DEVICE"): a wrapping struct dev_pm_domain records the device's runtime
 * PM and system-sleep callbacks in the event log (layer "attach", with
 * the dev->power fields of the moment) and hands each to what the PM core
 * would have called without it: the device's own PM domain if it had
 * one, else the first of its type, class and bus with a dev_pm_ops, and
 * the driver's where that has none (runtime.c's __rpm_get_callback(),
 * main.c's device_prepare(), device_suspend() and friends). The late and
 * noirq phases are wrapped only where that layer has the callback: there
 * the core itself decides whether the driver's runs
 * (dev_pm_skip_suspend(), dev_pm_skip_resume()), and leaving the field
 * empty lets it. The bus's notifications about the device are recorded
 * too, and the same race gates as a simulated device's hold its runtime
 * PM callbacks (runtime_suspend, runtime_resume, runtime_resume_exit,
 * runtime_idle) and its binding (probe at BIND_DRIVER, remove at
 * UNBIND_DRIVER), under attached/BUS:DEVICE/gate; the checkers' findings
 * are in attached/BUS:DEVICE/checks (attach_checks.c).
 *
 * A PM domain can only change while the device is unbound, so a bound
 * device is unbound for the change and bound again after (said in the
 * kernel log), with system sleep locked out and runtime PM disabled, so
 * that no callback runs through a domain pointer being replaced. When the
 * device is deleted while attached, its own domain comes back at
 * REMOVED_DEVICE, when no callback can come any more.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/pm_domain.h>
#include <linux/pm_runtime.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/suspend.h>

#include "internal.h"

#define RSIM_ATT_MAX	8

struct rsim_att {
	struct list_head node;		/* on rsim_atts, under rsim_att_mutex */
	struct device *dev;		/* a reference held until deleted */
	struct dev_pm_domain pd;	/* dev->pm_domain while attached */
	struct dev_pm_domain *orig;	/* the device's own domain, or NULL */
	struct rsim_dev gates;		/* its gates; gates.name names it in the log */
	struct rsim_att_checks checks;	/* attach_checks.c */
	struct notifier_block nb;	/* on its bus */
	rsim_bus_type *bus;
	spinlock_t gone_lock;		/* REMOVED_DEVICE against rsim_att_del() */
	bool gone;			/* deleted: nothing of it is touched again */
	char id[2 * RSIM_NAME_LEN];	/* "BUS:DEVICE" */
	struct dentry *dbg;
};

static LIST_HEAD(rsim_atts);
static DEFINE_MUTEX(rsim_att_mutex);
static struct dentry *rsim_att_dbg;
static bool rsim_att_closed;		/* module exit: no more attaching */

static struct rsim_att *rsim_att_of(struct device *dev)
{
	return container_of(dev->pm_domain, struct rsim_att, pd);
}

/* The layer the PM core would ask first without the wrapper. */
static const struct dev_pm_ops *rsim_att_layer_ops(struct rsim_att *a)
{
	struct device *dev = a->dev;

	if (a->orig)
		return &a->orig->ops;
	if (dev->type && dev->type->pm)
		return dev->type->pm;
	if (dev->class && dev->class->pm)
		return dev->class->pm;
	if (dev->bus && dev->bus->pm)
		return dev->bus->pm;
	return NULL;
}

static int rsim_att_dispatch(struct device *dev, enum rsim_ev ev, size_t off)
{
	struct rsim_att *a = rsim_att_of(dev);
	const struct dev_pm_ops *ops = rsim_att_layer_ops(a);
	const struct device_driver *drv = READ_ONCE(dev->driver);
	int ret;

	/* The driver's own callback where the layer has none, as the core does */
	if (!rsim_pm_has(ops, off) && drv && drv->pm)
		ops = drv->pm;
	rsim_ev(&a->gates, dev, ev, RSIM_L_ATTACH, RSIM_P_ENTER, 0, 0);
	rsim_att_checks_callback(&a->checks, dev, ev);
	/* Only the runtime PM callbacks log RSIM_EV_RUNTIME_* (RSIM_DEFINE_PM_CALLBACKS) */
	if (ev == RSIM_EV_RUNTIME_SUSPEND)
		rsim_gate_pass(&a->gates, RSIM_GATE_SUSPEND_ENTRY);
	else if (ev == RSIM_EV_RUNTIME_RESUME)
		rsim_gate_pass(&a->gates, RSIM_GATE_RESUME_ENTRY);
	else if (ev == RSIM_EV_RUNTIME_IDLE)
		rsim_gate_pass(&a->gates, RSIM_GATE_IDLE);
	ret = rsim_pm_call(ops, off, dev);
	if (ev == RSIM_EV_RUNTIME_RESUME)
		rsim_gate_pass(&a->gates, RSIM_GATE_RESUME_EXIT);
	rsim_ev(&a->gates, dev, ev, RSIM_L_ATTACH, RSIM_P_EXIT, ret, 0);
	return ret;
}

RSIM_DEFINE_PM_CALLBACKS(rsim_att)

static const struct dev_pm_ops rsim_att_all_ops = RSIM_PM_OPS_INIT(rsim_att);

/* Wrapped only where the layer has them: see the top of the file. */
static const size_t rsim_att_layer_only[] = {
	offsetof(const struct dev_pm_ops, suspend_late),
	offsetof(const struct dev_pm_ops, resume_early),
	offsetof(const struct dev_pm_ops, freeze_late),
	offsetof(const struct dev_pm_ops, thaw_early),
	offsetof(const struct dev_pm_ops, poweroff_late),
	offsetof(const struct dev_pm_ops, restore_early),
	offsetof(const struct dev_pm_ops, suspend_noirq),
	offsetof(const struct dev_pm_ops, resume_noirq),
	offsetof(const struct dev_pm_ops, freeze_noirq),
	offsetof(const struct dev_pm_ops, thaw_noirq),
	offsetof(const struct dev_pm_ops, poweroff_noirq),
	offsetof(const struct dev_pm_ops, restore_noirq),
};

/* The domain's binding hooks, recorded and passed on to the own domain's. */
static void rsim_att_hook(struct device *dev, enum rsim_ev ev, int ret)
{
	rsim_ev(&rsim_att_of(dev)->gates, dev, ev, RSIM_L_ATTACH, RSIM_P_MARK, ret, 0);
}

static int rsim_att_activate(struct device *dev)
{
	int ret = rsim_att_of(dev)->orig->activate(dev);

	rsim_att_hook(dev, RSIM_EV_PD_ACTIVATE, ret);
	return ret;
}

static void rsim_att_sync(struct device *dev)
{
	rsim_att_of(dev)->orig->sync(dev);
	rsim_att_hook(dev, RSIM_EV_PD_SYNC, 0);
}

static void rsim_att_dismiss(struct device *dev)
{
	rsim_att_of(dev)->orig->dismiss(dev);
	rsim_att_hook(dev, RSIM_EV_PD_DISMISS, 0);
}

static void rsim_att_detach_hook(struct device *dev, bool power_off)
{
	rsim_att_of(dev)->orig->detach(dev, power_off);
}

static void rsim_att_build_domain(struct rsim_att *a)
{
	const struct dev_pm_ops *layer = rsim_att_layer_ops(a);
	unsigned int i;

	a->pd.ops = rsim_att_all_ops;
	for (i = 0; i < ARRAY_SIZE(rsim_att_layer_only); i++)
		if (!rsim_pm_has(layer, rsim_att_layer_only[i]))
			*(void **)((char *)&a->pd.ops + rsim_att_layer_only[i]) = NULL;
	if (!a->orig)
		return;
	if (a->orig->activate)
		a->pd.activate = rsim_att_activate;
	if (a->orig->sync)
		a->pd.sync = rsim_att_sync;
	if (a->orig->dismiss)
		a->pd.dismiss = rsim_att_dismiss;
	if (a->orig->detach)
		a->pd.detach = rsim_att_detach_hook;
}

/* The first devres released at an unbind: ->remove has returned. */
static void rsim_att_remove_returned(struct device *dev, void *res)
{
	struct rsim_att *a = *(struct rsim_att **)res;

	rsim_ev(&a->gates, dev, RSIM_EV_REMOVE, RSIM_L_ATTACH, RSIM_P_MARK, 0, 0);
	rsim_att_checks_removed(&a->checks);
}

static int rsim_att_mark_match(struct device *dev, void *res, void *data)
{
	return *(struct rsim_att **)res == data;
}

/*
 * At BOUND_DRIVER: mark the end of the coming ->remove with a devres,
 * the last added and so the first released. Detach and the module's
 * exit unbind the device (the mark goes with the binding) before its own
 * domain comes back, and a bind after that adds none.
 */
static void rsim_att_mark_remove(struct rsim_att *a, struct device *dev)
{
	struct rsim_att **res = devres_alloc(rsim_att_remove_returned, sizeof(*res),
					     GFP_KERNEL);

	if (!res) {
		dev_warn(dev, "rpm_sim: no memory to mark the end of ->remove\n");
		rsim_att_checks_unmarked(&a->checks);
		return;
	}
	*res = a;
	devres_add(dev, res);
}

/*
 * The device is unbound: its mark went with its binding's devres, unless
 * the kernel did not release them. Then take it back, before it can run
 * with the attachment gone, and say so.
 */
static void rsim_att_unmark(struct rsim_att *a, struct device *dev)
{
	if (!devres_destroy(dev, rsim_att_remove_returned, rsim_att_mark_match, a))
		dev_err(dev, "rpm_sim: its unbind left its binding's devres in place\n");
}

/*
 * The bus's word about the device. The gates hold the binding at
 * BIND_DRIVER (before ->probe) and UNBIND_DRIVER (before ->remove); the
 * checks take their baseline at the first and compare at UNBOUND_DRIVER.
 * At REMOVED_DEVICE the device is unbound and out of runtime PM and system
 * sleep: its own domain goes back, and the attachment lets it go.
 */
static int rsim_att_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct rsim_att *a = container_of(nb, struct rsim_att, nb);
	struct device *dev = data;
	bool wrapped;

	if (dev != a->dev || READ_ONCE(a->gone))
		return NOTIFY_DONE;
	rsim_ev(&a->gates, dev, RSIM_EV_NOTIFY, RSIM_L_CORE, RSIM_P_MARK, 0, action);
	/*
	 * The checks watch bindings with the wrapper in place (the device
	 * lock keeps it so): not the unbind that attach does before.
	 */
	wrapped = dev->pm_domain == &a->pd;
	if (action == BUS_NOTIFY_BIND_DRIVER) {
		if (wrapped)
			rsim_att_checks_bind(&a->checks, dev);
		rsim_gate_pass(&a->gates, RSIM_GATE_PROBE);
	} else if (action == BUS_NOTIFY_BOUND_DRIVER) {
		if (wrapped)
			rsim_att_mark_remove(a, dev);
	} else if (action == BUS_NOTIFY_UNBIND_DRIVER) {
		rsim_gate_pass(&a->gates, RSIM_GATE_REMOVE);
	} else if (action == BUS_NOTIFY_UNBOUND_DRIVER) {
		if (wrapped)
			rsim_att_checks_unbound(&a->checks, dev);
	} else if (action == BUS_NOTIFY_DRIVER_NOT_BOUND) {
		if (wrapped)
			rsim_att_checks_not_bound(&a->checks);
	} else if (action == BUS_NOTIFY_REMOVED_DEVICE) {
		rsim_gate_close(&a->gates);
		device_lock(dev);
		dev_pm_domain_set(dev, a->orig);
		device_unlock(dev);
		rsim_att_unmark(a, dev);
		dev_info(dev, "rpm_sim: deleted while attached: detached\n");
		spin_lock(&a->gone_lock);
		WRITE_ONCE(a->gone, true);
		spin_unlock(&a->gone_lock);
		/* The caller of device_del() holds one still. */
		put_device(dev);
	}
	return NOTIFY_OK;
}

/* The device named @name on the bus named @bus ("-": none), with a reference. */
static struct device *rsim_att_find(const char *bus, const char *name)
{
	/* Every device's kobject is in the one devices kset, the root platform device's too. */
	struct kset *all = platform_bus.kobj.kset;
	struct device *found = NULL;
	struct kobject *k;

	spin_lock(&all->list_lock);
	list_for_each_entry(k, &all->list, entry) {
		struct device *dev = kobj_to_dev(k);

		if (strcmp(kobject_name(k), name) ||
		    strcmp(dev->bus ? dev->bus->name : "-", bus))
			continue;
		if (kobject_get_unless_zero(k))
			found = dev;
		break;
	}
	spin_unlock(&all->list_lock);
	return found;
}

static struct rsim_att *rsim_att_lookup(struct device *dev)
{
	struct rsim_att *a;

	lockdep_assert_held(&rsim_att_mutex);
	list_for_each_entry(a, &rsim_atts, node)
		if (!READ_ONCE(a->gone) && a->dev == dev)
			return a;
	return NULL;
}

/*
 * With system sleep locked out: unbind @dev (true if it was bound) and
 * swap its domain for @pd. A bind may come between the unbind and the
 * device lock (a deferred probe, a driver registering): unbind again.
 */
static bool rsim_att_swap(struct device *dev, struct dev_pm_domain *pd, const char *why)
{
	struct device_driver *drv;
	bool was_bound = false;

	for (;;) {
		device_lock(dev);
		drv = dev->driver;
		if (!drv)
			break;
		device_unlock(dev);
		if (!was_bound)
			dev_info(dev, "rpm_sim: unbinding %s to %s, binding it again after\n",
				 drv->name, why);
		was_bound = true;
		device_release_driver(dev);
	}
	/* Waits for a runtime PM callback under way; none starts until enabled. */
	pm_runtime_disable(dev);
	dev_pm_domain_set(dev, pd);
	pm_runtime_enable(dev);
	device_unlock(dev);
	return was_bound;
}

static void rsim_att_debugfs(struct rsim_att *a);

static int rsim_att_add(struct device *dev, const char *bus)
{
	struct rsim_att *a;
	unsigned int n = 0, sleep;
	bool rebind;
	int ret;

	list_for_each_entry(a, &rsim_atts, node)
		n++;
	if (rsim_att_lookup(dev)) {
		dev_err(dev, "rpm_sim: attach: attached already\n");
		return -EEXIST;
	}
	if (n >= RSIM_ATT_MAX) {
		pr_err("rpm_sim: attach: %u devices at most\n", RSIM_ATT_MAX);
		return -ENOSPC;
	}
	if (!device_is_registered(dev) || !dev->bus) {
		dev_err(dev, "rpm_sim: attach: not a registered device on a bus\n");
		return -ENODEV;
	}
	if (dev->power.irq_safe) {
		dev_err(dev, "rpm_sim: attach: irq-safe runtime PM: its callbacks cannot wait at a gate\n");
		return -EINVAL;
	}
	/*
	 * genpd's callbacks find their domain through dev->pm_domain, and a
	 * domain attached at probe (genpd, ACPI) goes at the unbind and would
	 * not come back in front of the wrapper: only rpm_sim's own can stay.
	 */
	if (dev->pm_domain && dev->pm_domain != &rsim_pm_domain) {
		dev_err(dev, "rpm_sim: attach: it has a PM domain (genpd, ACPI?): a wrapper cannot stand in front of it\n");
		return -EOPNOTSUPP;
	}
	if (!dev->bus->pm && (dev->bus->suspend || dev->bus->resume)) {
		dev_err(dev, "rpm_sim: attach: bus %s has legacy suspend/resume, which a domain would hide\n",
			dev->bus->name);
		return -EOPNOTSUPP;
	}
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->dev = dev;
	a->bus = dev->bus;
	spin_lock_init(&a->gone_lock);
	snprintf(a->id, sizeof(a->id), "%s:%s", bus, dev_name(dev));
	strscpy(a->gates.name, dev_name(dev), sizeof(a->gates.name));
	a->gates.dev = dev;
	rsim_gate_init(&a->gates);
	rsim_att_checks_init(&a->checks);
	a->nb.notifier_call = rsim_att_notify;
	ret = bus_register_notifier(a->bus, &a->nb);
	if (ret) {
		kfree(a);
		return ret;
	}

	if (dev->power.no_pm_callbacks)
		dev_info(dev, "rpm_sim: attach: it has no PM callbacks; with the wrapper's it is no longer left to itself in system sleep\n");
	a->orig = dev->pm_domain;
	rsim_att_build_domain(a);
	sleep = lock_system_sleep();
	rebind = rsim_att_swap(dev, &a->pd, "attach");
	/* Unbound now: what the parent holds without this device's driver. */
	rsim_att_checks_unbound_parent(&a->checks, dev);
	list_add_tail(&a->node, &rsim_atts);
	if (rebind && device_attach(dev) <= 0)
		dev_warn(dev, "rpm_sim: attach: not bound again\n");
	unlock_system_sleep(sleep);
	rsim_att_debugfs(a);
	dev_info(dev, "rpm_sim: attached%s\n", a->orig ? " (over its own PM domain)" : "");
	return 0;
}

/* Off the list: give the device back as it was, and forget it. */
static void rsim_att_del(struct rsim_att *a)
{
	struct device *dev = NULL;
	unsigned int sleep;
	bool rebind;

	list_del(&a->node);
	/* Lets a gate's waiter go first: removing the file waits for it. */
	rsim_gate_close(&a->gates);
	debugfs_remove(a->dbg);
	/* Our own reference: REMOVED_DEVICE may drop the attachment's meanwhile. */
	spin_lock(&a->gone_lock);
	if (!a->gone)
		dev = get_device(a->dev);
	spin_unlock(&a->gone_lock);
	if (dev) {
		sleep = lock_system_sleep();
		rebind = rsim_att_swap(dev, a->orig, "detach");
		rsim_att_unmark(a, dev);
		if (rebind && device_attach(dev) <= 0)
			dev_warn(dev, "rpm_sim: detach: not bound again\n");
		unlock_system_sleep(sleep);
	}
	bus_unregister_notifier(a->bus, &a->nb);
	if (dev) {
		dev_info(dev, "rpm_sim: detached\n");
		spin_lock(&a->gone_lock);
		if (!a->gone)
			put_device(dev);	/* the attachment's */
		a->gone = true;
		spin_unlock(&a->gone_lock);
		put_device(dev);
	}
	kfree(a);
}

/* "attach BUS DEVICE" or "detach BUS DEVICE" */
int rsim_attach_cmd(bool attach, int argc, char **argv)
{
	const char *cmd = attach ? "attach" : "detach";
	struct rsim_att *a, *tmp;
	struct device *dev;
	int ret = 0;

	if (argc != 2) {
		pr_err("rpm_sim: %s: expected 'BUS DEVICE'\n", cmd);
		return -EINVAL;
	}
	mutex_lock(&rsim_att_mutex);
	/* What was deleted while attached goes first. */
	list_for_each_entry_safe(a, tmp, &rsim_atts, node)
		if (READ_ONCE(a->gone))
			rsim_att_del(a);
	dev = rsim_att_find(argv[0], argv[1]);
	if (!dev) {
		pr_err("rpm_sim: %s: no device %s on bus %s\n", cmd, argv[1], argv[0]);
		ret = -ENODEV;
	} else if (rsim_att_closed) {
		ret = -ENODEV;
	} else if (attach) {
		ret = rsim_att_add(dev, argv[0]);
		if (!ret)
			dev = NULL;	/* the attachment holds the reference */
	} else {
		a = rsim_att_lookup(dev);
		if (a) {
			rsim_att_del(a);
		} else {
			dev_err(dev, "rpm_sim: detach: not attached\n");
			ret = -ENOENT;
		}
	}
	mutex_unlock(&rsim_att_mutex);
	put_device(dev);
	return ret;
}

int rsim_attach_show(struct seq_file *m, void *v)
{
	struct rsim_att *a;

	mutex_lock(&rsim_att_mutex);
	list_for_each_entry(a, &rsim_atts, node)
		seq_printf(m, "%s%s%s\n", a->id, a->orig ? " own_domain" : "",
			   READ_ONCE(a->gone) ? " deleted" : "");
	mutex_unlock(&rsim_att_mutex);
	return 0;
}

static void rsim_att_debugfs(struct rsim_att *a)
{
	if (!rsim_att_dbg)
		return;
	a->dbg = debugfs_create_dir(a->id, rsim_att_dbg);
	rsim_debugfs_gate_file(a->dbg, &a->gates);
	rsim_att_checks_file(a->dbg, &a->checks);
}

void rsim_attach_init(struct dentry *root)
{
	rsim_att_dbg = debugfs_create_dir("attached", root);
}

/* Module exit: every device goes back as it was. */
void rsim_attach_exit(void)
{
	struct rsim_att *a, *tmp;

	mutex_lock(&rsim_att_mutex);
	rsim_att_closed = true;
	list_for_each_entry_safe(a, tmp, &rsim_atts, node)
		rsim_att_del(a);
	mutex_unlock(&rsim_att_mutex);
}
