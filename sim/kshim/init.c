// SPDX-License-Identifier: MIT
/*
 * Boot: kshim_boot() parses the kernel command line, runs the early_param()
 * handlers it names, then every initcall level by level. Registrations live
 * in the "kshim_early_param" and "kshim_initcall" sections (<linux/init.h>),
 * in link order, like the kernel's .init.setup and .initcallN.init; the
 * sections are absent from a program without any, hence the weak bounds.
 *
 * Command line (the kernel's next_arg()/parse_args() rules): words are
 * separated by blanks; a word is "name" or "name=value"; double quotes
 * group blanks into a word and are removed around the word and the value;
 * "--" ends the kernel's part. Refused with -EINVAL before any handler
 * runs: a NULL line, KSHIM_CMDLINE_BYTES_MAX bytes or more, a control
 * character, an unterminated quote, an empty name ("=x").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/init.h>
#include <linux/kshim.h>

#include "core_private.h"
#include "sim/assert.h"
#include "sim/sim.h"

extern struct kshim_initcall __start_kshim_initcall[] __attribute__((weak));
extern struct kshim_initcall __stop_kshim_initcall[] __attribute__((weak));
extern struct kshim_early_param __start_kshim_early_param[] __attribute__((weak));
extern struct kshim_early_param __stop_kshim_early_param[] __attribute__((weak));

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* The kernel's parameq(): '-' and '_' are the same character in names. */
static bool param_equal(const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < KSHIM_CMDLINE_BYTES_MAX; i++) {
		char ca = a[i] == '-' ? '_' : a[i];
		char cb = b[i] == '-' ? '_' : b[i];

		if (ca != cb)
			return false;
		if (ca == '\0')
			return true;
	}
	return false;
}

static int cmdline_refuse(const char *what, size_t offset)
{
	kshim_printk("err", "kshim_boot: bad command line: %s at byte %zu\n", what, offset);
	return -EINVAL;
}

/*
 * Split @line in place into words. Return: the word count, or -EINVAL
 * (with a log line naming the problem).
 */
static int cmdline_split(char *line, struct kshim_cmdline_word *words, uint32_t word_count_max)
{
	size_t length = strlen(line);
	uint32_t count = 0;
	size_t i = 0;

	SIM_ASSERT(length < KSHIM_CMDLINE_BYTES_MAX);
	for (size_t k = 0; k < length; k++) {
		unsigned char c = (unsigned char)line[k];

		if ((c < 0x20 && !is_blank((char)c)) || c == 0x7f)
			return cmdline_refuse("control character", k);
	}
	while (i < length) {
		size_t start, end, equals = 0;
		bool quoted = false, in_quote = false;

		while (i < length && is_blank(line[i]))
			i++;
		if (i >= length)
			break;
		if (line[i] == '"') {
			quoted = true;
			in_quote = true;
			i++;
		}
		start = i;
		for (; i < length && (in_quote || !is_blank(line[i])); i++) {
			if (equals == 0 && line[i] == '=')
				equals = i + 1; /* + 1: 0 means none */
			if (line[i] == '"')
				in_quote = !in_quote;
		}
		if (in_quote)
			return cmdline_refuse("unterminated quote", start);
		if (equals == start + 1)
			return cmdline_refuse("empty parameter name", start);
		end = i;
		if (i < length)
			i++; /* past the blank that ended the word */
		line[end] = '\0';
		if (quoted && end > start && line[end - 1] == '"')
			line[--end] = '\0';
		SIM_ASSERT(count < word_count_max);
		words[count].param = line + start;
		words[count].value = NULL;
		if (equals != 0) {
			char *value = line + equals;

			line[equals - 1] = '\0';
			if (*value == '"') {
				value++;
				if (end > start && line[end - 1] == '"')
					line[--end] = '\0';
			}
			words[count].value = value;
		}
		if (words[count].value == NULL && strcmp(words[count].param, "--") == 0)
			break; /* the rest is for init */
		count++;
	}
	return (int)count;
}

static void early_params_run(const struct kshim_cmdline_word *words, uint32_t word_count)
{
	const struct kshim_early_param *first = __start_kshim_early_param;
	const struct kshim_early_param *last = __stop_kshim_early_param;
	uint32_t w;

	SIM_ASSERT((first == NULL) == (last == NULL));
	SIM_ASSERT(first == NULL ||
		   (size_t)((const char *)last - (const char *)first) % sizeof(*first) == 0);
	for (w = 0; w < word_count; w++) {
		const struct kshim_early_param *p;
		bool known = false;

		for (p = first; p != NULL && p < last; p++) {
			SIM_ASSERT(p->magic == KSHIM_EARLY_PARAM_MAGIC);
			if (!param_equal(words[w].param, p->str))
				continue;
			known = true;
			if (p->setup_func(words[w].value) != 0)
				kshim_printk("warn", "Malformed early option '%s'\n", words[w].param);
		}
		if (!known)
			kshim_printk("notice", "kshim_boot: parameter '%s' not handled\n",
				     words[w].param);
	}
}

