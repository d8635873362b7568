// SPDX-License-Identifier: MIT
/*
 * The SDEI client of the kernel-API layer, after Linux's
 * drivers/firmware/arm_sdei.c: sdei_event_register/enable/disable/
 * unregister with cross calls ON every online CPU for private events,
 * sdei_to_linux_errno(), the driver's cpuhp steps, and the handler entry
 * (__sdei_handler + do_sdei_event): the callback runs in NMI-like context
 * with the interrupted registers in a struct pt_regs, then the event
 * completes as the reference [R§6.7] describes.
 */
#include <stdio.h>
#include <string.h>

#include <asm/ptrace.h>
#include <linux/arm_sdei.h>
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/hardirq.h>
#include <linux/kshim.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/smp.h>

#include "kshim_platform.h"
#include "proto/sdei.h"
#include "sim/assert.h"
#include "sim/sim.h"

/* do_sdei_event() reads back x0..x3, which the entry code used. */
#define SDEI_CLOBBERED_REGISTER_COUNT 4u

/**
 * kshim__sdei_to_errno() - sdei_to_linux_errno().
 */
int kshim__sdei_to_errno(uint64_t sdei_result)
{
	switch ((int64_t)sdei_result) {
	case PROTO_SDEI_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case PROTO_SDEI_INVALID_PARAMETERS:
		return -EINVAL;
	case PROTO_SDEI_DENIED:
		return -EPERM;
	case PROTO_SDEI_PENDING:
		return -EINPROGRESS;
	case PROTO_SDEI_OUT_OF_RESOURCE:
		return -ENOMEM;
	default:
		return 0;
	}
}

/*
 * invoke_sdei_fn(): an SDEI call from the calling CPU. A thread with no CPU
 * (or no platform) has no conduit: -EIO, as the driver answers when it has
 * no firmware.
 */
static int invoke_sdei_fn(uint64_t function_id, uint64_t arg0, uint64_t arg1, uint64_t arg2,
			  uint64_t arg3, uint64_t arg4, uint64_t *result)
{
	struct kshim_plat *plat = kshim__plat_self();
	struct sim_smccc_regs regs = { .x = { function_id, arg0, arg1, arg2, arg3, arg4 } };
	int err;

	if (plat == NULL || sim_self_vcpu() < 0) {
		if (result != NULL)
			*result = (uint64_t)(int64_t)PROTO_SDEI_NOT_SUPPORTED;
		return -EIO;
	}
	if (!kshim__hvc(plat, &regs))
		WARN(1, "SDEI call %#llx did not return", (unsigned long long)function_id);
	err = kshim__sdei_to_errno(regs.a[0]);
	if (result != NULL)
		*result = regs.a[0];
	return err;
}

static int sdei_api_event_get_info(uint32_t event, uint32_t info, uint64_t *result)
{
	return invoke_sdei_fn(PROTO_SDEI_1_0_FN_SDEI_EVENT_GET_INFO, event, info, 0, 0, 0, result);
}

static int sdei_api_event_register(const struct kshim_sdei_event *event, uint64_t flags)
{
	return invoke_sdei_fn(PROTO_SDEI_1_0_FN_SDEI_EVENT_REGISTER, event->number,
			      KSHIM_SDEI_ENTRY_POINT, (uint64_t)(uintptr_t)event, flags, 0, NULL);
}

static int sdei_api_event_simple(uint64_t function_id, uint32_t event)
{
	return invoke_sdei_fn(function_id, event, 0, 0, 0, 0, NULL);
}

/* ---- Locks (sdei_events_lock, sdei_list_lock) ---- */

static void list_lock(struct kshim_plat *plat)
{
	kshim_preempt_count_add(1);
	kshim_lock_acquire(&plat->sdei_list_lock);
}

static void list_unlock(struct kshim_plat *plat)
{
	kshim_lock_release(&plat->sdei_list_lock);
	kshim_preempt_count_add(-1);
}

static void events_lock(struct kshim_plat *plat)
{
	kshim_might_sleep(__FILE__, __LINE__);
	kshim_lock_acquire(&plat->sdei_mutex);
}

static struct kshim_sdei_event *event_find(struct kshim_plat *plat, uint32_t number)
{
	uint32_t i;

