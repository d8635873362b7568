// SPDX-License-Identifier: MIT
/*
 * Goal: the simulated GICv3 follows the architecture's rules for banked SGIs
 * and PPIs: level and edge pending, acknowledge and spurious 1023, the
 * priority mask, running priority and preemption by group priority, EOI in
 * both EOImodes, deactivation, disabled-but-pending, and reset. Method: drive
 * one GIC directly (no engine) and check INTIDs returned by acknowledge and
 * the per-interrupt snapshot after every step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>

#include "sim/gic.h"
#include "sim/limits.h"

#define PPI_APF 27u
#define PMR_OPEN 0xf0u

static struct sim_gic *gic_new(uint32_t vcpu_count)
{
	struct sim_gic *gic = NULL;

	assert_int_equal(sim_gic_create(&gic, vcpu_count), 0);
	assert_non_null(gic);
	for (uint32_t v = 0; v < vcpu_count; v++)
		assert_int_equal(sim_gic_set_pmr(gic, v, PMR_OPEN), 0);
	return gic;
}

static void irq_setup(struct sim_gic *gic, uint32_t vcpu, uint32_t intid, uint8_t priority)
{
	assert_int_equal(sim_gic_set_priority(gic, vcpu, intid, priority), 0);
	assert_int_equal(sim_gic_set_enabled(gic, vcpu, intid, true), 0);
}

static struct sim_gic_irq_state irq_state(const struct sim_gic *gic, uint32_t vcpu,
					  uint32_t intid)
{
	struct sim_gic_irq_state state;

	assert_int_equal(sim_gic_irq_state(gic, vcpu, intid, &state), 0);
	return state;
}

static void test_gic_reset_state(void **unused)
{
	struct sim_gic *gic = NULL;

	(void)unused;
	assert_int_equal(sim_gic_create(&gic, 2), 0);
	assert_true(irq_state(gic, 0, 3).enabled);
	assert_int_equal(irq_state(gic, 0, 3).config, SIM_GIC_CONFIG_EDGE);
	assert_false(irq_state(gic, 1, PPI_APF).enabled);
	assert_int_equal(irq_state(gic, 1, PPI_APF).config, SIM_GIC_CONFIG_LEVEL);
	assert_int_equal(sim_gic_pmr(gic, 0), 0);
	assert_int_equal(sim_gic_running_priority(gic, 0), SIM_GIC_PRIORITY_IDLE);
	/* PMR 0 masks everything, even an enabled pending SGI. */
	assert_int_equal(sim_gic_send_sgi(gic, 0, 3), 0);
	assert_true(irq_state(gic, 0, 3).pending);
	assert_int_equal(sim_gic_ack(gic, 0), SIM_GIC_INTID_SPURIOUS);
	assert_int_equal(sim_gic_set_pmr(gic, 0, PMR_OPEN), 0);
	assert_int_equal(sim_gic_ack(gic, 0), 3);
	sim_gic_destroy(gic);
}

static void test_gic_ack_spurious_when_nothing_pending(void **unused)
{
	struct sim_gic *gic = gic_new(1);

	(void)unused;
	irq_setup(gic, 0, PPI_APF, 0xa0);
	assert_int_equal(sim_gic_highest_pending(gic, 0), SIM_GIC_INTID_SPURIOUS);
	assert_int_equal(sim_gic_ack(gic, 0), SIM_GIC_INTID_SPURIOUS);
	assert_int_equal(sim_gic_running_priority(gic, 0), SIM_GIC_PRIORITY_IDLE);
	assert_int_equal(sim_gic_delivery_count(gic, 0, PPI_APF), 0);
	sim_gic_destroy(gic);
}

