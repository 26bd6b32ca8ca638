// SPDX-License-Identifier: GPL-2.0
/*
 * Observing any device without touching it: the runtime PM core's own
 * tracepoints (rpm_idle, rpm_suspend, rpm_resume and rpm_return_int,
 * exported to modules) recorded for the devices named in debugfs
 * "observe", each record with the dev->power fields of that moment. This
 * is how a driver author sees what the core did to a real device of
 * theirs, with no wrapper and no change to it.
 *
 * The core fires these with dev->power.lock held, so the records go to a
 * ring of their own: the event log takes its lock before power.lock, and
 * taking it here, after power.lock, would invert that order. For the same
 * reason the snapshot is read under the lock the core holds, never taken.
 */
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>
#include <trace/events/rpm.h>

#include "internal.h"

#define RSIM_OBS_MAX	8	/* devices watched at once */
#define RSIM_OBS_RING	1024	/* records kept, the oldest overwritten */
#define RSIM_OBS_OPEN	8	/* calls in progress on one device */

/*
 * rpm_return_int does not say which call returns. A task's calls on a
 * device nest (rpm_idle() into rpm_suspend(), rpm_suspend() into a
 * deferred rpm_resume()), and another task's can start while one is in a
 * callback with power.lock dropped: a return belongs to its own task's
 * innermost call.
 */
struct rsim_obs_call {
	struct task_struct *task;
	u8 type;			/* enum rsim_ev */
};

struct rsim_obs_watch {
	char bus[RSIM_NAME_LEN];	/* "-" for a device on no bus */
	char name[RSIM_NAME_LEN];
	struct rsim_obs_call open[RSIM_OBS_OPEN];
	unsigned int nr_open;
};

/*
 * The watch list and the ring; taken inside dev->power.lock only. Raw: a
 * tracepoint runs its probes with preemption disabled, where PREEMPT_RT's
 * spinlock_t, a sleeping lock, must not be taken (a contended one gave
 * "BUG: scheduling while atomic" in rsim_obs_record() on Debian's
 * 6.12-rt). What it guards is a few copies, never a sleep.
 */
static DEFINE_RAW_SPINLOCK(rsim_obs_lock);
static struct rsim_obs_watch rsim_obs_watch[RSIM_OBS_MAX];
static unsigned int rsim_obs_nr;
static struct rsim_event rsim_obs_ring[RSIM_OBS_RING];
static u64 rsim_obs_next;
/* Serialises commands: registering a tracepoint probe may sleep. */
static DEFINE_MUTEX(rsim_obs_mutex);
static bool rsim_obs_registered;

static const char *rsim_obs_bus(struct device *dev)
{
	return dev->bus ? dev->bus->name : "-";
}

/* rsim_obs_lock held: the watch of @dev, or NULL. */
static struct rsim_obs_watch *rsim_obs_find(const char *bus, const char *name)
{
	unsigned int i;

	for (i = 0; i < rsim_obs_nr; i++)
		if (!strcmp(rsim_obs_watch[i].bus, bus) &&
		    !strcmp(rsim_obs_watch[i].name, name))
			return &rsim_obs_watch[i];
	return NULL;
}

/* rsim_obs_lock held */
static void rsim_obs_push(struct rsim_obs_watch *w, enum rsim_ev type)
{
	if (w->nr_open < RSIM_OBS_OPEN)
		w->open[w->nr_open++] = (struct rsim_obs_call){ current, type };
}

/* rsim_obs_lock held: the type of current's innermost call, taken off. */
static enum rsim_ev rsim_obs_pop(struct rsim_obs_watch *w)
{
	enum rsim_ev type;
	unsigned int i;

	for (i = w->nr_open; i--; ) {
		if (w->open[i].task != current)
			continue;
		type = w->open[i].type;
		for (; i + 1 < w->nr_open; i++)
			w->open[i] = w->open[i + 1];
		w->nr_open--;
		return type;
	}
	/* Entered before the watch began, or past RSIM_OBS_OPEN deep. */
	return RSIM_EV_CORE_RETURN;
}

