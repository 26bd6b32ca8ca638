// SPDX-License-Identifier: GPL-2.0
/*
 * The event log: a bounded ring of everything that happened to a simulated
 * device, each record carrying the dev->power fields of that moment, and
 * every name the log prints (events, layers, phases, runtime PM statuses,
 * bus notifier actions).
 *
 * Records are numbered in one global sequence. A record's number and its
 * snapshot are taken under the log's lock, so the order of the numbers is
 * the order of the states, across CPUs too. When the ring is full the
 * oldest record is overwritten and counted as dropped. Readers go by
 * sequence number, never by position, and a query whose window is no
 * longer whole fails with -EOVERFLOW instead of answering from part of it.
 */
#include <linux/pm_runtime.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/timekeeping.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/export.h>
#include <linux/moduleparam.h>
#include <linux/device.h>

#include "internal.h"

/* Off only to measure what logging costs (scripts/bench.sh); tests need it. */
static bool evlog_enabled = true;
module_param(evlog_enabled, bool, 0644);
MODULE_PARM_DESC(evlog_enabled, "Record events (default on; off only for benchmarks)");

static DEFINE_SPINLOCK(rsim_evlog_lock);
static struct rsim_event *rsim_ring;
static unsigned int rsim_ring_size;
static u64 rsim_ring_next;	/* seq of the next record */
static u64 rsim_ring_first;	/* seq of the oldest record kept */
static u64 rsim_ring_dropped;
static u64 rsim_ring_cleared;	/* next at the last clear */

static const char * const rsim_ev_names[RSIM_EV_NR] = {
	[RSIM_EV_PROBE] = "probe",
	[RSIM_EV_REMOVE] = "remove",
	[RSIM_EV_SHUTDOWN] = "shutdown",
	[RSIM_EV_RUNTIME_SUSPEND] = "runtime_suspend",
	[RSIM_EV_RUNTIME_RESUME] = "runtime_resume",
	[RSIM_EV_RUNTIME_IDLE] = "runtime_idle",
	[RSIM_EV_PREPARE] = "prepare",
	[RSIM_EV_SUSPEND] = "suspend",
	[RSIM_EV_SUSPEND_LATE] = "suspend_late",
	[RSIM_EV_SUSPEND_NOIRQ] = "suspend_noirq",
	[RSIM_EV_RESUME_NOIRQ] = "resume_noirq",
	[RSIM_EV_RESUME_EARLY] = "resume_early",
	[RSIM_EV_RESUME] = "resume",
	[RSIM_EV_COMPLETE] = "complete",
	[RSIM_EV_RPM_ENABLE] = "pm_runtime_enable",
	[RSIM_EV_RPM_DISABLE] = "pm_runtime_disable",
	[RSIM_EV_RPM_GET] = "pm_runtime_get",
	[RSIM_EV_RPM_GET_SYNC] = "pm_runtime_get_sync",
	[RSIM_EV_RPM_RESUME_AND_GET] = "pm_runtime_resume_and_get",
	[RSIM_EV_RPM_GET_NORESUME] = "pm_runtime_get_noresume",
	[RSIM_EV_RPM_GET_IF_IN_USE] = "pm_runtime_get_if_in_use",
	[RSIM_EV_RPM_GET_IF_ACTIVE] = "pm_runtime_get_if_active",
	[RSIM_EV_RPM_PUT] = "pm_runtime_put",
	[RSIM_EV_RPM_PUT_SYNC] = "pm_runtime_put_sync",
	[RSIM_EV_RPM_PUT_NOIDLE] = "pm_runtime_put_noidle",
	[RSIM_EV_RPM_PUT_AUTOSUSPEND] = "pm_runtime_put_autosuspend",
	[RSIM_EV_RPM_RESUME] = "pm_runtime_resume",
	[RSIM_EV_RPM_SUSPEND] = "pm_runtime_suspend",
	[RSIM_EV_RPM_IDLE] = "pm_runtime_idle",
	[RSIM_EV_RPM_REQUEST_RESUME] = "pm_request_resume",
	[RSIM_EV_RPM_REQUEST_IDLE] = "pm_request_idle",
	[RSIM_EV_RPM_REQUEST_AUTOSUSPEND] = "pm_request_autosuspend",
	[RSIM_EV_RPM_SCHEDULE_SUSPEND] = "pm_schedule_suspend",
	[RSIM_EV_RPM_BARRIER] = "pm_runtime_barrier",
	[RSIM_EV_RPM_IRQ_SAFE] = "pm_runtime_irq_safe",
	[RSIM_EV_RPM_SET_ACTIVE] = "pm_runtime_set_active",
	[RSIM_EV_RPM_SET_SUSPENDED] = "pm_runtime_set_suspended",
	[RSIM_EV_RPM_FORCE_SUSPEND] = "pm_runtime_force_suspend",
	[RSIM_EV_RPM_FORCE_RESUME] = "pm_runtime_force_resume",
	[RSIM_EV_RPM_AUTOSUSPEND_ON] = "pm_runtime_use_autosuspend",
	[RSIM_EV_RPM_AUTOSUSPEND_OFF] = "pm_runtime_dont_use_autosuspend",
	[RSIM_EV_RPM_PUT_SYNC_SUSPEND] = "pm_runtime_put_sync_suspend",
	[RSIM_EV_RPM_PUT_SYNC_AUTOSUSPEND] = "pm_runtime_put_sync_autosuspend",
	[RSIM_EV_RPM_AUTOSUSPEND] = "pm_runtime_autosuspend",
	[RSIM_EV_RPM_MARK_LAST_BUSY] = "pm_runtime_mark_last_busy",
	[RSIM_EV_RPM_ALLOW] = "pm_runtime_allow",
	[RSIM_EV_RPM_FORBID] = "pm_runtime_forbid",
	[RSIM_EV_PD_ACTIVATE] = "activate",
	[RSIM_EV_PD_SYNC] = "sync",
	[RSIM_EV_PD_DISMISS] = "dismiss",
	[RSIM_EV_NOTIFY] = "notify",
	[RSIM_EV_WORK] = "work",
	[RSIM_EV_WORK_DROPPED] = "work_dropped",
	[RSIM_EV_WORK_WAIT] = "work_wait",
	[RSIM_EV_GATE_REACHED] = "gate_reached",
	[RSIM_EV_GATE_TIMEOUT] = "gate_timeout",
	[RSIM_EV_HW_ACCESS_OFF] = "hw_access_off",
	[RSIM_EV_SUBTREE_RESUMING] = "subtree_resuming",
	[RSIM_EV_CORE_IDLE] = "rpm_idle",
	[RSIM_EV_CORE_SUSPEND] = "rpm_suspend",
	[RSIM_EV_CORE_RESUME] = "rpm_resume",
	[RSIM_EV_CORE_RETURN] = "rpm_return",
};

