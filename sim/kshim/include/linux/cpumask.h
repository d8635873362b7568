/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/cpumask.h. Possible CPUs are the execution's
 * vCPUs (nr_cpu_ids); online ones are those the engine has online.
 */
#ifndef __LINUX_CPUMASK_H
#define __LINUX_CPUMASK_H

#include <linux/kshim.h>

#define nr_cpu_ids kshim_nr_cpu_ids()
#define cpu_online(cpu) kshim_cpu_online(cpu)
#define cpu_possible(cpu) ((unsigned int)(cpu) < nr_cpu_ids)

#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < nr_cpu_ids; (cpu)++)
#define for_each_online_cpu(cpu) \
	for_each_possible_cpu(cpu) if (!cpu_online(cpu)) {} else

static inline unsigned int num_online_cpus(void)
{
	unsigned int cpu, count = 0;

	for_each_online_cpu(cpu)
		count++;
	return count;
}

#define num_possible_cpus() nr_cpu_ids

#endif /* __LINUX_CPUMASK_H */
