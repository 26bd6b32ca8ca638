// SPDX-License-Identifier: GPL-2.0
/*
 * Device links between simulated devices, and the record of them the
 * shutdown order and the topology lines read. Under rsim_lock.
 *
 * The driver core may delete a managed link by itself (an AUTOREMOVE_*
 * link at an unbind, any link at device_del() of an end), so a record
 * does not keep its struct device_link: it finds it again by its
 * link_dev's name in the devlink class, which also holds the link while
 * it is read. Holding the link_dev all along would not do: the core gives
 * back a supplier reference the consumer's probe took when the link_dev
 * is released (device_link_release_fn()).
 */
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

struct rsim_link {
	struct list_head node;		/* on rsim_links, under rsim_lock */
	struct rsim_dev *consumer;
	struct rsim_dev *supplier;
	/* the devlink class, const from v6.4 on */
	typeof_member(struct device, class) cls;
	char *name;			/* the link's link_dev's */
	u32 flags;
};

static LIST_HEAD(rsim_links);

/*
 * DL_FLAG_SYNC_STATE_ONLY makes a managed link that the driver core drops
 * by itself when its consumer binds: its state is never read here.
 */
#define RSIM_LINK_FLAGS	(DL_FLAG_STATELESS | DL_FLAG_PM_RUNTIME | DL_FLAG_RPM_ACTIVE | \
			 DL_FLAG_SYNC_STATE_ONLY | DL_FLAG_AUTOREMOVE_CONSUMER | \
			 DL_FLAG_AUTOREMOVE_SUPPLIER | DL_FLAG_AUTOPROBE_CONSUMER)

/* @l's link with a reference on it, or NULL once the driver core deleted it. */
static struct device_link *rsim_link_get(const struct rsim_link *l)
{
	struct device *d = class_find_device_by_name(l->cls, l->name);

	return d ? container_of(d, struct device_link, link_dev) : NULL;
}

static void rsim_link_put(struct device_link *link)
{
	put_device(&link->link_dev);
}

/* The driver core still has the link: it did not delete it. */
static bool rsim_link_alive(const struct rsim_link *l)
{
	struct device_link *link = rsim_link_get(l);

	if (link)
		rsim_link_put(link);
	return link;
}

static struct rsim_link *rsim_link_find(struct rsim_dev *c, struct rsim_dev *s)
{
	struct rsim_link *l;

	lockdep_assert_held(&rsim_lock);
	list_for_each_entry(l, &rsim_links, node)
		if (l->consumer == c && l->supplier == s)
			return l;
	return NULL;
}

bool rsim_link_exists(struct rsim_dev *consumer, struct rsim_dev *supplier)
{
	return rsim_link_find(consumer, supplier);
}

/*
 * Forget a link. A stateless link is ours to delete. A managed one is the
 * driver core's: it cannot be dropped while the consumer is registered
 * (device_link_put_kref() warns), and device_del() of either end purges it,
 * so only our record goes.
 */
static void rsim_link_free(struct rsim_link *l)
{
	struct device_link *link;

	if (l->flags & DL_FLAG_STATELESS) {
		link = rsim_link_get(l);
		if (link) {
			device_link_del(link);
			rsim_link_put(link);
		}
	}
	list_del(&l->node);
	kfree(l->name);
	kfree(l);
}

/* @rsim is going: every link it is an end of goes first. */
void rsim_link_forget(struct rsim_dev *rsim)
{
	struct rsim_link *l, *tmp;

	lockdep_assert_held(&rsim_lock);
	list_for_each_entry_safe(l, tmp, &rsim_links, node)
		if (l->consumer == rsim || l->supplier == rsim)
			rsim_link_free(l);
}

/*
 * @l is a link of consumer @rsim that orders it after its supplier. A
 * sync_state_only link orders nothing (no shutdown or sleep order), nor
 * does one the driver core deleted.
 */
static bool rsim_link_orders(const struct rsim_link *l, struct rsim_dev *rsim)
{
	return l->consumer == rsim && !(l->flags & DL_FLAG_SYNC_STATE_ONLY) &&
	       rsim_link_alive(l);
}

