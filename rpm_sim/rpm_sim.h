/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rpm_sim: the API rpm_sim.ko exports to its KUnit suites.
 *
 * A simulated device (struct rsim_dev) lives on the rpm_sim bus or on the
 * platform bus, optionally in the rpm_sim PM domain. Its driver follows a
 * struct rsim_behaviour. Everything that happens to it is recorded in the
 * event log with the dev->power fields of that moment; gates hold callbacks
 * open so a test can force an interleaving.
 */
#ifndef _RPM_SIM_H
#define _RPM_SIM_H

#include <linux/types.h>
#include <linux/pm.h>

struct device;
struct rsim_dev;

#define RSIM_NAME_LEN		32

enum rsim_bus_kind {
	RSIM_BUS_SIM,		/* the rpm_sim bus, with its middle layer */
	RSIM_BUS_PLATFORM,	/* the real platform bus */
};

enum rsim_probe_mode {
	RSIM_PROBE_PLAIN,	/* no runtime PM calls */
	RSIM_PROBE_GET_PUT,	/* enable, get_sync, put (the common pattern) */
	RSIM_PROBE_DEFER,	/* enable, get_sync, put[_sync], disable, -EPROBE_DEFER x N */
	RSIM_PROBE_IRQ_SAFE,	/* irq_safe, enable, get_sync, put; defers N times */
	RSIM_PROBE_LEAK,	/* get_sync never put on the failure path (bug) */
	RSIM_PROBE_AUTOSUSPEND,	/* autosuspend with a delay, put_autosuspend */
	RSIM_PROBE_SET_ACTIVE,	/* set_active, enable: active with usage 0 */
	RSIM_PROBE_NR,
};

enum rsim_remove_mode {
	RSIM_REMOVE_DISABLE,		/* pm_runtime_disable() only */
	RSIM_REMOVE_SUSPEND,		/* pm_runtime_suspend(), disable */
	RSIM_REMOVE_PUT_SYNC,		/* get_sync, put_sync, disable */
	RSIM_REMOVE_PUT,		/* get_sync, put (async), disable */
	RSIM_REMOVE_FORCE_SUSPEND,	/* pm_runtime_force_suspend() */
	RSIM_REMOVE_NO_DISABLE,		/* nothing: forgets the disable (bug) */
	RSIM_REMOVE_NR,
};

/* Per-device driver behaviour; set before bind, read by the callbacks. */
struct rsim_behaviour {
	enum rsim_probe_mode probe;
	unsigned int defer_count;	/* failed probes before success */
	int probe_err;			/* errno of a failed probe, -EPROBE_DEFER default */
	bool defer_put_sync;		/* failed probe ends with put_sync, else put */
	bool fail_keep_enabled;		/* failed probe leaves runtime PM enabled */
	enum rsim_remove_mode remove;
	int resume_err;			/* errno for the next resume_err_count resumes */
	unsigned int resume_err_count;
	int suspend_err;
	unsigned int suspend_err_count;
	unsigned int resume_delay_us;
	unsigned int suspend_delay_us;
	bool suspend_calls_resume;	/* system ->suspend: pm_runtime_resume() */
	bool late_calls_resume;		/* ->suspend_late: pm_runtime_resume() */
	bool noirq_calls_resume;	/* ->suspend_noirq: pm_runtime_resume() */
	bool force_sleep;		/* system sleep via force_suspend/resume */
	bool prepare_positive;		/* ->prepare returns 1: direct_complete */
	unsigned int shutdown_delay_ms;
	bool shutdown_async;		/* opt in to the async shutdown model */
};

struct rsim_dev_config {
	const char *name;
	enum rsim_bus_kind bus;
	struct rsim_dev *parent;
	bool pm_domain;			/* attach the rpm_sim PM domain */
	bool async_suspend;
	bool ignore_children;
	bool no_bind;			/* create without a matching driver */
	bool async_probe;		/* rpm_sim bus: the PROBE_PREFER_ASYNCHRONOUS driver */
	struct rsim_behaviour beh;
};

