// SPDX-License-Identifier: GPL-2.0
/*
 * Simulated devices: creation and deletion on either bus, lookup, device
 * links, and the text commands of the bus's new_device, del_device,
 * new_link and del_link attributes.
 *
 * rsim_lock serialises every change to the device list, the parent/child
 * counts and the links. Device registration runs under it, so a name is
 * never reused before the previous device is gone from sysfs.
 */
#include <linux/module.h>
#include <linux/pm_runtime.h>
#include <linux/platform_device.h>
#include <linux/pm_domain.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/ctype.h>

#include "internal.h"

/* Serialises the device list, parent/child counts and links. */
DEFINE_MUTEX(rsim_lock);
LIST_HEAD(rsim_devices);

struct rsim_link {
	struct list_head node;		/* on rsim_links, under rsim_lock */
	struct rsim_dev *consumer;
	struct rsim_dev *supplier;
	struct device_link *link;
	u32 flags;
};

static LIST_HEAD(rsim_links);

/*
 * Cleared by module exit before it deletes everything, under rsim_lock: a
 * new_device write racing with rmmod must not create a device after the
 * sweep (it would outlive the module and crash the next device_shutdown()).
 */
static bool rsim_open = true;

struct rsim_dev *rsim_from_dev(struct device *dev)
{
	if (dev->bus == &rsim_bus)
		return container_of(dev, struct rsim_dev, sim_dev);
	return rsim_from_platform(dev);
}

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

/**
 * rsim_dev_set_behaviour() - set the driver behaviour of @rsim
 * @rsim: the device
 * @beh: the behaviour; its one-shot counters start again
 *
 * Set it while the device is unbound: the callbacks read it unlocked.
 */
void rsim_dev_set_behaviour(struct rsim_dev *rsim, const struct rsim_behaviour *beh)
{
	rsim->beh = *beh;
	rsim_drv_arm(rsim);
}
EXPORT_SYMBOL_GPL(rsim_dev_set_behaviour);

/**
 * rsim_dev_set_bindable() - let the bus match @rsim with its driver, or not
 * @rsim: the device
 * @bindable: the new setting; takes effect at the next match
 */
void rsim_dev_set_bindable(struct rsim_dev *rsim, bool bindable)
{
	WRITE_ONCE(rsim->bindable, bindable);
	if (rsim->bus == RSIM_BUS_PLATFORM)
		rsim_platform_set_bindable(rsim, bindable);
}
EXPORT_SYMBOL_GPL(rsim_dev_set_bindable);

static void rsim_free(struct rsim_dev *rsim)
{
	kfree(rsim->shutdown_deps);
	kfree(rsim);
}

static void rsim_sim_release(struct device *dev)
{
	rsim_free(container_of(dev, struct rsim_dev, sim_dev));
}

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

