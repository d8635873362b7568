/* SPDX-License-Identifier: MIT */
/*
 * Private state of the kernel-API layer bound to the simulated platform
 * (kshim_attach_platform): interrupt descriptors, the SDEI client's events,
 * the per-CPU call workers, hotplug and the per-CPU units placed in guest
 * memory. Only the .c files of sim/kshim include it.
 */
#ifndef SIM_KSHIM_PLATFORM_H
#define SIM_KSHIM_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/arm_sdei.h>
#include <linux/interrupt.h>
#include <linux/kshim.h>

#include "kshim_private.h"
#include "sim/limits.h"
#include "sim/platform.h"

/* SDEI events the client keeps (registered at once). */
#define KSHIM_SDEI_EVENT_COUNT_MAX 16u
/* Calls one per-CPU worker serves in an execution (bounds its loop). */
#define KSHIM_ON_CPU_CALL_COUNT_MAX 1000000u
/* Waits for a worker state change before giving up (free-run only). */
#define KSHIM_WAIT_ROUND_MAX 100000u

struct kshim_irq_desc {
	bool mapped;          /* acpi_register_gsi() */
	unsigned int type;    /* IRQ_TYPE_* from the GSI registration */
	irq_handler_t handler; /* NULL when not requested */
	const char *devname;
	void *percpu_dev_id;  /* a __percpu pointer */
	uint64_t enabled_mask; /* bit = CPU where enable_percpu_irq() ran */
	uint64_t count[SIM_VCPU_COUNT_MAX];      /* handler invocations */
	uint64_t none_count[SIM_VCPU_COUNT_MAX]; /* ... that returned IRQ_NONE */
};

struct kshim_sdei_event {
	bool used;
	uint32_t number;
	uint32_t type;     /* SDEI_EVENT_TYPE_PRIVATE / _SHARED (GET_INFO) */
	uint32_t priority; /* GET_INFO EV_PRIORITY */
	sdei_event_callback *callback;
	void *callback_arg;
	bool reregister;   /* registered: re-register on CPU up */
	bool reenable;     /* enabled: re-enable on CPU up */
};

/* The task that runs kshim_on_cpu() requests for one CPU. */
struct kshim_cpu_worker {
	struct kshim_lock lock; /* mutex: one request at a time */
	uint32_t thread_id;     /* SIM_THREAD_NONE until spawned */
	uint32_t cpu;
	uint32_t caller;
	void (*fn)(void *arg);
	void *arg;
	bool irqs_masked;
	uint64_t request_seq; /* atomics: requests posted / served */
	uint64_t done_seq;
	int result;
	uint64_t call_count;
};

struct kshim_plat {
	struct kshim *kshim;
	struct sim_platform *platform;
	struct sim *sim;
	uint32_t vcpu_count;
	/* Interrupt mask of host code running on a vCPU in host mode. */
	bool host_irqs_off[SIM_VCPU_COUNT_MAX];
	/* Per-CPU units inside guest memory; the heap copy is restored at destroy. */
	char *percpu_heap_area;
	uint64_t reserved_gpa;
	uint64_t reserved_bytes;
	/* Interrupts: descriptors of the PPIs (index = INTID). */
	struct kshim_irq_desc irqs[SIM_GIC_INTID_PRIVATE_COUNT];
	struct kshim_platform_stats stats;
	/* Handlers (IRQ vector, SDEI) running on the vCPU's idle thread. */
	uint32_t idle_handler_depth[SIM_VCPU_COUNT_MAX];
	uint64_t sdei_resume_address[SIM_VCPU_COUNT_MAX];
	/* SDEI client. */
	struct kshim_lock sdei_mutex;    /* sdei_events_lock */
	struct kshim_lock sdei_list_lock; /* spinlock: the cpuhp steps read the list */
	struct kshim_sdei_event sdei_events[KSHIM_SDEI_EVENT_COUNT_MAX];
	/* SMCCC / KVM discovery (kvm_init_hyp_services). */
	bool hyp_services_probed;
	uint32_t hyp_services[4];
	uint32_t smccc_version;
	/* Per-CPU calls and hotplug. */
	struct kshim_cpu_worker workers[SIM_VCPU_COUNT_MAX];
	struct kshim_lock hotplug_mutex; /* cpu_add_remove_lock / cpus_read_lock */
	uint64_t up_seq[SIM_VCPU_COUNT_MAX];   /* cpu_entry hook completions */
	uint32_t up_waiter[SIM_VCPU_COUNT_MAX];
	/* Start records of tasks spawned after attach (see kshim__task_wrap). */
	struct kshim_task_start {
		struct kshim_plat *plat;
		sim_thread_fn fn;
		void *arg;
	} starts[SIM_THREAD_COUNT_MAX];
	uint32_t start_count;
};

/* The platform state of the caller's execution, or NULL (not attached / outside). */
struct kshim_plat *kshim__plat_self(void);

/* ---- platform.c ---- */
/* The interrupt mask of the caller (task or idle thread on a vCPU, attached). */
bool kshim__plat_irq_save(struct kshim_plat *plat, uint32_t vcpu);
void kshim__plat_irq_restore(struct kshim_plat *plat, uint32_t vcpu, bool off);
bool kshim__plat_irqs_disabled(const struct kshim_plat *plat, uint32_t vcpu);
bool kshim__plat_in_host(const struct kshim_plat *plat, uint32_t vcpu);
/* An HVC from the caller's vCPU, as a give-up point; false if it did not return. */
bool kshim__hvc(struct kshim_plat *plat, struct sim_smccc_regs *regs);
/* Wait (a give-up point) until *@word != @old; false when the run is stopping. */
bool kshim__wait_change(struct kshim *kshim, const char *reason, const void *word_object,
			const uint64_t *word, uint64_t old);
void kshim__plat_detach(struct kshim *kshim);

/*
 * A handler taken by @vcpu's idle thread starts / ends (no-ops on other
 * threads; @on_idle is what kshim__idle_handler_enter() returned). The end
 * wakes the tasks kshim__idle_handler_wait() holds back.
 */
bool kshim__idle_handler_enter(struct kshim_plat *plat, uint32_t vcpu);
void kshim__idle_handler_exit(struct kshim_plat *plat, uint32_t vcpu, bool on_idle);
/*
 * A task that finds its vCPU's idle thread inside a handler gives the vCPU
 * back until that handler returned (the engine may make a woken task
 * current while the idle thread is mid-handler; on a real CPU the handler
 * finishes first). No-op in handler context or when not attached.
 */
void kshim__idle_handler_wait(struct kshim *kshim);

/* ---- irq.c ---- */
void kshim__irq_vector(void *ctx, uint32_t vcpu);
/* GIC programming of the CPU interface at boot and CPU_ON. */
void kshim__gic_cpu_init(struct kshim_plat *plat, uint32_t vcpu);

/* ---- sdei.c ---- */
void kshim__sdei_enter(void *ctx, uint32_t vcpu, uint64_t entry, uint64_t arg, uint32_t event);
/* The SDEI driver's cpuhp steps on the calling CPU (interrupts masked). */
int kshim__sdei_cpu_up(struct kshim_plat *plat);
int kshim__sdei_cpu_down(struct kshim_plat *plat);
/* Linux's sdei_to_linux_errno(). */
int kshim__sdei_to_errno(uint64_t sdei_result);

#endif /* SIM_KSHIM_PLATFORM_H */
