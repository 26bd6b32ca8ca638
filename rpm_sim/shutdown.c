// SPDX-License-Identifier: GPL-2.0
/*
 * Shutdown: the recorder the host-side checker reads after `reboot -f`, and
 * a model of asynchronous shutdown (SD-4).
 *
 * Console lines, one per fact:
 *
 *   rpm_sim-topology: NAME parent=P|- suppliers=A,B|- async=0|1 bound=0|1 model=M
 *   rpm_sim-shutdown: NAME STEP t=NS usage=U status=S
 *
 * The topology goes out from a reboot notifier, before device_shutdown().
 * STEP is begin or end around the driver's ->shutdown, runtime_suspend if a
 * runtime suspend runs after ->shutdown began (SD-3), or wait_timeout:DEP.
 *
 * The model follows the design proposed upstream since 2022: a device opts
 * in; its ->shutdown may run concurrently with others, but only after its
 * children's and consumers' have finished (per-device completion). The
 * rpm_sim bus dispatches opted-in devices to an async domain; every
 * driver ->shutdown waits for its dependencies first, so synchronous
 * devices respect the asynchronous ones; a syscore hook waits for the
 * domain before the machine goes down. On a kernel with the core's own
 * device_enable_async_shutdown() (model=core), the core does the
 * dispatching and rpm_sim only records and waits.
 */
#include <linux/async.h>
#include <linux/delay.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/syscore_ops.h>
#include <linux/pm_runtime.h>
#include <linux/timekeeping.h>

#include "internal.h"

#define RSIM_SHUTDOWN_WAIT_MS	10000

static ASYNC_DOMAIN_EXCLUSIVE(rsim_shutdown_domain);

#ifdef RSIM_HAVE_DEVICE_ASYNC_SHUTDOWN
#define RSIM_SHUTDOWN_MODEL	"core"
#define RSIM_CORE_ASYNC		true
#else
#define RSIM_SHUTDOWN_MODEL	"rpm_sim"
#define RSIM_CORE_ASYNC		false
#endif

static const char *rsim_status_word(int status)
{
	switch (status) {
	case RPM_ACTIVE:
		return "active";
	case RPM_RESUMING:
		return "resuming";
	case RPM_SUSPENDED:
		return "suspended";
	default:
		return "suspending";
	}
}

void rsim_shutdown_step(struct rsim_dev *rsim, const char *step)
{
	struct rsim_pm_state st;

	rsim_pm_snapshot(rsim->dev, &st);
	pr_info("rpm_sim-shutdown: %s %s t=%llu usage=%d status=%s\n", rsim->name,
		step, ktime_get_ns(), st.usage_count, rsim_status_word(st.runtime_status));
}

/* Children and consumers must finish their ->shutdown before @rsim's starts. */
static void rsim_shutdown_wait_deps(struct rsim_dev *rsim)
{
	char step[RSIM_NAME_LEN + 16];
	unsigned int i;

	for (i = 0; i < rsim->nr_shutdown_deps; i++) {
		struct rsim_dev *dep = rsim->shutdown_deps[i];

		if (wait_for_completion_timeout(&dep->shutdown_done,
						msecs_to_jiffies(RSIM_SHUTDOWN_WAIT_MS)))
			continue;
		snprintf(step, sizeof(step), "wait_timeout:%s", dep->name);
		rsim_shutdown_step(rsim, step);
	}
}

void rsim_drv_shutdown(struct rsim_dev *rsim)
{
	WRITE_ONCE(rsim->shutdown_started, true);
	rsim_shutdown_wait_deps(rsim);
	rsim_log(rsim, RSIM_EV_SHUTDOWN, RSIM_L_DRIVER, RSIM_P_ENTER, 0, 0);
	rsim_shutdown_step(rsim, "begin");
	rsim_gate_pass(rsim, RSIM_GATE_SHUTDOWN);
	if (rsim->beh.shutdown_delay_ms)
		msleep(rsim->beh.shutdown_delay_ms);
	rsim_shutdown_step(rsim, "end");
	rsim_log(rsim, RSIM_EV_SHUTDOWN, RSIM_L_DRIVER, RSIM_P_EXIT, 0, 0);
	complete_all(&rsim->shutdown_done);
}

