// SPDX-License-Identifier: GPL-2.0
/*
 * The checkers on an attached device (attached/BUS:DEVICE/checks): what
 * checker.c finds in a simulated device's history, found here as it
 * happens, since a real driver logs nothing of its own.
 *
 * callback_after_remove: a callback passed through the wrapper after the
 * driver's ->remove returned and before the unbind ended (UNBOUND_DRIVER),
 * while dev->driver still leads the core to the driver's callbacks. The
 * end of ->remove is a devres action that attach.c adds at BOUND_DRIVER:
 * the last one added, the first one released. A driver whose runtime PM
 * devres undoes (devm_pm_runtime_enable()) meets its ->runtime_suspend
 * there: whether that is a bug depends on what ->remove already tore down.
 *
 * usage_not_back: an unbind that left usage_count or disable_depth other
 * than they were at BIND_DRIVER, before ->probe: the driver kept a
 * reference, or left runtime PM enabled or disabled once too often.
 *
 * parent_not_back: an unbind that left the parent's usage_count other than
 * it was while the device was last unbound (at attach, or the unbind
 * before): the driver kept a reference on its parent. Not at BIND_DRIVER,
 * where the core holds one of its own around ->probe (and a bind without
 * a probe does not). Anything else that takes and keeps a reference on the
 * parent meanwhile, another child's driver say, is counted too: the
 * reason names the parent, for the reader to judge. Suppliers are not
 * watched: their links' state is the driver core's, read under its lock.
 *
 * failed_probe_not_back: a probe that failed (DRIVER_NOT_BOUND) and left
 * usage_count or disable_depth, or the parent's usage_count, other than
 * they were at its BIND_DRIVER. Seen at the next BIND_DRIVER, the first
 * moment after the failure when the core's own references are as they
 * were at that one (it holds the parent's across ->probe, and releases
 * the failed probe's devres after DRIVER_NOT_BOUND): a leak shows when the
 * probe is tried again, as the core itself never resets the counts (RI-5).
 * The parent is compared between two probes; a device_bind_driver()
 * (BIND_DRIVER without a probe, and without the core's reference on the
 * parent) after a failed probe would count, and its reason says so.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "internal.h"

void rsim_att_checks_init(struct rsim_att_checks *c)
{
	spin_lock_init(&c->lock);
}

/* BIND_DRIVER: ->probe comes; what the unbind must give back. */
void rsim_att_checks_bind(struct rsim_att_checks *c, struct device *dev)
{
	struct rsim_pm_state st;

	int parent = dev->parent ? atomic_read(&dev->parent->power.usage_count) : 0;

	rsim_pm_snapshot(dev, &st);
	spin_lock(&c->lock);
	if (c->failed && (st.usage_count != c->bind_usage ||
			  st.disable_depth != c->bind_depth ||
			  (c->bind_parent_known && parent != c->bind_parent_usage)) &&
	    !c->failed_not_back++)
		snprintf(c->failed_why, sizeof(c->failed_why),
			 "usage_count %d, disable_depth %u, parent usage_count %d; at the failed probe's bind %d, %u, %d",
			 st.usage_count, st.disable_depth, parent, c->bind_usage,
			 c->bind_depth, c->bind_parent_usage);
	c->failed = false;
	c->removed = false;
	c->baseline = true;
	c->bind_usage = st.usage_count;
	c->bind_depth = st.disable_depth;
	c->bind_parent_known = !!dev->parent;
	c->bind_parent_usage = parent;
	spin_unlock(&c->lock);
}

/* DRIVER_NOT_BOUND: the probe failed; the next BIND_DRIVER compares. */
void rsim_att_checks_not_bound(struct rsim_att_checks *c)
{
	spin_lock(&c->lock);
	c->failed_probes++;
	c->failed = c->baseline;
	c->baseline = false;
	spin_unlock(&c->lock);
}

/* The first devres action released: ->remove has returned. */
void rsim_att_checks_removed(struct rsim_att_checks *c)
{
	spin_lock(&c->lock);
	c->removed = true;
	spin_unlock(&c->lock);
}

