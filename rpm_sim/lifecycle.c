// SPDX-License-Identifier: GPL-2.0
/*
 * The driver core's announcements about a device, checked as they come
 * against what its driver and its PM domain saw. Every bind is
 * BIND_DRIVER, ->probe, then BOUND_DRIVER when the probe succeeded or
 * DRIVER_NOT_BOUND when it did not; every unbind is UNBIND_DRIVER,
 * ->remove, UNBOUND_DRIVER; a device is announced (ADD_DEVICE) before any
 * of that, and REMOVED_DEVICE comes after DEL_DEVICE, once it is unbound.
 * A device in the rpm_sim PM domain also sees the domain's ->activate
 * between BIND_DRIVER and ->probe, ->sync between a successful ->probe and
 * BOUND_DRIVER, and ->dismiss after DRIVER_NOT_BOUND or after ->remove,
 * before UNBOUND_DRIVER (really_probe(), device_unbind_cleanup();
 * drivers/base/dd.c, core.c, the same in 6.1 and 6.12). Each suite case
 * and each selftest deletes the devices it made, and the deletion fails
 * when the history broke this.
 *
 * A device bound by device_bind_driver(), as a driver claims a second
 * device from its own ->probe, is announced BIND_DRIVER then BOUND_DRIVER
 * with nothing between: no ->probe, no ->activate, no ->sync. rpm_sim
 * says when it makes such a bind (rsim_lc_claim()).
 */
#include <linux/device/bus.h>

#include "internal.h"

enum rsim_lc_step {
	RSIM_LC_ADD,
	RSIM_LC_BIND,
	RSIM_LC_ACTIVATE,
	RSIM_LC_PROBE_IN,
	RSIM_LC_PROBE_OK,
	RSIM_LC_PROBE_ERR,
	RSIM_LC_SYNC,
	RSIM_LC_BOUND,
	RSIM_LC_NOT_BOUND,
	RSIM_LC_UNBIND,
	RSIM_LC_REMOVE_IN,
	RSIM_LC_REMOVE_OUT,
	RSIM_LC_DISMISS,
	RSIM_LC_UNBOUND,
	RSIM_LC_DEL,
	RSIM_LC_REMOVED,
	RSIM_LC_CLAIM,
};

static const char * const rsim_lc_state_names[] = {
	[RSIM_LCS_NEW] = "new",
	[RSIM_LCS_UNBOUND] = "unbound",
	[RSIM_LCS_BINDING] = "binding",
	[RSIM_LCS_ACTIVATED] = "activated",
	[RSIM_LCS_PROBING] = "in ->probe",
	[RSIM_LCS_PROBED] = "probed",
	[RSIM_LCS_SYNCED] = "synced",
	[RSIM_LCS_PROBE_FAILED] = "probe failed",
	[RSIM_LCS_NOT_DISMISSED] = "not bound, not dismissed",
	[RSIM_LCS_BOUND] = "bound",
	[RSIM_LCS_UNBINDING] = "unbinding",
	[RSIM_LCS_REMOVING] = "in ->remove",
	[RSIM_LCS_REMOVED] = "removed",
	[RSIM_LCS_DISMISSED] = "dismissed",
	[RSIM_LCS_GONE] = "deleted",
	[RSIM_LCS_CLAIMED] = "claimed",
	[RSIM_LCS_CLAIMING] = "binding without ->probe",
};

#define S(x)	BIT(RSIM_LCS_##x)

/*
 * Each step: its name, the states it may come in and the state it leaves,
 * for a device without the PM domain and, where they differ, with it.
 */