static const char * const rsim_layer_names[RSIM_L_NR] = {
	[RSIM_L_BUS] = "bus",
	[RSIM_L_DOMAIN] = "domain",
	[RSIM_L_DRIVER] = "driver",
	[RSIM_L_CORE] = "core",
	[RSIM_L_HARNESS] = "harness",
	[RSIM_L_ATTACH] = "attach",
};

static const char * const rsim_phase_names[RSIM_P_NR] = {
	[RSIM_P_ENTER] = "enter",
	[RSIM_P_EXIT] = "exit",
	[RSIM_P_CALL] = "call",
	[RSIM_P_MARK] = "mark",
};

static const char * const rsim_status_names[] = {
	[RPM_ACTIVE] = "active",
	[RPM_RESUMING] = "resuming",
	[RPM_SUSPENDED] = "suspended",
	[RPM_SUSPENDING] = "suspending",
};

/**
 * rsim_ev_name() - name of an event type, as printed in the log
 * @type: an enum rsim_ev value
 */
const char *rsim_ev_name(unsigned int type)
{
	return type < RSIM_EV_NR ? rsim_ev_names[type] : "?";
}
EXPORT_SYMBOL_GPL(rsim_ev_name);

/**
 * rsim_layer_name() - name of a layer, as printed in the log
 * @layer: an enum rsim_layer value
 */
const char *rsim_layer_name(unsigned int layer)
{
	return layer < RSIM_L_NR ? rsim_layer_names[layer] : "?";
}
EXPORT_SYMBOL_GPL(rsim_layer_name);