	for (i = 0; i < KSHIM_SDEI_EVENT_COUNT_MAX; i++) {
		if (plat->sdei_events[i].used && plat->sdei_events[i].number == number)
			return &plat->sdei_events[i];
	}
	return NULL;
}

/* ---- Cross calls ---- */

struct sdei_crosscall_args {
	struct kshim_sdei_event *event;
	atomic_t errors;
	int first_error;
};

static void cross_call_return(struct sdei_crosscall_args *args, int err)
{
	if (err != 0 && atomic_inc_return(&args->errors) == 1)
		args->first_error = err;
}

static void local_event_register(void *data)
{
	struct sdei_crosscall_args *args = data;

	cross_call_return(args, sdei_api_event_register(args->event,
							PROTO_SDEI_EVENT_REGISTER_RM_ANY));
}

static void local_event_unregister(void *data)
{
	struct sdei_crosscall_args *args = data;

	cross_call_return(args, sdei_api_event_simple(PROTO_SDEI_1_0_FN_SDEI_EVENT_UNREGISTER,
						      args->event->number));
}

static void local_event_enable(void *data)
{
	struct sdei_crosscall_args *args = data;

	cross_call_return(args, sdei_api_event_simple(PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE,
						      args->event->number));
}

static void local_event_disable(void *data)
{
	struct sdei_crosscall_args *args = data;

	cross_call_return(args, sdei_api_event_simple(PROTO_SDEI_1_0_FN_SDEI_EVENT_DISABLE,
						      args->event->number));
}

/* sdei_do_cross_call(): @fn on every online CPU; the first error. */
static int do_cross_call(void (*fn)(void *), struct kshim_sdei_event *event)
{
	struct sdei_crosscall_args args = { .event = event, .first_error = 0 };

	atomic_set(&args.errors, 0);
	on_each_cpu(fn, &args, true);
	return args.first_error;
}

/* sdei_do_local_call(): @fn on the calling CPU. */
static int do_local_call(void (*fn)(void *), struct kshim_sdei_event *event)
{
	struct sdei_crosscall_args args = { .event = event, .first_error = 0 };

	atomic_set(&args.errors, 0);
	fn(&args);
	return args.first_error;
}

/* ---- Client API ---- */

static struct kshim_sdei_event *event_create(struct kshim_plat *plat, uint32_t number,
					     sdei_event_callback *cb, void *arg, int *err)
{
	struct kshim_sdei_event *event = NULL;
	uint64_t priority = 0;
	uint64_t type = 0;
	uint32_t i;

	*err = sdei_api_event_get_info(number, PROTO_SDEI_EVENT_INFO_EV_PRIORITY, &priority);
	if (*err == 0)
		*err = sdei_api_event_get_info(number, PROTO_SDEI_EVENT_INFO_EV_TYPE, &type);
	if (*err != 0)
		return NULL;
	list_lock(plat);
	for (i = 0; i < KSHIM_SDEI_EVENT_COUNT_MAX && event == NULL; i++) {
		if (!plat->sdei_events[i].used)
			event = &plat->sdei_events[i];
	}
	if (event != NULL)
		*event = (struct kshim_sdei_event){
			.used = true, .number = number, .type = (uint32_t)type,
			.priority = (uint32_t)priority, .callback = cb, .callback_arg = arg,
		};
	list_unlock(plat);
	if (event == NULL)
		*err = -ENOMEM;
	return event;
}

static void event_destroy(struct kshim_plat *plat, struct kshim_sdei_event *event)
{
	list_lock(plat);
	memset(event, 0, sizeof(*event));
	list_unlock(plat);
}

static int event_register(struct kshim_sdei_event *event)
{
	int err;

	if (event->type == PROTO_SDEI_EVENT_TYPE_SHARED)
		return sdei_api_event_register(event, PROTO_SDEI_EVENT_REGISTER_RM_ANY);
	err = do_cross_call(local_event_register, event);
	if (err != 0)
		(void)do_cross_call(local_event_unregister, event);
	return err;
}

static int event_unregister(struct kshim_sdei_event *event)
{
	if (event->type == PROTO_SDEI_EVENT_TYPE_SHARED)
		return sdei_api_event_simple(PROTO_SDEI_1_0_FN_SDEI_EVENT_UNREGISTER,
					     event->number);
	return do_cross_call(local_event_unregister, event);
}

