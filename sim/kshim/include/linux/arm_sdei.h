/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/arm_sdei.h, the client API of
 * drivers/firmware/arm_sdei.c. The numbers (function IDs, error codes,
 * GET_INFO selectors) come from the uapi header, included next as the
 * kernel's header includes uapi/linux/arm_sdei.h. The implementation
 * (sim/kshim/sdei.c) registers, enables, disables and unregisters a private
 * event ON every online CPU, maps the firmware's errors to -errno as
 * sdei_to_linux_errno() does, and follows CPU hotplug like the driver's
 * cpuhp callbacks. Callbacks run in NMI-like context; see docs/kshim.md.
 */
#ifndef __LINUX_ARM_SDEI_H
#define __LINUX_ARM_SDEI_H

#include_next <linux/arm_sdei.h>

#include <asm/ptrace.h>
#include <linux/types.h>

/*
 * The callback of a registered event: @event, the interrupted context in
 * @regs (pc and pstate from the dispatcher's x2/x3), and the registration's
 * @arg. Non-zero: the event completes with SDEI_EV_FAILED.
 */
typedef int(sdei_event_callback)(u32 event, struct pt_regs *regs, void *arg);

/* Return: 0, -EBUSY (already registered), -ENOMEM, or a mapped SDEI error. */
int sdei_event_register(u32 event_num, sdei_event_callback *cb, void *arg);
/* Return: 0, -ENOENT (not registered here), or a mapped SDEI error. */
int sdei_event_unregister(u32 event_num);
int sdei_event_enable(u32 event_num);
int sdei_event_disable(u32 event_num);

#endif /* __LINUX_ARM_SDEI_H */