/**
 * rsim_phase_name() - name of a phase, as printed in the log
 * @phase: an enum rsim_phase value
 */
const char *rsim_phase_name(unsigned int phase)
{
	return phase < RSIM_P_NR ? rsim_phase_names[phase] : "?";
}
EXPORT_SYMBOL_GPL(rsim_phase_name);

/**
 * rsim_status_name() - name of a runtime PM status, as the log prints it
 * @status: an enum rpm_status value
 */
const char *rsim_status_name(int status)
{
	/* last_status only: RPM_INVALID, and RPM_BLOCKED where it exists (v6.15) */
	if (status == -1)
		return "invalid";
	if (status == -2)
		return "blocked";
	if (status < 0 || status >= ARRAY_SIZE(rsim_status_names) ||
	    !rsim_status_names[status])
		return "?";
	return rsim_status_names[status];
}
EXPORT_SYMBOL_GPL(rsim_status_name);

/* BUS_NOTIFY_* values differ between kernels (an enum from 0 since v6.4): name them. */
static const char *rsim_notify_name(u32 action)
{
	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
		return "notify_add_device";
	case BUS_NOTIFY_DEL_DEVICE:
		return "notify_del_device";
	case BUS_NOTIFY_REMOVED_DEVICE:
		return "notify_removed_device";
	case BUS_NOTIFY_BIND_DRIVER:
		return "notify_bind_driver";
	case BUS_NOTIFY_BOUND_DRIVER:
		return "notify_bound_driver";
	case BUS_NOTIFY_UNBIND_DRIVER:
		return "notify_unbind_driver";
	case BUS_NOTIFY_UNBOUND_DRIVER:
		return "notify_unbound_driver";
	case BUS_NOTIFY_DRIVER_NOT_BOUND:
		return "notify_driver_not_bound";
	default:
		return "notify";
	}
}

/* Caller holds dev->power.lock. */
void rsim_pm_copy(struct device *dev, struct rsim_pm_state *st)
{
	st->runtime_status = dev->power.runtime_status;
	st->usage_count = atomic_read(&dev->power.usage_count);
	st->child_count = atomic_read(&dev->power.child_count);
	st->disable_depth = dev->power.disable_depth;
	st->runtime_error = dev->power.runtime_error;
	st->last_status = dev->power.last_status;
	st->needs_force_resume = dev->power.needs_force_resume;
	st->driver_flags = dev->power.driver_flags;
	st->irq_safe = dev->power.irq_safe;
	st->request_pending = dev->power.request_pending;
	st->request = dev->power.request;
	st->idle_notification = dev->power.idle_notification;
	st->deferred_resume = dev->power.deferred_resume;
	st->timer_armed = dev->power.timer_expires != 0;
	st->wakeup_path = dev->power.wakeup_path;
	st->last_busy = READ_ONCE(dev->power.last_busy);
}

/**
 * rsim_pm_snapshot() - copy the runtime PM fields of @dev
 * @dev: the device
 * @st: where to store them
 *
 * Takes dev->power.lock, so the fields are consistent with each other. Must
 * not be called with that lock held.
 */
void rsim_pm_snapshot(struct device *dev, struct rsim_pm_state *st)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->power.lock, flags);
	rsim_pm_copy(dev, st);
	spin_unlock_irqrestore(&dev->power.lock, flags);
}
EXPORT_SYMBOL_GPL(rsim_pm_snapshot);

/*
 * Record one event. Callable from any context the runtime PM callbacks run
 * in, irq_safe ones included, but never under dev->power.lock: the
 * snapshot takes it, inside the log's lock, so that sequence order is state
 * order.
 */
void rsim_ev(struct rsim_dev *rsim, struct device *dev, enum rsim_ev type,
	     enum rsim_layer layer, enum rsim_phase phase, int ret, u32 arg)
{
	struct rsim_event *e;
	unsigned long flags;

	if (!READ_ONCE(evlog_enabled))
		return;

