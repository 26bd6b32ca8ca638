/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rpm_sim internals shared between the module's files: the device object
 * and, file by file, what each offers the others.
 *
 * The layering runs one way. Control surfaces (cmd.c, debugfs.c, main.c)
 * call the device lifecycle (device.c, link.c, driver_reg.c, reboot.c),
 * which calls the callbacks and recorders below it (bus.c, platform.c,
 * driver.c, bus_pm.c, pm_domain.c, notify.c, async_shutdown.c, shutdown.c,
 * work.c, rpm.c, gate.c, behaviour.c, checker.c, evlog.c, object.c;
 * observe.c records devices that are not rpm_sim's).
 * Nothing below calls up.
 */
#ifndef _RPM_SIM_INTERNAL_H
#define _RPM_SIM_INTERNAL_H

#include <linux/device.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/completion.h>

#include "rpm_sim.h"
#include "compat.h"

struct notifier_block;
struct platform_device;
struct dentry;

struct rsim_gate {
	bool armed;
	bool reached;
	unsigned int gen;		/* bumped by each arm */
	unsigned int released_gen;	/* the arm a release let go */
};

/* Where a device is in its driver-core lifecycle (lifecycle.c) */
enum rsim_lc_state {
	RSIM_LCS_NEW,
	RSIM_LCS_UNBOUND,
	RSIM_LCS_BINDING,
	RSIM_LCS_ACTIVATED,
	RSIM_LCS_PROBING,
	RSIM_LCS_PROBED,
	RSIM_LCS_SYNCED,
	RSIM_LCS_PROBE_FAILED,
	RSIM_LCS_NOT_DISMISSED,
	RSIM_LCS_BOUND,
	RSIM_LCS_UNBINDING,
	RSIM_LCS_REMOVING,
	RSIM_LCS_REMOVED,
	RSIM_LCS_DISMISSED,
	RSIM_LCS_GONE,
	RSIM_LCS_CLAIMED,		/* device_bind_driver() about to run */
	RSIM_LCS_CLAIMING,		/* BIND_DRIVER of a bind without ->probe */
	RSIM_LCS_NR,
};

struct rsim_dev {
	struct list_head node;		/* on the device list, under rsim_lock */
	char name[RSIM_NAME_LEN];
	enum rsim_bus_kind bus;
	struct device *dev;		/* &sim_dev or &pdev->dev */
	struct device sim_dev;		/* RSIM_BUS_SIM, _BARE: embedded, owns rsim */
	struct platform_device *pdev;	/* RSIM_BUS_PLATFORM */
	void *plat_release;		/* its devres node: frees rsim */
	struct rsim_dev *parent;
	unsigned int nr_children;	/* under rsim_lock */
	bool dying;			/* being deleted; under rsim_lock */
	bool pm_domain;
	bool bindable;			/* the bus matches it with its driver */
	bool async_probe;		/* matched by the asynchronous driver */

	/* Behaviour, and its one-shot counters, under beh_lock */
	spinlock_t beh_lock;
	struct rsim_behaviour beh;
	unsigned int fail_left;		/* failed probes still to come */
	unsigned int resume_err_left;
	unsigned int suspend_err_left;

	atomic_t probe_count;
	bool bound;			/* last probe succeeded, no remove since */
	bool probe_autosuspend;		/* that probe turned autosuspend on */
	bool probe_devm;		/* that probe left its undoing to devres */
	bool probe_wakeup;		/* that probe enabled wakeup */
	bool hw_off;			/* the bus powered it off (break_ss2) */

	/* Gates: state under gate_lock, waiters on gate_wq */
	spinlock_t gate_lock;
	wait_queue_head_t gate_wq;
	struct rsim_gate gates[RSIM_GATE_NR];
	bool gates_closed;		/* the device is going: gates pass */

	/* AG-5 work after resume, under work_lock */
	spinlock_t work_lock;
	struct work_struct work;
	bool work_open;			/* bound: work may be queued */
	bool work_pending;		/* a reference is held for the work */
	int work_outcome;		/* 0 runs it, < 0 drops it, or RSIM_WORK_AWAIT */
	atomic_t work_count;

	/* Shutdown (SD): what ->shutdown waits for, filled at reboot time */
	struct completion shutdown_done;
	struct rsim_dev **shutdown_deps;
	unsigned int nr_shutdown_deps;
	bool shutdown_started;
	bool core_async_shutdown;	/* opted in to the core's, at creation */
	u64 shutdown_dispatched_ns;	/* when the core's loop handed it over */

	/* Its driver-core lifecycle as announced, under lc_lock */
	spinlock_t lc_lock;
	enum rsim_lc_state lc_state;
	bool lc_deleting;		/* DEL_DEVICE announced */
	unsigned int lc_bad;		/* steps out of order */
	char lc_why[96];		/* the first of them */

	struct dentry *dbg;		/* its debugfs directory */
};

/*
 * The callbacks of a dev_pm_ops table, generated for one layer: each
 * wrapper hands its event and the offset of its own field to the layer's
 * function layer##_dispatch(dev, ev, off), so a layer writes one function
 * instead of twenty-three.
 */
#define RSIM_PM_OP(prefix, field, ev)					\
static int prefix##field(struct device *dev)				\
{									\
	return prefix##dispatch(dev, ev, offsetof(const struct dev_pm_ops, field)); \
}

#define RSIM_DEFINE_PM_CALLBACKS(layer)					\
RSIM_PM_OP(layer##_, prepare, RSIM_EV_PREPARE)				\
RSIM_PM_OP(layer##_, suspend, RSIM_EV_SUSPEND)				\
RSIM_PM_OP(layer##_, resume, RSIM_EV_RESUME)				\
RSIM_PM_OP(layer##_, freeze, RSIM_EV_SUSPEND)				\
RSIM_PM_OP(layer##_, thaw, RSIM_EV_RESUME)					\
RSIM_PM_OP(layer##_, poweroff, RSIM_EV_SUSPEND)				\
RSIM_PM_OP(layer##_, restore, RSIM_EV_RESUME)				\
RSIM_PM_OP(layer##_, suspend_late, RSIM_EV_SUSPEND_LATE)			\
RSIM_PM_OP(layer##_, resume_early, RSIM_EV_RESUME_EARLY)			\
RSIM_PM_OP(layer##_, freeze_late, RSIM_EV_SUSPEND_LATE)			\
RSIM_PM_OP(layer##_, thaw_early, RSIM_EV_RESUME_EARLY)			\
RSIM_PM_OP(layer##_, poweroff_late, RSIM_EV_SUSPEND_LATE)			\
RSIM_PM_OP(layer##_, restore_early, RSIM_EV_RESUME_EARLY)			\
RSIM_PM_OP(layer##_, suspend_noirq, RSIM_EV_SUSPEND_NOIRQ)			\
RSIM_PM_OP(layer##_, resume_noirq, RSIM_EV_RESUME_NOIRQ)			\
RSIM_PM_OP(layer##_, freeze_noirq, RSIM_EV_SUSPEND_NOIRQ)			\
RSIM_PM_OP(layer##_, thaw_noirq, RSIM_EV_RESUME_NOIRQ)			\
RSIM_PM_OP(layer##_, poweroff_noirq, RSIM_EV_SUSPEND_NOIRQ)		\
RSIM_PM_OP(layer##_, restore_noirq, RSIM_EV_RESUME_NOIRQ)			\
RSIM_PM_OP(layer##_, runtime_suspend, RSIM_EV_RUNTIME_SUSPEND)		\
RSIM_PM_OP(layer##_, runtime_resume, RSIM_EV_RUNTIME_RESUME)		\
RSIM_PM_OP(layer##_, runtime_idle, RSIM_EV_RUNTIME_IDLE)			\
static void layer##_complete(struct device *dev)			\
{									\
	layer##_dispatch(dev, RSIM_EV_COMPLETE,				\
			 offsetof(const struct dev_pm_ops, complete));	\
}

/* The table of the callbacks RSIM_DEFINE_PM_CALLBACKS(layer) made. */
#define RSIM_PM_OPS_INIT(layer) {					\
	.prepare = layer##_prepare,					\
	.complete = layer##_complete,					\
	.suspend = layer##_suspend,					\
	.resume = layer##_resume,					\
	.freeze = layer##_freeze,					\
	.thaw = layer##_thaw,						\
	.poweroff = layer##_poweroff,					\
	.restore = layer##_restore,					\
	.suspend_late = layer##_suspend_late,				\
	.resume_early = layer##_resume_early,				\
	.freeze_late = layer##_freeze_late,				\
	.thaw_early = layer##_thaw_early,				\
	.poweroff_late = layer##_poweroff_late,				\
	.restore_early = layer##_restore_early,				\
	.suspend_noirq = layer##_suspend_noirq,				\
	.resume_noirq = layer##_resume_noirq,				\
	.freeze_noirq = layer##_freeze_noirq,				\
	.thaw_noirq = layer##_thaw_noirq,				\
	.poweroff_noirq = layer##_poweroff_noirq,			\
	.restore_noirq = layer##_restore_noirq,				\
	.runtime_suspend = layer##_runtime_suspend,			\
	.runtime_resume = layer##_runtime_resume,			\
	.runtime_idle = layer##_runtime_idle,				\
}

/*
 * pm_ops.c: run the callback at @off of @ops (NULL or a missing callback:
 * 0). The one way a layer calls the layer below it; ->complete returns
 * nothing and counts as 0.
 */
bool rsim_pm_has(const struct dev_pm_ops *ops, size_t off);
int rsim_pm_call(const struct dev_pm_ops *ops, size_t off, struct device *dev);

/* What a platform device's platform_data holds (a copy is kept). */
struct rsim_pdata {
	struct rsim_dev *rsim;
};

/* object.c: the device object and its lifetime, and rsim_lock */
extern struct mutex rsim_lock;
extern const struct device_type rsim_sim_type;
extern const struct device_type rsim_plat_type;
struct rsim_dev *rsim_from_dev(struct device *dev);
struct rsim_dev *rsim_alloc(const struct rsim_dev_config *cfg);
void rsim_free(struct rsim_dev *rsim);
void rsim_sim_release(struct device *dev);
int rsim_plat_release_alloc(struct rsim_dev *rsim);
void rsim_plat_release_arm(struct rsim_dev *rsim);
void rsim_objects_wait_released(void);

/* observe.c: any device's runtime PM, from the core's tracepoints */
struct seq_file;
int rsim_observe_cmd(int argc, char **argv);
int rsim_observe_show(struct seq_file *m, void *v);
void rsim_observe_exit(void);

/* attach.c: any device's callbacks, recorded and held by a wrapping domain */
int rsim_attach_cmd(bool attach, int argc, char **argv);
int rsim_attach_show(struct seq_file *m, void *v);
void rsim_attach_init(struct dentry *root);
void rsim_attach_exit(void);

/* attach_checks.c: the checkers' findings on an attached device */
struct rsim_att_checks {
	spinlock_t lock;		/* the fields below */
	bool removed;			/* ->remove returned, the unbind goes on */
	bool baseline;			/* taken at BIND_DRIVER, not yet compared */
	int bind_usage;			/* usage_count at BIND_DRIVER */
	unsigned int bind_depth;	/* disable_depth at BIND_DRIVER */
	unsigned int unbinds;		/* UNBOUND_DRIVER seen */
	unsigned int after_remove;	/* callbacks after ->remove returned */
	unsigned int not_back;		/* unbinds that did not give back */
	unsigned int unmarked;		/* bindings whose ->remove goes unmarked */
	bool parent_known;		/* parent_usage holds a value */
	int parent_usage;		/* the parent's usage_count while unbound */
	unsigned int parent_not_back;	/* unbinds that left it otherwise */
	bool failed;			/* the probe after the baseline failed */
	bool bind_parent_known;		/* bind_parent_usage holds a value */
	int bind_parent_usage;		/* the parent's usage_count at BIND_DRIVER */
	unsigned int failed_probes;	/* DRIVER_NOT_BOUND seen */
	unsigned int failed_not_back;	/* failed probes that did not give back */
	char after_remove_why[64];
	char not_back_why[64];
	char parent_why[80];
	char failed_why[112];
};

void rsim_att_checks_init(struct rsim_att_checks *c);
void rsim_att_checks_unbound_parent(struct rsim_att_checks *c, struct device *dev);
void rsim_att_checks_bind(struct rsim_att_checks *c, struct device *dev);
void rsim_att_checks_removed(struct rsim_att_checks *c);
void rsim_att_checks_callback(struct rsim_att_checks *c, struct device *dev,
			      enum rsim_ev ev);
void rsim_att_checks_unbound(struct rsim_att_checks *c, struct device *dev);
void rsim_att_checks_not_bound(struct rsim_att_checks *c);
void rsim_att_checks_unmarked(struct rsim_att_checks *c);
void rsim_att_checks_file(struct dentry *dir, struct rsim_att_checks *c);

/* evlog.c: the event log */
int rsim_evlog_init(unsigned int entries);
void rsim_evlog_exit(void);
void rsim_pm_copy(struct device *dev, struct rsim_pm_state *st);
void rsim_ev(struct rsim_dev *rsim, struct device *dev, enum rsim_ev type,
	     enum rsim_layer layer, enum rsim_phase phase, int ret, u32 arg);
int rsim_evlog_walk(const struct rsim_ev_filter *f,
		    bool (*fn)(const struct rsim_event *e, void *data), void *data);
bool rsim_evlog_get(u64 seq, struct rsim_event *out, u64 *first);
bool rsim_evlog_get_cleared_too(u64 seq, struct rsim_event *out, u64 *first);
void rsim_evlog_clear(void);
void rsim_evlog_stats(u64 *next, u64 *first, u64 *dropped, u64 *cleared);
int rsim_evlog_format(const struct rsim_event *e, char *buf, size_t len);

void rsim_log(struct rsim_dev *rsim, enum rsim_ev type, enum rsim_layer layer,
	      enum rsim_phase phase, int ret, u32 arg);

/* gate.c: race gates */
extern unsigned int rsim_gate_timeout_ms;
void rsim_gate_init(struct rsim_dev *rsim);
void rsim_gate_pass(struct rsim_dev *rsim, enum rsim_gate_point point);
void rsim_gate_close(struct rsim_dev *rsim);
bool rsim_gate_busy(struct rsim_dev *rsim);
int rsim_gate_lookup(const char *name);
int rsim_gate_show(struct rsim_dev *rsim, char *buf, size_t len);

/* behaviour.c: the behaviour knobs */
int rsim_behaviour_set(struct rsim_behaviour *beh, const char *key, const char *val);
int rsim_behaviour_show(const struct rsim_behaviour *beh, char *buf, size_t len);
void rsim_behaviour_arm(struct rsim_dev *rsim);
void rsim_behaviour_get(struct rsim_dev *rsim, struct rsim_behaviour *beh);
bool rsim_behaviour_take(struct rsim_dev *rsim, unsigned int *left,
			 struct rsim_behaviour *beh);

/* rpm.c: logged runtime PM calls */
int rsim_rpm_in(struct rsim_dev *rsim, enum rsim_ev call, enum rsim_layer layer);
#define rsim_rpm(rsim, call) rsim_rpm_in(rsim, call, RSIM_L_DRIVER)
int rsim_rpm_lookup(const char *name);

/* work.c: AG-5 work after resume */
void rsim_work_init(struct rsim_dev *rsim);
void rsim_work_resume_end(struct rsim_dev *rsim, int ret);
void rsim_work_open(struct rsim_dev *rsim);
void rsim_work_cancel(struct rsim_dev *rsim);

/* shutdown.c: what the host-side checker reads from the console */
void rsim_shutdown_step(struct rsim_dev *rsim, const char *step);
void rsim_shutdown_topology(struct rsim_dev *rsim, const char *suppliers, bool async,
			    const char *model);

/* async_shutdown.c: the model of asynchronous shutdown (SD-4) */
int rsim_async_shutdown_init(void);
void rsim_async_shutdown_exit(void);
void rsim_async_shutdown_opt_in(struct rsim_dev *rsim);
void rsim_async_shutdown_dispatch(struct rsim_dev *rsim);
int rsim_async_shutdown_prepare(struct rsim_dev *rsim, struct rsim_dev **deps,
				unsigned int n, const char *suppliers);

/* driver.c: the behaviour engine shared by both buses' drivers */
extern const struct dev_pm_ops rsim_drv_pm_ops;
int rsim_drv_probe(struct rsim_dev *rsim);
void rsim_drv_remove(struct rsim_dev *rsim);
void rsim_drv_shutdown(struct rsim_dev *rsim);

/* bus_pm.c, pm_domain.c: the middle layer and the PM domain */
extern const struct dev_pm_ops rsim_bus_pm_ops;
extern struct dev_pm_domain rsim_pm_domain;
void rsim_bus_get_opts(struct rsim_bus_opts *opts);

/* bus.c: the rpm_sim bus and its drivers; platform.c's driver */
#define RSIM_SIM_DRV		"rpm_sim_drv"
#define RSIM_SIM_ASYNC_DRV	"rpm_sim_drv_async"
#define RSIM_PLAT_DRV		"rpm_sim_plat"
extern rsim_bus_type rsim_bus;
int rsim_bus_init(void);
void rsim_bus_exit(void);
int rsim_bus_add_device(struct rsim_dev *rsim);
int rsim_bus_driver_register(void);
void rsim_bus_driver_unregister(void);

/* bare_bus.c: the bus without PM callbacks and its driver */
#define RSIM_BARE_DRV		"rpm_sim_bare_drv"
extern rsim_bus_type rsim_bare_bus;
int rsim_bare_bus_init(void);
void rsim_bare_bus_exit(void);
int rsim_bare_driver_register(void);
void rsim_bare_driver_unregister(void);

/* buses.c: the bus of each kind, its name, and a notifier on each */
rsim_bus_type *rsim_bus_type_of(enum rsim_bus_kind bus);
const char *rsim_bus_kind_name(enum rsim_bus_kind bus);
int rsim_bus_kind_parse(const char *name, enum rsim_bus_kind *bus);
int rsim_bus_notifiers_register(struct notifier_block nb[RSIM_BUS_NR]);
void rsim_bus_notifiers_unregister(struct notifier_block nb[RSIM_BUS_NR]);
void rsim_bus_unregister_wait(rsim_bus_type *bus);
int rsim_match_answer(struct rsim_dev *rsim);
int rsim_behaviour_check_bus(const struct rsim_behaviour *beh, enum rsim_bus_kind bus,
			     const char *name);

/* platform.c: the platform bus side */
int rsim_platform_add_device(struct rsim_dev *rsim);
int rsim_platform_set_bindable(struct rsim_dev *rsim, bool bindable);
int rsim_platform_driver_register(void);
void rsim_platform_driver_unregister(void);

/* notify.c: what the driver core announces, on both buses */
int rsim_notify_init(void);
void rsim_notify_exit(void);

/* lifecycle.c: the announcements checked against ->probe and ->remove */
void rsim_lc_init(struct rsim_dev *rsim);
void rsim_lc_notify(struct rsim_dev *rsim, unsigned long action);
void rsim_lc_probe(struct rsim_dev *rsim, bool entered, int ret);
void rsim_lc_remove(struct rsim_dev *rsim, bool entered);
void rsim_lc_domain(struct rsim_dev *rsim, enum rsim_ev hook);
void rsim_lc_claim(struct rsim_dev *rsim);
int rsim_lc_check_deleted(struct rsim_dev *rsim);

/* checker.c has only exported functions (rpm_sim.h). */

/* device.c: the device lifecycle */
extern struct list_head rsim_devices;
struct rsim_dev *rsim_dev_find_locked(const char *name);
struct rsim_dev *rsim_dev_create_locked(const struct rsim_dev_config *cfg);
int rsim_dev_destroy_begin_locked(struct rsim_dev *rsim);
int rsim_dev_destroy_finish(struct rsim_dev *rsim);
void rsim_dev_creation_stop(void);
void rsim_dev_close_all(void);
void rsim_dev_destroy_all(void);

/* driver_reg.c: the simulated drivers' registration, a switch per bus */
int rsim_driver_init(void);
void rsim_driver_exit(void);
bool rsim_driver_registered(enum rsim_bus_kind bus);

/* sleep_watchdog.c: a system suspend that does not come back */
int rsim_sleep_watchdog_init(void);
void rsim_sleep_watchdog_exit(void);
unsigned int rsim_sleep_stuck_count(void);

/* reboot.c: the reboot notifier */
int rsim_reboot_init(void);
void rsim_reboot_exit(void);

/* link.c: device links */
int rsim_link_add_locked(struct rsim_dev *consumer, struct rsim_dev *supplier,
			 u32 flags);
int rsim_link_del_locked(struct rsim_dev *consumer, struct rsim_dev *supplier);
void rsim_link_forget(struct rsim_dev *rsim);
bool rsim_link_exists(struct rsim_dev *consumer, struct rsim_dev *supplier);
char *rsim_link_suppliers(struct rsim_dev *rsim);

/* cmd.c: every text command */
#define RSIM_CMD_MAX	512
int rsim_cmd_init(void);
void rsim_cmd_exit(void);
int rsim_cmd_dev(struct rsim_dev *rsim, const char *file, char *buf);
int rsim_cmd_global(const char *file, char *buf);

/* debugfs.c: the files, a directory per device made as the device is added */
int rsim_debugfs_init(void);
void rsim_debugfs_exit(void);
void rsim_debugfs_gate_file(struct dentry *dir, struct rsim_dev *rsim);

#endif /* _RPM_SIM_INTERNAL_H */