static void test_gic_level_line_lowered_before_ack_clears_pending(void **unused)
{
	struct sim_gic *gic = gic_new(1);

	(void)unused;
	irq_setup(gic, 0, PPI_APF, 0xa0);
	assert_int_equal(sim_gic_set_line(gic, 0, PPI_APF, true), 0);
	assert_true(irq_state(gic, 0, PPI_APF).pending);
	assert_int_equal(sim_gic_highest_pending(gic, 0), PPI_APF);
	assert_int_equal(sim_gic_set_line(gic, 0, PPI_APF, false), 0);
	assert_false(irq_state(gic, 0, PPI_APF).pending);
	assert_int_equal(sim_gic_ack(gic, 0), SIM_GIC_INTID_SPURIOUS);
	sim_gic_destroy(gic);
}

static void test_gic_level_redelivered_after_eoi_while_line_high(void **unused)
{
	struct sim_gic *gic = gic_new(1);
	struct sim_gic_irq_state state;

	(void)unused;
	irq_setup(gic, 0, PPI_APF, 0xa0);
	assert_int_equal(sim_gic_set_line(gic, 0, PPI_APF, true), 0);
	assert_int_equal(sim_gic_ack(gic, 0), PPI_APF);
	state = irq_state(gic, 0, PPI_APF);
	assert_true(state.active);
	assert_true(state.pending); /* active and pending: the line is still high */
	assert_int_equal(sim_gic_running_priority(gic, 0), 0xa0);
	/* Active and pending is not signalled again until deactivated. */
	assert_int_equal(sim_gic_ack(gic, 0), SIM_GIC_INTID_SPURIOUS);
	assert_int_equal(sim_gic_eoi(gic, 0, PPI_APF), 0);
	assert_false(irq_state(gic, 0, PPI_APF).active);
	/* The storm: the handler did not lower the line. */
	for (uint32_t i = 0; i < 5; i++) {
		assert_int_equal(sim_gic_ack(gic, 0), PPI_APF);
		assert_int_equal(sim_gic_eoi(gic, 0, PPI_APF), 0);
	}
	assert_int_equal(sim_gic_delivery_count(gic, 0, PPI_APF), 6);
	assert_int_equal(sim_gic_set_line(gic, 0, PPI_APF, false), 0);
	assert_int_equal(sim_gic_ack(gic, 0), SIM_GIC_INTID_SPURIOUS);
	sim_gic_destroy(gic);
}

static void test_gic_level_only_change_of_level_matters(void **unused)
{
	struct sim_gic *gic = gic_new(1);

	(void)unused;
	irq_setup(gic, 0, PPI_APF, 0xa0);
	assert_int_equal(sim_gic_set_line(gic, 0, PPI_APF, true), 0);
	assert_int_equal(sim_gic_set_line(gic, 0, PPI_APF, true), 0);
	assert_int_equal(sim_gic_set_line(gic, 0, PPI_APF, false), 0);
	/* Two raises are one level: one lowering ends it. */
	assert_false(irq_state(gic, 0, PPI_APF).pending);
	assert_false(irq_state(gic, 0, PPI_APF).line_level);
	assert_int_equal(sim_gic_ack(gic, 0), SIM_GIC_INTID_SPURIOUS);
	sim_gic_destroy(gic);
}

static void test_gic_edge_rising_edge_latches(void **unused)
{
	struct sim_gic *gic = gic_new(1);
	struct sim_gic_irq_state state;

	(void)unused;
	assert_int_equal(sim_gic_set_config(gic, 0, 20, SIM_GIC_CONFIG_EDGE), 0);
	irq_setup(gic, 0, 20, 0x80);
	assert_int_equal(sim_gic_set_line(gic, 0, 20, true), 0);
	assert_int_equal(sim_gic_set_line(gic, 0, 20, false), 0);
	/* The edge was latched: lowering the source does not matter. */
	assert_true(irq_state(gic, 0, 20).pending);
	assert_int_equal(sim_gic_ack(gic, 0), 20);
	assert_false(irq_state(gic, 0, 20).pending);
	/* High again while active: a new edge makes it active and pending. */
	assert_int_equal(sim_gic_set_line(gic, 0, 20, true), 0);
	state = irq_state(gic, 0, 20);
	assert_true(state.active);
	assert_true(state.pending);
	/* Staying high is no new edge. */
	assert_int_equal(sim_gic_eoi(gic, 0, 20), 0);
	assert_int_equal(sim_gic_ack(gic, 0), 20);
	assert_int_equal(sim_gic_eoi(gic, 0, 20), 0);
	assert_int_equal(sim_gic_set_line(gic, 0, 20, true), 0);
	assert_int_equal(sim_gic_ack(gic, 0), SIM_GIC_INTID_SPURIOUS);
	/* A falling edge latches nothing. */
	assert_int_equal(sim_gic_set_line(gic, 0, 20, false), 0);
	assert_int_equal(sim_gic_ack(gic, 0), SIM_GIC_INTID_SPURIOUS);
	assert_int_equal(sim_gic_delivery_count(gic, 0, 20), 2);
	sim_gic_destroy(gic);
}