	spin_lock_irqsave(&rsim_evlog_lock, flags);
	e = &rsim_ring[rsim_ring_next % rsim_ring_size];
	*e = (struct rsim_event){
		.seq = rsim_ring_next,
		.ts_ns = ktime_get_ns(),
		.cpu = raw_smp_processor_id(),
		.type = type,
		.layer = layer,
		.phase = phase,
		.ret = ret,
		.arg = arg,
	};
	if (rsim)
		strscpy(e->dev, rsim->name, sizeof(e->dev));
	else if (dev)
		strscpy(e->dev, dev_name(dev), sizeof(e->dev));
	if (dev) {
		spin_lock(&dev->power.lock);
		rsim_pm_copy(dev, &e->pm);
		spin_unlock(&dev->power.lock);
	}
	rsim_ring_next++;
	if (rsim_ring_next - rsim_ring_first > rsim_ring_size) {
		rsim_ring_first++;
		rsim_ring_dropped++;
	}
	spin_unlock_irqrestore(&rsim_evlog_lock, flags);
}

/* Record one event of a simulated device. */
void rsim_log(struct rsim_dev *rsim, enum rsim_ev type, enum rsim_layer layer,
	      enum rsim_phase phase, int ret, u32 arg)
{
	rsim_ev(rsim, rsim->dev, type, layer, phase, ret, arg);
}

/**
 * rsim_evlog_mark() - the sequence number the next event will get
 *
 * Take a mark before a step and filter on it (&rsim_ev_filter.since) to see
 * only what the step caused.
 */
u64 rsim_evlog_mark(void)
{
	unsigned long flags;
	u64 seq;

	spin_lock_irqsave(&rsim_evlog_lock, flags);
	seq = rsim_ring_next;
	spin_unlock_irqrestore(&rsim_evlog_lock, flags);
	return seq;
}
EXPORT_SYMBOL_GPL(rsim_evlog_mark);

/* Forget every record; sequence numbers keep growing. */
void rsim_evlog_clear(void)
{
	unsigned long flags;

	spin_lock_irqsave(&rsim_evlog_lock, flags);
	rsim_ring_first = rsim_ring_next;
	rsim_ring_cleared = rsim_ring_next;
	spin_unlock_irqrestore(&rsim_evlog_lock, flags);
}

void rsim_evlog_stats(u64 *next, u64 *first, u64 *dropped, u64 *cleared)
{
	unsigned long flags;

	spin_lock_irqsave(&rsim_evlog_lock, flags);
	*next = rsim_ring_next;
	*first = rsim_ring_first;
	*dropped = rsim_ring_dropped;
	*cleared = rsim_ring_cleared;
	spin_unlock_irqrestore(&rsim_evlog_lock, flags);
}

/*
 * Copy out the record numbered @seq. False when it is gone or not written
 * yet; *first (if given) then tells which: the oldest number kept. With
 * @cleared_too, a record a clear hid but the ring still holds counts as
 * kept (the debugfs history: a unit's whole record, whatever its tests
 * cleared).
 */
static bool __rsim_evlog_get(u64 seq, struct rsim_event *out, u64 *first,
			     bool cleared_too)
{
	unsigned long flags;
	bool ok = false;
	u64 oldest;

	spin_lock_irqsave(&rsim_evlog_lock, flags);
	oldest = rsim_ring_first;
	if (cleared_too)
		oldest = rsim_ring_next - min_t(u64, rsim_ring_next, rsim_ring_size);
	if (seq >= oldest && seq < rsim_ring_next) {
		*out = rsim_ring[seq % rsim_ring_size];
		ok = true;
	}
	if (first)
		*first = oldest;
	spin_unlock_irqrestore(&rsim_evlog_lock, flags);
	return ok;
}

bool rsim_evlog_get(u64 seq, struct rsim_event *out, u64 *first)
{
	return __rsim_evlog_get(seq, out, first, false);
}

bool rsim_evlog_get_cleared_too(u64 seq, struct rsim_event *out, u64 *first)
{
	return __rsim_evlog_get(seq, out, first, true);
}

static bool rsim_ev_match(const struct rsim_ev_filter *f, const struct rsim_event *e)
{
	if (f->type >= 0 && e->type != f->type)
		return false;
	if (f->layer >= 0 && e->layer != f->layer)
		return false;
	if (f->phase >= 0 && e->phase != f->phase)
		return false;
	if (f->dev && strcmp(f->dev, e->dev))
		return false;
	return true;
}