/* The core holds dev->power.lock: the snapshot is consistent as it is. */
static void rsim_obs_record(struct device *dev, bool enter, enum rsim_ev type,
			    int ret, u32 arg)
{
	struct rsim_obs_watch *w;
	struct rsim_event *e;
	unsigned long flags;

	raw_spin_lock_irqsave(&rsim_obs_lock, flags);
	w = rsim_obs_find(rsim_obs_bus(dev), dev_name(dev));
	if (w) {
		if (enter)
			rsim_obs_push(w, type);
		else
			type = rsim_obs_pop(w);
		e = &rsim_obs_ring[rsim_obs_next % RSIM_OBS_RING];
		*e = (struct rsim_event){
			.seq = rsim_obs_next++,
			.ts_ns = ktime_get_ns(),
			.cpu = raw_smp_processor_id(),
			.type = type,
			.layer = RSIM_L_CORE,
			.phase = enter ? RSIM_P_ENTER : RSIM_P_EXIT,
			.ret = ret,
			.arg = arg,
		};
		strscpy(e->dev, dev_name(dev), sizeof(e->dev));
		rsim_pm_copy(dev, &e->pm);
	}
	raw_spin_unlock_irqrestore(&rsim_obs_lock, flags);
}

static void rsim_obs_idle(void *data, struct device *dev, int flags)
{
	rsim_obs_record(dev, true, RSIM_EV_CORE_IDLE, 0, flags);
}

static void rsim_obs_suspend(void *data, struct device *dev, int flags)
{
	rsim_obs_record(dev, true, RSIM_EV_CORE_SUSPEND, 0, flags);
}

static void rsim_obs_resume(void *data, struct device *dev, int flags)
{
	rsim_obs_record(dev, true, RSIM_EV_CORE_RESUME, 0, flags);
}

static void rsim_obs_return(void *data, struct device *dev, unsigned long ip, int ret)
{
	rsim_obs_record(dev, false, 0, ret, 0);
}

static void rsim_obs_unregister(void)
{
	if (!rsim_obs_registered)
		return;
	unregister_trace_rpm_return_int(rsim_obs_return, NULL);
	unregister_trace_rpm_resume(rsim_obs_resume, NULL);
	unregister_trace_rpm_suspend(rsim_obs_suspend, NULL);
	unregister_trace_rpm_idle(rsim_obs_idle, NULL);
	/* No probe of ours runs any more once this returns. */
	tracepoint_synchronize_unregister();
	rsim_obs_registered = false;
}

static int rsim_obs_register(void)
{
	int ret;

	if (rsim_obs_registered)
		return 0;
	ret = register_trace_rpm_idle(rsim_obs_idle, NULL);
	if (ret)
		goto fail;
	ret = register_trace_rpm_suspend(rsim_obs_suspend, NULL);
	if (ret)
		goto fail_idle;
	ret = register_trace_rpm_resume(rsim_obs_resume, NULL);
	if (ret)
		goto fail_suspend;
	ret = register_trace_rpm_return_int(rsim_obs_return, NULL);
	if (ret)
		goto fail_resume;
	rsim_obs_registered = true;
	return 0;

fail_resume:
	unregister_trace_rpm_resume(rsim_obs_resume, NULL);
fail_suspend:
	unregister_trace_rpm_suspend(rsim_obs_suspend, NULL);
fail_idle:
	unregister_trace_rpm_idle(rsim_obs_idle, NULL);
	tracepoint_synchronize_unregister();
fail:
	pr_err("rpm_sim: observe: cannot attach to the runtime PM tracepoints (%d): CONFIG_TRACEPOINTS?\n",
	       ret);
	return ret;
}

static int rsim_obs_add(const char *bus, const char *name)
{
	struct rsim_obs_watch *w;
	unsigned long flags;
	int ret;

	if (strlen(bus) >= RSIM_NAME_LEN || strlen(name) >= RSIM_NAME_LEN) {
		pr_err("rpm_sim: observe: bus and device names are at most %d characters\n",
		       RSIM_NAME_LEN - 1);
		return -EINVAL;
	}
	ret = rsim_obs_register();
	if (ret)
		return ret;
	raw_spin_lock_irqsave(&rsim_obs_lock, flags);
	if (rsim_obs_find(bus, name)) {
		ret = -EEXIST;
	} else if (rsim_obs_nr == RSIM_OBS_MAX) {
		ret = -ENOSPC;
	} else {
		w = &rsim_obs_watch[rsim_obs_nr++];
		memset(w, 0, sizeof(*w));
		strscpy(w->bus, bus, sizeof(w->bus));
		strscpy(w->name, name, sizeof(w->name));
	}
	raw_spin_unlock_irqrestore(&rsim_obs_lock, flags);
	if (ret == -EEXIST)
		pr_err("rpm_sim: observe: %s %s is watched already\n", bus, name);
	if (ret == -ENOSPC)
		pr_err("rpm_sim: observe: %d devices are watched already\n", RSIM_OBS_MAX);
	if (ret && !rsim_obs_nr)
		rsim_obs_unregister();
	return ret;
}

