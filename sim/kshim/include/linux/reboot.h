/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/reboot.h. The reboot notifier chain belongs to
 * the execution; kshim_reboot(k, action) (sim/kshim.h) calls it as
 * kernel_restart_prepare() and friends do: highest priority first, equal
 * priorities in registration order, stopping at NOTIFY_STOP_MASK.
 */
#ifndef _LINUX_REBOOT_H
#define _LINUX_REBOOT_H

#include <linux/notifier.h>

#define SYS_DOWN 0x0001
#define SYS_RESTART SYS_DOWN
#define SYS_HALT 0x0002
#define SYS_POWER_OFF 0x0003

int kshim_register_reboot_notifier(struct notifier_block *nb);
int kshim_unregister_reboot_notifier(struct notifier_block *nb);

/**
 * register_reboot_notifier() - add @nb to the reboot chain.
 * @nb: the block; registering it twice is a WARN and -EEXIST.
 *
 * Context: may sleep.
 * Return: 0, -EEXIST, -ENOSPC (KSHIM_REBOOT_NOTIFIER_COUNT_MAX reached).
 */
static inline int register_reboot_notifier(struct notifier_block *nb)
{
	return kshim_register_reboot_notifier(nb);
}

/**
 * unregister_reboot_notifier() - remove @nb from the reboot chain.
 * @nb: the block.
 *
 * Context: may sleep.
 * Return: 0, or -ENOENT if @nb was not registered.
 */
static inline int unregister_reboot_notifier(struct notifier_block *nb)
{
	return kshim_unregister_reboot_notifier(nb);
}

#endif /* _LINUX_REBOOT_H */
