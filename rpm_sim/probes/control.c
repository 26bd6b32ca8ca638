// SPDX-License-Identifier: GPL-2.0
/*
 * The control probe: compiles on every supported tree. If it does not,
 * the probe environment is broken and every other probe's verdict would be
 * noise, so Kbuild stops.
 */
#include <linux/device.h>
#include <linux/pm_runtime.h>
int f(struct device *dev) { return pm_runtime_get_sync(dev); }
