// SPDX-License-Identifier: MIT
/*
 * The reboot notifier chain of an execution (the kernel's
 * reboot_notifier_list, a blocking notifier chain). Blocks are kept in
 * priority order, highest first, equal priorities in registration order
 * (notifier_chain_register()); kshim_reboot() calls them in that order with
 * the chain's mutex held, as blocking_notifier_call_chain() holds its
 * rwsem, and stops at a return value with NOTIFY_STOP_MASK.
 */
#include <errno.h>
#include <string.h>

#include <linux/kshim.h>
#include <linux/reboot.h>

#include "core_private.h"
#include "sim/assert.h"
#include "sim/sim.h"

/**
 * kshim_register_reboot_notifier() - register_reboot_notifier(); outside an
 * execution nothing is recorded.
 */
int kshim_register_reboot_notifier(struct notifier_block *nb)
{
	struct kshim_core *core;
	struct kshim *kshim;
	uint32_t index;
	uint32_t i;
	int ret = 0;

	if (nb == NULL || nb->notifier_call == NULL) {
		kshim_warn(__FILE__, __LINE__, "register_reboot_notifier(): NULL block or callback");
		return -EINVAL;
	}
	core = kshim__core_self(&kshim);
	if (core == NULL)
		return 0;
	kshim_might_sleep(__FILE__, __LINE__);
	kshim_lock_acquire(&core->reboot_lock);
	pthread_mutex_lock(&core->mutex);
	for (i = 0; i < core->reboot_count; i++) {
		if (core->reboot_chain[i] == nb)
			ret = -EEXIST;
	}
	if (ret == 0 && core->reboot_count >= KSHIM_REBOOT_NOTIFIER_COUNT_MAX)
		ret = -ENOSPC;
	if (ret == 0) {
		for (index = 0; index < core->reboot_count; index++) {
			if (nb->priority > core->reboot_chain[index]->priority)
				break;
		}
		memmove(&core->reboot_chain[index + 1], &core->reboot_chain[index],
			(core->reboot_count - index) * sizeof(core->reboot_chain[0]));
		core->reboot_chain[index] = nb;
		core->reboot_count++;
	}
	pthread_mutex_unlock(&core->mutex);
	kshim_lock_release(&core->reboot_lock);
	if (ret == -EEXIST)
		kshim_warn(__FILE__, __LINE__, "reboot notifier %p already registered", (void *)nb);
	return ret;
}

/**
 * kshim_unregister_reboot_notifier() - unregister_reboot_notifier().
 */
int kshim_unregister_reboot_notifier(struct notifier_block *nb)
{
	struct kshim_core *core;
	struct kshim *kshim;
	int ret = -ENOENT;
	uint32_t i;

	if (nb == NULL)
		return -ENOENT;
	core = kshim__core_self(&kshim);
	if (core == NULL)
		return 0;
	kshim_might_sleep(__FILE__, __LINE__);
	kshim_lock_acquire(&core->reboot_lock);
	pthread_mutex_lock(&core->mutex);
	for (i = 0; i < core->reboot_count; i++) {
		if (core->reboot_chain[i] != nb)
			continue;
		memmove(&core->reboot_chain[i], &core->reboot_chain[i + 1],
			(core->reboot_count - i - 1) * sizeof(core->reboot_chain[0]));
		core->reboot_count--;
		ret = 0;
		break;
	}
	pthread_mutex_unlock(&core->mutex);
	kshim_lock_release(&core->reboot_lock);
	return ret;
}

/**
 * kshim_reboot() - see sim/kshim.h.
 */
int kshim_reboot(struct kshim *kshim, unsigned long action)
{
	struct kshim_core *core;
	int called = 0;
	uint32_t i;

	if (kshim == NULL || sim_self() != kshim->sim ||
	    (action != SYS_RESTART && action != SYS_HALT && action != SYS_POWER_OFF)) {
		kshim_printk("err", "kshim_reboot(%lu): needs SYS_RESTART, SYS_HALT or "
				    "SYS_POWER_OFF, from a thread of the execution\n",
			     action);
		return -EINVAL;
	}
	core = kshim->core;
	kshim_might_sleep(__FILE__, __LINE__);
	kshim_lock_acquire(&core->reboot_lock);
	/* The chain cannot change meanwhile: (un)registering takes the lock. */
	for (i = 0; i < core->reboot_count; i++) {
		struct notifier_block *nb = core->reboot_chain[i];
		int ret;

		ret = nb->notifier_call(nb, action, NULL);
		called++;
		if ((ret & NOTIFY_STOP_MASK) != 0)
			break;
	}
	kshim_lock_release(&core->reboot_lock);
	return called;
}
