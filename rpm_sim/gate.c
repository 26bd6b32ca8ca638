// SPDX-License-Identifier: GPL-2.0
/*
 * Race gates: named points in a device's callbacks where the callback can be
 * held until a test releases it. A gate is one-shot: arm, the callback
 * reaches it and waits, the test sees "reached", does its work on another
 * thread, and releases it. A held callback gives up after
 * rsim_gate_timeout_ms and logs a gate_timeout event, so nothing hangs.
 */
#include <linux/module.h>
#include <linux/jiffies.h>
#include <linux/string.h>
#include <linux/irqflags.h>

#include "internal.h"

unsigned int rsim_gate_timeout_ms = 10000;
module_param_named(gate_timeout_ms, rsim_gate_timeout_ms, uint, 0644);
MODULE_PARM_DESC(gate_timeout_ms, "How long a gate holds a callback before giving up");

static const char * const rsim_gate_names[RSIM_GATE_NR] = {
	[RSIM_GATE_PROBE] = "probe",
	[RSIM_GATE_REMOVE] = "remove",
	[RSIM_GATE_SUSPEND_ENTRY] = "runtime_suspend",
	[RSIM_GATE_SUSPEND_EXIT] = "runtime_suspend_exit",
	[RSIM_GATE_RESUME_ENTRY] = "runtime_resume",
	[RSIM_GATE_RESUME_EXIT] = "runtime_resume_exit",
	[RSIM_GATE_NOTIFIER] = "notifier",
	[RSIM_GATE_SHUTDOWN] = "shutdown",
};

/**
 * rsim_gate_name() - the name of a gate point, as used in debugfs
 * @point: an enum rsim_gate_point value
 */
const char *rsim_gate_name(unsigned int point)
{
	return point < RSIM_GATE_NR ? rsim_gate_names[point] : "?";
}
EXPORT_SYMBOL_GPL(rsim_gate_name);

void rsim_gate_init(struct rsim_dev *rsim)
{
	spin_lock_init(&rsim->gate_lock);
	init_waitqueue_head(&rsim->gate_wq);
}

/**
 * rsim_gate_arm() - make the next callback that reaches @point wait
 * @rsim: the device
 * @point: where to hold it
 *
 * Return: 0, -EINVAL for an unknown point, -EBUSY if it is armed already.
 */