static void test_gic_config_refused_for_sgi_and_while_enabled(void **unused)
{
	struct sim_gic *gic = gic_new(1);

	(void)unused;
	assert_int_equal(sim_gic_set_config(gic, 0, 5, SIM_GIC_CONFIG_LEVEL), -EINVAL);
	assert_int_equal(sim_gic_set_enabled(gic, 0, 20, true), 0);
	assert_int_equal(sim_gic_set_config(gic, 0, 20, SIM_GIC_CONFIG_EDGE), -EBUSY);
	assert_int_equal(irq_state(gic, 0, 20).config, SIM_GIC_CONFIG_LEVEL);
	assert_int_equal(sim_gic_set_config(gic, 0, 20, (enum sim_gic_config)7), -EINVAL);
	sim_gic_destroy(gic);
}

static void test_gic_disabled_interrupt_becomes_pending(void **unused)
{
	struct sim_gic *gic = gic_new(1);

	(void)unused;
	assert_int_equal(sim_gic_set_priority(gic, 0, PPI_APF, 0xa0), 0);
	assert_int_equal(sim_gic_set_line(gic, 0, PPI_APF, true), 0);
	assert_true(irq_state(gic, 0, PPI_APF).pending);
	assert_false(irq_state(gic, 0, PPI_APF).enabled);
	assert_int_equal(sim_gic_ack(gic, 0), SIM_GIC_INTID_SPURIOUS);
	assert_int_equal(sim_gic_set_enabled(gic, 0, PPI_APF, true), 0);
	assert_int_equal(sim_gic_ack(gic, 0), PPI_APF);
	/* Disabling an active interrupt does not deactivate it. */
	assert_int_equal(sim_gic_set_enabled(gic, 0, PPI_APF, false), 0);
	assert_true(irq_state(gic, 0, PPI_APF).active);
	assert_int_equal(sim_gic_eoi(gic, 0, PPI_APF), 0);
	assert_int_equal(sim_gic_ack(gic, 0), SIM_GIC_INTID_SPURIOUS);
	sim_gic_destroy(gic);
}

static void test_gic_pmr_masks_equal_and_lower_priorities(void **unused)
{
	struct sim_gic *gic = gic_new(1);

	(void)unused;
	irq_setup(gic, 0, PPI_APF, 0xa0);
	assert_int_equal(sim_gic_set_pmr(gic, 0, 0xa0), 0);
	assert_int_equal(sim_gic_set_line(gic, 0, PPI_APF, true), 0);
	assert_int_equal(sim_gic_ack(gic, 0), SIM_GIC_INTID_SPURIOUS);
	assert_int_equal(sim_gic_set_pmr(gic, 0, 0xa8), 0);
	assert_int_equal(sim_gic_ack(gic, 0), PPI_APF);
	sim_gic_destroy(gic);
}

