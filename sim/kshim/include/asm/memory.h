/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: arch/arm64/include/asm/memory.h, the linear-map translations.
 * Kernel memory the host must see by GPA (the per-CPU units, hence
 * DEFINE_PER_CPU_DECRYPTED data such as apf_data) lives inside the
 * platform's guest memory; these translate through it. A pointer outside
 * guest memory (or no platform attached) is a WARN and gives ~0 / NULL.
 */
#ifndef __ASM_MEMORY_H
#define __ASM_MEMORY_H

#include <linux/types.h>

phys_addr_t kshim_virt_to_phys(const volatile void *address);
void *kshim_phys_to_virt(phys_addr_t gpa);

#define __pa(x) kshim_virt_to_phys((const volatile void *)(unsigned long)(x))
#define __pa_symbol(x) __pa(x)
#define __va(x) kshim_phys_to_virt((phys_addr_t)(x))

static inline phys_addr_t virt_to_phys(const volatile void *address)
{
	return kshim_virt_to_phys(address);
}

static inline void *phys_to_virt(phys_addr_t gpa)
{
	return kshim_phys_to_virt(gpa);
}

#endif /* __ASM_MEMORY_H */
