// SPDX-License-Identifier: GPL-2.0
/*
 * platform_driver.remove_new: the void remove of v6.1 ("platform: Provide
 * a remove callback that returns no value") until .remove itself became
 * void and remove_new went away (v6.13, "Get rid of 'remove_new' relic
 * from platform driver struct").
 */
#include <linux/platform_device.h>
static void r(struct platform_device *pdev) { }
struct platform_driver d = { .remove_new = r };