/* "A,B": the names of @rsim's suppliers, kmalloc'ed; NULL when none. */
char *rsim_link_suppliers(struct rsim_dev *rsim)
{
	struct rsim_link *l;
	size_t len = 0, off = 0;
	char *s;

	lockdep_assert_held(&rsim_lock);
	list_for_each_entry(l, &rsim_links, node)
		if (rsim_link_orders(l, rsim))
			len += strlen(l->supplier->name) + 1;
	if (!len)
		return NULL;
	s = kmalloc(len, GFP_KERNEL);
	if (!s)
		return NULL;
	list_for_each_entry(l, &rsim_links, node)
		if (rsim_link_orders(l, rsim))
			off += scnprintf(s + off, len - off, "%s%s", off ? "," : "",
					 l->supplier->name);
	return s;
}

int rsim_link_add_locked(struct rsim_dev *consumer, struct rsim_dev *supplier, u32 flags)
{
	struct device_link *link;
	struct rsim_link *l;

	lockdep_assert_held(&rsim_lock);
	if (flags & ~RSIM_LINK_FLAGS || consumer == supplier) {
		pr_err("rpm_sim: link: bad flags or a device linked to itself\n");
		return -EINVAL;
	}
	l = rsim_link_find(consumer, supplier);
	if (l && rsim_link_alive(l))
		return -EEXIST;
	if (l)
		rsim_link_free(l);	/* the core deleted it: a new one may come */
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	link = device_link_add(consumer->dev, supplier->dev, flags);
	if (!link) {
		pr_err("rpm_sim: device_link_add(%s, %s) refused (cycle or bad flags)\n",
		       consumer->name, supplier->name);
		kfree(l);
		return -EINVAL;
	}
	l->cls = link->link_dev.class;
	l->name = kstrdup(dev_name(&link->link_dev), GFP_KERNEL);
	if (!l->name) {
		if (flags & DL_FLAG_STATELESS)
			device_link_del(link);
		kfree(l);
		return -ENOMEM;
	}
	l->consumer = consumer;
	l->supplier = supplier;
	l->flags = flags;
	list_add_tail(&l->node, &rsim_links);
	return 0;
}

int rsim_link_del_locked(struct rsim_dev *consumer, struct rsim_dev *supplier)
{
	struct rsim_link *l;

	lockdep_assert_held(&rsim_lock);
	l = rsim_link_find(consumer, supplier);
	if (!l)
		return -ENOENT;
	if (!rsim_link_alive(l)) {
		pr_err("rpm_sim: del_link: the driver core deleted %s -> %s already\n",
		       consumer->name, supplier->name);
		rsim_link_free(l);
		return -ENOENT;
	}
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
 * @flags: DL_FLAG_STATELESS, DL_FLAG_PM_RUNTIME, DL_FLAG_RPM_ACTIVE,
 *	DL_FLAG_SYNC_STATE_ONLY, DL_FLAG_AUTOREMOVE_CONSUMER,
 *	DL_FLAG_AUTOREMOVE_SUPPLIER and DL_FLAG_AUTOPROBE_CONSUMER only
 *
 * Return: 0, -EINVAL for other flags, a self link or one device_link_add()
 * refuses (a cycle, or flags it does not combine), -EEXIST if the link
 * exists (a link the driver core deleted may be added again).
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

/**
 * rsim_link_state() - the driver core's state of a link rsim_link_add() made
 * @consumer: the consumer
 * @supplier: the supplier
 *
 * Return: its enum device_link_state (DL_STATE_NONE for a stateless link),
 * or -ENOENT when rpm_sim holds no such link, the driver core deleted it
 * (an AUTOREMOVE_* link after its unbind), or it may have (sync_state_only).
 */
int rsim_link_state(struct rsim_dev *consumer, struct rsim_dev *supplier)
{
	struct device_link *link = NULL;
	struct rsim_link *l;
	int ret = -ENOENT;

	mutex_lock(&rsim_lock);
	l = rsim_link_find(consumer, supplier);
	if (l && !(l->flags & DL_FLAG_SYNC_STATE_ONLY))
		link = rsim_link_get(l);
	if (link) {
		ret = READ_ONCE(link->status);
		rsim_link_put(link);
	}
	mutex_unlock(&rsim_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(rsim_link_state);