static void test_gic_priority_low_bits_not_implemented(void **unused)
{
	struct sim_gic *gic = gic_new(1);

	(void)unused;
	assert_int_equal(sim_gic_set_priority(gic, 0, 9, 0xa7), 0);
	assert_int_equal(irq_state(gic, 0, 9).priority, 0xa0);
	assert_int_equal(sim_gic_set_pmr(gic, 0, 0xff), 0);
	assert_int_equal(sim_gic_pmr(gic, 0), 0xf8);
	sim_gic_destroy(gic);
}

static void test_gic_highest_priority_first_ties_to_lowest_intid(void **unused)
{
	struct sim_gic *gic = gic_new(1);

	(void)unused;
	irq_setup(gic, 0, 3, 0x80);
	irq_setup(gic, 0, 20, 0x40);
	irq_setup(gic, 0, 1, 0x40);
	assert_int_equal(sim_gic_send_sgi(gic, 0, 3), 0);
	assert_int_equal(sim_gic_set_line(gic, 0, 20, true), 0);
	assert_int_equal(sim_gic_send_sgi(gic, 0, 1), 0);
	assert_int_equal(sim_gic_ack(gic, 0), 1);
	/* Same group priority as the running one: no preemption. */
	assert_int_equal(sim_gic_ack(gic, 0), SIM_GIC_INTID_SPURIOUS);
	assert_int_equal(sim_gic_eoi(gic, 0, 1), 0);
	assert_int_equal(sim_gic_ack(gic, 0), 20);
	assert_int_equal(sim_gic_eoi(gic, 0, 20), 0);
	assert_int_equal(sim_gic_set_line(gic, 0, 20, false), 0);
	assert_int_equal(sim_gic_ack(gic, 0), 3);
	sim_gic_destroy(gic);
}

static void test_gic_preemption_by_higher_group_priority(void **unused)
{
	struct sim_gic *gic = gic_new(1);

	(void)unused;
	irq_setup(gic, 0, 2, 0xc0);
	irq_setup(gic, 0, 4, 0xa8); /* subpriority of group 0xa0 */
	irq_setup(gic, 0, 6, 0x40);
	assert_int_equal(sim_gic_send_sgi(gic, 0, 2), 0);
	assert_int_equal(sim_gic_ack(gic, 0), 2);
	assert_int_equal(sim_gic_running_priority(gic, 0), 0xc0);
	assert_int_equal(sim_gic_send_sgi(gic, 0, 4), 0);
	assert_int_equal(sim_gic_ack(gic, 0), 4);
	assert_int_equal(sim_gic_running_priority(gic, 0), 0xa0);
	/* 0xa8 and 0xa0 share a group: a second 0xa8 cannot preempt 4. */
	irq_setup(gic, 0, 5, 0xa0);
	assert_int_equal(sim_gic_send_sgi(gic, 0, 5), 0);
	assert_int_equal(sim_gic_ack(gic, 0), SIM_GIC_INTID_SPURIOUS);
	assert_int_equal(sim_gic_send_sgi(gic, 0, 6), 0);
	assert_int_equal(sim_gic_ack(gic, 0), 6);
	/* EOI must name the last acknowledged interrupt. */
	assert_int_equal(sim_gic_eoi(gic, 0, 2), -EINVAL);
	assert_true(irq_state(gic, 0, 2).active);
	assert_int_equal(sim_gic_eoi(gic, 0, 6), 0);
	assert_int_equal(sim_gic_running_priority(gic, 0), 0xa0);
	assert_int_equal(sim_gic_eoi(gic, 0, 4), 0);
	assert_int_equal(sim_gic_running_priority(gic, 0), 0xc0);
	/* With 4 dropped, 5 (0xa0) now beats the running 0xc0. */
	assert_int_equal(sim_gic_ack(gic, 0), 5);
	assert_int_equal(sim_gic_eoi(gic, 0, 5), 0);
	assert_int_equal(sim_gic_eoi(gic, 0, 2), 0);
	assert_int_equal(sim_gic_running_priority(gic, 0), SIM_GIC_PRIORITY_IDLE);
	sim_gic_destroy(gic);
}

