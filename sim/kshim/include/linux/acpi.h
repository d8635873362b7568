/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/acpi.h, reduced to GSI registration (as
 * drivers/acpi/irq.c does it on arm64 with a GICv3). GSIs 16..31 are the
 * PPIs; SGIs and SPIs are refused (-EINVAL). The irq number returned is the
 * GSI plus a fixed offset (docs/kshim.md), not the GSI itself.
 */
#ifndef _LINUX_ACPI_H
#define _LINUX_ACPI_H

#include <linux/types.h>

/* ACPI trigger and polarity encodings (include/acpi/actypes.h). */
#define ACPI_LEVEL_SENSITIVE ((u8)0x00)
#define ACPI_EDGE_SENSITIVE ((u8)0x01)
#define ACPI_ACTIVE_HIGH ((u8)0x00)
#define ACPI_ACTIVE_LOW ((u8)0x01)
#define ACPI_ACTIVE_BOTH ((u8)0x02)

struct device;

/* Return: the Linux irq number (> 0), or -EINVAL. */
int acpi_register_gsi(struct device *dev, u32 gsi, int triggering, int polarity);
void acpi_unregister_gsi(u32 gsi);

#endif /* _LINUX_ACPI_H */
