/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/irq.h, reduced to the trigger types that
 * enable_percpu_irq() takes (values as include/dt-bindings/interrupt-controller/irq.h
 * and enum in include/linux/irq.h).
 */
#ifndef _LINUX_IRQ_H
#define _LINUX_IRQ_H

#define IRQ_TYPE_NONE 0x00000000
#define IRQ_TYPE_EDGE_RISING 0x00000001
#define IRQ_TYPE_EDGE_FALLING 0x00000002
#define IRQ_TYPE_EDGE_BOTH (IRQ_TYPE_EDGE_FALLING | IRQ_TYPE_EDGE_RISING)
#define IRQ_TYPE_LEVEL_HIGH 0x00000004
#define IRQ_TYPE_LEVEL_LOW 0x00000008
#define IRQ_TYPE_LEVEL_MASK (IRQ_TYPE_LEVEL_LOW | IRQ_TYPE_LEVEL_HIGH)
#define IRQ_TYPE_SENSE_MASK 0x0000000f

#endif /* _LINUX_IRQ_H */