static void test_gic_eoi_mode1_needs_deactivate(void **unused)
{
	struct sim_gic *gic = gic_new(1);

	(void)unused;
	irq_setup(gic, 0, PPI_APF, 0xa0);
	assert_int_equal(sim_gic_deactivate(gic, 0, PPI_APF), -EINVAL); /* EOImode 0 */
	assert_int_equal(sim_gic_set_eoi_mode(gic, 0, SIM_GIC_EOI_MODE_DROP_ONLY), 0);
	assert_int_equal(sim_gic_set_line(gic, 0, PPI_APF, true), 0);
	assert_int_equal(sim_gic_ack(gic, 0), PPI_APF);
	assert_int_equal(sim_gic_set_eoi_mode(gic, 0, SIM_GIC_EOI_MODE_DROP_DEACTIVATE), -EBUSY);
	/* Deactivation before the priority drop is refused. */
	assert_int_equal(sim_gic_deactivate(gic, 0, PPI_APF), -EINVAL);
	assert_int_equal(sim_gic_eoi(gic, 0, PPI_APF), 0);
	assert_int_equal(sim_gic_running_priority(gic, 0), SIM_GIC_PRIORITY_IDLE);
	assert_true(irq_state(gic, 0, PPI_APF).active);
	assert_int_equal(sim_gic_ack(gic, 0), SIM_GIC_INTID_SPURIOUS);
	assert_int_equal(sim_gic_deactivate(gic, 0, PPI_APF), 0);
	assert_false(irq_state(gic, 0, PPI_APF).active);
	/* The line is still high: pending again at once. */
	assert_int_equal(sim_gic_ack(gic, 0), PPI_APF);
	assert_int_equal(sim_gic_deactivate(gic, 0, 9), -EINVAL); /* not active */
	sim_gic_destroy(gic);
}

static void test_gic_eoi_special_or_unacked_refused(void **unused)
{
	struct sim_gic *gic = gic_new(1);

	(void)unused;
	assert_int_equal(sim_gic_eoi(gic, 0, SIM_GIC_INTID_SPURIOUS), -EINVAL);
	assert_int_equal(sim_gic_eoi(gic, 0, 1020), -EINVAL);
	assert_int_equal(sim_gic_eoi(gic, 0, 4), -EINVAL);
	assert_false(irq_state(gic, 0, 4).active);
	sim_gic_destroy(gic);
}

static void test_gic_pending_latch_set_and_clear(void **unused)
{
	struct sim_gic *gic = gic_new(1);

	(void)unused;
	irq_setup(gic, 0, PPI_APF, 0xa0);
	assert_int_equal(sim_gic_set_pending(gic, 0, PPI_APF, true), 0);
	assert_true(irq_state(gic, 0, PPI_APF).pending_latch);
	assert_int_equal(sim_gic_set_pending(gic, 0, PPI_APF, false), 0);
	assert_false(irq_state(gic, 0, PPI_APF).pending);
	/* With the line high, clearing the latch leaves it pending. */
	assert_int_equal(sim_gic_set_line(gic, 0, PPI_APF, true), 0);
	assert_int_equal(sim_gic_set_pending(gic, 0, PPI_APF, true), 0);
	assert_int_equal(sim_gic_set_pending(gic, 0, PPI_APF, false), 0);
	assert_true(irq_state(gic, 0, PPI_APF).pending);
	/* Acknowledge consumes the latch of a level interrupt. */
	assert_int_equal(sim_gic_set_pending(gic, 0, PPI_APF, true), 0);
	assert_int_equal(sim_gic_ack(gic, 0), PPI_APF);
	assert_false(irq_state(gic, 0, PPI_APF).pending_latch);
	sim_gic_destroy(gic);
}