/**
 * sdei_event_register() - register @event_num with @cb: once for a shared
 * event, on every online CPU for a private one (undone everywhere if one
 * CPU fails). It is re-registered on CPUs that come online later.
 *
 * Return: 0, -EBUSY (already registered), -ENOMEM, -EIO (no SDEI on this
 * thread), or the SDEI error mapped to -errno.
 */
int sdei_event_register(u32 event_num, sdei_event_callback *cb, void *arg)
{
	struct kshim_plat *plat = kshim__plat_self();
	struct kshim_sdei_event *event;
	int err;

	if (plat == NULL)
		return -EIO;
	if (cb == NULL)
		return -EINVAL;
	WARN_ON(in_nmi());
	events_lock(plat);
	if (event_find(plat, event_num) != NULL) {
		pr_warn("Event %u already registered\n", event_num);
		err = -EBUSY;
		goto unlock;
	}
	event = event_create(plat, event_num, cb, arg, &err);
	if (event == NULL) {
		pr_warn("Failed to create event %u: %d\n", event_num, err);
		goto unlock;
	}
	kshim_lock_acquire(&plat->hotplug_mutex); /* cpus_read_lock() */
	err = event_register(event);
	if (err != 0) {
		event_destroy(plat, event);
		pr_warn("Failed to register event %u: %d\n", event_num, err);
	} else {
		list_lock(plat);
		event->reregister = true;
		list_unlock(plat);
	}
	kshim_lock_release(&plat->hotplug_mutex);
unlock:
	kshim_lock_release(&plat->sdei_mutex);
	return err;
}

/**
 * sdei_event_unregister() - unregister @event_num (everywhere for a
 * private event) and forget it; kept when the firmware refuses.
 *
 * Return: 0, -ENOENT, or the SDEI error mapped to -errno (e.g. -EINPROGRESS
 * while a handler runs).
 */
int sdei_event_unregister(u32 event_num)
{
	struct kshim_plat *plat = kshim__plat_self();
	struct kshim_sdei_event *event;
	int err;

	if (plat == NULL)
		return -EIO;
	WARN_ON(in_nmi());
	events_lock(plat);
	event = event_find(plat, event_num);
	if (event == NULL) {
		pr_warn("Event %u not registered\n", event_num);
		err = -ENOENT;
		goto unlock;
	}
	list_lock(plat);
	event->reregister = false;
	event->reenable = false;
	list_unlock(plat);
	err = event_unregister(event);
	if (err == 0)
		event_destroy(plat, event);
unlock:
	kshim_lock_release(&plat->sdei_mutex);
	return err;
}

/**
 * sdei_event_enable() - enable @event_num (on every online CPU for a
 * private event); re-enabled on CPUs that come online later.
 *
 * Return: 0, -ENOENT, or the SDEI error mapped to -errno.
 */
int sdei_event_enable(u32 event_num)
{
	struct kshim_plat *plat = kshim__plat_self();
	struct kshim_sdei_event *event;
	int err;

	if (plat == NULL)
		return -EIO;
	events_lock(plat);
	event = event_find(plat, event_num);
	if (event == NULL) {
		err = -ENOENT;
		goto unlock;
	}
	kshim_lock_acquire(&plat->hotplug_mutex);
	if (event->type == PROTO_SDEI_EVENT_TYPE_SHARED)
		err = sdei_api_event_simple(PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE, event_num);
	else
		err = do_cross_call(local_event_enable, event);
	if (err == 0) {
		list_lock(plat);
		event->reenable = true;
		list_unlock(plat);
	}
	kshim_lock_release(&plat->hotplug_mutex);
unlock:
	kshim_lock_release(&plat->sdei_mutex);
	return err;
}

/**
 * sdei_event_disable() - disable @event_num (on every online CPU for a
 * private event); no longer re-enabled on CPU up.
 *
 * Return: 0, -ENOENT, or the SDEI error mapped to -errno.
 */
int sdei_event_disable(u32 event_num)
{
	struct kshim_plat *plat = kshim__plat_self();
	struct kshim_sdei_event *event;
	int err;

	if (plat == NULL)
		return -EIO;
	events_lock(plat);
	event = event_find(plat, event_num);
	if (event == NULL) {
		err = -ENOENT;
		goto unlock;
	}
	list_lock(plat);
	event->reenable = false;
	list_unlock(plat);
	if (event->type == PROTO_SDEI_EVENT_TYPE_SHARED)
		err = sdei_api_event_simple(PROTO_SDEI_1_0_FN_SDEI_EVENT_DISABLE, event_num);
	else
		err = do_cross_call(local_event_disable, event);
unlock:
	kshim_lock_release(&plat->sdei_mutex);
	return err;
}