static int rsim_sim_add_device(struct rsim_dev *rsim)
{
	struct device *dev = &rsim->sim_dev;
	int ret;

	device_initialize(dev);
	dev->bus = &rsim_bus;
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

static struct rsim_dev *rsim_dev_create_locked(const struct rsim_dev_config *cfg)
{
	struct rsim_dev *rsim;
	int ret;

	lockdep_assert_held(&rsim_lock);
	if (!rsim_open)
		return ERR_PTR(-ENODEV);
	if (!cfg->name || !rsim_name_valid(cfg->name)) {
		pr_err("rpm_sim: device name must be 1-%d characters of [A-Za-z0-9_-]\n",
		       RSIM_NAME_LEN - 1);
		return ERR_PTR(-EINVAL);
	}
	if (cfg->bus != RSIM_BUS_SIM && cfg->bus != RSIM_BUS_PLATFORM)
		return ERR_PTR(-EINVAL);
	if (rsim_dev_find_locked(cfg->name)) {
		pr_err("rpm_sim: device %s exists already\n", cfg->name);
		return ERR_PTR(-EEXIST);
	}

	rsim = kzalloc(sizeof(*rsim), GFP_KERNEL);
	if (!rsim)
		return ERR_PTR(-ENOMEM);
	strscpy(rsim->name, cfg->name, sizeof(rsim->name));
	rsim->bus = cfg->bus;
	rsim->parent = cfg->parent;
	rsim->pm_domain = cfg->pm_domain;
	rsim->bindable = !cfg->no_bind;
	rsim->async_probe = cfg->async_probe;
	rsim->beh = cfg->beh;
	rsim_drv_arm(rsim);
	rsim_gate_init(rsim);
	rsim_work_init(rsim);
	init_completion(&rsim->shutdown_done);

	if (rsim->bus == RSIM_BUS_SIM) {
		ret = rsim_sim_add_device(rsim);
		if (ret) {
			/* The release callback frees rsim. */
			put_device(&rsim->sim_dev);
			return ERR_PTR(ret);
		}
	} else {
		ret = rsim_platform_add_device(rsim);
		if (ret) {
			kfree(rsim);
			return ERR_PTR(ret);
		}
	}
	/* Flags the PM core reads at suspend time; not part of matching. */
	if (cfg->async_suspend)
		device_enable_async_suspend(rsim->dev);
	if (cfg->ignore_children)
		pm_suspend_ignore_children(rsim->dev, true);
	rsim_shutdown_opt_in(rsim);

	if (rsim->parent)
		rsim->parent->nr_children++;
	list_add_tail(&rsim->node, &rsim_devices);
	rsim_debugfs_add_dev(rsim);
	return rsim;
}

/**
 * rsim_dev_create() - create and register a simulated device
 * @cfg: what it is; @cfg->parent must be a live rsim device or NULL
 *
 * If a driver matches, it is bound before this returns (probe may fail or
 * defer: that is the driver behaviour's business, not an error here).
 *
 * Return: the device, or ERR_PTR(-EINVAL) for a bad name, -EEXIST for a
 * name in use, -ENOMEM, or what device registration returned.
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
 * Forget a link. A stateless link is ours to delete. A managed one is the
 * driver core's: it cannot be dropped while the consumer is registered
 * (device_link_put_kref() warns), and device_del() of either end purges it,
 * so only our record goes.
 */
static void rsim_link_free(struct rsim_link *l)
{
	if (l->flags & DL_FLAG_STATELESS)
		device_link_del(l->link);
	list_del(&l->node);
	kfree(l);
}

static int rsim_dev_destroy_locked(struct rsim_dev *rsim)
{
	struct rsim_link *l, *tmp;

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
	rsim_gate_release_all(rsim);

	list_for_each_entry_safe(l, tmp, &rsim_links, node)
		if (l->consumer == rsim || l->supplier == rsim)
			rsim_link_free(l);

	rsim_debugfs_del_dev(rsim);
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
		platform_device_unregister(rsim->pdev);
		cancel_work_sync(&rsim->work);
		rsim_free(rsim);
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

/* No more devices: module exit, or the system is going down. */
void rsim_dev_close(void)
{
	lockdep_assert_held(&rsim_lock);
	rsim_open = false;
}

/* Module exit: release every gate, then delete children before parents. */
void rsim_dev_destroy_all(void)
{
	struct rsim_dev *rsim;

	mutex_lock(&rsim_lock);
	rsim_dev_close();
	list_for_each_entry(rsim, &rsim_devices, node)
		rsim_gate_release_all(rsim);
	while (!list_empty(&rsim_devices)) {
		/* Created after its parent, so the last one has no children. */
		rsim = list_last_entry(&rsim_devices, struct rsim_dev, node);
		if (WARN_ON(rsim_dev_destroy_locked(rsim)))
			break;
	}
	mutex_unlock(&rsim_lock);
}

static struct rsim_link *rsim_link_find(struct rsim_dev *c, struct rsim_dev *s)
{
	struct rsim_link *l;

	list_for_each_entry(l, &rsim_links, node)
		if (l->consumer == c && l->supplier == s)
			return l;
	return NULL;
}

bool rsim_link_exists(struct rsim_dev *consumer, struct rsim_dev *supplier)
{
	lockdep_assert_held(&rsim_lock);
	return rsim_link_find(consumer, supplier);
}

#define RSIM_LINK_FLAGS	(DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME | DL_FLAG_RPM_ACTIVE)

static int rsim_link_add_locked(struct rsim_dev *consumer,
				struct rsim_dev *supplier, u32 flags)
{
	struct rsim_link *l;

	lockdep_assert_held(&rsim_lock);
	if (flags & ~RSIM_LINK_FLAGS || consumer == supplier) {
		pr_err("rpm_sim: link: bad flags or a device linked to itself\n");
		return -EINVAL;
	}
	if (rsim_link_find(consumer, supplier))
		return -EEXIST;
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	l->link = device_link_add(consumer->dev, supplier->dev, flags);
	if (!l->link) {
		pr_err("rpm_sim: device_link_add(%s, %s) refused (cycle or bad flags)\n",
		       consumer->name, supplier->name);
		kfree(l);
		return -EINVAL;
	}
	l->consumer = consumer;
	l->supplier = supplier;
	l->flags = flags;
	list_add_tail(&l->node, &rsim_links);
	return 0;
}

static int rsim_link_del_locked(struct rsim_dev *consumer, struct rsim_dev *supplier)
{
	struct rsim_link *l;

	lockdep_assert_held(&rsim_lock);
	l = rsim_link_find(consumer, supplier);
	if (!l)
		return -ENOENT;
	if (!(l->flags & DL_FLAG_STATELESS)) {
		pr_err("rpm_sim: del_link: %s -> %s is managed; it goes with its devices\n",
		       consumer->name, supplier->name);
		return -EPERM;
	}
	rsim_link_free(l);
	return 0;
}

/**
 * rsim_link_add() - add a device link from @consumer to @supplier
 * @consumer: the consumer
 * @supplier: the supplier
 * @flags: DL_FLAG_STATELESS, DL_FLAG_PM_RUNTIME and DL_FLAG_RPM_ACTIVE only
 *
 * Return: 0, -EINVAL for other flags, a self link or one device_link_add()
 * refuses (a cycle), -EEXIST if the link exists.
 */
int rsim_link_add(struct rsim_dev *consumer, struct rsim_dev *supplier, u32 flags)
{
	int ret;

	mutex_lock(&rsim_lock);
	ret = rsim_link_add_locked(consumer, supplier, flags);
	mutex_unlock(&rsim_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(rsim_link_add);

/**
 * rsim_link_del() - delete a stateless link rsim_link_add() made
 * @consumer: the consumer
 * @supplier: the supplier
 *
 * Return: 0, -ENOENT, or -EPERM for a managed link (the driver core drops
 * those when either device is deleted).
 */
int rsim_link_del(struct rsim_dev *consumer, struct rsim_dev *supplier)
{
	int ret;

	mutex_lock(&rsim_lock);
	ret = rsim_link_del_locked(consumer, supplier);
	mutex_unlock(&rsim_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(rsim_link_del);

/* Text commands */

#define RSIM_CMD_MAX	512

static int rsim_dev_set_key(struct rsim_dev_config *cfg, char *parent,
			    const char *key, const char *val)
{
	bool b;

	if (!strcmp(key, "bus")) {
		if (!strcmp(val, "rpm_sim"))
			cfg->bus = RSIM_BUS_SIM;
		else if (!strcmp(val, "platform"))
			cfg->bus = RSIM_BUS_PLATFORM;
		else
			return -EINVAL;
		return 0;
	}
	if (!strcmp(key, "parent"))
		return strscpy(parent, val, RSIM_NAME_LEN) < 0 ? -EINVAL : 0;
	if (!strcmp(key, "async_probe")) {
		if (kstrtobool(val, &b))
			return -EINVAL;
		cfg->async_probe = b;
		return 0;
	}
	if (!strcmp(key, "pd") || !strcmp(key, "async") ||
	    !strcmp(key, "ignore_children") || !strcmp(key, "bind")) {
		if (kstrtobool(val, &b))
			return -EINVAL;
		if (key[0] == 'p')
			cfg->pm_domain = b;
		else if (key[0] == 'a')
			cfg->async_suspend = b;
		else if (key[0] == 'i')
			cfg->ignore_children = b;
		else
			cfg->no_bind = !b;
		return 0;
	}
	return rsim_behaviour_set(&cfg->beh, key, val);
}

/*
 * Split "word word ..." in place; calls @fn(key, val) on each key=val word
 * after the first @nlead plain words, which go to @lead.
 */
static int rsim_words(char *s, char **lead, int nlead,
		      int (*fn)(void *ctx, const char *key, const char *val),
		      void *ctx)
{
	char *w, *eq;
	int n = 0, ret;

	while ((w = strsep(&s, " \t\n"))) {
		if (!*w)
			continue;
		if (n < nlead) {
			lead[n++] = w;
			continue;
		}
		eq = strchr(w, '=');
		if (!eq || eq == w) {
			pr_err("rpm_sim: expected key=value, got '%s'\n", w);
			return -EINVAL;
		}
		*eq = '\0';
		ret = fn(ctx, w, eq + 1);
		if (ret) {
			pr_err("rpm_sim: bad value '%s' for key '%s'\n", eq + 1, w);
			return ret;
		}
	}
	return n == nlead ? 0 : -EINVAL;
}

struct rsim_new_ctx {
	struct rsim_dev_config cfg;
	char parent[RSIM_NAME_LEN];
};

static int rsim_new_key(void *ctx, const char *key, const char *val)
{
	struct rsim_new_ctx *c = ctx;

	return rsim_dev_set_key(&c->cfg, c->parent, key, val);
}

/* new_device: "NAME [bus=rpm_sim|platform] [parent=NAME] [pd=0|1] ..." */
int rsim_dev_parse_new(const char *buf)
{
	struct rsim_new_ctx *c;
	struct rsim_dev *rsim;
	char *copy, *name;
	int ret;

	if (strnlen(buf, RSIM_CMD_MAX) >= RSIM_CMD_MAX)
		return -EINVAL;
	copy = kstrdup(buf, GFP_KERNEL);
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!copy || !c) {
		ret = -ENOMEM;
		goto out;
	}
	c->cfg.beh.remove = RSIM_REMOVE_DISABLE;
	ret = rsim_words(copy, &name, 1, rsim_new_key, c);
	if (ret) {
		pr_err("rpm_sim: new_device: expected 'NAME [key=value ...]'\n");
		goto out;
	}
	c->cfg.name = name;

	mutex_lock(&rsim_lock);
	if (c->parent[0]) {
		c->cfg.parent = rsim_dev_find_locked(c->parent);
		if (!c->cfg.parent) {
			pr_err("rpm_sim: new_device: no parent named %s\n", c->parent);
			ret = -ENODEV;
			goto unlock;
		}
	}
	rsim = rsim_dev_create_locked(&c->cfg);
	ret = PTR_ERR_OR_ZERO(rsim);
unlock:
	mutex_unlock(&rsim_lock);
out:
	kfree(c);
	kfree(copy);
	return ret;
}

static int rsim_no_key(void *ctx, const char *key, const char *val)
{
	return -EINVAL;
}

/* del_device: "NAME" */
int rsim_dev_parse_del(const char *buf)
{
	struct rsim_dev *rsim;
	char *copy, *name;
	int ret;

	copy = kstrndup(buf, RSIM_CMD_MAX, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	ret = rsim_words(copy, &name, 1, rsim_no_key, NULL);
	if (ret) {
		pr_err("rpm_sim: del_device: expected 'NAME'\n");
		goto out;
	}
	mutex_lock(&rsim_lock);
	rsim = rsim_dev_find_locked(name);
	if (rsim) {
		ret = rsim_dev_destroy_locked(rsim);
	} else {
		pr_err("rpm_sim: del_device: no device named %s\n", name);
		ret = -ENODEV;
	}
	mutex_unlock(&rsim_lock);
out:
	kfree(copy);
	return ret;
}

static int rsim_link_key(void *ctx, const char *key, const char *val)
{
	u32 *flags = ctx;
	bool b;

	if (kstrtobool(val, &b))
		return -EINVAL;
	if (!strcmp(key, "pm_runtime"))
		*flags = b ? *flags | DL_FLAG_PM_RUNTIME : *flags & ~DL_FLAG_PM_RUNTIME;
	else if (!strcmp(key, "stateless"))
		*flags = b ? *flags | DL_FLAG_STATELESS : *flags & ~DL_FLAG_STATELESS;
	else if (!strcmp(key, "rpm_active"))
		*flags = b ? *flags | DL_FLAG_RPM_ACTIVE : *flags & ~DL_FLAG_RPM_ACTIVE;
	else
		return -EINVAL;
	return 0;
}

/* new_link: "CONSUMER SUPPLIER [pm_runtime=1] [stateless=1] [rpm_active=1]" */
int rsim_link_parse(const char *buf, bool add)
{
	struct rsim_dev *c, *s;
	char *copy, *names[2];
	u32 flags = 0;
	int ret;

	copy = kstrndup(buf, RSIM_CMD_MAX, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	ret = rsim_words(copy, names, 2, add ? rsim_link_key : rsim_no_key, &flags);
	if (ret) {
		pr_err("rpm_sim: %s: expected 'CONSUMER SUPPLIER%s'\n",
		       add ? "new_link" : "del_link",
		       add ? " [pm_runtime=0|1] [stateless=0|1] [rpm_active=0|1]" : "");
		goto out;
	}
	mutex_lock(&rsim_lock);
	c = rsim_dev_find_locked(names[0]);
	s = rsim_dev_find_locked(names[1]);
	if (!c || !s) {
		pr_err("rpm_sim: link: no device named %s\n", c ? names[1] : names[0]);
		ret = -ENODEV;
	} else if (add) {
		ret = rsim_link_add_locked(c, s, flags);
	} else {
		ret = rsim_link_del_locked(c, s);
	}
	mutex_unlock(&rsim_lock);
out:
	kfree(copy);
	return ret;
}