/* Devices */
struct rsim_dev *rsim_dev_create(const struct rsim_dev_config *cfg);
int rsim_dev_destroy(struct rsim_dev *rsim);
struct device *rsim_dev_device(struct rsim_dev *rsim);
const char *rsim_dev_name(struct rsim_dev *rsim);
struct rsim_dev *rsim_dev_find(const char *name);
void rsim_dev_set_behaviour(struct rsim_dev *rsim, const struct rsim_behaviour *beh);
void rsim_dev_set_bindable(struct rsim_dev *rsim, bool bindable);
unsigned int rsim_dev_probe_count(struct rsim_dev *rsim);
bool rsim_dev_bound(struct rsim_dev *rsim);

/* Drivers: register/unregister to take the driver_attach path */
int rsim_driver_register(enum rsim_bus_kind bus);
void rsim_driver_unregister(enum rsim_bus_kind bus);
bool rsim_driver_registered(enum rsim_bus_kind bus);

/* Bus switches (the rpm_sim bus only) */
struct rsim_bus_opts {
	bool hold_rpm_across_remove;	/* like PCI: get_sync around ->remove */
	bool break_ss2;			/* change state in ->suspend before the driver */
};

void rsim_bus_set_opts(const struct rsim_bus_opts *opts);
void rsim_bus_get_opts(struct rsim_bus_opts *opts);

/* Device links */
int rsim_link_add(struct rsim_dev *consumer, struct rsim_dev *supplier, u32 flags);
int rsim_link_del(struct rsim_dev *consumer, struct rsim_dev *supplier);

/* A snapshot of dev->power, taken under dev->power.lock */
struct rsim_pm_state {
	int runtime_status;		/* enum rpm_status */
	int usage_count;
	int child_count;
	unsigned int disable_depth;
	int runtime_error;
	int last_status;
	bool needs_force_resume;
	bool irq_safe;
	bool request_pending;
	bool enabled;
};

void rsim_pm_snapshot(struct device *dev, struct rsim_pm_state *st);

/* Event log */
enum rsim_layer {
	RSIM_L_BUS,
	RSIM_L_DOMAIN,
	RSIM_L_DRIVER,
	RSIM_L_CORE,		/* bus notifier: the driver core speaking */
	RSIM_L_HARNESS,
	RSIM_L_NR,
};

enum rsim_phase {
	RSIM_P_ENTER,
	RSIM_P_EXIT,
	RSIM_P_CALL,		/* a runtime PM call and its return */
	RSIM_P_MARK,		/* a point event */
	RSIM_P_NR,
};

enum rsim_ev {
	RSIM_EV_PROBE,
	RSIM_EV_REMOVE,
	RSIM_EV_SHUTDOWN,
	RSIM_EV_RUNTIME_SUSPEND,
	RSIM_EV_RUNTIME_RESUME,
	RSIM_EV_RUNTIME_IDLE,
	RSIM_EV_PREPARE,
	RSIM_EV_SUSPEND,
	RSIM_EV_SUSPEND_LATE,
	RSIM_EV_SUSPEND_NOIRQ,
	RSIM_EV_RESUME_NOIRQ,
	RSIM_EV_RESUME_EARLY,
	RSIM_EV_RESUME,
	RSIM_EV_COMPLETE,
	/* runtime PM calls made by the driver or the harness */
	RSIM_EV_RPM_ENABLE,
	RSIM_EV_RPM_DISABLE,
	RSIM_EV_RPM_GET,
	RSIM_EV_RPM_GET_SYNC,
	RSIM_EV_RPM_RESUME_AND_GET,
	RSIM_EV_RPM_GET_NORESUME,
	RSIM_EV_RPM_PUT,
	RSIM_EV_RPM_PUT_SYNC,
	RSIM_EV_RPM_PUT_NOIDLE,
	RSIM_EV_RPM_PUT_AUTOSUSPEND,
	RSIM_EV_RPM_RESUME,
	RSIM_EV_RPM_SUSPEND,
	RSIM_EV_RPM_IDLE,
	RSIM_EV_RPM_REQUEST_RESUME,
	RSIM_EV_RPM_REQUEST_IDLE,
	RSIM_EV_RPM_SCHEDULE_SUSPEND,
	RSIM_EV_RPM_BARRIER,
	RSIM_EV_RPM_IRQ_SAFE,
	RSIM_EV_RPM_SET_ACTIVE,
	RSIM_EV_RPM_SET_SUSPENDED,
	RSIM_EV_RPM_FORCE_SUSPEND,
	RSIM_EV_RPM_FORCE_RESUME,
	RSIM_EV_RPM_AUTOSUSPEND_ON,
	/* other */
	RSIM_EV_NOTIFY,			/* arg: BUS_NOTIFY_* action */
	RSIM_EV_WORK,			/* AG-5 work-after-resume ran */
	RSIM_EV_GATE_REACHED,		/* arg: gate point */
	RSIM_EV_GATE_TIMEOUT,		/* arg: gate point */
	RSIM_EV_HW_ACCESS_OFF,		/* driver touched powered-off hardware */
	RSIM_EV_NR,
};

