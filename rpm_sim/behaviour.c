// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing and printing of a driver behaviour: "key=value" words, the same
 * in new_device and in a device's debugfs "behaviour" file.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/err.h>

#include "internal.h"

static const char * const rsim_probe_names[RSIM_PROBE_NR] = {
	[RSIM_PROBE_PLAIN] = "plain",
	[RSIM_PROBE_GET_PUT] = "get_put",
	[RSIM_PROBE_DEFER] = "defer",
	[RSIM_PROBE_IRQ_SAFE] = "irq_safe",
	[RSIM_PROBE_LEAK] = "leak",
	[RSIM_PROBE_AUTOSUSPEND] = "autosuspend",
	[RSIM_PROBE_SET_ACTIVE] = "set_active",
};

static const char * const rsim_remove_names[RSIM_REMOVE_NR] = {
	[RSIM_REMOVE_DISABLE] = "disable",
	[RSIM_REMOVE_SUSPEND] = "suspend",
	[RSIM_REMOVE_PUT_SYNC] = "put_sync",
	[RSIM_REMOVE_PUT] = "put",
	[RSIM_REMOVE_FORCE_SUSPEND] = "force_suspend",
	[RSIM_REMOVE_NO_DISABLE] = "none",
};

#define RSIM_MAX_COUNT		1000
#define RSIM_MAX_DELAY_US	1000000
#define RSIM_MAX_SHUTDOWN_MS	10000

static int rsim_parse_uint(const char *val, unsigned int max, unsigned int *out)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int rsim_parse_bool(const char *val, bool *out)
{
	return kstrtobool(val, out) ? -EINVAL : 0;
}

/* An errno: negative, at most MAX_ERRNO; 0 means "the default". */
static int rsim_parse_errno(const char *val, int *out)
{
	int v;

	if (kstrtoint(val, 0, &v) || v > 0 || v < -MAX_ERRNO)
		return -EINVAL;
	*out = v;
	return 0;
}

/**
 * rsim_behaviour_set() - set one behaviour knob from its text form
 * @beh: the behaviour to change
 * @key: the knob's name
 * @val: its value
 *
 * Return: 0, or -EINVAL for an unknown key or a value out of range.
 */
int rsim_behaviour_set(struct rsim_behaviour *beh, const char *key, const char *val)
{
	int i;

	if (!strcmp(key, "probe")) {
		i = match_string(rsim_probe_names, RSIM_PROBE_NR, val);
		if (i < 0)
			return -EINVAL;
		beh->probe = i;
		return 0;
	}
	if (!strcmp(key, "remove")) {
		i = match_string(rsim_remove_names, RSIM_REMOVE_NR, val);
		if (i < 0)
			return -EINVAL;
		beh->remove = i;
		return 0;
	}
	if (!strcmp(key, "defers"))
		return rsim_parse_uint(val, RSIM_MAX_COUNT, &beh->defer_count);
	if (!strcmp(key, "probe_err"))
		return rsim_parse_errno(val, &beh->probe_err);
	if (!strcmp(key, "defer_put_sync"))
		return rsim_parse_bool(val, &beh->defer_put_sync);
	if (!strcmp(key, "fail_keep_enabled"))
		return rsim_parse_bool(val, &beh->fail_keep_enabled);
	if (!strcmp(key, "resume_err"))
		return rsim_parse_errno(val, &beh->resume_err);
	if (!strcmp(key, "resume_err_count"))
		return rsim_parse_uint(val, RSIM_MAX_COUNT, &beh->resume_err_count);
	if (!strcmp(key, "suspend_err"))
		return rsim_parse_errno(val, &beh->suspend_err);
	if (!strcmp(key, "suspend_err_count"))
		return rsim_parse_uint(val, RSIM_MAX_COUNT, &beh->suspend_err_count);
	if (!strcmp(key, "resume_delay_us"))
		return rsim_parse_uint(val, RSIM_MAX_DELAY_US, &beh->resume_delay_us);
	if (!strcmp(key, "suspend_delay_us"))
		return rsim_parse_uint(val, RSIM_MAX_DELAY_US, &beh->suspend_delay_us);
	if (!strcmp(key, "suspend_calls_resume"))
		return rsim_parse_bool(val, &beh->suspend_calls_resume);
	if (!strcmp(key, "late_calls_resume"))
		return rsim_parse_bool(val, &beh->late_calls_resume);
	if (!strcmp(key, "noirq_calls_resume"))
		return rsim_parse_bool(val, &beh->noirq_calls_resume);
	if (!strcmp(key, "force_sleep"))
		return rsim_parse_bool(val, &beh->force_sleep);
	if (!strcmp(key, "prepare_positive"))
		return rsim_parse_bool(val, &beh->prepare_positive);
	if (!strcmp(key, "shutdown_delay_ms"))
		return rsim_parse_uint(val, RSIM_MAX_SHUTDOWN_MS, &beh->shutdown_delay_ms);
	if (!strcmp(key, "shutdown_async"))
		return rsim_parse_bool(val, &beh->shutdown_async);
	return -EINVAL;
}

int rsim_behaviour_show(const struct rsim_behaviour *b, char *buf, size_t len)
{
	return scnprintf(buf, len,
			 "probe=%s defers=%u probe_err=%d defer_put_sync=%d fail_keep_enabled=%d remove=%s resume_err=%d resume_err_count=%u suspend_err=%d suspend_err_count=%u resume_delay_us=%u suspend_delay_us=%u suspend_calls_resume=%d late_calls_resume=%d noirq_calls_resume=%d force_sleep=%d prepare_positive=%d shutdown_delay_ms=%u shutdown_async=%d\n",
			 rsim_probe_names[b->probe], b->defer_count, b->probe_err,
			 b->defer_put_sync, b->fail_keep_enabled,
			 rsim_remove_names[b->remove],
			 b->resume_err, b->resume_err_count, b->suspend_err,
			 b->suspend_err_count, b->resume_delay_us,
			 b->suspend_delay_us, b->suspend_calls_resume,
			 b->late_calls_resume, b->noirq_calls_resume,
			 b->force_sleep, b->prepare_positive,
			 b->shutdown_delay_ms, b->shutdown_async);
}
