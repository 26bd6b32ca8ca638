// SPDX-License-Identifier: GPL-2.0
/*
 * rsim_example_clk: a driver with a removal bug, for trying rpm_sim's
 * attach on (README, "A removal race, step by step"). It registers a
 * platform device "rsim-example-clk" and binds it. The hardware is a
 * control register behind a clock; touching the register, or switching
 * the clock off, while the clock is off counts a bus fault (an external
 * abort on a real SoC), readable in the module parameter bus_faults.
 *
 * bug=clock (the default): runtime PM comes from devm_pm_runtime_enable(),
 * and ->remove switches the clock off. devres undoes runtime PM only
 * after ->remove returned, and its idle check then suspends the device,
 * which autosuspend had kept active: ->runtime_suspend writes the register
 * and switches the clock off, both with the clock off already.
 *
 * bug=usage: ->remove takes a runtime PM reference to reach the register
 * and never gives it back.
 *
 * bug=none: the fix. ->remove disables runtime PM before it touches
 * anything, then switches the clock off if runtime PM had left it on.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>
#include <linux/string.h>

#include "../rpm_sim/compat.h"

#define EX_NAME			"rsim-example-clk"
#define EX_AUTOSUSPEND_MS	2000

enum ex_bug { EX_BUG_NONE, EX_BUG_CLOCK, EX_BUG_USAGE };

static const char * const ex_bug_names[] = {
	[EX_BUG_NONE] = "none",
	[EX_BUG_CLOCK] = "clock",
	[EX_BUG_USAGE] = "usage",
};

static char *bug = "clock";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "the removal bug: clock (default), usage or none (fixed)");

static unsigned int bus_faults;
module_param(bus_faults, uint, 0444);
MODULE_PARM_DESC(bus_faults, "register or clock accesses with the clock off");

static enum ex_bug ex_bug;
static struct platform_device *ex_pdev;

struct ex_hw {
	struct device *dev;
	bool clk_on;
	u32 ctrl;		/* the control register */
};

static void ex_fault(struct ex_hw *hw, const char *what)
{
	WRITE_ONCE(bus_faults, READ_ONCE(bus_faults) + 1);
	dev_err(hw->dev, "%s with the clock off: bus fault\n", what);
}

static void ex_write_ctrl(struct ex_hw *hw, u32 val)
{
	if (!hw->clk_on)
		ex_fault(hw, "control register write");
	hw->ctrl = val;
}

static void ex_clk_set(struct ex_hw *hw, bool on)
{
	if (!on && !hw->clk_on)
		ex_fault(hw, "clock switched off twice");
	hw->clk_on = on;
}

static int ex_runtime_suspend(struct device *dev)
{
	struct ex_hw *hw = dev_get_drvdata(dev);

	ex_write_ctrl(hw, 0);		/* stop the engine */
	ex_clk_set(hw, false);
	return 0;
}

static int ex_runtime_resume(struct device *dev)
{
	struct ex_hw *hw = dev_get_drvdata(dev);

	ex_clk_set(hw, true);
	ex_write_ctrl(hw, 1);		/* start the engine */
	return 0;
}

static const struct dev_pm_ops ex_pm_ops = {
	SET_RUNTIME_PM_OPS(ex_runtime_suspend, ex_runtime_resume, NULL)
};

static int ex_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct ex_hw *hw;
	int ret;

	hw = devm_kzalloc(dev, sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return -ENOMEM;
	hw->dev = dev;
	platform_set_drvdata(pdev, hw);
	ex_clk_set(hw, true);
	ex_write_ctrl(hw, 1);

	pm_runtime_set_autosuspend_delay(dev, EX_AUTOSUSPEND_MS);
	pm_runtime_use_autosuspend(dev);
	pm_runtime_set_active(dev);
	if (ex_bug == EX_BUG_CLOCK) {
		ret = devm_pm_runtime_enable(dev);
		if (ret)
			return ret;
	} else {
		pm_runtime_enable(dev);
	}
	return 0;
}

static void ex_remove(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct ex_hw *hw = platform_get_drvdata(pdev);

	switch (ex_bug) {
	case EX_BUG_CLOCK:
		/* Wrong: runtime PM stays enabled until devres, after us. */
		ex_clk_set(hw, false);
		break;
	case EX_BUG_USAGE:
		/* Wrong: the reference is never given back. */
		pm_runtime_get_sync(dev);
		ex_write_ctrl(hw, 0);
		fallthrough;
	case EX_BUG_NONE:
		pm_runtime_disable(dev);
		pm_runtime_dont_use_autosuspend(dev);
		if (!pm_runtime_status_suspended(dev)) {
			ex_write_ctrl(hw, 0);
			ex_clk_set(hw, false);
		}
		pm_runtime_set_suspended(dev);
		break;
	}
}

static struct platform_driver ex_driver = {
	.probe = ex_probe,
	RSIM_PLATFORM_REMOVE(ex_remove),
	.driver = {
		.name = EX_NAME,
		.pm = &ex_pm_ops,
	},
};

static int __init ex_init(void)
{
	int ret;

	ret = match_string(ex_bug_names, ARRAY_SIZE(ex_bug_names), bug);
	if (ret < 0) {
		pr_err("rsim_example_clk: bug=%s: expected clock, usage or none\n", bug);
		return -EINVAL;
	}
	ex_bug = ret;
	ret = platform_driver_register(&ex_driver);
	if (ret)
		return ret;
	ex_pdev = platform_device_register_simple(EX_NAME, PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(ex_pdev)) {
		platform_driver_unregister(&ex_driver);
		return PTR_ERR(ex_pdev);
	}
	return 0;
}
module_init(ex_init);

static void __exit ex_exit(void)
{
	platform_device_unregister(ex_pdev);
	platform_driver_unregister(&ex_driver);
}
module_exit(ex_exit);

MODULE_DESCRIPTION("rpm_sim example: a driver whose runtime suspend runs after its ->remove");
MODULE_LICENSE("GPL");
