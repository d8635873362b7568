/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/sched.h, include/linux/thread_info.h and
 * arch/arm64/include/asm/thread_info.h. One task_struct per simulated
 * thread. schedule() blocks in the engine when the state is not
 * TASK_RUNNING; a wake_up_process() between set_current_state() and
 * schedule() sets the state back to running, so the wake is never lost.
 */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

#include <asm/barrier.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/kshim.h>
#include <linux/preempt.h>
#include <linux/types.h>

#define TASK_RUNNING 0x00000000
#define TASK_INTERRUPTIBLE 0x00000001
#define TASK_UNINTERRUPTIBLE 0x00000002
#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)
#define TASK_COMM_LEN 16

/* arm64 thread flags; TIF_ASYNC_PF is bit 7 as in the async-PF series. */
#define TIF_SIGPENDING 0
#define TIF_NEED_RESCHED 1
#define TIF_NOTIFY_RESUME 2
#define TIF_FOREIGN_FPSTATE 3
#define TIF_ASYNC_PF 7

struct thread_info {
	unsigned long flags;
	int preempt_count;
};

/* arm64 thread_struct: the series keeps the async-PF token in data. */
struct thread_struct {
	u64 data;
};

struct task_struct {
	struct thread_info thread_info;
	unsigned int __state;
	int pid; /* the simulation thread id */
	char comm[TASK_COMM_LEN];
	struct thread_struct thread;
	int kshim_cpu; /* >= 0 while on_each_cpu() runs a callback for that CPU */
	unsigned int kshim_ready; /* set once the runtime initialised the task */
	/*
	 * With the platform attached: the task's PSTATE (exception level and
	 * I bit), saved when it gives up its vCPU and loaded into the vCPU it
	 * runs on next (arm64 keeps it in the task's saved context).
	 */
	u64 kshim_pstate;
	unsigned int kshim_pstate_valid;
	/*
	 * Interrupt contexts entered on this thread: the hardirq and NMI
	 * parts of preempt_count, which arm64 keeps per task (the handler
	 * runs on the interrupted task's stack).
	 */
	unsigned int kshim_hardirq_depth;
	unsigned int kshim_nmi_depth;
};

#define current kshim_current()

#define __set_current_state(state_value) WRITE_ONCE(current->__state, (state_value))
#define set_current_state(state_value)                          \
	do {                                                    \
		WRITE_ONCE(current->__state, (state_value));    \
		smp_mb();                                       \
	} while (0)

static inline void schedule(void)
{
	kshim_schedule();
}

static inline void cond_resched(void)
{
	kshim_resched();
}

static inline int wake_up_process(struct task_struct *task)
{
	return kshim_wake_up_process(task);
}

static inline void set_tsk_thread_flag(struct task_struct *task, int flag)
{
	set_bit(flag, &task->thread_info.flags);
}

static inline void clear_tsk_thread_flag(struct task_struct *task, int flag)
{
	clear_bit(flag, &task->thread_info.flags);
}

static inline bool test_tsk_thread_flag(struct task_struct *task, int flag)
{
	return test_bit(flag, &task->thread_info.flags);
}

static inline bool test_and_clear_tsk_thread_flag(struct task_struct *task, int flag)
{
	return test_and_clear_bit(flag, &task->thread_info.flags);
}

#define set_thread_flag(flag) set_tsk_thread_flag(current, flag)
#define clear_thread_flag(flag) clear_tsk_thread_flag(current, flag)
#define test_thread_flag(flag) test_tsk_thread_flag(current, flag)
#define test_and_clear_thread_flag(flag) test_and_clear_tsk_thread_flag(current, flag)
#define set_tsk_need_resched(task) set_tsk_thread_flag(task, TIF_NEED_RESCHED)
#define need_resched() test_thread_flag(TIF_NEED_RESCHED)

static inline bool signal_pending(struct task_struct *task)
{
	return test_tsk_thread_flag(task, TIF_SIGPENDING);
}

#endif /* _LINUX_SCHED_H */