/* ---- CPU hotplug (CPUHP_AP_ARM_SDEI_STARTING) ---- */

static int pe_mask_call(uint64_t function_id, const char *what)
{
	int err = invoke_sdei_fn(function_id, 0, 0, 0, 0, 0, NULL);

	if (err != 0 && err != -EIO)
		pr_warn("Failed to %s CPU%d: %d\n", what, kshim_smp_processor_id(), err);
	return err;
}

/**
 * kshim__sdei_cpu_down() - sdei_cpuhp_down() on the dying CPU: unregister
 * every private event there, then PE_MASK.
 */
int kshim__sdei_cpu_down(struct kshim_plat *plat)
{
	uint32_t i;
	int err;

	list_lock(plat);
	for (i = 0; i < KSHIM_SDEI_EVENT_COUNT_MAX; i++) {
		struct kshim_sdei_event *event = &plat->sdei_events[i];

		if (!event->used || event->type == PROTO_SDEI_EVENT_TYPE_SHARED)
			continue;
		err = do_local_call(local_event_unregister, event);
		if (err != 0)
			pr_err("Failed to unregister event %u: %d\n", event->number, err);
	}
	list_unlock(plat);
	return pe_mask_call(PROTO_SDEI_1_0_FN_SDEI_PE_MASK, "mask");
}

/**
 * kshim__sdei_cpu_up() - sdei_cpuhp_up() on the new CPU: re-register and
 * re-enable the private events that are registered / enabled, then
 * PE_UNMASK.
 */
int kshim__sdei_cpu_up(struct kshim_plat *plat)
{
	uint32_t i;
	int err;

	list_lock(plat);
	for (i = 0; i < KSHIM_SDEI_EVENT_COUNT_MAX; i++) {
		struct kshim_sdei_event *event = &plat->sdei_events[i];

		if (!event->used || event->type == PROTO_SDEI_EVENT_TYPE_SHARED)
			continue;
		if (event->reregister) {
			err = do_local_call(local_event_register, event);
			if (err != 0)
				pr_err("Failed to re-register event %u: %d\n", event->number, err);
		}
		if (event->reenable) {
			err = do_local_call(local_event_enable, event);
			if (err != 0)
				pr_err("Failed to re-enable event %u: %d\n", event->number, err);
		}
	}
	list_unlock(plat);
	return pe_mask_call(PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK, "unmask");
}

/* ---- Handler entry ---- */

static struct kshim_sdei_event *event_of_arg(struct kshim_plat *plat, uint64_t arg,
					     uint32_t number)
{
	uintptr_t first = (uintptr_t)&plat->sdei_events[0];
	uintptr_t address = (uintptr_t)arg;
	struct kshim_sdei_event *event;

	if (address < first || address >= first + sizeof(plat->sdei_events) ||
	    (address - first) % sizeof(plat->sdei_events[0]) != 0)
		return NULL;
	event = (struct kshim_sdei_event *)address;
	return event->used && event->number == number ? event : NULL;
}

/* The result of do_sdei_event(): HANDLED / FAILED, or a resume address. */
static uint64_t sdei_event_outcome(const struct pt_regs *regs, int err)
{
	uint64_t mode = regs->pstate & (PSR_MODE32_BIT | PSR_MODE_MASK);

	if (err != 0)
		return PROTO_SDEI_EV_FAILED;
	/* Interrupted the kernel with interrupts masked: go back there. */
	if (mode == PSR_MODE_EL1h && !interrupts_enabled(regs))
		return PROTO_SDEI_EV_HANDLED;
	/* Otherwise pretend this was an IRQ (DDI0487 vector offsets). */
	if (mode == PSR_MODE_EL1h)
		return KSHIM_VBAR_EL1 + KSHIM_VECTOR_IRQ_EL1h;
	if (mode & PSR_MODE32_BIT)
		return KSHIM_VBAR_EL1 + KSHIM_VECTOR_IRQ_EL0_32;
	return KSHIM_VBAR_EL1 + KSHIM_VECTOR_IRQ_EL0_64;
}

