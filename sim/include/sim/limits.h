/* SPDX-License-Identifier: MIT */
/*
 * Limits of the simulator. Every queue and loop is bounded by one of these;
 * a configuration beyond a limit is refused with an error, never clamped.
 */
#ifndef SIM_LIMITS_H
#define SIM_LIMITS_H

#include "sim/assert.h"

#define SIM_VCPU_COUNT_MAX 64u
#define SIM_TASK_COUNT_MAX 1024u
#define SIM_WORKER_COUNT_MAX 16u
/* Host threads: workers plus a few control threads (VMM, scenario driver). */
#define SIM_HOST_THREAD_COUNT_MAX (SIM_WORKER_COUNT_MAX + 16u)
/* One idle thread per vCPU, plus tasks, plus host threads. */
#define SIM_THREAD_COUNT_MAX \
	(SIM_VCPU_COUNT_MAX + SIM_TASK_COUNT_MAX + SIM_HOST_THREAD_COUNT_MAX)
#define SIM_TIMER_COUNT_MAX 4096u
#define SIM_FINDING_COUNT_MAX 16u
#define SIM_FINDING_MESSAGE_SIZE 256u
#define SIM_THREAD_NAME_SIZE 24u

#define SIM_STEP_COUNT_MAX_DEFAULT 2000000ull
#define SIM_PROGRESS_WINDOW_DEFAULT 200000ull
#define SIM_TRACE_RING_SIZE_DEFAULT 65536u
#define SIM_THREAD_STACK_BYTES_DEFAULT (128u * 1024u)
/* An interrupt may be declined by the strategy at most this many times in a
 * row on one vCPU; then it is delivered. Keeps random walks fair. */
#define SIM_IRQ_DELAY_COUNT_MAX 16u

#define SIM_THREAD_NONE 0xffffffffu

SIM_STATIC_ASSERT(SIM_THREAD_COUNT_MAX < SIM_THREAD_NONE,
		  "thread ids must never collide with the none marker");
SIM_STATIC_ASSERT(SIM_VCPU_COUNT_MAX <= 512u,
		  "arm64 KVM with GICv3 allows at most 512 vCPUs");

#endif /* SIM_LIMITS_H */
