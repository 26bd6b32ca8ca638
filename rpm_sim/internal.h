/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rpm_sim internals shared between the module's files: the device object,
 * each file's init/exit pair, and the helpers the callbacks use.
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

struct platform_device;
struct dentry;

struct rsim_gate {
	bool armed;
	bool reached;
	bool released;
};

struct rsim_dev {
	struct list_head node;		/* on rsim_devices, under rsim_lock */
	char name[RSIM_NAME_LEN];
	enum rsim_bus_kind bus;
	struct device *dev;		/* &sim_dev or &pdev->dev */
	struct device sim_dev;		/* RSIM_BUS_SIM: embedded, owns rsim */
	struct platform_device *pdev;	/* RSIM_BUS_PLATFORM */
	struct rsim_dev *parent;
	unsigned int nr_children;	/* under rsim_lock */
	bool pm_domain;
	bool bindable;			/* bus match accepts the device */
	bool async_probe;		/* matched by the asynchronous driver */

	/* Behaviour: written with the device unbound, read by callbacks */
	struct rsim_behaviour beh;
	atomic_t probe_count;
	atomic_t fail_left;		/* failed probes still to come */
	atomic_t resume_err_left;
	atomic_t suspend_err_left;
	bool bound;
	bool removed;			/* ->remove returned, set until next probe */
	bool hw_off;			/* the bus powered it off (break_ss2) */

	/* Gates: state under gate_lock, waiters on gate_wq */
	spinlock_t gate_lock;
	wait_queue_head_t gate_wq;
	struct rsim_gate gates[RSIM_GATE_NR];

	/* AG-5 work after resume */
	struct work_struct work;
	atomic_t work_count;
	atomic_t work_pending;

	/* Shutdown (SD): what ->shutdown waits for, filled at reboot time */
	struct completion shutdown_done;
	struct rsim_dev **shutdown_deps;
	unsigned int nr_shutdown_deps;
	bool shutdown_started;

	struct dentry *dbg;
};

/* bus.c */
extern rsim_bus_type rsim_bus;
extern const struct dev_pm_ops rsim_bus_pm_ops;
int rsim_bus_init(void);
void rsim_bus_exit(void);
int rsim_bus_add_device(struct rsim_dev *rsim);

/* platform.c */
int rsim_platform_init(void);
void rsim_platform_exit(void);
int rsim_platform_add_device(struct rsim_dev *rsim);
void rsim_platform_set_bindable(struct rsim_dev *rsim, bool bindable);
struct rsim_dev *rsim_from_platform(struct device *dev);
int rsim_platform_driver_register(void);
void rsim_platform_driver_unregister(void);
bool rsim_platform_driver_registered(void);

/* device.c */
extern struct mutex rsim_lock;
extern struct list_head rsim_devices;
struct rsim_dev *rsim_from_dev(struct device *dev);
struct rsim_dev *rsim_dev_find_locked(const char *name);
void rsim_dev_destroy_all(void);
int rsim_dev_parse_new(const char *buf);
int rsim_dev_parse_del(const char *buf);
int rsim_link_parse(const char *buf, bool add);
bool rsim_link_exists(struct rsim_dev *consumer, struct rsim_dev *supplier);
void rsim_dev_close(void);

/* driver.c: the behaviour engine shared by both buses' drivers */
int rsim_drv_probe(struct rsim_dev *rsim);
void rsim_drv_remove(struct rsim_dev *rsim);
void rsim_drv_shutdown(struct rsim_dev *rsim);
extern const struct dev_pm_ops rsim_drv_pm_ops;
int rsim_behaviour_set(struct rsim_behaviour *beh, const char *key, const char *val);
int rsim_behaviour_show(const struct rsim_behaviour *beh, char *buf, size_t len);
void rsim_drv_arm(struct rsim_dev *rsim);

/* pm_domain.c */
extern struct dev_pm_domain rsim_pm_domain;

/* evlog.c */
int rsim_evlog_init(unsigned int entries);
void rsim_evlog_exit(void);
void rsim_ev(struct rsim_dev *rsim, struct device *dev, enum rsim_ev type,
	     enum rsim_layer layer, enum rsim_phase phase, int ret, u32 arg);
int rsim_evlog_format(const struct rsim_event *e, char *buf, size_t len);
bool rsim_evlog_get(u64 index, struct rsim_event *out, u64 *first);
u64 rsim_evlog_total(void);

/* gate.c */
void rsim_gate_init(struct rsim_dev *rsim);
void rsim_gate_pass(struct rsim_dev *rsim, enum rsim_gate_point point);
bool rsim_gate_busy(struct rsim_dev *rsim);
int rsim_gate_parse(struct rsim_dev *rsim, const char *buf);
int rsim_gate_show(struct rsim_dev *rsim, char *buf, size_t len);
extern unsigned int rsim_gate_timeout_ms;

/* work.c */
void rsim_work_init(struct rsim_dev *rsim);
void rsim_work_kick(struct rsim_dev *rsim);
void rsim_work_cancel(struct rsim_dev *rsim);

/* rpm.c: logged runtime PM calls */
int rsim_rpm_in(struct rsim_dev *rsim, enum rsim_ev call, enum rsim_layer layer);
#define rsim_rpm(rsim, call) rsim_rpm_in(rsim, call, RSIM_L_DRIVER)
int rsim_rpm_parse(struct rsim_dev *rsim, const char *buf);

/* shutdown.c */
void rsim_shutdown_step(struct rsim_dev *rsim, const char *step);
void rsim_shutdown_dispatch(struct rsim_dev *rsim);
void rsim_shutdown_opt_in(struct rsim_dev *rsim);
int rsim_shutdown_init(void);
void rsim_shutdown_exit(void);

/* debugfs.c */
int rsim_debugfs_init(void);
void rsim_debugfs_exit(void);
void rsim_debugfs_add_dev(struct rsim_dev *rsim);
void rsim_debugfs_del_dev(struct rsim_dev *rsim);

/* Small helpers */
static inline const char *rsim_bus_kind_name(enum rsim_bus_kind bus)
{
	return bus == RSIM_BUS_PLATFORM ? "platform" : "rpm_sim";
}

static inline void rsim_log(struct rsim_dev *rsim, enum rsim_ev type,
			    enum rsim_layer layer, enum rsim_phase phase, int ret,
			    u32 arg)
{
	rsim_ev(rsim, rsim->dev, type, layer, phase, ret, arg);
}

#endif /* _RPM_SIM_INTERNAL_H */
