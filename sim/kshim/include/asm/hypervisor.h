/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: arch/arm64/include/asm/hypervisor.h: the KVM guest service
 * discovery, declared (as in the kernel) in <linux/arm-smccc.h>.
 */
#ifndef _ASM_ARM64_HYPERVISOR_H
#define _ASM_ARM64_HYPERVISOR_H

#include <linux/arm-smccc.h>

#endif /* _ASM_ARM64_HYPERVISOR_H */