/**
 * rsim_evlog_walk() - call @fn on each record from @f->since on that matches
 * @f: the filter
 * @fn: returns true to stop the walk
 * @data: passed to @fn
 *
 * The lock is dropped between records, so a long walk never blocks the
 * callbacks that log; records added during the walk are visited too.
 *
 * Return: 1 when @fn stopped the walk, 0 at the end of the log, or
 * -EOVERFLOW when a record from @f->since on was gone before it was read.
 */
int rsim_evlog_walk(const struct rsim_ev_filter *f,
		    bool (*fn)(const struct rsim_event *e, void *data), void *data)
{
	struct rsim_event e;
	u64 seq, first;

	for (seq = f->since; rsim_evlog_get(seq, &e, &first); seq++) {
		if (rsim_ev_match(f, &e) && fn(&e, data))
			return 1;
	}
	return seq < first ? -EOVERFLOW : 0;
}

static bool rsim_count_one(const struct rsim_event *e, void *data)
{
	(*(int *)data)++;
	return false;
}

/**
 * rsim_evlog_count() - number of records that match @f
 * @f: the filter
 *
 * Return: the count, or -EOVERFLOW when the window is not whole.
 */
int rsim_evlog_count(const struct rsim_ev_filter *f)
{
	int n = 0, ret;

	ret = rsim_evlog_walk(f, rsim_count_one, &n);
	return ret < 0 ? ret : n;
}
EXPORT_SYMBOL_GPL(rsim_evlog_count);

struct rsim_nth {
	unsigned int n;
	struct rsim_event *out;
};

static bool rsim_take_nth(const struct rsim_event *e, void *data)
{
	struct rsim_nth *nth = data;

	if (nth->n--)
		return false;
	*nth->out = *e;
	return true;
}

/**
 * rsim_evlog_nth() - the @n-th record (from 0) that matches @f
 * @f: the filter
 * @n: which match
 * @out: the record, when found
 *
 * Return: 1 when found, 0 when not, -EOVERFLOW when the window is not whole.
 */
int rsim_evlog_nth(const struct rsim_ev_filter *f, unsigned int n,
		   struct rsim_event *out)
{
	struct rsim_nth nth = { .n = n, .out = out };

	return rsim_evlog_walk(f, rsim_take_nth, &nth);
}
EXPORT_SYMBOL_GPL(rsim_evlog_nth);

/*
 * The debugfs line format, one record per line, space-separated fields; a
 * stable interface documented in README.md:
 *
 *   seq ts_ns cpu dev layer event phase ret= arg= status= usage= children=
 *   depth= error= last= nfr= irq_safe= pending= idle= timer= wakeup_path=
 */
int rsim_evlog_format(const struct rsim_event *e, char *buf, size_t len)
{
	const char *ev = e->type == RSIM_EV_NOTIFY ? rsim_notify_name(e->arg) :
			 rsim_ev_name(e->type);

	return scnprintf(buf, len,
			 "%llu %llu %d %s %s %s %s ret=%d arg=%u status=%s usage=%d children=%d depth=%u error=%d last=%s nfr=%d irq_safe=%d pending=%d idle=%d timer=%d wakeup_path=%d\n",
			 e->seq, e->ts_ns, e->cpu, e->dev[0] ? e->dev : "-",
			 rsim_layer_name(e->layer), ev, rsim_phase_name(e->phase),
			 e->ret, e->arg, rsim_status_name(e->pm.runtime_status),
			 e->pm.usage_count, e->pm.child_count,
			 e->pm.disable_depth, e->pm.runtime_error,
			 rsim_status_name(e->pm.last_status),
			 e->pm.needs_force_resume, e->pm.irq_safe,
			 e->pm.request_pending, e->pm.idle_notification,
			 e->pm.timer_armed, e->pm.wakeup_path);
}

int rsim_evlog_init(unsigned int entries)
{
	if (entries < 16) {
		pr_err("rpm_sim: evlog_entries must be at least 16\n");
		return -EINVAL;
	}
	rsim_ring = vcalloc(entries, sizeof(*rsim_ring));
	if (!rsim_ring)
		return -ENOMEM;
	rsim_ring_size = entries;
	return 0;
}

void rsim_evlog_exit(void)
{
	vfree(rsim_ring);
	rsim_ring = NULL;
}
