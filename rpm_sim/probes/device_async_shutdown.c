// SPDX-License-Identifier: GPL-2.0
/*
 * device_enable_async_shutdown(): the driver core's own asynchronous
 * shutdown, from the series "driver core: shut down devices asynchronously"
 * (proposed since 2022, not in mainline as of v6.12).
 */
#include <linux/device.h>
void t(struct device *dev);
void t(struct device *dev) { device_enable_async_shutdown(dev); }
