// SPDX-License-Identifier: GPL-2.0
/*
 * The shutdown recorder: the console lines scripts/shutdown-check.py reads
 * after `reboot -f`, one per fact:
 *
 *   rpm_sim-topology: NAME parent=P|- suppliers=A,B|- async_shutdown=0|1
 *                     bound=0|1 timer=0|1 status=S pending=0|1 model=M	(one line)
 *   rpm_sim-shutdown: NAME STEP t=NS usage=U status=S timer=0|1 pending=0|1 dispatched=NS
 *
 * The topology goes out from the reboot notifier, before device_shutdown();
 * its timer, status and pending say whether a runtime suspend timer was
 * armed then, the runtime PM status, and whether a request was pending.
 * STEP is begin or end around the driver's ->shutdown, runtime_suspend if a
 * runtime suspend runs after ->shutdown began (SD-3), or wait_timeout:DEP.
 * dispatched is when the bus handed the device over (the core's loop
 * reached it), 0 before that: it is recorded, not printed on its own, so
 * that the console does not slow the loop it measures.
 */
#include <linux/printk.h>
#include <linux/ktime.h>

#include "internal.h"

void rsim_shutdown_step(struct rsim_dev *rsim, const char *step)
{
	struct rsim_pm_state st;

	rsim_pm_snapshot(rsim->dev, &st);
	pr_info("rpm_sim-shutdown: %s %s t=%llu usage=%d status=%s timer=%d pending=%d dispatched=%llu\n",
		rsim->name, step, ktime_get_ns(), st.usage_count,
		rsim_status_name(st.runtime_status), st.timer_armed, st.request_pending,
		READ_ONCE(rsim->shutdown_dispatched_ns));
}

void rsim_shutdown_topology(struct rsim_dev *rsim, const char *suppliers, bool async,
			    const char *model)
{
	struct rsim_pm_state st;

	rsim_pm_snapshot(rsim->dev, &st);
	pr_info("rpm_sim-topology: %s parent=%s suppliers=%s async_shutdown=%d bound=%d timer=%d status=%s pending=%d model=%s\n",
		rsim->name, rsim->parent ? rsim->parent->name : "-",
		suppliers && *suppliers ? suppliers : "-", async, READ_ONCE(rsim->bound),
		st.timer_armed, rsim_status_name(st.runtime_status), st.request_pending, model);
}