static void rsim_shutdown_async_fn(void *data, async_cookie_t cookie)
{
	struct rsim_dev *rsim = data;

	rsim_drv_shutdown(rsim);
	put_device(rsim->dev);
}

/*
 * Called by the bus's ->shutdown: run the driver's now, or hand it to the
 * async domain when the device opted in and the model is ours.
 */
void rsim_shutdown_dispatch(struct rsim_dev *rsim)
{
	if (RSIM_CORE_ASYNC || !rsim->beh.shutdown_async) {
		rsim_drv_shutdown(rsim);
		return;
	}
	get_device(rsim->dev);
	async_schedule_domain(rsim_shutdown_async_fn, rsim, &rsim_shutdown_domain);
}

/* Opt a new device in to the core's asynchronous shutdown, where there is one. */
void rsim_shutdown_opt_in(struct rsim_dev *rsim)
{
#ifdef RSIM_HAVE_DEVICE_ASYNC_SHUTDOWN
	if (rsim->beh.shutdown_async)
		device_enable_async_shutdown(rsim->dev);
#endif
}

/* Print @rsim's topology line and collect what its shutdown waits for. */
static void rsim_shutdown_prepare_one(struct rsim_dev *rsim)
{
	char sup[128] = "";
	struct rsim_dev *other;
	unsigned int n = 0;
	size_t off = 0;

	lockdep_assert_held(&rsim_lock);
	list_for_each_entry(other, &rsim_devices, node)
		n += other->parent == rsim || rsim_link_exists(other, rsim);
	rsim->shutdown_deps = kcalloc(n, sizeof(*rsim->shutdown_deps), GFP_KERNEL);
	list_for_each_entry(other, &rsim_devices, node) {
		if (rsim_link_exists(rsim, other))
			off += scnprintf(sup + off, sizeof(sup) - off, "%s%s",
					 off ? "," : "", other->name);
		if (rsim->shutdown_deps &&
		    (other->parent == rsim || rsim_link_exists(other, rsim)))
			rsim->shutdown_deps[rsim->nr_shutdown_deps++] = other;
	}
	/* No driver, no ->shutdown: nothing for others to wait for. */
	if (!READ_ONCE(rsim->bound))
		complete_all(&rsim->shutdown_done);
	pr_info("rpm_sim-topology: %s parent=%s suppliers=%s async=%d bound=%d model=%s\n",
		rsim->name, rsim->parent ? rsim->parent->name : "-", off ? sup : "-",
		rsim->beh.shutdown_async, READ_ONCE(rsim->bound), RSIM_SHUTDOWN_MODEL);
}

static int rsim_reboot_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct rsim_dev *rsim;

	mutex_lock(&rsim_lock);
	rsim_dev_close();
	list_for_each_entry(rsim, &rsim_devices, node)
		rsim_shutdown_prepare_one(rsim);
	mutex_unlock(&rsim_lock);
	return NOTIFY_DONE;
}

static struct notifier_block rsim_reboot_nb = {
	.notifier_call = rsim_reboot_notify,
};

/* After device_shutdown(): no asynchronous ->shutdown may still be running. */
static void rsim_syscore_shutdown(RSIM_SYSCORE_ARG)
{
	async_synchronize_full_domain(&rsim_shutdown_domain);
}

RSIM_DEFINE_SYSCORE(rsim_syscore, rsim_syscore_shutdown);

int rsim_shutdown_init(void)
{
	rsim_register_syscore(&rsim_syscore);
	return register_reboot_notifier(&rsim_reboot_nb);
}

void rsim_shutdown_exit(void)
{
	unregister_reboot_notifier(&rsim_reboot_nb);
	rsim_unregister_syscore(&rsim_syscore);
	async_synchronize_full_domain(&rsim_shutdown_domain);
}