/* The kernel's do_one_initcall(): errors are logged, the boot goes on. */
static int initcall_run(const struct kshim_initcall *call)
{
	int preempt_count = kshim_preempt_count();
	int ret;

	ret = call->fn();
	if (ret != 0)
		kshim_printk("warn", "initcall %s returned %d\n", call->name, ret);
	if (kshim_preempt_count() != preempt_count) {
		kshim_warn(__FILE__, __LINE__, "initcall %s returned with preemption imbalance",
			   call->name);
		while (kshim_preempt_count() > preempt_count)
			kshim_preempt_count_add(-1);
		while (kshim_preempt_count() < preempt_count)
			kshim_preempt_count_add(1);
	}
	if (kshim_irqs_disabled_self()) {
		kshim_warn(__FILE__, __LINE__, "initcall %s returned with disabled interrupts",
			   call->name);
		kshim_irq_restore(0);
	}
	return ret;
}

/*
 * Sort key of an entry: the compiler may emit the entries of one object in
 * any order (GCC does at -O2), but the linker keeps each object's entries
 * together and objects in link order. So: level, then the run of entries
 * from the same file (link order), then the line.
 */
static bool initcall_before(const struct kshim_initcall *a, uint32_t a_run,
			    const struct kshim_initcall *b, uint32_t b_run)
{
	if (a->level != b->level)
		return a->level < b->level;
	if (a_run != b_run)
		return a_run < b_run;
	return a->line < b->line;
}

static int initcalls_run(void)
{
	const struct kshim_initcall *first = __start_kshim_initcall;
	const struct kshim_initcall *last = __stop_kshim_initcall;
	const struct kshim_initcall **order;
	uint32_t *runs;
	uint32_t count;
	uint32_t i, j;
	int first_error = 0;

	SIM_ASSERT((first == NULL) == (last == NULL));
	if (first == NULL)
		return 0;
	SIM_ASSERT((size_t)((const char *)last - (const char *)first) % sizeof(*first) == 0);
	count = (uint32_t)(last - first);
	SIM_ASSERT(count <= KSHIM_INITCALL_COUNT_MAX);
	order = calloc(count + 1u, sizeof(*order));
	runs = calloc(count + 1u, sizeof(*runs));
	SIM_ASSERT(order != NULL && runs != NULL);
	/* Insertion sort (stable), bounded by KSHIM_INITCALL_COUNT_MAX. */
	for (i = 0; i < count; i++) {
		const struct kshim_initcall *call = &first[i];
		uint32_t run = 0;

		if (i > 0)
			run = runs[i - 1] + (strcmp(call->file, first[i - 1].file) != 0);

		SIM_ASSERT(call->magic == KSHIM_INITCALL_MAGIC);
		SIM_ASSERT(call->level < KSHIM_INITCALL_LEVEL_COUNT);
		runs[i] = run;
		for (j = i; j > 0 && initcall_before(call, run, order[j - 1],
						     runs[order[j - 1] - first]); j--)
			order[j] = order[j - 1];
		order[j] = call;
	}
	for (i = 0; i < count; i++) {
		int ret = initcall_run(order[i]);

		if (ret != 0 && first_error == 0)
			first_error = ret;
	}
	free(runs);
	free(order);
	return first_error;
}

/**
 * kshim_boot() - see sim/kshim.h.
 */
int kshim_boot(struct kshim *kshim, const char *cmdline)
{
	struct kshim_core *core;
	size_t length;
	int count;

	if (kshim == NULL || cmdline == NULL || sim_self() != kshim->sim ||
	    sim_thread_kind(kshim->sim, sim_self_id()) != SIM_THREAD_TASK ||
	    sim_self_vcpu() != 0) {
		kshim_printk("err", "kshim_boot: call it with a command line from a guest task "
				    "on vCPU 0 of the execution\n");
		return -EINVAL;
	}
	core = kshim->core;
	length = strnlen(cmdline, KSHIM_CMDLINE_BYTES_MAX);
	if (length >= KSHIM_CMDLINE_BYTES_MAX) {
		kshim_printk("err", "kshim_boot: command line longer than %u bytes\n",
			     KSHIM_CMDLINE_BYTES_MAX - 1u);
		return -EINVAL;
	}
	pthread_mutex_lock(&core->mutex);
	if (core->booted) {
		pthread_mutex_unlock(&core->mutex);
		kshim_printk("err", "kshim_boot: already booted\n");
		return -EBUSY;
	}
	memcpy(core->cmdline, cmdline, length + 1);
	count = cmdline_split(core->cmdline, core->cmdline_words, KSHIM_CMDLINE_WORD_COUNT_MAX);
	if (count >= 0)
		core->booted = true;
	pthread_mutex_unlock(&core->mutex);
	if (count < 0)
		return count;
	kshim_printk("info", "Kernel command line: %s\n", cmdline);
	early_params_run(core->cmdline_words, (uint32_t)count);
	return initcalls_run();
}