int rsim_gate_arm(struct rsim_dev *rsim, enum rsim_gate_point point)
{
	struct rsim_gate *g;
	int ret = 0;

	if (point >= RSIM_GATE_NR)
		return -EINVAL;
	g = &rsim->gates[point];
	spin_lock_irq(&rsim->gate_lock);
	if (g->armed)
		ret = -EBUSY;
	else
		*g = (struct rsim_gate){ .armed = true };
	spin_unlock_irq(&rsim->gate_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(rsim_gate_arm);

static bool rsim_gate_test(struct rsim_dev *rsim, enum rsim_gate_point point,
			   bool reached)
{
	struct rsim_gate *g = &rsim->gates[point];
	bool ret;

	spin_lock_irq(&rsim->gate_lock);
	ret = reached ? g->reached : g->released;
	spin_unlock_irq(&rsim->gate_lock);
	return ret;
}

/**
 * rsim_gate_wait_reached() - wait until a callback is held at @point
 * @rsim: the device
 * @point: the gate
 * @timeout_ms: how long to wait
 *
 * Return: 0 once reached, -ETIMEDOUT, or -EINVAL if the gate is not armed.
 */
int rsim_gate_wait_reached(struct rsim_dev *rsim, enum rsim_gate_point point,
			   unsigned int timeout_ms)
{
	if (point >= RSIM_GATE_NR || !rsim->gates[point].armed)
		return -EINVAL;
	if (!wait_event_timeout(rsim->gate_wq, rsim_gate_test(rsim, point, true),
				msecs_to_jiffies(timeout_ms)))
		return -ETIMEDOUT;
	return 0;
}
EXPORT_SYMBOL_GPL(rsim_gate_wait_reached);

/**
 * rsim_gate_release() - let the callback held at @point go on, and disarm
 * @rsim: the device
 * @point: the gate
 *
 * Releasing a gate nothing has reached yet disarms it.
 */
void rsim_gate_release(struct rsim_dev *rsim, enum rsim_gate_point point)
{
	struct rsim_gate *g;

	if (point >= RSIM_GATE_NR)
		return;
	g = &rsim->gates[point];
	spin_lock_irq(&rsim->gate_lock);
	g->released = true;
	g->armed = false;
	spin_unlock_irq(&rsim->gate_lock);
	wake_up_all(&rsim->gate_wq);
}
EXPORT_SYMBOL_GPL(rsim_gate_release);

/**
 * rsim_gate_release_all() - release and disarm every gate of @rsim
 * @rsim: the device
 */
void rsim_gate_release_all(struct rsim_dev *rsim)
{
	int i;

	for (i = 0; i < RSIM_GATE_NR; i++)
		rsim_gate_release(rsim, i);
}
EXPORT_SYMBOL_GPL(rsim_gate_release_all);

/* True while a callback is held at one of the gates of @rsim. */
bool rsim_gate_busy(struct rsim_dev *rsim)
{
	bool busy = false;
	int i;

	spin_lock_irq(&rsim->gate_lock);
	for (i = 0; i < RSIM_GATE_NR; i++)
		busy |= rsim->gates[i].reached && !rsim->gates[i].released;
	spin_unlock_irq(&rsim->gate_lock);
	return busy;
}

/*
 * Called by a callback at @point: if the gate is armed, say "reached" and
 * wait for the release. A callback that cannot sleep (irq_safe runtime PM
 * callbacks run with interrupts disabled)
 * passes the gate without waiting and logs it with ret -EWOULDBLOCK.
 */
void rsim_gate_pass(struct rsim_dev *rsim, enum rsim_gate_point point)
{
	struct rsim_gate *g = &rsim->gates[point];
	unsigned long flags;
	bool armed;

	spin_lock_irqsave(&rsim->gate_lock, flags);
	armed = g->armed && !g->reached;
	if (armed)
		g->reached = true;
	spin_unlock_irqrestore(&rsim->gate_lock, flags);
	if (!armed)
		return;

	if (irqs_disabled()) {
		rsim_log(rsim, RSIM_EV_GATE_REACHED, RSIM_L_HARNESS, RSIM_P_MARK,
			 -EWOULDBLOCK, point);
		rsim_gate_release(rsim, point);
		return;
	}

	rsim_log(rsim, RSIM_EV_GATE_REACHED, RSIM_L_HARNESS, RSIM_P_MARK, 0, point);
	wake_up_all(&rsim->gate_wq);
	if (!wait_event_timeout(rsim->gate_wq, rsim_gate_test(rsim, point, false),
				msecs_to_jiffies(rsim_gate_timeout_ms))) {
		rsim_log(rsim, RSIM_EV_GATE_TIMEOUT, RSIM_L_HARNESS, RSIM_P_MARK,
			 -ETIMEDOUT, point);
		dev_err(rsim->dev, "rpm_sim: gate %s timed out after %u ms\n",
			rsim_gate_name(point), rsim_gate_timeout_ms);
		rsim_gate_release(rsim, point);
	}
}

static int rsim_gate_lookup(const char *name)
{
	int i;

	for (i = 0; i < RSIM_GATE_NR; i++)
		if (!strcmp(name, rsim_gate_names[i]))
			return i;
	return -EINVAL;
}

/*
 * debugfs "gate" file: "arm POINT", "release POINT", "release all",
 * "wait POINT MS" (blocks the writer until reached or -ETIMEDOUT).
 */
int rsim_gate_parse(struct rsim_dev *rsim, const char *buf)
{
	char cmd[16], point[32];
	unsigned int ms = 0;
	int n, p;

	n = sscanf(buf, "%15s %31s %u", cmd, point, &ms);
	if (n < 2)
		goto bad;
	if (!strcmp(cmd, "release") && !strcmp(point, "all")) {
		rsim_gate_release_all(rsim);
		return 0;
	}
	p = rsim_gate_lookup(point);
	if (p < 0)
		goto bad;
	if (!strcmp(cmd, "arm") && n == 2)
		return rsim_gate_arm(rsim, p);
	if (!strcmp(cmd, "release") && n == 2) {
		rsim_gate_release(rsim, p);
		return 0;
	}
	if (!strcmp(cmd, "wait") && n == 3 && ms <= 60000)
		return rsim_gate_wait_reached(rsim, p, ms);
bad:
	pr_err("rpm_sim: %s: gate: expected 'arm|release POINT', 'release all' or 'wait POINT MS' (MS <= 60000)\n",
	       rsim->name);
	return -EINVAL;
}

int rsim_gate_show(struct rsim_dev *rsim, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	spin_lock_irq(&rsim->gate_lock);
	for (i = 0; i < RSIM_GATE_NR; i++) {
		struct rsim_gate *g = &rsim->gates[i];

		off += scnprintf(buf + off, len - off, "%s %s\n", rsim_gate_names[i],
				 g->armed ? (g->reached ? "reached" : "armed") : "idle");
	}
	spin_unlock_irq(&rsim->gate_lock);
	return off;
}