static void test_gic_sgi_and_line_argument_checks(void **unused)
{
	struct sim_gic *gic = gic_new(2);
	struct sim_gic_irq_state state;
	struct sim_gic *none = NULL;

	(void)unused;
	assert_int_equal(sim_gic_send_sgi(gic, 1, 15), 0);
	assert_true(irq_state(gic, 1, 15).pending);
	assert_false(irq_state(gic, 0, 15).pending); /* banked per vCPU */
	assert_int_equal(sim_gic_send_sgi(gic, 0, 16), -EINVAL);
	assert_int_equal(sim_gic_set_line(gic, 0, 3, true), -EINVAL);
	assert_int_equal(sim_gic_set_line(gic, 0, 32, true), -EINVAL);
	assert_int_equal(sim_gic_set_line(gic, 2, PPI_APF, true), -EINVAL);
	assert_int_equal(sim_gic_set_enabled(gic, 0, 1023, true), -EINVAL);
	assert_int_equal(sim_gic_set_pmr(gic, 2, 0), -EINVAL);
	assert_int_equal(sim_gic_irq_state(gic, 0, 40, &state), -EINVAL);
	assert_int_equal(sim_gic_delivery_count(gic, 5, 0), 0);
	assert_int_equal(sim_gic_create(&none, 0), -EINVAL);
	assert_int_equal(sim_gic_create(&none, SIM_VCPU_COUNT_MAX + 1), -EINVAL);
	assert_null(none);
	sim_gic_destroy(gic);
}

static void test_gic_reset_keeps_line_and_counters(void **unused)
{
	struct sim_gic *gic = gic_new(2);
	struct sim_gic_irq_state state;

	(void)unused;
	irq_setup(gic, 1, PPI_APF, 0xa0);
	assert_int_equal(sim_gic_set_line(gic, 1, PPI_APF, true), 0);
	assert_int_equal(sim_gic_ack(gic, 1), PPI_APF);
	assert_true(sim_gic_active_any(gic, PPI_APF));
	sim_gic_reset_vcpu(gic, 1);
	state = irq_state(gic, 1, PPI_APF);
	assert_false(state.active);
	assert_false(state.enabled);
	assert_true(state.line_level); /* the device still drives it */
	assert_int_equal(state.delivery_count, 1);
	assert_false(sim_gic_active_any(gic, PPI_APF));
	assert_int_equal(sim_gic_running_priority(gic, 1), SIM_GIC_PRIORITY_IDLE);
	assert_int_equal(sim_gic_pmr(gic, 1), 0);
	/* Re-enabled after reset, the stale level fires at once. */
	assert_int_equal(sim_gic_set_pmr(gic, 1, PMR_OPEN), 0);
	irq_setup(gic, 1, PPI_APF, 0xa0);
	assert_int_equal(sim_gic_ack(gic, 1), PPI_APF);
	sim_gic_destroy(gic);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gic_reset_state),
		cmocka_unit_test(test_gic_ack_spurious_when_nothing_pending),
		cmocka_unit_test(test_gic_level_line_lowered_before_ack_clears_pending),
		cmocka_unit_test(test_gic_level_redelivered_after_eoi_while_line_high),
		cmocka_unit_test(test_gic_level_only_change_of_level_matters),
		cmocka_unit_test(test_gic_edge_rising_edge_latches),
		cmocka_unit_test(test_gic_config_refused_for_sgi_and_while_enabled),
		cmocka_unit_test(test_gic_disabled_interrupt_becomes_pending),
		cmocka_unit_test(test_gic_pmr_masks_equal_and_lower_priorities),
		cmocka_unit_test(test_gic_priority_low_bits_not_implemented),
		cmocka_unit_test(test_gic_highest_priority_first_ties_to_lowest_intid),
		cmocka_unit_test(test_gic_preemption_by_higher_group_priority),
		cmocka_unit_test(test_gic_eoi_mode1_needs_deactivate),
		cmocka_unit_test(test_gic_eoi_special_or_unacked_refused),
		cmocka_unit_test(test_gic_pending_latch_set_and_clear),
		cmocka_unit_test(test_gic_sgi_and_line_argument_checks),
		cmocka_unit_test(test_gic_reset_keeps_line_and_counters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