static const struct rsim_lc_rule {
	const char *name;
	unsigned long from, pd_from;
	enum rsim_lc_state to, pd_to;	/* RSIM_LCS_NR: stays where it was */
} rsim_lc_steps[] = {
#define LC(step, n, f, t, pf, pt) \
	[RSIM_LC_##step] = { .name = n, .from = f, .to = t, .pd_from = pf, .pd_to = pt }
	LC(ADD, "ADD_DEVICE", S(NEW), RSIM_LCS_UNBOUND,
	   S(NEW), RSIM_LCS_UNBOUND),
	/* Its target depends on where it comes: see rsim_lc_step(). */
	LC(BIND, "BIND_DRIVER", S(UNBOUND) | S(CLAIMED), RSIM_LCS_BINDING,
	   S(UNBOUND) | S(CLAIMED), RSIM_LCS_BINDING),
	LC(ACTIVATE, "the PM domain's ->activate", 0, RSIM_LCS_NR,
	   S(BINDING), RSIM_LCS_ACTIVATED),
	LC(PROBE_IN, "->probe", S(BINDING), RSIM_LCS_PROBING,
	   S(ACTIVATED), RSIM_LCS_PROBING),
	LC(PROBE_OK, "->probe returning 0", S(PROBING), RSIM_LCS_PROBED,
	   S(PROBING), RSIM_LCS_PROBED),
	LC(PROBE_ERR, "->probe returning an error", S(PROBING), RSIM_LCS_PROBE_FAILED,
	   S(PROBING), RSIM_LCS_PROBE_FAILED),
	LC(SYNC, "the PM domain's ->sync", 0, RSIM_LCS_NR, S(PROBED), RSIM_LCS_SYNCED),
	LC(BOUND, "BOUND_DRIVER", S(PROBED) | S(CLAIMING), RSIM_LCS_BOUND,
	   S(SYNCED) | S(CLAIMING), RSIM_LCS_BOUND),
	/*
	 * Also without ->probe: the PM domain's activate or attach failed, or
	 * device_bind_driver()'s sysfs links (no ->dismiss follows that one).
	 */
	LC(NOT_BOUND, "DRIVER_NOT_BOUND", S(BINDING) | S(PROBE_FAILED) | S(CLAIMING),
	   RSIM_LCS_UNBOUND,
	   S(BINDING) | S(ACTIVATED) | S(PROBE_FAILED) | S(CLAIMING), RSIM_LCS_NOT_DISMISSED),
	LC(UNBIND, "UNBIND_DRIVER", S(BOUND), RSIM_LCS_UNBINDING,
	   S(BOUND), RSIM_LCS_UNBINDING),
	LC(REMOVE_IN, "->remove", S(UNBINDING), RSIM_LCS_REMOVING,
	   S(UNBINDING), RSIM_LCS_REMOVING),
	LC(REMOVE_OUT, "->remove returning", S(REMOVING), RSIM_LCS_REMOVED,
	   S(REMOVING), RSIM_LCS_REMOVED),
	/* Its target depends on where it comes: see rsim_lc_step(). */
	LC(DISMISS, "the PM domain's ->dismiss", 0, RSIM_LCS_NR,
	   S(REMOVED) | S(NOT_DISMISSED), RSIM_LCS_NR),
	LC(UNBOUND, "UNBOUND_DRIVER", S(REMOVED), RSIM_LCS_UNBOUND,
	   S(DISMISSED), RSIM_LCS_UNBOUND),
	/* device_del() announces first and unbinds after, whatever is under way. */
	LC(DEL, "DEL_DEVICE", ~(S(NEW) | S(GONE)), RSIM_LCS_NR,
	   ~(S(NEW) | S(GONE)), RSIM_LCS_NR),
	LC(REMOVED, "REMOVED_DEVICE", S(UNBOUND), RSIM_LCS_GONE,
	   S(UNBOUND), RSIM_LCS_GONE),
	LC(CLAIM, "device_bind_driver()", S(UNBOUND), RSIM_LCS_CLAIMED,
	   S(UNBOUND), RSIM_LCS_CLAIMED),
#undef LC
};

static void rsim_lc_step(struct rsim_dev *rsim, enum rsim_lc_step step)
{
	const struct rsim_lc_rule *r = &rsim_lc_steps[step];
	unsigned long from = rsim->pm_domain ? r->pd_from : r->from;
	enum rsim_lc_state to = rsim->pm_domain ? r->pd_to : r->to;
	unsigned long flags;
	enum rsim_lc_state was;

	spin_lock_irqsave(&rsim->lc_lock, flags);
	was = rsim->lc_state;
	if (step == RSIM_LC_DEL)
		rsim->lc_deleting = true;
	if (step == RSIM_LC_DISMISS)
		to = was == RSIM_LCS_REMOVED ? RSIM_LCS_DISMISSED : RSIM_LCS_UNBOUND;
	if (step == RSIM_LC_BIND && was == RSIM_LCS_CLAIMED)
		to = RSIM_LCS_CLAIMING;
	/* device_bind_driver()'s failure is not followed by ->dismiss. */
	if (step == RSIM_LC_NOT_BOUND && was == RSIM_LCS_CLAIMING)
		to = RSIM_LCS_UNBOUND;
	if (!(from & BIT(was)) || (step == RSIM_LC_REMOVED && !rsim->lc_deleting)) {
		if (!rsim->lc_bad++)
			snprintf(rsim->lc_why, sizeof(rsim->lc_why), "%s while %s",
				 r->name, rsim_lc_state_names[was]);
	}
	/* Followed from where the core says it is, to report one break once. */
	if (to != RSIM_LCS_NR)
		rsim->lc_state = to;
	spin_unlock_irqrestore(&rsim->lc_lock, flags);
}

/* A break the order of the steps does not show: said once, like those. */
static void rsim_lc_break(struct rsim_dev *rsim, const char *why)
{
	unsigned long flags;

	spin_lock_irqsave(&rsim->lc_lock, flags);
	if (!rsim->lc_bad++)
		strscpy(rsim->lc_why, why, sizeof(rsim->lc_why));
	spin_unlock_irqrestore(&rsim->lc_lock, flags);
}

void rsim_lc_init(struct rsim_dev *rsim)
{
	spin_lock_init(&rsim->lc_lock);
	rsim->lc_state = RSIM_LCS_NEW;
}

/* A bus notifier call for @rsim; actions the lifecycle does not name pass. */
void rsim_lc_notify(struct rsim_dev *rsim, unsigned long action)
{
	static const struct { unsigned long action; enum rsim_lc_step step; } map[] = {
		{ BUS_NOTIFY_ADD_DEVICE, RSIM_LC_ADD },
		{ BUS_NOTIFY_BIND_DRIVER, RSIM_LC_BIND },
		{ BUS_NOTIFY_BOUND_DRIVER, RSIM_LC_BOUND },
		{ BUS_NOTIFY_DRIVER_NOT_BOUND, RSIM_LC_NOT_BOUND },
		{ BUS_NOTIFY_UNBIND_DRIVER, RSIM_LC_UNBIND },
		{ BUS_NOTIFY_UNBOUND_DRIVER, RSIM_LC_UNBOUND },
		{ BUS_NOTIFY_DEL_DEVICE, RSIM_LC_DEL },
		{ BUS_NOTIFY_REMOVED_DEVICE, RSIM_LC_REMOVED },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (map[i].action == action)
			rsim_lc_step(rsim, map[i].step);
	/*
	 * The driver's ->probe set its driver data; device_unbind_cleanup()
	 * clears it before UNBOUND_DRIVER is announced (6.1 and 6.12).
	 */
	if (action == BUS_NOTIFY_UNBOUND_DRIVER && dev_get_drvdata(rsim->dev))
		rsim_lc_break(rsim, "UNBOUND_DRIVER with the driver data still set");
}

void rsim_lc_probe(struct rsim_dev *rsim, bool entered, int ret)
{
	rsim_lc_step(rsim, entered ? RSIM_LC_PROBE_IN :
			   ret ? RSIM_LC_PROBE_ERR : RSIM_LC_PROBE_OK);
}

void rsim_lc_remove(struct rsim_dev *rsim, bool entered)
{
	rsim_lc_step(rsim, entered ? RSIM_LC_REMOVE_IN : RSIM_LC_REMOVE_OUT);
}

/* The PM domain's ->activate, ->sync or ->dismiss for @rsim */
void rsim_lc_domain(struct rsim_dev *rsim, enum rsim_ev hook)
{
	rsim_lc_step(rsim, hook == RSIM_EV_PD_ACTIVATE ? RSIM_LC_ACTIVATE :
			   hook == RSIM_EV_PD_SYNC ? RSIM_LC_SYNC : RSIM_LC_DISMISS);
}

/* rpm_sim is about to bind @rsim with device_bind_driver(). */
void rsim_lc_claim(struct rsim_dev *rsim)
{
	rsim_lc_step(rsim, RSIM_LC_CLAIM);
}

/**
 * rsim_lc_check_deleted() - the verdict on a device's whole life
 * @rsim: the device, deleted (device_del() returned), not yet released
 *
 * Return: 0, or -EPROTO when the announcements broke the lifecycle at
 * some point or the deletion did not end it (said in the kernel log).
 */
int rsim_lc_check_deleted(struct rsim_dev *rsim)
{
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&rsim->lc_lock, flags);
	if (!rsim->lc_bad && rsim->lc_state != RSIM_LCS_GONE) {
		rsim->lc_bad++;
		snprintf(rsim->lc_why, sizeof(rsim->lc_why), "deleted while %s",
			 rsim_lc_state_names[rsim->lc_state]);
	}
	if (rsim->lc_bad) {
		pr_err("rpm_sim: %s: driver-core lifecycle broken %u times, first: %s\n",
		       rsim->name, rsim->lc_bad, rsim->lc_why);
		ret = -EPROTO;
	}
	spin_unlock_irqrestore(&rsim->lc_lock, flags);
	return ret;
}