/* At the wrapper's entry of a callback (event @ev) for @dev. */
void rsim_att_checks_callback(struct rsim_att_checks *c, struct device *dev,
			      enum rsim_ev ev)
{
	spin_lock(&c->lock);
	if (c->removed && READ_ONCE(dev->driver) && !c->after_remove++)
		snprintf(c->after_remove_why, sizeof(c->after_remove_why),
			 "%s entered after ->remove returned", rsim_ev_name(ev));
	spin_unlock(&c->lock);
}

/*
 * The device is unbound (at attach, and at each UNBOUND_DRIVER): the
 * parent's usage_count against the last time, and the new baseline.
 */
void rsim_att_checks_unbound_parent(struct rsim_att_checks *c, struct device *dev)
{
	struct device *parent = dev->parent;
	int usage;

	if (!parent)
		return;
	usage = atomic_read(&parent->power.usage_count);
	spin_lock(&c->lock);
	if (c->parent_known && usage != c->parent_usage && !c->parent_not_back++)
		snprintf(c->parent_why, sizeof(c->parent_why),
			 "parent %s usage_count %d, %d before the binding",
			 dev_name(parent), usage, c->parent_usage);
	c->parent_known = true;
	c->parent_usage = usage;
	spin_unlock(&c->lock);
}

/* UNBOUND_DRIVER: the driver is gone; compare with the baseline. */
void rsim_att_checks_unbound(struct rsim_att_checks *c, struct device *dev)
{
	struct rsim_pm_state st;

	rsim_pm_snapshot(dev, &st);
	spin_lock(&c->lock);
	c->unbinds++;
	c->removed = false;
	if (c->baseline && (st.usage_count != c->bind_usage ||
			    st.disable_depth != c->bind_depth) && !c->not_back++)
		snprintf(c->not_back_why, sizeof(c->not_back_why),
			 "usage_count %d, disable_depth %u; at bind %d, %u",
			 st.usage_count, st.disable_depth, c->bind_usage,
			 c->bind_depth);
	c->baseline = false;
	spin_unlock(&c->lock);
	rsim_att_checks_unbound_parent(c, dev);
}

/* An unbind's end could not be marked (no memory for the devres action). */
void rsim_att_checks_unmarked(struct rsim_att_checks *c)
{
	spin_lock(&c->lock);
	c->unmarked++;
	spin_unlock(&c->lock);
}

static int rsim_att_checks_show(struct seq_file *m, void *v)
{
	struct rsim_att_checks *c = m->private, snap;

	spin_lock(&c->lock);
	snap = *c;
	spin_unlock(&c->lock);
	/* Nothing checked is said too: "unbinds 0" is no verdict. */
	seq_printf(m, "unbinds %u\n", snap.unbinds);
	seq_printf(m, "callback_after_remove %u%s%s\n", snap.after_remove,
		   snap.after_remove ? " " : "", snap.after_remove ? snap.after_remove_why : "");
	seq_printf(m, "usage_not_back %u%s%s\n", snap.not_back,
		   snap.not_back ? " " : "", snap.not_back ? snap.not_back_why : "");
	seq_printf(m, "parent_not_back %u%s%s\n", snap.parent_not_back,
		   snap.parent_not_back ? " " : "",
		   snap.parent_not_back ? snap.parent_why : "");
	seq_printf(m, "failed_probes %u\n", snap.failed_probes);
	seq_printf(m, "failed_probe_not_back %u%s%s\n", snap.failed_not_back,
		   snap.failed_not_back ? " " : "",
		   snap.failed_not_back ? snap.failed_why : "");
	if (snap.unmarked)
		seq_printf(m, "remove_unmarked %u (callback_after_remove missed those)\n",
			   snap.unmarked);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(rsim_att_checks);

void rsim_att_checks_file(struct dentry *dir, struct rsim_att_checks *c)
{
	debugfs_create_file("checks", 0400, dir, c, &rsim_att_checks_fops);
}