/**
 * kshim__sdei_enter() - the platform's SDEI entry (struct sim_sdei_hooks
 * .enter): build pt_regs (x0..x3 read back with EVENT_CONTEXT, pc = x2,
 * pstate = x3), run the callback in NMI context, complete. Returns right
 * after the completing call.
 */
void kshim__sdei_enter(void *ctx, uint32_t vcpu, uint64_t entry, uint64_t arg, uint32_t event)
{
	struct kshim_plat *plat = ctx;
	struct task_struct *task;
	struct sim_arm_regs *arm;
	struct kshim_sdei_event *ev;
	struct sim_smccc_regs complete = { .x = { 0 } };
	struct pt_regs regs;
	uint64_t outcome;
	bool on_idle;
	uint32_t i;
	int err;

	SIM_ASSERT(plat != NULL);
	SIM_ASSERT(vcpu < plat->vcpu_count);
	on_idle = kshim__idle_handler_enter(plat, vcpu);
	arm = sim_platform_regs(plat->platform, vcpu);
	memset(&regs, 0, sizeof(regs));
	for (i = SDEI_CLOBBERED_REGISTER_COUNT; i < SIM_ARM_GPR_COUNT; i++)
		regs.regs[i] = arm->x[i];
	regs.pc = arm->x[2];
	regs.pstate = arm->x[3];
	plat->stats.sdei_count++;
	for (i = 0; i < SDEI_CLOBBERED_REGISTER_COUNT; i++) {
		struct sim_smccc_regs context = {
			.x = { PROTO_SDEI_1_0_FN_SDEI_EVENT_CONTEXT, i },
		};

		/*
		 * From within the handler this call always succeeds, and its
		 * result is the interrupted register, which may hold any value
		 * (a negative SMCCC status, say): only a call the conduit did
		 * not take is a failure.
		 */
		if (sim_platform_hvc(plat->platform, &context))
			regs.regs[i] = context.a[0];
		else
			WARN(1, "SDEI EVENT_CONTEXT(%u) failed", i);
	}
	ev = event_of_arg(plat, arg, event);
	task = kshim_current(); /* the interrupted thread's */
	task->kshim_hardirq_depth++;
	task->kshim_nmi_depth++;
	if (entry != KSHIM_SDEI_ENTRY_POINT || ev == NULL) {
		WARN(1, "SDEI event %u entered at %#llx with an unknown registration", event,
		     (unsigned long long)entry);
		err = -EINVAL;
	} else {
		err = ev->callback(event, &regs, ev->callback_arg);
		if (err != 0)
			pr_err("event %u on CPU %u failed with error: %d\n", event, vcpu, err);
	}
	SIM_ASSERT(task->kshim_nmi_depth > 0 && task->kshim_hardirq_depth > 0);
	task->kshim_nmi_depth--;
	task->kshim_hardirq_depth--;
	outcome = sdei_event_outcome(&regs, err);
	if (outcome == PROTO_SDEI_EV_FAILED || outcome == PROTO_SDEI_EV_HANDLED) {
		if (outcome == PROTO_SDEI_EV_FAILED)
			plat->stats.sdei_failed_count++;
		else
			plat->stats.sdei_handled_count++;
		complete.x[0] = PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE;
	} else {
		plat->stats.sdei_resume_count++;
		plat->sdei_resume_address[vcpu] = outcome;
		complete.x[0] = PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE_AND_RESUME;
	}
	complete.x[1] = outcome;
	/* Does not return on success: the registers are the interrupted
	 * context's again, so no schedule point may follow it (waking the
	 * held-back tasks is none). */
	if (sim_platform_hvc(plat->platform, &complete))
		WARN(1, "SDEI completion of event %u refused: %lld", event,
		     (long long)complete.a[0]);
	kshim__idle_handler_exit(plat, vcpu, on_idle);
}

/**
 * kshim_sdei_resume_address() - see sim/kshim.h.
 */
uint64_t kshim_sdei_resume_address(const struct kshim *kshim, unsigned int cpu)
{
	if (kshim == NULL || kshim->plat == NULL || cpu >= kshim->plat->vcpu_count)
		return 0;
	return kshim->plat->sdei_resume_address[cpu];
}
