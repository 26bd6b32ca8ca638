// SPDX-License-Identifier: GPL-2.0
/*
 * Race gates: named points in a device's callbacks where the callback can be
 * held until a test releases it. A gate is one-shot: arm, the callback
 * reaches it and waits, the test sees "reached", does its work on another
 * thread, and releases it. A held callback gives up after
 * rsim_gate_timeout_ms and logs a gate_timeout event, so nothing hangs.
 *
 * Every arm starts a new generation. A held callback waits for the release
 * of its own generation, so a release followed at once by a new arm still
 * lets it go, and its timeout can never disarm a later arm. A device that
 * is going away closes its gates: held callbacks go on, waiters return,
 * nothing can be armed again.
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
	[RSIM_GATE_RESUME_ENTRY] = "runtime_resume",
	[RSIM_GATE_RESUME_EXIT] = "runtime_resume_exit",
	[RSIM_GATE_IDLE] = "runtime_idle",
	[RSIM_GATE_NOTIFIER] = "notifier",
};

/* The point named @name, or -EINVAL. */
int rsim_gate_lookup(const char *name)
{
	int i;

	for (i = 0; i < RSIM_GATE_NR; i++)
		if (!strcmp(name, rsim_gate_names[i]))
			return i;
	return -EINVAL;
}

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
 * Return: 0, -EINVAL for an unknown point, -EBUSY if it is armed already,
 * -ENODEV if the device is going away.
 */
