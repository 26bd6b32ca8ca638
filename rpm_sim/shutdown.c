// SPDX-License-Identifier: GPL-2.0
/*
 * The shutdown recorder: each shutdown step of a simulated device goes to
 * the console in one line the host-side checker reads after `reboot -f`:
 *
 *   rpm_sim-shutdown: <dev> <step> parent=<name|-> t=<ns> usage=<n> status=<s>
 */
#include <linux/pm_runtime.h>
#include <linux/timekeeping.h>

#include "internal.h"

void rsim_shutdown_step(struct rsim_dev *rsim, const char *step)
{
	struct rsim_pm_state st;

	rsim_pm_snapshot(rsim->dev, &st);
	pr_info("rpm_sim-shutdown: %s %s parent=%s t=%llu usage=%d status=%d\n",
		rsim->name, step, rsim->parent ? rsim->parent->name : "-",
		ktime_get_ns(), st.usage_count, st.runtime_status);
}