struct rsim_event {
	u64 seq;
	u64 ts_ns;
	int cpu;
	char dev[RSIM_NAME_LEN];
	u8 type;			/* enum rsim_ev */
	u8 layer;			/* enum rsim_layer */
	u8 phase;			/* enum rsim_phase */
	int ret;
	u32 arg;
	struct rsim_pm_state pm;
};

/* Matches every event when the fields are left at their "any" values. */
struct rsim_ev_filter {
	const char *dev;		/* NULL: any device */
	int type;			/* -1: any */
	int layer;			/* -1: any */
	int phase;			/* -1: any */
	u64 since;			/* only seq >= since */
};

#define RSIM_EV_FILTER_ANY { .type = -1, .layer = -1, .phase = -1 }

u64 rsim_evlog_mark(void);
void rsim_evlog_clear(void);
unsigned int rsim_evlog_count(const struct rsim_ev_filter *f);
bool rsim_evlog_first(const struct rsim_ev_filter *f, struct rsim_event *out);
bool rsim_evlog_last(const struct rsim_ev_filter *f, struct rsim_event *out);
bool rsim_evlog_nth(const struct rsim_ev_filter *f, unsigned int n, struct rsim_event *out);
u64 rsim_evlog_dropped(void);
const char *rsim_ev_name(unsigned int type);
const char *rsim_layer_name(unsigned int layer);

/* Race gates */
enum rsim_gate_point {
	RSIM_GATE_PROBE,
	RSIM_GATE_REMOVE,
	RSIM_GATE_SUSPEND_ENTRY,	/* ->runtime_suspend */
	RSIM_GATE_SUSPEND_EXIT,
	RSIM_GATE_RESUME_ENTRY,		/* ->runtime_resume */
	RSIM_GATE_RESUME_EXIT,
	RSIM_GATE_NOTIFIER,
	RSIM_GATE_SHUTDOWN,
	RSIM_GATE_NR,
};

int rsim_gate_arm(struct rsim_dev *rsim, enum rsim_gate_point point);
int rsim_gate_wait_reached(struct rsim_dev *rsim, enum rsim_gate_point point,
			   unsigned int timeout_ms);
void rsim_gate_release(struct rsim_dev *rsim, enum rsim_gate_point point);
void rsim_gate_release_all(struct rsim_dev *rsim);
const char *rsim_gate_name(unsigned int point);

/* Runtime PM calls on behalf of a test, logged with their return value */
int rsim_rpm_call(struct rsim_dev *rsim, enum rsim_ev call);

/* AG-5: run the device's work once it is active; never after ->remove */
int rsim_work_after_resume(struct rsim_dev *rsim);
unsigned int rsim_work_count(struct rsim_dev *rsim);

/* Checkers: return the number of violations, the first described in @why */
int rsim_check_no_callback_after_remove(struct rsim_dev *rsim, u64 since,
					char *why, size_t len);
int rsim_check_unbound(struct rsim_dev *rsim, u64 since, int usage,
		       char *why, size_t len);
int rsim_check_usage(struct rsim_dev *rsim, int usage, char *why, size_t len);

#endif /* _RPM_SIM_H */