static int rsim_obs_del(const char *bus, const char *name)
{
	struct rsim_obs_watch *w;
	unsigned long flags;
	int ret = 0;

	raw_spin_lock_irqsave(&rsim_obs_lock, flags);
	w = rsim_obs_find(bus, name);
	if (w)
		*w = rsim_obs_watch[--rsim_obs_nr];
	else
		ret = -ENOENT;
	raw_spin_unlock_irqrestore(&rsim_obs_lock, flags);
	if (ret)
		pr_err("rpm_sim: observe: %s %s is not watched\n", bus, name);
	if (!rsim_obs_nr)
		rsim_obs_unregister();
	return ret;
}

/**
 * rsim_observe_cmd() - a command written to debugfs "observe"
 * @argc: number of words
 * @argv: "add BUS DEVICE", "del BUS DEVICE" (BUS "-": a device on no bus)
 *	  or "clear" (forget the records)
 *
 * Return: 0, or -EINVAL (with a message) for a malformed command, -EEXIST,
 * -ENOENT, -ENOSPC as the watch list answers, or the tracepoint's error.
 */
int rsim_observe_cmd(int argc, char **argv)
{
	unsigned long flags;
	int ret = -EINVAL;

	mutex_lock(&rsim_obs_mutex);
	if (argc == 3 && !strcmp(argv[0], "add")) {
		ret = rsim_obs_add(argv[1], argv[2]);
	} else if (argc == 3 && !strcmp(argv[0], "del")) {
		ret = rsim_obs_del(argv[1], argv[2]);
	} else if (argc == 1 && !strcmp(argv[0], "clear")) {
		raw_spin_lock_irqsave(&rsim_obs_lock, flags);
		rsim_obs_next = 0;
		raw_spin_unlock_irqrestore(&rsim_obs_lock, flags);
		ret = 0;
	} else {
		pr_err("rpm_sim: observe: expected 'add BUS DEVICE', 'del BUS DEVICE' or 'clear'\n");
	}
	mutex_unlock(&rsim_obs_mutex);
	return ret;
}

/* "watch BUS DEVICE" lines, then the records kept, oldest first. */
int rsim_observe_show(struct seq_file *m, void *v)
{
	struct rsim_event e;
	unsigned long flags;
	char line[384];
	u64 seq, next;
	unsigned int i;

	/* seq_printf() only copies into the seq_file's buffer: no sleep. */
	raw_spin_lock_irqsave(&rsim_obs_lock, flags);
	for (i = 0; i < rsim_obs_nr; i++)
		seq_printf(m, "watch %s %s\n", rsim_obs_watch[i].bus,
			   rsim_obs_watch[i].name);
	next = rsim_obs_next;
	raw_spin_unlock_irqrestore(&rsim_obs_lock, flags);
	seq = next > RSIM_OBS_RING ? next - RSIM_OBS_RING : 0;
	if (seq)
		seq_printf(m, "# %llu records overwritten\n", seq);
	for (; seq < next; seq++) {
		raw_spin_lock_irqsave(&rsim_obs_lock, flags);
		/* A clear or a full turn of the ring since: stop there. */
		if (seq >= rsim_obs_next || rsim_obs_next - seq > RSIM_OBS_RING) {
			raw_spin_unlock_irqrestore(&rsim_obs_lock, flags);
			seq_puts(m, "# the records changed while being read\n");
			break;
		}
		e = rsim_obs_ring[seq % RSIM_OBS_RING];
		raw_spin_unlock_irqrestore(&rsim_obs_lock, flags);
		rsim_evlog_format(&e, line, sizeof(line));
		seq_puts(m, line);
	}
	return 0;
}

/* Module exit: nothing of ours may be called once the module is gone. */
void rsim_observe_exit(void)
{
	mutex_lock(&rsim_obs_mutex);
	rsim_obs_nr = 0;
	rsim_obs_unregister();
	mutex_unlock(&rsim_obs_mutex);
}
