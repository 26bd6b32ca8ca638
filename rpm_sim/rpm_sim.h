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
	RSIM_BUS_BARE,		/* a bus without PM callbacks (bare_bus.c) */
	RSIM_BUS_NR,
};

enum rsim_probe_mode {
	RSIM_PROBE_PLAIN,	/* no runtime PM calls */
	RSIM_PROBE_GET_PUT,	/* enable, get_sync, put (the common pattern) */
	RSIM_PROBE_DEFER,	/* enable, get_sync, fail_put, disable, fail N times */
	RSIM_PROBE_IRQ_SAFE,	/* irq_safe, enable, get_sync, put; fails N times */
	RSIM_PROBE_LEAK,	/* get_sync never put on the failure path (bug) */
	RSIM_PROBE_AUTOSUSPEND,	/* autosuspend with a delay, put_autosuspend */
	RSIM_PROBE_SET_ACTIVE,	/* set_active, enable: active with usage 0 */
	RSIM_PROBE_DEVM,	/* devm: set_active_enabled, get_noresume */
	RSIM_PROBE_NR,
};

/* How a failing probe drops the reference its get_sync took. */
enum rsim_fail_put {
	RSIM_FAIL_PUT,			/* pm_runtime_put(): asynchronous idle */
	RSIM_FAIL_PUT_SYNC,		/* pm_runtime_put_sync() */
	RSIM_FAIL_PUT_NOIDLE,		/* pm_runtime_put_noidle(): stays active */
	RSIM_FAIL_PUT_NR,
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

/*
 * Per-device driver behaviour. It may be changed at any time: a change is
 * applied under the device's behaviour lock, so a callback sees the old
 * behaviour or the new one, never a mix, and the one-shot counters
 * (defers, *_err_count) start again from the new values.
 */
/* The system-sleep callback of the driver that fails, with -EIO. */
enum rsim_sleep_fail {
	RSIM_SLEEP_FAIL_NONE,
	RSIM_SLEEP_FAIL_PREPARE,
	RSIM_SLEEP_FAIL_SUSPEND,
	RSIM_SLEEP_FAIL_SUSPEND_LATE,
	RSIM_SLEEP_FAIL_SUSPEND_NOIRQ,
	RSIM_SLEEP_FAIL_NR,
};

struct rsim_behaviour {
	enum rsim_probe_mode probe;
	unsigned int defer_count;	/* failed probes before success */
	int probe_err;			/* errno of a failed probe, -EPROBE_DEFER default */
	enum rsim_fail_put fail_put;
	bool fail_keep_enabled;		/* failed probe leaves runtime PM enabled */
	enum rsim_remove_mode remove;
	int resume_err;			/* errno for the next resume_err_count resumes */
	unsigned int resume_err_count;
	int suspend_err;
	unsigned int suspend_err_count;
	unsigned int resume_delay_us;
	unsigned int suspend_delay_us;
	unsigned int autosuspend_ms;	/* probe=autosuspend's delay; 0: 20 ms */
	unsigned int schedule_suspend_ms; /* the schedule_suspend call's delay; 0: 20 ms */
	bool suspend_calls_resume;	/* system ->suspend: pm_runtime_resume() */
	bool late_calls_resume;		/* ->suspend_late: pm_runtime_resume() */
	bool noirq_calls_resume;	/* ->suspend_noirq: pm_runtime_resume() */
	bool force_sleep;		/* system sleep via force_suspend/resume */
	bool prepare_positive;		/* ->prepare returns 1: direct_complete */
	bool prepare_calls_idle;	/* ->prepare: pm_runtime_idle() (SS-3) */
	bool prepare_calls_get;		/* ->prepare: pm_runtime_get(), ->complete: put */
	bool suspend_calls_disable;	/* ->suspend: get, disable, enable, put_noidle */
	bool suspend_calls_get;		/* ->suspend: pm_runtime_get(), ->complete: put */
	unsigned int sleep_delay_ms;	/* each system-sleep callback but prepare/complete */
	bool resume_waits_subtree;	/* ->resume: until all below began resuming */
	enum rsim_sleep_fail sleep_fail;
	unsigned int shutdown_delay_ms;
	bool async_shutdown;		/* opt in to asynchronous shutdown */
	int activate_err;		/* PM domain ->activate's errno; 0: it succeeds */
	bool match_defer;		/* rpm_sim and bare bus ->match: -EPROBE_DEFER */
	int match_err;			/* their ->match fails with it; 0: it matches */
	unsigned int dpm_flags;		/* probe: dev_pm_set_driver_flags(), DPM_FLAG_* */
	bool wakeup;			/* probe: device_init_wakeup(), ->remove undoes */
	bool no_callbacks;		/* probe: pm_runtime_no_callbacks(), for good */
	bool leak_parent;		/* probe: a parent reference never given back */
};

struct rsim_dev_config {
	const char *name;
	enum rsim_bus_kind bus;
	struct rsim_dev *parent;
	bool pm_domain;			/* attach the rpm_sim PM domain */
	bool async_suspend;		/* device_enable_async_suspend() */
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
int rsim_dev_set_bindable(struct rsim_dev *rsim, bool bindable);
unsigned int rsim_dev_probe_count(struct rsim_dev *rsim);
bool rsim_dev_bound(struct rsim_dev *rsim);
int rsim_dev_bind_without_probe(struct rsim_dev *rsim);

/* Drivers: register/unregister to take the driver_attach path */
int rsim_driver_register(enum rsim_bus_kind bus);
void rsim_driver_unregister(enum rsim_bus_kind bus);

/* Bus switches (the rpm_sim bus only) */
struct rsim_bus_opts {
	bool hold_rpm_across_remove;	/* like PCI: get_sync around ->remove */
	bool break_ss2;			/* change state in ->suspend before the driver */
};

void rsim_bus_set_opts(const struct rsim_bus_opts *opts);

/* Device links */
int rsim_link_add(struct rsim_dev *consumer, struct rsim_dev *supplier, u32 flags);
int rsim_link_del(struct rsim_dev *consumer, struct rsim_dev *supplier);
int rsim_link_state(struct rsim_dev *consumer, struct rsim_dev *supplier);

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
	int request;			/* enum rpm_request */
	bool idle_notification;
	bool deferred_resume;
	bool timer_armed;		/* timer_expires != 0 */
	bool wakeup_path;		/* device_wakeup_path() */
	u32 driver_flags;		/* DPM_FLAG_* (in the padding before last_busy) */
	u64 last_busy;			/* ns, CLOCK_MONOTONIC */
};

void rsim_pm_snapshot(struct device *dev, struct rsim_pm_state *st);
const char *rsim_status_name(int status);

/* Event log */
enum rsim_layer {
	RSIM_L_BUS,
	RSIM_L_DOMAIN,
	RSIM_L_DRIVER,
	RSIM_L_CORE,		/* bus notifier: the driver core speaking */
	RSIM_L_HARNESS,
	RSIM_L_ATTACH,		/* the wrapping domain of an attached device (attach.c) */
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
	RSIM_EV_PROBE,			/* driver enter: arg is the probing task's pid */
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
	RSIM_EV_RPM_GET_IF_IN_USE,
	RSIM_EV_RPM_GET_IF_ACTIVE,
	RSIM_EV_RPM_PUT,
	RSIM_EV_RPM_PUT_SYNC,
	RSIM_EV_RPM_PUT_NOIDLE,
	RSIM_EV_RPM_PUT_AUTOSUSPEND,
	RSIM_EV_RPM_RESUME,
	RSIM_EV_RPM_SUSPEND,
	RSIM_EV_RPM_IDLE,
	RSIM_EV_RPM_REQUEST_RESUME,
	RSIM_EV_RPM_REQUEST_IDLE,
	RSIM_EV_RPM_REQUEST_AUTOSUSPEND,
	RSIM_EV_RPM_SCHEDULE_SUSPEND,		/* the behaviour's schedule_suspend_ms */
	RSIM_EV_RPM_BARRIER,
	RSIM_EV_RPM_IRQ_SAFE,
	RSIM_EV_RPM_SET_ACTIVE,
	RSIM_EV_RPM_SET_SUSPENDED,
	RSIM_EV_RPM_FORCE_SUSPEND,
	RSIM_EV_RPM_FORCE_RESUME,
	RSIM_EV_RPM_AUTOSUSPEND_ON,
	RSIM_EV_RPM_AUTOSUSPEND_OFF,
	RSIM_EV_RPM_PUT_SYNC_SUSPEND,
	RSIM_EV_RPM_PUT_SYNC_AUTOSUSPEND,
	RSIM_EV_RPM_AUTOSUSPEND,
	RSIM_EV_RPM_MARK_LAST_BUSY,
	RSIM_EV_RPM_ALLOW,
	RSIM_EV_RPM_FORBID,
	/* the PM domain's hooks around a binding (domain layer) */
	RSIM_EV_PD_ACTIVATE,
	RSIM_EV_PD_SYNC,
	RSIM_EV_PD_DISMISS,
	/* other */
	RSIM_EV_NOTIFY,			/* arg: BUS_NOTIFY_* action */
	RSIM_EV_WORK,			/* AG-5 work-after-resume ran */
	RSIM_EV_WORK_DROPPED,		/* AG-5 work given up: the resume failed */
	RSIM_EV_WORK_WAIT,		/* AG-5 work waits for a resume under way */
	RSIM_EV_GATE_REACHED,		/* arg: gate point */
	RSIM_EV_GATE_TIMEOUT,		/* arg: gate point */
	RSIM_EV_HW_ACCESS_OFF,		/* driver touched powered-off hardware */
	RSIM_EV_SUBTREE_RESUMING,	/* resume_waits_subtree's wait ended */
	/* the core's own rpm_idle(), rpm_suspend(), rpm_resume() (observe.c) */
	RSIM_EV_CORE_IDLE,		/* arg: RPM_* flags */
	RSIM_EV_CORE_SUSPEND,
	RSIM_EV_CORE_RESUME,
	RSIM_EV_CORE_RETURN,		/* a return whose call was not seen */
	RSIM_EV_NR,
};

/* The first and last runtime PM call, for range checks */
#define RSIM_EV_RPM_FIRST	RSIM_EV_RPM_ENABLE
#define RSIM_EV_RPM_LAST	RSIM_EV_RPM_FORBID

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

/*
 * Queries walk the records from @since on. They fail with -EOVERFLOW when
 * records from @since on are gone (the ring wrapped, or was cleared): an
 * answer from a partial window would be a guess.
 */
u64 rsim_evlog_mark(void);
int rsim_evlog_count(const struct rsim_ev_filter *f);
int rsim_evlog_nth(const struct rsim_ev_filter *f, unsigned int n, struct rsim_event *out);
const char *rsim_ev_name(unsigned int type);
const char *rsim_layer_name(unsigned int layer);
const char *rsim_phase_name(unsigned int phase);

/* Race gates */
enum rsim_gate_point {
	RSIM_GATE_PROBE,
	RSIM_GATE_REMOVE,
	RSIM_GATE_SUSPEND_ENTRY,	/* ->runtime_suspend */
	RSIM_GATE_RESUME_ENTRY,		/* ->runtime_resume */
	RSIM_GATE_RESUME_EXIT,		/* after the AG-5 kick, before returning */
	RSIM_GATE_IDLE,			/* ->runtime_idle */
	RSIM_GATE_NOTIFIER,		/* BUS_NOTIFY_BIND_DRIVER, _UNBIND_DRIVER */
	RSIM_GATE_NR,
};

int rsim_gate_arm(struct rsim_dev *rsim, enum rsim_gate_point point);
int rsim_gate_wait_reached(struct rsim_dev *rsim, enum rsim_gate_point point,
			   unsigned int timeout_ms);
void rsim_gate_release(struct rsim_dev *rsim, enum rsim_gate_point point);
void rsim_gate_release_all(struct rsim_dev *rsim);

/* Runtime PM calls on behalf of a test, logged with their return value */
int rsim_rpm_call(struct rsim_dev *rsim, enum rsim_ev call);
bool rsim_rpm_returns(enum rsim_ev call);

/* AG-5: run the device's work once it is active; never after ->remove */
int rsim_work_after_resume(struct rsim_dev *rsim);
unsigned int rsim_work_count(struct rsim_dev *rsim);

/*
 * Checkers: return the number of violations (the first described in @why),
 * or -EOVERFLOW when the log no longer holds everything since @since.
 */
int rsim_check_no_callback_after_remove(struct rsim_dev *rsim, u64 since,
					char *why, size_t len);
int rsim_check_unbound(struct rsim_dev *rsim, u64 since, int usage,
		       char *why, size_t len);
int rsim_check_usage(struct rsim_dev *rsim, int usage, char *why, size_t len);

/* The test suites' seed and stress size (test_params.c) */
u32 rsim_test_seed(void);
unsigned int rsim_test_stress_scale(void);

#endif /* _RPM_SIM_H */
