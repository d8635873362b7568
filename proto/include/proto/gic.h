/* SPDX-License-Identifier: MIT */
/*
 * GICv3 interrupt identifier (INTID) ranges (Arm IHI 0069, GICv3.1 for the
 * extended ranges). SGIs and PPIs are banked per PE; the async-PF page-ready
 * notification is a level-sensitive PPI.
 *
 * The EPPI/ESPI bases and the spurious INTID are cross-checked against
 * Linux include/linux/irqchip/arm-gic-v3.h (kernel source, see docs/abi.md).
 * All names are ours, since no uapi header defines these ranges.
 */
#ifndef PROTO_GIC_H
#define PROTO_GIC_H

#include "proto/abi.h"

#define PROTO_GIC_SGI_BASE 0U /* software-generated, per PE */
#define PROTO_GIC_SGI_COUNT 16U
#define PROTO_GIC_PPI_BASE 16U /* private peripheral, per PE */
#define PROTO_GIC_PPI_COUNT 16U
#define PROTO_GIC_SPI_BASE 32U /* shared peripheral */
#define PROTO_GIC_SPI_LAST 1019U
#define PROTO_GIC_SPECIAL_BASE 1020U /* 1020..1023 are never real interrupts */
#define PROTO_GIC_SPECIAL_LAST 1023U
#define PROTO_GIC_INTID_SPURIOUS 1023U /* IAR result when nothing is pending */
#define PROTO_GIC_EPPI_BASE 1056U /* GICv3.1 extended PPI */
#define PROTO_GIC_EPPI_COUNT 64U
#define PROTO_GIC_ESPI_BASE 4096U /* GICv3.1 extended SPI */
#define PROTO_GIC_ESPI_COUNT 1024U
#define PROTO_GIC_LPI_BASE 8192U

PROTO_ASSERT_VALUE(PROTO_GIC_SGI_BASE + PROTO_GIC_SGI_COUNT, PROTO_GIC_PPI_BASE);
PROTO_ASSERT_VALUE(PROTO_GIC_PPI_BASE + PROTO_GIC_PPI_COUNT, PROTO_GIC_SPI_BASE);
PROTO_ASSERT_VALUE(PROTO_GIC_SPI_LAST + 1, PROTO_GIC_SPECIAL_BASE);

static inline _Bool proto_gic_intid_is_sgi(__u32 intid)
{
	return intid < PROTO_GIC_SGI_BASE + PROTO_GIC_SGI_COUNT;
}

static inline _Bool proto_gic_intid_is_ppi(__u32 intid)
{
	return intid >= PROTO_GIC_PPI_BASE && intid < PROTO_GIC_PPI_BASE + PROTO_GIC_PPI_COUNT;
}

static inline _Bool proto_gic_intid_is_spi(__u32 intid)
{
	return intid >= PROTO_GIC_SPI_BASE && intid <= PROTO_GIC_SPI_LAST;
}

static inline _Bool proto_gic_intid_is_special(__u32 intid)
{
	return intid >= PROTO_GIC_SPECIAL_BASE && intid <= PROTO_GIC_SPECIAL_LAST;
}

static inline _Bool proto_gic_intid_is_eppi(__u32 intid)
{
	return intid >= PROTO_GIC_EPPI_BASE && intid < PROTO_GIC_EPPI_BASE + PROTO_GIC_EPPI_COUNT;
}

static inline _Bool proto_gic_intid_is_espi(__u32 intid)
{
	return intid >= PROTO_GIC_ESPI_BASE && intid < PROTO_GIC_ESPI_BASE + PROTO_GIC_ESPI_COUNT;
}

/* Banked per PE: SGIs, PPIs and extended PPIs. */
static inline _Bool proto_gic_intid_is_private(__u32 intid)
{
	return proto_gic_intid_is_sgi(intid) || proto_gic_intid_is_ppi(intid) ||
	       proto_gic_intid_is_eppi(intid);
}

#endif /* PROTO_GIC_H */