int rsim_gate_arm(struct rsim_dev *rsim, enum rsim_gate_point point)
{
	struct rsim_gate *g;
	int ret = 0;

	if (point >= RSIM_GATE_NR)
		return -EINVAL;
	g = &rsim->gates[point];
	spin_lock_irq(&rsim->gate_lock);
	if (rsim->gates_closed) {
		ret = -ENODEV;
	} else if (g->armed) {
		ret = -EBUSY;
	} else {
		g->armed = true;
		g->reached = false;
		g->gen++;
	}
	spin_unlock_irq(&rsim->gate_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(rsim_gate_arm);

/* Caller holds gate_lock. */
static void rsim_gate_let_go(struct rsim_gate *g)
{
	if (g->armed) {
		g->armed = false;
		g->released_gen = g->gen;
	}
}

/* What a waiter for generation @gen of @point sees: -EAGAIN while nothing changed. */
static int rsim_gate_state(struct rsim_dev *rsim, enum rsim_gate_point point,
			   unsigned int gen, bool want_reached)
{
	struct rsim_gate *g = &rsim->gates[point];
	unsigned long flags;
	int ret = -EAGAIN;

	spin_lock_irqsave(&rsim->gate_lock, flags);
	if (rsim->gates_closed)
		ret = -ENODEV;
	else if (g->gen != gen)
		ret = -ESTALE;
	else if (want_reached ? g->reached : g->released_gen == gen)
		ret = 0;
	spin_unlock_irqrestore(&rsim->gate_lock, flags);
	return ret;
}

/**
 * rsim_gate_wait_reached() - wait until a callback is held at @point
 * @rsim: the device
 * @point: the gate
 * @timeout_ms: how long to wait
 *
 * Return: 0 once reached, -ETIMEDOUT, -EINVAL if the gate is not armed,
 * -ESTALE if it was released and armed again meanwhile, -ENODEV if the
 * device is going away.
 */
int rsim_gate_wait_reached(struct rsim_dev *rsim, enum rsim_gate_point point,
			   unsigned int timeout_ms)
{
	unsigned int gen;
	bool armed;

	if (point >= RSIM_GATE_NR)
		return -EINVAL;
	spin_lock_irq(&rsim->gate_lock);
	armed = rsim->gates[point].armed || rsim->gates[point].reached;
	gen = rsim->gates[point].gen;
	spin_unlock_irq(&rsim->gate_lock);
	if (!armed)
		return -EINVAL;
	if (!wait_event_timeout(rsim->gate_wq,
				rsim_gate_state(rsim, point, gen, true) != -EAGAIN,
				msecs_to_jiffies(timeout_ms)))
		return -ETIMEDOUT;
	return rsim_gate_state(rsim, point, gen, true);
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
	if (point >= RSIM_GATE_NR)
		return;
	spin_lock_irq(&rsim->gate_lock);
	rsim_gate_let_go(&rsim->gates[point]);
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

	spin_lock_irq(&rsim->gate_lock);
	for (i = 0; i < RSIM_GATE_NR; i++)
		rsim_gate_let_go(&rsim->gates[i]);
	spin_unlock_irq(&rsim->gate_lock);
	wake_up_all(&rsim->gate_wq);
}
EXPORT_SYMBOL_GPL(rsim_gate_release_all);

/* The device is going away: let everything go, for good. */
void rsim_gate_close(struct rsim_dev *rsim)
{
	spin_lock_irq(&rsim->gate_lock);
	rsim->gates_closed = true;
	spin_unlock_irq(&rsim->gate_lock);
	rsim_gate_release_all(rsim);
}

/*
 * Called by a callback at @point: if the gate is armed, say "reached" and
 * wait for the release. A callback that cannot sleep (irq_safe runtime PM
 * callbacks run with interrupts disabled) passes the gate without waiting,
 * logs it with ret -EWOULDBLOCK and disarms it.
 */
void rsim_gate_pass(struct rsim_dev *rsim, enum rsim_gate_point point)
{
	struct rsim_gate *g = &rsim->gates[point];
	bool atomic = irqs_disabled();
	unsigned long flags;
	unsigned int gen;
	bool hold;

	spin_lock_irqsave(&rsim->gate_lock, flags);
	hold = !rsim->gates_closed && g->armed && !g->reached;
	if (hold) {
		g->reached = true;
		gen = g->gen;
		if (atomic)
			rsim_gate_let_go(g);
	}
	spin_unlock_irqrestore(&rsim->gate_lock, flags);
	if (!hold)
		return;

	if (atomic) {
		rsim_log(rsim, RSIM_EV_GATE_REACHED, RSIM_L_HARNESS, RSIM_P_MARK,
			 -EWOULDBLOCK, point);
		wake_up_all(&rsim->gate_wq);
		return;
	}

	rsim_log(rsim, RSIM_EV_GATE_REACHED, RSIM_L_HARNESS, RSIM_P_MARK, 0, point);
	wake_up_all(&rsim->gate_wq);
	if (wait_event_timeout(rsim->gate_wq,
			       rsim_gate_state(rsim, point, gen, false) != -EAGAIN,
			       msecs_to_jiffies(rsim_gate_timeout_ms)))
		return;

	rsim_log(rsim, RSIM_EV_GATE_TIMEOUT, RSIM_L_HARNESS, RSIM_P_MARK,
		 -ETIMEDOUT, point);
	dev_err(rsim->dev, "rpm_sim: gate %s timed out after %u ms\n",
		rsim_gate_names[point], rsim_gate_timeout_ms);
	spin_lock_irqsave(&rsim->gate_lock, flags);
	if (g->gen == gen)
		rsim_gate_let_go(g);
	spin_unlock_irqrestore(&rsim->gate_lock, flags);
	wake_up_all(&rsim->gate_wq);
}

/* True while a callback is held at one of the gates of @rsim. */
bool rsim_gate_busy(struct rsim_dev *rsim)
{
	bool busy = false;
	int i;

	spin_lock_irq(&rsim->gate_lock);
	for (i = 0; i < RSIM_GATE_NR; i++)
		busy |= rsim->gates[i].armed && rsim->gates[i].reached;
	spin_unlock_irq(&rsim->gate_lock);
	return busy;
}

int rsim_gate_show(struct rsim_dev *rsim, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	spin_lock_irq(&rsim->gate_lock);
	for (i = 0; i < RSIM_GATE_NR; i++) {
		struct rsim_gate *g = &rsim->gates[i];

		off += scnprintf(buf + off, len - off, "%s %s\n", rsim_gate_names[i],
				 !g->armed ? "idle" : g->reached ? "reached" : "armed");
	}
	spin_unlock_irq(&rsim->gate_lock);
	return off;
}
