// SPDX-License-Identifier: GPL-2.0
/*
 * A device's driver behaviour: the knobs (one table gives each its name,
 * type and range, for parsing and printing alike), and how a behaviour is
 * applied and read.
 *
 * The rule: a behaviour may be changed at any time, bound or not. It is
 * replaced whole under the device's beh_lock, the one-shot counters start
 * again from the new values, and a callback reads it through
 * rsim_behaviour_get(), so it sees the old behaviour or the new one, never
 * half of each. What a probe set up is undone by what it did, not by the
 * behaviour of the moment: ->remove turns autosuspend off if that probe
 * turned it on.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/pm.h>

#include "internal.h"

/* Name tables end with NULL: match_string(names, -1, val). */
static const char * const rsim_probe_names[RSIM_PROBE_NR + 1] = {
	[RSIM_PROBE_PLAIN] = "plain",
	[RSIM_PROBE_GET_PUT] = "get_put",
	[RSIM_PROBE_DEFER] = "defer",
	[RSIM_PROBE_IRQ_SAFE] = "irq_safe",
	[RSIM_PROBE_LEAK] = "leak",
	[RSIM_PROBE_AUTOSUSPEND] = "autosuspend",
	[RSIM_PROBE_SET_ACTIVE] = "set_active",
	[RSIM_PROBE_DEVM] = "devm",
};

static const char * const rsim_fail_put_names[RSIM_FAIL_PUT_NR + 1] = {
	[RSIM_FAIL_PUT] = "put",
	[RSIM_FAIL_PUT_SYNC] = "put_sync",
	[RSIM_FAIL_PUT_NOIDLE] = "put_noidle",
};

static const char * const rsim_sleep_fail_names[RSIM_SLEEP_FAIL_NR + 1] = {
	[RSIM_SLEEP_FAIL_NONE] = "none",
	[RSIM_SLEEP_FAIL_PREPARE] = "prepare",
	[RSIM_SLEEP_FAIL_SUSPEND] = "suspend",
	[RSIM_SLEEP_FAIL_SUSPEND_LATE] = "suspend_late",
	[RSIM_SLEEP_FAIL_SUSPEND_NOIRQ] = "suspend_noirq",
};

static const char * const rsim_remove_names[RSIM_REMOVE_NR + 1] = {
	[RSIM_REMOVE_DISABLE] = "disable",
	[RSIM_REMOVE_SUSPEND] = "suspend",
	[RSIM_REMOVE_PUT_SYNC] = "put_sync",
	[RSIM_REMOVE_PUT] = "put",
	[RSIM_REMOVE_FORCE_SUSPEND] = "force_suspend",
	[RSIM_REMOVE_NO_DISABLE] = "none",
};

enum rsim_knob_type {
	RSIM_KNOB_UINT,		/* unsigned int, 0..max */
	RSIM_KNOB_BOOL,
	RSIM_KNOB_ERRNO,	/* int, -MAX_ERRNO..0; 0: the default */
	RSIM_KNOB_ENUM,		/* an enum, by name */
};

struct rsim_knob {
	const char *key;
	enum rsim_knob_type type;
	size_t off;
	unsigned int max;		/* UINT: the largest value */
	const char * const *names;	/* ENUM: NULL-terminated */
};

