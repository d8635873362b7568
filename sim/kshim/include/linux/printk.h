/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/printk.h. Messages go to the execution's trace
 * (sim_trace_log) with their level, so they are part of the hashed trace.
 */
#ifndef __KERNEL_PRINTK__
#define __KERNEL_PRINTK__

#include <linux/kshim.h>

#define KERN_EMERG "emerg"
#define KERN_ALERT "alert"
#define KERN_CRIT "crit"
#define KERN_ERR "err"
#define KERN_WARNING "warn"
#define KERN_NOTICE "notice"
#define KERN_INFO "info"
#define KERN_DEBUG "debug"

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define pr_emerg(fmt, ...) kshim_printk(KERN_EMERG, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) kshim_printk(KERN_ERR, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) kshim_printk(KERN_WARNING, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) kshim_printk(KERN_NOTICE, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) kshim_printk(KERN_INFO, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) kshim_printk(KERN_DEBUG, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn_once pr_warn
#define pr_info_once pr_info
#define pr_err_ratelimited pr_err
#define pr_warn_ratelimited pr_warn

#endif /* __KERNEL_PRINTK__ */
