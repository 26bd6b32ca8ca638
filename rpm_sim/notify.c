// SPDX-License-Identifier: GPL-2.0
/*
 * What the driver core announces about simulated devices, on each of
 * their buses, recorded in the core layer. The
 * BIND_DRIVER and UNBIND_DRIVER announcements pass the notifier gate.
 */
#include <linux/notifier.h>

#include "internal.h"

static int rsim_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct rsim_dev *rsim = rsim_from_dev(data);

	if (!rsim)
		return NOTIFY_DONE;
	rsim_log(rsim, RSIM_EV_NOTIFY, RSIM_L_CORE, RSIM_P_MARK, 0, action);
	rsim_lc_notify(rsim, action);
	if (action == BUS_NOTIFY_UNBIND_DRIVER || action == BUS_NOTIFY_BIND_DRIVER)
		rsim_gate_pass(rsim, RSIM_GATE_NOTIFIER);
	return NOTIFY_OK;
}

static struct notifier_block rsim_notify_nb[RSIM_BUS_NR] = {
	[0 ... RSIM_BUS_NR - 1] = { .notifier_call = rsim_notify },
};

int rsim_notify_init(void)
{
	return rsim_bus_notifiers_register(rsim_notify_nb);
}

void rsim_notify_exit(void)
{
	rsim_bus_notifiers_unregister(rsim_notify_nb);
}
