// SPDX-License-Identifier: GPL-2.0
/*
 * A model of asynchronous shutdown (SD-4), after the design proposed
 * upstream since 2022: a device opts in; its ->shutdown may run
 * concurrently with others, but only after its children's and consumers'
 * have finished (a completion per device). The bus and platform drivers
 * hand opted-in devices to an async domain; a driver ->shutdown first
 * waits for those of its children and consumers that are asynchronous (the
 * model's part of the order); the order among synchronous devices is the
 * driver core's own (device_shutdown() walking devices_kset backwards),
 * and rpm_sim does not help it, so the checker sees the kernel's order
 * there. A syscore hook waits for the domain before the machine goes down.
 * On a kernel with the core's own device_enable_async_shutdown() (model
 * "core") the core dispatches and orders everything; rpm_sim only records.
 */
#include <linux/async.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/syscore_ops.h>

#include "internal.h"

#define RSIM_SHUTDOWN_WAIT_MS	3000

static ASYNC_DOMAIN_EXCLUSIVE(rsim_shutdown_domain);

/* Opt a new device in to the core's asynchronous shutdown, where there is one. */
void rsim_async_shutdown_opt_in(struct rsim_dev *rsim)
{
	struct rsim_behaviour b;

	rsim_behaviour_get(rsim, &b);
	if (b.async_shutdown)
		rsim_enable_async_shutdown(rsim->dev);
	rsim->core_async_shutdown = RSIM_CORE_ASYNC_SHUTDOWN && b.async_shutdown;
}

/* In rpm_sim's own model of asynchronous shutdown (no core one here). */
static bool rsim_async_shutdown_opted_in(struct rsim_dev *rsim)
{
	struct rsim_behaviour b;

	rsim_behaviour_get(rsim, &b);
	return !RSIM_CORE_ASYNC_SHUTDOWN && b.async_shutdown;
}

/*
 * Reboot time, device list locked: what @rsim's ->shutdown waits for
 * (@deps, @n of them, kmalloc'ed: ours now) and its topology line.
 */
int rsim_async_shutdown_prepare(struct rsim_dev *rsim, struct rsim_dev **deps,
				unsigned int n, const char *suppliers)
{
	kfree(rsim->shutdown_deps);
	rsim->shutdown_deps = deps;
	rsim->nr_shutdown_deps = deps ? n : 0;
	reinit_completion(&rsim->shutdown_done);
	/* No driver, no ->shutdown: nothing for others to wait for. */
	if (!READ_ONCE(rsim->bound))
		complete_all(&rsim->shutdown_done);
	/* The core's choice was made when the device was created. */
	rsim_shutdown_topology(rsim, suppliers,
			       RSIM_CORE_ASYNC_SHUTDOWN ? rsim->core_async_shutdown :
			       rsim_async_shutdown_opted_in(rsim),
			       RSIM_CORE_ASYNC_SHUTDOWN ? "core" : "rpm_sim");
	return deps || !n ? 0 : -ENOMEM;
}

/* Asynchronous children and consumers finish their ->shutdown before @rsim's starts. */
static void rsim_async_shutdown_one(struct rsim_dev *rsim)
{
	char step[RSIM_NAME_LEN + 16];
	unsigned int i;

	for (i = 0; i < rsim->nr_shutdown_deps; i++) {
		struct rsim_dev *dep = rsim->shutdown_deps[i];

		if (!rsim_async_shutdown_opted_in(dep))
			continue;
		if (wait_for_completion_timeout(&dep->shutdown_done,
						msecs_to_jiffies(RSIM_SHUTDOWN_WAIT_MS)))
			continue;
		snprintf(step, sizeof(step), "wait_timeout:%s", dep->name);
		rsim_shutdown_step(rsim, step);
	}
	rsim_drv_shutdown(rsim);
	complete_all(&rsim->shutdown_done);
}

static void rsim_async_shutdown_fn(void *data, async_cookie_t cookie)
{
	struct rsim_dev *rsim = data;

	rsim_async_shutdown_one(rsim);
	put_device(rsim->dev);
}

/*
 * The driver's ->shutdown, called by the rpm_sim bus and by the platform
 * driver: run it now, or hand it to the async domain when the device
 * opted in and the model is ours.
 */
void rsim_async_shutdown_dispatch(struct rsim_dev *rsim)
{
	WRITE_ONCE(rsim->shutdown_dispatched_ns, ktime_get_ns());
	WRITE_ONCE(rsim->shutdown_started, true);
	if (!rsim_async_shutdown_opted_in(rsim)) {
		rsim_async_shutdown_one(rsim);
		return;
	}
	get_device(rsim->dev);
	async_schedule_domain(rsim_async_shutdown_fn, rsim, &rsim_shutdown_domain);
}

/* After device_shutdown(): no asynchronous ->shutdown may still be running. */
static void rsim_syscore_shutdown(RSIM_SYSCORE_ARG)
{
	async_synchronize_full_domain(&rsim_shutdown_domain);
}

RSIM_DEFINE_SYSCORE(rsim_syscore, rsim_syscore_shutdown);

int rsim_async_shutdown_init(void)
{
	rsim_register_syscore(&rsim_syscore);
	return 0;
}

void rsim_async_shutdown_exit(void)
{
	rsim_unregister_syscore(&rsim_syscore);
	async_synchronize_full_domain(&rsim_shutdown_domain);
}
