// SPDX-License-Identifier: GPL-2.0
/*
 * Calling the layer below by the offset of a dev_pm_ops field: how the
 * middle layer and the PM domain hand a callback on, and the one place
 * that knows ->complete returns nothing.
 */
#include <linux/device.h>

#include "internal.h"

typedef int (*rsim_pm_cb_t)(struct device *dev);

static bool rsim_pm_is_complete(size_t off)
{
	return off == offsetof(const struct dev_pm_ops, complete);
}

/* Whether @ops has the callback at @off. */
bool rsim_pm_has(const struct dev_pm_ops *ops, size_t off)
{
	if (!ops)
		return false;
	if (rsim_pm_is_complete(off))
		return ops->complete;
	return *(const rsim_pm_cb_t *)((const char *)ops + off);
}

int rsim_pm_call(const struct dev_pm_ops *ops, size_t off, struct device *dev)
{
	rsim_pm_cb_t cb;

	if (!rsim_pm_has(ops, off))
		return 0;
	if (rsim_pm_is_complete(off)) {
		ops->complete(dev);
		return 0;
	}
	cb = *(const rsim_pm_cb_t *)((const char *)ops + off);
	return cb(dev);
}