#define RSIM_KNOB(k, t, m, n) \
	{ .key = #k, .type = t, .off = offsetof(struct rsim_behaviour, k), .max = m, .names = n }
#define RSIM_KNOB_E(k, n)	RSIM_KNOB(k, RSIM_KNOB_ENUM, 0, n)
#define RSIM_KNOB_U(k, m)	RSIM_KNOB(k, RSIM_KNOB_UINT, m, NULL)
#define RSIM_KNOB_B(k)		RSIM_KNOB(k, RSIM_KNOB_BOOL, 0, NULL)
#define RSIM_KNOB_ERR(k)	RSIM_KNOB(k, RSIM_KNOB_ERRNO, 0, NULL)

static const struct rsim_knob rsim_knobs[] = {
	RSIM_KNOB_E(probe, rsim_probe_names),
	RSIM_KNOB_U(defer_count, 1000),
	RSIM_KNOB_ERR(probe_err),
	RSIM_KNOB_E(fail_put, rsim_fail_put_names),
	RSIM_KNOB_B(fail_keep_enabled),
	RSIM_KNOB_E(remove, rsim_remove_names),
	RSIM_KNOB_ERR(resume_err),
	RSIM_KNOB_U(resume_err_count, 1000),
	RSIM_KNOB_ERR(suspend_err),
	RSIM_KNOB_U(suspend_err_count, 1000),
	RSIM_KNOB_U(resume_delay_us, 1000000),
	RSIM_KNOB_U(suspend_delay_us, 1000000),
	RSIM_KNOB_U(autosuspend_ms, 60000),
	RSIM_KNOB_U(schedule_suspend_ms, 60000),
	RSIM_KNOB_B(suspend_calls_resume),
	RSIM_KNOB_B(late_calls_resume),
	RSIM_KNOB_B(noirq_calls_resume),
	RSIM_KNOB_B(force_sleep),
	RSIM_KNOB_B(prepare_positive),
	RSIM_KNOB_B(prepare_calls_idle),
	RSIM_KNOB_B(prepare_calls_get),
	RSIM_KNOB_B(suspend_calls_disable),
	RSIM_KNOB_B(suspend_calls_get),
	RSIM_KNOB_U(sleep_delay_ms, 1000),
	RSIM_KNOB_B(resume_waits_subtree),
	RSIM_KNOB_E(sleep_fail, rsim_sleep_fail_names),
	RSIM_KNOB_U(shutdown_delay_ms, 10000),
	RSIM_KNOB_B(async_shutdown),
	RSIM_KNOB_ERR(activate_err),
	RSIM_KNOB_B(match_defer),
	RSIM_KNOB_ERR(match_err),
	RSIM_KNOB_U(dpm_flags, DPM_FLAG_NO_DIRECT_COMPLETE | DPM_FLAG_SMART_PREPARE |
			       DPM_FLAG_SMART_SUSPEND | DPM_FLAG_MAY_SKIP_RESUME),
	RSIM_KNOB_B(wakeup),
	RSIM_KNOB_B(no_callbacks),
	RSIM_KNOB_B(leak_parent),
};

/* The user interface calls defer_count "defers". */
static const char *rsim_knob_key(const struct rsim_knob *k)
{
	return k->off == offsetof(struct rsim_behaviour, defer_count) ? "defers" : k->key;
}

/**
 * rsim_behaviour_set() - set one behaviour knob from its text form
 * @beh: the behaviour to change
 * @key: the knob's name
 * @val: its value
 *
 * Return: 0, -ENOENT for an unknown key, -EINVAL for a value out of range.
 */
int rsim_behaviour_set(struct rsim_behaviour *beh, const char *key, const char *val)
{
	const struct rsim_knob *k;
	void *field;
	unsigned int u;
	bool b;
	int i;

	for (k = rsim_knobs; k < rsim_knobs + ARRAY_SIZE(rsim_knobs); k++)
		if (!strcmp(key, rsim_knob_key(k)))
			break;
	if (k == rsim_knobs + ARRAY_SIZE(rsim_knobs))
		return -ENOENT;
	field = (char *)beh + k->off;

	switch (k->type) {
	case RSIM_KNOB_UINT:
		if (kstrtouint(val, 0, &u) || u > k->max)
			return -EINVAL;
		*(unsigned int *)field = u;
		return 0;
	case RSIM_KNOB_BOOL:
		if (kstrtobool(val, &b))
			return -EINVAL;
		*(bool *)field = b;
		return 0;
	case RSIM_KNOB_ERRNO:
		if (kstrtoint(val, 0, &i) || i > 0 || i < -MAX_ERRNO)
			return -EINVAL;
		*(int *)field = i;
		return 0;
	case RSIM_KNOB_ENUM:
		i = match_string(k->names, -1, val);
		if (i < 0)
			return -EINVAL;
		*(int *)field = i;
		return 0;
	}
	return -EINVAL;
}

/* "key=value ..." for every knob, in table order. */
int rsim_behaviour_show(const struct rsim_behaviour *beh, char *buf, size_t len)
{
	const struct rsim_knob *k;
	size_t off = 0;

	for (k = rsim_knobs; k < rsim_knobs + ARRAY_SIZE(rsim_knobs); k++) {
		const void *field = (const char *)beh + k->off;

		off += scnprintf(buf + off, len - off, "%s%s=", off ? " " : "",
				 rsim_knob_key(k));
		switch (k->type) {
		case RSIM_KNOB_UINT:
			off += scnprintf(buf + off, len - off, "%u", *(const unsigned int *)field);
			break;
		case RSIM_KNOB_BOOL:
			off += scnprintf(buf + off, len - off, "%d", *(const bool *)field);
			break;
		case RSIM_KNOB_ERRNO:
			off += scnprintf(buf + off, len - off, "%d", *(const int *)field);
			break;
		case RSIM_KNOB_ENUM:
			off += scnprintf(buf + off, len - off, "%s",
					 k->names[*(const int *)field]);
			break;
		}
	}
	off += scnprintf(buf + off, len - off, "\n");
	return off;
}

/* Reload the one-shot counters from the behaviour; beh_lock held or unshared. */
void rsim_behaviour_arm(struct rsim_dev *rsim)
{
	rsim->fail_left = rsim->beh.defer_count;
	rsim->resume_err_left = rsim->beh.resume_err_count;
	rsim->suspend_err_left = rsim->beh.suspend_err_count;
}

/**
 * rsim_dev_set_behaviour() - set the driver behaviour of @rsim
 * @rsim: the device
 * @beh: the behaviour; its one-shot counters start again
 *
 * Allowed at any time: callbacks see either the old or the new behaviour.
 */
void rsim_dev_set_behaviour(struct rsim_dev *rsim, const struct rsim_behaviour *beh)
{
	unsigned long flags;

	spin_lock_irqsave(&rsim->beh_lock, flags);
	rsim->beh = *beh;
	rsim_behaviour_arm(rsim);
	spin_unlock_irqrestore(&rsim->beh_lock, flags);
}
EXPORT_SYMBOL_GPL(rsim_dev_set_behaviour);

/* A consistent copy of @rsim's behaviour. */
void rsim_behaviour_get(struct rsim_dev *rsim, struct rsim_behaviour *beh)
{
	unsigned long flags;

	spin_lock_irqsave(&rsim->beh_lock, flags);
	*beh = rsim->beh;
	spin_unlock_irqrestore(&rsim->beh_lock, flags);
}

/*
 * Copy the behaviour into @beh and, in the same step, use up one of the
 * one-shot counter @left (a field of @rsim): true when one was left.
 */
bool rsim_behaviour_take(struct rsim_dev *rsim, unsigned int *left,
			 struct rsim_behaviour *beh)
{
	unsigned long flags;
	bool taken;

	spin_lock_irqsave(&rsim->beh_lock, flags);
	*beh = rsim->beh;
	taken = *left > 0;
	if (taken)
		(*left)--;
	spin_unlock_irqrestore(&rsim->beh_lock, flags);
	return taken;
}
