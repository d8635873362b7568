/* SPDX-License-Identifier: MIT */
/*
 * The arm64 KVM guest's asynchronous page fault driver (kvm.c): the entry
 * point the return-to-user path calls for TIF_ASYNC_PF, and read-only
 * accessors for introspection (tests, oracles). See docs/guest.md.
 */
#ifndef _KVM_APF_H
#define _KVM_APF_H

#include <linux/sched.h>
#include <linux/types.h>

/**
 * struct kvm_async_pf_stats - per-CPU event counters of the driver.
 * @not_present: page-not-present notifications that parked a task.
 * @page_ready: page-ready notifications that woke a task.
 * @wake_all: page-ready notifications with the wake-all token.
 * @wake_all_tasks: tasks woken by wake-all, CPU offline and reboot.
 * @unknown_token: page-ready notifications whose token had no waiter.
 * @bogus_not_present: SDEI events that found no page-not-present in the slot.
 * @bogus_page_ready: page-ready interrupts with a reason other than page ready
 *                    (spurious ones included).
 * @spurious: ... of which found the slot empty.
 * @table_full: page-not-present notifications not parked: table full.
 * @duplicate: page-not-present notifications not parked: task already waits.
 * @kernel_mode: page-not-present notifications that interrupted the kernel.
 * @irq_ack: IRQ_ACK hypercalls made.
 * @enable_retry: ENABLE answered NOT_REQUIRED and was retried after a disable.
 */
struct kvm_async_pf_stats {
	u64 not_present;
	u64 page_ready;
	u64 wake_all;
	u64 wake_all_tasks;
	u64 unknown_token;
	u64 bogus_not_present;
	u64 bogus_page_ready;
	u64 spurious;
	u64 table_full;
	u64 duplicate;
	u64 kernel_mode;
	u64 irq_ack;
	u64 enable_retry;
};

void kvm_async_pf_task_wait(void);
void kvm_async_pf_teardown(void);

bool kvm_async_pf_ready(void);
bool kvm_async_pf_cpu_enabled(int cpu);
unsigned int kvm_async_pf_table_capacity(void);
unsigned int kvm_async_pf_table_count(int cpu);
int kvm_async_pf_table_entry(int cpu, unsigned int index, u32 *token,
			     struct task_struct **task);
int kvm_async_pf_stats(int cpu, struct kvm_async_pf_stats *stats);

#endif /* _KVM_APF_H */
